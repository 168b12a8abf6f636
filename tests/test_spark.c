/* test_spark.c - pardemo spark is CPython running PySpark code as
 * written: Spark's own RDD and SparkContext doctests print what their
 * docstrings say (tests/spark/), the lecture's snippets and standalone app
 * print what Spark prints, errors are Python's and a failed task is
 * reported as Spark reports it, without ending the shell; a worker that
 * dies fails its job and leaves nothing behind. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "pty.h"

#include <sys/prctl.h>
#include <unistd.h>

/* Runs src through the shell's stdin (each expression's repr echoed, as
 * at the >>> prompt) with 2 threads. */
static struct cmd_out shell(const char *src)
{
    const char *args[] = { "spark", "-t", "2", NULL };

    return cmd_run_env(args, src, NULL, 300);
}

/* The last line of a run's stderr (where Python puts the error). */
static const char *final_line(const char *err)
{
    const char *last = err;

    for (const char *nl; (nl = strchr(last, '\n')) && nl[1];)
        last = nl + 1;
    return last;
}

/* Runs Spark's doctests of FILE (tests/spark/) as Spark runs them, on
 * local[4]: every example prints what Spark's docstring shows. */
static void run_doctests(const char *file, const char *const *env)
{
    char path[256];
    snprintf(path, sizeof(path), "spark/%s", file);
    const char *args[] = { "spark", "-t", "4", "spark/doctests.py", path,
                           NULL };
    struct cmd_out c = cmd_run_env(args, NULL, env, 600);

    cr_expect_eq(c.status, 0, "%s: exit %d\n%s\n%s", file, c.status, c.out,
                 c.err);
    cr_expect(strstr(c.out, " sections, 0 failed\n"), "%s:\n%s\n%s", file,
              c.out, c.err);
    cmd_free(&c);
}

Test(spark, rdd_doctests_print_what_spark_documents, .timeout = 600)
{
    run_doctests("rdd_doctests.txt", NULL);
}

Test(spark, context_doctests_print_what_spark_documents, .timeout = 600)
{
    run_doctests("context_doctests.txt", NULL);
}

/* The functions the engine runs in C (+, (w, 1), str.split, len) give
 * what their Python versions give: the same doctests without them. */
Test(spark, doctests_print_the_same_without_the_c_versions, .timeout = 600)
{
    const char *env[] = { "PARDEMO_SPARK_NO_FAST=1", NULL };

    run_doctests("rdd_doctests.txt", env);
}

struct bad_program {
    const char *src;
    const char *last_line;  /* the error line Python would print */
};

static const struct bad_program bad[] = {
    { "lines = sc.parallelize([\"a b\"])\n"
      "counts = lines.flatMap(lambda line: line.split(\" \"))"
      ".map(lambda word => (word, 1))",
      "SyntaxError: invalid syntax: '=>' is not Python (it is JavaScript's "
      "and Scala's arrow); did you mean 'lambda word: (word, 1)'?" },
    { "nums = sc.parallelize([1, 2, 3])\nnums.flatMap(lambda x: => range(x))",
      "SyntaxError: invalid syntax: '=>' is not Python (it is JavaScript's "
      "and Scala's arrow); did you mean 'lambda x: range(x)'?" },
    { "sc.parallelize([1, 2]).colect()",
      "AttributeError: 'RDD' object has no attribute 'colect'. Did you mean: "
      "'collect'?" },
    { "print(undefined_name)", "NameError: name 'undefined_name' is not "
      "defined" },
    { "1 + 'a'", "TypeError: unsupported operand type(s) for +: 'int' and "
      "'str'" },
    { "'a' + 1", "TypeError: can only concatenate str (not \"int\") to str" },
    { "[1, 2][5]", "IndexError: list index out of range" },
    { "{'a': 1}['b']", "KeyError: 'b'" },
    { "1 / 0", "ZeroDivisionError: division by zero" },
    { "int('x')", "ValueError: invalid literal for int() with base 10: 'x'" },
    { "import no_such_module", "ModuleNotFoundError: No module named "
      "'no_such_module'" },
    { "x = (1, 2))", "SyntaxError: unmatched ')'" },
    { "def f(:", "SyntaxError: invalid syntax" },
    { "  x = 1", "IndentationError: unexpected indent" },
    { "'abc'.startsWith('a')", "AttributeError: 'str' object has no "
      "attribute 'startsWith'. Did you mean: 'startswith'?" },
    { "sc.parallelize([1, 'a']).map(lambda x: x + 1).collect()",
      "TypeError: can only concatenate str (not \"int\") to str (raised in "
      "a task on element 'a')" },
    { "nums = sc.parallelize([1, 2, 3])\n"
      "squares = nums.map(lambda x: x*x)    // {1, 4, 9}",
      "TypeError: unsupported operand type(s) for //: 'PipelinedRDD' and "
      "'set' (Python comments start with #, not //)" },
    { "sc.parallelize([]).first()", "ValueError: RDD is empty" },
    { "sc.parallelize([]).reduce(lambda a, b: a + b)",
      "ValueError: Can not reduce() empty RDD" },
    /* unknown keywords are Python's TypeError */
    { "sc.textFile('hamlet.txt', min_partitions=3)",
      "TypeError: SparkContext.textFile() got an unexpected keyword argument "
      "'min_partitions'" },
    { "sc.parallelize([1]).map(lambda x: x, preserve=True)",
      "TypeError: RDD.map() got an unexpected keyword argument 'preserve'" },
    { "len(5)", "TypeError: object of type 'int' has no len()" },
    { "def f(x):\n    return f(x)\n\nf(1)",
      "RecursionError: maximum recursion depth exceeded" },
};

