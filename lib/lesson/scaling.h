/* lesson/scaling.h - the rules of `pardemo scaling`.
 * A measured speedup is set beside Amdahl's and Gustafson's predictions
 * only where the workers ran at once on CPUs of their own; past the
 * allowed CPUs, and on one CPU, the tables show the predictions alone.
 */
#ifndef LESSON_SCALING_H
#define LESSON_SCALING_H

#include <stdbool.h>
#include "conditions.h"
#include "notice.h"

#define SCALING_MAX_WORKERS 64

/* One worker count: measured (at or below the allowed CPUs) or not. */
struct scaling_point {
    int workers;
    bool is_measured;
    struct est strong_s;        /* the fixed job's time */
    struct est weak_s;          /* the growing job's time */
    double weak_work;           /* the growing job's work / 1 worker's */
    double busy;                /* CPUs kept busy in the fixed job's runs */
};

struct scaling_results {
    double serial;              /* the serial fraction the student set */
    int cpus_allowed;
    int npoints;                /* points[i].workers == i + 1 */
    struct scaling_point points[SCALING_MAX_WORKERS];
    struct cond cond;           /* the machine during the measurements */
};

/* Point i's fixed-job speedup T(1)/T(n), its growing-job scaled speedup
 * (work done per second against one worker's), and the Karp-Flatt serial
 * fraction its speedup implies (NaN for 1 worker), each with its
 * interval. Meaningful only for measured points. */
struct est scaling_speedup(const struct scaling_results *r, int i);
struct est scaling_scaled(const struct scaling_results *r, int i);
struct est scaling_karp_flatt(const struct scaling_results *r, int i);

/* Appends the topic's notices for r to ns. */
void scaling_notices(const struct scaling_results *r, struct notices *ns);

#endif
