/* lesson/memory.h - the rules of `pardemo memory`.
 * A kernel that streams arrays from memory stops scaling when the memory
 * bus is full; one that computes on what it loaded keeps scaling with the
 * cores. Said only from this run's numbers, and only where the threads
 * ran at once on CPUs of their own.
 */
#ifndef LESSON_MEMORY_H
#define LESSON_MEMORY_H

#include <stdbool.h>
#include "conditions.h"
#include "notice.h"

#define MEMORY_MAX_COUNTS 16

/* One thread count: triad (memory-bound) and the compute-bound kernel
 * over arrays of the same length. */
struct memory_point {
    int threads;
    struct est triad_s, compute_s;
    double busy;                /* CPUs busy during both kernels' runs */
};

struct memory_results {
    int cpus_allowed;
    int npoints;                /* thread counts, ascending, from 1 */
    struct memory_point points[MEMORY_MAX_COUNTS];
    double triad_bytes, triad_flops;        /* per run */
    double compute_bytes, compute_flops;
    long long arrays_bytes;     /* STREAM's three arrays together */
    long long llc_bytes;        /* the last-level cache, 0: unknown */
    /* the reduction, one core: scalar, #pragma omp simd; then threads
     * and SIMD together on sum_threads threads */
    struct est sum_scalar_s, sum_simd_s, sum_both_s;
    int sum_threads;
    double sum_busy;            /* CPUs busy during threads + SIMD */
    struct cond cond;
};

/* Bytes or FLOPs per second of a run of `amount` that took t. */
struct est memory_rate(double amount, struct est t);

/* The index of the largest thread count at or below the allowed CPUs
 * (0 when only one thread was measured there). */
int memory_last_fit(const struct memory_results *r);

/* Appends the topic's notices for r to ns. */
void memory_notices(const struct memory_results *r, struct notices *ns);

#endif
