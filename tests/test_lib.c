/* test_lib.c - unit tests of lib/: size suffixes, option ranges, stats,
 * CSV and JSON escaping, running a child program (proc_run), the team's
 * start stamp, reading a link of any length, finding data files. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "datapath.h"
#include "path.h"
#include "proc.h"
#include "report.h"
#include "stats.h"
#include "team.h"
#include "harness.h"

Test(cli, size_suffixes)
{
    const char *why;
    long long v;

    cr_assert_eq(cli_parse_size("0", &v, &why), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(cli_parse_size("17", &v, &why), 0);
    cr_assert_eq(v, 17);
    cr_assert_eq(cli_parse_size("64k", &v, &why), 0);
    cr_assert_eq(v, 65536);
    cr_assert_eq(cli_parse_size("3M", &v, &why), 0);
    cr_assert_eq(v, 3LL << 20);
    cr_assert_eq(cli_parse_size("2G", &v, &why), 0);
    cr_assert_eq(v, 2LL << 30);
    cr_assert_eq(cli_parse_size("1K", &v, &why), 0);
    cr_assert_eq(v, 1024);
}

Test(cli, size_errors_say_why)
{
    const char *why;
    long long v;

    cr_assert_eq(cli_parse_size("5X", &v, &why), -1);
    cr_assert(strstr(why, "suffix"));
    cr_assert_eq(cli_parse_size("1kk", &v, &why), -1);
    cr_assert_eq(cli_parse_size("-3", &v, &why), -1);
    cr_assert_str_eq(why, "negative");
    cr_assert_eq(cli_parse_size("", &v, &why), -1);
    cr_assert_eq(cli_parse_size("k", &v, &why), -1);
    cr_assert_eq(cli_parse_size("99999999999999999999", &v, &why), -1);
    cr_assert_str_eq(why, "too large");
    cr_assert_eq(cli_parse_size("9000000000G", &v, &why), -1);
    cr_assert_str_eq(why, "too large");
}

Test(cli, size_formatting_round_trips)
{
    char buf[32];
    long long v;
    const char *why;
    long long xs[] = { 0, 1, 1000, 1024, 65536, 3 << 20, 1LL << 30, 1536 };

    for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
        cli_fmt_size(xs[i], buf, sizeof(buf));
        cr_assert_eq(cli_parse_size(buf, &v, &why), 0);
        cr_assert_eq(v, xs[i], "%s", buf);
    }
    cr_assert_str_eq(cli_fmt_size(65536, buf, sizeof(buf)), "64k");
}

struct sample_opts {
    int window;
    int mode;
    bool is_verbose;
    struct cli_list sizes;
    const char *name;
};

static const struct cli_opt sample_opts[] = {
    { "window", 0, CLI_INT, "N", "spins", 0, 100000, NULL,
      offsetof(struct sample_opts, window) },
    { "mode", 'm', CLI_CHOICE, "M", "mode", 0, 0, "data|task|all",
      offsetof(struct sample_opts, mode) },
    { "verbose", 'v', CLI_FLAG, NULL, "more", 0, 0, NULL,
      offsetof(struct sample_opts, is_verbose) },
    { "sizes", 0, CLI_SIZES, "LIST", "sizes", 1, 1 << 20, NULL,
      offsetof(struct sample_opts, sizes) },
    { "name", 0, CLI_STR, "S", "a name", 0, 0, NULL,
      offsetof(struct sample_opts, name) },
    { 0 },
};

static const struct cli_spec sample_spec = {
    .args = "[FILE]",
    .min_args = 0, .max_args = 1, .common = CLI_COMMON,
    .size_min = 1, .size_max = 1LL << 30, .opts = sample_opts,
    .examples = "pardemo sample\n",
};

static const struct demo sample_demo = {
    .name = "sample", .summary = "a test topic", .spec = &sample_spec,
};

static int parse(struct run_params *p, struct sample_opts *o, int argc,
                 char **argv)
{
    cli_defaults(p, "sample");
    memset(o, 0, sizeof(*o));
    return cli_parse(&sample_demo, argc, argv, p, o);
}

Test(cli, parses_common_and_topic_options)
{
    struct run_params p;
    struct sample_opts o;
    char *argv[] = { "sample", "-t", "3", "--size", "2M", "-r", "7",
        "--seed=9", "--format", "json", "-q", "--window", "50", "-m", "task",
        "-v", "--sizes", "64,4k,1M", "--name", "x", "file.txt", NULL };

    cr_assert_eq(parse(&p, &o, 21, argv), -1);
    cr_assert_eq(p.threads, 3);
    cr_assert(p.threads_given);
    cr_assert_eq(p.size, 2LL << 20);
    cr_assert_eq(p.reps, 7);
    cr_assert_eq(p.seed, 9);
    cr_assert_eq(p.format, FMT_JSON);
    cr_assert(p.is_quiet);
    cr_assert_eq(o.window, 50);
    cr_assert_eq(o.mode, 1);
    cr_assert(o.is_verbose);
    cr_assert_eq(o.sizes.n, 3);
    cr_assert_eq(o.sizes.v[1], 4096);
    cr_assert_str_eq(o.name, "x");
    cr_assert_eq(p.nargs, 1);
    cr_assert_str_eq(p.args[0], "file.txt");
}

/* Each bad value: status 2 and exactly one line naming the option. */
struct bad_case {
    const char *argv[6];
    const char *expect;     /* a part of the one error line */
};

