/* test_lesson_scaling.c - the scaling topic's rules on synthetic timings:
 * Karp-Flatt recovers the serial fraction Amdahl's law put in; nothing is
 * read from a point where the workers did not run at once (one CPU, the
 * other CPU busy), from a noisy baseline or from a superlinear point.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "laws.h"
#include "lesson.h"
#include "lesson/scaling.h"

/* A point with the middle half of its runs within +-spread of secs. */
static struct est timed(double secs, double spread)
{
    return (struct est){ secs, secs * (1 - spread), secs * (1 + spread) };
}

/* npoints workers, the first `measured` of them timed as Amdahl says for
 * serial fraction f (plus `overhead` seconds per extra worker), the
 * growing job as Gustafson says; busy CPUs min(n, cpus). */
static struct scaling_results amdahl_run(double f, int cpus, int npoints,
                                         int measured, double overhead,
                                         struct cond c)
{
    struct scaling_results r = { .serial = f, .cpus_allowed = cpus,
                                 .npoints = npoints, .cond = c };

    for (int i = 0; i < npoints; i++) {
        int n = i + 1;
        struct scaling_point *p = &r.points[i];
        p->workers = n;
        p->is_measured = i < measured;
        p->strong_s = timed(0.1 / law_amdahl(f, n) + overhead * i, 0.02);
        p->weak_work = f + (1 - f) * n;
        p->weak_s = timed(0.1 * p->weak_work / law_gustafson(f, n), 0.02);
        p->busy = n < cpus ? n : cpus;
        p->busy *= 0.97;
    }
    return r;
}

