/* pysrc.h - the pyspark package's Python modules, built into the binary.
 * scripts/pycompile.c compiles lib/pyspark/python/ at build time into a
 * table of bytecode (and the source, for tracebacks); embed.c's importer
 * serves them, so pardemo needs no Python files of its own on disk.
 */
#ifndef PYSRC_H
#define PYSRC_H

#include <stddef.h>

struct pysrc {
    const char *name;           /* "pyspark.rdd" */
    const char *file;           /* "<pardemo>/pyspark/rdd.py" */
    int is_package;             /* an __init__.py */
    const unsigned char *code;  /* marshal format */
    size_t code_len;
    const char *source;
};

/* Ends with an entry whose name is NULL. */
extern const struct pysrc pysrc_modules[];

#endif
