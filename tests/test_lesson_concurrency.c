/* test_lesson_concurrency.c - the concurrency topic's rules on synthetic
 * runs: parallelism is claimed only where tasks ran at once, never from a
 * speedup alone (the --quick run that printed "a speedup of 1.64x" beside
 * "both runs were interleaved").
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/concurrency.h"

static struct conc_run run(double wall_ms, double busy_ms, int cpus,
                           int max_running, double slices, struct cond c)
{
    return (struct conc_run){ wall_ms / 1e3, busy_ms / 1e3, cpus, cpus,
                              max_running, slices, c };
}

static struct notices lesson(const struct conc_results *r, const char *name)
{
    struct notices ns;

    notices_init(&ns);
    concurrency_notices(r, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

Test(lesson_concurrency, quiet_two_cpus_is_parallelism)
{
    struct conc_results r = { 4, 0,
        run(100, 99, 1, 1, 4.5, fake_cond(1, 0.1, 0.99, 0)),
        run(51, 100, 2, 2, 4, fake_cond(2, 0.051, 1.96, 0)) };
    struct notices ns = lesson(&r, "quiet");

    cr_assert(has_id(&ns, "concurrency.parallel"));
    cr_assert(has_id(&ns, "concurrency.interleaved"));
    cr_assert(!has_id(&ns, "concurrency.no_parallelism"));
    cr_assert(!has_id(&ns, "concurrency.run1_share"));
    notices_free(&ns);
}

/* The defect: run 1 lost its CPU to others, so run 2 was 1.64x faster
 * although its tasks never overlapped. */
Test(lesson_concurrency, speedup_without_overlap_is_not_parallelism)
{
    struct conc_results r = { 4, 0,
        run(164, 98, 1, 1, 6, fake_cond(1, 0.164, 0.6, 0.4)),
        run(100, 99, 2, 1, 6, fake_cond(2, 0.1, 0.99, 1.0)) };
    struct notices ns = lesson(&r, "other cpu busy");

    cr_assert(has_id(&ns, "concurrency.no_parallelism"));
    cr_assert(!has_id(&ns, "concurrency.parallel"));
    cr_assert(!has_text(&ns, "that is parallelism"));
    cr_assert(has_text(&ns, "other programs kept"));
    cr_assert(has_id(&ns, "concurrency.run1_share"));
    notices_free(&ns);
}

Test(lesson_concurrency, one_cpu_allowed)
{
    struct conc_results r = { 4, 0,
        run(130, 99, 1, 1, 5, fake_cond(1, 0.13, 0.76, 0.2)),
        run(100, 99, 1, 1, 5, fake_cond(1, 0.1, 0.99, 0)) };
    struct notices ns = lesson(&r, "taskset -c 0");

    cr_assert(has_id(&ns, "concurrency.one_cpu"));
    cr_assert(!has_id(&ns, "concurrency.parallel"));
    cr_assert(!has_text(&ns, "faster"));
    /* the table's 1.30x is explained, not left beside "no speedup" */
    cr_assert(has_id(&ns, "concurrency.one_cpu_noise"));
    cr_assert(has_text(&ns, "1.30x in the table is not parallelism"));
    notices_free(&ns);
}

Test(lesson_concurrency, superlinear_is_not_parallelism)
{
    struct conc_results r = { 4, 1,
        run(300, 100, 1, 1, 8, fake_cond(1, 0.3, 0.33, 0.67)),
        run(100, 100, 2, 2, 4, fake_cond(2, 0.1, 1.0, 0)) };
    struct notices ns = lesson(&r, "superlinear");

    cr_assert(has_id(&ns, "concurrency.too_fast"));
    cr_assert(!has_id(&ns, "concurrency.parallel"));
    cr_assert(has_text(&ns, "held back"));
    notices_free(&ns);
}

Test(lesson_concurrency, overlap_but_little_gain_names_the_cause)
{
    struct conc_results r = { 4, 0,
        run(100, 99, 1, 1, 4, fake_cond(1, 0.1, 0.99, 0)),
        run(90, 130, 2, 2, 9, fake_cond(2, 1.0, 1.3, 0.6)) };
    struct notices ns = lesson(&r, "overlap, busy");

    cr_assert(has_id(&ns, "concurrency.parallel"));
    cr_assert(has_text(&ns, "only 1.11x faster"));
    cr_assert(has_text(&ns, "other programs kept"));
    notices_free(&ns);
}

Test(lesson_concurrency, quiet_machine_is_not_blamed)
{
    struct conc_results r = { 4, 0,
        run(100, 99, 1, 1, 4, fake_cond(1, 0.1, 0.99, 0)),
        run(90, 130, 2, 2, 4, fake_cond(2, 5, 1.3, 0)) };
    struct notices ns = lesson(&r, "overlap, quiet");

    cr_assert(!has_text(&ns, "other programs kept"));
    cr_assert(has_text(&ns, "nor anything else measured here explains it"));
    notices_free(&ns);
}

Test(lesson_concurrency, one_task)
{
    struct conc_results r = { 1, 0,
        run(25, 25, 1, 1, 1, fake_cond(1, 0.025, 1, 0)),
        run(25, 25, 2, 1, 1, fake_cond(2, 0.025, 1, 0)) };
    struct notices ns = lesson(&r, "one task");

    cr_assert(has_id(&ns, "concurrency.one_task"));
    cr_assert(!has_id(&ns, "concurrency.interleaved"));
    cr_assert(has_text(&ns, "nothing to interleave"));
    notices_free(&ns);
}
