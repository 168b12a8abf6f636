/* lesson.h - helpers for the table-driven tests of lib/lesson: synthetic
 * machine conditions, and checks that every notice a rule produced holds
 * on its own numbers.
 */
#ifndef TEST_LESSON_H
#define TEST_LESSON_H

#include <stdbool.h>
#include "conditions.h"
#include "notice.h"

/* Conditions over wall_s seconds on cpus CPUs: this run kept own CPUs
 * busy, other programs `other` CPUs (a 100 Hz tick). */
struct cond fake_cond(int cpus, double wall_s, double own, double other);

/* Fails the test unless every notice in ns holds (notice_holds), has an
 * id and a sentence of plain words (no unfilled {name}, no "1 workers",
 * no "0.00x", no "x" for a cost); prints them all with cr_log_info. */
void assert_notices_hold(const struct notices *ns, const char *table);

/* Does ns have a notice whose id is id? Whose text contains s? */
bool has_id(const struct notices *ns, const char *id);
bool has_text(const struct notices *ns, const char *s);

#endif
