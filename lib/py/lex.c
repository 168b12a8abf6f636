/* lex.c - Python's tokens: names, numbers, strings, operators, and the
 * INDENT/DEDENT tokens that make indentation part of the grammar. */
#include "pyint.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct lexer {
    struct ectx *ex;
    const char *src, *p;
    int line;
    const char *line_start;
    int indent[100], nindent;
    int paren;
    struct token *tok;
    size_t n, cap;
    int err_col;
};

static const char *const ops[] = {
    "**=", "//=", "...", "**", "//", "==", "!=", "<=", ">=", "->", "+=",
    "-=", "*=", "/=", "%=", "=>", "<>", "+", "-", "*", "/", "%", "<", ">",
    "=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "@", "~", "&",
    "|", "^", "!", NULL,
};

static struct token *push(struct lexer *lx, enum tk kind, const char *s,
                          size_t len)
{
    if (lx->n == lx->cap) {
        lx->cap = lx->cap ? 2 * lx->cap : 256;
        struct token *t = pa_alloc(lx->ex->arena, lx->cap * sizeof(*t));
        if (lx->n)
            memcpy(t, lx->tok, lx->n * sizeof(*t));
        lx->tok = t;
    }
    struct token *t = &lx->tok[lx->n++];
    memset(t, 0, sizeof(*t));
    t->kind = kind;
    t->s = s;
    t->len = len;
    t->line = lx->line;
    t->col = (int)(s - lx->line_start) + 1;
    return t;
}

static int lex_error(struct lexer *lx, const char *at, const char *msg)
{
    lx->err_col = (int)(at - lx->line_start) + 1;
    lx->ex->line = lx->line;
    py_raise(lx->ex, E_SYNTAX, "%s", msg);
    return -1;
}

/* Code point cp as UTF-8 at out; returns the bytes written. */
static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* \xHH, \uHHHH, \UHHHHHHHH at p (after the backslash): the code point,
 * or -1 when the digits are missing or it is past U+10FFFF. */
static long hex_escape(const char *p)
{
    int digits = *p == 'x' ? 2 : *p == 'u' ? 4 : 8;
    long cp = 0;

    for (int i = 1; i <= digits; i++) {
        if (!isxdigit((unsigned char)p[i]))
            return -1;
        cp = cp * 16 + (isdigit((unsigned char)p[i]) ? p[i] - '0'
                        : (tolower((unsigned char)p[i]) - 'a' + 10));
    }
    return cp > 0x10ffff ? -1 : cp;
}

/* Decodes a string literal's escapes into the arena. */
static int lex_string(struct lexer *lx)
{
    const char *start = lx->p, *p = lx->p;
    bool is_raw = false;

    if (*p == 'r' || *p == 'R') {
        is_raw = true;
        p++;
    }
    char q = *p;
    bool is_triple = p[1] == q && p[2] == q;
    p += is_triple ? 3 : 1;
    char *out = pa_alloc(lx->ex->arena, strlen(p) + 1);
    size_t n = 0;
    for (;;) {
        if (!*p || (!is_triple && *p == '\n')) {
            lx->ex->is_incomplete = is_triple && !*p;
            return lex_error(lx, start, is_triple ?
                "unterminated triple-quoted string literal" :
                "unterminated string literal");
        }
        if (*p == q && (!is_triple || (p[1] == q && p[2] == q))) {
            p += is_triple ? 3 : 1;
            break;
        }
        if (*p == '\n') {
            lx->line++;
            lx->line_start = p + 1;
        }
        if (*p == '\\' && !is_raw && p[1]) {
            p++;
            switch (*p) {
            case 'n': out[n++] = '\n'; break;
            case 't': out[n++] = '\t'; break;
            case 'r': out[n++] = '\r'; break;
            case '0': out[n++] = '\0'; break;
            case 'a': out[n++] = '\a'; break;
            case 'b': out[n++] = '\b'; break;
            case 'f': out[n++] = '\f'; break;
            case 'v': out[n++] = '\v'; break;
            case 'x': case 'u': case 'U': {
                long cp = hex_escape(p);
                if (cp < 0)
                    return lex_error(lx, p - 1, *p == 'x'
                        ? "(unicode error) truncated \\xXX escape"
                        : "(unicode error) truncated \\uXXXX escape");
                n += put_utf8(out + n, (uint32_t)cp);
                p += *p == 'x' ? 2 : *p == 'u' ? 4 : 8;
                break;
            }
            case '\\': out[n++] = '\\'; break;
            case '\'': out[n++] = '\''; break;
            case '"': out[n++] = '"'; break;
            case '\n': lx->line++; lx->line_start = p + 1; break;
            default: out[n++] = '\\'; out[n++] = *p; break;
            }
            p++;
            continue;
        }
        out[n++] = *p++;
    }
    struct token *t = push(lx, T_STR, start, (size_t)(p - start));
    t->str = out;
    t->str_len = n;
    lx->p = p;
    return 0;
}

