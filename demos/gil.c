/* gil.c - why Python needs processes for CPU work: the GIL.
 * A "global interpreter lock" built like CPython's: CPU threads must hold
 * it, and a waiting thread asks the holder to let go every switch interval.
 * Look at: locked CPU threads stay near 1x whatever the CPU count, the
 * same threads unlocked (or as processes) scale, and waiting threads scale
 * despite the lock because they release it while they wait. Then the real
 * thing: the lecture's Python (demos/python/gil_burn.py) in pardemo's
 * CPython, threads vs processes vs Pool, the same work in both languages.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "cleanup.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "work.h"
#include "demos.h"
#include "lesson/gil.h"
#include "pyspark/pylesson.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPLY_UNITS 2           /* work after each wait, holding the GIL */
#define DEFAULT_SWITCH_US 5000  /* CPython's sys.getswitchinterval() */
#define DEFAULT_WAIT_US 2000
/* A work unit takes about 1000 times as long in pure Python as in C: the
 * Python part does size / PY_UNIT_SHARE units: a run about twice as long */
#define PY_UNIT_SHARE 512

/* ---- the GIL: a mutex + condition variable, as in CPython's
 * Python/ceval_gil.h ---- */

struct gil {
    pthread_mutex_t mu;
    pthread_cond_t released;    /* signalled when the holder lets go */
    pthread_cond_t switched;    /* broadcast when someone takes it */
    bool is_locked;
    int holder;                 /* who took it last */
    unsigned long takes;        /* times it was taken */
    unsigned long handoffs;     /* ... by a thread other than the last */
    /* A waiter that waited a whole interval in vain sets this; the holder
     * polls it between units of work, as CPython's eval loop polls its
     * "eval breaker" between bytecodes. */
    atomic_bool drop_request;
    long long interval_us;
};

static int gil_init(struct gil *g, long long interval_us)
{
    pthread_condattr_t ca;

    memset(g, 0, sizeof(*g));
    g->holder = -1;
    g->interval_us = interval_us;
    atomic_init(&g->drop_request, false);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (pthread_mutex_init(&g->mu, NULL) ||
        pthread_cond_init(&g->released, &ca) ||
        pthread_cond_init(&g->switched, &ca)) {
        pthread_condattr_destroy(&ca);
        return -1;
    }
    pthread_condattr_destroy(&ca);
    return 0;
}

static void gil_destroy(struct gil *g)
{
    pthread_cond_destroy(&g->switched);
    pthread_cond_destroy(&g->released);
    pthread_mutex_destroy(&g->mu);
}

static struct timespec deadline_in(long long us)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += us / 1000000;
    ts.tv_nsec += (us % 1000000) * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    return ts;
}

/* Waits for the GIL. After each interval in which the holder did not
 * change, asks it to drop the lock: without the request a CPU-bound holder
 * would re-take it at once and the others would starve. */
static void gil_take(struct gil *g, int id)
{
    pthread_mutex_lock(&g->mu);
    while (g->is_locked) {
        unsigned long seen = g->takes;
        struct timespec until = deadline_in(g->interval_us);
        int rc = pthread_cond_timedwait(&g->released, &g->mu, &until);
        if (rc == ETIMEDOUT && g->is_locked && g->takes == seen)
            atomic_store(&g->drop_request, true);
    }
    g->is_locked = true;
    g->handoffs += g->holder != id && g->holder >= 0;
    g->holder = id;
    g->takes++;
    atomic_store(&g->drop_request, false);
    pthread_cond_broadcast(&g->switched);
    pthread_mutex_unlock(&g->mu);
}

/* Lets go of the GIL (before a blocking wait, or when done). */
static void gil_drop(struct gil *g)
{
    pthread_mutex_lock(&g->mu);
    g->is_locked = false;
    pthread_cond_signal(&g->released);
    pthread_mutex_unlock(&g->mu);
}

