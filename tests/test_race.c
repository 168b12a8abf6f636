/* test_race.c - `pardemo race`: its tables, exact locked variants, the
 * dedupe filter checked against coreutils, 1 thread / 1 CPU wording,
 * bad input; and its building blocks on their own (lib/data/url_list,
 * lib/par/fp_set). Small sizes; never a timing threshold. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "check.h"
#include "leftovers.h"

#include <signal.h>
#include <unistd.h>
#include "fp_set.h"
#include "url_list.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })
#define SMALL "-n", "20000", "--urls", "4000", "--bumps", "100000", "-r", \
              "2", "--lines", "4000"
#define SMALL_ARGS "-n 20000 --urls 4000 --bumps 100000 -r 2 --lines 4000"

Test(race, text_shows_three_tables_and_the_python)
{
    struct cmd_out c = RUN("race", SMALL);
    const char *want[] = {
        "(a) Every thread adds 1", "One shared counter", "variant",
        "expected per run", "most lost", "exact", "per update (ns)",
        "CPUs busy",
        "unsync", "mutex", "atomic", "if fp in self.fingerprints:",
        "self.fingerprints.add(fp)", "WIDENS the window", "filter",
        "distinct", "fetches", "twice+", "unlocked", "locked",
        "(c) Nothing shared", "False sharing", "bytes apart", "vs padded",
        "packed", "padded", "What to notice",
        "fetched exactly once",
    };

    cr_assert_eq(c.status, 0, "stderr: %s", c.err);
    cr_assert_str_empty(c.err);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert(strstr(c.out, want[i]), "missing '%s' in:\n%s", want[i],
                  c.out);
    cmd_free(&c);
}

Test(race, csv_has_the_documented_headers)
{
    struct cmd_out c = RUN("race", SMALL, "--format", "csv");

    cr_assert_eq(c.status, 0);
    cr_assert(strncmp(c.out, "# pardemo race;", 15) == 0);
    cr_assert(strstr(c.out, "\ntable,language,variant,expected,actual,lost,"
                     "lost_fraction,runs,exact_runs,most_lost,"
                     "most_lost_fraction,seconds_per_update,cpus_busy,rounds,"
                     "rounds_at_once,at_once_fraction\n"));
    cr_assert(strstr(c.out, "\ntable,language,filter,workers,urls,distinct,"
                     "fetches,"
                     "fetched_once,fetched_twice_or_more,extra_fetches,"
                     "seconds,crawls,cpus_busy\n"), "%s", c.out);
    cr_assert(strstr(c.out, "\ntable,layout,bytes_apart,updates,runs,"
                     "exact_runs,seconds_per_update,slowdown,cpus_busy,"
                     "rounds,rounds_at_once,at_once_fraction,"
                     "seconds_per_update_at_once,slowdown_at_once\n"));
    cmd_free(&c);
}

Test(race, json_parses)
{
    struct cmd_out c = py_check("", "race " SMALL_ARGS " --format json",
        "import json, sys\n"
        "d = json.load(sys.stdin)\n"
        "names = [t['name'] for t in d['tables']]\n"
        "assert names == ['counter', 'dedupe', 'sharing', 'append'], names\n"
        "assert len(d['notice']) >= 5\n");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    assert_json_parses("race -n 1000 --urls 100 --bumps 1000 --lines 100 "
                       "-r 1");
}

/* The mutex and the atomic count every update, for any worker count;
 * false-sharing counters are private, so they are exact too. */
