/* lesson/datatask_py.c - the rules of datatask's Python part: the
 * lecture's data vs task table run in Python beside the C. What to
 * notice: Python's answers are C's; how many times C's time Python's scan
 * took; what Pool.map (data) and a Process per task (task) gained, and
 * which gained more - each said only as far as this run's numbers show.
 */
#include <math.h>
#include <stdio.h>

#include "lesson/datatask.h"
#include "lesson/lesson.h"

#define PY_GAIN_AT 1.1      /* a speedup decidedly above this is a gain */

static struct notice *py_notice(struct notices *ns, const char *id,
                                const struct dt_results *res)
{
    struct notice *n = notice_add(ns, id);

    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "gain_at", PY_GAIN_AT, U_RATIO);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    notice_num(n, "rows", (double)res->py.rows, U_INT);
    return n;
}

static bool is_gain(struct est s)
{
    return rel_holds(REL_GT, s, 1, est_exact(PY_GAIN_AT));
}

double datatask_py_bound(const struct dt_python *py, int cpus)
{
    double share = py->ntasks < cpus ? py->ntasks : cpus;

    if (py->slowest_s <= 0 || share < 1)
        return 1;
    return py->total_s / fmax(py->slowest_s, py->total_s / share);
}

/* Python's serial scan against C's, on the same rows. */
static void notice_language(const struct dt_results *res, struct notices *ns)
{
    const struct dt_python *py = &res->py;
    struct notice *n = py_notice(ns, "datatask.py_slower", res);
    int order;

    notice_est(n, "py", py->serial, U_DUR);
    notice_est(n, "c", py->c_serial, U_DUR);
    notice_est(n, "times", est_ratio(py->serial, py->c_serial), U_NUM);
    order = notice_order(n, "py", "c");
    if (order > 0) {
        notice_say(n, "Python's serial sum by country took {py} for {rows} "
                   "rows, {times} times C's {c} on the same rows: each row "
                   "becomes Python objects (a list of strings, an int), "
                   "where C reads the bytes in place.");
        return;
    }
    n->id = order < 0 ? "datatask.py_faster" : "datatask.py_as_fast";
    notice_cause(n, &res->cond, order < 0
                 ? "Python's serial sum by country ({py}) was faster than "
                   "C's ({c}) on the same {rows} rows, against what the "
                   "code predicts:"
                 : "Python's serial sum by country ({py}) and C's ({c}) on "
                   "the same {rows} rows were too close to tell apart:");
}

/* Which rule spoke: above most, 1 CPU, more turns, a gain, none. */
enum { G_OVER, G_ONE_CPU, G_TURNS, G_GAIN, G_NONE };

/* A Python speedup s over its serial run, "most" (added) the most it
 * can be: `what` names the run, `over` is the sentence when s is above
 * most, `gained` ends the one when it gained; ids[G_...] the ids. */
static void say_gain(struct notice *n, const struct dt_results *res,
                     struct est s, double busy, const char *const ids[5],
                     const char *what, const char *over, const char *gained)
{
    bool is_over = s.v > notice_find(n, "most")->e.v;
    char pre[400];

    notice_est(n, "s", s, U_RATIO);
    notice_num(n, "busy", busy, U_NUM);
    n->id = ids[is_over ? G_OVER : res->cpus == 1 ? G_ONE_CPU :
                is_gain(s) ? (busy < LESSON_AT_ONCE ? G_TURNS : G_GAIN)
                           : G_NONE];
    if (is_over) {
        notice_rel(n, "s", REL_VGT, 1, "most");
        notice_cause(n, &res->cond, over);
    } else if (res->cpus == 1) {
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "%s ran at {s}: with 1 allowed CPU its processes "
                   "take turns, so they cannot run at once.", what);
    } else if (is_gain(s) && busy < LESSON_AT_ONCE) {
        notice_rel(n, "s", REL_GT, 1, "gain_at");
        notice_rel(n, "busy", REL_VLT, 1, "at_once");
        notice_say(n, "%s went {s} faster, but its processes kept only "
                   "{busy} CPUs busy: more processes got more turns on a "
                   "shared machine. That is not parallelism.", what);
    } else if (is_gain(s)) {
        notice_rel(n, "s", REL_GT, 1, "gain_at");
        notice_rel(n, "s", REL_VLE, 1, "most");
        notice_rel(n, "busy", REL_VGE, 1, "at_once");
        notice_say(n, "%s went {s} faster, keeping {busy} CPUs busy: %s",
                   what, gained);
    } else {
        notice_rel(n, "s", REL_VLE, 1, "most");
        snprintf(pre, sizeof(pre), isinf(s.hi)
                 ? "%s ran at {s} in a single run, and one run decides "
                   "nothing:" : "%s ran at {s} ({s:lo} to {s:hi} over the "
                   "runs), no decided gain:", what);
        notice_cause(n, &res->cond, pre);
    }
}

