/* datatask_tasks.c - task parallelism: different jobs on the same data.
 * Five operations on the whole, intact trade file, each one OpenMP task:
 * the number of tasks is fixed by the developer, and the slowest one
 * decides when the run ends. Look at the idle worker in the table.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "conditions.h"
#include "datatask.h"
#include "hash.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "trade.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls fn for every row with 10 fields; bad rows (and rows fn rejects)
 * are counted in *s, the first with its message. */
static void each_row(const struct input *in,
                     const char *(*fn)(void *ctx, const struct csv_field *f),
                     void *ctx, struct trade_scan *s)
{
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    const char *why;
    int n;

    csv_init(&r, in->data, in->len, in->name);
    csv_range(&r, in->body, in->len);
    while ((n = csv_next(&r, f, TRADE_FIELDS)) != 0) {
        if (n != TRADE_FIELDS)
            trade_scan_note_bad(s, &r, n, NULL);
        else if ((why = fn(ctx, f)))
            trade_scan_note_bad(s, &r, 0, why);
    }
}

/* $38.1 bn, $209 m, $5120: a reading aid, the exact sums are above. */
static void fmt_money(char *buf, size_t len, int64_t v)
{
    if (v >= 1000000000)
        snprintf(buf, len, "$%.1f bn", v / 1e9);
    else if (v >= 1000000)
        snprintf(buf, len, "$%.1f m", v / 1e6);
    else
        snprintf(buf, len, "$%lld", (long long)v);
}

/* Tasks 1 and 2: the data-parallel aggregation, but by a whole task. */
static void task_by_key(const struct input *in, int key, const char *what,
                        struct task_out *out)
{
    struct trade_scan s;
    struct tally_entry **v;
    char name[64], money[32];

    if (trade_scan_init(&s) < 0)
        return;
    datatask_scan_range(in, in->body, in->len, key, true, &s);
    if ((v = tally_sorted(&s.tab)) && s.tab.used) {
        struct csv_field f = { v[0]->key, v[0]->len, v[0]->has_escapes };
        csv_copy(&f, name, sizeof(name));
        fmt_money(money, sizeof(money), v[0]->sum[0]);
        snprintf(out->text, sizeof(out->text), "%zu %s; top: %s %s",
                 s.tab.used, what, name, money);
    }
    out->check = tally_checksum(&s.tab);
    out->bad = s.bad;
    free(v);
    tally_free(&s.tab);
}

static void task_country(const struct input *in, struct task_out *out)
{
    task_by_key(in, TRADE_COUNTRY, "countries", out);
}

static void task_commodity(const struct input *in, struct task_out *out)
{
    task_by_key(in, TRADE_COMMODITY, "commodities", out);
}

static const char *add_weekday(void *ctx, const struct csv_field *f)
{
    int64_t *sum = ctx, v;

    if (trade_measure_of(&f[TRADE_MEASURE]) != 0)
        return NULL;
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len, &v) < 0)
        return "Value is not a whole number";
    for (int d = 0; d < 7; d++)
        if (csv_equals(&f[TRADE_WEEKDAY], trade_weekday_name(d)))
            return sum[d] += v, NULL;
    return "unknown Weekday";
}

/* Task 3: the weekday with the most dollars. */
static void task_weekday(const struct input *in, struct task_out *out)
{
    int64_t sum[7] = { 0 };
    struct trade_scan s;
    char money[32];
    int best = 0;

    if (trade_scan_init(&s) < 0)
        return;
    each_row(in, add_weekday, sum, &s);
    for (int d = 1; d < 7; d++)
        if (sum[d] > sum[best])
            best = d;
    fmt_money(money, sizeof(money), sum[best]);
    snprintf(out->text, sizeof(out->text), "%s (%s)",
             trade_weekday_name(best), money);
    out->check = hash_mix64((uint64_t)sum[best] + (uint64_t)best);
    out->bad = s.bad;
    tally_free(&s.tab);
}

static const char *add_day(void *ctx, const struct csv_field *f)
{
    static const long epoch_2015 = 16436;      /* 01/01/2015, from 1970 */
    int64_t *sum = ctx, v;
    int y, m, d;
    long day;

    if (trade_measure_of(&f[TRADE_MEASURE]) != 0)
        return NULL;
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len, &v) < 0)
        return "Value is not a whole number";
    if (trade_parse_date(f[TRADE_DATE].p, f[TRADE_DATE].len, &y, &m, &d))
        return "Date is not a real dd/mm/yyyy date";
    day = trade_days_from_civil(y, m, d) - epoch_2015;
    if (day < 0 || day >= TRADE_DAYS)
        return "Date is outside 2015-2021";
    sum[day] += v;
    return NULL;
}

