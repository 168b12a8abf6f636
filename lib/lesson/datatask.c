/* lesson/datatask.c - data parallelism vs task parallelism (and a
 * pipeline). What to notice: how much faster each shape ran, what bounds
 * it (CPUs, the slowest task, the slowest stage), that the totals are
 * exact, and why a gain did not show when it did not.
 */
#include <math.h>

#include "lesson/datatask.h"
#include "lesson/lesson.h"

#define GAIN_AT 1.1         /* a speedup decidedly above this is a gain */
#define IDLE_AT 1.2         /* busiest thread this much over the idlest */

static struct notice *dt_notice(struct notices *ns, const char *id,
                                const struct dt_results *res)
{
    struct notice *n = notice_add(ns, id);

    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_num(n, "gain_at", GAIN_AT, U_RATIO);
    return n;
}

static bool is_gain(struct est s)
{
    return rel_holds(REL_GT, s, 1, est_exact(GAIN_AT));
}

/* A gain whose workers kept fewer than LESSON_AT_ONCE CPUs busy came
 * from more turns on a shared CPU, not from running at once. */
static void say_more_turns(struct notice *n, double busy, const char *pre)
{
    notice_num(n, "busy", busy, U_NUM);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    notice_rel(n, "busy", REL_VLT, 1, "at_once");
    notice_say(n, "%s but its threads kept only {busy} CPUs busy: on a "
               "machine shared with other programs more threads got more "
               "turns. That is not parallelism.", pre);
}

/* ---- data parallelism ---------------------------------------------- */

static int best_point(const struct dt_data *d)
{
    int best = 0;

    for (int i = 1; i < d->npoints; i++)
        if (d->pt[i].secs.v < d->pt[best].secs.v)
            best = i;
    return best;
}

static void notice_data_best(const struct dt_results *res,
                             struct notices *ns)
{
    const struct dt_data *d = &res->data;
    const struct dt_point *p = &d->pt[best_point(d)];
    struct est s = est_ratio(d->ref_secs, p->secs);
    int most = p->workers < res->cpus ? p->workers : res->cpus;
    struct notice *n = dt_notice(ns, "datatask.data_parallel", res);

    notice_est(n, "s", s, U_RATIO);
    notice_num(n, "n", p->workers, U_INT);
    notice_num(n, "most", most, U_RATIO);
    notice_num(n, "fast", d->bytes / p->secs.v, U_MBPS);
    notice_num(n, "slow", d->bytes / d->ref_secs.v, U_MBPS);
    if (s.v > most) {
        n->id = "datatask.data_too_fast";
        notice_rel(n, "s", REL_VGT, 1, "most");
        notice_cause(n, &res->cond, "The best data-parallel run, {n|worker|"
                  "workers}, went {s}, more than the {most} that {n|worker|"
                  "workers} on {cpus|CPU|CPUs} can give, so something "
                  "besides parallelism made the difference (a slowed serial "
                  "run, noise):");
    } else if (res->cpus == 1) {
        n->id = "datatask.data_one_cpu";
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "With 1 allowed CPU %s: the best run, {n|worker|"
                   "workers}, went {s} against serial. Data parallelism "
                   "needs CPUs to gain.", d->npoints == 1 ? "one worker "
                   "does the serial work plus the team's start and merge"
                   : "the workers take turns");
    } else if (is_gain(s) && p->busy < LESSON_AT_ONCE) {
        n->id = "datatask.data_more_turns";
        notice_rel(n, "s", REL_GT, 1, "gain_at");
        say_more_turns(n, p->busy, "The best data-parallel run, {n|worker|"
                       "workers}, went {s} faster than serial,");
    } else if (is_gain(s)) {
        notice_rel(n, "s", REL_GT, 1, "gain_at");
        notice_rel(n, "s", REL_VLE, 1, "most");
        notice_num(n, "busy", p->busy, U_NUM);
        notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
        notice_rel(n, "busy", REL_VGE, 1, "at_once");
        notice_say(n, "Data parallel: the best run, {n|worker|workers}, "
                   "went {s} faster than serial ({fast} against {slow}) on "
                   "{cpus|CPU|CPUs}, its threads keeping {busy} CPUs "
                   "busy.");
    } else {
        n->id = "datatask.data_no_gain";
        notice_rel(n, "cpus", REL_GT, 1, "one");
        notice_cause(n, &res->cond, isinf(s.hi)
                  ? "Data parallel: no worker count went decidedly faster "
                    "than serial (the best, {n|worker|workers}, went {s} "
                    "in a single run, and one run decides nothing):"
                  : "Data parallel: no worker count went decidedly faster "
                    "than serial (the best, {n|worker|workers}, went {s}, "
                    "from {s:lo} to {s:hi} over the runs):");
    }
}

