/* test_spark.c - pardemo spark runs PySpark code as written: Spark's own
 * RDD doctests print what their docstrings say, the lecture's snippets
 * print what Spark prints, and bad programs fail the way Python does
 * (first line of the error), without ending the shell. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Runs src through the shell's stdin (each expression's repr echoed, as
 * at the >>> prompt) with 2 threads. */
static struct cmd_out shell(const char *src)
{
    const char *args[] = { "spark", "-t", "2", NULL };

    return cmd_run_env(args, src, NULL, 120);
}

/* The last line of a run's stderr (where Python puts the error). */
static const char *final_line(const char *err)
{
    const char *last = err;

    for (const char *nl; (nl = strchr(last, '\n')) && nl[1];)
        last = nl + 1;
    return last;
}

struct doctest {
    const char *src;        /* setup lines, then one expression */
    const char *expect;     /* what Spark's docstring shows */
};

/* From pyspark/rdd.py's docstrings (generators rewritten as lists). */
static const struct doctest doctests[] = {
    { "rdd = sc.parallelize([\"b\", \"a\", \"c\"])\n"
      "sorted(rdd.map(lambda x: (x, 1)).collect())",
      "[('a', 1), ('b', 1), ('c', 1)]" },
    { "rdd = sc.parallelize([2, 3, 4])\n"
      "sorted(rdd.flatMap(lambda x: range(1, x)).collect())",
      "[1, 1, 1, 2, 2, 3]" },
    { "rdd = sc.parallelize([2, 3, 4])\n"
      "sorted(rdd.flatMap(lambda x: [(x, x), (x, x)]).collect())",
      "[(2, 2), (2, 2), (3, 3), (3, 3), (4, 4), (4, 4)]" },
    { "rdd = sc.parallelize([1, 2, 3, 4], 2)\n"
      "def f(iterator):\n    return [sum(iterator)]\n\n"
      "rdd.mapPartitions(f).collect()", "[3, 7]" },
    { "rdd = sc.parallelize([1, 2, 3, 4, 5])\n"
      "rdd.filter(lambda x: x % 2 == 0).collect()", "[2, 4]" },
    { "sorted(sc.parallelize([1, 1, 2, 3]).distinct().collect())",
      "[1, 2, 3]" },
    { "rdd = sc.parallelize([1, 1, 2, 3])\nrdd.union(rdd).collect()",
      "[1, 1, 2, 3, 1, 1, 2, 3]" },
    { "tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]\n"
      "sc.parallelize(tmp).sortByKey().first()", "('1', 3)" },
    { "tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]\n"
      "sc.parallelize(tmp).sortByKey(True, 1).collect()",
      "[('1', 3), ('2', 5), ('a', 1), ('b', 2), ('d', 4)]" },
    { "tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]\n"
      "sc.parallelize(tmp).sortByKey(True, 2).collect()",
      "[('1', 3), ('2', 5), ('a', 1), ('b', 2), ('d', 4)]" },
    { "tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]\n"
      "sc.parallelize(tmp).sortBy(lambda x: x[0]).collect()",
      "[('1', 3), ('2', 5), ('a', 1), ('b', 2), ('d', 4)]" },
    { "tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]\n"
      "sc.parallelize(tmp).sortBy(lambda x: x[1]).collect()",
      "[('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]" },
    { "rdd = sc.parallelize([1, 2, 3, 4], 2)\nsorted(rdd.glom().collect())",
      "[[1, 2], [3, 4]]" },
    { "from operator import add\nsc.parallelize([1, 2, 3, 4, 5]).reduce(add)",
      "15" },
    { "from operator import add\n"
      "sc.parallelize([2 for _ in range(10)]).map(lambda x: 1).cache()"
      ".reduce(add)", "10" },
    { "from operator import add\n"
      "sc.parallelize([1, 2, 3, 4, 5]).fold(0, add)", "15" },
    { "sc.parallelize([1.0, 2.0, 3.0]).sum()", "6.0" },
    { "sc.parallelize([2, 3, 4]).count()", "3" },
    { "sorted(sc.parallelize([1, 2, 1, 2, 2], 2).countByValue().items())",
      "[(1, 2), (2, 3)]" },
    { "sc.parallelize([10, 4, 2, 12, 3]).top(1)", "[12]" },
    { "sc.parallelize([2, 3, 4, 5, 6], 2).top(2)", "[6, 5]" },
    { "sc.parallelize([10, 4, 2, 12, 3]).top(3, key=str)", "[4, 3, 2]" },
    { "sc.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7]).takeOrdered(6)",
      "[1, 2, 3, 4, 5, 6]" },
    { "sc.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7], 2)"
      ".takeOrdered(6, key=lambda x: -x)", "[10, 9, 7, 6, 5, 4]" },
    { "sc.parallelize([2, 3, 4, 5, 6]).cache().take(2)", "[2, 3]" },
    { "sc.parallelize([2, 3, 4, 5, 6]).take(10)", "[2, 3, 4, 5, 6]" },
    { "sc.parallelize(range(100), 100).filter(lambda x: x > 90).take(3)",
      "[91, 92, 93]" },
    { "sc.parallelize([2, 3, 4]).first()", "2" },
    { "from operator import add\n"
      "rdd = sc.parallelize([(\"a\", 1), (\"b\", 1), (\"a\", 1)])\n"
      "sorted(rdd.reduceByKey(add).collect())", "[('a', 2), ('b', 1)]" },
    { "rdd = sc.parallelize([(\"a\", 1), (\"b\", 1), (\"a\", 1)])\n"
      "sorted(rdd.countByKey().items())", "[('a', 2), ('b', 1)]" },
    { "rdd = sc.parallelize([(\"a\", 1), (\"b\", 1), (\"a\", 1)])\n"
      "sorted(rdd.groupByKey().mapValues(len).collect())",
      "[('a', 2), ('b', 1)]" },
    { "rdd = sc.parallelize([(\"a\", 1), (\"b\", 1), (\"a\", 1)])\n"
      "sorted(rdd.groupByKey().mapValues(list).collect())",
      "[('a', [1, 1]), ('b', [1])]" },
    { "x = sc.parallelize([(\"a\", 1), (\"b\", 4)])\n"
      "y = sc.parallelize([(\"a\", 2), (\"a\", 3)])\n"
      "sorted(x.join(y).collect())", "[('a', (1, 2)), ('a', (1, 3))]" },
    { "x = sc.parallelize([(\"a\", [\"apple\", \"banana\", \"lemon\"]), "
      "(\"b\", [\"grapes\"])])\ndef f(x): return len(x)\n\n"
      "x.mapValues(f).collect()", "[('a', 3), ('b', 1)]" },
    { "m = sc.parallelize([(1, 2), (3, 4)]).keys()\nm.collect()", "[1, 3]" },
    { "m = sc.parallelize([(1, 2), (3, 4)]).values()\nm.collect()",
      "[2, 4]" },
    { "sc.parallelize([1, 2, 3]).map(lambda x: x > 1).collect()",
      "[False, True, True]" },
};

