/* lesson/forkjoin.c - fork-join: split, fork, do your half, wait, join.
 * What to notice: every variant gives the serial answer; the fastest one
 * against the CPUs it had; what a fork costs over a thread - explained
 * only when the fork was the slower; how OpenMP runs tasks on its team.
 */
#include "lesson/forkjoin.h"
#include "lesson/lesson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOO_FAST 1.1        /* above the possible: the serial was slowed */
#define GAIN_AT 1.1         /* less than this: "little gain" */

static const char *const name[FJV_N] = {
    "serial", "fork", "pthread", "omp-task",
};

static int count_wrong(const struct forkjoin_results *r)
{
    int wrong = 0;

    for (int v = 0; v < FJV_N; v++)
        wrong += r->is_wrong[v];
    return wrong;
}

static void notice_answer(const struct forkjoin_results *r,
                          struct notices *ns)
{
    char ok[200];

    if (r->is_sort)
        snprintf(ok, sizeof(ok), "Every variant's output was sorted, a "
                 "permutation of the input, and identical to the serial one "
                 "(checksum %016llx).", r->checksum);
    else
        snprintf(ok, sizeof(ok), "Every variant computed the serial sum, "
                 "%lld.", (long long)r->checksum);
    lesson_all_right(ns, "forkjoin.same_answer", "forkjoin.wrong_answer",
                     count_wrong(r), ok, "{wrong|variant|variants} did NOT "
                     "give the serial answer: a bug, not a lesson.");
}

/* The right-answer parallel variant with the smallest median, or -1. */
static int fastest(const struct forkjoin_results *r)
{
    int best = -1;

    for (int v = FJV_FORK; v < FJV_N; v++)
        if (!r->is_wrong[v] && (best < 0 || r->secs[v].v < r->secs[best].v))
            best = v;
    return best;
}

static struct notice *speed_notice(struct notices *ns, const char *id,
                                   const struct forkjoin_results *r, int best)
{
    struct notice *n = notice_add(ns, id);
    long long most = r->leaves < r->cpus ? r->leaves : r->cpus;

    notice_est(n, "speedup", est_ratio(r->secs[FJV_SERIAL], r->secs[best]),
               U_RATIO);
    notice_num(n, "most", (double)most, U_INT);
    notice_num(n, "leaves", (double)r->leaves, U_INT);
    notice_num(n, "cpus", r->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "gain_at", GAIN_AT, U_RATIO);
    notice_num(n, "best_secs", r->secs[best].v, U_DUR);
    for (int v = FJV_FORK; v < FJV_N; v++) {
        char key[16];
        snprintf(key, sizeof(key), "t_%d", v);
        notice_num(n, key, r->secs[v].v, U_DUR);
        if (v != best && !r->is_wrong[v])
            notice_rel(n, "best_secs", REL_VLE, 1, key);
    }
    return n;
}

/* One CPU: nothing runs at once; a gain is more turns. */
static void speed_one_cpu(const struct forkjoin_results *r,
                          struct notices *ns, int best)
{
    struct notice *n = speed_notice(ns, "forkjoin.one_cpu", r, best);

    notice_rel(n, "cpus", REL_EQ, 1, "one");
    notice_say(n, "This process may use only 1 CPU, so no variant can run "
               "its halves at once: the best, %s, ran at {speedup} of the "
               "serial speed.", name[best]);
    lesson_one_cpu_gain(ns, "forkjoin.one_cpu_share", name[best],
                        est_ratio(r->secs[FJV_SERIAL], r->secs[best]),
                        (int)r->leaves, r->cpus_busy[best],
                        r->cpus_busy[FJV_SERIAL]);
}

static void speed_too_fast(const struct forkjoin_results *r,
                           struct notices *ns, int best)
{
    struct notice *n = speed_notice(ns, "forkjoin.too_fast", r, best);