/* The holder was asked to let go: it drops the GIL and waits until
 * another thread has really taken it before queueing again, or it would
 * win the race back (CPython's FORCE_SWITCHING). The requester is still
 * waiting in gil_take, so the switch does come. */
static void gil_yield(struct gil *g, int id)
{
    pthread_mutex_lock(&g->mu);
    unsigned long seen = g->takes;
    g->is_locked = false;
    pthread_cond_signal(&g->released);
    while (g->takes == seen)
        pthread_cond_wait(&g->switched, &g->mu);
    pthread_mutex_unlock(&g->mu);
    gil_take(g, id);
}

/* ---- the workers: each variant is one of these ---- */

struct gil_job {
    uint64_t seed;
    long long total;            /* CPU units, or waiting tasks */
    long long wait_us;
    struct gil *gil;            /* NULL: threads without the lock */
};

/* Pure-Python-style CPU work: holds the GIL, yields when asked. */
static uint64_t cpu_worker(void *arg, int id, int n)
{
    const struct gil_job *j = arg;
    long long first, count;
    uint64_t sum = 0;

    work_split(j->total, n, id, &first, &count);
    if (j->gil)
        gil_take(j->gil, id);
    for (long long u = first; u < first + count; u++) {
        sum += work_unit(j->seed, (uint64_t)u);
        if (j->gil && atomic_load_explicit(&j->gil->drop_request,
                                           memory_order_relaxed))
            gil_yield(j->gil, id);
    }
    if (j->gil)
        gil_drop(j->gil);
    return sum;
}

/* IO-style work: a blocking call releases the GIL while it waits (like
 * time.sleep or socket.recv), then the reply is handled holding it. */
static uint64_t wait_worker(void *arg, int id, int n)
{
    const struct gil_job *j = arg;
    long long first, count;
    uint64_t sum = 0;

    work_split(j->total, n, id, &first, &count);
    for (long long t = first; t < first + count; t++) {
        (void)work_wait_us(j->wait_us);     /* a WAIT, without the GIL */
        gil_take(j->gil, id);
        sum += work_units(j->seed, t * REPLY_UNITS, REPLY_UNITS);
        gil_drop(j->gil);
    }
    return sum;
}

struct variant {
    const char *name;
    bool is_wait, is_procs, has_gil;
};

/* The Python each one mirrors is printed by python_text(). */
static const struct variant variants[] = {
    { "CPU threads + GIL", false, false, true },
    { "CPU threads, no GIL", false, false, false },
    { "CPU processes", false, true, true },
    { "waiting threads + GIL", true, false, true },
};

#define NVARIANTS ((int)ARRAY_SIZE(variants))

/* One timed run of variant v. Processes each get their own copy of the
 * GIL (fork copies it), exactly as each Python process has its own
 * interpreter and lock. *handoffs is NAN when no shared GIL is seen. */
static int run_variant(const struct variant *v, struct gil_job *j,
                       int workers, long long switch_us,
                       struct run_result *out, double *handoffs)
{
    struct gil g;
    int rc;

    if (gil_init(&g, switch_us) < 0)
        return -1;
    j->gil = v->has_gil ? &g : NULL;
    rc = work_timed(workers, v->is_procs,
                    v->is_wait ? wait_worker : cpu_worker, j, out);
    *handoffs = v->has_gil && !v->is_procs ? (double)g.handoffs : NAN;
    j->gil = NULL;
    gil_destroy(&g);
    return rc;
}

static int kernel_run(const struct run_params *in, struct run_result *out,
                      int v)
{
    struct gil_job j = { in->seed, v == 3 ? work_wait_tasks(in->size)
                                          : in->size, DEFAULT_WAIT_US, NULL };
    double handoffs;

    return run_variant(&variants[v], &j, in->threads, DEFAULT_SWITCH_US,
                       out, &handoffs);
}

static int k_gil(const struct run_params *in, struct run_result *o)
{
    return kernel_run(in, o, 0);
}

