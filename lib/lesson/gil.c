/* lesson/gil.c - why Python needs processes for CPU work.
 * What to notice: CPU threads holding one lock keep one CPU busy however
 * many there are; without the lock, or as processes, they keep more; a
 * waiting thread lets go of the lock, so waits overlap anyway.
 */
#include "lesson/gil.h"
#include "lesson/lesson.h"

#define HELD_AT 1.3         /* "about as long as one": below this */
#define ONE_CPU_AT 1.2      /* CPUs busy: "only the holder runs" */
#define GOOD_SHARE 0.75     /* of the possible speedup */
#define TOO_FAST 1.15       /* above the possible: the base was slowed */

static int count_index(const struct work_sweep *sw, int n)
{
    int i;

    for (i = 0; i < sw->ncounts - 1 && sw->counts[i] != n; i++)
        ;
    return i;
}

/* The column the CPU comparisons use: as many workers as CPUs (or the
 * most there are); on 1 CPU the last one. */
static int column(const struct gil_results *res)
{
    const struct work_sweep *sw = res->sw;
    int last = sw->ncounts - 1, n = sw->counts[last];

    if (res->cpus == 1)
        return last;
    return count_index(sw, n < res->cpus ? n : res->cpus);
}

/* A notice citing variant v at column c as "<name>" (speedup), "<name>_n"
 * (workers) and "<name>_busy" (CPUs busy). */
static void cite(struct notice *n, const struct work_sweep *sw, int v, int c,
                 const char *name)
{
    char key[NOTICE_NAME_LEN];

    notice_est(n, name, sw->gain[v][c], U_RATIO);
    snprintf(key, sizeof(key), "%s_n", name);
    notice_num(n, key, sw->counts[c], U_INT);
    snprintf(key, sizeof(key), "%s_busy", name);
    notice_num(n, key, sw->cpus[v][c], U_NUM);
}

static struct notice *gil_notice(struct notices *ns, const char *id,
                                 const struct gil_results *res)
{
    struct notice *n = notice_add(ns, id);

    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "held_at", HELD_AT, U_RATIO);
    notice_num(n, "one_cpu_at", ONE_CPU_AT, U_NUM);
    return n;
}

/* On one CPU threads take turns with or without a lock. */
static void notice_one_cpu(const struct gil_results *res, struct notices *ns)
{
    const struct work_sweep *sw = res->sw;
    int last = sw->ncounts - 1;
    struct notice *n = gil_notice(ns, "gil.one_cpu", res);

    cite(n, sw, GIL_THREADS, last, "gil");
    cite(n, sw, GIL_FREE, last, "free");
    notice_rel(n, "cpus", REL_EQ, 1, "one");
    notice_say(n, "This process may use 1 CPU, so threads take turns with "
               "or without a GIL: {gil_n} CPU threads reached {gil} with "
               "the lock and {free} without. The GIL's cost cannot show "
               "here; run it without taskset to see it.");
    for (int v = GIL_THREADS; v <= GIL_PROCS; v++) {
        static const char *const what[] = {
            "CPU threads with the GIL", "CPU threads without it",
            "CPU processes",
        };
        lesson_one_cpu_gain(ns, "gil.one_cpu_share", what[v],
                            sw->gain[v][last], sw->counts[last],
                            sw->cpus[v][last], sw->cpus[v][0]);
    }
}

/* Did the threads without the lock do decidedly better than with it, at
 * as many workers as CPUs? Then the lock is shown to be the cause. */
static bool lock_shown(const struct gil_results *res)
{
    const struct work_sweep *sw = res->sw;
    int c = column(res);

    return rel_holds(REL_GT, sw->gain[GIL_FREE][c], 1,
                     sw->gain[GIL_THREADS][c]) &&
           sw->gain[GIL_FREE][c].v >= HELD_AT &&
           sw->cpus[GIL_FREE][c] >= LESSON_AT_ONCE;
}

