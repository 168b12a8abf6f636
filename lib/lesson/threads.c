/* lesson/threads.c - processes vs threads.
 * What to notice: a fork costs more than a thread, and more with more
 * memory; a child's writes stay in the child unless the memory is
 * shared; CPU-bound work stops at the CPUs, waiting-bound work does not.
 */
#include "lesson/threads.h"
#include "lesson/lesson.h"

#include <stdio.h>
#include <string.h>

#define MIB (1024.0 * 1024.0)
#define GOOD_SHARE 0.75     /* of the possible speedup */
#define TOO_FAST 1.15       /* above the possible: the base was slowed */
#define PAST_WAITS 1.25     /* waits outscale the CPUs beyond this */
#define HELD_AT 1.3         /* Python threads "held to one": below this */

static const char *const kind[2][THR_NV] = {
    { "threads", "processes", "threads", "processes" },
    { "Python threads", "Python processes", "Python threads",
      "Python processes" },
};

static const char *kind_of(const struct threads_results *res, int v)
{
    return kind[res->is_python][v];
}

static void notice_fork_cost(const struct thr_creation *c, struct notices *ns)
{
    struct notice *n = notice_add(ns, "threads.fork_cost");

    notice_est(n, "fork", c->fork, U_DUR);
    notice_est(n, "thread", c->thread, U_DUR);
    notice_num(n, "times", stats_speedup(c->fork.v, c->thread.v), U_NUM);
    switch (notice_order(n, "fork", "thread")) {
    case 1:
        notice_say(n, "A fork (+_exit+waitpid) took {times} times as long "
                   "as a thread create (+join) here: {fork} vs {thread}.");
        break;
    case -1:
        n->id = "threads.fork_cheaper";
        notice_say(n, "A fork (+_exit+waitpid) was quicker than a thread "
                   "create (+join) here: {fork} vs {thread}, unusual; run "
                   "it again.");
        break;
    default:
        n->id = "threads.fork_cost_unclear";
        notice_say(n, "A fork (+_exit+waitpid) took {fork} and a thread "
                   "create (+join) {thread}: the runs varied too much to "
                   "tell them apart; run it again.");
    }
}

static void notice_fork_memory(const struct thr_creation *c,
                               struct notices *ns)
{
    int last = c->nmem - 1;
    struct notice *n;
    double mib;

    if (c->nmem == 0)
        return;
    mib = (double)c->mem[last] / MIB;
    n = notice_add(ns, "threads.fork_memory");
    notice_est(n, "fork_mem", c->fork_mem[last], U_DUR);
    notice_est(n, "fork", c->fork, U_DUR);
    notice_num(n, "mib", mib, U_NUM);
    notice_num(n, "per_mib", (c->fork_mem[last].v - c->fork.v) / mib, U_DUR);
    if (notice_order(n, "fork_mem", "fork") > 0) {
        notice_say(n, "With {mib} MiB touched a fork took {fork_mem}: about "
                   "{per_mib} more per touched MiB. The child gets a copy "
                   "of the parent's page tables (one entry per 4 KiB page), "
                   "all marked copy-on-write; a thread shares them, so its "
                   "cost does not grow.");
        return;
    }
    n->id = "threads.fork_memory_unshown";
    notice_say(n, "With {mib} MiB touched a fork took {fork_mem}, not "
               "decidedly longer than with nothing touched ({fork}) in "
               "this run.");
}

static void seen_values(struct notice *n, const struct thr_seen *s)
{
    notice_num(n, "before", s->before, U_INT);
    notice_num(n, "worker", s->worker, U_INT);
    notice_num(n, "parent", s->parent, U_INT);
}