static int k_nogil(const struct run_params *in, struct run_result *o)
{
    return kernel_run(in, o, 1);
}

static int k_procs(const struct run_params *in, struct run_result *o)
{
    return kernel_run(in, o, 2);
}

static int k_wait(const struct run_params *in, struct run_result *o)
{
    return kernel_run(in, o, 3);
}

static const struct kernel gil_kernels[] = {
    { "gil-threads", "size CPU units over threads sharing one GIL", k_gil },
    { "nogil-threads", "size CPU units over threads, no lock", k_nogil },
    { "gil-procs", "size CPU units over processes, a GIL each", k_procs },
    { "gil-wait", "size/256 tasks (2 ms wait without the GIL + 2 units)",
      k_wait },
    { 0 },
};

/* ---- the topic ---- */

struct gil_opts {
    int switch_us;              /* --switch-interval */
    int tasks, wait_us;
    struct pyl_opts py;         /* --no-python, --python-only... */
};

static const struct cli_opt gil_opts[] = {
    { "switch-interval", 0, CLI_INT, "US",
      "how long a waiter waits before asking the holder to let go (µs)",
      100, 1000000, NULL, offsetof(struct gil_opts, switch_us) },
    { "tasks", 0, CLI_INT, "N", "waiting-bound tasks, in all", 1, 1000000,
      NULL, offsetof(struct gil_opts, tasks) },
    { "wait-us", 0, CLI_INT, "US", "each task's wait, in microseconds",
      1, 1000000, NULL, offsetof(struct gil_opts, wait_us) },
    PYL_CLI_OPTS(struct gil_opts, py),
    { 0 },
};

static const struct cli_spec gil_spec = {
    .common = CLI_COMMON,
    .size_help = "CPU work units in all (about 3 µs each)",
    .size_min = 1, .size_max = 1LL << 30,
    .opts = gil_opts,
    .examples = "pardemo gil --quick\n"
                "pardemo gil -t 8 --switch-interval 1000\n"
                "pardemo gil --quick --format json\n"
                "pardemo gil --quick --python-only --start-method spawn",
};

struct sweep_ctx {
    struct report *r;
    struct gil_job *cpu, *wait;
    long long switch_us;
};

/* One trial of the sweep (see work_sweep_run); keeps the handoffs. */
static int gil_trial(void *ctx, int v, int workers, struct run_result *out,
                     double *handoffs)
{
    const struct sweep_ctx *x = ctx;

    report_progress(x->r, "%s, %d workers...", variants[v].name, workers);
    return run_variant(&variants[v], variants[v].is_wait ? x->wait : x->cpu,
                       workers, x->switch_us, out, handoffs);
}

static int measure_sweep(struct report *r, const struct run_params *p,
                         const struct gil_opts *o, struct work_sweep *sw)
{
    struct gil_job cpu = { p->seed, p->size, 0, NULL };
    struct gil_job wait = { p->seed, o->tasks, o->wait_us, NULL };
    struct sweep_ctx ctx = { r, &cpu, &wait, o->switch_us };
    struct run_result warm;
    double hand;

    if (run_variant(&variants[1], &cpu, 1, o->switch_us, &warm, &hand) < 0)
        return -1;                                  /* warm-up */
    sw->nvariants = NVARIANTS;
    sw->plan = stats_plan(p, p->reps);
    sw->ncounts = work_counts(p->threads, sys_allowed_cpus(), sw->counts,
                              WORK_MAX_COUNTS);
    return work_sweep_run(sw, gil_trial, &ctx);
}

/* ---- the Python part: gil_burn.py, run by the real CPython ---- */

static const char *const py_names[PY_NV] = {
    "CPU threads", "CPU processes", "CPU Pool.map", "waiting threads",
};

static const char *const py_funcs[PY_NV] = {
    "threads", "processes", "pool", "waiting",
};

struct py_ctx {
    struct report *r;
    uint64_t seed;
    long long units;
    int tasks;
    double wait_s;
};

