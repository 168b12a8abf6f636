/* fuzz_split.c - the text splitter a word count uses, on arbitrary bytes:
 * lib/words' 64-byte mask str.split() (whitespace runs, Unicode spaces
 * too; pardemo spark's C str.split() is it) gives exactly the tokens a
 * plain byte-by-byte loop finds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "words.h"


/* lib/words against the byte-at-a-time loop wordcount used before it. */
static void check_words(const unsigned char *d, size_t n)
{
    struct words it;
    size_t i = 0, k, start, at, len;

    words_init(&it, (const char *)d, n);
    for (;;) {
        while (i < n && (k = words_space_len(d + i, n - i)))
            i += k;
        if (i == n)
            break;
        start = i;
        while (i < n && !words_space_len(d + i, n - i))
            i++;
        if (!words_next(&it, &at, &len) || at != start || len != i - start)
            abort();
    }
    if (words_next(&it, &at, &len))
        abort();
}

FUZZ_TARGET(split)
{
    check_words(data, size);
    return 0;
}