static void notice_share_proc(const struct thr_share *s, struct notices *ns)
{
    struct notice *n = notice_add(ns, "threads.child_private");

    seen_values(n, &s->proc);
    if (s->proc.parent == s->proc.before && s->proc.worker != s->proc.before) {
        notice_rel(n, "parent", REL_EQ, 1, "before");
        notice_rel(n, "worker", REL_NE, 1, "before");
        notice_say(n, "The child process counted to {worker}, yet after "
                   "waitpid the parent reads {parent}: the child wrote to "
                   "its own copy of the memory. Processes share nothing "
                   "unless told to (here a pipe carried the child's view "
                   "back).");
    } else if (s->proc.parent == s->proc.worker) {
        n->id = "threads.child_shared";
        notice_rel(n, "parent", REL_EQ, 1, "worker");
        notice_rel(n, "worker", REL_NE, 1, "before");
        notice_say(n, "After waitpid the parent reads {parent}, what the "
                   "child wrote: this memory was shared with the child "
                   "(mmap MAP_SHARED, as multiprocessing.Value does), not "
                   "copied as fork() copies the rest.");
    } else {
        n->id = "threads.child_bug";
        notice_rel(n, "parent", REL_NE, 1, "worker");
        notice_rel(n, "parent", REL_NE, 1, "before");
        notice_say(n, "After waitpid the parent reads {parent}, neither "
                   "its own {before} nor the child's {worker}: a bug; "
                   "please report it.");
    }
}

static void notice_share_thread(const struct thr_share *s,
                                struct notices *ns)
{
    struct notice *n = notice_add(ns, "threads.thread_shared");

    seen_values(n, &s->thread);
    if (s->thread.parent == s->thread.worker) {
        notice_rel(n, "parent", REL_EQ, 1, "worker");
        notice_say(n, "After join the parent reads counter={parent}, what "
                   "the thread wrote: the thread wrote the parent's own "
                   "memory. Threads share everything, so shared data needs "
                   "locks (see pardemo race).");
    } else {
        n->id = "threads.thread_bug";
        notice_rel(n, "parent", REL_NE, 1, "worker");
        notice_say(n, "After join the parent reads counter={parent}, not "
                   "the {worker} the thread wrote: a bug; please report "
                   "it.");
    }
}

static int best_index(const struct work_sweep *sw, int v)
{
    int b = 0;

    for (int c = 1; c < sw->ncounts; c++)
        b = sw->gain[v][c].v > sw->gain[v][b].v ? c : b;
    return b;
}

/* The first column whose speedup is more than its workers and the CPUs
 * allow (waiting work: its workers only), or -1. */
static int too_fast_index(const struct work_sweep *sw, int v, int cpus)
{
    for (int c = 1; c < sw->ncounts; c++) {
        int can = v >= THR_WAIT_THREADS || sw->counts[c] < cpus
                  ? sw->counts[c] : cpus;
        if (sw->gain[v][c].v > TOO_FAST * can)
            return c;
    }
    return -1;
}

static struct notice *scale_notice(struct notices *ns, const char *id,
                                   const struct threads_results *res, int v)
{
    const struct work_sweep *sw = res->sw;
    int last = sw->ncounts - 1, b = best_index(sw, v);
    struct notice *n = notice_add(ns, id);

    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "n_last", sw->counts[last], U_INT);
    notice_est(n, "s_last", sw->gain[v][last], U_RATIO);
    notice_num(n, "n_best", sw->counts[b], U_INT);
    notice_est(n, "s_best", sw->gain[v][b], U_RATIO);
    notice_num(n, "busy_last", sw->cpus[v][last], U_NUM);
    return n;
}

/* A speedup above the possible: the 1-worker run was slowed. */
static bool notice_too_fast(const struct threads_results *res,
                            struct notices *ns, int v)
{
    const struct work_sweep *sw = res->sw;
    int c = too_fast_index(sw, v, res->cpus);
    struct notice *n;

    if (c < 0)
        return false;
    n = scale_notice(ns, "threads.too_fast", res, v);
    notice_num(n, "n", sw->counts[c], U_INT);
    notice_est(n, "s", sw->gain[v][c], U_RATIO);
    notice_num(n, "can", v >= THR_WAIT_THREADS || sw->counts[c] < res->cpus
               ? sw->counts[c] : res->cpus, U_INT);
    notice_rel(n, "s", REL_VGT, TOO_FAST, "can");
    notice_num(n, "busy_1", sw->cpus[v][0], U_NUM);
    notice_num(n, "full", 0.9, U_NUM);
    notice_say(n, "%s %s reached {s} with {n} workers, more than the {can}x "
               "possible: the 1-worker run was slowed, so this sweep does "
               "not show how they scale; run it again.",
               v >= THR_WAIT_THREADS ? "Waiting-bound" : "CPU-bound",
               kind_of(res, v));
    if (v < THR_WAIT_THREADS && sw->cpus[v][0] < 0.9) {
        notice_rel(n, "busy_1", REL_VLT, 1, "full");
        notice_say(n, "%s (With 1 worker it kept only {busy_1} of a CPU "
                   "busy: other programs had the rest.)", n->text);
    }
    return true;
}

