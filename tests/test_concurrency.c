/* test_concurrency.c - `pardemo concurrency`: the timelines, the slices
 * CSV, the confined run really on one CPU, the affinity restored, the
 * 1-CPU wording, bad input. Small sizes; never a timing threshold. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "check.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

Test(concurrency, text_shows_both_timelines_and_the_table)
{
    struct cmd_out c = RUN("concurrency", "-t", "4", "-n", "1M");
    const char *want[] = {
        "Run 1: all 4 tasks confined to CPU", "Run 2: the same tasks over",
        "task  1 |", "task  4 |", "0 ms", "CPUs", "wall (ms)",
        "CPU (ms)", "slices", "speedup", "one-cpu", "all-cpus",
        "restored", "What to notice",
    };

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert(strstr(c.out, want[i]), "missing '%s' in:\n%s", want[i],
                  c.out);
    cr_assert_null(strstr(c.out, "task  5 |"));
    cmd_free(&c);
}

Test(concurrency, csv_has_the_slices_header)
{
    struct cmd_out c = RUN("concurrency", "-t", "3", "-n", "1M", "--format",
                           "csv");

    cr_assert_eq(c.status, 0);
    cr_assert(strncmp(c.out, "# pardemo concurrency;", 22) == 0);
    cr_assert(strstr(c.out, "\ntable,run,task,start_s,end_s,cpu\n"));
    cr_assert(strstr(c.out, "\ntable,run,cpus_allowed,cpus_used,"
                     "wall_seconds,cpu_seconds,avg_running,max_running,"
                     "slices_per_task,speedup\n"));
    cmd_free(&c);
}

/* The confined run ran on exactly one CPU, never two tasks at once; the
 * second run had the whole mask back (python's own sched_getaffinity). */
static const char *slices_script =
    "import csv, os, sys\n"
    "rows = [r for r in csv.reader(sys.stdin) if r and r[0] != 'table'\n"
    "        and not r[0].startswith('#')]\n"
    "runs = {r[1]: r for r in rows if r[0] == 'runs'}\n"
    "sl = [r for r in rows if r[0] == 'slices']\n"
    "allowed = len(os.sched_getaffinity(0))\n"
    "one, all_ = runs['one-cpu'], runs['all-cpus']\n"
    "assert one[2] == '1' and one[3] == '1' and one[7] == '1', one\n"
    "assert all_[2] == str(allowed), (all_, allowed)\n"
    "cpus = {r[5] for r in sl if r[1] == 'one-cpu'}\n"
    "assert len(cpus) == 1, cpus\n"
    "for run in ('one-cpu', 'all-cpus'):\n"
    "    tasks = {int(r[2]) for r in sl if r[1] == run}\n"
    "    assert tasks == {1, 2, 3, 4, 5}, (run, tasks)\n"
    "for r in sl:\n"
    "    assert 0 <= float(r[3]) <= float(r[4]), r\n";

Test(concurrency, confined_run_uses_one_cpu_then_the_mask_is_back)
{
    struct cmd_out c = py_check("", "concurrency -t 5 -n 1M --format csv",
                                slices_script);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

Test(concurrency, json_parses_and_names_the_restored_mask)
{
    struct cmd_out c = py_check("", "concurrency -t 4 -n 1M --format json",
        "import json, os, sys\n"
        "d = json.load(sys.stdin)\n"
        "assert [t['name'] for t in d['tables']] == ['runs', 'slices']\n"
        "cpus = set()\n"
        "for part in d['params']['affinity_after'].split(','):\n"
        "    a, _, b = part.partition('-')\n"
        "    cpus |= set(range(int(a), int(b or a) + 1))\n"
        "assert cpus == os.sched_getaffinity(0), cpus\n"
        "assert len(d['notice']) >= 3\n");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    assert_json_parses("concurrency -n 1M");
}

Test(concurrency, one_allowed_cpu_says_both_runs_interleave)
{
    char line[512];
    struct cmd_out c;

    require_tool("taskset", "util-linux");
    snprintf(line, sizeof(line), "taskset -c 0 '%s' concurrency -n 1M",
             pardemo_bin());
    c = cmd_sh(line, 60);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "Only 1 CPU is allowed to this process, so both "
                     "runs are interleaved"), "%s", c.out);
    cr_assert(strstr(c.out, "no speedup is"), "%s", c.out);
    cr_assert_null(strstr(c.out, "that is parallelism"));
    cmd_free(&c);
    c = py_check("taskset -c 0", "concurrency -n 1M --format json",
        "import json, sys\n"
        "for r in json.load(sys.stdin)['tables'][0]['rows']:\n"
        "    assert r['cpus_allowed'] == 1 and r['max_running'] == 1, r\n");
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

Test(concurrency, bad_input_is_one_line_and_status_2)
{
    const char *cases[][3] = {
        { "-t", "0" }, { "-t", "65" }, { "-t", "x" }, { "-n", "0" },
        { "-n", "511" }, { "-n", "1Q" }, { "-n", "-5" }, { "--format", "x" },
        { "--window", "3" }, { "extra" }, { "-r", "3" }, { "-n" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_usage_error("concurrency", cases[i][0], cases[i][1]);
}
