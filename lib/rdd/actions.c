/* actions.c - the calls that make things happen: each runs a job.
 * An action hands the scheduler a task function (what to do with one
 * computed partition: keep it, count it, reduce it, write it) and then
 * combines the per-partition answers on the driver, as Spark does.
 */
#include "rdd_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rdd_result_free(struct rdd_result *res)
{
    free(res->v);
    rdd_arena_free(res->arena);
    res->v = NULL;
    res->arena = NULL;
    res->n = 0;
}

/* Per-partition answers, filled by the tasks. */
struct gather {
    struct rdd_part *part;      /* one per partition of the RDD */
    size_t limit;               /* take: stop after this many */
    rdd_reduce_fn fn;
    void *ctx;
    struct rdd_value zero;      /* fold */
    bool is_fold, is_descending;
};

struct keep_sink {
    struct rdd_sink base;
    struct rdd_part *part;
    size_t limit;
};

static void keep_push(struct rdd_sink *s, struct rdd_value v)
{
    struct keep_sink *k = (struct keep_sink *)s;

    s->task->records_out++;
    rdd_part_push(k->part, rdd_copy(k->part->arena, v));
    if (k->part->n >= k->limit)
        s->task->is_stopped = true;     /* take(): enough, stop reading */
}

static void keep_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct gather *g = ctx;
    struct keep_sink k = { { keep_push, t }, &g->part[p], g->limit };

    g->part[p].arena = rdd_arena_new();
    if (g->limit > 0)
        rdd_compute(r, p, &k.base, t);
}

/* A gather's partition p crosses from a worker process as its records. */
static void gather_save(void *ctx, int p, struct rdd_buf *out)
{
    rdd_part_save(&((struct gather *)ctx)->part[p], out);
}

static void gather_load(void *ctx, int p, const char *at, size_t len)
{
    rdd_part_load(&((struct gather *)ctx)->part[p], at, len);
}

static const struct job_io gather_io = { gather_save, gather_load };

static struct gather *gather_new(struct rdd *r)
{
    struct gather *g = rdd_xcalloc(1, sizeof(*g));

    g->part = rdd_xcalloc((size_t)r->nparts, sizeof(*g->part));
    g->limit = SIZE_MAX;
    return g;
}

static void gather_free(struct rdd *r, struct gather *g)
{
    for (int p = 0; p < r->nparts; p++)
        rdd_part_free(&g->part[p]);
    free(g->part);
    free(g);
}

/* Appends the partitions' records, in partition order, to out. */
static void gather_into(struct rdd *r, struct gather *g,
                        struct rdd_result *out, size_t max)
{
    for (int p = 0; p < r->nparts; p++) {
        for (size_t i = 0; i < g->part[p].n && out->n < max; i++) {
            out->v = rdd_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
            out->v[out->n++] = rdd_copy(out->arena, g->part[p].v[i]);
        }
    }
}

static void result_init(struct rdd_result *out)
{
    out->v = NULL;
    out->n = 0;
    out->arena = rdd_arena_new();
}

int rdd_collect(struct rdd *r, struct rdd_result *out)
{
    struct gather *g = gather_new(r);
    int rc = rdd_run_job_io(r, "collect", NULL, 0, keep_task, &gather_io, g);

    result_init(out);
    if (rc == 0)
        gather_into(r, g, out, SIZE_MAX);
    else
        rdd_result_free(out);
    gather_free(r, g);
    return rc;
}

int rdd_collect_parts(struct rdd *r, const int *parts, int nparts,
                      struct rdd_result *out)
{
    struct gather *g = gather_new(r);
    int rc = rdd_run_job_io(r, "runJob", parts, nparts, keep_task,
                            &gather_io, g);

