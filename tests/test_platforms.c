/* test_platforms.c - every platform's program gives python3's answer.
 * Each program under platforms/ is run the way its users run it (python3
 * FILE WORKERS, sh, mawk -f, pardemo platforms --engine, mpirun) on
 * hamlet.txt and on a generated trade CSV; its "count key" lines, sorted,
 * must equal a reference computed here with python3 (bytes.split() and
 * the csv module). A platform not installed is skipped with its install
 * line (under CI it fails: `make test` installs it). The topic itself:
 * a platform hidden by PATH or PYTHONPATH is "not installed", a wrong
 * answer is an error, bad input is one line and exit 1, Ctrl-C leaves no
 * process and no directory behind.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define PROGS "../platforms"
#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

/* "count word" lines, sorted by bytes: python3's own count. */
static const char *const wc_reference =
    "import sys, collections\n"
    "c = collections.Counter(open(sys.argv[1], 'rb').read().split())\n"
    "sys.stdout.buffer.write(b''.join(sorted(b'%d %s\\n' % (n, w)\n"
    "                                        for w, n in c.items())))\n";

/* "total country" lines for the dollar rows, sorted by bytes. */
static const char *const totals_reference =
    "import sys, csv, collections\n"
    "t = collections.Counter()\n"
    "with open(sys.argv[1], newline='') as f:\n"
    "    for row in csv.DictReader(f):\n"
    "        if row['Measure'] == '$':\n"
    "            t[row['Country']] += int(row['Value'])\n"
    "sys.stdout.buffer.write(b''.join(sorted(b'%d %s\\n' % (n, c.encode())\n"
    "                                        for c, n in t.items())))\n";