    notice_rel(n, "speedup", REL_VGT, TOO_FAST, "most");
    notice_num(n, "busy_serial", r->cpus_busy[FJV_SERIAL], U_NUM);
    notice_num(n, "full", 0.9, U_NUM);
    notice_say(n, "The fastest parallel variant, %s, ran {speedup} faster "
               "than serial, more than {most|CPU|CPUs} can give: the serial "
               "runs were slowed by something else; run it again.",
               name[best]);
    if (r->cpus_busy[FJV_SERIAL] < 0.9) {
        notice_rel(n, "busy_serial", REL_VLT, 1, "full");
        notice_say(n, "%s (Serial kept only {busy_serial} of a CPU busy: "
                   "other programs had the rest.)", n->text);
    }
}

/* Two CPUs or more, a gain worth the word: parallel, or more turns? */
static void speed_gain(const struct forkjoin_results *r, struct notices *ns,
                       int best, double s, double most)
{
    struct notice *n = speed_notice(ns, "forkjoin.speedup", r, best);
    bool is_turns = r->cpus_busy[best] < LESSON_AT_ONCE;
    char pre[400];

    notice_rel(n, "speedup", REL_VGE, 1, "gain_at");
    notice_num(n, "good", 0.75 * most, U_RATIO);
    notice_num(n, "busy", r->cpus_busy[best], U_NUM);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    notice_rel(n, "busy", is_turns ? REL_VLT : REL_VGE, 1, "at_once");
    if (!is_turns)
        notice_rel(n, "speedup", s < 0.75 * most ? REL_VLT : REL_VGE, 1,
                   "good");
    snprintf(pre, sizeof(pre), "The fastest parallel variant, %s, ran "
             "{speedup} faster than serial with {leaves|leaf|leaves} on "
             "{cpus|allowed CPU|allowed CPUs} (at most {most}x is possible "
             "here)%s", name[best], is_turns
             ? ", but kept only {busy} CPUs busy: the gain came from more "
               "turns on a shared machine, not from running at once;"
             : s < 0.75 * most ? "; well short of it:" : "");
    if (is_turns)
        n->id = "forkjoin.speedup_turns";
    if (is_turns || s < 0.75 * most)
        notice_cause(n, &r->cond, pre);
    else
        notice_say(n, "%s, keeping {busy} CPUs busy.", pre);
}

static void notice_speedup(const struct forkjoin_results *r,
                           struct notices *ns)
{
    int best = fastest(r);
    double s, most = (double)(r->leaves < r->cpus ? r->leaves : r->cpus);
    struct notice *n;
    char pre[200];

    if (best < 0 || r->is_wrong[FJV_SERIAL])
        return;                 /* a wrong answer has no speed */
    s = stats_speedup(r->secs[FJV_SERIAL].v, r->secs[best].v);
    if (r->cpus == 1) {
        speed_one_cpu(r, ns, best);
    } else if (s > TOO_FAST * most) {
        speed_too_fast(r, ns, best);
    } else if (s < GAIN_AT) {
        n = speed_notice(ns, "forkjoin.little_gain", r, best);
        notice_rel(n, "speedup", REL_VLT, 1, "gain_at");
        notice_rel(n, "cpus", REL_GT, 1, "one");
        snprintf(pre, sizeof(pre), "The fastest parallel variant, %s, ran "
                 "at only {speedup} of the serial speed with {leaves|leaf|leaves} "
                 "on {cpus} allowed CPUs:", name[best]);
        notice_cause(n, &r->cond, pre);
    } else {
        speed_gain(r, ns, best, s, most);
    }
}

static void notice_oversubscribed(const struct forkjoin_results *r,
                                  struct notices *ns)
{
    struct notice *n;

    if (r->leaves <= r->cpus || r->cpus == 1)
        return;
    n = notice_add(ns, "forkjoin.oversubscribed");
    notice_num(n, "leaves", (double)r->leaves, U_INT);
    notice_num(n, "cpus", r->cpus, U_INT);
    notice_num(n, "threads", r->threads, U_INT);
    notice_rel(n, "leaves", REL_GT, 1, "cpus");
    notice_say(n, "There were more leaves ({leaves}) than CPUs ({cpus}): the "
               "fork and pthread variants run them all at once and take "
               "turns; OpenMP queues them as tasks for its {threads} "
               "threads.");
}

