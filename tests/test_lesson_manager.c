/* test_lesson_manager.c - the manager topic's rules on synthetic races.
 * The defect: with --addr tcp:... it said the clients "could be on other
 * machines", though this build refuses any host but this one.
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/manager.h"

static struct manager_row row(long long adds, double secs)
{
    return (struct manager_row){ true, 2, adds, secs, adds, adds };
}

static struct manager_results quiet(void)
{
    return (struct manager_results){
        .mgr_unix = row(6000, 0.17), .mgr_tcp = row(6000, 0.67),
        .shm_atomic = row(1800000, 0.0084), .shm_mutex = row(1800000, 0.1),
        .op_calls = 300, .log_items = 300, .is_get_ok = true, .cpus = 2,
        .cond = fake_cond(2, 1, 1.5, 0),
    };
}

static struct notices lesson(const struct manager_results *r,
                             const char *name)
{
    struct notices ns;

    notices_init(&ns);
    manager_notices(r, &ns);
    assert_notices_hold(&ns, name);
    cr_assert(!has_text(&ns, "could be on other machines"), "%s", name);
    return ns;
}

Test(lesson_manager, quiet_machine_states_costs_and_gains)
{
    struct manager_results r = quiet();
    struct notices ns = lesson(&r, "quiet");

    cr_assert(has_id(&ns, "manager.round_trip_cost"));
    cr_assert(has_id(&ns, "manager.mutex_cost"));
    cr_assert(has_id(&ns, "manager.server_is_the_lock"));
    cr_assert(has_id(&ns, "manager.any_object"));
    cr_assert(has_id(&ns, "manager.tcp_costs_more"));
    cr_assert(has_text(&ns, "accepts only this machine"));
    notices_free(&ns);
}

/* --addr tcp:127.0.0.1:0: one Manager row, and it is TCP's. */
Test(lesson_manager, tcp_only_never_promises_other_machines)
{
    struct manager_results r = quiet();
    struct notices ns;

    r.mgr_unix.is_run = false;
    ns = lesson(&r, "--addr tcp");
    cr_assert(has_id(&ns, "manager.round_trip_cost"));
    cr_assert(!has_id(&ns, "manager.tcp_costs_more"));
    cr_assert(has_text(&ns, "TCP on 127.0.0.1"));
    notices_free(&ns);
}

/* A contended atomic slower than the lock: no "two atomic operations". */
Test(lesson_manager, mutex_no_dearer_than_atomic_says_so)
{
    struct manager_results r = quiet();
    struct notices ns;

    r.shm_mutex.secs = 0.0070;
    ns = lesson(&r, "mutex cheaper");
    cr_assert(has_id(&ns, "manager.mutex_cost_unshown"));
    cr_assert(!has_text(&ns, "two atomic operations"));
    cr_assert(has_text(&ns, "does not show what the lock adds"));
    notices_free(&ns);
}

Test(lesson_manager, one_cpu_names_the_single_cpu)
{
    struct manager_results r = quiet();
    struct notices ns;

    r.cpus = 1;
    r.cond = fake_cond(1, 1, 0.95, 0);
    r.shm_mutex.secs = 0.0100;
    ns = lesson(&r, "taskset -c 0");
    cr_assert(has_text(&ns, "with 1 allowed CPU one process runs"));
    notices_free(&ns);
}

/* The other CPU busy: TCP came out cheaper; the load is named. */
Test(lesson_manager, tcp_cheaper_under_load_blames_the_load)
{
    struct manager_results r = quiet();
    struct notices ns;

    r.mgr_unix.secs = 1.2;
    r.cond = fake_cond(2, 1, 0.3, 1.6);
    ns = lesson(&r, "busy");
    cr_assert(has_id(&ns, "manager.tcp_cheaper"));
    cr_assert(has_text(&ns, "other programs kept 1.60"));
    cr_assert(!has_text(&ns, "does more work per message than"));
    notices_free(&ns);
}

Test(lesson_manager, noisy_tcp_and_unix_too_close_to_call)
{
    struct manager_results r = quiet();
    struct notices ns;

    r.mgr_tcp.secs = 0.2;
    ns = lesson(&r, "close");
    cr_assert(has_id(&ns, "manager.tcp_close"));
    notices_free(&ns);
}

Test(lesson_manager, wrong_count_is_a_bug_not_a_lesson)
{
    struct manager_results r = quiet();
    struct notices ns;

    r.mgr_unix.final = 5999;
    r.log_items = 299;
    ns = lesson(&r, "wrong");
    cr_assert(has_id(&ns, "manager.count_wrong"));
    cr_assert(has_id(&ns, "manager.objects_wrong"));
    cr_assert(!has_text(&ns, "the server is the lock"));
    notices_free(&ns);
}

Test(lesson_manager, manager_no_slower_than_atomic_is_not_called_a_cost)
{
    struct manager_results r = quiet();
    struct notices ns;

    r.mgr_unix.adds = r.mgr_unix.final = r.mgr_unix.expected = 1800000;
    r.mgr_unix.secs = 0.0090;
    ns = lesson(&r, "no gap");
    cr_assert(has_id(&ns, "manager.round_trip_unshown"));
    cr_assert(!has_text(&ns, "What it costs"));
    notices_free(&ns);
}
