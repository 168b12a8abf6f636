/* test_sweepnotes.c - pardemo plot's "What to notice" rules on synthetic
 * sweeps (issue 16, item 4): every sentence holds on its own numbers, and
 * each defect that was seen has its case: a fit from 2 CPUs, a limit far
 * past the CPUs, a superlinear point from a noisy baseline, a speedup
 * whose reps overlap 1x, a serial kernel or a wrong answer as a result.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "benchcsv.h"
#include "lesson.h"
#include "metrics.h"
#include "sweepnotes.h"

struct sweep_case {
    const char *name;
    int cpus;
    const char *rows;           /* topic,kernel,workers,size,rep,secs,ck,ok */
    const char *topic;          /* NULL: the whole sweep */
    const char *want_id, *not_id;
};

static const struct sweep_case cases[] = {
    { "two CPUs: no fit, what p would give", 2,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.55,7,1\nt,k,4,10,1,0.5,7,1\n",
      NULL, "plot.fit_too_few_cpus", "plot.fit" },
    { "8 CPUs, p = 0.9: fitted, limit 10x", 8,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.55,7,1\nt,k,4,10,1,0.325,7,1\n"
      "t,k,8,10,1,0.2125,7,1\n", NULL, "plot.fit", "plot.fit_limit_far" },
    { "8 CPUs, p = 0.999: the limit lies far past them", 8,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.5005,7,1\nt,k,4,10,1,0.25075,7,1\n"
      "t,k,8,10,1,0.125875,7,1\n", NULL, "plot.fit_limit_far", "plot.fit" },
    { "8 CPUs swept at 1 and 2 only: too few counts", 8,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.55,7,1\n", NULL,
      "plot.fit_too_few_counts", "plot.fit" },
    { "superlinear from a noisy baseline", 2,
      "t,k,1,10,1,1.0,7,1\nt,k,1,10,2,1.5,7,1\nt,k,1,10,3,1.9,7,1\n"
      "t,k,2,10,1,0.5,7,1\nt,k,2,10,2,0.5,7,1\n", NULL,
      "plot.superlinear_noisy", "plot.superlinear" },
    { "superlinear from a steady baseline", 2,
      "t,k,1,10,1,1.0,7,1\nt,k,1,10,2,1.01,7,1\n"
      "t,k,2,10,1,0.4,7,1\nt,k,2,10,2,0.41,7,1\n", NULL,
      "plot.superlinear", "plot.superlinear_noisy" },
    { "reps overlap 1x: not shown faster", 2,
      "t,k,1,10,1,1.0,7,1\nt,k,1,10,2,2.0,7,1\n"
      "t,k,2,10,1,0.8,7,1\nt,k,2,10,2,1.1,7,1\n", NULL,
      "plot.best_unsure", "plot.best" },
    { "one rep: spread unknown", 2,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.6,7,1\n", NULL,
      "plot.best_one_rep", "plot.best" },
    { "no gain anywhere", 2,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.98,7,1\n", NULL, "plot.no_gain",
      "plot.best" },
    { "beyond the CPUs it still gained", 2,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.7,7,1\nt,k,4,10,1,0.4,7,1\n",
      NULL, "plot.oversubscribed_gain", "plot.oversubscribed_turns" },
    { "one CPU: no speedup possible", 1,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.9,7,1\n", NULL, "plot.one_cpu",
      "plot.best" },
    { "a serial kernel is no best", 2,
      "t,sort-serial,1,10,1,1.0,7,1\nt,sort-serial,2,10,1,0.5,7,1\n", NULL,
      NULL, "plot.best_one_rep" },
    /* a growing job's time ratio is no speedup, even when it is > 1 */
    { "a weak-scaling kernel is no best", 2,
      "scaling,weak-10,1,10,1,1.0,7,1\nscaling,weak-10,2,10,1,0.5,7,1\n",
      NULL, NULL, "plot.best_one_rep" },
    { "a weak-scaling kernel is never fitted", 8,
      "scaling,weak-10,1,10,1,1.0,7,1\nscaling,weak-10,2,10,1,0.55,7,1\n"
      "scaling,weak-10,4,10,1,0.325,7,1\nscaling,weak-10,8,10,1,0.2125,7,1"
      "\n", NULL, NULL, "plot.fit" },
    { "weak beside strong: only the fixed job is judged", 8,
      "scaling,serial-10,1,10,1,1.0,7,1\nscaling,serial-10,2,10,1,0.55,7,1\n"
      "scaling,serial-10,4,10,1,0.325,7,1\n"
      "scaling,serial-10,8,10,1,0.2125,7,1\n"
      "scaling,weak-10,1,10,1,1.0,7,1\nscaling,weak-10,2,10,1,0.1,7,1\n",
      NULL, "plot.fit", "plot.superlinear" },
    { "a wrong answer is no best and is named", 2,
      "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.5,8,1\n", NULL,
      "plot.wrong_answer", "plot.best_one_rep" },
    { "manager: the Manager costs more than the atomic", 2,
      "manager,atomic,1,1000,1,0.001,7,1\nmanager,atomic,1,1000,2,0.0011,7,1"
      "\nmanager,mgr,1,1000,1,0.5,7,1\nmanager,mgr,1,1000,2,0.6,7,1\n",
      "manager", "plot.cost_more", "plot.best" },
    { "manager: a kernel cheaper than the atomic", 2,
      "manager,atomic,1,1000,1,0.01,7,1\nmanager,atomic,1,1000,2,0.011,7,1"
      "\nmanager,local,1,1000,1,0.001,7,1\nmanager,local,1,1000,2,0.0011,7,1"
      "\n", "manager", "plot.cost_less", "plot.cost_more" },
    { "manager: overlapping reps", 2,
      "manager,atomic,1,1000,1,0.01,7,1\nmanager,atomic,1,1000,2,0.02,7,1"
      "\nmanager,lock,1,1000,1,0.012,7,1\nmanager,lock,1,1000,2,0.018,7,1"
      "\n", "manager", "plot.cost_unclear", "plot.cost_more" },
};

