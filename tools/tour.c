/* tour.c - the lecture end to end: every topic in lecture order.
 * Each topic runs as its own process (a fresh pardemo), so one topic's
 * CPU affinity or signal handlers cannot leak into the next. On a terminal
 * it pauses between topics; on a pipe (or with --no-pause) it runs straight.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "notice.h"
#include "proc.h"
#include "demos.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tour_opts {
    bool is_no_pause;
    const char *from;
};

static const struct cli_opt tour_opts[] = {
    { "no-pause", 0, CLI_FLAG, NULL, "never wait for Enter between topics",
      0, 0, NULL, offsetof(struct tour_opts, is_no_pause) },
    { "from", 0, CLI_STR, "TOPIC", "start at this topic", 0, 0, NULL,
      offsetof(struct tour_opts, from) },
    { 0 },
};

static const struct cli_spec tour_spec = {
    .common = CLI_QUICK | CLI_QUIET,
    .opts = tour_opts,
    .examples = "pardemo tour --quick\npardemo tour --from race\n"
                "pardemo tour --quick --no-pause > tour.txt",
};

/* Runs `pardemo TOPIC [--quick]` as a child (this very binary, killed
 * with us on SIGINT/TERM); returns its exit status. */
static int run_one(const struct demo *d, const struct run_params *p)
{
    char *argv[] = { "pardemo", (char *)d->name,
                     p->is_quick ? "--quick" : NULL, NULL };
    struct proc child = { .path = "/proc/self/exe", .argv = argv,
                          .out_mode = PROC_OUT_INHERIT };
    int rc = proc_run(&child);

    if (rc < 0)
        cli_error("tour", "cannot start %s: %s", d->name, cli_strerror(errno));
    else if (rc == 127)
        cli_error("tour", "cannot run %s", d->name);
    return rc < 0 ? 1 : rc;
}

/* Waits for Enter before the next topic; returns false when the
 * lecturer typed q (stop the tour) or input ended. */
static bool pause_for_enter(const struct demo *next)
{
    char line[64];

    fprintf(stderr, "\n-- press Enter for %s (q, Enter: stop the tour) --",
            next->name);
    fflush(stderr);
    if (!fgets(line, sizeof(line), stdin))
        return false;
    return line[0] != 'q' && line[0] != 'Q';
}

/* The lecture topics from start on, in table order: how many. */
static int count_stops(const struct demo *const *start)
{
    int n = 0;

    for (const struct demo *const *d = start; *d; d++)
        n += (*d)->slide != NULL;
    return n;
}

/* What a tour did: for the closing notices. */
struct tour_log {
    int ran, failed;
    const struct demo *slowest;
    double slowest_secs;
};

/* Runs one stop under its heading; adds its row to t and to the log.
 * Returns its exit status. */
static int run_stop(const struct demo *d, int total,
                    const struct run_params *p, struct table *t,
                    struct tour_log *log)
{
    double t0, secs;
    int rc;

    /* the slide's title on a line of its own: 80 columns on a projector */
    printf("\n======== %d/%d  %s ========\n", log->ran + 1, total, d->name);
    printf("The lecture's \"%s\"\n%s\n\n", d->slide, d->summary);
    t0 = clk_now();
    rc = run_one(d, p);
    secs = clk_now() - t0;
    table_str(t, d->name);
    table_str(t, d->slide);
    table_num(t, secs);
    table_num(t, rc);
    log->failed += rc != 0;
    if (!log->slowest || secs > log->slowest_secs) {
        log->slowest = d;
        log->slowest_secs = secs;
    }
    log->ran++;
    return rc;
}

/* Runs the lecture topics from start on, pausing between them when asked;
 * stops early on 'q' or when a topic was interrupted. */
static void run_stops(const struct demo *const *start,
                      const struct run_params *p, bool is_pausing,
                      struct table *t, struct tour_log *log)
{
    int total = count_stops(start), rc;

