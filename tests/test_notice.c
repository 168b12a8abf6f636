/* test_notice.c - notices are rules: relations decided by intervals, the
 * sentence filled in from the values it was checked on, a false notice
 * never printed; the estimates and conditions they are built from. The
 * python3 checker (scripts/check_claims.py) must agree with lib/notice.c
 * on every relation: it is the independent reading of the same rules.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "conditions.h"
#include "notice.h"
#include "report.h"
#include "stats.h"
#include "harness.h"

static struct est e3(double lo, double v, double hi)
{
    return (struct est){ v, lo, hi };
}

Test(stats, quartiles_interpolate_like_numpy)
{
    double x[] = { 4, 1, 3, 2 }, y[] = { 10, 30, 20 };
    struct stats s = stats_of(x, 4);

    /* numpy.percentile([1,2,3,4], [25,75]) == [1.75, 3.25] */
    cr_assert_float_eq(s.q1, 1.75, 1e-12);
    cr_assert_float_eq(s.q3, 3.25, 1e-12);
    s = stats_of(y, 3);
    cr_assert_float_eq(s.q1, 15, 1e-12);
    cr_assert_float_eq(s.q3, 25, 1e-12);
    struct est e = est_of(&s);
    cr_assert_float_eq(e.v, 20, 1e-12);
    cr_assert_float_eq(est_spread(e), 0.5, 1e-12);
}

Test(stats, ratio_interval_covers_both)
{
    struct est r = est_ratio(e3(9, 10, 11), e3(4, 5, 6));

    cr_assert_float_eq(r.v, 2, 1e-12);
    cr_assert_float_eq(r.lo, 1.5, 1e-12);
    cr_assert_float_eq(r.hi, 11.0 / 4, 1e-12);
    r = est_ratio(e3(1, 1, 1), e3(0, 1, 2));
    cr_assert(isinf(r.hi), "a zero in the divisor: unbounded");
    struct est d = est_diff(e3(9, 10, 11), e3(4, 5, 6));
    cr_assert_float_eq(d.lo, 3, 1e-12);
    cr_assert_float_eq(d.hi, 7, 1e-12);
}

Test(stats, plan_repeats_until_tight_or_capped)
{
    struct run_params p = { .reps = 3 };
    struct reps_plan pl = stats_plan(&p, 3);

    cr_assert(stats_want_more(&pl, 2, 1, 0, 0), "below the minimum");
    cr_assert(!stats_want_more(&pl, 3, 1, 1, 0.01), "tight: stop");
    cr_assert(stats_want_more(&pl, 3, 1, 1, 0.5), "wide, time left");
    cr_assert(!stats_want_more(&pl, 5, 2.5, 1, 0.5), "over the time cap");
    cr_assert(!stats_want_more(&pl, pl.max, 1, 1, 0.5), "at the maximum");
    p.reps_given = true;
    p.reps = 4;
    pl = stats_plan(&p, 3);
    cr_assert_eq(pl.min, 4);
    cr_assert_eq(pl.max, 4, "-r N means exactly N");
}

/* Each relation on intervals that overlap, touch, or lie apart. */
Test(notice, relations_decide_only_when_intervals_are_apart)
{
    struct est lo = e3(1, 2, 3), hi = e3(4, 5, 6), mid = e3(2.5, 3, 3.5);

    cr_assert(rel_holds(REL_GT, hi, 1, lo));
    cr_assert(!rel_holds(REL_GT, mid, 1, lo), "overlap: not decided");
    cr_assert(rel_holds(REL_VGT, mid, 1, lo), "medians only");
    cr_assert(rel_holds(REL_LT, lo, 1, hi));
    cr_assert(rel_holds(REL_NEAR, mid, 1, lo));
    cr_assert(!rel_holds(REL_NEAR, hi, 1, lo));
    cr_assert(rel_holds(REL_GE, e3(3, 4, 5), 1, lo), "touching");
    cr_assert(!rel_holds(REL_GT, e3(3, 4, 5), 1, lo));
    cr_assert(rel_holds(REL_GT, hi, 1.3, lo), "4 > 1.3 * 3");
    cr_assert(!rel_holds(REL_GT, hi, 1.4, lo), "4 < 1.4 * 3");
    cr_assert(rel_holds(REL_EQ, est_exact(7), 1, est_exact(7)));
    cr_assert(rel_holds(REL_NE, est_exact(7), 1, est_exact(6)));
    cr_assert(!rel_holds(REL_GT, est_exact(NAN), 1, lo), "NaN: never");
}

