/* lesson/gil.c - why Python needs processes for CPU work.
 * What to notice: CPU threads holding one lock keep one CPU busy however
 * many there are; without the lock, or as processes, they keep more; a
 * waiting thread lets go of the lock, so waits overlap anyway.
 */
#include <math.h>

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
static int column_of(const struct work_sweep *sw, int cpus)
{
    int last = sw->ncounts - 1, n = sw->counts[last];

    if (cpus == 1)
        return last;
    return count_index(sw, n < cpus ? n : cpus);
}

static int column(const struct gil_results *res)
{
    return column_of(res->sw, res->cpus);
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
                   "{gil_n|worker|workers}, %s: too noisy to say more.",
                   isinf(g.hi) ? "came from a single run, and one run "
                   "decides nothing" : "varied from {gil:lo} to {gil:hi} "
                   "over the runs");
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

/* The ids and words of a processes rule: C's or Python's. */
struct procs_words {
    const char *id, *too_fast, *turns, *shortfall;
    const char *what;           /* "CPU processes, each with ..." */
    const char *on_one;         /* who cannot run at once on 1 CPU */
};

static const struct procs_words c_procs = {
    "gil.processes", "gil.processes_too_fast", "gil.processes_turns",
    "gil.processes_short", "CPU processes, each with its own interpreter "
    "and GIL,", "processes, each with its own GIL,",
};

static void notice_procs_of(const struct gil_results *res,
                            const struct work_sweep *sw, int v,
                            const struct procs_words *w, struct notices *ns)
{
    int c = column_of(sw, res->cpus), most;
    struct notice *n = gil_notice(ns, w->id, res);
    double s = sw->gain[v][c].v;
    char pre[300];

    cite(n, sw, v, c, "proc");
    most = add_most(n, sw->counts[c], res->cpus);
    notice_num(n, "good", GOOD_SHARE * most, U_RATIO);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    if (res->cpus == 1) {
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "On 1 allowed CPU %s cannot run at once either: "
                   "parallelism needs CPUs.", w->on_one);
    } else if (s > TOO_FAST * most) {
        n->id = w->too_fast;
        notice_rel(n, "proc", REL_VGT, TOO_FAST, "most");
        notice_say(n, "%s reached {proc} with {proc_n|worker|workers}, more "
                   "than the {most}x possible: the 1-worker run was slowed; "
                   "run it again.", w->what);
    } else if (s >= GOOD_SHARE * most &&
               sw->cpus[v][c] < LESSON_AT_ONCE) {
        n->id = w->turns;
        notice_rel(n, "proc", REL_VGE, 1, "good");
        notice_rel(n, "proc_busy", REL_VLT, 1, "at_once");
        snprintf(pre, sizeof(pre), "%s reached {proc} with {proc_n|worker|"
                 "workers} but kept only {proc_busy} CPUs busy: the gain "
                 "came from more turns on a shared machine, not from "
                 "running at once;", w->what);
        notice_cause(n, &sw->cond, pre);
    } else if (s >= GOOD_SHARE * most) {
        notice_rel(n, "proc", REL_VGE, 1, "good");
        notice_rel(n, "proc_busy", REL_VGE, 1, "at_once");
        notice_say(n, "%s reached {proc} with {proc_n|worker|workers} and "
                   "kept {proc_busy} CPUs busy; {most}x is the most "
                   "{proc_n|worker|workers} on {cpus|CPU|CPUs} can give. "
                   "This is why Python uses multiprocessing for CPU work.",
                   w->what);
    } else {
        n->id = w->shortfall;
        notice_rel(n, "proc", REL_VLT, 1, "good");
        snprintf(pre, sizeof(pre), "%s reached only {proc} with {proc_n|"
                 "worker|workers}, well short of the {most}x possible:",
                 w->what);
        notice_cause(n, &sw->cond, pre);
    }
}

static void notice_procs(const struct gil_results *res, struct notices *ns)
{
    notice_procs_of(res, res->sw, GIL_PROCS, &c_procs, ns);
}