/* The error's last line is Python's, and the shell goes on after it:
 * every program in one session, each followed by a line it prints. */
Test(spark, errors_look_like_python_and_the_shell_survives, .timeout = 600)
{
    size_t n = sizeof(bad) / sizeof(bad[0]);
    char *src = calloc(1, 65536), one[2048], want[640];

    cr_assert(src);
    for (size_t i = 0; i < n; i++) {
        snprintf(one, sizeof(one), "%s\n\nprint('still here %zu')\n",
                 bad[i].src, i);
        strcat(src, one);
    }
    struct cmd_out c = shell(src);
    const char *at = c.err;
    for (size_t i = 0; i < n; i++) {
        snprintf(want, sizeof(want), "\n%s\n", bad[i].last_line);
        const char *hit = strstr(at, want);
        cr_expect(hit, "program %zu:\n%s\nwant: %s\nstderr after the "
                  "last one: %s", i, bad[i].src, bad[i].last_line, at);
        if (hit)
            at = hit + strlen(want) - 1;
        snprintf(want, sizeof(want), "still here %zu\n", i);
        cr_expect(strstr(c.out, want), "program %zu: the shell stopped: %s",
                  i, c.out);
    }
    cmd_free(&c);
    free(src);
}

struct failed_task {
    const char *src;        /* one job where only one partition fails */
    const char *spark;      /* what Spark says about the failed task */
    const char *frame;      /* the Python frame it failed in */
    const char *last;       /* the Python error and the element */
};

/* Spark slices [i*n/k, (i+1)*n/k): the element's partition is the task's. */
static const struct failed_task failed_tasks[] = {
    { "sc.parallelize([1, 2, 0, 4], 2).map(lambda x: 1 / x).collect()",
      "Task 1 in stage 0.0 failed 1 times, most recent failure: Lost task "
      "1.0 in stage 0.0 (TID 1)", "File \"<stdin>\", line 1, in <lambda>",
      "ZeroDivisionError: division by zero (raised in a task on element 0)" },
    { "sc.parallelize([0, 1, 2, 3, 4], 3).map(lambda x: 1 // (x - 4))"
      ".collect()",
      "Task 2 in stage 0.0 failed 1 times, most recent failure: Lost task "
      "2.0 in stage 0.0 (TID 2)", "in <lambda>",
      "ZeroDivisionError: integer division or modulo by zero (raised in a "
      "task on element 4)" },
    /* a range is sliced the same way: 7 is in slice 2 of [0,3) [3,6) [6,9) */
    { "def f(x):\n    if x == 7:\n        return x + 'a'\n    return x\n\n"
      "sc.parallelize(range(9), 3).map(f).count()",
      "Lost task 2.0 in stage 0.0 (TID 2)", "line 3, in f",
      "TypeError: unsupported operand type(s) for +: 'int' and 'str' "
      "(raised in a task on element 7)" },
    /* in the shuffle's map stage (stage 0), not the result stage */
    { "from operator import add\n"
      "sc.parallelize(range(6), 3).map(lambda x: (x % 2, 1 // (x - 1)))"
      ".reduceByKey(add).collect()",
      "Task 0 in stage 0.0 failed 1 times, most recent failure: Lost task "
      "0.0 in stage 0.0 (TID 0)", "in <lambda>",
      "ZeroDivisionError: integer division or modulo by zero (raised in a "
      "task on element 1)" },
};

/* A failed task is reported as Spark reports it: which task of which
 * stage, then the Python frame and error; the shell goes on. */
