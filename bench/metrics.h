/* metrics.h - what a sweep's timings mean: speedup, efficiency, Karp-Flatt
 * serial fraction and an Amdahl fit, computed here (and unit-tested) so
 * that gnuplot only draws. Watch the fitted p: 1/(1-p) is the speedup no
 * number of CPUs can beat.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "benchcsv.h"
#include "stats.h"

/* t1 / tp: how many times faster p workers were than one. NaN when either
 * time is missing (not positive). */
double metrics_speedup(double t1_secs, double tp_secs);

/* speedup / workers: 1.0 means every worker was fully useful. */
double metrics_efficiency(double speedup, int workers);

/* Karp-Flatt experimentally determined serial fraction
 * e = (1/S - 1/n) / (1 - 1/n). NaN for n = 1 (undefined) or S <= 0. */
double metrics_karp_flatt(double speedup, int workers);

/* Amdahl's law: the speedup on n workers when a fraction p is parallel. */
double metrics_amdahl(double p, double workers);

struct amdahl_fit {
    double p;               /* parallel fraction, clamped to 0..1 */
    double max_speedup;     /* 1 / (1 - p); INFINITY when p == 1 */
    int npoints;            /* points with 1 < workers <= cpus used */
    bool is_clamped;        /* the raw least-squares p fell outside 0..1 */
    bool is_valid;          /* npoints > 0 */
};

/* Fits p by least squares on the time ratio T(n)/T(1) = 1 - p (1 - 1/n),
 * using only the points with 1 < workers[i] <= cpus (more workers than
 * CPUs measure oversubscription, not the program). speedup[i] <= 0 or NaN
 * points are skipped. is_valid is false when no point is left (on one
 * CPU, for instance). */
struct amdahl_fit metrics_amdahl_fit(const int *workers,
                                     const double *speedup, size_t n,
                                     int cpus);

/* One worker count of one series. */
struct metrics_point {
    int workers;
    struct stats secs;      /* over the reps */
    double speedup, efficiency, karp_flatt;     /* NaN when unknown */
    bool is_ok;             /* every rep's checksum matched */
};

/* All runs of one (topic, kernel, size), by workers ascending. */
struct metrics_series {
    const char *topic, *kernel;     /* point into the bench_csv */
    long long size;
    struct metrics_point *pts;
    size_t npts;
    struct amdahl_fit fit;
    bool is_ok;             /* no wrong checksum anywhere */
    bool has_base;          /* a 1-worker run exists (speedups known) */
};

/* Groups the rows of c into series (in order of first appearance) and
 * computes every point's metrics and each series' fit on workers <= cpus.
 * A row is wrong when its checksum_ok mark is 0 or its checksum differs
 * from the series' first 1-worker row. Returns the number of series, or
 * -1 on out-of-memory; free *out with metrics_free. */
long metrics_series_of(const struct bench_csv *c, int cpus,
                       struct metrics_series **out);
void metrics_free(struct metrics_series *s, size_t n);

#endif
