/* rdd.c - the lecture's RDD examples, run on the mini-RDD engine.
 * Each row shows the PySpark line, the C call and what PySpark prints.
 * Watch the user-function call counter: map() alone calls nothing (it is
 * lazy), collect() runs it. With --lose, a lost partition is recomputed.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "cleanup.h"
#include "private.h"
#include "rdd/rdd.h"
#include "rdd/rdd_report.h"
#include "rdd/rdd_mpi.h"
#include "demos.h"
#include "lesson/rdd.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rdd_opts {
    int partitions, lose;
    bool is_explain;
};

/* ---- the lambdas, as C functions (ctx counts the calls) */

static struct rdd_value square(struct rdd_value x, struct rdd_arena *a,
                               void *ctx)
{
    (void)a;
    if (ctx)    /* tasks run on several threads: count atomically */
        __atomic_fetch_add((long *)ctx, 1, __ATOMIC_RELAXED);
    return rdd_int(x.i * x.i);
}

static bool is_even(struct rdd_value x, void *ctx)
{
    (void)ctx;
    return x.i % 2 == 0;
}

static void range_of(struct rdd_value x, struct rdd_sink *out, void *ctx)
{
    (void)ctx;
    for (int64_t i = 0; i < x.i; i++)
        rdd_emit(out, rdd_int(i));
}

static struct rdd_value as_list(struct rdd_value x, struct rdd_arena *a,
                                void *ctx)
{
    (void)a, (void)ctx;
    return x;   /* groupByKey's values are a list already */
}

/* ---- the rows */

struct demo_run {
    struct rdd_context *sc;
    struct table *t;            /* csv/json: one row per example */
    struct rdd_buf text;        /* text: a PySpark session, C beside it */
    char *lecture_reduce;   /* what the slide shows for reduceByKey */
    bool is_failed;
};

static void add_text(struct rdd_buf *b, const char *s)
{
    rdd_buf_add(b, s, strlen(s));
}

static void row(struct demo_run *d, const char *py, const char *c,
                const char *result)
{
    if (!d->t) {
        add_text(&d->text, d->text.len ? "\n>>> " : ">>> ");
        add_text(&d->text, py);
        add_text(&d->text, "\n");
        add_text(&d->text, result);
        add_text(&d->text, "\n    C: ");
        add_text(&d->text, c);
        add_text(&d->text, "\n");
        return;
    }
    table_str(d->t, py);
    table_str(d->t, c);
    table_str(d->t, result);
}

/* Runs one action's result into its printed form (or the error). */
static void row_result(struct demo_run *d, const char *py, const char *c,
                       int rc, struct rdd_result *res, bool is_scalar)
{
    struct rdd_buf b = { 0 };

    if (rc < 0) {
        d->is_failed = true;
        rdd_buf_add(&b, d->sc->error, strlen(d->sc->error));
    } else if (is_scalar) {
        rdd_repr(&b, res->v[0]);
    } else {
        rdd_repr_list(&b, res->v, res->n);
    }
    row(d, py, c, b.s);
    rdd_buf_free(&b);
    rdd_result_free(res);
}

static struct rdd *basics(struct demo_run *d, int parts, long *calls,
                          long calls_at[3])
{
    struct rdd_value v[3] = { rdd_int(1), rdd_int(2), rdd_int(3) };
    struct rdd *nums = rdd_parallelize(d->sc, v, 3, parts), *squares;
    struct rdd_result res;
    long long n;
    char buf[32];

    squares = rdd_map(nums, square, calls);
    calls_at[0] = *calls;       /* lazy: map() has called nothing yet */
    row_result(d, "squares = nums.map(lambda x: x*x); squares.collect()",
               "rdd_collect(squares = rdd_map(nums, square, &calls), &out)",
               rdd_collect(squares, &res), &res, false);
    calls_at[1] = *calls;
    row_result(d, "squares.filter(lambda x: x % 2 == 0).collect()",
               "rdd_collect(rdd_filter(squares, is_even, NULL), &out)",
               rdd_collect(rdd_filter(squares, is_even, NULL), &res), &res,
               false);
    calls_at[2] = *calls;
    row_result(d, "nums.flatMap(lambda x: range(x)).collect()",
               "rdd_collect(rdd_flat_map(nums, range_of, NULL), &out)",
               rdd_collect(rdd_flat_map(nums, range_of, NULL), &res), &res,
               false);
    row_result(d, "nums.collect()", "rdd_collect(nums, &out)",
               rdd_collect(nums, &res), &res, false);
    row_result(d, "nums.take(2)", "rdd_take(nums, 2, &out)",
               rdd_take(nums, 2, &res), &res, false);
    snprintf(buf, sizeof(buf), "%lld", rdd_count(nums, &n) < 0 ? -1 : n);
    row(d, "nums.count()", "rdd_count(nums, &n)", buf);
    row_result(d, "nums.reduce(lambda x, y: x + y)",
               "rdd_reduce(nums, rdd_add, NULL, &out)",
               rdd_reduce(nums, rdd_add, NULL, &res), &res, true);
    return nums;
}

