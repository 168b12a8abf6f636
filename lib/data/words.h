/* words.h - Python's str.split() over UTF-8 bytes, 64 bytes at a time.
 * A block of 64 bytes becomes one 64-bit mask (bit i set: byte i is
 * whitespace), and words are found with count-trailing-zeros on it: no
 * branch per byte. The branch that ends a word, taken at a different byte
 * every time, is what a byte-at-a-time loop pays most for (the CPU
 * guesses it wrong once per word); the fastest text scanners (simdjson's
 * bitmaps) work this way.
 */
#ifndef WORDS_H
#define WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of the whitespace character at s (n bytes left), 0 if none:
 * ASCII \t \n \v \f \r, \x1c-\x1f and ' ', and the UTF-8 encodings of
 * U+0085, U+00A0, U+1680, U+2000-200A, U+2028/9, U+202F, U+205F and
 * U+3000 (what str.split() splits on, after decoding). */
size_t words_space_len(const unsigned char *s, size_t n);

/* The whitespace mask of s[at, at + 64): bit i is set when byte at + i is
 * whitespace (or lies past n). Multi-byte spaces set a bit per byte. */
uint64_t words_space_mask(const unsigned char *s, size_t n, size_t at);

/* An iterator over the words of s[0, n): see words_next. */
struct words {
    const unsigned char *s;
    size_t n;
    size_t blk;                 /* the current block starts here */
    size_t pos;                 /* the search resumes here (in the block) */
    uint64_t space;             /* the current block's mask */
};

static inline void words_init(struct words *w, const char *s, size_t n)
{
    w->s = (const unsigned char *)s;
    w->n = n;
    w->blk = w->pos = 0;
    w->space = n ? words_space_mask(w->s, n, 0) : ~0ULL;
}

/* Moves to the next block: false (and all spaces) past the end. */
static inline bool words_next_block(struct words *w)
{
    w->blk += 64;
    w->pos = w->blk;
    if (w->blk >= w->n) {
        w->space = ~0ULL;
        return false;
    }
    w->space = words_space_mask(w->s, w->n, w->blk);
    return true;
}

/* The next word: true with its offset and length, false at the end. */
static inline bool words_next(struct words *w, size_t *at, size_t *len)
{
    uint64_t m;

    /* the first non-space byte from pos on */
    while (!(m = ~w->space >> (w->pos - w->blk)))
        if (!words_next_block(w))
            return false;
    *at = w->pos += (size_t)__builtin_ctzll(m);
    /* then the first space after it */
    while (!(m = w->space >> (w->pos - w->blk)))
        if (!words_next_block(w)) {
            *len = w->n - *at;      /* the word runs to the end */
            return true;
        }
    w->pos += (size_t)__builtin_ctzll(m);
    *len = w->pos - *at;
    return true;
}

#endif
