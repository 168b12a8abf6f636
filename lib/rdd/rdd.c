/* rdd.c - transformations: each one only records a node of lineage.
 * Nothing runs here. rdd_map returns at once whatever the data's size;
 * the work happens when an action (actions.c) asks the scheduler for
 * partitions. Compound operations are built the way PySpark builds them
 * (distinct = map + reduceByKey + map; join = union + groupByKey).
 */
#define _GNU_SOURCE
#include "rdd_impl.h"
#include "rdd_mpi.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct rdd_context *rdd_context_new(int threads)
{
    struct rdd_context *sc = rdd_xcalloc(1, sizeof(*sc));

    sc->threads = threads > 0 ? threads : 1;
    sc->default_parallelism = sc->threads;
    sc->lose_partition = -1;
    mpi_attach(sc);     /* under mpirun: join the other ranks */
    return sc;
}

static void free_shuffle(struct rdd_shuffle *sh)
{
    int m, p;

    if (!sh)
        return;
    for (m = 0; m < sh->nmap; m++) {
        for (p = 0; sh->out[m].bucket && p < sh->nreduce; p++)
            rdd_block_free(&sh->out[m].bucket[p]);
        free(sh->out[m].bucket);
    }
    free(sh->out);
    rdd_part_free(&sh->bounds);
    free(sh);
}

static void free_rdd(struct rdd *r)
{
    int p;

    for (p = 0; r->slices && p < r->nparts; p++)
        rdd_part_free(&r->slices[p]);
    for (p = 0; r->cache && p < r->nparts; p++)
        rdd_part_free(&r->cache[p]);
    free(r->slices);
    free(r->cache);
    free_shuffle(r->shuffle);
    rdd_text_src_free(&r->text);
    free(r->own);
    free(r);
}

void rdd_context_free(struct rdd_context *sc)
{
    if (!sc)
        return;
    for (int i = 0; i < sc->nrdds; i++)
        free_rdd(sc->rdds[i]);
    free(sc->rdds);
    mpi_detach(sc);
    free(sc);
}

void rdd_trace_clear(struct rdd_context *sc)
{
    sc->nstages = sc->ntasks = 0;
    sc->tasks_dropped = 0;
}

void rdd_fail(struct rdd_context *sc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sc->error, sizeof(sc->error), fmt, ap);
    va_end(ap);
}

struct rdd *rdd_new(struct rdd_context *sc, enum rdd_op op, const char *cls,
                    const char *what, const char *at, struct rdd *parent,
                    int nparts)
{
    struct rdd *r = rdd_xcalloc(1, sizeof(*r));
    const char *base = strrchr(at, '/');

    r->sc = sc;
    r->id = sc->next_rdd_id++;
    r->op = op;
    r->cls = cls;
    r->parent = parent;
    r->depth = parent ? parent->depth + 1 : 1;
    r->nparts = nparts;
    snprintf(r->name, sizeof(r->name), "%s at %s", what, base ? base + 1 : at);
    if (sc->nrdds == sc->cap_rdds) {
        sc->cap_rdds = sc->cap_rdds ? 2 * sc->cap_rdds : 16;
        sc->rdds = rdd_xrealloc(sc->rdds,
                                (size_t)sc->cap_rdds * sizeof(*sc->rdds));
    }
    sc->rdds[sc->nrdds++] = r;
    return r;
}

int rdd_num_partitions(const struct rdd *r)
{
    return r->nparts;
}

void rdd_set_name(struct rdd *r, const char *name)
{
    snprintf(r->path, sizeof(r->path), "%s", name);
}

int rdd_id(const struct rdd *r)
{
    return r->id;
}

struct rdd_context *rdd_context_of(const struct rdd *r)
{
    return r->sc;
}

struct rdd *rdd_parallelize_at(struct rdd_context *sc,
                               const struct rdd_value *v, size_t len, int n,
                               const char *at)
{
    struct rdd *r;
    int i;

    if (n <= 0)
        n = sc->default_parallelism;
    r = rdd_new(sc, OP_PARALLEL, "ParallelCollectionRDD", "parallelize", at,
                NULL, n);
    r->slices = rdd_xcalloc((size_t)n, sizeof(*r->slices));
    for (i = 0; i < n; i++) {
        size_t lo = rdd_slice_start(i, len, n);
        size_t hi = rdd_slice_start(i + 1, len, n);
        r->slices[i].arena = rdd_arena_new();
        r->slices[i].is_present = true;
        for (size_t k = lo; k < hi; k++)
            rdd_part_push(&r->slices[i], rdd_copy(r->slices[i].arena, v[k]));
    }
    return r;
}

