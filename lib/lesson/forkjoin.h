/* lesson/forkjoin.h - the rules of `pardemo forkjoin`.
 * The explanation of why fork costs more is printed only when it did.
 */
#ifndef LESSON_FORKJOIN_H
#define LESSON_FORKJOIN_H

#include <stdbool.h>
#include "notice.h"

enum fj_variant { FJV_SERIAL, FJV_FORK, FJV_PTHREAD, FJV_OMP, FJV_N };

#define FJ_SWEEP_MAX 10
/* The least -n the sweep can split: its first cutoff n/2 is >= 16. */
#define FJ_SWEEP_LEAST_N 32

struct fj_sweep_results {
    int npoints;
    long long cutoff[FJ_SWEEP_MAX], leaves[FJ_SWEEP_MAX];
    double secs[FJ_SWEEP_MAX][FJV_N];   /* medians; NAN: not run */
    double serial_s;
    /* Python's Pool.map at the same leaves (NAN: not run), against
     * Python's serial; has_python false: no Python part */
    bool has_python;
    double py_secs[FJ_SWEEP_MAX];
    double py_serial_s;
};

/* The Python part: serial, then Pool.map, on the first n numbers. */
enum { FJP_SERIAL, FJP_POOL, FJP_N };

struct fj_python {
    long long n;                /* how many of the numbers it took */
    int workers;                /* the Pool's processes */
    long long leaves;           /* the pieces Pool.map handed out */
    struct est secs[FJP_N];
    bool is_wrong[FJP_N];       /* not C's answer on those numbers */
};

struct forkjoin_results {
    bool is_sort;               /* a sort (else a sum) */
    long long n, leaves;
    int cpus, threads;
    struct est secs[FJV_N];     /* median and quartiles */
    double cpus_busy[FJV_N];    /* CPU time / wall time */
    bool is_wrong[FJV_N];       /* did not give the serial answer */
    unsigned long long checksum;
    double piped_mib;           /* what the fork variant sends back */
    double mapped_mib;          /* the arrays a fork's page tables map */
    /* the OpenMP tree: recorded nodes, distinct threads that ran them
     * (listed in omp_ids), and joins where the waiter ran the task */
    int omp_nodes, omp_threads, omp_joins, omp_self_joins;
    char omp_ids[64];
    int refused_forks, refused_threads;
    const struct fj_sweep_results *sweep;   /* NULL: no --sweep */
    const struct fj_python *py;             /* NULL: no Python part */
    struct cond cond;
};

/* Appends the topic's notices for res to ns. */
void forkjoin_notices(const struct forkjoin_results *res,
                      struct notices *ns);

#endif
