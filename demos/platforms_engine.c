/* platforms_engine.c - the two jobs written for pardemo's RDD engine, as
 * a PySpark user writes them (the Python is in each comment). The
 * platforms topic runs them in a child, `pardemo platforms --engine JOB
 * FILE -t N`, on threads or under mpirun, and measures them from outside
 * like every other platform. Notice that the C reads like the Python.
 */
#define _GNU_SOURCE
#include "platforms.h"
#include "cli.h"
#include "csv.h"
#include "trade.h"
#include "words.h"
#include "rdd/rdd.h"
#include "rdd/rdd_mpi.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* lambda line: line.split() */
static void split(struct rdd_value line, struct rdd_sink *out, void *ctx)
{
    struct words it;
    size_t at, len;

    (void)ctx;
    words_init(&it, line.s, line.len);
    while (words_next(&it, &at, &len))
        rdd_emit(out, rdd_str(line.s + at, len));
}

/* counts = sc.textFile(path).flatMap(lambda line: line.split()) \
 *            .map(lambda word: (word, 1)).reduceByKey(add) */
static struct rdd *word_counts(struct rdd *lines)
{
    return rdd_reduce_by_key(rdd_map(rdd_flat_map(lines, split, NULL),
                                     rdd_with_one, NULL), rdd_add, NULL, 0);
}

/* next(csv.reader([line])): a tuple of the fields, None when the line
 * does not have the trade file's 10 */
static struct rdd_value record(struct rdd_value line, struct rdd_arena *a,
                               void *ctx)
{
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    struct rdd_value rec;

    (void)ctx;
    csv_init(&r, line.s, line.len, "line");
    if (csv_next(&r, f, TRADE_FIELDS) != TRADE_FIELDS)
        return rdd_none();
    rec = rdd_tuple(a, TRADE_FIELDS);
    for (int i = 0; i < TRADE_FIELDS; i++) {
        char *s = (char *)f[i].p;
        size_t len = f[i].len;
        if (f[i].has_escapes) {         /* "" pairs undone in a copy */
            s = rdd_alloc(a, len + 1);
            len = csv_copy(&f[i], s, len + 1);
        }
        rec.items[i] = rdd_str(s, len);
    }
    return rec;
}

/* lambda r: r[MEASURE] == "$" (the header's is "Measure": it goes too) */
static bool is_dollars(struct rdd_value rec, void *ctx)
{
    (void)ctx;
    return rec.kind == RDD_TUPLE && rec.items[TRADE_MEASURE].len == 1 &&
           rec.items[TRADE_MEASURE].s[0] == '$';
}

/* lambda r: (r[COUNTRY], int(r[VALUE])) */
static struct rdd_value country_value(struct rdd_value rec,
                                      struct rdd_arena *a, void *ctx)
{
    struct rdd_value v = rec.items[TRADE_VALUE];
    int64_t value = 0;

    (void)ctx;
    trade_parse_int(v.s, v.len, &value);
    return rdd_pair(a, rec.items[TRADE_COUNTRY], rdd_int(value));
}

/* totals = sc.textFile(path).map(record).filter(is_dollars) \
 *            .map(country_value).reduceByKey(add) */
static struct rdd *country_totals(struct rdd *lines)
{
    return rdd_reduce_by_key(rdd_map(rdd_filter(rdd_map(lines, record, NULL),
                                                is_dollars, NULL),
                                     country_value, NULL), rdd_add, NULL, 0);
}

/* "# engine ..." : what the stages did, for the properties table. */
static void print_note(const struct rdd_context *sc, int before_action)
{
    long long before = 0, after = 0, bytes = 0;
    int recomputed = 0;

    for (int i = 0; i < sc->nstages; i++) {
        const struct rdd_stage_log *s = &sc->stages[i];
        if (s->is_shuffle_map) {
            before += s->records_out;
            after += s->records_written;
            bytes += s->bytes_written;
        }
        recomputed += s->tasks_recomputed;
    }
    printf("# engine stages_before_action=%d stages=%d map_records=%lld "
           "shuffled_records=%lld shuffled_bytes=%lld recomputed_tasks=%d "
           "ranks=%d\n", before_action, sc->nstages, before, after, bytes,
           recomputed, rdd_mpi_size(sc));
}

int pf_engine_main(enum pf_job job, const char *path,
                   const struct run_params *p, int lose)
{
    struct rdd_context *sc = rdd_context_new(p->threads);
    struct rdd_result res = { 0 };
    struct rdd *lines, *answer = NULL;
    int rc = 0, before = 0;

    sc->lose_partition = lose;
    /* one partition per worker, as Spark's local[N] */
    if ((lines = rdd_text_file(sc, path, p->threads))) {
        answer = job == PF_WORDCOUNT ? word_counts(lines)
                                     : country_totals(lines);
        before = sc->nstages;   /* the lineage is built: has anything run? */
    }
    if (!answer || rdd_collect(answer, &res) < 0) {
        cli_error("platforms", "%s", sc->error);
        rc = 1;
    } else {
        print_note(sc, before);
        for (size_t i = 0; i < res.n; i++) {
            struct rdd_value k = rdd_key(res.v[i]);
            printf("%" PRId64 " %.*s\n", rdd_val(res.v[i]).i, (int)k.len,
                   k.s);
        }
    }
    rdd_result_free(&res);
    rdd_context_free(sc);
    return rc;
}
