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
#include <unistd.h>

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
    char find[300];
    char replace[300];
    char shown[240];
    char cmd[240];
    int status;
    char expect[80];
    char py[1000];
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

#define CONC_ONE "    CPU_SET(c, &one);\n"
#define CONC_TWO "    for (int k = 0; k < CPU_SETSIZE; k++)   /* exercise: a " \
                 "second CPU */\n        if (k != c && CPU_ISSET(k, " \
                 "allowed)) {\n            CPU_SET(k, &one);\n" \
                 "            break;\n        }\n"
#define THR_STACK "    struct state mem = { 0 }, *s = &mem;\n"
#define THR_SHARED "    struct state *s = mmap(NULL, sizeof(*s), PROT_READ " \
                   "| PROT_WRITE,\n                           MAP_SHARED " \
                   "| MAP_ANONYMOUS, -1, 0);\n"
#define GIL_5MS "#define DEFAULT_SWITCH_US 5000 "
#define GIL_500MS "#define DEFAULT_SWITCH_US 500000 "
#define RACE_LOCK "            pthread_mutex_lock(&j->c->lock);\n"
#define RACE_UNLOCK "            pthread_mutex_unlock(&j->c->lock);\n"
#define RACE_BODY "            uint64_t v = atomic_load_explicit(value, " \
                  "memory_order_relaxed);\n            atomic_store_explicit(" \
                  "value, v + 1, memory_order_relaxed);\n"
#define OMP_SPLIT "    if (!forkjoin_is_split(args, level, n)) {\n"
#define OMP_FINE "    if (n <= args->cutoff / 100 || n < 2) {\n"
#define PF_PARTS "    if ((lines = rdd_text_file(sc, path, p->threads))) {\n"
#define PF_PARTS4 "    if ((lines = rdd_text_file(sc, path, 4 * p->threads))) {\n"

#define DT_CUT "    parts = cut(data, chunks)\n"
#define DT_CUT_1 "    parts = cut(data, 1)\n"
#define FJ_PIECES "            out = sum(p.map(sum, pieces(a, leaves)))\n"
#define FJ_PIECES_1000 "            out = sum(p.map(sum, pieces(a, 1000)))\n"
#define PY_THREADS "    return fork_join(Thread, [(cpu, (seed, first, count))\n"
#define PY_PROCS "    return fork_join(Process, [(cpu, (seed, first, count))\n"
#define PY_QUEUES "        there, back = Queue(), Queue()\n"
#define PY_SUB_PROC "class CounterProcess(Process):\n"
#define PY_SUB_THREAD "class CounterProcess(Thread):\n"
#define PY_SIMPLE "        there, back = SimpleQueue(), SimpleQueue()\n"
#define PY_GUESS "        stranger = BaseManager(address=m.address, " \
    "authkey=b\"a guess\")\n"
#define PY_OURS "        stranger = BaseManager(address=m.address,\n" \
    "                               authkey=current_process().authkey)\n"
#define PY_WRITE_ADD "        self.write(fp)                  # a blocking " \
    "call lets the GIL go\n        self.fingerprints.add(fp)\n"
#define PY_ADD_WRITE "        self.fingerprints.add(fp)\n        self.write" \
    "(fp)                  # a blocking call lets the GIL go\n"

