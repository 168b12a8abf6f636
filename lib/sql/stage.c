/* stage.c - one stage of a query: a single loop over a partition.
 * Read a record (a CSV line, a row, a shuffled group), then filter,
 * project, look up a broadcast join, and hand the row on -- to the next
 * stage, into a hash aggregate, or keyed for a sort: Spark fuses its
 * operators into one loop per stage (whole-stage code generation, the *(1)
 * in its plans), so a row is never written down between them. Neither is
 * it here: each stage is one engine node running sql_stage_run.
 */
#include "sql_impl.h"
#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One task's run of a stage. */
struct run {
    const struct sql_stage *st;
    struct rdd_sink *out;
    struct rdd_arena *scratch;      /* reset before each record is read */
    int partition;
    long long *passed;              /* rows past each LIMIT step */
    struct sql_groups *groups;      /* PARTIAL_AGG and the AGG source */
    uint64_t seq;                   /* rows keyed so far */
    enum sql_type *seen;            /* INFER: each column's type so far */
    long long count;
    bool is_stopped;
};

static void sink(struct run *r, struct rdd_value row)
{
    const struct sql_stage *st = r->st;
    struct rdd_value key, tagged;
    uint64_t seq = ((uint64_t)r->partition << 40) | r->seq++;

    switch (st->sink) {
    case SQL_PARTIAL_AGG:
        sql_groups_add_row(r->groups, row.items, r->scratch);
        return;
    case SQL_COUNT:
        r->count++;
        return;
    case SQL_SORT_KEYS:
        key = sql_sort_key(st->sort, st->nsort, row.items, &seq, r->scratch);
        rdd_emit(r->out, rdd_pair(r->scratch, key, row));
        return;
    case SQL_JOIN_KEYS:             /* equal keys meet in one partition */
        key = sql_sort_key(st->sort, st->nsort, row.items, NULL, r->scratch);
        tagged = rdd_tuple(r->scratch, 3);
        tagged.items[0] = rdd_int(st->side);
        tagged.items[1] = rdd_int((int64_t)seq);
        tagged.items[2] = row;
        rdd_emit(r->out, rdd_pair(r->scratch, key, tagged));
        return;
    default:
        rdd_emit(r->out, row);
    }
}

static void push(struct run *r, int i, struct rdd_value row);

/* A broadcast join step: the row (the streamed side) with each match. */
static void probe(struct run *r, int i, struct rdd_value row)
{
    const struct sql_join *j = r->st->steps[i].join;
    bool is_left = !j->is_build_left;   /* the streamed side is left */
    size_t lo, hi;

    sql_join_find(j, row.items, &lo, &hi);
    if (j->how == SQL_SEMI || j->how == SQL_ANTI) {
        if ((lo < hi) == (j->how == SQL_SEMI))
            push(r, i + 1, row);
        return;
    }
    for (size_t k = lo; k < hi && !r->is_stopped; k++) {
        const struct rdd_value *b = j->build[k].items;
        push(r, i + 1, sql_join_row(j, is_left ? row.items : b,
                                    is_left ? b : row.items, r->scratch));
    }
    if (lo == hi && (j->how == SQL_LEFT || j->how == SQL_RIGHT))
        push(r, i + 1, sql_join_row(j, is_left ? row.items : NULL,
                                    is_left ? NULL : row.items, r->scratch));
}

/* The row through steps i, i+1, ... then to the sink. */
static void push(struct run *r, int i, struct rdd_value row)
{
    for (; i < r->st->nsteps && !r->is_stopped; i++) {
        const struct sql_step *s = &r->st->steps[i];
        struct rdd_value v;
        switch (s->kind) {
        case SQL_FILTER:
            v = sql_eval(s->cond, row.items, r->scratch);
            if (v.kind == RDD_NONE || !v.i)     /* null is not true */
                return;
            break;
        case SQL_PROJECT:
            v = rdd_tuple(r->scratch, (uint32_t)s->nexprs);
            for (int k = 0; k < s->nexprs; k++)
                v.items[k] = sql_eval(s->exprs[k], row.items, r->scratch);
            row = v;
            break;
        case SQL_LIMIT:
            if (r->passed[i]++ >= s->limit) {
                r->is_stopped = true;
                return;
            }
            break;
        case SQL_PROBE:
            probe(r, i, row);
            return;
        }
    }
    if (!r->is_stopped)
        sink(r, row);
}

/* ---- sources */

static void fail(struct run *r, const char *why)
{
    if (r->st->fail)
        r->st->fail(why, r->st->fail_ctx);
    else
        rdd_stop_task();
    r->is_stopped = true;
}