    result_init(out);
    for (int i = 0; rc == 0 && i < nparts; i++) {
        struct rdd_part *p = &g->part[parts[i]];
        for (size_t k = 0; k < p->n; k++) {
            out->v = rdd_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
            out->v[out->n++] = rdd_copy(out->arena, p->v[k]);
        }
    }
    if (rc < 0)
        rdd_result_free(out);
    gather_free(r, g);
    return rc;
}

/* PySpark's take: one partition first, then up to 4x as many as scanned
 * so far (spark.rdd.limit.scaleUpFactor), until n records are found. */
int rdd_take(struct rdd *r, size_t n, struct rdd_result *out)
{
    int scanned = 0, total = r->nparts;

    result_init(out);
    while (out->n < n && scanned < total) {
        int try = 1, parts[RDD_MAX_TRACE], k = 0;
        struct gather *g;
        if (scanned > 0) {
            try = scanned * 4;
            if (out->n > 0) {
                long long t = (long long)(1.5 * (double)n * scanned /
                                          (double)out->n) - scanned;
                try = (int)(t < 1 ? 1 : t > scanned * 4 ? scanned * 4 : t);
            }
        }
        for (int p = scanned; p < scanned + try && p < total &&
             k < RDD_MAX_TRACE; p++)
            parts[k++] = p;
        g = gather_new(r);
        g->limit = n - out->n;
        if (rdd_run_job_io(r, "take", parts, k, keep_task, &gather_io,
                           g) < 0) {
            gather_free(r, g);
            rdd_result_free(out);
            return -1;
        }
        gather_into(r, g, out, n);
        gather_free(r, g);
        scanned += k;
    }
    return 0;
}

int rdd_first(struct rdd *r, struct rdd_result *out)
{
    if (rdd_take(r, 1, out) < 0)
        return -1;
    if (out->n == 0) {
        rdd_fail(r->sc, "ValueError: RDD is empty");
        rdd_result_free(out);
        return -1;
    }
    return 0;
}

static void count_push(struct rdd_sink *s, struct rdd_value v)
{
    (void)v;
    s->task->records_out++;
}

static void count_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct rdd_sink s = { count_push, t };
    long long *counts = ctx;

    rdd_compute(r, p, &s, t);
    counts[p] = t->records_out;
}

static void counts_save(void *ctx, int p, struct rdd_buf *out)
{
    rdd_buf_add(out, (const char *)&((long long *)ctx)[p], sizeof(long long));
}

static void counts_load(void *ctx, int p, const char *at, size_t len)
{
    if (len == sizeof(long long))
        memcpy(&((long long *)ctx)[p], at, len);
}

int rdd_count(struct rdd *r, long long *out)
{
    static const struct job_io io = { counts_save, counts_load };
    long long *counts = rdd_xcalloc((size_t)r->nparts + 1, sizeof(*counts));
    int rc = rdd_run_job_io(r, "count", NULL, 0, count_task, &io, counts);

    *out = 0;
    for (int p = 0; p < r->nparts; p++)
        *out += counts[p];
    free(counts);
    return rc;
}

/* ---- reduce, fold, sum: per partition, then on the driver */

struct reduce_sink {
    struct rdd_sink base;
    struct gather *g;
    struct rdd_part *part;      /* holds the accumulator as v[0] */
};

static void reduce_push(struct rdd_sink *s, struct rdd_value v)
{
    struct reduce_sink *o = (struct reduce_sink *)s;
    struct rdd_part *a = o->part;
    int64_t sum;

    s->task->records_out++;
    if (a->n == 0) {
        rdd_part_push(a, rdd_copy(a->arena, v));
        return;
    }
    if (o->g->fn == rdd_add && a->v[0].kind == RDD_INT && v.kind == RDD_INT &&
        !__builtin_add_overflow(a->v[0].i, v.i, &sum)) {
        a->v[0].i = sum;
        return;
    }
    v = o->g->fn(a->v[0], v, s->task->scratch, o->g->ctx);
    /* an int, float, bool or None needs no copy: it is its 16 bytes */
    a->v[0] = v.kind <= RDD_FLOAT || v.kind == RDD_BOOL ? v
                                                        : rdd_copy(a->arena, v);
}

