/* threads.c - processes vs threads: what each costs to start, what each
 * shares, and which kind of work each speeds up.
 * Look at: fork's cost growing with the parent's touched memory (the page
 * tables are copied), the child's writes the parent never sees, and
 * waiting-bound work scaling past the CPU count where CPU-bound work stops.
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
#include "lesson/threads.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024.0 * 1024.0)
#define REPLY_UNITS 2       /* work after each wait: "parse the reply" */
#define SHARE_LEN 1000      /* the array each worker fills */
#define MEM_FORKS 15        /* forks timed per memory size */
#define MAX_CREATES 10000   /* --creates at most */
#define DEFAULT_WAIT_US 2000

struct threads_opts {
    struct cli_list mem;    /* extra memory touched before forking, bytes */
    int creates;            /* forks and thread creates to time */
    int tasks;              /* waiting-bound tasks, in all */
    int wait_us;            /* each task's wait */
};

static const struct cli_opt threads_opts[] = {
    { "mem", 0, CLI_SIZES, "LIST", "memory the parent touches, then forks",
      1 << 20, 64LL << 30, NULL, offsetof(struct threads_opts, mem) },
    { "creates", 0, CLI_INT, "N", "forks and thread creates to time",
      10, MAX_CREATES, NULL, offsetof(struct threads_opts, creates) },
    { "tasks", 0, CLI_INT, "N", "waiting-bound tasks, in all", 1, 1000000,
      NULL, offsetof(struct threads_opts, tasks) },
    { "wait-us", 0, CLI_INT, "US", "each task's wait, in microseconds",
      1, 1000000, NULL, offsetof(struct threads_opts, wait_us) },
    { 0 },
};

static const struct cli_spec threads_spec = {
    .common = CLI_COMMON,
    .size_help = "CPU work units in all (about 3 µs each)",
    .size_min = 1, .size_max = 1LL << 30,
    .opts = threads_opts,
    .examples = "pardemo threads --quick\n"
                "pardemo threads -t 16 --mem 64M,1G\n"
                "pardemo threads --quick --format csv > threads.csv",
};

/* ---- the work being scaled: also the bench kernels ---- */

struct scale_job {
    uint64_t seed;
    long long total;        /* CPU units, or waiting tasks */
    long long wait_us;
};

static uint64_t cpu_worker(void *arg, int id, int n)
{
    const struct scale_job *j = arg;
    long long first, count;

    work_split(j->total, n, id, &first, &count);
    return work_units(j->seed, first, count);
}

/* Each task waits (a timer standing in for a network reply: no CPU is
 * used), then does a little work on the "reply". */
static uint64_t wait_worker(void *arg, int id, int n)
{
    const struct scale_job *j = arg;
    long long first, count;
    uint64_t sum = 0;

    work_split(j->total, n, id, &first, &count);
    for (long long t = first; t < first + count; t++) {
        (void)work_wait_us(j->wait_us);     /* fails only for bad args */
        sum += work_units(j->seed, t * REPLY_UNITS, REPLY_UNITS);
    }
    return sum;
}

static int kernel_run(const struct run_params *in, struct run_result *out,
                      bool is_wait, bool is_procs)
{
    struct scale_job j = { in->seed, is_wait ? work_wait_tasks(in->size)
                                             : in->size, DEFAULT_WAIT_US };

    return work_timed(in->threads, is_procs,
                      is_wait ? wait_worker : cpu_worker, &j, out);
}

static int k_cpu_threads(const struct run_params *in, struct run_result *o)
{
    return kernel_run(in, o, false, false);
}

static int k_cpu_procs(const struct run_params *in, struct run_result *o)
{
    return kernel_run(in, o, false, true);
}

static int k_wait_threads(const struct run_params *in, struct run_result *o)
{
    return kernel_run(in, o, true, false);
}

static int k_wait_procs(const struct run_params *in, struct run_result *o)
{
    return kernel_run(in, o, true, true);
}

