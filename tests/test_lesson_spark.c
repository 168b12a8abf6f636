/* test_lesson_spark.c - the rules of `pardemo spark --explain` on made-up
 * jobs: processes are named only when Python ran in some, parallelism is
 * denied when no stage had two, bytes and skipped stages are said only
 * when the job had them; why the workers are processes is said once a
 * run, at its first Python job.
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/spark.h"

static struct notices lesson(const struct spark_job *j, const char *name)
{
    struct notices ns;

    notices_init(&ns);
    spark_notices(j, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

Test(lesson_spark, python_in_two_processes)
{
    struct spark_job j = { 8, 4, 2, 0, 1188, 0 };
    struct notices ns = lesson(&j, "two workers");

    cr_assert(has_id(&ns, "spark.processes"));
    cr_assert(has_text(&ns, "4 worker processes"));
    cr_assert(has_text(&ns, "GIL"));
    cr_assert(has_id(&ns, "spark.bytes"));
    cr_assert(has_text(&ns, "1188 bytes"));
    cr_assert(!has_id(&ns, "spark.one_process"));
    cr_assert(!has_id(&ns, "spark.skipped"));
    notices_free(&ns);
}

/* -t 1: every stage had one worker, so nothing ran side by side. */
Test(lesson_spark, one_process_is_not_parallel)
{
    struct spark_job j = { 4, 2, 1, 0, 300, 0 };
    struct notices ns = lesson(&j, "-t 1");

    cr_assert(has_id(&ns, "spark.one_process"));
    cr_assert(has_text(&ns, "nothing here ran in parallel"));
    notices_free(&ns);
}

/* One task in one process: nothing to run side by side, nothing said. */
Test(lesson_spark, one_task_says_no_parallelism_claim)
{
    struct spark_job j = { 1, 1, 1, 0, 24, 0 };
    struct notices ns = lesson(&j, "one task");

    cr_assert(has_text(&ns, "1 worker process forked"));
    cr_assert(!has_id(&ns, "spark.one_process"));
    notices_free(&ns);
}

Test(lesson_spark, skipped_stage_is_said)
{
    struct spark_job j = { 2, 2, 2, 1, 100, 0 };
    struct notices ns = lesson(&j, "second job");

    cr_assert(has_id(&ns, "spark.skipped"));
    cr_assert(has_text(&ns, "1 stage was skipped"));
    notices_free(&ns);
}

/* A job that ran nothing (every stage skipped) says only that. */
Test(lesson_spark, nothing_ran)
{
    struct spark_job j = { 0, 0, 0, 2, 0, 0 };
    struct notices ns = lesson(&j, "all skipped");

    cr_assert_eq(ns.n, 1);
    cr_assert(has_text(&ns, "2 stages were skipped"));
    notices_free(&ns);
}

/* A later job of the same run: the processes are counted, the why (the
 * GIL, what a fork inherits) is not said again. */
Test(lesson_spark, why_processes_is_said_once_a_run)
{
    struct spark_job j = { 2, 2, 2, 0, 224, 4 };
    struct notices ns = lesson(&j, "second job");

    cr_assert(!has_id(&ns, "spark.processes"));
    cr_assert(has_id(&ns, "spark.processes_again"));
    cr_assert(has_text(&ns, "2 worker processes forked"));
    cr_assert(!has_text(&ns, "GIL"));
    cr_assert(!has_text(&ns, "inherits"));
    cr_assert(has_text(&ns, "224 bytes"));
    notices_free(&ns);
}