static void reduce_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct gather *g = ctx;
    struct reduce_sink s = { { reduce_push, t }, g, &g->part[p] };

    g->part[p].arena = rdd_arena_new();
    if (g->is_fold)
        rdd_part_push(&g->part[p], rdd_copy(g->part[p].arena, g->zero));
    rdd_compute(r, p, &s.base, t);
}

static int reduce_job(struct rdd *r, struct gather *g,
                      struct rdd_result *out)
{
    int rc = rdd_run_job_io(r, g->is_fold ? "fold" : "reduce", NULL, 0,
                            reduce_task, &gather_io, g);
    bool has = g->is_fold;
    struct rdd_value acc = g->zero;

    result_init(out);
    for (int p = 0; rc == 0 && p < r->nparts; p++) {
        int64_t sum;
        if (g->part[p].n == 0)
            continue;       /* reduce skips empty partitions */
        struct rdd_value v = g->part[p].v[0];
        if (has && g->fn == rdd_add && !g->ctx && acc.kind == RDD_INT &&
            v.kind == RDD_INT && __builtin_add_overflow(acc.i, v.i, &sum)) {
            rdd_fail(r->sc, "%s", RDD_OVERFLOW_MSG);    /* on the driver */
            rc = -1;
            break;
        }
        acc = has ? g->fn(acc, v, out->arena, g->ctx) : v;
        acc = rdd_copy(out->arena, acc);
        has = true;
    }
    if (rc == 0 && !has) {
        rdd_fail(r->sc, "ValueError: Can not reduce() empty RDD");
        rc = -1;
    }
    if (rc == 0) {
        out->v = rdd_xmalloc(sizeof(*out->v));
        out->v[0] = acc;
        out->n = 1;
    } else {
        rdd_result_free(out);
    }
    gather_free(r, g);
    return rc;
}

int rdd_reduce(struct rdd *r, rdd_reduce_fn f, void *ctx,
               struct rdd_result *out)
{
    struct gather *g = gather_new(r);

    g->fn = f;
    g->ctx = ctx;
    return reduce_job(r, g, out);
}

int rdd_fold(struct rdd *r, struct rdd_value zero, rdd_reduce_fn f,
             void *ctx, struct rdd_result *out)
{
    struct gather *g = gather_new(r);

    g->fn = f;
    g->ctx = ctx;
    g->zero = zero;
    g->is_fold = true;
    return reduce_job(r, g, out);
}

int rdd_sum(struct rdd *r, struct rdd_result *out)
{
    return rdd_fold(r, rdd_int(0), rdd_add, NULL, out);
}

struct rdd_value rdd_add(struct rdd_value a, struct rdd_value b,
                         struct rdd_arena *ar, void *ctx)
{
    const struct rdd_fallback *fb = ctx;
    struct rdd_value v;
    bool a_int = a.kind == RDD_INT || a.kind == RDD_BOOL;  /* True + 1 */
    bool b_int = b.kind == RDD_INT || b.kind == RDD_BOOL;
    int64_t sum;