Test(spark, a_failed_task_names_its_partition_as_spark_does, .timeout = 600)
{
    for (size_t i = 0; i < sizeof(failed_tasks) / sizeof(failed_tasks[0]);
         i++) {
        const struct failed_task *ft = &failed_tasks[i];
        char src[1024], want[400];
        snprintf(src, sizeof(src), "%s\nprint('still here')\n", ft->src);
        struct cmd_out c = shell(src);
        cr_expect(strstr(c.err, "org.apache.spark.SparkException: Job "
                         "aborted due to stage failure: "), "%zu: %s", i,
                  c.err);
        cr_expect(strstr(c.err, ft->spark), "%zu: want %s in\n%s", i,
                  ft->spark, c.err);
        cr_expect(strstr(c.err, ft->frame), "%zu: want %s in\n%s", i,
                  ft->frame, c.err);
        snprintf(want, sizeof(want), "%s\n", ft->last);
        cr_expect_str_eq(final_line(c.err), want, "%zu: %s", i, c.err);
        cr_expect(strstr(c.out, "still here\n"), "%zu: %s", i, c.out);
        cmd_free(&c);
    }
}

Test(spark, c_and_file_exit_1_on_error_0_on_success, .timeout = 600)
{
    struct cmd_out c = cmd_run((const char *const[]){ "spark", "-c",
        "print(sc.parallelize([1, 2, 3]).map(lambda x: x * x).collect())",
        NULL });
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "[1, 4, 9]\n");
    cmd_free(&c);
    c = cmd_run((const char *const[]){ "spark", "-c", "1/0", NULL });
    cr_assert_eq(c.status, 1);
    cr_assert(strstr(c.err, "ZeroDivisionError: division by zero"));
    cmd_free(&c);
    c = cmd_run((const char *const[]){ "spark", "/nonexistent.py", NULL });
    cr_assert_eq(c.status, 1);
    cr_assert_eq(count_lines(c.err), 1, "%s", c.err);
    cmd_free(&c);
}

/* The lecture's standalone app, as written, against python3's Counter. */
Test(spark, lecture_standalone_wordcount_app, .timeout = 600)
{
    char *dir = make_tmpdir(), path[600], cmd[3000], hamlet[600];
    static const char app[] =
        "import sys\n"
        "from pyspark import SparkContext\n\n"
        "if __name__ == \"__main__\":\n"
        "    sc = SparkContext(\"local\", \"wordCount\", sys.argv[0],\n"
        "None)\n"
        "    lines = sc.textFile(sys.argv[1])\n\n"
        "    counts = lines.flatMap(lambda s: s.split(\" \")) \\\n"
        "        .map(lambda word: (word, 1)) \\\n"
        "        .reduceByKey(lambda x, y: x + y)\n\n"
        "    counts.saveAsTextFile(sys.argv[2])\n";

    snprintf(path, sizeof(path), "%s/app.py", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(app, f);
    fclose(f);
    shared_data("hamlet.txt", hamlet, sizeof(hamlet));
    char out[700];
    snprintf(out, sizeof(out), "%s/out", dir);
    const char *args[] = { "spark", path, hamlet, out, NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 120);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c '\n"
             "import ast, collections, glob, sys\n"
             "want = collections.Counter(w for l in open(sys.argv[1], "
             "encoding=\"utf-8\", errors=\"surrogateescape\").read()"
             ".splitlines() for w in l.split(\" \"))\n"
             "got = {}\n"
             "for p in sorted(glob.glob(sys.argv[2] + \"/part-*\")):\n"
             "    for line in open(p, encoding=\"utf-8\"):\n"
             "        k, v = ast.literal_eval(line)\n"
             "        got[k] = got.get(k, 0) + v\n"
             "assert got == dict(want), (len(got), len(want))\n"
             "' %s %s && test -e %s/_SUCCESS", hamlet, out, out);
    c = cmd_sh(cmd, 120);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* Runs src in the shell with dir as the working directory. */
static struct cmd_out shell_in(const char *dir, const char *src)
{
    char line[1600], path[700];
    FILE *f;

    snprintf(path, sizeof(path), "%s/in.py", dir);
    f = fopen(path, "w");
    cr_assert(f, "%s", path);
    fputs(src, f);
    fclose(f);
    snprintf(line, sizeof(line), "cd %s && %s spark -t 2 < in.py", dir,
             pardemo_bin());
    return cmd_sh(line, 120);
}

/* The lecture's snippets, typed at the prompt as written (the slides'
 * "> " prompt marks left out), print what PySpark prints; where the slide
 * has a typo, the error is Python's, with a hint. */
Test(spark, lecture_snippets_as_written, .timeout = 600)
{
    static const char basic[] =
        "nums = sc.parallelize([1, 2, 3])\n"
        "squares = nums.map(lambda x: x*x)    # {1, 4, 9}\n"
        "even = squares.filter(lambda x: x % 2 == 0) # {4}\n"
        "squares.collect()\n"
        "even.collect()\n"
        "nums.flatMap(lambda x: range(x)).collect()\n"
        "nums.collect() # => [1, 2, 3]\n"
        "nums.take(2) # => [1, 2]\n"
        "nums.count() # => 3\n"
        "nums.reduce(lambda x, y: x + y) # => 6\n"
        "pets = sc.parallelize(\n"
        "    [(\"cat\", 1), (\"dog\", 1), (\"cat\", 2)])\n"
        "sorted(pets.reduceByKey(lambda x, y: x + y).collect())\n"
        "sorted(pets.groupByKey().mapValues(list).collect())\n"
        "pets.sortByKey().collect()\n";
    struct cmd_out c = shell(basic);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out,
        "[1, 4, 9]\n[4]\n[0, 0, 1, 0, 1, 2]\n[1, 2, 3]\n[1, 2]\n3\n6\n"
        "[('cat', 3), ('dog', 1)]\n[('cat', [1, 2]), ('dog', [1])]\n"
        "[('cat', 1), ('cat', 2), ('dog', 1)]\n");
    cmd_free(&c);

    /* the slide's `// {1, 4, 9}` is not a comment in Python */
    c = shell("nums = sc.parallelize([1, 2, 3])\n"
              "squares = nums.map(lambda x: x*x)    // {1, 4, 9}\n");
    cr_assert(strstr(c.err, "TypeError: unsupported operand type(s) for //:"
                     " 'PipelinedRDD' and 'set' (Python comments start with "
                     "#, not //)"), "%s", c.err);
    cmd_free(&c);
    c = shell("nums = sc.parallelize([1, 2, 3])\n"
              "nums.saveAsTextFile(\"hdfs://file.txt\")\n");
    cr_assert(strstr(c.err, "hdfs://file.txt: only local paths here"), "%s",
              c.err);
    cmd_free(&c);
}