static void notice_data_same(const struct dt_results *res,
                             struct notices *ns)
{
    const struct dt_data *d = &res->data;
    struct notice *n = dt_notice(ns, "datatask.same_totals", res);
    int differ = 0;

    for (int i = 0; i < d->npoints; i++)
        differ += d->pt[i].checksum != d->ref_checksum;
    notice_num(n, "differ", differ, U_INT);
    notice_num(n, "counts", d->npoints, U_INT);
    if (differ == 0) {
        notice_rel(n, "differ", REL_EQ, 1, "zero");
        notice_say(n, "%s gave exactly the serial totals: whole numbers, "
                   "one table per thread, merged once.", d->npoints == 1
                   ? "The one worker count tried" : "Every worker count "
                   "tried ({counts})");
        return;
    }
    n->id = "datatask.totals_differ";
    notice_rel(n, "differ", REL_GT, 1, "zero");
    notice_say(n, "The totals of {differ|worker count|worker counts} "
               "differ from serial: that is a bug.");
}

static void scaling_grew(struct notice *n, const struct dt_results *res)
{
    notice_rel(n, "big", REL_GT, 1, "small");
    if (notice_load(n, &res->cond)) {
        n->id = "datatask.scaling_busy";
        notice_say(n, "More rows, more gain: {small} on {rows0} rows, {big} "
                   "on {rows1}, with {n} workers. Fixed costs weigh less as "
                   "the work grows; here other programs kept {other_cpus} "
                   "of the {allowed} CPUs busy, so part of the small runs' "
                   "cost was waiting for a CPU, not starting the team.");
        return;
    }
    notice_say(n, "More rows, more gain: {small} on {rows0} rows, {big} on "
               "{rows1}, with {n} workers. Starting the team and merging "
               "its {n} tables (the merge took {merge}) cost about the same "
               "at any size, so they weigh less as the data grows.");
}

/* Does the gain grow with the rows? (the fixed costs weigh less) */
static void notice_scaling(const struct dt_results *res, struct notices *ns)
{
    const struct dt_data *d = &res->data;
    int last = DT_N_SCALE - 1;
    struct est small = est_ratio(d->scale_ser[0], d->scale_par[0]);
    struct est big = est_ratio(d->scale_ser[last], d->scale_par[last]);
    struct notice *n = dt_notice(ns, "datatask.scaling", res);

    notice_est(n, "small", small, U_RATIO);
    notice_est(n, "big", big, U_RATIO);
    notice_num(n, "rows0", (double)d->scale_rows[0], U_INT);
    notice_num(n, "rows1", (double)d->scale_rows[last], U_INT);
    notice_num(n, "n", d->scale_workers, U_INT);
    notice_num(n, "merge", d->merge_s, U_DUR);
    if (d->scale_workers == 1 || res->cpus == 1) {
        n->id = "datatask.scaling_none";
        notice_rel(n, d->scale_workers == 1 ? "n" : "cpus", REL_EQ, 1,
                   "one");
        notice_say(n, "With %s there is no gain to grow with the rows "
                   "({small} on {rows0} rows, {big} on {rows1}): only the "
                   "overhead shows.", d->scale_workers == 1 ? "1 worker"
                   : "1 allowed CPU");
    } else if (rel_holds(REL_GT, big, 1, small)) {
        scaling_grew(n, res);
    } else {
        n->id = "datatask.scaling_unshown";
        notice_rel(n, "cpus", REL_GT, 1, "one");
        notice_order(n, "big", "small");        /* near, or lt */
        notice_cause(n, &res->cond, "The gain did not decidedly grow with the "
                  "rows here ({small} on {rows0} rows, {big} on {rows1}):");
    }
}

static void notice_skipped(const struct dt_results *res, struct notices *ns)
{
    struct notice *n;

    if (res->data.skipped <= 0)
        return;
    n = dt_notice(ns, "datatask.skipped", res);
    notice_num(n, "bad", (double)res->data.skipped, U_INT);
    notice_rel(n, "bad", REL_GT, 1, "zero");
    notice_say(n, "--skip-bad skipped {bad|bad row|bad rows}; the first: "
               "%s", res->data.skip_msg ? res->data.skip_msg : "?");
}

/* ---- task parallelism ---------------------------------------------- */

