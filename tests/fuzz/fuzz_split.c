/* fuzz_split.c - the text splitters a word count uses, on arbitrary bytes:
 * Python's str.split() (whitespace runs, Unicode spaces too) and
 * str.split(" ") (every single space) in lib/py, and lib/words' 64-byte
 * mask str.split(), give exactly the tokens a plain byte-by-byte loop
 * finds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "py/pyint.h"
#include "words.h"


/* Calls s.split() (sep NULL) or s.split(" ") and checks the tokens. */
static void check(struct py_session *s, const char *d, size_t n, bool ws)
{
    struct ectx ex;
    struct pv str = pv_str(d, n), sep = pv_str(" ", 1);

    ectx_init(&ex, s->arena, s);
    struct pv m = py_getattr(&ex, str, "split");
    struct pv r = py_call(&ex, m, ws ? NULL : &sep, ws ? 0 : 1, NULL,
                          NULL, 0);
    if (FAILED(&ex) || r.kind != PK_LIST)
        abort();
    size_t k = 0, i = 0;
    while (i <= n) {
        size_t j = i;
        if (ws) {
            const unsigned char *u = (const unsigned char *)d;
            size_t len;
            while (i < n && (len = words_space_len(u + i, n - i)))
                i += len;
            if (i == n)
                break;
            for (j = i; j < n && !words_space_len(u + j, n - j); j++)
                ;
        } else {
            for (j = i; j < n && d[j] != ' '; j++)
                ;
        }
        if (k >= r.list->n || r.list->items[k].len != j - i ||
            memcmp(r.list->items[k].s, d + i, j - i))
            abort();
        k++;
        i = ws ? j : j + 1;     /* ws: the space is skipped above */
    }
    if (k != r.list->n)
        abort();
}

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
    struct py_session *s = py_session_new(1, stdout, stderr, 0, NULL);

    check(s, (const char *)data, size, true);
    check(s, (const char *)data, size, false);
    check_words(data, size);
    py_session_free(s);
    return 0;
}
