/* test_tour.c - `pardemo tour --quick --no-pause` runs every lecture
 * topic this binary has, in lecture order, and exits 0, every line in 80
 * columns; --from starts
 * later; a bad --from is one line and exit 2. Slow-ish: it runs them all.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pty.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

/* The lecture topics, in lecture order, are those with a worksheet
 * (worksheet_topics): each one this binary lists must be a stop of the
 * tour, and the stops follow `pardemo list`'s order. Tools (gen, bench,
 * plot, tour, quiz) are not stops. */

/* Is name a topic of this binary (a line of `pardemo list`)? */
static int is_listed(const char *list, const char *name)
{
    char pat[64];

    snprintf(pat, sizeof(pat), "\n  %s ", name);
    return strstr(list, pat) || (!strncmp(list, pat + 1, strlen(pat + 1)));
}

/* Where the tour's heading for name is in out, or NULL. */
static const char *heading(const char *out, const char *name)
{
    char pat[64];

    snprintf(pat, sizeof(pat), "  %s ========", name);
    return strstr(out, pat);
}

/* Every topic at classroom size: a few minutes, but under ASan forking
 * the engine's workers costs seconds each (platforms, spark). */
Test(tour, quick_no_pause_runs_every_lecture_topic, .timeout = 2400)
{
    const char *const args[] = { "tour", "--quick", "--no-pause", NULL };
    struct cmd_out list = RUN("list");
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 2300);
    const char *prev = c.out, *row;
    char **lecture = worksheet_topics(), name[40];
    int stops = 0;

    cr_assert_eq(c.status, 0, "tour failed: %s", c.err);
    /* each topic's --quick output, as a lecturer projects it (the width
     * suite checks the default sizes) */
    expect_fits_80_columns("tour --quick", c.out);
    for (char **t = lecture; *t; t++)
        cr_assert(!is_listed(list.out, *t) || heading(c.out, *t),
                  "the tour skipped %s", *t);
    /* the stops come in the order `pardemo list` gives (lecture order) */
    for (const char *l = list.out; sscanf(l, " %39s", name) == 1; ) {
        const char *h = heading(c.out, name);
        cr_assert(!h || h > prev, "%s is out of lecture order", name);
        prev = h ? h : prev;
        if (!(l = strchr(l, '\n')))
            break;
        l++;
    }
    free_strv(lecture);
    /* the tour's own table (the last "The tour"): a row per stop, each
     * with exit status 0 */
    for (row = c.out; strstr(row + 1, "\nThe tour\n"); )
        row = strstr(row + 1, "\nThe tour\n");
    row = strstr(row, "  --");
    cr_assert(row, "no tour table");
    for (row = strchr(row, '\n'); row && row[1] == ' '; ) {
        const char *end = strchr(row + 1, '\n');
        size_t len = end ? (size_t)(end - row) : strlen(row);
        cr_assert(len > 3 && !strncmp(row + len - 2, " 0", 2),
                  "a topic failed: %.*s", (int)len, row + 1);
        stops++;
        row = end;
    }
    for (row = c.out; (row = strstr(row, "\nThe lecture's \"")); row++)
        stops--;
    cr_assert_eq(stops, 0, "table rows and headings differ");
    cmd_free(&c);
    cmd_free(&list);
}

Test(tour, from_starts_later_and_bad_from_is_one_line)
{
    struct cmd_out list = RUN("list"), c;
    char **lecture = worksheet_topics();
    const char *first = NULL;

    for (char **t = lecture; *t; t++)
        if (is_listed(list.out, *t))
            first = *t;             /* the last one: a short tour */
    cmd_free(&list);
    c = RUN("tour", "--from", "quiz");
    cr_assert_eq(c.status, 2);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: tour: --from must name a lecture "
                     "topic (got 'quiz'); see 'pardemo list'\n");
    cmd_free(&c);
    if (!first) {
        free_strv(lecture);
        cr_skip("no lecture topic in this binary yet");
    }
    c = RUN("tour", "--quick", "--no-pause", "--from", first);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(heading(c.out, first));
    if (strcmp(first, lecture[0]) != 0)
        cr_assert_null(heading(c.out, lecture[0]), "--from ran earlier "
                       "topics");
    cmd_free(&c);
    free_strv(lecture);
}

/* On a terminal the tour waits between topics; 'q' stops it there. */
Test(tour, terminal_pauses_and_q_stops, .timeout = 300)
{
    const char *const args[] = { "tour", "--quick", NULL };
    struct cmd_out list = RUN("list");
    char **lecture = worksheet_topics();
    const char *stops[2] = { NULL, NULL };
    char prompt[96], *out;
    int n = 0, status;

    for (char **t = lecture; *t && n < 2; t++)
        if (is_listed(list.out, *t))
            stops[n++] = *t;
    cmd_free(&list);
    if (n < 2) {
        free_strv(lecture);
        cr_skip("the pause needs two lecture topics in this binary");
    }
    out = pty_run(args, "q\n", 240, &status);
    snprintf(prompt, sizeof(prompt), "-- press Enter for %s", stops[1]);
    cr_assert(strstr(out, prompt), "%s", out);
    cr_assert(heading(out, stops[0]));
    cr_assert_null(heading(out, stops[1]), "q did not stop the tour");
    cr_assert(strstr(out, "1 topic took"), "%s", out);
    cr_assert_eq(status, 0);
    free(out);
    free_strv(lecture);
}