static const struct bad_case bad_cases[] = {
    { { "sample", "-t", "0" }, "--threads must be 1..1024 (got '0'" },
    { { "sample", "-t", "-2" }, "--threads must be 1..1024" },
    { { "sample", "-t", "two" }, "not a whole number" },
    { { "sample", "-t", "99999999999999999999" }, "too large" },
    { { "sample", "-n", "5X" }, "--size must be a size 1..1G (got '5X'" },
    { { "sample", "-n", "2G" }, "out of range" },
    { { "sample", "-n", "0" }, "out of range" },
    { { "sample", "-r", "0" }, "--reps must be 1..1000" },
    { { "sample", "--format", "xml" }, "--format must be one of text|csv|json" },
    { { "sample", "--window", "-1" }, "--window must be 0..100000" },
    { { "sample", "--sizes", "64,,1k" }, "--sizes must be a comma-separated" },
    { { "sample", "--sizes", "64,9M" }, "--sizes must be a size 1..1M" },
    { { "sample", "--bogus" }, "unknown option '--bogus'" },
    { { "sample", "-x" }, "unknown option '-x'" },
    { { "sample", "--threads" }, "option '--threads' needs a value" },
    { { "sample", "-t" }, "option '-t' needs a value" },
    { { "sample", "a", "b" }, "unexpected argument 'b'" },
    { { "sample", "-s", "-1" }, "--seed must be 0 or more" },
};

static int argc_of(const char *const *argv)
{
    int n = 0;

    while (n < 6 && argv[n])
        n++;
    return n;
}

Test(cli, bad_values_are_one_line_and_status_2, .init = cr_redirect_stderr)
{
    char err[8192];
    size_t i;

    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        struct run_params p;
        struct sample_opts o;
        cr_assert_eq(parse(&p, &o, argc_of(bad_cases[i].argv),
                           (char **)bad_cases[i].argv), 2, "case %zu", i);
    }
    fflush(stderr);
    FILE *f = cr_get_redirected_stderr();
    size_t n = fread(err, 1, sizeof(err) - 1, f);
    err[n] = '\0';
    cr_assert_eq(count_lines(err), sizeof(bad_cases) / sizeof(bad_cases[0]),
                 "%s", err);
    char *line = err;
    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        cr_assert(strncmp(line, "pardemo: sample: ", 17) == 0, "%s", line);
        cr_assert(strstr(line, bad_cases[i].expect), "case %zu: %s", i, line);
        line = nl + 1;
    }
}

