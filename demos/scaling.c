/* scaling.c - Amdahl vs Gustafson: what a serial fraction costs.
 * A job with a serial phase the student sets (--serial 0.1: one worker
 * does 10% of the work alone, then N workers share the rest), run two
 * ways: the same job on more workers (strong scaling, Amdahl's law), and
 * a job that grows with the workers (weak scaling, Gustafson's law).
 * Notice the ceiling 1/F, and the serial fraction Karp-Flatt reads back.
 */
#include "pardemo.h"
#include "cli.h"
#include "demos.h"
#include "laws.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "work.h"
#include "lesson/scaling.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_UNITS 32768     /* about 0.1 s of work for one worker */
#define QUICK_UNITS 4096
#define SEED 0x5CA1AB1EULL
#define PREDICT_AT_LEAST 4      /* rows shown past 1 or 2 CPUs */

struct scaling_opts {
    const char *serial;         /* --serial, a fraction 0..1 */
};

static const struct cli_opt scaling_cli_opts[] = {
    { "serial", 0, CLI_STR, "F", "fraction of the 1-worker job that runs "
      "serially (0..1)", 0, 0, NULL, offsetof(struct scaling_opts, serial) },
    { 0 },
};

static const struct cli_spec scaling_spec = {
    .common = CLI_COMMON & ~CLI_SEED,
    .size_help = "work units in the 1-worker job (a unit is ~3 µs of CPU)",
    .size_min = 16, .size_max = 1LL << 26,
    .threads_max = SCALING_MAX_WORKERS,
    .threads_help = "the most workers",
    .opts = scaling_cli_opts,
    .examples = "pardemo scaling\n"
                "pardemo scaling --serial 0.3 -t 8\n"
                "pardemo scaling --serial 0 --quick --format csv",
};

/* One run of the job. The serial phase is one worker's; the parallel
 * phase is shared by `workers` (OpenMP threads). A growing job (weak
 * scaling) gives every worker as much parallel work as the 1-worker job
 * had. The sum of the units is the same however they are split. */
struct job {
    double serial;
    long long units;
    int workers;
    bool is_weak;
    uint64_t sum;
    uint64_t shared_sum;        /* of the units the 1-worker job has too */
    double serial_s;            /* the serial phase's time, last run */
};

static long long serial_units(const struct job *j)
{
    return llround(j->serial * (double)j->units);
}

static long long parallel_units(const struct job *j)
{
    return (j->units - serial_units(j)) * (j->is_weak ? j->workers : 1);
}

static int run_job(void *arg)
{
    struct job *j = arg;
    long long s = serial_units(j), np = parallel_units(j);
    double t0 = clk_now();
    uint64_t sum = work_units(SEED, 0, s);      /* one worker, alone */
    uint64_t grown = 0;

    j->serial_s = clk_now() - t0;
    /* then everyone: static schedule, one block of units per thread */
    #pragma omp parallel for num_threads(j->workers) schedule(static) \
            reduction(+:sum, grown)
    for (long long u = 0; u < np; u++) {
        uint64_t v = work_unit(SEED, (uint64_t)(s + u));
        if (s + u < j->units)
            sum += v;
        else
            grown += v;             /* a weak job's extra units */
    }
    j->shared_sum = sum;
    j->sum = sum + grown;
    return 0;
}

/* The weak job's work against the 1-worker job's. */
static double weak_work(const struct job *j)
{
    return (double)(serial_units(j) + parallel_units(j)) / (double)j->units;
}

/* Times job j as the plan says; *busy gets the CPUs it kept busy
 * (CPU time / wall time, warm-up included). */
static struct est time_job(struct job *j, const struct reps_plan *pl,
                           double *samples, double *busy)
{
    double cpu0 = cond_cpu_seconds(), t0 = clk_now(), wall;
    struct stats st;
    int err;

    st = stats_time_plan(run_job, j, pl, samples, &err);
    wall = clk_now() - t0;
    *busy = wall > 0 ? (cond_cpu_seconds() - cpu0) / wall : 0;
    return est_of(&st);
}

/* Measures points 1..res->npoints that fit on the allowed CPUs. Returns
 * 0, or 1 after an error line (a wrong sum). */
static int measure(const struct run_params *p, struct report *rep,
                   double serial, struct scaling_results *res,
                   double *serial_share)
{
    struct reps_plan pl = stats_plan(p, 5);
    double *samples = calloc((size_t)pl.max, sizeof(*samples)), busy;
    uint64_t want = 0;
    struct cond_probe probe;

    if (!samples) {
        cli_error(p->topic, "cannot allocate the timings: %s",
                  cli_strerror(ENOMEM));
        return 1;
    }
    cond_start(&probe);
    for (int i = 0; i < res->npoints && res->points[i].is_measured; i++) {
        struct job strong = { serial, p->size, i + 1, false, 0, 0, 0 };
        struct job weak = { serial, p->size, i + 1, true, 0, 0, 0 };

        report_progress(rep, "scaling: %d worker%s", i + 1, i ? "s" : "");
        res->points[i].strong_s = time_job(&strong, &pl, samples,
                                           &res->points[i].busy);
        res->points[i].weak_s = time_job(&weak, &pl, samples, &busy);
        if (i == 0) {
            want = strong.sum;
            *serial_share = strong.serial_s / res->points[0].strong_s.v;
        }
        if (strong.sum != want) {
            free(samples);
            cli_error(p->topic, "wrong answer with %d workers: sum %llx, "
                      "1 worker gave %llx", i + 1,
                      (unsigned long long)strong.sum,
                      (unsigned long long)want);
            return 1;
        }
    }
    res->cond = cond_stop(&probe);
    free(samples);
    return 0;
}

