/* tally.c - open addressing keyed by slices, with stored hashes. */
#include "tally.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>

int tally_init(struct tally *t)
{
    t->cap = 64;
    t->used = 0;
    t->e = calloc(t->cap, sizeof(*t->e));
    return t->e ? 0 : -1;
}

void tally_free(struct tally *t)
{
    free(t->e);
    t->e = NULL;
    t->cap = t->used = 0;
}

/* Linear probing from the hash's slot: the stored hash skips most
 * memcmp calls. */
static struct tally_entry *probe(struct tally_entry *e, size_t cap,
                                 uint64_t h, const char *key, size_t len)
{
    size_t i = h & (cap - 1);

    while (e[i].key && (e[i].hash != h || e[i].len != len ||
                        memcmp(e[i].key, key, len) != 0))
        i = (i + 1) & (cap - 1);
    return &e[i];
}

static int grow(struct tally *t)
{
    struct tally_entry *old = t->e, *e = calloc(2 * t->cap, sizeof(*e));

    if (!e)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (old[i].key)
            *probe(e, 2 * t->cap, old[i].hash, old[i].key, old[i].len) =
                old[i];
    t->e = e;
    t->cap *= 2;
    free(old);
    return 0;
}

/* The entry for key, added (zeroed) if new. NULL when out of memory. */
struct tally_entry *tally_get(struct tally *t, const char *key, size_t len,
                              bool has_escapes)
{
    uint64_t h = hash_bytes(key, len);
    struct tally_entry *x = probe(t->e, t->cap, h, key, len);

    if (x->key)
        return x;
    if (2 * (t->used + 1) > t->cap) {
        if (grow(t) < 0)
            return NULL;
        x = probe(t->e, t->cap, h, key, len);
    }
    *x = (struct tally_entry){ h, key, len, 0, { 0, 0 }, has_escapes };
    t->used++;
    return x;
}

/* Adds from's sums into into. -1: out of memory or a 64-bit overflow. */
int tally_merge(struct tally *into, const struct tally *from)
{
    for (size_t i = 0; i < from->cap; i++) {
        const struct tally_entry *f = &from->e[i];
        struct tally_entry *x;
        if (!f->key)
            continue;
        if (!(x = tally_get(into, f->key, f->len, f->has_escapes)) ||
            __builtin_add_overflow(x->sum[0], f->sum[0], &x->sum[0]) ||
            __builtin_add_overflow(x->sum[1], f->sum[1], &x->sum[1]))
            return -1;
        x->rows += f->rows;
    }
    return 0;
}

/* Order-independent fingerprint of the totals: equal tables, equal sums. */
uint64_t tally_checksum(const struct tally *t)
{
    uint64_t c = 0;

    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].key)
            c += hash_mix64(t->e[i].hash ^ hash_mix64((uint64_t)t->e[i].rows
                 ^ hash_mix64((uint64_t)t->e[i].sum[0] ^
                              hash_mix64((uint64_t)t->e[i].sum[1]))));
    return c;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct tally_entry *x = *(struct tally_entry *const *)a;
    const struct tally_entry *y = *(struct tally_entry *const *)b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c;

    if (x->sum[0] != y->sum[0])
        return x->sum[0] < y->sum[0] ? 1 : -1;     /* biggest $ first */
    c = memcmp(x->key, y->key, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The used entries, sorted by dollars (biggest first). Free it. */
struct tally_entry **tally_sorted(const struct tally *t)
{
    struct tally_entry **v = malloc((t->used ? t->used : 1) * sizeof(*v));
    size_t n = 0;

    if (!v)
        return NULL;
    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].key)
            v[n++] = &t->e[i];
    qsort(v, n, sizeof(*v), cmp_entry);
    return v;
}
