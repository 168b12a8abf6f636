/* trade_scan.c - sum Value by a key column over trade CSV rows (see
 * trade_scan.h). What to notice: the hot loop touches only the worker's
 * own table, so workers never wait for each other until the merge.
 */
#include "trade_scan.h"
#include "trade.h"

#include <stdint.h>
#include <stdio.h>

int trade_scan_init(struct trade_scan *s)
{
    memset(s, 0, sizeof(*s));
    s->bad_off = SIZE_MAX;
    return tally_init(&s->tab);
}

/* The message is made (lines counted) only for the first bad row, so
 * skipping a million bad rows stays linear. */
void trade_scan_note_bad(struct trade_scan *s, struct csv_reader *r,
                         int nfields, const char *why)
{
    const char *msg;

    s->bad++;
    if (s->bad_off != SIZE_MAX && s->bad_off < csv_offset(r))
        return;
    s->bad_off = csv_offset(r);
    msg = nfields < 0 ? csv_error(r) : why ? csv_fail(r, "%s", why) :
          csv_expect_fields(r, TRADE_FIELDS, nfields);
    snprintf(s->bad_msg, sizeof(s->bad_msg), "%s", msg);
}

/* The hot loop: adds one row's Value to its key's sums. Returns NULL, or
 * why the row is bad. */
static inline const char *add_row(struct trade_scan *s,
                                  const struct csv_field *f, int key)
{
    int which = trade_measure_of(&f[TRADE_MEASURE]);
    struct tally_entry *e;
    int64_t v;

    if (which < 0)
        return "Measure is neither $ nor Tonnes";
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len, &v) < 0)
        return "Value is not a whole number";
    e = tally_get(&s->tab, f[key].p, f[key].len, f[key].has_escapes);
    if (!e || __builtin_add_overflow(e->sum[which], v, &e->sum[which])) {
        s->is_broken = true;
        return "a sum does not fit in 64 bits (or out of memory)";
    }
    e->rows++;
    s->rows++;
    return NULL;
}

void trade_scan_rows(struct trade_scan *s, struct csv_reader *r, int key,
                     bool is_skip_bad)
{
    struct csv_field f[TRADE_FIELDS];
    const char *why;
    int n;

    while ((n = csv_next(r, f, TRADE_FIELDS)) != 0) {
        if (n == TRADE_FIELDS && !(why = add_row(s, f, key)))
            continue;
        trade_scan_note_bad(s, r, n == TRADE_FIELDS ? 0 : n,
                            n == TRADE_FIELDS ? why : NULL);
        if (!is_skip_bad || s->is_broken)
            break;
    }
}

int trade_scan_merge(struct trade_scan *into, const struct trade_scan *from)
{
    into->rows += from->rows;
    into->bad += from->bad;
    into->is_broken |= from->is_broken;
    if (from->bad_off < into->bad_off) {
        into->bad_off = from->bad_off;
        memcpy(into->bad_msg, from->bad_msg, sizeof(into->bad_msg));
    }
    return tally_merge(&into->tab, &from->tab);
}
