/* memory.c - the memory wall: when memory, not the CPUs, is the limit.
 * STREAM's four kernels (copy, scale, add, triad) stream arrays far
 * larger than the caches; a compute-bound kernel of the same length does
 * many FLOPs per element it loads. Notice which scales with the threads,
 * the FLOP per byte of each (a roofline), and what SIMD gives one core.
 * STREAM's kernels and its check are in lib/par/stream.c.
 */
#include "pardemo.h"
#include "cli.h"
#include "demos.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "stream.h"
#include "work.h"
#include "lesson/memory.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_N (16LL << 20)  /* 3 x 128 MiB: STREAM's 4x a 32 MiB LLC */
#define QUICK_N (6LL << 20)     /* 144 MiB: 4.5x a 32 MiB LLC */
#define QUICK_REPS 3
#define MAX_N (40LL << 20)      /* 3 arrays stay under 1 GiB */
#define MAX_THREADS 64          /* thread counts 1, 2, 4 ... fit the table */
#define POLY_STEPS (STREAM_COMPUTE_FLOPS / 2)   /* 2 FLOPs a step */
#define SUM_LEN 32768           /* the reduction's array: 256 KiB, in L2 */

static const struct cli_spec memory_spec = {
    .common = CLI_COMMON & ~CLI_SEED,
    .size_help = "elements in each of STREAM's 3 arrays (--quick: 4x the LLC)",
    .size_min = 1024, .size_max = MAX_N,
    .threads_max = MAX_THREADS,
    .threads_help = "the most threads",
    .examples = "pardemo memory\n"
                "pardemo memory --quick\n"
                "pardemo memory -t 1 -n 32M\n"
                "pardemo memory --format csv > memory.csv",
};

static bool is_off(double got, double want)
{
    return !(fabs(got - want) <= STREAM_EPS * fabs(want));
}

/* ---- the compute-bound kernel and the reduction ------------------------ */

/* b = p(a) for a polynomial of POLY_STEPS steps: it reads 8 bytes and
 * writes 8 per element, and does 2 * POLY_STEPS FLOPs in registers. */
static double poly(double x)
{
    double y = x;

    for (int k = 0; k < POLY_STEPS; k++)
        y = y * 0.5 + 0.25;
    return y;
}

static void compute_run(struct stream_arrays *x, int threads)
{
    double *restrict a = x->a, *restrict b = x->b;

    #pragma omp parallel for simd num_threads(threads) schedule(static)
    for (long long j = 0; j < x->n; j++)
        b[j] = poly(a[j]);
}

/* Every element against poly of its input. STREAM's arrays hold one
 * value, so the expected one is recomputed only when the input changes:
 * the check then costs a pass over memory, not the kernel's FLOPs again
 * (it took a fifth of `--quick`'s time). */
static long long compute_check(const struct stream_arrays *x)
{
    long long bad = 0;
    double in = NAN, want = NAN;

    for (long long j = 0; j < x->n; j++) {
        if (!(x->a[j] == in))
            in = x->a[j], want = poly(in);
        bad += is_off(x->b[j], want);
    }
    return bad;
}

/* The same sum three ways, over an array that fits in L2, `passes`
 * times: values 0..7, so every order of adding gives the exact total. */
static double sum_scalar(const double *v, long long passes)
{
    double s = 0;

    for (long long r = 0; r < passes; r++)
        for (int j = 0; j < SUM_LEN; j++)
            s += v[j];          /* each add waits for the one before */
    return s;
}

static double sum_simd(const double *v, long long passes)
{
    double s = 0;

    for (long long r = 0; r < passes; r++) {
        #pragma omp simd reduction(+:s)
        for (int j = 0; j < SUM_LEN; j++)
            s += v[j];          /* several partial sums, one per lane */
    }
    return s;
}

static double sum_both(const double *v, long long passes, int threads)
{
    double s = 0;

    #pragma omp parallel for num_threads(threads) schedule(static) \
            reduction(+:s)
    for (long long r = 0; r < passes; r++) {
        double part = 0;
        #pragma omp simd reduction(+:part)
        for (int j = 0; j < SUM_LEN; j++)
            part += v[j];
        s += part;
    }
    return s;
}