/* fork was decidedly slower: the textbook reason, unless it simply got
 * less CPU than pthread did. */
static void fork_slower(struct notice *n, const struct forkjoin_results *r)
{
    if (r->cpus_busy[FJV_FORK] < 0.8 * r->cpus_busy[FJV_PTHREAD]) {
        n->id = "forkjoin.fork_starved";
        notice_rel(n, "busy_fork", REL_VLT, 0.8, "busy_pthread");
        notice_say(n, "fork took {diff} longer than pthread ({fork} vs "
                   "{pthread}), but it also got less CPU ({busy_fork} against "
                   "{busy_pthread} CPUs busy): other programs took the "
                   "difference, so this run does not show what a process "
                   "costs more than a thread.");
        return;
    }
    notice_rel(n, "busy_fork", REL_VGE, 0.8, "busy_pthread");
    if (r->is_sort)
        notice_say(n, "fork took {diff} longer than pthread ({fork} vs "
                   "{pthread}). Its children sort private copies of their "
                   "halves and send them back through pipes ({piped} MiB "
                   "here), while threads share memory and send nothing.");
    else
        notice_say(n, "fork took {diff} longer than pthread ({fork} vs "
                   "{pthread}): a fork copies the parent's page tables "
                   "({mapped} MiB of arrays mapped here), a thread only gets "
                   "a stack; the answer itself is 8 bytes through a pipe.");
}

static void notice_fork_cost(const struct forkjoin_results *r,
                             struct notices *ns)
{
    struct est f = r->secs[FJV_FORK], p = r->secs[FJV_PTHREAD];
    struct notice *n;

    if (r->leaves < 2)
        return;
    n = notice_add(ns, "forkjoin.fork_slower");
    notice_est(n, "fork", f, U_DUR);
    notice_est(n, "pthread", p, U_DUR);
    notice_est(n, "diff", est_diff(f, p), U_DUR);
    notice_est(n, "less", est_diff(p, f), U_DUR);
    notice_num(n, "piped", r->piped_mib, U_NUM);
    notice_num(n, "mapped", r->mapped_mib, U_NUM);
    notice_num(n, "busy_fork", r->cpus_busy[FJV_FORK], U_NUM);
    notice_num(n, "busy_pthread", r->cpus_busy[FJV_PTHREAD], U_NUM);
    switch (notice_order(n, "fork", "pthread")) {
    case 1:
        fork_slower(n, r);
        break;
    case -1:
        n->id = "forkjoin.fork_faster";
        notice_say(n, "fork took {less} less than pthread here ({fork} vs "
                   "{pthread}), although its children %s: this run does "
                   "not show why; compare min and max, or run it again.",
                   r->is_sort ? "send {piped} MiB back through pipes"
                              : "copy the parent's page tables");
        break;
    default:
        n->id = "forkjoin.fork_like_pthread";
        notice_say(n, "fork took {fork} and pthread {pthread}: too close to "
                   "tell apart in these runs, so this run does not show what "
                   "a process costs more than a thread.");
    }
}