static const char *const pool_ids[5] = {
    "datatask.py_pool_too_fast", "datatask.py_pool_one_cpu",
    "datatask.py_pool_more_turns", "datatask.py_pool",
    "datatask.py_pool_no_gain",
};

static const char *const procs_ids[5] = {
    "datatask.py_procs_beat_bound", "datatask.py_procs_one_cpu",
    "datatask.py_procs_more_turns", "datatask.py_procs",
    "datatask.py_procs_no_gain",
};

/* Pool.map: the same operation on chunks, over Python's own serial. */
static void notice_pool(const struct dt_results *res, struct notices *ns)
{
    const struct dt_python *py = &res->py;
    struct notice *n = py_notice(ns, "datatask.py_pool", res);
    struct est s = est_ratio(py->serial, py->pool);

    notice_num(n, "most", fmin(fmin(py->workers, py->chunks), res->cpus),
               U_RATIO);
    notice_num(n, "n", py->workers, U_INT);
    notice_num(n, "chunks", py->chunks, U_INT);
    say_gain(n, res, s, py->pool_busy, pool_ids, "Pool.map ({n|worker|workers}, "
             "{chunks|chunk|chunks}) against Python's serial",
             "Pool.map went {s} against Python's serial, more than the "
             "{most} its {n|worker|workers} on {cpus|CPU|CPUs} can give, so "
             "something besides parallelism made the difference:",
             "the same operation on subsets of the rows, their tables "
             "merged once by the parent.");
}

/* A Process per task: different operations on the same rows. */
static void notice_procs(const struct dt_results *res, struct notices *ns)
{
    const struct dt_python *py = &res->py;
    struct notice *n = py_notice(ns, "datatask.py_procs", res);
    struct est s = py->task_speedup;

    notice_num(n, "most", datatask_py_bound(py, res->cpus), U_RATIO);
    notice_num(n, "tasks", py->ntasks, U_INT);
    notice_num(n, "slowest", py->slowest_s, U_DUR);
    notice_num(n, "total", py->total_s, U_DUR);
    say_gain(n, res, s, py->procs_busy, procs_ids, "A Process per task ({tasks} "
             "tasks) against one after another",
             "A Process per task ran at {s}, above the {most} no schedule "
             "of its {tasks} tasks on {cpus|CPU|CPUs} should beat (the "
             "slowest took {slowest} of {total} alone), so these timings "
             "are noisy;",
             "the slowest task alone took {slowest} of the {total}, so no "
             "schedule on these CPUs beats {most}.");
}

/* Which kind of parallelism gained more in Python, from the two. */
static void notice_kinds(const struct dt_results *res, struct notices *ns)
{
    const struct dt_python *py = &res->py;
    struct notice *n;
    int order;

    if (res->cpus < 2)
        return;
    n = py_notice(ns, "datatask.py_data_won", res);
    notice_est(n, "data", est_ratio(py->serial, py->pool), U_RATIO);
    notice_est(n, "task", py->task_speedup, U_RATIO);
    notice_num(n, "bound", datatask_py_bound(py, res->cpus), U_RATIO);
    notice_rel(n, "cpus", REL_GT, 1, "one");
    order = notice_order(n, "data", "task");
    if (order > 0) {
        notice_say(n, "In Python, data parallelism gained more here: "
                   "Pool.map {data}, a Process per task {task} (at most "
                   "{bound} with these tasks).");
    } else if (order < 0) {
        n->id = "datatask.py_task_won";
        notice_say(n, "In Python, task parallelism gained more here: a "
                   "Process per task {task}, Pool.map {data}. The lecture's "
                   "rule (data parallelism follows the data) did not show "
                   "on these {rows} rows.");
    } else {
        n->id = "datatask.py_kinds_near";
        notice_cause(n, &res->cond, "In Python neither kind decidedly "
                     "gained more (Pool.map {data}, a Process per task "
                     "{task}):");
    }
}

void datatask_py_notices(const struct dt_results *res, struct notices *ns)
{
    const struct dt_python *py = &res->py;
    struct notice *n;

    n = py_notice(ns, "datatask.py_same", res);
    notice_num(n, "answers", py->answers, U_INT);
    notice_num(n, "wrong", py->wrong, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (py->wrong) {
        n->id = "datatask.py_differs";
        notice_rel(n, "wrong", REL_GT, 1, "zero");
        notice_say(n, "{wrong|Python answer|Python answers} of {answers} "
                   "differ from C's on the same rows: that is a bug.");
    } else {
        notice_rel(n, "wrong", REL_EQ, 1, "zero");
        notice_say(n, "Python's {answers} answers (serial, Pool.map, every "
                   "task both ways) are C's on the same {rows} rows.");
    }
    notice_language(res, ns);
    notice_pool(res, ns);
    notice_procs(res, ns);
    notice_kinds(res, ns);
}
