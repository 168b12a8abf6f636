/* scan.c - spark.read.csv: a line of text becomes a typed row.
 * inferSchema reads every line once before the query runs (a job of its
 * own) and gives each column the narrowest type all its fields fit: int,
 * then long, double, date, timestamp, boolean, else string -- Spark 3's
 * CSVInferSchema. Notice that 01/01/2015 stays a string: only yyyy-MM-dd
 * is a date unless a dateFormat says otherwise.
 */
#include "sql.h"

#include <limits.h>
#include <math.h>
#include <string.h>
#include <strings.h>

static bool is_text(const char *s, size_t n, const char *t)
{
    return t && strlen(t) == n && !memcmp(s, t, n);
}

static bool is_bool(const char *s, size_t n)
{
    return (n == 4 && !strncasecmp(s, "true", 4)) ||
           (n == 5 && !strncasecmp(s, "false", 5));
}

/* tryParseDate's chain on from date: timestamp, boolean, string. */
static enum sql_type after_double(const struct sql_csv *o, const char *s,
                                  size_t n)
{
    int64_t x;

    if (!sql_parse_date(s, n, o->date_format, &x))
        return SQL_DATE;
    if (!sql_parse_timestamp(s, n, o->timestamp_format, &x))
        return SQL_TIMESTAMP;
    return is_bool(s, n) ? SQL_BOOLEAN : SQL_STRING;
}

static enum sql_type try_from(const struct sql_csv *o, enum sql_type t,
                              const char *s, size_t n)
{
    int64_t i;
    double d;

    switch (t) {
    case SQL_NULL: case SQL_INT:
        if (!sql_parse_long(s, n, INT32_MIN, INT32_MAX, &i))
            return SQL_INT;
        /* fall through */
    case SQL_LONG:
        if (!sql_parse_long(s, n, INT64_MIN, INT64_MAX, &i))
            return SQL_LONG;
        /* (past a long, Spark tries a decimal; pardemo has none) */
        /* fall through */
    case SQL_DOUBLE:
        if (!sql_parse_double(s, n, &d) || is_text(s, n, o->nan_value) ||
            is_text(s, n, o->pos_inf) || is_text(s, n, o->neg_inf))
            return SQL_DOUBLE;
        return after_double(o, s, n);
    case SQL_DATE:
        return after_double(o, s, n);
    case SQL_TIMESTAMP:
        if (!sql_parse_timestamp(s, n, o->timestamp_format, &i))
            return SQL_TIMESTAMP;
        /* fall through */
    case SQL_BOOLEAN:
        return is_bool(s, n) ? SQL_BOOLEAN : SQL_STRING;
    default:
        return SQL_STRING;
    }
}

/* TypeCoercion.findTightestCommonType, then the CSV rules; -1: none. */
static int common_type(enum sql_type a, enum sql_type b)
{
    if (a == b || b == SQL_NULL)
        return (int)a;
    if (a == SQL_NULL)
        return (int)b;
    if ((a == SQL_DATE && b == SQL_TIMESTAMP) ||
        (a == SQL_TIMESTAMP && b == SQL_DATE) ||
        a == SQL_STRING || b == SQL_STRING)
        return SQL_STRING;
    if (sql_is_numeric(a) && sql_is_numeric(b))
        return (int)(a > b ? a : b);    /* the enum is in widening order */
    return -1;
}

enum sql_type sql_csv_infer(const struct sql_csv *o, enum sql_type so_far,
                            const char *s, size_t n)
{
    int t;

    if (n == 0 || is_text(s, n, o->null_value))
        return so_far;
    t = common_type(so_far, try_from(o, so_far, s, n));
    return t < 0 ? SQL_STRING : (enum sql_type)t;
}

enum sql_type sql_csv_merge(enum sql_type a, enum sql_type b)
{
    int t = common_type(a, b);

    return t < 0 ? SQL_NULL : (enum sql_type)t;
}

static bool integral_value(enum sql_type t, const char *s, size_t n,
                           struct rdd_value *out)
{
    static const int64_t hi[] = { [SQL_BYTE] = INT8_MAX,
        [SQL_SHORT] = INT16_MAX, [SQL_INT] = INT32_MAX,
        [SQL_LONG] = INT64_MAX };
    int64_t i;

    if (sql_parse_long(s, n, -hi[t] - 1, hi[t], &i) < 0)
        return false;
    *out = rdd_int(i);
    return true;
}

static bool double_value(const struct sql_csv *o, const char *s, size_t n,
                         struct rdd_value *out)
{
    double d;

    if (is_text(s, n, o->nan_value))
        d = NAN;
    else if (is_text(s, n, o->pos_inf))
        d = INFINITY;
    else if (is_text(s, n, o->neg_inf))
        d = -INFINITY;
    else if (sql_parse_double(s, n, &d) < 0)
        return false;
    *out = rdd_float(d);
    return true;
}

bool sql_csv_value(const struct sql_csv *o, enum sql_type t, const char *s,
                   size_t n, struct rdd_arena *a, struct rdd_value *out)
{
    int64_t x;

    (void)a;
    if (is_text(s, n, o->null_value) || (n == 0 && !o->null_value)) {
        *out = rdd_none();
        return true;
    }
    switch (t) {
    case SQL_BYTE: case SQL_SHORT: case SQL_INT: case SQL_LONG:
        return integral_value(t, s, n, out);
    case SQL_FLOAT: case SQL_DOUBLE:
        if (!double_value(o, s, n, out))
            return false;
        if (t == SQL_FLOAT)
            out->f = (float)out->f;
        return true;
    case SQL_BOOLEAN:
        *out = rdd_bool(n == 4);
        return is_bool(s, n);
    case SQL_DATE:
        if (sql_parse_date(s, n, o->date_format, &x) < 0)
            return false;
        *out = rdd_int(x);
        return true;
    case SQL_TIMESTAMP:
        if (sql_parse_timestamp(s, n, o->timestamp_format, &x) < 0)
            return false;
        *out = rdd_int(x);
        return true;
    default:
        *out = rdd_str(s, n);
        return true;
    }
}
