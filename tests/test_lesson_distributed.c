/* test_lesson_distributed.c - the distributed topic's rules on synthetic
 * launches. The defect: it never said when 2 ranks were slower than 1
 * process with 2 threads, though the lecture claims distribution cuts
 * processing time.
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/distributed.h"

static struct dist_results launches(double j1, double j2, double j4,
                                    int cpus, struct cond c)
{
    return (struct dist_results){ .cpus = cpus, .cond = c, .run = {
        { 1, cpus, j1, j1 + 0.07, 0, 0, true },
        { 2, 1, j2, j2 + 1.4, 1.4 * (1 << 20), 0.4 * j2, true },
        { 4, 1, j4, j4 + 4.3, 2.1 * (1 << 20), 0.5 * j4, true },
    } };
}

static struct notices lesson(const struct dist_results *r, const char *name)
{
    struct notices ns;

    notices_init(&ns);
    distributed_notices(r, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

Test(lesson_distributed, two_ranks_slower_than_two_threads_says_so)
{
    struct dist_results r = launches(0.96, 1.42, 1.78, 2,
                                     fake_cond(2, 10, 1.5, 0));
    struct notices ns = lesson(&r, "ranks slower");

    cr_assert(has_id(&ns, "distributed.same_answer"));
    cr_assert(has_id(&ns, "distributed.ranks_slower"));
    cr_assert(has_text(&ns, "when it adds machines"));
    cr_assert(has_id(&ns, "distributed.oversubscribed"));
    cr_assert(has_id(&ns, "distributed.launch_cost"));
    cr_assert(has_id(&ns, "distributed.more_ranks_more_shuffle"));
    notices_free(&ns);
}

Test(lesson_distributed, ranks_faster_are_not_explained_by_guesswork)
{
    struct dist_results r = launches(1.5, 0.9, 1.0, 2,
                                     fake_cond(2, 10, 1.5, 0));
    struct notices ns = lesson(&r, "ranks faster");

    cr_assert(has_id(&ns, "distributed.ranks_faster"));
    cr_assert(has_text(&ns, "anything else measured here explains it"));
    cr_assert(!has_text(&ns, "slower than 1 process"));
    notices_free(&ns);
}

Test(lesson_distributed, one_cpu_says_both_take_turns)
{
    struct dist_results r = launches(1.9, 2.0, 2.2, 1,
                                     fake_cond(1, 10, 0.95, 0));
    struct notices ns = lesson(&r, "taskset -c 0");

    cr_assert(has_id(&ns, "distributed.ranks_one_cpu"));
    cr_assert(has_text(&ns, "take turns"));
    notices_free(&ns);
}

Test(lesson_distributed, close_launches_are_not_called)
{
    struct dist_results r = launches(1.0, 1.1, 1.9, 2,
                                     fake_cond(2, 10, 1.5, 0));
    struct notices ns = lesson(&r, "close");

    cr_assert(has_id(&ns, "distributed.ranks_close"));
    notices_free(&ns);
}

Test(lesson_distributed, a_different_answer_is_a_bug)
{
    struct dist_results r = launches(0.96, 1.42, 1.78, 2,
                                     fake_cond(2, 10, 1.5, 0));
    struct notices ns;

    r.run[2].is_same = false;
    ns = lesson(&r, "differ");
    cr_assert(has_id(&ns, "distributed.answers_differ"));
    cr_assert(has_text(&ns, "1 run disagrees"));
    notices_free(&ns);
}