static struct rdd *make_pets(struct rdd_context *sc, int parts)
{
    static const char *const name[] = { "cat", "dog", "cat" };
    static const int n[] = { 1, 1, 2 };
    struct rdd_value items[6], pets[3];

    for (int i = 0; i < 3; i++) {
        items[2 * i] = rdd_cstr(name[i]);
        items[2 * i + 1] = rdd_int(n[i]);
        pets[i] = (struct rdd_value){ .kind = RDD_TUPLE, .len = 2,
                                      .items = &items[2 * i] };
    }
    return rdd_parallelize(sc, pets, 3, parts);  /* copies the values */
}

static struct rdd *key_value(struct demo_run *d, struct rdd *pets)
{
    struct rdd *sums = rdd_reduce_by_key(pets, rdd_add, NULL, 0);
    struct rdd_result res = { 0 };
    struct rdd_buf b = { 0 };

    if (rdd_collect(sums, &res) == 0) {
        rdd_repr_list(&b, res.v, res.n);
        d->lecture_reduce = strdup(b.s);
        rdd_buf_free(&b);
        rdd_result_free(&res);
    }
    row_result(d, "pets.reduceByKey(lambda x, y: x + y).collect()",
               "rdd_collect(rdd_reduce_by_key(pets, rdd_add, NULL, 0), "
               "&out)", rdd_collect(sums, &res), &res, false);
    row_result(d, "pets.groupByKey().mapValues(list).collect()",
               "rdd_collect(rdd_map_values(rdd_group_by_key(pets, 0), "
               "as_list, NULL), &out)",
               rdd_collect(rdd_map_values(rdd_group_by_key(pets, 0), as_list,
                                          NULL), &res), &res, false);
    {
        struct rdd *sorted = rdd_sort_by_key(pets, true, 0);
        row_result(d, "pets.sortByKey().collect()",
                   "rdd_collect(rdd_sort_by_key(pets, true, 0), &out)",
                   sorted ? rdd_collect(sorted, &res) : -1, &res, false);
    }
    return sums;
}

