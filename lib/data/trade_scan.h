/* trade_scan.h - the row scan under every trade aggregation: read trade
 * CSV rows and sum Value by one key column into a tally, counting bad
 * rows (the first one's message kept as FILE:LINE: why). One scan per
 * worker; trade_scan_merge folds them once. `pardemo datatask` runs it
 * over byte-range chunks (data parallelism) and whole (its tasks).
 */
#ifndef TRADE_SCAN_H
#define TRADE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "csv.h"
#include "tally.h"

/* What one worker found in its share of the rows. */
struct trade_scan {
    struct tally tab;           /* sums by the key column */
    long long rows, bad;
    size_t bad_off;             /* the first bad row (SIZE_MAX: none) */
    char bad_msg[1024];         /* "FILE:LINE: why" for it */
    bool is_broken;             /* out of memory, or a sum overflowed */
};

/* An empty scan. Returns 0, or -1 when out of memory. */
int trade_scan_init(struct trade_scan *s);

/* Counts a bad row of r: nfields < 0 for a malformed record (r says why),
 * else why, or the field count when why is NULL. */
void trade_scan_note_bad(struct trade_scan *s, struct csv_reader *r,
                         int nfields, const char *why);

/* Sums Value by column key over the rows r has left to read. Stops at
 * the first bad row unless is_skip_bad. */
void trade_scan_rows(struct trade_scan *s, struct csv_reader *r, int key,
                     bool is_skip_bad);

/* Folds a worker's scan into into: sums merged, the earliest bad row
 * kept. Returns 0, or -1 when out of memory or a sum would overflow. */
int trade_scan_merge(struct trade_scan *into, const struct trade_scan *from);

/* Measure's column: $ -> 0, Tonnes -> 1, else -1. */
static inline int trade_measure_of(const struct csv_field *m)
{
    if (m->len == 1 && m->p[0] == '$')
        return 0;
    return m->len == 6 && !memcmp(m->p, "Tonnes", 6) ? 1 : -1;
}

#endif
