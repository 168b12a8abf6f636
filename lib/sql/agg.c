/* agg.c - groupBy().agg(): hash aggregation in two steps, as Spark's.
 * The partial step folds each task's rows into one buffer per group
 * (count, sum, a running mean...), so only one record per group and task
 * crosses the shuffle; the final step merges the buffers of each group
 * and computes the results. Watch --explain: a million rows in, a few
 * dozen records written to the shuffle.
 */
#include "sql_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct group {
    struct rdd_value key;           /* a tuple, in the table's arena */
    struct rdd_value *buf;          /* the functions' buffers */
    uint64_t hash;
    size_t seen;                    /* insertion order */
    int spark_part;                 /* pmod(murmur3(key), 200) */
};

struct sql_groups {
    const struct sql_agg *agg;
    int nslots;                     /* buffer values per group */
    int *first;                     /* fns[i]'s first buffer slot */
    struct group *g;
    size_t n, cap;
    size_t *slot, mask;             /* open addressing: index + 1 */
    struct group **order;           /* the partial step's output order */
    struct rdd_arena *arena;
};

static int slots_of(enum sql_agg_kind k)
{
    switch (k) {
    case SQL_AGG_AVG: case SQL_AGG_FIRST: case SQL_AGG_LAST: return 2;
    case SQL_AGG_STDDEV_SAMP: case SQL_AGG_STDDEV_POP:
    case SQL_AGG_VAR_SAMP: case SQL_AGG_VAR_POP: return 3;
    default: return 1;
    }
}

struct sql_groups *sql_groups_new(const struct sql_agg *agg)
{
    struct sql_groups *g = calloc(1, sizeof(*g));

    if (!g || !(g->first = calloc((size_t)agg->nfns + 1, sizeof(int))) ||
        !(g->slot = calloc(64, sizeof(size_t)))) {
        if (g)
            free(g->first);
        free(g);
        return NULL;
    }
    g->agg = agg;
    for (int i = 0; i < agg->nfns; i++) {
        g->first[i] = g->nslots;
        g->nslots += slots_of(agg->fns[i].kind);
    }
    g->mask = 63;
    g->arena = rdd_arena_new();
    return g;
}

void sql_groups_free(struct sql_groups *g)
{
    if (!g)
        return;
    rdd_arena_free(g->arena);
    free(g->order);
    free(g->g);
    free(g->slot);
    free(g->first);
    free(g);
}

size_t sql_groups_count(const struct sql_groups *g)
{
    return g->n;
}

/* ---- the table */

