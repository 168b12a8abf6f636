/* test_spark_range.c - sc.parallelize(range(...)) is sliced arithmetically,
 * as PySpark slices a range: no list is built, and every partition holds
 * what Spark's [i*n/k, (i+1)*n/k) rule puts there, for any sign of step,
 * empty ranges, more slices than numbers, and ranges too large to list; a
 * list is sliced in PySpark's batches. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdd/rdd.h"
#include "check.h"

/* (start, stop, step, slices) */
static const int64_t ranges[][4] = {
    { 0, 10, 1, 3 }, { 0, 10, 1, 1 }, { 0, 10, 1, 4 }, { 0, 3, 1, 5 },
    { 5, 5, 1, 3 }, { 10, 0, 1, 2 }, { 10, -3, -2, 4 }, { -7, 20, 3, 3 },
    { 20, -7, -3, 7 }, { 0, 1, 1, 2 }, { 1, 100, 7, 6 }, { 0, 0, -1, 1 },
};

/* Every partition, as PySpark makes it: a range sliced by Spark's rule
 * (slice i holds [i*n/k, (i+1)*n/k) of its numbers), a list cut first in
 * batches of max(1, min(n // k, 1024)) records, the batches sliced by
 * that rule. python3 slices the same lists by those rules. */
Test(spark_range, partitions_are_pysparks, .timeout = 600)
{
    char src[8192] = "", ref[8192] = "", line[600];

    strcat(ref, "def batched(l, k):\n"
                "    b = max(1, min(len(l) // k, 1024))\n"
                "    bs = [l[i:i + b] for i in range(0, len(l), b)]\n"
                "    return [sum(bs[i * len(bs) // k:(i + 1) * len(bs) // k],"
                " []) for i in range(k)]\n");
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        const int64_t *r = ranges[i];
        snprintf(line, sizeof(line),
                 "print(sc.parallelize(range(%lld, %lld, %lld), %lld)"
                 ".glom().collect())\n"
                 "print(sc.parallelize(list(range(%lld, %lld, %lld)), %lld)"
                 ".glom().collect())\n",
                 (long long)r[0], (long long)r[1], (long long)r[2],
                 (long long)r[3], (long long)r[0], (long long)r[1],
                 (long long)r[2], (long long)r[3]);
        strcat(src, line);
        snprintf(line, sizeof(line),
                 "l = list(range(%lld, %lld, %lld)); k = %lld\n"
                 "print([l[i * len(l) // k:(i + 1) * len(l) // k] "
                 "for i in range(k)])\nprint(batched(l, k))\n",
                 (long long)r[0], (long long)r[1], (long long)r[2],
                 (long long)r[3]);
        strcat(ref, line);
    }
    const char *args[] = { "spark", "-t", "2", "-c", src, NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 300);
    cr_assert_eq(c.status, 0, "%s", c.err);
    struct cmd_out py = python_run(ref);
    cr_assert_eq(py.status, 0, "%s", py.err);
    cr_assert_str_eq(c.out, py.out);
    cmd_free(&py);
    cmd_free(&c);
}

/* Laziness: numbers are made per partition, so a range too large to list
 * is fine for take and count; the lineage names the same RDD class. */
Test(spark_range, large_ranges_are_never_listed, .timeout = 600)
{
    static const char src[] =
        "r = sc.parallelize(range(10 ** 15), 3)\n"
        "print(r.take(3), r.getNumPartitions())\n"
        "print(sc.parallelize(range(0, 10 ** 15, 10 ** 12), 3).count())\n"
        "print(sc.parallelize(range(10 ** 15, 0, -1), 4).map(lambda x: x % 7)"
        ".take(2))\n"
        "print(r.toDebugString().decode().split(' at ')[0])\n";
    const char *args[] = { "spark", "-t", "2", "-c", src, NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 300);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "[0, 1, 2] 3\n1000\n[6, 5]\n"
                            "(3) ParallelCollectionRDD[0]\n");
    cmd_free(&c);
}

/* The engine's own API, at the edges of int64_t: glom() is a partition
 * emitted as one list. */
static void glom(const struct rdd_value *xs, size_t n, struct rdd_sink *out,
                 void *ctx)
{
    struct rdd_value l = rdd_list(rdd_sink_arena(out), (uint32_t)n);

    (void)ctx;
    if (n)      /* an empty partition's xs may be NULL */
        memcpy(l.items, xs, n * sizeof(*xs));
    rdd_emit(out, l);
}

static char *glom_repr(struct rdd *r)
{
    struct rdd_result res;
    struct rdd_buf b = { 0 };

    cr_assert_eq(rdd_collect(rdd_map_partitions(r, glom, NULL), &res), 0);
    rdd_repr_list(&b, res.v, res.n);
    rdd_result_free(&res);
    return b.s;
}

Test(spark_range, engine_range_matches_parallelize_at_int64_edges)
{
    struct rdd_context *sc = rdd_context_new(2);
    const int64_t lo = INT64_MIN, hi = INT64_MAX;
    const int64_t step = hi / 3 + 1;    /* 6 numbers from lo up to hi */
    struct rdd_value v[8];
    size_t n = 0;

    for (int64_t x = lo; n < 8; x += step) {
        v[n++] = rdd_int(x);
        if (x > hi - step)
            break;
    }
    cr_assert_eq(rdd_range_len(lo, hi, step), n);
    cr_assert_eq(rdd_range_len(hi, lo, -step), n);
    cr_assert_eq(rdd_range_len(0, hi, 1), (uint64_t)hi);
    cr_assert_eq(rdd_range_len(lo, hi, 1), UINT64_MAX);
    cr_assert_eq(rdd_range_len(3, 3, 1), 0);
    char *got = glom_repr(rdd_range(sc, lo, hi, step, 4));
    char *want = glom_repr(rdd_parallelize(sc, v, n, 4));
    cr_assert_str_eq(got, want);
    free(got);
    free(want);
    rdd_context_free(sc);
}
