/* test_lesson_datatask.c - the datatask topic's rules on synthetic runs.
 * The defects: the pipeline beat its own stated ceiling ("cannot beat
 * 1.03x", measured 1.06x); "1.23x is more than 2 CPUs can give" said of
 * 1 worker; waiting for a busy CPU described as team start-up cost.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "lesson.h"
#include "lesson/datatask.h"

static struct est around(double v, double spread)
{
    return (struct est){ v, v * (1 - spread), v * (1 + spread) };
}

/* secs per worker count 1, 2 (serial 0.1 s); scaling speedups small and
 * big; task speedup and bound; pipeline speedup and ceiling. */
struct shape {
    double t1, t2, small, big, task_s, task_bound, pipe_s, pipe_ceil;
    double spread;
};

static struct dt_results run(const struct shape *x, int cpus, struct cond c)
{
    struct dt_results r = { .cpus = cpus, .cond = c };
    struct dt_data *d = &r.data;

    *d = (struct dt_data){ .is_run = true, .bytes = 8e6,
        .ref_secs = around(0.1, x->spread), .ref_checksum = 7, .npoints = 2,
        .scale_workers = 2, .scale_rows = { 100, 1000, 10000, 100000 },
        .merge_s = 30e-6 };
    d->pt[0] = (struct dt_point){ 1, around(x->t1, x->spread), 7, 1 };
    d->pt[1] = (struct dt_point){ 2, around(x->t2, x->spread), 7, 1.9 };
    for (int i = 0; i < DT_N_SCALE; i++) {
        double s = x->small + (x->big - x->small) * i / (DT_N_SCALE - 1);
        d->scale_ser[i] = around(1e-4 * (i + 1), x->spread);
        d->scale_par[i] = around(1e-4 * (i + 1) / s, x->spread);
    }
    r.task = (struct dt_task){ .is_run = true, .workers = 2, .ntasks = 5,
        .speedup = around(x->task_s, x->spread),
        .bound = around(x->task_bound, 0.02), .slowest_s = 0.05,
        .total_s = 0.1 * x->task_bound, .most_s = 0.06, .least_s = 0.04,
        .idle_thread = 1, .busy = 1.8, .is_same = true };
    r.pipe = (struct dt_pipe){ .is_run = true, .fused = around(0.1, 0.02),
        .piped = around(0.1 / x->pipe_s, 0.02),
        .speedup = around(x->pipe_s, x->spread),
        .ceiling = around(x->pipe_ceil, 0.02), .faster_runs = 3, .runs = 3,
        .slow_stage = "check rows", .stage_busy_s = 0.1,
        .stage_cpu_s = 0.095, .is_same = true };
    return r;
}

static struct notices lesson(const struct dt_results *r, const char *name)
{
    struct notices ns;

    notices_init(&ns);
    datatask_notices(r, &ns);
    assert_notices_hold(&ns, name);
    cr_assert(!has_text(&ns, "0.00x"), "%s", name);
    return ns;
}

static const struct shape quiet = { 0.1, 0.052, 0.5, 1.9, 1.8, 2.0, 1.7,
                                    2.1, 0.03 };

Test(lesson_datatask, quiet_two_cpus_every_shape_gains)
{
    struct dt_results r = run(&quiet, 2, fake_cond(2, 5, 1.8, 0));
    struct notices ns = lesson(&r, "quiet");

    cr_assert(has_id(&ns, "datatask.data_parallel"));
    cr_assert(has_id(&ns, "datatask.same_totals"));
    cr_assert(has_id(&ns, "datatask.scaling"));
    cr_assert(has_text(&ns, "Starting the team"));
    cr_assert(has_id(&ns, "datatask.task_bound"));
    cr_assert(has_id(&ns, "datatask.task_idle"));
    cr_assert(has_id(&ns, "datatask.pipe_overlap"));
    notices_free(&ns);
}