Test(cli, help_lists_every_option_with_range, .init = cr_redirect_stdout)
{
    struct run_params p;
    struct sample_opts o;
    char *argv[] = { "sample", "--help", NULL };
    char out[8192];

    cr_assert_eq(parse(&p, &o, 2, argv), 0);
    fflush(stdout);
    size_t n = fread(out, 1, sizeof(out) - 1, cr_get_redirected_stdout());
    out[n] = '\0';
    for (const struct cli_opt *op = sample_opts; op->name; op++)
        cr_assert(strstr(out, op->name), "%s missing", op->name);
    cr_assert(strstr(out, "--threads N"));
    cr_assert(strstr(out, "1..1024"));
    cr_assert(strstr(out, "examples:"));
}

Test(cli, quick_from_environment)
{
    struct run_params p;

    setenv("PARDEMO_QUICK", "1", 1);
    cli_defaults(&p, "x");
    cr_assert(p.is_quick);
    setenv("PARDEMO_QUICK", "0", 1);
    cli_defaults(&p, "x");
    cr_assert(!p.is_quick);
    unsetenv("PARDEMO_QUICK");
}

Test(stats, known_samples)
{
    double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };
    struct stats s = stats_of(odd, 3);

    cr_assert_float_eq(s.min, 1, 1e-12);
    cr_assert_float_eq(s.median, 3, 1e-12);
    cr_assert_float_eq(s.max, 5, 1e-12);
    cr_assert_float_eq(s.mean, 3, 1e-12);
    s = stats_of(even, 4);
    cr_assert_float_eq(s.median, 2.5, 1e-12);
    s = stats_of(one, 1);
    cr_assert_float_eq(s.median, 7, 1e-12);
    s = stats_of(NULL, 0);
    cr_assert_eq(s.n, 0);
    cr_assert_float_eq(stats_speedup(2.0, 1.0), 2.0, 1e-12);
    cr_assert_float_eq(stats_speedup(2.0, 0.0), 0.0, 1e-12);
    cr_assert(even[0] == 4, "input untouched");
}

static void *note_first_clock(void *arg)
{
    *(double *)arg = clk_now();
    return NULL;
}

/* Every thread of a team starts its work after the team's start stamp:
 * a timeline measured from it never has a negative time. */
Test(team, start_stamp_precedes_every_thread)
{
    double first_s[4];
    struct team_time tt;

    for (int rep = 0; rep < 300; rep++) {
        cr_assert_eq(team_run(4, note_first_clock, first_s,
                              sizeof(first_s[0]), &tt), 0);
        for (int i = 0; i < 4; i++)
            cr_assert_geq(first_s[i], tt.start_s, "rep %d: thread %d began "
                          "%.3g s before the start stamp", rep, i,
                          tt.start_s - first_s[i]);
    }
}

static char *captured(FILE *f, char *buf, size_t len)
{
    size_t n = fread(buf, 1, len - 1, f);

    buf[n] = '\0';
    return buf;
}

