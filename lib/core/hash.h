/* hash.h - small, fast, well-mixed hashes shared by generators and tables.
 * hash_mix64 is splitmix64's finaliser: consecutive inputs give unrelated
 * outputs, so hash_mix64(seed + i) is a reproducible random stream that
 * any worker can jump into at any i (no shared generator state).
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash_mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* FNV-1a over bytes: for short keys (a country name) it is hard to beat. */
static inline uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ULL;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001B3ULL;
    return h;
}

#endif
