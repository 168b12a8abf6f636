/* test_lesson_forkjoin.c - the forkjoin topic's rules on synthetic
 * results. The defect: "fork took 13.8 ms less than pthread. Its children
 * sort private copies ... send them back through pipes" - the reason
 * fork is slower, printed when it was faster.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "lesson.h"
#include "lesson/forkjoin.h"

static struct est ms(double v, double spread)
{
    return (struct est){ v / 1e3, v * (1 - spread) / 1e3,
                         v * (1 + spread) / 1e3 };
}

static struct forkjoin_results usual(void)
{
    struct forkjoin_results r = {
        .is_sort = true, .n = 1 << 20, .leaves = 2, .cpus = 2, .threads = 2,
        .secs = { ms(100, 0.02), ms(60, 0.02), ms(53, 0.02), ms(52, 0.02) },
        .cpus_busy = { 1, 1.8, 1.9, 1.9 }, .checksum = 0x1234,
        .piped_mib = 2, .mapped_mib = 8, .omp_nodes = 3, .omp_threads = 2,
        .omp_ids = "0, 1", .omp_joins = 1, .omp_self_joins = 0,
        .cond = fake_cond(2, 5, 1.8, 0),
    };
    return r;
}

static struct notices lesson(const struct forkjoin_results *r,
                             const char *name)
{
    struct notices ns;

    notices_init(&ns);
    forkjoin_notices(r, &ns);
    assert_notices_hold(&ns, name);
    return ns;
}

Test(lesson_forkjoin, quiet_two_cpus)
{
    struct forkjoin_results r = usual();
    struct notices ns = lesson(&r, "quiet");

    cr_assert(has_id(&ns, "forkjoin.same_answer"));
    cr_assert(has_id(&ns, "forkjoin.speedup"));
    cr_assert(has_text(&ns, "omp-task, ran 1.92x faster"));
    cr_assert(has_id(&ns, "forkjoin.fork_slower"));
    cr_assert(has_text(&ns, "through pipes"));
    cr_assert(has_id(&ns, "forkjoin.omp_team"));
    notices_free(&ns);
}

/* The defect: fork faster, yet the pipes were given as why it is slow. */
Test(lesson_forkjoin, fork_faster_never_explained_as_slower)
{
    struct forkjoin_results r = usual();

    r.secs[FJV_FORK] = ms(40, 0.02);
    struct notices ns = lesson(&r, "fork faster");
    cr_assert(has_id(&ns, "forkjoin.fork_faster"));
    cr_assert(!has_id(&ns, "forkjoin.fork_slower"));
    cr_assert(!has_text(&ns, "longer than pthread"));
    cr_assert(has_text(&ns, "does not show why"));
    notices_free(&ns);

    r.secs[FJV_FORK] = ms(53, 0.2);         /* a noisy fork */
    ns = lesson(&r, "fork noisy");
    cr_assert(has_id(&ns, "forkjoin.fork_like_pthread"));
    notices_free(&ns);
}

Test(lesson_forkjoin, one_cpu_superlinear_and_busy)
{
    struct forkjoin_results r = usual();

    r.cpus = 1;
    r.secs[FJV_FORK] = ms(105, 0.02);
    r.secs[FJV_PTHREAD] = ms(103, 0.02);
    r.secs[FJV_OMP] = ms(101, 0.02);
    struct notices ns = lesson(&r, "taskset -c 0");
    cr_assert(has_id(&ns, "forkjoin.one_cpu"));
    cr_assert(!has_id(&ns, "forkjoin.oversubscribed"));
    notices_free(&ns);

    r = usual();
    r.secs[FJV_SERIAL] = ms(150, 0.02);     /* a slowed serial run */
    r.secs[FJV_OMP] = ms(60, 0.02);
    ns = lesson(&r, "superlinear");
    cr_assert(has_id(&ns, "forkjoin.too_fast"));
    notices_free(&ns);

    r = usual();
    r.secs[FJV_OMP] = ms(95, 0.02);
    r.secs[FJV_PTHREAD] = ms(97, 0.02);
    r.secs[FJV_FORK] = ms(99, 0.02);
    r.cond = fake_cond(2, 5, 1, 1);
    ns = lesson(&r, "other cpu busy");
    cr_assert(has_id(&ns, "forkjoin.little_gain"));
    cr_assert(has_text(&ns, "other programs kept 1.00"));
    notices_free(&ns);
}

Test(lesson_forkjoin, wrong_answer_and_oversubscription)
{
    struct forkjoin_results r = usual();

    r.is_wrong[FJV_OMP] = true;
    r.leaves = 8;
    struct notices ns = lesson(&r, "wrong, 8 leaves");
    cr_assert(has_id(&ns, "forkjoin.wrong_answer"));
    cr_assert(!has_id(&ns, "forkjoin.same_answer"));
    cr_assert(has_id(&ns, "forkjoin.oversubscribed"));
    cr_assert(!has_text(&ns, "omp-task, ran"), "a wrong answer is no result");
    notices_free(&ns);
}

