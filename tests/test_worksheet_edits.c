/* test_worksheet_edits.c - every worksheet exercise that edits the code
 * and predicts what a run then shows is tried: the edit is made on a copy
 * of the tree (with the release build's objects, so that only the edited
 * file recompiles), the copy is built with `make` as a student would, the
 * worksheet's command runs, and the promised observation must be there.
 * The worksheet must show the very text the test inserts, and the code
 * must still hold the line the edit goes after: an exercise cannot rot.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#define BUILD_TIMEOUT_S 1800        /* a full build on a busy machine */
#define RUN_TIMEOUT_S 600

/* One exercise: in `file`, the unique text `find` becomes `replace`;
 * the worksheet must show `shown` (the line to add or to delete). Then
 * `cmd` runs in the copy's top folder and must exit `status` with
 * `expect` in its stdout or stderr, and python3 running `py` (if any) on
 * its stdout must exit 0. */
struct edit {
    char sheet[32];
    char file[48];
    char find[200];
    char replace[300];
    char shown[160];
    char cmd[160];
    int status;
    char expect[80];
    char py[400];
};

#define IPC_PUBLISH "            head = atomic_fetch_add(&r->head, 1) + 1;\n"
#define IPC_LATE "        r->slot[i][0] ^= 1;     /* exercise: write after " \
                 "posting */\n"
#define MGR_INCR "        s->counter += strtoll(arg, NULL, 10);\n"
#define MGR_SLOW "        usleep(100);            /* exercise: 100 µs of " \
                 "work per request */\n"
#define CSV_MOVE "        at = csv_next_line(buf, len, at);\n"
#define LM_CACHED "    *messages = rdd_cache(rdd_map(errors, third_field, " \
                  "NULL));\n"
#define LM_UNCACHED "    *messages = rdd_map(errors, third_field, NULL);" \
                    "     /* exercise */\n"
#define RDD_MAP "    squares = rdd_map(nums, square, calls);\n"
#define RDD_CACHED "    squares = rdd_cache(rdd_map(nums, square, calls));" \
                   "  /* exercise */\n"
#define WC_REDUCE "    w->counts = rdd_reduce_by_key(w->pairs, rdd_add, " \
                  "NULL, 0);\n"
#define WC_GROUP "    w->counts = rdd_map_values(rdd_group_by_key(" \
                 "w->pairs, 0),\n                               " \
                 "group_len, NULL);\n"
#define JAVA_7 "    if (exp >= 0 && exp < 7) {\n"
#define JAVA_9 "    if (exp >= 0 && exp < 9) {\n"
#define RACK_OTHER "    r1 = (cluster_rack(c, node[0]) + 1 + below(rng, " \
                   "c->racks - 1)) %\n         c->racks;\n"
#define RACK_SAME "    r1 = cluster_rack(c, node[0]);      /* exercise: the " \
                  "writer's rack */\n"

