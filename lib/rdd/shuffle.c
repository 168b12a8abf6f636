/* shuffle.c - the shuffle: where one stage ends and the next begins.
 * The map side of reduceByKey combines each task's records by key first
 * (map-side combine), then writes each key to the block of its reduce
 * partition, portable_hash(key) % n as PySpark does; the reduce side
 * merges the blocks meant for it. groupByKey writes every record. Blocks
 * hold records as bytes (serial.c); word count's own path is count.c.
 */
#include "rdd_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- the shuffle: map side */

static int64_t py_mod(int64_t h, int n)
{
    int64_t m = h % n;

    return m < 0 ? m + n : m;
}

/* bisect_left over the sorted bounds: the range partition of key */
static int range_part(const struct rdd_shuffle *sh, struct rdd_value key)
{
    size_t lo = 0, hi = sh->bounds.n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rdd_compare(sh->bounds.v[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return sh->is_ascending ? (int)lo : sh->nreduce - 1 - (int)lo;
}

static int part_of(const struct rdd_shuffle *sh, struct rdd_value key)
{
    if (sh->mode == SH_RANGE)
        return range_part(sh, key);
    if (sh->part_fn)
        return (int)py_mod(sh->part_fn(key, sh->part_ctx), sh->nreduce);
    return (int)py_mod(rdd_portable_hash(key), sh->nreduce);
}

enum { RING = 16 };     /* how far ahead read_combine prefetches */

struct shuffle_sink {
    struct rdd_sink base;
    struct rdd_shuffle *sh;
    struct map_out *mo;
    struct kv_table table;      /* SH_COMBINE only */
    struct rdd_arena *keep;     /* its keys and values until written */
};

const char *rdd_unpack(struct rdd_value kv, struct rdd_arena *a,
                       struct rdd_value *k, struct rdd_value *v)
{
    const struct rdd_obj_ops *ops;

    if (kv.kind == RDD_TUPLE && kv.len == 2) {
        *k = kv.items[0];
        *v = kv.items[1];
        return NULL;
    }
    /* with Python's objects (pardemo spark): whatever Python unpacks, or
     * its error (the ops have failed the task with its traceback) */
    if ((ops = rdd_obj_ops_here()))
        return ops->unpack(kv, a, k, v, ops->ctx) ? NULL
               : "TypeError: cannot unpack the record into (key, value)";
    return rdd_unpack2(kv, k, v);       /* Python's error, in C */
}

/* Combines value b into entry e (reduceByKey's function). Adding ints is
 * done in place: the hot path of word count. */
static void combine(rdd_reduce_fn fn, void *ctx, struct kv_entry *e,
                    struct rdd_value v, struct rdd_arena *keep,
                    struct task *t)
{
    int64_t sum;

    if (fn == rdd_add && e->val.kind == RDD_INT && v.kind == RDD_INT &&
        !__builtin_add_overflow(e->val.i, v.i, &sum)) {
        e->val.i = sum;
        return;
    }
    e->val = rdd_copy(keep, fn(e->val, v, t->scratch, ctx));
}

static void combine_push(struct rdd_sink *s, struct rdd_value kv)
{
    struct shuffle_sink *o = (struct shuffle_sink *)s;
    struct rdd_shuffle *sh = o->sh;
    struct rdd_value k, v;
    struct kv_entry *e;
    const char *why;
    bool is_new;

    if ((why = rdd_unpack(kv, s->task->scratch, &k, &v))) {
        rdd_task_stop(s->task, why);    /* for k, v in iterator */
        return;
    }
    s->task->records_out++;
    e = rdd_kv_find_or_add(&o->table, k, rdd_fast_hash(k), &is_new);
    if (is_new) {
        e->key = rdd_copy(o->keep, k);
        e->val = rdd_copy(o->keep, sh->create ? sh->create(v, s->task->scratch,
                                                         sh->create_ctx)
                                              : v);
    } else {
        combine(sh->fn, sh->ctx, e, v, o->keep, s->task);
    }
}

static void bucket_add(struct map_out *mo, int p, struct rdd_value k,
                       struct rdd_value v, struct task *t)
{
    size_t before = mo->bucket[p].len;

    rdd_block_add(&mo->bucket[p], k, v);
    t->records_written++;
    t->bytes_written += (long long)(mo->bucket[p].len - before);
}

/* groupByKey, sortByKey, partitionBy: every record is written (no
 * combine). */
static void bucket_push(struct rdd_sink *s, struct rdd_value kv)
{
    struct shuffle_sink *o = (struct shuffle_sink *)s;
    struct rdd_value k, v;
    const char *why;

    if ((why = rdd_unpack(kv, s->task->scratch, &k, &v))) {
        rdd_task_stop(s->task, why);
        return;
    }
    s->task->records_out++;
    bucket_add(o->mo, part_of(o->sh, k), k, v, s->task);
}

void rdd_shuffle_scatter(struct rdd_shuffle *sh, struct map_out *mo, size_t n,
                         combined_fn get, void *src, struct task *t)
{
    int nr = sh->nreduce, *to = rdd_xmalloc((n + 1) * sizeof(*to));
    size_t *bytes = rdd_xcalloc((size_t)nr, sizeof(*bytes)), i;
    struct rdd_value k, v;

    for (i = 0; i < n; i++) {
        get(src, i, &k, &v);
        to[i] = part_of(sh, k);
        bytes[to[i]] += rdd_value_bytes(k) + rdd_value_bytes(v);
    }
    for (int p = 0; p < nr; p++)        /* blocks sized exactly */
        rdd_block_reserve(&mo->bucket[p], bytes[p]);
    for (i = 0; i < n; i++) {
        get(src, i, &k, &v);
        bucket_add(mo, to[i], k, v, t);
    }
    free(to);
    free(bytes);
}

/* One map task: computes partition m of the map side into buckets. */
const char *rdd_shuffle_map_task(struct rdd *sr, int m, struct task *t)
{
    struct rdd_shuffle *sh = sr->shuffle;
    struct shuffle_sink o = { { bucket_push, t }, sh, &sh->out[m], { 0 },
                              rdd_arena_new() };

    o.mo->bucket = rdd_xcalloc((size_t)sh->nreduce, sizeof(*o.mo->bucket));
    t->is_recompute = o.mo->was_lost;
    if (rdd_count_applies(sr)) {
        rdd_count_map_task(sr, m, t);       /* count.c */
    } else if (sh->mode == SH_COMBINE) {
        o.base.push = combine_push;
        rdd_kv_init(&o.table, 1024);
        rdd_compute(sr->parent, m, &o.base, t);
        rdd_shuffle_scatter(sh, o.mo, o.table.n, rdd_kv_record, &o.table, t);
        rdd_kv_free(&o.table);
    } else {
        rdd_compute(sr->parent, m, &o.base, t);
    }
    rdd_arena_free(o.keep);         /* the blocks hold copies */
    o.mo->is_done = !t->error;
    o.mo->was_lost = false;
    return t->error;
}

/* ---- the shuffle: reduce side */

static void emit_pair(struct rdd_sink *out, struct task *t,
                      struct rdd_value k, struct rdd_value v)
{
    out->push(out, rdd_pair(t->scratch, k, v));
    rdd_arena_reset(t->scratch);
}

/* Every record the map tasks wrote for reduce partition p, read back
 * into key, value, key, value... (strings point into the blocks; tuples'
 * items go in a); *n records. */
static struct rdd_value *read_blocks(struct rdd_shuffle *sh, int p,
                                     size_t *n, struct rdd_arena *a,
                                     struct task *t)
{
    size_t records = 0, i = 0;
    struct rdd_value *kv;

    for (int m = 0; m < sh->nmap; m++)
        records += sh->out[m].bucket[p].n;
    kv = rdd_xmalloc((2 * records + 1) * sizeof(*kv));
    for (int m = 0; m < sh->nmap; m++) {
        const struct block *b = &sh->out[m].bucket[p];
        const char *at = b->bytes;
        for (size_t r = 0; r < b->n; r++, i++)
            at = rdd_block_next(at, &kv[2 * i], &kv[2 * i + 1], a);
        t->bytes_read += (long long)b->len;
    }
    t->records_in += (long long)records;
    *n = records;
    return kv;
}

/* reduceByKey's merge (not add: count.c does that). The hashes come
 * first, so the probe for record i can prefetch the slot of record
 * i + 16: the misses of a big table overlap instead of queueing. */
static void read_combine(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                         struct task *t)
{
    struct rdd_arena *keep = rdd_arena_new();
    size_t n, i;
    struct rdd_value *kv = read_blocks(sh, p, &n, keep, t);
    uint64_t *h = rdd_xmalloc((n + 1) * sizeof(*h));
    struct kv_table tab;
    bool is_new;

    rdd_kv_init(&tab, 1024);
    for (i = 0; i < n; i++)
        h[i] = rdd_fast_hash(kv[2 * i]);
    for (i = 0; i < n && !t->is_stopped; i++) {
        struct kv_entry *e;
        if (i + RING < n)
            __builtin_prefetch(&tab.slot[h[i + RING] & tab.mask]);
        e = rdd_kv_find_or_add(&tab, kv[2 * i], h[i], &is_new);
        if (is_new) {       /* the blocks outlive this task: no copy */
            e->key = kv[2 * i];
            e->val = kv[2 * i + 1];
        } else {
            combine(sh->merge ? sh->merge : sh->fn,
                    sh->merge ? sh->merge_ctx : sh->ctx, e, kv[2 * i + 1],
                    keep, t);
        }
    }
    for (i = 0; i < tab.n && !t->is_stopped; i++)
        emit_pair(out, t, rdd_kv_at(&tab, i)->key, rdd_kv_at(&tab, i)->val);
    rdd_kv_free(&tab);
    free(h);
    free(kv);
    rdd_arena_free(keep);
}

/* groupByKey's reduce side in two passes and one flat array: first the
 * group of every record (and each group's size), then the values placed
 * at their group's offset. No allocation per key. */
static void read_group(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                       struct task *t)
{
    struct rdd_arena *keep = rdd_arena_new();
    size_t i, k, records, *at;
    struct rdd_value *kv = read_blocks(sh, p, &records, keep, t), *flat;
    uint32_t *group = rdd_xmalloc((records + 1) * sizeof(*group));
    struct kv_table tab;
    bool is_new;

    rdd_kv_init(&tab, 1024);
    for (i = 0; i < records; i++) {
        struct kv_entry *e = rdd_kv_find_or_add(&tab, kv[2 * i],
                                                rdd_fast_hash(kv[2 * i]),
                                                &is_new);
        if (is_new) {
            e->key = kv[2 * i];
            e->val = rdd_int(0);
        }
        e->val.i++;
        group[i] = (uint32_t)(e - rdd_kv_at(&tab, 0));
    }
    at = rdd_xmalloc((tab.n + 1) * sizeof(*at));
    for (i = 0, k = 0; i < tab.n; k += (size_t)rdd_kv_at(&tab, i)->val.i, i++)
        at[i] = k;              /* where group i's values start */
    flat = rdd_xmalloc((records + 1) * sizeof(*flat));
    for (i = 0; i < records; i++)
        flat[at[group[i]]++] = kv[2 * i + 1];
    for (i = 0, k = 0; i < tab.n && !t->is_stopped; i++) {
        struct rdd_value l = { .kind = RDD_LIST,
                               .len = (uint32_t)rdd_kv_at(&tab, i)->val.i,
                               .items = flat + k };
        k += l.len;
        emit_pair(out, t, rdd_kv_at(&tab, i)->key, l);
    }
    free(flat);
    free(at);
    free(group);
    free(kv);
    rdd_kv_free(&tab);
    rdd_arena_free(keep);
}

struct sort_item {
    struct rdd_value kv;
    size_t seq;
};

/* Python's sorted(key=k, reverse=not asc) is stable either way: equal
 * keys keep their arrival order, hence the sequence number. */
static int cmp_asc(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    int c = rdd_compare(rdd_key(x->kv), rdd_key(y->kv));

    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_desc(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    int c = rdd_compare(rdd_key(y->kv), rdd_key(x->kv));

    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static void read_sorted(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                        struct task *t)
{
    struct rdd_arena *keep = rdd_arena_new();
    size_t n, i;
    struct rdd_value *kv = read_blocks(sh, p, &n, keep, t);
    struct sort_item *it = rdd_xmalloc((n + 1) * sizeof(*it));

    for (i = 0; i < n; i++)     /* record i as a pair: its two values */
        it[i] = (struct sort_item){ { .kind = RDD_TUPLE, .len = 2,
                                      .items = &kv[2 * i] }, i };
    if (n)
        qsort(it, n, sizeof(*it), sh->is_ascending ? cmp_asc : cmp_desc);
    for (i = 0; i < n && !t->is_stopped; i++) {
        out->push(out, it[i].kv);
        rdd_arena_reset(t->scratch);
    }
    free(it);
    free(kv);
    rdd_arena_free(keep);
}

/* partitionBy's reduce side: the records as the map tasks wrote them. */
static void read_plain(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                       struct task *t)
{
    struct rdd_arena *keep = rdd_arena_new();
    size_t n, i;
    struct rdd_value *kv = read_blocks(sh, p, &n, keep, t);

    for (i = 0; i < n && !t->is_stopped; i++)
        emit_pair(out, t, kv[2 * i], kv[2 * i + 1]);
    free(kv);
    rdd_arena_free(keep);
}

void rdd_shuffle_read(struct rdd *r, int p, struct rdd_sink *out, struct task *t)
{
    switch (r->shuffle->mode) {
    case SH_COMBINE:
        if (rdd_count_reduce_applies(r->shuffle))
            rdd_count_reduce_task(r->shuffle, p, out, t);   /* count.c */
        else
            read_combine(r->shuffle, p, out, t);
        break;
    case SH_GROUP:   read_group(r->shuffle, p, out, t); break;
    case SH_RANGE:   read_sorted(r->shuffle, p, out, t); break;
    case SH_PLAIN:   read_plain(r->shuffle, p, out, t); break;
    }
}