Test(notice, sentence_quotes_its_values)
{
    struct notices ns;
    struct notice *n;

    notices_init(&ns);
    n = notice_add(&ns, "t.fork_slower");
    notice_est(n, "fork", e3(150e-6, 156e-6, 160e-6), U_US);
    notice_est(n, "thread", e3(18e-6, 19.3e-6, 21e-6), U_US);
    notice_est(n, "ratio", est_ratio(e3(150, 156, 160), e3(18, 19.3, 21)),
               U_RATIO);
    notice_num(n, "workers", 1, U_INT);
    notice_num(n, "cpus", 2, U_INT);
    notice_rel(n, "fork", REL_GT, 1, "thread");
    notice_say(n, "A %s cost {ratio} ({fork} vs {thread}) with "
               "{workers|worker|workers} on {cpus|CPU|CPUs}; it {!cpus|was|"
               "were} {ratio:pm}", "fork");
    cr_assert(notice_holds(n));
    cr_assert_str_eq(n->text, "A fork cost 8.08x (156 µs vs 19.3 µs) with "
                     "1 worker on 2 CPUs; it were ±10.8%");
    notices_free(&ns);
}

/* A literal brace: "{{" (the slide's set {(cat, 3), (dog, 1)}). */
Test(notice, double_brace_is_a_literal_brace)
{
    struct notices ns;
    struct notice *n;

    notices_init(&ns);
    n = notice_add(&ns, "t.set");
    notice_say(n, "The slide writes %s as a set", "{{(cat, 3), (dog, 1)}");
    cr_assert(notice_holds(n));
    cr_assert_str_eq(n->text, "The slide writes {(cat, 3), (dog, 1)} as a "
                     "set");
    notices_free(&ns);
}

Test(notice, mistakes_and_false_claims_never_hold)
{
    struct notices ns;
    struct notice *n;

    notices_init(&ns);
    n = notice_add(&ns, "a");
    notice_num(n, "x", 1, U_INT);
    notice_say(n, "x is {x}");
    cr_assert(!notice_holds(n), "values but no relation");
    n = notice_add(&ns, "b");
    notice_num(n, "x", 1, U_INT);
    notice_num(n, "y", 2, U_INT);
    notice_rel(n, "x", REL_GT, 1, "y");
    notice_say(n, "x beats y");
    cr_assert(!notice_holds(n), "a false claim");
    n = notice_add(&ns, "c");
    notice_num(n, "x", 3, U_INT);
    notice_num(n, "y", 2, U_INT);
    notice_rel(n, "x", REL_GT, 1, "y");
    notice_say(n, "{z} beats y");
    cr_assert(!notice_holds(n), "an unknown name");
    n = notice_add(&ns, "d");
    notice_rel(n, "nope", REL_GT, 1, "y");
    cr_assert(!notice_holds(n), "a relation on an unknown name");
    n = notice_add(&ns, "e");
    notice_say(n, "a lesson without numbers");
    cr_assert(notice_holds(n));
    cr_assert_not_null(notices_find(&ns, "e"));
    cr_assert_null(notices_find(&ns, "zz"));
    notices_free(&ns);
}

/* A false notice given to the report is left out, with a line on
 * stderr; the true one prints. */
Test(notice, report_drops_false_sentences, .init = cr_redirect_stdout)
{
    struct run_params p;
    struct notices ns;
    struct notice *n;

    cli_defaults(&p, "sample");
    notices_init(&ns);
    n = notice_add(&ns, "sample.true");
    notice_num(n, "x", 3, U_INT);
    notice_num(n, "y", 2, U_INT);
    notice_rel(n, "x", REL_GT, 1, "y");
    notice_say(n, "TRUE {x} > {y}");
    n = notice_add(&ns, "sample.false");
    notice_num(n, "x", 1, U_INT);
    notice_num(n, "y", 2, U_INT);
    notice_rel(n, "x", REL_GT, 1, "y");
    notice_say(n, "FALSE {x} > {y}");
    struct report *r = report_begin(&p, "T", "I");
    FILE *err = freopen("/dev/null", "w", stderr);   /* the drop's line */
    cr_assert(err);
    report_notices(r, &ns);
    cr_assert_eq(ns.n, 0, "the report took them");
    report_end(r);
    fflush(stdout);
    char buf[4096];
    FILE *out = cr_get_redirected_stdout();
    size_t len = fread(buf, 1, sizeof(buf) - 1, out);
    buf[len] = '\0';
    cr_assert(strstr(buf, "TRUE 3 > 2"), "%s", buf);
    cr_assert(!strstr(buf, "FALSE"), "%s", buf);
    cr_assert(strstr(buf, "Conditions: "), "%s", buf);
}

/* The python3 checker and lib/notice.c read every relation alike, on a
 * grid of intervals (touching, overlapping, apart, unbounded, scaled). */
