/* debug.c - toDebugString: the lineage drawn the way Spark draws it.
 * "(2)" is the partition count; " |  " continues a stage; "+-(2)" opens
 * the stage behind a shuffle. This is Spark's RDD.toDebugString algorithm
 * (firstDebugString / shuffleDebugString / debugChildren), line for line.
 */
#include "rdd_impl.h"

#include <stdio.h>
#include <string.h>

/* Spark's Utils.bytesToString: "512.0 B", "2.5 KiB", "1.2 MiB" */
static void bytes_text(size_t n, char *buf, size_t len)
{
    static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double v = (double)n;
    int u = 0;

    while (u < 4 && v >= 2 * 1024.0) {
        v /= 1024.0;
        u++;
    }
    snprintf(buf, len, "%.1f %s", v, unit[u]);
}

static void add(struct rdd_buf *b, const char *s)
{
    rdd_buf_add(b, s, strlen(s));
}

/* "data.txt MapPartitionsRDD[1] at textFile at wordcount.c:70 []" and,
 * when cached, a CachedPartitions line (Spark's debugSelf). */
static void debug_self(struct rdd *r, const char *first, const char *next,
                       struct rdd_buf *b)
{
    char line[512], mem[32];
    size_t bytes = 0;
    int cached = 0;

    snprintf(line, sizeof(line), "%s%s%s%s[%d] at %s [%s]\n", first, r->path,
             r->path[0] ? " " : "", r->cls, r->id, r->name,
             r->is_cached ? "Memory Deserialized 1x Replicated" : "");
    add(b, line);
    if (!r->is_cached)
        return;
    for (int p = 0; p < r->nparts; p++) {
        if (!r->cache[p].is_present)
            continue;
        cached++;
        bytes += r->cache[p].n * sizeof(struct rdd_value) +
                 (r->cache[p].arena ? r->cache[p].arena->bytes : 0);
    }
    if (!cached)
        return;
    bytes_text(bytes, mem, sizeof(mem));
    snprintf(line, sizeof(line), "%s    CachedPartitions: %d; MemorySize: "
             "%s; DiskSize: 0.0 B\n", next, cached, mem);
    add(b, line);
}

static void debug_string(struct rdd *r, const char *prefix, bool is_shuffle,
                         bool is_last, struct rdd_buf *b);

static void debug_children(struct rdd *r, const char *prefix,
                           struct rdd_buf *b)
{
    bool is_shuffle = r->op == OP_SHUFFLED;

    if (r->parent2) {
        debug_string(r->parent, prefix, false, false, b);
        debug_string(r->parent2, prefix, false, true, b);
    } else if (r->parent) {
        debug_string(r->parent, prefix, is_shuffle, true, b);
    }
}

static void debug_string(struct rdd *r, const char *prefix, bool is_shuffle,
                         bool is_last, struct rdd_buf *b)
{
    char parts[16], this_prefix[256], next[320], first[320];
    size_t k;
    int left;

    if (!is_shuffle) {
        debug_self(r, prefix, prefix, b);
        debug_children(r, prefix, b);
        return;
    }
    snprintf(parts, sizeof(parts), "(%d)", r->nparts);
    left = (int)(strlen(parts) - 1) / 2;
    /* thisPrefix = prefix without its trailing "|  " */
    snprintf(this_prefix, sizeof(this_prefix), "%s", prefix);
    k = strlen(this_prefix);
    while (k > 0 && this_prefix[k - 1] == ' ')
        k--;
    if (k > 0 && k < strlen(prefix) && this_prefix[k - 1] == '|')
        this_prefix[k - 1] = '\0';
    snprintf(next, sizeof(next), "%s%s%*s|%*s", this_prefix,
             is_last ? "  " : "| ", left, "",
             (int)strlen(parts) - left, "");
    snprintf(first, sizeof(first), "%s+-%s ", this_prefix, parts);
    debug_self(r, first, next, b);
    debug_children(r, next, b);
}

void rdd_debug_string(struct rdd *r, struct rdd_buf *b)
{
    char parts[16], first[32], next[32], next_sp[40];
    int left;

    if (rdd_check_depth(r) < 0) {       /* too deep to walk: say so */
        rdd_buf_add(b, r->sc->error, strlen(r->sc->error));
        return;
    }
    snprintf(parts, sizeof(parts), "(%d)", r->nparts);
    left = (int)(strlen(parts) - 1) / 2;
    snprintf(next, sizeof(next), "%*s|%*s", left, "",
             (int)strlen(parts) - left, "");
    snprintf(first, sizeof(first), "%s ", parts);
    /* the root's own extra lines are "$nextPrefix $desc" in Spark */
    snprintf(next_sp, sizeof(next_sp), "%s ", next);
    debug_self(r, first, next_sp, b);
    debug_children(r, next, b);
    if (b->len && b->s[b->len - 1] == '\n')
        b->s[--b->len] = '\0';
}
