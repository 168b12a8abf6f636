/* test_lesson_race.c - the race topic's rules on synthetic results. The
 * defects: worksheet 4's lock-less mutex counted exactly (gcc folded a
 * plain ++ into one add); quiz answers promised lost updates and slower
 * packed counters "every time", while default runs showed neither; the
 * unlocked counter lost nothing in 3 of 3 runs at load, its threads never
 * inside their work at once. The rounds begun together now say how often
 * they were (at_once of rounds), and every rule is gated on it.
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/race.h"

static struct est ns(double v)
{
    return (struct est){ v, 0.95 * v, 1.05 * v };
}

/* False sharing over runs of 2000 rounds: per update in all of them
 * (packed as given, padded its at-once time) and in the at_once ones. */
static struct race_sharing sharing(struct est packed_ao, struct est padded_ao,
                                   int runs, long long at_once)
{
    return (struct race_sharing){
        .packed_ns = packed_ao, .padded_ns = padded_ao,
        .packed_ao = packed_ao, .padded_ao = padded_ao,
        .packed_busy = at_once ? 1.95 : 0.9, .runs = runs,
        .ao_runs = at_once ? runs : 0, .rounds = 2000LL * runs,
        .at_once = at_once,
    };
}

/* Two threads on two free CPUs: every effect shows. */
static struct race_results usual(void)
{
    struct race_results r = {
        .threads = 2, .cpus = 2, .line_bytes = 64,
        .cond = fake_cond(2, 5, 1.9, 0),
    };

    r.counter[RACE_UNSYNC] = (struct race_counter){ 4000000, 3, 0, 1800000,
                                                    ns(3e-9), 1.9, 6000,
                                                    5900 };
    r.counter[RACE_MUTEX] = (struct race_counter){ 4000000, 3, 3, 0,
                                                   ns(40e-9), 1.5, 6000,
                                                   5000 };
    r.counter[RACE_ATOMIC] = (struct race_counter){ 4000000, 3, 3, 0,
                                                    ns(12e-9), 1.9, 6000,
                                                    5900 };
    r.crawl[0] = (struct race_crawl){ 24865, 25048, 183, 0, 1, 0.1, 1.8 };
    r.crawl[1] = (struct race_crawl){ 24865, 24865, 0, 0, 1, 0.1, 0 };
    r.sharing = sharing(ns(4e-9), ns(1.1e-9), 3, 6000);
    r.append[RACE_APPEND_SEEK] = (struct race_append){ 20000, 16517, 0, 626,
                                                       200, 1 };
    r.append[RACE_APPEND_LOCKED] = (struct race_append){ 20000, 20000, 0,
                                                         626, 20, 1 };
    r.append[RACE_APPEND_O_APPEND] = (struct race_append){ 20000, 20000, 0,
                                                           626, 600, 1 };
    return r;
}

static struct notices lesson(const struct race_results *r, const char *name)
{
    struct notices ns;