/* The defect: 1.06x against a ceiling of 1.03x must not pass silently. */
Test(lesson_datatask, pipeline_above_its_ceiling_says_so)
{
    struct shape x = quiet;
    struct dt_results r;
    struct notices ns;

    x.pipe_s = 1.06;
    x.pipe_ceil = 1.03;
    r = run(&x, 2, fake_cond(2, 5, 1.8, 0));
    ns = lesson(&r, "beat ceiling");
    cr_assert(has_id(&ns, "datatask.pipe_beat_ceiling"));
    cr_assert(!has_text(&ns, "did not show"));
    cr_assert(!has_text(&ns, "allows at most"));
    notices_free(&ns);
}

Test(lesson_datatask, tasks_above_their_bound_say_so)
{
    struct shape x = quiet;
    struct dt_results r;
    struct notices ns;

    x.task_s = 2.3;
    r = run(&x, 2, fake_cond(2, 5, 1.8, 0));
    ns = lesson(&r, "beat bound");
    cr_assert(has_id(&ns, "datatask.task_beat_bound"));
    cr_assert(!has_text(&ns, "no schedule beats"));
    notices_free(&ns);
}

/* The defect: 1 worker at 1.23x is not "more than 2 CPUs can give". */
Test(lesson_datatask, one_worker_too_fast_names_one_worker)
{
    struct shape x = quiet;
    struct dt_results r;
    struct notices ns;

    x.t1 = 0.1 / 1.23;
    x.t2 = 0.1 / 0.85;
    r = run(&x, 2, fake_cond(2, 5, 0.5, 1.4));
    ns = lesson(&r, "1 worker too fast");
    cr_assert(has_id(&ns, "datatask.data_too_fast"));
    cr_assert(has_text(&ns, "the 1.00x that 1 worker on 2 CPUs can give"));
    cr_assert(has_text(&ns, "other programs kept 1.40"));
    notices_free(&ns);
}

/* The defect: waiting for a CPU other programs held is not start-up. */
Test(lesson_datatask, busy_machine_is_not_called_team_startup)
{
    struct shape x = quiet;
    struct dt_results r;
    struct notices ns;

    x.t2 = 0.13;
    x.small = 0.0006;
    x.big = 0.75;
    x.task_s = 0.97;
    x.pipe_s = 0.75;
    r = run(&x, 2, fake_cond(2, 9, 0.2, 1.8));
    r.pipe.faster_runs = 0;
    ns = lesson(&r, "other cpu busy");
    cr_assert(has_id(&ns, "datatask.scaling_busy"));
    cr_assert(!has_text(&ns, "Starting the team"));
    cr_assert(has_id(&ns, "datatask.data_no_gain"));
    cr_assert(has_id(&ns, "datatask.task_no_gain"));
    cr_assert(has_id(&ns, "datatask.pipe_no_overlap"));
    cr_assert(has_text(&ns, "in 0 of 3 runs"));
    notices_free(&ns);
}

Test(lesson_datatask, one_cpu_says_nothing_can_overlap)
{
    struct shape x = { 0.1, 0.101, 0.3, 0.98, 0.99, 2.0, 0.97, 2.1, 0.03 };
    struct dt_results r = run(&x, 1, fake_cond(1, 5, 0.97, 0));
    struct notices ns = lesson(&r, "taskset -c 0");

    cr_assert(has_id(&ns, "datatask.data_one_cpu"));
    cr_assert(has_id(&ns, "datatask.scaling_none"));
    cr_assert(has_id(&ns, "datatask.task_one_cpu"));
    cr_assert(has_id(&ns, "datatask.pipe_one_cpu"));
    cr_assert(!has_text(&ns, "faster than serial"));
    notices_free(&ns);
}

/* A noisy baseline: intervals that reach below 1.1 decide nothing. */
Test(lesson_datatask, noisy_runs_claim_no_gain)
{
    struct shape x = quiet;
    struct dt_results r;
    struct notices ns;

    x.spread = 0.3;
    x.t2 = 0.08;
    x.small = 1.1;
    x.big = 1.2;
    x.task_s = 1.2;
    x.pipe_s = 1.2;
    r = run(&x, 2, fake_cond(2, 5, 1.5, 0));
    ns = lesson(&r, "noisy");
    cr_assert(has_id(&ns, "datatask.data_no_gain"));
    cr_assert(has_id(&ns, "datatask.scaling_unshown"));
    cr_assert(has_id(&ns, "datatask.task_no_gain"));
    cr_assert(has_id(&ns, "datatask.pipe_no_overlap"));
    cr_assert(has_text(&ns, "anything else measured here explains it"));
    notices_free(&ns);
}