/* A measured value, or "-" in the text view for a predicted-only row
 * (null in CSV and JSON). */
static void cell(struct table *t, const struct run_params *p, double v,
                 bool is_known)
{
    if (is_known)
        table_num(t, v);
    else if (p->format == FMT_TEXT)
        table_str(t, "-");
    else
        table_num(t, NAN);
}

static void strong_table(struct report *rep, const struct run_params *p,
                         const struct scaling_results *r)
{
    struct table *t = report_table(rep, "strong", "Strong scaling: the "
                                   "same job on more workers (Amdahl)");

    table_col(t, "workers", "workers", U_INT);
    table_col(t, "seconds", "time", U_DUR);
    table_col(t, "speedup", "speedup", U_RATIO);
    table_col(t, "amdahl", "Amdahl", U_RATIO);
    table_col(t, "cpus_busy", "CPUs busy", U_NUM);
    table_col(t, "karp_flatt", "Karp-Flatt e", U_PCT);
    table_col_data(t, "seconds_lo", U_SEC);
    table_col_data(t, "seconds_hi", U_SEC);
    for (int i = 0; i < r->npoints; i++) {
        const struct scaling_point *pt = &r->points[i];
        bool is_m = pt->is_measured;
        table_num(t, pt->workers);
        cell(t, p, pt->strong_s.v, is_m);
        cell(t, p, scaling_speedup(r, i).v, is_m);
        table_num(t, law_amdahl(r->serial, pt->workers));
        cell(t, p, pt->busy, is_m);
        cell(t, p, scaling_karp_flatt(r, i).v, is_m && i > 0);
        cell(t, p, pt->strong_s.lo, is_m);
        cell(t, p, pt->strong_s.hi, is_m);
    }
    table_end(t);
}

static void weak_table(struct report *rep, const struct run_params *p,
                       const struct scaling_results *r)
{
    struct table *t = report_table(rep, "weak", "Weak scaling: the "
                                   "parallel work grows with the workers "
                                   "(Gustafson)");

    table_col(t, "workers", "workers", U_INT);
    table_col(t, "work", "work", U_RATIO);
    table_col(t, "seconds", "time", U_DUR);
    table_col(t, "scaled_speedup", "scaled speedup", U_RATIO);
    table_col(t, "gustafson", "Gustafson", U_RATIO);
    table_col_data(t, "seconds_lo", U_SEC);
    table_col_data(t, "seconds_hi", U_SEC);
    for (int i = 0; i < r->npoints; i++) {
        const struct scaling_point *pt = &r->points[i];
        bool is_m = pt->is_measured;
        table_num(t, pt->workers);
        table_num(t, pt->weak_work);
        cell(t, p, pt->weak_s.v, is_m);
        cell(t, p, scaling_scaled(r, i).v, is_m);
        table_num(t, law_gustafson(r->serial, pt->workers));
        cell(t, p, pt->weak_s.lo, is_m);
        cell(t, p, pt->weak_s.hi, is_m);
    }
    table_end(t);
}

/* --serial: a fraction 0..1 written as a plain decimal. Returns -1 to go
 * on, or 2 after the error line. */
static int parse_serial(const char *topic, const char *s, double *f)
{
    char *end;

    errno = 0;
    *f = strtod(s, &end);
    if (!*s || *end || errno || !(*f >= 0 && *f <= 1) ||
        strpbrk(s, "xXpPnNiI")) {
        cli_error(topic, "--serial must be a fraction 0..1 (got '%s')", s);
        return 2;
    }
    return -1;
}

/* Parses the options. Returns -1 to go on, else the exit status. */
static int parse_args(struct run_params *p, struct scaling_opts *o,
                      double *serial, int argc, char **argv)
{
    int rc, cpus = sys_allowed_cpus();

    cli_defaults(p, "scaling");
    cli_prescan_quick(p, argc, argv);
    p->threads = cpus < PREDICT_AT_LEAST ? PREDICT_AT_LEAST : cpus;
    p->threads = p->threads > SCALING_MAX_WORKERS ? SCALING_MAX_WORKERS
                                                  : p->threads;
    p->size = demo_size(&demo_scaling, p->is_quick);
    o->serial = "0.1";
    if ((rc = cli_parse(&demo_scaling, argc, argv, p, o)) >= 0)
        return rc;
    if (!p->size_given)
        p->size = demo_size(&demo_scaling, p->is_quick);
    return parse_serial(p->topic, o->serial, serial);
}