static const char *exact_script =
    "import json, sys\n"
    "d = json.load(sys.stdin)\n"
    "t = int(d['params']['threads']); n = int(d['params']['increments'])\n"
    "reps = int(d['params']['reps'])\n"
    "rows = {r['variant']: r for r in d['tables'][0]['rows']}\n"
    "for v in ('mutex', 'atomic'):\n"
    "    r = rows[v]\n"
    "    assert r['expected'] == t * n, r\n"
    "    assert r['actual'] == t * n and r['lost'] == 0, r\n"
    "    assert r['exact_runs'] == reps, r\n"
    "u = rows['unsync']\n"
    "assert u['runs'] >= reps and u['most_lost'] >= u['lost'], u\n"
    "assert 0 < u['actual'] <= t * n and u['lost'] == t * n - u['actual']\n"
    "if t == 1: assert u['lost'] == 0, u\n"
    "for r in d['tables'][2]['rows']:\n"
    "    assert r['exact_runs'] == reps, r\n"
    "a = {r['variant']: r for r in d['tables'][3]['rows']}\n"
    "for v in ('locked', 'O_APPEND'):\n"
    "    assert a[v]['lines_whole'] == a[v]['lines_written'], a\n"
    "    assert a[v]['lines_torn'] == 0 and a[v]['lines_lost'] == 0, a\n"
    "s = a['seek+write']\n"
    "assert s['lines_whole'] + s['lines_lost'] == s['lines_written'], s\n"
    "assert s['lines_written'] >= 2000 and s['lines_whole'] > 0, s\n"
    "if t == 1: assert s['lines_lost'] == 0 and s['lines_torn'] == 0, s\n";

ParameterizedTestParameters(race, locked_variants_are_exact)
{
    static int workers[] = { 1, 2, 3, 4, 7 };
    return cr_make_param_array(int, workers, 5);
}

ParameterizedTest(int *workers, race, locked_variants_are_exact)
{
    char args[256];
    struct cmd_out c;

    snprintf(args, sizeof(args), "race -t %d -n 3000 --urls 2000 --bumps "
             "3000 --lines 2000 -r 2 --format json", *workers);
    c = py_check("", args, exact_script);
    cr_assert_eq(c.status, 0, "%s: %s", args, c.err);
    cmd_free(&c);
}

/* The locked filter fetches each distinct URL exactly once; the unlocked
 * one at least once. Distinct URLs are counted by `sort -u`, not by us. */