Test(lesson_datatask, wrong_totals_are_a_bug)
{
    struct dt_results r = run(&quiet, 2, fake_cond(2, 5, 1.8, 0));
    struct notices ns;

    r.data.pt[1].checksum = 8;
    r.pipe.is_same = false;
    ns = lesson(&r, "differ");
    cr_assert(has_id(&ns, "datatask.totals_differ"));
    cr_assert(has_id(&ns, "datatask.pipe_sums_differ"));
    cr_assert(!has_text(&ns, "with the same sums"));
    notices_free(&ns);
}

/* Load average 100 on 2 CPUs: 2 threads got twice the turns of 1, and
 * finished sooner, but never ran at once. Not parallelism. */
Test(lesson_datatask, more_turns_are_not_parallelism)
{
    struct dt_results r = run(&quiet, 2, fake_cond(2, 5, 1.0, 0.95));
    struct notices ns;

    r.data.pt[1].busy = 0.95;
    r.task.busy = 0.9;
    r.pipe.stage_cpu_s = 0.05;
    ns = lesson(&r, "more turns");
    cr_assert(has_id(&ns, "datatask.data_more_turns"));
    cr_assert(has_id(&ns, "datatask.task_more_turns"));
    cr_assert(has_id(&ns, "datatask.pipe_more_turns"));
    cr_assert(has_text(&ns, "That is not parallelism"));
    cr_assert(!has_id(&ns, "datatask.data_parallel"));
    notices_free(&ns);
}

/* One run per variant (-r 1): nothing is decided and no range is quoted
 * (the defect: "went 0.83x, from 0x to - over the runs"). */
Test(lesson_datatask, one_run_quotes_no_range)
{
    struct dt_results r = run(&quiet, 2, fake_cond(2, 5, 1.5, 0));
    struct notices ns;

    for (int i = 0; i < r.data.npoints; i++)
        r.data.pt[i].secs = (struct est){ 0.12, 0, INFINITY };
    r.data.ref_secs = (struct est){ 0.1, 0, INFINITY };
    ns = lesson(&r, "one run");
    cr_assert(has_id(&ns, "datatask.data_no_gain"));
    cr_assert(has_text(&ns, "in a single run"));
    cr_assert(!has_text(&ns, " 0x"));
    notices_free(&ns);
}

/* ---- the Python part: the lecture's table in Python beside C ---- */

/* Python on 10000 rows: C's scan c_s, Python's serial py_s, Pool.map
 * pool_s, the tasks one after another 0.1 s, a Process each procs_s;
 * the CPUs the processes kept busy. */
struct py_shape {
    double c_s, py_s, pool_s, procs_s, busy, spread;
};

static struct dt_results with_python(const struct py_shape *x, int cpus,
                                     struct cond c)
{
    struct dt_results r = { .cpus = cpus, .cond = c };
    struct dt_python *py = &r.py;

    *py = (struct dt_python){ .is_run = true, .rows = 10000, .workers = 2,
        .chunks = 2, .c_serial = around(x->c_s, x->spread),
        .serial = around(x->py_s, x->spread),
        .pool = around(x->pool_s, x->spread), .pool_busy = x->busy,
        .ntasks = 5, .tasks = around(0.1, x->spread),
        .procs = around(x->procs_s, x->spread),
        .task_speedup = around(0.1 / x->procs_s, x->spread),
        .slowest_s = 0.03, .total_s = 0.1, .procs_busy = x->busy,
        .answers = 12, .wrong = 0 };
    return r;
}

/* quiet, 2 CPUs: both kinds gain, Pool.map (1.9x) more than the tasks
 * (1.4x; the slowest task bounds them at 2x) */
static const struct py_shape py_quiet = { 0.002, 0.03, 0.0158, 0.0714, 1.9,
                                          0.03 };