static int count_index(const struct work_sweep *sw, int n)
{
    int i;

    for (i = 0; i < sw->ncounts - 1 && sw->counts[i] != n; i++)
        ;
    return i;
}

/* Python's processes whose starts (n times one Process start, by the
 * start method in use) took half the run at column c or more: says so
 * after pre, as the cause, and returns true; else false. */
static bool py_start_cause(struct notice *n, const struct threads_results *res,
                           int v, int c, const char *pre)
{
    const struct thr_py *py = res->py;
    const struct work_sweep *sw = res->sw;
    struct est one;

    if (!res->is_python || !py || (v != THR_CPU_PROCS && v != THR_WAIT_PROCS))
        return false;
    one = py->proc[py->nproc - 1];
    if (one.v * sw->counts[c] < 0.5 * sw->time[v][c].v)
        return false;
    notice_est(n, "start", one, U_DUR);
    notice_num(n, "starts", one.v * sw->counts[c], U_DUR);
    notice_num(n, "half_run", 0.5 * sw->time[v][c].v, U_DUR);
    notice_est(n, "run", sw->time[v][c], U_DUR);
    notice_num(n, "n_at", sw->counts[c], U_INT);
    notice_rel(n, "starts", REL_VGE, 1, "half_run");
    notice_say(n, "%s starting {n_at|process|processes} ({start} each, start "
               "method %s) took about {starts} of the {run} the run took: "
               "here a process costs more to start than the work it "
               "shares.", pre, py->method[py->nproc - 1]);
    return true;
}

/* CPU-bound work at and past the CPUs (the sweep reached them). */
/* Short of the CPUs, or a gain without the CPUs busy: says why and
 * returns true; otherwise adds the relations that rule both out. */
static bool cpu_fell_short(struct notice *n, const struct threads_results *res,
                           int v, int ci)
{
    const struct work_sweep *sw = res->sw;
    char pre[300];

    if (sw->gain[v][ci].v < GOOD_SHARE * res->cpus) {
        n->id = "threads.cpu_short";
        notice_rel(n, "s_cpus", REL_VLT, 1, "good");
        snprintf(pre, sizeof(pre), "CPU-bound %s peaked at {s_best} with "
                 "{n_best|worker|workers}, well short of the {cpus}x the "
                 "CPUs allow:", kind_of(res, v));
        if (!py_start_cause(n, res, v, ci, pre))
            notice_cause(n, &sw->cond, pre);
        return true;
    }
    notice_rel(n, "s_cpus", REL_VGE, 1, "good");
    if (sw->cpus[v][ci] < LESSON_AT_ONCE) {
        n->id = "threads.cpu_turns";
        notice_rel(n, "busy_at_cpus", REL_VLT, 1, "at_once");
        snprintf(pre, sizeof(pre), "CPU-bound %s reached {s_cpus} with "
                 "{cpus|worker|workers} but kept only {busy_at_cpus} CPUs "
                 "busy: the gain came from more turns on a shared machine, "
                 "not from running at once;", kind_of(res, v));
        notice_cause(n, &sw->cond, pre);
        return true;
    }
    notice_rel(n, "busy_at_cpus", REL_VGE, 1, "at_once");
    return false;
}

/* Past the CPUs, more workers gained: more turns, or noise. */
static void cpu_past(struct notice *n, const struct threads_results *res,
                     int v, int ci, int last)
{
    const struct work_sweep *sw = res->sw;

    n->id = "threads.cpu_past_cpus";
    notice_rel(n, "s_last", REL_VGT, 1.1, "s_cpus");
    if (sw->cpus[v][last] > 1.1 * sw->cpus[v][ci]) {
        notice_rel(n, "busy_last", REL_VGT, 1.1, "busy_at_cpus");
        notice_say(n, "CPU-bound %s reached {s_cpus} with "
                   "{cpus|worker|workers} and {s_last} with {n_last}, keeping "
                   "{busy_at_cpus} and then {busy_last} CPUs busy: on a "
                   "machine shared with other programs more workers get more "
                   "turns, not more CPUs.", kind_of(res, v));
    } else {
        notice_say(n, "CPU-bound %s reached {s_cpus} with "
                   "{cpus|worker|workers} and {s_last} with {n_last}, with "
                   "no more CPU time: the difference is noise; run it "
                   "again.", kind_of(res, v));
    }
}

