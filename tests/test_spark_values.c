/* test_spark_values.c - values cross between the engine (C) and Python
 * unchanged, and the functions the engine runs in C (+, lambda w: (w, 1),
 * str.split, len) give exactly what Python gives: each program prints
 * what python3 prints for the same computation, in tasks and on the
 * driver, with the C versions and without them; errors are Python's,
 * raised when the code runs, with the record they were raised on. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

struct same_as_python {
    const char *defs;       /* Python lines defining f (and what it needs) */
    const char *data;       /* a list literal: f's arguments */
};

static const struct same_as_python programs[] = {
    /* what the engine holds (None, bool, int, float, str, tuple, list,
     * dict) and what crosses pickled (big ints, sets, bytes, objects) */
    { "f = lambda x: x", "[None, True, -2 ** 63, 2 ** 63, 2 ** 100, 1.5, "
      "float('inf'), 'é\\udcff', (1, [2, {3: 4}]), {1, 2}, frozenset([3]), "
      "b'by', complex(1, 2), range(3)]" },
    { "class P:\n    def __init__(self, x):\n        self.x = x\n"
      "    def __repr__(self):\n        return 'P(%r)' % self.x\n"
      "f = lambda x: P(x)", "[1, 'a']" },
    /* the engine's own C versions, and the values they give way on */
    { "f = lambda w: (w, 1)", "['a', 1, None, (1,), 2 ** 70, {1}]" },
    { "f = len", "['abc', 'é', '\\udcff', [1, 2], (1,), {'a': 1}, '', "
      "{1, 2}]" },
    { "f = lambda s: s.split()",
      "['a\\u00a0b\\U00002003c\\x1cd e', ' x\\t\\u3000', '', "
      "'\\xe9 \\xe9', b'a b']" },
    { "f = lambda s: s.split(' ')", "[' a  b ', '', 'x', 'a\\u3000b']" },
    { "f = lambda s: s.split('ab')", "['xabyab', 'ab', '', 'a']" },
    { "f = str.split", "['a b', ' c ']" },
    /* ints, bools (True is 1), floats: the fast paths and their exits */
    { "f = lambda x: x * x", "[1, -2, 3.5, True, 3037000499]" },
    { "f = lambda x: x + 1", "[1, True, False, 2.5, -1]" },
    { "f = lambda x: x - 7", "[1, True, 0.5]" },
    { "f = lambda x: x % 3", "[-7, 7, 0, -1, 7.5, True, -9223372036854775807]" },
    { "f = lambda x: x % -3", "[-7, 7, 0, 2.5]" },
    { "f = lambda x: x // 2", "[-7, 7, -1, 2.5, True]" },
    { "f = lambda x: x // -2", "[-7, 7, -1, 0]" },
    { "f = lambda x: x / 2", "[1, -3, 4, True]" },
    { "f = lambda x: x ** 2", "[3, -2, 0.5]" },
    { "f = lambda x: x % 3 == 0", "[3, 4, 6.0, True, 0]" },
    { "f = lambda x: x == 1", "[1, 1.0, True, '1', None]" },
    { "f = lambda x: x != 2", "[2, 2.0, 3, 'a']" },
    { "f = lambda x: x < 2", "[1, 2, 2.5, True, -5]" },
    { "f = lambda x: x >= 2", "[1, 2, 2.5, False]" },
    { "f = lambda x: 1 < x < 3", "[0, 1, 2, 3, 2.5]" },
    { "f = lambda x: (x > 1) + (x > 2)", "[0, 2, 3]" },
    { "f = lambda x: (x * 3 + 1) % 7 - (x // 2 > 3) * 5",
      "[-5, -1, 0, 6, 7, 8, 11, 3074457345618258602, 2.5]" },
    { "f = lambda a: a * a * a * a", "[3, -7, 55108, True]" },
    { "f = lambda x: -x", "[3, -2.5, True, 0]" },
    { "f = lambda x: +x", "[3, True, -1.5]" },
    { "f = lambda x: not x", "[0, 1, '', 'a', [], None]" },
    { "f = lambda x: x and 'yes' or 'no'", "[0, 1, '', 'a']" },
    { "f = lambda x: x if x > 0 else -x", "[-3, 4, 0, -2.5]" },
    { "f = lambda x: x * 1.5 + 1", "[1, 2, True]" },
    { "def f(x, y=10):\n    return x * y", "[1, 'ab', 2.5]" },
    /* sequences, strings, methods, builtins */
    { "f = lambda x: (x, x * 2)", "['ab', 3, (1,)]" },
    { "f = lambda x: [x, x + x]", "['ab', 3]" },
    { "f = lambda x: x[0] + x[-1]", "['abc', (1, 2), [3, 4]]" },
    { "f = lambda s: s.split(',')[1].upper()", "['a,b', 'c,dd,e']" },
    { "f = lambda s: len(s) * 2", "['abc', [1], (1, 2)]" },
    { "f = lambda x: '%d items' % x", "[1, 20]" },
    { "f = lambda kv: (kv[0], kv[1] * 2)", "[('a', 1), ('b', 2.5)]" },
    { "f = lambda x: str(x) + '!'", "[1, 2.5, 'a', None]" },
    /* whitespace is Python's: Unicode spaces, \x1c-\x1f, maxsplit's rest */
    { "f = lambda s: s.split()",
      "['a\\u00a0b\\U00002003c\\x1cd e', ' x\\t\\u3000', '', '\\xe9 \\xe9']" },
    { "f = lambda s: s.split(None, 1)",
      "['a b  c ', ' x ', '', 'a\\u2028b ']" },
    { "f = lambda s: s.split(maxsplit=0)", "[' x ', '', '\\u205f y']" },
    { "f = lambda s: s.strip()", "['\\u3000a b\\u00a0 ', '\\x1cq\\x1f', '']" },
    { "f = lambda s: s.lstrip()", "[' \\u2028a ', '\\u1680\\x85b']" },
    { "f = lambda s: s.rstrip()", "[' a\\u2029\\u202f', 'b\\x0b\\x0c']" },
    /* names: globals are read at call time; closures; builtins shadowed */
    { "n = 10\nf = lambda x: x + n\nn = 20", "[1, 2]" },
    { "def make(k):\n    return lambda x: x * k\nf = make(3)", "[1, 'a']" },
    { "def make(k):\n    def g(x):\n        return x + k\n    return g\n"
      "f = make(5)", "[1, 2]" },
    { "len = lambda x: 42\nf = lambda s: len(s)", "['abc']" },
    /* def bodies: locals, if, for, while, break, continue, return */
    { "def f(x):\n    t = 0\n    for i in range(x):\n        t += i\n"
      "    return t", "[0, 1, 5, 10]" },
    { "def f(x):\n    out = []\n    i = 0\n    while True:\n        i += 1\n"
      "        if i > x:\n            break\n        if i % 2 == 0:\n"
      "            continue\n        out.append(i)\n    return out",
      "[0, 1, 6]" },
    { "def f(x):\n    if x < 0:\n        return 'neg'\n    elif x == 0:\n"
      "        return 'zero'\n    a, b = x, x * 2\n    return a + b",
      "[-1, 0, 3]" },
    { "def f(x):\n    pass", "[1]" },
    { "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nf = fact",
      "[0, 1, 5, 20]" },
    { "def f(x):\n    d = {}\n    for w in x.split():\n"
      "        d[w] = d.get(w, 0) + 1\n    return sorted(d.items())",
      "['a b a', '']" },
};

