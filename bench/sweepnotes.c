/* sweepnotes.c - what a speedup sweep shows, said only when its numbers
 * show it. Watch the fit: Amdahl's p is quoted only from 3 or more worker
 * counts within the CPUs; on fewer the sentence says so and shows what a
 * given p would predict instead of a number fitted to noise.
 */
#define _GNU_SOURCE
#include "sweepnotes.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is s in the topic (NULL: any) and one whose speedup means something:
 * a right answer, run in parallel, on a fixed job (not a weak-scaling
 * one, whose time ratio is no speedup), with a 1-worker baseline? */
static bool is_judged(const struct metrics_series *s, const char *topic)
{
    return (!topic || !strcmp(s->topic, topic)) && s->is_ok &&
           !s->is_serial && !s->is_weak && s->has_base &&
           strcmp(s->topic, "ipc") &&
           !metrics_cost_reference(s->topic);
}

/* The point of s with the most workers <= cpus (or NULL). */
static const struct metrics_point *top_in_cpus(const struct metrics_series *s,
                                               int cpus)
{
    const struct metrics_point *best = NULL;

    for (size_t k = 0; k < s->npts; k++)
        if (s->pts[k].workers <= cpus && isfinite(s->pts[k].speedup))
            best = &s->pts[k];
    return best;
}

/* The judged series with the best speedup within the CPUs, on more than
 * one worker. */
static const struct metrics_series *best_series(
    const struct metrics_series *s, size_t n, int cpus, const char *topic)
{
    const struct metrics_series *best = NULL;
    double best_s = 0;

    for (size_t i = 0; i < n; i++) {
        const struct metrics_point *pt = top_in_cpus(&s[i], cpus);
        if (is_judged(&s[i], topic) && pt && pt->workers > 1 &&
            pt->speedup > best_s) {
            best = &s[i];
            best_s = pt->speedup;
        }
    }
    return best;
}

/* A point's speedup with the slowest and fastest pairing of the reps. */
static struct est speedup_est(const struct metrics_point *pt)
{
    return (struct est){ pt->speedup, pt->speedup_lo, pt->speedup_hi };
}

/* The best speedup within the CPUs, decided on its reps or not. */
static void note_best(struct notices *ns, const struct metrics_series *b,
                      int cpus)
{
    const struct metrics_point *pt = top_in_cpus(b, cpus);
    struct notice *n = notice_add(ns, "plot.best");

    notice_est(n, "best", speedup_est(pt), U_RATIO);
    notice_num(n, "workers", pt->workers, U_INT);
    notice_num(n, "eff", pt->efficiency, U_PCT);
    notice_num(n, "gain_at", SWEEPNOTES_GAIN, U_RATIO);
    notice_num(n, "one", 1, U_RATIO);
    if (pt->speedup < SWEEPNOTES_GAIN) {
        n->id = "plot.no_gain";
        notice_rel(n, "best", REL_VLT, 1, "gain_at");
        notice_say(n, "No kernel ran even {gain_at} faster on more workers "
                   "(best {best}, %s/%s on {workers|worker|workers}). Possible causes, "
                   "which this sweep cannot tell apart: too little work per "
                   "run, too much of it serial, a shared resource (memory "
                   "bandwidth, a lock), or other programs on the CPUs.",
                   b->topic, b->kernel);
    } else if (b->reps < 2) {
        n->id = "plot.best_one_rep";
        notice_rel(n, "best", REL_VGE, 1, "gain_at");
        notice_say(n, "Best: %s/%s ran {best} faster on {workers|worker|workers} than on "
                   "1 (efficiency {eff}), from one rep per point: its "
                   "spread is unknown (-r 3 would show it).", b->topic,
                   b->kernel);
    } else if (rel_holds(REL_GT, speedup_est(pt), 1, est_exact(1))) {
        notice_rel(n, "best", REL_GT, 1, "one");
        notice_say(n, "Best: %s/%s ran {best} faster on {workers|worker|workers} than on "
                   "1 (efficiency {eff}; {best:lo} to {best:hi} over the "
                   "reps).", b->topic, b->kernel);
    } else {
        n->id = "plot.best_unsure";
        notice_rel(n, "best", REL_NEAR, 1, "one");
        notice_say(n, "Best by the medians: %s/%s, {best} on {workers|worker|workers}; "
                   "but over the reps it ranged {best:lo} to {best:hi}, so "
                   "this sweep does not show it was faster at all.",
                   b->topic, b->kernel);
    }
}

