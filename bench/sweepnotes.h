/* sweepnotes.h - "What to notice" about a bench sweep. Each sentence is a
 * rule over the sweep's numbers (lib/core/notice): the best speedup and
 * whether its baseline can be trusted, Amdahl's p only from enough worker
 * counts within the CPUs, what oversubscribing did, costs against a
 * reference kernel, noisy baselines and wrong answers.
 */
#ifndef SWEEPNOTES_H
#define SWEEPNOTES_H

#include <stddef.h>

#include "metrics.h"
#include "notice.h"

/* Efficiency above this is more than the workers can give. */
#define SWEEPNOTES_SUPERLINEAR 1.05

/* Below this speedup no kernel is said to have gained. */
#define SWEEPNOTES_GAIN 1.1

/* Adds to ns the notices about topic's series (topic NULL: the sweep as
 * a whole) of s[0..n), measured with cpus allowed CPUs. Every notice's
 * relations hold on the numbers it cites (notice_holds). */
void sweepnotes_add(const struct metrics_series *s, size_t n, int cpus,
                    const char *topic, struct notices *ns);

#endif