static struct notices lesson(const struct scaling_results *r,
                             const char *name)
{
    struct notices ns;

    notices_init(&ns);
    scaling_notices(r, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

Test(lesson_scaling, karp_flatt_recovers_the_serial_fraction)
{
    const double fs[] = { 0, 0.01, 0.1, 0.25, 0.5, 0.9 };

    for (size_t k = 0; k < sizeof(fs) / sizeof(fs[0]); k++) {
        struct scaling_results r = amdahl_run(fs[k], 64, 64, 64, 0,
                                              fake_cond(64, 1, 60, 0));
        for (int i = 1; i < 64; i++) {
            double e = scaling_karp_flatt(&r, i).v;
            cr_assert_float_eq(e, fs[k], 1e-9, "f %g, %d workers: e %g",
                               fs[k], i + 1, e);
            cr_assert(scaling_karp_flatt(&r, i).lo <= e &&
                      e <= scaling_karp_flatt(&r, i).hi);
        }
        cr_assert(isnan(scaling_karp_flatt(&r, 0).v));
    }
}

/* Overhead per worker shows as an e that grows with the workers. */
Test(lesson_scaling, overhead_makes_karp_flatt_grow)
{
    struct scaling_results r = amdahl_run(0.1, 8, 8, 8, 0.002,
                                          fake_cond(8, 1, 7.5, 0));
    double prev = 0.1;

    for (int i = 1; i < 8; i++) {
        double e = scaling_karp_flatt(&r, i).v;
        cr_assert_gt(e, prev, "%d workers: e %g after %g", i + 1, e, prev);
        prev = e;
    }
}

Test(lesson_scaling, laws_by_hand)
{
    cr_assert_float_eq(law_amdahl(0.1, 2), 1 / 0.55, 1e-12);
    cr_assert_float_eq(law_amdahl(0, 8), 8, 1e-12);
    cr_assert_float_eq(law_gustafson(0.1, 2), 1.9, 1e-12);
    cr_assert_float_eq(law_gustafson(0.1, 64), 64 - 6.3, 1e-12);
    cr_assert(isnan(law_karp_flatt(1.5, 1)));
    cr_assert(isnan(law_karp_flatt(0, 2)));
}

Test(lesson_scaling, quiet_two_cpus_follows_both_laws)
{
    struct scaling_results r = amdahl_run(0.1, 2, 4, 2, 0,
                                          fake_cond(2, 1, 1.9, 0));
    struct notices ns = lesson(&r, "quiet, 2 CPUs");

    cr_assert(has_id(&ns, "scaling.amdahl"));
    cr_assert(has_id(&ns, "scaling.karp_flatt"));
    cr_assert(has_text(&ns, "serial fraction of 10.0%"));
    cr_assert(has_id(&ns, "scaling.gustafson"));
    cr_assert(has_id(&ns, "scaling.past_cpus"));
    cr_assert(has_id(&ns, "scaling.ceiling"));
    cr_assert(!has_id(&ns, "scaling.one_cpu"));
    notices_free(&ns);
}

Test(lesson_scaling, one_cpu_shows_predictions_only)
{
    struct scaling_results r = amdahl_run(0.1, 1, 4, 1, 0,
                                          fake_cond(1, 1, 0.6, 0.4));
    struct notices ns = lesson(&r, "taskset -c 0");

    cr_assert(has_id(&ns, "scaling.one_cpu"));
    cr_assert(has_text(&ns, "predictions only"));
    cr_assert(!has_id(&ns, "scaling.amdahl"));
    cr_assert(!has_id(&ns, "scaling.karp_flatt"));
    cr_assert(!has_id(&ns, "scaling.gustafson"));
    cr_assert(!has_id(&ns, "scaling.past_cpus"));  /* said once */
    cr_assert(!has_text(&ns, "faster,"));
    notices_free(&ns);
}

/* The other CPU was busy: 2 workers shared one CPU, no speedup. */
Test(lesson_scaling, other_cpu_busy_is_not_read_as_a_law)
{
    struct scaling_results r = amdahl_run(0.1, 2, 2, 2, 0,
                                          fake_cond(2, 1, 1.0, 0.95));
    struct notices ns;

    r.points[1].strong_s = timed(0.1, 0.02);
    r.points[1].busy = 1.0;
    ns = lesson(&r, "other CPU busy");
    cr_assert(has_id(&ns, "scaling.not_at_once"));
    cr_assert(has_text(&ns, "other programs kept"));
    cr_assert(!has_id(&ns, "scaling.amdahl"));
    cr_assert(!has_id(&ns, "scaling.below_amdahl"));
    cr_assert(!has_id(&ns, "scaling.karp_flatt"));
    cr_assert(!has_id(&ns, "scaling.karp_flatt_above"));
    cr_assert(!has_id(&ns, "scaling.gustafson"));
    notices_free(&ns);
}

Test(lesson_scaling, noisy_baseline_is_said_and_nothing_decided)
{
    struct scaling_results r = amdahl_run(0.1, 2, 2, 2, 0,
                                          fake_cond(2, 1, 1.9, 0));
    struct notices ns;

    r.points[0].strong_s = (struct est){ 0.08, 0.05, 0.14 };
    ns = lesson(&r, "noisy baseline");
    cr_assert(has_id(&ns, "scaling.noisy"));
    cr_assert(!has_id(&ns, "scaling.below_amdahl"));
    cr_assert(!has_id(&ns, "scaling.above_amdahl"));
    cr_assert(!has_id(&ns, "scaling.karp_flatt_above"));
    cr_assert(has_id(&ns, "scaling.amdahl_unclear") ||
              has_id(&ns, "scaling.amdahl"));
    notices_free(&ns);
}

Test(lesson_scaling, superlinear_point_is_not_parallelism)
{
    struct scaling_results r = amdahl_run(0.1, 2, 2, 2, 0,
                                          fake_cond(2, 1, 1.9, 0));
    struct notices ns;

    r.points[1].strong_s = timed(0.1 / 2.6, 0.02);
    ns = lesson(&r, "superlinear");
    cr_assert(has_id(&ns, "scaling.superlinear"));
    cr_assert(!has_id(&ns, "scaling.amdahl"));
    cr_assert(!has_id(&ns, "scaling.above_amdahl"));
    cr_assert(!has_text(&ns, "Karp-Flatt"));
    notices_free(&ns);
}

Test(lesson_scaling, quiet_but_slow_names_no_false_cause)
{
    struct scaling_results r = amdahl_run(0.1, 2, 2, 2, 0,
                                          fake_cond(2, 1, 1.9, 0));
    struct notices ns;

    r.points[1].strong_s = timed(0.1 / 1.3, 0.02);
    ns = lesson(&r, "quiet, slow");
    cr_assert(has_id(&ns, "scaling.below_amdahl"));
    cr_assert(has_id(&ns, "scaling.karp_flatt_above"));
    cr_assert(!has_text(&ns, "other programs kept"));
    cr_assert(has_text(&ns, "nor anything else measured here explains it"));
    notices_free(&ns);
}

Test(lesson_scaling, sixty_four_cpus_measure_every_row)
{
    struct scaling_results r = amdahl_run(0.05, 64, 64, 64, 0,
                                          fake_cond(64, 1, 60, 0));
    struct notices ns = lesson(&r, "64 CPUs");

    cr_assert(has_id(&ns, "scaling.amdahl"));
    cr_assert(has_text(&ns, "64 workers"));
    cr_assert(has_id(&ns, "scaling.karp_flatt"));
    cr_assert(!has_id(&ns, "scaling.past_cpus"));
    notices_free(&ns);
}

Test(lesson_scaling, no_serial_part_has_no_ceiling)
{
    struct scaling_results r = amdahl_run(0, 2, 2, 2, 0,
                                          fake_cond(2, 1, 1.9, 0));
    struct notices ns = lesson(&r, "f = 0");

    cr_assert(!has_id(&ns, "scaling.ceiling"));
    cr_assert(has_id(&ns, "scaling.amdahl"));
    notices_free(&ns);
}
