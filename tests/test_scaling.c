/* test_scaling.c - `pardemo scaling`: the laws' columns against python's
 * own arithmetic, Karp-Flatt from the printed speedups, only the points
 * at or below the allowed CPUs measured, the 1-CPU wording, bad input.
 * Small sizes; never a timing threshold. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "check.h"

/* Every column recomputed from the printed times and the set fraction. */
static const char *csv_script =
    "import csv, math, os, sys\n"
    "f, t = 0.25, 5\n"
    "cpus = len(os.sched_getaffinity(0))\n"
    "rows = [r for r in csv.reader(sys.stdin) if r and r[0] in\n"
    "        ('strong', 'weak')]\n"
    "strong = [r for r in rows if r[0] == 'strong']\n"
    "weak = [r for r in rows if r[0] == 'weak']\n"
    "assert [int(r[1]) for r in strong] == list(range(1, t + 1)), strong\n"
    "assert [int(r[1]) for r in weak] == list(range(1, t + 1)), weak\n"
    "close = lambda a, b: abs(a - b) <= 1e-9 * max(1, abs(b))\n"
    "t1 = float(strong[0][2])\n"
    "for r in strong:\n"
    "    n = int(r[1])\n"
    "    assert close(float(r[4]), 1 / (f + (1 - f) / n)), r\n"
    "    if n > cpus:\n"
    "        assert all(math.isnan(float(x)) for x in (r[2], r[3], r[6])), r\n"
    "        continue\n"
    "    s = float(r[3])\n"
    "    assert close(s, t1 / float(r[2])), r\n"
    "    if n > 1:\n"
    "        assert close(float(r[6]), (1 / s - 1 / n) / (1 - 1 / n)), r\n"
    "w1 = float(weak[0][3])\n"
    "for r in weak:\n"
    "    n = int(r[1])\n"
    "    assert close(float(r[2]), f + (1 - f) * n), r\n"
    "    assert close(float(r[5]), n - f * (n - 1)), r\n"
    "    if n <= cpus:\n"
    "        assert close(float(r[4]), float(r[2]) * w1 / float(r[3])), r\n"
    "    else:\n"
    "        assert math.isnan(float(r[3])), r\n";

Test(scaling, csv_columns_are_the_laws_and_karp_flatt)
{
    struct cmd_out c = py_check("", "scaling --serial 0.25 -t 5 -n 64 -r 1 "
                                "--format csv", csv_script);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

Test(scaling, text_has_both_tables_and_the_ceiling)
{
    struct cmd_out c = cmd_run((const char *const[]){ "scaling", "-n", "64",
        "-r", "1", "--serial", "0.2", "-t", "3", NULL });
    const char *want[] = {
        "Strong scaling: the same job on more workers (Amdahl)",
        "Weak scaling: the parallel work grows", "Karp-Flatt e",
        "Gustafson", "scaled speedup", "5.00x",
        "What to notice", "Conditions",
    };

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert(strstr(c.out, want[i]), "missing '%s' in:\n%s", want[i],
                  c.out);
    cmd_free(&c);
}

Test(scaling, one_allowed_cpu_measures_one_worker_only)
{
    char line[512];
    struct cmd_out c;

    require_tool("taskset", "util-linux");
    snprintf(line, sizeof(line), "taskset -c 0 '%s' scaling -n 64 -r 1",
             pardemo_bin());
    c = cmd_sh(line, 120);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "Only 1 CPU is allowed to this process"), "%s",
              c.out);
    cr_assert(strstr(c.out, "predictions only"), "%s", c.out);
    cmd_free(&c);
    c = py_check("taskset -c 0", "scaling -n 64 -r 1 -t 3 --format json",
        "import json, sys\n"
        "d = json.load(sys.stdin)\n"
        "rows = d['tables'][0]['rows']\n"
        "assert [r['workers'] for r in rows] == [1, 2, 3], rows\n"
        "assert rows[0]['seconds'] > 0, rows\n"
        "assert all(r['seconds'] is None for r in rows[1:]), rows\n"
        "assert all(r['amdahl'] > 1 for r in rows[1:]), rows\n"
        "ids = [n['id'] for n in d['notice']]\n"
        "assert 'scaling.one_cpu' in ids, ids\n"
        "assert not [i for i in ids if 'amdahl' in i or 'karp' in i or\n"
        "            'gustafson' in i], ids\n");
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

Test(scaling, json_parses)
{
    assert_json_parses("scaling -n 64 -r 1");
}

Test(scaling, bad_input_is_one_line_and_status_2)
{
    const char *cases[][3] = {
        { "--serial", "1.5" }, { "--serial", "-0.1" }, { "--serial", "x" },
        { "--serial", "nan" }, { "--serial", "" }, { "--serial", "0x1" },
        { "-t", "0" }, { "-t", "65" }, { "-n", "15" }, { "-s", "3" },
        { "extra" }, { "--serial" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_usage_error("scaling", cases[i][0], cases[i][1]);
}

/* --help's range for -t is the cap the parser keeps (it once said
 * 1..1024 while 65 was refused). */
Test(scaling, threads_cap_is_the_one_help_shows)
{
    assert_threads_cap_is_the_help("scaling", (const char *const[]){
        "-n", "16", "-r", "1", "-q", "--format", "csv", NULL });
}
