/* interp.h - the one CPython in pardemo, as every entry point starts it.
 * `pardemo spark`, a topic's Python part (pylesson.c) and pardemo re-run
 * as Python by multiprocessing (entry.c) start the same interpreter: the
 * hash seed fixed to 0 (as PySpark's workers), sys.executable pardemo
 * itself (so that multiprocessing's spawn and forkserver start methods
 * re-run this binary, the Python in it, not some other python3), the
 * engine as the built-in module `_pardemo`, and the modules compiled into
 * the binary (pyspark, the lessons' snippets) served by its importer.
 */
#ifndef INTERP_H
#define INTERP_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Fills *config (PyConfig_InitPythonConfig first) with those settings.
 * Returns a PyStatus to check with PyStatus_Exception. */
PyStatus interp_config(PyConfig *config);

/* Starts the interpreter from config (which it clears) and installs the
 * importer of the built-in modules. Returns 0, or -1 after printing
 * "pardemo: WHO: cannot start Python: ..." on stderr (why, when given,
 * gets the reason instead, and nothing is printed). */
int interp_start(PyConfig *config, const char *who, char *why,
                 size_t why_len);

#endif