static void notice_cpu_at_cpus(const struct threads_results *res,
                               struct notices *ns, int v)
{
    const struct work_sweep *sw = res->sw;
    int ci = count_index(sw, res->cpus), last = sw->ncounts - 1;
    struct notice *n = scale_notice(ns, "threads.cpu_stops_at_cpus", res, v);

    notice_est(n, "s_cpus", sw->gain[v][ci], U_RATIO);
    notice_num(n, "good", GOOD_SHARE * res->cpus, U_RATIO);
    notice_num(n, "busy_at_cpus", sw->cpus[v][ci], U_NUM);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    if (cpu_fell_short(n, res, v, ci))
        return;
    if (sw->counts[last] == res->cpus) {
        n->id = "threads.cpu_reaches_cpus";
        notice_say(n, "CPU-bound %s reached {s_cpus} with "
                   "{cpus|worker|workers} on {cpus|CPU|CPUs}; go past the "
                   "CPUs (-t %d) to see scaling stop.", kind_of(res, v),
                   4 * res->cpus);
    } else if (sw->gain[v][last].v > 1.1 * sw->gain[v][ci].v) {
        cpu_past(n, res, v, ci, last);
    } else {
        notice_rel(n, "s_last", REL_VLE, 1.1, "s_cpus");
        notice_say(n, "CPU-bound %s stopped scaling at {cpus|worker|workers} "
                   "= the allowed CPUs: {s_cpus} there, {s_last} with "
                   "{n_last}; more workers than CPUs only take turns.",
                   kind_of(res, v));
    }
}

static void notice_cpu(const struct threads_results *res, struct notices *ns,
                       int v)
{
    const struct work_sweep *sw = res->sw;
    int n_last = sw->counts[sw->ncounts - 1];
    struct notice *n;
    char what[40];

    if (res->cpus > 1 && notice_too_fast(res, ns, v))
        return;
    if (res->cpus == 1) {
        int b = best_index(sw, v);
        n = scale_notice(ns, "threads.cpu_one_cpu", res, v);
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "On 1 allowed CPU, CPU-bound %s cannot run at once.",
                   kind_of(res, v));
        snprintf(what, sizeof(what), "CPU-bound %s", kind_of(res, v));
        lesson_one_cpu_gain(ns, "threads.one_cpu_share", what,
                            sw->gain[v][b], sw->counts[b], sw->cpus[v][b],
                            sw->cpus[v][0]);
    } else if (n_last < res->cpus) {
        n = scale_notice(ns, "threads.cpu_below_cpus", res, v);
        notice_rel(n, "n_last", REL_VLT, 1, "cpus");
        notice_say(n, "CPU-bound %s reached {s_last} with "
                   "{n_last|worker|workers}: the sweep stopped below the "
                   "{cpus|allowed CPU|allowed CPUs}, so it cannot "
                   "show where scaling stops (try -t %d).",
                   kind_of(res, v), res->cpus);
    } else {
        notice_cpu_at_cpus(res, ns, v);
    }
}

static void notice_wait(const struct threads_results *res,
                        struct notices *ns, int v)
{
    const struct work_sweep *sw = res->sw;
    int last = sw->ncounts - 1, cv = v - THR_WAIT_THREADS;
    struct notice *n;
    char pre[200];