/* A CSV line's fields as a row; false when the line is dropped. */
static bool csv_row(struct run *r, const struct csv_field *f, int n,
                    struct rdd_value *row, struct rdd_value line)
{
    const struct sql_csv *o = r->st->csv;
    bool is_bad = n != o->ncols;

    *row = rdd_tuple(r->scratch, (uint32_t)o->ncols);
    for (int i = 0; i < o->ncols; i++) {
        const char *s = i < n ? f[i].p : NULL;
        size_t len = i < n ? f[i].len : 0;
        if (i < n && f[i].has_escapes) {    /* "" pairs undone */
            char *copy = rdd_alloc(r->scratch, len + 1);
            len = csv_copy(&f[i], copy, len + 1);
            s = copy;
        }
        if (i >= n)
            row->items[i] = rdd_none();
        else if (!sql_csv_value(o, o->types[i], s, len, r->scratch,
                                &row->items[i])) {
            is_bad = true;          /* PERMISSIVE: this cell null */
            row->items[i] = rdd_none();
        }
    }
    if (is_bad && o->mode == SQL_FAILFAST) {
        char why[600];
        snprintf(why, sizeof(why), "[MALFORMED_RECORD_IN_PARSING."
                 "WITHOUT_SUGGESTION] Malformed records are detected in "
                 "record parsing: %.*s. Parse Mode: FAILFAST. To process "
                 "malformed records as null result, try setting the option "
                 "'mode' as 'PERMISSIVE'.", (int)(line.len < 300 ? line.len
                 : 300), line.s);
        fail(r, why);
        return false;
    }
    return !(is_bad && o->mode == SQL_DROPMALFORMED);
}

static void csv_line(struct run *r, struct rdd_value line)
{
    const struct sql_csv *o = r->st->csv;
    struct csv_field f[o->ncols + 1];
    struct csv_reader cr;
    struct rdd_value row;
    int n;

    if (o->header && line.len == o->header_len &&
        !memcmp(line.s, o->header, line.len))
        return;                     /* the header of each file */
    csv_init(&cr, line.s, line.len, "line");
    if ((n = csv_next(&cr, f, o->ncols + 1)) == 0)
        return;                     /* a blank line */
    if (n > o->ncols)
        n = o->ncols + 1;           /* too many: still a bad record */
    if (r->st->sink == SQL_INFER) {
        for (int i = 0; i < n && i < o->ncols; i++)
            r->seen[i] = sql_csv_infer(o, r->seen[i], f[i].p, f[i].len);
        return;
    }
    if (n < 0)
        n = 0;                      /* an open quote: a row of nulls */
    if (csv_row(r, f, n, &row, line))
        push(r, 0, row);
}

static void agg_row(struct rdd_value row, void *ctx)
{
    struct run *r = ctx;

    if (!r->is_stopped)
        push(r, 0, row);
}

/* ---- the sort-merge join: records (key, (side, seq, row)) in key
 * order; a key's rows of each side come back in their input order (seq)
 * before they are joined. */

struct rows {
    struct rdd_value *v;            /* (side, seq, row) tuples */
    size_t n, cap;
};

static void rows_push(struct rows *l, struct rdd_value tagged)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = sql_xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = tagged;
}

static int by_seq(const void *a, const void *b)
{
    int64_t x = ((const struct rdd_value *)a)->items[1].i;
    int64_t y = ((const struct rdd_value *)b)->items[1].i;

    return (x > y) - (x < y);
}

/* The group's rows of one side, in input order, as rows. */
static void in_order(struct rows *l)
{
    if (l->n > 1)               /* qsort(NULL, 0) is undefined */
        qsort(l->v, l->n, sizeof(*l->v), by_seq);
    for (size_t i = 0; i < l->n; i++)
        l->v[i] = l->v[i].items[2];
}

/* One key's rows of each side, joined as its join type says. */
static void join_group(struct run *r, const struct rows *left,
                       const struct rows *right)
{
    const struct sql_join *j = r->st->join;
    bool is_right = j->how == SQL_RIGHT;
    const struct rows *outer = is_right ? right : left;
    const struct rows *inner = is_right ? left : right;

    if (j->how == SQL_SEMI || j->how == SQL_ANTI) {
        for (size_t i = 0; (right->n > 0) == (j->how == SQL_SEMI) &&
             i < left->n; i++)
            push(r, 0, left->v[i]);
        return;
    }
    for (size_t i = 0; i < outer->n && !r->is_stopped; i++) {
        for (size_t k = 0; k < inner->n; k++) {
            const struct rdd_value *o = outer->v[i].items;
            const struct rdd_value *n = inner->v[k].items;
            push(r, 0, sql_join_row(j, is_right ? n : o, is_right ? o : n,
                                    r->scratch));
        }
        if (inner->n == 0 && j->how != SQL_INNER)
            push(r, 0, sql_join_row(j, is_right ? NULL : outer->v[i].items,
                                    is_right ? outer->v[i].items : NULL,
                                    r->scratch));
    }
    if (j->how == SQL_FULL && left->n == 0)
        for (size_t k = 0; k < right->n; k++)
            push(r, 0, sql_join_row(j, NULL, right->v[k].items, r->scratch));
}