/* python3's output for src (its stdout); asserts it ran. */
static char *python_says(const char *src)
{
    struct cmd_out c = python_run(src);

    cr_assert_eq(c.status, 0, "python3 failed on:\n%s\n%s", src, c.err);
    char *out = strdup(c.out);
    cmd_free(&c);
    return out;
}

/* All the programs in one run of each (one pardemo, one python3): each
 * defines its f afresh and prints its results, in tasks (2 partitions)
 * and on the driver. */
Test(spark_values, functions_give_what_python_gives, .timeout = 600)
{
    size_t n = sizeof(programs) / sizeof(programs[0]), cap = 65536;
    char *src = calloc(1, cap), *ref = calloc(1, cap), one[2048];

    cr_assert(src && ref);
    for (size_t i = 0; i < n; i++) {
        const struct same_as_python *p = &programs[i];
        snprintf(one, sizeof(one), "print('-- %zu')\n%s\n\n"
                 "print(sc.parallelize(%s, 2).map(f).collect())\n"
                 "print([f(x) for x in %s])\n", i, p->defs, p->data,
                 p->data);
        cr_assert(strlen(src) + strlen(one) < cap);
        strcat(src, one);
        snprintf(one, sizeof(one), "print('-- %zu')\n%s\n\n"
                 "print([f(x) for x in %s])\nprint([f(x) for x in %s])\n",
                 i, p->defs, p->data, p->data);
        cr_assert(strlen(ref) + strlen(one) < cap);
        strcat(ref, one);
    }
    char *want = python_says(ref);
    const char *args[] = { "spark", "-t", "2", "-c", src, NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 600);
    cr_expect_eq(c.status, 0, "%s", c.err);
    cr_expect_str_eq(c.out, want);
    cmd_free(&c);
    free(want);
    free(src);
    free(ref);
}

