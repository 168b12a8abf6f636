/* test_bench.c - the bench harness (bench/sweep), its CSV reader
 * (bench/benchcsv), the metrics (bench/metrics) and `pardemo bench|plot`.
 * The kernels here are small and real (a threaded array sum, a memcpy),
 * plus two that misbehave on purpose: one answers wrong at 2 workers,
 * one fails at 2 workers.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sweep.h"
#include "benchcsv.h"
#include "metrics.h"
#include "stats.h"
#include "harness.h"
#include "check.h"

/* ---- test kernels ---------------------------------------------------- */

struct sum_job {
    const uint64_t *x;
    size_t lo, hi;
    uint64_t sum;
};

static void *sum_part(void *arg)
{
    struct sum_job *j = arg;

    for (size_t i = j->lo; i < j->hi; i++)
        j->sum += j->x[i];
    return NULL;
}

/* Sums size numbers with `threads` pthreads, each its own slice. */
static int sum_run(const struct run_params *in, struct run_result *out)
{
    size_t n = (size_t)in->size, w = (size_t)in->threads;
    uint64_t *x = malloc(n * sizeof(*x)), total = 0;
    pthread_t th[64];
    struct sum_job job[64];

    if (!x || w > 64) {
        free(x);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = (i * 2654435761u + in->seed) % 1000;
    double t0 = clk_now();
    for (size_t t = 0; t < w; t++) {
        job[t] = (struct sum_job){ x, n * t / w, n * (t + 1) / w, 0 };
        pthread_create(&th[t], NULL, sum_part, &job[t]);
    }
    for (size_t t = 0; t < w; t++) {
        pthread_join(th[t], NULL);
        total += job[t].sum;
    }
    out->seconds = clk_now() - t0;
    out->checksum = total;
    free(x);
    return 0;
}

static int wrong_at_2_run(const struct run_params *in, struct run_result *out)
{
    int rc = sum_run(in, out);

    if (in->threads == 2)
        out->checksum += 1;     /* the bug a checksum must catch */
    return rc;
}

static int fail_at_2_run(const struct run_params *in, struct run_result *out)
{
    return in->threads == 2 ? 7 : sum_run(in, out);
}

/* One "message" of size bytes copied 200 times; seconds per copy. */
static int copy_run(const struct run_params *in, struct run_result *out)
{
    size_t n = (size_t)in->size;
    unsigned char *a = malloc(n), *b = malloc(n);
    uint64_t sum = 0;

    if (!a || !b) {
        free(a);
        free(b);
        return 1;
    }
    memset(a, 7, n);
    double t0 = clk_now();
    for (int i = 0; i < 200; i++) {
        a[0] = (unsigned char)i;
        memcpy(b, a, n);
        sum += b[n - 1] + b[0];
    }
    out->seconds = (clk_now() - t0) / 200;
    out->checksum = sum;
    free(a);
    free(b);
    return 0;
}

static const struct kernel sum_kernels[] = {
    { "sum", "threaded array sum", sum_run },
    { "sum-too", "the same, as a second kernel", sum_run },
    { NULL, NULL, NULL },
};
static const struct kernel wrong_kernels[] = {
    { "wrong", "wrong answer at 2 workers", wrong_at_2_run },
    { NULL, NULL, NULL },
};
static const struct kernel fail_kernels[] = {
    { "fails", "fails at 2 workers", fail_at_2_run },
    { "sum", "threaded array sum", sum_run },
    { NULL, NULL, NULL },
};
static const struct kernel copy_kernels[] = {
    { "memcpy", "one copy of a message", copy_run },
    { NULL, NULL, NULL },
};

/* ---- helpers --------------------------------------------------------- */

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

static const int workers_123[] = { 1, 2, 3 };
static const long long sizes_2[] = { 1000, 5000 };

static struct bench_plan plan_of(const int *w, int nw, const long long *s,
                                 int ns, int reps)
{
    return (struct bench_plan){ w, nw, s, ns, reps, 42, true };
}

/* Sweeps ks into a fresh temp file (header included); returns the
 * sweep's status and leaves the file open, rewound. */
static int sweep_to(FILE **csv, const struct kernel *ks, const char *topic,
                    const struct bench_plan *plan, struct bench_tally *t,
                    struct bench_progress *pr)
{
    struct bench_progress none;

    *csv = tmpfile();
    cr_assert(*csv);
    cr_assert_eq(bench_write_header(*csv, "pardemo bench test", "gcc test",
                                    "-O2 -test"), 0);
    if (!pr) {
        bench_progress_init(&none, stderr, BENCH_PROGRESS_NONE,
                            bench_count_runs(ks, plan));
        pr = &none;
    }
    int rc = bench_sweep(ks, topic, plan, *csv, pr, t);
    rewind(*csv);
    return rc;
}

static void read_csv(FILE *f, struct bench_csv *c)
{
    char err[512];

    memset(c, 0, sizeof(*c));
    cr_assert_eq(benchcsv_parse(f, "sweep.csv", c, err, sizeof(err)), 0,
                 "%s", err);
}

static char *slurp(FILE *f)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;

    rewind(f);
    n = getdelim(&buf, &cap, '\0', f);
    if (n < 0) {
        free(buf);
        return strdup("");
    }
    return buf;
}

/* ---- bench/sweep: the sweep ------------------------------------------- */

Test(bench, one_row_per_kernel_workers_size_rep)
{
    struct bench_plan plan = plan_of(workers_123, 3, sizes_2, 2, 2);
    struct bench_tally t = { 0, 0, 0 };
    struct bench_csv c;
    FILE *csv;
    int seen[2][3][2][2] = { { { { 0 } } } };

    cr_assert_eq(sweep_to(&csv, sum_kernels, "demo", &plan, &t, NULL), 0);
    read_csv(csv, &c);
    cr_assert_eq(c.nrows, 2 * 3 * 2 * 2);
    cr_assert_eq(t.rows, 24);
    cr_assert_eq(t.wrong + t.failed, 0);
    for (size_t i = 0; i < c.nrows; i++) {
        const struct bench_row *r = &c.rows[i];
        int k = !strcmp(r->kernel, "sum-too");
        int s = r->size == 5000;
        cr_assert_str_eq(r->topic, "demo");
        cr_assert(r->workers >= 1 && r->workers <= 3);
        cr_assert(r->rep == 1 || r->rep == 2);
        cr_assert(r->is_ok);
        cr_assert(r->seconds >= 0);
        seen[k][r->workers - 1][s][r->rep - 1]++;
        /* the same numbers summed by any worker count */
        cr_assert_eq(r->checksum, c.rows[s ? 6 : 0].checksum);
    }
    for (int k = 0; k < 2; k++)
        for (int w = 0; w < 3; w++)
            for (int s = 0; s < 2; s++)
                for (int rep = 0; rep < 2; rep++)
                    cr_assert_eq(seen[k][w][s][rep], 1);
    benchcsv_free(&c);
    fclose(csv);
}

