/* lesson/platforms.h - the rules of `pardemo platforms`.
 * Who was fastest is said only as decidedly as the runs allow (one run
 * each decides nothing); start-up against throughput from the measured
 * start-up and rates; the GIL from the CPUs each Dask scheduler kept
 * busy; the engine's laziness, combine and recovery from its own note.
 */
#ifndef LESSON_PLATFORMS_H
#define LESSON_PLATFORMS_H

#include <stdbool.h>
#include "notice.h"

/* One platform at one worker count that ran (missing ones left out). */
struct pfl_row {
    const char *name;
    int workers;
    struct est wall;            /* seconds over the runs */
    double cpu_s, startup_s;    /* of the median run; the one-line job */
};

/* What the engine said of its stages ("# engine" note). */
struct pfl_engine {
    bool is_seen;
    long long map_records, shuffled_records, shuffled_bytes;
    int stages_before_action, recomputed;
};

struct pfl_job {
    const char *title;          /* "Word count" */
    bool is_totals;             /* the CSV job (pandas' C parser) */
    long long bytes;            /* the input's size */
    const struct pfl_row *row;
    int nrows;
    struct pfl_engine note, lost;   /* a plain engine run; one with --lose */
};

struct platforms_results {
    const struct pfl_job *job;
    int njobs;
    int threads;                /* -t: the engine's and Dask's workers */
    int reps;                   /* -r: runs per row (0: as each row needed;
                                   a row that ran once has wall.hi = inf) */
    struct cond cond;           /* the whole run's */
};

/* Appends the topic's notices for res to ns. */
void platforms_notices(const struct platforms_results *res,
                       struct notices *ns);

#endif
