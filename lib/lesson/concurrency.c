/* lesson/concurrency.c - concurrency (taking turns) vs parallelism.
 * What to notice: the speedup, but only as parallelism when the tasks
 * were seen running at once; when they were not, what took the CPUs.
 */
#include "lesson/concurrency.h"

#define GAIN_AT 1.2         /* a speedup worth the word */
#define OVERLAP_AT 1.2      /* tasks running at once, on average */
#define SUPERLINEAR 1.1     /* above ideal * this: something else helped */
#define SHARE_AT 0.9        /* run 1 had its CPU less than this */

static double avg_running(const struct conc_run *r)
{
    return r->wall_s > 0 ? r->busy_s / r->wall_s : 0;
}

/* The values every walls notice cites. */
static struct notice *walls_notice(struct notices *ns, const char *id,
                                   const struct conc_results *res)
{
    struct notice *n = notice_add(ns, id);
    int cpus = res->all.cpus_allowed;

    notice_num(n, "tasks", res->ntasks, U_INT);
    notice_num(n, "cpus", cpus, U_INT);
    notice_num(n, "one", res->one.wall_s, U_MS);
    notice_num(n, "all", res->all.wall_s, U_MS);
    notice_num(n, "speedup", stats_speedup(res->one.wall_s, res->all.wall_s),
               U_RATIO);
    notice_num(n, "ideal", res->ntasks < cpus ? res->ntasks : cpus, U_INT);
    notice_num(n, "max2", res->all.max_running, U_INT);
    notice_num(n, "avg2", avg_running(&res->all), U_NUM);
    notice_num(n, "gain_at", GAIN_AT, U_RATIO);
    notice_num(n, "overlap_at", OVERLAP_AT, U_NUM);
    notice_num(n, "two", 2, U_INT);
    notice_num(n, "one_task", 1, U_INT);
    return n;
}

static void notice_one_cpu_noise(const struct conc_results *res,
                                 struct notices *ns);

static void notice_single(const struct conc_results *res, struct notices *ns)
{
    struct notice *n = walls_notice(ns, "concurrency.one_task", res);

    if (res->ntasks == 1) {
        notice_rel(n, "tasks", REL_EQ, 1, "one_task");
        notice_say(n, "With 1 task there is nothing to interleave and "
                   "nothing to run in parallel ({one} vs {all}); try -t 4.");
        return;
    }
    n->id = "concurrency.one_cpu";
    notice_rel(n, "cpus", REL_EQ, 1, "one_task");
    notice_rel(n, "tasks", REL_GT, 1, "one_task");
    notice_say(n, "Only 1 CPU is allowed to this process, so both runs are "
               "interleaved: the {tasks} tasks took turns on one CPU both "
               "times ({one} vs {all}). This is concurrency without "
               "parallelism; no speedup is possible here.");
    notice_one_cpu_noise(res, ns);
}

/* On one CPU a "speedup" is the other programs' doing: say so. */
static void notice_one_cpu_noise(const struct conc_results *res,
                                 struct notices *ns)
{
    double s = stats_speedup(res->one.wall_s, res->all.wall_s);
    double sh1 = avg_running(&res->one), sh2 = avg_running(&res->all);
    struct notice *n;

    if (s <= 1.1 && s >= 1 / 1.1)
        return;
    n = walls_notice(ns, "concurrency.one_cpu_noise", res);
    notice_num(n, "band", 1.1, U_RATIO);
    notice_num(n, "share1", sh1, U_PCT);
    notice_num(n, "share2", sh2, U_PCT);
    notice_rel(n, "speedup", s > 1 ? REL_VGT : REL_VLT, s > 1 ? 1 : 1 / 1.1,
               s > 1 ? "band" : "one_task");
    if ((s > 1) == (sh2 > sh1)) {
        notice_rel(n, s > 1 ? "share2" : "share1", REL_VGT, 1,
                   s > 1 ? "share1" : "share2");
        notice_say(n, "The {speedup} in the table is not parallelism: the "
                   "tasks had the CPU {share1} of the time in run 1 and "
                   "{share2} in run 2; other programs took the rest.");
    } else {
        notice_say(n, "The {speedup} in the table is not parallelism, and "
                   "these numbers do not show what made the runs differ.");
    }
}

/* The all-CPU run was faster than any parallelism allows. */
static void notice_too_fast(const struct conc_results *res,
                            struct notices *ns)
{
    struct notice *n = walls_notice(ns, "concurrency.too_fast", res);

