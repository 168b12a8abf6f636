/* test_lesson_gil.c - the gil topic's rules on synthetic sweeps. The
 * defects: under taskset -c 0 it said "Only the holder runs, so 4 threads
 * take about as long as one" (on one CPU the GIL is not the cause); under
 * load it said "1.24x ... take about as long as one".
 */
#include <criterion/criterion.h>
#include <math.h>

#include "lesson.h"
#include "lesson/gil.h"

/* A sweep over 1, 2, 4 workers: for each variant the speedup at 2 and 4
 * workers (an interval of +-spread around it) and the CPUs busy. */
struct row {
    double s2, s4, busy2, busy4;
};

static struct work_sweep sweep(const struct row *rows, double spread,
                               struct cond c)
{
    struct work_sweep sw = { .nvariants = GIL_NV, .ncounts = 3,
                             .counts = { 1, 2, 4 }, .reps = 5, .cond = c };

    for (int v = 0; v < GIL_NV; v++) {
        double s[3] = { 1, rows[v].s2, rows[v].s4 };
        double busy[3] = { v == GIL_WAIT ? 0.02 : 1, rows[v].busy2,
                           rows[v].busy4 };
        for (int k = 0; k < 3; k++) {
            sw.secs[v][k] = 0.1 / s[k];
            sw.time[v][k] = est_exact(sw.secs[v][k]);
            sw.speedup[v][k] = s[k];
            sw.gain[v][k] = k ? (struct est){ s[k], s[k] - spread,
                                              s[k] + spread }
                              : est_exact(1);
            sw.cpus[v][k] = busy[k];
            sw.extra[v][k] = v == GIL_THREADS && k ? 20 : NAN;
        }
    }
    return sw;
}

