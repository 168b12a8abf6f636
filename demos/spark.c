/* spark.c - PySpark, run as written, on pardemo's C engine.
 * `pardemo spark` is the real Python (CPython, embedded): the shell, a
 * script with its arguments, or -c CODE, with `sc` and `spark` predefined
 * as PySpark's shell has them. RDDs are the C engine's (lib/rdd); Python
 * functions run in worker processes, as PySpark's do. Read
 * lib/pyspark/embed.c for the interpreter, lib/pyspark/python/pyspark/
 * rdd.py for the API, and lib/pyspark/tasks.c for a Python function
 * becoming an engine task. --explain shows where each job ran.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "demos.h"
#include "pyspark/pyspark.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct spark_opts {
    const char *code;
    bool is_explain;
};

static const struct cli_opt spark_opts[] = {
    { "command", 'c', CLI_STR, "CODE", "run CODE (a Python program)", 0, 0,
      NULL, offsetof(struct spark_opts, code) },
    { "explain", 0, CLI_FLAG, NULL, "after each job: its stages, worker "
      "processes and bytes moved", 0, 0, NULL,
      offsetof(struct spark_opts, is_explain) },
    { 0 },
};

static const struct cli_spec spark_spec = {
    .args = "[FILE.py [ARG...]]",
    .min_args = 0, .max_args = -1,
    .common = CLI_THREADS,
    .opts = spark_opts,
    .examples = "pardemo spark\n"
                "pardemo spark -c 'print(sc.range(4).map(lambda x: x * x)"
                ".collect())'\n"
                "pardemo spark -c 'spark.read.csv(\"t.csv\", header=True)"
                ".show(5)'\n"
                "pardemo spark --explain wordcount.py hamlet.txt out",
};

/* Python would say it too, in its own words; one line of ours instead,
 * before Python starts: the file must be a readable text file. */
static int check_script(const char *path)
{
    struct stat st;
    char buf[65536];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

    if (fd < 0) {
        cli_error("spark", "cannot open %s: %s", path, strerror(errno));
        return 1;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error("spark", "cannot read %s: %s", path, strerror(EISDIR));
        rc = 1;
    }
    while (rc == 0 && (n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cli_error("spark", "cannot read %s: %s", path, strerror(errno));
            rc = 1;
        } else if (memchr(buf, '\0', (size_t)n)) {
            cli_error("spark", "%s is not a text file (it has NUL bytes)",
                      path);
            rc = 1;
        }
    }
    close(fd);
    return rc;
}

static int spark_main(int argc, char **argv)
{
    struct run_params p;
    struct spark_opts o = { NULL, false };
    int rc;

    cli_defaults(&p, "spark");
    if ((rc = cli_parse(&demo_spark, argc, argv, &p, &o)) >= 0)
        return rc;
    if (!o.code && p.nargs > 0 && strcmp(p.args[0], "-") &&
        check_script(p.args[0]))
        return 1;
    struct pyspark_args a = { p.threads, o.is_explain, o.code, p.nargs,
                              p.args };
    return pyspark_main(&a);
}

const struct demo demo_spark = {
    .name = "spark",
    .summary = "PySpark's RDDs and DataFrames in real Python, on the C engine",
    .main = spark_main,
    .spec = &spark_spec,
};
