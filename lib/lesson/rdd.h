/* lesson/rdd.h - the rules of `pardemo rdd`.
 * Every sentence is about counts this run made (calls of the user
 * function, tasks re-run) and results it printed: true by its numbers,
 * or not said.
 */
#ifndef LESSON_RDD_H
#define LESSON_RDD_H

#include <stdbool.h>
#include "notice.h"

struct rdd_lesson {
    long calls_after_map;       /* square's calls when map() returned */
    long calls_after_collect;   /* ...after collect() */
    long calls_after_filter;    /* ...after the filter's collect() */
    int partitions;
    const char *reduce_text;    /* what reduceByKey's collect() printed */
    bool is_lose_run;           /* --lose was given */
    int lose;
    const char *lost;           /* what was lost, or NULL */
    int recomputed;             /* tasks re-run from lineage */
    bool is_same_after_loss;    /* the result did not change */
    const char *result_after_loss;
};

/* Appends the topic's notices for x to ns. */
void rdd_lesson_notices(const struct rdd_lesson *x, struct notices *ns);

#endif
