/* stats.h - the monotonic clock and min/median/max of repeated timings.
 * One run is an anecdote: we warm up once, repeat, and report the median
 * (robust to a noisy neighbour) with min and max beside it.
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>

/* Seconds on CLOCK_MONOTONIC: never jumps when the wall clock is set. */
double clk_now(void);

struct stats {
    double min, median, max, mean;
    size_t n;
};

/* Summary of x[0..n): sorts a copy; the median of an even count is the
 * mean of the middle two. n == 0 gives all zeros. */
struct stats stats_of(const double *x, size_t n);

/* Times fn(arg) once to warm up, then reps times; fills samples[0..reps)
 * (seconds) and returns the summary. fn returns nonzero to stop early
 * (the error is returned through *err). */
struct stats stats_time(int (*fn)(void *arg), void *arg, int reps,
                        double *samples, int *err);

/* Speedup of t against base (base / t), 0 when t is 0. */
double stats_speedup(double base, double t);

#endif
