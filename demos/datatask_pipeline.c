/* datatask_pipeline.c - a pipeline: split -> check -> aggregate threads.
 * Each stage is a thread; bounded queues of row batches join them, so a
 * fast stage waits (blocks) instead of piling up memory. The stages are
 * cut so that the first two carry comparable work (splitting rows into
 * fields; checking every field as a careful loader does): with 2 CPUs
 * they overlap, and the pipeline beats one loop, but never its slowest
 * stage. The task-parallel shape of streaming jobs.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "datatask.h"
#include "report.h"
#include "stats.h"
#include "trade.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH_ROWS 512
#define QUEUE_SLOTS 4           /* bounded: a fast stage blocks, not grows */
#define N_BATCHES (3 * QUEUE_SLOTS + 3)
#define FASTER_AT 1.05          /* a run this much faster than the loop */

/* One row on its way through: its fields (split), then its key and value
 * (checked). */
struct item {
    struct csv_field f[TRADE_FIELDS];
    size_t off;                 /* where the row starts, for messages */
    int64_t value;
};

struct batch {
    int n;
    struct item it[BATCH_ROWS];
};

/* A bounded queue of batches; NULL is the end-of-stream marker. */
struct queue {
    struct batch *slot[N_BATCHES];
    int head, count, cap;
    pthread_mutex_t mu;
    pthread_cond_t can_get, can_put;
};

static void queue_init(struct queue *q, int cap)
{
    memset(q, 0, sizeof(*q));
    q->cap = cap;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->can_get, NULL);
    pthread_cond_init(&q->can_put, NULL);
}

static void queue_destroy(struct queue *q)
{
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->can_get);
    pthread_cond_destroy(&q->can_put);
}

/* Puts b, waiting while the queue is full; adds the wait to *wait_s. */
static void queue_put(struct queue *q, struct batch *b, double *wait_s)
{
    double t0 = clk_now();

    pthread_mutex_lock(&q->mu);
    while (q->count == q->cap)
        pthread_cond_wait(&q->can_put, &q->mu);
    q->slot[(q->head + q->count++) % N_BATCHES] = b;
    pthread_cond_signal(&q->can_get);
    pthread_mutex_unlock(&q->mu);
    *wait_s += clk_now() - t0;
}

static struct batch *queue_get(struct queue *q, double *wait_s)
{
    double t0 = clk_now();
    struct batch *b;

    pthread_mutex_lock(&q->mu);
    while (q->count == 0)
        pthread_cond_wait(&q->can_get, &q->mu);
    b = q->slot[q->head];
    q->head = (q->head + 1) % N_BATCHES;
    q->count--;
    pthread_cond_signal(&q->can_put);
    pthread_mutex_unlock(&q->mu);
    *wait_s += clk_now() - t0;
    return b;
}

enum { SPLIT, CHECK, AGGREGATE };
_Static_assert(AGGREGATE + 1 == DATATASK_N_STAGES, "one name per stage");
static const char *const stage_names[DATATASK_N_STAGES] = {
    "split rows", "check rows, keep Exports $", "sum by country",
};

const char *datatask_stage_name(int s)
{
    return s >= 0 && s < DATATASK_N_STAGES ? stage_names[s] : "?";
}

struct pipeline {
    const struct input *in;
    bool is_skip_bad;
    _Atomic bool is_stopped;    /* a bad row ends the run (no --skip-bad) */
    struct queue empty, split, kept;
    struct batch *batches;
    struct trade_scan bad;      /* the split stage's bad rows */
    struct trade_scan bad_checked;      /* the check stage's */
    struct tally sums;          /* the aggregate stage's result */
    bool is_broken;
    struct stage_stats st[DATATASK_N_STAGES];
};

static double thread_cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Closes a stage's books: wall time less queue waits, and CPU time. */
static void stage_done(struct stage_stats *st, double t0, double cpu0)
{
    st->busy_s = clk_now() - t0 - st->wait_s;
    st->cpu_s = thread_cpu_s() - cpu0;
}

/* The check: every field, as a careful loader does; only Exports in
 * dollars go on. NULL and *keep, or why the row is bad. */
static const char *check_item(struct item *it, bool *keep)
{
    struct trade_row row;
    const char *why;

    if (trade_check_row(it->f, TRADE_FIELDS, &row, &why) < 0)
        return why;
    it->value = row.value;
    *keep = row.is_dollars && csv_equals(&it->f[TRADE_DIRECTION], "Exports");
    return NULL;
}

/* A bad row the check stage found: counted, and named if it is the first
 * (by its place in the file), as "FILE:LINE: why". */