Test(bench, header_lines_name_the_machine_and_build)
{
    struct bench_plan plan = plan_of(workers_123, 1, sizes_2, 1, 1);
    struct bench_tally t = { 0, 0, 0 };
    static const char *const keys[] = { "pardemo", "date", "command",
        "cpu_model", "cpus_online", "cpus_allowed", "compiler", "flags" };
    struct bench_csv c;
    FILE *csv;

    sweep_to(&csv, sum_kernels, "demo", &plan, &t, NULL);
    char *text = slurp(csv);
    rewind(csv);
    read_csv(csv, &c);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        cr_assert(benchcsv_meta(&c, keys[i]), "no '# %s:' line", keys[i]);
    cr_assert_str_eq(benchcsv_meta(&c, "flags"), "-O2 -test");
    cr_assert_str_eq(benchcsv_meta(&c, "command"), "pardemo bench test");
    cr_assert(strstr(text, "\n" BENCHCSV_HEADER "\n"));
    cr_assert(benchcsv_cpus(&c) >= 1);
    free(text);
    benchcsv_free(&c);
    fclose(csv);
}

/* python3's csv module, not our reader, agrees on the shape. */
Test(bench, python_reads_the_csv)
{
    struct bench_plan plan = plan_of(workers_123, 3, sizes_2, 1, 2);
    struct bench_tally t = { 0, 0, 0 };
    char *dir = make_tmpdir(), path[256], line[1024];
    FILE *csv;

    sweep_to(&csv, sum_kernels, "demo", &plan, &t, NULL);
    char *text = slurp(csv);
    snprintf(path, sizeof(path), "%s/s.csv", dir);
    write_text_file(path, text);
    snprintf(line, sizeof(line), "python3 -c \"import csv,sys\n"
             "rows=[r for r in csv.reader(open('%s')) if r and "
             "not r[0].startswith('#')]\n"
             "assert rows[0]==['topic','kernel','workers','size','rep',"
             "'seconds','checksum','checksum_ok'], rows[0]\n"
             "assert all(len(r)==8 for r in rows)\n"
             "assert all(float(r[5])>=0 and r[7]=='1' for r in rows[1:])\n"
             "print(len(rows)-1)\"", path);
    struct cmd_out o = cmd_sh(line, 30);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert_str_eq(o.out, "12\n");
    cmd_free(&o);
    free(text);
    fclose(csv);
    rm_tree(dir);
    free(dir);
}

Test(bench, wrong_checksum_marks_rows_and_returns_1,
     .init = cr_redirect_stderr)
{
    struct bench_plan plan = plan_of(workers_123, 3, sizes_2, 2, 2);
    struct bench_tally t = { 0, 0, 0 };
    struct bench_csv c;
    FILE *csv;

    cr_assert_eq(sweep_to(&csv, wrong_kernels, "demo", &plan, &t, NULL), 1);
    read_csv(csv, &c);
    cr_assert_eq(c.nrows, 3 * 2 * 2);
    cr_assert_eq(t.wrong, 2 * 2);       /* 2 sizes x 2 reps at 2 workers */
    for (size_t i = 0; i < c.nrows; i++)
        cr_assert_eq(c.rows[i].is_ok, c.rows[i].workers != 2);
    fflush(stderr);
    char *err = slurp(cr_get_redirected_stderr());
    cr_assert_eq(count_lines(err), 2, "%s", err);      /* once per size */
    cr_assert(strstr(err, "pardemo: bench: demo/wrong at 2 workers"));
    cr_assert(strstr(err, "differs from the 1-worker"));
    free(err);
    benchcsv_free(&c);
    fclose(csv);
}

/* Without 1 in the list, a reference run at 1 worker still catches it. */
Test(bench, reference_run_when_1_is_not_swept, .init = cr_redirect_stderr)
{
    static const int w23[] = { 2, 3 };
    struct bench_plan plan = plan_of(w23, 2, sizes_2, 1, 1);
    struct bench_tally t = { 0, 0, 0 };
    struct bench_progress pr;
    struct bench_csv c;
    FILE *csv;

    bench_progress_init(&pr, stderr, BENCH_PROGRESS_NONE,
                        bench_count_runs(wrong_kernels, &plan));
    cr_assert_eq(pr.total, 1 + 2 * 2);
    cr_assert_eq(sweep_to(&csv, wrong_kernels, "demo", &plan, &t, &pr), 1);
    cr_assert_eq(pr.done, pr.total);
    read_csv(csv, &c);
    cr_assert_eq(c.nrows, 2);
    cr_assert(!c.rows[0].is_ok);        /* 2 workers: wrong */
    cr_assert(c.rows[1].is_ok);         /* 3 workers: right */
    benchcsv_free(&c);
    fclose(csv);
}

Test(bench, failing_kernel_is_reported_and_skipped,
     .init = cr_redirect_stderr)
{
    struct bench_plan plan = plan_of(workers_123, 3, sizes_2, 1, 2);
    struct bench_tally t = { 0, 0, 0 };
    struct bench_progress pr;
    struct bench_csv c;
    FILE *csv;

    bench_progress_init(&pr, stderr, BENCH_PROGRESS_NONE,
                        bench_count_runs(fail_kernels, &plan));
    cr_assert_eq(sweep_to(&csv, fail_kernels, "demo", &plan, &t, &pr), 1);
    cr_assert_eq(pr.done, pr.total);    /* skipped runs still count */
    cr_assert_eq(t.failed, 1);
    read_csv(csv, &c);
    /* "fails": 2 rows at 1 worker, then nothing; "sum": all 6 */
    cr_assert_eq(c.nrows, 2 + 6);
    cr_assert_str_eq(c.rows[2].kernel, "sum");
    fflush(stderr);
    char *err = slurp(cr_get_redirected_stderr());
    cr_assert_str_eq(err, "pardemo: bench: demo/fails failed at 2 workers, "
                     "size 1000 (status 7); skipping the rest of its runs "
                     "at this size\n");
    free(err);
    benchcsv_free(&c);
    fclose(csv);
}