struct rdd *rdd_parallelize_batched_at(struct rdd_context *sc,
                                       const struct rdd_value *v, size_t len,
                                       int n, size_t batch, const char *at)
{
    struct rdd *r;
    size_t nb;

    if (n <= 0)
        n = sc->default_parallelism;
    if (batch < 1)
        batch = 1;
    nb = (len + batch - 1) / batch;
    r = rdd_new(sc, OP_PARALLEL, "ParallelCollectionRDD", "parallelize", at,
                NULL, n);
    r->slices = rdd_xcalloc((size_t)n, sizeof(*r->slices));
    for (int i = 0; i < n; i++) {
        /* whole batches: slice i starts at batch i*nb/n */
        size_t lo = rdd_slice_start(i, nb, n) * batch;
        size_t hi = rdd_slice_start(i + 1, nb, n) * batch;
        r->slices[i].arena = rdd_arena_new();
        r->slices[i].is_present = true;
        for (size_t k = lo; k < hi && k < len; k++)
            rdd_part_push(&r->slices[i], rdd_copy(r->slices[i].arena, v[k]));
    }
    return r;
}

struct rdd *rdd_empty_at(struct rdd_context *sc, const char *at)
{
    return rdd_new(sc, OP_PARALLEL, "EmptyRDD", "emptyRDD", at, NULL, 0);
}

uint64_t rdd_range_len(int64_t start, int64_t stop, int64_t step)
{
    /* unsigned differences: stop - start may not fit an int64_t */
    if (step > 0)
        return stop <= start ? 0 : ((uint64_t)stop - (uint64_t)start - 1) /
                                   (uint64_t)step + 1;
    return start <= stop ? 0 : ((uint64_t)start - (uint64_t)stop - 1) /
                               (0 - (uint64_t)step) + 1;
}

struct rdd *rdd_range_at(struct rdd_context *sc, int64_t start, int64_t stop,
                         int64_t step, int n, const char *at)
{
    struct rdd *r;

    if (n <= 0)
        n = sc->default_parallelism;
    r = rdd_new(sc, OP_RANGE, "ParallelCollectionRDD", "parallelize", at,
                NULL, n);
    r->range.start = start;
    r->range.step = step;
    r->range.len = rdd_range_len(start, stop, step);
    return r;
}

static struct rdd *narrow(struct rdd *parent, enum rdd_op op,
                          const char *what, const char *at, void *ctx)
{
    struct rdd *r = rdd_new(parent->sc, op, "MapPartitionsRDD", what, at,
                            parent, parent->nparts);

    r->ctx = ctx;
    return r;
}

struct rdd *rdd_map_at(struct rdd *r, rdd_map_fn f, void *ctx,
                       const char *at)
{
    struct rdd *n = narrow(r, OP_MAP, "map", at, ctx);

    n->fn.map = f;
    return n;
}

struct rdd *rdd_filter_at(struct rdd *r, rdd_filter_fn f, void *ctx,
                          const char *at)
{
    struct rdd *n = narrow(r, OP_FILTER, "filter", at, ctx);

    n->fn.filter = f;
    return n;
}

struct rdd *rdd_flat_map_at(struct rdd *r, rdd_flat_fn f, void *ctx,
                            const char *at)
{
    struct rdd *n = narrow(r, OP_FLAT_MAP, "flatMap", at, ctx);

    n->fn.flat = f;
    return n;
}

struct rdd *rdd_map_partitions_at(struct rdd *r, rdd_part_fn f, void *ctx,
                                  const char *at)
{
    struct rdd *n = narrow(r, OP_MAP_PARTS, "mapPartitions", at, ctx);

    n->fn.part = f;
    return n;
}

/* mapValues(f) is map(lambda kv: (kv[0], f(kv[1]))): a wrapped closure */
struct closure {
    rdd_map_fn f;
    void *ctx;
};

static struct rdd_value map_values_fn(struct rdd_value kv,
                                      struct rdd_arena *a, void *ctx)
{
    struct closure *c = ctx;
    struct rdd_value k, v;
    const char *why;

