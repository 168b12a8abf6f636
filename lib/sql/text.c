/* text.c - values as Spark writes and reads them.
 * show() prints a double as Java's Double.toString does (1.0E7, not
 * 10000000.0), a date as yyyy-MM-dd, null as NULL; a CSV field is a
 * number only if Java's Integer.parseInt or Double.parseDouble says so.
 * Notice how much of "the same number" is a convention of one language.
 */
#include "sql.h"
#include "trade.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[SQL_NTYPES] = {
    [SQL_NULL] = "void", [SQL_BOOLEAN] = "boolean", [SQL_BYTE] = "byte",
    [SQL_SHORT] = "short", [SQL_INT] = "integer", [SQL_LONG] = "long",
    [SQL_FLOAT] = "float", [SQL_DOUBLE] = "double", [SQL_STRING] = "string",
    [SQL_DATE] = "date", [SQL_TIMESTAMP] = "timestamp", [SQL_OTHER] = "other",
};

bool sql_is_integral(enum sql_type t)
{
    return t == SQL_BYTE || t == SQL_SHORT || t == SQL_INT || t == SQL_LONG;
}

bool sql_is_numeric(enum sql_type t)
{
    return sql_is_integral(t) || t == SQL_FLOAT || t == SQL_DOUBLE;
}

const char *sql_type_name(enum sql_type t)
{
    return (unsigned)t < SQL_NTYPES ? type_names[t] : NULL;
}

int sql_type_of_name(const char *name)
{
    static const struct { const char *name; enum sql_type t; } ddl[] = {
        { "int", SQL_INT }, { "bigint", SQL_LONG }, { "smallint", SQL_SHORT },
        { "tinyint", SQL_BYTE }, { "bool", SQL_BOOLEAN },
        { "real", SQL_FLOAT },
    };

    for (int t = 0; t < SQL_NTYPES; t++)
        if (!strcasecmp(name, type_names[t]))
            return t;
    for (size_t i = 0; i < sizeof(ddl) / sizeof(ddl[0]); i++)
        if (!strcasecmp(name, ddl[i].name))
            return (int)ddl[i].t;
    return -1;
}

/* ---- Java's Double.toString */

/* The shortest digits that read back as d (as Java and Python find
 * them): digits[0..*nd), and the decimal exponent of the first. */
static void shortest_digits(double d, bool is_float, char *digits, int *nd,
                            int *exp)
{
    char buf[48];
    int prec, n = 0;

    for (prec = 1; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
        if (is_float ? strtof(buf, NULL) == (float)d : strtod(buf, NULL) == d)
            break;
    }
    snprintf(buf, sizeof(buf), "%.*e", prec - 1, fabs(d));
    for (const char *p = buf; *p && *p != 'e'; p++)
        if (isdigit((unsigned char)*p))
            digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    *nd = n;
    *exp = atoi(strchr(buf, 'e') + 1);
}

/* FloatingDecimal's layout: plain for 1e-3 <= |d| < 1e7, else d.dddEx. */
static void java_text(struct rdd_buf *b, double d, bool is_float)
{
    char digits[24], out[64];
    int nd, exp, k = 0;

    if (isnan(d) || isinf(d) || d == 0) {
        const char *s = isnan(d) ? "NaN" : isinf(d) ? (d < 0 ? "-Infinity"
                        : "Infinity") : signbit(d) ? "-0.0" : "0.0";
        rdd_buf_add(b, s, strlen(s));
        return;
    }
    shortest_digits(d, is_float, digits, &nd, &exp);
    if (d < 0)
        out[k++] = '-';
    if (exp >= 0 && exp < 7) {
        for (int i = 0; i <= exp; i++)
            out[k++] = i < nd ? digits[i] : '0';
        out[k++] = '.';
        for (int i = exp + 1; i < nd; i++)
            out[k++] = digits[i];
        if (nd <= exp + 1)
            out[k++] = '0';
    } else if (exp < 0 && exp >= -3) {
        out[k++] = '0';
        out[k++] = '.';
        for (int i = -1; i > exp; i--)
            out[k++] = '0';
        for (int i = 0; i < nd; i++)
            out[k++] = digits[i];
    } else {
        out[k++] = digits[0];
        out[k++] = '.';
        for (int i = 1; i < nd; i++)
            out[k++] = digits[i];
        if (nd == 1)
            out[k++] = '0';
        k += snprintf(out + k, sizeof(out) - (size_t)k, "E%d", exp);
    }
    rdd_buf_add(b, out, (size_t)k);
}

void sql_java_double(struct rdd_buf *b, double d)
{
    java_text(b, d, false);
}

void sql_java_float(struct rdd_buf *b, float f)
{
    java_text(b, f, true);
}