/* "part-00000: 1 | part-00001: 2 3 | _SUCCESS (empty)" */
static void describe_dir(const char *dir, struct rdd_buf *b)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);

    for (int i = 0; i < n; i++) {
        char *path, data[64];
        FILE *f;
        size_t got = 0;
        if (names[i]->d_name[0] != '.') {
            if (asprintf(&path, "%s/%s", dir, names[i]->d_name) < 0)
                abort();
            if ((f = fopen(path, "r"))) {
                got = fread(data, 1, sizeof(data) - 1, f);
                fclose(f);
            }
            free(path);
            data[got] = '\0';
            for (size_t k = 0; k < got; k++)
                data[k] = data[k] == '\n' ? ' ' : data[k];
            rdd_buf_add(b, b->len ? " | " : "", b->len ? 3 : 0);
            rdd_buf_add(b, names[i]->d_name, strlen(names[i]->d_name));
            rdd_buf_add(b, got ? ": " : " (empty)", got ? 2 : 8);
            rdd_buf_add(b, data, got && data[got - 1] == ' ' ? got - 1 : got);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

/* saveAsTextFile into a fresh directory, then again: Spark refuses. */
static void save_rows(struct demo_run *d, struct rdd *nums)
{
    struct rdd_buf b = { 0 };
    char *priv, *dir = NULL;
    int slot;

    /* a fresh name in a directory only we may enter: saveAsTextFile must
     * create it, and nobody can put anything there first */
    if (!(priv = priv_dir(SIZE_MAX, 0, &slot)) ||
        asprintf(&dir, "%s/nums", priv) < 0) {
        row(d, "nums.saveAsTextFile(dir)", "rdd_save_as_text_file(nums, dir)",
            strerror(errno));
        priv_dir_remove(priv, slot);
        return;
    }
    if (rdd_save_as_text_file(nums, dir) == 0)
        describe_dir(dir, &b);
    else
        rdd_buf_add(&b, d->sc->error, strlen(d->sc->error));
    /* b.s: NULL on an MPI rank other than 0 (rank 0 wrote the files) */
    row(d, "nums.saveAsTextFile(dir)", "rdd_save_as_text_file(nums, dir)",
        b.s ? b.s : "");
    rdd_buf_free(&b);
    row(d, "nums.saveAsTextFile(dir)  # again",
        "rdd_save_as_text_file(nums, dir)",
        rdd_save_as_text_file(nums, dir) < 0 ? d->sc->error : "(saved?!)");
    free(dir);
    priv_dir_remove(priv, slot);
}

/* --lose: the same reduceByKey with one map output dropped mid-job; x
 * gets what was lost, the tasks re-run and the result (in *b). */
static void lose_demo(struct report *r, const struct run_params *p,
                      const struct rdd_opts *o, struct rdd_lesson *x,
                      struct rdd_buf *b)
{
    struct rdd_context *sc = rdd_context_new(p->threads);
    struct rdd *sums;
    struct rdd_result res = { 0 };

    sc->default_parallelism = o->partitions;
    sc->lose_partition = o->lose;
    sums = rdd_reduce_by_key(make_pets(sc, o->partitions), rdd_add, NULL, 0);
    if (rdd_collect(sums, &res) == 0)
        rdd_repr_list(b, res.v, res.n);
    rdd_report_tasks(r, sc, "recovery", "pets.reduceByKey(add).collect() "
                     "again, losing a partition mid-job", 64);
    x->is_lose_run = true;
    x->lose = o->lose;
    x->lost = sc->lost_what ? strdup(sc->lost_what) : NULL;
    x->recomputed = rdd_trace_totals(sc).tasks_recomputed;
    x->result_after_loss = b->s;
    x->is_same_after_loss = b->s && x->reduce_text &&
                            !strcmp(b->s, x->reduce_text);
    rdd_result_free(&res);
    rdd_context_free(sc);
}

/* The rules (lib/lesson/rdd): every sentence from this run's counts. */
static void notices(struct report *r, const struct run_params *p,
                    const struct demo_run *d, const struct rdd_opts *o,
                    const long calls_at[3])
{
    struct rdd_lesson x = { .calls_after_map = calls_at[0],
                            .calls_after_collect = calls_at[1],
                            .calls_after_filter = calls_at[2],
                            .partitions = o->partitions,
                            .reduce_text = d->lecture_reduce };
    struct rdd_buf b = { 0 };
    struct notices ns;

    if (o->lose >= 0)
        lose_demo(r, p, o, &x, &b);
    notices_init(&ns);
    rdd_lesson_notices(&x, &ns);
    report_conditions(r, NULL, NULL);   /* counts, not timings */
    report_notices(r, &ns);
    free((char *)x.lost);
    rdd_buf_free(&b);
}

static const struct cli_opt rdd_opts_table[] = {
    { "partitions", 'p', CLI_INT, "N", "partitions of each RDD (PySpark's "
      "local[N] default)", 1, 64, NULL,
      offsetof(struct rdd_opts, partitions) },
    { "lose", 0, CLI_INT, "P", "then lose partition P's shuffle output "
      "mid-job and watch it be recomputed (-1: none)", -1, 63, NULL,
      offsetof(struct rdd_opts, lose) },
    { "explain", 0, CLI_FLAG, NULL, "print a lineage and every stage", 0, 0,
      NULL, offsetof(struct rdd_opts, is_explain) },
    { 0 },
};

static const struct cli_spec rdd_spec = {
    .common = CLI_THREADS | CLI_FORMAT | CLI_QUIET | CLI_QUICK,
    .opts = rdd_opts_table,
    .examples = "pardemo rdd\npardemo rdd --explain\npardemo rdd -p 3\n"
                "pardemo rdd --lose 1",
};

static int rdd_main(int argc, char **argv)
{
    struct run_params p;
    struct rdd_opts o = { 2, -1, false };
    struct demo_run d = { 0 };
    struct rdd *nums, *sums;
    struct report *r;
    long calls = 0, calls_at[3] = { 0 };
    int rc;

    cli_defaults(&p, "rdd");
    if ((rc = cli_parse(&demo_rdd, argc, argv, &p, &o)) >= 0)
        return rc;
    cleanup_init();
    d.sc = rdd_context_new(p.threads);
    d.sc->default_parallelism = o.partitions;
    r = report_begin(&p, "RDDs: the lecture's examples on the mini-RDD engine",
                     "Transformations build lineage lazily; actions run it "
                     "as stages of tasks, one task per partition.");
    report_param(r, "partitions", "%d", o.partitions);
    report_param(r, "threads", "%d", p.threads);
    if (p.format != FMT_TEXT) {
        d.t = report_table(r, "examples", "Each example, run now");
        table_col(d.t, "pyspark", "PySpark", U_TEXT);
        table_col(d.t, "c", "C (lib/rdd)", U_TEXT);
        table_col(d.t, "result", "result, as PySpark prints it", U_TEXT);
    }
    nums = basics(&d, o.partitions, &calls, calls_at);
    sums = key_value(&d, make_pets(d.sc, o.partitions));
    save_rows(&d, nums);
    if (d.t)
        table_end(d.t);
    else
        report_text(r, "Each example, run now: the PySpark line, what "
                    "PySpark prints, and the C call that did it.\n\n%s",
                    d.text.s);
    rdd_buf_free(&d.text);
    if (o.is_explain) {
        rdd_report_lineage(r, sums, "sums.toDebugString():");
        rdd_report_stages(r, d.sc, "stages", "Every job's stages");
    }
    for (int i = 0; i < 3; i++)     /* under mpirun: every rank's calls */
        calls_at[i] = (long)rdd_mpi_sum(d.sc, calls_at[i]);
    notices(r, &p, &d, &o, calls_at);
    report_end(r);
    free(d.lecture_reduce);
    rdd_context_free(d.sc);
    return 0;
}

const struct demo demo_rdd = {
    .name = "rdd",
    .summary = "the lecture's RDD examples: laziness, lineage, recovery",
    .main = rdd_main,
    .slide = "Apache Spark: RDDs",
    .spec = &rdd_spec,
};
