/* logmine.c - the lecture's log mining: filter, map, cache, query twice.
 * errors = lines.filter(startswith("ERROR")); messages = errors.map(field
 * 2); messages.cache(). The first query reads the file and fills the
 * cache; the second reads only the cache: compare their records in and
 * times; then the same query, cached and recomputed from the file, is
 * timed again and again until the cache's gain is decided (or said not to
 * be). With --lose, one cached partition is rebuilt from its lineage.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "textgen.h"
#include "private.h"
#include "cleanup.h"
#include "rdd/rdd.h"
#include "rdd/rdd_report.h"
#include "rdd/rdd_mpi.h"
#include "demos.h"
#include "lesson/lesson.h"
#include "lesson/logmine.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

struct lm_opts {
    int partitions, lose;
    bool is_explain;
};

/* ---- the lambdas */

static bool is_error(struct rdd_value line, void *ctx)
{
    (void)ctx;
    return line.len >= 5 && memcmp(line.s, "ERROR", 5) == 0;
}

/* s.split("\t")[2], or None when the line has fewer than 3 fields (where
 * Python would raise IndexError and fail the whole job). */
static struct rdd_value third_field(struct rdd_value line, struct rdd_arena *a,
                                    void *ctx)
{
    const char *s = line.s, *end = line.s + line.len, *tab;

    (void)a, (void)ctx;
    for (int field = 0; field < 2; field++) {
        if (!(tab = memchr(s, '\t', (size_t)(end - s))))
            return rdd_none();
        s = tab + 1;
    }
    tab = memchr(s, '\t', (size_t)(end - s));
    return rdd_str(s, (size_t)((tab ? tab : end) - s));
}

/* "mysql" in s (ctx is the word); None never matches */
static bool contains(struct rdd_value msg, void *ctx)
{
    const char *word = ctx;

    return msg.kind == RDD_STR &&
           memmem(msg.s, msg.len, word, strlen(word)) != NULL;
}

static bool is_none(struct rdd_value msg, void *ctx)
{
    (void)ctx;
    return msg.kind == RDD_NONE;
}

/* ---- the queries */

struct query {
    const char *python;
    long long count;
    double seconds;
    struct rdd_stage_log stage;     /* its (only) stage */
};

static int run_query(struct rdd *messages, rdd_filter_fn f, void *ctx,
                     struct query *q)
{
    struct rdd_context *sc = rdd_context_of(messages);
    double t0 = clk_now();

    if (rdd_count(rdd_filter(messages, f, ctx), &q->count) < 0)
        return -1;
    q->seconds = clk_now() - t0;
    q->stage = sc->stages[sc->nstages - 1];
    return 0;
}

static void report_queries(struct report *r, const struct query *q, int n)
{
    struct table *t = report_table(r, "queries", "The queries, in order");

    table_col(t, "query", "query", U_TEXT);
    table_col(t, "count", "count", U_INT);
    table_col(t, "lines_read", "records read", U_INT);
    table_col(t, "cache_hits", "cached partitions read", U_INT);
    table_col(t, "recomputed", "partitions recomputed", U_INT);
    table_col(t, "seconds", "time", U_MS);
    for (int i = 0; i < n; i++) {
        table_str(t, q[i].python);
        table_num(t, (double)q[i].count);
        table_num(t, (double)q[i].stage.records_in);
        table_num(t, q[i].stage.cache_hits);
        table_num(t, q[i].stage.tasks_recomputed);
        table_num(t, q[i].seconds);
    }
    table_end(t);
}

/* ---- cache vs recompute: the same query, repeated ---- */

#define COMPARE_MIN 5           /* pairs at least... */
#define COMPARE_MAX 15          /* ...and at most, while undecided */
#define COMPARE_CAP_S 3.0       /* nor past this many seconds */

struct compare {
    bool is_run;
    int reps;
    struct stats cached, recompute;
    int faster;
    long long cached_in, recompute_in;
};

/* One timed count of "php" in m; *in gets the records its stage read. */
static int time_php(struct rdd *m, double *secs, long long *in)
{
    struct rdd_context *sc = rdd_context_of(m);
    long long count;
    double t0 = clk_now();

    if (rdd_count(rdd_filter(m, contains, "php"), &count) < 0)
        return -1;
    *secs = clk_now() - t0;
    *in = sc->stages[sc->nstages - 1].records_in;
    return 0;
}

/* Are k pairs enough: decided (the middle halves apart), or the most
 * pairs or seconds spent? */
static bool is_enough(const double *tc, const double *tr, int k, double t0)
{
    struct stats c = stats_of(tc, (size_t)k), r = stats_of(tr, (size_t)k);

    if (k < COMPARE_MIN)
        return false;
    return c.q3 < r.q1 || r.q3 < c.q1 || k == COMPARE_MAX ||
           clk_now() - t0 > COMPARE_CAP_S;
}

