/* test_threads.c - `pardemo threads` and lib/work: the tables and their
 * columns, the share-nothing / share-everything values exactly, equal
 * checksums for every worker count, bad options, and no child left behind
 * (also after Ctrl-C). Sizes are tiny; nothing asserts on a timing. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "work.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })
/* small sizes: a run takes well under a second (the same twice) */
#define SMALL "--quick", "-n", "2k", "-t", "3", "--creates", "10", \
              "--mem", "1M,2M", "--tasks", "6", "--wait-us", "200", "-r", "1"
#define SMALL_ARGS "--quick -n 2k -t 3 --creates 10 --mem 1M,2M --tasks 6 " \
                   "--wait-us 200 -r 1"

/* ---- lib/work ---- */

Test(work, split_covers_every_item_once)
{
    for (long long total = 0; total < 40; total++) {
        for (int n = 1; n <= 9; n++) {
            long long next = 0, first, count;
            for (int i = 0; i < n; i++) {
                work_split(total, n, i, &first, &count);
                cr_assert_eq(first, next, "total %lld n %d i %d", total, n, i);
                cr_assert(count == total / n || count == total / n + 1);
                next = first + count;
            }
            cr_assert_eq(next, total);
        }
    }
}

Test(work, counts_cover_the_allowed_cpus)
{
    int c[16], n;

    n = work_counts(8, 2, c, 16);
    cr_assert_eq(n, 4);
    cr_assert(c[0] == 1 && c[1] == 2 && c[2] == 4 && c[3] == 8);
    n = work_counts(8, 6, c, 16);
    cr_assert_eq(n, 5);
    cr_assert(c[3] == 6 && c[4] == 8);
    n = work_counts(64, 64, c, 16);
    cr_assert_eq(n, 7);
    cr_assert_eq(c[6], 64);
    n = work_counts(1, 1, c, 16);
    cr_assert(n == 1 && c[0] == 1);
    n = work_counts(3, 3, c, 16);
    cr_assert(n == 3 && c[2] == 3);
}

static uint64_t sum_worker(void *arg, int id, int n)
{
    long long first, count, total = *(const long long *)arg;

    work_split(total, n, id, &first, &count);
    return work_units(7, first, count);
}

ParameterizedTestParameters(work, threads_and_procs_match_serial)
{
    static int workers[] = { 1, 2, 3, 4, 7 };

    return cr_make_param_array(int, workers,
                               sizeof(workers) / sizeof(workers[0]));
}

ParameterizedTest(int *workers, work, threads_and_procs_match_serial)
{
    long long total = 100;
    uint64_t serial = work_units(7, 0, total), out[8], sum;

    cr_assert_eq(work_run_threads(*workers, sum_worker, &total, out), 0);
    sum = 0;
    for (int i = 0; i < *workers; i++)
        sum += out[i];
    cr_assert_eq(sum, serial);
    cr_assert_eq(work_run_procs(*workers, sum_worker, &total, out), 0);
    sum = 0;
    for (int i = 0; i < *workers; i++)
        sum += out[i];
    cr_assert_eq(sum, serial);
    cr_assert_eq(leftover_children(), 0);
}

/* ---- the command ---- */

Test(threads, text_has_the_three_tables)
{
    struct cmd_out c = RUN("threads", SMALL, "--no-python");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    const char *want[] = { "(a) Starting a worker", "pthread_create+join",
        "fork+_exit+waitpid", "touched (MiB)", "median (µs)", "vs thread",
        "(b) The worker adds 1", "worker saw",
        "parent saw", "CPUs busy", "(c) Fixed total work",
        "waiting-bound", "CPU-bound", "speedup vs 1", "What to notice",
        "a thread create", "MiB touched a fork took", "CPU-bound threads",
        "Conditions (table c): ",
        "CPU-bound processes", "Waiting-bound threads" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert(strstr(c.out, want[i]), "missing '%s'", want[i]);
    cmd_free(&c);
}

/* The child's writes stay in its copy; the thread's are the parent's. */
Test(threads, share_values_are_exact)
{
    struct cmd_out c = RUN("threads", SMALL, "--format", "csv");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "\ntable,language,worker,variable,before,"
                     "worker_after,parent_after\n"
                     "share,C,process (fork),counter,0,1000,0\n"
                     "share,C,process (fork),array sum,0,500500,0\n"
                     "share,C,thread (pthread),counter,0,1000,1000\n"
                     "share,C,thread (pthread),array sum,0,500500,500500\n"
                     "share,Python,Process subclass,counter,0,1000,0\n"
                     "share,Python,Process subclass,array sum,0,500500,0\n"
                     "share,Python,Thread subclass,counter,0,1000,1000\n"
                     "share,Python,Thread subclass,array sum,0,500500,"
                     "500500\n"),
              "%s", c.out);
    cmd_free(&c);
}

