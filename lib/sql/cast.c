/* cast.c - CAST(x AS type) as Spark 3 does it without ANSI mode.
 * A string that is not a number becomes null rather than an error;
 * '12.7' cast to int is 12; a double too big for an int stops at its
 * limit, as Java's (int) does. Notice that a cast never fails a query.
 */
#include "sql.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <strings.h>

static const int64_t DAY_MICROS = 86400LL * 1000000;

static void trim(const char **s, size_t *n)
{
    while (*n && (unsigned char)**s <= ' ')
        (*s)++, (*n)--;
    while (*n && (unsigned char)(*s)[*n - 1] <= ' ')
        (*n)--;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static struct rdd_value narrow(int64_t v, enum sql_type to)
{
    switch (to) {
    case SQL_BYTE:  return rdd_int((int8_t)v);
    case SQL_SHORT: return rdd_int((int16_t)v);
    case SQL_INT:   return rdd_int((int32_t)v);
    default:        return rdd_int(v);
    }
}

/* UTF8String.toLong: blanks around, a sign, digits, a fraction dropped. */
static struct rdd_value integral_of_text(const char *s, size_t n,
                                         enum sql_type to)
{
    static const int64_t hi[] = { [SQL_BYTE] = INT8_MAX,
        [SQL_SHORT] = INT16_MAX, [SQL_INT] = INT32_MAX,
        [SQL_LONG] = INT64_MAX };
    size_t end, k;
    int64_t v;

    trim(&s, &n);
    end = n;
    for (k = (n && (s[0] == '-' || s[0] == '+')); k < n; k++)
        if (s[k] == '.') {
            end = k;
            for (k++; k < n && isdigit((unsigned char)s[k]); k++)
                ;
            if (k != n)
                return rdd_none();
            break;
        }
    if (sql_parse_long(s, end, -hi[to] - 1, hi[to], &v) < 0)
        return rdd_none();
    return rdd_int(v);
}

/* Java's (int) and (long) of a double: NaN is 0, the rest saturates. */
static struct rdd_value integral_of_double(double d, enum sql_type to)
{
    if (isnan(d))
        return rdd_int(0);
    if (to == SQL_LONG)
        return rdd_int(d >= 0x1p63 ? INT64_MAX : d <= -0x1p63 ? INT64_MIN
                       : (int64_t)d);
    return narrow(d >= INT32_MAX ? INT32_MAX : d <= INT32_MIN ? INT32_MIN
                  : (int32_t)d, to);
}

static struct rdd_value double_of_text(const char *s, size_t n)
{
    static const char *const inf[] = { "inf", "+inf", "infinity",
                                       "+infinity" };
    double d;

    trim(&s, &n);
    for (int i = 0; i < 4; i++)
        if (n == strlen(inf[i]) && !strncasecmp(s, inf[i], n))
            return rdd_float(INFINITY);
    if ((n == 4 && !strncasecmp(s, "-inf", 4)) ||
        (n == 9 && !strncasecmp(s, "-infinity", 9)))
        return rdd_float(-INFINITY);
    if (n == 3 && !strncasecmp(s, "nan", 3))
        return rdd_float(NAN);
    return sql_parse_double(s, n, &d) < 0 ? rdd_none() : rdd_float(d);
}

static struct rdd_value bool_of_text(const char *s, size_t n)
{
    static const char *const yes[] = { "t", "true", "y", "yes", "1" };
    static const char *const no[] = { "f", "false", "n", "no", "0" };

    trim(&s, &n);
    for (int i = 0; i < 5; i++) {
        if (n == strlen(yes[i]) && !strncasecmp(s, yes[i], n))
            return rdd_bool(true);
        if (n == strlen(no[i]) && !strncasecmp(s, no[i], n))
            return rdd_bool(false);
    }
    return rdd_none();
}

static struct rdd_value text_of(struct rdd_value v, enum sql_type from,
                                struct rdd_arena *a)
{
    struct rdd_buf b = { 0 };
    size_t n;
    char *s;

    sql_cell(&b, v, from);
    n = b.len;
    s = rdd_alloc(a, n + 1);
    memcpy(s, b.s ? b.s : "", n);
    s[n] = '\0';
    rdd_buf_free(&b);
    return rdd_str(s, n);
}

static struct rdd_value of_text(struct rdd_value v, enum sql_type to)
{
    int64_t t;

    switch (to) {
    case SQL_BOOLEAN: return bool_of_text(v.s, v.len);
    case SQL_FLOAT: case SQL_DOUBLE: return double_of_text(v.s, v.len);
    case SQL_DATE: case SQL_TIMESTAMP:
        if (sql_parse_timestamp(v.s, v.len, NULL, &t) < 0)
            return rdd_none();
        return rdd_int(to == SQL_DATE ? floor_div(t, DAY_MICROS) : t);
    default:
        return sql_is_integral(to) ? integral_of_text(v.s, v.len, to)
                                   : rdd_none();
    }
}

/* A number (integral, boolean or floating) or a time as another. */
static struct rdd_value of_number(struct rdd_value v, enum sql_type from,
                                  enum sql_type to)
{
    bool is_float = v.kind == RDD_FLOAT;
    double d = is_float ? v.f : (double)v.i;

    if (from == SQL_TIMESTAMP && to != SQL_DATE) {  /* seconds */
        d = (double)v.i / 1e6;
        v = rdd_int(floor_div(v.i, 1000000));
    }
    switch (to) {
    case SQL_BOOLEAN: return rdd_bool(is_float ? d != 0 : v.i != 0);
    case SQL_DOUBLE: return rdd_float(d);
    case SQL_FLOAT: return rdd_float((float)d);
    case SQL_DATE:
        return from == SQL_TIMESTAMP ? rdd_int(floor_div(v.i, DAY_MICROS))
                                     : rdd_none();
    case SQL_TIMESTAMP:
        if (from == SQL_DATE)
            return rdd_int(v.i * DAY_MICROS);
        return is_float ? rdd_int((int64_t)(d * 1e6)) : rdd_int(v.i * 1000000);
    default:
        return is_float ? integral_of_double(d, to) : narrow(v.i, to);
    }
}

struct rdd_value sql_cast(struct rdd_value v, enum sql_type from,
                          enum sql_type to, struct rdd_arena *a)
{
    if (v.kind == RDD_NONE || from == to || to == SQL_OTHER)
        return v;
    if (to == SQL_STRING)
        return text_of(v, from, a);
    if (v.kind == RDD_STR)
        return of_text(v, to);
    return of_number(v, from, to);
}
