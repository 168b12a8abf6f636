/* lesson/scaling.c - Amdahl vs Gustafson, and Karp-Flatt from the points.
 * What to notice: how close the measured speedups came to the two laws
 * for the serial fraction set, and which fraction the timings imply;
 * nothing is read from a point where the workers did not run at once.
 */
#include "lesson/scaling.h"
#include "lesson/lesson.h"
#include "laws.h"

#include <math.h>

#define BAND 0.1            /* a measured value within 10% of the law */
#define KF_BAND 0.05        /* Karp-Flatt within 0.05 of the set fraction */
#define SUPERLINEAR 1.1     /* above n * this: not parallelism alone */
#define NOISY 0.25          /* the 1-worker baseline's spread */

struct est scaling_speedup(const struct scaling_results *r, int i)
{
    return est_ratio(r->points[0].strong_s, r->points[i].strong_s);
}

struct est scaling_scaled(const struct scaling_results *r, int i)
{
    return est_scale(est_ratio(r->points[0].weak_s, r->points[i].weak_s),
                     r->points[i].weak_work);
}

struct est scaling_karp_flatt(const struct scaling_results *r, int i)
{
    struct est s = scaling_speedup(r, i);
    int n = r->points[i].workers;

    /* e falls as S rises: the interval's ends swap */
    return (struct est){ law_karp_flatt(s.v, n), law_karp_flatt(s.hi, n),
                         law_karp_flatt(s.lo, n) };
}

/* The largest measured point with 2 or more workers, or -1. */
static int last_measured(const struct scaling_results *r)
{
    int m = -1;

    for (int i = 1; i < r->npoints; i++)
        if (r->points[i].is_measured)
            m = i;
    return m;
}

/* The values most notices cite, at point i. */
static struct notice *point_notice(struct notices *ns, const char *id,
                                   const struct scaling_results *r, int i)
{
    struct notice *n = notice_add(ns, id);
    double w = r->points[i].workers;

    notice_num(n, "f", r->serial, U_PCT);
    notice_num(n, "n", w, U_INT);
    notice_num(n, "cpus", r->cpus_allowed, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "zero", 0, U_NUM);
    notice_num(n, "a", law_amdahl(r->serial, w), U_RATIO);
    notice_num(n, "g", law_gustafson(r->serial, w), U_RATIO);
    notice_num(n, "ideal", w, U_RATIO);
    notice_num(n, "busy", r->points[i].busy, U_NUM);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    if (r->points[i].is_measured && i > 0) {
        notice_est(n, "s", scaling_speedup(r, i), U_RATIO);
        notice_est(n, "gs", scaling_scaled(r, i), U_RATIO);
    }
    return n;
}

/* The prediction, true whatever was measured: Amdahl's ceiling. */
static void notice_ceiling(const struct scaling_results *r, int last,
                           struct notices *ns)
{
    struct notice *n;

    if (!(r->serial > 0))
        return;
    n = point_notice(ns, "scaling.ceiling", r, last);
    notice_num(n, "cap", 1 / r->serial, U_RATIO);
    notice_rel(n, "f", REL_GT, 1, "zero");
    notice_say(n, "The laws: with {f} of the work serial, no number of "
               "workers makes this job more than {cap} faster (Amdahl: "
               "{a} at {n}); a job that grows with the workers has no such "
               "ceiling (Gustafson: {g} at {n}).");
}

/* Nothing past one worker was measured: say why, and that the rows
 * beyond are predictions. */
static void notice_unmeasured(const struct scaling_results *r,
                              struct notices *ns)
{
    struct notice *n = point_notice(ns, "scaling.one_cpu", r,
                                    r->npoints - 1);

    if (r->cpus_allowed == 1) {
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "Only 1 CPU is allowed to this process, so only the "
                   "1-worker run was measured: more workers would take "
                   "turns on it, and their times would show the scheduler, "
                   "not the laws. The other rows are predictions only.");
        return;
    }
    n->id = "scaling.one_worker";
    notice_num(n, "n", 1, U_INT);
    notice_rel(n, "n", REL_EQ, 1, "one");
    notice_say(n, "Only 1 worker was asked for (-t 1): there is no speedup "
               "to measure; try -t {cpus}.");
}

/* Rows past the allowed CPUs are predictions. */
static void notice_past_cpus(const struct scaling_results *r,
                             struct notices *ns)
{
    struct notice *n;