/* Task 4: the single day with the most dollars, all series together. */
static void task_max_day(const struct input *in, struct task_out *out)
{
    int64_t *sum = calloc(TRADE_DAYS, sizeof(*sum));
    struct trade_scan s;
    char money[32];
    int best = 0, y = TRADE_FIRST_YEAR, m = 1, d;

    if (!sum || trade_scan_init(&s) < 0) {
        free(sum);
        return;
    }
    each_row(in, add_day, sum, &s);
    for (int i = 1; i < TRADE_DAYS; i++)
        if (sum[i] > sum[best])
            best = i;
    for (d = best + 1; d > trade_days_in_month(y, m); ) {
        d -= trade_days_in_month(y, m);
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    fmt_money(money, sizeof(money), sum[best]);
    snprintf(out->text, sizeof(out->text), "%02d/%02d/%d (%s)",
             d, m, y, money);
    out->check = hash_mix64((uint64_t)sum[best] + (uint64_t)best);
    out->bad = s.bad;
    tally_free(&s.tab);
    free(sum);
}

static const char *check_row(void *ctx, const struct csv_field *f)
{
    struct trade_row row;
    const char *why;

    (void)ctx;
    return trade_check_row(f, TRADE_FIELDS, &row, &why) < 0 ? why : NULL;
}

/* Task 5: every field of every row checked, as a careful loader does. */
static void task_validate(const struct input *in, struct task_out *out)
{
    struct trade_scan s;

    if (trade_scan_init(&s) < 0)
        return;
    each_row(in, check_row, NULL, &s);
    snprintf(out->text, sizeof(out->text), "%lld bad row%s", s.bad,
             s.bad == 1 ? "" : "s");
    out->check = (uint64_t)s.bad;
    out->bad = s.bad;
    snprintf(out->bad_msg, sizeof(out->bad_msg), "%s", s.bad_msg);
    tally_free(&s.tab);
}

struct task_def {
    const char *name;
    void (*run)(const struct input *in, struct task_out *out);
};

static const struct task_def task_defs[] = {
    { "sum by country", task_country },
    { "sum by commodity", task_commodity },
    { "busiest weekday", task_weekday },
    { "biggest single day", task_max_day },
    { "validate every row", task_validate },
};
_Static_assert(ARRAY_SIZE(task_defs) == DATATASK_N_TASKS, "one row per task");

/* All five tasks at once on `workers` threads: each is one OpenMP task,
 * and an idle thread takes the next one. Returns the wall time. */
double datatask_run_tasks(const struct input *in, int workers,
                          struct task_out *out)
{
    double t0 = clk_now();

    memset(out, 0, DATATASK_N_TASKS * sizeof(*out));
    #pragma omp parallel num_threads(workers)
    #pragma omp single
    for (int k = 0; k < DATATASK_N_TASKS; k++) {
        #pragma omp task firstprivate(k)
        {
            double s = clk_now();
            task_defs[k].run(in, &out[k]);
            out[k].secs = clk_now() - s;
            out[k].thread = omp_get_thread_num();
        }
    }
    return clk_now() - t0;
}

int datatask_measure_tasks(const struct input *in, const struct run_params *p,
                           bool is_skip_bad, struct task_summary *ts)
{
    double serial[1001] = { 0 }, parallel[1001] = { 0 }, gain[1001];
    double bound[1001], slowest;
    double total, cpu0, cpu = 0, wall = 0;
    struct stats g, b;

    ts->workers = p->threads;
    ts->is_same = true;
    for (int i = 0; i <= p->reps; i++) {
        serial[i] = datatask_run_tasks(in, 1, ts->alone);
        if (i == 0 && ts->alone[DATATASK_N_TASKS - 1].bad && !is_skip_bad) {
            cli_error("datatask", "%s",
                      ts->alone[DATATASK_N_TASKS - 1].bad_msg);
            return 1;
        }
        cpu0 = cond_cpu_seconds();
        parallel[i] = datatask_run_tasks(in, ts->workers, ts->together);
        if (i > 0) {
            cpu += cond_cpu_seconds() - cpu0;
            wall += parallel[i];
        }
        for (int k = 0; k < DATATASK_N_TASKS; k++)
            ts->is_same &= ts->alone[k].check == ts->together[k].check;
        gain[i] = parallel[i] > 0 ? serial[i] / parallel[i] : 1;
        bound[i] = datatask_task_bound(ts, &slowest, &total);
    }
    ts->serial = stats_of(serial + 1, (size_t)p->reps);   /* [0]: warm-up */
    ts->parallel = stats_of(parallel + 1, (size_t)p->reps);
    g = stats_of(gain + 1, (size_t)p->reps);
    b = stats_of(bound + 1, (size_t)p->reps);
    ts->speedup = est_of(&g);
    ts->bound = est_of(&b);
    ts->busy = wall > 0 ? cpu / wall : 0;
    return 0;
}

/* The best a task-parallel run can do: no faster than its slowest task,
 * nor than the total work shared perfectly by the workers. */
double datatask_task_bound(const struct task_summary *ts, double *slowest,
                           double *total)
{
    *slowest = *total = 0;
    for (int k = 0; k < DATATASK_N_TASKS; k++) {
        *total += ts->alone[k].secs;
        *slowest = fmax(*slowest, ts->alone[k].secs);
    }
    return *total / fmax(*slowest, *total / ts->workers);
}

/* ---- printing ---- */

static void task_run_row(struct table *tb, const char *lang,
                         const char *label, const struct stats *st,
                         double speedup, double bound)
{
    table_str(tb, lang);
    table_str(tb, label);
    table_num(tb, st->min);
    table_num(tb, st->median);
    table_num(tb, st->max);
    table_num(tb, speedup);
    table_num(tb, bound);
}

void datatask_thread_busy(const struct task_summary *ts, double *most,
                          double *least, int *idle)
{
    double busy[MAX_WORKERS] = { 0 };

    *most = 0;
    *least = 1e300;
    *idle = 0;
    for (int k = 0; k < DATATASK_N_TASKS; k++)
        if (ts->together[k].thread >= 0 &&
            ts->together[k].thread < MAX_WORKERS)
            busy[ts->together[k].thread] += ts->together[k].secs;
    for (int w = 0; w < ts->workers && w < MAX_WORKERS; w++) {
        *most = fmax(*most, busy[w]);
        if (busy[w] < *least) {
            *least = busy[w];
            *idle = w;
        }
    }
}

static void task_row(struct table *tb, const char *lang, int k,
                     const char *result, double alone, double together,
                     double thread)
{
    table_str(tb, lang);
    table_str(tb, task_defs[k].name);
    table_str(tb, result);
    table_num(tb, alone);
    table_num(tb, together);
    table_num(tb, thread);
}

/* Python's tasks: each answer compared with C's on the same rows. */
static void python_task_rows(struct table *tb, const struct dt_pypart *py)
{
    for (int k = 0; k < DATATASK_N_TASKS; k++)
        task_row(tb, "Python", k, py->is_task_ok[k] ? "C's answer"
                 : "DIFFERS from C's", py->alone_s[k], py->together_s[k],
                 NAN);
}

static void python_run_rows(struct table *tb, const struct dt_pypart *py)
{
    const struct dt_python *x = &py->res;

    task_run_row(tb, "Python", "one process, one task after another",
                 &py->tasks, 1, 1);
    task_run_row(tb, "Python", "a Process per task", &py->procs,
                 x->task_speedup.v, datatask_py_bound(x, sys_allowed_cpus()));
}

void datatask_print_tasks(struct report *r, const struct task_summary *ts,
                          const struct dt_pypart *py)
{
    struct table *tb = report_table(r, "tasks", "Task parallelism: five "
                                    "different jobs on the whole file");

    table_col(tb, "language", "lang", U_TEXT);
    table_col(tb, "task", "task", U_TEXT);
    table_col(tb, "result", "result", U_TEXT);
    table_col(tb, "alone_seconds", "alone", U_MS);
    table_col(tb, "together_seconds", "together", U_MS);
    table_col(tb, "thread", "thread", U_INT);
    for (int k = 0; ts && k < DATATASK_N_TASKS; k++)
        task_row(tb, "C", k, ts->together[k].text, ts->alone[k].secs,
                 ts->together[k].secs, ts->together[k].thread);
    if (py && py->part.has_run)
        python_task_rows(tb, py);
    table_end(tb);
    tb = report_table(r, "task_runs", NULL);
    table_col(tb, "language", "lang", U_TEXT);
    table_col(tb, "run", "run", U_TEXT);
    table_col(tb, "min_seconds", "min", U_MS);
    table_col(tb, "median_seconds", "median", U_MS);
    table_col(tb, "max_seconds", "max", U_MS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    table_col(tb, "bound", "best possible", U_RATIO);
    if (ts) {
        task_run_row(tb, "C", "1 worker, one task after another",
                     &ts->serial, 1, 1);
        task_run_row(tb, "C", "all tasks at once", &ts->parallel,
                     ts->speedup.v, ts->bound.v);
    }
    if (py && py->part.has_run)
        python_run_rows(tb, py);
    table_end(tb);
}