/* What the Python part measured. */
struct py_part {
    struct pyl_part part;       /* ran, or why not */
    struct work_sweep sw;
    long long units;
};

static long long py_units(const struct run_params *p)
{
    long long n = p->size / PY_UNIT_SHARE;

    return n > p->threads ? n : p->threads;
}

/* One trial: gil_burn.FUNCTION(workers, ...) timed from the call to its
 * answer, which is the checksum. A signal makes it fail with EINTR. */
static int py_trial(void *ctx, int v, int workers, struct run_result *out,
                    double *extra)
{
    const struct py_ctx *x = ctx;
    struct pyl_num got = { 0, 0 };
    double t0;
    int n;

    (void)extra;
    report_progress(x->r, "Python %s, %d workers...", py_names[v], workers);
    t0 = clk_now();
    if (v == PY_WAIT)
        n = pyl_call(&got, 1, "gil_burn", "waiting", "(iid)", workers,
                     x->tasks, x->wait_s);
    else
        n = pyl_call(&got, 1, "gil_burn", py_funcs[v], "(iKL)", workers,
                     (unsigned long long)x->seed, x->units);
    out->seconds = clk_now() - t0;
    out->checksum = got.u;
    return n == 1 ? 0 : pyl_fail(n);
}

struct py_measure {
    const struct run_params *p;
    const struct gil_opts *o;
    struct py_part *pp;
};

/* The Python sweep, between pyl_start and pyl_stop (pyl_part_run). */
static int measure_python(void *ctx, struct report *r)
{
    const struct py_measure *m = ctx;
    struct py_ctx x = { r, m->p->seed, 1, 1, m->o->wait_us / 1e6 };
    struct work_sweep *py = &m->pp->sw;
    struct run_result warm;
    double none;

    report_param(r, "python_cpu_units", "%lld", m->pp->units);
    /* warm-up: the imports, and this interpreter's first worker */
    if (py_trial(&x, PY_THREADS, 1, &warm, &none) < 0 ||
        py_trial(&x, PY_PROCS, 1, &warm, &none) < 0)
        return -1;
    x.units = m->pp->units;
    x.tasks = m->o->tasks;
    py->nvariants = PY_NV;
    py->plan = stats_plan(m->p, m->p->reps);
    py->ncounts = work_counts(m->p->threads, sys_allowed_cpus(), py->counts,
                              WORK_MAX_COUNTS);
    return work_sweep_run(py, py_trial, &x);
}

/* Starts Python, measures, stops it. Returns 0 (pp->part.has_run says
 * whether it ran), or -1 after an error line. */
static int python_part(struct report *r, const struct run_params *p,
                       const struct gil_opts *o, struct py_part *pp)
{
    struct py_measure m = { p, o, pp };

    pp->units = py_units(p);
    return pyl_part_run(&pp->part, "gil", &o->py, r, measure_python, &m);
}

/* The rows of one sweep; a row's answer is checked against expect[v]. */
static void table_rows(struct table *t, const struct work_sweep *sw,
                       const char *language, const char *const *names,
                       const uint64_t *expect)
{
    char sum[20];

    for (int v = 0; v < sw->nvariants; v++) {
        for (int c = 0; c < sw->ncounts; c++) {
            table_str(t, language);
            table_str(t, names[v]);
            table_num(t, sw->counts[c]);
            table_num(t, sw->secs[v][c]);
            table_num(t, sw->time[v][c].lo);
            table_num(t, sw->time[v][c].hi);
            table_num(t, sw->speedup[v][c]);
            table_num(t, sw->cpus[v][c]);
            table_num(t, sw->extra[v][c]);
            table_str(t, sw->checksum[v][c] == expect[v] ? "yes" : "NO");
            snprintf(sum, sizeof(sum), "%016llx",
                     (unsigned long long)sw->checksum[v][c]);
            table_str(t, sum);
        }
    }
}