Test(spark, lecture_wordcount_and_csv_in_the_shell, .timeout = 600)
{
    char *dir = make_tmpdir(), cmd[2000], hamlet[600];

    shared_data("hamlet.txt", hamlet, sizeof(hamlet));
    snprintf(cmd, sizeof(cmd), "cp %s %s/hamlet.txt && %s gen trade --rows "
             "50 -o %s/example.csv", hamlet, dir, pardemo_bin(), dir);
    struct cmd_out c = cmd_sh(cmd, 300);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    /* the slide's typo first, then the line as Python needs it */
    c = shell_in(dir,
        "lines = sc.textFile(\"hamlet.txt\")\n"
        "counts = lines.flatMap(lambda line: line.split(\" \")) \\\n"
        "                  .map(lambda word => (word, 1)) \\\n"
        "                  .reduceByKey(lambda x, y: x + y)\n"
        "counts = lines.flatMap(lambda line: line.split(\" \")) \\\n"
        "                  .map(lambda word: (word, 1)) \\\n"
        "                  .reduceByKey(lambda x, y: x + y)\n"
        "print(sorted(counts.collect()))\n"
        "csv_lines = sc.textFile(\"example.csv\")\n"
        "def csv_to_record(line):\n"
        "    parts = line.split(\",\")\n"
        "    record = {\n"
        "        \"name\": parts[0],\n"
        "        \"company\": parts[1],\n"
        "        \"title\": parts[2]\n"
        "    }\n"
        "    return record\n"
        "\n"
        "records = csv_lines.map(csv_to_record)\n"
        "records.first()\n");
    cr_assert(strstr(c.err, "did you mean 'lambda word: (word, 1)'?"), "%s",
              c.err);
    cr_assert(strstr(c.out, "{'name': 'Direction', 'company': 'Year', "
                     "'title': 'Date'}\n"), "%s", c.out);
    /* the counts equal python3's Counter over line.split(" ") */
    char *first_nl = strchr(c.out, '\n');
    cr_assert(first_nl);
    *first_nl = '\0';
    char out_path[700];
    snprintf(out_path, sizeof(out_path), "%s/counts.txt", dir);
    FILE *f = fopen(out_path, "w");
    fputs(c.out, f);
    fclose(f);
    cmd_free(&c);
    snprintf(cmd, sizeof(cmd), "cd %s && /usr/bin/python3 -c '\n"
             "import ast, collections\n"
             "lines = open(\"hamlet.txt\", encoding=\"utf-8\").read()"
             ".splitlines()\n"
             "want = sorted(collections.Counter(w for l in lines for w in "
             "l.split(\" \")).items())\n"
             "got = ast.literal_eval(open(\"counts.txt\").read())\n"
             "assert got == want, (len(got), len(want))\n'", dir);
    c = cmd_sh(cmd, 300);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* Runs src with `pardemo spark -t 2 -c`, and /usr/bin/python3 (the
 * Python pardemo embeds) with PYTHONHASHSEED=0 as PySpark sets it. */
static struct cmd_out spark_c(const char *src)
{
    const char *args[] = { "spark", "-t", "2", "-c", src, NULL };

    return cmd_run_env(args, NULL, NULL, 240);
}

static struct cmd_out python_c(const char *src)
{
    char *dir = make_tmpdir(), path[600], line[800];
    FILE *f;

    snprintf(path, sizeof(path), "%s/ref.py", dir);
    cr_assert((f = fopen(path, "w")));
    fputs(src, f);
    fclose(f);
    snprintf(line, sizeof(line), "PYTHONHASHSEED=0 /usr/bin/python3 '%s'",
             path);
    struct cmd_out c = cmd_sh(line, 120);
    rm_tree(dir);
    free(dir);
    return c;
}

/* What the home-made interpreter got wrong (issues 17 and 22) is
 * Python's answer now: the same output as python3 for each line. */
Test(spark, python_is_python, .timeout = 600)
{
    static const char prog[] =
        "import collections, functools, math, os, random\n"
        "def show(f):\n"
        "    try:\n"
        "        print(repr(f()))\n"
        "    except Exception as e:\n"
        "        print(type(e).__name__ + ':', e)\n"
        "show(lambda: '{4294967295}'.format(1))\n"
        "show(lambda: '{2147483648}'.format(1))\n"
        "show(lambda: int('9' * 20))\n"
        "show(lambda: int(1e30))\n"
        "show(lambda: abs(-2 ** 63))\n"
        "show(lambda: '%s' % (1, 2))\n"
        "show(lambda: math.factorial(29))\n"
        "def build(n):\n"
        "    s = ''\n"
        "    for i in range(n):\n"
        "        s += 'x'\n"
        "    return s\n"
        "print(len(build(100000)))\n"
        "d = {}\n"
        "for i in range(300000):\n"
        "    d['k%d' % i] = i\n"
        "print(len(d), d['k299999'])\n"
        "for i in range(100000):\n"
        "    globals()['v%d' % i] = i\n"
        "print(v99999)\n"
        "print('%-5s %5d %.2f%%' % ('the', 987, 3.12737642585551352))\n"
        "m = 2 / 3\n"
        "print('%.3f' % m, '{:.3f}'.format(m), '{:>6}'.format('w'), f'{m:.2f}')\n"
        "print(100.0, 4050.0, 2.5e10, round(2.675, 2), divmod(-7, 2))\n"
        "print(hash('pardemo'), hash((1, 'a')), 6 & 3, 6 | 3, 6 ^ 3, ~6, 1 << 70)\n"
        "class Point:\n"
        "    def __init__(self, x):\n"
        "        self.x = x\n"
        "def gen(n):\n"
        "    yield from range(n)\n"
        "print(Point(3).x, list(gen(3)), {k: v for k, v in [(1, 2)]},\n"
        "      {x % 3 for x in range(9)}, sum(x for x in range(5)),\n"
        "      [a + b for a, b in [(1, 2), (3, 4)]], type(1.0).__name__,\n"
        "      list(map(str, filter(None, [0, 1, 2]))), any([0]), all([]),\n"
        "      list(reversed('ab')), chr(97), ord('a'),\n"
        "      collections.Counter('abca').most_common(1),\n"
        "      functools.reduce(lambda a, b: a * b, range(1, 6)),\n"
        "      random.Random(1).random(), os.path.basename('/a/b'))\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError as e:\n"
        "    print('caught', e)\n";
    struct cmd_out c = spark_c(prog), py = python_c(prog);

    cr_assert_eq(py.status, 0, "%s", py.err);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, py.out);
    cmd_free(&c);
    cmd_free(&py);
}

