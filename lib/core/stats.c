/* stats.c - clock, summary statistics and estimates with their spread. */
#include "stats.h"
#include "pardemo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PLAN_MAX_REPS 15        /* adaptive repetitions stop here */
#define PLAN_CAP_FACTOR 1.0     /* at most double the time of the minimum */
#define PLAN_TARGET_SPREAD 0.05 /* middle half within 5% of the median */

double clk_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The q-quantile of sorted c[0..n), interpolated between neighbours. */
static double quantile(const double *c, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;

    return i + 1 < n ? c[i] + (pos - (double)i) * (c[i + 1] - c[i]) : c[i];
}

struct stats stats_of(const double *x, size_t n)
{
    struct stats s = { 0, 0, 0, 0, 0, 0, n };
    double *c, sum = 0;
    size_t i;

    if (n == 0 || !(c = malloc(n * sizeof(*c))))
        return s;
    memcpy(c, x, n * sizeof(*c));
    qsort(c, n, sizeof(*c), cmp_double);
    for (i = 0; i < n; i++)
        sum += c[i];
    s.min = c[0];
    s.max = c[n - 1];
    s.median = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    s.mean = sum / (double)n;
    s.q1 = quantile(c, n, 0.25);
    s.q3 = quantile(c, n, 0.75);
    free(c);
    return s;
}

struct stats stats_time(int (*fn)(void *arg), void *arg, int reps,
                        double *samples, int *err)
{
    struct reps_plan pl = { reps, reps, 0, 0 };

    return stats_time_plan(fn, arg, &pl, samples, err);
}

double stats_speedup(double base, double t)
{
    return t > 0 ? base / t : 0;
}

struct est est_exact(double v)
{
    return (struct est){ v, v, v };
}

struct est est_of(const struct stats *s)
{
    if (s->n < 2)       /* one run cannot show its spread: anything goes */
        return (struct est){ s->median, 0, INFINITY };
    return (struct est){ s->median, s->q1, s->q3 };
}

struct est est_ratio(struct est a, struct est b)
{
    struct est r = { stats_speedup(a.v, b.v), stats_speedup(a.lo, b.hi),
                     stats_speedup(a.hi, b.lo) };

    if (b.lo <= 0)              /* a zero in b's interval: unbounded */
        r.hi = INFINITY;
    return r;
}

struct est est_diff(struct est a, struct est b)
{
    return (struct est){ a.v - b.v, a.lo - b.hi, a.hi - b.lo };
}

struct est est_scale(struct est a, double k)
{
    return (struct est){ a.v * k, a.lo * k, a.hi * k };
}

double est_spread(struct est e)
{
    return e.v != 0 ? (e.hi - e.lo) / fabs(e.v) : 0;
}

struct reps_plan stats_plan(const struct run_params *p, int dflt)
{
    struct reps_plan pl = { dflt, PLAN_MAX_REPS, PLAN_CAP_FACTOR,
                            PLAN_TARGET_SPREAD };

    if (p->reps_given)          /* the user asked for exactly this many */
        pl.min = pl.max = p->reps;
    if (pl.max < pl.min)
        pl.max = pl.min;
    return pl;
}

bool stats_want_more(const struct reps_plan *pl, int done, double spent_s,
                     double first_s, double spread)
{
    if (done < pl->min)
        return true;
    return done < pl->max && spread > pl->target_spread &&
           spent_s - first_s < pl->cap_factor * first_s;
}

struct stats stats_time_plan(int (*fn)(void *arg), void *arg,
                             const struct reps_plan *pl, double *samples,
                             int *err)
{
    struct stats none = { 0, 0, 0, 0, 0, 0, 0 }, s = none;
    double spent = 0, first = 0;
    int i = 0;

    *err = fn(arg);
    while (!*err && stats_want_more(pl, i, spent, first,
                                    est_spread(est_of(&s)))) {
        double t0 = clk_now();
        *err = fn(arg);
        samples[i++] = clk_now() - t0;
        spent += samples[i - 1];
        first = i == pl->min ? spent : first;
        s = stats_of(samples, (size_t)i);
    }
    return *err ? none : s;
}