Test(threads, csv_headers)
{
    struct cmd_out c = RUN("threads", SMALL, "--no-python", "--format",
                           "csv");

    cr_assert_eq(c.status, 0);
    cr_assert(!strncmp(c.out, "# pardemo threads; cpus_online=", 31));
    cr_assert(strstr(c.out, "\ntable,language,what,touched_bytes,"
                     "median_seconds,min_seconds,max_seconds,times_thread\n"));
    cr_assert(strstr(c.out, "\ntable,language,work,kind,workers,"
                     "median_seconds,q1_seconds,q3_seconds,speedup,cpus_busy,"
                     "same_checksum,checksum\n"));
    cr_assert(strstr(c.out, "\ncreation,C,fork+_exit+waitpid,2097152,"));
    cr_assert(!strstr(c.out, ",Python,"), "--no-python: no Python row");
    cmd_free(&c);
}

static const char check_json[] =
    "import json, sys\n"
    "d = json.load(sys.stdin)\n"
    "t = {x['name']: x['rows'] for x in d['tables']}\n"
    "assert list(t) == ['creation', 'share', 'scaling'], list(t)\n"
    "assert len(t['creation']) == 4 + 2\n"
    "assert [r['workers'] for r in t['scaling']][:3] == [1, 2, 3]\n"
    "sums = {}\n"
    "for r in t['scaling']:\n"
    "    sums.setdefault((r['language'], r['work']), set()).add("
    "r['checksum'])\n"
    "    assert r['median_seconds'] > 0\n"
    "    assert r['same_checksum'] == 'yes', r\n"
    "assert len(sums) == 4, sums\n"
    "assert all(len(s) == 1 for s in sums.values()), sums\n"
    "assert d['machine']['cpus_allowed'] >= 1\n"
    "assert len(d['notice']) >= 6\n";

Test(threads, json_parses_and_checksums_agree)
{
    struct cmd_out c = py_check("", "threads " SMALL_ARGS " --format json",
                                check_json);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

static const char *const bad_cases[][2] = {
    { "--mem", "0" }, { "--mem", "5X" }, { "--mem", "1M,,2M" },
    { "--mem", "65G" }, { "--creates", "5" }, { "--creates", "abc" },
    { "--tasks", "0" }, { "--wait-us", "-1" }, { "--wait-us", NULL },
    { "-n", "0" }, { "-t", "0" }, { "extra", NULL },
    { "--start-method", "thread" }, { "--start-method", NULL },
    { "--no-python", "--python-only" },
};

Test(threads, bad_values_exit_2_with_one_line)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
        assert_usage_error("threads", bad_cases[i][0], bad_cases[i][1]);
}

/* ---- the Python part ---- */

/* Every Python answer, checked by python3 on the CSV: the start times,
 * the subclasses' counts exactly, each sweep row's answer (C's sum of
 * the same work units; the tasks waited) and no C row. */
static const char check_python_csv[] =
    "import csv, sys\n"
    "rows = [r for r in csv.reader(sys.stdin) if r and r[0][:1] != '#']\n"
    "t = {}\n"
    "for r in rows:\n"
    "    if r[0] != 'table':\n"
    "        t.setdefault(r[0], []).append(r)\n"
    "assert all(r[1] == 'Python' for v in t.values() for r in v), t\n"
    "what = [r[2] for r in t['creation']]\n"
    "assert what[:2] == ['Thread', 'Process, fork'], what\n"
    "assert all(0 < float(r[5]) <= float(r[4]) <= float(r[6])\n"
    "           for r in t['creation']), t['creation']\n"
    "share = [r[2:] for r in t['share']]\n"
    "assert share == [\n"
    "    ['Process subclass', 'counter', '0', '1000', '0'],\n"
    "    ['Process subclass', 'array sum', '0', '500500', '0'],\n"
    "    ['Thread subclass', 'counter', '0', '1000', '1000'],\n"
    "    ['Thread subclass', 'array sum', '0', '500500', '500500']], share\n"
    "sc = t['scaling']\n"
    "assert len(sc) == 4 * 3, sc\n"
    "assert all(r[10] == 'yes' for r in sc), sc\n"
    "waits = [r for r in sc if r[2] == 'waiting-bound']\n"
    "assert all(int(r[11], 16) == 6 for r in waits), waits\n";

