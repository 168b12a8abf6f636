/* words.c - whitespace masks for words.h: 64 bytes become 64 bits.
 * ASCII whitespace is classified 16 bytes at a time with SSE2 (every
 * x86-64 CPU has it; other CPUs take a table loop with the same result);
 * the lead bytes of the rare Unicode spaces are checked one by one.
 */
#include "words.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* 1: ASCII whitespace (str.isspace()); 2: the lead byte of a UTF-8
 * encoded Unicode space (U+0085/00A0: c2, U+1680: e1, U+2000-205F: e2,
 * U+3000: e3). */
static const unsigned char space_class[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, [' '] = 1,
    [0xc2] = 2, [0xe1] = 2, [0xe2] = 2, [0xe3] = 2,
};

size_t words_space_len(const unsigned char *s, size_t n)
{
    unsigned c = space_class[s[0]];

    if (c != 2)
        return c;
    if (s[0] == 0xc2)
        return n >= 2 && (s[1] == 0x85 || s[1] == 0xa0) ? 2 : 0;
    if (n < 3)
        return 0;
    if (s[0] == 0xe1)
        return s[1] == 0x9a && s[2] == 0x80 ? 3 : 0;
    if (s[0] == 0xe3)
        return s[1] == 0x80 && s[2] == 0x80 ? 3 : 0;
    if (s[1] == 0x80)
        return (s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 ||
               s[2] == 0xa9 || s[2] == 0xaf ? 3 : 0;
    return s[1] == 0x81 && s[2] == 0x9f ? 3 : 0;
}

/* The ASCII whitespace bits and the Unicode lead-byte bits of the k <= 64
 * bytes at b: 16 at a time, then one at a time (never past b + k). */
static void classify(const unsigned char *b, size_t k, uint64_t *space,
                     uint64_t *lead)
{
    size_t c = 0;

    *space = *lead = 0;
#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t' - 1),
                  cr = _mm_set1_epi8('\r' + 1), fs = _mm_set1_epi8(0x1b),
                  us = _mm_set1_epi8(0x20), top = _mm_set1_epi8((char)0xfc),
                  e0 = _mm_set1_epi8((char)0xe0),
                  c2 = _mm_set1_epi8((char)0xc2);

    for (; c + 16 <= k; c += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + c));
        /* signed compares: bytes >= 0x80 are negative and match neither
         * range \t..\r nor \x1c..\x1f */
        __m128i is_sp = _mm_or_si128(
            _mm_cmpeq_epi8(x, sp),
            _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(x, tab),
                                       _mm_cmpgt_epi8(cr, x)),
                         _mm_and_si128(_mm_cmpgt_epi8(x, fs),
                                       _mm_cmpgt_epi8(us, x))));
        /* c2 and e0-e3: e0 is never a space, its check just says so */
        __m128i is_lead = _mm_or_si128(
            _mm_cmpeq_epi8(x, c2),
            _mm_cmpeq_epi8(_mm_and_si128(x, top), e0));
        *space |= (uint64_t)(uint16_t)_mm_movemask_epi8(is_sp) << c;
        *lead |= (uint64_t)(uint16_t)_mm_movemask_epi8(is_lead) << c;
    }
#endif
    for (; c < k; c++) {
        unsigned t = space_class[b[c]];
        *space |= (uint64_t)(t & 1) << c;
        *lead |= (uint64_t)(t >> 1) << c;
    }
}

/* Bits [from, to) of a block, clipped to 0..64. */
static uint64_t bits(long from, long to)
{
    if (from < 0)
        from = 0;
    if (to > 64)
        to = 64;
    if (from >= to)
        return 0;
    return (to - from == 64 ? ~0ULL : ((1ULL << (to - from)) - 1)) << from;
}

uint64_t words_space_mask(const unsigned char *s, size_t n, size_t at)
{
    size_t k = n - at < 64 ? n - at : 64, j;
    uint64_t space, lead;

    classify(s + at, k, &space, &lead);
    if (k < 64)                 /* past the end counts as space */
        space |= ~0ULL << k;
    /* a Unicode space may also have begun in the block before */
    for (j = at >= 2 ? at - 2 : 0; j < at; j++)
        if (space_class[s[j]] == 2)
            space |= bits(0, (long)j - (long)at +
                               (long)words_space_len(s + j, n - j));
    while (lead) {
        int i = __builtin_ctzll(lead);
        space |= bits(i, i + (long)words_space_len(s + at + i, n - at - i));
        lead &= lead - 1;
    }
    return space;
}