void *sql_xrealloc(void *p, size_t n)
{
    if (!(p = realloc(p, n ? n : 1))) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static bool keys_equal(struct rdd_value a, struct rdd_value b)
{
    for (uint32_t i = 0; i < a.len; i++) {
        struct rdd_value x = a.items[i], y = b.items[i];
        if ((x.kind == RDD_NONE) != (y.kind == RDD_NONE) ||
            (x.kind != RDD_NONE && sql_compare(x, y) != 0))
            return false;
    }
    return true;
}

static void grow(struct sql_groups *g)
{
    size_t mask = g->mask * 2 + 1;
    size_t *slot = sql_xrealloc(NULL, (mask + 1) * sizeof(size_t));

    memset(slot, 0, (mask + 1) * sizeof(size_t));
    for (size_t i = 0; i < g->n; i++) {
        size_t s = g->g[i].hash & mask;
        while (slot[s])
            s = (s + 1) & mask;
        slot[s] = i + 1;
    }
    free(g->slot);
    g->slot = slot;
    g->mask = mask;
}

static void buffer_init(const struct sql_groups *g, struct rdd_value *buf)
{
    for (int i = 0; i < g->agg->nfns; i++) {
        struct rdd_value *b = buf + g->first[i];
        switch (g->agg->fns[i].kind) {
        case SQL_AGG_COUNT_ALL: case SQL_AGG_COUNT:
            b[0] = rdd_int(0);
            break;
        case SQL_AGG_AVG:
            b[0] = rdd_float(0);
            b[1] = rdd_int(0);
            break;
        case SQL_AGG_FIRST: case SQL_AGG_LAST:
            b[0] = rdd_bool(false);
            b[1] = rdd_none();
            break;
        case SQL_AGG_STDDEV_SAMP: case SQL_AGG_STDDEV_POP:
        case SQL_AGG_VAR_SAMP: case SQL_AGG_VAR_POP:
            b[0] = b[1] = b[2] = rdd_float(0);
            break;
        case SQL_AGG_COUNT_DISTINCT: case SQL_AGG_COLLECT_LIST:
        case SQL_AGG_COLLECT_SET:
            b[0] = (struct rdd_value){ .kind = RDD_LIST };
            break;
        default:
            b[0] = rdd_none();
        }
    }
}

/* The group of key (a tuple in scratch: copied when new). */
static struct group *group_of(struct sql_groups *g, struct rdd_value key)
{
    uint64_t h = rdd_fast_hash(key);
    size_t s = h & g->mask;

    for (; g->slot[s]; s = (s + 1) & g->mask) {
        struct group *x = &g->g[g->slot[s] - 1];
        if (x->hash == h && keys_equal(x->key, key))
            return x;
    }
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 64;
        g->g = sql_xrealloc(g->g, g->cap * sizeof(*g->g));
    }
    struct group *x = &g->g[g->n];
    x->key = rdd_copy(g->arena, key);
    x->buf = rdd_alloc(g->arena, (size_t)(g->nslots ? g->nslots : 1) *
                       sizeof(*x->buf));
    x->hash = h;
    x->seen = g->n;
    buffer_init(g, x->buf);
    g->slot[s] = ++g->n;
    if (2 * g->n > g->mask)
        grow(g);
    return x;
}

/* ---- one row into a buffer (the partial step) */

/* x kept in the table: a string copied out of the task's scratch. */
static struct rdd_value keep(struct sql_groups *g, struct rdd_value x)
{
    return x.kind == RDD_STR ? rdd_copy(g->arena, x) : x;
}

static struct rdd_value add(struct rdd_value a, struct rdd_value b,
                            enum sql_type out)
{
    if (a.kind == RDD_NONE)
        return b;
    if (b.kind == RDD_NONE)
        return a;
    if (out == SQL_DOUBLE)
        return rdd_float((a.kind == RDD_FLOAT ? a.f : (double)a.i) +
                         (b.kind == RDD_FLOAT ? b.f : (double)b.i));
    return rdd_int((int64_t)((uint64_t)a.i + (uint64_t)b.i));  /* wraps */
}

/* x placed in a sorted list of distinct values (count(DISTINCT)). */
static void list_insert(struct sql_groups *g, struct rdd_value *l,
                        uint32_t at, struct rdd_value x)
{
    bool is_full = l->len == 0 || (l->len >= 4 && !(l->len & (l->len - 1)));

    if (is_full) {
        size_t cap = l->len ? 2 * (size_t)l->len : 4;
        struct rdd_value *items = rdd_alloc(g->arena, cap * sizeof(*items));
        if (l->len)
            memcpy(items, l->items, l->len * sizeof(*items));
        l->items = items;
    }
    memmove(l->items + at + 1, l->items + at,
            (l->len - at) * sizeof(*l->items));
    l->items[at] = keep(g, x);
    l->len++;
}

static void set_add(struct sql_groups *g, struct rdd_value *l,
                    struct rdd_value x)
{
    uint32_t lo = 0, hi = l->len;

    if (x.kind == RDD_NONE)
        return;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = sql_compare(l->items[mid], x);
        if (c == 0)
            return;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    list_insert(g, l, lo, x);
}

/* Spark's CentralMomentAgg, one value in: n, mean and M2 updated. */
static void moment_add(struct rdd_value *b, double x)
{
    double n = b[0].f + 1, delta = x - b[1].f, delta_n = delta / n;

    b[0].f = n;
    b[1].f += delta_n;
    b[2].f += delta * (delta - delta_n);
}