Test(race, dedupe_of_a_file_matches_sort_u)
{
    char *dir = make_tmpdir(), line[1024];
    struct cmd_out c;

    cr_assert(dir);
    snprintf(line, sizeof(line), "python3 -c 'import random\n"
             "r = random.Random(7)\n"
             "for i in range(3000): print(\"https://x.example/p/%%d\" %% "
             "r.randrange(700))' > %s/urls.txt && "
             "LC_ALL=C sort -u %s/urls.txt | wc -l > %s/distinct", dir, dir,
             dir);
    c = cmd_sh(line, 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    snprintf(line, sizeof(line), "race -t 3 -n 100 --bumps 100 -r 1 "
             "--format json %s/urls.txt", dir);
    char script[2048];
    snprintf(script, sizeof(script),
             "import json, sys\n"
             "ref = int(open('%s/distinct').read())\n"
             "rows = {r['filter']: r for r in "
             "json.load(sys.stdin)['tables'][1]['rows']}\n"
             "k = rows['locked']\n"
             "assert k['urls'] == 3000 and k['distinct'] == ref, (k, ref)\n"
             "assert k['fetches'] == ref and k['fetched_once'] == ref, k\n"
             "assert k['fetched_twice_or_more'] == 0, k\n"
             "u = rows['unlocked']\n"
             "assert u['distinct'] == ref and u['fetches'] >= ref, u\n"
             "assert u['fetched_once'] + u['fetched_twice_or_more'] == ref\n"
             /* Python's crawls of the same list, against the same count */
             "for f in (\"slide's\", 'writes first', 'writes, Lock'):\n"
             "    p = rows[f]\n"
             "    assert p['language'] == 'Python' and p['urls'] == 3000, p\n"
             "    assert p['distinct'] == ref and p['fetches'] >= ref, p\n"
             "    assert p['fetched_once'] + p['fetched_twice_or_more']"
             " == ref, p\n"
             "k = rows['writes, Lock']\n"
             "assert k['fetches'] == ref and k['extra_fetches'] == 0, k\n",
             dir);
    c = py_check("", line, script);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

Test(race, generated_frontier_locked_fetches_each_once)
{
    struct cmd_out c = py_check("", "race -t 2 -n 100 --bumps 100 -r 1 "
        "--urls 20000 --window 0 --format json",
        "import json, sys\n"
        "rows = {r['filter']: r for r in "
        "json.load(sys.stdin)['tables'][1]['rows']}\n"
        "k = rows['locked']\n"
        "assert k['urls'] == 20000 and 0 < k['distinct'] < 20000, k\n"
        "assert k['fetches'] == k['distinct'] == k['fetched_once'], k\n"
        "assert k['extra_fetches'] == 0, k\n");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

/* The Value: exact under get_lock(), never more than expected without;
 * every start method; no process left behind. */
Test(race, python_value_and_filters_every_start_method, .timeout = 300)
{
    static const char *const methods[] = { "fork", "spawn", "forkserver" };
    static const char check[] =
        "import json, sys\n"
        "t = json.load(sys.stdin)['tables']\n"
        "v = {r['variant']: r for r in t[0]['rows']}\n"
        "assert set(v) == {'Value +=', 'Value get_lock'}, v\n"
        "k = v['Value get_lock']\n"
        "assert k['actual'] == k['expected'] == 2 * 1000, k\n"
        "u = v['Value +=']\n"
        "assert 0 < u['actual'] <= u['expected'] == 2000, u\n"
        "f = {r['filter']: r for r in t[1]['rows']}\n"
        "assert f['writes, Lock']['extra_fetches'] == 0, f\n"
        "a = {r['variant']: r for r in t[2]['rows']}\n"
        "assert all(r['language'] == 'Python' for r in t[2]['rows']), a\n"
        "for m in ('open \\'a\\'', '\\'a\\', a line'):\n"
        "    assert a[m]['lines_whole'] == a[m]['lines_written'] == 402, a\n"
        "    assert a[m]['lines_torn'] == 0, a\n"
        "s = a['seek+write']\n"
        "assert s['lines_whole'] + s['lines_lost'] == 402, s\n";

    for (int i = 0; i < 3; i++) {
        char args[200];
        snprintf(args, sizeof(args), "race -t 2 -n 100 --urls 2000 -r 1 "
                 "--lines 400 --python-only --start-method %s --format json",
                 methods[i]);
        struct cmd_out c = py_check("", args, check);
        cr_assert_eq(c.status, 0, "%s: %s", methods[i], c.err);
        cmd_free(&c);
        assert_no_child_left((const char *const[]){ "race", "-t", "2", "-n",
            "100", "--urls", "2000", "-r", "1", "--lines", "400",
            "--python-only",
            "--start-method", methods[i], NULL });
    }
}

Test(race, no_python_says_how_to_get_it)
{
    struct cmd_out c = RUN("race", SMALL, "--no-python");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(!strstr(c.out, "Python  Value"));
    cr_assert(strstr(c.out, "skipped (--no-python)"));
    cmd_free(&c);
}

Test(race, one_thread_says_nothing_is_lost)
{
    struct cmd_out c = RUN("race", "-t", "1", SMALL);

    cr_assert_eq(c.status, 0);
    cr_assert(strstr(c.out, "With 1 thread nothing is lost"), "%s", c.out);
    cr_assert(strstr(c.out, "With 1 worker the unlocked filter cannot race"));
    cr_assert(strstr(c.out, "With 1 thread there is no one to share"));
    cmd_free(&c);
}

Test(race, one_cpu_wording)
{
    char line[512];
    struct cmd_out c;

    require_tool("taskset", "util-linux");
    snprintf(line, sizeof(line), "taskset -c 0 '%s' race " SMALL_ARGS,
             pardemo_bin());
    c = cmd_sh(line, 60);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "1 allowed CPU"), "%s", c.out);
    cr_assert(strstr(c.out, "With 1 allowed CPU the threads never run at "
                     "the same time"), "%s", c.out);
    cmd_free(&c);
}

/* Ctrl-C while the threads append to the shared file: the private
 * directory that holds it is gone, and nothing else is left. */
Test(race, sigint_while_appending_leaves_nothing)
{
    const char *args[] = { "race", "-t", "2", "-n", "1000", "--urls", "100",
                           "--bumps", "1000", "-r", "1", "--no-python",
                           "--lines", "400000000", NULL };
    char *path = tmp_template("err"), left[1024];
    int fd = mkstemp(path);
    pid_t pid;

    close(fd);
    pid = bg_start(args, path);
    cr_assert(wait_for_name(NULL, pid, "", 60), "pardemo-%d-* never "
              "appeared", (int)pid);
    usleep(100000);
    kill(pid, SIGINT);
    cr_assert_eq(bg_wait(pid, 30), 128 + SIGINT);
    cr_assert_str_eq(leftovers(pid, NULL, 0, left, sizeof(left)), "");
    unlink(path);
    free(path);
}

Test(race, window_zero_says_no_widening)
{
    struct cmd_out c = RUN("race", SMALL, "--window", "0");

    cr_assert_eq(c.status, 0);
    cr_assert(strstr(c.out, "No widening (--window 0)"));
    cmd_free(&c);
}

Test(race, bad_input_is_one_line_and_status_2)
{
    const char *cases[][4] = {
        { "--window", "-1" }, { "--window", "1000001" }, { "--window", "x" },
        { "--urls", "0" }, { "--urls", "5M" }, { "--urls", "1Q" },
        { "--bumps", "0" }, { "-n", "0" }, { "-n", "2G" }, { "-t", "0" },
        { "-r", "0" }, { "--format", "xml" }, { "a.txt", "b.txt" },
        { "--nope" }, { "--window" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_usage_error("race", cases[i][0], cases[i][1]);
}

Test(race, unreadable_or_empty_url_file_is_status_1)
{
    char *dir = make_tmpdir(), path[512];
    struct cmd_out c = RUN("race", "/nonexistent/urls.txt");
    FILE *f;

    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: race: cannot read /nonexistent/urls.txt:"
                     " No such file or directory\n");
    cmd_free(&c);
    snprintf(path, sizeof(path), "%s/empty.txt", dir);
    cr_assert((f = fopen(path, "w")));
    fputs("\n\n", f);
    fclose(f);
    c = RUN("race", path);
    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.out);
    cr_assert_eq(count_lines(c.err), 1);
    cr_assert(strstr(c.err, "no URLs in"), "%s", c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* ---- the building blocks, without the topic ---- */

/* Two URLs get one number exactly when they are the same string. */
Test(race_lib, url_list_numbers_the_distinct_urls)
{
    struct url_list u;
    size_t distinct = 0;

    cr_assert_eq(url_list_generate(&u, 400, 7), 0);
    cr_assert_eq(u.n, 400);
    for (size_t i = 0; i < u.n; i++) {
        bool is_new = true;
        for (size_t j = 0; j < i; j++) {
            bool is_same = !strcmp(u.text + u.at[i], u.text + u.at[j]);
            cr_assert_eq(is_same, u.id[i] == u.id[j], "URLs %zu and %zu",
                         i, j);
            is_new &= !is_same;
        }
        distinct += is_new;
    }
    cr_assert_eq(u.ndistinct, distinct);
    cr_assert_lt(u.ndistinct, u.n, "a frontier repeats some URLs");
    url_list_free(&u);
}

Test(race_lib, fp_set_finds_what_was_added)
{
    struct fp_set s;

    cr_assert_eq(fp_set_init(&s, 1000), 0);
    for (uint64_t fp = 1; fp <= 1000; fp++) {
        cr_assert(!fp_set_contains(&s, fp * 0x9E3779B97F4A7C15ULL));
        fp_set_add(&s, fp * 0x9E3779B97F4A7C15ULL);
        fp_set_add(&s, fp * 0x9E3779B97F4A7C15ULL);     /* twice: no-op */
    }
    for (uint64_t fp = 1; fp <= 1000; fp++)
        cr_assert(fp_set_contains(&s, fp * 0x9E3779B97F4A7C15ULL));
    cr_assert(!fp_set_contains(&s, 12345));
    fp_set_free(&s);
}