/* filter and reduce take the same fast paths as map. */
Test(spark_values, filter_and_reduce_agree_with_python, .timeout = 600)
{
    static const char src[] =
        "r = sc.parallelize(range(-50, 50), 3)\n"
        "print(r.filter(lambda x: x % 7 == 3).collect())\n"
        "print(r.filter(lambda x: x).count())\n"
        "print(r.filter(lambda x: x * 2.5 > 10).count())\n"
        "print(r.reduce(lambda a, b: a * 3 % 1000 + b))\n"
        "print(r.map(lambda x: x // 3).reduce(lambda a, b: a - b))\n"
        "print(r.map(lambda x: x < 0).reduce(lambda a, b: a + b))\n"
        "print(r.sum(), r.map(lambda x: x * 0.5).sum(), r.map(lambda x: "
        "x > 0).sum())\n";
    static const char ref[] =
        "import functools\n"
        "r = list(range(-50, 50))\n"
        "print([x for x in r if x % 7 == 3])\n"
        "print(len([x for x in r if x]))\n"
        "print(len([x for x in r if x * 2.5 > 10]))\n"
        "print(functools.reduce(lambda a, b: a * 3 % 1000 + b, r))\n"
        "print(functools.reduce(lambda a, b: a - b, [x // 3 for x in r]))\n"
        "print(functools.reduce(lambda a, b: a + b, [x < 0 for x in r]))\n"
        "print(sum(r), sum(x * 0.5 for x in r), sum(x > 0 for x in r))\n";
    char *want = python_says(ref);
    /* one partition: reduce's order is python's (3 would fold partials) */
    char one[sizeof(src) + 16];
    snprintf(one, sizeof(one), "%s", src);
    memcpy(strstr(one, "50), 3)") + 5, "1", 1);
    const char *args[] = { "spark", "-t", "2", "-c", one, NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 300);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, want);
    cmd_free(&c);
    free(want);
}

/* The C versions in a pipeline of tasks (3 partitions, 2 workers): the
 * same records in the same order as Python's own functions. */
Test(spark_values, c_versions_agree_with_python, .timeout = 600)
{
    static const char src[] =
        "from operator import add\n"
        "lines = ['to be  or not\\tto be', '', ' \\u3000x\\u00a0y ', "
        "'a,b,,c', 'é é', 'x y']\n"
        "r = sc.parallelize(lines, 3)\n"
        "print(r.flatMap(lambda l: l.split()).collect())\n"
        "print(r.flatMap(str.split).map(lambda w: (w, 1)).collect())\n"
        "print(r.flatMap(lambda l: l.split(' ')).collect())\n"
        "print(r.flatMap(lambda l: l.split(',')).map(len).collect())\n"
        "print(sorted(r.flatMap(lambda l: l.split()).map(lambda w: (w, 1))"
        ".reduceByKey(add).collect()))\n"
        "print(sorted(r.flatMap(lambda l: l.split()).map(lambda w: (w, 1))"
        ".reduceByKey(lambda a, b: a + b).collect()))\n"
        "n = sc.parallelize([1, 2.5, True, 2 ** 62, 2 ** 62, -3], 3)\n"
        "print(n.sum(), n.reduce(add), n.fold(0, lambda a, b: a + b))\n"
        "s = sc.parallelize(['a', 'bc', 'd'], 2)\n"
        "print(s.reduce(add), s.fold('', add), sc.parallelize([(1,), (2, 3)],"
        " 2).reduce(add))\n";
    static const char ref[] =
        "import functools\n"
        "from collections import Counter\n"
        "from operator import add\n"
        "lines = ['to be  or not\\tto be', '', ' \\u3000x\\u00a0y ', "
        "'a,b,,c', 'é é', 'x y']\n"
        "ws = [w for l in lines for w in l.split()]\n"
        "print(ws)\n"
        "print([(w, 1) for w in ws])\n"
        "print([w for l in lines for w in l.split(' ')])\n"
        "print([len(w) for l in lines for w in l.split(',')])\n"
        "print(sorted(Counter(ws).items()))\n"
        "print(sorted(Counter(ws).items()))\n"
        "n = [1, 2.5, True, 2 ** 62, 2 ** 62, -3]\n"
        "print(0 + (0 + 1 + 2.5) + (0 + True + 2 ** 62) + (0 + 2 ** 62 - 3),"
        " (1 + 2.5) + (True + 2 ** 62) + (2 ** 62 - 3),"
        " 0 + (0 + 1 + 2.5) + (0 + True + 2 ** 62) + (0 + 2 ** 62 - 3))\n"
        "print('abcd', 'abcd', (1, 2, 3))\n";
    char *want = python_says(ref);

    for (int fast = 1; fast >= 0; fast--) {
        const char *args[] = { "spark", "-t", "2", "-c", src, NULL };
        const char *env[] = { fast ? "PARDEMO_X=1" : "PARDEMO_SPARK_NO_FAST=1",
                              NULL };
        struct cmd_out c = cmd_run_env(args, NULL, env, 300);
        cr_expect_eq(c.status, 0, "%s", c.err);
        cr_expect_str_eq(c.out, want, "with%s the C versions",
                         fast ? "" : "out");
        cmd_free(&c);
    }
    free(want);
}

