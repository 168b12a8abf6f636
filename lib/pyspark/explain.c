/* explain.c - `pardemo spark --explain`: what each job ran, and where.
 * After each action: its stages, their tasks, how many worker processes
 * ran them and the bytes those sent back to the driver; then what to
 * notice, as rules on those counts (lib/lesson/spark): Python runs in
 * processes, not threads, as PySpark runs it: a process per worker.
 */
#include "binding.h"
#include "lesson/spark.h"
#include "notice.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Spark's way with sizes: 912 B, 1.23 KiB, 45.6 MiB (3 digits). */
static void size_text(long long n, char *buf, size_t len)
{
    static const char *const unit[] = { "B", "KiB", "MiB", "GiB" };
    double v = (double)n;
    int u = 0;

    while (u < 3 && v >= 1024.0) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%lld B", n);
    else
        snprintf(buf, len, "%.*f %s", v < 10 ? 2 : v < 100 ? 1 : 0, v,
                 unit[u]);
}

/* "stage 2: map at FILE:LINE": the file without its directories when
 * the line would pass 80 columns, then the words wrapped. */
static void stage_name(FILE *f, const struct rdd_stage_log *s)
{
    const char *skip = s->is_skipped ? " (skipped: its shuffle output was "
                                       "kept)" : "";
    const char *at = strstr(s->name, " at "), *slash;
    char *line = NULL;
    int n = 0;

    if (at && (slash = strrchr(at, '/')) &&
        strlen(s->name) + strlen(skip) > 60)    /* "  stage 12: " and more */
        n = asprintf(&line, "stage %d: %.*s%s%s", s->stage_id,
                     (int)(at + 4 - s->name), s->name, slash + 1, skip);
    else
        n = asprintf(&line, "stage %d: %s%s", s->stage_id, s->name, skip);
    if (n < 0) {
        fprintf(f, "  stage %d: %s\n", s->stage_id, s->name);
        return;
    }
    report_wrap(f, line, "  ", 4);
    free(line);
}

static void stage_text(FILE *f, const struct rdd_stage_log *s)
{
    char bytes[32];

    stage_name(f, s);
    if (s->is_skipped)
        return;
    size_text(s->bytes_to_driver, bytes, sizeof(bytes));
    if (s->workers)
        fprintf(f, "    %d task%s in %d worker process%s: %lld records in, "
                "%lld out,\n    %s back to the driver\n", s->tasks,
                s->tasks == 1 ? "" : "s", s->workers,
                s->workers == 1 ? "" : "es", s->records_in, s->records_out,
                bytes);
    else
        fprintf(f, "    %d task%s on the driver's threads: %lld "
                "records in, %lld out\n", s->tasks, s->tasks == 1 ? "" : "s",
                s->records_in, s->records_out);
}

/* Counts stage s into job j (lib/lesson/spark's facts). */
static void count_stage(struct spark_job *j, const struct rdd_stage_log *s)
{
    if (s->is_skipped) {
        j->skipped++;
        return;
    }
    j->tasks += s->tasks;
    j->procs += s->workers;
    if (s->workers > j->most_procs)
        j->most_procs = s->workers;
    j->bytes_to_driver += s->bytes_to_driver;
}

/* The job's "What to notice": rules on its counts (lib/lesson/spark). */
static void job_notices(FILE *f, const struct spark_job *j)
{
    struct notices ns;

    notices_init(&ns);
    spark_notices(j, &ns);
    if (ns.n)
        fputs("  What to notice\n", f);
    for (int i = 0; i < ns.n; i++)
        if (notice_holds(&ns.item[i]))  /* a false rule is never said */
            report_wrap(f, ns.item[i].text, "  - ", 4);
    notices_free(&ns);
}

/* Stages i.. of one job: their lines, then its notices; returns the
 * index after the job's last stage. */
static int job_text(FILE *f, ContextObject *c, int i)
{
    const struct rdd_context *sc = c->sc;
    struct spark_job j = { .earlier_procs = c->explained_procs };
    int id = sc->stages[i].job_id;

    fprintf(f, "job %d:\n", id);
    for (; i < sc->nstages && sc->stages[i].job_id == id; i++) {
        stage_text(f, &sc->stages[i]);
        count_stage(&j, &sc->stages[i]);
    }
    job_notices(f, &j);
    c->explained_procs += j.procs;
    return i;
}

PyObject *explain_jobs(ContextObject *c)
{
    struct rdd_context *sc = c->sc;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    PyObject *o;

    if (!f)
        return PyErr_NoMemory();
    for (int i = 0; i < sc->nstages;)
        i = job_text(f, c, i);
    if (fclose(f) != 0) {
        free(text);
        return PyErr_NoMemory();
    }
    rdd_trace_clear(sc);
    o = PyUnicode_FromStringAndSize(text ? text : "", (Py_ssize_t)len);
    free(text);
    return o;
}