    if (notice_too_fast(res, ns, v))
        return;
    n = scale_notice(ns, "threads.waits_outscale", res, v);
    notice_est(n, "c_last", sw->gain[cv][last], U_RATIO);
    notice_num(n, "past", PAST_WAITS * res->cpus, U_RATIO);
    if (sw->counts[last] <= res->cpus) {
        n->id = "threads.waits_not_past";
        notice_rel(n, "n_last", REL_VLE, 1, "cpus");
        notice_say(n, "Waiting-bound %s reached {s_last} with {n_last|worker|"
                   "workers}, but the sweep did not go past the {cpus|allowed "
                   "CPU|allowed CPUs}, so it cannot show waits outscaling "
                   "them (try -t %d).", kind_of(res, v), 4 * res->cpus);
    } else if (sw->gain[v][last].v > PAST_WAITS * res->cpus) {
        notice_rel(n, "s_last", REL_VGT, 1, "past");
        notice_say(n, "Waiting-bound %s reached {s_last} with {n_last|worker|"
                   "workers} on {cpus|allowed CPU|allowed CPUs}, more than "
                   "{cpus|CPU|CPUs} can give CPU-bound work (it reached "
                   "{c_last}): a waiting worker needs no CPU, so the waits "
                   "overlap. %s",
                   kind_of(res, v), v == THR_WAIT_THREADS
                   ? "That is why threads suit IO-bound work."
                   : "Processes overlap waits too, but cost more to start.");
    } else {
        n->id = "threads.waits_short";
        notice_rel(n, "s_last", REL_VLE, 1, "past");
        snprintf(pre, sizeof(pre), "Waiting-bound %s reached only {s_last} "
                 "with {n_last|worker|workers}: the waits did not overlap "
                 "well;", kind_of(res, v));
        if (!py_start_cause(n, res, v, last, pre))
            notice_cause(n, &sw->cond, pre);
    }
}

/* ---- the Python part, beside its C twin ---- */

/* A Python thread's start against C's pthread. */
static void notice_py_thread(const struct threads_results *res,
                             struct notices *ns)
{
    struct notice *n = notice_add(ns, "threads.py_thread_cost");

    notice_est(n, "py_thread", res->py->thread, U_DUR);
    notice_est(n, "c_thread", res->creation->thread, U_DUR);
    notice_num(n, "times", stats_speedup(res->py->thread.v,
                                         res->creation->thread.v), U_NUM);
    switch (notice_order(n, "py_thread", "c_thread")) {
    case 1:
        notice_say(n, "A threading.Thread took {py_thread} to start and "
                   "join, {times} times the C thread's {c_thread}: the "
                   "same kernel thread, with Python's objects and locks "
                   "around it.");
        break;
    case -1:
        n->id = "threads.py_thread_cheaper";
        notice_say(n, "A threading.Thread took {py_thread} to start and "
                   "join, less than the C thread's {c_thread}: unusual, "
                   "as it is a C thread and more; run it again.");
        break;
    default:
        n->id = "threads.py_thread_cost_unclear";
        notice_say(n, "A threading.Thread took {py_thread} to start and "
                   "join and a C thread {c_thread}: the runs varied too "
                   "much to tell them apart; run it again.");
    }
}

/* A Process (started by fork) against a Thread, in Python. */
static void notice_py_process(const struct thr_py *py, struct notices *ns)
{
    struct notice *n = notice_add(ns, "threads.py_process_cost");

    notice_est(n, "py_proc", py->proc[0], U_DUR);
    notice_est(n, "py_thread", py->thread, U_DUR);
    notice_num(n, "times", stats_speedup(py->proc[0].v, py->thread.v),
               U_NUM);
    switch (notice_order(n, "py_proc", "py_thread")) {
    case 1:
        notice_say(n, "A multiprocessing.Process started by fork took "
                   "{py_proc} to start and join, {times} times a "
                   "threading.Thread ({py_thread}): a process is costly to "
                   "start in Python as in C.");
        break;
    case -1:
        n->id = "threads.py_process_cheaper";
        notice_say(n, "A multiprocessing.Process started by fork took "
                   "{py_proc}, less than a threading.Thread ({py_thread}): "
                   "unusual; run it again.");
        break;
    default:
        n->id = "threads.py_process_cost_unclear";
        notice_say(n, "A multiprocessing.Process took {py_proc} and a "
                   "threading.Thread {py_thread}: the runs varied too much "
                   "to tell them apart; run it again.");
    }
}

