/* show.c - df.show(): the table Spark prints, to the character.
 * Dataset.showString: every cell as text (NULL for null), cut to 20
 * characters with "..." unless truncate=False, each column as wide as its
 * widest cell (at least 3; a Chinese character counts twice), cells
 * right-aligned when cut, left-aligned when not, "only showing top 5
 * rows" when there were more. Notice that Java counts a string's length
 * in UTF-16 units: an emoji is 2.
 */
#include "sql_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_WIDTH = 3 };

/* The code point at s (n bytes left) and its length in bytes. */
static uint32_t code_point(const char *s, size_t n, size_t *len)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = k == 1 ? c : c & (0x3F >> (k - 1));

    if (k > n)
        k = n;
    for (size_t i = 1; i < k; i++)
        cp = cp << 6 | ((unsigned char)s[i] & 0x3F);
    *len = k;
    return cp;
}

/* Spark's fullWidthRegex: the characters a terminal draws two wide. */
static bool is_full_width(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6);
}

/* Java's String.length (UTF-16 units), and Utils.stringHalfWidth. */
static size_t java_length(const char *s, size_t n, size_t *half_width)
{
    size_t units = 0, wide = 0, k;

    for (size_t i = 0; i < n; i += k) {
        uint32_t cp = code_point(s + i, n - i, &k);
        units += cp >= 0x10000 ? 2 : 1;
        wide += is_full_width(cp);
    }
    if (half_width)
        *half_width = units + wide;
    return units;
}

/* Bytes of the first `units` UTF-16 units of s (substring(0, units)). */
static size_t java_prefix(const char *s, size_t n, size_t units)
{
    size_t i = 0, k;

    while (i < n) {
        uint32_t cp = code_point(s + i, n - i, &k);
        size_t u = cp >= 0x10000 ? 2 : 1;
        if (u > units)
            break;
        units -= u;
        i += k;
    }
    return i;
}

/* SchemaUtils.escapeMetaCharacters: a newline must not break the table. */
static void escaped(struct rdd_buf *b, const char *s, size_t n)
{
    static const char from[] = "\n\r\t\f\b\v\a", to[] = "nrtfbva";

    for (size_t i = 0; i < n; i++) {
        const char *c = s[i] ? strchr(from, s[i]) : NULL;
        if (c) {
            rdd_buf_add(b, "\\", 1);
            rdd_buf_add(b, &to[c - from], 1);
        } else {
            rdd_buf_add(b, &s[i], 1);
        }
    }
}

/* One cell's text, escaped and cut as getRows cuts it. */
static char *cell_text(struct rdd_value v, enum sql_type t, int truncate)
{
    struct rdd_buf raw = { 0 }, b = { 0 };
    size_t units;

    sql_cell(&raw, v, t);
    escaped(&b, raw.s ? raw.s : "", raw.len);
    rdd_buf_free(&raw);
    rdd_buf_add(&b, "", 1);             /* NUL-terminated */
    units = java_length(b.s, b.len - 1, NULL);
    if (truncate > 0 && units > (size_t)truncate) {
        size_t keep = java_prefix(b.s, b.len - 1, truncate < 4 ? truncate
                                                               : truncate - 3);
        strcpy(b.s + keep, truncate < 4 ? "" : "...");
    }
    return b.s;
}

static size_t width_of(const char *s)
{
    size_t half;

    java_length(s, strlen(s), &half);
    return half;
}

static void pad(struct rdd_buf *b, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        rdd_buf_add(b, &c, 1);
}

/* |cell|cell| with each cell padded to its column's width. */
static void table_line(struct rdd_buf *b, char *const *cells, int ncols,
                       const size_t *w, bool is_left_pad)
{
    for (int i = 0; i < ncols; i++) {
        size_t gap = w[i] - width_of(cells[i]);
        rdd_buf_add(b, "|", 1);
        if (is_left_pad)
            pad(b, gap, ' ');
        rdd_buf_add(b, cells[i], strlen(cells[i]));
        if (!is_left_pad)
            pad(b, gap, ' ');
    }
    rdd_buf_add(b, "|\n", 2);
}

