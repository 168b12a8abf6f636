/* lesson/datatask.h - the rules of `pardemo datatask`.
 * A speedup is called one only where it is decided (its interval clear of
 * 1), possible (no more than the CPUs allow) and parallel (its workers
 * kept more than one CPU busy); a ceiling is quoted with
 * the run it bounds and is never beaten silently; a fixed cost is named
 * only when the machine was quiet enough for it to be the cause.
 */
#ifndef LESSON_DATATASK_H
#define LESSON_DATATASK_H

#include <stdbool.h>
#include <stdint.h>
#include "notice.h"

#define DT_MAX_POINTS 16
#define DT_N_SCALE 4

/* One worker count of the data-parallel sweep. */
struct dt_point {
    int workers;
    struct est secs;            /* median and quartiles of the runs */
    uint64_t checksum;          /* of the totals */
    double busy;                /* CPUs its workers kept busy */
};

struct dt_data {
    bool is_run;
    double bytes;
    struct est ref_secs;        /* the serial reference */
    uint64_t ref_checksum;
    int npoints;
    struct dt_point pt[DT_MAX_POINTS];
    /* the same worker count (the most) on growing prefixes of the rows */
    int scale_workers;
    long long scale_rows[DT_N_SCALE];
    struct est scale_ser[DT_N_SCALE], scale_par[DT_N_SCALE];
    double merge_s;             /* merging the tables, most workers */
    long long skipped;          /* --skip-bad */
    const char *skip_msg;
};

struct dt_task {
    bool is_run;
    int workers, ntasks;
    struct est serial, parallel;    /* one after another; all at once */
    struct est speedup, bound;      /* per run: speedup and its bound */
    double slowest_s, total_s;      /* the tasks alone, last run */
    double most_s, least_s;         /* the busiest and idlest thread */
    double busy;                    /* CPUs busy while all ran at once */
    int idle_thread;
    bool is_same;                   /* same answers both ways */
};

struct dt_pipe {
    bool is_run;
    struct est fused, piped;        /* one loop; three stages */
    struct est speedup, ceiling;    /* per run: loop / pipeline, and the
                                       stages' CPU work / the busiest's */
    int faster_runs, runs;          /* runs decidedly faster than the loop */
    const char *slow_stage;
    double stage_busy_s, stage_cpu_s;   /* all stages, the median run */
    bool is_same;
};

/* The lecture's table in Python (demos/python/datatask_table.py) on the
 * first `rows` rows, and C's scan of the same rows. */
struct dt_python {
    bool is_run;
    long long rows;
    int workers, chunks;            /* Pool.map's */
    struct est c_serial;            /* C: sum by country, one thread */
    struct est serial, pool;        /* Python: one process; Pool.map */
    double pool_busy;               /* CPUs Pool.map kept busy */
    int ntasks;
    struct est tasks, procs;        /* one after another; a Process each */
    struct est task_speedup;        /* per run: tasks / procs */
    double slowest_s, total_s;      /* the tasks alone, last run */
    double procs_busy;              /* CPUs the task processes kept busy */
    int answers, wrong;             /* checked against C's; not equal */
};

struct dt_results {
    int cpus;                       /* allowed to this process */
    struct cond cond;               /* the machine meanwhile */
    struct dt_data data;
    struct dt_task task;
    struct dt_pipe pipe;
    struct dt_python py;
};

/* Appends the topic's notices for res to ns. */
void datatask_notices(const struct dt_results *res, struct notices *ns);

/* The Python part's notices (lesson/datatask_py.c), if it ran. */
void datatask_py_notices(const struct dt_results *res, struct notices *ns);

/* The best speedup a Process per task can reach: no faster than the
 * slowest task, nor than all the work shared by min(tasks, cpus). */
double datatask_py_bound(const struct dt_python *py, int cpus);

#endif
