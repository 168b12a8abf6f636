/* stats.c - clock and summary statistics. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

struct stats stats_of(const double *x, size_t n)
{
    struct stats s = { 0, 0, 0, 0, n };
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
    free(c);
    return s;
}

struct stats stats_time(int (*fn)(void *arg), void *arg, int reps,
                        double *samples, int *err)
{
    struct stats none = { 0, 0, 0, 0, 0 };
    int i;

    *err = fn(arg);
    for (i = 0; i < reps && !*err; i++) {
        double t0 = clk_now();
        *err = fn(arg);
        samples[i] = clk_now() - t0;
    }
    return *err ? none : stats_of(samples, (size_t)reps);
}

double stats_speedup(double base, double t)
{
    return t > 0 ? base / t : 0;
}
