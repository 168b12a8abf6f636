/* hash.h - small, fast, well-mixed hashes shared by generators and tables.
 * One splitmix64 and one FNV-1a for the whole program. hash_rand64 is
 * splitmix64 as a generator: a seed in, a reproducible stream out.
 * hash_mix64 is its step on its own: consecutive inputs give unrelated
 * outputs, so hash_mix64(seed + i) is a reproducible random stream that
 * any worker can jump into at any i (no shared generator state).
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64: the next number of the stream whose state is *state (start
 * it with a seed). Tiny, fast, and every bit depends on every bit. */
static inline uint64_t hash_rand64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The number that follows state x: hash_mix64(x) == hash_rand64(&x). */
static inline uint64_t hash_mix64(uint64_t x)
{
    return hash_rand64(&x);
}

/* FNV-1a: start from HASH_FNV_OFFSET, fold in one unit at a time (a byte,
 * or a whole 4- or 8-byte word where bytes would be too slow). */
#define HASH_FNV_OFFSET 0xCBF29CE484222325ULL

static inline uint64_t hash_fnv(uint64_t h, uint64_t unit)
{
    return (h ^ unit) * 0x100000001B3ULL;
}

/* FNV-1a over bytes: for short keys (a country name) it is hard to beat. */
static inline uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = HASH_FNV_OFFSET;

    for (size_t i = 0; i < n; i++)
        h = hash_fnv(h, (unsigned char)p[i]);
    return h;
}

#endif