/* ---- measuring ---------------------------------------------------------- */

struct count_result {
    int threads;
    struct stats stream[STREAM_N], compute;
    double busy;
};

struct sum_job {
    const double *v;
    long long passes;
    int variant, threads;       /* 0 scalar, 1 simd, 2 threads + simd */
    double total;
};

static int sum_run(void *arg)
{
    struct sum_job *j = arg;

    j->total = j->variant == 0 ? sum_scalar(j->v, j->passes)
             : j->variant == 1 ? sum_simd(j->v, j->passes)
                               : sum_both(j->v, j->passes, j->threads);
    return 0;
}

/* The passes' times without the first (STREAM drops it: it pays for the
 * pages and the thread start), unless there is only one. */
static struct stats stats_after_first(const double *secs, int passes)
{
    return stats_of(secs + 1, (size_t)passes - 1);
}

/* STREAM with `threads` threads: 1 + `reps` passes of the four kernels,
 * every element checked; then the compute kernel, checked. Returns 0 or 1 after
 * an error line. */
static int measure_count(const char *topic, struct stream_arrays *x,
                         int threads, int reps, double *secs,
                         struct count_result *out)
{
    double cpu0 = cond_cpu_seconds(), t0 = clk_now(), t;
    int passes = reps + 1;      /* the first is STREAM's warm-up */
    long long bad;

    out->threads = threads;
    stream_init(x, threads);
    for (int k = 0; k < STREAM_N; k++)
        for (int i = 0; i < passes; i++)
            secs[k * passes + i] = 0;
    for (int i = 0; i < passes; i++)
        for (int k = 0; k < STREAM_N; k++) {
            t = clk_now();
            stream_run(x, k, threads);
            secs[k * passes + i] = clk_now() - t;
        }
    if ((bad = stream_check(x, passes))) {
        cli_error(topic, "STREAM check failed with %d threads: %lld of %lld "
                  "elements wrong", threads, bad, x->n);
        return 1;
    }
    for (int k = 0; k < STREAM_N; k++)
        out->stream[k] = stats_after_first(secs + k * passes, passes);
    for (int i = 0; i < passes; i++) {
        t = clk_now();
        compute_run(x, threads);
        secs[i] = clk_now() - t;
    }
    if ((bad = compute_check(x))) {
        cli_error(topic, "compute kernel check failed with %d threads: %lld "
                  "of %lld elements wrong", threads, bad, x->n);
        return 1;
    }
    out->compute = stats_after_first(secs, passes);
    t = clk_now() - t0;
    out->busy = t > 0 ? (cond_cpu_seconds() - cpu0) / t : 0;
    return 0;
}

/* The reduction three ways; the exact total is known. Returns 0 or 1. */
static int measure_sums(const struct run_params *p, int threads,
                        struct memory_results *res)
{
    struct reps_plan pl = stats_plan(p, 5);
    double *secs = calloc((size_t)pl.max, sizeof(*secs));
    double v[SUM_LEN], want, cpu0, t0;
    struct sum_job j = { v, p->size / SUM_LEN + 1, 0, threads, 0 };
    struct est *out[3] = { &res->sum_scalar_s, &res->sum_simd_s,
                           &res->sum_both_s };
    struct stats st;
    int err = 0;

    for (int i = 0; i < SUM_LEN; i++)
        v[i] = i % 8;
    want = (double)j.passes * (SUM_LEN / 8) * 28;
    for (j.variant = 0; secs && j.variant < 3 && !err; j.variant++) {
        cpu0 = cond_cpu_seconds();
        t0 = clk_now();
        st = stats_time_plan(sum_run, &j, &pl, secs, &err);
        *out[j.variant] = est_of(&st);
        res->sum_busy = (cond_cpu_seconds() - cpu0) / (clk_now() - t0);
        if (j.total != want) {
            cli_error(p->topic, "the sum is wrong: %.17g, not %.17g",
                      j.total, want);
            err = 1;
        }
    }
    res->sum_threads = threads;
    free(secs);
    return secs ? err != 0 : (cli_error(p->topic, "out of memory"), 1);
}

