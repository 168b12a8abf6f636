/* join.c - df.join(other, "name", how): matching rows by key.
 * A small side is broadcast: collected on the driver, sorted by key,
 * and every task of the big side looks its rows up in it (Spark's
 * BroadcastHashJoin; here a binary search stands in for the hash). Two
 * big sides are both shuffled into key order and merged (SortMergeJoin,
 * stage.c). Either way a null key never matches: NULL = NULL is not true.
 */
#define _GNU_SOURCE
#include "sql_impl.h"

#include <stdlib.h>
#include <string.h>

static const int *keys_of(const struct sql_join *j, int side)
{
    return side == 0 ? j->left_keys : j->right_keys;
}

/* <0, 0, >0 as the key of row a (side sa) orders against b's (sb);
 * *has_null when either key holds a null. */
static int key_order(const struct sql_join *j, const struct rdd_value *a,
                     int sa, const struct rdd_value *b, int sb,
                     bool *has_null)
{
    const int *ka = keys_of(j, sa), *kb = keys_of(j, sb);

    *has_null = false;
    for (int i = 0; i < j->nkeys; i++) {
        struct rdd_value x = a[ka[i]], y = b[kb[i]];
        int c;
        if (x.kind == RDD_NONE || y.kind == RDD_NONE) {
            *has_null = true;
            c = (y.kind == RDD_NONE) - (x.kind == RDD_NONE);
        } else {
            c = sql_compare(x, y);
        }
        if (c)
            return c;
    }
    return 0;
}

bool sql_join_keys_equal(const struct sql_join *j,
                         const struct rdd_value *a, int sa,
                         const struct rdd_value *b, int sb)
{
    bool has_null;

    return key_order(j, a, sa, b, sb, &has_null) == 0 && !has_null;
}

struct build_sort {
    const struct sql_join *j;
    int side;
};

static int by_key_then_place(const void *pa, const void *pb, void *ctx)
{
    const struct build_sort *bs = ctx;
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    bool has_null;
    int c = key_order(bs->j, bs->j->build[x].items, bs->side,
                      bs->j->build[y].items, bs->side, &has_null);

    return c ? c : (x > y) - (x < y);   /* equal keys keep their order */
}

void sql_join_build(struct sql_join *j)
{
    struct build_sort bs = { j, j->is_build_left ? 0 : 1 };
    size_t n = j->nbuild, *order = sql_xrealloc(NULL, (n + 1) *
                                                sizeof(*order));
    struct rdd_value *sorted = sql_xrealloc(NULL, (n + 1) * sizeof(*sorted));

    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof(*order), by_key_then_place, &bs);
    for (size_t i = 0; i < n; i++)
        sorted[i] = j->build[order[i]];
    if (n)
        memcpy(j->build, sorted, n * sizeof(*sorted));
    free(sorted);
    free(order);
}

void sql_join_find(const struct sql_join *j, const struct rdd_value *probe,
                   size_t *lo, size_t *hi)
{
    int bside = j->is_build_left ? 0 : 1, pside = 1 - bside;
    size_t a = 0, b = j->nbuild;
    bool has_null;

    *lo = *hi = 0;
    for (int i = 0; i < j->nkeys; i++)
        if (probe[keys_of(j, pside)[i]].kind == RDD_NONE)
            return;
    while (a < b) {                 /* the first build row >= probe */
        size_t m = a + (b - a) / 2;
        if (key_order(j, j->build[m].items, bside, probe, pside,
                      &has_null) < 0)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    for (b = a; b < j->nbuild && key_order(j, j->build[b].items, bside,
                                           probe, pside, &has_null) == 0;
         b++)
        ;
    *hi = b;
}

struct rdd_value sql_join_row(const struct sql_join *j,
                              const struct rdd_value *left,
                              const struct rdd_value *right,
                              struct rdd_arena *a)
{
    struct rdd_value row = rdd_tuple(a, (uint32_t)j->nout);

    for (int i = 0; i < j->nout; i++) {
        const struct sql_join_out *o = &j->out[i];
        struct rdd_value l = left ? left[o->left_col] : rdd_none();
        struct rdd_value r = right ? right[o->right_col] : rdd_none();
        row.items[i] = o->from == 0 ? l : o->from == 1 ? r
                       : l.kind != RDD_NONE ? l : r;
    }
    return row;
}
