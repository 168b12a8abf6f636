/* lesson/spark.h - the rules of `pardemo spark --explain`.
 * Each job's sentences are about what it ran: its tasks, the worker
 * processes forked for them, the bytes sent back, stages skipped. A
 * sentence is said only when this job's counts make it true; why the
 * workers are processes is said once a run, at its first Python job.
 */
#ifndef LESSON_SPARK_H
#define LESSON_SPARK_H

#include "notice.h"

/* One job's stages, counted. */
struct spark_job {
    int tasks;                  /* tasks of the stages that ran */
    int procs;                  /* worker processes forked, all stages */
    int most_procs;             /* the most one stage forked */
    int skipped;                /* stages skipped: shuffle output kept */
    long long bytes_to_driver;  /* what the workers sent back */
    int earlier_procs;          /* worker processes of this run's earlier
                                   jobs: the why is said once, at the first */
};

/* Appends the notices for job j to ns. */
void spark_notices(const struct spark_job *j, struct notices *ns);

#endif
