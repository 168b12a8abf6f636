/* test_bad_input.c - every row of bad_input.tsv: the right exit status,
 * exactly one line on stderr matching the row's pattern, nothing on stdout,
 * and nothing half-written in the fixture directory. */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static void write_file(const char *dir, const char *name, const char *data,
                       size_t len)
{
    char path[600];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f, "%s", path);
    fwrite(data, 1, len, f);
    fclose(f);
}

/* Two dollar rows of one country, each with this Value. */
static void write_trade(const char *dir, const char *name, const char *value)
{
    char data[600];
    int n = snprintf(data, sizeof(data), "Direction,Year,Date,Weekday,"
                     "Country,Commodity,Transport_Mode,Measure,Value,"
                     "Cumulative\n" "Exports,2015,01/01/2015,Thursday,X,All,"
                     "All,$,%s,1\n" "Exports,2015,01/01/2015,Thursday,X,All,"
                     "All,$,%s,1\n", value, value);

    write_file(dir, name, data, (size_t)n);
}

#define BENCH_HEADER \
    "topic,kernel,workers,size,rep,seconds,checksum,checksum_ok\n"

static void make_fixtures(const char *fix)
{
    static const char binary[] = "\x7f" "ELF\0\0\x01\x02\xff\xfe\0\n\0";
    char path[600];

    write_file(fix, "empty.txt", "", 0);
    write_file(fix, "binary.bin", binary, sizeof(binary));
    write_file(fix, "text.txt", "to be or not to be\n", 19);
    write_file(fix, "bad.csv", "Direction,Year,Date,Weekday,Country,"
               "Commodity,Transport_Mode,Measure,Value,Cumulative\n"
               "Exports,2015,01/01/2015,Thursday,All,All,All\n", 100);
    write_file(fix, "short.log", "ERROR\tonly two\n", 15);
    write_file(fix, "bench.csv", BENCH_HEADER "race,atomic,1,1024,1,0.001,"
               "1024,1\nrace,atomic,2,1024,1,0.0006,1024,1\n",
               strlen(BENCH_HEADER) + 69);
    write_file(fix, "fields.csv", BENCH_HEADER "race,unsync,1\n",
               strlen(BENCH_HEADER) + 14);
    write_file(fix, "nums.csv", BENCH_HEADER "race,unsync,x,1k,1,0.5,3,1\n",
               strlen(BENCH_HEADER) + 27);
    /* trade rows whose Values overflow 64 bits: summed, or one alone */
    write_trade(fix, "overflow.csv", "9223372036854775807");
    write_trade(fix, "huge.csv", "99999999999999999999999");
    snprintf(path, sizeof(path), "%s/dir", fix);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/out", fix);
    mkdir(path, 0755);
}

/* Replaces every {FIX} in s with fix. */
static void expand(const char *s, const char *fix, char *out, size_t len)
{
    size_t n = 0;

    while (*s && n + 1 < len) {
        if (!strncmp(s, "{FIX}", 5)) {
            n += (size_t)snprintf(out + n, len - n, "%s", fix);
            s += 5;
        } else {
            out[n++] = *s++;
        }
    }
    out[n < len ? n : len - 1] = '\0';
}

/* Whether `pardemo list` names the topic (rows of topics still on their
 * branches are skipped until the topic is merged). */
static bool topic_listed(const char *topic)
{
    char cmd[600];

    snprintf(cmd, sizeof(cmd), "%s list | grep -q '^  %s '", pardemo_bin(),
             topic);
    struct cmd_out c = cmd_sh(cmd, 30);
    bool ok = c.status == 0;

    cmd_free(&c);
    return ok;
}

/* Runs one row; returns 1 when it ran, 0 when its topic is not there. */
static int run_case(char *line, const char *fix, int lineno)
{
    char *args = strtok(line, "\t"), *in = strtok(NULL, "\t");
    char *status = strtok(NULL, "\t"), *pat = strtok(NULL, "\t\n");
    char *needs = strtok(NULL, "\t\n");
    char cmd[2048], a[1024], inpath[700], listing[1200];
    regex_t re;

    cr_assert(args && in && status && pat, "bad_input.tsv:%d: malformed",
              lineno);
    if (needs && !topic_listed(needs))
        return 0;
    expand(args, fix, a, sizeof(a));
    if (strcmp(in, "-"))
        snprintf(inpath, sizeof(inpath), "%s/%s", fix, in);
    else
        snprintf(inpath, sizeof(inpath), "/dev/null");
    snprintf(cmd, sizeof(cmd), "cd %s && exec %s %s < %s", fix,
             pardemo_bin(), a, inpath);
    struct cmd_out c = cmd_sh(cmd, 120);
    cr_expect_eq(c.status, atoi(status), "line %d `%s`: status %d, "
                 "stderr: %s", lineno, a, c.status, c.err);
    cr_expect_eq(c.out_len, 0, "line %d `%s`: stdout not empty: %.200s",
                 lineno, a, c.out);
    cr_expect_eq(count_lines(c.err), 1, "line %d `%s`: stderr: %s",
                 lineno, a, c.err);
    if (c.err_len && c.err[c.err_len - 1] == '\n')
        c.err[c.err_len - 1] = '\0';       /* so that $ anchors the line */
    cr_assert_eq(regcomp(&re, pat, REG_EXTENDED | REG_NOSUB), 0,
                 "line %d: bad regex", lineno);
    cr_expect_eq(regexec(&re, c.err, 0, NULL, 0), 0,
                 "line %d `%s`: stderr '%s' does not match /%s/", lineno, a,
                 c.err, pat);
    regfree(&re);
    cmd_free(&c);
    /* nothing new, nothing half-written: the fixture is as made */
    snprintf(listing, sizeof(listing), "cd %s && find . | sort | tr '\\n' ' '",
             fix);
    c = cmd_sh(listing, 10);
    cr_expect_str_eq(c.out, ". ./bad.csv ./bench.csv ./binary.bin ./dir "
                     "./empty.txt ./fields.csv ./huge.csv ./nums.csv ./out "
                     "./overflow.csv ./short.log ./text.txt ",
                     "line %d `%s` left: %s", lineno, a, c.out);
    cmd_free(&c);
    return 1;
}

Test(bad_input, every_case_one_line_and_status, .timeout = 600)
{
    char line[2048], *fix = make_tmpdir();
    int lineno = 0, cases = 0;
    FILE *f = fopen("bad_input.tsv", "r");

    cr_assert(f, "tests/bad_input.tsv missing");
    make_fixtures(fix);
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        cases += run_case(line, fix, lineno);
    }
    fclose(f);
    rm_tree(fix);
    free(fix);
    cr_assert_geq(cases, 40);
}
