/* test_csv.c - lib/csv against a table of tricky inputs (quotes, embedded
 * commas and newlines, CRLF, BOM, empty file, header only, short and long
 * rows), and lib/trade's parsers and generator. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "trade.h"

/* Reads every record of in and renders it as "[f1|f2]" per record, or
 * "!FILE:LINE: why" for a malformed one (or one without `expect` fields,
 * when expect > 0). */
static char *render(const char *in, size_t len, int expect)
{
    struct csv_reader r;
    struct csv_field f[16];
    char *out = NULL, field[256];
    size_t out_len = 0;
    FILE *m = open_memstream(&out, &out_len);
    int n;

    csv_init(&r, in, len, "t.csv");
    while ((n = csv_next(&r, f, 16)) != 0) {
        if (n < 0) {
            fprintf(m, "!%s", csv_error(&r));
            continue;
        }
        if (expect > 0 && n != expect) {
            fprintf(m, "!%s", csv_expect_fields(&r, expect, n));
            continue;
        }
        fputc('[', m);
        for (int i = 0; i < n && i < 16; i++) {
            csv_copy(&f[i], field, sizeof(field));
            fprintf(m, "%s%s", i ? "|" : "", field);
        }
        fputc(']', m);
    }
    fclose(m);
    return out;
}

struct csv_case {
    const char *what, *in;
    int expect;             /* fields a record must have; 0: any */
    const char *want;
};

static const struct csv_case cases[] = {
    { "plain", "a,b,c\n1,2,3\n", 0, "[a|b|c][1|2|3]" },
    { "no trailing newline", "a,b\n1,2", 0, "[a|b][1|2]" },
    { "CRLF", "a,b\r\n1,2\r\n", 0, "[a|b][1|2]" },
    { "CRLF, no last newline", "a,b\r\n1,2\r", 0, "[a|b][1|2]" },
    { "quoted comma", "\"Korea, Republic of\",5\n", 0,
      "[Korea, Republic of|5]" },
    { "doubled quotes", "\"say \"\"hi\"\"\",x\n", 0, "[say \"hi\"|x]" },
    { "embedded newline", "\"line 1\nline 2\",x\ny,z\n", 0,
      "[line 1\nline 2|x][y|z]" },
    { "embedded CRLF", "\"a\r\nb\",c\r\n", 0, "[a\r\nb|c]" },
    { "empty fields", ",,\n", 0, "[||]" },
    { "empty quoted field", "\"\",x\n", 0, "[|x]" },
    { "trailing comma at end", "a,", 0, "[a|]" },
    { "lone CR is data", "a\rb,c\n", 0, "[a\rb|c]" },
    { "BOM", "\xEF\xBB\xBF" "a,b\n", 0, "[a|b]" },
    { "empty file", "", 0, "" },
    { "header only", "Direction,Year\n", 0, "[Direction|Year]" },
    { "blank lines skipped", "a\n\n\r\nb\n", 0, "[a][b]" },
    { "short row", "a,b,c\n1,2\n4,5,6\n", 3,
      "[a|b|c]!t.csv:2: expected 3 fields, found 2[4|5|6]" },
    { "long row", "a,b,c\n1,2,3,4\n", 3,
      "[a|b|c]!t.csv:2: expected 3 fields, found 4" },
    { "line numbers count quoted newlines", "a,b\n\"x\ny\",z\n1\n", 2,
      "[a|b][x\ny|z]!t.csv:4: expected 2 fields, found 1" },
    { "unterminated quote", "a,b\n\"open,c\nd,e\n", 0,
      "[a|b]!t.csv:2: unterminated quoted field" },
    { "character after closing quote", "\"ab\"c,d\nx,y\n", 0,
      "!t.csv:1: unexpected character after a closing quote[x|y]" },
    { "quote inside unquoted field is data", "ab\"c,d\n", 0, "[ab\"c|d]" },
};

Test(csv, tricky_inputs)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = render(cases[i].in, strlen(cases[i].in),
                           cases[i].expect);
        cr_expect_str_eq(got, cases[i].want, "%s: got '%s'", cases[i].what,
                         got);
        free(got);
    }
}

