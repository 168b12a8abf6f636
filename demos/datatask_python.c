/* datatask_python.c - the lecture's data vs task table in Python
 * (demos/python/datatask_table.py, run in pardemo's CPython) on the first
 * rows of the same trade CSV: Pool.map runs one operation on chunks of
 * the rows, a Process per task runs five different ones on all of them.
 * Look at how many times C's time Python's scan takes, and at whether
 * each Python answer is C's answer on the same rows.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "csv.h"
#include "datatask.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "tally.h"
#include "trade.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Python takes the first rows: 1/PY_SHARE of the bytes (pure Python is
 * slower), at least PY_MIN_BYTES (some 2000 rows) when there are so many,
 * at most PY_MAX_BYTES (some 90000) */
#define PY_SHARE 8
#define PY_MIN_BYTES (180u << 10)
#define PY_MAX_BYTES (8u << 20)
#define PY_REPS_MAX 9

/* The first rows of in, cut at a line start: a smaller input that shares
 * the same bytes. */
static struct input first_rows(const struct input *in)
{
    struct input small = *in;
    size_t body = in->len - in->body;
    size_t want = body / PY_SHARE > PY_MIN_BYTES ? body / PY_SHARE
                                                 : PY_MIN_BYTES;

    if (want > PY_MAX_BYTES)
        want = PY_MAX_BYTES;
    if (want < body)
        small.len = csv_next_line(in->data, in->len, in->body + want);
    return small;
}

/* C's answers on Python's rows (the tasks one after another, whose
 * first is the data part's total), and C's serial scan timed reps times. */
static int c_reference(struct dt_pypart *pp)
{
    struct task_out out[DATATASK_N_TASKS];
    double secs[PY_REPS_MAX + 1];
    struct trade_scan s;

    datatask_run_tasks(&pp->in, 1, out);
    for (int k = 0; k < DATATASK_N_TASKS; k++)
        pp->c_check[k] = out[k].check;
    for (int i = 0; i <= pp->reps; i++) {
        double t0 = clk_now();
        if (trade_scan_init(&s) < 0)
            return -1;
        datatask_scan_range(&pp->in, pp->in.body, pp->in.len, TRADE_COUNTRY,
                            true, &s);
        secs[i] = clk_now() - t0;
        pp->res.rows = s.rows;
        tally_free(&s.tab);
    }
    pp->c_serial = stats_of(secs + 1, (size_t)pp->reps);   /* [0]: warm */
    return 0;
}

/* data_serial or data_pool: seconds, CPUs busy, checksum, chunks. */
static int py_data(struct dt_pypart *pp, bool is_pool, double *secs,
                   double *busy)
{
    const char *rows = pp->in.data + pp->in.body;
    ssize_t len = (ssize_t)(pp->in.len - pp->in.body);
    struct pyl_num got[4];
    int n = is_pool
            ? pyl_call(got, 4, "datatask_table", "data_pool", "(y#ii)", rows,
                       len, pp->res.workers, pp->res.chunks)
            : pyl_call(got, 4, "datatask_table", "data_serial", "(y#)", rows,
                       len);

    if (n != 4)
        return pyl_fail(n);
    *secs = got[0].v;
    *busy = got[1].v;
    if (is_pool) {
        pp->is_pool_ok &= got[2].u == pp->c_check[0];
        pp->res.chunks = (int)got[3].v;     /* as many as it cut */
    } else {
        pp->is_serial_ok &= got[2].u == pp->c_check[0];
    }
    return 0;
}

/* tasks_serial or tasks_at_once: seconds, CPUs busy, then each task's
 * seconds and answer, checked against C's. */
static int py_tasks(struct dt_pypart *pp, bool is_procs, double *secs,
                    double *busy)
{
    const char *rows = pp->in.data + pp->in.body;
    ssize_t len = (ssize_t)(pp->in.len - pp->in.body);
    struct pyl_num got[2 + 2 * DATATASK_N_TASKS];
    int n = pyl_call(got, 2 + 2 * DATATASK_N_TASKS, "datatask_table",
                     is_procs ? "tasks_at_once" : "tasks_serial", "(y#)",
                     rows, len);

    if (n != 2 + 2 * DATATASK_N_TASKS)
        return pyl_fail(n);
    *secs = got[0].v;
    *busy = got[1].v;
    for (int k = 0; k < DATATASK_N_TASKS; k++) {
        (is_procs ? pp->together_s : pp->alone_s)[k] = got[2 + 2 * k].v;
        pp->is_task_ok[k] &= got[3 + 2 * k].u == pp->c_check[k];
    }
    return 0;
}

/* One round: the four calls, in the table's order. */
static int py_round(struct dt_pypart *pp, double secs[4], double busy[4])
{
    if (py_data(pp, false, &secs[0], &busy[0]) < 0 ||
        py_data(pp, true, &secs[1], &busy[1]) < 0 ||
        py_tasks(pp, false, &secs[2], &busy[2]) < 0 ||
        py_tasks(pp, true, &secs[3], &busy[3]) < 0)
        return -1;
    return 0;
}

