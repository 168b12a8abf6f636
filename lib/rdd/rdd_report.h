/* rdd_report.h - the engine's trace as report tables (Spark's UI, in text).
 * The Spark topics share these: the stages of the jobs run since the last
 * rdd_trace_clear, and the tasks (which partition ran where, which were
 * cache hits or recomputed after a loss).
 */
#ifndef RDD_REPORT_H
#define RDD_REPORT_H

#include "rdd.h"
#include "report.h"

/* A table of the stages in sc's trace: job, stage, name, tasks, records
 * in/out, shuffle records and bytes written, seconds. */
void rdd_report_stages(struct report *r, const struct rdd_context *sc,
                       const char *name, const char *caption);

/* A table of the tasks in sc's trace (at most max_rows rows). */
void rdd_report_tasks(struct report *r, const struct rdd_context *sc,
                      const char *name, const char *caption, int max_rows);

/* The lineage of rdd as a text-only paragraph. */
void rdd_report_lineage(struct report *r, struct rdd *rdd, const char *title);

/* Sums over the stages in the trace. */
struct rdd_totals {
    int stages_run, stages_skipped, tasks, tasks_recomputed, cache_hits;
    long long shuffle_records, shuffle_bytes;
};
struct rdd_totals rdd_trace_totals(const struct rdd_context *sc);

#endif
