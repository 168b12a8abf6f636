/* threads.c - processes vs threads: what each costs to start, what each
 * shares, and which kind of work each speeds up; in C, then in the
 * lecture's Python (demos/python/threads_*.py) in the same tables.
 * Look at: fork's cost growing with the parent's touched memory (the page
 * tables are copied), the child's writes the parent never sees, and
 * waiting-bound work scaling past the CPU count where CPU-bound work stops
 * (in Python, CPU-bound threads do not scale at all: the GIL).
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
#include "pyspark/pylesson.h"

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
/* A Python work unit costs about 100 C ones: the Python sweep does
 * size / PY_UNIT_SHARE units, a run about as long as C's 1-worker one */
#define PY_UNIT_SHARE 256
#define PY_STARTS_MIN 5     /* Process starts timed: --creates / 10, */
#define PY_STARTS_MAX 40    /* within these */

struct threads_opts {
    struct cli_list mem;    /* extra memory touched before forking, bytes */
    int creates;            /* forks and thread creates to time */
    int tasks;              /* waiting-bound tasks, in all */
    int wait_us;            /* each task's wait */
    struct pyl_opts py;     /* --no-python, --python-only, --start-method */
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
    PYL_CLI_OPTS(struct threads_opts, py),
    { 0 },
};

static const struct cli_spec threads_spec = {
    .common = CLI_COMMON,
    .size_help = "CPU work units in all (about 3 µs each)",
    .size_min = 1, .size_max = 1LL << 30,
    .opts = threads_opts,
    .examples = "pardemo threads --quick\n"
                "pardemo threads -t 16 --mem 64M,1G\n"
                "pardemo threads --quick --format csv > threads.csv\n"
                "pardemo threads --quick --python-only --start-method spawn",
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

static void creation_row(struct table *t, const char *lang,
                         const char *what, long long bytes,
                         const struct stats *s, double thread_median)
{
    table_str(t, lang);
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

/* Measures the creation costs into *c; 1 after an error line. */
static int measure_c_creation(struct report *r, const struct threads_opts *o,
                              struct creation *c)
{
    pick_mem(o, c);
    return measure_creation(r, o, c) < 0 ? 1 : 0;
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

static void share_rows(struct table *t, const char *lang, const char *kind,
                       const struct seen *before, const struct seen *worker,
                       const struct seen *parent)
{
    table_str(t, lang);
    table_str(t, kind);
    table_str(t, "counter");
    table_num(t, before->counter);
    table_num(t, worker->counter);
    table_num(t, parent->counter);
    table_str(t, lang);
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

/* The lesson's view of what the workers and the parent saw. */
static void lesson_share(const struct seen *v, struct thr_share *out)
{
    out->proc = seen_of(&v[BEFORE], &v[P_WORKER], &v[P_PARENT], false);
    out->thread = seen_of(&v[T_BEFORE], &v[T_WORKER], &v[T_PARENT], false);
    out->proc_sum = seen_of(&v[BEFORE], &v[P_WORKER], &v[P_PARENT], true);
    out->thread_sum = seen_of(&v[T_BEFORE], &v[T_WORKER], &v[T_PARENT],
                              true);
}

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

/* C's rows (c, or NULL), then Python's (py, or NULL). */
static void sharing_table(struct report *r, const struct seen *c,
                          const struct seen *py)
{
    struct table *t = report_table(r, "share", "(b) The worker adds 1 to a "
                                   "counter and fills an array, 1000 times;\n"
                                   "    then the parent looks, after "
                                   "join/wait");

    table_col(t, "language", "lang", U_TEXT);
    table_col(t, "worker", "worker", U_TEXT);
    table_col(t, "variable", "variable", U_TEXT);
    table_col(t, "before", "before", U_INT);
    table_col(t, "worker_after", "worker saw", U_INT);
    table_col(t, "parent_after", "parent saw", U_INT);
    if (c) {
        share_rows(t, "C", "process (fork)", &c[BEFORE], &c[P_WORKER],
                   &c[P_PARENT]);
        share_rows(t, "C", "thread (pthread)", &c[T_BEFORE], &c[T_WORKER],
                   &c[T_PARENT]);
    }
    if (py) {
        share_rows(t, "Python", "Process subclass", &py[BEFORE],
                   &py[P_WORKER], &py[P_PARENT]);
        share_rows(t, "Python", "Thread subclass", &py[T_BEFORE],
                   &py[T_WORKER], &py[T_PARENT]);
    }
    table_end(t);
}

/* Fills v (NSEEN entries); 1 after an error line. */
static int measure_c_sharing(struct seen *v)
{
    /* Private to a forked child: fork copies the stack as it copies the
     * heap. Worksheet 2 replaces this line with memory fork shares. */
    struct state mem = { 0 }, *s = &mem;

    if (measure_sharing(s, v) < 0) {
        cli_error("threads", "cannot start a worker: %s",
                  cli_strerror(errno));
        return 1;
    }
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

/* The rows of one sweep; a row's answer is checked against expect[v]. */
static void sweep_rows(struct table *t, const struct work_sweep *sw,
                       const char *lang, const uint64_t *expect)
{
    char sum[20];

    for (int v = 0; v < NVARIANTS; v++) {
        for (int c = 0; c < sw->ncounts; c++) {
            table_str(t, lang);
            table_str(t, variants[v].work);
            table_str(t, variants[v].kind);
            table_num(t, sw->counts[c]);
            table_num(t, sw->secs[v][c]);
            table_num(t, sw->time[v][c].lo);
            table_num(t, sw->time[v][c].hi);
            table_num(t, sw->speedup[v][c]);
            table_num(t, sw->cpus[v][c]);
            table_str(t, sw->checksum[v][c] == expect[v] ? "yes" : "NO");
            snprintf(sum, sizeof(sum), "%016llx",
                     (unsigned long long)sw->checksum[v][c]);
            table_str(t, sum);
        }
    }
}

/* The Python sweep's answers: C's sum of the same units; tasks waited. */
static void python_expect(const struct run_params *p,
                          const struct threads_opts *o, long long units,
                          uint64_t *expect)
{
    for (int v = 0; v < NVARIANTS; v++)
        expect[v] = variants[v].is_wait ? (uint64_t)o->tasks
                                        : work_units(p->seed, 0, units);
}

static void sweep_table(struct report *r, const struct work_sweep *sw,
                        const struct work_sweep *py, long long py_units,
                        const struct run_params *p,
                        const struct threads_opts *o)
{
    uint64_t expect[NVARIANTS];
    char caption[300];
    struct table *t;

    snprintf(caption, sizeof(caption), "(c) Fixed total work over "
             "N workers. CPU-bound: %lld units of arithmetic;\n"
             "    waiting-bound: %d tasks, each a %d µs WAIT (no CPU), then "
             "%d units", p->size, o->tasks, o->wait_us, REPLY_UNITS);
    if (py)
        snprintf(caption + strlen(caption), sizeof(caption) - strlen(caption),
                 "\n    (Python: %lld units, same = C's answer to them; "
                 "its waits are time.sleep)", py_units);
    t = report_table(r, "scaling", caption);
    table_col(t, "language", "lang", U_TEXT);
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
    if (sw) {
        for (int v = 0; v < NVARIANTS; v++)
            expect[v] = sw->checksum[v][0];
        sweep_rows(t, sw, "C", expect);
    }
    if (py) {
        python_expect(p, o, py_units, expect);
        sweep_rows(t, py, "Python", expect);
    }
    table_end(t);
}

/* ---- the Python part: threads_*.py, run by the real CPython ---- */

/* What the Python part measured. */
struct py_part {
    struct pyl_part part;       /* ran, or why not */
    struct stats thread;        /* threading.Thread start + join */
    struct stats proc[2];       /* Process: by fork, by the method in use */
    const char *method[2];
    int nproc, starts;          /* methods timed; Process starts each */
    struct seen seen[NSEEN];    /* the Process and Thread subclasses */
    struct work_sweep sw;
    long long units;            /* the CPU-bound sweep's work units */
};

/* Times n starts (+ joins) of a threading.Thread (method NULL) or of a
 * multiprocessing.Process by method, into *out. 0, or -1 (errno). */
static int py_starts(const char *method, int n, struct stats *out)
{
    struct pyl_num *got = calloc((size_t)n, sizeof(*got));
    double *secs = calloc((size_t)n, sizeof(*secs));
    int k = PYL_ERROR;

    if (got && secs)
        k = method ? pyl_call(got, n, "threads_start", "process", "(si)",
                              method, n)
                   : pyl_call(got, n, "threads_start", "thread", "(i)", n);
    for (int i = 0; i < k && i < n; i++)
        secs[i] = got[i].v;
    if (k == n)
        *out = stats_of(secs, (size_t)n);
    free(got);
    free(secs);
    if (k == n)
        return 0;
    if (!got || !secs)
        errno = ENOMEM;
    return got && secs ? pyl_fail(k < 0 ? k : PYL_ERROR) : -1;
}

static int py_creation(struct report *r, const struct threads_opts *o,
                       struct py_part *pp)
{
    const struct pyl_info *info = &pp->part.info;
    struct stats warm;

    pp->method[0] = "fork";
    pp->method[1] = info->method;
    pp->nproc = strcmp(info->method, "fork") ? 2 : 1;
    pp->starts = o->creates / 10;
    if (pp->starts < PY_STARTS_MIN)
        pp->starts = PY_STARTS_MIN;
    if (pp->starts > PY_STARTS_MAX)
        pp->starts = PY_STARTS_MAX;
    report_progress(r, "Python: timing %d Thread and %d Process starts...",
                    o->creates, pp->starts);
    if (py_starts(NULL, 2, &warm) < 0 ||
        py_starts(NULL, o->creates, &pp->thread) < 0)
        return -1;
    for (int m = 0; m < pp->nproc; m++)
        if (py_starts(pp->method[m], 2, &warm) < 0 ||
            py_starts(pp->method[m], pp->starts, &pp->proc[m]) < 0)
            return -1;
    return 0;
}

/* threads_share.FUNCTION(): what before, the worker and the parent saw. */
static int py_share(const char *function, struct seen *v)
{
    struct pyl_num got[6];
    int n = pyl_call(got, 6, "threads_share", function, "()");

    if (n != 6)
        return pyl_fail(n < 0 ? n : PYL_ERROR);
    for (int i = 0; i < 3; i++) {
        v[i].counter = (long)got[i].v;
        v[i].array_sum = (long)got[3 + i].v;
    }
    return 0;
}

struct py_ctx {
    struct report *r;
    uint64_t seed;
    long long units;
    int tasks;
    double wait_s;
};

/* One trial: threads_scale.cpu_bound or .waiting_bound(kind, workers,
 * ...), timed from the call to its answer (the checksum). */
static int py_trial(void *ctx, int v, int workers, struct run_result *out,
                    double *extra)
{
    const struct py_ctx *x = ctx;
    const struct variant *var = &variants[v];
    struct pyl_num got = { 0, 0 };
    double t0;
    int n;

    (void)extra;
    report_progress(x->r, "Python %s %s, %d workers...", var->work,
                    var->kind, workers);
    t0 = clk_now();
    if (var->is_wait)
        n = pyl_call(&got, 1, "threads_scale", "waiting_bound", "(siid)",
                     var->kind, workers, x->tasks, x->wait_s);
    else
        n = pyl_call(&got, 1, "threads_scale", "cpu_bound", "(siKL)",
                     var->kind, workers, (unsigned long long)x->seed,
                     x->units);
    out->seconds = clk_now() - t0;
    out->checksum = got.u;
    return n == 1 ? 0 : pyl_fail(n < 0 ? n : PYL_ERROR);
}

struct py_measure {
    const struct run_params *p;
    const struct threads_opts *o;
    struct py_part *pp;
};

/* The Python part, between pyl_start and pyl_stop (pyl_part_run). */
static int measure_python(void *ctx, struct report *r)
{
    const struct py_measure *m = ctx;
    struct py_part *pp = m->pp;
    struct py_ctx x = { r, m->p->seed, pp->units, m->o->tasks,
                        m->o->wait_us / 1e6 };
    struct work_sweep *sw = &pp->sw;
    struct run_result warm;

    report_param(r, "python_cpu_units", "%lld", pp->units);
    if (py_creation(r, m->o, pp) < 0 ||
        py_share("process", &pp->seen[BEFORE]) < 0 ||
        py_share("thread", &pp->seen[T_BEFORE]) < 0 ||
        py_trial(&x, 0, 1, &warm, NULL) < 0)        /* warm-up */
        return -1;
    sw->nvariants = NVARIANTS;
    sw->plan = stats_plan(m->p, m->p->reps);
    sw->ncounts = work_counts(m->p->threads, sys_allowed_cpus(), sw->counts,
                              WORK_MAX_COUNTS);
    return work_sweep_run(sw, py_trial, &x);
}

/* The lesson's view of the Python part. */
static void lesson_python(const struct py_part *pp, struct thr_py *l)
{
    l->thread = est_of(&pp->thread);
    l->nproc = pp->nproc;
    for (int m = 0; m < pp->nproc; m++) {
        l->proc[m] = est_of(&pp->proc[m]);
        l->method[m] = pp->method[m];
    }
    lesson_share(pp->seen, &l->share);
    l->sw = &pp->sw;
}

static void python_text(struct report *r, const struct threads_opts *o,
                        const struct py_part *pp)
{
    char ran[400];

    snprintf(ran, sizeof(ran), "Python (lang Python): the lecture's code "
             "in pardemo's CPython %s,\nmultiprocessing's start method %s; "
             "demos/python/threads_start.py times\nThread and Process "
             "starts, threads_share.py subclasses both, threads_scale.py\n"
             "splits lesson_work.py's cpu() (C's work unit line for line) "
             "or time.sleep.", pp->part.info.version, pp->part.info.method);
    pyl_part_text(r, &pp->part, &o->py, "threads",
                  "the lecture's Thread and Process code", ran);
}

/* ---- every part measured, then the tables and the sentences ---- */

struct c_part {
    struct creation c;
    struct seen seen[NSEEN];
    struct work_sweep sw;
};

/* C's three parts; 1 after an error line. */
static int measure_c(struct report *r, const struct run_params *p,
                     const struct threads_opts *o, struct c_part *cp)
{
    if (measure_c_creation(r, o, &cp->c) || measure_c_sharing(cp->seen))
        return 1;
    if (measure_sweep(r, p, o, &cp->sw) < 0) {
        cli_error("threads", "cannot start a worker: %s", cli_strerror(errno));
        return 1;
    }
    return 0;
}

/* Starts Python, measures, stops it: 0 (pp->part.has_run says whether
 * it ran), or 1 after an error line. */
static int python_part(struct report *r, const struct run_params *p,
                       const struct threads_opts *o, struct py_part *pp)
{
    struct py_measure m = { p, o, pp };

    pp->units = p->size / PY_UNIT_SHARE > p->threads
                ? p->size / PY_UNIT_SHARE : p->threads;
    return pyl_part_run(&pp->part, "threads", &o->py, r, measure_python,
                        &m) < 0;
}

static void creation_table(struct report *r, const struct threads_opts *o,
                           const struct creation *c, const struct py_part *pp)
{
    char caption[200], what[40];
    struct table *t;

    snprintf(caption, sizeof(caption), "(a) Starting a worker that does "
             "nothing: median of %d (%d with memory touched%s%.0d)",
             o->creates, MEM_FORKS, pp ? ";\n    Python's Process: " : "",
             pp ? pp->starts : 0);
    t = report_table(r, "creation", caption);
    table_col(t, "language", "lang", U_TEXT);
    table_col(t, "what", "what", U_TEXT);
    table_col(t, "touched_bytes", "touched", U_MIB);
    table_col(t, "median_seconds", "median", U_US);
    table_col(t, "min_seconds", "min", U_US);
    table_col(t, "max_seconds", "max", U_US);
    table_col(t, "times_thread", "vs thread", U_NUM);
    if (c) {
        creation_row(t, "C", "pthread_create+join", 0, &c->thread,
                     c->thread.median);
        creation_row(t, "C", "fork+_exit+waitpid", 0, &c->fork,
                     c->thread.median);
        for (int i = 0; i < c->nmem; i++)
            creation_row(t, "C", "fork+_exit+waitpid", c->mem[i],
                         &c->fork_mem[i], c->thread.median);
    }
    for (int m = 0; pp && m <= pp->nproc; m++) {
        snprintf(what, sizeof(what), m ? "Process, %s" : "Thread",
                 m ? pp->method[m - 1] : "");
        creation_row(t, "Python", what, 0, m ? &pp->proc[m - 1] : &pp->thread,
                     pp->thread.median);
    }
    table_end(t);
}

static void notices(struct report *r, const struct c_part *cp,
                    const struct py_part *pp)
{
    struct thr_creation creation;
    struct thr_share share;
    struct thr_py py;
    struct threads_results res = { NULL, NULL, NULL, sys_allowed_cpus(),
                                   NULL, false };
    struct notices ns;

    if (cp) {
        lesson_creation(&cp->c, &creation);
        lesson_share(cp->seen, &share);
        res.creation = &creation;
        res.share = &share;
        res.sw = &cp->sw;
        report_conditions(r, pp ? "table c, C" : "table c", &cp->sw.cond);
    }
    if (pp) {
        lesson_python(pp, &py);
        res.py = &py;
        report_conditions(r, cp ? "table c, Python" : "table c",
                          &pp->sw.cond);
    }
    notices_init(&ns);
    threads_notices(&res, &ns);
    report_notices(r, &ns);
}

/* Everything measured, then the tables and the sentences. */
static int show_all(struct report *r, const struct run_params *p,
                    const struct threads_opts *o)
{
    struct c_part *cp = calloc(1, sizeof(*cp));
    struct py_part *pp = calloc(1, sizeof(*pp));
    bool is_c = !o->py.is_only;
    int rc = 1;

    if (!cp || !pp)
        cli_error("threads", "%s", cli_strerror(errno));
    else if ((is_c && measure_c(r, p, o, cp)) || python_part(r, p, o, pp))
        rc = 1;
    else
        rc = 0;
    if (rc == 0) {
        const struct py_part *py = pp->part.has_run ? pp : NULL;
        python_text(r, o, pp);
        creation_table(r, o, is_c ? &cp->c : NULL, py);
        sharing_table(r, is_c ? cp->seen : NULL, py ? py->seen : NULL);
        sweep_table(r, is_c ? &cp->sw : NULL, py ? &py->sw : NULL,
                    pp->units, p, o);
        notices(r, is_c ? cp : NULL, py);
    }
    free(cp);
    free(pp);
    return rc;
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
    pyl_opts_init(&o->py);
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
    if ((rc = pyl_opts_check("threads", &o.py)) >= 0)
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
