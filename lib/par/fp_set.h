/* fp_set.h - a set of 64-bit fingerprints shared by threads, without a
 * lock: open addressing over a fixed table of atomic slots (0 = empty).
 * Each slot is loaded and stored whole (relaxed), but nothing makes "look,
 * then add" one step - like a Python set shared by threads. Two adds
 * racing for one empty slot can even overwrite each other; the table is
 * big enough (2x the fingerprints) never to fill. race's dedupe filter
 * shows what that costs.
 */
#ifndef FP_SET_H
#define FP_SET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fp_set {
    _Atomic uint64_t *slot;
    size_t mask;
};

/* Room for n fingerprints. Returns 0 or ENOMEM. */
int fp_set_init(struct fp_set *s, size_t n);
void fp_set_free(struct fp_set *s);

/* Is fp (never 0) in the set? */
bool fp_set_contains(struct fp_set *s, uint64_t fp);

/* Adds fp (never 0); a second add of the same fp changes nothing. */
void fp_set_add(struct fp_set *s, uint64_t fp);

#endif
