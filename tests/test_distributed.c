/* test_distributed.c - the mini-RDD engine under mpirun (Open MPI).
 * wordcount, logmine and rdd run with 1, 2, 3 and 4 ranks must print the
 * same results as the OpenMP engine (same partitions): saved part files
 * byte for byte, the top table, the queries. A rank that dies or a file
 * one rank cannot read ends the job with an error, never a hang.
 * Skipped when mpirun is missing or pardemo was built without MPI (under
 * CI: failed). Each test gives Open MPI a TMPDIR of its own: two mpiruns
 * starting at once in one TMPDIR race to make its session directory
 * ("mkdir ... File exists") and one of them fails.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "check.h"

enum { MPI_TIMEOUT_S = 60 };

/* A TMPDIR of the test's own (under the suite's), removed afterwards. */
static void own_tmpdir(void)
{
    char *dir = make_tmpdir();

    cr_assert(dir);
    setenv("TMPDIR", dir, 1);
    free(dir);
}

static void drop_own_tmpdir(void)
{
    rm_tree(getenv("TMPDIR"));
}

TestSuite(distributed, .init = own_tmpdir, .fini = drop_own_tmpdir);

static void need_mpi(void)
{
    struct cmd_out c;

    require_tool("mpirun", "openmpi-bin");
    c = cmd_run((const char *const[]){ "--version", NULL });
    if (!strstr(c.out, "MPI: built in")) {
        cmd_free(&c);
        skip_unless_ci("pardemo was built without MPI (apt-get install "
                       "libopenmpi-dev, make clean, make)");
    }
    cmd_free(&c);
}

/* "mpirun ... -np N BIN ARGS" as a shell line; root needs the flag. */
static char *mpirun_line(int ranks, const char *args)
{
    char *s = NULL;

    cr_assert(asprintf(&s, "mpirun %s--oversubscribe --bind-to none "
                       "-np %d %s %s", geteuid() == 0
                       ? "--allow-run-as-root " : "", ranks, pardemo_bin(),
                       args) >= 0);
    return s;
}

/* Under the ASan pass, ranks run without LeakSanitizer: Open MPI keeps
 * allocations to exit, many in plugins it has unloaded by then (no name
 * to suppress). Address and UB checks stay on; the engine's own memory is
 * leak-checked by the single-process tests (test_rdd, test_wordcount). */
#define MPI_ENV "NO_COLOR=1 ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}" \
                "detect_leaks=0\" "

/* Runs line (sh -c) in MPI_ENV; cr_asserts it succeeded. */
static struct cmd_out run_ok(const char *line)
{
    char *full = NULL;
    struct cmd_out c;

    cr_assert(asprintf(&full, MPI_ENV "%s", line) >= 0);
    c = cmd_sh(full, MPI_TIMEOUT_S);
    cr_assert_eq(c.status, 0, "%s: exit %d\n%s", full, c.status, c.err);
    free(full);
    return c;
}

/* The rows of one CSV table ("name,...") of an output, fields after
 * drop_from (a column index, -1: keep all) left out. */
static char *csv_rows(const char *out, const char *table, int drop_from)
{
    size_t n = strlen(table), len = 0;
    char *rows = calloc(1, strlen(out) + 1);
    const char *line = out;

    for (; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
        const char *end = strchrnul(line, '\n'), *cut = end;
        int field = 0;
        if (strncmp(line, table, n) || line[n] != ',')
            continue;
        for (const char *q = line; q < end && drop_from >= 0; q++) {
            if (*q == '"')
                while (++q < end && *q != '"')
                    ;
            if (*q == ',' && ++field == drop_from) {
                cut = q;
                break;
            }
        }
        memcpy(rows + len, line, (size_t)(cut - line));
        len += (size_t)(cut - line);
        rows[len++] = '\n';
    }
    return rows;
}

/* wordcount INPUT with -p 4: the OpenMP engine's saved counts and top
 * words, then the same under 1-4 ranks. */
