/* datatask.h - what the three files of the datatask topic share.
 * datatask.c           data parallelism (chunks of rows, one table per
 *                      thread, merged once), the comparison, the topic
 * datatask_tasks.c     task parallelism: five different jobs at once
 * datatask_pipeline.c  parse -> filter -> aggregate with bounded queues
 * datatask_python.c    the lecture's table in Python (Pool.map; Process)
 */
#ifndef DATATASK_H
#define DATATASK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "csv.h"
#include "lesson/datatask.h"
#include "pardemo.h"
#include "pyspark/pylesson.h"
#include "report.h"
#include "stats.h"
#include "tally.h"
#include "trade_scan.h"

#define MAX_WORKERS 1024

/* The CSV in memory: mapped from a file, or generated. */
struct input {
    const char *name;           /* for messages: the path or "(generated)" */
    const char *data;
    size_t len, body;           /* body: where the rows start */
    struct mapfile map;
    char *generated;
};

/* Sums Value by column key over the rows in [begin, end) of the input.
 * Stops at the first bad row unless is_skip_bad. */
void datatask_scan_range(const struct input *in, size_t begin, size_t end,
                         int key, bool is_skip_bad, struct trade_scan *s);

/* Was the scan clean (or may its bad rows be skipped)? If not, says why
 * on stderr and returns 0. */
int datatask_scan_ok(const struct trade_scan *s, bool is_skip_bad);

/* ---- task parallelism (datatask_tasks.c) ---- */

#define DATATASK_N_TASKS 5

struct task_out {
    char text[112];             /* what the task found */
    uint64_t check;             /* to compare serial and parallel runs */
    long long bad;
    char bad_msg[1024];
    double secs;
    int thread;                 /* the OpenMP thread that ran it */
};

struct task_summary {
    struct task_out alone[DATATASK_N_TASKS], together[DATATASK_N_TASKS];
    struct stats serial, parallel;      /* wall times: 1 worker, N */
    struct est speedup, bound;          /* per run: speedup, and the best
                                           any schedule of its tasks gets */
    double busy;                        /* CPUs busy, all tasks at once */
    int workers;
    bool is_same;                       /* same answers both ways */
};

/* All the tasks at once on `workers` threads. Returns the wall time. */
double datatask_run_tasks(const struct input *in, int workers,
                          struct task_out *out);

/* Times the tasks one after another and all at once, p->reps times after
 * a warm-up. Returns 0, or 1 when a row is bad (reported on stderr). */
int datatask_measure_tasks(const struct input *in, const struct run_params *p,
                           bool is_skip_bad, struct task_summary *ts);

/* The best speedup any schedule of these tasks can reach on ts->workers;
 * *slowest and *total get the slowest task's and all tasks' time. */
double datatask_task_bound(const struct task_summary *ts, double *slowest,
                           double *total);

struct dt_pypart;

/* The tasks' tables: C's (ts, or NULL) and Python's rows (py, or NULL). */
void datatask_print_tasks(struct report *r, const struct task_summary *ts,
                          const struct dt_pypart *py);

/* The busiest and the idlest thread of the parallel run: their work in
 * seconds; *idle gets the idlest one's number. */
void datatask_thread_busy(const struct task_summary *ts, double *most,
                          double *least, int *idle);

/* ---- the pipeline (datatask_pipeline.c) ---- */

#define DATATASK_N_STAGES 3

struct stage_stats {
    double busy_s, wait_s;      /* working / blocked on a queue */
    double cpu_s;               /* of busy_s, the time on a CPU */
    long long in, out;          /* rows taken / passed on */
};

struct pipe_summary {
    struct stats fused, piped;
    struct est speedup, ceiling;    /* per run: loop / pipeline, and the
                                       stages' CPU work / the busiest's */
    int faster_runs, runs;          /* runs faster than the loop */
    struct stage_stats st[DATATASK_N_STAGES];   /* the median run's */
    bool is_same;
};

/* Times the pipeline against the same steps fused in one loop. Returns 0,
 * 1 (a bad row, reported on stderr) or -1 (out of memory, no thread). */
int datatask_measure_pipeline(const struct input *in,
                              const struct run_params *p, bool is_skip_bad,
                              struct pipe_summary *ps);

/* One pipeline run (bad rows skipped) for the bench: returns its wall
 * time and sets *checksum from its sums, or -1. */
double datatask_pipeline_once(const struct input *in, uint64_t *checksum);

void datatask_print_pipeline(struct report *r, const struct pipe_summary *ps);

/* The name of stage s, and the one whose busy time was the longest. */
const char *datatask_stage_name(int s);
int datatask_slowest_stage(const struct pipe_summary *ps);

/* ---- the lecture's table in Python (datatask_python.c) ---- */

struct dt_pypart {
    struct pyl_part part;           /* ran, or why not */
    struct dt_python res;           /* what the rules read */
    struct input in;                /* Python's rows: the first ones */
    struct stats c_serial, serial, pool, tasks, procs;
    double alone_s[DATATASK_N_TASKS], together_s[DATATASK_N_TASKS];
    bool is_task_ok[DATATASK_N_TASKS];  /* both ways C's answer */
    bool is_serial_ok, is_pool_ok;
    uint64_t c_check[DATATASK_N_TASKS]; /* C's answers on those rows */
    int reps;
};

/* Runs the Python part (unless --no-python) on the first rows of in,
 * C's answers on the same rows its reference. Returns 0 (pp->part.has_run
 * says whether it ran), or -1 after an error line. */
int datatask_python(struct report *r, const struct run_params *p,
                    const struct pyl_opts *o, const struct input *in,
                    struct dt_pypart *pp);

/* Its rows in the data table (language, run, chunks, ...). */
void datatask_python_data_rows(struct table *tb, const struct dt_pypart *pp);

/* The paragraph above the Python rows. */
void datatask_python_text(struct report *r, const struct pyl_opts *o,
                          const struct dt_pypart *pp);

#endif
