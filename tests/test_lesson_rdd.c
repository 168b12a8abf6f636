/* test_lesson_rdd.c - the rdd, wordcount and csv topics' rules on synthetic
 * counts: every sentence holds on its numbers; a count that contradicts
 * the lesson (an eager map, a changed result) is called a bug, not
 * explained away; more threads than CPUs is said to make tasks take turns
 * only when a stage had more tasks than CPUs.
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/lesson.h"
#include "lesson/rdd.h"
#include "lesson/wordcount.h"
#include "lesson/csv.h"

static struct notices rdd_lesson(const struct rdd_lesson *x,
                                 const char *name)
{
    struct notices ns;

    notices_init(&ns);
    rdd_lesson_notices(x, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

static struct notices wc_lesson(const struct wc_lesson *x, const char *name)
{
    struct notices ns;

    notices_init(&ns);
    wc_lesson_notices(x, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

Test(lesson_rdd, lazy_then_recomputed_then_rebuilt)
{
    struct rdd_lesson x = { 0, 3, 6, 2, "[('dog', 1), ('cat', 3)]", true, 1,
                            "shuffle output of map partition 1", 1, true,
                            "[('dog', 1), ('cat', 3)]" };
    struct notices ns = rdd_lesson(&x, "lecture");

    cr_assert(has_id(&ns, "rdd.lazy"));
    cr_assert(has_id(&ns, "rdd.recomputes"));
    cr_assert(has_text(&ns, "3 more times"));
    cr_assert(has_text(&ns, "The slide writes {(cat, 3), (dog, 1)} as a "
                       "set"));
    cr_assert(has_id(&ns, "rdd.lost_rebuilt"));
    cr_assert(has_text(&ns, "re-ran 1 map task from"));
    notices_free(&ns);
}

Test(lesson_rdd, eager_map_or_changed_result_is_a_bug)
{
    struct rdd_lesson x = { 3, 3, 3, 1, "[('cat', 3), ('dog', 1)]", true, 0,
                            "shuffle output of map partition 0", 1, false,
                            "[('cat', 2)]" };
    struct notices ns = rdd_lesson(&x, "bugs");

    cr_assert(has_id(&ns, "rdd.not_lazy"));
    cr_assert(!has_id(&ns, "rdd.recomputes"));
    cr_assert(!has_id(&ns, "rdd.set_is_a_list"));
    cr_assert(has_id(&ns, "rdd.result_differs"));
    notices_free(&ns);
}

static const struct wc_lesson quiet = {
    .map_stage = 0, .map_tasks = 2, .result_stage = 1, .result_tasks = 2,
    .threads = 2, .cpus = 2, .empty_count = -1, .red_records = 253570,
    .red_bytes = 2590000, .has_group = true, .grp_records = 719857,
    .grp_bytes = 6350000,
};

Test(lesson_wordcount, two_stages_and_the_combine)
{
    struct notices ns = wc_lesson(&quiet, "quiet");

    cr_assert(has_id(&ns, "wordcount.two_stages"));
    cr_assert(has_id(&ns, "wordcount.map_side_combine"));
    cr_assert(has_text(&ns, "2.84 times as many"));
    cr_assert(!has_id(&ns, "wordcount.more_threads_than_cpus"));
    notices_free(&ns);
}

/* -t 3 with 2 tasks a stage on 2 CPUs: no task had to wait its turn. */
Test(lesson_wordcount, idle_threads_are_not_called_turns)
{
    struct wc_lesson x = quiet;
    struct notices ns;

    x.threads = 3;
    ns = wc_lesson(&x, "-t 3");
    cr_assert(!has_id(&ns, "wordcount.more_threads_than_cpus"));
    notices_free(&ns);
    x.map_tasks = x.result_tasks = 4;
    ns = wc_lesson(&x, "-t 3 -p 4");
    cr_assert(has_id(&ns, "wordcount.more_threads_than_cpus"));
    notices_free(&ns);
}

Test(lesson_wordcount, split_on_space_counts_the_empty_string)
{
    struct wc_lesson x = quiet;
    struct notices ns;

    x.empty_count = 1234;
    x.grp_records = x.red_records;
    x.skipped = 2;
    x.recomputed = 1;
    x.lost = "shuffle output of map partition 1";
    ns = wc_lesson(&x, "space");
    cr_assert(has_text(&ns, "counted 1234 times"));
    cr_assert(has_id(&ns, "wordcount.combine_saved_nothing"));
    cr_assert(has_id(&ns, "wordcount.stage_skipped"));
    cr_assert(has_id(&ns, "wordcount.lost_rerun"));
    notices_free(&ns);
}

Test(lesson_csv, split_breaks_only_where_it_does)
{
    struct csv_lesson x = { .lines = 20000, .broken_by_split = 4384,
                            .combine_in = 9130, .combine_out = 23,
                            .is_trade = true };
    struct notices ns;

    notices_init(&ns);
    csv_lesson_notices(&x, &ns);
    assert_notices_hold(&ns, "trade");
    cr_assert(has_text(&ns, "on 4384 of 20000 lines"));
    cr_assert(has_id(&ns, "csv.map_side_combine"));
    notices_free(&ns);
    x = (struct csv_lesson){ .lines = 10 };
    notices_init(&ns);
    csv_lesson_notices(&x, &ns);
    assert_notices_hold(&ns, "other csv");
    cr_assert(has_id(&ns, "csv.split_would_do"));
    cr_assert(has_id(&ns, "csv.not_trade"));
    cr_assert(!has_id(&ns, "csv.map_side_combine"));
    notices_free(&ns);
}

/* Under mpirun: what the ranks read and sent, as counted; nothing from
 * one process. */
Test(lesson_rdd, ranks_say_what_they_sent)
{
    struct notices ns;

    notices_init(&ns);
    lesson_ranks(&ns, 1, 4, 0);
    cr_assert_eq(ns.n, 0);
    lesson_ranks(&ns, 2, 1, 0);
    lesson_ranks(&ns, 4, 8, 123456);
    assert_notices_hold(&ns, "ranks");
    cr_assert(has_id(&ns, "mpi.ranks_no_shuffle"));
    cr_assert(has_text(&ns, "2 ranks read 1 split, each"));
    cr_assert(has_id(&ns, "mpi.ranks_shuffled"));
    cr_assert(has_text(&ns, "sent 123456 bytes"));
    notices_free(&ns);
}

Test(lesson_csv, infer_schema_types_said_only_when_the_file_shows_them)
{
    struct csv_lesson x = { 20000, 4384, 9130, 23, true, 1, "Date", 2, 1,
                            "Year", "Cumulative" };
    struct notices ns;

    notices_init(&ns);
    csv_lesson_notices(&x, &ns);
    assert_notices_hold(&ns, "trade, inferred");
    cr_assert(has_text(&ns, "inferSchema left Date a string"));
    cr_assert(has_text(&ns, "Year is an integer but Cumulative a long"));
    notices_free(&ns);
    x = (struct csv_lesson){ .lines = 10, .int_cols = 2, .int_col = "a" };
    notices_init(&ns);
    csv_lesson_notices(&x, &ns);
    assert_notices_hold(&ns, "ints only");
    cr_assert(!has_id(&ns, "csv.date_left_string"));
    cr_assert(!has_id(&ns, "csv.int_beside_long"));
    notices_free(&ns);
}