    if (a_int && b_int) {
        if (!__builtin_add_overflow(a.i, b.i, &sum))
            return rdd_int(sum);
        if (fb)                 /* past 64 bits: Python's int */
            return fb->fn(a, b, ar, fb->ctx);
        rdd_task_fail(RDD_OVERFLOW_MSG);
        return rdd_int(sum);
    }
    if ((a_int || a.kind == RDD_FLOAT) && (b_int || b.kind == RDD_FLOAT))
        return rdd_float((a_int ? (double)a.i : a.f) +
                         (b_int ? (double)b.i : b.f));
    if (a.kind == RDD_STR && b.kind == RDD_STR) {
        char *s = rdd_alloc(ar, (size_t)a.len + b.len + 1);
        memcpy(s, a.s, a.len);
        memcpy(s + a.len, b.s, b.len);
        return rdd_str(s, (size_t)a.len + b.len);
    }
    if (a.kind == b.kind && (a.kind == RDD_TUPLE || a.kind == RDD_LIST)) {
        v = a.kind == RDD_LIST ? rdd_list(ar, a.len + b.len)
                               : rdd_tuple(ar, a.len + b.len);
        if (a.len)          /* an empty tuple's items are NULL */
            memcpy(v.items, a.items, a.len * sizeof(*v.items));
        if (b.len)
            memcpy(v.items + a.len, b.items, b.len * sizeof(*v.items));
        return v;
    }
    if (fb)                 /* Python's answer: an int past 64 bits, +
                               between other types, or its TypeError */
        return fb->fn(a, b, ar, fb->ctx);
    return rdd_none();      /* Python would raise TypeError */
}

/* ---- countByValue: a Counter per partition, merged on the driver */

static void count_value_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct gather *g = ctx;
    struct rdd_part *part = &g->part[p];
    struct rdd_part all = { 0 };
    struct kv_table tab;
    bool is_new;

    rdd_kv_init(&tab, 64);
    part->arena = rdd_arena_new();
    all.arena = rdd_arena_new();
    {
        struct keep_sink k = { { keep_push, t }, &all, SIZE_MAX };
        rdd_compute(r, p, &k.base, t);
    }
    for (size_t i = 0; i < all.n; i++) {
        struct kv_entry *e = rdd_kv_find_or_add(&tab, all.v[i],
                                                rdd_fast_hash(all.v[i]),
                                                &is_new);
        if (is_new)
            e->val = rdd_int(0);
        e->val.i++;
    }
    for (size_t i = 0; i < tab.n; i++)
        rdd_part_push(part, rdd_pair(part->arena, rdd_copy(part->arena,
                      rdd_kv_at(&tab, i)->key), rdd_kv_at(&tab, i)->val));
    rdd_kv_free(&tab);
    rdd_part_free(&all);
}

int rdd_count_by_value(struct rdd *r, struct rdd_result *out)
{
    struct gather *g = gather_new(r);
    int rc = rdd_run_job_io(r, "countByValue", NULL, 0, count_value_task,
                            &gather_io, g);
    struct kv_table tab;
    bool is_new;

    result_init(out);
    rdd_kv_init(&tab, 64);
    for (int p = 0; rc == 0 && p < r->nparts; p++) {
        for (size_t i = 0; i < g->part[p].n; i++) {
            struct rdd_value k = rdd_key(g->part[p].v[i]);
            struct kv_entry *e = rdd_kv_find_or_add(&tab, k, rdd_fast_hash(k),
                                                    &is_new);
            if (is_new) {
                e->key = rdd_copy(out->arena, k);
                e->val = rdd_int(0);
            }
            e->val.i += rdd_val(g->part[p].v[i]).i;
        }
    }
    out->v = rdd_xmalloc((tab.n + 1) * sizeof(*out->v));
    for (size_t i = 0; i < tab.n; i++)
        out->v[i] = rdd_pair(out->arena, rdd_kv_at(&tab, i)->key,
                             rdd_kv_at(&tab, i)->val);
    out->n = tab.n;
    rdd_kv_free(&tab);
    gather_free(r, g);
    if (rc < 0)
        rdd_result_free(out);
    return rc;
}

int rdd_count_by_key(struct rdd *r, struct rdd_result *out)
{
    return rdd_count_by_value(rdd_keys_at(r, "countByKey"), out);
}

/* ---- top / takeOrdered: the n best of each partition, then of those */

static int cmp_up(const void *a, const void *b)
{
    return rdd_compare(*(const struct rdd_value *)a,
                       *(const struct rdd_value *)b);
}