static void notice_held(const struct gil_results *res, struct notices *ns)
{
    const struct work_sweep *sw = res->sw;
    int last = sw->ncounts - 1;
    struct notice *n = gil_notice(ns, "gil.held", res);
    struct est g = sw->gain[GIL_THREADS][last];

    cite(n, sw, GIL_THREADS, last, "gil");
    notice_rel(n, "cpus", REL_GT, 1, "one");
    if (sw->cpus[GIL_THREADS][last] > ONE_CPU_AT) {
        n->id = "gil.held_busy";
        notice_rel(n, "gil_busy", REL_VGT, 1, "one_cpu_at");
        notice_say(n, "CPU threads sharing the GIL reached {gil} with "
                   "{gil_n|worker|workers} and kept {gil_busy} CPUs busy, "
                   "more than the holder alone; this run cannot say why.");
        return;
    }
    notice_rel(n, "gil_busy", REL_VLE, 1, "one_cpu_at");
    if (rel_holds(REL_LT, g, 1, est_exact(HELD_AT)) && !lock_shown(res)) {
        n->id = "gil.held_cause_unshown";
        notice_rel(n, "gil", REL_LT, 1, "held_at");
        notice_say(n, "CPU threads sharing the GIL: {gil} with {gil_n|worker|"
                   "workers} on {cpus|allowed CPU|allowed CPUs}, keeping "
                   "{gil_busy} CPUs busy. The GIL lets only its holder run, "
                   "but threads without it did no better here (next), so this "
                   "run cannot show that the lock is why.");
    } else if (rel_holds(REL_LT, g, 1, est_exact(HELD_AT))) {
        notice_rel(n, "gil", REL_LT, 1, "held_at");
        notice_say(n, "CPU threads sharing the GIL: {gil} with {gil_n|worker|"
                   "workers} on {cpus|allowed CPU|allowed CPUs}, keeping "
                   "{gil_busy} CPUs busy. Only the holder runs, so {gil_n} "
                   "threads take about as long as one.");
    } else if (g.v >= HELD_AT) {
        n->id = "gil.held_base_slowed";
        notice_rel(n, "gil", REL_VGE, 1, "held_at");
        notice_cause(n, &sw->cond, "CPU threads sharing the GIL kept only "
                  "{gil_busy} CPUs busy, yet reached {gil} with {gil_n|worker|"
                  "workers}: one CPU's worth cannot beat one worker, so the "
                  "1-worker run was slowed;");
    } else {
        n->id = "gil.held_noisy";
        notice_rel(n, "gil", REL_NEAR, 1, "held_at");
        notice_say(n, "CPU threads sharing the GIL kept {gil_busy} CPUs "
                   "busy: only the holder runs. Their speedup, {gil} with "
                   "{gil_n|worker|workers}, varied from {gil:lo} to {gil:hi} "
                   "over the runs: too noisy to say more.");
    }
}

/* Adds "most": the speedup at workers on cpus CPUs can reach. */
static int add_most(struct notice *n, int workers, int cpus)
{
    int most = workers < cpus ? workers : cpus;

    notice_num(n, "most", most, U_INT);
    return most;
}

/* The threads without the lock did not show the lock's cost: why. */
static void lock_not_shown(struct notice *n, const struct gil_results *res,
                           int c)
{
    const struct work_sweep *sw = res->sw;
    int order = notice_order(n, "free", "gil");

    n->id = "gil.lock_not_shown";
    if (order > 0 && sw->cpus[GIL_FREE][c] < LESSON_AT_ONCE) {
        notice_rel(n, "free_busy", REL_VLT, 1, "at_once");
        notice_cause(n, &sw->cond, "The same threads without the lock "
                     "reached {free} with {free_n|worker|workers}, yet kept "
                     "only {free_busy} CPUs busy: the gain came from more "
                     "turns, not from running at once, so this run does not "
                     "show the lock's cost:");
    } else if (order > 0) {
        notice_rel(n, "free", REL_VLT, 1, "held_at");
        notice_cause(n, &sw->cond, "The same threads without the lock "
                     "reached {free} with {free_n|worker|workers}: better "
                     "than with it ({gil}), but far from what {most} CPUs "
                     "allow:");
    } else {
        notice_cause(n, &sw->cond, "The same threads without the lock "
                     "reached {free} with {free_n|worker|workers}, not "
                     "decidedly better than with it ({gil}), so this run "
                     "does not show the lock's cost:");
    }
}

