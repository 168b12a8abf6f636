/* work.h - a fixed amount of real CPU work, a labelled wait, and N workers
 * run as threads or as processes. The same work split over any number of
 * workers gives the same checksum, so a parallel run can be checked
 * against the serial one; only the time may change.
 */
#ifndef WORK_H
#define WORK_H

#include <stdbool.h>
#include <stdint.h>
#include "pardemo.h"
#include "conditions.h"
#include "stats.h"

/* Rounds of integer hashing in one unit of work: about 3 µs on a 2020s
 * CPU. Every round depends on the one before, so it cannot be skipped. */
#define WORK_ROUNDS 1000

/* One unit of CPU work (unit number u of a job seeded with seed). */
uint64_t work_unit(uint64_t seed, uint64_t u);

/* Units [first, first + count), summed: the sum does not depend on the
 * order, so any split of the units gives the same total. */
uint64_t work_units(uint64_t seed, long long first, long long count);

/* Worker i of n gets items [*first, *first + *count) of total: the
 * first total % n workers get one item more. */
void work_split(long long total, int n, int i, long long *first,
                long long *count);

/* Blocks the calling thread for us microseconds in ppoll(), the way a read
 * on a slow socket blocks: a WAIT, not work (it uses no CPU). Returns 0,
 * or -1 with errno set. */
int work_wait_us(long long us);

/* What a worker runs: worker id of n, returns its part of the checksum.
 * In a process it runs in the child, on the child's copy of *arg. */
typedef uint64_t (*work_fn)(void *arg, int id, int n);

/* Runs fn in n threads (pthread_create, then join all) and stores each
 * worker's return value in out[0..n). Returns 0, or -1 with errno set
 * (the threads already started are joined first). */
int work_run_threads(int n, work_fn fn, void *arg, uint64_t *out);

/* The most workers work_run_procs starts at once (-t allows no more). */
#define WORK_MAX_WORKERS 1024

/* The same with n child processes (fork; each child sends its value back
 * through a pipe, then _exit). Every child is reaped before returning, on
 * errors too; children are registered with lib/cleanup meanwhile. Returns
 * 0, or -1 with errno set (ECHILD when a child died without answering,
 * EINVAL when n > WORK_MAX_WORKERS). */
int work_run_procs(int n, work_fn fn, void *arg, uint64_t *out);

/* Runs fn on n threads, or n processes when is_procs, and fills *out:
 * the wall time from the first start to the last join (or reap), and the
 * sum of the workers' values as the checksum. Returns 0, or -1 with errno
 * set. */
int work_timed(int n, bool is_procs, work_fn fn, void *arg,
               struct run_result *out);

/* The worker counts of a sweep, ascending: the powers of two 1, 2, 4, ...
 * below max, also (when below max) the count `also` (the allowed CPUs, so
 * the sweep shows where scaling should stop), then max itself. Stores at
 * most cap of them; returns how many. */
int work_counts(int max, int also, int *counts, int cap);

/* A sweep: every variant of a topic at every worker count, repeated. */
#define WORK_MAX_VARIANTS 8
#define WORK_MAX_COUNTS 16

/* One timed run of variant v with `workers` workers. *extra is any other
 * number the caller wants kept from the run (NAN when none). Returns 0,
 * or -1 with errno set. */
typedef int (*work_trial_fn)(void *ctx, int v, int workers,
                             struct run_result *out, double *extra);

struct work_sweep {
    int nvariants, ncounts;                 /* set by the caller */
    int counts[WORK_MAX_COUNTS];            /* set by the caller */
    struct reps_plan plan;                  /* set by the caller */
    int reps;                               /* rounds that ran */
    double secs[WORK_MAX_VARIANTS][WORK_MAX_COUNTS];       /* medians */
    double speedup[WORK_MAX_VARIANTS][WORK_MAX_COUNTS];    /* vs counts[0] */
    /* the same with the middle half of the repetitions as the interval */
    struct est time[WORK_MAX_VARIANTS][WORK_MAX_COUNTS];
    struct est gain[WORK_MAX_VARIANTS][WORK_MAX_COUNTS];
    /* CPUs kept busy on average: CPU time received / wall time, all
     * repetitions together - how many workers really ran at once */
    double cpus[WORK_MAX_VARIANTS][WORK_MAX_COUNTS];
    double extra[WORK_MAX_VARIANTS][WORK_MAX_COUNTS];      /* median run's */
    uint64_t checksum[WORK_MAX_VARIANTS][WORK_MAX_COUNTS];
    struct cond cond;                       /* the machine meanwhile */
};

/* Runs every (variant, count) pair in rounds, every pair once per round,
 * so that a burst of outside load slows all pairs a little rather than
 * one pair a lot; plan.min rounds, then more while some pair's spread is
 * wider than the plan's target (see stats_want_more). Keeps each pair's
 * median, quartiles and CPUs busy. Returns 0, or -1 with errno set when
 * a trial fails. */
int work_sweep_run(struct work_sweep *s, work_trial_fn fn, void *ctx);

/* The widest spread (est_spread) of any pair's time. */
double work_sweep_spread(const struct work_sweep *s);

/* The bench gives every kernel of a topic the same -n (CPU work units);
 * a waiting kernel turns it into size / WORK_UNITS_PER_WAIT waits, so a
 * sweep sized for CPU work does not become minutes of sleeping. */
#define WORK_UNITS_PER_WAIT 256

static inline long long work_wait_tasks(long long size)
{
    return size / WORK_UNITS_PER_WAIT > 0 ? size / WORK_UNITS_PER_WAIT : 1;
}

#endif
