/* pyspark.h - `pardemo spark`: the real CPython, embedded, running
 * PySpark's RDD API on pardemo's C engine (lib/rdd).
 * One interpreter, initialised once; the engine is the built-in module
 * `_pardemo`; the `pyspark` package's Python half is built into the
 * binary (lib/pyspark/python). Python functions run in worker processes
 * forked from the driver for each stage, as PySpark's workers do.
 */
#ifndef PYSPARK_H
#define PYSPARK_H

#include <stdbool.h>

struct pyspark_args {
    int threads;                /* workers: `sc` is local[threads] */
    bool is_explain;            /* after each job: stages, workers, bytes */
    const char *code;           /* -c CODE, or NULL */
    int argc;                   /* FILE.py ARG...: sys.argv; 0: the shell */
    char **argv;
};

/* Runs the shell, CODE or FILE.py as python3 would, with `sc` and
 * `spark` predefined. Returns the exit status: 0, 1 after an uncaught
 * exception, or SystemExit's code. */
int pyspark_main(const struct pyspark_args *a);

#endif
