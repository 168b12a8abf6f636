/* test_sql.c - lib/sql on its own: the texts Spark prints (Java's
 * Double.toString, dates, show()'s table), inferSchema's rules, Spark's
 * Murmur3 hash, LIKE, casts, and sort keys whose byte order is the
 * ORDER BY's. The references are Java's and Spark's documented outputs. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sql/sql.h"

static char *text_of_double(double d, bool is_float)
{
    static char out[64];
    struct rdd_buf b = { 0 };

    if (is_float)
        sql_java_float(&b, (float)d);
    else
        sql_java_double(&b, d);
    snprintf(out, sizeof(out), "%.*s", (int)b.len, b.s);
    rdd_buf_free(&b);
    return out;
}

/* Java's Double.toString and Float.toString. */
Test(sql, doubles_print_as_java_prints_them)
{
    static const struct { double d; const char *java; } cases[] = {
        { 1e7, "1.0E7" }, { 100.0, "100.0" }, { 0.001, "0.001" },
        { 1e-4, "1.0E-4" }, { 1.2345e-5, "1.2345E-5" },
        { 123456.789, "123456.789" }, { 9999999.0, "9999999.0" },
        { 1.0 / 3, "0.3333333333333333" }, { -0.0, "-0.0" }, { 0.0, "0.0" },
        { 5.4417e7, "5.4417E7" }, { 2.5e10, "2.5E10" }, { 1e21, "1.0E21" },
        { 12345678.9, "1.23456789E7" }, { 0.1 + 0.2, "0.30000000000000004" },
        { -2.75, "-2.75" }, { 1e16, "1.0E16" }, { INFINITY, "Infinity" },
        { -INFINITY, "-Infinity" }, { NAN, "NaN" }, { 40.73333333333333,
        "40.73333333333333" }, { 3.1722757341273704, "3.1722757341273704" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_expect_str_eq(text_of_double(cases[i].d, false), cases[i].java,
                         "%.17g", cases[i].d);
    cr_expect_str_eq(text_of_double(0.1, true), "0.1");
    cr_expect_str_eq(text_of_double(1e10, true), "1.0E10");
    cr_expect_str_eq(text_of_double(3.4028235e38, true), "3.4028235E38");
}

static char *cell(struct rdd_value v, enum sql_type t)
{
    static char out[64];
    struct rdd_buf b = { 0 };

    sql_cell(&b, v, t);
    snprintf(out, sizeof(out), "%.*s", (int)b.len, b.s);
    rdd_buf_free(&b);
    return out;
}

Test(sql, cells_are_spark_texts)
{
    cr_expect_str_eq(cell(rdd_int(16436), SQL_DATE), "2015-01-01");
    cr_expect_str_eq(cell(rdd_int(-1), SQL_DATE), "1969-12-31");
    cr_expect_str_eq(cell(rdd_int(1420070400000000LL + 1500), SQL_TIMESTAMP),
                     "2015-01-01 00:00:00.0015");
    cr_expect_str_eq(cell(rdd_int(1420077600000000LL), SQL_TIMESTAMP),
                     "2015-01-01 02:00:00");
    cr_expect_str_eq(cell(rdd_none(), SQL_LONG), "NULL");
    cr_expect_str_eq(cell(rdd_bool(true), SQL_BOOLEAN), "true");
    cr_expect_str_eq(cell(rdd_int(-42), SQL_INT), "-42");
}

static enum sql_type infer(enum sql_type so_far, const char *s)
{
    struct sql_csv o = { .null_value = "", .nan_value = "NaN",
                         .pos_inf = "Inf", .neg_inf = "-Inf" };

    return sql_csv_infer(&o, so_far, s, strlen(s));
}

/* Spark 3's CSVInferSchema: the narrowest type every field fits. */
Test(sql, infer_schema_follows_spark)
{
    cr_expect_eq(infer(SQL_NULL, "12"), SQL_INT);
    cr_expect_eq(infer(SQL_NULL, "+5"), SQL_INT);
    cr_expect_eq(infer(SQL_INT, "3000000000"), SQL_LONG);
    cr_expect_eq(infer(SQL_NULL, "-2147483648"), SQL_INT);
    cr_expect_eq(infer(SQL_NULL, "2147483648"), SQL_LONG);
    cr_expect_eq(infer(SQL_LONG, "1.5"), SQL_DOUBLE);
    cr_expect_eq(infer(SQL_DOUBLE, "7"), SQL_DOUBLE);
    cr_expect_eq(infer(SQL_NULL, "1e5"), SQL_DOUBLE);
    cr_expect_eq(infer(SQL_NULL, " 12"), SQL_DOUBLE);   /* Java trims */
    cr_expect_eq(infer(SQL_NULL, "NaN"), SQL_DOUBLE);
    cr_expect_eq(infer(SQL_NULL, "1.5d"), SQL_DOUBLE);
    cr_expect_eq(infer(SQL_INT, "abc"), SQL_STRING);
    cr_expect_eq(infer(SQL_NULL, "true"), SQL_BOOLEAN);
    cr_expect_eq(infer(SQL_NULL, "FALSE"), SQL_BOOLEAN);
    cr_expect_eq(infer(SQL_BOOLEAN, "1"), SQL_STRING);
    cr_expect_eq(infer(SQL_NULL, "2015-01-01"), SQL_DATE);
    cr_expect_eq(infer(SQL_NULL, "01/01/2015"), SQL_STRING);
    cr_expect_eq(infer(SQL_NULL, "2015-01-01 10:00:00"), SQL_TIMESTAMP);
    cr_expect_eq(infer(SQL_DATE, "2015-01-01 10:00:00"), SQL_STRING);
    cr_expect_eq(infer(SQL_NULL, ""), SQL_NULL);
    cr_expect_eq(infer(SQL_INT, ""), SQL_INT);
    cr_expect_eq(sql_csv_merge(SQL_INT, SQL_LONG), SQL_LONG);
    cr_expect_eq(sql_csv_merge(SQL_INT, SQL_DOUBLE), SQL_DOUBLE);
    cr_expect_eq(sql_csv_merge(SQL_NULL, SQL_DATE), SQL_DATE);
    cr_expect_eq(sql_csv_merge(SQL_STRING, SQL_INT), SQL_STRING);
    cr_expect_eq(sql_csv_merge(SQL_BOOLEAN, SQL_INT), SQL_NULL);
}

Test(sql, dates_parse_by_pattern)
{
    int64_t d;

    cr_assert_eq(sql_parse_date("01/02/2015", 10, "dd/MM/yyyy", &d), 0);
    cr_expect_eq(d, 16467);         /* 2015-02-01 */
    cr_expect_eq(sql_parse_date("2015-02-01", 10, NULL, &d), 0);
    cr_expect_eq(d, 16467);
    cr_expect_eq(sql_parse_date("31/02/2015", 10, "dd/MM/yyyy", &d), -1);
    cr_expect_eq(sql_parse_date("2015-2-1", 8, NULL, &d), -1);
    cr_expect_eq(sql_parse_date("1/2/2015", 8, "d/M/yyyy", &d), 0);
    cr_expect_eq(d, 16467);
}

/* Spark's hash(): the values its documentation prints. */
Test(sql, murmur3_is_sparks_hash)
{
    int32_t h = sql_murmur3_bytes("ABC", 3, 42);

    cr_expect_eq(h, -757602832);
    cr_expect_eq(sql_murmur3_bytes("DEF", 3, h), 599895104);
    cr_expect_eq(sql_murmur3_int(1, 42), -559580957);
}

Test(sql, like_matches_sql_patterns)
{
    cr_expect(sql_like("Alice", 5, "Al%", 3));
    cr_expect(sql_like("Alice", 5, "%ice", 4));
    cr_expect(sql_like("Alice", 5, "_lic_", 5));
    cr_expect(!sql_like("Alice", 5, "Al", 2));
    cr_expect(sql_like("100%", 4, "100\\%", 5));
    cr_expect(!sql_like("1000", 4, "100\\%", 5));
    cr_expect(sql_like("Zürich", 7, "Z_rich", 6));   /* _ is a character */
    cr_expect(sql_like("", 0, "%", 1));
}

static struct rdd_value cast(struct rdd_value v, enum sql_type from,
                             enum sql_type to, struct rdd_arena *a)
{
    return sql_cast(v, from, to, a);
}

/* Spark without ANSI mode: no error, null or the nearest value. */
Test(sql, casts_never_fail)
{
    struct rdd_arena *a = rdd_arena_new();
    struct rdd_value v = cast(rdd_str("12.7", 4), SQL_STRING, SQL_INT, a);

    cr_expect(v.kind == RDD_INT && v.i == 12);
    v = cast(rdd_str("x", 1), SQL_STRING, SQL_DOUBLE, a);
    cr_expect(v.kind == RDD_NONE);
    v = cast(rdd_float(1e10), SQL_DOUBLE, SQL_INT, a);
    cr_expect(v.kind == RDD_INT && v.i == INT32_MAX);
    v = cast(rdd_float(NAN), SQL_DOUBLE, SQL_LONG, a);
    cr_expect(v.kind == RDD_INT && v.i == 0);
    v = cast(rdd_str(" yes ", 5), SQL_STRING, SQL_BOOLEAN, a);
    cr_expect(v.kind == RDD_BOOL && v.i == 1);
    v = cast(rdd_float(2.5), SQL_DOUBLE, SQL_STRING, a);
    cr_expect(v.kind == RDD_STR && v.len == 3 && !memcmp(v.s, "2.5", 3));
    v = cast(rdd_int(300), SQL_INT, SQL_BYTE, a);
    cr_expect(v.kind == RDD_INT && v.i == 44);      /* wraps, as Java */
    rdd_arena_free(a);
}

static int key_cmp(struct rdd_value a, struct rdd_value b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = memcmp(a.s, b.s, n);

    return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* memcmp of two rows' keys orders them as ORDER BY does. */
Test(sql, sort_keys_order_as_order_by)
{
    struct rdd_arena *a = rdd_arena_new();
    struct sql_sort_col asc = { 0, SQL_LONG, false, true };
    struct sql_sort_col desc = { 0, SQL_DOUBLE, true, false };
    struct sql_sort_col s = { 0, SQL_STRING, false, true };
    struct rdd_value ints[] = { rdd_none(), rdd_int(INT64_MIN), rdd_int(-1),
                                rdd_int(0), rdd_int(7), rdd_int(INT64_MAX) };
    struct rdd_value dbl[] = { rdd_float(NAN), rdd_float(1e300),
                               rdd_float(0.0), rdd_float(-0.5),
                               rdd_float(-INFINITY), rdd_none() };
    struct rdd_value str[] = { rdd_none(), rdd_str("", 0), rdd_str("a", 1),
                               rdd_str("a\0", 2), rdd_str("ab", 2),
                               rdd_str("b", 1) };

    for (int i = 0; i + 1 < 6; i++) {
        cr_expect_lt(key_cmp(sql_sort_key(&asc, 1, &ints[i], NULL, a),
                             sql_sort_key(&asc, 1, &ints[i + 1], NULL, a)),
                     0, "ints %d", i);
        cr_expect_lt(key_cmp(sql_sort_key(&desc, 1, &dbl[i], NULL, a),
                             sql_sort_key(&desc, 1, &dbl[i + 1], NULL, a)),
                     0, "doubles desc nulls last %d", i);
        cr_expect_lt(key_cmp(sql_sort_key(&s, 1, &str[i], NULL, a),
                             sql_sort_key(&s, 1, &str[i + 1], NULL, a)), 0,
                     "strings %d", i);
    }
    struct rdd_value z = rdd_float(-0.0), p = rdd_float(0.0);
    cr_expect_eq(key_cmp(sql_sort_key(&desc, 1, &z, NULL, a),
                         sql_sort_key(&desc, 1, &p, NULL, a)), 0);
    rdd_arena_free(a);
}

static char *show_text(const char *const *names, int ncols,
                       const enum sql_type *types, struct rdd_value *rows,
                       size_t nrows, int n, int truncate, bool is_vertical)
{
    struct rdd_buf b = { 0 };
    char *s;

    sql_show(&b, names, ncols, types, rows, nrows, n, truncate, is_vertical);
    s = strndup(b.s ? b.s : "", b.len);
    rdd_buf_free(&b);
    return s;
}

/* Dataset.showString: a wide character counts twice, a newline is
 * written \n, a header is never cut. */
Test(sql, show_draws_sparks_table)
{
    struct rdd_arena *a = rdd_arena_new();
    const char *names[] = { "a", "a long column name" };
    enum sql_type types[] = { SQL_STRING, SQL_DOUBLE };
    struct rdd_value rows[2];
    char *s;

    for (int i = 0; i < 2; i++)
        rows[i] = rdd_tuple(a, 2);
    rows[0].items[0] = rdd_str("中文", strlen("中文"));
    rows[0].items[1] = rdd_float(1e7);
    rows[1].items[0] = rdd_str("x\ny", 3);
    rows[1].items[1] = rdd_none();
    s = show_text(names, 2, types, rows, 2, 1, 3, false);
    cr_expect_str_eq(s,
        "+----+------------------+\n"
        "|   a|a long column name|\n"
        "+----+------------------+\n"
        "|中文|               1.0|\n"
        "+----+------------------+\n"
        "only showing top 1 row\n");
    free(s);
    s = show_text(names, 2, types, rows + 1, 1, 20, 0, false);
    cr_expect_str_eq(s,
        "+----+------------------+\n"
        "|a   |a long column name|\n"
        "+----+------------------+\n"
        "|x\\ny|NULL              |\n"
        "+----+------------------+\n");
    free(s);
    rdd_arena_free(a);
}