Test(spark, rdd_doctests_print_what_spark_documents, .timeout = 300)
{
    for (size_t i = 0; i < sizeof(doctests) / sizeof(doctests[0]); i++) {
        char src[2048], want[1024];
        snprintf(src, sizeof(src), "%s\n", doctests[i].src);
        snprintf(want, sizeof(want), "%s\n", doctests[i].expect);
        struct cmd_out c = shell(src);
        cr_expect_eq(c.status, 0, "doctest %zu: exit %d: %s", i, c.status,
                     c.err);
        cr_expect_str_eq(c.out, want, "doctest %zu:\n%s\nstderr: %s", i,
                         doctests[i].src, c.err);
        cmd_free(&c);
    }
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
    { "import numpy", "ImportError: No module named 'numpy' (this Python "
      "subset has sys, operator, functools and pyspark)" },
    { "x = (1, 2", "SyntaxError: unexpected EOF while parsing" },
    { "def f(:", "SyntaxError: invalid syntax" },
    { "  x = 1", "IndentationError: unexpected indent" },
    { "'abc'.startsWith('a')", "AttributeError: 'str' object has no "
      "attribute 'startsWith'. Did you mean: 'startswith'?" },
    { "sc.parallelize([1, 'a']).map(lambda x: x + 1).collect()",
      "TypeError: can only concatenate str (not \"int\") to str (raised in "
      "a task on element 'a')" },
    { "nums = sc.parallelize([1, 2, 3])\n"
      "squares = nums.map(lambda x: x*x)    // {1, 4, 9}",
      "TypeError: unsupported operand type(s) for //: 'RDD' and 'set' "
      "(Python comments start with #, not //)" },
    { "sc.parallelize([]).first()", "ValueError: RDD is empty" },
    { "len(5)", "TypeError: object of type 'int' has no len()" },
    { "def f(x):\n    return f(x)\n\nf(1)",
      "RecursionError: maximum recursion depth exceeded" },
};

