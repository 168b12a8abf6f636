/* hash.c - where Spark sends a row: pmod(murmur3(key), 200).
 * Spark's hash partitioning hashes the grouping key with Murmur3 (seed
 * 42, column after column) and takes it modulo spark.sql.shuffle.
 * partitions. pardemo does the same, so groupBy's rows come out in the
 * order Spark's do (agg.c).
 */
#include "sql.h"

#include <math.h>
#include <string.h>

enum { SPARK_PARTITIONS = 200, ROW_SEED = 42 };

static uint32_t rotl(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t mix_k1(uint32_t k1)
{
    return rotl(k1 * 0xcc9e2d51u, 15) * 0x1b873593u;
}

static uint32_t mix_h1(uint32_t h1, uint32_t k1)
{
    return rotl(h1 ^ k1, 13) * 5 + 0xe6546b64u;
}

static int32_t fmix(uint32_t h1, uint32_t len)
{
    h1 ^= len;
    h1 ^= h1 >> 16;
    h1 *= 0x85ebca6bu;
    h1 ^= h1 >> 13;
    h1 *= 0xc2b2ae35u;
    h1 ^= h1 >> 16;
    return (int32_t)h1;
}

int32_t sql_murmur3_int(int32_t v, int32_t seed)
{
    return fmix(mix_h1((uint32_t)seed, mix_k1((uint32_t)v)), 4);
}

int32_t sql_murmur3_long(int64_t v, int32_t seed)
{
    uint32_t h1 = mix_h1((uint32_t)seed, mix_k1((uint32_t)v));

    return fmix(mix_h1(h1, mix_k1((uint32_t)((uint64_t)v >> 32))), 8);
}

/* Murmur3_x86_32.hashUnsafeBytes: the words, then each byte left over
 * as a word of its own (sign-extended: Java's bytes are signed). */
int32_t sql_murmur3_bytes(const char *s, size_t n, int32_t seed)
{
    uint32_t h1 = (uint32_t)seed, w;
    size_t i;

    for (i = 0; i + 4 <= n; i += 4) {
        memcpy(&w, s + i, 4);           /* little-endian, as on x86 */
        h1 = mix_h1(h1, mix_k1(w));
    }
    for (; i < n; i++)
        h1 = mix_h1(h1, mix_k1((uint32_t)(int32_t)(signed char)s[i]));
    return fmix(h1, (uint32_t)n);
}

int32_t sql_murmur3_value(struct rdd_value v, enum sql_type t, int32_t seed)
{
    float f;
    int32_t fbits;
    double d;
    int64_t dbits;

    if (v.kind == RDD_NONE)
        return seed;
    switch (t) {
    case SQL_LONG: case SQL_TIMESTAMP:
        return sql_murmur3_long(v.i, seed);
    case SQL_FLOAT:
        f = v.f == 0 ? 0.0f : isnan(v.f) ? NAN : (float)v.f;
        memcpy(&fbits, &f, 4);
        return sql_murmur3_int(isnan(f) ? 0x7fc00000 : fbits, seed);
    case SQL_DOUBLE:
        d = v.f == 0 ? 0.0 : v.f;       /* -0.0 hashes as 0.0 */
        memcpy(&dbits, &d, 8);
        return sql_murmur3_long(isnan(d) ? 0x7ff8000000000000LL : dbits,
                                seed);
    case SQL_STRING:
        return sql_murmur3_bytes(v.s, v.len, seed);
    default:                            /* boolean, byte...int, date */
        return sql_murmur3_int((int32_t)v.i, seed);
    }
}

int sql_spark_partition(struct rdd_value key, const enum sql_type *types)
{
    int32_t h = ROW_SEED;

    for (uint32_t i = 0; i < key.len; i++)
        h = sql_murmur3_value(key.items[i], types[i], h);
    return ((h % SPARK_PARTITIONS) + SPARK_PARTITIONS) % SPARK_PARTITIONS;
}

int64_t sql_agg_partition(struct rdd_value key, void *ctx)
{
    const struct sql_agg *agg = ctx;

    return (int64_t)sql_spark_partition(key, agg->key_types) * agg->nparts /
           SPARK_PARTITIONS;
}
