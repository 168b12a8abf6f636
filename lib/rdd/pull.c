/* pull.c - the operations that read a partition on their own terms.
 * Most transformations are pushed one record at a time (sched.c). A
 * Python pipeline runs its own loop instead (a generator asks for the
 * next record when it wants one), so it gets a pull source: a slice, a
 * range, a file split or a cache read in place, anything else computed
 * into a list first. zip, cartesian and coalesce read whole partitions.
 */
#include "rdd_impl.h"

#include <stdlib.h>
#include <string.h>

struct rdd_source {
    struct task *t;
    const struct rdd_part *part;    /* records replayed from a list */
    size_t i;
    const struct rdd *range;        /* numbers made: k in [k, hi) */
    uint64_t k, hi;
    bool is_text;
    struct text_cursor text;
    struct rdd_part own;            /* the parent computed into a list */
};

/* The partition a source replays as it is, if there is one: a slice, or
 * a cached partition already there. */
static const struct rdd_part *stored(const struct rdd *r, int p)
{
    if (r->is_cached && r->cache[p].is_present)
        return &r->cache[p];
    if (r->op == OP_PARALLEL && !r->is_cached)
        return &r->slices[p];
    return NULL;
}

static void source_open(struct rdd_source *in, struct rdd *r, int p,
                        struct task *t)
{
    memset(in, 0, sizeof(*in));
    in->t = t;
    while (r->op == OP_PASS && !r->is_cached)   /* textFile's own node */
        r = r->parent;
    if ((in->part = stored(r, p))) {
        t->cache_hits += r->is_cached;
    } else if (r->op == OP_RANGE && !r->is_cached) {
        in->range = r;
        in->k = rdd_slice_start(p, r->range.len, r->nparts);
        in->hi = rdd_slice_start(p + 1, r->range.len, r->nparts);
    } else if (r->op == OP_HADOOP && !r->is_cached) {
        in->is_text = true;
        rdd_text_split_open(r, p, &in->text);
    } else {
        rdd_materialise(r, p, &in->own, t);
        in->part = &in->own;
        t->records_in -= (long long)in->own.n;  /* counted again below */
    }
}

bool rdd_source_next(struct rdd_source *in, struct rdd_value *v)
{
    struct task *t = in->t;

    rdd_arena_reset(t->scratch);            /* the last record's scratch */
    if (t->is_stopped)
        return false;
    if (in->part) {
        if (in->i == in->part->n)
            return false;
        *v = in->part->v[in->i++];
    } else if (in->range) {
        if (in->k == in->hi)
            return false;
        /* unsigned: k * step may pass INT64_MAX on its way to the value */
        *v = rdd_int((int64_t)((uint64_t)in->range->range.start +
                               in->k++ * (uint64_t)in->range->range.step));
    } else if (!in->is_text || !rdd_text_next_line(&in->text, v)) {
        return false;
    }
    t->records_in++;
    return true;
}

bool rdd_sink_is_stopped(const struct rdd_sink *out)
{
    return out->task->is_stopped;
}

static void pipe_compute(struct rdd *r, int p, struct rdd_sink *out,
                         struct task *t)
{
    struct rdd_source in;

    source_open(&in, r->parent, p, t);
    r->fn.pipe(&in, p, out, r->ctx);
    rdd_part_free(&in.own);
}

static void zip_compute(struct rdd *r, int p, struct rdd_sink *out,
                        struct task *t)
{
    struct rdd_part a = { 0 }, b = { 0 };

    rdd_materialise(r->parent, p, &a, t);
    rdd_materialise(r->parent2, p, &b, t);
    if (a.n != b.n)
        rdd_task_stop(t, "org.apache.spark.SparkException: Can only zip RDDs "
                  "with same number of elements in each partition");
    for (size_t i = 0; i < a.n && !t->is_stopped; i++) {
        out->push(out, rdd_pair(t->scratch, a.v[i], b.v[i]));
        rdd_arena_reset(t->scratch);
    }
    rdd_part_free(&a);
    rdd_part_free(&b);
}

static void cartesian_compute(struct rdd *r, int p, struct rdd_sink *out,
                              struct task *t)
{
    struct rdd_part a = { 0 }, b = { 0 };

    rdd_materialise(r->parent, p / r->parent2->nparts, &a, t);
    rdd_materialise(r->parent2, p % r->parent2->nparts, &b, t);
    for (size_t i = 0; i < a.n && !t->is_stopped; i++)
        for (size_t j = 0; j < b.n && !t->is_stopped; j++) {
            out->push(out, rdd_pair(t->scratch, a.v[i], b.v[j]));
            rdd_arena_reset(t->scratch);
        }
    rdd_part_free(&a);
    rdd_part_free(&b);
}

void rdd_pull_compute(struct rdd *r, int p, struct rdd_sink *out,
                  struct task *t)
{
    int n = r->parent->nparts;

    switch (r->op) {
    case OP_PIPE:      pipe_compute(r, p, out, t); break;
    case OP_ZIP:       zip_compute(r, p, out, t); break;
    case OP_CARTESIAN: cartesian_compute(r, p, out, t); break;
    case OP_COALESCE:
        for (int j = (int)rdd_slice_start(p, (uint64_t)n, r->nparts);
             j < (int)rdd_slice_start(p + 1, (uint64_t)n, r->nparts) &&
             !t->is_stopped; j++)
            rdd_compute(r->parent, j, out, t);
        break;
    default:
        break;
    }
}

/* ---- the RDDs (lineage only, as everywhere in rdd.c) */

struct rdd *rdd_pipe_at(struct rdd *r, rdd_pipe_fn f, void *ctx,
                        const char *cls, const char *what, const char *at)
{
    struct rdd *n = rdd_new(r->sc, OP_PIPE, cls, what, at, r, r->nparts);

    n->fn.pipe = f;
    n->ctx = ctx;
    return n;
}

struct rdd *rdd_zip_at(struct rdd *a, struct rdd *b, const char *at)
{
    struct rdd *n = rdd_new(a->sc, OP_ZIP, "ZippedPartitionsRDD2", "zip", at,
                            a, a->nparts);

    n->parent2 = b;
    return n;
}

struct rdd *rdd_cartesian_at(struct rdd *a, struct rdd *b, const char *at)
{
    struct rdd *n = rdd_new(a->sc, OP_CARTESIAN, "CartesianRDD", "cartesian",
                            at, a, a->nparts * b->nparts);

    n->parent2 = b;
    return n;
}

struct rdd *rdd_coalesce_at(struct rdd *r, int n, const char *at)
{
    if (n > r->nparts)
        n = r->nparts;          /* no shuffle: never more partitions */
    return rdd_new(r->sc, OP_COALESCE, "CoalescedRDD", "coalesce", at, r,
                   n > 0 ? n : 1);
}
