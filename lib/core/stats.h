/* stats.h - the monotonic clock and min/median/max of repeated timings.
 * One run is an anecdote: we warm up once, repeat, and report the median
 * (robust to a noisy neighbour) with the spread beside it. An estimate
 * (struct est) carries the middle half of the repetitions, so that a
 * "faster" is only said when the spreads do not overlap.
 */
#ifndef STATS_H
#define STATS_H

#include <stdbool.h>
#include <stddef.h>

struct run_params;

/* Seconds on CLOCK_MONOTONIC: never jumps when the wall clock is set. */
double clk_now(void);

struct stats {
    double min, median, max, mean;
    double q1, q3;              /* quartiles (linear interpolation) */
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

/* An estimate: the value quoted (v, a median) and the interval lo..hi
 * that held the middle half of the repetitions. Exact: lo == v == hi. */
struct est {
    double v, lo, hi;
};

struct est est_exact(double v);
/* median, with the quartiles as the interval; from fewer than 2 runs
 * the interval is [0, inf): a lone run cannot show its spread */
struct est est_of(const struct stats *s);
/* a / b and a - b, the interval widened to cover both intervals */
struct est est_ratio(struct est a, struct est b);
struct est est_diff(struct est a, struct est b);
/* k * a, for k >= 0 */
struct est est_scale(struct est a, double k);
/* (hi - lo) / v: the relative width of the interval (0 when exact) */
double est_spread(struct est e);

/* How many repetitions: at least min; more, up to max, while the spread
 * is wider than target and the extra time stays under cap_factor times
 * what the first min repetitions took. -r N fixes min = max = N. */
struct reps_plan {
    int min, max;
    double cap_factor, target_spread;
};

/* The plan for a topic whose default is `dflt` repetitions. */
struct reps_plan stats_plan(const struct run_params *p, int dflt);

/* Another repetition? done so far, the seconds they took in all, the
 * seconds the first pl->min took, and the current spread. */
bool stats_want_more(const struct reps_plan *pl, int done, double spent_s,
                     double first_s, double spread);

/* As stats_time, but repeats as pl says: samples needs pl->max slots;
 * the summary's n says how many ran. */
struct stats stats_time_plan(int (*fn)(void *arg), void *arg,
                             const struct reps_plan *pl, double *samples,
                             int *err);

#endif