Test(report, csv_escaping, .init = cr_redirect_stdout)
{
    char buf[256];

    report_csv_field(stdout, "plain");
    putchar('|');
    report_csv_field(stdout, "a,b");
    putchar('|');
    report_csv_field(stdout, "say \"hi\"");
    putchar('|');
    report_csv_field(stdout, "two\nlines");
    fflush(stdout);
    cr_assert_str_eq(captured(cr_get_redirected_stdout(), buf, sizeof(buf)),
                     "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"");
}

Test(report, json_escaping, .init = cr_redirect_stdout)
{
    char buf[256];

    report_json_string(stdout, "q\"b\\s\nt\tc\x01 µ");
    fflush(stdout);
    cr_assert_str_eq(captured(cr_get_redirected_stdout(), buf, sizeof(buf)),
                     "\"q\\\"b\\\\s\\nt\\tc\\u0001 µ\"");
}

/* Chart labels: three significant digits at every size, never an
 * exponent (the manager chart once said "7826x"). */
Test(report, sig3_round_keeps_three_digits)
{
    const struct { double v; const char *want; } cases[] = {
        { 7826, "7830" }, { 1234567, "1230000" }, { 999.6, "1000" },
        { 236.4, "236" }, { 1.824, "1.82" }, { 0.04673, "0.0467" },
        { -7826, "-7830" }, { 0, "0" }, { NAN, "-" },
    };
    char buf[32];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_assert_str_eq(report_sig3_round(cases[i].v, buf, sizeof(buf)),
                         cases[i].want, "%g", cases[i].v);
}

Test(report, utf8_width)
{
    cr_assert_eq(report_utf8_width("µs"), 2);
    cr_assert_eq(report_utf8_width("abc"), 3);
    cr_assert_eq(report_utf8_width(""), 0);
}

/* A whole report in JSON parses with python3 -m json.tool, values exact. */
Test(report, json_output_parses)
{
    char *dir = make_tmpdir(), path[512], cmd[1200];

    snprintf(path, sizeof(path), "%s/out.json", dir);
    FILE *f = freopen(path, "w", stdout);
    cr_assert(f);
    struct run_params p;
    cli_defaults(&p, "sample");
    p.format = FMT_JSON;
    struct report *r = report_begin(&p, "Title \"q\"", "idea, with comma");
    report_param(r, "threads", "%d", 2);
    struct table *t = report_table(r, "t1", "caption");
    table_col(t, "variant", "variant", U_TEXT);
    table_col(t, "seconds", "time", U_US);
    table_str(t, "a \"b\"");
    table_num(t, 0.1);
    table_str(t, "c");
    table_num(t, 1.0 / 0.0);
    table_end(t);
    report_notice(r, "first, \"quoted\"");
    report_end(r);
    fflush(stdout);
    snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys; d=json.load("
             "open(sys.argv[1])); r=d[\"tables\"][0][\"rows\"]; "
             "assert r[0][\"seconds\"]==0.1 and r[1][\"seconds\"] is None; "
             "assert [n[\"text\"] for n in d[\"notice\"]]=="
             "[\"first, \\\"quoted\\\"\"]; "
             "assert d[\"conditions\"][0][\"wall_seconds\"] >= 0' %s",
             path);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof(cmd), "python3 -m json.tool %s >/dev/null", path);
    cr_assert_eq(system(cmd), 0);
    rm_tree(dir);
    free(dir);
}

Test(report, csv_output_reads_back_with_python)
{
    char *dir = make_tmpdir(), path[512], cmd[1200];

    snprintf(path, sizeof(path), "%s/out.csv", dir);
    cr_assert(freopen(path, "w", stdout));
    struct run_params p;
    cli_defaults(&p, "sample");
    p.format = FMT_CSV;
    struct report *r = report_begin(&p, "T", "I");
    struct table *t = report_table(r, "t1", "caption");
    table_col(t, "name", "name", U_TEXT);
    table_col(t, "seconds", "time", U_MS);
    table_str(t, "x,y");
    table_num(t, 1.25e-3);
    table_end(t);
    report_end(r);
    fflush(stdout);
    snprintf(cmd, sizeof(cmd), "python3 -c 'import csv,sys; rows=[r for r in "
             "csv.reader(open(sys.argv[1])) if r and not r[0].startswith(\"#\")];"
             " assert rows==[[\"table\",\"name\",\"seconds\"],"
             "[\"t1\",\"x,y\",\"0.00125\"]], rows' %s", path);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    rm_tree(dir);
    free(dir);
}

/* ---- lib/core/proc: one way to run a program ---- */

Test(proc, captures_stdout_env_and_exit_status)
{
    char *argv[] = { "sh", "-c", "printf '%s' \"$PROC_TEST\"; exit 3", NULL };
    const char *env[] = { "PROC_TEST=hello there", NULL };
    struct proc p = { .argv = argv, .env = env,
                      .out_mode = PROC_OUT_CAPTURE };

    cr_assert_eq(proc_run(&p), 3);
    cr_assert_str_eq(p.out, "hello there");
    cr_assert_eq(p.out_len, 11);
    cr_assert_null(getenv("PROC_TEST"), "the env is the child's only");
    free(p.out);
}