Test(bench, progress_lines_bar_and_quiet)
{
    struct bench_plan plan = plan_of(workers_123, 3, sizes_2, 1, 3);
    struct bench_tally t = { 0, 0, 0 };
    struct bench_progress pr;
    FILE *csv, *log = tmpfile();
    char *text;

    bench_progress_init(&pr, log, BENCH_PROGRESS_LINES,
                        bench_count_runs(sum_kernels, &plan));
    sweep_to(&csv, sum_kernels, "demo", &plan, &t, &pr);
    bench_progress_end(&pr);
    fclose(csv);
    text = slurp(log);
    cr_assert(count_lines(text) >= 1 && count_lines(text) <= 10, "%s", text);
    cr_assert(strstr(text, "pardemo: bench: 100% (24 of 24 runs"), "%s",
              text);
    free(text);
    fclose(log);

    log = tmpfile();
    bench_progress_init(&pr, log, BENCH_PROGRESS_BAR, 24);
    sweep_to(&csv, sum_kernels, "demo", &plan, &t, &pr);
    bench_progress_end(&pr);
    fclose(csv);
    text = slurp(log);
    cr_assert(strstr(text, "\r\033[K[########################] 100% 24/24 "
                     "runs\n"), "%s", text);
    free(text);
    fclose(log);

    log = tmpfile();
    bench_progress_init(&pr, log, BENCH_PROGRESS_NONE, 24);
    sweep_to(&csv, sum_kernels, "demo", &plan, &t, &pr);
    bench_progress_end(&pr);
    fclose(csv);
    text = slurp(log);
    cr_assert_str_empty(text);
    free(text);
    fclose(log);
}

/* Ctrl-C in the middle: the rows so far are a valid CSV. */
Test(bench, sigint_leaves_valid_csv)
{
    static const int w12[] = { 1, 2 };
    static const long long big[] = { 200000 };
    char *dir = make_tmpdir(), path[256];
    struct bench_csv c = { 0 };
    char err[512];
    int status;
    pid_t pid;

    snprintf(path, sizeof(path), "%s/cut.csv", dir);
    pid = fork();
    if (pid == 0) {
        struct bench_plan plan = plan_of(w12, 2, big, 1, 1000);
        struct bench_tally t = { 0, 0, 0 };
        struct bench_progress pr;
        FILE *f = fopen(path, "w");
        signal(SIGINT, SIG_DFL);
        bench_write_header(f, "cut", "gcc", "-O2");
        bench_progress_init(&pr, stderr, BENCH_PROGRESS_NONE, 0);
        bench_sweep(sum_kernels, "demo", &plan, f, &pr, &t);
        _exit(0);
    }
    for (int i = 0; i < 24000; i++) {   /* until some rows are written */
        if (benchcsv_read(path, &c, err, sizeof(err)) == 0 && c.nrows >= 5)
            break;
        benchcsv_free(&c);
        usleep(5000);
    }
    benchcsv_free(&c);
    kill(pid, SIGINT);
    waitpid(pid, &status, 0);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
    cr_assert_eq(benchcsv_read(path, &c, err, sizeof(err)), 0, "%s", err);
    cr_assert_geq(c.nrows, 5);
    cr_assert_lt(c.nrows, 2000);       /* the whole sweep did not finish */
    benchcsv_free(&c);
    rm_tree(dir);
    free(dir);
}

Test(bench, default_and_parsed_worker_lists)
{
    int w[32], n;
    const char *why;
    static const int two[] = { 1, 2, 3, 4 };
    static const int big[] = { 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64, 128 };
    static const int twelve[] = { 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24 };

    n = bench_default_workers(2, w, 32);
    cr_assert_arr_eq(w, two, sizeof(two));
    cr_assert_eq(n, 4);
    n = bench_default_workers(1, w, 32);
    cr_assert_eq(n, 2);
    cr_assert_eq(w[1], 2);
    n = bench_default_workers(64, w, 32);
    cr_assert_eq(n, 12);
    cr_assert_arr_eq(w, big, sizeof(big));
    n = bench_default_workers(12, w, 32);
    cr_assert_eq(n, 11);
    cr_assert_arr_eq(w, twelve, sizeof(twelve));
    cr_assert_eq(bench_parse_workers("1,2,4", w, 32, &why), 3);
    cr_assert_eq(w[2], 4);
    cr_assert_eq(bench_parse_workers("0", w, 32, &why), -1);
    cr_assert_str_eq(why, "out of range");
    cr_assert_eq(bench_parse_workers("1,,2", w, 32, &why), -1);
    cr_assert_eq(bench_parse_workers("", w, 32, &why), -1);
    cr_assert_eq(bench_parse_workers("2x", w, 32, &why), -1);
    cr_assert_eq(bench_parse_workers("1025", w, 32, &why), -1);
    cr_assert_eq(bench_parse_workers("1,2,3", w, 2, &why), -1);
}

/* ---- bench/metrics --------------------------------------------------- */

Test(metrics, speedup_efficiency_karp_flatt_arithmetic)
{
    cr_assert_float_eq(metrics_speedup(8.0, 2.0), 4.0, 1e-12);
    cr_assert(isnan(metrics_speedup(8.0, 0)));
    cr_assert(isnan(metrics_speedup(0, 1)));
    cr_assert_float_eq(metrics_efficiency(3.0, 4), 0.75, 1e-12);
    /* S = 1.6 on 2: e = (1/1.6 - 1/2) / (1 - 1/2) = 0.25 */
    cr_assert_float_eq(metrics_karp_flatt(1.6, 2), 0.25, 1e-12);
    /* S = 3 on 4: e = (1/3 - 1/4) / (3/4) = 1/9 */
    cr_assert_float_eq(metrics_karp_flatt(3.0, 4), 1.0 / 9, 1e-12);
    cr_assert_float_eq(metrics_karp_flatt(4.0, 4), 0.0, 1e-12);
    cr_assert(isnan(metrics_karp_flatt(1.0, 1)));
    /* Amdahl: p = 0.9 on 10 workers is 1/(0.1 + 0.09) = 5.263... */
    cr_assert_float_eq(metrics_amdahl(0.9, 10), 1 / 0.19, 1e-12);
    cr_assert_float_eq(metrics_amdahl(1.0, 7), 7.0, 1e-12);
}

