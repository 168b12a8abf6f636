/* tally.h - a hash table keyed by slices of the input: count and sum.
 * The hot path of every aggregation here ("sum Value by Country"): open
 * addressing with linear probing, the hash stored beside each key so most
 * probes skip memcmp, and keys that point into the input (an mmap'd file)
 * instead of copies. One table per worker; tally_merge folds them once.
 */
#ifndef TALLY_H
#define TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tally_entry {
    uint64_t hash;
    const char *key;            /* points into the input: no copy */
    size_t len;
    int64_t rows, sum[2];       /* a count and two sums ($ and tonnes) */
    bool has_escapes;           /* key holds "" pairs (see csv_copy) */
};

struct tally {
    struct tally_entry *e;
    size_t cap, used;           /* cap: a power of two, half full at most */
};

/* An empty table. Returns 0, or -1 when out of memory. */
int tally_init(struct tally *t);
/* Frees t's slots (not the keys: they belong to the input). */
void tally_free(struct tally *t);

/* The entry for key[0..len), added zeroed if new; NULL when out of
 * memory. The key is not copied: it must outlive the table. */
struct tally_entry *tally_get(struct tally *t, const char *key, size_t len,
                              bool has_escapes);

/* Adds from's counts and sums into into. Returns 0, or -1 when out of
 * memory or when a sum would overflow 64 bits. */
int tally_merge(struct tally *into, const struct tally *from);

/* Order-independent fingerprint of the contents: equal tables (whatever
 * their insertion order or capacity) give equal checksums. */
uint64_t tally_checksum(const struct tally *t);

/* The used entries sorted by sum[0], biggest first (ties by key): a
 * malloc'd array of t->used pointers into t (free it), NULL when out of
 * memory. */
struct tally_entry **tally_sorted(const struct tally *t);

#endif