static void update(struct sql_groups *g, const struct sql_agg_fn *f,
                   struct rdd_value *b, struct rdd_value x)
{
    bool is_null = x.kind == RDD_NONE;

    switch (f->kind) {
    case SQL_AGG_COUNT_ALL: b[0].i++; break;
    case SQL_AGG_COUNT: b[0].i += !is_null; break;
    case SQL_AGG_SUM: b[0] = add(b[0], keep(g, x), f->out); break;
    case SQL_AGG_MIN: case SQL_AGG_MAX:
        if (!is_null && (b[0].kind == RDD_NONE ||
                         sql_compare(x, b[0]) * (f->kind == SQL_AGG_MIN ? -1
                                                 : 1) > 0))
            b[0] = keep(g, x);
        break;
    case SQL_AGG_FIRST: case SQL_AGG_LAST:
        if (!b[0].i || f->kind == SQL_AGG_LAST)
            b[0] = rdd_bool(true), b[1] = keep(g, x);
        break;
    case SQL_AGG_COLLECT_LIST:
        if (!is_null)
            list_insert(g, &b[0], b[0].len, x);
        break;
    case SQL_AGG_COUNT_DISTINCT: case SQL_AGG_COLLECT_SET:
        set_add(g, &b[0], x);
        break;
    default:
        if (is_null)
            break;
        if (f->kind == SQL_AGG_AVG) {
            b[0].f += x.kind == RDD_FLOAT ? x.f : (double)x.i;
            b[1].i++;
        } else {
            moment_add(b, x.kind == RDD_FLOAT ? x.f : (double)x.i);
        }
    }
}

void sql_groups_add_row(struct sql_groups *g, const struct rdd_value *row,
                        struct rdd_arena *scratch)
{
    const struct sql_agg *agg = g->agg;
    struct rdd_value key = rdd_tuple(scratch, (uint32_t)agg->nkeys);
    struct group *x;

    for (int i = 0; i < agg->nkeys; i++) {
        struct rdd_value v = row[agg->keys[i]];
        if (v.kind == RDD_FLOAT && (v.f == 0 || isnan(v.f)))
            v.f = v.f == 0 ? 0.0 : NAN;     /* -0.0 and every NaN: one */
        key.items[i] = v;
    }
    x = group_of(g, key);
    for (int i = 0; i < agg->nfns; i++) {
        const struct sql_agg_fn *f = &agg->fns[i];
        update(g, f, x->buf + g->first[i], f->col < 0 ? rdd_int(1)
                                                       : row[f->col]);
    }
}

/* ---- buffers merged (the final step) */

static void moment_merge(struct rdd_value *b, const struct rdd_value *o)
{
    double n1 = b[0].f, n2 = o[0].f, n = n1 + n2;
    double delta = o[1].f - b[1].f, delta_n = n == 0 ? 0 : delta / n;

    b[0].f = n;
    b[1].f += delta_n * n2;
    b[2].f += o[2].f + delta * delta_n * n1 * n2;
}

static void merge(struct sql_groups *g, const struct sql_agg_fn *f,
                  struct rdd_value *b, const struct rdd_value *o)
{
    switch (f->kind) {
    case SQL_AGG_COUNT_ALL: case SQL_AGG_COUNT: b[0].i += o[0].i; break;
    case SQL_AGG_SUM: b[0] = add(b[0], keep(g, o[0]), f->out); break;
    case SQL_AGG_AVG:
        b[0].f += o[0].f;
        b[1].i += o[1].i;
        break;
    case SQL_AGG_FIRST: case SQL_AGG_LAST:
        if (o[0].i && (!b[0].i || f->kind == SQL_AGG_LAST))
            b[0] = o[0], b[1] = keep(g, o[1]);
        break;
    case SQL_AGG_MIN: case SQL_AGG_MAX: case SQL_AGG_COUNT_DISTINCT:
    case SQL_AGG_COLLECT_SET: case SQL_AGG_COLLECT_LIST:
        if (o[0].kind != RDD_LIST) {
            update(g, f, b, o[0]);
            break;
        }
        for (uint32_t i = 0; i < o[0].len; i++)
            update(g, f, b, o[0].items[i]);
        break;
    default:
        moment_merge(b, o);
    }
}

