/* logmine.c - the lecture's log mining: filter, map, cache, query twice.
 * errors = lines.filter(startswith("ERROR")); messages = errors.map(field
 * 2); messages.cache(). The first query reads the file and fills the
 * cache; the second reads only the cache: compare their records in and
 * times. With --lose, one cached partition is rebuilt from its lineage.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "textgen.h"
#include "cleanup.h"
#include "rdd/rdd.h"
#include "rdd/rdd_report.h"
#include "rdd/rdd_mpi.h"
#include "demos.h"

#include <errno.h>
#include <limits.h>
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

static void notices(struct report *r, const struct rdd_context *sc,
                    const struct query *q, int nparts)
{
    report_notice(r, "The first query read %lld lines from the file (every "
                  "partition computed: textFile, filter and map pipelined) "
                  "and cached the messages; the second read %d cached "
                  "partition%s of %d, %lld records, and took %.3g ms "
                  "against %.3g ms.",
                  q[0].stage.records_in, q[1].stage.cache_hits,
                  q[1].stage.cache_hits == 1 ? "" : "s", nparts,
                  q[1].stage.records_in, q[1].seconds * 1e3,
                  q[0].seconds * 1e3);
    if (sc->lost_what)
        report_notice(r, "Lost after the first query: %s. The second query "
                      "rebuilt only that partition from its lineage "
                      "(textFile -> filter -> map: %d task recomputed) and "
                      "read the others from the cache; the counts come "
                      "from the same lines, so they are the same.",
                      sc->lost_what, q[1].stage.tasks_recomputed);
    if (q[2].count > 0)
        report_notice(r, "%lld ERROR line%s had fewer than 3 tab-separated "
                      "fields: s.split(\"\\t\")[2] would raise IndexError "
                      "and fail the job in PySpark; here they map to None "
                      "and are counted.", q[2].count,
                      q[2].count == 1 ? "" : "s");
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
                       const struct query q[3])
{
    struct report *r = report_begin(p, "Log mining with a cached RDD",
                                    "Load error messages into memory once, "
                                    "then query them again and again.");
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
    rdd_report_ranks(r, sc);    /* under mpirun: what each rank did */
    if (o->is_explain) {
        rdd_report_lineage(r, messages, "messages.toDebugString():");
        rdd_report_stages(r, sc, "stages", "Stages");
        rdd_report_tasks(r, sc, "tasks", "Tasks", 64);
    }
    notices(r, sc, q, rdd_num_partitions(messages));
    report_end(r);
}

static int logmine_main(int argc, char **argv)
{
    struct run_params p;
    struct lm_opts o = { 0, -1, false };
    struct query q[3] = { { 0 } };
    struct rdd_context *sc;
    struct rdd *messages = NULL;
    char gen[64] = "";
    const char *path;
    int rc, slot = -1;

    cli_defaults(&p, "logmine");
    p.size = demo_size(&demo_logmine, p.is_quick);
    if ((rc = cli_parse(&demo_logmine, argc, argv, &p, &o)) >= 0)
        return rc;
    if (!p.size_given)
        p.size = demo_size(&demo_logmine, p.is_quick);
    cleanup_init();
    path = p.nargs ? p.args[0] : gen;
    if (!p.nargs && textgen_temp_file(textgen_gen_log, &(struct gen_params){
                                      LLONG_MAX, p.size, p.seed }, "logmine",
                                      gen, sizeof(gen), &slot) < 0) {
        cli_error("logmine", "cannot generate a log in /tmp: %s",
                  strerror(errno));
        return 1;
    }
    sc = rdd_context_new(p.threads);
    sc->lose_partition = o.lose;
    if (mine(sc, path, o.partitions, q, &messages) < 0) {
        cli_error("logmine", "%s", sc->error);
        rc = 1;
    } else {
        report_all(&p, &o, sc, messages, q);
        rc = 0;
    }
    rdd_context_free(sc);
    if (gen[0])
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
