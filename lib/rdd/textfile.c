/* textfile.c - textFile: byte-range splits of files, read over mmap.
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

static int add_split(struct text_src *src, int n, int file, long long at,
                     long long bytes)
{
    src->file_of = rdd_xrealloc(src->file_of, (size_t)(n + 1) * sizeof(int));
    src->start = rdd_xrealloc(src->start, (size_t)(n + 1) * sizeof(long long));
    src->end = rdd_xrealloc(src->end, (size_t)(n + 1) * sizeof(long long));
    src->file_of[n] = file;
    src->start[n] = at;
    src->end[n] = at + bytes;
    return n + 1;
}

/* Hadoop's getSplits for one file of len bytes: split size =
 * min(goal, block); cut while more than 1.1 splits remain. Appends the
 * splits to src (n so far) and returns the new count; an empty file is
 * one empty split. */
static int hadoop_splits(struct text_src *src, int n, int file, long long len,
                         long long goal)
{
    long long size = goal < BLOCK_BYTES ? goal : BLOCK_BYTES;
    long long left = len;

    if (size < 1)
        size = 1;
    while ((double)left / (double)size > 1.1) {
        n = add_split(src, n, file, len - left, size);
        left -= size;
    }
    if (left != 0 || len == 0)
        n = add_split(src, n, file, len - left, left);
    return n;
}

/* Maps one file; a pipe, a FIFO or a /proc file (size 0) is read
 * instead (lib/mapfile). -1 with sc->error. */
static int map_file(struct rdd_context *sc, const char *path,
                    struct mapfile *f)
{
    if (mapfile_open(path, f) < 0) {
        rdd_fail(sc, "cannot read %s: %s", path, mapfile_strerror(errno));
        return -1;
    }
    return 0;
}

void rdd_text_src_free(struct text_src *src)
{
    for (int i = 0; i < src->nfiles; i++)
        mapfile_close(&src->file[i]);
    free(src->file);
    free(src->file_of);
    free(src->start);
    free(src->end);
    memset(src, 0, sizeof(*src));
}

static struct rdd *open_text(struct rdd_context *sc,
                             const char *const *paths, int npaths,
                             const char *shown, int min_partitions,
                             const char *at)
{
    struct text_src src = { 0 };
    long long total = 0;
    struct rdd *r;
    int n = 0;

    if (min_partitions <= 0)
        min_partitions = sc->default_parallelism < 2
                         ? sc->default_parallelism : 2;
    src.file = rdd_xcalloc((size_t)npaths + 1, sizeof(*src.file));
    for (src.nfiles = 0; src.nfiles < npaths; src.nfiles++) {
        if (map_file(sc, paths[src.nfiles], &src.file[src.nfiles]) < 0) {
            rdd_text_src_free(&src);
            return NULL;
        }
        total += (long long)src.file[src.nfiles].len;
    }
    for (int f = 0; f < npaths; f++)
        n = hadoop_splits(&src, n, f, (long long)src.file[f].len,
                          total / min_partitions);
    r = rdd_new(sc, OP_HADOOP, "HadoopRDD", "textFile", at, NULL, n);
    r->text = src;
    snprintf(r->path, sizeof(r->path), "%s", shown);
    r = rdd_new(sc, OP_PASS, "MapPartitionsRDD", "textFile", at, r, n);
    snprintf(r->path, sizeof(r->path), "%s", shown);
    return r;
}

struct rdd *rdd_text_files_at(struct rdd_context *sc,
                              const char *const *paths, int npaths,
                              const char *shown, int min_partitions,
                              const char *at)
{
    struct rdd *r = open_text(sc, paths, npaths, shown, min_partitions, at);
    const char *e = mpi_agree(sc, r ? NULL : sc->error);

    /* under MPI: a file one rank cannot read fails it on every rank */
    if (e && e != sc->error)
        rdd_fail(sc, "%s", e);
    return e ? NULL : r;
}

struct rdd *rdd_text_file_at(struct rdd_context *sc, const char *path,
                             int min_partitions, const char *at)
{
    return rdd_text_files_at(sc, &path, 1, path, min_partitions, at);
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
void rdd_text_split_open(const struct rdd *r, int p, struct text_cursor *c)
{
    const struct mapfile *f = &r->text.file[r->text.file_of[p]];
    size_t s = (size_t)r->text.start[p];

    c->d = f->data;
    c->len = f->len;
    c->end = (size_t)r->text.end[p];
    c->pos = s ? next_start(c->d, c->len, line_end(c->d, c->len, s)) : 0;
    mpi_count_split(r->sc, (long long)(c->end - s));
}

bool rdd_text_next_line(struct text_cursor *c, struct rdd_value *line)
{
    size_t end;

    if (c->pos > c->end || c->pos >= c->len)
        return false;
    end = line_end(c->d, c->len, c->pos);
    *line = rdd_str(c->d + c->pos, end - c->pos);
    c->pos = next_start(c->d, c->len, end);
    return true;
}

void rdd_text_read(struct rdd *r, int p, struct rdd_sink *out, struct task *t)
{
    struct text_cursor c;
    struct rdd_value line;

    rdd_text_split_open(r, p, &c);
    while (!t->is_stopped && rdd_text_next_line(&c, &line)) {
        t->records_in++;
        out->push(out, line);
        rdd_arena_reset(t->scratch);
    }
}