Test(notice, python_checker_agrees)
{
    static const enum rel rels[] = {
        REL_GT, REL_GE, REL_LT, REL_LE, REL_NEAR, REL_EQ, REL_NE, REL_VGT,
        REL_VGE, REL_VLT, REL_VLE,
    };
    static const struct est pts[] = {
        { 2, 1, 3 }, { 5, 4, 6 }, { 3, 3, 3 }, { 4, 3, 5 },
        { 2, -INFINITY, 2.5 }, { 7, 6, INFINITY }, { 1, 1, 1 },
    };
    static const double ks[] = { 1, 0.5, 1.5 };
    char *dir = make_tmpdir(), path[512], cmd[1200];
    int want_false = 0;

    snprintf(path, sizeof(path), "%s/claims.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("{\"notice\": [", f);
    int first = 1;
    for (size_t r = 0; r < ARRAY_SIZE(rels); r++)
        for (size_t a = 0; a < ARRAY_SIZE(pts); a++)
            for (size_t b = 0; b < ARRAY_SIZE(pts); b++)
                for (size_t k = 0; k < ARRAY_SIZE(ks); k++) {
                    struct notice n = { .id = "grid", .text = "t" };
                    notice_est(&n, "a", pts[a], U_NUM);
                    notice_est(&n, "b", pts[b], U_NUM);
                    notice_rel(&n, "a", rels[r], ks[k], "b");
                    want_false += !notice_holds(&n);
                    fputs(first ? "\n" : ",\n", f);
                    notice_json(f, &n);
                    first = 0;
                }
    fputs("]}\n", f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "python3 ../scripts/check_claims.py %s | "
             "grep -c FALSE", path);
    struct cmd_out c = cmd_sh(cmd, 60);
    cr_assert_eq(atoi(c.out), want_false, "python3 found %s false, C %d",
                 c.out, want_false);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

Test(conditions, own_cpu_and_other_load_are_bounded)
{
    struct cond_probe p;
    volatile unsigned long x = 0;

    cond_start(&p);
    double t0 = clk_now();
    while (clk_now() - t0 < 0.05)
        x++;
    struct cond c = cond_stop(&p);
    struct est o = cond_other_cpus(&c);
    cr_assert(c.wall_s >= 0.05);
    cr_assert(c.own_cpu_s > 0, "the spin used CPU");
    cr_assert(cond_own_cpus(&c) <= c.cpus_allowed + 0.1);
    cr_assert(o.lo >= 0 && o.lo <= o.v && o.v <= o.hi);
    cr_assert(o.hi <= c.cpus_allowed);
    char *s = report_conditions_text("sweep", &c);
    cr_assert(strstr(s, "Conditions (sweep): "), "%s", s);
    free(s);
    struct cond sum = c;
    cond_add(&sum, &c);
    cr_assert_float_eq(sum.wall_s, 2 * c.wall_s, 1e-12);
    cr_assert_eq(sum.nprobes, 2);
}

/* A fork server's workers are its children, not ours: the CPU a live
 * child reaped from its own child counts (as cutime in /proc, in clock
 * ticks). The child reports what wait4 said its child used; our count
 * must hold it, to within two ticks. */
Test(conditions, cpu_a_live_child_reaped_counts)
{
    int up[2], hold[2];
    double before, after, reaped = 0;

    cr_assert(pipe(up) == 0 && pipe(hold) == 0);
    before = cond_cpu_seconds();
    pid_t child = fork();
    cr_assert(child >= 0);
    if (child == 0) {               /* the "fork server" */
        struct rusage ru;
        int st;
        char c;
        close(hold[1]);             /* EOF on hold[0] when we close ours */
        pid_t worker = fork();
        if (worker == 0) {          /* its worker: 0.1 s of CPU */
            volatile unsigned long x = 0;
            while (cond_cpu_seconds() < 0.1)
                x++;
            _exit(0);
        }
        wait4(worker, &st, 0, &ru);
        double used = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec /
                      1e6 + (double)ru.ru_stime.tv_sec +
                      ru.ru_stime.tv_usec / 1e6;
        if (write(up[1], &used, sizeof(used)) != sizeof(used))
            _exit(1);
        if (read(hold[0], &c, 1) < 0)   /* alive until we have looked */
            _exit(1);
        _exit(0);
    }
    cr_assert(read(up[0], &reaped, sizeof(reaped)) == sizeof(reaped));
    after = cond_cpu_seconds();     /* the child is alive: not reaped */
    close(hold[1]);
    waitpid(child, NULL, 0);
    cr_assert(reaped >= 0.1, "the worker used %g s", reaped);
    cr_assert(after - before >= reaped - 2.0 / sysconf(_SC_CLK_TCK),
              "counted %g s of the worker's %g s", after - before, reaped);
    close(up[0]);
    close(up[1]);
    close(hold[0]);
}
