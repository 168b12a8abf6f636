/* lesson/gil.h - the rules of `pardemo gil`.
 * The GIL is named as the cause only where the same threads without it
 * did decidedly better on the same CPUs; on one CPU nothing can. The
 * Python part's rules hold the real GIL to the same standard: Python's
 * threads are blamed on it only where its processes did decidedly better.
 */
#ifndef LESSON_GIL_H
#define LESSON_GIL_H

#include "notice.h"
#include "work.h"

/* The C sweep's variants, in this order. */
enum gil_variant { GIL_THREADS, GIL_FREE, GIL_PROCS, GIL_WAIT, GIL_NV };

/* The Python sweep's: the lecture's code in the real CPython. */
enum gil_py_variant { PY_THREADS, PY_PROCS, PY_POOL, PY_WAIT, PY_NV };

struct gil_results {
    const struct work_sweep *sw;    /* C; NULL: --python-only */
    int cpus;                       /* allowed to this process */
    double switch_s;                /* --switch-interval */
    const struct work_sweep *py;    /* Python; NULL: none ran */
    long long c_units, py_units;    /* CPU work units of each sweep */
};

/* Appends the topic's notices for res to ns. */
void gil_notices(const struct gil_results *res, struct notices *ns);

#endif
