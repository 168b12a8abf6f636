/* test_gil.c - `pardemo gil`: the table and its columns, the Python it
 * mirrors, equal checksums for every variant and worker count, a GIL that
 * really changes hands, bad options, and no child left behind. Sizes are
 * tiny; nothing asserts on a timing. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
        "sharing the GIL", "without the lock", "Waiting threads" };
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
    cr_assert(strstr(c.out, "\ntable,variant,workers,median_seconds,"
                     "q1_seconds,q3_seconds,speedup,cpus_busy,gil_handoffs,"
                     "same_checksum,checksum\n"));
    cr_assert(strstr(c.out, "\ngil,CPU threads + GIL,1,"));
    cr_assert(!strstr(c.out, "threading.Thread"), "text leaked into CSV");
    cmd_free(&c);
}

/* Every CPU variant does the same units, so one checksum for all of them
 * at every worker count; handoffs only where threads share one GIL. */
static const char check_json[] =
    "import json, sys\n"
    "d = json.load(sys.stdin)\n"
    "rows = d['tables'][0]['rows']\n"
    "assert d['tables'][0]['name'] == 'gil'\n"
    "assert len(rows) == 4 * 3, len(rows)\n"
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
    "assert len(d['notice']) >= 4\n";

Test(gil, json_parses_and_checksums_agree)
{
    struct cmd_out c = py_check("", "gil " SMALL_ARGS " --switch-interval "
                                "1000 --format json", check_json);

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
    row = strstr(c.out, "\ngil,CPU threads + GIL,2,");
    cr_assert(row);
    cr_assert_eq(sscanf(row, "\ngil,CPU threads + GIL,2,%*[^,],%*[^,],"
                        "%*[^,],%*[^,],%*[^,],%lf", &handoffs), 1);
    cr_assert_geq(handoffs, 1, "%s", c.out);
    cmd_free(&c);
}

static const char *const bad_cases[][2] = {
    { "--switch-interval", "50" }, { "--switch-interval", "abc" },
    { "--switch-interval", "2000000" }, { "--switch-interval", NULL },
    { "--tasks", "0" }, { "--wait-us", "0" }, { "--wait-us", "1000001" },
    { "-n", "2X" }, { "-r", "0" }, { "--gil", NULL },
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
