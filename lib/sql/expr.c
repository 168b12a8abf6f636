/* expr.c - a column expression, evaluated in C for one row.
 * col("Value") > 100, (a + b) / 2, Country.isin(...), name LIKE 'A%':
 * the analyzer (pyspark/sql/expressions.py) typed the tree and put in the
 * casts, so each node does one thing. Notice Spark's rules where Python's
 * differ: null in, null out (but false AND null is false), x / 0 is null,
 * an int overflows by wrapping, NaN equals NaN and sorts last.
 */
#include "sql.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static struct rdd_value wrap_int(int64_t v, enum sql_type t)
{
    switch (t) {
    case SQL_BYTE:  return rdd_int((int8_t)v);
    case SQL_SHORT: return rdd_int((int16_t)v);
    case SQL_INT:   return rdd_int((int32_t)v);
    default:        return rdd_int(v);
    }
}

static double as_double(struct rdd_value v)
{
    return v.kind == RDD_FLOAT ? v.f : (double)v.i;
}

int sql_compare(struct rdd_value a, struct rdd_value b)
{
    if (a.kind == RDD_STR && b.kind == RDD_STR) {
        size_t n = a.len < b.len ? a.len : b.len;
        int c = n ? memcmp(a.s, b.s, n) : 0;
        return c ? (c > 0) - (c < 0) : (a.len > b.len) - (a.len < b.len);
    }
    if (a.kind == RDD_FLOAT || b.kind == RDD_FLOAT) {
        double x = as_double(a), y = as_double(b);
        if (isnan(x) || isnan(y))           /* NaN = NaN, above the rest */
            return isnan(x) - isnan(y);
        return (x > y) - (x < y);
    }
    if ((a.kind == RDD_INT || a.kind == RDD_BOOL) &&
        (b.kind == RDD_INT || b.kind == RDD_BOOL))
        return (a.i > b.i) - (a.i < b.i);
    return rdd_compare(a, b);
}

static struct rdd_value arith(enum sql_op op, enum sql_type t,
                              struct rdd_value a, struct rdd_value b)
{
    if (t == SQL_DOUBLE || t == SQL_FLOAT) {
        double x = as_double(a), y = as_double(b), r;
        if ((op == SQL_DIV || op == SQL_MOD) && y == 0)
            return rdd_none();
        r = op == SQL_ADD ? x + y : op == SQL_SUB ? x - y :
            op == SQL_MUL ? x * y : op == SQL_DIV ? x / y : fmod(x, y);
        return rdd_float(t == SQL_FLOAT ? (float)r : r);
    }
    /* unsigned: Java's ints wrap around, C's must not overflow */
    uint64_t x = (uint64_t)a.i, y = (uint64_t)b.i;
    switch (op) {
    case SQL_ADD: return wrap_int((int64_t)(x + y), t);
    case SQL_SUB: return wrap_int((int64_t)(x - y), t);
    case SQL_MUL: return wrap_int((int64_t)(x * y), t);
    default:
        if (b.i == 0)
            return rdd_none();
        if (b.i == -1)              /* MIN / -1 overflows in C */
            return wrap_int(op == SQL_MOD ? 0 : (int64_t)(0 - x), t);
        return wrap_int(op == SQL_DIV ? a.i / b.i : a.i % b.i, t);
    }
}

static struct rdd_value compare_op(enum sql_op op, struct rdd_value a,
                                   struct rdd_value b)
{
    int c;

    if (op == SQL_EQ_NULL_SAFE && (a.kind == RDD_NONE || b.kind == RDD_NONE))
        return rdd_bool(a.kind == b.kind);
    if (a.kind == RDD_NONE || b.kind == RDD_NONE)
        return rdd_none();
    c = sql_compare(a, b);
    switch (op) {
    case SQL_NE: return rdd_bool(c != 0);
    case SQL_LT: return rdd_bool(c < 0);
    case SQL_LE: return rdd_bool(c <= 0);
    case SQL_GT: return rdd_bool(c > 0);
    case SQL_GE: return rdd_bool(c >= 0);
    default:     return rdd_bool(c == 0);
    }
}

/* AND and OR: false AND anything is false, true OR anything is true. */
static struct rdd_value logic(const struct sql_expr *e,
                              const struct rdd_value *row,
                              struct rdd_arena *a)
{
    bool is_and = e->op == SQL_AND;
    struct rdd_value x = sql_eval(e->arg[0], row, a), y;

