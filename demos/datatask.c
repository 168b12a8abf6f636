/* datatask.c - data vs task parallelism on the lecture's trade CSV.
 * Data (this file): one operation, sum Value by Country, on byte-range
 * chunks of the file, one table per thread, merged once. Task
 * (datatask_tasks.c): five different operations on the intact file at
 * once. Pipeline (datatask_pipeline.c): parse -> filter -> aggregate.
 * Look at which one scales with the data and which one is capped by its
 * slowest task or stage.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "csv.h"
#include "datatask.h"
#include "lesson/datatask.h"
#include "demos.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "tally.h"
#include "trade.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPLIT_BYTES (8u << 20)  /* a chunk per 8 MiB, like an input split */

enum mode { MODE_DATA, MODE_TASK, MODE_PIPELINE, MODE_ALL };

struct dt_opts {
    long long rows;
    int mode;
    bool is_skip_bad;
};

/* ---- reading rows (the scan itself is lib/data/trade_scan.c) -------- */

/* Sums Value by column key over the rows in [begin, end) of the input.
 * Stops at the first bad row unless is_skip_bad. */
void datatask_scan_range(const struct input *in, size_t begin, size_t end,
                         int key, bool is_skip_bad, struct trade_scan *s)
{
    struct csv_reader r;

    csv_init(&r, in->data, in->len, in->name);
    csv_range(&r, begin, end);
    trade_scan_rows(s, &r, key, is_skip_bad);
}

/* ---- the input ------------------------------------------------------ */

/* Checks the header row; sets in->body to where the rows start. */
static int check_header(struct input *in)
{
    static const char *const names[TRADE_FIELDS] = {
        "Direction", "Year", "Date", "Weekday", "Country", "Commodity",
        "Transport_Mode", "Measure", "Value", "Cumulative",
    };
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    int n, i;

    csv_init(&r, in->data, in->len, in->name);
    if ((n = csv_next(&r, f, TRADE_FIELDS)) == 0) {
        cli_error("datatask", "%s: empty file (expected the header %s)",
                  in->name, TRADE_HEADER);
        return -1;
    }
    for (i = 0; n == TRADE_FIELDS && i < n; i++)
        if (!csv_equals(&f[i], names[i]))
            break;
    if (n != TRADE_FIELDS || i < n) {
        cli_error("datatask", "%s", csv_fail(&r, "expected the header %s",
                                              TRADE_HEADER));
        return -1;
    }
    in->body = (size_t)(r.pos - in->data);
    return 0;
}

static void free_input(struct input *in);

static int load_input(const struct run_params *p, const struct dt_opts *o,
                      struct input *in)
{
    memset(in, 0, sizeof(*in));
    if (p->nargs > 0) {
        in->name = p->args[0];
        if (mapfile_open(in->name, &in->map) < 0) {
            cli_error("datatask", "cannot read %s: %s", in->name,
                      mapfile_strerror(errno));
            return 1;
        }
        in->data = in->map.data;
        in->len = in->map.len;
    } else {
        in->name = "(generated)";
        if (!(in->generated = trade_generate(o->rows, p->seed, &in->len))) {
            cli_error("datatask", "cannot generate %lld rows: %s", o->rows,
                      strerror(errno));
            return 1;
        }
        in->data = in->generated;
    }
    if (check_header(in) < 0) {
        free_input(in);
        return 1;
    }
    return 0;
}

static void free_input(struct input *in)
{
    if (in->generated)
        free(in->generated);
    else
        mapfile_close(&in->map);
}

/* The first `part` of the rows (cut at a line start): a smaller input
 * that shares the same bytes. */
static struct input prefix_of(const struct input *in, double part)
{
    struct input small = *in;
    size_t cut = in->body + (size_t)((double)(in->len - in->body) * part);

    small.len = csv_next_line(in->data, in->len, cut);
    return small;
}

/* ---- data parallelism ----------------------------------------------- */

struct data_run {
    int workers, chunks;
    double secs, merge_secs;
    double chunk_min_s, chunk_max_s, chunk_mean_s;
    double busy;                /* CPUs kept busy: CPU time / wall time */
};

