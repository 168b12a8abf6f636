/* lesson/platforms.c - Spark's peers side by side, as rules.
 * What to notice: who was fastest, and whether the runs decide it;
 * start-up against throughput (where python3 wins and where a platform
 * with a slower start does); what the GIL did to Dask's threads, from the
 * CPUs they kept busy; what the engine said of its own stages.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson/lesson.h"
#include "lesson/platforms.h"

/* The row of platform name (any worker count when workers is 0). */
static const struct pfl_row *find(const struct pfl_job *j, const char *name,
                                  int workers)
{
    for (int i = 0; i < j->nrows; i++)
        if (!strcmp(j->row[i].name, name) &&
            (workers == 0 || j->row[i].workers == workers))
            return &j->row[i];
    return NULL;
}

/* The row of least median wall time, other than skip (may be NULL). */
static const struct pfl_row *fastest(const struct pfl_job *j,
                                     const struct pfl_row *skip)
{
    const struct pfl_row *best = NULL;

    for (int i = 0; i < j->nrows; i++)
        if (&j->row[i] != skip && (!best || j->row[i].wall.v < best->wall.v))
            best = &j->row[i];
    return best;
}

/* Why rows a and b could not be told apart: a row that ran once has no
 * spread (its interval is unbounded above), so that run decides nothing;
 * rows with spreads that overlap are too close. Into buf. */
static const char *runs_say(const struct pfl_row *a, const struct pfl_row *b,
                            char *buf, size_t len)
{
    bool once_a = isinf(a->wall.hi), once_b = isinf(b->wall.hi);

    if (once_a && once_b)
        return "one run of each decides nothing (rerun with -r 5)";
    if (once_a || once_b)
        snprintf(buf, len, "one run of %s decides nothing (rerun with -r "
                 "5)", once_a ? a->name : b->name);
    else
        snprintf(buf, len, "their runs overlap: too close to tell apart");
    return buf;
}

static void notice_fastest(const struct pfl_job *j, struct notices *ns)
{
    const struct pfl_row *b = find(j, "python3", 0), *f = fastest(j, NULL);
    struct notice *n;
    char why[96];

    if (!b || !f || j->nrows < 2)
        return;
    if (f == b)
        f = fastest(j, b);
    n = notice_add(ns, "platforms.fastest");
    notice_est(n, "fast", f->wall, U_DUR);
    notice_est(n, "base", b->wall, U_DUR);
    notice_est(n, "gain", est_ratio(b->wall, f->wall), U_RATIO);
    notice_num(n, "w", f->workers, U_INT);
    if (b->wall.v <= f->wall.v) {
        n->id = "platforms.python3_first";
        if (notice_order(n, "fast", "base") > 0) {
            notice_say(n, "%s: nothing beat plain python3 ({base}); the "
                       "next, %s with {w|worker|workers}, took {fast}.",
                       j->title, f->name);
            return;
        }
        notice_rel(n, "fast", REL_VGE, 1, "base");
        notice_say(n, "%s: plain python3 ({base}) and %s with "
                   "{w|worker|workers} ({fast}) were the fastest; %s.",
                   j->title, f->name, runs_say(f, b, why, sizeof(why)));
        return;
    }
    if (notice_order(n, "fast", "base") < 0) {
        notice_say(n, "%s: the fastest was %s with {w|worker|workers}, "
                   "{fast}: {gain} faster than python3 ({base}).", j->title,
                   f->name);
        return;
    }
    n->id = "platforms.fastest_undecided";
    notice_rel(n, "fast", REL_VLT, 1, "base");
    notice_say(n, "%s: %s with {w|worker|workers} took the least time, "
               "{fast} against python3's {base}, but %s.", j->title,
               f->name, runs_say(f, b, why, sizeof(why)));
}

/* Start-up (the one-line job) from the quickest to the slowest. */
static void notice_startup(const struct pfl_job *j, struct notices *ns)
{
    const struct pfl_row *lo = NULL, *hi = NULL;
    struct notice *n;

    for (int i = 0; i < j->nrows; i++) {
        const struct pfl_row *w = &j->row[i];
        lo = !lo || w->startup_s < lo->startup_s ? w : lo;
        hi = !hi || w->startup_s > hi->startup_s ? w : hi;
    }
    if (!lo || !(hi->startup_s > 2 * lo->startup_s) ||
        !(hi->startup_s < hi->wall.v))
        return;
    n = notice_add(ns, "platforms.startup_range");
    notice_num(n, "lo", lo->startup_s, U_DUR);
    notice_num(n, "hi", hi->startup_s, U_DUR);
    notice_num(n, "wall", hi->wall.v, U_DUR);
    notice_num(n, "share", hi->startup_s / hi->wall.v, U_PCT);
    notice_rel(n, "hi", REL_VGT, 2, "lo");
    notice_rel(n, "hi", REL_VLT, 1, "wall");
    notice_say(n, "%s: start-up (the same program on a one-line input, one "
               "run) went from {lo} (%s) to {hi} (%s): {share} of the "
               "wall time of %s here.", j->title, lo->name, hi->name,
               hi->name);
}