struct not_a_pair {
    const char *src;        /* an action on records that are not pairs */
    const char *last;       /* PySpark's error: its worker's Python error */
};

/* Pair operations on records that are not pairs raise the errors PySpark
 * raises (its workers unpack and index records in Python). */
static const struct not_a_pair not_pairs[] = {
    { "sc.parallelize([3]).keys().collect()",
      "TypeError: 'int' object is not subscriptable (raised in a task on "
      "element 3)" },
    { "sc.parallelize([3]).values().collect()",
      "TypeError: 'int' object is not subscriptable (raised in a task on "
      "element 3)" },
    { "sc.parallelize([3]).mapValues(str).collect()",
      "TypeError: 'int' object is not subscriptable (raised in a task on "
      "element 3)" },
    { "sc.parallelize([3]).countByKey()",
      "TypeError: 'int' object is not subscriptable (raised in a task on "
      "element 3)" },
    { "sc.parallelize([3], 1).sortByKey().collect()",
      "TypeError: 'int' object is not subscriptable (raised in a task on "
      "element 3)" },
    { "sc.parallelize([3]).reduceByKey(max).collect()",
      "TypeError: cannot unpack non-iterable int object (raised in a task on "
      "element 3)" },
    { "sc.parallelize([(1, 2, 3)]).groupByKey().collect()",
      "ValueError: too many values to unpack (expected 2) (raised in a task "
      "on element (1, 2, 3))" },
    { "sc.parallelize([None]).join(sc.parallelize([(1, 2)])).collect()",
      "TypeError: 'NoneType' object is not subscriptable (raised in a task "
      "on element None)" },
    { "sc.parallelize([(1,)]).join(sc.parallelize([(1, 2)])).collect()",
      "IndexError: tuple index out of range (raised in a task on element "
      "(1,))" },
    { "sc.parallelize([([1], 2)]).reduceByKey(max).collect()",
      "TypeError: unhashable type: 'list' (raised in a task on element "
      "[1])" },
};

