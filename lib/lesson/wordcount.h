/* lesson/wordcount.h - the rules of `pardemo wordcount`.
 * Counts of this run (tasks, stages, records shuffled): every sentence
 * holds on its numbers, or is not said.
 */
#ifndef LESSON_WORDCOUNT_H
#define LESSON_WORDCOUNT_H

#include <stdbool.h>
#include "notice.h"

struct wc_lesson {
    int map_stage, map_tasks, result_stage, result_tasks;
    int threads, cpus;
    int skipped;                    /* stages skipped by later actions */
    bool has_save_stage;            /* a later action was saveAsTextFile */
    int recomputed;                 /* tasks re-run after --lose */
    const char *lost;
    long long empty_count;          /* '' among the top words, or -1 */
    long long red_records, red_bytes;   /* reduceByKey's shuffle */
    bool has_group;
    long long grp_records, grp_bytes;   /* groupByKey's */
    bool is_group_too_big;          /* not run: input over the limit */
    const char *save;               /* --save DIR, or NULL */
    int save_parts;
};

/* Appends the topic's notices for x to ns. */
void wc_lesson_notices(const struct wc_lesson *x, struct notices *ns);

#endif