/* In a context of its own (the lecture's trace stays as it was): the
 * second query on cached messages and on messages recomputed from the
 * file, alternately, until decided (is_enough). On 1 thread: the cached
 * query's work is a fraction of a millisecond, and with more threads the
 * wait for a busy CPU to start its tasks (milliseconds on a loaded
 * machine) would hide it; the cache's gain does not depend on them. Not
 * under mpirun. */
static int compare_cache(const char *path, int partitions, struct compare *c)
{
    struct rdd_context *sc = rdd_context_new(1);
    struct rdd *lines = rdd_text_file(sc, path, partitions), *kept, *again;
    double tc[COMPARE_MAX], tr[COMPARE_MAX], t0 = clk_now();
    long long warm;
    int rc = -1;

    if (!lines)
        goto out;
    kept = rdd_cache(rdd_map(rdd_filter(lines, is_error, NULL), third_field,
                             NULL));
    again = rdd_map(rdd_filter(lines, is_error, NULL), third_field, NULL);
    if (rdd_count(kept, &warm) < 0)         /* fills the cache */
        goto out;
    for (c->reps = 0; !is_enough(tc, tr, c->reps, t0); c->reps++) {
        int k = c->reps;
        if (time_php(again, &tr[k], &c->recompute_in) < 0 ||
            time_php(kept, &tc[k], &c->cached_in) < 0)
            goto out;
        c->faster += tc[k] < tr[k];
    }
    c->cached = stats_of(tc, (size_t)c->reps);
    c->recompute = stats_of(tr, (size_t)c->reps);
    c->is_run = true;
    rc = 0;
out:
    rdd_context_free(sc);
    return rc;
}

static void report_compare(struct report *r, const struct compare *c)
{
    struct table *t = report_table(r, "cache_vs_recompute", "The second "
                                   "query again, cached and recomputed, "
                                   "timed on 1 thread");

    table_col(t, "messages", "messages", U_TEXT);
    table_col(t, "records_read", "records read", U_INT);
    table_col(t, "min_seconds", "min", U_MS);
    table_col(t, "median_seconds", "median", U_MS);
    table_col(t, "max_seconds", "max", U_MS);
    table_str(t, "cached");
    table_num(t, (double)c->cached_in);
    table_num(t, c->cached.min);
    table_num(t, c->cached.median);
    table_num(t, c->cached.max);
    table_str(t, "recomputed from the file");
    table_num(t, (double)c->recompute_in);
    table_num(t, c->recompute.min);
    table_num(t, c->recompute.median);
    table_num(t, c->recompute.max);
    table_end(t);
}

static struct lm_query query_of(const struct query *q)
{
    return (struct lm_query){ q->count, q->stage.records_in,
                              q->stage.cache_hits, q->stage.tasks_recomputed,
                              q->seconds };
}

/* The rules read what was measured (lib/lesson/logmine). */
static void notices(struct report *r, const struct run_params *p,
                    const struct rdd_context *sc, const struct query *q,
                    int nparts, const struct compare *c,
                    const struct rdd_ranks_sum *ranks)
{
    struct logmine_results x = { .nparts = nparts, .lost = sc->lost_what,
        .is_compared = c->is_run, .reps = c->reps,
        .faster = c->faster, .cached = est_of(&c->cached),
        .recompute = est_of(&c->recompute), .cached_in = c->cached_in,
        .recompute_in = c->recompute_in, .cond = cond_stop(&p->probe) };
    struct notices ns;

    for (int i = 0; i < 3; i++)
        x.q[i] = query_of(&q[i]);
    x.cond.reps = c->is_run ? c->reps : 1;
    x.cond.spread = c->is_run ? fmax(est_spread(x.cached),
                                     est_spread(x.recompute)) : 0;
    notices_init(&ns);
    logmine_notices(&x, &ns);
    lesson_ranks(&ns, ranks->ranks, ranks->splits, ranks->sent_bytes);
    report_conditions(r, NULL, &x.cond);
    report_notices(r, &ns);
}

static const struct cli_opt lm_opts[] = {
    { "partitions", 'p', CLI_INT, "N", "textFile's minPartitions (0: "
      "min(threads, 2), Spark's default)", 0, 4096, NULL,
      offsetof(struct lm_opts, partitions) },
    { "lose", 0, CLI_INT, "P", "lose cached partition P after the first "
      "query: watch it be recomputed (-1: none)", -1, 4095, NULL,
      offsetof(struct lm_opts, lose) },
    { "explain", 0, CLI_FLAG, NULL, "print the lineage, stages and tasks", 0,
      0, NULL, offsetof(struct lm_opts, is_explain) },
    { 0 },
};