Test(spark, pair_operations_on_non_pairs_raise_pysparks_errors,
     .timeout = 600)
{
    for (size_t i = 0; i < sizeof(not_pairs) / sizeof(not_pairs[0]); i++) {
        char want[400];
        struct cmd_out c = spark_c(not_pairs[i].src);
        snprintf(want, sizeof(want), "%s\n", not_pairs[i].last);
        cr_expect_eq(c.status, 1, "%zu: exit %d", i, c.status);
        cr_expect_str_eq(final_line(c.err), want, "%zu: %s\n%s", i,
                         not_pairs[i].src, c.err);
        cr_expect(strstr(c.err, "Py4JJavaError"), "%zu: %s", i, c.err);
        cmd_free(&c);
    }
    /* a list and a 2-letter str unpack, as in Python */
    struct cmd_out c = spark_c("print(sorted(sc.parallelize([['x', 2], 'ab', "
                               "('x', 3)]).reduceByKey(max).collect()))");
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "[('a', 'b'), ('x', 3)]\n");
    cmd_free(&c);
}

/* Values that cannot be walked in C: a list holding itself crosses as
 * Python's pickle does, one nested 200,000 deep fails with Python's
 * RecursionError, a lineage too deep for the engine is refused: an error,
 * never a crash. */
Test(spark, deep_and_self_referencing_values_never_crash, .timeout = 600)
{
    struct cmd_out c = spark_c("a = []\na.append(a)\n"
                               "print(sc.parallelize([a, 1]).collect())");
    cr_expect_eq(c.status, 0, "%s", c.err);
    cr_expect_str_eq(c.out, "[[[...]], 1]\n");
    cmd_free(&c);
    c = spark_c("x = []\nfor i in range(200000):\n    x = [x]\n"
                "sc.parallelize([x]).count()");
    cr_expect_eq(c.status, 1, "exit %d: %s", c.status, c.err);
    cr_expect(strstr(final_line(c.err), "RecursionError: maximum recursion "
                     "depth exceeded"), "%s", c.err);
    cmd_free(&c);
    /* Python steps chained into one function, 50,000 deep */
    c = spark_c("r = sc.parallelize(['a'])\nfor i in range(50000):\n"
                "    r = r.map(lambda s: s + 'a')\nprint(r.collect())");
    cr_expect_eq(c.status, 1, "exit %d: %s", c.status, c.err);
    cr_expect(strstr(c.err, "RecursionError: maximum recursion depth "
                     "exceeded"), "%s", c.err);
    cmd_free(&c);
    c = spark_c("r = sc.parallelize([1])\nfor i in range(100000):\n"
                "    r = r.union(sc.parallelize([1]))\nprint(r.count())");
    cr_expect_eq(c.status, 1, "exit %d: %s", c.status, c.err);
    cr_expect(strstr(final_line(c.err), "RecursionError: "), "%s", c.err);
    cmd_free(&c);
}

/* A worker killed by a signal fails its job with a clear message; the
 * driver reaps every worker. */
Test(spark, a_worker_killed_by_a_signal_fails_the_job, .timeout = 600)
{
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    struct cmd_out c = spark_c(
        "import os, signal\n"
        "def f(x):\n"
        "    if x == 3:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return x\n"
        "sc.parallelize(range(8), 4).map(f).collect()");
    cr_expect_eq(c.status, 1, "exit %d: %s", c.status, c.err);
    cr_expect(strstr(c.err, "Lost task 1.0 in stage 0.0 (TID 1)"), "%s",
              c.err);
    cr_expect(strstr(c.err, "Python worker exited unexpectedly (crashed): "
                     "killed by signal 9"), "%s", c.err);
    cr_expect_eq(leftover_children(), 0);
    cmd_free(&c);
}