/* The error's last line is Python's, and the shell goes on after it. */
Test(spark, errors_look_like_python_and_the_shell_survives, .timeout = 120)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char src[2048], want[600];
        snprintf(src, sizeof(src), "%s\n\nprint('still here')\n", bad[i].src);
        snprintf(want, sizeof(want), "%s\n", bad[i].last_line);
        struct cmd_out c = shell(src);
        cr_expect_str_eq(final_line(c.err), want, "program %zu:\n%s\n"
                         "stderr: %s", i, bad[i].src, c.err);
        cr_expect(strstr(c.out, "still here\n"), "program %zu: the shell "
                  "stopped: %s", i, c.out);
        cmd_free(&c);
    }
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
Test(spark, a_failed_task_names_its_partition_as_spark_does, .timeout = 120)
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

Test(spark, c_and_file_exit_1_on_error_0_on_success, .timeout = 60)
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
Test(spark, lecture_standalone_wordcount_app, .timeout = 120)
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
    snprintf(cmd, sizeof(cmd), "python3 -c '\n"
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
Test(spark, lecture_snippets_as_written, .timeout = 120)
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
                     " 'RDD' and 'set' (Python comments start with #, not "
                     "//)"), "%s", c.err);
    cmd_free(&c);
    c = shell("nums = sc.parallelize([1, 2, 3])\n"
              "nums.saveAsTextFile(\"hdfs://file.txt\")\n");
    cr_assert(strstr(c.err, "hdfs://file.txt: only local paths here"), "%s",
              c.err);
    cmd_free(&c);
}

Test(spark, lecture_wordcount_and_csv_in_the_shell, .timeout = 120)
{
    char *dir = make_tmpdir(), cmd[2000], hamlet[600];

    shared_data("hamlet.txt", hamlet, sizeof(hamlet));
    snprintf(cmd, sizeof(cmd), "cp %s %s/hamlet.txt && %s gen trade --rows "
             "50 -o %s/example.csv", hamlet, dir, pardemo_bin(), dir);
    struct cmd_out c = cmd_sh(cmd, 60);
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
    snprintf(cmd, sizeof(cmd), "cd %s && python3 -c '\n"
             "import ast, collections\n"
             "lines = open(\"hamlet.txt\", encoding=\"utf-8\").read()"
             ".splitlines()\n"
             "want = sorted(collections.Counter(w for l in lines for w in "
             "l.split(\" \")).items())\n"
             "got = ast.literal_eval(open(\"counts.txt\").read())\n"
             "assert got == want, (len(got), len(want))\n'", dir);
    c = cmd_sh(cmd, 60);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}