    if (r->npoints <= r->cpus_allowed || r->cpus_allowed == 1)
        return;
    n = point_notice(ns, "scaling.past_cpus", r, r->npoints - 1);
    notice_rel(n, "n", REL_GT, 1, "cpus");
    notice_say(n, "Past {cpus|CPU|CPUs} the rows are predictions only: "
               "more workers than CPUs take turns, so a time measured "
               "there would show the scheduler, not the laws.");
}

/* The 1-worker baseline varied: every speedup inherits it. */
static void notice_noisy(const struct scaling_results *r,
                         struct notices *ns)
{
    struct notice *n;
    struct est b = r->points[0].strong_s;

    if (!(est_spread(b) > NOISY) || !isfinite(b.hi))
        return;                 /* one run: no spread to speak of */
    n = notice_add(ns, "scaling.noisy");
    notice_est(n, "base", b, U_DUR);
    notice_num(n, "spread", est_spread(b), U_PCT);
    notice_num(n, "noisy", NOISY, U_PCT);
    notice_rel(n, "spread", REL_VGT, 1, "noisy");
    notice_cause(n, &r->cond, "The 1-worker time varied from {base:lo} to "
                 "{base:hi} over its runs ({spread} of its median), and "
                 "every speedup here is divided by it:");
}

/* The fixed job beat n workers' worth: not the law's doing. */
static bool notice_superlinear(const struct scaling_results *r, int m,
                               struct notices *ns)
{
    struct notice *n;

    if (!(scaling_speedup(r, m).lo > SUPERLINEAR * r->points[m].workers))
        return false;
    n = point_notice(ns, "scaling.superlinear", r, m);
    notice_rel(n, "s", REL_GT, SUPERLINEAR, "ideal");
    notice_cause(n, &r->cond, "With {n} workers the fixed job ran {s} "
                 "faster, more than {n} workers can give: something "
                 "besides parallelism (a slowed 1-worker run, caches, the "
                 "clock) made the difference, and no serial fraction is "
                 "read from it:");
    return true;
}

/* The workers took turns: the speedup is not the law's to explain. */
static bool notice_not_at_once(const struct scaling_results *r, int m,
                               struct notices *ns)
{
    struct notice *n;

    if (!(r->points[m].busy < LESSON_AT_ONCE))
        return false;
    n = point_notice(ns, "scaling.not_at_once", r, m);
    notice_rel(n, "busy", REL_VLT, 1, "at_once");
    notice_cause(n, &r->cond, "The {n} workers kept only {busy} CPUs busy "
                 "on average: they did not run at once, so their {s} is "
                 "not set beside Amdahl's {a}:");
    return true;
}

/* Strong scaling against Amdahl at the largest measured point. */
static void notice_amdahl(const struct scaling_results *r, int m,
                          struct notices *ns)
{
    struct notice *n = point_notice(ns, "scaling.amdahl", r, m);
    struct est s = scaling_speedup(r, m);
    double a = law_amdahl(r->serial, r->points[m].workers);

    if (s.v >= (1 - BAND) * a && s.v <= (1 + BAND) * a) {
        notice_rel(n, "s", REL_VGE, 1 - BAND, "a");
        notice_rel(n, "s", REL_VLE, 1 + BAND, "a");
        notice_say(n, "Strong scaling: {n} workers made the fixed job {s} "
                   "faster, close to Amdahl's {a} for {f} serial work: the "
                   "serial phase, not the CPUs, sets the limit.");
    } else if (s.hi < (1 - BAND) * a) {
        n->id = "scaling.below_amdahl";
        notice_rel(n, "s", REL_LT, 1 - BAND, "a");
        notice_cause(n, &r->cond, "Strong scaling: {n} workers made the "
                     "fixed job only {s} faster, decidedly below Amdahl's "
                     "{a} for {f} serial work:");
    } else if (s.lo > (1 + BAND) * a) {
        n->id = "scaling.above_amdahl";
        notice_rel(n, "s", REL_GT, 1 + BAND, "a");
        notice_cause(n, &r->cond, "Strong scaling: {n} workers made the "
                     "fixed job {s} faster, decidedly above Amdahl's {a}, "
                     "so the serial phase weighed less than the {f} set:");
    } else {
        n->id = "scaling.amdahl_unclear";
        notice_rel(n, "s", s.v < a ? REL_VLT : REL_VGT,
                   s.v < a ? 1 - BAND : 1 + BAND, "a");
        notice_say(n, "Strong scaling: {n} workers made the fixed job {s} "
                   "faster %s against Amdahl's {a}: too spread to say "
                   "whether it follows the law; run it again%s.",
                   isfinite(s.hi) ? "(from {s:lo} to {s:hi} over the runs)"
                                  : "(one run: no spread known)",
                   isfinite(s.hi) ? "" : " with more runs (-r)");
    }
}

