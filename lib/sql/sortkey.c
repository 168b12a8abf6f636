/* sortkey.c - ORDER BY as bytes: one memcmp orders two rows.
 * Each sort column becomes bytes whose order is the column's order: a
 * flag for null (first or last), then the value -- an integer with its
 * sign bit flipped, a double's bits made monotonic, a string with its
 * zero bytes escaped and two zeros to end it -- all inverted for DESC.
 * Spark's sorters compare such "prefixes" too; here the engine's sort
 * (lib/rdd) needs nothing but bytes.
 */
#include "sql.h"

#include <math.h>
#include <string.h>

enum { NULL_FIRST = 0x00, VALUE = 0x01, NULL_LAST = 0x02 };

static char *put_u64(char *p, uint64_t v, bool is_desc)
{
    for (int i = 7; i >= 0; i--)
        *p++ = (char)(is_desc ? ~(v >> (8 * i)) : v >> (8 * i));
    return p;
}

/* A double's bits ordered as numbers: -0.0 is 0.0, NaN above all. */
static uint64_t double_order(double d)
{
    uint64_t bits;

    if (d == 0)
        d = 0.0;
    if (isnan(d))
        d = NAN;
    memcpy(&bits, &d, 8);
    return bits >> 63 ? ~bits : bits | (1ULL << 63);
}

static char *put_string(char *p, const char *s, size_t n, bool is_desc)
{
    unsigned char x = is_desc ? 0xFF : 0x00;

    for (size_t i = 0; i < n; i++) {
        *p++ = (char)(s[i] ^ x);
        if (s[i] == 0)              /* 00 -> 00 FF: never the end mark */
            *p++ = (char)(0xFF ^ x);
    }
    *p++ = (char)x;
    *p++ = (char)x;
    return p;
}

static size_t key_bytes(const struct sql_sort_col *cols, int n,
                        const struct rdd_value *row)
{
    size_t len = 8;

    for (int i = 0; i < n; i++) {
        struct rdd_value v = row[cols[i].col];
        len += 1 + (v.kind == RDD_NONE ? 0 : v.kind == RDD_STR
                    ? 2 * (size_t)v.len + 2 : 8);
    }
    return len;
}

struct rdd_value sql_sort_key(const struct sql_sort_col *cols, int n,
                              const struct rdd_value *row,
                              const uint64_t *seq, struct rdd_arena *a)
{
    char *key = rdd_alloc(a, key_bytes(cols, n, row)), *p = key;

    for (int i = 0; i < n; i++) {
        struct rdd_value v = row[cols[i].col];
        bool is_desc = cols[i].is_desc;
        if (v.kind == RDD_NONE) {
            *p++ = cols[i].is_nulls_first ? NULL_FIRST : NULL_LAST;
            continue;
        }
        *p++ = VALUE;
        if (v.kind == RDD_STR)
            p = put_string(p, v.s, v.len, is_desc);
        else if (v.kind == RDD_FLOAT)
            p = put_u64(p, double_order(v.f), is_desc);
        else                        /* ints, booleans, dates, times */
            p = put_u64(p, (uint64_t)v.i ^ (1ULL << 63), is_desc);
    }
    if (seq)
        p = put_u64(p, *seq, false);
    return rdd_str(key, (size_t)(p - key));
}