static int cmp_down(const void *a, const void *b)
{
    return -cmp_up(a, b);
}

/* Keeps the n best records seen in a binary heap whose root is the worst
 * of them (Python's heapq.nlargest does the same): O(N log n). */
struct best_sink {
    struct rdd_sink base;
    struct rdd_part *part;
    size_t n;
    int sign;                   /* +1: largest (top), -1: smallest */
};

static bool worse(const struct best_sink *b, size_t i, size_t j)
{
    return b->sign * rdd_compare(b->part->v[i], b->part->v[j]) < 0;
}

static void sift_down(struct best_sink *b, size_t i)
{
    struct rdd_value *v = b->part->v;
    size_t n = b->part->n;

    for (;;) {
        size_t l = 2 * i + 1, w = i;
        if (l < n && worse(b, l, w))
            w = l;
        if (l + 1 < n && worse(b, l + 1, w))
            w = l + 1;
        if (w == i)
            return;
        struct rdd_value tmp = v[i];
        v[i] = v[w];
        v[w] = tmp;
        i = w;
    }
}

static void best_push(struct rdd_sink *s, struct rdd_value x)
{
    struct best_sink *b = (struct best_sink *)s;
    struct rdd_part *p = b->part;
    size_t i;

    s->task->records_out++;
    if (p->n < b->n) {          /* not full: add, sift up */
        rdd_part_push(p, rdd_copy(p->arena, x));
        for (i = p->n - 1; i > 0 && worse(b, i, (i - 1) / 2); i = (i - 1) / 2) {
            struct rdd_value tmp = p->v[i];
            p->v[i] = p->v[(i - 1) / 2];
            p->v[(i - 1) / 2] = tmp;
        }
    } else if (b->n && b->sign * rdd_compare(x, p->v[0]) > 0) {
        p->v[0] = rdd_copy(p->arena, x);    /* better than the worst kept */
        sift_down(b, 0);
    }
}

static void best_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct gather *g = ctx;
    struct best_sink b = { { best_push, t }, &g->part[p], g->limit,
                           g->is_descending ? 1 : -1 };

    g->part[p].arena = rdd_arena_new();
    rdd_compute(r, p, &b.base, t);
}

static int best_of(struct rdd *r, size_t n, bool is_descending,
                   struct rdd_result *out)
{
    struct gather *g = gather_new(r);
    int rc;

    g->limit = n;
    g->is_descending = is_descending;
    rc = rdd_run_job_io(r, is_descending ? "top" : "takeOrdered", NULL, 0,
                        best_task, &gather_io, g);
    result_init(out);
    if (rc == 0) {
        gather_into(r, g, out, SIZE_MAX);
        if (out->n)
            qsort(out->v, out->n, sizeof(*out->v),
                  is_descending ? cmp_down : cmp_up);
        if (out->n > n)
            out->n = n;
    } else {
        rdd_result_free(out);
    }
    gather_free(r, g);
    return rc;
}

int rdd_top(struct rdd *r, size_t n, struct rdd_result *out)
{
    return best_of(r, n, true, out);
}

int rdd_take_ordered(struct rdd *r, size_t n, struct rdd_result *out)
{
    return best_of(r, n, false, out);
}

struct each_sink {
    struct rdd_sink base;
    rdd_each_fn f;
    void *ctx;
};

static void each_push(struct rdd_sink *s, struct rdd_value v)
{
    struct each_sink *e = (struct each_sink *)s;

    s->task->records_out++;
    e->f(v, e->ctx);
}

static void each_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct each_sink s = { { each_push, t }, NULL, NULL };

    s.f = ((struct each_sink *)ctx)->f;
    s.ctx = ((struct each_sink *)ctx)->ctx;
    rdd_compute(r, p, &s.base, t);
}

static void nothing_save(void *ctx, int p, struct rdd_buf *out)
{
    (void)ctx, (void)p, (void)out;
}