Test(threads, python_only_every_answer_checked, .timeout = 120)
{
    struct cmd_out c = py_check("", "threads " SMALL_ARGS " --python-only "
                                "--format csv", check_python_csv);

    cr_assert_eq(c.status, 0, "%s%s", c.out, c.err);
    cmd_free(&c);
}

/* Each start method: the one in use is timed beside fork and named;
 * every answer right; nothing left behind. */
Test(threads, python_every_start_method, .timeout = 300)
{
    static const char *const methods[] = { "spawn", "forkserver" };

    for (int i = 0; i < 2; i++) {
        char want[64];
        struct cmd_out c = RUN("threads", SMALL, "--python-only",
                               "--start-method", methods[i]);
        cr_assert_eq(c.status, 0, "%s: %s", methods[i], c.err);
        cr_assert_str_empty(c.err, "%s", methods[i]);
        snprintf(want, sizeof(want), "start method %s", methods[i]);
        cr_assert(strstr(c.out, want), "%s", c.out);
        snprintf(want, sizeof(want), "Python  Process, %s", methods[i]);
        cr_assert(strstr(c.out, want), "%s", c.out);
        cr_assert(strstr(c.out, "Python  Process, fork"), "%s", c.out);
        cr_assert(!strstr(c.out, "  NO\n"), "a wrong answer: %s", c.out);
        cr_assert(!strstr(c.out, "pthread_create"), "C: %s", c.out);
        cmd_free(&c);
        assert_no_child_left((const char *const[]){ "threads", SMALL,
            "--python-only", "--start-method", methods[i], NULL });
    }
}

Test(threads, no_python_says_how_to_get_it)
{
    struct cmd_out c = RUN("threads", SMALL, "--no-python");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "pthread_create+join"));
    cr_assert(!strstr(c.out, "Python  "));
    cr_assert(strstr(c.out, "skipped (--no-python)"));
    cr_assert(strstr(c.out, "without it, threads also runs"));
    cmd_free(&c);
}

Test(threads, no_child_left_behind)
{
    assert_no_child_left((const char *const[]){ "threads", SMALL, NULL });
}

/* A child of pid that is sleeping (waiting in ppoll), or 0. */
static pid_t sleeping_child_of(pid_t pid)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t found = 0;

    while (d && !found && (e = readdir(d))) {
        char path[300], buf[512], state;
        int pp;
        FILE *f;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
            !(f = fopen(path, "r")))
            continue;
        if (fgets(buf, sizeof(buf), f)) {
            char *rp = strrchr(buf, ')');
            if (rp && sscanf(rp + 2, "%c %d", &state, &pp) == 2 &&
                pp == pid && state == 'S')
                found = atoi(e->d_name);
        }
        fclose(f);
    }
    if (d)
        closedir(d);
    return found;
}

/* Ctrl-C while worker processes wait: pardemo kills and reaps them. */
Test(threads, sigint_reaps_worker_processes, .timeout = 60)
{
    char *argv[] = { (char *)pardemo_bin(), "threads", "-n", "1", "-t", "1",
        "--creates", "10", "--mem", "1M", "--tasks", "1", "--wait-us",
        "1000000", "-r", "1", NULL };
    int status;

    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    /* the waiting-bound process phase: a child sleeps for a second */
    while (!sleeping_child_of(pid) && waitpid(pid, &status, WNOHANG) == 0)
        usleep(2000);
    cr_assert_eq(kill(pid, SIGINT), 0);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
              "status %#x", status);
    cr_assert_eq(count_zombies_of(getpid()), 0);
    cr_assert_eq(leftover_children(), 0);
}
