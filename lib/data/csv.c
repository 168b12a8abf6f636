/* csv.c - RFC 4180 records as slices of one buffer.
 * The hot loop is the unquoted-field scan: one table lookup per byte until
 * a comma or an end of line. Line numbers are not tracked per record (that
 * would cost a count per byte); an error message counts them once, later.
 */
#define _GNU_SOURCE
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes that end an unquoted field. '\r' ends it only before '\n'. */
static const unsigned char is_stop[256] = {
    [','] = 1, ['\n'] = 1, ['\r'] = 1,
};

static const char why_unterminated[] = "unterminated quoted field";

void csv_init(struct csv_reader *r, const char *buf, size_t len,
              const char *name)
{
    memset(r, 0, sizeof(*r));
    r->base = buf;
    r->pos = buf;
    r->end = buf + len;
    r->rec = buf;
    r->name = name ? name : "(input)";
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        r->pos += 3;
}

void csv_range(struct csv_reader *r, size_t begin, size_t end)
{
    r->pos = r->base + begin;
    r->end = r->base + end;
    r->rec = r->pos;
    if (begin == 0 && end >= 3 && !memcmp(r->pos, "\xEF\xBB\xBF", 3))
        r->pos += 3;
}

/* Is p (a '\r') the start of a line end: "\r\n", or '\r' at the end? */
static inline bool is_cr_eol(const char *p, const char *end)
{
    return p + 1 == end || p[1] == '\n';
}

/* An unquoted field from p: returns where it stopped (',', EOL, end). */
static inline const char *plain_field(const char *p, const char *end,
                                      struct csv_field *f)
{
    f->p = p;
    f->has_escapes = false;
    for (;;) {
        while (p < end && !is_stop[(unsigned char)*p])
            p++;
        if (p < end && *p == '\r' && !is_cr_eol(p, end)) {
            p++;            /* a lone '\r' is data, not a line end */
            continue;
        }
        break;
    }
    f->len = (size_t)(p - f->p);
    return p;
}

/* A quoted field from p (at its opening quote). Returns where it stopped,
 * or NULL with r->why set when the field is malformed. */
static const char *quoted_field(struct csv_reader *r, const char *p,
                                const char *end, struct csv_field *f)
{
    const char *q = p + 1, *c;

    f->p = q;
    f->has_escapes = false;
    for (;;) {
        if (!(c = memchr(q, '"', (size_t)(end - q)))) {
            r->why = why_unterminated;
            return NULL;
        }
        if (c + 1 < end && c[1] == '"') {       /* "" is one quote */
            f->has_escapes = true;
            q = c + 2;
            continue;
        }
        f->len = (size_t)(c - f->p);
        c++;
        if (c < end && *c != ',' && *c != '\n' &&
            !(*c == '\r' && is_cr_eol(c, end))) {
            r->why = "unexpected character after a closing quote";
            return NULL;
        }
        return c;
    }
}

/* After a malformed record: resume at the next line (or the end). */
static int skip_bad(struct csv_reader *r, const char *from)
{
    const char *nl = from < r->end ?
        memchr(from, '\n', (size_t)(r->end - from)) : NULL;

    r->pos = nl ? nl + 1 : r->end;
    return -1;
}

static const char *skip_blank_lines(const char *p, const char *end)
{
    while (p < end && (*p == '\n' || (*p == '\r' && is_cr_eol(p, end))))
        p++;
    return p;
}

int csv_next(struct csv_reader *r, struct csv_field *f, int max)
{
    const char *p = skip_blank_lines(r->pos, r->end), *end = r->end;
    struct csv_field one;
    int n = 0;

    r->pos = p;
    if (p >= end)
        return 0;
    r->rec = p;
    r->why = NULL;
    for (;;) {
        struct csv_field *dst = n < max ? &f[n] : &one;
        if (p < end && *p == '"') {
            const char *q = quoted_field(r, p, end, dst);
            if (!q)
                /* an open quote swallows the rest of the input */
                return skip_bad(r, r->why == why_unterminated ? end : p + 1);
            p = q;
        } else {
            p = plain_field(p, end, dst);
        }
        n++;
        if (p < end && *p == ',') {
            p++;
            continue;       /* "a," at the very end: one more empty field */
        }
        break;
    }
    if (p < end && *p == '\r')
        p++;
    if (p < end && *p == '\n')
        p++;
    r->pos = p;
    return n;
}

long long csv_line_at(const char *buf, size_t off)
{
    const char *p = buf, *end = buf + off;
    long long line = 1;

    while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
        line++;
        p++;
    }
    return line;
}

size_t csv_offset(const struct csv_reader *r)
{
    return (size_t)(r->rec - r->base);
}

const char *csv_error(struct csv_reader *r)
{
    snprintf(r->msg, sizeof(r->msg), "%s:%lld: %s", r->name,
             csv_line_at(r->base, csv_offset(r)),
             r->why ? r->why : "malformed record");
    return r->msg;
}

const char *csv_expect_fields(struct csv_reader *r, int expected, int found)
{
    return csv_fail(r, "expected %d field%s, found %d", expected,
                    expected == 1 ? "" : "s", found);
}

const char *csv_fail(struct csv_reader *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(r->why_buf, sizeof(r->why_buf), fmt, ap);
    va_end(ap);
    r->why = r->why_buf;
    return csv_error(r);
}

size_t csv_copy(const struct csv_field *f, char *dst, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < f->len; i++) {
        if (f->has_escapes && f->p[i] == '"')
            i++;                    /* the first of a "" pair */
        if (n + 1 < cap)
            dst[n] = f->p[i];
        n++;
    }
    if (cap)
        dst[n < cap ? n : cap - 1] = '\0';
    return n;
}

bool csv_equals(const struct csv_field *f, const char *s)
{
    size_t i;

    if (!f->has_escapes)
        return strlen(s) == f->len && !memcmp(f->p, s, f->len);
    for (i = 0; i < f->len; i++, s++) {
        if (f->p[i] == '"')
            i++;
        if (*s != f->p[i])
            return false;
    }
    return *s == '\0';
}

size_t csv_next_line(const char *buf, size_t len, size_t off)
{
    const char *nl;

    if (off == 0 || off >= len || buf[off - 1] == '\n')
        return off < len ? off : len;
    nl = memchr(buf + off, '\n', len - off);
    return nl ? (size_t)(nl - buf) + 1 : len;
}

void csv_split(const char *buf, size_t len, size_t begin, int n,
               size_t *cuts)
{
    size_t span = len > begin ? len - begin : 0;

    cuts[0] = begin;
    for (int i = 1; i < n; i++) {
        size_t at = begin + (size_t)((double)span * i / n);
        at = csv_next_line(buf, len, at);
        cuts[i] = at > cuts[i - 1] ? at : cuts[i - 1];
    }
    cuts[n] = len > begin ? len : begin;
}