    notices_init(&ns);
    race_notices(r, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

Test(lesson_race, two_free_cpus_show_everything)
{
    struct race_results r = usual();
    struct notices ns = lesson(&r, "quiet");

    cr_assert(has_id(&ns, "race.lost_updates"));
    cr_assert(has_id(&ns, "race.locks_exact"));
    cr_assert(has_id(&ns, "race.lock_cost"));
    cr_assert(has_id(&ns, "race.fetched_twice"));
    cr_assert(has_id(&ns, "race.dedupe_locked"));
    cr_assert(has_id(&ns, "race.false_sharing"));
    cr_assert(!has_text(&ns, "x the"), "x means faster, never a cost");
    notices_free(&ns);
}

/* The other CPU busy: no lost update, no false sharing; and why. */
Test(lesson_race, busy_machine_says_not_observed_and_why)
{
    struct race_results r = usual();

    r.cond = fake_cond(2, 5, 0.9, 1.0);
    r.counter[RACE_UNSYNC] = (struct race_counter){ 4000000, 10, 10, 0,
                                                    ns(3e-9), 0.95, 20000,
                                                    0 };
    r.crawl[0].dup_urls = 0;
    r.crawl[0].fetches = 24865;
    r.crawl[0].tries = 5;
    r.crawl[0].cpus_busy = 0.9;
    r.sharing = sharing(ns(4e-9), ns(4.1e-9), 3, 0);
    struct notices ns = lesson(&r, "other cpu busy");

    cr_assert(has_id(&ns, "race.no_loss_seen"));
    cr_assert(has_text(&ns, "No update was lost in 10 tries: in none of "
                       "the 20000 rounds"));
    cr_assert(has_text(&ns, "hardly ran at once"));
    cr_assert(has_text(&ns, "other programs kept"));
    cr_assert(!has_text(&ns, "nan"), "no at-once time to cite");
    cr_assert(has_id(&ns, "race.dedupe_not_seen"));
    cr_assert(has_id(&ns, "race.sharing_not_seen"));
    cr_assert(!has_text(&ns, "Padding made"));
    notices_free(&ns);
}

Test(lesson_race, overlapping_threads_without_effect)
{
    struct race_results r = usual();

    r.counter[RACE_UNSYNC].worst_lost = 0;
    r.counter[RACE_UNSYNC].exact_runs = 3;
    r.sharing = sharing(ns(1.2e-9), ns(1.1e-9), 3, 5000);
    struct notices ns = lesson(&r, "overlap, no effect");

    cr_assert(has_text(&ns, "although in 5900 of 6000 rounds two threads"));
    cr_assert(has_text(&ns, "It is still a race"));
    cr_assert(has_text(&ns, "share their caches"));
    notices_free(&ns);
}

/* One CPU: nothing lost anywhere, the mutex's threads never at once.
 * "A lock makes it safe" would be a claim this run did not test. */
Test(lesson_race, exact_everywhere_on_one_cpu_tests_no_lock)
{
    struct race_results r = usual();

    r.cpus = 1;
    r.cond = fake_cond(1, 5, 0.2, 0);
    r.counter[RACE_UNSYNC] = (struct race_counter){ 4000000, 3, 3, 0,
                                                    ns(3e-9), 1.0, 6000, 0 };
    r.counter[RACE_MUTEX].cpus_busy = 1.0;
    r.counter[RACE_MUTEX].at_once = 0;
    r.counter[RACE_ATOMIC].cpus_busy = 1.0;
    r.counter[RACE_ATOMIC].at_once = 0;
    r.sharing = sharing(ns(1e-9), ns(1e-9), 3, 0);
    struct notices ns = lesson(&r, "one cpu, nothing lost");

    cr_assert(has_text(&ns, "with 1 allowed CPU the threads only take "
                       "turns"));
    cr_assert(has_id(&ns, "race.sharing_cannot_show"));
    cr_assert(has_id(&ns, "race.locks_untested"));
    cr_assert(has_text(&ns, "cannot show what the lock prevents"));
    cr_assert(!has_id(&ns, "race.locks_exact"));
    notices_free(&ns);
}

/* Worksheet 4: the lock deleted from the mutex variant. */
Test(lesson_race, mutex_without_its_lock)
{
    struct race_results r = usual();

    r.counter[RACE_MUTEX] = (struct race_counter){ 4000000, 3, 0, 1500000,
                                                   ns(3e-9), 1.9, 6000,
                                                   5000 };
    struct notices ns = lesson(&r, "mutex without lock");

    cr_assert(has_id(&ns, "race.mutex_lost"));
    cr_assert(!has_id(&ns, "race.locks_exact"));
    cr_assert(has_text(&ns, "exercise removes them"));
    notices_free(&ns);
}

Test(lesson_race, atomic_dearer_and_single_thread)
{
    struct race_results r = usual();

    r.counter[RACE_ATOMIC].ns = ns(80e-9);
    struct notices ns = lesson(&r, "atomic dearer");
    cr_assert(has_id(&ns, "race.atomic_dearer"));
    notices_free(&ns);

    r = usual();
    r.threads = 1;
    r.counter[RACE_UNSYNC].worst_lost = 0;
    r.counter[RACE_UNSYNC].exact_runs = 3;
    r.crawl[0].dup_urls = 0;
    r.crawl[0].fetches = 24865;
    ns = lesson(&r, "one thread");
    cr_assert(has_id(&ns, "race.one_thread"));
    cr_assert(has_id(&ns, "race.dedupe_one_worker"));
    cr_assert(has_id(&ns, "race.sharing_cannot_show"));
    notices_free(&ns);
}

/* One CPU, and updates lost anyway: by a switch between a load and its
 * store, which the sentence says instead of "they ran at once". */
Test(lesson_race, one_cpu_loss_is_preemption)
{
    struct race_results r = usual();

    r.cpus = 1;
    r.cond = fake_cond(1, 5, 1.0, 0);
    r.counter[RACE_UNSYNC] = (struct race_counter){ 4000000, 7, 6, 1000,
                                                    ns(3e-9), 1.0, 14000,
                                                    3 };
    struct notices ns = lesson(&r, "one cpu, lost by preemption");

    cr_assert(has_id(&ns, "race.lost_by_preemption"));
    cr_assert(has_text(&ns, "lost 1000 of 4000000 updates"));
    cr_assert(has_text(&ns, "never ran at once"));
    notices_free(&ns);
}

/* The threads busy (spinning counts as CPU time) yet never inside a
 * round at once: the lock is untested, whatever the CPUs busy say. */
Test(lesson_race, busy_cpus_without_overlap_test_no_lock)
{
    struct race_results r = usual();

    r.counter[RACE_UNSYNC].worst_lost = 0;
    r.counter[RACE_UNSYNC].exact_runs = 3;
    r.counter[RACE_UNSYNC].at_once = 0;
    r.counter[RACE_MUTEX].cpus_busy = 1.9;
    r.counter[RACE_MUTEX].at_once = 0;
    r.cond = fake_cond(2, 5, 1.9, 0);
    struct notices ns = lesson(&r, "busy, never at once");

    cr_assert(has_id(&ns, "race.locks_untested"));
    cr_assert(has_id(&ns, "race.no_loss_seen"));
    cr_assert(has_text(&ns, "in none of the 6000 rounds"));
    cr_assert(!has_text(&ns, "other programs kept"), "the machine was quiet");
    notices_free(&ns);
}

/* Noisy false sharing: packed slower on average, but the quartiles of
 * the at-once times straddle the threshold - not called. */
Test(lesson_race, noisy_sharing_is_not_called)
{
    struct race_results r = usual();
    struct est packed = { 1.4e-9, 0.8e-9, 3e-9 };

    r.sharing = sharing(packed, ns(1e-9), 10, 9000);
    struct notices ns = lesson(&r, "noisy sharing");

    cr_assert(has_id(&ns, "race.sharing_not_seen"));
    cr_assert(!has_text(&ns, "padding made"));
    cr_assert(has_text(&ns, "although in 9000 of 20000 rounds"));
    notices_free(&ns);
}

/* Padding faster only when the rounds ran at once: the claim quotes the
 * at-once rounds it was measured in. */
Test(lesson_race, sharing_claim_cites_the_rounds_at_once)
{
    struct race_results r = usual();
    struct notices ns = lesson(&r, "sharing shown");

    cr_assert(has_id(&ns, "race.false_sharing"));
    cr_assert(has_text(&ns, "In the 6000 of 6000 rounds where both threads "
                       "ran at once, padding made each bump 3.64x faster"));
    notices_free(&ns);
}

/* The filter's log: seek+write lost lines, the lock and O_APPEND none. */
Test(lesson_race, append_lost_lines_and_the_safe_ways)
{
    struct race_results r = usual();
    struct notices ns = lesson(&r, "append lost");

    cr_assert(has_id(&ns, "race.append_lost"));
    cr_assert(has_text(&ns, "kept 16517 of 20000 lines in the worst of 1 "
                       "try: 3483 were lost, 0 torn"));
    cr_assert(has_id(&ns, "race.append_safe"));
    notices_free(&ns);
}

/* Nothing lost, the other CPU busy: no round at once, and the cause;
 * and on one CPU, why it cannot show. Never "two threads found the same
 * end" when none did. */
Test(lesson_race, append_not_seen_says_why)
{
    struct race_results r = usual();
    struct notices ns;

    r.append[RACE_APPEND_SEEK] = (struct race_append){ 20000, 20000, 0, 6260,
                                                       0, 10 };
    r.cond = fake_cond(2, 5, 0.9, 1.0);
    ns = lesson(&r, "append, other cpu busy");
    cr_assert(has_id(&ns, "race.append_not_seen"));
    cr_assert(has_text(&ns, "Every appended line arrived whole in 10 tries "
                       "of lseek then write: in none of the 6260 rounds"));
    cr_assert(has_text(&ns, "other programs kept"));
    cr_assert(!has_text(&ns, "found the same end"));
    notices_free(&ns);

    r.cpus = 1;
    ns = lesson(&r, "append, one cpu");
    cr_assert(has_text(&ns, "with 1 allowed CPU the threads only take "
                       "turns"));
    notices_free(&ns);
}

/* O_APPEND that lost a line is a bug (or NFS), never "safe". */
Test(lesson_race, append_o_append_lost_is_a_bug)
{
    struct race_results r = usual();
    struct notices ns;

    r.append[RACE_APPEND_O_APPEND].whole = 19990;
    ns = lesson(&r, "o_append lost");
    cr_assert(has_id(&ns, "race.append_safe_bug"));
    cr_assert(!has_id(&ns, "race.append_safe"));
    notices_free(&ns);
}

/* ---- the Python part ---- */

static struct race_results with_python(long long slide_dup, long long w_dup,
                                       long long value_final)
{
    struct race_results r = usual();

    r.py = (struct race_python){ .is_run = true, .threads = 2, .urls = 10000,
        .crawl = {
            { 2500, 2500 + slide_dup, slide_dup, 0, 1, 0.2, 0 },
            { 2500, 2500 + w_dup, w_dup, 0, 1, 0.7, 0 },
            { 2500, 2500, 0, 0, 1, 1.2, 0 },
        },
        .value_total = 200000, .value_final = { value_final, 200000 },
        .value_busy = 1.9, .cond = fake_cond(2, 5, 1.9, 0),
        .log = { { 20002, 20002, 0, 13 }, { 20002, 17258, 1, 160 },
                 { 20002, 20002, 0, 775 } } };
    return r;
}

/* CPython 3.11: the slide's window holds no GIL hand-over point. */
Test(lesson_race, python_slide_clean_is_luck_not_a_lock)
{
    struct race_results r = with_python(0, 641, 121481);
    struct notices ns = lesson(&r, "python, slide clean");

    cr_assert(has_id(&ns, "race.py_slide_clean"));
    cr_assert(has_text(&ns, "Luck, not a lock: with one blocking call"));
    cr_assert(has_text(&ns, "641 URLs were fetched twice or more"));
    cr_assert(has_id(&ns, "race.py_locked"));
    cr_assert(has_id(&ns, "race.py_value_lost"));
    cr_assert(has_text(&ns, "lost 78519 of 200000 increments"));
    notices_free(&ns);
}

Test(lesson_race, python_slide_raced_is_said)
{
    struct race_results r = with_python(3, 641, 200000);
    struct notices ns = lesson(&r, "python, slide raced");

    cr_assert(has_id(&ns, "race.py_slide_raced"));
    cr_assert(!has_text(&ns, "Luck, not a lock"));
    cr_assert(has_id(&ns, "race.py_value_unshown"));
    cr_assert(has_text(&ns, "does not make it safe"));
    notices_free(&ns);
}

/* Nothing struck, and the Value's processes hardly ran at once. */
Test(lesson_race, python_no_race_says_so_with_the_evidence)
{
    struct race_results r = with_python(0, 0, 200000);
    struct notices ns;

    r.py.value_busy = 0.3;
    r.py.cond = fake_cond(2, 5, 0.3, 1.7);
    ns = lesson(&r, "python, nothing struck");
    cr_assert(has_id(&ns, "race.py_race_unshown"));
    cr_assert(has_id(&ns, "race.py_value_unshown"));
    cr_assert(has_text(&ns, "hardly ran at once"));
    cr_assert(has_text(&ns, "other programs kept"));
    notices_free(&ns);
}

/* The slide's log line: whole with "a"; lost with seek+write; and a run
 * where seek+write lost nothing says so, without "two found the same". */
Test(lesson_race, python_log_lines)
{
    struct race_results r = with_python(0, 641, 121481);
    struct notices ns = lesson(&r, "python log");

    cr_assert(has_id(&ns, "race.py_log_whole"));
    cr_assert(has_text(&ns, "kept all 20002 lines whole"));
    cr_assert(has_id(&ns, "race.py_log_lost"));
    cr_assert(has_text(&ns, "2744 of 20002 lines were lost and 1 torn"));
    notices_free(&ns);

    r.py.log[RPY_APPEND_SEEK].whole = 20002;
    r.py.log[RPY_APPEND_A].torn = 3;
    r.py.log[RPY_APPEND_A].whole = 20000;
    ns = lesson(&r, "python log, nothing lost");
    cr_assert(has_id(&ns, "race.py_log_lost_unshown"));
    cr_assert(!has_text(&ns, "two processes found the same end"));
    cr_assert(has_id(&ns, "race.py_log_a_broken"));
    notices_free(&ns);
}

Test(lesson_race, python_only_has_no_c_sentences)
{
    struct race_results r = with_python(0, 641, 121481);
    struct notices ns;

    r.is_python_only = true;
    ns = lesson(&r, "python only");
    cr_assert(!has_id(&ns, "race.lost_updates"));
    cr_assert(!has_id(&ns, "race.fetched_twice"));
    cr_assert(has_id(&ns, "race.py_slide_clean"));
    notices_free(&ns);
}