/* ---- the report --------------------------------------------------------- */

/* (the table keeps the key's pointer: these must outlive it) */
static const char *const rate_keys[STREAM_N] = {
    "copy_bytes_per_s", "scale_bytes_per_s", "add_bytes_per_s",
    "triad_bytes_per_s",
};
static const char *const median_keys[STREAM_N] = {
    "copy_median_seconds", "scale_median_seconds", "add_median_seconds",
    "triad_median_seconds",
};

static void stream_table(struct report *rep, const struct count_result *cr,
                         int ncounts, long long n)
{
    struct table *t = report_table(rep, "stream", "STREAM: best rate of "
                                   "each kernel (as stream.c prints it), "
                                   "and the compute kernel");

    table_col(t, "threads", "threads", U_INT);
    for (int k = 0; k < STREAM_N; k++)
        table_col(t, rate_keys[k], stream_name(k), U_MBPS);
    table_col(t, "compute_gflop_per_s", "compute GFLOP/s", U_NUM);
    table_col_data(t, "cpus_busy", U_NUM);
    for (int k = 0; k < STREAM_N; k++)
        table_col_data(t, median_keys[k], U_SEC);
    for (int i = 0; i < ncounts; i++) {
        table_num(t, cr[i].threads);
        for (int k = 0; k < STREAM_N; k++)
            table_num(t, stream_bytes(k, n) / cr[i].stream[k].min);
        table_num(t, 2.0 * POLY_STEPS * (double)n / cr[i].compute.min
                     * 1e-9);
        table_num(t, cr[i].busy);
        for (int k = 0; k < STREAM_N; k++)
            table_num(t, cr[i].stream[k].median);
    }
    table_end(t);
}

/* One row of the roofline: FLOP/byte, the rates reached, the bound. */
static void roof_row(struct table *t, const char *name, double flops,
                     double bytes, double secs, double ridge)
{
    table_str(t, name);
    table_num(t, flops / bytes);
    table_num(t, flops / secs * 1e-9);
    table_num(t, bytes / secs);
    table_str(t, flops / bytes < ridge ? "memory" : "compute");
}

static void roofline_table(struct report *rep, const struct memory_results *r)
{
    const struct memory_point *p = &r->points[memory_last_fit(r)];
    struct table *t = report_table(rep, "roofline", "Roofline, medians on "
                                   "the most threads that fit the CPUs");
    double peak_bw = r->triad_bytes / p->triad_s.v;
    double peak_flops = r->compute_flops / p->compute_s.v;
    double ridge = peak_flops / peak_bw;

    table_col(t, "kernel", "kernel", U_TEXT);
    table_col(t, "flop_per_byte", "FLOP/byte", U_NUM);
    table_col(t, "gflop_per_s", "GFLOP/s", U_NUM);
    table_col(t, "bytes_per_s", "memory", U_MBPS);
    table_col(t, "bound_by", "bound by", U_TEXT);
    roof_row(t, "triad", r->triad_flops, r->triad_bytes, p->triad_s.v,
             ridge);
    roof_row(t, "compute", r->compute_flops, r->compute_bytes,
             p->compute_s.v, ridge);
    table_end(t);
    report_text(rep, "The ridge: %.3g FLOP/byte (the compute kernel's "
                "GFLOP/s over triad's GB/s,\n%d thread%s). A kernel with "
                "fewer FLOPs per byte waits for memory; one\nwith more, for "
                "the cores.", ridge, p->threads, p->threads == 1 ? "" : "s");
}

