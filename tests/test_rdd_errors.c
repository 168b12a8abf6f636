/* test_rdd_errors.c - what the engine does with records it cannot use:
 * pair operations on records that are not pairs fail the action with the
 * error Python raises for kv[0] or `k, v = x` (python3 gives the text),
 * never a crash; sums that leave 64 bits are refused; a lineage too deep
 * to walk is a RecursionError, and a cache cuts it. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdd/rdd.h"
#include "rdd/rdd_impl.h"
#include "check.h"

/* What python3 says, "TypeError: ...", for the statement in src. */
static char *python_error(const char *stmt)
{
    char *src = NULL;
    struct cmd_out c;

    cr_assert(asprintf(&src, "try:\n    %s\nexcept Exception as e:\n"
                       "    print(type(e).__name__ + ': ' + str(e))\n",
                       stmt) >= 0);
    c = python_run(src);
    free(src);
    cr_assert_eq(c.status, 0, "%s", c.err);
    char *line = strndup(c.out, strcspn(c.out, "\n"));
    cmd_free(&c);
    return line;
}

static struct rdd *from(struct rdd_context *sc, struct rdd_arena *a,
                        const char *kinds)
{
    struct rdd_value v[4];
    size_t n = 0;

    /* one letter a record: i int 3, n None, 1 the tuple (1,), 3 the
     * tuple (1, 2, 3), p the pair (1, 2), l the list [1, 2], s 'ab' */
    for (const char *k = kinds; *k && n < 4; k++, n++) {
        if (*k == 'i')
            v[n] = rdd_int(3);
        else if (*k == 'n')
            v[n] = rdd_none();
        else if (*k == 's')
            v[n] = rdd_cstr("ab");
        else {
            uint32_t len = *k == '1' ? 1 : *k == '3' ? 3 : 2;
            v[n] = *k == 'l' ? rdd_list(a, len) : rdd_tuple(a, len);
            for (uint32_t j = 0; j < len; j++)
                v[n].items[j] = rdd_int(j + 1);
        }
    }
    return rdd_parallelize(sc, v, n, 2);
}

/* The action fails and sc->error is what python3 says for stmt. */
static void expect_python_error(struct rdd_context *sc, int rc,
                                const char *stmt)
{
    char *want = python_error(stmt);

    cr_expect_eq(rc, -1, "%s: the action did not fail", stmt);
    cr_expect_str_eq(sc->error, want, "for %s", stmt);
    free(want);
}

static int collect(struct rdd *r)
{
    struct rdd_result res;
    int rc = r ? rdd_collect(r, &res) : -1;

    rdd_result_free(&res);
    return rc;
}

Test(rdd_errors, keys_values_map_values_on_non_pairs_raise_as_python)
{
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd_arena *a = rdd_arena_new();
    struct rdd_result res;

    expect_python_error(sc, collect(rdd_keys(from(sc, a, "pi"))), "3[0]");
    expect_python_error(sc, collect(rdd_values(from(sc, a, "p1"))),
                        "(1,)[1]");
    expect_python_error(sc, collect(rdd_values(from(sc, a, "n"))),
                        "None[1]");
    expect_python_error(sc, collect(rdd_map_values(from(sc, a, "pi"),
                                                   rdd_with_one, NULL)),
                        "3[0]");
    expect_python_error(sc, rdd_count_by_key(from(sc, a, "i"), &res),
                        "3[0]");
    rdd_result_free(&res);
    /* what Python can index, it does: 'ab'[0], [1, 2][1] */
    cr_assert_eq(rdd_collect(rdd_keys(from(sc, a, "sl")), &res), 0,
                 "%s", sc->error);
    cr_assert_eq(res.n, 2);
    cr_expect(rdd_equal(res.v[0], rdd_cstr("a")));
    cr_expect(rdd_equal(res.v[1], rdd_int(1)));
    rdd_result_free(&res);
    rdd_arena_free(a);
    rdd_context_free(sc);
}

Test(rdd_errors, shuffles_of_non_pairs_raise_as_python_unpacking)
{
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd_arena *a = rdd_arena_new();

    expect_python_error(sc, collect(rdd_reduce_by_key(from(sc, a, "pi"),
                        rdd_add, NULL, 0)), "k, v = 3");
    expect_python_error(sc, collect(rdd_group_by_key(from(sc, a, "p3"), 0)),
                        "k, v = (1, 2, 3)");
    expect_python_error(sc, collect(rdd_group_by_key(from(sc, a, "1"), 0)),
                        "k, v = (1,)");
    expect_python_error(sc, collect(rdd_sort_by_key(from(sc, a, "ii"), true,
                                                    0)), "3[0]");
    /* a list of two is a pair to Python (and to PySpark's shuffles) */
    cr_expect_eq(collect(rdd_reduce_by_key(from(sc, a, "ll"), rdd_add, NULL,
                                           0)), 0, "%s", sc->error);
    rdd_arena_free(a);
    rdd_context_free(sc);
}