    if ((why = rdd_item(kv, 0, &k)) || (why = rdd_item(kv, 1, &v))) {
        rdd_task_fail(why);
        return rdd_none();
    }
    return rdd_pair(a, k, c->f(v, a, c->ctx));
}

struct rdd *rdd_map_values_at(struct rdd *r, rdd_map_fn f, void *ctx,
                              const char *at)
{
    struct closure *c = rdd_xmalloc(sizeof(*c));
    struct rdd *n = narrow(r, OP_MAP, "mapValues", at, c);

    c->f = f;
    c->ctx = ctx;
    n->own = c;
    n->fn.map = map_values_fn;
    return n;
}

/* lambda kv: kv[i], failing the task as Python would */
static struct rdd_value item_or_fail(struct rdd_value kv, int i)
{
    struct rdd_value out;
    const char *why = rdd_item(kv, i, &out);

    if (why)
        rdd_task_fail(why);
    return out;
}

static struct rdd_value key_fn(struct rdd_value kv, struct rdd_arena *a,
                               void *ctx)
{
    (void)a, (void)ctx;
    return item_or_fail(kv, 0);
}

static struct rdd_value value_fn(struct rdd_value kv, struct rdd_arena *a,
                                 void *ctx)
{
    (void)a, (void)ctx;
    return item_or_fail(kv, 1);
}

struct rdd_value rdd_with_one(struct rdd_value x, struct rdd_arena *a,
                              void *ctx)
{
    (void)ctx;
    return rdd_pair(a, x, rdd_int(1));
}

struct rdd *rdd_keys_at(struct rdd *r, const char *at)
{
    struct rdd *n = narrow(r, OP_MAP, "keys", at, NULL);

    n->fn.map = key_fn;
    return n;
}

struct rdd *rdd_values_at(struct rdd *r, const char *at)
{
    struct rdd *n = narrow(r, OP_MAP, "values", at, NULL);

    n->fn.map = value_fn;
    return n;
}

struct rdd *rdd_union_at(struct rdd *a, struct rdd *b, const char *at)
{
    struct rdd *n = rdd_new(a->sc, OP_UNION, "UnionRDD", "union", at, a,
                            a->nparts + b->nparts);

    n->parent2 = b;
    if (b->depth >= n->depth)
        n->depth = b->depth + 1;
    return n;
}

/* A shuffle: the map side is parent's partitions, the reduce side n. */
static struct rdd *shuffled(struct rdd *parent, enum shuffle_mode mode,
                            const char *what, const char *at, int n)
{
    struct rdd *r;
    struct rdd_shuffle *sh = rdd_xcalloc(1, sizeof(*sh));

    if (n <= 0)
        n = parent->nparts;     /* PySpark's _defaultReducePartitions */
    r = rdd_new(parent->sc, OP_SHUFFLED, "ShuffledRDD", what, at, parent, n);
    sh->mode = mode;
    sh->nmap = parent->nparts;
    sh->nreduce = n;
    sh->out = rdd_xcalloc((size_t)sh->nmap, sizeof(*sh->out));
    r->shuffle = sh;
    return r;
}

struct rdd *rdd_reduce_by_key_at(struct rdd *r, rdd_reduce_fn f, void *ctx,
                                 int n, const char *at)
{
    struct rdd *s = shuffled(r, SH_COMBINE, "reduceByKey", at, n);

    s->shuffle->fn = f;
    s->shuffle->ctx = ctx;
    return s;
}

struct rdd *rdd_group_by_key_at(struct rdd *r, int n, const char *at)
{
    return shuffled(r, SH_GROUP, "groupByKey", at, n);
}

struct rdd *rdd_partition_by_at(struct rdd *r, int n, const char *at)
{
    return shuffled(r, SH_PLAIN, "partitionBy", at, n);
}

void rdd_set_partitioner(struct rdd *shuffled_rdd, rdd_partition_fn f,
                         void *ctx)
{
    shuffled_rdd->shuffle->part_fn = f;
    shuffled_rdd->shuffle->part_ctx = ctx;
}