    for (const struct demo *const *d = start; *d; d++) {
        if (!(*d)->slide)
            continue;
        if (log->ran && is_pausing && !pause_for_enter(*d))
            break;
        rc = run_stop(*d, total, p, t, log);
        if (rc == 130 || rc == 143)     /* interrupted: stop the tour too */
            break;
    }
}

static void tour_notices(struct report *r, const struct tour_log *log,
                         double secs, bool is_pausing)
{
    struct notices ns;
    struct notice *n;

    notices_init(&ns);
    if (log->ran == 0) {
        notice_say(notice_add(&ns, "tour.empty"), "No lecture topic is "
                   "built into this pardemo yet.");
    } else {
        n = notice_add(&ns, "tour.took");
        notice_num(n, "ran", log->ran, U_INT);
        notice_num(n, "secs", secs, U_SEC);
        notice_num(n, "longest", log->slowest_secs, U_SEC);
        notice_rel(n, "longest", REL_VLE, 1, "secs");
        notice_say(n, "{ran|topic|topics} took {secs} in all%s; the "
                   "longest was %s ({longest}).", is_pausing ?
                   " (with the pauses)" : "", log->slowest->name);
    }
    if (log->failed) {
        n = notice_add(&ns, "tour.failed");
        notice_num(n, "failed", log->failed, U_INT);
        notice_num(n, "ran", log->ran, U_INT);
        notice_rel(n, "failed", REL_VLE, 1, "ran");
        notice_say(n, "{failed} of {ran|topic|topics} failed; their "
                   "output above says why.");
    }
    report_notices(r, &ns);
}

static struct table *tour_table(struct report *r)
{
    struct table *t = report_table(r, "tour", "The tour");

    table_col(t, "topic", "topic", U_TEXT);
    table_col(t, "lecture", "lecture section", U_TEXT);
    table_col(t, "seconds", "time", U_SEC);
    table_col(t, "exit", "exit", U_INT);
    return t;
}

static int tour_main(int argc, char **argv)
{
    struct run_params p;
    struct tour_opts o = { false, NULL };
    struct tour_log log = { 0, 0, NULL, 0 };
    const struct demo *const *start, *from;
    struct report *r;
    struct table *t;
    double t0;
    bool is_pausing;
    int rc;

    cli_defaults(&p, "tour");
    if ((rc = cli_parse(&demo_tour, argc, argv, &p, &o)) >= 0)
        return rc;
    start = pardemo_demos();
    if (o.from && (!(from = pardemo_find(o.from)) || !from->slide)) {
        cli_error("tour", "--from must name a lecture topic (got '%s'); "
                  "see 'pardemo list'", o.from);
        return 2;
    }
    while (o.from && *start != from)
        start++;
    /* pause only when someone watches: input and output on a terminal */
    is_pausing = !o.is_no_pause && isatty(STDIN_FILENO) &&
                 isatty(STDOUT_FILENO);
    r = report_begin(&p, "The lecture tour", "Every topic of the lecture, "
                     "in lecture order, measured on this machine.");
    report_param(r, "sizes", "%s", p.is_quick ? "quick" : "full");
    report_text(r, "%d topic%s, each run as `pardemo TOPIC%s`%s.",
                count_stops(start), count_stops(start) == 1 ? "" : "s",
                p.is_quick ? " --quick" : "",
                is_pausing ? "; Enter moves on to the next" : "");
    t = tour_table(r);
    t0 = clk_now();
    run_stops(start, &p, is_pausing, t, &log);
    printf("\n");
    table_end(t);
    tour_notices(r, &log, clk_now() - t0, is_pausing);
    report_end(r);
    return log.failed ? 1 : 0;
}

const struct demo demo_tour = {
    .name = "tour",
    .summary = "every topic in lecture order, at classroom sizes",
    .main = tour_main,
    .spec = &tour_spec,
};
