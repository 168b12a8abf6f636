/* explain.c - `pardemo spark --explain`: what each job ran, and where.
 * After each action: its stages, their tasks, how many worker processes
 * ran them and the bytes those sent back to the driver. Python runs in
 * processes, not threads, as PySpark runs it: a process per worker.
 */
#include "binding.h"

#include <stdio.h>
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

static void stage_text(struct rdd_buf *b, const struct rdd_stage_log *s)
{
    char line[400], bytes[32];

    snprintf(line, sizeof(line), "  stage %d: %s%s\n", s->stage_id, s->name,
             s->is_skipped ? " (skipped: its shuffle output was kept)" : "");
    rdd_buf_add(b, line, strlen(line));
    if (s->is_skipped)
        return;
    size_text(s->bytes_to_driver, bytes, sizeof(bytes));
    snprintf(line, sizeof(line), "    %d task%s in %d worker process%s, "
             "%lld records in, %lld out; %s back to the driver\n", s->tasks,
             s->tasks == 1 ? "" : "s", s->workers,
             s->workers == 1 ? "" : "es", s->records_in, s->records_out,
             bytes);
    rdd_buf_add(b, line, strlen(line));
}

PyObject *explain_jobs(ContextObject *c)
{
    struct rdd_context *sc = c->sc;
    struct rdd_buf b = { 0 };
    char line[200];
    int job = -1, workers = 0;
    PyObject *o;

    for (int i = 0; i < sc->nstages; i++) {
        const struct rdd_stage_log *s = &sc->stages[i];
        if (s->job_id != job) {
            job = s->job_id;
            snprintf(line, sizeof(line), "job %d:\n", job);
            rdd_buf_add(&b, line, strlen(line));
        }
        stage_text(&b, s);
        workers += s->workers;
    }
    if (workers) {
        static const char why[] =
            "  Workers are processes, forked from the driver for each "
            "stage: one Python\n  interpreter runs Python on one thread at "
            "a time (its GIL), so PySpark runs\n  a Python process per "
            "worker. Each inherits the driver's data by fork\n  (nothing is "
            "sent to it) and sends its results back as serialised "
            "bytes.\n";
        rdd_buf_add(&b, why, sizeof(why) - 1);
    }
    rdd_trace_clear(sc);
    o = PyUnicode_FromStringAndSize(b.s ? b.s : "", (Py_ssize_t)b.len);
    rdd_buf_free(&b);
    return o;
}
