/* test_main.c - the binary's front door: usage, list, help, version,
 * unknown topics with a suggestion, bad input, and the tour. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

Test(main, usage_lists_topics)
{
    struct cmd_out c = cmd_run(NULL);

    cr_assert_eq(c.status, 0);
    cr_assert(strstr(c.out, "usage: pardemo TOPIC"));
    cr_assert(strstr(c.out, "tour"));
    cr_assert_str_empty(c.err);
    cmd_free(&c);
    c = RUN("--help");
    cr_assert_eq(c.status, 0);
    cr_assert(strstr(c.out, "topics, in lecture order:"));
    cmd_free(&c);
}

Test(main, list_and_version)
{
    struct cmd_out c = RUN("list");

    cr_assert_eq(c.status, 0);
    cr_assert(strstr(c.out, "tour"));
    cmd_free(&c);
    c = RUN("--version");
    cr_assert_eq(c.status, 0);
    cr_assert(strncmp(c.out, "pardemo ", 8) == 0);
    cr_assert(strstr(c.out, "OpenMP: "));
    cmd_free(&c);
}

/* The worksheets are numbered in lecture order, and so is `pardemo list`
 * (the tour's order): worksheet N's topic comes after worksheet N-1's. */
Test(main, worksheets_number_topics_in_list_order)
{
    struct cmd_out c = RUN("list");
    char **sheets = worksheet_topics();
    char *list = NULL;
    const char *prev = NULL;

    cr_assert_eq(c.status, 0);
    cr_assert(asprintf(&list, "\n%s", c.out) > 0);
    for (char **t = sheets; *t; t++) {
        char *pat = NULL;
        const char *at;

        cr_assert(asprintf(&pat, "\n  %s ", *t) > 0);
        at = strstr(list, pat);
        cr_assert(at, "worksheet topic %s is not in `pardemo list`", *t);
        cr_assert(!prev || at > prev, "worksheet %s comes before its topic's place "
                  "in `pardemo list`", *t);
        prev = at;
        free(pat);
    }
    free_strv(sheets);
    free(list);
    cmd_free(&c);
}

/* The widest line of text, in characters (UTF-8: bytes 10xxxxxx are not
 * characters of their own). */
static int widest_line(const char *text)
{
    int widest = 0, w = 0;

    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '\n')
            w = 0;
        else if ((*c & 0xc0) != 0x80 && ++w > widest)
            widest = w;
    }
    return widest;
}

/* --help is read on a projector too: every topic's, the tools', each
 * generator's and pardemo's own fit 80 columns. */
Test(main, every_help_fits_80_columns)
{
    struct cmd_out list = RUN("list"), gen = RUN("gen", "--help");
    const char *l = list.out, *g;
    char name[40];

    cr_assert_eq(list.status, 0);
    cr_assert_leq(widest_line(list.out), 80, "%s", list.out);
    for (; sscanf(l, " %39s", name) == 1; l = strchr(l, '\n') + 1) {
        struct cmd_out c = RUN(name, "--help");
        cr_assert_eq(c.status, 0, "%s --help: %s", name, c.err);
        cr_assert_leq(widest_line(c.out), 80, "%s --help:\n%s", name, c.out);
        cmd_free(&c);
        if (!strchr(l, '\n') || !strchr(l, '\n')[1])
            break;
    }
    g = strstr(gen.out, "\ngenerators:\n");
    cr_assert(g, "%s", gen.out);
    for (g += 13; sscanf(g, " %39s", name) == 1; g = strchr(g, '\n') + 1) {
        struct cmd_out c = RUN("gen", name, "--help");
        cr_assert_eq(c.status, 0, "gen %s --help: %s", name, c.err);
        cr_assert_leq(widest_line(c.out), 80, "gen %s:\n%s", name, c.out);
        cmd_free(&c);
        if (!strchr(g, '\n') || !strchr(g, '\n')[1])
            break;
    }
    cmd_free(&gen);
    gen = RUN("--help");
    cr_assert_leq(widest_line(gen.out), 80, "%s", gen.out);
    cmd_free(&gen);
    cmd_free(&list);
}

Test(main, help_topic_equals_topic_help)
{
    struct cmd_out a = RUN("help", "tour"), b = RUN("tour", "--help");

    cr_assert_eq(a.status, 0);
    cr_assert_eq(b.status, 0);
    cr_assert_str_eq(a.out, b.out);
    cr_assert(strstr(a.out, "examples:"));
    cmd_free(&a);
    cmd_free(&b);
}

Test(main, unknown_topic_suggests)
{
    struct cmd_out c = RUN("toru");

    cr_assert_eq(c.status, 2);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err,
        "pardemo: 'toru' is not a topic; did you mean 'tour'?\n");
    cmd_free(&c);
    c = RUN("zzzzzzzz");
    cr_assert_eq(c.status, 2);
    cr_assert_str_eq(c.err,
        "pardemo: 'zzzzzzzz' is not a topic; see 'pardemo list'\n");
    cmd_free(&c);
}