/* A speedup beyond what the workers can give: a noisy baseline, or a
 * cause the sweep cannot see. */
static void note_superlinear(struct notices *ns,
                             const struct metrics_series *b, int cpus)
{
    const struct metrics_point *pt = top_in_cpus(b, cpus);
    struct notice *n;

    if (!(pt->efficiency > SWEEPNOTES_SUPERLINEAR) || b->reps < 2)
        return;
    n = notice_add(ns, "plot.superlinear_noisy");
    notice_num(n, "eff", pt->efficiency, U_PCT);
    notice_num(n, "eff_max", SWEEPNOTES_SUPERLINEAR, U_PCT);
    notice_num(n, "workers", pt->workers, U_INT);
    notice_num(n, "spread", b->base_spread, U_PCT);
    notice_num(n, "noisy_at", METRICS_NOISY_SPREAD, U_PCT);
    notice_rel(n, "eff", REL_VGT, 1, "eff_max");
    if (b->is_noisy_base) {
        notice_rel(n, "spread", REL_VGT, 1, "noisy_at");
        notice_say(n, "An efficiency of {eff} is more than {workers|worker|workers} can "
                   "give, and the 1-worker time varied {spread} over the "
                   "reps: the baseline was disturbed, so this speedup is "
                   "not to be trusted; more --reps would tell.");
        return;
    }
    n->id = "plot.superlinear";
    notice_rel(n, "spread", REL_VLE, 1, "noisy_at");
    notice_say(n, "An efficiency of {eff} is more than {workers|worker|workers} can give "
               "by parallelism alone, with a steady baseline (it varied "
               "{spread}): the pieces may fit a cache better than the "
               "whole.");
}

/* Amdahl's p when there were worker counts enough to fit it; otherwise
 * why not, and what a given p would predict. */
static void note_fit(struct notices *ns, const struct metrics_series *b,
                     int cpus)
{
    struct notice *n = notice_add(ns, "plot.fit");
    int last = b->pts[b->npts - 1].workers;

    notice_num(n, "cpus", cpus, U_INT);
    notice_num(n, "need", METRICS_FIT_MIN_POINTS, U_INT);
    notice_num(n, "counts", b->fit.npoints, U_INT);
    if (!b->fit.is_valid && cpus < METRICS_FIT_MIN_POINTS) {
        n->id = "plot.fit_too_few_cpus";
        notice_rel(n, "cpus", REL_LT, 1, "need");
        notice_num(n, "p2", metrics_amdahl(0.9, 2), U_RATIO);
        notice_num(n, "p4", metrics_amdahl(0.9, 4), U_RATIO);
        notice_num(n, "p8", metrics_amdahl(0.9, 8), U_RATIO);
        notice_say(n, "This machine has {cpus|CPU|CPUs}: too few to estimate "
                   "Amdahl's p (a fit needs {need} worker counts at or "
                   "below the CPUs). For comparison, p = 0.9 would predict "
                   "{p2} on 2 workers, {p4} on 4 and {p8} on 8.");
        return;
    }
    if (!b->fit.is_valid) {
        n->id = "plot.fit_too_few_counts";
        notice_rel(n, "counts", REL_LT, 1, "need");
        notice_say(n, "The sweep had {counts|worker count|worker counts} "
                   "at or below the {cpus|CPU|CPUs}: too few to estimate "
                   "Amdahl's p (a fit needs {need}; sweep more with "
                   "--workers).");
        return;
    }
    notice_rel(n, "counts", REL_GE, 1, "need");
    notice_num(n, "upto", last < cpus ? last : cpus, U_INT);
    notice_num(n, "p", b->fit.p, U_PCT);
    notice_num(n, "p_max", 1, U_PCT);
    notice_num(n, "limit", b->fit.max_speedup, U_RATIO);
    notice_num(n, "far", 10.0 * cpus, U_RATIO);
    if (b->fit.p >= 1) {
        n->id = "plot.fit_no_serial";
        notice_rel(n, "p", REL_VGE, 1, "p_max");
        notice_say(n, "Amdahl: %s/%s showed no serial part on 1..{upto} "
                   "workers (100%% parallel): the sweep cannot say where it would "
                   "stop.", b->topic, b->kernel);
    } else if (b->fit.max_speedup > 10.0 * cpus) {
        n->id = "plot.fit_limit_far";
        notice_rel(n, "limit", REL_VGT, 1, "far");
        notice_say(n, "Amdahl: %s/%s behaves as {p} parallel on "
                   "1..{upto} workers; the limit that implies, {limit}, "
                   "lies far beyond the {cpus|CPU|CPUs} measured, so this "
                   "sweep cannot show it.", b->topic, b->kernel);
    } else {
        notice_rel(n, "limit", REL_VLE, 1, "far");
        notice_say(n, "Amdahl: %s/%s behaves as {p} parallel on "
                   "1..{upto} workers; if that held for any number of "
                   "CPUs, none could make it more than {limit} faster.",
                   b->topic, b->kernel);
    }
}

