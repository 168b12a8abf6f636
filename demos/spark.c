/* spark.c - the lecture's PySpark code, run as written.
 * `sc` is predefined; each snippet is parsed by a small, exact subset of
 * Python (lib/py) and its RDD calls run on our C engine (lib/rdd): the
 * same results Spark prints, in milliseconds, with no JVM.
 * Look at lib/py/compile.c to see a lambda compiled to C closures, and at
 * lib/py/rddbind.c to see it become a C callback of the engine's tasks.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "demos.h"
#include "py/py.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_LIBEDIT
#include <editline/readline.h>
#endif

struct spark_opts {
    const char *code;
};

static const struct cli_opt spark_opts[] = {
    { "command", 'c', CLI_STR, "CODE", "run CODE (a Python program)", 0, 0,
      NULL, offsetof(struct spark_opts, code) },
    { 0 },
};

static const struct cli_spec spark_spec = {
    .args = "[FILE.py [ARG...]]",
    .min_args = 0, .max_args = -1,
    .common = CLI_THREADS,
    .opts = spark_opts,
    .examples = "pardemo spark\n"
                "pardemo spark -c 'print(sc.parallelize([1, 2, 3]).map("
                "lambda x: x * x).collect())'\n"
                "pardemo spark wordcount.py hamlet.txt out",
};

static char *read_all(FILE *f, const char *name)
{
    size_t n = 0, cap = 4096;
    char *buf = malloc(cap);

    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
        }
    }
    if (!buf || ferror(f)) {
        cli_error("spark", "cannot read %s: %s", name, strerror(errno));
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        cli_error("spark", "%s is not a text file (it has NUL bytes)", name);
        free(buf);
        return NULL;
    }
    return buf;
}

static int run_file(struct py_session *s, const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    char *src;
    int rc;

    if (!f) {
        cli_error("spark", "cannot open %s: %s", path, strerror(errno));
        return 1;
    }
    src = read_all(f, path);
    if (f != stdin)
        fclose(f);
    if (!src)
        return 1;
    rc = py_exec(s, src, strcmp(path, "-") ? path : "<stdin>", false);
    free(src);
    return rc;
}

/* One line of input: readline with history on a terminal, else stdio. */
static char *read_line(const char *prompt, bool is_tty)
{
#ifdef HAVE_LIBEDIT
    if (is_tty) {
        char *l = readline(prompt);
        if (l && *l)
            add_history(l);
        return l;
    }
#endif
    char *line = NULL;
    size_t cap = 0;
    if (is_tty) {
        fputs(prompt, stdout);
        fflush(stdout);
    }
    if (getline(&line, &cap, stdin) < 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\n")] = '\0';
    return line;
}

static int repl(struct py_session *s, int threads)
{
    bool is_tty = isatty(STDIN_FILENO);
    char *src = NULL, *line;
    size_t len = 0;
    int last = 0;

    if (is_tty)
        printf("pardemo spark: the lecture's PySpark, run by pardemo's C "
               "engine (no JVM)\nSparkContext available as 'sc' (local[%d]),"
               " SparkSession as 'spark'. Ctrl-D to leave.\n", threads);
    while ((line = read_line(len ? "... " : ">>> ", is_tty))) {
        size_t n = strlen(line);
        char *grown = realloc(src, len + n + 2);
        if (!grown) {
            free(line);
            break;
        }
        src = grown;
        memcpy(src + len, line, n);
        len += n;
        src[len++] = '\n';
        src[len] = '\0';
        free(line);
        if (py_needs_more(s, src) && !(n == 0 && len > 1 &&
                                    src[len - 2] == '\n'))
            continue;
        if (strspn(src, " \t\n") != len)
            last = py_exec(s, src, "<stdin>", true);
        len = 0;
    }
    if (len && strspn(src, " \t\n") != len)     /* input ended mid-entry */
        last = py_exec(s, src, "<stdin>", true);
    free(src);
    if (is_tty)
        putchar('\n');
    return is_tty ? 0 : last;
}

static int spark_main(int argc, char **argv)
{
    struct run_params p;
    struct spark_opts o = { NULL };
    int rc;

    cli_defaults(&p, "spark");
    if ((rc = cli_parse(&demo_spark, argc, argv, &p, &o)) >= 0)
        return rc;
    struct py_session *s = py_session_new(p.threads, stdout, stderr,
                                          p.nargs, p.args);
    if (o.code)
        rc = py_exec(s, o.code, "<string>", false);
    else if (p.nargs > 0)
        rc = run_file(s, p.args[0]);
    else
        rc = repl(s, p.threads);    /* a terminal, or lines on a pipe */
    py_session_free(s);
    return rc;
}

const struct demo demo_spark = {
    .name = "spark",
    .summary = "the lecture's PySpark code run as written (sc predefined)",
    .main = spark_main,
    .spec = &spark_spec,
};
