/* test_gen.c - `pardemo gen trade`: same seed same bytes, weekdays and
 * Cumulative checked by Python on 10k rows, -o FILE, --bytes, and errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

Test(gen, same_seed_same_bytes)
{
    struct cmd_out a = RUN("gen", "trade", "--rows", "5000", "--seed", "7");
    struct cmd_out b = RUN("gen", "trade", "--rows", "5000", "--seed", "7");
    struct cmd_out c = RUN("gen", "trade", "--rows", "5000", "--seed", "8");

    cr_assert_eq(a.status, 0);
    cr_assert_str_empty(a.err);
    cr_assert_eq(count_lines(a.out), 5001);
    cr_assert_eq(a.out_len, b.out_len);
    cr_assert_eq(memcmp(a.out, b.out, a.out_len), 0);
    cr_assert(a.out_len != c.out_len || memcmp(a.out, c.out, a.out_len));
    cmd_free(&a);
    cmd_free(&b);
    cmd_free(&c);
}

Test(gen, python_checks_weekdays_and_cumulative)
{
    char *dir = make_tmpdir(), line[600];
    struct cmd_out g, py;

    snprintf(line, sizeof(line), "%s/t.csv", dir);
    g = RUN("gen", "trade", "--rows", "10000", "--seed", "3", "-o", line,
            "-q");
    cr_assert_eq(g.status, 0, "%s", g.err);
    cr_assert_str_empty(g.out);
    snprintf(line, sizeof(line), "python3 trade_check.py %s/t.csv", dir);
    py = cmd_sh(line, 60);
    cr_assert_eq(py.status, 0, "%s", py.err);
    cr_assert(!strncmp(py.out, "10000 ", 6), "%s", py.out);
    cr_assert(strcmp(py.out, "10000 0\n"), "no name with a comma was quoted");
    cmd_free(&g);
    cmd_free(&py);
    rm_tree(dir);
    free(dir);
}

Test(gen, output_file_equals_stdout_and_bytes_limit)
{
    char *dir = make_tmpdir(), path[300], *buf;
    struct cmd_out a = RUN("gen", "trade", "--rows", "2000");
    struct cmd_out b;
    struct stat st;
    FILE *f;

    snprintf(path, sizeof(path), "%s/x.csv", dir);
    b = RUN("gen", "trade", "--rows", "2000", "-o", path, "-q");
    cr_assert_eq(b.status, 0);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq((size_t)st.st_size, a.out_len);
    cr_assert_eq(st.st_mode & 0777, 0666 & ~(mode_t)umask(022));
    buf = malloc(a.out_len);
    f = fopen(path, "r");
    cr_assert_eq(fread(buf, 1, a.out_len, f), a.out_len);
    cr_assert_eq(memcmp(buf, a.out, a.out_len), 0);
    fclose(f);
    free(buf);
    cmd_free(&b);
    b = RUN("gen", "trade", "--bytes", "100k");
    cr_assert_eq(b.status, 0);
    cr_assert(b.out_len <= 100 * 1024 && b.out_len > 99 * 1024);
    cr_assert_eq(b.out[b.out_len - 1], '\n');
    cmd_free(&a);
    cmd_free(&b);
    rm_tree(dir);
    free(dir);
}

Test(gen, bad_input_is_one_line)
{
    struct cmd_out c = RUN("gen");

    cr_assert_eq(c.status, 2);
    cr_assert_str_eq(c.err, "pardemo: gen: missing GENERATOR; see 'pardemo "
                     "gen --help'\n");
    cmd_free(&c);
    c = RUN("gen", "nope");
    cr_assert_eq(c.status, 2);
    cr_assert_str_eq(c.err, "pardemo: gen: 'nope' is not a generator; see "
                     "'pardemo gen --help'\n");
    cmd_free(&c);
    c = RUN("gen", "trade", "--rows", "99999999");
    cr_assert_eq(c.status, 2);
    cr_assert_str_empty(c.out);
    cr_assert(strstr(c.err, "--rows must be a size 0..22092480"), "%s", c.err);
    cr_assert_eq(count_lines(c.err), 1);
    cmd_free(&c);
    c = RUN("gen", "trade", "-o", "/nonexistent/dir/x.csv");
    cr_assert_eq(c.status, 1);
    cr_assert_str_eq(c.err, "pardemo: gen trade: cannot write /nonexistent/"
                     "dir/x.csv: No such file or directory\n");
    cmd_free(&c);
    c = RUN("gen", "--help");
    cr_assert_eq(c.status, 0);
    cr_assert(strstr(c.out, "trade"));
    cmd_free(&c);
}