static const struct kernel threads_kernels[] = {
    { "cpu-threads", "size CPU work units split over threads",
      k_cpu_threads },
    { "cpu-procs", "size CPU work units split over forked processes",
      k_cpu_procs },
    { "wait-threads", "size/256 tasks (2 ms wait + 2 units) over threads",
      k_wait_threads },
    { "wait-procs", "size/256 tasks (2 ms wait + 2 units) over processes",
      k_wait_procs },
    { 0 },
};

/* ---- (a) what it costs to start a worker ---- */

static void *do_nothing(void *arg)
{
    return arg;
}

/* Times n pthread_create + pthread_join pairs into samples. */
static int time_threads(int n, double *samples)
{
    for (int i = 0; i < n; i++) {
        pthread_t t;
        double t0 = clk_now();
        int rc = pthread_create(&t, NULL, do_nothing, NULL);
        if (rc) {
            errno = rc;
            return -1;
        }
        pthread_join(t, NULL);
        samples[i] = clk_now() - t0;
    }
    return 0;
}

/* Times n fork + _exit + waitpid rounds into samples. The child exits at
 * once, so it is not registered with lib/cleanup: nothing to kill. */
static int time_forks(int n, double *samples)
{
    for (int i = 0; i < n; i++) {
        double t0 = clk_now();
        pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0)
            _exit(0);
        while (waitpid(pid, NULL, 0) < 0)
            if (errno != EINTR)
                return -1;
        samples[i] = clk_now() - t0;
    }
    return 0;
}

/* Touches `bytes` of fresh memory (one write per page, so every page has
 * a page-table entry), then times forks. Frees the memory after. */
static int time_forks_with(long long bytes, int n, double *samples)
{
    long page = sysconf(_SC_PAGESIZE);
    char *mem = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int rc;

    if (mem == MAP_FAILED)
        return -1;
    /* 4 KiB pages, not 2 MiB huge ones: the page-table size, and so the
     * fork cost, is then the same on every machine */
    madvise(mem, (size_t)bytes, MADV_NOHUGEPAGE);
    for (long long off = 0; off < bytes; off += page)
        mem[off] = 1;
    rc = time_forks(n, samples);
    munmap(mem, (size_t)bytes);
    return rc;
}

struct creation {
    struct stats thread, fork;          /* nothing extra touched */
    struct stats fork_mem[CLI_LIST_MAX];
    long long mem[CLI_LIST_MAX];        /* the sizes measured */
    int nmem;
};

_Static_assert(CLI_LIST_MAX <= THREADS_MAX_MEM, "lesson holds every size");

/* Keeps the --mem sizes that fit in half the available memory. */
static void pick_mem(const struct threads_opts *o, struct creation *c)
{
    long long avail = sys_mem_available();

    c->nmem = 0;
    for (int i = 0; i < o->mem.n; i++) {
        if (avail > 0 && o->mem.v[i] > avail / 2) {
            fprintf(stderr, "pardemo: threads: skipping the fork with "
                    "%.0f MiB touched: more than half of the %.0f MiB "
                    "available\n", o->mem.v[i] / MIB, avail / MIB);
            continue;
        }
        c->mem[c->nmem++] = o->mem.v[i];
    }
}

/* Fills c with the creation costs; prints the error and returns -1 when a
 * fork, a thread or the memory is refused. */
static int measure_creation(struct report *r, const struct threads_opts *o,
                            struct creation *c)
{
    /* on the stack, not the heap: a forked child exits without freeing,
     * and a heap block only the parent points to looks leaked to valgrind */
    double samples[MAX_CREATES];
    int i = -1, err;