/* Times from Amdahl's law with p, times (1 + a small wobble). */
static void amdahl_speedups(double p, double wobble, int n, int *w,
                            double *s)
{
    for (int i = 0; i < n; i++) {
        double noise = 1 + wobble * ((i % 3) - 1);     /* -, 0, + */
        w[i] = i + 1;
        s[i] = 1 / (((1 - p) + p / w[i]) * noise);
    }
}

Test(metrics, amdahl_fit_recovers_p)
{
    static const double ps[] = { 0.0, 0.3, 0.5, 0.9, 0.95, 0.99, 1.0 };
    int w[8];
    double s[8];

    for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
        amdahl_speedups(ps[i], 0, 8, w, s);
        struct amdahl_fit f = metrics_amdahl_fit(w, s, 8, 8);
        cr_assert(f.is_valid);
        cr_assert_eq(f.npoints, 8);     /* 1..8, the baseline included */
        cr_assert_float_eq(f.p, ps[i], 1e-9, "p %g got %g", ps[i], f.p);
        amdahl_speedups(ps[i], 2e-4, 8, w, s);      /* +-0.02 % noise */
        f = metrics_amdahl_fit(w, s, 8, 8);
        cr_assert(fabs(f.p - ps[i]) < 1e-3, "p %g got %g", ps[i], f.p);
    }
    amdahl_speedups(0.9, 0, 8, w, s);
    struct amdahl_fit f = metrics_amdahl_fit(w, s, 8, 8);
    cr_assert_float_eq(f.max_speedup, 10.0, 1e-6);
    amdahl_speedups(1.0, 0, 8, w, s);
    f = metrics_amdahl_fit(w, s, 8, 8);
    cr_assert(isinf(f.max_speedup));
}

Test(metrics, amdahl_fit_uses_only_workers_within_cpus)
{
    int w[8];
    double s[8];

    amdahl_speedups(0.8, 0, 8, w, s);
    for (int i = 4; i < 8; i++)
        s[i] = s[3] * 4 / w[i];         /* oversubscribed: falls away */
    struct amdahl_fit f = metrics_amdahl_fit(w, s, 8, 4);
    cr_assert_eq(f.npoints, 4);
    cr_assert_float_eq(f.p, 0.8, 1e-9);
    f = metrics_amdahl_fit(w, s, 8, 1);     /* 1 CPU: nothing to fit */
    cr_assert(!f.is_valid);
    cr_assert_eq(f.npoints, 1);
    s[1] = 0.5;                             /* slower on 2 and 3: p < 0 */
    s[2] = 0.4;
    f = metrics_amdahl_fit(w, s, 3, 3);
    cr_assert(f.is_valid && f.is_clamped);
    cr_assert_float_eq(f.p, 0.0, 1e-12);
}

/* Issue 16: with workers 1..2 on 2 CPUs the fit used one point and said
 * "no number of CPUs could make it more than 1.3x faster". A curve
 * through (1, 1) and one more point fits anything: no fit under 3 worker
 * counts within the CPUs, however many were swept beyond them. */
Test(metrics, no_fit_from_fewer_than_three_worker_counts)
{
    static const int w[] = { 1, 2, 3, 4, 8 };
    static const double s[] = { 1, 1.3, 1.3, 1.3, 1.3 };
    struct amdahl_fit f = metrics_amdahl_fit(w, s, 2, 2);

    cr_assert(!f.is_valid);
    cr_assert(isnan(f.p) && isnan(f.max_speedup));
    cr_assert_eq(f.npoints, 2);
    f = metrics_amdahl_fit(w, s, 5, 2);         /* 3..8 beyond the CPUs */
    cr_assert(!f.is_valid);
    cr_assert_eq(f.npoints, 2);
    f = metrics_amdahl_fit(w, s, 5, 3);         /* 1, 2, 3: a fit */
    cr_assert(f.is_valid);
    cr_assert_eq(f.npoints, 3);
    cr_assert_eq(METRICS_FIT_MIN_POINTS, 3);
}
static const char series_csv[] =
    "# cpus_online: 4\n# cpus_allowed: 2\n# cpu_model: Test CPU\n"
    BENCHCSV_HEADER "\n"
    "t,a,1,100,1,4.0,10,1\n"
    "t,a,1,100,2,4.4,10,1\n"
    "t,a,1,100,3,3.6,10,1\n"
    "t,a,2,100,1,2.5,10,1\n"
    "t,a,2,100,2,2.5,10,1\n"
    "t,a,4,100,1,2.8,10,1\n"
    "t,b,2,100,1,1.0,11,1\n"      /* differs from b's 1-worker answer */
    "t,b,1,100,1,2.0,10,1\n"
    "t,a,1,200,1,8.0,20,1\n";

Test(metrics, series_group_and_measure)
{
    FILE *f = fmemopen((void *)series_csv, sizeof(series_csv) - 1, "r");
    struct metrics_series *s;
    struct bench_csv c;
    char machine[128];

    read_csv(f, &c);
    fclose(f);
    cr_assert_eq(benchcsv_cpus(&c), 2);
    cr_assert_str_eq(benchcsv_machine(&c, machine, sizeof(machine)),
                     "Test CPU, 2 of 4 CPUs");
    long n = metrics_series_of(&c, 2, &s);
    cr_assert_eq(n, 3);                 /* a@100, b@100, a@200 */
    cr_assert_str_eq(s[0].kernel, "a");
    cr_assert_eq(s[0].npts, 3);
    cr_assert_eq(s[0].reps, 3);
    cr_assert_eq(s[0].pts[0].workers, 1);
    cr_assert_float_eq(s[0].pts[0].secs.median, 4.0, 1e-12);
    cr_assert_float_eq(s[0].pts[1].speedup, 1.6, 1e-12);
    cr_assert_float_eq(s[0].pts[1].efficiency, 0.8, 1e-12);
    /* the spread pairs the reps: 3.6 / 2.5 and 4.4 / 2.5 */
    cr_assert_float_eq(s[0].pts[1].speedup_lo, 1.44, 1e-12);
    cr_assert_float_eq(s[0].pts[1].speedup_hi, 1.76, 1e-12);
    cr_assert_float_eq(s[0].pts[0].speedup_lo, 3.6 / 4.4, 1e-12);
    /* the baseline's reps spread (4.4 - 3.6) / 4.0 = 20 %: noisy */
    cr_assert_float_eq(s[0].base_spread, 0.2, 1e-12);
    cr_assert(s[0].is_noisy_base);
    /* 2 CPUs: 2 worker counts within them, too few for p or Karp-Flatt */
    cr_assert(!s[0].fit.is_valid);
    cr_assert_eq(s[0].fit.npoints, 2);
    cr_assert(isnan(s[0].pts[1].karp_flatt));
    cr_assert(s[0].is_ok);
    cr_assert(!s[1].is_ok);             /* caught by value, not the mark */
    cr_assert(!s[1].pts[1].is_ok && s[1].pts[0].is_ok);
    cr_assert(!s[1].fit.is_valid);
    cr_assert(isnan(s[1].base_spread)); /* one rep: spread unknown */
    cr_assert(!s[1].is_noisy_base);
    cr_assert_eq(s[2].size, 200);
    cr_assert_eq(s[2].npts, 1);
    cr_assert(!s[2].fit.is_valid);
    metrics_free(s, (size_t)n);
    benchcsv_free(&c);
}