static void report_all(struct report *rep, const struct run_params *p,
                       struct scaling_results *res, double serial_share)
{
    struct notices ns;
    char units[32];

    report_param(rep, "serial", "%.3g of the 1-worker job", res->serial);
    report_param(rep, "work", "%s units (~3 µs of CPU each)",
                 cli_fmt_size(p->size, units, sizeof(units)));
    report_text(rep, "The job: one worker does %.3g of the work alone (the "
                "serial phase), then\nthe workers share the rest (an OpenMP "
                "parallel for). Measured with 1 worker,\nthe serial phase "
                "took %.3g%% of the time.", res->serial, 100 * serial_share);
    strong_table(rep, p, res);
    weak_table(rep, p, res);
    if (res->npoints > res->cpus_allowed || res->cpus_allowed == 1)
        report_text(rep, "Rows with '-' are predictions only: they need "
                    "more workers than the %d allowed\nCPU%s.",
                    res->cpus_allowed, res->cpus_allowed == 1 ? "" : "s");
    notices_init(&ns);
    scaling_notices(res, &ns);
    report_conditions(rep, "measurements", &res->cond);
    report_notices(rep, &ns);
}

static int scaling_main(int argc, char **argv)
{
    struct run_params p;
    struct scaling_opts o;
    struct scaling_results res;
    struct report *rep;
    double share = 0;
    int rc;

    if ((rc = parse_args(&p, &o, &res.serial, argc, argv)) >= 0)
        return rc;
    res.cpus_allowed = sys_allowed_cpus();
    res.npoints = p.threads;
    memset(&res.cond, 0, sizeof(res.cond));
    for (int i = 0; i < res.npoints; i++) {
        struct job weak = { res.serial, p.size, i + 1, true, 0, 0, 0 };
        res.points[i] = (struct scaling_point){
            .workers = i + 1, .is_measured = i < res.cpus_allowed,
            .weak_work = weak_work(&weak) };
    }
    rep = report_begin(&p, "Scaling: Amdahl vs Gustafson",
                       "Lecture: \"Report on the benefits of "
                       "parallelisation\". A job with a serial\nphase, on "
                       "more workers: the same job (strong scaling) and a "
                       "growing one\n(weak scaling).");
    if (measure(&p, rep, res.serial, &res, &share)) {
        report_discard(rep);
        return 1;
    }
    report_all(rep, &p, &res, share);
    return report_end(rep);
}

/* `pardemo bench scaling`: the fixed job at three serial fractions. */
static int kernel_job(const struct run_params *in, struct run_result *out,
                      double serial, bool is_weak)
{
    struct job j = { serial, in->size, in->threads, is_weak, 0, 0, 0 };
    double t0 = clk_now();

    run_job(&j);
    out->seconds = clk_now() - t0;
    /* the units every worker count shares: the same sum at any count */
    out->checksum = j.shared_sum;
    return 0;
}

static int k_serial0(const struct run_params *in, struct run_result *out)
{
    return kernel_job(in, out, 0, false);
}

static int k_serial10(const struct run_params *in, struct run_result *out)
{
    return kernel_job(in, out, 0.1, false);
}

static int k_serial30(const struct run_params *in, struct run_result *out)
{
    return kernel_job(in, out, 0.3, false);
}

/* Weak scaling: every worker gets the 1-worker job's parallel work, so
 * the job (and its sum) grows with the workers; `pardemo plot` draws the
 * scaled speedup beside Gustafson's law. */
static int k_weak10(const struct run_params *in, struct run_result *out)
{
    return kernel_job(in, out, 0.1, true);
}

static int k_weak30(const struct run_params *in, struct run_result *out)
{
    return kernel_job(in, out, 0.3, true);
}

/* The names say the serial fraction in %: bench/plot_charts.c reads it
 * back to draw the laws (scaling_kernel_fraction). */
static const struct kernel scaling_kernels[] = {
    { "serial-0", "the fixed job, no serial phase", k_serial0 },
    { "serial-10", "the fixed job, 10% serial", k_serial10 },
    { "serial-30", "the fixed job, 30% serial", k_serial30 },
    { "weak-10", "the job grows with the workers, 10% serial", k_weak10 },
    { "weak-30", "the job grows with the workers, 30% serial", k_weak30 },
    { NULL, NULL, NULL },
};

const struct demo demo_scaling = {
    .name = "scaling",
    .summary = "Amdahl vs Gustafson: a serial fraction, strong and weak",
    .main = scaling_main,
    .kernels = scaling_kernels,
    .slide = "Objectives: the benefits of parallelisation",
    .spec = &scaling_spec,
    .sizes = { DEFAULT_UNITS },
    .quick_sizes = { QUICK_UNITS },
};