struct fixture {
    char *dir, hamlet[4096], csv[512], wc_ref[512], totals_ref[512];
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

/* The inputs and both references, in a fresh directory. */
static void setup(struct fixture *x)
{
    char cmd[8192];
    struct cmd_out c;

    x->dir = make_tmpdir();
    shared_data("hamlet.txt", x->hamlet, sizeof(x->hamlet));
    snprintf(x->csv, sizeof(x->csv), "%s/trade.csv", x->dir);
    snprintf(x->wc_ref, sizeof(x->wc_ref), "%s/wc.ref", x->dir);
    snprintf(x->totals_ref, sizeof(x->totals_ref), "%s/totals.ref", x->dir);
    snprintf(cmd, sizeof(cmd), "%s/wc.py", x->dir);
    write_file(cmd, wc_reference);
    snprintf(cmd, sizeof(cmd), "%s/totals.py", x->dir);
    write_file(cmd, totals_reference);
    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' gen trade --rows 30000 -q "
             "-o trade.csv && python3 wc.py '%s' > wc.ref && python3 "
             "totals.py trade.csv > totals.ref", x->dir, pardemo_bin(),
             x->hamlet);
    c = cmd_sh(cmd, 120);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

static void teardown(struct fixture *x)
{
    rm_tree(x->dir);
    free(x->dir);
}

/* A python3 that imports module (PATH's first, then Debian's, where
 * apt-get puts python3-dask), or NULL. */
static const char *python_with(const char *module)
{
    static const char *const cands[] = { "python3", "/usr/bin/python3" };
    char cmd[256];

    for (size_t i = 0; i < 2; i++) {
        snprintf(cmd, sizeof(cmd), "%s -c 'import %s' 2>/dev/null", cands[i],
                 module);
        struct cmd_out c = cmd_sh(cmd, 60);
        int ok = c.status == 0;
        cmd_free(&c);
        if (ok)
            return cands[i];
    }
    return NULL;
}

/* Skipped with the install line; under CI, a failure (make test installs
 * every platform). */
static void not_installed(const char *what, const char *package)
{
    if (getenv("CI"))
        cr_assert_fail("%s is missing under CI: make test installs %s", what,
                package);
    cr_skip("%s: not installed: apt-get install %s", what, package);
}

/* Runs cmd (its stdout is the answer), normalises uniq -c's padding and
 * drops the engine's "#" note, sorts by bytes, compares with ref. */
static void check_answer(const char *what, const char *cmd, const char *ref)
{
    char *line;
    struct cmd_out c;

    cr_assert(asprintf(&line, "export LC_ALL=C; { %s; } | grep -v '^#' | "
                       "sed 's/^ *//' | grep -v '^[0-9]* *$' | sort | cmp - "
                       "'%s'", cmd, ref) > 0);
    c = cmd_sh(line, 600);
    cr_assert_eq(c.status, 0, "%s differs from python3's answer:\n%s\n%s%s",
                 what, cmd, c.out, c.err);
    cmd_free(&c);
    free(line);
}

/* "PY platforms/PROG INPUT [W [ARG]]": parallel when arg is not NULL. */
static void command(char *cmd, size_t len, const char *py, const char *prog,
                    const char *input, int w, const char *arg)
{
    if (arg)
        snprintf(cmd, len, "%s %s/%s '%s' %d %s", py, PROGS, prog, input, w,
                 arg);
    else
        snprintf(cmd, len, "%s %s/%s '%s'", py, PROGS, prog, input);
}

/* One Python platform on both inputs, at 1 and 3 workers when parallel
 * (arg not NULL: "" for none). */
static void check_python(const char *module, const char *package,
                         const char *wc, const char *totals,
                         const char *arg)
{
    struct fixture x;
    const char *py = python_with(module);
    char cmd[8192];

    if (!py)
        not_installed(module, package);
    setup(&x);
    for (int w = 1; w <= 3; w += 2) {
        if (wc) {
            command(cmd, sizeof(cmd), py, wc, x.hamlet, w, arg);
            check_answer(wc, cmd, x.wc_ref);
        }
        if (totals) {
            command(cmd, sizeof(cmd), py, totals, x.csv, w, arg);
            check_answer(totals, cmd, x.totals_ref);
        }
        if (!arg)
            break;
    }
    teardown(&x);
}

Test(platforms, python3_counter_and_csv_module, .timeout = 300)
{
    struct fixture x;
    char cmd[8192];

    setup(&x);
    snprintf(cmd, sizeof(cmd), "python3 %s/wordcount_python.py '%s'", PROGS,
             x.hamlet);
    check_answer("wordcount_python.py", cmd, x.wc_ref);
    snprintf(cmd, sizeof(cmd), "python3 %s/totals_python.py '%s'", PROGS,
             x.csv);
    check_answer("totals_python.py", cmd, x.totals_ref);
    teardown(&x);
}

Test(platforms, multiprocessing_pool, .timeout = 300)
{
    check_python("multiprocessing", "python3", "wordcount_pool.py",
                 "totals_pool.py", "");
}

Test(platforms, dask_processes, .timeout = 600)
{
    check_python("dask.dataframe", "python3-dask python3-pandas",
                 "wordcount_dask.py", "totals_dask.py", "processes");
}

Test(platforms, dask_threads, .timeout = 600)
{
    check_python("dask.dataframe", "python3-dask python3-pandas",
                 "wordcount_dask.py", "totals_dask.py", "threads");
}

Test(platforms, pandas, .timeout = 300)
{
    check_python("pandas", "python3-pandas", NULL, "totals_pandas.py", NULL);
}

Test(platforms, shell_and_mawk, .timeout = 300)
{
    struct fixture x;
    char cmd[8192];

    if (!have_command("mawk"))
        not_installed("mawk", "mawk");
    setup(&x);
    snprintf(cmd, sizeof(cmd), "sh %s/wordcount.sh '%s'", PROGS, x.hamlet);
    check_answer("wordcount.sh", cmd, x.wc_ref);
    snprintf(cmd, sizeof(cmd), "mawk -f %s/wordcount.awk '%s'", PROGS,
             x.hamlet);
    check_answer("wordcount.awk", cmd, x.wc_ref);
    snprintf(cmd, sizeof(cmd), "mawk -f %s/totals.awk '%s'", PROGS, x.csv);
    check_answer("totals.awk", cmd, x.totals_ref);
    teardown(&x);
}

/* The engine on 1, 2, 3 and 7 threads: the same answer. */
Test(platforms, engine_threads, .timeout = 300)
{
    static const int threads[] = { 1, 2, 3, 7 };
    struct fixture x;
    char cmd[8192];

    setup(&x);
    for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++) {
        snprintf(cmd, sizeof(cmd), "'%s' platforms --engine wordcount '%s' "
                 "-t %d", pardemo_bin(), x.hamlet, threads[i]);
        check_answer("the engine's word count", cmd, x.wc_ref);
        snprintf(cmd, sizeof(cmd), "'%s' platforms --engine totals '%s' "
                 "-t %d", pardemo_bin(), x.csv, threads[i]);
        check_answer("the engine's totals", cmd, x.totals_ref);
    }
    teardown(&x);
}