static void table(struct rdd_buf *b, char *const *cells, int ncols,
                  size_t nlines, bool is_cut)
{
    size_t *w = calloc((size_t)ncols + 1, sizeof(*w));
    struct rdd_buf sep = { 0 };

    for (int i = 0; w && i < ncols; i++) {
        w[i] = MIN_WIDTH;
        for (size_t r = 0; r < nlines; r++)
            if (width_of(cells[r * (size_t)ncols + (size_t)i]) > w[i])
                w[i] = width_of(cells[r * (size_t)ncols + (size_t)i]);
    }
    for (int i = 0; w && i < ncols; i++) {
        rdd_buf_add(&sep, "+", 1);
        pad(&sep, w[i], '-');
    }
    rdd_buf_add(&sep, "+\n", 2);
    rdd_buf_add(b, sep.s, sep.len);
    for (size_t r = 0; w && r < nlines; r++) {
        table_line(b, cells + r * (size_t)ncols, ncols, w, is_cut);
        if (r == 0)
            rdd_buf_add(b, sep.s, sep.len);
    }
    rdd_buf_add(b, sep.s, sep.len);
    rdd_buf_free(&sep);
    free(w);
}

/* show(vertical=True): one " name | value " line per column. */
static void vertical(struct rdd_buf *b, char *const *cells, int ncols,
                     size_t nlines)
{
    size_t name_w = MIN_WIDTH, data_w = MIN_WIDTH;
    char head[64];

    for (size_t r = 0; r < nlines; r++)
        for (int i = 0; i < ncols; i++) {
            size_t w = width_of(cells[r * (size_t)ncols + (size_t)i]);
            size_t *m = r == 0 ? &name_w : &data_w;
            *m = w > *m ? w : *m;
        }
    for (size_t r = 1; r < nlines; r++) {
        int n = snprintf(head, sizeof(head), "-RECORD %zu", r - 1);
        rdd_buf_add(b, head, (size_t)n);
        if ((size_t)n < name_w + data_w + 5)
            pad(b, name_w + data_w + 5 - (size_t)n, '-');
        rdd_buf_add(b, "\n", 1);
        for (int i = 0; i < ncols; i++) {
            const char *name = cells[i];
            const char *data = cells[r * (size_t)ncols + (size_t)i];
            rdd_buf_add(b, " ", 1);
            rdd_buf_add(b, name, strlen(name));
            pad(b, name_w - width_of(name), ' ');
            rdd_buf_add(b, " | ", 3);
            rdd_buf_add(b, data, strlen(data));
            pad(b, data_w - width_of(data), ' ');
            rdd_buf_add(b, " \n", 2);
        }
    }
}

void sql_show(struct rdd_buf *out, const char *const *names, int ncols,
              const enum sql_type *types, const struct rdd_value *rows,
              size_t nrows, int n, int truncate, bool is_vertical)
{
    size_t shown = n < 0 ? 0 : (size_t)n < nrows ? (size_t)n : nrows;
    size_t ncells = (shown + 1) * (size_t)ncols;
    char **cells = sql_xrealloc(NULL, (ncells + 1) * sizeof(*cells));
    char line[64];

    for (int i = 0; i < ncols; i++) {
        struct rdd_buf b = { 0 };
        escaped(&b, names[i], strlen(names[i]));
        rdd_buf_add(&b, "", 1);
        cells[i] = b.s;
    }
    for (size_t r = 0; r < shown; r++)
        for (int i = 0; i < ncols; i++)
            cells[(r + 1) * (size_t)ncols + (size_t)i] =
                cell_text(rows[r].items[i], types[i], truncate);
    if (is_vertical)
        vertical(out, cells, ncols, shown + 1);
    else
        table(out, cells, ncols, shown + 1, truncate > 0);
    if (is_vertical && shown == 0)
        rdd_buf_add(out, "(0 rows)\n", 9);
    else if (nrows > shown)
        rdd_buf_add(out, line, (size_t)snprintf(line, sizeof(line),
                    "only showing top %d row%s\n", n, n == 1 ? "" : "s"));
    for (size_t i = 0; i < ncells; i++)
        free(cells[i]);
    free(cells);
}

void sql_tree_string(struct rdd_buf *out, const char *const *names,
                     const enum sql_type *types, const bool *is_nullable,
                     int ncols)
{
    rdd_buf_add(out, "root\n", 5);
    for (int i = 0; i < ncols; i++) {
        char tail[64];
        rdd_buf_add(out, " |-- ", 5);
        rdd_buf_add(out, names[i], strlen(names[i]));
        rdd_buf_add(out, tail, (size_t)snprintf(tail, sizeof(tail),
                    ": %s (nullable = %s)\n", sql_type_name(types[i]),
                    is_nullable[i] ? "true" : "false"));
    }
}