Test(lesson_forkjoin, grain_sweep_orders)
{
    struct fj_sweep_results sw = { .npoints = 3, .serial_s = 0.1,
        .cutoff = { 4096, 1024, 256 }, .leaves = { 256, 1024, 4096 } };
    double textbook[3][FJV_N] = {
        { NAN, 0.09, 0.06, 0.055 }, { NAN, 0.2, 0.08, 0.06 },
        { NAN, NAN, 0.2, 0.07 },
    };
    struct forkjoin_results r = usual();

    memcpy(sw.secs, textbook, sizeof(textbook));
    r.sweep = &sw;
    struct notices ns = lesson(&r, "textbook sweep");
    cr_assert(has_id(&ns, "forkjoin.grain_order"));
    cr_assert(has_text(&ns, "fork fell behind serial"));
    cr_assert(has_text(&ns, "omp-task stayed ahead"));
    notices_free(&ns);

    sw.secs[1][FJV_FORK] = 0.07;            /* fork ahead of pthread */
    sw.secs[2][FJV_FORK] = 0.09;
    sw.secs[1][FJV_PTHREAD] = 0.2;
    ns = lesson(&r, "swapped sweep");
    cr_assert(has_id(&ns, "forkjoin.grain_order_unclear"));
    notices_free(&ns);
}

/* A machine shared with other programs: the taskset -c 0 run that said
 * "pthread ran 3.43x faster ... more than 1 CPU can give", and a fork
 * "slower because of its pipes" that had simply got less CPU. */
Test(lesson_forkjoin, shared_machine_gains_are_turns)
{
    struct forkjoin_results r = usual();

    r.cpus = 1;
    r.threads = 1;
    r.omp_threads = 1;
    snprintf(r.omp_ids, sizeof(r.omp_ids), "0");
    r.secs[FJV_SERIAL] = ms(1628, 0.3);
    r.secs[FJV_FORK] = ms(2260, 0.5);
    r.secs[FJV_PTHREAD] = ms(474, 0.03);
    r.secs[FJV_OMP] = ms(590, 0.2);
    r.cpus_busy[FJV_SERIAL] = 0.065;
    r.cpus_busy[FJV_FORK] = 0.032;
    r.cpus_busy[FJV_PTHREAD] = 0.23;
    r.cpus_busy[FJV_OMP] = 0.13;
    r.cond = fake_cond(1, 50, 0.06, 0.94);
    struct notices ns = lesson(&r, "taskset -c 0, busy");
    cr_assert(has_id(&ns, "forkjoin.one_cpu"));
    cr_assert(has_id(&ns, "forkjoin.one_cpu_share"));
    cr_assert(!has_id(&ns, "forkjoin.too_fast"));
    cr_assert(has_id(&ns, "forkjoin.fork_starved"));
    cr_assert(!has_text(&ns, "through pipes"));
    notices_free(&ns);

    r = usual();
    r.cpus_busy[FJV_OMP] = 0.3;
    r.cpus_busy[FJV_PTHREAD] = 0.3;
    r.cpus_busy[FJV_FORK] = 0.3;
    r.cond = fake_cond(2, 5, 0.3, 1.7);
    ns = lesson(&r, "two cpus, busy");
    cr_assert(has_id(&ns, "forkjoin.speedup_turns"));
    cr_assert(has_text(&ns, "not from running at once"));
    notices_free(&ns);
}

/* -n too small for a sweep: said with the least -n that splits; one
 * leaf is "1 leaf". */
Test(lesson_forkjoin, tiny_n_has_no_sweep_and_one_leaf)
{
    struct fj_sweep_results sw = { .npoints = 0 };
    struct forkjoin_results r = usual();

    r.n = 20;
    r.leaves = 1;
    r.sweep = &sw;
    r.secs[FJV_PTHREAD] = ms(103, 0.02);
    r.secs[FJV_FORK] = ms(104, 0.02);
    r.secs[FJV_OMP] = ms(102, 0.02);
    r.cond = fake_cond(2, 5, 0.1, 1.9);
    struct notices ns = lesson(&r, "tiny n");
    cr_assert(has_id(&ns, "forkjoin.no_sweep"));
    cr_assert(has_text(&ns, "-n 20 is too small"));
    cr_assert(has_text(&ns, "-n 32 or more"));
    cr_assert(!has_text(&ns, "1 leaves"));
    notices_free(&ns);
}

/* ---- the Python part ---- */

static struct fj_python python_usual(void)
{
    struct fj_python py = {
        .n = 1 << 17, .workers = 2, .leaves = 2,
        .secs = { ms(80, 0.02), ms(50, 0.02) },
    };
    return py;
}

/* The Pool's three outcomes, each said only when its numbers show it:
 * never "faster" for a slower Pool, never the pickling cost for a faster
 * one, and a tie (or a single run) decides nothing. */