static void notes_of(const struct sweep_case *c, struct notices *ns)
{
    char *text, err[512];
    struct bench_csv csv;
    struct metrics_series *s;
    FILE *f;

    cr_assert(asprintf(&text, "# cpus_allowed: %d\n" BENCHCSV_HEADER "\n%s",
                       c->cpus, c->rows) > 0);
    f = fmemopen(text, strlen(text), "r");
    memset(&csv, 0, sizeof(csv));
    cr_assert_eq(benchcsv_parse(f, "sweep.csv", &csv, err, sizeof(err)), 0,
                 "%s: %s", c->name, err);
    fclose(f);
    long n = metrics_series_of(&csv, c->cpus, &s);
    cr_assert(n > 0, "%s", c->name);
    notices_init(ns);
    sweepnotes_add(s, (size_t)n, c->cpus, c->topic, ns);
    metrics_free(s, (size_t)n);
    benchcsv_free(&csv);
    free(text);
}

Test(sweepnotes, every_case_says_what_its_numbers_show)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const struct sweep_case *c = &cases[i];
        struct notices ns;

        notes_of(c, &ns);
        assert_notices_hold(&ns, c->name);
        if (c->want_id)
            cr_assert(has_id(&ns, c->want_id), "%s: no %s", c->name,
                      c->want_id);
        if (c->not_id)
            cr_assert(!has_id(&ns, c->not_id), "%s: %s said", c->name,
                      c->not_id);
        cr_assert(!has_text(&ns, "e+"), "%s", c->name);
        notices_free(&ns);
    }
}

/* The 2-CPU defect's sentences: no limit, no "at most", what p predicts. */
Test(sweepnotes, two_cpus_never_quote_a_limit)
{
    struct notices ns;

    notes_of(&cases[0], &ns);
    cr_assert(has_text(&ns, "This machine has 2 CPUs: too few to estimate "
                       "Amdahl's p"));
    cr_assert(has_text(&ns, "p = 0.9 would predict 1.82x on 2 workers"));
    cr_assert(!has_text(&ns, "could make it more than"));
    cr_assert(!has_text(&ns, "at most"));
    notices_free(&ns);
}