/* Bytes per second once started: the job's time less the one-line job's;
 * NAN when start-up is most of the time (the two cannot be told apart). */
static double rate_after_start(const struct pfl_job *j,
                               const struct pfl_row *w)
{
    double work = w->wall.v - w->startup_s;

    return work > 0.25 * w->wall.v ? (double)j->bytes / work : NAN;
}

static void crossover_values(struct notice *n, const struct pfl_job *j,
                             const struct pfl_row *w,
                             const struct pfl_row *b)
{
    notice_num(n, "sw", w->startup_s, U_DUR);
    notice_num(n, "ww", w->wall.v, U_DUR);
    notice_num(n, "sb", b->startup_s, U_DUR);
    notice_num(n, "wb", b->wall.v, U_DUR);
    notice_num(n, "w", w->workers, U_INT);
    notice_num(n, "size", (double)j->bytes, U_MIB);
}

/* w's start-up and work cannot be told apart (s, t: its names): says
 * which and why, and returns true. */
static bool crossover_unknown(const struct platforms_results *res,
                              const struct pfl_job *j,
                              const struct pfl_row *w, struct notice *n,
                              bool is_base)
{
    const char *s = is_base ? "sb" : "sw", *t = is_base ? "wb" : "ww";
    char pre[320];

    if (w->startup_s >= w->wall.v) {
        n->id = "platforms.startup_not_told";
        notice_rel(n, s, REL_VGE, 1, t);
        snprintf(pre, sizeof(pre), "%s: %s took {%s} on one line and {%s} "
                 "on the whole input: start-up and work cannot be told "
                 "apart here;", j->title, w->name, s, t);
        notice_cause(n, &res->cond, pre);
        return true;
    }
    if (isfinite(rate_after_start(j, w)))
        return false;
    n->id = "platforms.input_too_small";
    notice_rel(n, s, REL_VGE, 0.75, t);
    notice_say(n, "%s: %s took {%s}, {%s} of it starting: the input "
               "({size}) is too small to tell its speed once started from "
               "its start-up (try a larger -n).", j->title, w->name, t, s);
    return true;
}

/* The rates decide: never overtakes, wins at every size, or a crossover
 * size below which python3 finishes first. */
static void crossover_say(struct notice *n, const struct pfl_job *j,
                          const struct pfl_row *w, double rw, double rb)
{
    notice_num(n, "rw", rw, U_MBPS);
    notice_num(n, "rb", rb, U_MBPS);
    if (rw <= rb) {
        n->id = "platforms.never_overtakes";
        notice_rel(n, "rw", REL_VLE, 1, "rb");
        notice_say(n, "%s: once started, %s with {w|worker|workers} "
                   "processed {rw}, python3 {rb}: at these rates it would "
                   "not overtake python3 at any input size.",
                   j->title, w->name);
        return;
    }
    notice_rel(n, "rw", REL_VGT, 1, "rb");
    if (w->startup_s <= notice_find(n, "sb")->e.v) {
        n->id = "platforms.wins_every_size";
        notice_rel(n, "sw", REL_VLE, 1, "sb");
        notice_say(n, "%s: %s with {w|worker|workers} started as fast as "
                   "python3 or faster ({sw} against {sb}) and then "
                   "processed {rw} to python3's {rb}: at these rates it "
                   "wins at every size.", j->title, w->name);
        return;
    }
    notice_rel(n, "sw", REL_VGT, 1, "sb");
    notice_num(n, "cross", (w->startup_s - notice_find(n, "sb")->e.v) /
               (1 / rb - 1 / rw), U_MIB);
    notice_say(n, "%s: %s with {w|worker|workers} needs {sw} to start, "
               "python3 {sb}, but then processes {rw} to python3's {rb}: at "
               "these rates python3 finishes first below "
               "about {cross} of input, %s above it (this input: {size}).",
               j->title, w->name, w->name);
}

