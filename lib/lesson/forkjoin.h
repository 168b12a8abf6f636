/* lesson/forkjoin.h - the rules of `pardemo forkjoin`.
 * The explanation of why fork costs more is printed only when it did.
 */
#ifndef LESSON_FORKJOIN_H
#define LESSON_FORKJOIN_H

#include <stdbool.h>
#include "notice.h"

enum fj_variant { FJV_SERIAL, FJV_FORK, FJV_PTHREAD, FJV_OMP, FJV_N };

#define FJ_SWEEP_MAX 10

struct fj_sweep_results {
    int npoints;
    long long cutoff[FJ_SWEEP_MAX], leaves[FJ_SWEEP_MAX];
    double secs[FJ_SWEEP_MAX][FJV_N];   /* medians; NAN: not run */
    double serial_s;
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
    struct cond cond;
};

/* Appends the topic's notices for res to ns. */
void forkjoin_notices(const struct forkjoin_results *res,
                      struct notices *ns);

#endif