static const struct cli_spec lm_spec = {
    .args = "[FILE]",
    .min_args = 0, .max_args = 1,
    .common = CLI_THREADS | CLI_SIZE_OPT | CLI_SEED | CLI_FORMAT |
              CLI_QUIET | CLI_QUICK,
    .size_help = "bytes of generated log when no FILE is given",
    .size_min = 1, .size_max = 64LL << 30,
    .opts = lm_opts,
    .examples = "pardemo logmine --quick\npardemo logmine --lose 1 --explain\n"
                "pardemo logmine /var/log/app.log -t 1",
};

/* The lecture's program; fills q[0..2]. Returns 0 or -1 (sc->error). */
static int mine(struct rdd_context *sc, const char *path, int partitions,
                struct query q[3], struct rdd **messages)
{
    struct rdd *lines = rdd_text_file(sc, path, partitions), *errors;

    if (!lines)
        return -1;
    errors = rdd_filter(lines, is_error, NULL);
    *messages = rdd_cache(rdd_map(errors, third_field, NULL));
    q[0].python = "messages.filter(lambda s: \"mysql\" in s).count()";
    q[1].python = "messages.filter(lambda s: \"php\" in s).count()";
    q[2].python = "messages.filter(lambda s: s is None).count()";
    if (run_query(*messages, contains, "mysql", &q[0]) < 0 ||
        run_query(*messages, contains, "php", &q[1]) < 0 ||
        run_query(*messages, is_none, NULL, &q[2]) < 0)
        return -1;
    return 0;
}

static void report_all(const struct run_params *p, const struct lm_opts *o,
                       struct rdd_context *sc, struct rdd *messages,
                       const struct query q[3], const struct compare *c)
{
    struct report *r = report_begin(p, "Log mining with a cached RDD",
                                    "Load error messages into memory once, "
                                    "then query them again and again.");
    struct rdd_ranks_sum ranks;
    char sz[32];

    if (p->nargs)
        report_param(r, "input", "%s", p->args[0]);
    else
        report_param(r, "input", "generated log (%s bytes, seed %llu)",
                     cli_fmt_size(p->size, sz, sizeof(sz)), p->seed);
    report_param(r, "threads", "%d", p->threads);
    report_param(r, "partitions", "%d", rdd_num_partitions(messages));
    report_text(r, "lines = sc.textFile(path)\n"
                "errors = lines.filter(lambda s: s.startswith(\"ERROR\"))\n"
                "messages = errors.map(lambda s: s.split(\"\\t\")[2])"
                "   # None if < 3 fields\n"
                "messages.cache()");
    report_queries(r, q, 3);
    rdd_report_ranks(r, sc, &ranks);   /* under mpirun: each rank's part */
    if (o->is_explain) {
        rdd_report_lineage(r, messages, "messages.toDebugString():");
        rdd_report_stages(r, sc, "stages", "Stages");
        rdd_report_tasks(r, sc, "tasks", "Tasks", 64);
    }
    if (c->is_run)
        report_compare(r, c);
    notices(r, p, sc, q, rdd_num_partitions(messages), c, &ranks);
    report_end(r);
}

static int logmine_main(int argc, char **argv)
{
    struct run_params p;
    struct lm_opts o = { 0, -1, false };
    struct query q[3] = { { 0 } };
    struct compare cmp = { 0 };
    struct rdd_context *sc;
    struct rdd *messages = NULL;
    char *gen = NULL;
    const char *path;
    int rc, slot = -1;

    cli_defaults(&p, "logmine");
    p.size = demo_size(&demo_logmine, p.is_quick);
    if ((rc = cli_parse(&demo_logmine, argc, argv, &p, &o)) >= 0)
        return rc;
    if (!p.size_given)
        p.size = demo_size(&demo_logmine, p.is_quick);
    cleanup_init();
    if (!p.nargs && textgen_temp_file(textgen_gen_log, &(struct gen_params){
                                      LLONG_MAX, p.size, p.seed }, "logmine",
                                      &gen, &slot) < 0) {
        cli_error("logmine", "cannot generate a log in %s: %s",
                  priv_tmp_base(), cli_strerror(errno));
        return 1;
    }
    path = p.nargs ? p.args[0] : gen;
    sc = rdd_context_new(p.threads);
    sc->lose_partition = o.lose;
    if (mine(sc, path, o.partitions, q, &messages) < 0) {
        cli_error("logmine", "%s", sc->error);
        rc = 1;
    } else {
        if (!rdd_mpi_launched() &&
            compare_cache(path, rdd_num_partitions(messages), &cmp) < 0)
            cmp.is_run = false;         /* the lecture's part still runs */
        report_all(&p, &o, sc, messages, q, &cmp);
        rc = 0;
    }
    rdd_context_free(sc);
    textgen_temp_remove(gen, slot);
    return rc;
}

const struct demo demo_logmine = {
    .name = "logmine",
    .summary = "the lecture's log mining: filter, map, cache, query twice",
    .main = logmine_main,
    .slide = "Apache Spark: log mining",
    .spec = &lm_spec,
    .sizes = { 32LL << 20 },
    .quick_sizes = { 4LL << 20 },
};
