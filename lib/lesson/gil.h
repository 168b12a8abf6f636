/* lesson/gil.h - the rules of `pardemo gil`.
 * The GIL is named as the cause only where the same threads without it
 * did decidedly better on the same CPUs; on one CPU nothing can.
 */
#ifndef LESSON_GIL_H
#define LESSON_GIL_H

#include "notice.h"
#include "work.h"

/* The sweep's variants, in this order. */
enum gil_variant { GIL_THREADS, GIL_FREE, GIL_PROCS, GIL_WAIT, GIL_NV };

struct gil_results {
    const struct work_sweep *sw;    /* extra[][]: the GIL's handoffs */
    int cpus;                       /* allowed to this process */
    double switch_s;                /* --switch-interval */
};

/* Appends the topic's notices for res to ns. */
void gil_notices(const struct gil_results *res, struct notices *ns);

#endif