/* The ids and words of a waiting rule: C's or Python's. */
struct wait_words {
    const char *id, *one, *too_fast, *shortfall;
    const char *what;           /* "Waiting threads" */
};

static const struct wait_words c_wait = {
    "gil.waits_overlap", "gil.waits_one", "gil.waits_too_fast",
    "gil.waits_short", "Waiting threads",
};

static void notice_wait_of(const struct gil_results *res,
                           const struct work_sweep *sw, int v,
                           const struct wait_words *w, struct notices *ns)
{
    int last = sw->ncounts - 1, n_w = sw->counts[last];
    struct notice *n = gil_notice(ns, w->id, res);
    double s = sw->gain[v][last].v;
    char pre[300];

    cite(n, sw, v, last, "wait");
    notice_num(n, "half", 0.5 * n_w, U_RATIO);
    notice_num(n, "n", n_w, U_INT);
    if (n_w == 1) {
        n->id = w->one;
        notice_rel(n, "n", REL_EQ, 1, "one");
        notice_say(n, "With 1 worker there are no waits to overlap; try "
                   "-t 4.");
    } else if (s > TOO_FAST * n_w) {
        n->id = w->too_fast;
        notice_rel(n, "wait", REL_VGT, TOO_FAST, "n");
        notice_say(n, "%s reached {wait} with {wait_n|worker|workers}, more "
                   "than {wait_n|worker|workers} can give: the 1-worker run "
                   "was slowed; run it again.", w->what);
    } else if (s > 0.5 * n_w) {
        notice_rel(n, "wait", REL_VGT, 1, "half");
        notice_say(n, "%s reached {wait} with {wait_n|worker|workers} "
                   "although they share the GIL: each releases it while it "
                   "waits (time.sleep, socket and file reads do), so the "
                   "waits overlap. Threads do help Python with IO-bound "
                   "work.", w->what);
    } else {
        n->id = w->shortfall;
        notice_rel(n, "wait", REL_VLE, 1, "half");
        snprintf(pre, sizeof(pre), "%s reached only {wait} with {wait_n|"
                 "worker|workers}: the waits did not overlap well;",
                 w->what);
        notice_cause(n, &sw->cond, pre);
    }
}

