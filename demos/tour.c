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
#include "cleanup.h"
#include "demos.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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
    .topic = "tour",
    .idea = "every topic in lecture order, at classroom sizes",
    .common = CLI_QUICK | CLI_QUIET,
    .opts = tour_opts,
    .examples = "pardemo tour --quick\npardemo tour --from race\n"
                "pardemo tour --quick --no-pause > tour.txt",
};

/* Runs `pardemo TOPIC [--quick]` as a child; returns its exit status. */
static int run_one(const struct demo *d, const struct run_params *p)
{
    char *argv[] = { "pardemo", (char *)d->name, "--quick", NULL };
    int status, slot;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        cli_error("tour", "cannot start %s: %s", d->name, strerror(errno));
        return 1;
    }
    if (pid == 0) {
        if (!p->is_quick)
            argv[2] = NULL;
        execv("/proc/self/exe", argv);
        cli_error("tour", "cannot run %s: %s", d->name, strerror(errno));
        _exit(127);
    }
    slot = cleanup_add_child(pid);     /* killed with us on SIGINT/TERM */
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 1;
    cleanup_forget(slot);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static void pause_for_enter(void)
{
    int c;

    fprintf(stderr, "\n-- press Enter for the next topic --");
    while ((c = getchar()) != EOF && c != '\n')
        ;
}

int tour_main(int argc, char **argv)
{
    struct run_params p;
    struct tour_opts o = { false, NULL };
    const struct demo *d, *start;
    struct report *r;
    struct table *t;
    int rc, n = 0, failed = 0;
    bool is_pausing;
    double t_all = clk_now(), t_max = 0;
    const char *slowest = NULL;

    cli_defaults(&p, "tour");
    if ((rc = cli_parse(&tour_spec, argc, argv, &p, &o)) >= 0)
        return rc;
    start = pardemo_demos();
    if (o.from) {
        if (!(start = pardemo_find(o.from)) || !start->slide) {
            cli_error("tour", "--from must name a lecture topic (got '%s');"
                      " see 'pardemo list'", o.from);
            return 2;
        }
    }
    is_pausing = !o.is_no_pause && isatty(STDIN_FILENO);
    r = report_begin(&p, "The lecture tour",
                     "Every topic of the lecture, in lecture order, "
                     "measured on this machine.");
    t = report_table(r, "tour", "The tour");
    table_col(t, "topic", "topic", U_TEXT);
    table_col(t, "lecture", "lecture section", U_TEXT);
    table_col(t, "seconds", "time", U_SEC);
    table_col(t, "exit", "exit status", U_INT);
    for (d = start; d->name; d++) {
        if (!d->slide)
            continue;
        if (n++ && is_pausing)
            pause_for_enter();
        printf("\n======== %s — lecture: %s ========\n\n", d->name, d->slide);
        double t0 = clk_now();
        rc = run_one(d, &p);
        double secs = clk_now() - t0;
        if (secs > t_max) {
            t_max = secs;
            slowest = d->name;
        }
        table_str(t, d->name);
        table_str(t, d->slide);
        table_num(t, secs);
        table_num(t, rc);
        failed += rc != 0;
        if (rc == 130 || rc == 143)     /* interrupted: stop the tour too */
            break;
    }
    printf("\n");
    table_end(t);
    if (slowest)
        report_notice(r, "The tour ran %d topic%s in %.1f s; the longest was "
                      "%s (%.1f s).", n, n == 1 ? "" : "s", clk_now() - t_all,
                      slowest, t_max);
    if (failed)
        report_notice(r, "%d of %d topics failed; their output above says "
                      "why.", failed, n);
    report_end(r);
    return failed ? 1 : 0;
}