Test(lesson_forkjoin, python_pool_gain_loss_tie)
{
    struct forkjoin_results r = usual();
    struct fj_python py = python_usual();

    r.py = &py;
    struct notices ns = lesson(&r, "pool faster");
    cr_assert(has_id(&ns, "forkjoin.py_same_answer"));
    cr_assert(has_id(&ns, "forkjoin.py_pool_gain"));
    cr_assert(has_text(&ns, "1.60x faster than one Python process"));
    cr_assert(!has_text(&ns, "pickling"));
    notices_free(&ns);

    py.secs[FJP_POOL] = ms(300, 0.02);
    ns = lesson(&r, "pool slower");
    cr_assert(has_id(&ns, "forkjoin.py_pool_loss"));
    cr_assert(has_text(&ns, "pickling 2 pieces"));
    cr_assert(!has_text(&ns, "faster than one Python"));
    notices_free(&ns);

    py.secs[FJP_POOL] = ms(82, 0.3);        /* overlapping runs */
    ns = lesson(&r, "pool tie");
    cr_assert(has_id(&ns, "forkjoin.py_pool_tie"));
    cr_assert(!has_id(&ns, "forkjoin.py_pool_gain"));
    cr_assert(!has_id(&ns, "forkjoin.py_pool_loss"));
    notices_free(&ns);

    py.secs[FJP_POOL] = (struct est){ 0.2, 0, INFINITY };  /* one run */
    ns = lesson(&r, "one run");
    cr_assert(has_id(&ns, "forkjoin.py_pool_tie"));
    notices_free(&ns);
}

/* A wrong Python answer is a bug: no speed is quoted for it. */
Test(lesson_forkjoin, python_wrong_answer_has_no_speed)
{
    struct forkjoin_results r = usual();
    struct fj_python py = python_usual();

    py.is_wrong[FJP_POOL] = true;
    r.py = &py;
    struct notices ns = lesson(&r, "python wrong");
    cr_assert(has_id(&ns, "forkjoin.py_wrong_answer"));
    cr_assert(has_text(&ns, "1 run did NOT give C's answer"));
    cr_assert(!has_id(&ns, "forkjoin.py_pool_gain"));
    cr_assert(!has_id(&ns, "forkjoin.py_vs_c"));
    notices_free(&ns);
}

/* Per number, the two languages: "as long" only when Python was slower;
 * the counts they ran on are quoted (Python takes fewer numbers). */
Test(lesson_forkjoin, python_against_c_per_number)
{
    struct forkjoin_results r = usual();
    struct fj_python py = python_usual();

    r.py = &py;
    struct notices ns = lesson(&r, "python slower per number");
    cr_assert(has_id(&ns, "forkjoin.py_vs_c"));
    cr_assert(has_text(&ns, "(of 131072)"));
    cr_assert(has_text(&ns, "(of 1048576)"));
    cr_assert(has_text(&ns, "6.40 times as long"));
    notices_free(&ns);

    py.secs[FJP_SERIAL] = ms(5, 0.02);
    ns = lesson(&r, "python faster per number");
    cr_assert(has_id(&ns, "forkjoin.py_not_slower"));
    cr_assert(!has_text(&ns, "as long"));
    notices_free(&ns);

    r.n = 0;                                /* -n 0: no time per number */
    py.n = 0;
    ns = lesson(&r, "no numbers");
    cr_assert(!has_id(&ns, "forkjoin.py_vs_c"));
    cr_assert(!has_id(&ns, "forkjoin.py_not_slower"));
    notices_free(&ns);
    r.n = py.n = 1;
    ns = lesson(&r, "one number");
    cr_assert(has_text(&ns, "on the same 1 number ("));
    notices_free(&ns);
}

/* The sweep's Pool.map line against Python's serial, not C's. */
Test(lesson_forkjoin, python_sweep_against_its_own_serial)
{
    struct fj_sweep_results sw = { .npoints = 3, .serial_s = 0.1,
        .cutoff = { 4096, 1024, 256 }, .leaves = { 256, 1024, 4096 },
        .has_python = true, .py_serial_s = 1.0,
        .py_secs = { 0.6, 1.5, NAN } };
    double textbook[3][FJV_N] = {
        { NAN, 0.09, 0.06, 0.055 }, { NAN, 0.2, 0.08, 0.06 },
        { NAN, NAN, 0.2, 0.07 },
    };
    struct forkjoin_results r = usual();
    struct fj_python py = python_usual();

    memcpy(sw.secs, textbook, sizeof(textbook));
    r.sweep = &sw;
    r.py = &py;
    struct notices ns = lesson(&r, "python sweep");
    cr_assert(has_text(&ns, "Python's Pool.map fell behind one Python "
                       "process (1.00 s) at cutoff 1024"));
    notices_free(&ns);

    sw.py_secs[0] = 1.2;
    ns = lesson(&r, "python sweep, slower at once");
    cr_assert(has_text(&ns, "Python's Pool.map was slower than one Python "
                       "process (1.20 s vs 1.00 s) even at the coarsest"));
    notices_free(&ns);
}
