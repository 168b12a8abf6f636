/* repr.c - print values exactly as Python prints them.
 * The lecture's outputs are Python's: [1, 2, 3], ('cat', 3), 'it''s' as
 * "it's". A student comparing with PySpark should see the same text.
 */
#include "rdd_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rdd_buf_add(struct rdd_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = 2 * (b->len + n + 1) + 64;
        b->s = rdd_xrealloc(b->s, b->cap);
    }
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void add_s(struct rdd_buf *b, const char *s)
{
    rdd_buf_add(b, s, strlen(s));
}

void rdd_buf_free(struct rdd_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* Python's str.isprintable() for one code point. Exact for ASCII and
 * Latin-1; above that the usual separators, format characters,
 * surrogates and private use are not printable (CPython has the full
 * Unicode table; rare unassigned code points may differ). */
static bool is_printable(uint32_t c)
{
    if (c < 0x20 || c == 0x7F)
        return false;
    if (c < 0x7F)
        return true;
    if (c <= 0xA0 || c == 0xAD)
        return false;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200F) ||
        (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) ||
        c == 0x3000 || c == 0xFEFF || c == 0x061C || c == 0x180E ||
        (c >= 0x0600 && c <= 0x0605) || c == 0x06DD || c == 0x070F)
        return false;
    if ((c >= 0xD800 && c <= 0xDFFF) || (c >= 0xE000 && c <= 0xF8FF) ||
        (c & 0xFFFE) == 0xFFFE || c >= 0xF0000 ||
        (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE007F))
        return false;
    return true;
}

static void repr_str(struct rdd_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    char quote = '\'', esc[16];
    size_t i, adv;

    if (memchr(s, '\'', n) && !memchr(s, '"', n))
        quote = '"';
    rdd_buf_add(b, &quote, 1);
    for (i = 0; i < n; i += adv) {
        uint32_t c = rdd_utf8_next(u + i, n - i, &adv);
        if (c == (uint32_t)quote || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            rdd_buf_add(b, esc, 2);
        } else if (c == '\t' || c == '\n' || c == '\r') {
            add_s(b, c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
        } else if (is_printable(c)) {
            rdd_buf_add(b, s + i, adv);
        } else {
            snprintf(esc, sizeof(esc), c < 0x100 ? "\\x%02x" :
                     c < 0x10000 ? "\\u%04x" : "\\U%08x", c);
            add_s(b, esc);
        }
    }
    rdd_buf_add(b, &quote, 1);
}

/* Python's repr(float): the shortest digits that read back the same,
 * fixed notation for exponents -4..15, else 1e+16 style. */
static void repr_float(struct rdd_buf *b, double v)
{
    char digits[40], out[64];
    int p, exp;

    if (isnan(v)) {
        add_s(b, "nan");
        return;
    }
    if (isinf(v)) {
        add_s(b, v > 0 ? "inf" : "-inf");
        return;
    }
    for (p = 1; p <= 17; p++) {
        snprintf(digits, sizeof(digits), "%.*e", p - 1, v);
        if (strtod(digits, NULL) == v)
            break;
    }
    exp = atoi(strchr(digits, 'e') + 1);
    if (exp < -4 || exp >= 16) {
        char *e = strchr(digits, 'e');
        *e = '\0';
        snprintf(out, sizeof(out), "%se%c%02d", digits, exp < 0 ? '-' : '+',
                 abs(exp));
    } else {
        int decimals = p - 1 - exp;
        snprintf(out, sizeof(out), "%.*f", decimals > 0 ? decimals : 0, v);
        if (!strchr(out, '.'))
            strcat(out, ".0");
    }
    add_s(b, out);
}

static void repr_items(struct rdd_buf *b, const struct rdd_value *v,
                       size_t n, const char *open, const char *close)
{
    add_s(b, open);
    for (size_t i = 0; i < n; i++) {
        if (i)
            add_s(b, ", ");
        rdd_repr(b, v[i]);
    }
    add_s(b, close);
}

void rdd_repr(struct rdd_buf *b, struct rdd_value v)
{
    char num[32];
    uint32_t i;

    switch (v.kind) {
    case RDD_NONE:
        add_s(b, "None");
        break;
    case RDD_INT:
        snprintf(num, sizeof(num), "%lld", (long long)v.i);
        add_s(b, num);
        break;
    case RDD_BOOL:
        add_s(b, v.i ? "True" : "False");
        break;
    case RDD_FLOAT:
        repr_float(b, v.f);
        break;
    case RDD_STR:
        repr_str(b, v.s, v.len);
        break;
    case RDD_LIST:
        repr_items(b, v.items, v.len, "[", "]");
        break;
    case RDD_TUPLE:
        repr_items(b, v.items, v.len, "(", v.len == 1 ? ",)" : ")");
        break;
    case RDD_OBJ:
        add_s(b, "<object>");     /* only its embedding can say */
        break;
    case RDD_DICT:
        add_s(b, "{");
        for (i = 0; i < v.len; i++) {
            add_s(b, i ? ", " : "");
            rdd_repr(b, v.items[2 * i]);
            add_s(b, ": ");
            rdd_repr(b, v.items[2 * i + 1]);
        }
        add_s(b, "}");
        break;
    }
}

void rdd_str_of(struct rdd_buf *b, struct rdd_value v)
{
    if (v.kind == RDD_STR)
        rdd_buf_add(b, v.s, v.len);
    else
        rdd_repr(b, v);
}

void rdd_repr_list(struct rdd_buf *b, const struct rdd_value *v, size_t n)
{
    repr_items(b, v, n, "[", "]");
}