/* Amdahl's law on 8 CPUs, p = 0.9, workers 1..16: the numbers a fit and
 * Karp-Flatt may be drawn from; a serial kernel and a wrong answer in the
 * same sweep get neither. */
static const char eight_cpus_csv[] =
    "# cpus_allowed: 8\n# cpu_model: Test CPU\n" BENCHCSV_HEADER "\n"
    "t,par,1,100,1,1.0,7,1\nt,par,2,100,1,0.55,7,1\nt,par,4,100,1,0.325,7,1\n"
    "t,par,8,100,1,0.2125,7,1\nt,par,16,100,1,0.25,7,1\n"
    "t,sort-serial,1,100,1,1.0,7,1\nt,sort-serial,2,100,1,0.99,7,1\n"
    "t,sort-serial,4,100,1,1.01,7,1\nt,sort-serial,8,100,1,1.0,7,1\n"
    "t,bad,1,100,1,1.0,7,1\nt,bad,2,100,1,0.5,8,0\nt,bad,4,100,1,0.25,9,0\n"
    "t,bad,8,100,1,0.125,9,0\n";

/* pardemo bench names a topic's serial kernels in a comment line (from
 * its descriptor), and the metrics take them as serial whatever their
 * names. */
Test(metrics, serial_kernels_named_by_the_csv)
{
    static const char csv[] =
        "# cpus_allowed: 8\n" BENCHCSV_HEADER "\n"
        "# serial: t/python t/other\n"
        "t,python,1,100,1,1.0,7,1\nt,python,2,100,1,1.0,7,1\n"
        "t,pythonic,1,100,1,1.0,7,1\nt,pythonic,2,100,1,0.5,7,1\n";
    FILE *f = fmemopen((void *)csv, sizeof(csv) - 1, "r"), *out = tmpfile();
    struct metrics_series *s;
    struct bench_csv c;

    read_csv(f, &c);
    fclose(f);
    long n = metrics_series_of(&c, 8, &s);
    cr_assert_eq(n, 2);
    cr_assert(s[0].is_serial && isnan(s[0].pts[1].speedup));
    cr_assert(!s[1].is_serial);         /* a prefix is not the name */
    cr_assert_float_eq(s[1].pts[1].speedup, 2.0, 1e-12);
    metrics_free(s, (size_t)n);
    benchcsv_free(&c);
    cr_assert_eq(bench_write_serial(out, "forkjoin", "sort-serial,"
                                    "sum-serial"), 0);
    cr_assert_eq(bench_write_serial(out, "race", NULL), 0);
    char *text = slurp(out);
    cr_assert_str_eq(text, "# serial: forkjoin/sort-serial "
                     "forkjoin/sum-serial\n");
    free(text);
    fclose(out);
}

Test(metrics, serial_kernels_and_wrong_answers_have_no_p)
{
    FILE *f = fmemopen((void *)eight_cpus_csv, sizeof(eight_cpus_csv) - 1,
                       "r");
    struct metrics_series *s;
    struct bench_csv c;

    read_csv(f, &c);
    fclose(f);
    long n = metrics_series_of(&c, 8, &s);
    cr_assert_eq(n, 3);
    cr_assert(s[0].fit.is_valid && !s[0].is_serial);
    cr_assert_eq(s[0].fit.npoints, 4);  /* 1, 2, 4, 8; not 16 */
    cr_assert_float_eq(s[0].fit.p, 0.9, 1e-9);
    cr_assert_float_eq(s[0].pts[3].karp_flatt, 0.1, 1e-9);
    cr_assert(isnan(s[0].pts[4].karp_flatt));  /* 16 > 8 CPUs */
    cr_assert(s[1].is_serial && s[1].is_ok);
    cr_assert(!s[1].fit.is_valid && isnan(s[1].fit.p));
    cr_assert(isnan(s[1].pts[2].speedup) && isnan(s[1].pts[2].karp_flatt));
    cr_assert(!s[2].is_ok && !s[2].fit.is_valid && isnan(s[2].fit.p));
    cr_assert(isnan(s[2].pts[1].karp_flatt));
    cr_assert(metrics_is_serial_kernel("serial"));
    cr_assert(!metrics_is_serial_kernel("serialize"));
    cr_assert(!metrics_is_serial_kernel("-serial"));
    metrics_free(s, (size_t)n);
    benchcsv_free(&c);
}

/* ---- bench/benchcsv: bad files and rows are FILE:LINE lines ----------- */

struct bad_csv {
    const char *text, *expect;
};

static const struct bad_csv bad_csvs[] = {
    { "", "x.csv: no header row" },
    { "# only: comments\n", "x.csv: no header row" },
    { BENCHCSV_HEADER "\n", "x.csv: no rows under the header" },
    { "topic,kernel,workers,size,rep,checksum\nt,k,1,1,1,5\n",
      "x.csv:1: the header has no column 'seconds'" },
    { "# a: b\n" BENCHCSV_HEADER "\nt,k,1,1,1,abc,5,1\n",
      "x.csv:3: seconds is not a number (got 'abc')" },
    { BENCHCSV_HEADER "\nt,k,2,1,1,0.5,5\n",
      "x.csv:2: 7 fields, but the header has 8" },
    { BENCHCSV_HEADER "\nt,k,0,1,1,0.5,5,1\n",
      "x.csv:2: workers must be 1..2147483647 (got 0)" },
    { BENCHCSV_HEADER "\nt,k,two,1,1,0.5,5,1\n",
      "x.csv:2: workers is not a whole number (got 'two')" },
    { BENCHCSV_HEADER "\nt,k,1,1,1,-2,5,1\n",
      "x.csv:2: seconds must not be negative (got -2)" },
    { BENCHCSV_HEADER "\nt,k,1,1,1,nan,5,1\n",
      "x.csv:2: seconds is not a number (got 'nan')" },
    { BENCHCSV_HEADER "\nt,k,1,1,1,1,-5,1\n",
      "x.csv:2: checksum is not a whole number" },
    { BENCHCSV_HEADER "\nt,k,1,1,1,1,5,2\n",
      "x.csv:2: checksum_ok must be 0..1 (got 2)" },
    { BENCHCSV_HEADER "\n\"t,k,1,1,1,1,5,1\n",
      "x.csv:2: unclosed quote" },
    { BENCHCSV_HEADER "\n,k,1,1,1,1,5,1\n",
      "x.csv:2: topic and kernel must not be empty" },
    { "table,run,task,start_s,end_s,cpu\nslices,one-cpu,0,0.5,0.2,0\n",
      "x.csv:2: end_s 0.2 is before start_s 0.5" },
    { "table,run,task,start_s,end_s\nslices,one-cpu,0,0.1,0.2\n",
      "x.csv:2: table 'slices' has no column 'cpu'" },
    { "table,a,b\nother,1,2\n", "x.csv: no 'slices' rows" },
    { BENCHCSV_HEADER "\nt,k,1,1,1,x,5,1\nt,k,1,1,1,y,5,1\n",
      "x.csv:2: seconds is not a number (got 'x') (and every other row "
      "could not be used)" },
};

