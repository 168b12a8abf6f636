/* test_lesson_memory.c - the memory topic's rules on synthetic timings:
 * the memory wall is claimed only when the compute kernel decidedly
 * outscaled triad with the threads running at once; never on one CPU,
 * with the other CPU busy, from a noisy baseline or a superlinear point.
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/memory.h"

static struct est timed(double secs, double spread)
{
    return (struct est){ secs, secs * (1 - spread), secs * (1 + spread) };
}

/* counts 1..n threads; triad speeds up by `triad_gain` at n threads,
 * compute by `compute_gain` (linear in between). */
static struct memory_results run(int cpus, int n, double triad_gain,
                                 double compute_gain, struct cond c)
{
    struct memory_results r = { .cpus_allowed = cpus, .npoints = n,
        .triad_bytes = 24.0 * 16e6, .triad_flops = 2 * 16e6,
        .compute_bytes = 16.0 * 16e6, .compute_flops = 64 * 16e6,
        .arrays_bytes = 384LL << 20, .llc_bytes = 32LL << 20,
        .sum_scalar_s = timed(0.02, 0.02), .sum_simd_s = timed(0.008, 0.02),
        .sum_both_s = timed(0.0042, 0.02), .sum_threads = n,
        .sum_busy = n > 1 ? 1.9 : 1, .cond = c };

    for (int i = 0; i < n; i++) {
        double f = n > 1 ? (double)i / (n - 1) : 0;
        r.points[i].threads = i + 1;
        r.points[i].triad_s = timed(0.03 / (1 + f * (triad_gain - 1)),
                                    0.03);
        r.points[i].compute_s = timed(0.2 / (1 + f * (compute_gain - 1)),
                                      0.03);
        r.points[i].busy = i + 1 < cpus ? 0.97 * (i + 1) : 0.97 * cpus;
    }
    return r;
}

static struct notices lesson(const struct memory_results *r,
                             const char *name)
{
    struct notices ns;

    notices_init(&ns);
    memory_notices(r, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

Test(lesson_memory, compute_outscales_triad_is_the_wall)
{
    struct memory_results r = run(4, 4, 1.3, 3.9, fake_cond(4, 2, 3.9, 0));
    struct notices ns = lesson(&r, "the wall, 4 CPUs");

    cr_assert(has_id(&ns, "memory.wall"));
    cr_assert(has_id(&ns, "memory.beyond_cache"));
    cr_assert(has_id(&ns, "memory.roofline"));
    cr_assert(has_id(&ns, "memory.simd"));
    cr_assert(has_text(&ns, "Threads and SIMD together"));
    notices_free(&ns);
}

Test(lesson_memory, both_scaling_says_the_wall_did_not_show)
{
    struct memory_results r = run(2, 2, 1.95, 1.97, fake_cond(2, 2, 1.9, 0));
    struct notices ns = lesson(&r, "2 CPUs, bus not full");

    cr_assert(has_id(&ns, "memory.wall_unshown"));
    cr_assert(!has_id(&ns, "memory.wall"));
    cr_assert(!has_text(&ns, "other programs kept"));
    notices_free(&ns);
}

Test(lesson_memory, one_cpu_claims_no_scaling)
{
    struct memory_results r = run(1, 1, 1, 1, fake_cond(1, 2, 0.6, 0.4));
    struct notices ns = lesson(&r, "taskset -c 0");

    cr_assert(has_id(&ns, "memory.one_cpu"));
    cr_assert(!has_id(&ns, "memory.wall"));
    cr_assert(!has_id(&ns, "memory.wall_unshown"));
    cr_assert(!has_text(&ns, "Threads and SIMD together"));
    cr_assert(has_id(&ns, "memory.simd"));      /* one core: still true */
    notices_free(&ns);
}

Test(lesson_memory, other_cpu_busy_reads_no_scaling)
{
    struct memory_results r = run(2, 2, 1.0, 1.05,
                                  fake_cond(2, 2, 1.0, 0.95));
    struct notices ns;

    r.points[1].busy = 1.0;
    r.sum_busy = 1.0;
    ns = lesson(&r, "other CPU busy");
    cr_assert(has_id(&ns, "memory.not_at_once"));
    cr_assert(has_text(&ns, "other programs kept"));
    cr_assert(!has_id(&ns, "memory.wall"));
    cr_assert(!has_text(&ns, "Threads and SIMD together"));
    notices_free(&ns);
}

Test(lesson_memory, noisy_baseline_is_said)
{
    struct memory_results r = run(2, 2, 1.2, 1.9, fake_cond(2, 2, 1.9, 0));
    struct notices ns;

    r.points[0].triad_s = (struct est){ 0.03, 0.015, 0.06 };
    ns = lesson(&r, "noisy baseline");
    cr_assert(has_id(&ns, "memory.noisy"));
    cr_assert(!has_id(&ns, "memory.wall"));     /* not decided */
    notices_free(&ns);
}

Test(lesson_memory, superlinear_point_is_not_parallelism)
{
    struct memory_results r = run(2, 2, 3.0, 1.9, fake_cond(2, 2, 1.9, 0));
    struct notices ns = lesson(&r, "superlinear triad");

    cr_assert(has_id(&ns, "memory.superlinear"));
    cr_assert(!has_id(&ns, "memory.wall"));
    notices_free(&ns);
}

Test(lesson_memory, small_arrays_say_the_cache_may_serve)
{
    struct memory_results r = run(2, 2, 1.2, 1.9, fake_cond(2, 2, 1.9, 0));
    struct notices ns;

    r.arrays_bytes = 24LL << 20;
    ns = lesson(&r, "in cache");
    cr_assert(has_id(&ns, "memory.in_cache"));
    cr_assert(!has_id(&ns, "memory.beyond_cache"));
    notices_free(&ns);
}

Test(lesson_memory, simd_without_gain_is_said)
{
    struct memory_results r = run(2, 2, 1.2, 1.9, fake_cond(2, 2, 1.9, 0));
    struct notices ns;

    r.sum_simd_s = timed(0.0195, 0.02);
    ns = lesson(&r, "no SIMD gain");
    cr_assert(has_id(&ns, "memory.simd_unshown"));
    cr_assert(!has_id(&ns, "memory.simd"));
    notices_free(&ns);
}
