/* lesson/lesson.h - rules more than one topic's lesson uses.
 * On one CPU nothing runs at once, yet a variant with more workers can
 * still finish sooner: the scheduler gives each thread its share, so more
 * threads take more of a CPU that other programs want. That is not
 * parallelism, and the sentence says so, from the CPUs busy.
 */
#ifndef LESSON_LESSON_H
#define LESSON_LESSON_H

#include <stdbool.h>
#include "notice.h"

/* CPUs busy (CPU time / wall time) from which workers count as having
 * run at once: below it a speedup came from more turns, not parallelism. */
#define LESSON_AT_ONCE 1.2

/* Above this, a gain on one CPU needs explaining. */
#define LESSON_ONE_CPU_GAIN 1.15

/* When gain (with `workers` workers, on 1 allowed CPU) is above
 * LESSON_ONE_CPU_GAIN, adds notice `id` saying that `what` did not run
 * in parallel: it kept busy_n CPUs busy against busy_1 with one worker
 * (other programs lost the difference), or the numbers do not show why. */
void lesson_one_cpu_gain(struct notices *ns, const char *id,
                         const char *what, struct est gain, int workers,
                         double busy_n, double busy_1);

/* Under mpirun (ranks >= 2): what the ranks read and sent, as counted
 * (rdd_report_ranks' sums); nothing when ranks < 2. */
void lesson_ranks(struct notices *ns, int ranks, int splits,
                  long long sent_bytes);

/* A check that counted `wrong` wrong answers: notice `id` saying ok (a
 * sentence) when none was, else notice `bad_id` saying bad, which may
 * cite {wrong}. Returns whether all were right. */
bool lesson_all_right(struct notices *ns, const char *id,
                      const char *bad_id, int wrong, const char *ok,
                      const char *bad);

#endif