static void note_checked(struct trade_scan *s, const struct input *in,
                         size_t off, const char *why)
{
    s->bad++;
    if (s->bad_off != SIZE_MAX && s->bad_off < off)
        return;
    s->bad_off = off;
    snprintf(s->bad_msg, sizeof(s->bad_msg), "%s:%lld: %s", in->name,
             csv_line_at(in->data, off), why);
}

static void *split_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[SPLIT];
    struct csv_reader r;
    double t0 = clk_now(), cpu0 = thread_cpu_s();
    struct batch *b = queue_get(&pl->empty, &st->wait_s);
    int n;

    csv_init(&r, pl->in->data, pl->in->len, pl->in->name);
    csv_range(&r, pl->in->body, pl->in->len);
    for (b->n = 0; !atomic_load_explicit(&pl->is_stopped,
                                         memory_order_relaxed) &&
         (n = csv_next(&r, b->it[b->n].f, TRADE_FIELDS)) != 0; st->in++) {
        if (n != TRADE_FIELDS) {
            trade_scan_note_bad(&pl->bad, &r, n, NULL);
            if (!pl->is_skip_bad)
                break;
            continue;
        }
        b->it[b->n].off = csv_offset(&r);
        st->out++;
        if (++b->n == BATCH_ROWS) {
            queue_put(&pl->split, b, &st->wait_s);
            b = queue_get(&pl->empty, &st->wait_s);
            b->n = 0;
        }
    }
    queue_put(&pl->split, b, &st->wait_s);
    queue_put(&pl->split, NULL, &st->wait_s);       /* end of stream */
    stage_done(st, t0, cpu0);
    return NULL;
}

static void *check_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[CHECK];
    double t0 = clk_now(), cpu0 = thread_cpu_s();
    struct batch *b;

    while ((b = queue_get(&pl->split, &st->wait_s))) {
        int kept = 0;
        for (int i = 0; i < b->n && !atomic_load(&pl->is_stopped); i++) {
            bool keep = false;
            const char *why = check_item(&b->it[i], &keep);
            if (why) {
                note_checked(&pl->bad_checked, pl->in, b->it[i].off, why);
                if (!pl->is_skip_bad)
                    atomic_store(&pl->is_stopped, true);
            } else if (keep) {
                b->it[kept++] = b->it[i];
            }
        }
        st->in += b->n;
        st->out += kept;
        b->n = kept;
        queue_put(&pl->kept, b, &st->wait_s);
    }
    queue_put(&pl->kept, NULL, &st->wait_s);
    stage_done(st, t0, cpu0);
    return NULL;
}

static void *aggregate_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[AGGREGATE];
    double t0 = clk_now(), cpu0 = thread_cpu_s();
    struct batch *b;

    while ((b = queue_get(&pl->kept, &st->wait_s))) {
        for (int i = 0; i < b->n; i++) {
            const struct csv_field *c = &b->it[i].f[TRADE_COUNTRY];
            struct tally_entry *e = tally_get(&pl->sums, c->p, c->len,
                                              c->has_escapes);
            if (!e || __builtin_add_overflow(e->sum[0], b->it[i].value,
                                             &e->sum[0])) {
                pl->is_broken = true;
                continue;
            }
            e->rows++;
        }
        st->in += b->n;
        st->out += b->n;
        queue_put(&pl->empty, b, &st->wait_s);  /* recycle the batch */
    }
    stage_done(st, t0, cpu0);
    return NULL;
}

static int pipeline_init(struct pipeline *pl, const struct input *in,
                         bool is_skip_bad)
{
    memset(pl, 0, sizeof(*pl));
    pl->in = in;
    pl->is_skip_bad = is_skip_bad;
    atomic_init(&pl->is_stopped, false);
    queue_init(&pl->empty, N_BATCHES);
    queue_init(&pl->split, QUEUE_SLOTS);
    queue_init(&pl->kept, QUEUE_SLOTS);
    pl->batches = malloc(N_BATCHES * sizeof(*pl->batches));
    if (!pl->batches || trade_scan_init(&pl->bad) < 0 ||
        trade_scan_init(&pl->bad_checked) < 0 ||
        tally_init(&pl->sums) < 0)
        return -1;
    for (int i = 0; i < N_BATCHES; i++)
        queue_put(&pl->empty, &pl->batches[i], &pl->st[SPLIT].wait_s);
    pl->st[SPLIT].wait_s = 0;
    return 0;
}