static const struct edit edits[] = {
    /* a second CPU in the one-CPU run's mask: it is allowed 2 now */
    { "01-concurrency.md", "demos/concurrency.c", CONC_ONE,
      CONC_ONE CONC_TWO, CONC_TWO, "./pardemo concurrency -t 4 --quick "
      "--format csv", 0, "runs,one-cpu,",
      "import csv, os, sys\n"
      "r = [r for r in csv.reader(sys.stdin) if r[:2] == ['runs', "
      "'one-cpu']]\n"
      "assert int(r[0][2]) == min(2, len(os.sched_getaffinity(0))), r\n" },
    /* MAP_SHARED: the parent reads the child's writes, and says so */
    { "02-threads.md", "demos/threads.c", THR_STACK, THR_SHARED, THR_SHARED,
      "./pardemo threads --quick --format json", 0, "threads.child_shared",
      "import json, sys\n"
      "ids = [n['id'] for n in json.load(sys.stdin)['notice']]\n"
      "assert 'threads.child_shared' in ids, ids\n"
      "assert 'threads.child_bug' not in ids, ids\n" },
    /* a 100 times longer switch interval: fairness changes, not answers */
    { "03-gil.md", "demos/gil.c", GIL_5MS, GIL_500MS, "500000",
      "./pardemo gil -t 2 --quick --format json", 0, "switch_interval_us",
      "import json, sys\n"
      "d = json.load(sys.stdin)\n"
      "assert d['params']['switch_interval_us'] == '500000', d['params']\n"
      "rows = [r for t in d['tables'] for r in t['rows'] if 'checksum' in r]\n"
      "assert rows and all(r['same_checksum'] == 'yes' for r in rows)\n" },
    /* the mutex without its lock loses updates whenever two threads were
     * inside a round at once; when they did not, the run's own numbers
     * show its rounds (almost) never overlapped */
    { "04-race.md", "demos/race.c", RACE_LOCK RACE_BODY RACE_UNLOCK,
      RACE_BODY, RACE_LOCK RACE_UNLOCK, "for i in 1 2 3; do ./pardemo race "
      "-t 2 --quick --format json > r.json || exit 1; grep -q "
      "race.mutex_lost r.json && break; done; cat r.json", 0, "race.",
      "import json, sys\n"
      "d = json.load(sys.stdin)\n"
      "ids = [n['id'] for n in d['notice']]\n"
      "mu = [r['at_once_fraction'] for t in d['tables'] for r in t['rows']\n"
      "      if r.get('variant') == 'mutex']\n"
      "assert 'race.mutex_lost' in ids or (mu and mu[0] < 0.01), (ids, mu)\n"
      },
    /* a finer grain for omp-task: the time changes, never the answer */
    { "05-forkjoin.md", "lib/par/forkjoin/omp.c", OMP_SPLIT, OMP_FINE,
      OMP_FINE, "./pardemo forkjoin --quick --no-python --format csv", 0,
      "variants,C,omp-task,",
      "import csv, sys\n"
      "v = [r for r in csv.reader(sys.stdin) if r[:1] == ['variants']]\n"
      "assert len(v) == 4 and all(r[7] == 'ok' for r in v), v\n" },
    /* a thousand pieces for Pool.map: more pickling, the same answer */
    { "05-forkjoin.md", "demos/python/forkjoin_pool.py", FJ_PIECES,
      FJ_PIECES_1000, FJ_PIECES,
      "./pardemo forkjoin --job sum -n 64k -r 1 --format csv", 0,
      "variants,Python,Pool.map",
      "import csv, sys\n"
      "v = [r for r in csv.reader(sys.stdin) if r[:2] == ['variants', "
      "'Python']]\n"
      "assert len(v) == 2 and all(r[7] == 'ok' for r in v), v\n" },
    /* four partitions per worker: more combined records shuffled, the
     * same counts (against the suite's unedited binary) */
    { "15-platforms.md", "demos/platforms_engine.c", PF_PARTS, PF_PARTS4,
      "4 * p->threads", "./pardemo gen text -q --rows 20000 -o words.txt "
      "&& echo \"file $PWD/words.txt\" && ./pardemo platforms --engine "
      "wordcount words.txt -t 2", 0, "# engine",
      "import os, subprocess, sys\n"
      "def note(t):\n"
      "    l = [x for x in t.splitlines() if x.startswith('# engine')][0]\n"
      "    return dict(w.split('=') for w in l.split()[2:])\n"
      "out = sys.stdin.read()\n"
      "path = out.splitlines()[0].split(' ', 1)[1]\n"
      "ref = subprocess.run([os.environ['PARDEMO_BIN'], 'platforms', "
      "'--engine', 'wordcount', path, '-t', '2'], capture_output=True, "
      "text=True, check=True).stdout\n"
      "a, b = note(out), note(ref)\n"
      "assert int(a['shuffled_records']) > int(b['shuffled_records']), "
      "(a, b)\n"
      "ans = lambda t: sorted(x for x in t.splitlines() if x[:1] != '#' "
      "and not x.startswith('file '))\n"
      "assert ans(out) == ans(ref)\n" },
    /* add, then write: no hand-over point left in the window */
    { "04-race.md", "demos/python/race_dedupe.py", PY_WRITE_ADD,
      PY_ADD_WRITE,
      "        self.write(fp)                  # a blocking call lets the "
      "GIL go",
      "./pardemo race -t 2 --urls 4000 -r 1 --python-only --format csv", 0,
      "dedupe,Python,writes first",
      "import csv, sys\n"
      "rows = {r[2]: r for r in csv.reader(sys.stdin) if r[:2] == "
      "['dedupe', 'Python']}\n"
      "assert rows['writes first'][9] == '0', rows\n" },
    /* our own authkey: the stranger is let in, and the sentence says so */
    { "07-manager.md", "demos/python/manager_race.py", PY_GUESS, PY_OURS,
      "        stranger = BaseManager(address=m.address, authkey=b\"a guess\")",
      "./pardemo manager -t 2 -n 100 --python-only", 0,
      "was let in", "" },
    /* SimpleQueue: no feeder thread; every message still arrives whole */
    { "06-ipc.md", "demos/python/ipc_queue.py", PY_QUEUES, PY_SIMPLE,
      "        there, back = Queue(), Queue()",
      "./pardemo ipc --python-only --sizes 64,4k --count 50 --format csv", 0,
      "ipc,Python,Queue",
      "import csv, sys\n"
      "rows = [r for r in csv.reader(sys.stdin) if r[:2] == "
      "['ipc', 'Python']]\n"
      "assert len(rows) == 5 * 2, rows\n"
      "assert all(r[10] == 'yes' for r in rows), rows\n" },
    /* the Process subclass made a Thread: the parent reads its 1000 */
    { "02-threads.md", "demos/python/threads_share.py", PY_SUB_PROC,
      PY_SUB_THREAD, "class CounterProcess(Process):",
      "./pardemo threads --quick --python-only -t 2 -r 1 --creates 10 "
      "--format json", 0, "threads.py_child_shared",
      "import json, sys\n"
      "d = json.load(sys.stdin)\n"
      "t = {x['name']: x['rows'] for x in d['tables']}\n"
      "rows = [r for r in t['share'] if r['worker'] == 'Process subclass']\n"
      "assert [(r['worker_after'], r['parent_after']) for r in rows] == "
      "[(1000, 1000), (500500, 500500)], rows\n"
      "ids = [n['id'] for n in d['notice']]\n"
      "assert 'threads.py_child_shared' in ids, ids\n"
      "assert 'threads.py_thread_bug' not in ids, ids\n" },
    /* Python "threads" that are processes: the same answers */
    { "03-gil.md", "demos/python/gil_burn.py", PY_THREADS, PY_PROCS,
      "    return fork_join(Thread, [(cpu, (seed, first, count))",
      "./pardemo gil --python-only -t 2 --quick -r 1 --format csv", 0,
      "gil,Python,CPU threads",
      "import csv, sys\n"
      "rows = [r for r in csv.reader(sys.stdin) if r[:2] == "
      "['gil', 'Python']]\n"
      "assert len(rows) == 4 * 2, rows\n"
      "assert all(r[10] == 'yes' for r in rows), rows\n" },
    { "06-ipc.md", "lib/par/ipc.c", IPC_PUBLISH, IPC_PUBLISH IPC_LATE,
      IPC_LATE, "./pardemo ipc --mech shm --quick", 1, "CHECKSUM MISMATCH",
      "" },
    /* one server applies every request in turn: 100 us each is a floor
     * on every Manager add, however many clients */
    { "07-manager.md", "lib/par/manager.c", MGR_INCR, MGR_INCR MGR_SLOW,
      MGR_SLOW, "./pardemo manager -t 4 -n 200 --no-python --format csv", 0,
      "race,C,Manager",
      "import sys\n"
      "rows = [l.split(',') for l in sys.stdin "
      "if l.startswith('race,C,Man')]\n"
      "assert len(rows) == 2, rows\n"
      "for r in rows:\n"
      "    assert float(r[6]) >= 100e-6, 'per add %s < 100 us' % r[6]\n" },
    /* a cut at a raw byte offset halves a row: both halves are bad rows,
     * skipped, and the 2-worker totals are not the serial ones */
    { "10-datatask.md", "lib/data/csv.c", CSV_MOVE, "", CSV_MOVE,
      "./pardemo datatask -t 2 --mode data --skip-bad --quick", 0,
      "differ from serial",
      "import sys\n"
      "t = sys.stdin.read()\n"
      "assert '2 workers' in t and ' NO' in t, t\n" },
    /* one chunk for Pool.map: one worker does it all, the same answers */
    { "10-datatask.md", "demos/python/datatask_table.py", DT_CUT, DT_CUT_1,
      "    parts = cut(data, chunks)",
      "./pardemo datatask --rows 20000 -r 1 --python-only --format csv", 0,
      "data,Python,\"Pool.map",
      "import csv, sys\n"
      "rows = [r for r in csv.reader(sys.stdin) if r[:2] == "
      "['data', 'Python']]\n"
      "pool = [r for r in rows if r[2].startswith('Pool.map')]\n"
      "assert len(pool) == 1 and pool[0][3] == '1', rows\n"
      "assert all(r[-1] == 'yes' for r in rows), rows\n" },
    /* all three replicas on one rack: no block survives losing it */
    { "11-locality.md", "lib/par/cluster.c", RACK_OTHER, RACK_SAME,
      RACK_SAME, "./pardemo locality --placement hdfs --no-measure "
      "--format csv", 0, "placement,hdfs",
      "import csv, sys\n"
      "rows = [r for r in csv.reader(sys.stdin) if r[:2] == "
      "['placement', 'hdfs']]\n"
      "assert len(rows) == 1 and float(rows[0][5]) == 0, rows\n" },
    /* no cache(): the second query reads the file again */
    { "14-logmine.md", "demos/logmine.c", LM_CACHED, LM_UNCACHED,
      LM_UNCACHED, "./pardemo logmine --quick --format csv", 0,
      "queries,",
      "import csv, sys\n"
      "q = [r for r in csv.reader(sys.stdin) if r[:1] == ['queries']]\n"
      "assert len(q) == 3 and q[1][4] == '0', q\n"
      "assert q[1][3] == q[0][3], q\n" },
    /* cache(): lazy still, and the second action calls nothing */
    { "12-rdd.md", "demos/rdd.c", RDD_MAP, RDD_CACHED, RDD_CACHED,
      "./pardemo rdd --format json", 0, "rdd.lazy",
      "import json, sys\n"
      "ids = [n['id'] for n in json.load(sys.stdin)['notice']]\n"
      "assert 'rdd.lazy' in ids and 'rdd.recomputes' not in ids, ids\n" },
    /* groupByKey then count: the same words, every pair shuffled */
    { "13-wordcount.md", "demos/wordcount.c", WC_REDUCE, WC_GROUP,
      WC_GROUP, "./pardemo wordcount --quick --format csv", 0, "shuffle,",
      "import csv, sys\n"
      "rows = list(csv.reader(sys.stdin))\n"
      "sh = [int(r[2]) for r in rows if r[:1] == ['shuffle']]\n"
      "words = [int(r[3]) for r in rows if r[:1] == ['throughput']]\n"
      "assert len(sh) == 2 and sh[0] == sh[1] == words[0], (sh, words)\n" },
    /* Java's switch to 1.0E7 moved: ten million prints whole */
    { "16-csv.md", "lib/sql/text.c", JAVA_7, JAVA_9, JAVA_9,
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
 * older). make test builds them with -Werror, which a student's `make`
 * does not use: its flags stamp (build/release/.flags) then says what
 * plain `make` would, with its time kept, or make would rebuild every
 * file (-Werror changes no object, only whether a warning stops the
 * build; an exercise's edit may well warn). */
static char *copy_tree(void)
{
    char *dir = make_tmpdir(), *line;
    struct cmd_out c;

    cr_assert(asprintf(&line, "cp -Rp ../Makefile ../lib ../demos "
                       "../bench ../tools ../scripts '%s'/ && "
                       "if [ -d ../build/release ]; then "
                       "mkdir -p '%s'/build && "
                       "cp -Rp ../build/release '%s'/build/ && "
                       "f='%s'/build/release/.flags && "
                       "sed 's/ -Werror /  /' \"$f\" > \"$f.new\" && "
                       "touch -r \"$f\" \"$f.new\" && "
                       "mv \"$f.new\" \"$f\"; fi", dir, dir, dir, dir) > 0);
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
    /* a check may run the suite's own binary (under ASan, platforms'
     * engine takes over a minute) */
    c = cmd_sh(line, RUN_TIMEOUT_S);
    cr_expect_eq(c.status, 0, "%s: `%s` did not show what the worksheet "
                 "promises (status %d):\n%s", e->sheet, e->cmd, c.status,
                 c.err);
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
                  .timeout = BUILD_TIMEOUT_S + 2 * RUN_TIMEOUT_S)
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