    notice_num(n, "share1", avg_running(&res->one), U_PCT);
    notice_num(n, "share_at", SHARE_AT, U_PCT);
    notice_rel(n, "speedup", REL_GT, SUPERLINEAR, "ideal");
    notice_say(n, "Over {cpus|allowed CPU|allowed CPUs} the tasks took {all} "
               "against {one} on CPU %d: {speedup}, more than the {ideal}x "
               "that {tasks} tasks on {cpus|CPU|CPUs} allow, so something "
               "besides parallelism made the difference.", res->cpu);
    if (avg_running(&res->one) < SHARE_AT) {
        notice_rel(n, "share1", REL_VLT, 1, "share_at");
        notice_say(n, "%s Run 1 was held back: its tasks had CPU %d only "
                   "{share1} of the time.", n->text, res->cpu);
    }
}

/* Tasks were seen running at once: the speedup is parallelism. */
static void notice_parallel(const struct conc_results *res,
                            struct notices *ns)
{
    struct notice *n = walls_notice(ns, "concurrency.parallel", res);
    double s = stats_speedup(res->one.wall_s, res->all.wall_s);
    int ideal = res->ntasks < res->all.cpus_allowed ? res->ntasks
                                                    : res->all.cpus_allowed;

    notice_rel(n, "max2", REL_GE, 1, "two");
    notice_rel(n, "avg2", REL_VGE, 1, "overlap_at");
    notice_rel(n, "speedup", REL_VLE, SUPERLINEAR, "ideal");
    if (s >= GAIN_AT) {
        notice_rel(n, "speedup", REL_VGE, 1, "gain_at");
        notice_say(n, "Confined to CPU %d the {tasks} tasks took {one}; over "
                   "{cpus|allowed CPU|allowed CPUs} {all}: {speedup} faster "
                   "(at most {ideal}x is possible). Up to {max2} ran at the "
                   "same instant ({avg2} on average): that is parallelism.",
                   res->cpu);
        if (s < 0.75 * ideal) {
            n = walls_notice(ns, "concurrency.short_of_ideal", res);
            notice_rel(n, "speedup", REL_VLT, 0.75, "ideal");
            notice_cause(n, &res->all.cond, "That is well short of the "
                      "{ideal}x possible:");
        }
        return;
    }
    notice_rel(n, "speedup", REL_VLT, 1, "gain_at");
    notice_cause(n, &res->all.cond, "Up to {max2} tasks ran at the same "
              "instant over {cpus|CPU|CPUs} ({avg2} on average), yet that run "
              "was only {speedup} faster ({one} vs {all}):");
}

/* Over all CPUs no more tasks ran at once than on one. */
static void notice_no_overlap(const struct conc_results *res,
                              struct notices *ns)
{
    struct notice *n = walls_notice(ns, "concurrency.no_parallelism", res);

    notice_rel(n, "avg2", REL_VLT, 1, "overlap_at");
    notice_cause(n, &res->all.cond, "Over {cpus|allowed CPU|allowed CPUs} the "
              "tasks hardly ran at once ({avg2} on average, up to {max2} at "
              "an instant), so this run shows no parallelism: {one} confined, "
              "{all} over all CPUs. The difference in time is not "
              "parallelism;");
}

static void notice_walls(const struct conc_results *res, struct notices *ns)
{
    double s = stats_speedup(res->one.wall_s, res->all.wall_s);
    int ideal = res->ntasks < res->all.cpus_allowed ? res->ntasks
                                                    : res->all.cpus_allowed;

    if (res->ntasks == 1 || res->all.cpus_allowed == 1)
        notice_single(res, ns);
    else if (s > SUPERLINEAR * ideal)
        notice_too_fast(res, ns);
    else if (res->all.max_running >= 2 &&
             avg_running(&res->all) >= OVERLAP_AT)
        notice_parallel(res, ns);
    else
        notice_no_overlap(res, ns);
}

