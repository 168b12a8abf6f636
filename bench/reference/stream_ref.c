/* stream_ref.c - a minimal reference STREAM, written here from the
 * published algorithm of McCalpin's stream.c (v5.10): static arrays a, b,
 * c of STREAM_ARRAY_SIZE doubles; a = 1, b = 2, c = 0, then a = 2a; NTIMES
 * passes of copy, scale, add, triad (q = 3), each timed; the first pass
 * dropped; rate = bytes / best time; every element checked at the end.
 * Not part of pardemo: `make bench-memory` builds it with the same compiler
 * and flags and sets its triad beside `pardemo memory`'s.
 */
#include <math.h>
#include <stdio.h>
#include <sys/time.h>

#ifndef STREAM_ARRAY_SIZE
#define STREAM_ARRAY_SIZE 10000000
#endif
#ifndef NTIMES
#define NTIMES 10
#endif

static double a[STREAM_ARRAY_SIZE], b[STREAM_ARRAY_SIZE],
              c[STREAM_ARRAY_SIZE];

static double mysecond(void)
{
    struct timeval tp;

    gettimeofday(&tp, NULL);
    return (double)tp.tv_sec + (double)tp.tv_usec * 1.e-6;
}

static int check(void)
{
    double aj = 1.0, bj = 2.0, cj = 0.0, scalar = 3.0;
    double aerr = 0, berr = 0, cerr = 0;
    const double eps = 1.e-13;
    long j;

    aj = 2.0E0 * aj;
    for (int k = 0; k < NTIMES; k++) {
        cj = aj;
        bj = scalar * cj;
        cj = aj + bj;
        aj = bj + scalar * cj;
    }
    for (j = 0; j < STREAM_ARRAY_SIZE; j++) {
        aerr += fabs(a[j] - aj);
        berr += fabs(b[j] - bj);
        cerr += fabs(c[j] - cj);
    }
    aerr /= STREAM_ARRAY_SIZE;
    berr /= STREAM_ARRAY_SIZE;
    cerr /= STREAM_ARRAY_SIZE;
    return fabs(aerr / aj) > eps || fabs(berr / bj) > eps ||
           fabs(cerr / cj) > eps;
}

int main(void)
{
    static const char *label[4] = { "Copy:      ", "Scale:     ",
                                    "Add:       ", "Triad:     " };
    double bytes[4] = { 2 * sizeof(double) * (double)STREAM_ARRAY_SIZE,
                        2 * sizeof(double) * (double)STREAM_ARRAY_SIZE,
                        3 * sizeof(double) * (double)STREAM_ARRAY_SIZE,
                        3 * sizeof(double) * (double)STREAM_ARRAY_SIZE };
    double times[4][NTIMES], mintime[4] = { 1e30, 1e30, 1e30, 1e30 };
    double scalar = 3.0, t;
    long j;

#pragma omp parallel for
    for (j = 0; j < STREAM_ARRAY_SIZE; j++) {
        a[j] = 1.0;
        b[j] = 2.0;
        c[j] = 0.0;
    }
#pragma omp parallel for
    for (j = 0; j < STREAM_ARRAY_SIZE; j++)
        a[j] = 2.0E0 * a[j];
    for (int k = 0; k < NTIMES; k++) {
        times[0][k] = mysecond();
#pragma omp parallel for
        for (j = 0; j < STREAM_ARRAY_SIZE; j++)
            c[j] = a[j];
        times[0][k] = mysecond() - times[0][k];
        times[1][k] = mysecond();
#pragma omp parallel for
        for (j = 0; j < STREAM_ARRAY_SIZE; j++)
            b[j] = scalar * c[j];
        times[1][k] = mysecond() - times[1][k];
        times[2][k] = mysecond();
#pragma omp parallel for
        for (j = 0; j < STREAM_ARRAY_SIZE; j++)
            c[j] = a[j] + b[j];
        times[2][k] = mysecond() - times[2][k];
        times[3][k] = mysecond();
#pragma omp parallel for
        for (j = 0; j < STREAM_ARRAY_SIZE; j++)
            a[j] = b[j] + scalar * c[j];
        times[3][k] = mysecond() - times[3][k];
    }
    for (int k = 1; k < NTIMES; k++)        /* the first pass is dropped */
        for (int i = 0; i < 4; i++)
            mintime[i] = fmin(mintime[i], times[i][k]);
    printf("Function    Best Rate MB/s\n");
    for (int i = 0; i < 4; i++) {
        t = 1.0E-06 * bytes[i] / mintime[i];
        printf("%s%12.1f\n", label[i], t);
    }
    if (check()) {
        printf("Failed Validation\n");
        return 1;
    }
    printf("Solution Validates\n");
    return 0;
}