Test(platforms, engine_on_mpi, .timeout = 300)
{
    struct fixture x;
    char cmd[8192];
    struct cmd_out v = RUN("--version");
    bool is_built = strstr(v.out, "MPI: built in") != NULL;

    cmd_free(&v);
    if (!is_built || !have_command("mpirun"))
        not_installed("Open MPI", "openmpi-bin libopenmpi-dev");
    setup(&x);
    snprintf(cmd, sizeof(cmd), "mpirun %s --oversubscribe --bind-to none "
             "--mca btl self,vader --mca oob_tcp_if_include lo -np 2 '%s' "
             "platforms --engine wordcount '%s' -t 1",
             geteuid() == 0 ? "--allow-run-as-root" : "", pardemo_bin(),
             x.hamlet);
    check_answer("the engine's word count on 2 ranks", cmd, x.wc_ref);
    teardown(&x);
}

/* ---- the topic */

/* The topic on hamlet.txt and the trade CSV: it checks every answer
 * against python3's itself, so exit 0 means they all agreed. */
Test(platforms, topic_runs_every_installed_platform, .timeout = 900)
{
    struct fixture x;
    struct cmd_out c;
    char csv[600];

    setup(&x);
    snprintf(csv, sizeof(csv), "--csv=%s", x.csv);
    c = RUN("platforms", "--text", x.hamlet, csv, "-q", "--format", "csv");
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    for (const char *const *row = (const char *const[]){ "wordcount,python3,1,",
         "wordcount,engine,1,", "totals,python3,1,", "totals,engine,1,",
         NULL }; *row; row++)
        cr_assert(strstr(c.out, *row), "no row %s in:\n%s", *row, c.out);
    if (getenv("CI"))       /* make test installs every one but spark */
        for (const char *const *row = (const char *const[]){
             "wordcount,dask-procs,", "wordcount,dask-threads,",
             "wordcount,mp.Pool,", "wordcount,shell,", "wordcount,mawk,",
             "totals,pandas,", "totals,dask-threads,", "totals,mawk,",
             NULL }; *row; row++)
            cr_assert(strstr(c.out, *row), "no row %s in:\n%s", *row, c.out);
    cmd_free(&c);
    teardown(&x);
}

/* A directory on PATH holding only what the shell platform needs, and a
 * PYTHONPATH whose dask and pandas say they are not installed: those
 * platforms, mawk and mpirun are "not installed", never an error. */