/* The bad rows of both stages as one scan: the first by place wins. */
static void merge_bad(struct pipeline *pl)
{
    struct trade_scan *a = &pl->bad, *b = &pl->bad_checked;

    if (b->bad && b->bad_off < a->bad_off) {
        a->bad_off = b->bad_off;
        memcpy(a->bad_msg, b->bad_msg, sizeof(a->bad_msg));
    }
    a->bad += b->bad;
    b->bad = 0;
}

static void pipeline_free(struct pipeline *pl)
{
    queue_destroy(&pl->empty);
    queue_destroy(&pl->split);
    queue_destroy(&pl->kept);
    free(pl->batches);
    tally_free(&pl->bad.tab);
    tally_free(&pl->bad_checked.tab);
    tally_free(&pl->sums);
}

/* Three threads, one per stage: split and check get their own, the
 * calling thread aggregates. Returns the wall time, or -1 if no thread
 * could be started. */
static double run_pipeline(struct pipeline *pl)
{
    double t0 = clk_now();
    pthread_t split, check;

    if (pthread_create(&check, NULL, check_stage, pl) != 0)
        return -1;
    if (pthread_create(&split, NULL, split_stage, pl) != 0) {
        queue_put(&pl->split, NULL, &pl->st[SPLIT].wait_s);
        aggregate_stage(pl);
        pthread_join(check, NULL);
        return -1;
    }
    aggregate_stage(pl);
    pthread_join(split, NULL);
    pthread_join(check, NULL);
    merge_bad(pl);
    return clk_now() - t0;
}

/* The same three steps fused in one loop on one thread: the reference
 * (bad rows are skipped: the pipeline run beside it reports them). */
static double run_fused(const struct input *in, struct tally *sums)
{
    struct csv_reader r;
    struct item it;
    double t0 = clk_now();
    int n;

    csv_init(&r, in->data, in->len, in->name);
    csv_range(&r, in->body, in->len);
    while ((n = csv_next(&r, it.f, TRADE_FIELDS)) != 0) {
        struct tally_entry *e;
        bool keep = false;
        if (n != TRADE_FIELDS || check_item(&it, &keep) || !keep)
            continue;
        e = tally_get(sums, it.f[TRADE_COUNTRY].p, it.f[TRADE_COUNTRY].len,
                      it.f[TRADE_COUNTRY].has_escapes);
        if (!e)
            return -1;
        e->sum[0] += it.value;
        e->rows++;
    }
    return clk_now() - t0;
}

double datatask_pipeline_once(const struct input *in, uint64_t *checksum)
{
    struct pipeline pl;
    double secs = -1;

    if (pipeline_init(&pl, in, true) == 0)
        secs = run_pipeline(&pl);
    *checksum = tally_checksum(&pl.sums);
    pipeline_free(&pl);
    return secs;
}

/* What the stages' balance allows: their CPU work in all over the
 * busiest stage's. Perfectly overlapped, three stages take as long as
 * their busiest one, and one loop as long as all of them. */
static double balance_ceiling(const struct stage_stats *st)
{
    double most = 0, all = 0;

    for (int s = 0; s < DATATASK_N_STAGES; s++) {
        all += st[s].cpu_s;
        most = st[s].cpu_s > most ? st[s].cpu_s : most;
    }
    return most > 0 ? all / most : 1;
}

/* One run of each; *same is cleared when they disagree. Returns 0, 1 (a
 * bad row, reported) or -1. */
static int pipe_rep(const struct input *in, bool is_skip_bad, double *fused,
                    double *piped, struct stage_stats *st, bool *same)
{
    struct tally ref = { NULL, 0, 0 };
    struct pipeline pl;
    int rc = pipeline_init(&pl, in, is_skip_bad) < 0 ||
             tally_init(&ref) < 0 ? -1 : 0;

    if (rc == 0 && ((*fused = run_fused(in, &ref)) < 0 ||
                    (*piped = run_pipeline(&pl)) < 0))
        rc = -1;
    if (rc == 0 && !datatask_scan_ok(&pl.bad, is_skip_bad))
        rc = 1;
    *same &= rc == 0 && !pl.is_broken &&
             tally_checksum(&ref) == tally_checksum(&pl.sums);
    memcpy(st, pl.st, sizeof(pl.st));
    pipeline_free(&pl);
    tally_free(&ref);
    return rc;
}

/* Each run: the loop's time over the pipeline's, and the ceiling its
 * stages' balance sets (the rules say so when a run beats it: noise). */
#define PIPE_REPS_MAX 15         /* runs while the gain is undecided... */
#define PIPE_REPS_SECS 3.0      /* ...for at most this long */

