/* textfile.c - textFile: byte-range splits of one file, read over mmap.
 * Splits are cut by bytes, not lines (Hadoop's FileInputFormat), so a
 * line may straddle two splits; the reader of each split skips the line
 * it starts inside of and reads past its end to finish its last line
 * (Hadoop's LineRecordReader). Every line is read exactly once.
 */
#define _GNU_SOURCE
#include "rdd_impl.h"
#include "rdd_mpi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum { BLOCK_BYTES = 32 << 20 };       /* fs.local.block.size */

/* Hadoop's getSplits: goal = total / minPartitions, split size =
 * min(goal, block); cut while more than 1.1 splits remain. Returns the
 * count; starts[0..n] (starts[n] = len) in *out. An empty file is one
 * empty split. */
static int hadoop_splits(long long len, int min_parts, long long **out)
{
    long long goal = len / (min_parts > 0 ? min_parts : 1);
    long long size = goal < BLOCK_BYTES ? goal : BLOCK_BYTES;
    long long left = len, *s;
    int n = 0, cap = 16;

    if (size < 1)
        size = 1;
    s = rdd_xmalloc((size_t)cap * sizeof(*s));
    while ((double)left / (double)size > 1.1) {
        if (n + 2 >= cap)
            s = rdd_xrealloc(s, (size_t)(cap *= 2) * sizeof(*s));
        s[n++] = len - left;
        left -= size;
    }
    if (left != 0 || n == 0)
        s[n++] = len - left;
    s[n] = len;
    *out = s;
    return n;
}

static struct rdd *open_text(struct rdd_context *sc, const char *path,
                             int min_partitions, const char *at)
{
    struct mapfile file;
    struct rdd *r;
    long long *starts;
    int n;

    if (min_partitions <= 0)
        min_partitions = sc->default_parallelism < 2
                         ? sc->default_parallelism : 2;
    /* mapped; a pipe, a FIFO or a /proc file (size 0) is read instead */
    if (mapfile_open(path, &file) < 0) {
        rdd_fail(sc, "cannot read %s: %s", path, mapfile_strerror(errno));
        return NULL;
    }
    n = hadoop_splits((long long)file.len, min_partitions, &starts);
    r = rdd_new(sc, OP_HADOOP, "HadoopRDD", "textFile", at, NULL, n);
    r->text = (struct text_src){ file.data, file.len, starts, file };
    snprintf(r->path, sizeof(r->path), "%s", path);
    r = rdd_new(sc, OP_PASS, "MapPartitionsRDD", "textFile", at, r, n);
    snprintf(r->path, sizeof(r->path), "%s", path);
    return r;
}

struct rdd *rdd_text_file_at(struct rdd_context *sc, const char *path,
                             int min_partitions, const char *at)
{
    struct rdd *r = open_text(sc, path, min_partitions, at);
    const char *e = mpi_agree(sc, r ? NULL : sc->error);

    /* under MPI: a file one rank cannot read fails it on every rank */
    if (e && e != sc->error)
        rdd_fail(sc, "%s", e);
    return e ? NULL : r;
}

/* The end of the line starting at pos: the first \n or \r, or len.
 * Lines are short (27 bytes on average in hamlet.txt): one pass, 16
 * bytes at a time, costs less than two calls of memchr. */
static size_t line_end(const char *d, size_t len, size_t pos)
{
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');

    for (; pos + 16 <= len; pos += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(d + pos));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(x, nl), _mm_cmpeq_epi8(x, cr)));
        if (m)
            return pos + (size_t)__builtin_ctz(m);
    }
#endif
    while (pos < len && d[pos] != '\n' && d[pos] != '\r')
        pos++;
    return pos;
}

/* Where the line after the one ending at end starts (\r\n is one end). */
static size_t next_start(const char *d, size_t len, size_t end)
{
    if (end >= len)
        return len;
    if (d[end] == '\r' && end + 1 < len && d[end + 1] == '\n')
        return end + 2;
    return end + 1;
}

/* Split p owns the lines starting in (start, end], or [0, end] for the
 * first: a line starting exactly at a boundary belongs to the split
 * before it, which reads one line past its end. */
void rdd_text_read(struct rdd *r, int p, struct rdd_sink *out, struct task *t)
{
    const char *d = r->text.data;
    size_t len = r->text.len;
    size_t s = (size_t)r->text.start[p], e = (size_t)r->text.start[p + 1];
    size_t pos = s ? next_start(d, len, line_end(d, len, s)) : 0;

    mpi_count_split(r->sc, (long long)(e - s));

    while (pos <= e && pos < len && !t->is_stopped) {
        size_t end = line_end(d, len, pos);
        t->records_in++;
        out->push(out, rdd_str(d + pos, end - pos));
        rdd_arena_reset(t->scratch);
        pos = next_start(d, len, end);
    }
}