static void notice_omp(const struct forkjoin_results *r, struct notices *ns)
{
    struct notice *n;

    if (r->omp_nodes > 1 && r->omp_threads > 0) {
        n = notice_add(ns, "forkjoin.omp_team");
        notice_num(n, "nodes", r->omp_nodes, U_INT);
        notice_num(n, "threads", r->omp_threads, U_INT);
        notice_num(n, "team", r->threads, U_INT);
        notice_rel(n, "threads", REL_VLE, 1, "team");
        notice_rel(n, "threads", REL_VLT, 1, "nodes");
        notice_say(n, "OpenMP ran the {nodes} recorded tree nodes on "
                   "{!threads|thread|threads} %s only: a task is queued "
                   "work for a fixed team, not a new thread.", r->omp_ids);
    }
    if (r->omp_self_joins > 0) {
        n = notice_add(ns, "forkjoin.omp_self_join");
        notice_num(n, "self", r->omp_self_joins, U_INT);
        notice_num(n, "joins", r->omp_joins, U_INT);
        notice_num(n, "zero", 0, U_INT);
        notice_rel(n, "self", REL_GT, 1, "zero");
        notice_say(n, "At {self} of {joins} OpenMP joins the waiting thread "
                   "ran the forked task itself: taskwait works through the "
                   "queue instead of sleeping.");
    }
    if (r->refused_forks || r->refused_threads) {
        n = notice_add(ns, "forkjoin.refused");
        notice_num(n, "forks", r->refused_forks, U_INT);
        notice_num(n, "threads", r->refused_threads, U_INT);
        notice_num(n, "zero", 0, U_INT);
        notice_rel(n, r->refused_forks ? "forks" : "threads", REL_GT, 1,
                   "zero");
        notice_say(n, "Over the runs the system refused "
                   "{forks|fork|forks} and {threads|thread|threads}; those "
                   "halves ran in their parent instead.");
    }
}

/* One line of the sweep: a variant's medians against its serial. */
struct curve {
    const char *name, *base;    /* "pthread", "serial" */
    const double *secs;         /* [point * stride] */
    int stride;
    double serial;
};

static struct curve c_curve(const struct fj_sweep_results *sw, int v)
{
    return (struct curve){ name[v], "serial", &sw->secs[0][v], FJV_N,
                           sw->serial_s };
}

static double at(const struct curve *c, int i)
{
    return c->secs[i * c->stride];
}

/* The first sweep point where the curve was slower than its serial (or
 * not run: it had collapsed), or -1. */
static int crossover(const struct fj_sweep_results *sw,
                     const struct curve *c)
{
    for (int i = 0; i < sw->npoints; i++)
        if (isnan(at(c, i)) || at(c, i) > c->serial)
            return i;
    return -1;
}

static void notice_cross(const struct fj_sweep_results *sw,
                         const struct curve *c, struct notices *ns)
{
    int i = crossover(sw, c), last = sw->npoints - 1;
    struct notice *n = notice_add(ns, "forkjoin.grain_collapse");

    notice_num(n, "serial", c->serial, U_DUR);
    if (i >= 0 && isnan(at(c, i)))
        i = i > 0 ? i - 1 : i;      /* stopped: quote its last point */
    notice_num(n, "cutoff", (double)sw->cutoff[i < 0 ? last : i], U_INT);
    notice_num(n, "leaves", (double)sw->leaves[i < 0 ? last : i], U_INT);
    notice_num(n, "t", at(c, i < 0 ? last : i), U_DUR);
    if (i < 0) {
        n->id = "forkjoin.grain_ahead";
        notice_rel(n, "t", REL_VLE, 1, "serial");
        notice_say(n, "%s stayed ahead of %s ({serial}) down to cutoff "
                   "{cutoff} ({leaves|leaf|leaves}, {t}).", c->name, c->base);
    } else if (at(c, i) > c->serial && i == 0) {
        notice_rel(n, "t", REL_VGT, 1, "serial");
        notice_say(n, "%s was slower than %s ({t} vs {serial}) even at "
                   "the coarsest grain.", c->name, c->base);
    } else if (at(c, i) > c->serial) {
        notice_num(n, "before", (double)sw->cutoff[i - 1], U_INT);
        notice_num(n, "t_before", at(c, i - 1), U_DUR);
        notice_rel(n, "t", REL_VGT, 1, "serial");
        notice_rel(n, "t_before", REL_VLE, 1, "serial");
        notice_say(n, "%s fell behind %s ({serial}) at cutoff {cutoff} "
                   "({leaves|leaf|leaves}, {t}); it was still ahead at "
                   "{before}.", c->name, c->base);
    } else {
        n->id = "forkjoin.grain_stopped";
        notice_rel(n, "t", REL_VLE, 1, "serial");
        notice_say(n, "%s was still ahead of %s at cutoff {cutoff} "
                   "({t}); the sweep starts no more leaves for it.", c->name,
                   c->base);
    }
}

