/* lesson/concurrency.h - the rules of `pardemo concurrency`.
 * Parallelism is claimed only where the tasks were seen running at the
 * same instant, not merely because the second run was faster.
 */
#ifndef LESSON_CONCURRENCY_H
#define LESSON_CONCURRENCY_H

#include "conditions.h"
#include "notice.h"

struct conc_run {
    double wall_s;              /* first task start to last task end */
    double busy_s;              /* CPU time seen in the tasks' slices */
    int cpus_allowed, cpus_used;
    int max_running;            /* most tasks seen running at one instant */
    double slices_per_task;
    struct cond cond;           /* the machine during the run */
};

struct conc_results {
    int ntasks;
    int cpu;                    /* the CPU run 1 was confined to */
    struct conc_run one, all;   /* confined to one CPU; over all allowed */
};

/* Appends the topic's notices for res to ns. */
void concurrency_notices(const struct conc_results *res, struct notices *ns);

#endif