static void sweep_table(struct report *r, const struct run_params *p,
                        const struct gil_opts *o, const struct work_sweep *sw,
                        const struct py_part *pp)
{
    const char *names[NVARIANTS];
    uint64_t expect[WORK_MAX_VARIANTS];
    struct table *t;

    t = report_table(r, "gil", "Fixed total work split over N workers "
                     "(speedup vs the same variant with 1\nworker; CPUs "
                     "busy = CPU time / wall time: how many really ran; "
                     "same: the\nanswer is the 1-worker run's, for Python "
                     "C's answer to the same work)");
    table_col(t, "language", "lang", U_TEXT);
    table_col(t, "variant", "variant", U_TEXT);
    table_col(t, "workers", "workers", U_INT);
    table_col(t, "median_seconds", "time", U_MS);
    table_col_data(t, "q1_seconds", U_SEC);
    table_col_data(t, "q3_seconds", U_SEC);
    table_col(t, "speedup", "speedup", U_RATIO);
    table_col(t, "cpus_busy", "CPUs busy", U_NUM);
    table_col(t, "gil_handoffs", "handoffs", U_INT);
    table_col(t, "same_checksum", "same", U_TEXT);
    table_col_data(t, "checksum", U_TEXT);
    if (sw) {
        for (int v = 0; v < NVARIANTS; v++) {
            names[v] = variants[v].name;
            expect[v] = sw->checksum[v][0];
        }
        table_rows(t, sw, "C", names, expect);
    }
    if (pp->part.has_run) {
        for (int v = 0; v < PY_NV; v++)
            expect[v] = work_units(p->seed, 0, pp->units);
        expect[PY_WAIT] = (uint64_t)o->tasks;     /* tasks waited */
        table_rows(t, &pp->sw, "Python", py_names, expect);
    }
    table_end(t);
}

static void mirror_text(struct report *r, const struct gil_opts *o)
{
    report_text(r,
        "What each variant mirrors in Python. burn() is pure-Python "
        "arithmetic, so\nit must hold the GIL; the --switch-interval is "
        "sys.getswitchinterval(),\n%g s here.\n\n"
        "  def burn(first, n):                    # CPU-bound\n"
        "      return sum(unit(u) for u in range(first, first + n))\n"
        "  def fetch(tasks):                      # waiting-bound\n"
        "      for t in tasks:\n"
        "          time.sleep(%g)  # a WAIT: releases the GIL\n"
        "          handle(t)          # work: holds the GIL again\n\n"
        "  CPU threads + GIL:   ws = [threading.Thread(target=burn, "
        "args=part(i))\n"
        "                             for i in range(N)]\n"
        "  CPU processes:       ws = [multiprocessing.Process(target=burn, "
        "args=part(i))\n"
        "                             for i in range(N)]\n"
        "  waiting threads:     ws = [threading.Thread(target=fetch, "
        "args=(part(i),))\n"
        "                             for i in range(N)]\n"
        "  then, for all:       for w in ws: w.start()\n"
        "                       for w in ws: w.join()\n\n"
        "  CPU threads, no GIL: no Python equivalent in the default build;"
        " C threads,\n"
        "                       NumPy's C loops that release the GIL, or "
        "Python 3.13t.",
        o->switch_us / 1e6, o->wait_us / 1e6);
}

/* The snippet that ran: gil_burn.py from its first import on. */
static void snippet_text(struct report *r, const struct py_part *pp)
{
    const char *src = pyl_source("gil_burn");
    const char *code = src ? strstr(src, "\nfrom ") : NULL;

    report_text(r, "The lecture's Python as it ran in pardemo's CPython %s:\n"
                "demos/python/gil_burn.py (its cpu() is the C work unit "
                "line for line):\n%s", pp->part.info.version,
                code ? code : "");
}

static void python_text(struct report *r, const struct gil_opts *o,
                        const struct py_part *pp)
{
    if (!o->py.is_only)
        mirror_text(r, o);
    if (pp->part.has_run)
        snippet_text(r, pp);
    else
        pyl_part_text(r, &pp->part, &o->py, "gil",
                      "the lecture's Python (gil_burn.py)", NULL);
}