Test(platforms, hidden_platforms_say_not_installed, .timeout = 600)
{
    char *dir = make_tmpdir(), cmd[4096], path[600], pypath[600];
    struct cmd_out c;

    snprintf(cmd, sizeof(cmd), "cd '%s' && mkdir bin fake fake/dask "
             "fake/pandas && for t in tr sort uniq; do ln -s \"$(command -v "
             "$t)\" bin/$t; done && ln -s /usr/bin/python3 bin/python3 && "
             "for m in dask pandas; do echo \"raise ModuleNotFoundError("
             "\\\"No module named '$m' (hidden by the test)\\\")\" > "
             "fake/$m/__init__.py; done", dir);
    c = cmd_sh(cmd, 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    snprintf(path, sizeof(path), "PATH=%s/bin", dir);
    snprintf(pypath, sizeof(pypath), "PYTHONPATH=%s/fake", dir);
    c = cmd_run_env((const char *const[]){ "platforms", "-n", "64k", "-q",
                    "--format", "csv", NULL }, NULL,
                    (const char *const[]){ path, pypath, NULL }, 600);
    cr_assert_eq(c.status, 0, "%s", c.err);
    for (const char *const *row = (const char *const[]){
         "missing,mawk,not installed: apt-get install mawk\n",
         "missing,dask-procs,not installed: apt-get install python3-dask\n",
         "missing,dask-threads,not installed: apt-get install python3-dask\n",
         "missing,pandas,not installed: apt-get install python3-pandas\n",
         "missing,engine-mpi,not installed: apt-get install openmpi-bin "
         "libopenmpi-dev (then make)\n", "wordcount,python3,1,",
         "wordcount,shell,1,", "wordcount,engine,", "totals,engine,",
         NULL }; *row; row++)
        cr_assert(strstr(c.out, *row), "no %s in:\n%s", *row, c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* A platform whose answer is wrong (mawk's program altered) is an error,
 * one line, nothing on stdout. */
Test(platforms, wrong_answer_is_an_error, .timeout = 300)
{
    char *dir = make_tmpdir(), cmd[4096], data[600];
    struct cmd_out c;

    if (!have_command("mawk"))
        not_installed("mawk", "mawk");
    snprintf(cmd, sizeof(cmd), "mkdir '%s/platforms' && cp %s/* "
             "'%s/platforms/' && sed -i 's/print count\\[word\\], word/"
             "print count[word] + 1, word/' "
             "'%s/platforms/wordcount.awk' && grep -q '] + 1' "
             "'%s/platforms/wordcount.awk'", dir, PROGS, dir, dir, dir);
    c = cmd_sh(cmd, 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    snprintf(data, sizeof(data), "PARDEMO_DATA=%s", dir);
    c = cmd_run_env((const char *const[]){ "platforms", "--only",
                    "python3,mawk", "--job", "wordcount", "-n", "64k", "-q",
                    NULL }, NULL, (const char *const[]){ data, NULL }, 300);
    cr_assert_eq(c.status, 1, "%s", c.err);
    cr_assert_str_empty(c.out);
    cr_assert_eq(count_lines(c.err), 1, "%s", c.err);
    cr_assert(strstr(c.err, "pardemo: platforms: mawk's wordcount answer "
                     "differs from python3's"), "%s", c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* Ctrl-C while python3 counts: exit 130, no process of the run and no
 * directory of it left (the names carry the run's pid). The run is the
 * shell's foreground command: a background one (`&`) of a non-interactive
 * shell starts with SIGINT ignored, and pardemo keeps it ignored (nohup). */
Test(platforms, sigint_leaves_no_process_or_directory, .timeout = 300)
{
    char *dir = make_tmpdir(), cmd[4096];
    struct cmd_out c;

    snprintf(cmd, sizeof(cmd), "cd '%s' || exit; { sleep 3; kill -INT "
             "$(cat pid); } & sh -c 'echo $$ > pid; exec \"$0\" platforms "
             "--only python3 --job wordcount -n 256M -q' '%s' > /dev/null; "
             "echo \"exit $?\"; wait; pid=$(cat pid); sleep 0.5; "
             "ls -d ${TMPDIR:-/tmp}/pardemo-platforms-$pid-* 2>/dev/null; "
             "pgrep -f \"pardemo-platforms-$pid-\" || true", dir,
             pardemo_bin());
    c = cmd_sh(cmd, 240);
    cr_assert_str_eq(c.out, "exit 130\n", "left behind:\n%s", c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* A reader that stops early (| head): SIGPIPE ends the report, and the
 * run's directory is already gone. */
Test(platforms, closed_pipe_leaves_no_directory, .timeout = 120)
{
    char cmd[2048];
    struct cmd_out c;

    snprintf(cmd, sizeof(cmd), "pid=$(sh -c 'echo $$; exec \"$0\" platforms "
             "--only engine --job totals -n 64k -q' '%s' | head -2 | head "
             "-1); sleep 0.5; ls -d ${TMPDIR:-/tmp}/pardemo-platforms-$pid-* "
             "2>/dev/null; echo \"pid $pid\"", pardemo_bin());
    c = cmd_sh(cmd, 60);
    cr_assert(!strncmp(c.out, "pid ", 4) && c.out[4] >= '1', "left behind "
              "or no pid:\n%s", c.out);
    cmd_free(&c);
}