struct raises {
    const char *src;
    const char *last;       /* the last line of stderr */
};

/* Errors are raised when the code runs, with Python's words; where our
 * ints are 64-bit and Python's are not, an OverflowError, never a wrong
 * number or a crash. */
static const struct raises raised[] = {
    { "f = lambda x: x + undefined_name\nundefined_name = 1\nprint(f(1))\n"
      "g = lambda x: x + not_yet\ng(1)",
      "NameError: name 'not_yet' is not defined" },
    { "def f(x):\n    if x > 0:\n        y = 1\n    return y\n\nf(-1)",
      "UnboundLocalError: cannot access local variable 'y' where it is not "
      "associated with a value" },
    { "print((lambda x: x % -1)(-9223372036854775807 - 1))\n1 % 0",
      "ZeroDivisionError: integer modulo by zero" },
    { "sc.parallelize([3, 0], 1).map(lambda x: 6 // x).collect()",
      "ZeroDivisionError: integer division or modulo by zero (raised in a "
      "task on element 0)" },
    { "sc.parallelize([3, 0], 1).filter(lambda x: 6 % x == 0).count()",
      "ZeroDivisionError: integer modulo by zero (raised in a task on "
      "element 0)" },
    { "sc.parallelize([0.0], 1).map(lambda x: 1 // x).collect()",
      "ZeroDivisionError: float floor division by zero (raised in a task on "
      "element 0.0)" },
    { "sc.parallelize([1], 1).map(lambda x: x < 'a').collect()",
      "TypeError: '<' not supported between instances of 'int' and 'str' "
      "(raised in a task on element 1)" },
    { "sc.parallelize([1], 1).map(lambda x: x.upper()).collect()",
      "AttributeError: 'int' object has no attribute 'upper' (raised in a "
      "task on element 1)" },
    { "sc.parallelize([1], 1).map(lambda x, y: x).collect()",
      "TypeError: <lambda>() missing 1 required positional argument: 'y' "
      "(raised in a task on element 1)" },
    { "sc.parallelize([1, 2], 1).reduce(lambda a: a)",
      "TypeError: <lambda>() takes 1 positional argument but 2 were given "
      "(raised in a task on element 2)" },
    /* reduce(lambda a, b: a + b), add and sum run in C, yet fail as
     * Python's + fails */
    { "sc.parallelize([1, 'a'], 1).reduce(lambda a, b: a + b)",
      "TypeError: unsupported operand type(s) for +: 'int' and 'str' "
      "(raised in a task on element (1, 'a'))" },
    { "sc.parallelize([('k', 1), ('k', 'a')], 1)"
      ".reduceByKey(lambda a, b: a + b).collect()",
      "TypeError: unsupported operand type(s) for +: 'int' and 'str' "
      "(raised in a task on element (1, 'a'))" },
    { "sc.parallelize([None, 1], 2).sum()",
      "TypeError: unsupported operand type(s) for +: 'int' and 'NoneType' "
      "(raised in a task on element (0, None))" },
    { "sc.parallelize([1], 1).flatMap(lambda s: s.split()).collect()",
      "AttributeError: 'int' object has no attribute 'split' (raised in a "
      "task on element 1)" },
    { "sc.parallelize(['a'], 1).flatMap(lambda s: s.split('')).collect()",
      "ValueError: empty separator (raised in a task on element 'a')" },
    { "sc.parallelize([1], 1).map(len).collect()",
      "TypeError: object of type 'int' has no len() (raised in a task on "
      "element 1)" },
    { "def f(x):\n    return f(x)\n\nsc.parallelize([1], 1).map(f).collect()",
      "RecursionError: maximum recursion depth exceeded (raised in a task "
      "on element 1)" },
};

Test(spark_values, errors_are_raised_at_call_time_as_python_does,
     .timeout = 600)
{
    for (size_t i = 0; i < sizeof(raised) / sizeof(raised[0]); i++) {
        char src[1024], want[400];
        snprintf(src, sizeof(src), "%s\n\nprint('still here')\n",
                 raised[i].src);
        const char *args[] = { "spark", "-t", "2", NULL };
        struct cmd_out c = cmd_run_env(args, src, NULL, 60);
        const char *last = c.err;
        for (const char *nl; (nl = strchr(last, '\n')) && nl[1];)
            last = nl + 1;
        snprintf(want, sizeof(want), "%s\n", raised[i].last);
        cr_expect_str_eq(last, want, "%zu:\n%s\nstderr: %s", i, src, c.err);
        cr_expect(strstr(c.out, "still here\n"), "%zu: %s", i, c.out);
        cmd_free(&c);
    }
}