/* The start method in use, when it is not fork, against fork. */
static void notice_py_method(const struct thr_py *py, struct notices *ns)
{
    struct notice *n = notice_add(ns, "threads.py_method_cost");

    notice_est(n, "other", py->proc[1], U_DUR);
    notice_est(n, "fork", py->proc[0], U_DUR);
    notice_num(n, "times", stats_speedup(py->proc[1].v, py->proc[0].v),
               U_NUM);
    switch (notice_order(n, "other", "fork")) {
    case 1:
        notice_say(n, "With the start method %s a Process took {other}, "
                   "{times} times one started by fork ({fork}): %s",
                   py->method[1], strcmp(py->method[1], "spawn")
                   ? "a fork server forks a clean child, which then imports "
                     "the snippet's module again."
                   : "spawn starts a fresh Python, which imports the "
                     "snippet's module again; fork copies this one.");
        break;
    case -1:
        n->id = "threads.py_method_cheaper";
        notice_say(n, "With the start method %s a Process took {other}, "
                   "less than one started by fork ({fork}) in this run.",
                   py->method[1]);
        break;
    default:
        n->id = "threads.py_method_unclear";
        notice_say(n, "With the start method %s a Process took {other} and "
                   "with fork {fork}: the runs varied too much to tell them "
                   "apart; run it again.", py->method[1]);
    }
}

static void notice_py_share(const struct thr_share *s, struct notices *ns)
{
    struct notice *n = notice_add(ns, "threads.py_child_private");

    seen_values(n, &s->proc);
    if (s->proc.parent == s->proc.before && s->proc.worker != s->proc.before) {
        notice_rel(n, "parent", REL_EQ, 1, "before");
        notice_rel(n, "worker", REL_NE, 1, "before");
        notice_say(n, "In Python too: the Process subclass counted to "
                   "{worker} in its child, and after join() the parent's "
                   "counter still reads {parent}; only what the child put "
                   "on a Queue came back.");
    } else {
        n->id = "threads.py_child_shared";
        notice_rel(n, "parent", REL_NE, 1, "before");
        notice_say(n, "After join() the parent's counter reads {parent}, not "
                   "its own {before}: the Process subclass's writes reached "
                   "it, so they were not made in a child's copy - it ran in "
                   "this process (is it still a Process?) or wrote shared "
                   "memory (a multiprocessing.Value).");
    }
    n = notice_add(ns, "threads.py_thread_shared");
    seen_values(n, &s->thread);
    if (s->thread.parent == s->thread.worker) {
        notice_rel(n, "parent", REL_EQ, 1, "worker");
        notice_say(n, "The Thread subclass, the very same code, counted to "
                   "{worker}, and the parent reads {parent}: threads share "
                   "the interpreter's globals.");
    } else {
        n->id = "threads.py_thread_bug";
        notice_rel(n, "parent", REL_NE, 1, "worker");
        notice_say(n, "After join() the parent reads {parent}, not the "
                   "{worker} the Thread subclass counted: a bug; please "
                   "report it.");
    }
}

/* The column of the allowed CPUs (or the sweep's last, below them). */
static int cpus_column(const struct work_sweep *sw, int cpus)
{
    int c = count_index(sw, cpus);

    return sw->counts[c] > cpus && c > 0 ? c - 1 : c;
}

static void cite_gain(struct notice *n, const struct work_sweep *sw, int v,
                      int c, const char *name)
{
    char busy[NOTICE_NAME_LEN];

    snprintf(busy, sizeof(busy), "%s_busy", name);
    notice_est(n, name, sw->gain[v][c], U_RATIO);
    notice_num(n, busy, sw->cpus[v][c], U_NUM);
}

/* Python threads held by the GIL where its processes ran at once. */
static void py_gil_shown(struct notice *n, const struct threads_results *res,
                         int c)
{
    const struct work_sweep *c_sw = res->sw;
    int cc;

    notice_rel(n, "pyp", REL_GT, 1, "pyt");
    notice_rel(n, "pyp", REL_VGE, 1, "held_at");
    notice_rel(n, "pyp_busy", REL_VGE, 1, "at_once");
    if (c_sw && (cc = cpus_column(c_sw, res->cpus)) >= 0 &&
        c_sw->counts[cc] == res->py->sw->counts[c] &&
        rel_holds(REL_GT, c_sw->gain[THR_CPU_THREADS][cc], 1,
                  res->py->sw->gain[THR_CPU_THREADS][c])) {
        cite_gain(n, c_sw, THR_CPU_THREADS, cc, "ct");
        notice_rel(n, "ct", REL_GT, 1, "pyt");
        notice_say(n, "CPU-bound Python threads reached {pyt} with {n|worker|"
                   "workers}, the C threads {ct} and Python's processes "
                   "{pyp} ({pyp_busy} CPUs busy): only the thread holding "
                   "the GIL runs Python code, so Python needs processes for "
                   "CPU work (see pardemo gil).");
        return;
    }
    notice_say(n, "CPU-bound Python threads reached {pyt} with {n|worker|"
               "workers}, Python's processes {pyp} ({pyp_busy} CPUs busy): "
               "only the thread holding the GIL runs Python code, so "
               "Python needs processes for CPU work (see pardemo gil).");
}

