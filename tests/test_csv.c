/* test_csv.c - pardemo csv against python3's csv module on the same file:
 * records.first() prints as Python prints the dict, count() and the
 * totals by Country agree for 1-2 threads and 1-3 partitions, and a bad
 * file is one line on stderr. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "trade.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

static char *make_trade(long long rows)
{
    FILE *f;
    char *path = temp_file("trade", &f);

    cr_assert_eq(trade_write(f, &(struct gen_params){ rows, 0, 3 }), 0);
    fclose(f);
    return path;
}

/* What PySpark's records.first(), count() and the totals give, computed
 * with python3's csv module, in the shapes pardemo prints them. */
static char *python_expect(const char *path)
{
    char cmd[4096];
    struct cmd_out c;
    char *s;

    snprintf(cmd, sizeof(cmd), "python3 -c \"import csv, sys, collections\n"
             "rows = list(csv.reader(open('%s', newline='')))\n"
             "head, data = rows[0], rows[1:]\n"
             "recs = [dict(zip(head, r)) for r in data if len(r) == len(head)]\n"
             "print(repr(recs[0]))\n"
             "print('counts,records.count(),%%d' %% len(data))\n"
             "t = collections.defaultdict(int)\n"
             "for r in recs:\n"
             "    if r['Measure'] == '\\$': t[r['Country']] += int(r['Value'])\n"
             "w = csv.writer(sys.stdout, lineterminator='\\n')\n"
             "for c, v in sorted(t.items(), key=lambda kv: (-kv[1], kv[0]))"
             "[:10]:\n"
             "    w.writerow(['totals', c, v])\"", path);
    c = cmd_sh(cmd, 60);
    cr_assert_eq(c.status, 0, "%s", c.err);
    s = strdup(c.out);
    cmd_free(&c);
    return s;
}

/* Each expected line must appear in got (the text and the CSV run). */
static void expect_lines(const char *want, const char *got, const char *what)
{
    for (const char *l = want; *l;) {
        size_t n = strcspn(l, "\n");
        char *line = strndup(l, n);
        cr_assert(strstr(got, line), "%s: missing line\n%s\nin:\n%s", what,
                  line, got);
        free(line);
        l += n + (l[n] == '\n');
    }
}

Test(csv, records_and_totals_equal_python, .timeout = 120)
{
    static const char *const threads[] = { "1", "2" };
    static const char *const parts[] = { "1", "3" };
    char *path = make_trade(20000), *want = python_expect(path);
    char *first = strndup(want, strcspn(want, "\n"));

    for (int t = 0; t < 2; t++) {
        for (int p = 0; p < 2; p++) {
            struct cmd_out text = RUN("csv", path, "-t", threads[t], "-p",
                                      parts[p]);
            struct cmd_out csv = RUN("csv", path, "-t", threads[t], "-p",
                                     parts[p], "--format", "csv");
            cr_assert_eq(text.status, 0, "%s", text.err);
            cr_assert_eq(csv.status, 0, "%s", csv.err);
            char *joined = unwrapped(text.out);
            cr_assert(strstr(joined, first), "first() differs:\n%s\n%s",
                      first, text.out);
            free(joined);
            cr_assert(strstr(text.out, "only showing top 5 rows"));
            expect_lines(strchr(want, '\n') + 1, csv.out, "csv");
            cmd_free(&text);
            cmd_free(&csv);
        }
    }
    unlink(path);
    free(path);
    free(want);
    free(first);
}

Test(csv, quoted_commas_are_counted_against_split)
{
    char *path = make_trade(20000);
    char cmd[1024];
    struct cmd_out c, py;

    snprintf(cmd, sizeof(cmd), "python3 -c \"\n"
             "lines = open('%s').read().split('\\n')[1:]\n"
             "print(sum(1 for l in lines if l and len(l.split(',')) != 10))\"",
             path);
    py = cmd_sh(cmd, 60);
    cr_assert_eq(py.status, 0);
    py.out[strcspn(py.out, "\n")] = '\0';
    cr_assert_neq(atoi(py.out), 0, "the trade data has quoted commas");
    c = RUN("csv", path, "--format", "csv");
    snprintf(cmd, sizeof(cmd), "counts,\"lines line.split(\"\",\"\") cuts "
             "wrongly\",%s\n", py.out);
    cr_assert(strstr(c.out, cmd), "%s\nin\n%s", cmd, c.out);
    cmd_free(&c);
    cmd_free(&py);
    unlink(path);
    free(path);
}