static struct notices lesson(const struct work_sweep *sw, int cpus,
                             const char *name)
{
    struct gil_results res = { sw, cpus, 0.005 };
    struct notices ns;

    notices_init(&ns);
    gil_notices(&res, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

static const struct row ideal[GIL_NV] = {
    { 1.0, 0.99, 1.0, 1.0 }, { 1.96, 1.9, 1.96, 1.97 },
    { 1.97, 1.93, 1.97, 1.98 }, { 1.98, 3.9, 0.04, 0.08 },
};

Test(lesson_gil, quiet_two_cpus_shows_the_lock)
{
    struct work_sweep sw = sweep(ideal, 0.03, fake_cond(2, 5, 1.5, 0));
    struct notices ns = lesson(&sw, 2, "quiet");

    cr_assert(has_id(&ns, "gil.held"));
    cr_assert(has_id(&ns, "gil.lock_is_the_cause"));
    cr_assert(has_id(&ns, "gil.processes"));
    cr_assert(has_id(&ns, "gil.waits_overlap"));
    cr_assert(has_id(&ns, "gil.handoffs"));
    cr_assert(!has_text(&ns, "other programs"));
    notices_free(&ns);
}

/* taskset -c 0: nothing runs at once, lock or no lock. */
Test(lesson_gil, one_cpu_does_not_blame_the_gil)
{
    static const struct row one[GIL_NV] = {
        { 1.0, 0.99, 1.0, 1.0 }, { 1.0, 1.01, 1.0, 1.0 },
        { 0.98, 0.97, 1.0, 1.0 }, { 1.98, 3.9, 0.04, 0.08 },
    };
    struct work_sweep sw = sweep(one, 0.03, fake_cond(1, 5, 1, 0));
    struct notices ns = lesson(&sw, 1, "taskset -c 0");

    cr_assert(has_id(&ns, "gil.one_cpu"));
    cr_assert(!has_text(&ns, "Only the holder runs, so"));
    cr_assert(!has_id(&ns, "gil.lock_is_the_cause"));
    cr_assert(has_text(&ns, "cannot run at once either"));
    cr_assert(!has_id(&ns, "gil.one_cpu_share"), "no gain to explain");
    notices_free(&ns);
}

/* taskset -c 0 on a busy machine: more threads took more of the CPU
 * (CPUs busy 0.07 -> 0.13), so they "sped up" without parallelism. */
Test(lesson_gil, one_cpu_gain_is_a_bigger_share)
{
    static const struct row share[GIL_NV] = {
        { 1.29, 1.38, 0.079, 0.081 }, { 1.45, 2.18, 0.097, 0.13 },
        { 1.26, 1.62, 0.099, 0.065 }, { 1.56, 3.38, 0.006, 0.011 },
    };
    struct work_sweep sw = sweep(share, 0.1, fake_cond(1, 80, 0.08, 0.92));

    for (int v = 0; v < GIL_NV; v++)
        sw.cpus[v][0] = 0.07;
    struct notices ns = lesson(&sw, 1, "taskset -c 0, busy");
    cr_assert(has_id(&ns, "gil.one_cpu"));
    cr_assert(has_text(&ns, "CPU threads without it reached 2.18x with 4 "
                       "workers on 1 CPU, and that is not parallelism"));
    cr_assert(has_text(&ns, "CPU processes reached 1.62x with 4 workers on "
                       "1 CPU; that is not parallelism, and these numbers"));
    notices_free(&ns);
}

Test(lesson_gil, other_cpu_busy_shows_nothing_and_says_why)
{
    static const struct row busy[GIL_NV] = {
        { 1.0, 1.0, 0.9, 0.9 }, { 1.05, 1.04, 1.0, 1.0 },
        { 1.03, 1.0, 1.0, 1.0 }, { 1.95, 3.8, 0.04, 0.08 },
    };
    struct work_sweep sw = sweep(busy, 0.05, fake_cond(2, 5, 1, 1));
    struct notices ns = lesson(&sw, 2, "other cpu busy");

    cr_assert(has_id(&ns, "gil.held_cause_unshown"));
    cr_assert(has_id(&ns, "gil.lock_not_shown"));
    cr_assert(has_id(&ns, "gil.processes_short"));
    cr_assert(has_text(&ns, "other programs kept 1.00"));
    cr_assert(!has_text(&ns, "This is why Python uses multiprocessing"));
    notices_free(&ns);
}

/* The 1.24x case: too noisy for "about as long as one". */
Test(lesson_gil, noisy_gil_speedup_is_not_called_one)
{
    static const struct row noisy[GIL_NV] = {
        { 1.1, 1.24, 1.0, 1.0 }, { 1.96, 1.9, 1.96, 1.97 },
        { 1.97, 1.93, 1.97, 1.98 }, { 1.98, 3.9, 0.04, 0.08 },
    };
    struct work_sweep sw = sweep(noisy, 0.15, fake_cond(2, 5, 1.5, 0.3));
    struct notices ns = lesson(&sw, 2, "noisy");

    cr_assert(has_id(&ns, "gil.held_noisy"));
    cr_assert(!has_text(&ns, "take about as long as one"));
    notices_free(&ns);
}

/* Faster with the GIL on one CPU's worth: the base run was slowed. */
Test(lesson_gil, gil_faster_than_possible_blames_the_base_run)
{
    static const struct row slow_base[GIL_NV] = {
        { 1.5, 1.5, 0.95, 0.95 }, { 2.9, 2.8, 1.96, 1.97 },
        { 2.6, 2.5, 1.97, 1.98 }, { 1.98, 3.9, 0.04, 0.08 },
    };
    struct work_sweep sw = sweep(slow_base, 0.03, fake_cond(2, 5, 1.5, 0));
    struct notices ns = lesson(&sw, 2, "slowed base");

    cr_assert(has_id(&ns, "gil.held_base_slowed"));
    cr_assert(has_id(&ns, "gil.free_too_fast"));
    cr_assert(has_id(&ns, "gil.processes_too_fast"));
    cr_assert(!has_text(&ns, "This is why"));
    notices_free(&ns);
}

/* A noisy baseline: no-GIL's interval reaches down into the GIL's. */
Test(lesson_gil, overlapping_intervals_decide_nothing)
{
    static const struct row wide[GIL_NV] = {
        { 1.0, 1.0, 1.0, 1.0 }, { 1.5, 1.5, 1.5, 1.5 },
        { 1.97, 1.93, 1.97, 1.98 }, { 1.98, 1.2, 0.04, 0.08 },
    };
    struct work_sweep sw = sweep(wide, 0.3, fake_cond(2, 5, 1.5, 0));
    struct notices ns = lesson(&sw, 2, "noisy baseline");

    cr_assert(has_id(&ns, "gil.lock_not_shown"));
    cr_assert(has_text(&ns, "not decidedly better"));
    cr_assert(has_text(&ns, "nor anything else measured here"));
    cr_assert(has_id(&ns, "gil.waits_short"));
    notices_free(&ns);
}

/* Gains with hardly a CPU busy: more turns on a shared machine, not the
 * lesson's parallelism (processes "1.65x" at 0.06 CPUs busy). */
Test(lesson_gil, gains_without_cpus_are_turns)
{
    static const struct row turns[GIL_NV] = {
        { 1.28, 1.34, 0.05, 0.05 }, { 1.55, 1.6, 0.06, 0.06 },
        { 1.65, 1.6, 0.057, 0.06 }, { 1.9, 2.05, 0.004, 0.01 },
    };
    struct work_sweep sw = sweep(turns, 0.03, fake_cond(2, 60, 0.05, 1.95));
    struct notices ns = lesson(&sw, 2, "two cpus, busy");

    cr_assert(has_id(&ns, "gil.processes_turns"));
    cr_assert(!has_text(&ns, "This is why Python uses multiprocessing"));
    cr_assert(has_id(&ns, "gil.lock_not_shown"));
    cr_assert(has_text(&ns, "the gain came from more turns"));
    notices_free(&ns);
}