/* Do the gains of n runs decide it: their middle half all at or above
 * FASTER_AT and the median within the stages' ceiling (above it a
 * one-loop run was slowed: noise), or all below FASTER_AT? */
static bool is_decided(const double *gain, const double *ceil, int n)
{
    struct stats g = stats_of(gain, (size_t)n), c = stats_of(ceil, (size_t)n);

    return n >= 5 && ((g.q1 >= FASTER_AT && g.median <= c.median) ||
                      g.q3 < FASTER_AT);
}

int datatask_measure_pipeline(const struct input *in,
                              const struct run_params *p, bool is_skip_bad,
                              struct pipe_summary *ps)
{
    double fused[1001], piped[1001], gain[1001], ceil[1001];
    struct stage_stats st[1001][DATATASK_N_STAGES];
    struct stats g, c;
    int rc, median = 1;

    int most = p->reps_given || p->reps > PIPE_REPS_MAX ? p->reps
                                                        : PIPE_REPS_MAX;
    double t0 = clk_now();

    ps->is_same = true;
    ps->faster_runs = 0;
    /* run 0 is the warm-up; then the plan's runs, and more while the
     * gain is undecided (is_decided), up to most or PIPE_REPS_SECS */
    for (int i = 0; i == 0 || i <= p->reps || (i <= most &&
         clk_now() - t0 < PIPE_REPS_SECS && !is_decided(gain + 1, ceil + 1, i - 1));
         i++) {
        if ((rc = pipe_rep(in, is_skip_bad, &fused[i], &piped[i], st[i],
                           &ps->is_same)))
            return rc;
        gain[i] = fused[i] / piped[i];
        ceil[i] = balance_ceiling(st[i]);
        ps->faster_runs += i > 0 && gain[i] >= FASTER_AT;
        ps->runs = i;
    }
    ps->fused = stats_of(fused + 1, (size_t)ps->runs);
    ps->piped = stats_of(piped + 1, (size_t)ps->runs);
    g = stats_of(gain + 1, (size_t)ps->runs);
    c = stats_of(ceil + 1, (size_t)ps->runs);
    ps->speedup = est_of(&g);
    ps->ceiling = est_of(&c);
    for (int i = 1; i <= ps->runs; i++)
        if (fabs(piped[i] - ps->piped.median) <
            fabs(piped[median] - ps->piped.median))
            median = i;
    memcpy(ps->st, st[median], sizeof(ps->st));
    return 0;
}

int datatask_slowest_stage(const struct pipe_summary *ps)
{
    int slow = 0;

    for (int s = 1; s < DATATASK_N_STAGES; s++)
        if (ps->st[s].busy_s > ps->st[slow].busy_s)
            slow = s;
    return slow;
}

void datatask_print_pipeline(struct report *r, const struct pipe_summary *ps)
{
    struct table *tb = report_table(r, "pipeline", "A pipeline: three "
                                    "stages, bounded queues between them");

    table_col(tb, "stage", "stage", U_TEXT);
    table_col(tb, "busy_seconds", "busy", U_MS);
    table_col(tb, "cpu_seconds", "on a CPU", U_MS);
    table_col(tb, "wait_seconds", "waiting on a queue", U_MS);
    table_col(tb, "rows_in", "rows in", U_INT);
    table_col(tb, "rows_out", "rows out", U_INT);
    for (int s = 0; s < DATATASK_N_STAGES; s++) {
        table_str(tb, stage_names[s]);
        table_num(tb, ps->st[s].busy_s);
        table_num(tb, ps->st[s].cpu_s);
        table_num(tb, ps->st[s].wait_s);
        table_num(tb, (double)ps->st[s].in);
        table_num(tb, (double)ps->st[s].out);
    }
    table_end(tb);
    tb = report_table(r, "pipeline_runs", NULL);
    table_col(tb, "run", "run", U_TEXT);
    table_col(tb, "min_seconds", "min", U_MS);
    table_col(tb, "median_seconds", "median", U_MS);
    table_col(tb, "max_seconds", "max", U_MS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    table_col(tb, "ceiling", "at most", U_RATIO);
    table_str(tb, "one loop, one thread");
    table_num(tb, ps->fused.min);
    table_num(tb, ps->fused.median);
    table_num(tb, ps->fused.max);
    table_num(tb, 1);
    table_num(tb, 1);
    table_str(tb, "three stages");
    table_num(tb, ps->piped.min);
    table_num(tb, ps->piped.median);
    table_num(tb, ps->piped.max);
    table_num(tb, ps->speedup.v);
    table_num(tb, ps->ceiling.v);
    table_end(tb);
}