Test(rdd_errors, join_with_none_or_one_tuples_raises)
{
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd_arena *a = rdd_arena_new();
    struct rdd *good = from(sc, a, "pp");

    expect_python_error(sc, collect(rdd_join(from(sc, a, "n"), good, 0)),
                        "None[0]");
    expect_python_error(sc, collect(rdd_join(good, from(sc, a, "1"), 0)),
                        "(1,)[1]");
    cr_expect_eq(collect(rdd_join(good, good, 0)), 0, "%s", sc->error);
    rdd_arena_free(a);
    rdd_context_free(sc);
}

Test(rdd_errors, int_sums_past_64_bits_are_refused)
{
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd_arena *a = rdd_arena_new();
    struct rdd_value big[2] = { rdd_int(INT64_MAX), rdd_int(INT64_MAX) };
    struct rdd_value kv[2] = { rdd_pair(a, rdd_int(1), rdd_int(INT64_MAX)),
                               rdd_pair(a, rdd_int(1), rdd_int(INT64_MAX)) };
    struct rdd_result res;

    /* one partition: the task adds; two: the driver adds the parts */
    for (int parts = 1; parts <= 2; parts++) {
        cr_expect_eq(rdd_sum(rdd_parallelize(sc, big, 2, parts), &res), -1);
        rdd_result_free(&res);
        cr_expect(strstr(sc->error, "OverflowError: a sum does not fit in "
                         "64 bits"), "%s", sc->error);
        cr_expect_eq(collect(rdd_reduce_by_key(rdd_parallelize(sc, kv, 2,
                     parts), rdd_add, NULL, 1)), -1);
        cr_expect(strstr(sc->error, "OverflowError"), "%s", sc->error);
    }
    rdd_arena_free(a);
    rdd_context_free(sc);
}

static struct rdd_value plus_one(struct rdd_value x, struct rdd_arena *a,
                                 void *ctx)
{
    (void)a, (void)ctx;
    return rdd_int(x.i + 1);
}

/* 50k chained map()s and 100k union()s: a RecursionError, not a crash;
 * up to the limit the job runs; caching a part-way RDD cuts the walk. */
Test(rdd_errors, deep_lineages_are_a_recursion_error, .timeout = 120)
{
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd_value one = rdd_int(1);
    struct rdd *r = rdd_parallelize(sc, &one, 1, 1), *u = r, *ok = r;
    struct rdd_result res;
    long long n;

    for (int i = 0; i < 50000; i++) {
        r = rdd_map(r, plus_one, NULL);
        if (i == RDD_MAX_DEPTH - 10)
            ok = r;
    }
    cr_expect_eq(collect(r), -1);
    cr_expect(!strncmp(sc->error, "RecursionError: maximum recursion depth "
                       "exceeded", 39), "%s", sc->error);
    cr_assert_eq(rdd_collect(ok, &res), 0, "%s", sc->error);
    cr_expect_eq(res.v[0].i, RDD_MAX_DEPTH - 8);
    rdd_result_free(&res);
    for (int i = 0; i < 100000; i++)
        u = rdd_union(u, rdd_parallelize(sc, &one, 1, 1));
    cr_expect_eq(rdd_count(u, &n), -1);
    cr_expect(!strncmp(sc->error, "RecursionError", 14), "%s", sc->error);
    /* cached at 4000 and computed: the 4000 below it are not walked */
    r = rdd_parallelize(sc, &one, 1, 1);
    for (int i = 0; i < 2 * RDD_MAX_DEPTH - 2000; i++) {
        r = rdd_map(r, plus_one, NULL);
        if (i == RDD_MAX_DEPTH - 1000) {
            rdd_cache(r);
            cr_assert_eq(rdd_count(r, &n), 0, "%s", sc->error);
        }
    }
    cr_assert_eq(rdd_collect(r, &res), 0, "%s", sc->error);
    cr_expect_eq(res.v[0].i, 2 * RDD_MAX_DEPTH - 2000 + 1);
    rdd_result_free(&res);
    rdd_context_free(sc);
}
