/* test_lesson_platforms.c - the platforms topic's rules on synthetic runs.
 * The defects this guards: "the fastest was X: 1.2x python3" from one run
 * each; "it wins at every size" when it started slower; the GIL blamed on
 * one CPU or when neither Dask scheduler ran anything at once; "the load
 * average was high" as a cause without this run's own evidence.
 */
#include <criterion/criterion.h>

#include "lesson.h"
#include "lesson/platforms.h"

static struct est around(double v, double spread)
{
    return (struct est){ v, v * (1 - spread), v * (1 + spread) };
}

static struct est one_run(double v)
{
    return (struct est){ v, 0, 1.0 / 0.0 };
}

static struct notices lesson(const struct platforms_results *r,
                             const char *name)
{
    struct notices ns;

    notices_init(&ns);
    platforms_notices(r, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

/* Five reps, quiet, two CPUs: python3 slowest to finish, the engine
 * fastest and decidedly so; dask-threads held to one CPU while the
 * processes used two. */
Test(lesson_platforms, quiet_two_cpus_decides_and_shows_the_gil)
{
    struct pfl_row rows[] = {
        { "python3", 1, around(2.0, 0.02), 1.95, 0.05 },
        { "dask-procs", 2, around(1.6, 0.02), 2.8, 0.9 },
        { "dask-threads", 2, around(2.4, 0.02), 2.3, 0.6 },
        { "engine", 1, around(0.4, 0.02), 0.39, 0.01 },
        { "engine", 2, around(0.22, 0.02), 0.42, 0.01 },
    };
    struct pfl_job j = { "Word count", false, 64 << 20, rows, 5,
                         { true, 1000, 400, 8000, 0, 0 },
                         { true, 1000, 400, 8000, 0, 1 } };
    struct platforms_results r = { &j, 1, 2, 5, fake_cond(2, 20, 1.8, 0) };
    struct notices ns = lesson(&r, "quiet");

    cr_assert(has_id(&ns, "platforms.fastest"));
    cr_assert(has_text(&ns, "the fastest was engine with 2 workers"));
    cr_assert(has_id(&ns, "platforms.gil_held"));
    cr_assert(has_id(&ns, "platforms.engine_threads"));
    cr_assert(has_id(&ns, "platforms.engine_lazy"));
    cr_assert(has_id(&ns, "platforms.engine_combine"));
    cr_assert(has_id(&ns, "platforms.engine_recovered"));
    cr_assert(has_id(&ns, "platforms.wins_every_size"));
    cr_assert(!has_id(&ns, "platforms.busy"));
    notices_free(&ns);
}

/* One run each (the default): nothing is "faster", only "took less". */
Test(lesson_platforms, one_run_each_decides_nothing)
{
    struct pfl_row rows[] = {
        { "python3", 1, one_run(1.0), 0.95, 0.05 },
        { "mp.Pool", 2, one_run(0.8), 1.5, 0.1 },
        { "engine", 1, one_run(0.5), 0.5, 0.01 },
        { "engine", 2, one_run(0.6), 0.5, 0.01 },
    };
    struct pfl_job j = { "Word count", false, 8 << 20, rows, 4, { 0 },
                         { 0 } };
    struct platforms_results r = { &j, 1, 2, 1, fake_cond(2, 5, 1.5, 0) };
    struct notices ns = lesson(&r, "one run");

    cr_assert(has_id(&ns, "platforms.fastest_undecided"));
    cr_assert(has_text(&ns, "one run of each decides nothing"));
    cr_assert(!has_text(&ns, "faster than python3"));
    cr_assert(has_id(&ns, "platforms.engine_undecided"));
    notices_free(&ns);
}

/* python3 wins, decidedly: nothing else is called fastest. */
Test(lesson_platforms, python3_winning_is_said)
{
    struct pfl_row rows[] = {
        { "python3", 1, around(0.10, 0.02), 0.09, 0.03 },
        { "dask-procs", 2, around(3.0, 0.02), 1.0, 2.5 },
        { "mawk", 1, around(0.2, 0.02), 0.19, 0.001 },
    };
    struct pfl_job j = { "Word count", false, 1 << 20, rows, 3, { 0 },
                         { 0 } };
    struct platforms_results r = { &j, 1, 2, 5, fake_cond(2, 5, 1, 0) };
    struct notices ns = lesson(&r, "python3 first");

    cr_assert(has_id(&ns, "platforms.python3_first"));
    cr_assert(has_text(&ns, "nothing beat plain python3"));
    cr_assert(!has_id(&ns, "platforms.fastest"));
    cr_assert(has_id(&ns, "platforms.startup_range"));
    notices_free(&ns);
}

/* A platform starting slower but processing faster: a crossover size,
 * never "wins at every size"; one that processes slower never overtakes. */
Test(lesson_platforms, slower_start_gives_a_crossover)
{
    struct pfl_row rows[] = {
        { "python3", 1, around(1.1, 0.02), 1.0, 0.1 },
        { "dask-procs", 2, around(1.0, 0.02), 1.5, 0.5 },
        { "mawk", 1, around(1.3, 0.02), 1.2, 0.002 },
    };
    struct pfl_job j = { "Word count", false, 10000000, rows, 3, { 0 },
                         { 0 } };
    struct platforms_results r = { &j, 1, 2, 5, fake_cond(2, 5, 1, 0) };
    struct notices ns = lesson(&r, "crossover");

    cr_assert(has_id(&ns, "platforms.crossover"));
    cr_assert(has_text(&ns, "python3 finishes first below about"));
    cr_assert(!has_id(&ns, "platforms.wins_every_size"));
    notices_free(&ns);
}

/* One allowed CPU: the GIL cannot show, whatever the numbers. */
Test(lesson_platforms, one_cpu_never_blames_the_gil)
{
    struct pfl_row rows[] = {
        { "python3", 1, around(1.0, 0.02), 0.98, 0.05 },
        { "dask-procs", 2, around(1.5, 0.02), 1.4, 0.5 },
        { "dask-threads", 2, around(1.4, 0.02), 1.3, 0.4 },
    };
    struct pfl_job j = { "Total Value ($) per Country", true, 8 << 20, rows,
                         3, { 0 }, { 0 } };
    struct platforms_results r = { &j, 1, 2, 5, fake_cond(1, 5, 1, 0) };
    struct notices ns = lesson(&r, "one CPU");

    cr_assert(has_id(&ns, "platforms.gil_no_rivals"));
    cr_assert(has_text(&ns, "on 1 allowed CPU"));
    cr_assert(!has_text(&ns, "holds the GIL"));
    notices_free(&ns);
}

/* The other CPU busy: nothing ran at once, python3 waited for a CPU, and
 * the sentences say the other programs did it, from this run's numbers;
 * the engine slower on more threads is not explained as a lesson. */
Test(lesson_platforms, busy_machine_says_why_nothing_showed)
{
    struct pfl_row rows[] = {
        { "python3", 1, around(2.4, 0.02), 0.3, 0.6 },
        { "dask-procs", 2, around(30, 0.02), 1.0, 33 },
        { "dask-threads", 2, around(3.0, 0.02), 0.4, 1.5 },
        { "engine", 1, around(0.10, 0.02), 0.07, 0.02 },
        { "engine", 2, around(0.30, 0.02), 0.08, 0.02 },
    };
    struct pfl_job j = { "Word count", false, 1 << 20, rows, 5, { 0 },
                         { 0 } };
    struct platforms_results r = { &j, 1, 2, 3, fake_cond(2, 60, 0.1, 1.9) };
    struct notices ns = lesson(&r, "busy");

    cr_assert(has_id(&ns, "platforms.gil_not_shown"));
    cr_assert(has_id(&ns, "platforms.startup_not_told"));
    cr_assert(has_id(&ns, "platforms.engine_slower"));
    cr_assert(has_id(&ns, "platforms.python3_waited"));
    cr_assert(has_id(&ns, "platforms.least_cpu"));
    cr_assert(has_id(&ns, "platforms.busy"));
    cr_assert(has_text(&ns, "other programs kept 1.90"));
    cr_assert(!has_text(&ns, "holds the GIL"));
    notices_free(&ns);
}

/* More threads faster, yet not at once (a superlinear point on a shared
 * machine): more turns, not parallelism. */
Test(lesson_platforms, gain_without_cpus_is_turns)
{
    struct pfl_row rows[] = {
        { "python3", 1, around(1.0, 0.02), 0.9, 0.05 },
        { "engine", 1, around(0.9, 0.02), 0.3, 0.01 },
        { "engine", 2, around(0.3, 0.02), 0.3, 0.01 },
    };
    struct pfl_job j = { "Word count", false, 8 << 20, rows, 3, { 0 },
                         { 0 } };
    struct platforms_results r = { &j, 1, 2, 5, fake_cond(2, 5, 0.8, 1.0) };
    struct notices ns = lesson(&r, "turns");

    cr_assert(has_id(&ns, "platforms.engine_turns"));
    cr_assert(has_text(&ns, "not parallelism"));
    cr_assert(!has_id(&ns, "platforms.engine_threads"));
    notices_free(&ns);
}

/* The combine that combined nothing, a recovery that re-ran nothing,
 * and an input too small to tell the rate: each said as it was. */
Test(lesson_platforms, engine_note_as_it_was)
{
    struct pfl_row rows[] = {
        { "python3", 1, around(0.06, 0.02), 0.05, 0.05 },
        { "engine", 2, around(0.02, 0.02), 0.02, 0.019 },
        { "engine-mpi", 2, around(0.5, 0.02), 0.6, 0.45 },
    };
    struct pfl_job j = { "Word count", false, 4096, rows, 3,
                         { true, 50, 50, 900, 1, 0 },
                         { true, 50, 50, 900, 1, 0 } };
    struct platforms_results r = { &j, 1, 2, 5, fake_cond(2, 5, 1, 0) };
    struct notices ns = lesson(&r, "engine note");

    cr_assert(has_id(&ns, "platforms.engine_no_combine"));
    cr_assert(has_id(&ns, "platforms.engine_not_recovered"));
    cr_assert(!has_id(&ns, "platforms.engine_lazy"));
    cr_assert(has_id(&ns, "platforms.input_too_small"));
    cr_assert(has_id(&ns, "platforms.mpi_launch"));
    notices_free(&ns);
}

/* Adaptive runs: the quick rows ran five times, python3 (slow here) once.
 * Its one run leaves its time unbounded above, so even a row whose runs
 * agree closely is not called faster: the sentence names the row that ran
 * once, not "each". */
Test(lesson_platforms, one_slow_row_ran_once_decides_nothing)
{
    struct pfl_row rows[] = {
        { "python3", 1, one_run(3.0), 2.9, 0.05 },
        { "engine", 1, around(0.5, 0.01), 0.5, 0.01 },
        { "engine", 2, around(0.3, 0.01), 0.55, 0.01 },
    };
    struct pfl_job j = { "Word count", false, 8 << 20, rows, 3, { 0 },
                         { 0 } };
    struct platforms_results r = { &j, 1, 2, 0, fake_cond(2, 5, 1.1, 0) };
    struct notices ns = lesson(&r, "adaptive, python3 once");

    cr_assert(has_id(&ns, "platforms.fastest_undecided"));
    cr_assert(has_text(&ns, "one run of python3 decides nothing"));
    cr_assert(!has_text(&ns, "faster than python3"));
    cr_assert(has_id(&ns, "platforms.engine_threads"));
    notices_free(&ns);
}