/* What oversubscribing did to the best series. */
static void note_oversubscribed(struct notices *ns,
                                const struct metrics_series *s, int cpus)
{
    const struct metrics_point *in = top_in_cpus(s, cpus);
    const struct metrics_point *last = &s->pts[s->npts - 1];
    struct notice *n;

    if (!in || last->workers <= cpus || !isfinite(last->speedup))
        return;
    n = notice_add(ns, "plot.oversubscribed_gain");
    notice_num(n, "cpus", cpus, U_INT);
    notice_est(n, "in", speedup_est(in), U_RATIO);
    notice_num(n, "in_w", in->workers, U_INT);
    notice_est(n, "last", speedup_est(last), U_RATIO);
    notice_num(n, "last_w", last->workers, U_INT);
    if (rel_holds(REL_GT, speedup_est(last), 1, speedup_est(in))) {
        notice_rel(n, "last", REL_GT, 1, "in");
        notice_say(n, "Beyond {cpus|CPU|CPUs} (the grey band), %s/%s still "
                   "went from {in} at {in_w|worker|workers} to {last} at {last_w}: "
                   "with no more CPUs, that gain is not parallelism "
                   "(smaller pieces fitting a cache, uneven pieces, or "
                   "waiting that overlaps).", s->topic, s->kernel);
        return;
    }
    n->id = "plot.oversubscribed_turns";
    notice_rel(n, "last", last->speedup <= in->speedup ? REL_VLE : REL_NEAR,
               1, "in");
    notice_say(n, "Beyond {cpus|CPU|CPUs} (the grey band), %s/%s went from "
               "{in} at {in_w|worker|workers} to {last} at {last_w}: no decided "
               "gain, as workers beyond the CPUs only take turns.",
               s->topic, s->kernel);
}

/* The time per operation of s at w workers, over its reps (NULL: none). */
static bool per_op_at(const struct metrics_series *s, int w, struct est *e)
{
    for (size_t j = 0; j < s->npts; j++)
        if (s->pts[j].workers == w && s->size > 0) {
            const struct stats *t = &s->pts[j].secs;
            *e = (struct est){ t->median / s->size, t->min / s->size,
                               t->max / s->size };
            return true;
        }
    return false;
}

/* One kernel's cost per operation against the reference's. */
static void note_one_cost(struct notices *ns, const struct metrics_series *s,
                          const struct metrics_series *ref, int w)
{
    struct est a, b;
    struct notice *n;

    if (!per_op_at(s, w, &a) || !per_op_at(ref, w, &b) || !(b.v > 0))
        return;
    n = notice_add(ns, "plot.cost_more");
    notice_num(n, "w", w, U_INT);
    notice_est(n, "per_op", a, U_DUR);
    notice_est(n, "ref_op", b, U_DUR);
    notice_num(n, "times", a.v / b.v, U_NUM);
    switch (notice_order(n, "per_op", "ref_op")) {
    case 1:
        notice_say(n, "At {w|worker|workers}, %s/%s took {times} times as "
                   "long per operation as %s ({per_op} vs {ref_op}).",
                   s->topic, s->kernel, ref->kernel);
        break;
    case -1:
        n->id = "plot.cost_less";
        notice_say(n, "At {w|worker|workers}, %s/%s was cheaper per "
                   "operation than %s: {per_op} vs {ref_op}.", s->topic,
                   s->kernel, ref->kernel);
        break;
    default:
        n->id = "plot.cost_unclear";
        notice_say(n, "At {w|worker|workers}, %s/%s took {per_op} per "
                   "operation and %s {ref_op}: their reps overlap, so this "
                   "sweep cannot tell them apart.", s->topic, s->kernel,
                   ref->kernel);
    }
}

/* Cost topics (manager): each kernel against the reference kernel, at
 * the most workers within the CPUs the reference ran with. */
