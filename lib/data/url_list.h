/* url_list.h - a crawl frontier: a list of URLs, generated or read from a
 * file, with each URL's distinct number, so that "fetched exactly once"
 * is checked against the strings themselves, not against fingerprints.
 * The data of race's dedupe filter (the lecture's request_seen).
 */
#ifndef URL_LIST_H
#define URL_LIST_H

#include <stddef.h>
#include <stdint.h>

#define URL_LIST_MAX (4LL << 20)    /* most URLs a list holds */

struct url_list {
    char *text;                 /* every URL, each ended by '\0' */
    size_t *at;                 /* URL i starts at text + at[i] */
    uint32_t *id;               /* which distinct URL entry i is */
    size_t n, ndistinct;
};

/* n URLs like a crawler's frontier (seeded): a new page about 1 time in
 * 4, otherwise a link to one of the last 8 new pages, so duplicates arrive
 * close together. Returns 0 or ENOMEM. */
int url_list_generate(struct url_list *u, size_t n, uint64_t seed);

/* Reads one URL per line (blank lines skipped; at most 64 KiB a line, 4M
 * URLs, 1 GiB in all, and no NUL byte: /dev/zero is an error at once).
 * Returns 0, or an errno (or -1 when the file itself is at fault) with
 * *why saying what failed. */
int url_list_load(struct url_list *u, const char *path, const char **why);

void url_list_free(struct url_list *u);

#endif