static void notice_free(const struct gil_results *res, struct notices *ns)
{
    const struct work_sweep *sw = res->sw;
    int c = column(res), most;
    struct notice *n = gil_notice(ns, "gil.lock_is_the_cause", res);

    cite(n, sw, GIL_FREE, c, "free");
    cite(n, sw, GIL_THREADS, c, "gil");
    most = add_most(n, sw->counts[c], res->cpus);
    if (sw->gain[GIL_FREE][c].v > TOO_FAST * most) {
        n->id = "gil.free_too_fast";
        notice_rel(n, "free", REL_VGT, TOO_FAST, "most");
        notice_say(n, "The same threads without the lock reached {free} "
                   "with {free_n|worker|workers}, more than the {most}x "
                   "possible: the 1-worker run was slowed; run it again.");
        return;
    }
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    if (lock_shown(res)) {
        notice_rel(n, "free", REL_GT, 1, "gil");
        notice_rel(n, "free", REL_VGE, 1, "held_at");
        notice_rel(n, "free_busy", REL_VGE, 1, "at_once");
        notice_say(n, "The same threads without the lock reached {free} "
                   "with {free_n|worker|workers} and kept {free_busy} CPUs "
                   "busy (with the lock: {gil}, {gil_busy} CPUs): it is the "
                   "lock, not threads as such, that holds Python's CPU "
                   "threads to one CPU.");
        return;
    }
    lock_not_shown(n, res, c);
}

static void notice_procs(const struct gil_results *res, struct notices *ns)
{
    const struct work_sweep *sw = res->sw;
    int c = column(res), most;
    struct notice *n = gil_notice(ns, "gil.processes", res);
    double s = sw->gain[GIL_PROCS][c].v;

    cite(n, sw, GIL_PROCS, c, "proc");
    most = add_most(n, sw->counts[c], res->cpus);
    notice_num(n, "good", GOOD_SHARE * most, U_RATIO);
    if (res->cpus == 1) {
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "On 1 allowed CPU processes, each with its own GIL, "
                   "cannot run at once either: parallelism needs CPUs.");
    } else if (s > TOO_FAST * most) {
        n->id = "gil.processes_too_fast";
        notice_rel(n, "proc", REL_VGT, TOO_FAST, "most");
        notice_say(n, "CPU processes reached {proc} with "
                   "{proc_n|worker|workers}, more than the {most}x possible: "
                   "the 1-worker run was slowed; run it again.");
    } else if (s >= GOOD_SHARE * most &&
               sw->cpus[GIL_PROCS][c] < LESSON_AT_ONCE) {
        n->id = "gil.processes_turns";
        notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
        notice_rel(n, "proc", REL_VGE, 1, "good");
        notice_rel(n, "proc_busy", REL_VLT, 1, "at_once");
        notice_cause(n, &sw->cond, "CPU processes reached {proc} with "
                     "{proc_n|worker|workers} but kept only {proc_busy} CPUs "
                     "busy: the gain came from more turns on a shared "
                     "machine, not from running at once;");
    } else if (s >= GOOD_SHARE * most) {
        notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
        notice_rel(n, "proc", REL_VGE, 1, "good");
        notice_rel(n, "proc_busy", REL_VGE, 1, "at_once");
        notice_say(n, "CPU processes, each with its own interpreter and "
                   "GIL, reached {proc} with {proc_n|worker|workers} and kept "
                   "{proc_busy} CPUs busy; {most}x is the most {proc_n|worker|"
                   "workers} on {cpus|CPU|CPUs} can give. This is why Python "
                   "uses multiprocessing for CPU work.");
    } else {
        n->id = "gil.processes_short";
        notice_rel(n, "proc", REL_VLT, 1, "good");
        notice_cause(n, &sw->cond, "CPU processes, each with its own "
                  "interpreter and GIL, reached only {proc} with "
                  "{proc_n|worker|workers}, well short of the {most}x "
                  "possible:");
    }
}