static int lex_number(struct lexer *lx)
{
    const char *s = lx->p;
    char *end;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        struct token *t = push(lx, T_INT, s, 0);
        t->i = (int64_t)strtoull(s + 2, &end, 16);
        t->len = (size_t)(end - s);
        lx->p = end;
        return 0;
    }
    size_t k = strspn(s, "0123456789");
    bool is_float = s[k] == '.' || s[k] == 'e' || s[k] == 'E';
    if (is_float) {
        struct token *t = push(lx, T_FLOAT, s, 0);
        t->f = strtod(s, &end);
        t->len = (size_t)(end - s);
        lx->p = end;
    } else {
        struct token *t = push(lx, T_INT, s, k);
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno == ERANGE || v > INT64_MAX)
            return lex_error(lx, s, "integer literal too large for this "
                             "subset (64-bit ints)");
        t->i = (int64_t)v;
        lx->p = s + k;
    }
    if (isalpha((unsigned char)*lx->p) || *lx->p == '_')
        return lex_error(lx, lx->p, "invalid decimal literal");
    return 0;
}

/* At a line start: measure indentation, emit INDENT/DEDENT. */
static int lex_indent(struct lexer *lx)
{
    int col = 0;
    const char *p = lx->p;

    for (; *p == ' ' || *p == '\t'; p++)
        col = *p == '\t' ? (col / 8 + 1) * 8 : col + 1;
    if (*p == '\n' || *p == '#' || *p == '\0' || (*p == '\r' && p[1] == '\n'))
        return 0;   /* blank or comment-only lines do not count */
    lx->p = p;
    if (col > lx->indent[lx->nindent]) {
        if (lx->nindent == 99)
            return lex_error(lx, p, "too many levels of indentation");
        lx->indent[++lx->nindent] = col;
        push(lx, T_INDENT, p, 0);
        return 0;
    }
    while (col < lx->indent[lx->nindent]) {
        lx->nindent--;
        push(lx, T_DEDENT, p, 0);
    }
    if (col != lx->indent[lx->nindent])
        return lex_error(lx, p, "unindent does not match any outer "
                         "indentation level");
    return 0;
}

static int lex_op(struct lexer *lx)
{
    for (const char *const *o = ops; *o; o++) {
        size_t n = strlen(*o);
        if (!strncmp(lx->p, *o, n)) {
            if (strchr("([{", **o) && n == 1)
                lx->paren++;
            if (strchr(")]}", **o) && n == 1 && lx->paren > 0)
                lx->paren--;
            push(lx, T_OP, lx->p, n);
            lx->p += n;
            return 0;
        }
    }
    return lex_error(lx, lx->p, "invalid character in identifier");
}

static bool last_is(struct lexer *lx, enum tk k)
{
    return lx->n && lx->tok[lx->n - 1].kind == k;
}

/* Tokenizes src; the array ends with NEWLINE, DEDENTs and T_END.
 * Returns NULL with a SyntaxError set in ex (and *err_col). */
struct token *py_lex(struct ectx *ex, const char *src, int *err_col)
{
    struct lexer lx = { .ex = ex, .src = src, .p = src, .line = 1,
                        .line_start = src };
    bool at_line_start = true;

    while (*lx.p) {
        if (at_line_start && lx.paren == 0) {
            if (lex_indent(&lx) < 0)
                goto fail;
            at_line_start = false;
        }
        char c = *lx.p;
        if (c == '\n' || (c == '\r' && lx.p[1] == '\n')) {
            if (lx.paren == 0 && lx.n && !last_is(&lx, T_NEWLINE) &&
                !last_is(&lx, T_INDENT) && !last_is(&lx, T_DEDENT))
                push(&lx, T_NEWLINE, lx.p, 0);
            lx.p += c == '\r' ? 2 : 1;
            lx.line++;
            lx.line_start = lx.p;
            at_line_start = true;
        } else if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
            lx.p++;
        } else if (c == '#') {
            lx.p += strcspn(lx.p, "\n");
        } else if (c == '\\' && (lx.p[1] == '\n' ||
                   (lx.p[1] == '\r' && lx.p[2] == '\n'))) {
            lx.p += lx.p[1] == '\n' ? 2 : 3;
            lx.line++;
            lx.line_start = lx.p;
        } else if (c == '"' || c == '\'' ||
                   ((c == 'r' || c == 'R') && (lx.p[1] == '"' ||
                                               lx.p[1] == '\''))) {
            if (lex_string(&lx) < 0)
                goto fail;
        } else if (isdigit((unsigned char)c) ||
                   (c == '.' && isdigit((unsigned char)lx.p[1]))) {
            if (lex_number(&lx) < 0)
                goto fail;
        } else if (isalpha((unsigned char)c) || c == '_' ||
                   (unsigned char)c >= 0x80) {
            const char *s = lx.p;
            while (isalnum((unsigned char)*lx.p) || *lx.p == '_' ||
                   (unsigned char)*lx.p >= 0x80)
                lx.p++;
            push(&lx, T_NAME, s, (size_t)(lx.p - s));
        } else if (lex_op(&lx) < 0) {
            goto fail;
        }
    }
    /* an unclosed bracket is left to the parser: it fails at the end of
     * input (incomplete, so the REPL asks for more) or earlier (a real
     * syntax error, reported where it is) */
    if (lx.n && !last_is(&lx, T_NEWLINE) && !last_is(&lx, T_DEDENT))
        push(&lx, T_NEWLINE, lx.p, 0);
    while (lx.nindent > 0) {
        lx.nindent--;
        push(&lx, T_DEDENT, lx.p, 0);
    }
    push(&lx, T_END, lx.p, 0);
    return lx.tok;
fail:
    *err_col = lx.err_col;
    return NULL;
}