static void notice_wait(const struct gil_results *res, struct notices *ns)
{
    notice_wait_of(res, res->sw, GIL_WAIT, &c_wait, ns);
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

/* ---- the Python part: the real GIL, in the lecture's own code ---- */

static const struct procs_words py_procs = {
    "gil.py_processes", "gil.py_processes_too_fast", "gil.py_processes_turns",
    "gil.py_processes_short", "Python's multiprocessing.Process workers",
    "Python's processes",
};

static const struct procs_words py_pool = {
    "gil.py_pool", "gil.py_pool_too_fast", "gil.py_pool_turns",
    "gil.py_pool_short", "A multiprocessing.Pool (started in the timed run)",
    "a Pool's processes",
};

static const struct wait_words py_wait = {
    "gil.py_waits_overlap", "gil.py_waits_one", "gil.py_waits_too_fast",
    "gil.py_waits_short", "Python threads in time.sleep",
};

static void notice_py_one_cpu(const struct gil_results *res,
                              struct notices *ns)
{
    const struct work_sweep *py = res->py;
    int last = py->ncounts - 1;
    struct notice *n = gil_notice(ns, "gil.py_one_cpu", res);
    static const char *const what[] = {
        "Python's CPU threads", "Python's CPU processes", "Python's Pool",
    };

    cite(n, py, PY_THREADS, last, "pyt");
    cite(n, py, PY_PROCS, last, "pyp");
    notice_rel(n, "cpus", REL_EQ, 1, "one");
    notice_say(n, "On 1 allowed CPU Python's threads and processes take "
               "turns alike: {pyt_n} threading.Thread workers reached {pyt}, "
               "{pyp_n} processes {pyp}. The real GIL's cost cannot show "
               "here; run it without taskset to see it.");
    for (int v = PY_THREADS; v <= PY_POOL; v++)
        lesson_one_cpu_gain(ns, "gil.py_one_cpu_share", what[v],
                            py->gain[v][last], py->counts[last],
                            py->cpus[v][last], py->cpus[v][0]);
}

/* Did Python's processes do decidedly better than its threads, running
 * at once? Then the GIL is shown to be what held the threads. */
static bool py_gil_shown(const struct work_sweep *py, int c)
{
    return rel_holds(REL_GT, py->gain[PY_PROCS][c], 1,
                     py->gain[PY_THREADS][c]) &&
           py->gain[PY_PROCS][c].v >= HELD_AT &&
           py->cpus[PY_PROCS][c] >= LESSON_AT_ONCE;
}

static void py_threads_held(struct notice *n, const struct work_sweep *py,
                            int c)
{
    notice_rel(n, "pyt", REL_LT, 1, "held_at");
    if (py_gil_shown(py, c)) {
        notice_rel(n, "pyp", REL_GT, 1, "pyt");
        notice_rel(n, "pyp", REL_VGE, 1, "held_at");
        notice_rel(n, "pyp_busy", REL_VGE, 1, "at_once");
        notice_say(n, "The real GIL: {pyt_n} threading.Thread workers "
                   "running the same pure-Python loop reached {pyt} and kept "
                   "{pyt_busy} CPUs busy on {cpus|allowed CPU|allowed CPUs}, "
                   "while {pyp_n} multiprocessing.Process workers reached "
                   "{pyp} ({pyp_busy} CPUs busy): one thread at a time runs "
                   "Python code, so threads do not speed up CPU work.");
        return;
    }
    n->id = "gil.py_threads_cause_unshown";
    notice_cause(n, &py->cond, "Python's CPU threads reached {pyt} with "
                 "{pyt_n|worker|workers}, keeping {pyt_busy} CPUs busy; its "
                 "processes did not do decidedly better here ({pyp}, "
                 "{pyp_busy} CPUs busy), so this run cannot show that the "
                 "GIL is why:");
}

static void notice_py_threads(const struct gil_results *res,
                              struct notices *ns)
{
    const struct work_sweep *py = res->py;
    int c = column_of(py, res->cpus);
    struct notice *n = gil_notice(ns, "gil.py_threads_held", res);
    struct est g = py->gain[PY_THREADS][c];

    cite(n, py, PY_THREADS, c, "pyt");
    cite(n, py, PY_PROCS, c, "pyp");
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    notice_rel(n, "cpus", REL_GT, 1, "one");
    if (py->cpus[PY_THREADS][c] > ONE_CPU_AT) {
        n->id = "gil.py_threads_busy";
        notice_rel(n, "pyt_busy", REL_VGT, 1, "one_cpu_at");
        notice_say(n, "Python's CPU threads reached {pyt} with {pyt_n|worker|"
                   "workers} and kept {pyt_busy} CPUs busy, more than one "
                   "GIL holder; this run cannot say why.");
        return;
    }
    notice_rel(n, "pyt_busy", REL_VLE, 1, "one_cpu_at");
    if (rel_holds(REL_LT, g, 1, est_exact(HELD_AT))) {
        py_threads_held(n, py, c);
    } else if (g.v >= HELD_AT) {
        n->id = "gil.py_threads_base_slowed";
        notice_rel(n, "pyt", REL_VGE, 1, "held_at");
        notice_cause(n, &py->cond, "Python's CPU threads kept only "
                     "{pyt_busy} CPUs busy, yet reached {pyt} with {pyt_n|"
                     "worker|workers}: one CPU's worth cannot beat one "
                     "worker, so the 1-worker run was slowed;");
    } else {
        n->id = "gil.py_threads_noisy";
        notice_rel(n, "pyt", REL_NEAR, 1, "held_at");
        notice_say(n, "Python's CPU threads kept {pyt_busy} CPUs busy; their "
                   "speedup, {pyt} with {pyt_n|worker|workers}, varied from "
                   "{pyt:lo} to {pyt:hi} over the runs: too noisy to say "
                   "more.");
    }
}

/* Held to one CPU in both languages: the C twin shows the same thing. */
static void notice_twin(const struct gil_results *res, struct notices *ns)
{
    const struct work_sweep *sw = res->sw, *py = res->py;
    int c = column(res), pc = column_of(py, res->cpus);
    struct notice *n;

    if (sw->counts[c] != py->counts[pc] ||
        !rel_holds(REL_LT, sw->gain[GIL_THREADS][c], 1, est_exact(HELD_AT)) ||
        !rel_holds(REL_LT, py->gain[PY_THREADS][pc], 1, est_exact(HELD_AT)) ||
        sw->cpus[GIL_THREADS][c] > ONE_CPU_AT ||
        py->cpus[PY_THREADS][pc] > ONE_CPU_AT)
        return;
    n = gil_notice(ns, "gil.twin", res);
    cite(n, sw, GIL_THREADS, c, "gil");
    cite(n, py, PY_THREADS, pc, "pyt");
    notice_rel(n, "cpus", REL_GT, 1, "one");
    notice_rel(n, "gil", REL_LT, 1, "held_at");
    notice_rel(n, "pyt", REL_LT, 1, "held_at");
    notice_rel(n, "gil_busy", REL_VLE, 1, "one_cpu_at");
    notice_rel(n, "pyt_busy", REL_VLE, 1, "one_cpu_at");
    notice_say(n, "The C twin behaves alike: {gil_n} C threads taking turns "
               "at a GIL-like lock reached {gil} ({gil_busy} CPUs busy), "
               "{pyt_n} Python threads {pyt} ({pyt_busy} CPUs busy).");
}

/* What one work unit costs in each language, from the 1-worker runs. */
static void notice_unit_cost(const struct gil_results *res,
                             struct notices *ns)
{
    struct est c1 = est_scale(res->sw->time[GIL_FREE][0],
                              1.0 / (double)res->c_units);
    struct est p1 = est_scale(res->py->time[PY_THREADS][0],
                              1.0 / (double)res->py_units);
    struct notice *n = notice_add(ns, "gil.py_unit_cost");

    notice_est(n, "c_unit", c1, U_DUR);
    notice_est(n, "py_unit", p1, U_DUR);
    notice_num(n, "times", c1.v > 0 ? p1.v / c1.v : 0, U_NUM);
    switch (notice_order(n, "py_unit", "c_unit")) {
    case 0:
        n->id = "gil.py_unit_cost_close";
        notice_say(n, "One work unit took {py_unit} in Python and {c_unit} "
                   "in C: not decidedly apart in this run.");
        return;
    case -1:
        n->id = "gil.py_unit_cost_lower";
        notice_say(n, "One work unit took {py_unit} in Python and {c_unit} "
                   "in C: this run measured Python the faster, against "
                   "all expectation; run it again.");
        return;
    }
    notice_say(n, "One work unit (1000 rounds of 64-bit hashing) took "
               "{py_unit} in Python and {c_unit} in C: {times} times as long. "
               "Processes give Python more CPUs, not faster code.");
}

static void py_notices(const struct gil_results *res, struct notices *ns)
{
    if (res->cpus == 1) {
        notice_py_one_cpu(res, ns);
    } else {
        notice_py_threads(res, ns);
        if (res->sw)
            notice_twin(res, ns);
    }
    notice_procs_of(res, res->py, PY_PROCS, &py_procs, ns);
    notice_procs_of(res, res->py, PY_POOL, &py_pool, ns);
    notice_wait_of(res, res->py, PY_WAIT, &py_wait, ns);
    if (res->sw && res->c_units > 0 && res->py_units > 0)
        notice_unit_cost(res, ns);
}

void gil_notices(const struct gil_results *res, struct notices *ns)
{
    if (res->sw && res->cpus == 1) {
        notice_one_cpu(res, ns);
    } else if (res->sw) {
        notice_held(res, ns);
        notice_free(res, ns);
    }
    if (res->sw) {
        notice_procs(res, ns);
        notice_wait(res, ns);
        notice_handoffs(res, ns);
    }
    if (res->py)
        py_notices(res, ns);
}