/* Karp-Flatt: the serial fraction the timings imply, against f. */
static void notice_karp_flatt(const struct scaling_results *r, int m,
                              struct notices *ns)
{
    struct notice *n = point_notice(ns, "scaling.karp_flatt", r, m);
    struct est e = scaling_karp_flatt(r, m);

    notice_est(n, "e", e, U_PCT);
    notice_num(n, "f_lo", r->serial - KF_BAND, U_PCT);
    notice_num(n, "f_hi", r->serial + KF_BAND, U_PCT);
    if (e.v >= r->serial - KF_BAND && e.v <= r->serial + KF_BAND) {
        notice_rel(n, "e", REL_VGE, 1, "f_lo");
        notice_rel(n, "e", REL_VLE, 1, "f_hi");
        notice_say(n, "Karp-Flatt: the {s} on {n} workers implies a serial "
                   "fraction of {e}, beside the {f} you set: the timings "
                   "alone give the serial part away.");
    } else if (e.lo > r->serial + KF_BAND) {
        n->id = "scaling.karp_flatt_above";
        notice_rel(n, "e", REL_GT, 1, "f_hi");
        notice_say(n, "Karp-Flatt: the {s} on {n} workers implies a serial "
                   "fraction of {e}, above the {f} you set: time no worker "
                   "could share (starting threads, waiting at the join, a "
                   "CPU taken away) counts as serial too.");
    } else {
        n->id = "scaling.karp_flatt_unclear";
        notice_rel(n, "e", e.v < r->serial ? REL_VLT : REL_VGT, 1,
                   e.v < r->serial ? "f_lo" : "f_hi");
        notice_say(n, "Karp-Flatt: the {s} on {n} workers implies a serial "
                   "fraction of {e} %s, not close to the {f} you set; run "
                   "it again before reading anything into it.",
                   isfinite(e.hi) && isfinite(e.lo)
                       ? "(from {e:lo} to {e:hi} over the runs)"
                       : "(one run: no spread known)");
    }
}

/* Weak scaling against Gustafson at the largest measured point. */
static void notice_gustafson(const struct scaling_results *r, int m,
                             struct notices *ns)
{
    struct notice *n = point_notice(ns, "scaling.gustafson", r, m);
    struct est g = scaling_scaled(r, m);
    double law = law_gustafson(r->serial, r->points[m].workers);

    if (g.v >= (1 - BAND) * law && g.v <= (1 + BAND) * law) {
        notice_rel(n, "gs", REL_VGE, 1 - BAND, "g");
        notice_rel(n, "gs", REL_VLE, 1 + BAND, "g");
        notice_say(n, "Weak scaling: with the work per worker fixed, {n} "
                   "workers got through {gs} the work per second of one, "
                   "close to Gustafson's {g}: the same serial fraction that "
                   "holds the fixed job to {a} hardly limits a growing one.");
    } else if (g.hi < (1 - BAND) * law) {
        n->id = "scaling.below_gustafson";
        notice_rel(n, "gs", REL_LT, 1 - BAND, "g");
        notice_cause(n, &r->cond, "Weak scaling: {n} workers got through "
                     "only {gs} the work per second of one, decidedly below "
                     "Gustafson's {g}:");
    } else {
        n->id = "scaling.gustafson_unclear";
        notice_rel(n, "gs", g.v < law ? REL_VLT : REL_VGT,
                   g.v < law ? 1 - BAND : 1 + BAND, "g");
        notice_cause(n, &r->cond, isfinite(g.hi)
                     ? "Weak scaling: {n} workers got through {gs} the work "
                       "per second of one (from {gs:lo} to {gs:hi}), not "
                       "close to Gustafson's {g}:"
                     : "Weak scaling: {n} workers got through {gs} the work "
                       "per second of one (one run: no spread known), not "
                       "close to Gustafson's {g}:");
    }
}

void scaling_notices(const struct scaling_results *r, struct notices *ns)
{
    int m = last_measured(r);

    if (r->npoints < 1)
        return;
    if (m < 0) {
        notice_unmeasured(r, ns);
    } else {
        notice_noisy(r, ns);
        if (!notice_not_at_once(r, m, ns) && !notice_superlinear(r, m, ns)) {
            notice_amdahl(r, m, ns);
            notice_karp_flatt(r, m, ns);
        }
        if (r->points[m].busy >= LESSON_AT_ONCE)
            notice_gustafson(r, m, ns);
    }
    notice_past_cpus(r, ns);
    notice_ceiling(r, r->npoints - 1, ns);
}