static const struct edit edits[] = {
    { "06-ipc.md", "lib/par/ipc.c", IPC_PUBLISH, IPC_PUBLISH IPC_LATE,
      IPC_LATE, "./pardemo ipc --mech shm --quick", 1, "CHECKSUM MISMATCH",
      "" },
    /* one server applies every request in turn: 100 us each is a floor
     * on every Manager add, however many clients */
    { "07-manager.md", "lib/par/manager.c", MGR_INCR, MGR_INCR MGR_SLOW,
      MGR_SLOW, "./pardemo manager -t 4 -n 200 --format csv", 0,
      "race,Manager",
      "import sys\n"
      "rows = [l.split(',') for l in sys.stdin if l.startswith('race,Man')]\n"
      "assert len(rows) == 2, rows\n"
      "for r in rows:\n"
      "    assert float(r[5]) >= 100e-6, 'per add %s < 100 us' % r[5]\n" },
    /* a cut at a raw byte offset halves a row: both halves are bad rows,
     * skipped, and the 2-worker totals are not the serial ones */
    { "08-datatask.md", "lib/data/csv.c", CSV_MOVE, "", CSV_MOVE,
      "./pardemo datatask -t 2 --mode data --skip-bad --quick", 0,
      "differ from serial",
      "import sys\n"
      "t = sys.stdin.read()\n"
      "assert '2 workers' in t and ' NO' in t, t\n" },
    /* all three replicas on one rack: no block survives losing it */
    { "09-locality.md", "lib/par/cluster.c", RACK_OTHER, RACK_SAME,
      RACK_SAME, "./pardemo locality --placement hdfs --no-measure "
      "--format csv", 0, "placement,hdfs",
      "import csv, sys\n"
      "rows = [r for r in csv.reader(sys.stdin) if r[:2] == "
      "['placement', 'hdfs']]\n"
      "assert len(rows) == 1 and float(rows[0][5]) == 0, rows\n" },
    /* no cache(): the second query reads the file again */
    { "12-logmine.md", "demos/logmine.c", LM_CACHED, LM_UNCACHED,
      LM_UNCACHED, "./pardemo logmine --quick --format csv", 0,
      "queries,",
      "import csv, sys\n"
      "q = [r for r in csv.reader(sys.stdin) if r[:1] == ['queries']]\n"
      "assert len(q) == 3 and q[1][4] == '0', q\n"
      "assert q[1][3] == q[0][3], q\n" },
    /* cache(): lazy still, and the second action calls nothing */
    { "10-rdd.md", "demos/rdd.c", RDD_MAP, RDD_CACHED, RDD_CACHED,
      "./pardemo rdd --format json", 0, "rdd.lazy",
      "import json, sys\n"
      "ids = [n['id'] for n in json.load(sys.stdin)['notice']]\n"
      "assert 'rdd.lazy' in ids and 'rdd.recomputes' not in ids, ids\n" },
    /* groupByKey then count: the same words, every pair shuffled */
    { "11-wordcount.md", "demos/wordcount.c", WC_REDUCE, WC_GROUP,
      WC_GROUP, "./pardemo wordcount --quick --format csv", 0, "shuffle,",
      "import csv, sys\n"
      "rows = list(csv.reader(sys.stdin))\n"
      "sh = [int(r[2]) for r in rows if r[:1] == ['shuffle']]\n"
      "words = [int(r[3]) for r in rows if r[:1] == ['throughput']]\n"
      "assert len(sh) == 2 and sh[0] == sh[1] == words[0], (sh, words)\n" },
    /* Java's switch to 1.0E7 moved: ten million prints whole */
    { "14-csv.md", "lib/sql/text.c", JAVA_7, JAVA_9, JAVA_9,
      "./pardemo spark -c 'spark.range(1).selectExpr(\"10000000.0D\")"
      ".show()'", 0, "|10000000.0|", "" },
};

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert(f, "cannot write %s", path);
    cr_assert_eq(fputs(text, f) < 0, 0);
    cr_assert_eq(fclose(f), 0);
}

/* Runs line in dir (sh -c), outside any make that ran this suite: its
 * MAKEFLAGS, and the variables given on its command line (make exports
 * them: B=build/test WERROR=1 ...), would build the copy with the suite's
 * flags and folder. */
static struct cmd_out sh_in(const char *dir, const char *line, int timeout)
{
    char *full;
    struct cmd_out c;

    cr_assert(asprintf(&full, "cd '%s' && unset MAKEFLAGS MFLAGS MAKELEVEL "
                       "MAKEOVERRIDES B WERROR SAN CFLAGS CPPFLAGS LDLIBS "
                       "RUN_ENV CC && %s", dir, line) > 0);
    c = cmd_sh(full, timeout);
    free(full);
    return c;
}

/* The tree a student has: sources and the release build's objects
 * (cp -p keeps their times, so make rebuilds only what the edit made
 * older). */
