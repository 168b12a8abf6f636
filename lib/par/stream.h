/* stream.h - STREAM's four kernels (McCalpin), with OpenMP threads.
 * copy c = a, scale b = q c, add c = a + b, triad a = b + q c, over three
 * arrays of doubles; after the runs every element is checked against the
 * values STREAM's recurrence gives, computed once on scalars.
 */
#ifndef STREAM_H
#define STREAM_H

#include <stdbool.h>
#include <stdint.h>

enum { STREAM_COPY, STREAM_SCALE, STREAM_ADD, STREAM_TRIAD, STREAM_N };

#define STREAM_SCALAR 3.0       /* STREAM's q */
#define STREAM_EPS 1e-13        /* STREAM's epsilon for doubles */

struct stream_arrays {
    double *a, *b, *c;
    long long n;
};

/* Allocates three arrays of n doubles (64-byte aligned, in one block).
 * Returns 0 or ENOMEM (stream_free is always safe after it). */
int stream_alloc(struct stream_arrays *x, long long n);
void stream_free(struct stream_arrays *x);

/* STREAM's start: a = 1, b = 2, c = 0, then a = 2a, each thread touching
 * the part it will work on. */
void stream_init(struct stream_arrays *x, int threads);

/* One pass of kernel k (STREAM_COPY...) on `threads` threads. */
void stream_run(struct stream_arrays *x, int k, int threads);

/* After stream_init and `iters` passes of the four kernels in order: the
 * number of elements (of any array) off by more than STREAM_EPS,
 * relative. 0: all right. */
long long stream_check(const struct stream_arrays *x, int iters);

/* Kernel k's name, bytes moved per pass over n elements, FLOPs per
 * element. */
const char *stream_name(int k);
double stream_bytes(int k, long long n);
int stream_flops(int k);

/* `pardemo memory`'s compute-bound kernel: 8 bytes read and 8 written
 * per element, and STREAM_COMPUTE_FLOPS FLOPs on them in registers. */
#define STREAM_COMPUTE_FLOPS 64

/* The bytes moved and FLOPs done per element by the bench kernel named
 * `kernel` ("copy", "scale", "add", "triad" or "compute"). Returns
 * false for any other name. */
bool stream_kernel_costs(const char *kernel, double *bytes, double *flops);

#endif