static void notice_task_idle(const struct dt_results *res,
                             struct notices *ns)
{
    const struct dt_task *t = &res->task;
    struct notice *n;

    if (t->workers < 2 || !(t->most_s > IDLE_AT * t->least_s))
        return;
    n = dt_notice(ns, "datatask.task_idle", res);
    notice_num(n, "most", t->most_s, U_DUR);
    notice_num(n, "least", t->least_s, U_DUR);
    notice_rel(n, "most", REL_VGT, IDLE_AT, "least");
    notice_say(n, "In the parallel run the busiest thread worked {most} "
               "and thread %d only {least}: with uneven tasks a worker sits "
               "idle while the last task finishes.", t->idle_thread);
}

static struct notice *task_notice(const struct dt_results *res,
                                  struct notices *ns)
{
    const struct dt_task *t = &res->task;
    struct notice *n = dt_notice(ns, "datatask.task_bound", res);

    notice_est(n, "s", t->speedup, U_RATIO);
    notice_est(n, "bound", t->bound, U_RATIO);
    notice_num(n, "tasks", t->ntasks, U_INT);
    notice_num(n, "w", t->workers, U_INT);
    notice_num(n, "slowest", t->slowest_s, U_DUR);
    notice_num(n, "total", t->total_s, U_DUR);
    notice_num(n, "unlimited", t->slowest_s > 0 ? t->total_s / t->slowest_s
                                                : 1, U_RATIO);
    notice_num(n, "imbalance", t->total_s > 0 ? t->slowest_s * t->ntasks /
                                                t->total_s : 1, U_NUM);
    return n;
}

static void notice_task(const struct dt_results *res, struct notices *ns)
{
    const struct dt_task *t = &res->task;
    struct notice *n = task_notice(res, ns);

    if (t->speedup.v > t->bound.v) {
        n->id = "datatask.task_beat_bound";
        notice_rel(n, "s", REL_VGT, 1, "bound");
        notice_cause(n, &res->cond, "Task parallel: {tasks} tasks on {w|worker|"
                  "workers} ran at {s}, above the {bound} that no schedule "
                  "of them should beat (the slowest took {slowest} of the "
                  "{total} of work alone): the tasks ran faster together "
                  "than alone, so these timings are noisy;");
    } else if (res->cpus == 1 && t->workers > 1) {
        n->id = "datatask.task_one_cpu";
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "Task parallel: {tasks} tasks on {w|worker|workers} "
                   "ran at {s}: with 1 allowed CPU the tasks take turns "
                   "(the {bound} no schedule beats assumes a CPU per "
                   "worker).");
    } else if (is_gain(t->speedup) && t->busy < LESSON_AT_ONCE) {
        n->id = "datatask.task_more_turns";
        notice_rel(n, "s", REL_GT, 1, "gain_at");
        say_more_turns(n, t->busy, "Task parallel: {tasks} tasks on {w|"
                       "worker|workers} ran at {s},");
    } else if (is_gain(t->speedup)) {
        notice_rel(n, "s", REL_GT, 1, "gain_at");
        notice_rel(n, "s", REL_VLE, 1, "bound");
        notice_say(n, "Task parallel: {tasks} tasks on {w|worker|workers} "
                   "ran at {s}. The slowest task took {slowest} of the "
                   "{total} of work ({imbalance} times the mean task), so no "
                   "schedule beats {bound} with {w|worker|workers}, nor "
                   "{unlimited} with unlimited ones.");
    } else {
        n->id = "datatask.task_no_gain";
        notice_rel(n, "s", REL_VLE, 1, "bound");
        notice_cause(n, &res->cond, "Task parallel: {tasks} tasks on {w|worker|"
                  "workers} ran at {s}, no decided gain over one after "
                  "another (at most {bound} is possible with these "
                  "tasks):");
    }
}

static void notice_same(struct notices *ns, const struct dt_results *res,
                        const char *id, bool is_same, const char *what)
{
    struct notice *n;

    if (is_same)
        return;                 /* the tables say "yes"; no news */
    n = dt_notice(ns, id, res);
    notice_num(n, "same", 0, U_INT);
    notice_rel(n, "same", REL_EQ, 1, "zero");
    notice_say(n, "The %s DIFFER between the runs: that is a bug.", what);
}

/* ---- the pipeline -------------------------------------------------- */

static struct notice *pipe_notice(const struct dt_results *res,
                                  struct notices *ns)
{
    const struct dt_pipe *p = &res->pipe;
    struct notice *n = dt_notice(ns, "datatask.pipe_overlap", res);