static void sums_table(struct report *rep, const struct memory_results *r)
{
    struct table *t = report_table(rep, "sum", "One sum of doubles (in the "
                                   "L2 cache), three ways");
    const char *names[3] = { "scalar", "omp simd", "threads + simd" };
    struct est s[3] = { r->sum_scalar_s, r->sum_simd_s, r->sum_both_s };

    table_col(t, "variant", "variant", U_TEXT);
    table_col(t, "threads", "threads", U_INT);
    table_col(t, "seconds", "time", U_DUR);
    table_col(t, "speedup", "speedup", U_RATIO);
    for (int i = 0; i < 3; i++) {
        table_str(t, names[i]);
        table_num(t, i == 2 ? r->sum_threads : 1);
        table_num(t, s[i].v);
        table_num(t, stats_speedup(s[0].v, s[i].v));
    }
    table_end(t);
}

/* "L1 32 KiB, L2 512 KiB, L3 32 MiB"; the last level's size in *llc. */
static void caches_text(char *buf, size_t len, long long *llc)
{
    struct sys_cache c[8];
    int n = sys_caches(c, 8);
    size_t used = 0;

    *llc = 0;
    snprintf(buf, len, "%s", n ? "" : "unknown (no sysfs)");
    for (int i = 0; i < n && used < len; i++) {
        bool is_mib = c[i].bytes >= 1 << 20;
        used += (size_t)snprintf(buf + used, len - used, "%sL%d %lld %s",
                                 i ? ", " : "", c[i].level,
                                 c[i].bytes >> (is_mib ? 20 : 10),
                                 is_mib ? "MiB" : "KiB");
        if (c[i].level >= 2 && c[i].bytes > *llc)
            *llc = c[i].bytes;
    }
}

/* The lesson's view of the measured counts. */
static void fill_results(struct memory_results *r,
                         const struct stream_arrays *x,
                         const struct count_result *cr, int ncounts)
{
    r->cpus_allowed = sys_allowed_cpus();
    r->npoints = ncounts;
    for (int i = 0; i < ncounts; i++) {
        r->points[i].threads = cr[i].threads;
        r->points[i].triad_s = est_of(&cr[i].stream[STREAM_TRIAD]);
        r->points[i].compute_s = est_of(&cr[i].compute);
        r->points[i].busy = cr[i].busy;
    }
    r->triad_bytes = stream_bytes(STREAM_TRIAD, x->n);
    r->triad_flops = stream_flops(STREAM_TRIAD) * (double)x->n;
    r->compute_bytes = 16.0 * (double)x->n;
    r->compute_flops = 2.0 * POLY_STEPS * (double)x->n;
    r->arrays_bytes = 3 * 8 * x->n;
}

static void report_all(struct report *rep, const struct run_params *p,
                       struct memory_results *r,
                       const struct count_result *cr, const char *caches)
{
    struct notices ns;
    char n[32];

    report_param(rep, "arrays", "3 x %s doubles (%.0f MiB in all)",
                 cli_fmt_size(p->size, n, sizeof(n)),
                 (double)r->arrays_bytes / (1 << 20));
    report_param(rep, "caches", "%s", caches);
    report_param(rep, "runs", "%d of each kernel, after one dropped as "
                 "STREAM does", p->reps);
    stream_table(rep, cr, r->npoints, p->size);
    report_text(rep, "Every element of the three arrays was checked after "
                "the runs, as STREAM does.");
    roofline_table(rep, r);
    sums_table(rep, r);
    notices_init(&ns);
    memory_notices(r, &ns);
    report_conditions(rep, "measurements", &r->cond);
    report_notices(rep, &ns);
}

/* Measures every thread count and the sums. Returns 0 or 1. */
static int measure(const struct run_params *p, struct report *rep,
                   struct stream_arrays *x, struct memory_results *r,
                   struct count_result *cr)
{
    int counts[MEMORY_MAX_COUNTS], nc, rc = 0;
    double *secs = calloc((size_t)STREAM_N * (size_t)(p->reps + 1),
                          sizeof(*secs));
    struct cond_probe probe;

