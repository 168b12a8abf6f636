/* url_list.c - a crawl frontier's URLs, and which of them are the same.
 * The distinct URLs are numbered by sorting the strings: the truth a
 * dedupe filter's fingerprints are checked against.
 */
#define _GNU_SOURCE
#include "url_list.h"
#include "hash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct url_ref {
    const char *s;
    size_t i;
};

static int cmp_url_ref(const void *a, const void *b)
{
    const struct url_ref *x = a, *y = b;

    return strcmp(x->s, y->s);
}

/* Numbers the distinct URLs by comparing the strings themselves (sorted),
 * so that "fetched exactly once" is checked against the truth, not
 * against the fingerprints the filter uses. Returns 0 or ENOMEM. */
static int url_list_number(struct url_list *u)
{
    struct url_ref *ref = malloc(u->n * sizeof(*ref));

    if (!ref || !(u->id = malloc(u->n * sizeof(*u->id)))) {
        free(ref);
        return ENOMEM;
    }
    for (size_t i = 0; i < u->n; i++)
        ref[i] = (struct url_ref){ u->text + u->at[i], i };
    qsort(ref, u->n, sizeof(*ref), cmp_url_ref);
    u->ndistinct = 0;
    for (size_t i = 0; i < u->n; i++) {
        if (i > 0 && strcmp(ref[i].s, ref[i - 1].s) != 0)
            u->ndistinct++;
        u->id[ref[i].i] = (uint32_t)u->ndistinct;
    }
    u->ndistinct += u->n > 0;
    free(ref);
    return 0;
}

/* A frontier like a crawler's: a new page about 1 time in 4, otherwise a
 * link to one of the last 8 new pages - so duplicates arrive close
 * together, when several workers are likely to hold them at once. */
int url_list_generate(struct url_list *u, size_t n, uint64_t seed)
{
    enum { URL_MAX = 64 };
    uint64_t rng = seed, fresh = 0;

    memset(u, 0, sizeof(*u));
    u->text = malloc(n * URL_MAX);
    u->at = malloc(n * sizeof(*u->at));
    if (!u->text || !u->at)
        return ENOMEM;
    for (size_t i = 0, len = 0; i < n; i++) {
        uint64_t r = hash_rand64(&rng), page;
        uint64_t back = fresh < 8 ? fresh : 8;
        page = fresh == 0 || r % 4 == 0 ? fresh++ : fresh - 1 - (r >> 8) % back;
        u->at[i] = len;
        len += (size_t)snprintf(u->text + len, URL_MAX,
                                "https://books.example/catalogue/book-%06llu"
                                ".html", (unsigned long long)page) + 1;
    }
    u->n = n;
    return url_list_number(u);
}

/* Appends one URL (len bytes) to the list. Returns 0 or ENOMEM. */
static int url_list_push(struct url_list *u, const char *s, size_t len,
                         size_t *text_len, size_t *text_cap, size_t *cap)
{
    if (u->n == *cap) {
        size_t *grown = realloc(u->at, (*cap = *cap ? 2 * *cap : 1024) *
                                       sizeof(*grown));
        if (!grown)
            return ENOMEM;
        u->at = grown;
    }
    if (*text_len + len + 1 > *text_cap) {
        char *grown;
        while (*text_len + len + 1 > *text_cap)
            *text_cap = *text_cap ? 2 * *text_cap : 65536;
        if (!(grown = realloc(u->text, *text_cap)))
            return ENOMEM;
        u->text = grown;
    }
    u->at[u->n++] = *text_len;
    memcpy(u->text + *text_len, s, len);
    u->text[*text_len + len] = '\0';
    *text_len += len + 1;
    return 0;
}

/* Reads one URL per line (blank lines skipped). Returns 0, or an errno
 * (or -1 when the file itself is at fault) with *why saying what failed. */
enum { URL_LINE_MAX = 64 << 10 };      /* a URL is far shorter */
#define URL_TEXT_MAX (1LL << 30)        /* all of them together */

/* One line into line (its end dropped), read a byte at a time so that
 * neither an endless line (/dev/zero) nor a NUL byte can make it grow
 * without bound. Returns its length, or -1 at the end of the file, -2
 * past URL_LINE_MAX bytes, -3 at a NUL byte. */
static long read_url_line(FILE *f, char *line)
{
    long n = 0;
    int c;

    while ((c = getc_unlocked(f)) != EOF && c != '\n') {
        if (c == '\0')
            return -3;
        if (n == URL_LINE_MAX)
            return -2;
        line[n++] = (char)c;
    }
    if (c == EOF && n == 0)
        return -1;
    while (n > 0 && line[n - 1] == '\r')
        n--;
    return n;
}

/* What stopped the reading, for the error line. */
static const char *url_list_why(long len, size_t text_len)
{
    if (len == -3)
        return "binary data (a NUL byte), not a URL per line, in";
    if (len == -2)
        return "a line longer than 64 KiB (not a URL per line) in";
    if (text_len > URL_TEXT_MAX)
        return "more than 1 GiB of URLs in";
    return "more than 4M URLs in";
}

int url_list_load(struct url_list *u, const char *path, const char **why)
{
    size_t text_len = 0, text_cap = 0, cap = 0;
    char *line = malloc(URL_LINE_MAX);
    long len = 0;
    int rc = 0;
    FILE *f;

    memset(u, 0, sizeof(*u));
    *why = "cannot read";
    if (!line)
        return ENOMEM;
    if (!(f = fopen(path, "r"))) {
        free(line);
        return errno;
    }
    while (!rc && (len = read_url_line(f, line)) >= 0) {
        if (len > 0 && (u->n == URL_LIST_MAX || text_len > URL_TEXT_MAX))
            rc = -1;
        else if (len > 0)
            rc = url_list_push(u, line, (size_t)len, &text_len, &text_cap,
                               &cap);
    }
    if (rc == -1 || len < -1)
        *why = url_list_why(len, text_len), rc = -1;
    else if (!rc && ferror(f))
        rc = errno ? errno : EIO;
    else if (!rc && u->n == 0 && (rc = -1))
        *why = "no URLs in";
    free(line);
    fclose(f);
    return rc ? rc : url_list_number(u);
}

void url_list_free(struct url_list *u)
{
    free(u->text);
    free(u->at);
    free(u->id);
}