/* Start-up against throughput: where python3 wins and where w does. */
static void notice_crossover(const struct platforms_results *res,
                             const struct pfl_job *j,
                             const struct pfl_row *w, struct notices *ns)
{
    const struct pfl_row *b = find(j, "python3", 0);
    struct notice *n;

    if (!b || w == b)
        return;
    n = notice_add(ns, "platforms.crossover");
    crossover_values(n, j, w, b);
    if (crossover_unknown(res, j, w, n, false) ||
        crossover_unknown(res, j, b, n, true))
        return;
    crossover_say(n, j, w, rate_after_start(j, w), rate_after_start(j, b));
}

/* Adds the Dask rows' CPUs busy to n; true when the GIL could not show
 * (fewer than 2 threads or 2 allowed CPUs), and then says so. */
static bool gil_no_rivals(const struct platforms_results *res,
                          const struct pfl_job *j, const struct pfl_row *t,
                          const struct pfl_row *p, struct notice *n)
{
    notice_num(n, "tw", t->workers, U_INT);
    notice_num(n, "cpus", res->cond.cpus_allowed, U_INT);
    notice_num(n, "two", 2, U_INT);
    notice_num(n, "ut", t->cpu_s / t->wall.v, U_NUM);
    notice_num(n, "at", LESSON_AT_ONCE, U_NUM);
    if (p) {
        notice_num(n, "up", p->cpu_s / p->wall.v, U_NUM);
        notice_num(n, "pw", p->workers, U_INT);
    }
    if (t->workers >= 2 && res->cond.cpus_allowed >= 2)
        return false;
    notice_rel(n, t->workers < 2 ? "tw" : "cpus", REL_VLT, 1, "two");
    notice_say(n, "%s: the GIL could not show: dask-threads had "
               "{tw|worker|workers} on {cpus|allowed CPU|allowed CPUs}, so "
               "nothing ran at once to compete for it.", j->title);
    return true;
}

/* What the GIL does to Dask's threaded scheduler, from CPU time / wall. */
static void notice_gil(const struct platforms_results *res,
                       const struct pfl_job *j, struct notices *ns)
{
    const struct pfl_row *t = find(j, "dask-threads", 0),
                         *p = find(j, "dask-procs", 0);
    struct notice *n;
    char pre[256];

    if (!t)
        return;
    n = notice_add(ns, "platforms.gil_no_rivals");
    if (gil_no_rivals(res, j, t, p, n))
        return;
    if (t->cpu_s / t->wall.v >= LESSON_AT_ONCE) {
        n->id = "platforms.gil_released";
        notice_rel(n, "ut", REL_VGE, 1, "at");
        notice_say(n, "%s: dask-threads kept {ut} CPUs busy (CPU time / "
                   "wall) with {tw} threads, so they ran at once for part "
                   "of the job: there its tasks ran code that releases the "
                   "GIL (%s).", j->title, j->is_totals ? "pandas' CSV "
                   "parser and groupby are C" : "reading the file is C");
        return;
    }
    notice_rel(n, "ut", REL_VLT, 1, "at");
    if (p && p->cpu_s / p->wall.v >= LESSON_AT_ONCE) {
        n->id = "platforms.gil_held";
        notice_rel(n, "up", REL_VGE, 1, "at");
        notice_say(n, "%s: dask-threads kept {ut} CPUs busy (CPU time / "
                   "wall) with {tw} threads, dask-procs {up} with {pw} "
                   "processes on the same machine: the tasks are Python "
                   "code, which holds the GIL, so the threads took turns "
                   "while each process had an interpreter of its own.",
                   j->title);
        return;
    }
    n->id = "platforms.gil_not_shown";
    snprintf(pre, sizeof(pre), "%s: the GIL's effect did not show: "
             "dask-threads kept {ut} CPUs busy%s, less than {at}, so there "
             "was nothing to compare;", j->title, p ? ", dask-procs {up}" :
             " and dask-procs did not run");
    notice_cause(n, &res->cond, pre);
}

/* One thread against n: decided, and whether they ran at once. */
static void notice_engine_threads(const struct platforms_results *res,
                                  const struct pfl_job *j,
                                  struct notices *ns)
{
    const struct pfl_row *one = find(j, "engine", 1),
                         *all = find(j, "engine", res->threads);
    struct notice *n;
    char pre[160], why[96];
    int order;