Test(csv, bad_files_are_one_line)
{
    char *dir = make_tmpdir(), path[300];
    struct cmd_out c;
    FILE *f;

    snprintf(path, sizeof(path), "%s/empty.csv", dir);
    fclose(fopen(path, "w"));
    c = RUN("csv", path);
    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.out);
    cr_assert(strstr(c.err, "empty.csv: empty file (expected a header "
                     "line)\n"), "%s", c.err);
    cmd_free(&c);
    snprintf(path, sizeof(path), "%s/header.csv", dir);
    f = fopen(path, "w");
    fputs(TRADE_HEADER "\n", f);
    fclose(f);
    c = RUN("csv", path);
    cr_assert_eq(c.status, 1);
    cr_assert(strstr(c.err, "header.csv: no records after the header\n"));
    cr_assert_eq(count_lines(c.err), 1);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* The slide's table is the file as a DataFrame: show(5) and printSchema
 * as Spark prints them, computed with python3 by Spark's rules
 * (inferSchema: int if every field fits 32 bits, long if 64, else string;
 * showString: right-aligned, at least 3 wide, cells cut at 20); to fit 80
 * columns the widest columns (the rightmost of equals) are dropped. */
Test(csv, dataframe_table_is_sparks_show, .timeout = 120)
{
    char *path = make_trade(3000), cmd[4096];
    struct cmd_out py, c;

    snprintf(cmd, sizeof(cmd), "python3 -c \"import csv\n"
             "rows = list(csv.reader(open('%s', newline='')))\n"
             "head, data = rows[0], rows[1:]\n"
             "def kind(i):\n"
             "    v = [r[i] for r in data]\n"
             "    if all(x.lstrip('-').isdigit() for x in v):\n"
             "        return 'integer' if all(-2**31 <= int(x) < 2**31 "
             "for x in v) else 'long'\n"
             "    return 'string'\n"
             "cut = lambda s: s if len(s) <= 20 else s[:17] + '...'\n"
             "cells = [head] + [[cut(x) for x in r] for r in data[:5]]\n"
             "w = [max(3, max(len(r[i]) for r in cells)) for i in "
             "range(len(head))]\n"
             "keep = list(range(len(head)))\n"
             "while 1 + sum(w[i] + 1 for i in keep) > 80:\n"
             "    keep.remove(max(keep, key=lambda i: (w[i], i)))\n"
             "gone = [head[i] for i in range(len(head)) if i not in keep]\n"
             "print('>>> df.drop(%%s).show(5)' %% ', '.join('\\\"%%s\\\"' "
             "%% g for g in gone) if gone else '>>> df.show(5)')\n"
             "cells = [[r[i] for i in keep] for r in cells]\n"
             "w = [w[i] for i in keep]\n"
             "sep = '+' + '+'.join('-' * x for x in w) + '+'\n"
             "line = lambda r: '|' + '|'.join(c.rjust(x) for c, x in "
             "zip(r, w)) + '|'\n"
             "print(sep); print(line(cells[0])); print(sep)\n"
             "for r in cells[1:]: print(line(r))\n"
             "print(sep); print('only showing top 5 rows'); print()\n"
             "print('>>> df.printSchema()'); print('root')\n"
             "for i, n in enumerate(head):\n"
             "    print(' |-- %%s: %%s (nullable = true)' %% (n, kind(i)))\"",
             path);
    py = cmd_sh(cmd, 60);
    cr_assert_eq(py.status, 0, "%s", py.err);
    c = RUN("csv", path, "-t", "2");
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_expect(strstr(c.out, py.out), "want\n%s\nin\n%s", py.out, c.out);
    cmd_free(&c);
    cmd_free(&py);
    unlink(path);
    free(path);
}