/* Ctrl-C during a job at the shell's prompt stops the job and its
 * workers; the shell says KeyboardInterrupt and goes on. The task sends
 * the driver the SIGINT a terminal would. */
Test(spark, ctrl_c_stops_a_job_and_the_shell_goes_on, .timeout = 600)
{
    const char *args[] = { "spark", "-t", "2", NULL };
    int status;

    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    char *out = pty_run(args,
        "import os, signal, time\n"
        "def f(x):\n"
        "    os.kill(os.getppid(), signal.SIGINT)\n"
        "    time.sleep(60)\n"
        "\n"
        "sc.parallelize(range(4), 2).map(f).collect()\n"
        "print('still', 'here')\n"
        "exit()\n", 60, &status);
    cr_expect_eq(status, 0, "exit %d:\n%s", status, out);
    cr_expect(strstr(out, "KeyboardInterrupt"), "%s", out);
    cr_expect(strstr(out, "still here"), "%s", out);
    cr_expect_eq(leftover_children(), 0);
    free(out);
}

/* The shell is CPython's: on a terminal, Up recalls the last line. */
Test(spark, shell_recalls_lines_with_the_arrow_keys, .timeout = 600)
{
    const char *args[] = { "spark", "-t", "1", NULL };
    int status;
    char *out = pty_run(args, "40 + 2\n\x1b[A\nexit()\n", 120, &status);
    const char *first = strstr(out, "42");

    cr_expect_eq(status, 0, "%s", out);
    cr_expect(first && strstr(first + 2, "42"), "%s", out);
    cr_expect(strstr(out, "SparkContext available as 'sc'"), "%s", out);
    free(out);
}

/* A standalone PySpark program runs unchanged: its imports, its own
 * SparkContext, sys.argv; cache() returns the RDD itself. */
