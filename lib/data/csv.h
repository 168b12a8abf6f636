/* csv.h - an RFC 4180 CSV reader that never copies a field.
 * The input is one buffer (usually a whole file, mmap'd); a record comes
 * back as slices of that buffer, so a 1 GB scan is one pass over the bytes.
 * Quotes, doubled quotes, embedded commas and newlines, CRLF, empty fields,
 * a UTF-8 BOM and a missing last newline are handled; a malformed record is
 * reported as "FILE:LINE: why" and skipped, so the caller decides to stop
 * (exit 1) or to count it and go on (--skip-bad).
 *
 * Typical use:
 *     struct mapfile m;  struct csv_reader r;  struct csv_field f[10];
 *     if (mapfile_open(path, &m) < 0) ... mapfile_strerror(errno) ...
 *     csv_init(&r, m.data, m.len, path);
 *     while ((n = csv_next(&r, f, 10)) != 0) {
 *         if (n < 0) { puts(csv_error(&r)); continue; }   // malformed
 *         if (n != 10) { puts(csv_expect_fields(&r, 10, n)); continue; }
 *         ... f[4].p, f[4].len ...
 *     }
 *     mapfile_close(&m);
 *
 * Parallel scans split the buffer with csv_split() into byte ranges that
 * begin at line starts, and give each worker its own reader restricted to
 * one range with csv_range(). Like Hadoop's and Spark's text input splits,
 * this assumes no quoted field holds a newline (the trade data never does).
 */
#ifndef CSV_H
#define CSV_H

#include <stdbool.h>
#include <stddef.h>
#include "mapfile.h"     /* reading a whole file: mapfile_open */

/* One field: a slice of the input, without its quotes. */
struct csv_field {
    const char *p;          /* first byte (inside the quotes if quoted) */
    size_t len;             /* bytes, quotes excluded */
    bool has_escapes;       /* quoted and holds "" pairs: see csv_copy */
};

/* A reader over buf[0..len). All fields are private to csv.c; the struct
 * is public only so that a reader can live on the stack. */
struct csv_reader {
    const char *base;       /* the whole buffer (line numbers count from) */
    const char *pos, *end;  /* the rest of the range being read */
    const char *rec;        /* start of the record csv_next returned last */
    const char *name;       /* file name for messages */
    const char *why;        /* why the last record is malformed */
    char msg[1024];         /* csv_error's "FILE:LINE: why" */
    char why_buf[256];
};

/* Reads buf[0..len) as a whole file named name (used in messages only).
 * A UTF-8 byte-order mark at the start is skipped. */
void csv_init(struct csv_reader *r, const char *buf, size_t len,
              const char *name);

/* Restricts r to the bytes [begin, end) of its buffer; begin must be the
 * start of a record (csv_split gives such offsets). Line numbers in
 * messages still count from the start of the whole buffer. */
void csv_range(struct csv_reader *r, size_t begin, size_t end);

/* Reads the next record. Stores up to max fields in f and returns how many
 * fields the record has (which may be more than max); returns 0 at the end
 * of input, and -1 for a malformed record (an unterminated quote, or a
 * character after a closing quote), which is skipped: csv_error says why.
 * Blank lines are skipped, as pandas does. */
int csv_next(struct csv_reader *r, struct csv_field *f, int max);

/* "FILE:LINE: why" for the last record (LINE is the physical line where it
 * starts, 1-based). Valid until the next call on r. */
const char *csv_error(struct csv_reader *r);

/* Marks the last record as having the wrong number of fields and returns
 * "FILE:LINE: expected 10 fields, found 7". */
const char *csv_expect_fields(struct csv_reader *r, int expected, int found);

/* Marks the last record as bad for a caller's own reason (say, "Value
 * 'abc' is not a whole number") and returns "FILE:LINE: why". */
const char *csv_fail(struct csv_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Byte offset of the last record from the start of the buffer. */
size_t csv_offset(const struct csv_reader *r);

/* The physical line (1-based) at byte offset off of buf: 1 + the newlines
 * before it. O(off): call it for error messages, not per record. */
long long csv_line_at(const char *buf, size_t off);

/* Copies f into dst (cap bytes, NUL-terminated, "" pairs undone).
 * Returns the field's unescaped length (as snprintf: may exceed cap-1). */
size_t csv_copy(const struct csv_field *f, char *dst, size_t cap);

/* Is f exactly the string s? (compares the unescaped text) */
bool csv_equals(const struct csv_field *f, const char *s);

/* Cuts buf[begin..len) into n byte ranges of about equal size, each
 * starting at a line start: cuts[0] = begin, cuts[n] = len, and range i is
 * [cuts[i], cuts[i+1]) (possibly empty). cuts has n + 1 entries. Each cut
 * moves forward to the next line start, so that no row is split between
 * two workers: Hadoop's and Spark's input splits do the same. (Like them,
 * this assumes no quoted field holds a newline.) */
void csv_split(const char *buf, size_t len, size_t begin, int n,
               size_t *cuts);

/* Offset of the first line start at or after off (len if none). */
size_t csv_next_line(const char *buf, size_t len, size_t off);

#endif
