/* lesson/distributed.h - the rules of `pardemo distributed`.
 * Ranks on one machine are compared with one process using as many
 * threads: the lecture's "distribution cuts processing time" needs more
 * machines, and the output says when the ranks were slower here.
 */
#ifndef LESSON_DISTRIBUTED_H
#define LESSON_DISTRIBUTED_H

#include <stdbool.h>
#include "notice.h"

#define DIST_NRUNS 3

/* One launch: 1 process, or N ranks under mpirun. */
struct dist_run {
    int ranks, threads;
    double job_s, wall_s;           /* the counting job; the whole launch */
    double sent_bytes;              /* shuffled between ranks */
    double mpi_s;                   /* the most a rank spent in MPI */
    bool is_same;                   /* the top words match run 0's */
};

struct dist_results {
    int cpus;                       /* allowed to this process */
    struct dist_run run[DIST_NRUNS];    /* 1 process, 2 ranks, 4 ranks */
    struct cond cond;
};

/* Appends the topic's notices for res to ns. */
void distributed_notices(const struct dist_results *res, struct notices *ns);

#endif