static void notice_order_of_collapse(const struct fj_sweep_results *sw,
                                     struct notices *ns)
{
    int cross[FJV_N];
    struct notice *n = notice_add(ns, "forkjoin.grain_order");

    for (int v = FJV_FORK; v < FJV_N; v++) {
        struct curve c = c_curve(sw, v);
        cross[v] = crossover(sw, &c);
        cross[v] = cross[v] < 0 ? FJ_SWEEP_MAX : cross[v];
    }
    notice_num(n, "fork", cross[FJV_FORK], U_INT);
    notice_num(n, "pthread", cross[FJV_PTHREAD], U_INT);
    notice_num(n, "omp", cross[FJV_OMP], U_INT);
    if (cross[FJV_FORK] < cross[FJV_PTHREAD] &&
        cross[FJV_PTHREAD] <= cross[FJV_OMP]) {
        notice_rel(n, "fork", REL_VLT, 1, "pthread");
        notice_rel(n, "pthread", REL_VLE, 1, "omp");
        notice_say(n, "Order of collapse here: fork first, then pthread, "
                   "then omp-task: processes cost most to start, OpenMP "
                   "tasks least.");
        return;
    }
    n->id = "forkjoin.grain_order_unclear";
    notice_rel(n, cross[FJV_FORK] < cross[FJV_PTHREAD] ? "pthread" : "fork",
               REL_VGT, 1, cross[FJV_FORK] < cross[FJV_PTHREAD] ? "omp"
                                                               : "pthread");
    if (cross[FJV_FORK] >= cross[FJV_PTHREAD])
        n->rel[0].rel = REL_VGE;
    notice_say(n, "Here the variants did not collapse in the textbook order "
               "(fork first, then pthread, then omp-task): a tie or a noisy "
               "machine can swap neighbours; run it again.");
}

/* ---- the Python part ---- */

static bool py_answer(const struct forkjoin_results *r, struct notices *ns)
{
    const struct fj_python *py = r->py;
    char ok[200], bad[200];

    snprintf(ok, sizeof(ok), "Python's serial run and its Pool.map both gave "
             "C's answer on the same %lld %s (%s).", py->n,
             py->n == 1 ? "number" : "numbers", r->is_sort
             ? "sorted, the same count and sum" : "the same sum");
    snprintf(bad, sizeof(bad), "Python's {wrong|run|runs} did NOT give C's "
             "answer on the same %lld %s: a bug, not a lesson.", py->n,
             py->n == 1 ? "number" : "numbers");
    return lesson_all_right(ns, "forkjoin.py_same_answer",
                            "forkjoin.py_wrong_answer",
                            py->is_wrong[FJP_SERIAL] + py->is_wrong[FJP_POOL],
                            ok, bad);
}

/* Pool.map against one Python process: a gain, a loss, or a tie. */
static void py_pool(const struct forkjoin_results *r, struct notices *ns)
{
    const struct fj_python *py = r->py;
    struct notice *n = notice_add(ns, "forkjoin.py_pool_gain");
    int order;

    notice_est(n, "serial", py->secs[FJP_SERIAL], U_DUR);
    notice_est(n, "pool", py->secs[FJP_POOL], U_DUR);
    notice_est(n, "speedup", est_ratio(py->secs[FJP_SERIAL],
                                       py->secs[FJP_POOL]), U_RATIO);
    notice_num(n, "workers", py->workers, U_INT);
    notice_num(n, "leaves", (double)py->leaves, U_INT);
    order = notice_order(n, "serial", "pool");
    if (order > 0) {
        notice_say(n, "Python's Pool.map of {workers|process|processes} "
                   "ran {speedup} faster than one Python process ({pool} vs "
                   "{serial}).");
    } else if (order < 0) {
        n->id = "forkjoin.py_pool_loss";
        notice_say(n, "Python's Pool.map of {workers|process|processes} "
                   "was slower than one Python process ({pool} vs "
                   "{serial}): starting the Pool and pickling "
                   "{leaves|piece|pieces} to it and back cost more than "
                   "the work it shared.");
    } else {
        n->id = "forkjoin.py_pool_tie";
        notice_say(n, "Python's Pool.map took {pool}, one Python process "
                   "{serial}: their runs varied too much, or were too few, "
                   "to tell which was faster.");
    }
}