static void notices(struct report *r, const struct run_params *p,
                    const struct work_sweep *sw, const struct gil_opts *o,
                    const struct py_part *pp)
{
    struct gil_results res = { sw, sys_allowed_cpus(), o->switch_us / 1e6,
                               pp->part.has_run ? &pp->sw : NULL, p->size,
                               pp->units };
    struct notices ns;

    notices_init(&ns);
    gil_notices(&res, &ns);
    if (sw)
        report_conditions(r, res.py ? "C" : NULL, &sw->cond);
    if (res.py)
        report_conditions(r, sw ? "Python" : NULL, &res.py->cond);
    report_notices(r, &ns);
}

static void set_defaults(struct run_params *p, struct gil_opts *o)
{
    int cpus = sys_allowed_cpus();

    p->reps = 3;
    p->size = demo_size(&demo_gil, p->is_quick);
    p->threads = p->is_quick || cpus < 4 ? 4 : cpus;
    if (p->threads > WORK_MAX_WORKERS)
        p->threads = WORK_MAX_WORKERS;
    o->switch_us = DEFAULT_SWITCH_US;
    /* enough tasks per worker that starting them is not the bottleneck */
    o->tasks = 4 * p->threads < 64 ? 64 : 4 * p->threads;
    if (p->is_quick)
        o->tasks = 32;
    o->wait_us = DEFAULT_WAIT_US;
    pyl_opts_init(&o->py);
}

static void gil_params(struct report *r, const struct run_params *p,
                       const struct gil_opts *o)
{
    report_param(r, "workers", "1..%d", p->threads);
    report_param(r, "cpu_units", "%lld", p->size);
    report_param(r, "switch_interval_us", "%d", o->switch_us);
    report_param(r, "wait_tasks", "%d", o->tasks);
    report_param(r, "wait_us", "%d", o->wait_us);
    report_param(r, "reps", "%d", p->reps);
}

static int gil_main(int argc, char **argv)
{
    struct run_params p;
    struct gil_opts o;
    struct work_sweep sw;
    struct py_part *pp;
    struct report *r;
    int rc;

    cli_defaults(&p, "gil");
    cli_prescan_quick(&p, argc, argv);
    set_defaults(&p, &o);
    if ((rc = cli_parse(&demo_gil, argc, argv, &p, &o)) >= 0)
        return rc;
    if ((rc = pyl_opts_check("gil", &o.py)) >= 0)
        return rc;
    if (!(pp = calloc(1, sizeof(*pp)))) {       /* two sweeps: 100 KiB */
        cli_error("gil", "%s", cli_strerror(errno));
        return 1;
    }
    cleanup_init();
    r = report_begin(&p, "The GIL: why Python needs processes for CPU work",
                     "Lecture: Python threads. Only the thread holding the "
                     "global interpreter lock runs Python code; processes "
                     "each have their own.");
    gil_params(r, &p, &o);
    rc = 1;
    if (!o.py.is_only && measure_sweep(r, &p, &o, &sw) < 0)
        cli_error("gil", "cannot start a worker: %s", cli_strerror(errno));
    else if (python_part(r, &p, &o, pp) == 0)
        rc = 0;
    if (rc == 0) {
        python_text(r, &o, pp);
        sweep_table(r, &p, &o, o.py.is_only ? NULL : &sw, pp);
        notices(r, &p, o.py.is_only ? NULL : &sw, &o, pp);
    }
    free(pp);
    return report_end(r) || rc;
}

const struct demo demo_gil = {
    .name = "gil",
    .summary = "why Python needs processes for CPU work (the GIL)",
    .main = gil_main,
    .kernels = gil_kernels,
    .slide = "Python threads",
    .spec = &gil_spec,
    .sizes = { 128 << 10 },
    .quick_sizes = { 24 << 10 },
};