static void notice_wait(const struct gil_results *res, struct notices *ns)
{
    const struct work_sweep *sw = res->sw;
    int last = sw->ncounts - 1, n_w = sw->counts[last];
    struct notice *n = gil_notice(ns, "gil.waits_overlap", res);
    double s = sw->gain[GIL_WAIT][last].v;

    cite(n, sw, GIL_WAIT, last, "wait");
    notice_num(n, "half", 0.5 * n_w, U_RATIO);
    notice_num(n, "n", n_w, U_INT);
    if (n_w == 1) {
        n->id = "gil.waits_one";
        notice_rel(n, "n", REL_EQ, 1, "one");
        notice_say(n, "With 1 worker there are no waits to overlap; try "
                   "-t 4.");
    } else if (s > TOO_FAST * n_w) {
        n->id = "gil.waits_too_fast";
        notice_rel(n, "wait", REL_VGT, TOO_FAST, "n");
        notice_say(n, "Waiting threads reached {wait} with {wait_n|worker|"
                   "workers}, more than {wait_n|worker|workers} can give: the "
                   "1-worker run was slowed; run it again.");
    } else if (s > 0.5 * n_w) {
        notice_rel(n, "wait", REL_VGT, 1, "half");
        notice_say(n, "Waiting threads reached {wait} with {wait_n|worker|"
                   "workers} although they share the GIL: each releases it "
                   "while it waits (time.sleep, socket and file reads do), "
                   "so the waits overlap. Threads do help Python with "
                   "IO-bound work.");
    } else {
        n->id = "gil.waits_short";
        notice_rel(n, "wait", REL_VLE, 1, "half");
        notice_cause(n, &sw->cond, "Waiting threads reached only {wait} with "
                  "{wait_n|worker|workers}: the waits did not overlap well;");
    }
}

static void notice_handoffs(const struct gil_results *res,
                            struct notices *ns)
{
    const struct work_sweep *sw = res->sw;
    int last = sw->ncounts - 1;
    double hand = sw->extra[GIL_THREADS][last];
    double secs = sw->secs[GIL_THREADS][last];
    struct notice *n;

    if (sw->counts[last] < 2 || !(hand > 0))
        return;
    n = notice_add(ns, "gil.handoffs");
    notice_num(n, "n", sw->counts[last], U_INT);
    notice_num(n, "hand", hand, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_num(n, "secs", secs, U_DUR);
    notice_num(n, "every", secs / hand, U_DUR);
    notice_num(n, "interval", res->switch_s, U_DUR);
    notice_rel(n, "hand", REL_VGT, 1, "zero");
    notice_say(n, "In the {n}-thread GIL run the lock changed hands {hand} "
               "times in {secs}: about every {every}, for a switch "
               "interval of {interval}.");
    if (secs / hand > 1.3 * res->switch_s) {
        notice_rel(n, "every", REL_VGT, 1.3, "interval");
        notice_say(n, "%s A waiter asks only after a whole interval of its "
                   "own passed with no switch, so with several waiters it "
                   "takes 1 to 2 intervals, as in CPython.", n->text);
    }
}

void gil_notices(const struct gil_results *res, struct notices *ns)
{
    if (res->cpus == 1) {
        notice_one_cpu(res, ns);
    } else {
        notice_held(res, ns);
        notice_free(res, ns);
    }
    notice_procs(res, ns);
    notice_wait(res, ns);
    notice_handoffs(res, ns);
}