static char *copy_tree(void)
{
    char *dir = make_tmpdir(), *line;
    struct cmd_out c;

    cr_assert(asprintf(&line, "cp -Rp ../Makefile ../lib ../demos ../bench "
                       "../tools ../scripts '%s'/ && if [ -d ../build/release ]; "
                       "then mkdir -p '%s'/build && cp -Rp ../build/release "
                       "'%s'/build/; fi", dir, dir, dir) > 0);
    c = cmd_sh(line, 120);
    cr_assert_eq(c.status, 0, "copying the tree: %s", c.err);
    cmd_free(&c);
    free(line);
    return dir;
}

static void apply(const char *dir, const struct edit *e)
{
    char *path, *text, *at, *edited;

    cr_assert(asprintf(&path, "%s/%s", dir, e->file) > 0);
    text = file_text(path);
    at = strstr(text, e->find);
    cr_assert(at, "%s: %s no longer has the line the exercise edits:\n%s",
              e->sheet, e->file, e->find);
    cr_assert(!strstr(at + 1, e->find), "%s: '%s' is not unique in %s",
              e->sheet, e->find, e->file);
    cr_assert(asprintf(&edited, "%.*s%s%s", (int)(at - text), text,
                       e->replace, at + strlen(e->find)) > 0);
    spit(path, edited);
    free(edited);
    free(text);
    free(path);
}

/* python3 running e->py with out on its stdin must exit 0. */
static void check_py(const char *dir, const struct edit *e, const char *out)
{
    char *script, *data, *line;
    struct cmd_out c;

    cr_assert(asprintf(&script, "%s/check.py", dir) > 0);
    cr_assert(asprintf(&data, "%s/out.txt", dir) > 0);
    spit(script, e->py);
    spit(data, out);
    cr_assert(asprintf(&line, "python3 '%s' < '%s'", script, data) > 0);
    c = cmd_sh(line, 60);
    cr_expect_eq(c.status, 0, "%s: `%s` did not show what the worksheet "
                 "promises:\n%s", e->sheet, e->cmd, c.err);
    cmd_free(&c);
    free(line);
    free(data);
    free(script);
}

ParameterizedTestParameters(worksheet_edits, promised_observation)
{
    size_t n = sizeof(edits) / sizeof(edits[0]);
    struct edit *ps = cr_malloc(sizeof(edits));

    memcpy(ps, edits, sizeof(edits));
    return cr_make_param_array(struct edit, ps, n);
}

ParameterizedTest(const struct edit *e, worksheet_edits, promised_observation,
                  .timeout = BUILD_TIMEOUT_S + RUN_TIMEOUT_S)
{
    char sheet[64], *text, *dir, *out;
    struct cmd_out c;

    snprintf(sheet, sizeof(sheet), "../worksheets/%s", e->sheet);
    text = file_text(sheet);
    cr_assert(strstr(text, e->shown), "%s does not show the edit its test "
              "makes:\n%s", e->sheet, e->shown);
    free(text);
    dir = copy_tree();
    apply(dir, e);
    c = sh_in(dir, "make -j2 pardemo", BUILD_TIMEOUT_S);
    cr_assert_eq(c.status, 0, "%s: the edited copy does not build:\n%s",
                 e->sheet, c.err);
    cmd_free(&c);
    c = sh_in(dir, e->cmd, RUN_TIMEOUT_S);
    cr_log_info("%s: `%s` exited %d", e->sheet, e->cmd, c.status);
    cr_expect_eq(c.status, e->status, "%s: `%s` exited %d, the worksheet "
                 "promises %d:\n%s", e->sheet, e->cmd, c.status, e->status,
                 c.err);
    out = unwrapped(c.out);
    cr_expect(strstr(out, e->expect) || strstr(c.err, e->expect),
              "%s: `%s` did not show '%s':\n%s%s", e->sheet, e->cmd,
              e->expect, c.out, c.err);
    free(out);
    if (e->py[0])
        check_py(dir, e, c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}
