/* test_gil.c - `pardemo gil`: the table and its columns, the Python it
 * mirrors, equal checksums for every variant and worker count, a GIL that
 * really changes hands, bad options, and no child left behind. The
 * Python part: its answers against python3's own reckoning of the same
 * work, every start method, --no-python and --python-only, Ctrl-C. Sizes
 * are tiny; nothing asserts on a timing. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })
/* small sizes: a run takes well under a second (the same twice) */
#define SMALL "--quick", "-n", "2k", "-t", "3", "--tasks", "6", \
              "--wait-us", "200", "-r", "1"
#define SMALL_ARGS "--quick -n 2k -t 3 --tasks 6 --wait-us 200 -r 1"

Test(gil, text_has_table_python_and_notices)
{
    struct cmd_out c = RUN("gil", SMALL);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    const char *want[] = { "variant", "workers", "time (ms)", "speedup",
        "handoffs", "CPU threads + GIL", "CPU threads, no GIL",
        "CPU processes", "waiting threads + GIL", "threading.Thread",
        "multiprocessing.Process", "time.sleep", "What to notice",
        "sharing the GIL", "without the lock", "Waiting threads", "lang",
        "Python  CPU threads", "Python  CPU Pool.map", "start method",
        "The lecture's Python", "def threads(n, seed, units)" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert(strstr(c.out, want[i]), "missing '%s'", want[i]);
    cmd_free(&c);
}

Test(gil, csv_header)
{
    struct cmd_out c = RUN("gil", SMALL, "--format", "csv");

    cr_assert_eq(c.status, 0);
    cr_assert(!strncmp(c.out, "# pardemo gil; cpus_online=", 27));
    cr_assert(strstr(c.out, "switch_interval_us=5000"));
    cr_assert(strstr(c.out, "\ntable,language,variant,workers,"
                     "median_seconds,q1_seconds,q3_seconds,speedup,cpus_busy,"
                     "gil_handoffs,same_checksum,checksum\n"));
    cr_assert(strstr(c.out, "\ngil,C,CPU threads + GIL,1,"));
    cr_assert(strstr(c.out, "\ngil,Python,CPU threads,1,"));
    cr_assert(!strstr(c.out, "threading.Thread"), "text leaked into CSV");
    cmd_free(&c);
}

/* Every CPU variant does the same units, so one checksum for all of them
 * at every worker count; handoffs only where threads share one GIL. */
static const char check_json[] =
    "import json, sys\n"
    "d = json.load(sys.stdin)\n"
    "every = d['tables'][0]['rows']\n"
    "rows = [r for r in every if r['language'] == 'C']\n"
    "assert d['tables'][0]['name'] == 'gil'\n"
    "assert len(rows) == 4 * 3, len(rows)\n"
    "assert len(every) == 8 * 3, len(every)\n"
    "cpu = {r['checksum'] for r in rows if r['variant'].startswith('CPU')}\n"
    "wait = {r['checksum'] for r in rows if r['variant'].startswith('wait')}\n"
    "assert len(cpu) == 1 and len(wait) == 1, (cpu, wait)\n"
    "for r in rows:\n"
    "    shared = r['variant'] in ('CPU threads + GIL',\n"
    "                              'waiting threads + GIL')\n"
    "    assert (r['gil_handoffs'] is not None) == shared, r\n"
    "    assert r['median_seconds'] > 0\n"
    "    if r['workers'] == 1:\n"
    "        assert r['speedup'] == 1 and not r['gil_handoffs'], r\n"
    "assert d['params']['switch_interval_us'] == '1000'\n"
    "assert len(d['notice']) >= 4\n"
    /* the Python rows' answers, reckoned here as python3 would */
    "M = (1 << 64) - 1\n"
    "def unit(seed, u):\n"
    "    x = seed ^ (u * 0x9E3779B97F4A7C15 & M)\n"
    "    for _ in range(1000):\n"
    "        x ^= x >> 30; x = x * 0xBF58476D1CE4E5B9 & M\n"
    "        x ^= x >> 27; x = x * 0x94D049BB133111EB & M\n"
    "        x ^= x >> 31\n"
    "    return x\n"
    "units = int(d['params']['python_cpu_units'])\n"
    "want = sum(unit(1, u) for u in range(units)) & M\n"
    "py = [r for r in every if r['language'] == 'Python']\n"
    "for r in py:\n"
    "    got = int(r['checksum'], 16)\n"
    "    assert got == (6 if r['variant'] == 'waiting threads' else want), r\n"
    "    assert r['same_checksum'] == 'yes', r\n";

Test(gil, json_parses_and_checksums_agree)
{
    struct cmd_out c = py_check("", "gil " SMALL_ARGS " -s 1 "
                                "--switch-interval 1000 --format json",
                                check_json);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

/* Fairness: with two CPU threads and work lasting many switch intervals,
 * the waiting thread's drop request makes the holder hand the GIL over.
 * (A count, not a time: 16k units are tens of ms, the interval 200 µs.) */
Test(gil, the_gil_changes_hands)
{
    struct cmd_out c = RUN("gil", "-n", "16k", "-t", "2", "--tasks", "2",
                           "--wait-us", "100", "-r", "1",
                           "--switch-interval", "200", "--format", "csv");
    const char *row;
    double handoffs = 0;

    cr_assert_eq(c.status, 0, "%s", c.err);
    row = strstr(c.out, "\ngil,C,CPU threads + GIL,2,");
    cr_assert(row);
    cr_assert_eq(sscanf(row, "\ngil,C,CPU threads + GIL,2,%*[^,],%*[^,],"
                        "%*[^,],%*[^,],%*[^,],%lf", &handoffs), 1);
    cr_assert_geq(handoffs, 1, "%s", c.out);
    cmd_free(&c);
}

static const char *const bad_cases[][2] = {
    { "--switch-interval", "50" }, { "--switch-interval", "abc" },
    { "--switch-interval", "2000000" }, { "--switch-interval", NULL },
    { "--tasks", "0" }, { "--wait-us", "0" }, { "--wait-us", "1000001" },
    { "-n", "2X" }, { "-r", "0" }, { "--gil", NULL },
    { "--start-method", "thread" }, { "--start-method", NULL },
    { "--no-python", "--python-only" },
};

Test(gil, bad_values_exit_2_with_one_line)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
        assert_usage_error("gil", bad_cases[i][0], bad_cases[i][1]);
}

Test(gil, no_child_left_behind)
{
    assert_no_child_left((const char *const[]){ "gil", SMALL, NULL });
}

/* Each start method: spawn and forkserver re-run pardemo as Python (its
 * resource tracker too); every answer checked, no process left. */
Test(gil, python_every_start_method, .timeout = 300)
{
    static const char *const methods[] = { "fork", "spawn", "forkserver" };

    for (int i = 0; i < 3; i++) {
        char want[64];
        struct cmd_out c = RUN("gil", SMALL, "--python-only",
                               "--start-method", methods[i]);
        cr_assert_eq(c.status, 0, "%s: %s", methods[i], c.err);
        cr_assert_str_empty(c.err, "%s", methods[i]);
        snprintf(want, sizeof(want), "start method %s", methods[i]);
        cr_assert(strstr(c.out, want), "%s", c.out);
        cr_assert(strstr(c.out, "Python  CPU Pool.map"), "%s", c.out);
        cr_assert(!strstr(c.out, "  NO\n"), "a wrong answer: %s", c.out);
        cr_assert(!strstr(c.out, "CPU threads + GIL"), "C: %s", c.out);
        cmd_free(&c);
        assert_no_child_left((const char *const[]){ "gil", SMALL,
            "--python-only", "--start-method", methods[i], NULL });
    }
}

Test(gil, no_python_says_how_to_get_it)
{
    struct cmd_out c = RUN("gil", SMALL, "--no-python");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "CPU threads + GIL"));
    cr_assert(!strstr(c.out, "Python  CPU"));
    cr_assert(strstr(c.out, "skipped (--no-python)"));
    cr_assert(strstr(c.out, "without it, gil also runs"));
    cmd_free(&c);
}

/* Ctrl-C in the Python part (spawn: children that are pardemo re-run):
 * pardemo dies of SIGINT, and no traceback or resource_tracker warning
 * about leaked semaphores or shared memory is printed. */
Test(gil, python_ctrl_c_leaves_no_warning, .timeout = 120)
{
    char line[1024];
    struct cmd_out c;

    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    snprintf(line, sizeof(line), "timeout -s INT 3 '%s' gil --python-only "
             "-n 1M -t 2 -r 1000 --start-method spawn >/dev/null; echo $?",
             pardemo_bin());
    c = cmd_sh(line, 100);
    cr_assert(strstr(c.out, "130") || strstr(c.out, "124"), "%s", c.out);
    cr_assert(!strstr(c.err, "Traceback"), "%s", c.err);
    cr_assert(!strstr(c.err, "resource_tracker"), "%s", c.err);
    cr_assert(!strstr(c.err, "leaked"), "%s", c.err);
    cmd_free(&c);
    cr_assert_eq(count_zombies_of(getpid()), 0);
    cr_assert_eq(leftover_children(), 0);
}