/* Run 1: one CPU, so the tasks took turns; and did they have it all? */
static void notice_run1(const struct conc_results *res, struct notices *ns)
{
    const struct conc_run *one = &res->one;
    struct notice *n;

    if (res->ntasks > 1 && one->max_running <= 1) {
        n = notice_add(ns, "concurrency.interleaved");
        notice_num(n, "max1", one->max_running, U_INT);
        notice_num(n, "avg1", avg_running(one), U_NUM);
        notice_num(n, "one_task", 1, U_INT);
        notice_rel(n, "max1", REL_LE, 1, "one_task");
        notice_say(n, "On CPU %d at most {max1} task ran at any instant "
                   "({avg1} on average): the tasks took turns, which is "
                   "concurrency without parallelism.", res->cpu);
    }
    if (one->wall_s <= 0 || avg_running(one) >= SHARE_AT)
        return;
    n = notice_add(ns, "concurrency.run1_share");
    notice_num(n, "share1", avg_running(one), U_PCT);
    notice_num(n, "share_at", SHARE_AT, U_PCT);
    notice_rel(n, "share1", REL_VLT, 1, "share_at");
    if (notice_load(n, &one->cond))
        notice_say(n, "In run 1 the tasks had CPU %d for only {share1} of "
                   "the time: other programs kept {other_cpus} CPUs busy.",
                   res->cpu);
    else
        notice_say(n, "In run 1 the tasks had CPU %d for only {share1} of "
                   "the time; the rest went to the kernel or to short "
                   "bursts of other programs.", res->cpu);
}

static void notice_slices(const struct conc_results *res, struct notices *ns)
{
    struct notice *n = notice_add(ns, "concurrency.slices");
    double per2 = res->all.slices_per_task;

    notice_num(n, "per1", res->one.slices_per_task, U_NUM);
    notice_num(n, "switched1", res->one.slices_per_task - 1, U_NUM);
    notice_num(n, "per2", per2, U_NUM);
    notice_num(n, "tasks", res->ntasks, U_INT);
    notice_num(n, "cpus", res->all.cpus_allowed, U_INT);
    notice_num(n, "many_at", 1.5, U_NUM);
    if (res->ntasks > res->all.cpus_allowed) {
        notice_rel(n, "tasks", REL_GT, 1, "cpus");
        notice_say(n, "Each task was cut into {per1} slices on one CPU "
                   "(switched out {switched1} times) and {per2} over "
                   "{cpus|CPU|CPUs}: with more tasks than CPUs the "
                   "scheduler must take turns.");
    } else if (per2 >= 1.5) {
        notice_rel(n, "tasks", REL_LE, 1, "cpus");
        notice_rel(n, "per2", REL_VGE, 1, "many_at");
        notice_say(n, "Over {cpus|CPU|CPUs} each task could have kept a "
                   "CPU to itself, yet it was cut into {per2} slices: "
                   "something else needed the CPUs too (on one CPU: "
                   "{per1}).");
    } else {
        notice_rel(n, "tasks", REL_LE, 1, "cpus");
        notice_rel(n, "per2", REL_VLT, 1, "many_at");
        notice_say(n, "Over {cpus|CPU|CPUs} each task kept a CPU to itself "
                   "({per2} slices per task); on one CPU it was cut into "
                   "{per1}.");
    }
}

/* Same work both times: the CPU time seen should agree. */
static void notice_work(const struct conc_results *res, struct notices *ns)
{
    struct notice *n = notice_add(ns, "concurrency.same_work");
    double b1 = res->one.busy_s, b2 = res->all.busy_s;

    notice_num(n, "busy1", b1, U_MS);
    notice_num(n, "busy2", b2, U_MS);
    if (b1 < 1.15 * b2 && b2 < 1.15 * b1) {
        notice_rel(n, "busy1", REL_VLT, 1.15, "busy2");
        notice_rel(n, "busy2", REL_VLT, 1.15, "busy1");
        notice_say(n, "Both runs did the same work: {busy1} vs {busy2} of "
                   "CPU time. Parallelism does not make the work smaller; "
                   "it does more of it at the same time.");
    } else {
        notice_rel(n, b1 > b2 ? "busy1" : "busy2", REL_VGE, 1.15,
                   b1 > b2 ? "busy2" : "busy1");
        notice_say(n, "Both runs did the same work, yet the CPU time seen "
                   "differed ({busy1} vs {busy2}): a pause shorter than "
                   "100 µs counts as running, so CPU time other programs "
                   "took in short bursts looks like the tasks' own.");
    }
}

void concurrency_notices(const struct conc_results *res, struct notices *ns)
{
    notice_walls(res, ns);
    notice_run1(res, ns);
    notice_slices(res, ns);
    notice_work(res, ns);
}
