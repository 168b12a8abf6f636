/* team.h - start N threads together and time them from start to last join.
 * Threads are created first and wait at a gate, then at a start line until
 * all are running; the clock starts when the last one gets there, so
 * thread creation and wake-up are not part of the measurement.
 */
#ifndef TEAM_H
#define TEAM_H

#include <stddef.h>

struct team_time {
    double start_s;     /* clk_now() when all threads were running */
    double seconds;     /* from then to the last join */
};

/* Runs fn(arg_i) on n threads, arg_i = (char *)args + i * arg_size, all
 * released at once. Returns 0 and fills *out, or an errno value when a
 * thread could not be created (the ones already made are released without
 * running fn and joined, so nothing is left behind). */
int team_run(int n, void *(*fn)(void *), void *args, size_t arg_size,
             struct team_time *out);

#endif