Test(proc, killed_child_and_missing_program)
{
    char *kill_self[] = { "sh", "-c", "kill -TERM $$", NULL };
    char *missing[] = { "pardemo-no-such-program", NULL };
    struct proc p = { .argv = kill_self, .out_mode = PROC_OUT_NULL };

    cr_assert_eq(proc_run(&p), 128 + SIGTERM);
    p = (struct proc){ .argv = missing, .out_mode = PROC_OUT_CAPTURE };
    cr_assert_eq(proc_run(&p), 127);
    cr_assert_str_empty(p.out);
    free(p.out);
}

/* ---- lib/core/path: a symlink's target of any length ---- */

/* A target of n bytes: "/d/d/d/..." (only the link is made, never the
 * directories it names). */
static char *long_target(size_t n)
{
    char *t = malloc(n + 1);

    cr_assert_not_null(t);
    for (size_t i = 0; i < n; i++)
        t[i] = i % 2 ? 'd' : '/';
    t[n] = '\0';
    return t;
}

/* Around the helper's first buffer (256 bytes) and up to 4095 bytes, the
 * most Linux stores in a link: what the old `char self[4096]` gave up on
 * (readlink filled 4095 bytes of it). readlink(2) into a buffer larger
 * than any link is the reference. */
Test(path, read_link_returns_the_whole_target)
{
    static const size_t lens[] = { 1, 255, 256, 257, 1000, 4095 };
    char *dir = make_tmpdir(), *link, *got, ref[8192];
    ssize_t n;

    cr_assert_not_null(dir);
    cr_assert(asprintf(&link, "%s/link", dir) > 0);
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        char *want = long_target(lens[i]);
        unlink(link);
        cr_assert_eq(symlink(want, link), 0, "symlink of %zu bytes: %s",
                     lens[i], strerror(errno));
        got = path_read_link(link);
        cr_assert_not_null(got, "%zu bytes: %s", lens[i], strerror(errno));
        cr_assert_eq(strlen(got), lens[i]);
        cr_assert_str_eq(got, want);
        free(got);
        free(want);
    }
    n = readlink("/proc/self/exe", ref, sizeof(ref) - 1);
    cr_assert_gt(n, 0);
    ref[n] = '\0';
    got = path_read_link("/proc/self/exe");
    cr_assert_str_eq(got, ref);
    free(got);
    unlink(link);
    free(link);
    rm_tree(dir);
    free(dir);
}

Test(path, read_link_fails_with_errno)
{
    char *dir = make_tmpdir(), *missing;

    cr_assert_not_null(dir);
    cr_assert(asprintf(&missing, "%s/no-such-link", dir) > 0);
    errno = 0;
    cr_assert_null(path_read_link(missing));
    cr_assert_eq(errno, ENOENT);
    errno = 0;
    cr_assert_null(path_read_link(dir), "a directory is not a link");
    cr_assert_eq(errno, EINVAL);
    free(missing);
    rm_tree(dir);
    free(dir);
}

/* ---- lib/core/datapath: data files, their path malloc'd ---- */

Test(datapath, finds_a_file_in_pardemo_data)
{
    char *dir = make_tmpdir(), *sub, *file, *got;
    FILE *f;

    cr_assert_not_null(dir);
    cr_assert(asprintf(&sub, "%s/bench", dir) > 0);
    cr_assert(asprintf(&file, "%s/bench/pardemo-test-data.gp", dir) > 0);
    cr_assert_eq(mkdir(sub, 0700), 0);
    cr_assert_not_null(f = fopen(file, "w"));
    fclose(f);
    setenv("PARDEMO_DATA", dir, 1);     /* this test's own process */
    got = datapath_find("bench/pardemo-test-data.gp");
    cr_assert_str_eq(got, file);
    free(got);
    cr_assert_null(datapath_find("bench/pardemo-test-no-such-file.gp"));
    free(file);
    free(sub);
    rm_tree(dir);
    free(dir);
}
