/* work.c - CPU work units, labelled waits, and workers as threads or
 * processes. A thread's result is simply in memory the parent can read;
 * a process shares nothing, so each child must send its result back
 * (here through a pipe, as Python's multiprocessing does).
 */
#define _GNU_SOURCE
#include "work.h"
#include "cleanup.h"
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

uint64_t work_unit(uint64_t seed, uint64_t u)
{
    uint64_t x = seed ^ (u * 0x9E3779B97F4A7C15ULL);

    /* splitmix64's finaliser: multiply and shift, a long dependency
     * chain the CPU cannot overlap or the compiler fold away */
    for (int i = 0; i < WORK_ROUNDS; i++) {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9ULL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBULL;
        x ^= x >> 31;
    }
    return x;
}

uint64_t work_units(uint64_t seed, long long first, long long count)
{
    uint64_t sum = 0;

    for (long long u = first; u < first + count; u++)
        sum += work_unit(seed, (uint64_t)u);
    return sum;
}

void work_split(long long total, int n, int i, long long *first,
                long long *count)
{
    long long base = total / n, extra = total % n;

    *count = base + (i < extra);
    *first = (long long)i * base + (i < extra ? i : extra);
}

int work_wait_us(long long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

    /* ppoll with no descriptors: the thread sleeps in the kernel until
     * the timeout, exactly as it would waiting for a socket's reply */
    while (ppoll(NULL, 0, &ts, NULL) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return 0;
}

int work_counts(int max, int also, int *counts, int cap)
{
    int n = 0;

    for (int w = 1; w < max && n < cap; w *= 2) {
        if (also > (n ? counts[n - 1] : 0) && also < w && n < cap)
            counts[n++] = also;
        if (n < cap)
            counts[n++] = w;
    }
    if (also > (n ? counts[n - 1] : 0) && also < max && n < cap)
        counts[n++] = also;
    if (n < cap)
        counts[n++] = max;
    return n;
}

struct thread_job {
    pthread_t tid;
    work_fn fn;
    void *arg;
    int id, n;
    uint64_t result;
};

static void *thread_main(void *p)
{
    struct thread_job *j = p;

    j->result = j->fn(j->arg, j->id, j->n);
    return NULL;
}

int work_run_threads(int n, work_fn fn, void *arg, uint64_t *out)
{
    struct thread_job *jobs = calloc((size_t)n, sizeof(*jobs));
    int i, started, rc = 0;

    if (!jobs)
        return -1;
    for (started = 0; started < n; started++) {
        jobs[started] = (struct thread_job){ 0, fn, arg, started, n, 0 };
        rc = pthread_create(&jobs[started].tid, NULL, thread_main,
                            &jobs[started]);
        if (rc)
            break;
    }
    for (i = 0; i < started; i++) {
        pthread_join(jobs[i].tid, NULL);
        out[i] = jobs[i].result;
    }
    free(jobs);
    if (rc) {
        errno = rc;
        return -1;
    }
    return 0;
}

/* What a child sends back: 16 bytes, written in one write() (below
 * PIPE_BUF), so records from different children never interleave. */
struct proc_msg {
    uint64_t id, value;
};

static void child_main(int wfd, work_fn fn, void *arg, int id, int n)
{
    struct proc_msg m = { (uint64_t)id, fn(arg, id, n) };

    _exit(write(wfd, &m, sizeof(m)) == (ssize_t)sizeof(m) ? 0 : 1);
}

/* Reads n records into out; returns how many arrived before EOF. */
static int read_results(int rfd, int n, uint64_t *out)
{
    struct proc_msg m;
    int got = 0;

    while (got < n) {
        ssize_t r = read(rfd, &m, sizeof(m));
        if (r < 0 && errno == EINTR)
            continue;
        if (r != (ssize_t)sizeof(m) || m.id >= (uint64_t)n)
            break;
        out[m.id] = m.value;
        got++;
    }
    return got;
}

/* Reaps the children (killing them first when is_kill); returns how many
 * exited with status 0. */
static int reap(pid_t *pids, int *slots, int n, int is_kill)
{
    int ok = 0, status;

    for (int i = 0; i < n; i++) {
        if (is_kill)
            kill(pids[i], SIGKILL);
        while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
            ;
        cleanup_forget(slots[i]);
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    return ok;
}

int work_run_procs(int n, work_fn fn, void *arg, uint64_t *out)
{
    /* on the stack, not the heap: a child exits without freeing, and a
     * heap block only the parent points to looks leaked to valgrind */
    pid_t pids[WORK_MAX_WORKERS];
    int slots[WORK_MAX_WORKERS], fd[2], started = 0, got = 0, err = 0;

    if (n > WORK_MAX_WORKERS) {
        errno = EINVAL;
        return -1;
    }
    if (pipe2(fd, O_CLOEXEC) < 0)
        return -1;
    for (; started < n; started++) {
        pid_t pid = cleanup_fork(&slots[started]);
        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            close(fd[0]);
            child_main(fd[1], fn, arg, started, n);
        }
        pids[started] = pid;
    }
    close(fd[1]);
    if (!err)
        got = read_results(fd[0], n, out);
    if (reap(pids, slots, started, err != 0) != n || got != n)
        err = err ? err : ECHILD;
    close(fd[0]);
    errno = err;
    return err ? -1 : 0;
}

int work_timed(int n, bool is_procs, work_fn fn, void *arg,
               struct run_result *out)
{
    uint64_t *parts = calloc((size_t)n, sizeof(*parts));
    double t0;
    int rc;

    if (!parts)
        return -1;
    t0 = clk_now();
    rc = is_procs ? work_run_procs(n, fn, arg, parts)
                  : work_run_threads(n, fn, arg, parts);
    out->seconds = clk_now() - t0;
    out->checksum = 0;
    for (int i = 0; i < n; i++)
        out->checksum += parts[i];
    free(parts);
    return rc;
}

/* Where pair (v, c)'s repetitions are kept. */
static size_t at_of(const struct work_sweep *s, int v, int c)
{
    return ((size_t)v * WORK_MAX_COUNTS + (size_t)c) * (size_t)s->plan.max;
}

/* Fills pair (v, c)'s summary from its s->reps samples. */
static void pair_summary(struct work_sweep *s, int v, int c,
                         const double *secs, const double *cpu,
                         const double *extra)
{
    size_t at = at_of(s, v, c), reps = (size_t)s->reps;
    struct stats st = stats_of(secs + at, reps);
    double wall = 0, busy = 0;

    s->time[v][c] = est_of(&st);
    s->secs[v][c] = st.median;
    s->extra[v][c] = extra[at];
    for (size_t i = 0; i < reps; i++) {
        if (secs[at + i] == st.median)      /* the median run's */
            s->extra[v][c] = extra[at + i];
        wall += secs[at + i];
        busy += cpu[at + i];
    }
    s->cpus[v][c] = wall > 0 ? busy / wall : 0;
}

static void sweep_summary(struct work_sweep *s, const double *secs,
                          const double *cpu, const double *extra)
{
    for (int v = 0; v < s->nvariants; v++)
        for (int c = 0; c < s->ncounts; c++)
            pair_summary(s, v, c, secs, cpu, extra);
    for (int v = 0; v < s->nvariants; v++) {
        for (int c = 0; c < s->ncounts; c++) {
            s->speedup[v][c] = stats_speedup(s->secs[v][0], s->secs[v][c]);
            s->gain[v][c] = c == 0 ? est_exact(1)
                                   : est_ratio(s->time[v][0], s->time[v][c]);
        }
    }
}

double work_sweep_spread(const struct work_sweep *s)
{
    double most = 0;

    for (int v = 0; v < s->nvariants; v++)
        for (int c = 0; c < s->ncounts; c++)
            if (est_spread(s->time[v][c]) > most)
                most = est_spread(s->time[v][c]);
    return most;
}

/* One round: every pair once. Returns 0 or -1 (errno). */
static int sweep_round(struct work_sweep *s, work_trial_fn fn, void *ctx,
                       double *secs, double *cpu, double *extra)
{
    struct run_result res;

    for (int v = 0; v < s->nvariants; v++) {
        for (int c = 0; c < s->ncounts; c++) {
            size_t at = at_of(s, v, c) + (size_t)s->reps;
            double cpu0 = cond_cpu_seconds();
            extra[at] = NAN;
            if (fn(ctx, v, s->counts[c], &res, &extra[at]) < 0)
                return -1;
            cpu[at] = cond_cpu_seconds() - cpu0;
            secs[at] = res.seconds;
            s->checksum[v][c] = res.checksum;
        }
    }
    s->reps++;
    return 0;
}

int work_sweep_run(struct work_sweep *s, work_trial_fn fn, void *ctx)
{
    size_t n = (size_t)WORK_MAX_VARIANTS * WORK_MAX_COUNTS *
               (size_t)(s->plan.max > 0 ? s->plan.max : 1);
    double *secs = calloc(n, sizeof(*secs));
    double *cpu = calloc(n, sizeof(*cpu));
    double *extra = calloc(n, sizeof(*extra));
    double t0 = clk_now(), first = 0;
    struct cond_probe probe;
    int rc = -1;

    s->reps = 0;
    cond_start(&probe);
    if (!secs || !cpu || !extra)
        goto out;
    while (stats_want_more(&s->plan, s->reps, clk_now() - t0, first,
                           s->reps ? work_sweep_spread(s) : 1)) {
        if (sweep_round(s, fn, ctx, secs, cpu, extra) < 0)
            goto out;
        first = s->reps == s->plan.min ? clk_now() - t0 : first;
        sweep_summary(s, secs, cpu, extra);
    }
    rc = 0;
out:
    s->cond = cond_stop(&probe);
    s->cond.reps = s->reps;
    s->cond.spread = rc == 0 ? work_sweep_spread(s) : 0;
    free(secs);
    free(cpu);
    free(extra);
    return rc;
}
