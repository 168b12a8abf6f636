/* datatask_pipeline.c - a pipeline: parse -> filter -> aggregate threads.
 * Each stage is a thread; bounded queues of row batches join them, so a
 * fast stage waits (blocks) instead of piling up memory. The task-parallel
 * shape of streaming jobs: it can go no faster than its slowest stage.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "datatask.h"
#include "report.h"
#include "stats.h"
#include "trade.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_ROWS 1024
#define QUEUE_SLOTS 4           /* bounded: a fast stage blocks, not grows */
#define N_BATCHES (3 * QUEUE_SLOTS + 3)

/* What the parse stage extracts from one row. */
struct item {
    const char *key;
    size_t len;
    bool has_escapes, is_export, is_dollars;
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

enum { PARSE, FILTER, AGGREGATE };
_Static_assert(AGGREGATE + 1 == DATATASK_N_STAGES, "one name per stage");
static const char *const stage_names[DATATASK_N_STAGES] = {
    "parse rows", "filter Exports, $", "sum by country",
};

struct pipeline {
    const struct input *in;
    bool is_skip_bad;
    struct queue empty, parsed, kept;
    struct batch *batches;
    struct trade_scan bad;            /* the parse stage's bad rows */
    struct tally sums;            /* the aggregate stage's result */
    bool is_broken;
    struct stage_stats st[DATATASK_N_STAGES];
};

/* Parse: turn a CSV row into an item. NULL, or why the row is bad. */
static const char *parse_item(const struct csv_field *f, struct item *it)
{
    int which = trade_measure_of(&f[TRADE_MEASURE]);

    if (which < 0)
        return "Measure is neither $ nor Tonnes";
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len, &it->value))
        return "Value is not a whole number";
    it->key = f[TRADE_COUNTRY].p;
    it->len = f[TRADE_COUNTRY].len;
    it->has_escapes = f[TRADE_COUNTRY].has_escapes;
    it->is_dollars = which == 0;
    it->is_export = csv_equals(&f[TRADE_DIRECTION], "Exports");
    return NULL;
}

static void *parse_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[PARSE];
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    double t0 = clk_now();
    struct batch *b = queue_get(&pl->empty, &st->wait_s);
    const char *why;
    int n;

    csv_init(&r, pl->in->data, pl->in->len, pl->in->name);
    csv_range(&r, pl->in->body, pl->in->len);
    for (b->n = 0; (n = csv_next(&r, f, TRADE_FIELDS)) != 0; st->in++) {
        why = n == TRADE_FIELDS ? parse_item(f, &b->it[b->n]) : NULL;
        if (n != TRADE_FIELDS || why) {
            trade_scan_note_bad(&pl->bad, &r, n == TRADE_FIELDS ? 0 : n, why);
            if (!pl->is_skip_bad)
                break;
            continue;
        }
        st->out++;
        if (++b->n == BATCH_ROWS) {
            queue_put(&pl->parsed, b, &st->wait_s);
            b = queue_get(&pl->empty, &st->wait_s);
            b->n = 0;
        }
    }
    queue_put(&pl->parsed, b, &st->wait_s);
    queue_put(&pl->parsed, NULL, &st->wait_s);      /* end of stream */
    st->busy_s = clk_now() - t0 - st->wait_s;
    return NULL;
}

static void *filter_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[FILTER];
    double t0 = clk_now();
    struct batch *b;

    while ((b = queue_get(&pl->parsed, &st->wait_s))) {
        int kept = 0;
        for (int i = 0; i < b->n; i++)
            if (b->it[i].is_export && b->it[i].is_dollars)
                b->it[kept++] = b->it[i];
        st->in += b->n;
        st->out += kept;
        b->n = kept;
        queue_put(&pl->kept, b, &st->wait_s);
    }
    queue_put(&pl->kept, NULL, &st->wait_s);
    st->busy_s = clk_now() - t0 - st->wait_s;
    return NULL;
}