Test(csv, fields_are_slices_of_the_input)
{
    const char *in = "abc,\"d,e\"\n";
    struct csv_reader r;
    struct csv_field f[2];

    csv_init(&r, in, strlen(in), "x");
    cr_assert_eq(csv_next(&r, f, 2), 2);
    cr_assert_eq(f[0].p, in);
    cr_assert_eq(f[0].len, 3);
    cr_assert_eq(f[1].p, in + 5);           /* inside the quotes */
    cr_assert_eq(f[1].len, 3);
    cr_assert(csv_equals(&f[1], "d,e"));
    cr_assert_eq(csv_next(&r, f, 2), 0);
    cr_assert_eq(csv_next(&r, f, 2), 0);    /* stays at the end */
}

Test(csv, more_fields_than_room_are_counted)
{
    const char *in = "1,2,3,4,5\n";
    struct csv_reader r;
    struct csv_field f[2];

    csv_init(&r, in, strlen(in), "x");
    cr_assert_eq(csv_next(&r, f, 2), 5);
    cr_assert(csv_equals(&f[1], "2"));
}

Test(csv, escapes_compare_and_copy)
{
    const char *in = "\"a\"\"b\"\n";
    struct csv_reader r;
    struct csv_field f[1];
    char small[3];

    csv_init(&r, in, strlen(in), "x");
    cr_assert_eq(csv_next(&r, f, 1), 1);
    cr_assert(f[0].has_escapes);
    cr_assert(csv_equals(&f[0], "a\"b"));
    cr_assert_not(csv_equals(&f[0], "a\"\"b"));
    cr_assert_eq(csv_copy(&f[0], small, sizeof(small)), 3);
    cr_assert_str_eq(small, "a\"");         /* truncated, NUL-ended */
}

Test(csv, split_cuts_at_line_starts)
{
    const char *in = "h\naaaa\nbb\ncccccc\nd\n";
    size_t len = strlen(in), cuts[5];

    csv_split(in, len, 2, 4, cuts);
    cr_assert_eq(cuts[0], 2);
    cr_assert_eq(cuts[4], len);
    for (int i = 1; i < 4; i++) {
        cr_assert(cuts[i] >= cuts[i - 1]);
        cr_assert(cuts[i] == len || in[cuts[i] - 1] == '\n', "cut %d", i);
    }
    cr_assert_eq(csv_next_line(in, len, 3), 7);
    cr_assert_eq(csv_next_line(in, len, 7), 7);
    cr_assert_eq(csv_line_at(in, 7), 3);
}

Test(csv, map_file_errors_and_empty_file)
{
    struct csv_map m;
    char path[] = "/tmp/pardemo-csv-XXXXXX";
    int fd = mkstemp(path);

    cr_assert_eq(csv_map_file("/nonexistent/x.csv", &m), -1);
    cr_assert_eq(errno, ENOENT);
    cr_assert_eq(csv_map_file("/tmp", &m), -1);
    cr_assert_eq(errno, EISDIR);
    cr_assert(fd >= 0);
    cr_assert_eq(csv_map_file(path, &m), 0);
    cr_assert_eq(m.len, 0);
    csv_unmap(&m);
    cr_assert_eq(write(fd, "a,b\n", 4), 4);
    cr_assert_eq(csv_map_file(path, &m), 0);
    cr_assert_eq(m.len, 4);
    cr_assert_eq(memcmp(m.data, "a,b\n", 4), 0);
    csv_unmap(&m);
    close(fd);
    unlink(path);
}

/* ---- lib/trade ---------------------------------------------------------- */