    if (!one || !all || one == all)
        return;
    n = notice_add(ns, "platforms.engine_threads");
    notice_est(n, "t1", one->wall, U_DUR);
    notice_est(n, "tn", all->wall, U_DUR);
    notice_est(n, "gain", est_ratio(one->wall, all->wall), U_RATIO);
    notice_num(n, "n", res->threads, U_INT);
    notice_num(n, "busy", all->cpu_s / all->wall.v, U_NUM);
    notice_num(n, "at", LESSON_AT_ONCE, U_NUM);
    order = notice_order(n, "tn", "t1");
    if (order < 0 && all->cpu_s / all->wall.v >= LESSON_AT_ONCE) {
        notice_rel(n, "busy", REL_VGE, 1, "at");
        notice_say(n, "%s: the engine took {t1} on 1 thread and {tn} on "
                   "{n}: {gain} faster, its threads keeping {busy} CPUs "
                   "busy at once.", j->title);
    } else if (order < 0) {
        n->id = "platforms.engine_turns";
        notice_rel(n, "busy", REL_VLT, 1, "at");
        notice_say(n, "%s: the engine took {t1} on 1 thread and {tn} on "
                   "{n}, yet its threads kept only {busy} CPUs busy: more "
                   "turns on a shared machine, not parallelism.", j->title);
    } else if (order > 0) {
        n->id = "platforms.engine_slower";
        snprintf(pre, sizeof(pre), "%s: the engine was slower on {n} "
                 "threads ({tn}) than on 1 ({t1}):", j->title);
        notice_cause(n, &res->cond, pre);
    } else {
        n->id = "platforms.engine_undecided";
        notice_say(n, "%s: the engine took {t1} on 1 thread and {tn} on "
                   "{n}: %s.", j->title, runs_say(one, all, why,
                                                  sizeof(why)));
    }
}

/* The engine's own note: nothing ran before collect(). */
static void notice_engine_lazy(const struct pfl_job *j, struct notices *ns)
{
    struct notice *n;

    if (!j->note.is_seen || j->note.stages_before_action != 0)
        return;
    n = notice_add(ns, "platforms.engine_lazy");
    notice_num(n, "before", 0, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "before", REL_EQ, 1, "zero");
    notice_say(n, "%s: no stage had run when the engine's lineage was "
               "built; collect() then ran every stage: lazy evaluation, "
               "seen.", j->title);
}

/* The map-side combine, as the engine counted it. */
static void notice_engine_combine(const struct pfl_job *j,
                                  struct notices *ns)
{
    const struct pfl_engine *e = &j->note;
    struct notice *n;

    if (!e->is_seen || e->shuffled_records <= 0)
        return;
    n = notice_add(ns, "platforms.engine_combine");
    notice_num(n, "in", (double)e->map_records, U_INT);
    notice_num(n, "out", (double)e->shuffled_records, U_INT);
    notice_num(n, "bytes", (double)e->shuffled_bytes, U_INT);
    if (e->shuffled_records < e->map_records) {
        notice_rel(n, "out", REL_VLT, 1, "in");
        notice_say(n, "%s: the engine's map-side combine turned {in} "
                   "records into {out} before the shuffle ({bytes} bytes "
                   "moved).", j->title);
        return;
    }
    n->id = "platforms.engine_no_combine";
    notice_rel(n, "out", REL_VGE, 1, "in");
    notice_say(n, "%s: the engine's map-side combine found no key twice "
               "in a partition: {in} records in, {out} shuffled.", j->title);
}