static void flush_group(struct run *r, struct rows *side)
{
    in_order(&side[0]);
    in_order(&side[1]);
    join_group(r, &side[0], &side[1]);
    side[0].n = side[1].n = 0;
}

static void merge_join(struct run *r, struct rdd_source *in)
{
    struct rows side[2] = { { 0 }, { 0 } };
    struct rdd_value rec, first = rdd_none();
    int first_side = 0;

    while (!r->is_stopped && rdd_source_next(in, &rec)) {
        struct rdd_value tagged = rec.items[1];
        int s = (int)tagged.items[0].i;
        struct rdd_value row = tagged.items[2];
        if (side[0].n + side[1].n > 0 &&
            !sql_join_keys_equal(r->st->join, first.items, first_side,
                                 row.items, s))
            flush_group(r, side);
        if (side[0].n + side[1].n == 0) {
            first = row;
            first_side = s;
        }
        rows_push(&side[s], tagged);
    }
    if (side[0].n + side[1].n)
        flush_group(r, side);
    free(side[0].v);
    free(side[1].v);
}

/* ---- the stage */

static void read_source(struct run *r, struct rdd_source *in)
{
    const struct sql_stage *st = r->st;
    struct rdd_value v;

    if (st->source == SQL_SRC_JOIN) {
        merge_join(r, in);
        return;
    }
    while (!r->is_stopped && !rdd_sink_is_stopped(r->out) &&
           rdd_source_next(in, &v)) {
        switch (st->source) {
        case SQL_SRC_CSV:
            csv_line(r, v);
            break;
        case SQL_SRC_TEXT: {
            struct rdd_value row = rdd_tuple(r->scratch, 1);
            row.items[0] = v;
            push(r, 0, row);
            break;
        }
        case SQL_SRC_AGG:
            if (!sql_groups_add_buffer(r->groups, v))
                fail(r, "an aggregation buffer that is not one");
            break;
        case SQL_SRC_SORTED:
            push(r, 0, v.items[1]);
            break;
        default:
            push(r, 0, v);
        }
    }
}

/* What a stage hands on once its input is read. */
static void finish(struct run *r)
{
    const struct sql_stage *st = r->st;
    struct rdd_value v;

    if (st->source == SQL_SRC_AGG)
        sql_groups_finish(r->groups, agg_row, r);
    if (r->is_stopped && st->sink != SQL_EMIT)
        return;
    switch (st->sink) {
    case SQL_PARTIAL_AGG:
        for (size_t i = 0; i < sql_groups_count(r->groups); i++)
            rdd_emit(r->out, sql_groups_partial(r->groups, i));
        break;
    case SQL_INFER:
        v = rdd_tuple(r->scratch, (uint32_t)st->csv->ncols);
        for (int i = 0; i < st->csv->ncols; i++)
            v.items[i] = rdd_int(r->seen[i]);
        rdd_emit(r->out, v);
        break;
    case SQL_COUNT:
        rdd_emit(r->out, rdd_int(r->count));
        break;
    default:
        break;
    }
}

void sql_stage_run(struct rdd_source *in, int p, struct rdd_sink *out,
                   void *stage)
{
    const struct sql_stage *st = stage;
    struct run r = { .st = st, .out = out, .scratch = rdd_sink_arena(out),
                     .partition = p };
    bool is_grouping = st->sink == SQL_PARTIAL_AGG ||
                       st->source == SQL_SRC_AGG;

    r.passed = calloc((size_t)st->nsteps + 1, sizeof(*r.passed));
    r.seen = calloc(st->csv ? (size_t)st->csv->ncols + 1 : 1,
                    sizeof(*r.seen));
    if (is_grouping)
        r.groups = sql_groups_new(st->agg);
    if (!r.passed || !r.seen || (is_grouping && !r.groups)) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    read_source(&r, in);
    finish(&r);
    sql_groups_free(r.groups);
    free(r.seen);
    free(r.passed);
}

struct rdd *sql_stage_at(struct rdd *r, struct sql_stage *st,
                         const char *what, const char *at)
{
    return rdd_pipe_at(r, sql_stage_run, st, "MapPartitionsRDD", what, at);
}