    nc = work_counts(p->threads, sys_allowed_cpus(), counts,
                     MEMORY_MAX_COUNTS);
    if (!secs) {
        cli_error(p->topic, "cannot allocate the timings: %s",
                  cli_strerror(ENOMEM));
        return 1;
    }
    cond_start(&probe);
    for (int i = 0; i < nc && !rc; i++) {
        report_progress(rep, "memory: %d thread%s", counts[i],
                        counts[i] == 1 ? "" : "s");
        rc = measure_count(p->topic, x, counts[i], p->reps, secs, &cr[i]);
    }
    free(secs);
    if (rc)
        return rc;
    fill_results(r, x, cr, nc);
    report_progress(rep, "memory: the sums");
    rc = measure_sums(p, r->points[memory_last_fit(r)].threads, r);
    r->cond = cond_stop(&probe);
    return rc;
}

/* --quick's arrays: the smallest whole number of Mi elements whose three
 * arrays are 4x the last-level cache, as STREAM asks (QUICK_N when sysfs
 * does not say). Fewer bytes would time the cache, not the memory. */
static long long quick_size(void)
{
    char caches[200];
    long long llc, n;

    caches_text(caches, sizeof(caches), &llc);
    if (llc <= 0)
        return QUICK_N;
    n = (4 * llc + 3 * (long long)sizeof(double) - 1) /
        (3 * (long long)sizeof(double));
    n = (n + (1LL << 20) - 1) & ~((1LL << 20) - 1);
    return n < MAX_N ? n : MAX_N;
}

/* Parses the options. Returns -1 to go on, else the exit status. */
static int parse_args(struct run_params *p, int argc, char **argv)
{
    int rc;

    cli_defaults(p, "memory");
    cli_prescan_quick(p, argc, argv);
    p->size = demo_size(&demo_memory, p->is_quick);
    p->reps = p->is_quick ? QUICK_REPS : p->reps;   /* -r still wins */
    if ((rc = cli_parse(&demo_memory, argc, argv, p, NULL)) >= 0)
        return rc;
    if (!p->size_given)
        p->size = p->is_quick ? quick_size() : demo_size(&demo_memory,
                                                         false);
    return -1;
}

static int memory_main(int argc, char **argv)
{
    struct run_params p;
    struct stream_arrays x = { 0 };
    struct memory_results r = { 0 };
    struct count_result cr[MEMORY_MAX_COUNTS];
    struct report *rep = NULL;
    char caches[256];
    long long avail;
    int rc;

    if ((rc = parse_args(&p, argc, argv)) >= 0)
        return rc;
    avail = sys_mem_available();
    if (avail > 0 && 24 * p.size > avail) {
        cli_error(p.topic, "the arrays need %lld MiB, and only %lld MiB of "
                  "memory is available; try a smaller -n", 24 * p.size >> 20,
                  avail >> 20);
        return 1;
    }
    if ((rc = stream_alloc(&x, p.size))) {
        cli_error(p.topic, "cannot allocate the arrays: %s",
                  cli_strerror(rc));
        rc = 1;
        goto out;
    }
    caches_text(caches, sizeof(caches), &r.llc_bytes);
    rep = report_begin(&p, "Memory: the memory wall, roofline, SIMD",
                       "Lecture: \"Can be done by CPU or GPU cores\". Data "
                       "parallelism over arrays\nlarger than the caches: "
                       "which work scales with the cores, and which waits\n"
                       "for memory.");
    if ((rc = measure(&p, rep, &x, &r, cr))) {
        report_discard(rep);
        goto out;
    }
    report_all(rep, &p, &r, cr, caches);
    rc = report_end(rep);
out:
    stream_free(&x);
    return rc;
}

/* ---- `pardemo bench memory` -------------------------------------------- */

/* What STREAM kernel k leaves in the array it writes, after
 * stream_init (a = 2, b = 2, c = 0): copy c = a, scale b = q c,
 * add c = a + b, triad a = b + q c. */