/* ---- dates: days since 1970-01-01 */

/* H. Hinnant's civil_from_days (trade.c has the way back). */
static void civil_of(int64_t days, int *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;

    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

void sql_date_text(struct rdd_buf *b, int64_t days)
{
    char out[32];
    int y, m, d;

    civil_of(days, &y, &m, &d);
    rdd_buf_add(b, out, (size_t)snprintf(out, sizeof(out), "%04d-%02d-%02d",
                                          y, m, d));
}

void sql_timestamp_text(struct rdd_buf *b, int64_t micros)
{
    const int64_t day = 86400LL * 1000000;
    int64_t days = micros / day - (micros % day < 0);
    int64_t t = micros - days * day;
    char out[48];
    int k;

    sql_date_text(b, days);
    k = snprintf(out, sizeof(out), " %02d:%02d:%02d", (int)(t / 3600000000LL),
                 (int)(t / 60000000 % 60), (int)(t / 1000000 % 60));
    if (t % 1000000) {
        k += snprintf(out + k, sizeof(out) - (size_t)k, ".%06d",
                      (int)(t % 1000000));
        while (out[k - 1] == '0')
            k--;
    }
    rdd_buf_add(b, out, (size_t)k);
}

void sql_cell(struct rdd_buf *b, struct rdd_value v, enum sql_type t)
{
    char num[32];

    if (v.kind == RDD_NONE) {
        rdd_buf_add(b, "NULL", 4);
    } else if (t == SQL_BOOLEAN || v.kind == RDD_BOOL) {
        rdd_buf_add(b, v.i ? "true" : "false", v.i ? 4 : 5);
    } else if (t == SQL_DATE && v.kind == RDD_INT) {
        sql_date_text(b, v.i);
    } else if (t == SQL_TIMESTAMP && v.kind == RDD_INT) {
        sql_timestamp_text(b, v.i);
    } else if (v.kind == RDD_INT) {
        rdd_buf_add(b, num, (size_t)snprintf(num, sizeof(num), "%lld",
                                             (long long)v.i));
    } else if (v.kind == RDD_FLOAT) {
        java_text(b, v.f, t == SQL_FLOAT);
    } else if (v.kind == RDD_STR) {
        rdd_buf_add(b, v.s, v.len);
    } else {
        rdd_str_of(b, v);
    }
}

/* ---- parsing */

int sql_parse_long(const char *s, size_t n, int64_t lo, int64_t hi,
                   int64_t *out)
{
    size_t i = n && (s[0] == '-' || s[0] == '+');
    bool is_neg = n && s[0] == '-';
    uint64_t v = 0, lim = is_neg ? (uint64_t)0 - (uint64_t)lo : (uint64_t)hi;

    if (i == n)
        return -1;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (lim - (uint64_t)(s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = is_neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

/* Java's FloatingDecimal grammar (without hex): digits, point, exponent. */
static bool is_java_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0;

    while (i < n && isdigit((unsigned char)s[i]))
        i++, digits++;
    if (i < n && s[i] == '.')
        for (i++; i < n && isdigit((unsigned char)s[i]); i++)
            digits++;
    if (!digits)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = 0;
        i += i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-');
        for (i++; i < n && isdigit((unsigned char)s[i]); i++)
            e++;
        if (!e)
            return false;
    }
    return i == n;
}

int sql_parse_double(const char *s, size_t n, double *out)
{
    char buf[352];
    size_t k;
    bool is_neg;

    while (n && (unsigned char)*s <= ' ')      /* String.trim() */
        s++, n--;
    while (n && (unsigned char)s[n - 1] <= ' ')
        n--;
    is_neg = n && s[0] == '-';
    k = n && (s[0] == '-' || s[0] == '+');
    if (n - k == 3 && !memcmp(s + k, "NaN", 3)) {
        *out = NAN;
        return 0;
    }
    if (n - k == 8 && !memcmp(s + k, "Infinity", 8)) {
        *out = is_neg ? -INFINITY : INFINITY;
        return 0;
    }
    if (n > k && strchr("fFdD", s[n - 1]))
        n--;                                    /* 1.5f, 2d */
    if (n - k >= sizeof(buf) || !is_java_number(s + k, n - k))
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    return 0;
}

/* n digits (exactly, or 1..n when is_loose) at s[*i]; -1 when none. */
static int digits_at(const char *s, size_t len, size_t *i, int n,
                     bool is_loose)
{
    int v = 0, k = 0;

    while (*i < len && k < n && isdigit((unsigned char)s[*i])) {
        v = v * 10 + (s[(*i)++] - '0');
        k++;
    }
    return (k == n || (is_loose && k > 0)) ? v : -1;
}

/* One pattern letter run ("yyyy", "MM", "d"...) read into f[]. */
struct when { int y, mo, d, h, mi, s, us; };

static bool field_at(const char *s, size_t n, size_t *i, char letter,
                     int run, struct when *w)
{
    int *f = letter == 'y' ? &w->y : letter == 'M' ? &w->mo :
             letter == 'd' ? &w->d : letter == 'H' ? &w->h :
             letter == 'm' ? &w->mi : letter == 's' ? &w->s : NULL;

    if (letter == 'S') {            /* a fraction: its digits, scaled */
        size_t at = *i;
        int v = digits_at(s, n, i, run, false);
        w->us = v;
        for (size_t k = *i - at; v >= 0 && k < 6; k++)
            w->us *= 10;
        return v >= 0 && run <= 6;
    }
    if (!f)
        return false;
    *f = digits_at(s, n, i, letter == 'y' && run != 2 ? 4 : run < 2 ? 2 : run,
                   run < 2);
    if (letter == 'y' && run == 2 && *f >= 0)
        *f += 2000;
    return *f >= 0;
}

static bool is_real(const struct when *w)
{
    return w->mo >= 1 && w->mo <= 12 && w->d >= 1 &&
           w->d <= trade_days_in_month(w->y, w->mo) && w->h >= 0 &&
           w->h < 24 && w->mi >= 0 && w->mi < 60 && w->s >= 0 && w->s < 60;
}

/* s against a DateTimeFormatter pattern, strictly: every character. */
static bool by_pattern(const char *s, size_t n, const char *pat,
                       struct when *w)
{
    size_t i = 0;

    for (const char *p = pat; *p;) {
        int run = 1;
        if (*p == '\'') {           /* 'T': quoted text */
            const char *q = strchr(p + 1, '\'');
            size_t len = q ? (size_t)(q - p - 1) : strlen(p + 1);
            if (i + len > n || memcmp(s + i, p + 1, len))
                return false;
            i += len;
            p += len + (q ? 2 : 1);
            continue;
        }
        while (p[run] == *p)
            run++;
        if (strchr("yMdHmsS", *p)) {
            if (!field_at(s, n, &i, *p, run, w))
                return false;
        } else if (i >= n || s[i++] != *p || run != 1) {
            return false;
        }
        p += run;
    }
    return i == n && is_real(w);
}

int sql_parse_date(const char *s, size_t n, const char *pattern,
                   int64_t *days)
{
    struct when w = { 1970, 1, 1, 0, 0, 0, 0 };

    if (!by_pattern(s, n, pattern ? pattern : "yyyy-MM-dd", &w))
        return -1;
    *days = trade_days_from_civil(w.y, w.mo, w.d);
    return 0;
}

/* Spark's lenient stringToTimestamp: yyyy[-m[m][-d[d]]][ |T h[h]:m[m]
 * [:s[s][.f...]]], blanks around. */
static bool iso_timestamp(const char *s, size_t n, struct when *w)
{
    size_t i = 0;

    while (n && (unsigned char)s[n - 1] <= ' ')
        n--;
    while (i < n && (unsigned char)s[i] <= ' ')
        i++;
    if ((w->y = digits_at(s, n, &i, 4, false)) < 0)
        return false;
    if (i < n && s[i] == '-' && (++i, (w->mo = digits_at(s, n, &i, 2, true))
                                 < 0))
        return false;
    if (i < n && s[i] == '-' && (++i, (w->d = digits_at(s, n, &i, 2, true))
                                 < 0))
        return false;
    if (i < n && (s[i] == ' ' || s[i] == 'T')) {
        if (++i < n && ((w->h = digits_at(s, n, &i, 2, true)) < 0 || i >= n ||
                        s[i++] != ':' ||
                        (w->mi = digits_at(s, n, &i, 2, true)) < 0))
            return false;
        if (i < n && s[i] == ':' &&
            (++i, (w->s = digits_at(s, n, &i, 2, true)) < 0))
            return false;
        if (i < n && s[i] == '.') {
            size_t at = ++i;
            w->us = digits_at(s, n, &i, 6, true);
            for (size_t k = i - at; w->us >= 0 && k < 6; k++)
                w->us *= 10;
        }
    }
    return i == n && w->us >= 0 && is_real(w);
}

int sql_parse_timestamp(const char *s, size_t n, const char *pattern,
                        int64_t *micros)
{
    struct when w = { 1970, 1, 1, 0, 0, 0, 0 };

    if (pattern ? !by_pattern(s, n, pattern, &w) : !iso_timestamp(s, n, &w))
        return -1;
    *micros = ((trade_days_from_civil(w.y, w.mo, w.d) * 24LL + w.h) * 3600 +
               w.mi * 60 + w.s) * 1000000LL + w.us;
    return 0;
}