static int chunks_for(const struct input *in, int workers)
{
    size_t bytes = in->len - in->body;
    size_t by_size = (bytes + SPLIT_BYTES - 1) / SPLIT_BYTES;

    /* the data size sets the chunk count; at least one per worker */
    return by_size > (size_t)workers ? (int)(by_size < 4096 ? by_size : 4096)
                                     : workers;
}

static void chunk_times(struct data_run *d, const double *secs, int n)
{
    d->chunk_min_s = d->chunk_max_s = n ? secs[0] : 0;
    d->chunk_mean_s = 0;
    for (int i = 0; i < n; i++) {
        d->chunk_min_s = fmin(d->chunk_min_s, secs[i]);
        d->chunk_max_s = fmax(d->chunk_max_s, secs[i]);
        d->chunk_mean_s += secs[i] / n;
    }
}

/* Each thread scans whole chunks into its own table (no locks, no shared
 * writes), then the tables are merged once, by one thread. */
static int scan_chunks(const struct input *in, const size_t *cuts,
                       struct data_run *d, bool is_skip_bad,
                       struct trade_scan *per, double *secs)
{
    #pragma omp parallel for num_threads(d->workers) schedule(dynamic, 1)
    for (int c = 0; c < d->chunks; c++) {
        double t0 = clk_now();
        datatask_scan_range(in, cuts[c], cuts[c + 1], TRADE_COUNTRY,
                            is_skip_bad,
                   &per[omp_get_thread_num()]);
        secs[c] = clk_now() - t0;
    }
    return 0;
}

/* Sums Value by Country with `workers` threads into *total (initialised
 * here; scan_free it). Returns 0, or -1 when out of memory. */
static int data_parallel(const struct input *in, int workers,
                         bool is_skip_bad, struct trade_scan *total,
                         struct data_run *d)
{
    int nc = chunks_for(in, workers), rc = 0;
    size_t *cuts = calloc((size_t)nc + 1, sizeof(*cuts));
    double *secs = calloc((size_t)nc, sizeof(*secs)), t0;
    struct trade_scan *per = calloc((size_t)workers, sizeof(*per));

    *d = (struct data_run){ .workers = workers, .chunks = nc };
    rc = trade_scan_init(total);
    for (int w = 0; per && w < workers; w++)
        rc |= trade_scan_init(&per[w]);
    if (!cuts || !secs || !per || rc) {
        rc = -1;
        goto out;
    }
    t0 = clk_now();
    /* each cut moves on to a line start: no row is split between two
     * workers (lib/data/csv.c, as Hadoop's and Spark's input splits) */
    csv_split(in->data, in->len, in->body, nc, cuts);
    scan_chunks(in, cuts, d, is_skip_bad, per, secs);
    double t1 = clk_now();
    for (int w = 0; w < workers; w++)
        rc |= trade_scan_merge(total, &per[w]);
    d->merge_secs = clk_now() - t1;
    d->secs = clk_now() - t0;
    chunk_times(d, secs, nc);
out:
    for (int w = 0; per && w < workers; w++)
        tally_free(&per[w].tab);
    free(per);
    free(secs);
    free(cuts);
    return rc;
}

/* The same aggregation with no OpenMP at all: the reference. */
static int data_serial(const struct input *in, bool is_skip_bad,
                       struct trade_scan *total, struct data_run *d)
{
    double t0 = clk_now();

    *d = (struct data_run){ .workers = 1, .chunks = 1 };
    if (trade_scan_init(total) < 0)
        return -1;
    datatask_scan_range(in, in->body, in->len, TRADE_COUNTRY, is_skip_bad,
                        total);
    d->secs = clk_now() - t0;
    d->chunk_min_s = d->chunk_max_s = d->chunk_mean_s = d->secs;
    return 0;
}

/* A row of the data table: one worker count, timed reps times. */
struct data_point {
    struct data_run run;        /* the median run's details */
    struct stats st;
    uint64_t checksum;
};

/* Was the scan clean? If not, says why on stderr (exit status 1). */
int datatask_scan_ok(const struct trade_scan *s, bool is_skip_bad)
{
    if (s->bad && (!is_skip_bad || s->is_broken)) {
        cli_error("datatask", "%s", s->bad_msg);
        return 0;
    }
    return 1;
}

