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

/* ---- the Python part: the lecture's Manager ---- */

static struct manager_results with_python(long long dict_final)
{
    struct manager_results r = quiet();

    r.py_dict = (struct manager_row){ true, 2, 600, 0.3, dict_final, 600 };
    r.py_locked = row(600, 0.36);           /* 600 µs per add */
    r.py_value = row(18000, 0.18);          /* 10 µs per add */
    r.py_authkey = 1;
    return r;
}

Test(lesson_manager, python_dict_loses_adds_without_a_lock)
{
    struct manager_results r = with_python(410);
    struct notices ns = lesson(&r, "python, lost");

    cr_assert(has_id(&ns, "manager.py_lost"));
    cr_assert(has_text(&ns, "lost 190 of 600 adds without a lock"));
    cr_assert(has_id(&ns, "manager.py_locked_cost"));
    cr_assert(has_text(&ns, "21.2 times our C Manager's 28.3 µs"));
    cr_assert(has_id(&ns, "manager.py_value"));
    cr_assert(has_id(&ns, "manager.py_authkey"));
    cr_assert(has_text(&ns, "authkey of its own was refused"));
    notices_free(&ns);
}

/* No lost add this time: the race is not claimed to have struck. */
Test(lesson_manager, python_no_loss_is_not_called_a_loss)
{
    struct manager_results r = with_python(600);
    struct notices ns = lesson(&r, "python, none lost");

    cr_assert(has_id(&ns, "manager.py_lost_unshown"));
    cr_assert(!has_text(&ns, "another process's set fell between them."));
    notices_free(&ns);
}

Test(lesson_manager, python_wrong_counts_are_bugs_an_open_door_is_said)
{
    struct manager_results r = with_python(700);
    struct notices ns;

    r.py_locked.final = 599;
    r.py_authkey = 2;
    ns = lesson(&r, "python, bugs");
    cr_assert(has_id(&ns, "manager.py_count_wrong"));
    cr_assert(has_id(&ns, "manager.py_locked_wrong"));
    cr_assert(has_id(&ns, "manager.py_authkey_let_in"));
    cr_assert(!has_id(&ns, "manager.py_value"));
    notices_free(&ns);
}

/* Python only: no C row, so no C sentence and no comparison with it. */
Test(lesson_manager, python_only_compares_within_python)
{
    struct manager_results r = with_python(410);
    struct notices ns;

    r.mgr_unix.is_run = r.mgr_tcp.is_run = false;
    r.shm_atomic.is_run = r.shm_mutex.is_run = false;
    ns = lesson(&r, "python only");
    cr_assert(!has_id(&ns, "manager.py_locked_cost"));
    cr_assert(!has_id(&ns, "manager.server_is_the_lock"));
    cr_assert(has_id(&ns, "manager.py_value"));
    notices_free(&ns);
}

/* ---- Python's dict proxy per value size, beside C's Manager get ---- */

/* 64 B and 64 KiB through the proxy: get seconds each, pickling alone
 * at 64 KiB; C's get. */
static struct manager_results with_proxy(double get_small, double get_big,
                                         double pickle_big, double c_get)
{
    struct manager_results r = with_python(410);

    r.py_proxy[0] = (struct manager_proxy){ true, 64, 300, get_small,
                                            get_small, 2e-6, true };
    r.py_proxy[1] = (struct manager_proxy){ true, 65536, 50, get_big * 1.1,
                                            get_big, pickle_big, true };
    r.c_get_s = c_get;
    return r;
}

Test(lesson_manager, python_proxy_costs_and_pickling_share)
{
    struct manager_results r = with_proxy(60e-6, 150e-6, 20e-6, 25e-6);
    struct notices ns = lesson(&r, "python proxy quiet");

    cr_assert(has_id(&ns, "manager.py_proxy_cost"));
    cr_assert(has_text(&ns, "2.40 times C's Manager get"));
    cr_assert(has_id(&ns, "manager.py_pickle_share"));
    cr_assert(has_text(&ns, "pickling and unpickling it alone took 20.0 µs"));
    cr_assert(has_id(&ns, "manager.py_proxy_checked"));
    notices_free(&ns);
}

/* the wrong one wins on a busy machine: the proxy below C's get, and
 * pickling alone slower than the whole round trip: no textbook */
Test(lesson_manager, python_proxy_wrong_winners_blame_the_load)
{
    struct manager_results r = with_proxy(20e-6, 80e-6, 95e-6, 90e-6);
    struct notices ns;

    r.cond = fake_cond(2, 1, 1, 1);
    ns = lesson(&r, "python proxy busy");
    cr_assert(has_id(&ns, "manager.py_proxy_not_slower"));
    cr_assert(has_id(&ns, "manager.py_pickle_unshown"));
    cr_assert(!has_text(&ns, "the rest is the trip"));
    cr_assert(has_text(&ns, "other programs kept"));
    notices_free(&ns);
}

Test(lesson_manager, python_proxy_wrong_value_is_a_bug)
{
    struct manager_results r = with_proxy(60e-6, 150e-6, 20e-6, 25e-6);
    struct notices ns;

    r.py_proxy[1].is_ok = false;
    ns = lesson(&r, "python proxy wrong");
    cr_assert(has_id(&ns, "manager.py_proxy_wrong"));
    cr_assert(has_text(&ns, "(1 size)"));
    notices_free(&ns);
}
