/* test_lesson_locality.c - the locality topic's rules on synthetic runs.
 * The defects: a given --net-mbps was overridden by this machine's ratio,
 * and a page-cache vs loopback ratio was called "a lower bound on what
 * separate storage costs".
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/locality.h"

static struct sched_result sched(int local, int rack, int off, double job,
                                 long waits)
{
    int tasks = local + rack + off;

    return (struct sched_result){ tasks, { local, rack, off },
                                  (rack + off) * 128.0 * (1 << 20),
                                  off * 128.0 * (1 << 20), job, waits };
}

static struct est around(double v, double spread)
{
    return (struct est){ v, v * (1 - spread), v * (1 + spread) };
}

static struct locality_results quiet(void)
{
    struct locality_results r = {
        .nodes = 12, .racks = 3, .writer = 0, .heartbeat_ms = 100,
        .delay = 3, .oversub = 2, .disk_mbps = 400, .net_mbps = 125,
        .nm = 3, .no_delay = sched(35, 10, 3, 5.7, 0), .is_measured = true,
        .block_bytes = 64.0 * (1 << 20),
        .rate = { around(4e9, 0.03), around(2e9, 0.03), around(1.6e9, 0.03) },
        .is_grounded = true, .grounded_net_bps = 160e6,
        .g_aware = sched(41, 5, 2, 2.7, 25),
        .g_blind = sched(20, 10, 18, 5.1, 0),
        .cond = fake_cond(2, 5, 1, 0),
    };

    r.m[0] = (struct loc_model){ "hdfs", true, false,
        sched(41, 5, 2, 3.15, 25), sched(20, 10, 18, 6.49, 0), 0, 48,
        1.0 / 3, 1.0 };
    r.m[1] = (struct loc_model){ "random", false, false,
        sched(38, 6, 4, 4.3, 20), sched(18, 12, 18, 5.4, 0), 6, 17,
        0.097, 0.6 };
    r.m[2] = (struct loc_model){ "optimal", false, true,
        sched(48, 0, 0, 1.37, 0), sched(16, 14, 18, 5.7, 0), 12, 12,
        1.0 / 12, 1.0 };
    return r;
}

static struct notices lesson(const struct locality_results *r,
                             const char *name)
{
    struct notices ns;

    notices_init(&ns);
    locality_notices(r, &ns);
    assert_notices_hold(&ns, name);
    cr_assert(!has_text(&ns, "lower bound"), "%s", name);
    return ns;
}

Test(lesson_locality, quiet_run_says_what_the_model_and_run_show)
{
    struct locality_results r = quiet();
    struct notices ns = lesson(&r, "quiet");

    cr_assert(has_id(&ns, "locality.aware_runs_local"));
    cr_assert(has_id(&ns, "locality.locality_pays"));
    cr_assert(has_id(&ns, "locality.hdfs_writer"));
    cr_assert(has_id(&ns, "locality.optimal_even"));
    cr_assert(has_id(&ns, "locality.delay_helps"));
    cr_assert(has_id(&ns, "locality.measured"));
    cr_assert(has_id(&ns, "locality.loopback_is_not_a_network"));
    cr_assert(has_id(&ns, "locality.grounded"));
    cr_assert(has_text(&ns, "not a measured network"));
    notices_free(&ns);
}

/* The defect: --net-mbps 1250 given, then replaced by the measured
 * ratio. The model keeps it and says so. */
Test(lesson_locality, given_network_is_never_replaced)
{
    struct locality_results r = quiet();
    struct notices ns;

    r.is_net_given = true;
    r.is_grounded = false;
    r.net_mbps = 1250;
    r.m[0].aware = sched(35, 10, 3, 1.97, 39);
    r.m[0].blind = sched(21, 12, 15, 1.37, 0);
    r.no_delay = sched(33, 11, 4, 1.37, 0);
    ns = lesson(&r, "net given");
    cr_assert(has_id(&ns, "locality.net_given"));
    cr_assert(!has_id(&ns, "locality.grounded"));
    cr_assert(has_text(&ns, "network 1250 MB/s per node"));
    cr_assert(has_id(&ns, "locality.locality_does_not_pay"));
    cr_assert(has_text(&ns, "the waiting cost more"));
    notices_free(&ns);
}

/* A busy machine: the socket came out as fast as the page cache. */
Test(lesson_locality, close_rates_are_not_called_slower)
{
    struct locality_results r = quiet();
    struct notices ns;

    r.rate[LOC_PATH_UNIX] = around(3.9e9, 0.2);
    r.rate[LOC_PATH_TCP] = around(4.5e9, 0.02);
    r.rate[LOC_PATH_LOCAL] = around(4e9, 0.05);
    r.cond = fake_cond(2, 5, 0.2, 1.7);
    ns = lesson(&r, "busy");
    cr_assert(has_text(&ns, "too close to the page cache to tell apart"));
    cr_assert(has_text(&ns, "(faster)"));
    notices_free(&ns);
}

Test(lesson_locality, one_rack_and_no_delay_say_what_follows)
{
    struct locality_results r = quiet();
    struct notices ns;

    r.racks = 1;
    r.delay = 0;
    r.is_measured = false;
    ns = lesson(&r, "one rack, model only");
    cr_assert(has_text(&ns, "With one rack, losing it loses every block"));
    cr_assert(!has_id(&ns, "locality.delay_helps"));
    cr_assert(!has_id(&ns, "locality.measured"));
    notices_free(&ns);
}

Test(lesson_locality, waiting_that_buys_nothing_says_so)
{
    struct locality_results r = quiet();
    struct notices ns;

    r.no_delay = r.m[0].aware;
    ns = lesson(&r, "delay no help");
    cr_assert(has_id(&ns, "locality.delay_no_help"));
    notices_free(&ns);
}