/* One run: workers == 0 is the serial reference. */
static int data_once(const struct input *in, int workers, bool is_skip_bad,
                     struct trade_scan *total, struct data_run *d)
{
    int rc = workers ? data_parallel(in, workers, is_skip_bad, total, d)
                     : data_serial(in, is_skip_bad, total, d);

    if (rc == 0 && !datatask_scan_ok(total, is_skip_bad))
        rc = 1;
    return rc;
}

/* A timed sample: the mean of `inner` runs, so that a run of a few
 * microseconds is not lost in the clock's and the scheduler's noise. */
static int data_sample(const struct input *in, int workers, int inner,
                       bool is_skip_bad, struct data_run *d, uint64_t *sum,
                       struct trade_scan *keep)
{
    struct data_run one = { 0 };
    struct trade_scan total;
    double secs = 0, cpu0 = cond_cpu_seconds();
    int rc = 0;

    for (int k = 0; k < inner && rc == 0; k++) {
        rc = data_once(in, workers, is_skip_bad, &total, &one);
        secs += one.secs;
        *sum = tally_checksum(&total.tab);
        if (rc || k < inner - 1 || !keep)
            tally_free(&total.tab);
        else
            *keep = total;
    }
    *d = one;
    d->secs = secs / inner;
    d->busy = secs > 0 ? (cond_cpu_seconds() - cpu0) / secs : 0;
    return rc;
}

/* A warm-up run, then reps samples. *keep (if not NULL) gets the last
 * run's totals. Returns 0, 1 (bad data: reported), or -1 (no memory). */
static int time_data(const struct input *in, int workers, int reps,
                     bool is_skip_bad, struct data_point *pt,
                     struct trade_scan *keep)
{
    double secs[1001];
    struct data_run runs[1001];
    int inner = 1, rc;

    for (int i = 0; i <= reps; i++) {
        rc = data_sample(in, workers, inner, is_skip_bad, &runs[i],
                         &pt->checksum, i == reps ? keep : NULL);
        if (rc)
            return rc;
        secs[i] = runs[i].secs;
        if (i == 0 && secs[0] < 2e-3)   /* aim at 2 ms per sample */
            inner = secs[0] > 2e-6 ? (int)(2e-3 / secs[0]) : 1000;
    }
    pt->st = stats_of(secs + 1, (size_t)reps);  /* secs[0]: warm-up */
    pt->run = runs[1];
    for (int i = 1; i <= reps; i++)
        if (runs[i].secs == pt->st.median)
            pt->run = runs[i];
    return 0;
}

/* Exact in CSV and JSON: a double holds integers up to 2^53 exactly,
 * beyond that the digits go as text. */
static void table_int64(struct table *tb, int64_t v)
{
    char buf[24];

    if (v > -(1LL << 53) && v < (1LL << 53)) {
        table_num(tb, (double)v);
        return;
    }
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    table_str(tb, buf);
}

static void totals_table(struct report *r, const struct tally *t,
                         const char *caption)
{
    struct table *tb = report_table(r, "totals", caption);
    struct tally_entry **v = tally_sorted(t);
    char name[256];

    table_col(tb, "country", "Country", U_TEXT);
    table_col(tb, "rows", "rows", U_INT);
    table_col(tb, "dollars", "Value $", U_INT);
    table_col(tb, "tonnes", "Value Tonnes", U_INT);
    for (size_t i = 0; v && i < t->used; i++) {
        struct csv_field f = { v[i]->key, v[i]->len, v[i]->has_escapes };
        csv_copy(&f, name, sizeof(name));
        table_str(tb, name);
        table_num(tb, (double)v[i]->rows);
        table_int64(tb, v[i]->sum[0]);
        table_int64(tb, v[i]->sum[1]);
    }
    free(v);
    table_end(tb);
}

/* The worker counts to try: 1..t, or powers of two and t when t > 4. */
static int worker_counts(int t, int *w)
{
    int n = 0;

    for (int k = 1; k <= t; k = t <= 4 ? k + 1 : 2 * k)
        w[n++] = k;
    if (w[n - 1] != t)
        w[n++] = t;
    return n;
}

/* base / t, or NaN ("-" in the text) when either time is not above 0:
 * never a "0.00x". */
