/* metrics.h - what a sweep's timings mean: speedup, efficiency, Karp-Flatt
 * serial fraction and an Amdahl fit, computed here (and unit-tested) so
 * that gnuplot only draws. Watch the fitted p: 1/(1-p) is the speedup no
 * number of CPUs can beat - and it is only fitted when the machine had
 * CPUs enough to measure it.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "benchcsv.h"
#include "stats.h"

/* A fit needs this many worker counts at or below the CPUs, the 1-worker
 * run included: a curve through (1, 1) and one more point fits anything. */
#define METRICS_FIT_MIN_POINTS 3

/* A 1-worker baseline whose reps spread more than this (max - min, as a
 * fraction of the median) makes every speedup of its series suspect. */
#define METRICS_NOISY_SPREAD 0.10

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
    int npoints;            /* worker counts 1..cpus with a speedup */
    bool is_clamped;        /* the raw least-squares p fell outside 0..1 */
    bool is_valid;          /* npoints >= METRICS_FIT_MIN_POINTS */
};

/* Fits p by least squares on the time ratio T(n)/T(1) = 1 - p (1 - 1/n),
 * using only the points with workers[i] <= cpus (more workers than CPUs
 * measure oversubscription, not the program). speedup[i] <= 0 or NaN
 * points are skipped. is_valid is false (p NaN) when fewer than
 * METRICS_FIT_MIN_POINTS worker counts 1..cpus are left: on a 2-CPU
 * machine, for instance, there is never a fit. */
struct amdahl_fit metrics_amdahl_fit(const int *workers,
                                     const double *speedup, size_t n,
                                     int cpus);

/* One worker count of one series. */
struct metrics_point {
    int workers;
    struct stats secs;      /* over the reps */
    double speedup, efficiency;     /* of the medians; NaN when unknown */
    double speedup_lo, speedup_hi;  /* slowest and fastest combination of
                                       the reps (baseline's included) */
    double karp_flatt;      /* NaN unless the series can be fitted and
                               workers is 2..cpus */
    bool is_ok;             /* every rep's checksum matched */
};

/* All runs of one (topic, kernel, size), by workers ascending. */
struct metrics_series {
    const char *topic, *kernel;     /* point into the bench_csv */
    long long size;
    struct metrics_point *pts;
    size_t npts;
    struct amdahl_fit fit;
    int reps;               /* the most reps of any point */
    double base_spread;     /* (max - min) / median of the 1-worker reps;
                               NaN without a baseline or with one rep */
    bool is_ok;             /* no wrong checksum anywhere */
    bool has_base;          /* a 1-worker run exists (speedups known) */
    bool is_serial;         /* the kernel runs on one worker whatever the
                               count (a `# serial:` line, or its name) */
    bool is_noisy_base;     /* base_spread > METRICS_NOISY_SPREAD */
    bool is_weak;           /* a job that grows with the workers (weak
                               scaling): its time ratio is no speedup, it
                               gets no Amdahl fit (plot: laws-scaling) */
};

/* Is this a serial reference kernel by its name ("serial",
 * "sort-serial")? Such kernels run on one worker whatever count they are
 * given, so they have a time but no speedup. A bench CSV also names them
 * in `# serial: TOPIC/KERNEL ...` lines (from the topic's descriptor);
 * metrics_series_of takes either. */
bool metrics_is_serial_kernel(const char *kernel);

/* Is this a weak-scaling kernel by its name ("weak-10": the job grows
 * with the workers, 10 % serial)? */
bool metrics_is_weak_kernel(const char *kernel);

/* The kernel a topic's costs are measured against ("atomic" for
 * manager: every kernel there is slower than one process, so it is drawn
 * as cost per operation, not speedup), or NULL for a speedup topic. */
const char *metrics_cost_reference(const char *topic);

/* Groups the rows of c into series (in order of first appearance) and
 * computes every point's metrics and each series' fit on workers <= cpus.
 * A row is wrong when its checksum_ok mark is 0 or its checksum differs
 * from the series' first 1-worker row. Returns the number of series, or
 * -1 on out-of-memory; free *out with metrics_free. */
long metrics_series_of(const struct bench_csv *c, int cpus,
                       struct metrics_series **out);
void metrics_free(struct metrics_series *s, size_t n);

#endif