void rdd_set_combiner(struct rdd *shuffled_rdd, rdd_map_fn create,
                      void *cctx, rdd_reduce_fn merge_combiners, void *mctx)
{
    struct rdd_shuffle *sh = shuffled_rdd->shuffle;

    sh->create = create;
    sh->create_ctx = cctx;
    sh->merge = merge_combiners;
    sh->merge_ctx = mctx;
    snprintf(shuffled_rdd->name, sizeof(shuffled_rdd->name), "combineByKey%s",
             strchr(shuffled_rdd->name, ' ') ? strchr(shuffled_rdd->name, ' ')
                                             : "");
}

static struct rdd_value with_none_fn(struct rdd_value x, struct rdd_arena *a,
                                     void *ctx)
{
    (void)ctx;
    return rdd_pair(a, x, rdd_none());
}

static struct rdd_value keep_first_fn(struct rdd_value x, struct rdd_value y,
                                      struct rdd_arena *a, void *ctx)
{
    (void)y, (void)a, (void)ctx;
    return x;
}

/* PySpark: map(lambda x: (x, None)).reduceByKey(lambda x, _: x)
 * .map(lambda x: x[0]) */
struct rdd *rdd_distinct_at(struct rdd *r, int n, const char *at)
{
    struct rdd *m = narrow(r, OP_MAP, "distinct", at, NULL);
    struct rdd *s;

    m->fn.map = with_none_fn;
    s = shuffled(m, SH_COMBINE, "distinct", at, n);
    s->shuffle->fn = keep_first_fn;
    m = narrow(s, OP_MAP, "distinct", at, NULL);
    m->fn.map = key_fn;
    return m;
}

/* keyBy(f) for sortBy: x -> (f(x), x) */
static struct rdd_value key_by_fn(struct rdd_value x, struct rdd_arena *a,
                                  void *ctx)
{
    struct closure *c = ctx;

    return rdd_pair(a, c->f(x, a, c->ctx), x);
}

struct rdd *rdd_sort_by_at(struct rdd *r, rdd_map_fn key, void *ctx,
                           bool is_ascending, int n, const char *at)
{
    struct closure *c = rdd_xmalloc(sizeof(*c));
    struct rdd *k = narrow(r, OP_MAP, "sortBy", at, c), *s;

    c->f = key;
    c->ctx = ctx;
    k->own = c;
    k->fn.map = key_by_fn;
    if (!(s = rdd_sort_by_key_at(k, is_ascending, n, at)))
        return NULL;
    return rdd_values_at(s, at);
}

/* join: tag each side's values 1 or 2, group by key, pair them up */
static struct rdd_value tag_fn(struct rdd_value v, struct rdd_arena *a,
                               void *ctx)
{
    return rdd_pair(a, rdd_int(ctx ? 2 : 1), v);
}

static void dispatch_fn(struct rdd_value kv, struct rdd_sink *out, void *ctx)
{
    struct rdd_value vs = rdd_val(kv);
    struct rdd_arena *a = rdd_sink_arena(out);
    uint32_t i, j;

    (void)ctx;
    for (i = 0; i < vs.len; i++) {
        if (rdd_key(vs.items[i]).i != 1)
            continue;
        for (j = 0; j < vs.len; j++)
            if (rdd_key(vs.items[j]).i == 2)
                rdd_emit(out, rdd_pair(a, rdd_key(kv), rdd_pair(a,
                         rdd_val(vs.items[i]), rdd_val(vs.items[j]))));
    }
}

struct rdd *rdd_join_at(struct rdd *a, struct rdd *b, int n, const char *at)
{
    struct rdd *va = rdd_map_values_at(a, tag_fn, NULL, at);
    struct rdd *vb = rdd_map_values_at(b, tag_fn, (void *)1, at);
    struct rdd *g = rdd_group_by_key_at(rdd_union_at(va, vb, at), n, at);
    struct rdd *j = narrow(g, OP_FLAT_MAP, "join", at, NULL);

    j->fn.flat = dispatch_fn;
    return j;
}

void rdd_unpersist(struct rdd *r)
{
    for (int p = 0; r->cache && p < r->nparts; p++)
        rdd_part_free(&r->cache[p]);
    free(r->cache);
    r->cache = NULL;
    r->is_cached = false;
}

struct rdd *rdd_cache(struct rdd *r)
{
    if (!r->is_cached) {
        r->is_cached = true;
        r->cache = rdd_xcalloc((size_t)r->nparts + 1, sizeof(*r->cache));
    }
    return r;
}

struct rdd *rdd_persist(struct rdd *r)
{
    return rdd_cache(r);
}