static void note_cost(struct notices *ns, const struct metrics_series *s,
                      size_t n, int cpus, const char *topic)
{
    const char *name = metrics_cost_reference(topic);
    const struct metrics_series *ref = NULL;
    const struct metrics_point *r;

    for (size_t i = 0; i < n && !ref; i++)
        if (!strcmp(s[i].topic, topic) && s[i].is_ok &&
            !strcmp(s[i].kernel, name))
            ref = &s[i];
    if (!ref || !ref->npts)
        return;
    r = top_in_cpus(ref, cpus);
    if (!r)
        r = &ref->pts[0];
    for (size_t i = 0; i < n; i++)
        if (&s[i] != ref && !strcmp(s[i].topic, topic) && s[i].is_ok &&
            s[i].size == ref->size)
            note_one_cost(ns, &s[i], ref, r->workers);
}

/* The judged series whose 1-worker baseline spread more than
 * METRICS_NOISY_SPREAD, in one sentence (four named at most). */
static void note_noisy(struct notices *ns, const struct metrics_series *s,
                       size_t n, const char *topic)
{
    static const char *const names[] = { "s0", "s1", "s2", "s3" };
    char *list = NULL;
    size_t len = 0, nnoisy = 0;
    struct notice *nt = NULL;
    FILE *f = NULL;

    for (size_t i = 0; i < n; i++) {
        if (!is_judged(&s[i], topic) || !s[i].is_noisy_base)
            continue;
        if (!nt) {
            nt = notice_add(ns, "plot.noisy_baselines");
            notice_num(nt, "noisy_at", METRICS_NOISY_SPREAD, U_PCT);
            f = open_memstream(&list, &len);
        }
        if (nnoisy < 4 && f) {
            notice_num(nt, names[nnoisy], s[i].base_spread, U_PCT);
            notice_rel(nt, names[nnoisy], REL_VGT, 1, "noisy_at");
            fprintf(f, "%s%s/%s {%s}", nnoisy ? ", " : "", s[i].topic,
                    s[i].kernel, names[nnoisy]);
        }
        nnoisy++;
    }
    if (!nt)
        return;
    if (f)
        fclose(f);
    notice_num(nt, "n", (double)nnoisy, U_INT);
    notice_say(nt, "The 1-worker time of {n|kernel|kernels} varied more "
               "than {noisy_at} over the reps (%s%s; ringed on the charts), "
               "so {!n|its|their} speedups are uncertain; more --reps "
               "would tell.", list ? list : "", nnoisy > 4 ? ", and more" :
               "");
    free(list);
}

/* Kernels that gave a wrong answer: never drawn as a speedup. */
static void note_wrong(struct notices *ns, const struct metrics_series *s,
                       size_t n, const char *topic)
{
    for (size_t i = 0; i < n; i++) {
        size_t nwrong = 0;
        struct notice *nt;

        if ((topic && strcmp(s[i].topic, topic)) || s[i].is_ok)
            continue;
        for (size_t k = 0; k < s[i].npts; k++)
            nwrong += !s[i].pts[k].is_ok;
        nt = notice_add(ns, "plot.wrong_answer");
        notice_num(nt, "wrong", (double)nwrong, U_INT);
        notice_num(nt, "none", 0, U_INT);
        notice_rel(nt, "wrong", REL_GT, 1, "none");
        notice_say(nt, "%s/%s gave a wrong answer at {wrong|worker "
                   "count|worker counts}: its times are drawn apart, as "
                   "not a result, and never as a speedup.", s[i].topic,
                   s[i].kernel);
    }
}

void sweepnotes_add(const struct metrics_series *s, size_t n, int cpus,
                    const char *topic, struct notices *ns)
{
    /* on 1 CPU: any series run on more workers (there is nothing within) */
    const struct metrics_series *b = best_series(s, n, cpus > 1 ? cpus :
                                                 INT_MAX, topic);

    if (topic && metrics_cost_reference(topic))
        note_cost(ns, s, n, cpus, topic);
    if (b && cpus == 1) {
        struct notice *nt = notice_add(ns, "plot.one_cpu");
        notice_num(nt, "cpus", cpus, U_INT);
        notice_num(nt, "one", 1, U_INT);
        notice_rel(nt, "cpus", REL_EQ, 1, "one");
        notice_say(nt, "This sweep had {cpus|CPU|CPUs}: more workers can "
                   "only take turns on it, so no speedup was possible and "
                   "no Amdahl fit was made.");
    } else if (b) {
        note_best(ns, b, cpus);
        note_superlinear(ns, b, cpus);
        note_fit(ns, b, cpus);
    }
    if (b)
        note_oversubscribed(ns, b, cpus);
    note_noisy(ns, s, n, topic);
    note_wrong(ns, s, n, topic);
}