bool sql_groups_add_buffer(struct sql_groups *g, struct rdd_value kv)
{
    struct group *x;

    if (kv.kind != RDD_TUPLE || kv.len != 2 ||
        kv.items[1].kind != RDD_TUPLE || (int)kv.items[1].len != g->nslots)
        return false;
    x = group_of(g, kv.items[0]);
    for (int i = 0; i < g->agg->nfns; i++)
        merge(g, &g->agg->fns[i], x->buf + g->first[i],
              kv.items[1].items + g->first[i]);
    return true;
}

/* The order Spark's reduce side meets a map task's groups in: it reads
 * the task's output partition by partition (pmod(murmur3(key), 200)),
 * each in the order the task's hash table holds them. */
static int by_spark_order(const void *pa, const void *pb)
{
    const struct group *a = *(struct group *const *)pa;
    const struct group *b = *(struct group *const *)pb;

    if (a->spark_part != b->spark_part)
        return a->spark_part < b->spark_part ? -1 : 1;
    return (a->seen > b->seen) - (a->seen < b->seen);
}

struct rdd_value sql_groups_partial(struct sql_groups *g, size_t i)
{
    struct rdd_value buf;
    struct group *x;

    if (!g->order) {
        g->order = sql_xrealloc(NULL, (g->n + 1) * sizeof(*g->order));
        for (size_t k = 0; k < g->n; k++) {
            g->order[k] = &g->g[k];
            g->g[k].spark_part = sql_spark_partition(g->g[k].key,
                                                     g->agg->key_types);
        }
        qsort(g->order, g->n, sizeof(*g->order), by_spark_order);
    }
    x = g->order[i];
    buf = (struct rdd_value){ .kind = RDD_TUPLE, .len = (uint32_t)g->nslots,
                              .items = x->buf };
    return rdd_pair(g->arena, x->key, buf);
}

/* ---- the results */

static struct rdd_value result(const struct sql_agg_fn *f,
                               const struct rdd_value *b)
{
    double n = b[0].f, m2 = b[2].f;

    switch (f->kind) {
    case SQL_AGG_AVG:
        return b[1].i ? rdd_float(b[0].f / (double)b[1].i) : rdd_none();
    case SQL_AGG_FIRST: case SQL_AGG_LAST: return b[1];
    case SQL_AGG_COUNT_DISTINCT: return rdd_int(b[0].len);
    case SQL_AGG_STDDEV_SAMP: case SQL_AGG_VAR_SAMP:
        if (n <= 1)                 /* Spark 3: null, not NaN, for 1 row */
            return rdd_none();
        m2 /= n - 1;
        return rdd_float(f->kind == SQL_AGG_VAR_SAMP ? m2 : sqrt(m2));
    case SQL_AGG_STDDEV_POP: case SQL_AGG_VAR_POP:
        if (n == 0)
            return rdd_none();
        return rdd_float(f->kind == SQL_AGG_VAR_POP ? m2 / n : sqrt(m2 / n));
    default:
        return b[0];
    }
}

void sql_groups_finish(struct sql_groups *g, sql_row_fn fn, void *ctx)
{
    const struct sql_agg *agg = g->agg;

    if (agg->nkeys == 0 && g->n == 0)       /* SELECT count(*) of nothing */
        group_of(g, rdd_tuple(g->arena, 0));
    for (size_t i = 0; i < g->n; i++) {     /* first seen, first out */
        struct rdd_value row = rdd_tuple(g->arena, (uint32_t)(agg->nkeys +
                                                               agg->nfns));
        for (int k = 0; k < agg->nkeys; k++)
            row.items[k] = g->g[i].key.items[k];
        for (int k = 0; k < agg->nfns; k++)
            row.items[agg->nkeys + k] = result(&agg->fns[k],
                                               g->g[i].buf + g->first[k]);
        fn(row, ctx);
    }
}