/* A lost partition, recomputed from the lineage (or not). */
static void notice_engine_lost(const struct pfl_job *j, struct notices *ns)
{
    const struct pfl_engine *l = &j->lost;
    struct notice *n;

    if (!l->is_seen)
        return;
    n = notice_add(ns, "platforms.engine_recovered");
    notice_num(n, "re", l->recomputed, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (l->recomputed > 0) {
        notice_rel(n, "re", REL_VGT, 1, "zero");
        notice_say(n, "%s: with partition 0's shuffle output lost, the "
                   "engine re-ran {re|task|tasks} from the lineage and "
                   "gave the same answer.", j->title);
        return;
    }
    n->id = "platforms.engine_not_recovered";
    notice_rel(n, "re", REL_EQ, 1, "zero");
    notice_say(n, "%s: the lost partition was not recomputed (no task "
               "re-ran), yet the answer was the same.", j->title);
}

/* mpirun launches and connects processes before any work. */
static void notice_mpi(const struct platforms_results *res,
                       const struct pfl_job *j, struct notices *ns)
{
    const struct pfl_row *mpi = find(j, "engine-mpi", 0),
                         *all = find(j, "engine", res->threads);
    struct notice *n;

    if (!mpi || !all)
        return;
    n = notice_add(ns, "platforms.mpi_launch");
    notice_num(n, "sm", mpi->startup_s, U_DUR);
    notice_num(n, "st", all->startup_s, U_DUR);
    notice_num(n, "r", mpi->workers, U_INT);
    notice_num(n, "n", res->threads, U_INT);
    if (mpi->startup_s > all->startup_s) {
        notice_rel(n, "sm", REL_VGT, 1, "st");
        notice_say(n, "%s: on {r|MPI rank|MPI ranks} the engine started in "
                   "{sm}, on {n|thread|threads} in {st} (one run each): "
                   "mpirun launches and connects processes before any "
                   "work.", j->title);
        return;
    }
    n->id = "platforms.mpi_launch_not_dearer";
    notice_rel(n, "sm", REL_VLE, 1, "st");
    notice_say(n, "%s: on {r|MPI rank|MPI ranks} the engine started in "
               "{sm}, on {n|thread|threads} in {st} (one run each): "
               "mpirun's launch cost did not show in this run.", j->title);
}

/* python3 is one busy thread: when it had a CPU for less than half its
 * wall time it waited, and CPU time compares better than wall time. */
static void notice_cpu(const struct platforms_results *res,
                       const struct pfl_job *j, struct notices *ns)
{
    const struct pfl_row *b = find(j, "python3", 0), *lo = NULL;
    struct notice *n;
    char pre[320];

    for (int i = 0; i < j->nrows; i++)
        if (!lo || j->row[i].cpu_s < lo->cpu_s)
            lo = &j->row[i];
    if (!b || !(b->cpu_s < 0.5 * b->wall.v))
        return;
    n = notice_add(ns, "platforms.python3_waited");
    notice_num(n, "share", b->cpu_s / b->wall.v, U_PCT);
    notice_num(n, "half", 0.5, U_PCT);
    notice_num(n, "cpu", b->cpu_s, U_DUR);
    notice_num(n, "wall", b->wall.v, U_DUR);
    notice_rel(n, "share", REL_VLT, 1, "half");
    snprintf(pre, sizeof(pre), "%s: python3 (one thread) had a CPU for "
             "only {share} of its wall time ({cpu} of {wall}), so CPU time "
             "compares the platforms better than wall time here;",
             j->title);
    notice_cause(n, &res->cond, pre);
    if (lo == b)
        return;
    n = notice_add(ns, "platforms.least_cpu");
    notice_num(n, "lo", lo->cpu_s, U_DUR);
    notice_num(n, "cpu", b->cpu_s, U_DUR);
    notice_num(n, "times", b->cpu_s / lo->cpu_s, U_NUM);
    notice_num(n, "w", lo->workers, U_INT);
    notice_rel(n, "lo", REL_VLT, 1, "cpu");
    notice_say(n, "%s: %s with {w|worker|workers} used the least CPU time, "
               "{lo}; python3 used {times} times as much ({cpu}).",
               j->title, lo->name);
}

/* Other programs busy during the run: the times are noisy. */
static void notice_busy(const struct platforms_results *res,
                        struct notices *ns)
{
    struct notice *n;

    if (!cond_is_busy(&res->cond))      /* quiet, or not decided */
        return;
    n = notice_add(ns, "platforms.busy");
    notice_load(n, &res->cond);
    notice_say(n, "Other programs kept {other_cpus} of the "
               "{allowed|allowed CPU|allowed CPUs} busy during this run "
               "(see Conditions): the times are noisy; compare rows of one "
               "run, and rerun with -r 5 for medians of 5.");
}

void platforms_notices(const struct platforms_results *res,
                       struct notices *ns)
{
    for (int i = 0; i < res->njobs; i++) {
        const struct pfl_job *j = &res->job[i];
        const struct pfl_row *f = fastest(j, NULL), *hi = NULL;

        for (int k = 0; k < j->nrows; k++)
            if (!hi || j->row[k].startup_s > hi->startup_s)
                hi = &j->row[k];
        notice_fastest(j, ns);
        notice_startup(j, ns);
        if (f)
            notice_crossover(res, j, f, ns);
        if (hi && hi != f)
            notice_crossover(res, j, hi, ns);
        notice_gil(res, j, ns);
        notice_engine_threads(res, j, ns);
        notice_engine_lazy(j, ns);
        notice_engine_combine(j, ns);
        notice_engine_lost(j, ns);
        notice_mpi(res, j, ns);
        notice_cpu(res, j, ns);
    }
    notice_busy(res, ns);
}
