/* stream.c - STREAM's kernels and its check (see stream.h). */
#include "stream.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[STREAM_N] = { "copy", "scale", "add",
                                              "triad" };
/* arrays each kernel reads plus writes, and FLOPs per element */
static const int arrays_moved[STREAM_N] = { 2, 2, 3, 3 };
static const int flops[STREAM_N] = { 0, 1, 1, 2 };

/* The three arrays one after another in one page-aligned block, as
 * stream.c's static arrays lie: three separate blocks measured about 5 %
 * slower here (their pages fall differently in the caches). */
int stream_alloc(struct stream_arrays *x, long long n)
{
    size_t each = ((size_t)n * sizeof(double) + 63) / 64 * 64;

    x->n = n;
    x->a = aligned_alloc(4096, (3 * each + 4095) / 4096 * 4096);
    x->b = x->a ? (double *)((char *)x->a + each) : NULL;
    x->c = x->a ? (double *)((char *)x->a + 2 * each) : NULL;
    return x->a ? 0 : ENOMEM;
}

void stream_free(struct stream_arrays *x)
{
    free(x->a);
    x->a = x->b = x->c = NULL;
}

void stream_init(struct stream_arrays *x, int threads)
{
    #pragma omp parallel for num_threads(threads) schedule(static)
    for (long long j = 0; j < x->n; j++) {
        x->a[j] = 1.0;
        x->b[j] = 2.0;
        x->c[j] = 0.0;
    }
    #pragma omp parallel for num_threads(threads) schedule(static)
    for (long long j = 0; j < x->n; j++)
        x->a[j] = 2.0 * x->a[j];
}

void stream_run(struct stream_arrays *x, int k, int threads)
{
    double *restrict a = x->a, *restrict b = x->b, *restrict c = x->c;
    const double q = STREAM_SCALAR;
    long long n = x->n;

    /* the same static schedule as stream_init: each thread streams the
     * pages it touched first */
    switch (k) {
    case STREAM_COPY:
        #pragma omp parallel for num_threads(threads) schedule(static)
        for (long long j = 0; j < n; j++)
            c[j] = a[j];
        break;
    case STREAM_SCALE:
        #pragma omp parallel for num_threads(threads) schedule(static)
        for (long long j = 0; j < n; j++)
            b[j] = q * c[j];
        break;
    case STREAM_ADD:
        #pragma omp parallel for num_threads(threads) schedule(static)
        for (long long j = 0; j < n; j++)
            c[j] = a[j] + b[j];
        break;
    default:
        #pragma omp parallel for num_threads(threads) schedule(static)
        for (long long j = 0; j < n; j++)
            a[j] = b[j] + q * c[j];
        break;
    }
}

static bool is_off(double got, double want)
{
    return !(fabs(got - want) <= STREAM_EPS * fabs(want));
}

long long stream_check(const struct stream_arrays *x, int iters)
{
    double aj = 2.0, bj = 2.0, cj = 0.0;
    long long bad = 0;

    for (int k = 0; k < iters; k++) {
        cj = aj;
        bj = STREAM_SCALAR * cj;
        cj = aj + bj;
        aj = bj + STREAM_SCALAR * cj;
    }
    for (long long j = 0; j < x->n; j++)
        bad += is_off(x->a[j], aj) || is_off(x->b[j], bj) ||
               is_off(x->c[j], cj);
    return bad;
}

const char *stream_name(int k)
{
    return names[k];
}

double stream_bytes(int k, long long n)
{
    return arrays_moved[k] * (double)sizeof(double) * (double)n;
}

int stream_flops(int k)
{
    return flops[k];
}

bool stream_kernel_costs(const char *kernel, double *bytes, double *fl)
{
    for (int k = 0; k < STREAM_N; k++)
        if (!strcmp(kernel, names[k])) {
            *bytes = stream_bytes(k, 1);
            *fl = flops[k];
            return true;
        }
    if (strcmp(kernel, "compute"))
        return false;
    *bytes = 2 * sizeof(double);
    *fl = STREAM_COMPUTE_FLOPS;
    return true;
}