Test(benchcsv, bad_files_name_file_and_line)
{
    for (size_t i = 0; i < sizeof(bad_csvs) / sizeof(bad_csvs[0]); i++) {
        FILE *f = tmpfile();
        struct bench_csv c = { 0 };
        char err[512];
        fputs(bad_csvs[i].text, f);
        rewind(f);
        cr_assert_eq(benchcsv_parse(f, "x.csv", &c, err, sizeof(err)), -1,
                     "case %zu", i);
        cr_assert(strstr(err, bad_csvs[i].expect) == err, "case %zu: %s",
                  i, err);
        benchcsv_free(&c);
        fclose(f);
    }
}

/* A row that cannot be used is left out and named; the rest is read
 * (issue 21: one negative slice start must not cost the whole chart). */
Test(benchcsv, bad_rows_are_skipped_and_named)
{
    static const char bench[] =
        BENCHCSV_HEADER "\n"
        "t,k,1,1,1,0.5,5,1\n"
        "t,k,2,1,1,0.5,5\n"
        "t,k,2,1,1,-1,5,1\n"
        "t,k,2,1,1,abc,5,1\n"
        "t,k,2,1,1,0.25,5,1\n"
        "t,k,0,1,1,1,5,1\nt,k,0,1,1,1,5,1\nt,k,0,1,1,1,5,1\n"
        "t,k,0,1,1,1,5,1\n";
    static const char conc[] =
        "table,run,task,start_s,end_s,cpu\n"
        "slices,one-cpu,0,-1.19e-07,0.1,0\n"
        "slices,one-cpu,1,0.1,0.2,0\n";
    struct bench_csv c = { 0 };
    char err[512];
    FILE *f = fmemopen((void *)bench, sizeof(bench) - 1, "r");

    cr_assert_eq(benchcsv_parse(f, "x.csv", &c, err, sizeof(err)), 0);
    fclose(f);
    cr_assert_eq(c.nrows, 2);
    cr_assert_float_eq(c.rows[1].seconds, 0.25, 1e-12);
    cr_assert_eq(c.nskipped, 7);
    cr_assert_str_eq(c.skipped[0], "x.csv:3: 7 fields, but the header has "
                     "8");
    cr_assert_str_eq(c.skipped[1], "x.csv:4: seconds must not be negative "
                     "(got -1)");
    cr_assert_str_eq(c.skipped[2], "x.csv:5: seconds is not a number (got "
                     "'abc')");
    cr_assert_str_eq(c.skipped[4], "x.csv:8: workers must be "
                     "1..2147483647 (got 0)");
    benchcsv_free(&c);
    f = fmemopen((void *)conc, sizeof(conc) - 1, "r");
    cr_assert_eq(benchcsv_parse(f, "c.csv", &c, err, sizeof(err)), 0);
    fclose(f);
    cr_assert_eq(c.nslices, 1);
    cr_assert_eq(c.nskipped, 1);
    cr_assert_str_eq(c.skipped[0], "c.csv:2: start_s must not be negative "
                     "(got -1.19e-07)");
    benchcsv_free(&c);
}

Test(benchcsv, quoted_fields_reordered_columns_and_slices)
{
    static const char bench[] =
        "seconds,kernel,topic,size,workers,rep,checksum,extra\r\n"
        "0.25,\"odd, \"\"name\"\"\",t,64,2,1,18446744073709551615,x\r\n";
    static const char conc[] =
        "# pardemo concurrency; cpus_online=2; cpus_allowed=1; "
        "cpu_model=Some CPU; tasks=2\n"
        "table,run,wall_s\nruns,one-cpu,0.5\n\n"
        "table,run,task,start_s,end_s,cpu\n"
        "slices,one-cpu,t0,0,0.1,0\nslices,all-cpus,t1,0.2,0.3,1\n";
    struct bench_csv c;
    char machine[64];
    FILE *f = fmemopen((void *)bench, sizeof(bench) - 1, "r");

    read_csv(f, &c);
    fclose(f);
    cr_assert_eq(c.nrows, 1);
    cr_assert_str_eq(c.rows[0].kernel, "odd, \"name\"");
    cr_assert_eq(c.rows[0].workers, 2);
    cr_assert_eq(c.rows[0].checksum, UINT64_MAX);
    cr_assert(c.rows[0].is_ok);         /* no checksum_ok column: ok */
    benchcsv_free(&c);
    f = fmemopen((void *)conc, sizeof(conc) - 1, "r");
    read_csv(f, &c);
    fclose(f);
    cr_assert_eq(c.nslices, 2);
    cr_assert_str_eq(c.slices[1].run, "all-cpus");
    cr_assert_eq(c.slices[1].cpu, 1);
    cr_assert_str_eq(benchcsv_machine(&c, machine, sizeof(machine)),
                     "Some CPU, 1 of 2 CPUs");
    benchcsv_free(&c);
}

/* ---- pardemo bench / pardemo plot on the command line ----------------- */

struct one_line_case {
    const char *argv[6];
    int status;
    const char *expect;
};

