/* test_logmine.c - pardemo logmine against python3 on the same log:
 * the mysql/php/malformed counts for 1-3 threads and 1, 2, 7 partitions;
 * the second query is served from the cache; a lost cached partition is
 * recomputed and the counts do not change. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "textgen.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

static char *make_log(long long bytes)
{
    FILE *f;
    char *path = temp_file("log", &f);

    cr_assert_eq(textgen_log_write(f, bytes, 7), 0);
    fclose(f);
    return path;
}

/* "mysql php malformed" counted by python3 */
static char *python_counts(const char *path)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "python3 -c \"import re\n"
             "d = open('%s', 'rb').read().decode('utf-8', 'surrogateescape')\n"
             "lines = re.split(r'\\r\\n|\\r|\\n', d)\n"
             "if lines and lines[-1] == '': lines.pop()\n"
             "f = [l.split('\\t') for l in lines if l.startswith('ERROR')]\n"
             "m = [p[2] for p in f if len(p) >= 3]\n"
             "print('%%d %%d %%d' %% (sum('mysql' in s for s in m), "
             "sum('php' in s for s in m), len(f) - len(m)))\"", path);
    return sh_first_line(cmd, 60);
}

/* The count column of the queries table, from --format csv. */
static void our_counts(const char *out, char *buf, size_t len)
{
    const char *row = out;
    long long n[3];

    /* the second field, after the (maybe quoted) query */
    for (int i = 0; i < 3; i++) {
        row = strstr(row, "\nqueries,") + 9;
        if (*row == '"')
            row = strstr(row + 1, "\",") + 1;
        else
            row = strchr(row, ',');
        n[i] = strtoll(row + 1, NULL, 10);
    }
    snprintf(buf, len, "%lld %lld %lld", n[0], n[1], n[2]);
}

Test(logmine, counts_equal_python, .timeout = 120)
{
    static const char *const parts[] = { "1", "2", "7" };
    static const char *const threads[] = { "1", "2", "3" };
    char *log = make_log(3 << 20), *want = python_counts(log), got[96];

    for (int t = 0; t < 3; t++) {
        for (int p = 0; p < 3; p++) {
            struct cmd_out c = RUN("logmine", log, "-t", threads[t], "-p",
                                   parts[p], "--format", "csv");
            cr_assert_eq(c.status, 0, "%s", c.err);
            our_counts(c.out, got, sizeof(got));
            cr_assert_str_eq(got, want, "-t %s -p %s", threads[t], parts[p]);
            cmd_free(&c);
        }
    }
    unlink(log);
    free(log);
    free(want);
}

Test(logmine, malformed_lines_are_counted_not_fatal)
{
    static const char data[] =
        "ERROR\t2024-03-01 00:00:01\tmysql: gone away\n"
        "ERROR\tonly two fields\n"
        "ERROR\n"
        "ERROR\t\t\n"                       /* 3 fields, empty message */
        "ERRORS are not errors? they start with ERROR\tx\tphp\r\n"
        "INFO\t2024\tmysql fine\n"
        "  ERROR\tindented\tmysql\n"
        "ERROR\tlast\tphp and mysql";
    char *path = tmp_template("malformed"), got[96], *want;
    int fd = mkstemp(path);
    struct cmd_out c;

    cr_assert_eq(write(fd, data, sizeof(data) - 1), (ssize_t)sizeof(data) - 1);
    close(fd);
    want = python_counts(path);
    cr_assert_str_eq(want, "2 2 2");
    c = RUN("logmine", path, "--format", "csv");
    cr_assert_eq(c.status, 0, "%s", c.err);
    our_counts(c.out, got, sizeof(got));
    cr_assert_str_eq(got, want);
    cmd_free(&c);
    c = RUN("logmine", path);
    cr_assert(strstr(c.out, "2 ERROR lines had fewer than 3"), "%s", c.out);
    cmd_free(&c);
    unlink(path);
    free(path);
    free(want);
}

Test(logmine, second_query_reads_the_cache)
{
    struct cmd_out c = RUN("logmine", "-n", "1M", "-p", "3", "--explain");

    char *out = unwrapped(c.out);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(out, "[Memory Deserialized 1x Replicated]"));
    cr_assert(strstr(out, "CachedPartitions: 3;"));
    cr_assert(strstr(out, "the second read 3 cached partitions of 3"),
              "%s", out);
    cr_assert_null(strstr(out, "recomputed (lost)"));
    free(out);
    cmd_free(&c);
}

Test(logmine, lost_cached_partition_recomputed_same_counts)
{
    char *log = make_log(1 << 20), a[96], b[96];
    struct cmd_out x = RUN("logmine", log, "-p", "3", "--format", "csv");
    struct cmd_out y = RUN("logmine", log, "-p", "3", "--lose", "1",
                           "--format", "csv");
    struct cmd_out z = RUN("logmine", log, "-p", "3", "--lose", "1",
                           "--explain");

    cr_assert_eq(x.status, 0);
    cr_assert_eq(y.status, 0, "%s", y.err);
    our_counts(x.out, a, sizeof(a));
    our_counts(y.out, b, sizeof(b));
    cr_assert_str_eq(a, b);
    char *zout = unwrapped(z.out);
    cr_assert(strstr(zout, "recomputed (lost)"));
    cr_assert(strstr(zout, "Lost after the first query: cached partition 1 "
                     "of RDD["), "%s", zout);
    free(zout);
    cmd_free(&x);
    cmd_free(&y);
    cmd_free(&z);
    unlink(log);
    free(log);
}

Test(logmine, missing_file_is_one_line)
{
    struct cmd_out c = RUN("logmine", "/nonexistent.log");

    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: logmine: cannot read /nonexistent.log: "
                     "No such file or directory\n");
    cmd_free(&c);
}