    notice_est(n, "s", p->speedup, U_RATIO);
    notice_est(n, "ceiling", p->ceiling, U_RATIO);
    notice_est(n, "piped", p->piped, U_DUR);
    notice_est(n, "fused", p->fused, U_DUR);
    notice_num(n, "faster", p->faster_runs, U_INT);
    notice_num(n, "runs", p->runs, U_INT);
    notice_num(n, "busy", p->stage_busy_s, U_DUR);
    notice_num(n, "oncpu", p->stage_cpu_s, U_DUR);
    notice_num(n, "off", p->stage_busy_s - p->stage_cpu_s, U_DUR);
    return n;
}

/* Why the stages did not overlap, from the evidence. */
static void pipe_unshown(struct notice *n, const struct dt_results *res,
                         const char *pre)
{
    const struct dt_pipe *p = &res->pipe;
    char buf[600];

    if (notice_load(n, &res->cond) ||
        !(p->stage_busy_s - p->stage_cpu_s > 0.2 * p->stage_busy_s)) {
        notice_cause(n, &res->cond, pre);
        return;
    }
    notice_rel(n, "off", REL_VGT, 0.2, "busy");
    snprintf(buf, sizeof(buf), "%s its stages were busy {busy} but on a "
             "CPU only {oncpu}: they waited for a CPU.", pre);
    notice_say(n, "%s", buf);
}

static void notice_pipe(const struct dt_results *res, struct notices *ns)
{
    const struct dt_pipe *p = &res->pipe;
    struct notice *n = pipe_notice(res, ns);
    double busy = p->piped.v > 0 ? p->stage_cpu_s / p->piped.v : 0;

    if (res->cpus == 1) {
        n->id = "datatask.pipe_one_cpu";
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "Pipeline: {piped} against {fused} in one loop ({s}): "
                   "with 1 allowed CPU its three stages take turns, so they "
                   "cannot overlap.");
    } else if (p->speedup.v > p->ceiling.v) {
        n->id = "datatask.pipe_beat_ceiling";
        notice_rel(n, "s", REL_VGT, 1, "ceiling");
        notice_cause(n, &res->cond, "Pipeline: {s}, above the {ceiling} its "
                  "stages' balance allows (their CPU work in all over the "
                  "busiest one's), so these timings are noisy (a one-loop "
                  "run was slowed);");
    } else if (is_gain(p->speedup) && busy < LESSON_AT_ONCE) {
        n->id = "datatask.pipe_more_turns";
        notice_rel(n, "s", REL_GT, 1, "gain_at");
        say_more_turns(n, busy, "Pipeline: {piped} against {fused} in one "
                       "loop, {s} faster,");
    } else if (is_gain(p->speedup)) {
        notice_rel(n, "s", REL_GT, 1, "gain_at");
        notice_rel(n, "s", REL_VLE, 1, "ceiling");
        notice_say(n, "Pipeline: {piped} against {fused} in one loop: {s} "
                   "faster%s. Its stages worked on "
                   "different batches at the same time; their balance "
                   "(CPU work in all over the busiest stage's, \"%s\") "
                   "allows at most {ceiling}.", p->is_same
                   ? ", with the same sums" : "", p->slow_stage);
    } else {
        n->id = "datatask.pipe_no_overlap";
        notice_rel(n, "cpus", REL_GT, 1, "one");
        notice_rel(n, "s", REL_VLE, 1, "ceiling");
        pipe_unshown(n, res, "Pipeline: {piped} against {fused} in one "
                     "loop ({s}); at least 1.05x faster in {faster} of "
                     "{runs|run|runs}, so the overlap its stages' balance "
                     "allows ({ceiling}) did not show:");
    }
}

void datatask_notices(const struct dt_results *res, struct notices *ns)
{
    if (res->data.is_run) {
        notice_data_best(res, ns);
        notice_data_same(res, ns);
        notice_scaling(res, ns);
        notice_skipped(res, ns);
    }
    if (res->task.is_run) {
        notice_task_idle(res, ns);
        notice_task(res, ns);
        notice_same(ns, res, "datatask.task_answers_differ",
                    res->task.is_same, "tasks' answers");
    }
    if (res->pipe.is_run) {
        notice_pipe(res, ns);
        notice_same(ns, res, "datatask.pipe_sums_differ", res->pipe.is_same,
                    "pipeline's sums");
    }
    if (res->py.is_run)
        datatask_py_notices(res, ns);
}
