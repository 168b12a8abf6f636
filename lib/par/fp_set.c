/* fp_set.c - the lock-free fingerprint set (see fp_set.h). What to
 * notice: fp_set_contains and fp_set_add are each safe alone; a caller
 * that checks, then adds, has a window between them.
 */
#include "fp_set.h"

#include <errno.h>
#include <stdlib.h>

int fp_set_init(struct fp_set *s, size_t n)
{
    size_t cap = 64;

    while (cap < 2 * n)
        cap *= 2;
    s->mask = cap - 1;
    s->slot = calloc(cap, sizeof(*s->slot));
    return s->slot ? 0 : ENOMEM;
}

bool fp_set_contains(struct fp_set *s, uint64_t fp)
{
    for (size_t i = fp & s->mask;; i = (i + 1) & s->mask) {
        uint64_t v = atomic_load_explicit(&s->slot[i], memory_order_relaxed);
        if (v == fp)
            return true;
        if (v == 0)
            return false;
    }
}

void fp_set_add(struct fp_set *s, uint64_t fp)
{
    for (size_t i = fp & s->mask;; i = (i + 1) & s->mask) {
        uint64_t v = atomic_load_explicit(&s->slot[i], memory_order_relaxed);
        if (v == fp)
            return;
        if (v == 0) {
            atomic_store_explicit(&s->slot[i], fp, memory_order_relaxed);
            return;
        }
    }
}

void fp_set_free(struct fp_set *s)
{
    free((void *)s->slot);
    s->slot = NULL;
}