static void notice_py_gil(const struct threads_results *res,
                          struct notices *ns)
{
    const struct work_sweep *py = res->py->sw;
    int c = cpus_column(py, res->cpus);
    struct notice *n = notice_add(ns, "threads.py_gil");

    notice_num(n, "n", py->counts[c], U_INT);
    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "held_at", HELD_AT, U_RATIO);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    cite_gain(n, py, THR_CPU_THREADS, c, "pyt");
    cite_gain(n, py, THR_CPU_PROCS, c, "pyp");
    if (res->cpus == 1 || py->counts[c] == 1) {
        n->id = "threads.py_gil_one_cpu";
        notice_rel(n, "n", REL_EQ, 1, "one");
        notice_say(n, "With 1 allowed CPU (or 1 worker) neither Python's "
                   "threads nor its processes can run at once: the GIL's "
                   "cost cannot show here.");
    } else if (!rel_holds(REL_LT, py->gain[THR_CPU_THREADS][c], 1,
                          est_exact(HELD_AT))) {
        n->id = "threads.py_gil_threads_gained";
        notice_rel(n, "pyt", py->gain[THR_CPU_THREADS][c].lo > HELD_AT
                   ? REL_GT : REL_NEAR, 1, "held_at");
        notice_say(n, "CPU-bound Python threads reached {pyt} with {n|worker|"
                   "workers}, not decidedly below {held_at}: this run cannot "
                   "show the GIL holding them to one CPU; run it again.");
    } else if (rel_holds(REL_GT, py->gain[THR_CPU_PROCS][c], 1,
                         py->gain[THR_CPU_THREADS][c]) &&
               py->gain[THR_CPU_PROCS][c].v >= HELD_AT &&
               py->cpus[THR_CPU_PROCS][c] >= LESSON_AT_ONCE) {
        notice_rel(n, "pyt", REL_LT, 1, "held_at");
        py_gil_shown(n, res, c);
    } else {
        n->id = "threads.py_gil_unshown";
        notice_rel(n, "pyt", REL_LT, 1, "held_at");
        notice_cause(n, &py->cond, "CPU-bound Python threads reached {pyt} "
                     "with {n|worker|workers}, and Python's processes did "
                     "not do decidedly better ({pyp}, {pyp_busy} CPUs busy), "
                     "so this run cannot show the GIL's cost:");
    }
}

static void py_notices(const struct threads_results *res,
                       struct notices *ns)
{
    const struct thr_py *py = res->py;
    struct threads_results pr = *res;

    if (res->creation)
        notice_py_thread(res, ns);
    notice_py_process(py, ns);
    if (py->nproc > 1)
        notice_py_method(py, ns);
    notice_py_share(&py->share, ns);
    if (!py->sw)
        return;
    notice_py_gil(res, ns);
    pr.sw = py->sw;
    pr.is_python = true;
    notice_cpu(&pr, ns, THR_CPU_PROCS);
    notice_wait(&pr, ns, THR_WAIT_THREADS);
    notice_wait(&pr, ns, THR_WAIT_PROCS);
}

void threads_notices(const struct threads_results *res, struct notices *ns)
{
    if (res->creation) {
        notice_fork_cost(res->creation, ns);
        notice_fork_memory(res->creation, ns);
    }
    if (res->share) {
        notice_share_proc(res->share, ns);
        notice_share_thread(res->share, ns);
    }
    if (res->sw) {
        notice_cpu(res, ns, THR_CPU_THREADS);
        notice_cpu(res, ns, THR_CPU_PROCS);
        notice_wait(res, ns, THR_WAIT_THREADS);
        notice_wait(res, ns, THR_WAIT_PROCS);
    }
    if (res->py)
        py_notices(res, ns);
}
