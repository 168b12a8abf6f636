/* test_memory.c - `pardemo memory` and STREAM's kernels: every element
 * holds what STREAM's recurrence says after the runs, for any thread
 * count; a wrong element is found; the CSV's rates and roofline columns
 * recomputed by python; one CPU measures one thread; bad input.
 * Small sizes; never a timing threshold. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "check.h"
#include "stream.h"

ParameterizedTestParameters(memory, stream_values_for_any_thread_count)
{
    static int threads[] = { 1, 2, 3, 4, 7 };
    return cr_make_param_array(int, threads, 5);
}

/* STREAM's recurrence by hand: a = 2, b = 2, c = 0; one pass gives
 * c = 2, b = 6, c = 8, a = 30; two give c = 30, b = 90, c = 120, a = 450. */
ParameterizedTest(int *t, memory, stream_values_for_any_thread_count)
{
    struct stream_arrays x = { 0 };

    cr_assert_eq(stream_alloc(&x, 10007), 0);
    stream_init(&x, *t);
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < STREAM_N; k++)
            stream_run(&x, k, *t);
    for (long long j = 0; j < x.n; j++)
        cr_assert(x.a[j] == 450 && x.b[j] == 90 && x.c[j] == 120,
                  "element %lld: %g %g %g", j, x.a[j], x.b[j], x.c[j]);
    cr_assert_eq(stream_check(&x, 2), 0);
    cr_assert_eq(stream_check(&x, 1), x.n);     /* the wrong pass count */
    stream_free(&x);
}

Test(memory, check_finds_one_wrong_element)
{
    struct stream_arrays x = { 0 };

    cr_assert_eq(stream_alloc(&x, 4096), 0);
    stream_init(&x, 2);
    for (int k = 0; k < STREAM_N; k++)
        stream_run(&x, k, 2);
    cr_assert_eq(stream_check(&x, 1), 0);
    x.b[4095] *= 1 + 1e-12;
    cr_assert_eq(stream_check(&x, 1), 1);
    stream_free(&x);
}

Test(memory, bytes_and_flops_are_streams)
{
    cr_assert_eq(stream_bytes(STREAM_COPY, 1000), 16000);
    cr_assert_eq(stream_bytes(STREAM_TRIAD, 1000), 24000);
    cr_assert_eq(stream_flops(STREAM_TRIAD), 2);
    cr_assert_str_eq(stream_name(STREAM_ADD), "add");
}

static const char *csv_script =
    "import csv, os, sys\n"
    "rows = [r for r in csv.reader(sys.stdin) if r and r[0] != 'table'\n"
    "        and not r[0].startswith('#')]\n"
    "st = [r for r in rows if r[0] == 'stream']\n"
    "cpus = len(os.sched_getaffinity(0))\n"
    "assert [int(r[1]) for r in st][0] == 1, st\n"
    "assert int(st[-1][1]) == cpus, (st, cpus)\n"
    "n = 65536\n"
    "for r in st:\n"
    "    for k, arrays in ((2, 2), (3, 2), (4, 3), (5, 3)):\n"
    "        assert float(r[k]) > 0, r\n"
    "        # best rate >= the median's rate\n"
    "        assert float(r[k]) >= arrays * 8 * n / float(r[k + 6]) * "
    "(1 - 1e-9), r\n"
    "roof = {r[1]: r for r in rows if r[0] == 'roofline'}\n"
    "assert abs(float(roof['triad'][2]) - 2 / 24) < 1e-12, roof\n"
    "assert abs(float(roof['compute'][2]) - 64 / 16) < 1e-12, roof\n"
    "for k in roof.values():\n"
    "    assert abs(float(k[3]) * 1e9 - float(k[2]) * float(k[4])) <= "
    "1e-6 * float(k[3]) * 1e9, k\n"
    "    assert k[5] in ('memory', 'compute'), k\n"
    "sums = {r[1]: r for r in rows if r[0] == 'sum'}\n"
    "assert list(sums) == ['scalar', 'omp simd', 'threads + simd'], sums\n"
    "t0 = float(sums['scalar'][3])\n"
    "for r in sums.values():\n"
    "    assert abs(float(r[4]) - t0 / float(r[3])) < 1e-9 * t0 / "
    "float(r[3]), r\n";

Test(memory, csv_rates_and_roofline_recomputed)
{
    struct cmd_out c = py_check("", "memory -n 64k -r 2 --format csv",
                                csv_script);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

Test(memory, text_has_the_tables_and_the_caches)
{
    struct cmd_out c = cmd_run((const char *const[]){ "memory", "-n", "64k",
        "-r", "2", NULL });
    const char *want[] = {
        "STREAM: best rate", "triad (MB/s)", "Roofline", "FLOP/byte",
        "bound by", "omp simd", "threads + simd", "Every element of the "
        "three arrays was checked", "What to notice", "caches=",
    };

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert(strstr(c.out, want[i]), "missing '%s' in:\n%s", want[i],
                  c.out);
    cmd_free(&c);
}

Test(memory, one_allowed_cpu_measures_one_thread)
{
    struct cmd_out c;

    require_tool("taskset", "util-linux");
    c = py_check("taskset -c 0", "memory -n 64k -r 2 --format json",
        "import json, sys\n"
        "d = json.load(sys.stdin)\n"
        "rows = d['tables'][0]['rows']\n"
        "assert [r['threads'] for r in rows] == [1], rows\n"
        "ids = [n['id'] for n in d['notice']]\n"
        "assert 'memory.one_cpu' in ids, ids\n"
        "assert 'memory.wall' not in ids, ids\n");
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

Test(memory, json_parses)
{
    assert_json_parses("memory -n 64k -r 2");
}

Test(memory, bad_input_is_one_line_and_status_2)
{
    const char *cases[][3] = {
        { "-n", "1000" }, { "-n", "41M" }, { "-n", "x" }, { "-t", "0" },
        { "-t", "65" }, { "-s", "3" }, { "extra" }, { "--serial", "0.1" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_usage_error("memory", cases[i][0], cases[i][1]);
}

/* --help's range for -t is the cap the parser keeps. */
Test(memory, threads_cap_is_the_one_help_shows)
{
    assert_threads_cap_is_the_help("memory", (const char *const[]){
        "-n", "1k", "-r", "1", "-q", "--format", "csv", NULL });
}