Test(spark, standalone_program_imports_and_argv, .timeout = 600)
{
    char *dir = make_tmpdir(), path[600];
    static const char app[] =
        "import sys\n"
        "from pyspark import SparkContext, SparkConf, StorageLevel\n"
        "conf = SparkConf().setMaster('local[3]').setAppName('app')\n"
        "sc = SparkContext(conf=conf)\n"
        "rdd = sc.parallelize(sys.argv[1:])\n"
        "print(sc.master, sc.defaultParallelism, rdd.getNumPartitions())\n"
        "print(rdd.cache() is rdd, rdd.persist(StorageLevel.MEMORY_ONLY) is "
        "rdd, rdd.is_cached)\n"
        "print(rdd.map(str.upper).collect(), sys.argv[0].endswith('app.py'))\n"
        "sc.stop()\n";

    snprintf(path, sizeof(path), "%s/app.py", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(app, f);
    fclose(f);
    const char *args[] = { "spark", path, "a", "b", NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 300);
    cr_expect_eq(c.status, 0, "%s", c.err);
    cr_expect_str_eq(c.out, "local[3] 3 3\nTrue True True\n['A', 'B'] True\n");
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* textFile is lazy: a path that does not exist fails at the first
 * action (as in Spark), and it reads a directory (a saveAsTextFile
 * output), a glob and a comma list. */
Test(spark, text_file_is_lazy_and_reads_dirs_globs_and_lists,
     .timeout = 600)
{
    char *dir = make_tmpdir(), cmd[2000];
    struct cmd_out c;

    snprintf(cmd, sizeof(cmd), "cd %s && mkdir d && printf 'a b\\nc\\n' > "
             "d/1.txt && printf 'd\\n' > d/2.txt && printf 'x\\n' > "
             "d/.hidden && printf 'e\\n' > other.log && %s spark -t 2 -c '"
             "r = sc.textFile(\"missing.txt\")\n"
             "print(\"lazy\")\n"
             "sc.parallelize(range(3)).saveAsTextFile(\"out\")\n"
             "print(sorted(sc.textFile(\"out\").collect()))\n"
             "print(sorted(sc.textFile(\"d/*.txt\").collect()))\n"
             "print(sorted(sc.textFile(\"d,other.log\").collect()))\n"
             "print(sc.textFile(\"d\").getNumPartitions())\n"
             "r.count()'", dir, pardemo_bin());
    c = cmd_sh(cmd, 300);
    cr_expect_eq(c.status, 1, "%s", c.err);
    /* d's files of 6 and 2 bytes, 2 partitions asked: Hadoop's splits of
     * 4 bytes cut the first file in two */
    cr_expect_str_eq(c.out, "lazy\n['0', '1', '2']\n['a b', 'c', 'd']\n"
                     "['a b', 'c', 'd', 'e']\n3\n");
    cr_expect(strstr(final_line(c.err), "InvalidInputException: Input path "
                     "does not exist: file:/"), "%s", c.err);
    cr_expect(strstr(final_line(c.err), "/missing.txt\n"), "%s", c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* --explain: each job's stages, their tasks, the worker processes that
 * ran them and the bytes they sent back; What to notice says why
 * processes, and with -t 1 that nothing ran in parallel (lib/lesson). */
Test(spark, explain_shows_workers_processes_and_bytes, .timeout = 600)
{
    const char *args[] = { "spark", "-t", "2", "--explain", "-c",
        "from operator import add\n"
        "print(sc.parallelize(['a', 'b', 'a'], 2).map(lambda w: (w, 1))"
        ".reduceByKey(add).collect())", NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 300);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_expect_str_eq(c.out, "[('b', 1), ('a', 2)]\n");
    cr_expect(strstr(c.err, "job 0:\n  stage 0: "), "%s", c.err);
    cr_expect(strstr(c.err, "2 tasks in 2 worker processes"), "%s", c.err);
    cr_expect(strstr(c.err, "back to the driver"), "%s", c.err);
    cr_expect(strstr(c.err, "  What to notice\n  - Python ran in 4 worker "
                     "processes forked"), "%s", c.err);
    cr_expect(strstr(c.err, "(its GIL)"), "%s", c.err);
    cr_expect(!strstr(c.err, "nothing here ran in parallel"), "%s", c.err);
    cmd_free(&c);
    args[2] = "1";              /* one worker: said not to be parallel */
    c = cmd_run_env(args, NULL, NULL, 300);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_expect(strstr(c.err, "2 tasks in 1 worker process:"), "%s", c.err);
    cr_expect(strstr(c.err, "nothing here ran in parallel"), "%s", c.err);
    cmd_free(&c);
}

/* Counts the occurrences of s in text. */
static int count_of(const char *text, const char *s)
{
    int n = 0;

    for (const char *p = text; (p = strstr(p, s)); p += strlen(s))
        n++;
    return n;
}

/* --explain over three jobs: why the workers are processes (the GIL) is
 * said once, at the first; the later jobs count theirs. A script deep
 * in directories names its stages by its file, and every line fits 80
 * columns (a projector's). */
Test(spark, explain_says_why_once_and_fits_80_columns, .timeout = 600)
{
    char *dir = make_tmpdir(), path[900], cmd[1200];
    static const char deep[] = "a_rather_long_directory/for_the_students"
        "/worksheets_of_week_three_on_spark";
    static const char app[] =
        "r = sc.parallelize(range(10), 2).map(lambda x: (x % 2, x))"
        ".reduceByKey(lambda a, b: a + b)\n"
        "print(r.collect())\nprint(r.count())\n"
        "print(sc.parallelize([1, 2], 2).count())\n";

    snprintf(path, sizeof(path), "%s/%s", dir, deep);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
    cr_assert_eq(system(cmd), 0);
    strcat(path, "/a_word_count_exercise_with_a_long_name.py");
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(app, f);
    fclose(f);
    const char *args[] = { "spark", "-t", "2", "--explain", path, NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 300);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_expect_str_eq(c.out, "[(0, 20), (1, 25)]\n2\n2\n");
    cr_expect_eq(count_of(c.err, "(its GIL)"), 1, "%s", c.err);
    cr_expect_eq(count_of(c.err, "inherits the driver"), 1, "%s",
                 c.err);
    cr_expect_eq(count_of(c.err, "forked from the driver for this job."), 2,
                 "%s", c.err);
    cr_expect(strstr(c.err, "map at a_word_count_exercise_with_a_long_name"
                     ".py:1"), "%s", c.err);
    for (const char *l = c.err; *l;) {   /* ASCII: bytes are columns */
        size_t len = strcspn(l, "\n");
        cr_expect(len <= 80, "a line is %zu columns:\n%s", len, c.err);
        l += len + (l[len] == '\n');
    }
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* The Python is Debian's libpython (python3-dev), not another one on
 * PATH: pardemo links it, and reports its version. */
Test(spark, links_debians_libpython, .timeout = 600)
{
    char cmd[800];
    snprintf(cmd, sizeof(cmd), "ldd '%s' | grep -o '=> /[^ ]*libpython[^ ]*'",
             pardemo_bin());
    struct cmd_out c = cmd_sh(cmd, 30);
    cr_expect_eq(c.status, 0, "%s", c.err);
    cr_expect(!strncmp(c.out, "=> /lib/", 8) || !strncmp(c.out, "=> /usr/lib/",
                                                          12), "%s", c.out);
    cmd_free(&c);
    c = spark_c("import sys; print(sys.version_info[:2])");
    struct cmd_out py = python_c("import sys; print(sys.version_info[:2])");
    cr_expect_str_eq(c.out, py.out);
    cmd_free(&c);
    cmd_free(&py);
}