static const double *stream_result(const struct stream_arrays *x, int k,
                                   double *want)
{
    static const double wants[STREAM_N] = { 2.0, STREAM_SCALAR * 0.0,
                                            2.0 + 2.0,
                                            2.0 + STREAM_SCALAR * 0.0 };
    *want = wants[k];
    return k == STREAM_SCALE ? x->b : k == STREAM_TRIAD ? x->a : x->c;
}

/* One pass of STREAM kernel k (or, k < 0, the compute kernel) over fresh
 * arrays; the checksum counts the elements that came out right (n when
 * all did). */
static int kernel_arrays(const struct run_params *in, struct run_result *out,
                         int k)
{
    struct stream_arrays x = { 0 };
    const double *got;
    double t0, want;
    long long bad = 0;

    if (stream_alloc(&x, in->size)) {
        stream_free(&x);
        errno = ENOMEM;
        return -1;
    }
    stream_init(&x, in->threads);
    t0 = clk_now();
    if (k >= 0)
        stream_run(&x, k, in->threads);
    else
        compute_run(&x, in->threads);
    out->seconds = clk_now() - t0;
    if (k >= 0) {
        got = stream_result(&x, k, &want);
        for (long long j = 0; j < x.n; j++)
            bad += is_off(got[j], want);
    } else {
        bad = compute_check(&x);
    }
    out->checksum = (uint64_t)(x.n - bad);
    stream_free(&x);
    return 0;
}

static int k_copy(const struct run_params *in, struct run_result *out)
{
    return kernel_arrays(in, out, STREAM_COPY);
}

static int k_scale(const struct run_params *in, struct run_result *out)
{
    return kernel_arrays(in, out, STREAM_SCALE);
}

static int k_add(const struct run_params *in, struct run_result *out)
{
    return kernel_arrays(in, out, STREAM_ADD);
}

static int k_triad(const struct run_params *in, struct run_result *out)
{
    return kernel_arrays(in, out, STREAM_TRIAD);
}

static int k_compute(const struct run_params *in, struct run_result *out)
{
    return kernel_arrays(in, out, -1);
}

static int kernel_sum(const struct run_params *in, struct run_result *out,
                      int variant)
{
    double v[SUM_LEN], t0;
    struct sum_job j = { v, in->size / SUM_LEN + 1, variant, in->threads,
                         0 };

    for (int i = 0; i < SUM_LEN; i++)
        v[i] = i % 8;
    t0 = clk_now();
    sum_run(&j);
    out->seconds = clk_now() - t0;
    out->checksum = (uint64_t)j.total;
    return 0;
}

static int k_sum_scalar(const struct run_params *in, struct run_result *out)
{
    return kernel_sum(in, out, 0);
}

static int k_sum_simd(const struct run_params *in, struct run_result *out)
{
    return kernel_sum(in, out, 1);
}

static int k_sum_both(const struct run_params *in, struct run_result *out)
{
    return kernel_sum(in, out, 2);
}

static const struct kernel memory_kernels[] = {
    { "copy", "STREAM copy c = a, OpenMP threads", k_copy },
    { "scale", "STREAM scale b = q c, OpenMP threads", k_scale },
    { "add", "STREAM add c = a + b, OpenMP threads", k_add },
    { "triad", "STREAM triad a = b + q c, OpenMP threads", k_triad },
    { "compute", "64 FLOPs per element of the same arrays", k_compute },
    { "sum-scalar", "a sum, one thread, no SIMD (ignores -t)",
      k_sum_scalar },
    { "sum-simd", "a sum, #pragma omp simd, one thread (ignores -t)",
      k_sum_simd },
    { "sum-threads-simd", "a sum, threads and SIMD", k_sum_both },
    { NULL, NULL, NULL },
};

const struct demo demo_memory = {
    .name = "memory",
    .summary = "the memory wall: STREAM, a compute kernel, roofline, SIMD",
    .main = memory_main,
    .kernels = memory_kernels,
    .slide = "Recap: parallel computing on CPU cores",
    .spec = &memory_spec,
    .sizes = { DEFAULT_N },
    .quick_sizes = { QUICK_N },
};