    report_progress(r, "timing %d thread creates and %d forks...",
                    o->creates, o->creates);
    if (time_threads(1, samples) || time_forks(1, samples) ||
        time_threads(o->creates, samples))          /* warm-up, then time */
        goto out;
    c->thread = stats_of(samples, (size_t)o->creates);
    if (time_forks(o->creates, samples))
        goto out;
    c->fork = stats_of(samples, (size_t)o->creates);
    for (i = 0; i < c->nmem; i++) {
        report_progress(r, "timing forks with %.0f MiB touched...",
                        c->mem[i] / MIB);
        if (time_forks_with(c->mem[i], MEM_FORKS, samples))
            goto out;
        c->fork_mem[i] = stats_of(samples, MEM_FORKS);
    }
    return 0;
out:
    err = errno;
    if (i >= 0)         /* the loop over --mem sizes failed */
        cli_error("threads", "cannot fork with %.0f MiB touched: %s",
                  c->mem[i] / MIB, cli_strerror(err));
    else
        cli_error("threads", "cannot start a worker: %s", cli_strerror(err));
    return -1;
}

static void creation_row(struct table *t, const char *what, long long bytes,
                         const struct stats *s, double thread_median)
{
    table_str(t, what);
    table_num(t, (double)bytes);
    table_num(t, s->median);
    table_num(t, s->min);
    table_num(t, s->max);
    table_num(t, stats_speedup(s->median, thread_median));
}

/* The lesson's view of the creation costs (lib/lesson/threads). */
static void lesson_creation(const struct creation *c, struct thr_creation *l)
{
    l->thread = est_of(&c->thread);
    l->fork = est_of(&c->fork);
    l->nmem = c->nmem;
    for (int i = 0; i < c->nmem; i++) {
        l->mem[i] = c->mem[i];
        l->fork_mem[i] = est_of(&c->fork_mem[i]);
    }
}

static int show_creation(struct report *r, const struct threads_opts *o,
                         struct thr_creation *out)
{
    struct creation c;
    struct table *t;
    char caption[100];

    pick_mem(o, &c);
    if (measure_creation(r, o, &c) < 0)
        return 1;
    snprintf(caption, sizeof(caption), "(a) Starting a worker that does "
             "nothing: median of %d (%d with memory touched)", o->creates,
             MEM_FORKS);
    t = report_table(r, "creation", caption);
    table_col(t, "what", "what", U_TEXT);
    table_col(t, "touched_bytes", "touched", U_MIB);
    table_col(t, "median_seconds", "median", U_US);
    table_col(t, "min_seconds", "min", U_US);
    table_col(t, "max_seconds", "max", U_US);
    table_col(t, "times_thread", "vs thread", U_NUM);
    creation_row(t, "pthread_create+join", 0, &c.thread, c.thread.median);
    creation_row(t, "fork+_exit+waitpid", 0, &c.fork, c.thread.median);
    for (int i = 0; i < c.nmem; i++)
        creation_row(t, "fork+_exit+waitpid", c.mem[i], &c.fork_mem[i],
                     c.thread.median);
    table_end(t);
    lesson_creation(&c, out);
    return 0;
}

/* ---- (b) share-nothing vs share-everything ---- */

struct state {
    long counter;
    long array[SHARE_LEN];
};

struct seen {
    long counter, array_sum;
};

static struct seen look(const struct state *s)
{
    struct seen v = { s->counter, 0 };

    for (int i = 0; i < SHARE_LEN; i++)
        v.array_sum += s->array[i];
    return v;
}

/* What each worker does: bump the counter, fill the array, look. */
static struct seen scribble(struct state *s)
{
    for (int i = 0; i < SHARE_LEN; i++) {
        s->counter++;
        s->array[i] = i + 1;
    }
    return look(s);
}

/* A child process scribbles on its copy of *s; being share-nothing, it
 * must send what it saw back explicitly (a pipe). */