    if (x.kind != RDD_NONE && (x.i != 0) != is_and)
        return x;
    y = sql_eval(e->arg[1], row, a);
    if (y.kind != RDD_NONE && (y.i != 0) != is_and)
        return y;
    if (x.kind == RDD_NONE || y.kind == RDD_NONE)
        return rdd_none();
    return rdd_bool(is_and);
}

static struct rdd_value in_list(const struct sql_expr *e,
                                const struct rdd_value *row,
                                struct rdd_arena *a)
{
    struct rdd_value v = sql_eval(e->arg[0], row, a);
    bool has_null = false;

    if (v.kind == RDD_NONE)
        return v;
    for (int i = 1; i < e->nargs; i++) {
        struct rdd_value x = sql_eval(e->arg[i], row, a);
        if (x.kind == RDD_NONE)
            has_null = true;
        else if (sql_compare(v, x) == 0)
            return rdd_bool(true);
    }
    return has_null ? rdd_none() : rdd_bool(false);
}

static size_t utf8_len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

bool sql_like(const char *s, size_t n, const char *p, size_t m)
{
    size_t i = 0, j = 0, star_i = 0, star_j = SIZE_MAX;

    while (i < n) {
        if (j < m && p[j] == '%') {
            star_j = ++j;
            star_i = i;
            continue;
        }
        if (j < m && p[j] == '_') {
            i += utf8_len((unsigned char)s[i]);
            j++;
            continue;
        }
        if (j < m) {
            size_t k = p[j] == '\\' && j + 1 < m ? j + 1 : j;
            if (p[k] == s[i]) {
                i++;
                j = k + 1;
                continue;
            }
        }
        if (star_j == SIZE_MAX)
            return false;
        star_i += utf8_len((unsigned char)s[star_i]);  /* % takes one more */
        i = star_i;
        j = star_j;
    }
    while (j < m && p[j] == '%')
        j++;
    return j == m && i == n;
}

static struct rdd_value case_when(const struct sql_expr *e,
                                  const struct rdd_value *row,
                                  struct rdd_arena *a)
{
    int i;

    for (i = 0; i + 1 < e->nargs; i += 2) {
        struct rdd_value c = sql_eval(e->arg[i], row, a);
        if (c.kind != RDD_NONE && c.i)
            return sql_eval(e->arg[i + 1], row, a);
    }
    return i < e->nargs ? sql_eval(e->arg[i], row, a) : rdd_none();
}

struct rdd_value sql_eval(const struct sql_expr *e,
                          const struct rdd_value *row, struct rdd_arena *a)
{
    struct rdd_value x, y;

    switch (e->op) {
    case SQL_COL: return row[e->col];
    case SQL_LIT: return e->lit;
    case SQL_AND: case SQL_OR: return logic(e, row, a);
    case SQL_IN: return in_list(e, row, a);
    case SQL_CASE: return case_when(e, row, a);
    case SQL_COALESCE:
        for (int i = 0; i < e->nargs; i++)
            if ((x = sql_eval(e->arg[i], row, a)).kind != RDD_NONE)
                return x;
        return rdd_none();
    default:
        break;
    }
    x = sql_eval(e->arg[0], row, a);
    switch (e->op) {
    case SQL_IS_NULL: return rdd_bool(x.kind == RDD_NONE);
    case SQL_IS_NOT_NULL: return rdd_bool(x.kind != RDD_NONE);
    case SQL_CAST: return sql_cast(x, e->arg[0]->type, e->type, a);
    default: break;
    }
    if (x.kind == RDD_NONE && e->op != SQL_EQ_NULL_SAFE)
        return x;
    if (e->op == SQL_NOT)
        return rdd_bool(!x.i);
    if (e->op == SQL_NEG)
        return x.kind == RDD_FLOAT ? rdd_float(-x.f)
                                   : wrap_int((int64_t)(0 - (uint64_t)x.i),
                                              e->type);
    y = sql_eval(e->arg[1], row, a);
    if (e->op == SQL_LIKE)
        return y.kind == RDD_NONE ? y : rdd_bool(sql_like(x.s, x.len, y.s,
                                                          y.len));
    if (e->op >= SQL_EQ && e->op <= SQL_EQ_NULL_SAFE)
        return compare_op(e->op, x, y);
    if (y.kind == RDD_NONE)
        return y;
    return arith(e->op, e->type, x, y);
}
