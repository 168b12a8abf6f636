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
    struct notice *n = notice_add(ns, "forkjoin.same_answer");
    int wrong = count_wrong(r);

    notice_num(n, "wrong", wrong, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (wrong) {
        n->id = "forkjoin.wrong_answer";
        notice_rel(n, "wrong", REL_GT, 1, "zero");
        notice_say(n, "{wrong|variant|variants} did NOT give the serial "
                   "answer: a bug, not a lesson.");
        return;
    }
    notice_rel(n, "wrong", REL_EQ, 1, "zero");
    if (r->is_sort)
        notice_say(n, "Every variant's output was sorted, a permutation of "
                   "the input, and identical to the serial one (checksum "
                   "%016llx).", r->checksum);
    else
        notice_say(n, "Every variant computed the serial sum, %lld.",
                   (long long)r->checksum);
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
             "{speedup} faster than serial with {leaves} leaves on "
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
                 "at only {speedup} of the serial speed with {leaves} leaves "
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

/* The first sweep point where variant v was slower than serial (or not
 * run: it had collapsed), or -1. */
static int crossover(const struct fj_sweep_results *sw, int v)
{
    for (int i = 0; i < sw->npoints; i++)
        if (isnan(sw->secs[i][v]) || sw->secs[i][v] > sw->serial_s)
            return i;
    return -1;
}

static void notice_cross(const struct fj_sweep_results *sw, int v,
                         struct notices *ns)
{
    int i = crossover(sw, v), last = sw->npoints - 1;
    struct notice *n = notice_add(ns, "forkjoin.grain_collapse");

    notice_num(n, "serial", sw->serial_s, U_DUR);
    if (i >= 0 && isnan(sw->secs[i][v]))
        i = i > 0 ? i - 1 : i;      /* stopped: quote its last point */
    notice_num(n, "cutoff", (double)sw->cutoff[i < 0 ? last : i], U_INT);
    notice_num(n, "leaves", (double)sw->leaves[i < 0 ? last : i], U_INT);
    notice_num(n, "t", sw->secs[i < 0 ? last : i][v], U_DUR);
    if (i < 0) {
        n->id = "forkjoin.grain_ahead";
        notice_rel(n, "t", REL_VLE, 1, "serial");
        notice_say(n, "%s stayed ahead of serial ({serial}) down to cutoff "
                   "{cutoff} ({leaves} leaves, {t}).", name[v]);
    } else if (sw->secs[i][v] > sw->serial_s && i == 0) {
        notice_rel(n, "t", REL_VGT, 1, "serial");
        notice_say(n, "%s was slower than serial ({t} vs {serial}) even at "
                   "the coarsest grain.", name[v]);
    } else if (sw->secs[i][v] > sw->serial_s) {
        notice_num(n, "before", (double)sw->cutoff[i - 1], U_INT);
        notice_num(n, "t_before", sw->secs[i - 1][v], U_DUR);
        notice_rel(n, "t", REL_VGT, 1, "serial");
        notice_rel(n, "t_before", REL_VLE, 1, "serial");
        notice_say(n, "%s fell behind serial ({serial}) at cutoff {cutoff} "
                   "({leaves} leaves, {t}); it was still ahead at "
                   "{before}.", name[v]);
    } else {
        n->id = "forkjoin.grain_stopped";
        notice_rel(n, "t", REL_VLE, 1, "serial");
        notice_say(n, "%s was still ahead of serial at cutoff {cutoff} "
                   "({t}); the sweep starts no more leaves for it.", name[v]);
    }
}

static void notice_order_of_collapse(const struct fj_sweep_results *sw,
                                     struct notices *ns)
{
    int at[FJV_N];
    struct notice *n = notice_add(ns, "forkjoin.grain_order");

    for (int v = FJV_FORK; v < FJV_N; v++) {
        at[v] = crossover(sw, v);
        at[v] = at[v] < 0 ? FJ_SWEEP_MAX : at[v];
    }
    notice_num(n, "fork", at[FJV_FORK], U_INT);
    notice_num(n, "pthread", at[FJV_PTHREAD], U_INT);
    notice_num(n, "omp", at[FJV_OMP], U_INT);
    if (at[FJV_FORK] < at[FJV_PTHREAD] && at[FJV_PTHREAD] <= at[FJV_OMP]) {
        notice_rel(n, "fork", REL_VLT, 1, "pthread");
        notice_rel(n, "pthread", REL_VLE, 1, "omp");
        notice_say(n, "Order of collapse here: fork first, then pthread, "
                   "then omp-task: processes cost most to start, OpenMP "
                   "tasks least.");
        return;
    }
    n->id = "forkjoin.grain_order_unclear";
    notice_rel(n, at[FJV_FORK] < at[FJV_PTHREAD] ? "pthread" : "fork",
               REL_VGT, 1, at[FJV_FORK] < at[FJV_PTHREAD] ? "omp"
                                                         : "pthread");
    if (at[FJV_FORK] >= at[FJV_PTHREAD])
        n->rel[0].rel = REL_VGE;
    notice_say(n, "Here the variants did not collapse in the textbook order "
               "(fork first, then pthread, then omp-task): a tie or a noisy "
               "machine can swap neighbours; run it again.");
}

void forkjoin_notices(const struct forkjoin_results *res,
                      struct notices *ns)
{
    notice_answer(res, ns);
    notice_speedup(res, ns);
    notice_oversubscribed(res, ns);
    notice_fork_cost(res, ns);
    notice_omp(res, ns);
    if (res->sweep && res->sweep->npoints > 0) {
        for (int v = FJV_FORK; v < FJV_N; v++)
            notice_cross(res->sweep, v, ns);
        notice_order_of_collapse(res->sweep, ns);
    }
}