static int share_process(struct state *s, struct seen *worker)
{
    int fd[2], status, slot;
    ssize_t got;
    pid_t pid;

    if (pipe(fd) < 0)
        return -1;
    if ((pid = cleanup_fork(&slot)) < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        struct seen v = scribble(s);
        close(fd[0]);
        _exit(write(fd[1], &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : 1);
    }
    close(fd[1]);
    while ((got = read(fd[0], worker, sizeof(*worker))) < 0 && errno == EINTR)
        ;
    close(fd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    cleanup_forget(slot);
    if (got != (ssize_t)sizeof(*worker) || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        errno = ECHILD;
        return -1;
    }
    return 0;
}

struct share_arg {
    struct state *s;
    struct seen seen;
};

static void *share_thread_main(void *p)
{
    struct share_arg *a = p;

    a->seen = scribble(a->s);
    return NULL;
}

/* A thread scribbles on *s itself: the parent's memory. */
static int share_thread(struct state *s, struct seen *worker)
{
    struct share_arg a = { s, { 0, 0 } };
    pthread_t t;
    int rc = pthread_create(&t, NULL, share_thread_main, &a);

    if (rc) {
        errno = rc;
        return -1;
    }
    pthread_join(t, NULL);
    *worker = a.seen;
    return 0;
}

static void share_rows(struct table *t, const char *kind,
                       const struct seen *before, const struct seen *worker,
                       const struct seen *parent)
{
    table_str(t, kind);
    table_str(t, "counter");
    table_num(t, before->counter);
    table_num(t, worker->counter);
    table_num(t, parent->counter);
    table_str(t, kind);
    table_str(t, "array sum");
    table_num(t, before->array_sum);
    table_num(t, worker->array_sum);
    table_num(t, parent->array_sum);
}

static struct thr_seen seen_of(const struct seen *before,
                               const struct seen *worker,
                               const struct seen *parent, bool is_sum)
{
    return is_sum ? (struct thr_seen){ before->array_sum, worker->array_sum,
                                       parent->array_sum }
                  : (struct thr_seen){ before->counter, worker->counter,
                                       parent->counter };
}

enum { BEFORE, P_WORKER, P_PARENT, T_BEFORE, T_WORKER, T_PARENT, NSEEN };

/* The child, then a thread, scribble on *s; v gets what each saw and what
 * the parent saw after each. Returns 0, or -1 with errno set. */
static int measure_sharing(struct state *s, struct seen *v)
{
    v[BEFORE] = look(s);
    if (share_process(s, &v[P_WORKER]) < 0)
        return -1;
    v[P_PARENT] = v[T_BEFORE] = look(s);
    if (share_thread(s, &v[T_WORKER]) < 0)
        return -1;
    v[T_PARENT] = look(s);
    return 0;
}

static void sharing_table(struct report *r, const struct seen *v)
{
    struct table *t = report_table(r, "share", "(b) The worker adds 1 to a "
                                   "counter and fills an array, 1000 times");

    table_col(t, "worker", "worker", U_TEXT);
    table_col(t, "variable", "variable", U_TEXT);
    table_col(t, "before", "before", U_INT);
    table_col(t, "worker_after", "worker saw", U_INT);
    table_col(t, "parent_after", "parent after join/wait", U_INT);
    share_rows(t, "process (fork)", &v[BEFORE], &v[P_WORKER], &v[P_PARENT]);
    share_rows(t, "thread (pthread)", &v[T_BEFORE], &v[T_WORKER],
               &v[T_PARENT]);
    table_end(t);
}

static int show_sharing(struct report *r, struct thr_share *out)
{
    /* Private to a forked child: fork copies the stack as it copies the
     * heap. Worksheet 2 replaces this line with memory fork shares. */
    struct state mem = { 0 }, *s = &mem;
    struct seen v[NSEEN];

    if (measure_sharing(s, v) < 0) {
        cli_error("threads", "cannot start a worker: %s",
                  cli_strerror(errno));
        return 1;
    }
    sharing_table(r, v);
    out->proc = seen_of(&v[BEFORE], &v[P_WORKER], &v[P_PARENT], false);
    out->thread = seen_of(&v[T_BEFORE], &v[T_WORKER], &v[T_PARENT], false);
    out->proc_sum = seen_of(&v[BEFORE], &v[P_WORKER], &v[P_PARENT], true);
    out->thread_sum = seen_of(&v[T_BEFORE], &v[T_WORKER], &v[T_PARENT],
                              true);
    return 0;
}

/* ---- (c) CPU-bound vs waiting-bound, threads vs processes ---- */

struct variant {
    const char *work, *kind;
    bool is_wait, is_procs;
};

static const struct variant variants[] = {
    { "CPU-bound", "threads", false, false },
    { "CPU-bound", "processes", false, true },
    { "waiting-bound", "threads", true, false },
    { "waiting-bound", "processes", true, true },
};

#define NVARIANTS ((int)ARRAY_SIZE(variants))

struct sweep_ctx {
    struct report *r;
    const struct scale_job *cpu, *wait;
};

/* One trial of the sweep (see work_sweep_run). */
static int scale_trial(void *ctx, int v, int workers, struct run_result *out,
                       double *extra)
{
    const struct sweep_ctx *x = ctx;
    const struct variant *var = &variants[v];

    (void)extra;
    report_progress(x->r, "%s %s, %d workers...", var->work, var->kind,
                    workers);
    return work_timed(workers, var->is_procs,
                      var->is_wait ? wait_worker : cpu_worker,
                      (void *)(var->is_wait ? x->wait : x->cpu), out);
}

static int measure_sweep(struct report *r, const struct run_params *p,
                         const struct threads_opts *o, struct work_sweep *sw)
{
    struct scale_job cpu = { p->seed, p->size, 0 };
    struct scale_job wait = { p->seed, o->tasks, o->wait_us };
    struct sweep_ctx ctx = { r, &cpu, &wait };
    struct run_result warm;

    if (work_timed(1, false, cpu_worker, &cpu, &warm) < 0)  /* warm-up */
        return -1;
    sw->nvariants = NVARIANTS;
    sw->plan = stats_plan(p, p->reps);
    sw->ncounts = work_counts(p->threads, sys_allowed_cpus(), sw->counts,
                              WORK_MAX_COUNTS);
    return work_sweep_run(sw, scale_trial, &ctx);
}

static void sweep_table(struct report *r, const struct work_sweep *sw,
                        const struct run_params *p,
                        const struct threads_opts *o)
{
    char caption[200], sum[20];
    struct table *t;

    snprintf(caption, sizeof(caption), "(c) Fixed total work over "
             "N workers. CPU-bound: %lld units of arithmetic;\n"
             "    waiting-bound: %d tasks, each a %d µs WAIT (no CPU), then "
             "%d units", p->size, o->tasks, o->wait_us, REPLY_UNITS);
    t = report_table(r, "scaling", caption);
    table_col(t, "work", "work", U_TEXT);
    table_col(t, "kind", "workers are", U_TEXT);
    table_col(t, "workers", "workers", U_INT);
    table_col(t, "median_seconds", "time", U_MS);
    table_col_data(t, "q1_seconds", U_SEC);
    table_col_data(t, "q3_seconds", U_SEC);
    table_col(t, "speedup", "speedup vs 1", U_RATIO);
    table_col(t, "cpus_busy", "CPUs busy", U_NUM);
    table_col(t, "same_checksum", "same", U_TEXT);
    table_col_data(t, "checksum", U_TEXT);
    for (int v = 0; v < NVARIANTS; v++) {
        for (int c = 0; c < sw->ncounts; c++) {
            table_str(t, variants[v].work);
            table_str(t, variants[v].kind);
            table_num(t, sw->counts[c]);
            table_num(t, sw->secs[v][c]);
            table_num(t, sw->time[v][c].lo);
            table_num(t, sw->time[v][c].hi);
            table_num(t, sw->speedup[v][c]);
            table_num(t, sw->cpus[v][c]);
            table_str(t, sw->checksum[v][c] == sw->checksum[v][0] ? "yes"
                                                                  : "NO");
            snprintf(sum, sizeof(sum), "%016llx",
                     (unsigned long long)sw->checksum[v][c]);
            table_str(t, sum);
        }
    }
    table_end(t);
}

static int show_scaling(struct report *r, const struct run_params *p,
                        const struct threads_opts *o, struct work_sweep *sw)
{
    if (measure_sweep(r, p, o, sw) < 0) {
        cli_error("threads", "cannot start a worker: %s", cli_strerror(errno));
        return 1;
    }
    sweep_table(r, sw, p, o);
    return 0;
}

/* Everything measured, then the sentences (lib/lesson/threads). */
static int show_all(struct report *r, const struct run_params *p,
                    const struct threads_opts *o)
{
    struct thr_creation creation;
    struct thr_share share;
    struct work_sweep sw;
    struct threads_results res = { &creation, &share, &sw,
                                   sys_allowed_cpus() };
    struct notices ns;
    int rc = show_creation(r, o, &creation);

    if (!rc)
        rc = show_sharing(r, &share);
    if (!rc)
        rc = show_scaling(r, p, o, &sw);
    if (rc)
        return rc;
    notices_init(&ns);
    threads_notices(&res, &ns);
    report_conditions(r, "table c", &sw.cond);
    report_notices(r, &ns);
    return 0;
}

/* ---- the topic ---- */

static void set_defaults(struct run_params *p, struct threads_opts *o)
{
    int cpus = sys_allowed_cpus();

    p->reps = 3;
    p->size = demo_size(&demo_threads, p->is_quick);
    /* past the CPUs, so that waiting work can show it outscales them */
    p->threads = p->is_quick || cpus < 4 ? 8 : 2 * cpus;
    if (p->threads > WORK_MAX_WORKERS)
        p->threads = WORK_MAX_WORKERS;
    o->creates = p->is_quick ? 100 : 400;
    /* enough tasks per worker that starting them is not the bottleneck */
    o->tasks = 4 * p->threads < 128 ? 128 : 4 * p->threads;
    if (p->is_quick)
        o->tasks = 32;
    o->wait_us = DEFAULT_WAIT_US;
    o->mem.n = 2;
    o->mem.v[0] = 64LL << 20;
    o->mem.v[1] = p->is_quick ? 256LL << 20 : 512LL << 20;
}

static int threads_main(int argc, char **argv)
{
    struct run_params p;
    struct threads_opts o;
    struct report *r;
    int rc;

    cli_defaults(&p, "threads");
    cli_prescan_quick(&p, argc, argv);
    set_defaults(&p, &o);
    if ((rc = cli_parse(&demo_threads, argc, argv, &p, &o)) >= 0)
        return rc;
    cleanup_init();
    r = report_begin(&p, "Processes vs threads", "Lecture: "
                     "multiprocessing and multithreading. Processes are "
                     "share-nothing and costly to start; threads are "
                     "share-everything and cheap. CPU-bound work needs "
                     "CPUs; waiting-bound work only needs workers.");
    report_param(r, "workers", "1..%d", p.threads);
    report_param(r, "cpu_units", "%lld", p.size);
    report_param(r, "wait_tasks", "%d", o.tasks);
    report_param(r, "wait_us", "%d", o.wait_us);
    report_param(r, "creates", "%d", o.creates);
    report_param(r, "reps", "%d", p.reps);
    rc = show_all(r, &p, &o);
    report_end(r);
    return rc;
}

const struct demo demo_threads = {
    .name = "threads",
    .summary = "processes vs threads: start-up cost, sharing, CPU- vs IO-bound",
    .main = threads_main,
    .kernels = threads_kernels,
    .slide = "Multiprocessing and multithreading",
    .spec = &threads_spec,
    .sizes = { 128 << 10 },
    .quick_sizes = { 24 << 10 },
};