static void wordcount_same(const char *input)
{
    char *dir = make_tmpdir(), *cmd = NULL, *ref_top, *line;
    struct cmd_out ref, c;

    cr_assert(asprintf(&cmd, "%s wordcount %s -t 2 -p 4 --no-group --format "
                       "csv --save %s/omp && cat %s/omp/part-*",
                       pardemo_bin(), input, dir, dir) >= 0);
    ref = run_ok(cmd);
    free(cmd);
    ref_top = csv_rows(ref.out, "top", -1);
    cr_assert(strlen(ref_top) > 20);
    for (int ranks = 1; ranks <= 4; ranks++) {
        char args[512], *top;
        snprintf(args, sizeof(args), "wordcount %s -t 1 -p 4 --no-group "
                 "--format csv --save %s/mpi%d", input, dir, ranks);
        line = mpirun_line(ranks, args);
        cr_assert(asprintf(&cmd, "%s && cat %s/mpi%d/part-*", line, dir,
                           ranks) >= 0);
        c = run_ok(cmd);
        top = csv_rows(c.out, "top", -1);
        cr_expect_str_eq(top, ref_top, "%d ranks: top words differ", ranks);
        cr_expect(strstr(c.out, strstr(ref.out, "\n('")) != NULL,
                  "%d ranks: saved counts differ from the OpenMP engine's",
                  ranks);
        if (ranks > 1)
            cr_expect(strstr(c.out, "\nranks,0,") &&
                      strstr(c.out, "\nranks,1,"),
                      "%d ranks: no per-rank table:\n%s", ranks, c.out);
        free(top);
        free(line);
        free(cmd);
        cmd_free(&c);
    }
    free(ref_top);
    cmd_free(&ref);
    rm_tree(dir);
    free(dir);
}

Test(distributed, wordcount_hamlet_1_to_4_ranks, .timeout = 240)
{
    char path[4096];

    need_mpi();
    wordcount_same(shared_data("hamlet.txt", path, sizeof(path)));
}

Test(distributed, wordcount_generated_1_to_4_ranks, .timeout = 240)
{
    need_mpi();
    /* no FILE: each rank generates the same seeded text itself */
    wordcount_same("-n 1M -s 7");
}

Test(distributed, logmine_same_as_openmp, .timeout = 240)
{
    char *line, *ref_rows, *rows;
    struct cmd_out ref, c;
    char cmd[1024];

    need_mpi();
    snprintf(cmd, sizeof(cmd), "%s logmine -n 2M -t 2 -p 4 --format csv",
             pardemo_bin());
    ref = run_ok(cmd);
    ref_rows = csv_rows(ref.out, "queries", 5);     /* without the time */
    cr_assert(strlen(ref_rows) > 20);
    for (int ranks = 2; ranks <= 3; ranks++) {
        line = mpirun_line(ranks, "logmine -n 2M -t 1 -p 4 --format csv");
        c = run_ok(line);
        rows = csv_rows(c.out, "queries", 5);
        cr_expect_str_eq(rows, ref_rows, "%d ranks", ranks);
        free(rows);
        free(line);
        cmd_free(&c);
    }
    free(ref_rows);
    cmd_free(&ref);
}

/* The csv topic (csv_to_record, count, totals by Country through
 * reduceByKey) on generated trade data: the same tables under 2 and 3
 * ranks as on OpenMP threads. */
Test(distributed, csv_same_as_openmp, .timeout = 240)
{
    static const char *const tables[] = { "show", "counts", "totals" };
    char cmd[1024], args[256];
    struct cmd_out ref, c;

    need_mpi();
    snprintf(cmd, sizeof(cmd), "%s csv --rows 20000 -t 2 -p 4 --format csv",
             pardemo_bin());
    ref = run_ok(cmd);
    for (int ranks = 2; ranks <= 3; ranks++) {
        snprintf(args, sizeof(args), "csv --rows 20000 -t 1 -p 4 "
                 "--format csv");
        char *line = mpirun_line(ranks, args);
        c = run_ok(line);
        for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
            char *want = csv_rows(ref.out, tables[i], -1);
            char *got = csv_rows(c.out, tables[i], -1);
            cr_assert(strlen(want) > 0, "no %s table", tables[i]);
            cr_expect_str_eq(got, want, "%d ranks, table %s", ranks,
                             tables[i]);
            free(want);
            free(got);
        }
        free(line);
        cmd_free(&c);
    }
    cmd_free(&ref);
}

/* The rdd topic's examples (collect, reduceByKey, join, sortBy, save...)
 * print the same results, stage and task tables too (a lost shuffle
 * output recomputed on the rank that owns it); only times and the
 * private directory's name differ. */
