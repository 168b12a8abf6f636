/* rdd_report.c - what Spark's web UI would show, as report tables.
 * A stage that was skipped read a shuffle an earlier job had written; a
 * task marked "recomputed" rebuilt a lost partition from its lineage.
 */
#include "rdd_report.h"

#include <stdio.h>

void rdd_report_stages(struct report *r, const struct rdd_context *sc,
                       const char *name, const char *caption)
{
    struct table *t = report_table(r, name, caption);

    table_col(t, "job", "job", U_INT);
    table_col(t, "stage", "stage", U_INT);
    table_col(t, "name", "stage (last RDD)", U_TEXT);
    table_col(t, "tasks", "tasks", U_INT);
    table_col(t, "records_in", "records in", U_INT);
    table_col(t, "records_out", "records out", U_INT);
    table_col(t, "shuffle_records", "shuffled records", U_INT);
    table_col(t, "shuffle_bytes", "shuffle write", U_MIB);
    table_col(t, "seconds", "time", U_MS);
    for (int i = 0; i < sc->nstages; i++) {
        const struct rdd_stage_log *s = &sc->stages[i];
        char nm[160];
        snprintf(nm, sizeof(nm), "%s%s%s", s->name,
                 s->is_skipped ? " (skipped)" : "",
                 s->attempt ? " (retry)" : "");
        table_num(t, s->job_id);
        table_num(t, s->stage_id);
        table_str(t, nm);
        table_num(t, s->tasks);
        table_num(t, (double)s->records_in);
        table_num(t, (double)s->records_out);
        table_num(t, (double)s->records_written);
        table_num(t, (double)s->bytes_written);
        table_num(t, s->seconds);
    }
    table_end(t);
}

void rdd_report_tasks(struct report *r, const struct rdd_context *sc,
                      const char *name, const char *caption, int max_rows)
{
    struct table *t = report_table(r, name, caption);

    table_col(t, "stage", "stage", U_INT);
    table_col(t, "partition", "partition", U_INT);
    table_col(t, "thread", "thread", U_INT);
    table_col(t, "how", "how", U_TEXT);
    table_col(t, "records_in", "records in", U_INT);
    table_col(t, "records_out", "records out", U_INT);
    table_col(t, "seconds", "time", U_MS);
    for (int i = 0; i < sc->ntasks && i < max_rows; i++) {
        const struct rdd_task_log *k = &sc->tasks[i];
        table_num(t, k->stage_id);
        table_num(t, k->partition);
        table_num(t, k->thread);
        table_str(t, k->is_recompute ? "recomputed (lost)" :
                     k->is_cache_hit ? "cache hit" : "computed");
        table_num(t, (double)k->records_in);
        table_num(t, (double)k->records_out);
        table_num(t, k->seconds);
    }
    table_end(t);
}

void rdd_report_lineage(struct report *r, struct rdd *rdd, const char *title)
{
    struct rdd_buf b = { 0 };

    rdd_debug_string(rdd, &b);
    report_text(r, "%s\n%s", title, b.s);
    rdd_buf_free(&b);
}

struct rdd_totals rdd_trace_totals(const struct rdd_context *sc)
{
    struct rdd_totals x = { 0 };

    for (int i = 0; i < sc->nstages; i++) {
        const struct rdd_stage_log *s = &sc->stages[i];
        x.stages_run += !s->is_skipped;
        x.stages_skipped += s->is_skipped;
        x.tasks += s->tasks;
        x.tasks_recomputed += s->tasks_recomputed;
        x.cache_hits += s->cache_hits;
        x.shuffle_records += s->records_written;
        x.shuffle_bytes += s->bytes_written;
    }
    return x;
}