static const struct one_line_case bench_usage[] = {
    { { "bench" }, 2, "pardemo: bench: missing TOPIC...|all" },
    { { "bench", "nosuch" }, 2, "pardemo: bench: 'nosuch' is not a topic" },
    { { "bench", "tour" }, 2, "pardemo: bench: 'tour' has no kernels" },
    { { "bench", "tour", "--kernels", "x" }, 2,
      "pardemo: bench: 'tour' has no kernels" },
    { { "bench", "all", "--workers", "1,x" }, 2,
      "pardemo: bench: --workers must be a comma-separated list" },
    { { "bench", "all", "--workers", "0" }, 2, "(got '0': out of range)" },
    { { "bench", "all", "--sizes", "0" }, 2, "pardemo: bench: --sizes must" },
    { { "bench", "all", "-r", "0" }, 2, "pardemo: bench: --reps must be" },
    { { "plot" }, 2, "pardemo: plot: missing BENCH.csv" },
    { { "plot", "a", "b", "c" }, 2, "pardemo: plot: unexpected argument 'c'" },
    { { "plot", "/nonexistent/x.csv" }, 1,
      "pardemo: plot: /nonexistent/x.csv: No such file or directory" },
    { { "plot", "x.csv", "--theme", "poster" }, 2,
      "pardemo: plot: --theme must be one of slide|paper (got 'poster')" },
    { { "plot", "x.csv", "--size", "100x10" }, 2,
      "pardemo: plot: --size must be WxH, 320..8000 x 200..8000 pixels "
      "(got '100x10')" },
    { { "plot", "x.csv", "--size", "1280x720x3" }, 2, "--size must be WxH" },
    { { "plot", "x.csv", "--font-scale", "9" }, 2,
      "pardemo: plot: --font-scale must be a number 0.5..3 (got '9')" },
    { { "plot", "x.csv", "--font-scale", "1.5x" }, 2,
      "--font-scale must be a number" },
    { { "plot", "x.csv", "--format", "gif" }, 2,
      "pardemo: plot: --format must be one of text|csv|json|pdf" },
};

/* --list: each unindented line is a topic of `pardemo list` (and not
 * tour, which has no kernels); indented lines are its kernels. */
Test(bench_cli, list_shows_topics_and_kernels)
{
    struct cmd_out o = RUN("bench", "--list"), all = RUN("list");
    char want[64];

    cr_assert_eq(o.status, 0);
    cr_assert_str_empty(o.err);
    for (char *line = strtok(o.out, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == ' ')
            continue;
        snprintf(want, sizeof(want), "  %s ", line);
        cr_assert(strstr(all.out, want), "%s is not a topic", line);
        cr_assert_str_neq(line, "tour");
    }
    cmd_free(&o);
    cmd_free(&all);
}

Test(bench_cli, usage_and_input_errors_are_one_line)
{
    for (size_t i = 0; i < sizeof(bench_usage) / sizeof(bench_usage[0]);
         i++) {
        struct cmd_out o = cmd_run(bench_usage[i].argv);
        cr_assert_eq(o.status, bench_usage[i].status, "case %zu: %s", i,
                     o.err);
        cr_assert_str_empty(o.out, "case %zu", i);
        cr_assert_eq(count_lines(o.err), 1, "case %zu: %s", i, o.err);
        cr_assert(strstr(o.err, bench_usage[i].expect), "case %zu: %s", i,
                  o.err);
        cmd_free(&o);
    }
}

/* A real sweep of the test kernels (topic "demo", 1..3 workers) and of
 * the memcpy kernel as topic "ipc" (sizes = message bytes), in one CSV. */
static void make_bench_csv(const char *path)
{
    static const int w1[] = { 1 };
    static const long long sizes[] = { 20000 }, msgs[] = { 64, 4096, 65536 };
    struct bench_plan plan = plan_of(workers_123, 3, sizes, 1, 2);
    struct bench_tally t = { 0, 0, 0 };
    struct bench_progress pr;
    FILE *f = fopen(path, "w");

    cr_assert(f);
    bench_write_header(f, "pardemo bench demo", "gcc test", "-O2");
    bench_progress_init(&pr, stderr, BENCH_PROGRESS_NONE, 0);
    cr_assert_eq(bench_sweep(sum_kernels, "demo", &plan, f, &pr, &t), 0);
    plan = plan_of(w1, 1, msgs, 3, 3);
    cr_assert_eq(bench_sweep(copy_kernels, "ipc", &plan, f, &pr, &t), 0);
    cr_assert_eq(fclose(f), 0);
}

static const char concurrency_csv[] =
    "# pardemo concurrency; cpus_online=2; cpus_allowed=2; cpu_model=Test\n"
    "table,run,task,start_s,end_s,cpu\n"
    "slices,one-cpu,task 0,10.0,10.1,0\n"
    "slices,one-cpu,task 1,10.1,10.2,0\n"
    "slices,one-cpu,task 0,10.2,10.3,0\n"
    "slices,one-cpu,task 1,10.3,10.4,0\n"
    "slices,all-cpus,task 0,11.0,11.2,0\n"
    "slices,all-cpus,task 1,11.0,11.2,1\n";

/* The PNG signature, then IHDR's width and height (big-endian). */
static void check_png(const char *path, int width, int height)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1a, '\n' };
    unsigned char h[24];
    FILE *f = fopen(path, "rb");

    cr_assert(f, "%s missing", path);
    cr_assert_eq(fread(h, 1, sizeof(h), f), sizeof(h), "%s", path);
    fclose(f);
    cr_assert_arr_eq(h, sig, sizeof(sig), "%s: not a PNG", path);
    cr_assert_eq(memcmp(h + 12, "IHDR", 4), 0);
    cr_assert_eq((h[16] << 24) | (h[17] << 16) | (h[18] << 8) | h[19],
                 width, "%s", path);
    cr_assert_eq((h[20] << 24) | (h[21] << 16) | (h[22] << 8) | h[23],
                 height, "%s", path);
}

static void check_svg(const char *path)
{
    char line[600];

    snprintf(line, sizeof(line), "python3 -c \"import sys, xml.etree."
             "ElementTree as E\nr = E.parse(sys.argv[1]).getroot()\n"
             "assert r.tag.endswith('svg'), r.tag\" '%s'", path);
    struct cmd_out o = cmd_sh(line, 300);   /* a loaded machine */
    cr_assert_eq(o.status, 0, "%s: %s", path, o.err);
    cmd_free(&o);
}

/* A real sweep of real kernels (the 2 CPUs here, whatever they did),
 * drawn and judged by check_chart.py from gnuplot's own output. */