Test(trade, parse_int_is_strict)
{
    int64_t v;

    cr_assert_eq(trade_parse_int("0", 1, &v), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(trade_parse_int("-42", 3, &v), 0);
    cr_assert_eq(v, -42);
    cr_assert_eq(trade_parse_int("9223372036854775807", 19, &v), 0);
    cr_assert_eq(v, INT64_MAX);
    cr_assert_eq(trade_parse_int("-9223372036854775808", 20, &v), 0);
    cr_assert_eq(v, INT64_MIN);
    cr_assert_eq(trade_parse_int("9223372036854775808", 19, &v), -1);
    cr_assert_eq(trade_parse_int("", 0, &v), -1);
    cr_assert_eq(trade_parse_int("-", 1, &v), -1);
    cr_assert_eq(trade_parse_int("12a", 3, &v), -1);
    cr_assert_eq(trade_parse_int("1.5", 3, &v), -1);
    cr_assert_eq(trade_parse_int(" 1", 2, &v), -1);
}

Test(trade, dates_and_weekdays)
{
    int y, m, d;

    cr_assert_eq(trade_parse_date("29/02/2016", 10, &y, &m, &d), 0);
    cr_assert_eq(y * 10000 + m * 100 + d, 20160229);
    cr_assert_eq(trade_parse_date("29/02/2015", 10, &y, &m, &d), -1);
    cr_assert_eq(trade_parse_date("31/04/2020", 10, &y, &m, &d), -1);
    cr_assert_eq(trade_parse_date("1/1/2020", 8, &y, &m, &d), -1);
    cr_assert_eq(trade_parse_date("00/01/2020", 10, &y, &m, &d), -1);
    cr_assert_str_eq(trade_weekday_name(trade_weekday(2015, 1, 1)),
                     "Thursday");               /* the lecture's first row */
    cr_assert_str_eq(trade_weekday_name(trade_weekday(2000, 2, 29)),
                     "Tuesday");
    cr_assert_eq(trade_days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(trade_days_from_civil(2015, 1, 1), 16436);
    cr_assert_eq(trade_days_from_civil(2021, 12, 31) -
                 trade_days_from_civil(2015, 1, 1) + 1, TRADE_DAYS);
}

Test(trade, generator_is_deterministic_and_rows_fit)
{
    struct trade_gen a, b;
    char ra[TRADE_ROW_MAX], rb[TRADE_ROW_MAX];

    cr_assert_eq(trade_max_rows(), TRADE_MAX_ROWS);
    trade_gen_init(&a, 7);
    trade_gen_init(&b, 7);
    for (int i = 0; i < 100000; i++) {
        size_t na = trade_gen_row(&a, ra), nb = trade_gen_row(&b, rb);
        cr_assert_eq(na, nb);
        cr_assert(na > 40 && na < TRADE_ROW_MAX);
        cr_assert_eq(memcmp(ra, rb, na), 0);
        cr_assert_eq(ra[na - 1], '\n');
    }
}

Test(trade, in_memory_equals_stream_and_rows_check)
{
    size_t len;
    char *buf = trade_generate(3000, 11, &len);
    struct csv_reader r;
    struct csv_field f[TRADE_FIELDS];
    struct trade_row row;
    const char *why;
    int n, rows = 0;

    cr_assert_not_null(buf);
    cr_assert(!strncmp(buf, TRADE_HEADER "\n", strlen(TRADE_HEADER) + 1));
    cr_assert(!strncmp(buf + strlen(TRADE_HEADER) + 1,
                       "Exports,2015,01/01/2015,Thursday,All,All,All,$,", 47));
    csv_init(&r, buf, len, "gen");
    csv_next(&r, f, TRADE_FIELDS);
    while ((n = csv_next(&r, f, TRADE_FIELDS)) != 0) {
        cr_assert_eq(trade_check_row(f, n, &row, &why), 0, "%s", why);
        rows++;
    }
    cr_assert_eq(rows, 3000);
    free(buf);
}

Test(trade, check_row_names_the_problem)
{
    const char *in = "Exports,2016,01/01/2015,Thursday,All,All,All,$,1,1\n"
                     "Exports,2015,01/01/2015,Friday,All,All,All,$,1,1\n"
                     "Exports,2015,01/01/2015,Thursday,All,All,All,kg,1,1\n"
                     "Exports,2015,01/01/2015,Thursday,All,All,All,$,x,1\n"
                     "Nope,2015,01/01/2015,Thursday,All,All,All,$,1,1\n";
    static const char *const want[] = {
        "Year does not match Date", "Weekday does not match Date",
        "Measure is neither $ nor Tonnes", "Value is not a whole number",
        "unknown Direction",
    };
    struct csv_reader r;
    struct csv_field f[TRADE_FIELDS];
    struct trade_row row;
    const char *why;

    csv_init(&r, in, strlen(in), "x");
    for (int i = 0; i < 5; i++) {
        int n = csv_next(&r, f, TRADE_FIELDS);
        cr_assert_eq(trade_check_row(f, n, &row, &why), -1);
        cr_assert_str_eq(why, want[i]);
    }
}