Test(lesson_datatask, python_quiet_both_kinds_gain_data_more)
{
    struct dt_results r = with_python(&py_quiet, 2, fake_cond(2, 5, 1.9, 0));
    struct notices ns = lesson(&r, "python quiet");

    cr_assert(has_id(&ns, "datatask.py_same"));
    cr_assert(has_id(&ns, "datatask.py_slower"));
    cr_assert(has_text(&ns, "15.0 times C's"));
    cr_assert(has_id(&ns, "datatask.py_pool"));
    cr_assert(has_id(&ns, "datatask.py_procs"));
    cr_assert(has_id(&ns, "datatask.py_data_won"));
    cr_assert(!has_id(&ns, "datatask.py_task_won"));
    notices_free(&ns);
}

Test(lesson_datatask, python_one_cpu_takes_turns)
{
    struct py_shape x = { 0.002, 0.03, 0.032, 0.105, 0.98, 0.03 };
    struct dt_results r = with_python(&x, 1, fake_cond(1, 5, 0.97, 0));
    struct notices ns = lesson(&r, "python one cpu");

    cr_assert(has_id(&ns, "datatask.py_pool_one_cpu"));
    cr_assert(has_id(&ns, "datatask.py_procs_one_cpu"));
    cr_assert(!has_id(&ns, "datatask.py_data_won"));     /* no contest */
    cr_assert(has_text(&ns, "take turns"));
    notices_free(&ns);
}

/* the other CPU busy: the processes got more turns, not parallelism */
Test(lesson_datatask, python_other_cpu_busy_is_more_turns)
{
    struct py_shape x = py_quiet;
    struct dt_results r;
    struct notices ns;

    x.busy = 1.0;
    r = with_python(&x, 2, fake_cond(2, 5, 1.0, 0.95));
    ns = lesson(&r, "python busy");
    cr_assert(has_id(&ns, "datatask.py_pool_more_turns"));
    cr_assert(has_id(&ns, "datatask.py_procs_more_turns"));
    cr_assert(has_text(&ns, "not parallelism"));
    notices_free(&ns);
}

/* the "wrong" variant wins: the tasks beat Pool.map, and Python beat C */
Test(lesson_datatask, python_tasks_winning_and_python_faster_are_said)
{
    struct py_shape x = { 0.05, 0.03, 0.06, 0.0625, 1.9, 0.03 };
    struct dt_results r = with_python(&x, 2, fake_cond(2, 5, 1.9, 0));
    struct notices ns = lesson(&r, "python wrong winner");

    cr_assert(has_id(&ns, "datatask.py_task_won"));
    cr_assert(!has_id(&ns, "datatask.py_data_won"));
    cr_assert(has_id(&ns, "datatask.py_pool_no_gain"));
    cr_assert(has_id(&ns, "datatask.py_faster"));
    cr_assert(!has_text(&ns, "where C reads the bytes"));
    notices_free(&ns);
}

/* a slowed serial run: Pool.map "beats" its 2 workers; the tasks their
 * bound; noisy intervals decide nothing between the kinds */
Test(lesson_datatask, python_noisy_baseline_is_not_a_speedup)
{
    struct py_shape x = { 0.002, 0.09, 0.03, 0.04, 1.9, 0.3 };
    struct dt_results r = with_python(&x, 2, fake_cond(2, 5, 1.5, 0));
    struct notices ns = lesson(&r, "python noisy");

    cr_assert(has_id(&ns, "datatask.py_pool_too_fast"));
    cr_assert(has_id(&ns, "datatask.py_procs_beat_bound"));
    cr_assert(has_id(&ns, "datatask.py_kinds_near"));
    cr_assert(!has_id(&ns, "datatask.py_pool"));
    notices_free(&ns);
}

Test(lesson_datatask, python_wrong_answer_is_a_bug)
{
    struct dt_results r = with_python(&py_quiet, 2, fake_cond(2, 5, 1.9, 0));
    struct notices ns;

    r.py.wrong = 2;
    ns = lesson(&r, "python wrong");
    cr_assert(has_id(&ns, "datatask.py_differs"));
    cr_assert(!has_id(&ns, "datatask.py_same"));
    cr_assert(has_text(&ns, "2 Python answers of 12"));
    notices_free(&ns);
}