Test(distributed, rdd_examples_same_as_openmp, .timeout = 240)
{
    /* the time column (last) and the machine's load are not compared */
    const char *filter = " | grep -v -e '^Machine:' -e '^Parameters:' "
                         "-e '/pardemo-[0-9]*-' "
                         "| sed -E 's/ +[0-9.e+-]+$//' "
                         "| sed '/^Conditions/,/^$/d'";
    char cmd[1024], *line;
    struct cmd_out ref, c;

    need_mpi();
    snprintf(cmd, sizeof(cmd), "%s rdd -t 1 -p 5 --lose 2 --explain%s",
             pardemo_bin(), filter);
    ref = run_ok(cmd);
    line = mpirun_line(3, "rdd -t 1 -p 5 --lose 2 --explain");
    snprintf(cmd, sizeof(cmd), "%s%s", line, filter);
    c = run_ok(cmd);
    cr_expect_str_eq(c.out, ref.out);
    free(line);
    cmd_free(&c);
    cmd_free(&ref);
}

/* A rank killed mid-job (at its first shuffle): mpirun ends the job,
 * non-zero, well before the timeout. */
Test(distributed, dead_rank_ends_the_job, .timeout = 120)
{
    char path[4096], args[4200], *line, *cmd = NULL;
    struct cmd_out c;

    need_mpi();
    snprintf(args, sizeof(args), "wordcount %s",
             shared_data("hamlet.txt", path, sizeof(path)));
    line = mpirun_line(2, args);
    cr_assert(asprintf(&cmd, MPI_ENV "PARDEMO_MPI_DIE_RANK=1 timeout 30 "
                       "%s; echo rc=$?", line) >= 0);
    c = cmd_sh(cmd, MPI_TIMEOUT_S);
    cr_expect(!strstr(c.out, "rc=0\n") && !strstr(c.out, "rc=124\n"),
              "a dead rank: %s\n%s", c.out, c.err);
    cr_expect(strstr(c.out, "rc="), "%s", c.err);
    cr_expect(!strstr(c.out, "Word count"), "a report despite a dead rank");
    free(cmd);
    free(line);
    cmd_free(&c);
}

/* Rank 1 alone cannot read the file: rank 0 says so, once, and the job
 * exits non-zero (textFile's collective check). */
Test(distributed, file_missing_on_one_rank, .timeout = 120)
{
    char path[4096], *cmd = NULL;
    struct cmd_out c;

    need_mpi();
    shared_data("hamlet.txt", path, sizeof(path));
    cr_assert(asprintf(&cmd, MPI_ENV "timeout 30 mpirun %s"
                       "--oversubscribe -np 2 sh -c "
                       "'if [ \"$OMPI_COMM_WORLD_RANK\" = 1 ]; then "
                       "f=/nonexistent/log; else f=%s; fi; exec %s logmine "
                       "\"$f\"'; echo rc=$?", geteuid() == 0
                       ? "--allow-run-as-root " : "", path,
                       pardemo_bin()) >= 0);
    c = cmd_sh(cmd, MPI_TIMEOUT_S);
    cr_expect(strstr(c.out, "rc=1\n"), "%s\n%s", c.out, c.err);
    cr_expect(strstr(c.err, "pardemo: logmine: cannot read /nonexistent/log:"
                     " No such file or directory (on rank 1)\n"),
              "%s", c.err);
    cr_expect(!strstr(c.out, "The queries"), "%s", c.out);
    free(cmd);
    cmd_free(&c);
}

/* The topic itself: three runs, the same answer, every rank listed. */
Test(distributed, topic_runs_1_2_4_ranks, .timeout = 240)
{
    char cmd[1024];
    struct cmd_out c;

    need_mpi();
    snprintf(cmd, sizeof(cmd), "%s distributed --quick -n 2M --format csv",
             pardemo_bin());
    c = run_ok(cmd);
    cr_expect(strstr(c.out, "\nruns,1,") && strstr(c.out, "\nruns,2,1,") &&
              strstr(c.out, "\nruns,4,1,"), "%s", c.out);
    cr_expect(!strstr(c.out, ",NO\n"), "a run disagreed:\n%s", c.out);
    for (int rank = 0; rank < 4; rank++) {
        char row[32];
        snprintf(row, sizeof(row), "\nranks,4,%d,", rank);
        cr_expect(strstr(c.out, row), "no row for rank %d:\n%s", rank,
                  c.out);
    }
    cmd_free(&c);
}