static double speedup_of(double base, double t)
{
    return base > 0 && t > 0 ? base / t : NAN;
}

static void data_row(struct table *tb, const char *label,
                     const struct data_point *pt, const struct data_point *ref,
                     size_t bytes)
{
    table_str(tb, label);
    table_num(tb, pt->run.chunks);
    table_num(tb, pt->st.min);
    table_num(tb, pt->st.median);
    table_num(tb, pt->st.max);
    table_num(tb, pt->st.median > 0 ? bytes / pt->st.median : NAN);
    table_num(tb, speedup_of(ref->st.median, pt->st.median));
    table_num(tb, pt->run.chunk_mean_s > 0 ?
              pt->run.chunk_max_s / pt->run.chunk_mean_s : 1);
    table_num(tb, pt->run.merge_secs);
    table_str(tb, pt->checksum == ref->checksum ? "yes" : "NO");
}

static struct table *data_table(struct report *r)
{
    struct table *tb = report_table(r, "data", "Data parallelism: sum of "
                                    "Value by Country over chunks of rows");

    table_col(tb, "run", "run", U_TEXT);
    table_col(tb, "chunks", "chunks", U_INT);
    table_col(tb, "min_seconds", "min", U_MS);
    table_col(tb, "median_seconds", "median", U_MS);
    table_col(tb, "max_seconds", "max", U_MS);
    table_col(tb, "bytes_per_second", "speed", U_MBPS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    table_col(tb, "chunk_spread", "slowest chunk/mean", U_NUM);
    table_col(tb, "merge_seconds", "merge", U_US);
    table_col(tb, "same_as_serial", "same", U_TEXT);
    return tb;
}

/* ---- measuring the data part ---------------------------------------- */

#define MAX_POINTS 16
#define N_SCALE 4

struct data_summary {
    size_t bytes;
    struct data_point ref, pt[MAX_POINTS];
    int npoints, workers[MAX_POINTS];
    struct trade_scan totals;                 /* from the most workers */
    struct input scale_in[N_SCALE];     /* 1/1000, 1/100, 1/10, all */
    struct data_point scale_ser[N_SCALE], scale_par[N_SCALE];
    long long scale_rows[N_SCALE];
};

static int measure_scaling(const struct run_params *p, bool is_skip_bad,
                           const struct input *in, struct data_summary *ds)
{
    static const double part[N_SCALE] = { 1e-3, 1e-2, 1e-1, 1 };
    struct trade_scan kept;
    int rc;

    for (int i = 0; i < N_SCALE - 1; i++) {
        ds->scale_in[i] = prefix_of(in, part[i]);
        if ((rc = time_data(&ds->scale_in[i], 0, p->reps, is_skip_bad,
                            &ds->scale_ser[i], NULL)) ||
            (rc = time_data(&ds->scale_in[i], p->threads, p->reps,
                            is_skip_bad, &ds->scale_par[i], &kept)))
            return rc;
        ds->scale_rows[i] = kept.rows;
        tally_free(&kept.tab);
    }
    ds->scale_in[N_SCALE - 1] = *in;
    ds->scale_ser[N_SCALE - 1] = ds->ref;
    ds->scale_par[N_SCALE - 1] = ds->pt[ds->npoints - 1];
    ds->scale_rows[N_SCALE - 1] = ds->totals.rows;
    return 0;
}

/* Serial, then every worker count, then the rows sweep. Returns 0, 1
 * (bad data, reported) or -1 (out of memory). */
static int measure_data(const struct input *in, const struct run_params *p,
                        bool is_skip_bad, struct data_summary *ds)
{
    int rc;

    memset(ds, 0, sizeof(*ds));
    ds->bytes = in->len - in->body;
    if ((rc = time_data(in, 0, p->reps, is_skip_bad, &ds->ref, NULL)))
        return rc;
    ds->npoints = worker_counts(p->threads, ds->workers);
    for (int i = 0; i < ds->npoints; i++) {
        bool is_last = i == ds->npoints - 1;
        if ((rc = time_data(in, ds->workers[i], p->reps, is_skip_bad,
                            &ds->pt[i], is_last ? &ds->totals : NULL)))
            return rc;
    }
    rc = measure_scaling(p, is_skip_bad, in, ds);
    if (rc)
        tally_free(&ds->totals.tab);
    return rc;
}

/* ---- printing ---------------------------------------------------------- */

static void scaling_table(struct report *r, const struct data_summary *ds,
                          int workers)
{
    struct table *tb = report_table(r, "scaling", "Data parallelism grows "
                                    "with the data");
    char head[48];

    snprintf(head, sizeof(head), "%d workers", workers);
    table_col(tb, "rows", "rows", U_INT);
    table_col(tb, "bytes", "size", U_MIB);
    table_col(tb, "serial_seconds", "serial", U_MS);
    table_col(tb, "parallel_seconds", head, U_MS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    for (int i = 0; i < N_SCALE; i++) {
        table_num(tb, (double)ds->scale_rows[i]);
        table_num(tb, (double)(ds->scale_in[i].len - ds->scale_in[i].body));
        table_num(tb, ds->scale_ser[i].st.median);
        table_num(tb, ds->scale_par[i].st.median);
        table_num(tb, speedup_of(ds->scale_ser[i].st.median,
                                 ds->scale_par[i].st.median));
    }
    table_end(tb);
}

static void print_data(struct report *r, const struct data_summary *ds,
                       const struct run_params *p)
{
    struct table *tb = data_table(r);
    char label[32];

    data_row(tb, "serial", &ds->ref, &ds->ref, ds->bytes);
    for (int i = 0; i < ds->npoints; i++) {
        snprintf(label, sizeof(label), "%d worker%s", ds->workers[i],
                 ds->workers[i] == 1 ? "" : "s");
        data_row(tb, label, &ds->pt[i], &ds->ref, ds->bytes);
    }
    table_end(tb);
    totals_table(r, &ds->totals.tab, "The result: Value by Country "
                 "(whole numbers, no rounding)");
    scaling_table(r, ds, p->threads);
}

/* The lecture's table, then what this run measured for each row: every
 * figure quoted is one of the tables above (the scaling table's rows for
 * "workers follow data size"). */
static void comparison_table(struct report *r, const struct data_summary *ds,
                             const struct task_summary *ts)
{
    static const char *const lecture[4][3] = {
        { "source is partitioned", "source is intact", "the source" },
        { "same operation on subsets", "different operations",
          "operations" },
        { "workers follow data size", "workers set by developer",
          "speedup" },
        { "tasks are similar", "tasks can differ a lot", "similar?" },
    };
    struct table *tb = report_table(r, "comparison", "Data vs task "
                                    "parallelism (the lecture's table)");
    const struct data_point *last = &ds->pt[ds->npoints - 1];
    double slowest, total, lo = 1e300;
    char m[4][2][80];

    datatask_task_bound(ts, &slowest, &total);
    for (int k = 0; k < DATATASK_N_TASKS; k++)
        lo = fmin(lo, ts->alone[k].secs);
    snprintf(m[0][0], 80, "%d chunks of %.3g MB", last->run.chunks,
             ds->bytes / 1e6 / last->run.chunks);
    snprintf(m[0][1], 80, "%d tasks on all %.3g MB", DATATASK_N_TASKS,
             ds->bytes / 1e6);
    snprintf(m[1][0], 80, "1 op on each of %d chunks", last->run.chunks);
    snprintf(m[1][1], 80, "%d different ops", DATATASK_N_TASKS);
    snprintf(m[2][0], 80, "%.3gx on %lld rows, %.3gx on %lld",
             speedup_of(ds->scale_ser[0].st.median,
                        ds->scale_par[0].st.median), ds->scale_rows[0],
             speedup_of(ds->scale_ser[N_SCALE - 1].st.median,
                        ds->scale_par[N_SCALE - 1].st.median),
             ds->scale_rows[N_SCALE - 1]);
    snprintf(m[2][1], 80, "at most %.3gx (%d+ workers)", total / slowest,
             DATATASK_N_TASKS);
    snprintf(m[3][0], 80, "slowest chunk %.3g times mean",
             last->run.chunk_mean_s > 0 ? last->run.chunk_max_s /
             last->run.chunk_mean_s : 1);
    snprintf(m[3][1], 80, "tasks %.3g-%.3g ms", lo * 1e3, slowest * 1e3);
    table_col(tb, "data", "data parallelism", U_TEXT);
    table_col(tb, "task", "task parallelism", U_TEXT);
    for (int i = 0; i < 4; i++) {
        table_str(tb, lecture[i][0]);
        table_str(tb, lecture[i][1]);
    }
    table_end(tb);
    tb = report_table(r, "comparison_measured", "Measured here");
    table_col(tb, "row", "", U_TEXT);
    table_col(tb, "data", "data parallelism", U_TEXT);
    table_col(tb, "task", "task parallelism", U_TEXT);
    for (int i = 0; i < 4; i++) {
        table_str(tb, lecture[i][2]);
        table_str(tb, m[i][0]);
        table_str(tb, m[i][1]);
    }
    table_end(tb);
}

/* ---- the topic ------------------------------------------------------- */

static const struct cli_opt dt_cli_opts[] = {
    { "rows", 0, CLI_SIZE, "N", "the same as -n", 0, TRADE_MAX_ROWS, NULL,
      offsetof(struct dt_opts, rows) },
    { "mode", 0, CLI_CHOICE, "M", "what to run", 0, 0,
      "data|task|pipeline|all", offsetof(struct dt_opts, mode) },
    { "skip-bad", 0, CLI_FLAG, NULL, "count and skip malformed rows "
      "instead of stopping at the first", 0, 0, NULL,
      offsetof(struct dt_opts, is_skip_bad) },
    { 0 },
};

static const struct cli_spec dt_spec = {
    .args = "[FILE]", .min_args = 0, .max_args = 1,
    .common = CLI_COMMON,
    .size_help = "rows to generate when no FILE is given",
    .size_min = 0, .size_max = TRADE_MAX_ROWS,
    .opts = dt_cli_opts,
    .examples = "pardemo datatask --quick\n"
                "pardemo datatask --mode data -t 2 --rows 2M\n"
                "pardemo gen trade --rows 1M -o t.csv && "
                "pardemo datatask t.csv --mode task",
};

struct results {
    struct data_summary data;
    struct task_summary task;
    struct pipe_summary pipe;
};

/* Runs the chosen modes before anything is printed, so bad data stops
 * the topic with one error line and an empty stdout. */
static int measure_all(const struct input *in, const struct run_params *p,
                       const struct dt_opts *o, struct report *r,
                       struct results *res)
{
    int rc = 0;
    bool all = o->mode == MODE_ALL;

    if (all || o->mode == MODE_DATA) {
        report_progress(r, "data parallelism...");
        rc = measure_data(in, p, o->is_skip_bad, &res->data);
    }
    if (rc == 0 && (all || o->mode == MODE_TASK)) {
        report_progress(r, "task parallelism...");
        rc = datatask_measure_tasks(in, p, o->is_skip_bad, &res->task);
    }
    if (rc == 0 && (all || o->mode == MODE_PIPELINE)) {
        report_progress(r, "pipeline...");
        rc = datatask_measure_pipeline(in, p, o->is_skip_bad, &res->pipe);
    }
    if (rc < 0)
        cli_error("datatask", "out of memory (or no thread could start)");
    if (rc && (all || o->mode == MODE_DATA))
        tally_free(&res->data.totals.tab);
    return rc ? 1 : 0;
}

static void lesson_data(const struct data_summary *ds, struct dt_data *d)
{
    d->is_run = true;
    d->bytes = (double)ds->bytes;
    d->ref_secs = est_of(&ds->ref.st);
    d->ref_checksum = ds->ref.checksum;
    d->npoints = ds->npoints < DT_MAX_POINTS ? ds->npoints : DT_MAX_POINTS;
    for (int i = 0; i < d->npoints; i++)
        d->pt[i] = (struct dt_point){ ds->workers[i], est_of(&ds->pt[i].st),
                                      ds->pt[i].checksum,
                                      ds->pt[i].run.busy };
    d->scale_workers = ds->workers[ds->npoints - 1];
    for (int i = 0; i < N_SCALE && i < DT_N_SCALE; i++) {
        d->scale_rows[i] = ds->scale_rows[i];
        d->scale_ser[i] = est_of(&ds->scale_ser[i].st);
        d->scale_par[i] = est_of(&ds->scale_par[i].st);
    }
    d->merge_s = ds->pt[ds->npoints - 1].run.merge_secs;
    d->skipped = ds->totals.bad;
    d->skip_msg = ds->totals.bad_msg;
}

static void lesson_task(const struct task_summary *ts, struct dt_task *t)
{
    t->is_run = true;
    t->workers = ts->workers;
    t->ntasks = DATATASK_N_TASKS;
    t->serial = est_of(&ts->serial);
    t->parallel = est_of(&ts->parallel);
    t->speedup = ts->speedup;
    t->bound = ts->bound;
    datatask_task_bound(ts, &t->slowest_s, &t->total_s);
    datatask_thread_busy(ts, &t->most_s, &t->least_s, &t->idle_thread);
    t->busy = ts->busy;
    t->is_same = ts->is_same;
}

static void lesson_pipe(const struct pipe_summary *ps, struct dt_pipe *q)
{
    q->is_run = true;
    q->fused = est_of(&ps->fused);
    q->piped = est_of(&ps->piped);
    q->speedup = ps->speedup;
    q->ceiling = ps->ceiling;
    q->faster_runs = ps->faster_runs;
    q->runs = ps->runs;
    q->slow_stage = datatask_stage_name(datatask_slowest_stage(ps));
    for (int s = 0; s < DATATASK_N_STAGES; s++) {
        q->stage_busy_s += ps->st[s].busy_s;
        q->stage_cpu_s += ps->st[s].cpu_s;
    }
    q->is_same = ps->is_same;
}

/* The rules read what was measured (lib/lesson/datatask); the
 * Conditions line says how many runs each figure has, and how wide. */
static void print_notices(struct report *r, const struct run_params *p,
                          const struct dt_opts *o, const struct results *res)
{
    bool all = o->mode == MODE_ALL;
    struct dt_results x = { .cpus = sys_allowed_cpus(),
                            .cond = cond_stop(&p->probe) };
    struct notices ns;

    if (all || o->mode == MODE_DATA)
        lesson_data(&res->data, &x.data);
    if (all || o->mode == MODE_TASK)
        lesson_task(&res->task, &x.task);
    if (all || o->mode == MODE_PIPELINE)
        lesson_pipe(&res->pipe, &x.pipe);
    x.cond.reps = p->reps;
    for (int i = 0; i < x.data.npoints; i++)
        x.cond.spread = fmax(x.cond.spread, est_spread(x.data.pt[i].secs));
    if (x.task.is_run)
        x.cond.spread = fmax(x.cond.spread, est_spread(x.task.speedup));
    if (x.pipe.is_run)
        x.cond.spread = fmax(x.cond.spread, est_spread(x.pipe.speedup));
    notices_init(&ns);
    datatask_notices(&x, &ns);
    report_conditions(r, NULL, &x.cond);
    report_notices(r, &ns);
}

static void print_all(struct report *r, const struct run_params *p,
                      const struct dt_opts *o, struct results *res)
{
    bool all = o->mode == MODE_ALL;

    if (all || o->mode == MODE_DATA)
        print_data(r, &res->data, p);
    if (all || o->mode == MODE_TASK)
        datatask_print_tasks(r, &res->task);
    if (all || o->mode == MODE_PIPELINE)
        datatask_print_pipeline(r, &res->pipe);
    if (all)
        comparison_table(r, &res->data, &res->task);
    print_notices(r, p, o, res);
    if (all || o->mode == MODE_DATA)
        tally_free(&res->data.totals.tab);
}

static void describe(struct report *r, const struct run_params *p,
                     const struct dt_opts *o, const struct input *in)
{
    static const char *const modes[] = { "data", "task", "pipeline", "all" };

    report_param(r, "input", "%s", in->name);
    if (!p->nargs)
        report_param(r, "rows", "%lld", o->rows);
    report_param(r, "bytes", "%zu", in->len);
    report_param(r, "workers", "%d", p->threads);
    report_param(r, "reps", "%d", p->reps);
    report_param(r, "mode", "%s", modes[o->mode]);
}

static int datatask_main(int argc, char **argv)
{
    struct run_params p;
    struct dt_opts o = { 0, MODE_ALL, false };
    struct results *res;
    struct input in;
    struct report *r;
    int rc;

    cli_defaults(&p, "datatask");
    p.size = o.rows = demo_size(&demo_datatask, p.is_quick);  /* --help */
    if ((rc = cli_parse(&demo_datatask, argc, argv, &p, &o)) >= 0)
        return rc;
    if (p.size_given)
        o.rows = p.size;
    else if (p.is_quick && o.rows == demo_size(&demo_datatask, false))
        o.rows = demo_size(&demo_datatask, true);  /* --quick later */
    if (p.is_quick && !p.reps_given)
        p.reps = 3;
    if ((rc = load_input(&p, &o, &in)))
        return rc;
    if (!(res = calloc(1, sizeof(*res)))) {
        free_input(&in);
        cli_error("datatask", "out of memory");
        return 1;
    }
    r = report_begin(&p, "Data parallelism vs task parallelism",
                     "The same operation on parts of the data, or different "
                     "operations on all of it: which one scales?");
    describe(r, &p, &o, &in);
    if ((rc = measure_all(&in, &p, &o, r, res)) == 0) {
        print_all(r, &p, &o, res);
        report_end(r);
    } else {
        report_discard(r);
    }
    free(res);
    free_input(&in);
    return rc;
}

/* ---- kernels for `pardemo bench` (size = rows) ----------------------- */

enum { K_SERIAL, K_DATA, K_TASK, K_PIPELINE };

static int timed_kernel(const struct input *in, int kind, int workers,
                        struct run_result *out)
{
    struct task_out tasks[DATATASK_N_TASKS];
    struct data_run d;
    struct trade_scan s;
    int rc = 0;

    out->checksum = 0;
    if (kind == K_TASK) {
        out->seconds = datatask_run_tasks(in, workers, tasks);
        for (int k = 0; k < DATATASK_N_TASKS; k++)
            out->checksum += tasks[k].check;
        return 0;
    }
    if (kind == K_PIPELINE)
        return (out->seconds = datatask_pipeline_once(in, &out->checksum)) <
               0 ? -1 : 0;
    rc = kind == K_DATA ? data_parallel(in, workers, true, &s, &d)
                        : data_serial(in, true, &s, &d);
    out->seconds = d.secs;
    out->checksum = rc ? 0 : tally_checksum(&s.tab);
    tally_free(&s.tab);
    return rc;
}

static int run_kernel(const struct run_params *p, struct run_result *out,
                      int kind)
{
    struct dt_opts o = { p->size > 0 ? p->size : 200000, MODE_DATA, true };
    struct run_params quiet = *p;
    struct input in;
    int rc;

    quiet.nargs = 0;
    if (o.rows > TRADE_MAX_ROWS)        /* all the rows there are: say so */
        o.rows = out->size = TRADE_MAX_ROWS;
    if (load_input(&quiet, &o, &in))
        return -1;
    rc = timed_kernel(&in, kind, p->threads > 0 ? p->threads : 1, out);
    free_input(&in);
    return rc;
}

static int k_serial(const struct run_params *p, struct run_result *out)
{
    return run_kernel(p, out, K_SERIAL);
}

static int k_data(const struct run_params *p, struct run_result *out)
{
    return run_kernel(p, out, K_DATA);
}

static int k_task(const struct run_params *p, struct run_result *out)
{
    return run_kernel(p, out, K_TASK);
}

static int k_pipeline(const struct run_params *p, struct run_result *out)
{
    return run_kernel(p, out, K_PIPELINE);
}

static const struct kernel datatask_kernels[] = {
    { "serial", "sum Value by Country, one thread, no OpenMP", k_serial },
    { "data", "the same over line-aligned chunks, OpenMP parallel for",
      k_data },
    { "task", "five different operations at once, OpenMP tasks", k_task },
    { "pipeline", "parse -> filter -> aggregate threads, bounded queues",
      k_pipeline },
    { NULL, NULL, NULL },
};

const struct demo demo_datatask = {
    .name = "datatask",
    .summary = "data vs task parallelism (and a pipeline) on trade data",
    .main = datatask_main,
    .kernels = datatask_kernels,
    .slide = "Task parallelism vs data parallelism",
    .spec = &dt_spec,
    .sizes = { 500000 },
    .quick_sizes = { 100000 },
    .serial_kernels = "serial",
};