Test(plot, renders_every_chart_as_png_and_svg)
{
    static const char *const charts[] = { "speedup-demo", "efficiency-demo",
        "time-demo", "ipc", "timeline" };
    char *dir = make_tmpdir(), csv[256], conc[256], out[256], path[400];
    char check[300], env_check[320], line[4096];
    size_t used;

    require_tool("gnuplot", "gnuplot-nox");
    snprintf(csv, sizeof(csv), "%s/bench.csv", dir);
    snprintf(conc, sizeof(conc), "%s/concurrency.csv", dir);
    snprintf(out, sizeof(out), "%s/plots", dir);
    snprintf(check, sizeof(check), "%s/check.tsv", dir);
    snprintf(env_check, sizeof(env_check), "PARDEMO_PLOT_CHECK=%s", check);
    make_bench_csv(csv);
    write_text_file(conc, concurrency_csv);
    struct cmd_out o = cmd_run_env((const char *const[]){ "plot", csv, conc,
                                   "-o", out, NULL }, NULL,
                                   (const char *const[]){ env_check, NULL },
                                   300);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert_str_empty(o.err);         /* not one gnuplot warning */
    cr_assert(strstr(o.out, "Charts drawn"), "%s", o.out);
    used = (size_t)snprintf(line, sizeof(line), "python3 check_chart.py "
                            "'%s' 20", check);
    for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
        snprintf(path, sizeof(path), "\n  %s.{png,svg}\n", charts[i]);
        cr_assert(strstr(o.out, path), "%s not listed", path);
        snprintf(path, sizeof(path), "%s/%s.png", out, charts[i]);
        check_png(path, 1920, 1080);
        snprintf(path, sizeof(path), "%s/%s.svg", out, charts[i]);
        check_svg(path);
        used += (size_t)snprintf(line + used, sizeof(line) - used, " '%s'",
                                 path);
    }
    struct cmd_out py = cmd_sh(line, 120);
    cr_assert_eq(py.status, 0, "%s%s", py.out, py.err);
    cmd_free(&py);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

Test(plot, without_gnuplot_data_is_written_and_exit_1)
{
    char *dir = make_tmpdir(), csv[256], out[256], path[400];
    const char *env[] = { "PATH=/nonexistent", NULL };
    struct stat st;

    snprintf(csv, sizeof(csv), "%s/bench.csv", dir);
    snprintf(out, sizeof(out), "%s/plots", dir);
    make_bench_csv(csv);
    struct cmd_out o = cmd_run_env((const char *const[]){ "plot", csv, "-o",
                                   out, NULL }, NULL, env, 60);
    cr_assert_eq(o.status, 1);
    cr_assert_str_empty(o.out);
    cr_assert_str_eq(o.err, "pardemo: plot: gnuplot not found: apt-get "
                     "install gnuplot-nox\n");
    snprintf(path, sizeof(path), "%s/speedup-demo.dat", out);
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    cr_assert_gt(st.st_size, 0);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

/* A bad row is one line naming it; the charts are drawn from the rest
 * and the exit status says something was left out. A file that cannot
 * be read at all is one line too. */
Test(plot, bad_csv_is_one_line_with_file_and_line)
{
    char *dir = make_tmpdir(), csv[256], want[400], path[400];
    struct stat st;

    snprintf(csv, sizeof(csv), "%s/bad.csv", dir);
    write_text_file(csv, "# cpus_allowed: 2\n" BENCHCSV_HEADER "\n"
               "t,k,1,10,1,0.5,7,1\nt,k,2,10,1,fast,7,1\n"
               "t,k,2,10,2,0.3,7,1\n");
    struct cmd_out o = RUN("plot", csv, "-o", dir, "--summary");
    snprintf(want, sizeof(want), "pardemo: plot: %s:4: seconds is not a "
             "number (got 'fast'); the row is left out\n", csv);
    cr_assert_eq(o.status, 1);
    cr_assert(strstr(o.out, "Bench summary"), "%s", o.out);
    cr_assert_str_eq(o.err, want);
    cmd_free(&o);
    if (have_command("gnuplot")) {
        o = RUN("plot", csv, "-o", dir);
        cr_assert_eq(o.status, 1);
        cr_assert_str_eq(o.err, want);
        snprintf(path, sizeof(path), "%s/speedup-t.png", dir);
        cr_assert_eq(stat(path, &st), 0, "%s: drawn from the other rows",
                     path);
        cmd_free(&o);
    }
    write_text_file(csv, "topic,kernel,workers\nt,k,1\n");
    o = RUN("plot", csv, "--summary");
    cr_assert_eq(o.status, 1);
    cr_assert_str_empty(o.out);
    cr_assert_eq(count_lines(o.err), 1);
    cr_assert(strstr(o.err, ":1: the header has no column 'size'"), "%s",
              o.err);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

Test(plot, summary_computes_the_metrics)
{
    char *dir = make_tmpdir(), csv[256];

    snprintf(csv, sizeof(csv), "%s/s.csv", dir);
    write_text_file(csv, series_csv);
    struct cmd_out o = RUN("plot", csv, "--summary", "--format", "csv");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert_str_empty(o.err);
    cr_assert(strstr(o.out, "\ntable,topic,kernel,size,amdahl_p,max_speedup,"
                     "points,note\nfits,t,a,100,nan,nan,0,2 CPUs: too few "
                     "for p\n"), "%s", o.out);
    cr_assert(strstr(o.out, "points,t,a,100,2,2.5,2.5,2.5,1.6,1.44,1.76"),
              "%s", o.out);             /* 4.4 / 2.5 in full precision */
    cr_assert(strstr(o.out, "0002,0.8,nan,ok\n"), "%s", o.out);
    cmd_free(&o);
    o = RUN("plot", csv, "--summary", "--format", "json");
    cr_assert_eq(o.status, 0);
    cr_assert(strstr(o.out, "Best: t/a ran 1.60x faster on 2 workers than "
                     "on 1 (efficiency 80.0%; 1.44x to 1.76x over the "
                     "reps)."), "%s", o.out);
    cr_assert(strstr(o.out, "Beyond 2 CPUs (the grey band), t/a went from "
                     "1.60x at 2 workers to 1.43x at 4: no decided gain, "
                     "as workers beyond the CPUs only take turns."), "%s", o.out);
    cr_assert(strstr(o.out, "t/b gave a wrong answer at 1 worker count"), "%s", o.out);
    cr_assert(strstr(o.out, "This machine has 2 CPUs: too few to estimate "
                     "Amdahl's p"), "%s", o.out);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}