static void *aggregate_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[AGGREGATE];
    double t0 = clk_now();
    struct batch *b;

    while ((b = queue_get(&pl->kept, &st->wait_s))) {
        for (int i = 0; i < b->n; i++) {
            const struct item *it = &b->it[i];
            struct tally_entry *e = tally_get(&pl->sums, it->key, it->len,
                                              it->has_escapes);
            if (!e || __builtin_add_overflow(e->sum[0], it->value,
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
    st->busy_s = clk_now() - t0 - st->wait_s;
    return NULL;
}

static int pipeline_init(struct pipeline *pl, const struct input *in,
                         bool is_skip_bad)
{
    memset(pl, 0, sizeof(*pl));
    pl->in = in;
    pl->is_skip_bad = is_skip_bad;
    queue_init(&pl->empty, N_BATCHES);
    queue_init(&pl->parsed, QUEUE_SLOTS);
    queue_init(&pl->kept, QUEUE_SLOTS);
    pl->batches = malloc(N_BATCHES * sizeof(*pl->batches));
    if (!pl->batches || trade_scan_init(&pl->bad) < 0 ||
        tally_init(&pl->sums) < 0)
        return -1;
    for (int i = 0; i < N_BATCHES; i++)
        queue_put(&pl->empty, &pl->batches[i], &pl->st[PARSE].wait_s);
    pl->st[PARSE].wait_s = 0;
    return 0;
}

static void pipeline_free(struct pipeline *pl)
{
    queue_destroy(&pl->empty);
    queue_destroy(&pl->parsed);
    queue_destroy(&pl->kept);
    free(pl->batches);
    tally_free(&pl->bad.tab);
    tally_free(&pl->sums);
}

/* Three threads, one per stage: parse and filter get their own, the
 * calling thread aggregates. Returns the wall time, or -1 if no thread
 * could be started. */
static double run_pipeline(struct pipeline *pl)
{
    double t0 = clk_now();
    pthread_t parse, filter;

    if (pthread_create(&filter, NULL, filter_stage, pl) != 0)
        return -1;
    if (pthread_create(&parse, NULL, parse_stage, pl) != 0) {
        queue_put(&pl->parsed, NULL, &pl->st[PARSE].wait_s);
        aggregate_stage(pl);
        pthread_join(filter, NULL);
        return -1;
    }
    aggregate_stage(pl);
    pthread_join(parse, NULL);
    pthread_join(filter, NULL);
    return clk_now() - t0;
}

/* The same three steps fused in one loop on one thread: the reference. */
static double run_fused(const struct input *in, struct tally *sums)
{
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    struct item it;
    double t0 = clk_now();
    int n;

    csv_init(&r, in->data, in->len, in->name);
    csv_range(&r, in->body, in->len);
    while ((n = csv_next(&r, f, TRADE_FIELDS)) != 0) {
        struct tally_entry *e;
        if (n != TRADE_FIELDS || parse_item(f, &it) || !it.is_export ||
            !it.is_dollars)
            continue;
        if (!(e = tally_get(sums, it.key, it.len, it.has_escapes)))
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

int datatask_measure_pipeline(const struct input *in,
                              const struct run_params *p, bool is_skip_bad,
                              struct pipe_summary *ps)
{
    double fused[1001], piped[1001];
    struct pipeline pl;
    struct tally ref = { NULL, 0, 0 };

    ps->is_same = true;
    for (int i = 0; i <= p->reps; i++) {
        int rc = pipeline_init(&pl, in, is_skip_bad) < 0 ||
                 tally_init(&ref) < 0 ? -1 : 0;
        if (rc == 0 && ((fused[i] = run_fused(in, &ref)) < 0 ||
                        (piped[i] = run_pipeline(&pl)) < 0))
            rc = -1;
        if (rc == 0 && !datatask_scan_ok(&pl.bad, is_skip_bad))
            rc = 1;
        ps->is_same &= rc == 0 && !pl.is_broken &&
                       tally_checksum(&ref) == tally_checksum(&pl.sums);
        memcpy(ps->st, pl.st, sizeof(ps->st));
        pipeline_free(&pl);
        tally_free(&ref);
        if (rc)
            return rc;
    }
    ps->fused = stats_of(fused + 1, (size_t)p->reps);
    ps->piped = stats_of(piped + 1, (size_t)p->reps);
    return 0;
}

void datatask_print_pipeline(struct report *r, const struct pipe_summary *ps)
{
    struct table *tb = report_table(r, "pipeline", "A pipeline: three "
                                    "stages, bounded queues between them");
    double busiest = 0, busy = 0;
    int slow = 0;

    table_col(tb, "stage", "stage", U_TEXT);
    table_col(tb, "busy_seconds", "busy", U_MS);
    table_col(tb, "wait_seconds", "waiting on a queue", U_MS);
    table_col(tb, "rows_in", "rows in", U_INT);
    table_col(tb, "rows_out", "rows out", U_INT);
    for (int s = 0; s < DATATASK_N_STAGES; s++) {
        table_str(tb, stage_names[s]);
        table_num(tb, ps->st[s].busy_s);
        table_num(tb, ps->st[s].wait_s);
        table_num(tb, (double)ps->st[s].in);
        table_num(tb, (double)ps->st[s].out);
        busy += ps->st[s].busy_s;
        if (ps->st[s].busy_s > busiest) {
            busiest = ps->st[s].busy_s;
            slow = s;
        }
    }
    table_end(tb);
    report_notice(r, "Pipeline: %.0f ms against %.0f ms in one loop "
                  "(%.2fx)%s. Its slowest stage, \"%s\", was busy %.0f%% of "
                  "the work, so three stages cannot beat %.2fx; the others "
                  "spent their time waiting on queues.",
                  ps->piped.median * 1e3, ps->fused.median * 1e3,
                  stats_speedup(ps->fused.median, ps->piped.median),
                  ps->is_same ? ", same sums" : ", SUMS DIFFER: a bug",
                  stage_names[slow], busy > 0 ? 100 * busiest / busy : 0,
                  busiest > 0 ? busy / busiest : 1);
}