static void nothing_load(void *ctx, int p, const char *at, size_t len)
{
    (void)ctx, (void)p, (void)at, (void)len;
}

int rdd_foreach(struct rdd *r, rdd_each_fn f, void *ctx)
{
    static const struct job_io io = { nothing_save, nothing_load };
    struct each_sink spec = { { NULL, NULL }, f, ctx };

    return rdd_run_job_io(r, "foreach", NULL, 0, each_task, &io, &spec);
}

/* ---- sortByKey: sample the keys for range bounds (two jobs, as in
 * PySpark: count, then a sample), then a range-partitioned shuffle */

static struct rdd_value key_of(struct rdd_value kv, struct rdd_arena *a,
                               void *ctx)
{
    struct rdd_value k;
    const char *why = rdd_item(kv, 0, &k);     /* lambda kv: kv[0] */

    (void)a, (void)ctx;
    if (why)
        rdd_task_fail(why);
    return k;
}

/* PySpark: bounds[i] = samples[len(samples) * (i + 1) / n], sorted */
static void set_bounds(struct rdd_part *b, const struct rdd_result *keys,
                       size_t stride, int n)
{
    struct rdd_part smp = { 0 };
    size_t i;

    for (i = 0; i < keys->n; i += stride)
        rdd_part_push(&smp, keys->v[i]);
    if (smp.n)
        qsort(smp.v, smp.n, sizeof(*smp.v), cmp_up);
    b->arena = rdd_arena_new();
    for (i = 0; smp.n && i + 1 < (size_t)n; i++)
        rdd_part_push(b, rdd_copy(b->arena,
                                  smp.v[smp.n * (i + 1) / (size_t)n]));
    free(smp.v);
}

/* A range-partitioned shuffle of r into n partitions (bounds unset). */
static struct rdd *range_shuffled(struct rdd *r, bool is_ascending, int n,
                                  const char *at)
{
    struct rdd *s = rdd_new(r->sc, OP_SHUFFLED, "ShuffledRDD", "sortByKey",
                            at, r, n);

    s->shuffle = rdd_xcalloc(1, sizeof(*s->shuffle));
    s->shuffle->mode = SH_RANGE;
    s->shuffle->is_ascending = is_ascending;
    s->shuffle->nmap = r->nparts;
    s->shuffle->nreduce = n;
    s->shuffle->out = rdd_xcalloc((size_t)r->nparts + 1,
                                  sizeof(*s->shuffle->out));
    return s;
}

struct rdd *rdd_sort_by_key_at(struct rdd *r, bool is_ascending, int n,
                               const char *at)
{
    struct rdd_result keys;
    struct rdd *s, *k;
    long long size;
    size_t stride;

    if (n <= 0)
        n = r->nparts;
    if (rdd_count(r, &size) < 0)
        return NULL;
    /* PySpark samples a fraction 20n/size of the records; we take every
     * stride-th key, which is all of them for small RDDs, as there */
    stride = (size_t)(size / (20LL * n)) + 1;
    k = rdd_map_at(r, key_of, NULL, at);
    if (rdd_collect(k, &keys) < 0)
        return NULL;
    s = range_shuffled(r, is_ascending, n, at);
    set_bounds(&s->shuffle->bounds, &keys, stride, n);
    rdd_result_free(&keys);
    return s;
}

struct rdd *rdd_sort_by_bounds_at(struct rdd *r, bool is_ascending, int n,
                                  const struct rdd_value *bounds,
                                  size_t nbounds, const char *at)
{
    struct rdd *s = range_shuffled(r, is_ascending, n > 0 ? n : r->nparts,
                                   at);
    struct rdd_part *b = &s->shuffle->bounds;

    b->arena = rdd_arena_new();
    for (size_t i = 0; i < nbounds; i++)
        rdd_part_push(b, rdd_copy(b->arena, bounds[i]));
    return s;
}