static void py_summary(struct dt_pypart *pp, double secs[][4],
                       const double *busy, const double *gain)
{
    struct dt_python *py = &pp->res;
    struct stats *st[4] = { &pp->serial, &pp->pool, &pp->tasks, &pp->procs };
    double col[PY_REPS_MAX];
    struct stats g;

    for (int c = 0; c < 4; c++) {
        for (int i = 0; i < pp->reps; i++)
            col[i] = secs[i][c];
        *st[c] = stats_of(col, (size_t)pp->reps);
    }
    g = stats_of(gain, (size_t)pp->reps);
    py->c_serial = est_of(&pp->c_serial);
    py->serial = est_of(&pp->serial);
    py->pool = est_of(&pp->pool);
    py->tasks = est_of(&pp->tasks);
    py->procs = est_of(&pp->procs);
    py->task_speedup = est_of(&g);
    py->pool_busy = busy[1] / pp->reps;
    py->procs_busy = busy[3] / pp->reps;
    py->ntasks = DATATASK_N_TASKS;
    py->slowest_s = py->total_s = 0;
    for (int k = 0; k < DATATASK_N_TASKS; k++) {
        py->total_s += pp->alone_s[k];
        py->slowest_s = fmax(py->slowest_s, pp->alone_s[k]);
    }
}

/* The Python rows, between pyl_start and pyl_stop (pyl_part_run): a
 * warm-up call, then reps rounds. */
static int measure_python(void *ctx, struct report *r)
{
    struct dt_pypart *pp = ctx;
    double secs[PY_REPS_MAX][4], busy[4] = { 0 }, b[4], gain[PY_REPS_MAX];
    struct dt_python *py = &pp->res;

    report_param(r, "python_rows", "%lld", py->rows);
    report_progress(r, "Python: Pool.map, then a Process per task...");
    if (py_data(pp, false, &secs[0][0], &b[0]) < 0)
        return -1;
    for (int i = 0; i < pp->reps; i++) {
        if (py_round(pp, secs[i], b) < 0)
            return -1;
        for (int c = 0; c < 4; c++)
            busy[c] += b[c];
        gain[i] = secs[i][3] > 0 ? secs[i][2] / secs[i][3] : 1;
    }
    py_summary(pp, secs, busy, gain);
    py->answers = 2 + 2 * DATATASK_N_TASKS;
    py->wrong = !pp->is_serial_ok + !pp->is_pool_ok;
    for (int k = 0; k < DATATASK_N_TASKS; k++)
        py->wrong += 2 * !pp->is_task_ok[k];
    py->is_run = true;
    return 0;
}

int datatask_python(struct report *r, const struct run_params *p,
                    const struct pyl_opts *o, const struct input *in,
                    struct dt_pypart *pp)
{
    memset(pp, 0, sizeof(*pp));
    pp->in = first_rows(in);
    pp->reps = p->reps < PY_REPS_MAX ? (p->reps > 0 ? p->reps : 1)
                                     : PY_REPS_MAX;
    pp->res.workers = p->threads;
    pp->res.chunks = p->threads;        /* a chunk per worker */
    pp->is_serial_ok = pp->is_pool_ok = true;
    for (int k = 0; k < DATATASK_N_TASKS; k++)
        pp->is_task_ok[k] = true;
    if (!o->is_skipped && c_reference(pp) < 0) {
        cli_error("datatask", "out of memory");
        return -1;
    }
    return pyl_part_run(&pp->part, "datatask", o, r, measure_python, pp);
}

/* ---- printing ---- */

static void data_row(struct table *tb, const char *lang, const char *run,
                     int chunks, const struct stats *st, double bytes,
                     double speedup, const char *same)
{
    table_str(tb, lang);
    table_str(tb, run);
    table_num(tb, chunks);
    table_num(tb, st->min);
    table_num(tb, st->median);
    table_num(tb, st->max);
    table_num(tb, st->median > 0 ? bytes / st->median : NAN);
    table_num(tb, speedup);
    table_num(tb, NAN);                 /* no chunk times from Python */
    table_num(tb, NAN);
    table_str(tb, same);
}

void datatask_python_data_rows(struct table *tb, const struct dt_pypart *pp)
{
    double bytes = (double)(pp->in.len - pp->in.body);
    char run[64];

    if (!pp->part.has_run)
        return;
    snprintf(run, sizeof(run), "serial, %lld rows", pp->res.rows);
    data_row(tb, "C", run, 1, &pp->c_serial, bytes, NAN, "yes");
    data_row(tb, "Python", run, 1, &pp->serial, bytes, 1,
             pp->is_serial_ok ? "yes" : "NO");
    snprintf(run, sizeof(run), "Pool.map, %d worker%s", pp->res.workers,
             pp->res.workers == 1 ? "" : "s");
    data_row(tb, "Python", run, pp->res.chunks, &pp->pool, bytes,
             pp->pool.median > 0 ? pp->serial.median / pp->pool.median : NAN,
             pp->is_pool_ok ? "yes" : "NO");
}

void datatask_python_text(struct report *r, const struct pyl_opts *o,
                          const struct dt_pypart *pp)
{
    char ran[700];

    snprintf(ran, sizeof(ran), "Python (lang Python; demos/python/"
             "datatask_table.py, in pardemo's CPython):\nthe first %lld "
             "rows, the lecture's table in Python. Data parallelism:\n"
             "Pool(%d).map(country_sums, chunks), the same operation on %d "
             "chunk%s.\nTask parallelism: a Process per task, %d different "
             "operations on all\nthose rows, answers back through a Queue. "
             "Speedups are over Python's\nserial; `same` compares each "
             "answer with C's on the same rows (the C\nserial row).",
             pp->res.rows, pp->res.workers, pp->res.chunks,
             pp->res.chunks == 1 ? "" : "s", DATATASK_N_TASKS);
    pyl_part_text(r, &pp->part, o, "datatask", "the lecture's data vs task "
                  "table (Pool.map; a Process per task)", ran);
}