/* The same serial job per number, in both languages. */
static void py_vs_c(const struct forkjoin_results *r, struct notices *ns)
{
    struct notice *n;
    double py, c;

    if (r->is_wrong[FJV_SERIAL] || r->py->n < 1 || r->n < 1)
        return;                 /* no number: no time per number */
    py = r->py->secs[FJP_SERIAL].v / (double)r->py->n;
    c = r->secs[FJV_SERIAL].v / (double)r->n;
    if (!(py > 0) || !(c > 0))
        return;
    n = notice_add(ns, "forkjoin.py_vs_c");
    notice_num(n, "py", py, U_DUR);
    notice_num(n, "c", c, U_DUR);
    notice_num(n, "ratio", py / c, U_NUM);
    notice_num(n, "py_n", (double)r->py->n, U_INT);
    notice_num(n, "c_n", (double)r->n, U_INT);
    if (py > c) {
        notice_rel(n, "py", REL_VGT, 1, "c");
        notice_say(n, "Per number, Python's serial %s took {py} (of {py_n}), "
                   "C's {c} (of {c_n}): {ratio} times as long.",
                   r->is_sort ? "sorted()" : "sum()");
        return;
    }
    n->id = "forkjoin.py_not_slower";
    notice_rel(n, "py", REL_VLE, 1, "c");
    notice_say(n, "Per number, Python's serial %s ({py}) was not slower "
               "than C's ({c}) on this run.", r->is_sort ? "sorted()"
                                                        : "sum()");
}

static void python_notices(const struct forkjoin_results *r,
                           struct notices *ns)
{
    if (!py_answer(r, ns))
        return;                 /* a wrong answer has no speed */
    py_pool(r, ns);
    py_vs_c(r, ns);
}

/* Pool.map's line of the sweep, against Python's serial. */
static void python_sweep(const struct fj_sweep_results *sw,
                         struct notices *ns)
{
    struct curve c = { "Python's Pool.map", "one Python process",
                       sw->py_secs, 1, sw->py_serial_s };

    if (sw->has_python)
        notice_cross(sw, &c, ns);
}

void forkjoin_notices(const struct forkjoin_results *res,
                      struct notices *ns)
{
    notice_answer(res, ns);
    notice_speedup(res, ns);
    notice_oversubscribed(res, ns);
    notice_fork_cost(res, ns);
    notice_omp(res, ns);
    if (res->py)
        python_notices(res, ns);
    if (res->sweep && res->sweep->npoints > 0) {
        for (int v = FJV_FORK; v < FJV_N; v++) {
            struct curve c = c_curve(res->sweep, v);
            notice_cross(res->sweep, &c, ns);
        }
        notice_order_of_collapse(res->sweep, ns);
        python_sweep(res->sweep, ns);
    } else if (res->sweep) {
        struct notice *n = notice_add(ns, "forkjoin.no_sweep");
        notice_num(n, "n", (double)res->n, U_INT);
        notice_num(n, "least", FJ_SWEEP_LEAST_N, U_INT);
        notice_rel(n, "n", REL_VLT, 1, "least");
        notice_say(n, "No grain sweep: -n {n} is too small to split (the "
                   "sweep's first cutoff, n/2, must leave at least 16 "
                   "elements: -n {least} or more).");
    }
}
