/* builtins.c - Python's builtin functions and the str, list and dict
 * methods the lecture's snippets and Spark's doctests use. */
#include "pyint.h"
#include "rdd/rdd.h"
#include "words.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BI(name) static struct pv name(struct ectx *ex, struct pv self, \
    struct pv *a, int n, const char **kw, struct pv *kwv, int nkw)
#define UNUSED_ARGS (void)ex; (void)self; (void)a; (void)n; (void)kw; \
    (void)kwv; (void)nkw

static struct pv arity(struct ectx *ex, const char *fn, int min, int max,
                       int n)
{
    if (min == max)
        return py_raise(ex, E_TYPE, "%s() takes exactly %d argument%s (%d "
                        "given)", fn, min, min == 1 ? "" : "s", n);
    return py_raise(ex, E_TYPE, "%s() takes from %d to %d arguments (%d "
                    "given)", fn, min, max, n);
}

#define ARGS(fn, min, max) \
    do { if (n < (min) || n > (max)) return arity(ex, fn, min, max, n); \
    } while (0)

static struct pv *kwarg(const char *name, const char **kw, struct pv *kwv,
                        int nkw)
{
    for (int i = 0; i < nkw; i++)
        if (!strcmp(kw[i], name))
            return &kwv[i];
    return NULL;
}

static struct pv new_str(struct ectx *ex, const char *s, size_t n)
{
    return pv_str(pa_strndup(ex->arena, s, n), n);
}

static struct pv from_sbuf(struct ectx *ex, struct sbuf *b)
{
    struct pv s = new_str(ex, b->s ? b->s : "", b->len);

    free(b->s);
    return s;
}

/* ---- functions --------------------------------------------------------- */

BI(bi_len)
{
    UNUSED_ARGS;
    ARGS("len", 1, 1);
    switch (a[0].kind) {
    case PK_STR: {
        size_t k;
        pv_iter_items(ex, a[0], &k);
        return pv_int((int64_t)k);
    }
    case PK_TUPLE: return pv_int(a[0].len);
    case PK_LIST:
    case PK_SET: return pv_int((int64_t)a[0].list->n);
    case PK_DICT: return pv_int((int64_t)a[0].dict->n);
    case PK_RANGE:      /* counted, not listed: len(range(10**12)) */
        return pv_int((int64_t)rdd_range_len(a[0].range->start,
                                             a[0].range->stop,
                                             a[0].range->step));
    default:
        return py_raise(ex, E_TYPE, "object of type '%s' has no len()",
                        pv_type_name(a[0]));
    }
}

BI(bi_range)
{
    UNUSED_ARGS;
    ARGS("range", 1, 3);
    for (int i = 0; i < n; i++)
        if (a[i].kind != PK_INT && a[i].kind != PK_BOOL)
            return py_raise(ex, E_TYPE, "'%s' object cannot be interpreted "
                            "as an integer", pv_type_name(a[i]));
    struct prange *r = pa_alloc(ex->arena, sizeof(*r));
    r->start = n > 1 ? a[0].i : 0;
    r->stop = n > 1 ? a[1].i : a[0].i;
    r->step = n > 2 ? a[2].i : 1;
    if (r->step == 0)
        return py_raise(ex, E_VALUE, "range() arg 3 must not be zero");
    return (struct pv){ .kind = PK_RANGE, .range = r };
}

static struct pv parse_int_str(struct ectx *ex, struct pv s)
{
    char buf[64];
    size_t i = 0, j = s.len;

    while (i < j && isspace((unsigned char)s.s[i]))
        i++;
    while (j > i && isspace((unsigned char)s.s[j - 1]))
        j--;
    if (j - i == 0 || j - i >= sizeof(buf))
        goto bad;
    memcpy(buf, s.s + i, j - i);
    buf[j - i] = '\0';
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (*end)
        goto bad;
    return pv_int(v);
bad:;
    struct sbuf b = { 0 };
    pv_repr(&b, s);
    py_raise(ex, E_VALUE, "invalid literal for int() with base 10: %s", b.s);
    free(b.s);
    return pv_none();
}

BI(bi_int)
{
    UNUSED_ARGS;
    ARGS("int", 0, 1);
    if (n == 0)
        return pv_int(0);
    switch (a[0].kind) {
    case PK_INT:
    case PK_BOOL: return pv_int(a[0].i);
    case PK_FLOAT:
        if (!isfinite(a[0].f))
            return py_raise(ex, E_OVERFLOW, "cannot convert float infinity "
                            "to integer");
        return pv_int((int64_t)a[0].f);
    case PK_STR: return parse_int_str(ex, a[0]);
    default:
        return py_raise(ex, E_TYPE, "int() argument must be a string, a "
                        "bytes-like object or a real number, not '%s'",
                        pv_type_name(a[0]));
    }
}

BI(bi_float)
{
    UNUSED_ARGS;
    ARGS("float", 0, 1);
    if (n == 0)
        return pv_float(0);
    if (a[0].kind == PK_INT || a[0].kind == PK_BOOL)
        return pv_float((double)a[0].i);
    if (a[0].kind == PK_FLOAT)
        return a[0];
    if (a[0].kind == PK_STR) {
        char buf[64], *end;
        size_t k = a[0].len < 63 ? a[0].len : 63;
        memcpy(buf, a[0].s, k);
        buf[k] = '\0';
        double v = strtod(buf, &end);
        while (isspace((unsigned char)*end))
            end++;
        if (k && !*end && !isspace((unsigned char)buf[0]))
            return pv_float(v);
        struct sbuf b = { 0 };
        pv_repr(&b, a[0]);
        py_raise(ex, E_VALUE, "could not convert string to float: %s", b.s);
        free(b.s);
        return pv_none();
    }
    return py_raise(ex, E_TYPE, "float() argument must be a string or a real "
                    "number, not '%s'", pv_type_name(a[0]));
}

BI(bi_str)
{
    UNUSED_ARGS;
    ARGS("str", 0, 1);
    if (n == 0)
        return pv_str("", 0);
    if (a[0].kind == PK_STR)
        return a[0];
    struct sbuf b = { 0 };
    pv_str_of(&b, a[0]);
    return from_sbuf(ex, &b);
}

BI(bi_repr)
{
    UNUSED_ARGS;
    ARGS("repr", 1, 1);
    struct sbuf b = { 0 };
    pv_repr(&b, a[0]);
    return from_sbuf(ex, &b);
}

BI(bi_bool)
{
    UNUSED_ARGS;
    ARGS("bool", 0, 1);
    return pv_bool(n && pv_truthy(a[0]));
}

BI(bi_abs)
{
    UNUSED_ARGS;
    ARGS("abs", 1, 1);
    if (a[0].kind == PK_INT || a[0].kind == PK_BOOL)
        return pv_int(a[0].i < 0 ? -a[0].i : a[0].i);
    if (a[0].kind == PK_FLOAT)
        return pv_float(fabs(a[0].f));
    return py_raise(ex, E_TYPE, "bad operand type for abs(): '%s'",
                    pv_type_name(a[0]));
}

static struct pv items_list(struct ectx *ex, struct pv v)
{
    size_t k;
    struct pv *items = pv_iter_items(ex, v, &k);
    struct pv l = pv_list(ex, k);

    for (size_t i = 0; items && i < k; i++)
        pv_list_push(ex, l, items[i]);
    return l;
}

BI(bi_list)
{
    UNUSED_ARGS;
    ARGS("list", 0, 1);
    return n ? items_list(ex, a[0]) : pv_list(ex, 4);
}

BI(bi_tuple)
{
    UNUSED_ARGS;
    ARGS("tuple", 0, 1);
    if (n == 0)
        return pv_tuple(ex, 0);
    if (a[0].kind == PK_TUPLE)
        return a[0];
    size_t k;
    struct pv *items = pv_iter_items(ex, a[0], &k);
    struct pv t = pv_tuple(ex, (int)k);
    if (items)
        memcpy(t.items, items, k * sizeof(struct pv));
    return t;
}

BI(bi_set)
{
    UNUSED_ARGS;
    ARGS("set", 0, 1);
    struct pv s = pv_list(ex, 8);
    s.kind = PK_SET;
    size_t k = 0;
    struct pv *items = n ? pv_iter_items(ex, a[0], &k) : NULL;
    for (size_t i = 0; items && i < k; i++) {
        bool seen = false;
        for (size_t j = 0; j < s.list->n && !seen; j++)
            seen = pv_equal(s.list->items[j], items[i]);
        if (!seen)
            pv_list_push(ex, s, items[i]);
    }
    return s;
}

BI(bi_dict)
{
    UNUSED_ARGS;
    ARGS("dict", 0, 1);
    struct pv d = pv_dict(ex);
    size_t k = 0;
    struct pv *items = n ? pv_iter_items(ex, a[0], &k) : NULL;
    if (n && a[0].kind == PK_DICT) {
        for (size_t i = 0; i < a[0].dict->n; i++)
            pv_dict_set(ex, d, a[0].dict->keys[i], a[0].dict->vals[i]);
        return d;
    }
    for (size_t i = 0; items && i < k; i++) {
        size_t m;
        struct pv *kv = pv_iter_items(ex, items[i], &m);
        if (!kv || m != 2)
            return py_raise(ex, E_VALUE, "dictionary update sequence "
                            "element #%zu has length %zu; 2 is required",
                            i, m);
        pv_dict_set(ex, d, kv[0], kv[1]);
    }
    for (int i = 0; i < nkw; i++)
        pv_dict_set(ex, d, new_str(ex, kw[i], strlen(kw[i])), kwv[i]);
    return d;
}

BI(bi_sum)
{
    UNUSED_ARGS;
    ARGS("sum", 1, 2);
    size_t k;
    struct pv *items = pv_iter_items(ex, a[0], &k);
    struct pv acc = n > 1 ? a[1] : pv_int(0);
    for (size_t i = 0; items && i < k && !FAILED(ex); i++)
        acc = py_binop(ex, OP_ADD, acc, items[i]);
    return acc;
}

/* sorted()/min()/max() compare through an optional key function. */
struct sort_ctx {
    struct ectx *ex;
    struct pv key;
    bool has_key;
};

static struct pv key_of(struct sort_ctx *c, struct pv v)
{
    return c->has_key ? py_call(c->ex, c->key, &v, 1, NULL, NULL, 0) : v;
}

static void merge_sort(struct sort_ctx *c, struct pv *v, struct pv *k,
                       struct pv *tv, struct pv *tk, size_t n)
{
    if (n < 2 || FAILED(c->ex))
        return;
    size_t h = n / 2, i = 0, j = h, o = 0;
    merge_sort(c, v, k, tv, tk, h);
    merge_sort(c, v + h, k + h, tv, tk, n - h);
    while (i < h && j < n && !FAILED(c->ex)) {
        /* stable: take from the left unless the right is smaller */
        bool right = pv_compare(c->ex, k[j], k[i]) < 0;
        tv[o] = right ? v[j] : v[i];
        tk[o++] = right ? k[j++] : k[i++];
    }
    while (i < h) {
        tv[o] = v[i];
        tk[o++] = k[i++];
    }
    while (j < n) {
        tv[o] = v[j];
        tk[o++] = k[j++];
    }
    memcpy(v, tv, n * sizeof(*v));
    memcpy(k, tk, n * sizeof(*k));
}

BI(bi_sorted)
{
    UNUSED_ARGS;
    ARGS("sorted", 1, 1);
    struct pv *key = kwarg("key", kw, kwv, nkw), *rev = kwarg("reverse", kw,
                                                              kwv, nkw);
    struct sort_ctx c = { ex, key ? *key : pv_none(),
                          key && key->kind != PK_NONE };
    struct pv l = items_list(ex, a[0]);
    size_t k = l.list->n;
    struct pv *keys = pa_alloc(ex->arena, (k + 1) * sizeof(struct pv));
    struct pv *tv = pa_alloc(ex->arena, (k + 1) * sizeof(struct pv));
    struct pv *tk = pa_alloc(ex->arena, (k + 1) * sizeof(struct pv));
    for (size_t i = 0; i < k && !FAILED(ex); i++)
        keys[i] = key_of(&c, l.list->items[i]);
    if (rev && pv_truthy(*rev)) {
        /* reverse=True keeps equal items in order: sort the reversal, then
         * reverse back (what CPython's stable sort guarantees) */
        for (size_t i = 0; i < k / 2; i++) {
            struct pv t = l.list->items[i];
            l.list->items[i] = l.list->items[k - 1 - i];
            l.list->items[k - 1 - i] = t;
            t = keys[i];
            keys[i] = keys[k - 1 - i];
            keys[k - 1 - i] = t;
        }
        merge_sort(&c, l.list->items, keys, tv, tk, k);
        for (size_t i = 0; i < k / 2; i++) {
            struct pv t = l.list->items[i];
            l.list->items[i] = l.list->items[k - 1 - i];
            l.list->items[k - 1 - i] = t;
        }
    } else {
        merge_sort(&c, l.list->items, keys, tv, tk, k);
    }
    return l;
}

static struct pv min_max(struct ectx *ex, struct pv *a, int n,
                         const char **kw, struct pv *kwv, int nkw, int sign,
                         const char *name)
{
    struct pv *key = kwarg("key", kw, kwv, nkw);
    struct sort_ctx c = { ex, key ? *key : pv_none(), key != NULL };
    size_t k;
    struct pv *items = n == 1 ? pv_iter_items(ex, a[0], &k) : a;

    if (n > 1)
        k = (size_t)n;
    if (n == 0)
        return arity(ex, name, 1, 1, 0);
    if (!items || k == 0)
        return FAILED(ex) ? pv_none() : py_raise(ex, E_VALUE, "%s() arg is "
                                                 "an empty sequence", name);
    struct pv best = items[0], bk = key_of(&c, best);
    for (size_t i = 1; i < k && !FAILED(ex); i++) {
        struct pv ik = key_of(&c, items[i]);
        if (pv_compare(ex, ik, bk) * sign > 0) {
            best = items[i];
            bk = ik;
        }
    }
    return best;
}

BI(bi_min) { UNUSED_ARGS; return min_max(ex, a, n, kw, kwv, nkw, -1, "min"); }
BI(bi_max) { UNUSED_ARGS; return min_max(ex, a, n, kw, kwv, nkw, 1, "max"); }

BI(bi_print)
{
    UNUSED_ARGS;
    struct pv *sep = kwarg("sep", kw, kwv, nkw), *end = kwarg("end", kw, kwv,
                                                              nkw);
    struct sbuf b = { 0 };
    for (int i = 0; i < n; i++) {
        if (i) {
            if (sep && sep->kind == PK_STR)
                sb_add(&b, sep->s, sep->len);
            else
                sb_add(&b, " ", 1);
        }
        pv_str_of(&b, a[i]);
    }
    if (end && end->kind == PK_STR)
        sb_add(&b, end->s, end->len);
    else
        sb_add(&b, "\n", 1);
    fwrite(b.s, 1, b.len, ex->s->out);
    free(b.s);
    return pv_none();
}

BI(bi_isinstance)
{
    UNUSED_ARGS;
    ARGS("isinstance", 2, 2);
    if (a[1].kind != PK_BUILTIN)
        return py_raise(ex, E_TYPE, "isinstance() arg 2 must be a type");
    const char *t = a[1].bi->name;
    return pv_bool(!strcmp(t, pv_type_name(a[0])) ||
                   (!strcmp(t, "int") && a[0].kind == PK_BOOL));
}

BI(bi_enumerate)
{
    UNUSED_ARGS;
    ARGS("enumerate", 1, 2);
    size_t k;
    struct pv *items = pv_iter_items(ex, a[0], &k);
    struct pv l = pv_list(ex, k);
    int64_t start = n > 1 ? a[1].i : 0;
    for (size_t i = 0; items && i < k; i++) {
        struct pv t = pv_tuple(ex, 2);
        t.items[0] = pv_int(start + (int64_t)i);
        t.items[1] = items[i];
        pv_list_push(ex, l, t);
    }
    return l;
}

BI(bi_zip)
{
    UNUSED_ARGS;
    struct pv *items[8];
    size_t k[8], m = (size_t)-1;
    if (n > 8)
        return py_raise(ex, E_TYPE, "zip() of more than 8 iterables");
    for (int i = 0; i < n; i++) {
        if (!(items[i] = pv_iter_items(ex, a[i], &k[i])) && k[i])
            return pv_none();
        if (FAILED(ex))
            return pv_none();
        if (k[i] < m)
            m = k[i];
    }
    struct pv l = pv_list(ex, 8);
    for (size_t j = 0; n && j < m; j++) {
        struct pv t = pv_tuple(ex, n);
        for (int i = 0; i < n; i++)
            t.items[i] = items[i][j];
        pv_list_push(ex, l, t);
    }
    return l;
}

BI(bi_op_add) { UNUSED_ARGS; ARGS("add", 2, 2); return py_binop(ex, OP_ADD, a[0], a[1]); }
BI(bi_op_sub) { UNUSED_ARGS; ARGS("sub", 2, 2); return py_binop(ex, OP_SUB, a[0], a[1]); }
BI(bi_op_mul) { UNUSED_ARGS; ARGS("mul", 2, 2); return py_binop(ex, OP_MUL, a[0], a[1]); }
BI(bi_op_div) { UNUSED_ARGS; ARGS("truediv", 2, 2); return py_binop(ex, OP_DIV, a[0], a[1]); }

BI(bi_spark_context)
{
    UNUSED_ARGS;
    /* SparkContext("local", "wordCount", ...) gives the session's own */
    return py_make_context(ex->s);
}

BI(bi_type_only)
{
    UNUSED_ARGS;
    return py_raise(ex, E_TYPE, "this name is a type in this subset; call "
                    "it only through isinstance()");
}

static const struct pbuiltin builtins[] = {
    { "len", bi_len }, { "range", bi_range }, { "int", bi_int },
    { "float", bi_float }, { "str", bi_str }, { "repr", bi_repr },
    { "bool", bi_bool }, { "abs", bi_abs }, { "list", bi_list },
    { "tuple", bi_tuple }, { "set", bi_set }, { "dict", bi_dict },
    { "sum", bi_sum }, { "sorted", bi_sorted }, { "min", bi_min },
    { "max", bi_max }, { "print", bi_print }, { "isinstance", bi_isinstance },
    { "enumerate", bi_enumerate }, { "zip", bi_zip },
    { "operator.add", bi_op_add }, { "operator.sub", bi_op_sub },
    { "operator.mul", bi_op_mul }, { "operator.truediv", bi_op_div },
    { "SparkContext", bi_spark_context }, { "SparkSession", bi_type_only },
    { "SparkConf", bi_type_only },
    { NULL, NULL },
};

const struct pbuiltin *py_find_builtin(const char *name)
{
    for (const struct pbuiltin *b = builtins; b->name; b++)
        if (!strcmp(b->name, name))
            return b;
    return NULL;
}

/* ---- str methods ----------------------------------------------------- */

/* Bytes of the whitespace character at s.s[i] / ending at s.s[j], 0 if
 * none: ASCII and Unicode spaces, as str.isspace() (lib/words). */
static size_t space_at(struct pv s, size_t i)
{
    return words_space_len((const unsigned char *)s.s + i, s.len - i);
}

static size_t space_before(struct pv s, size_t i, size_t j)
{
    for (size_t k = 1; k <= 3 && k <= j - i; k++)
        if (words_space_len((const unsigned char *)s.s + j - k, k) == k)
            return k;
    return 0;
}

/* str.split(): runs of whitespace; after maxsplit words, the rest as it
 * is (only its leading whitespace dropped), as Python does. */
static struct pv split_ws(struct ectx *ex, struct pv s, int64_t maxsplit)
{
    struct pv l = pv_list(ex, 8);
    size_t i = 0, j, k;

    for (;;) {
        while (i < s.len && (k = space_at(s, i)))
            i += k;
        if (i == s.len)
            break;
        if (maxsplit >= 0 && (int64_t)l.list->n == maxsplit) {
            pv_list_push(ex, l, pv_str(s.s + i, s.len - i));
            break;
        }
        for (j = i; j < s.len && !space_at(s, j); j++)
            ;
        pv_list_push(ex, l, pv_str(s.s + i, j - i));
        i = j;
    }
    return l;
}

static struct pv split_sep(struct ectx *ex, struct pv s, struct pv sep,
                           int64_t maxsplit)
{
    struct pv l = pv_list(ex, 8);
    uint32_t i = 0, start = 0;

    if (sep.len == 0)
        return py_raise(ex, E_VALUE, "empty separator");
    while (i + sep.len <= s.len) {
        if (maxsplit >= 0 && (int64_t)l.list->n == maxsplit)
            break;
        if (!memcmp(s.s + i, sep.s, sep.len)) {
            pv_list_push(ex, l, pv_str(s.s + start, i - start));
            i += sep.len;
            start = i;
        } else {
            i++;
        }
    }
    pv_list_push(ex, l, pv_str(s.s + start, s.len - start));
    return l;
}

BI(m_split)
{
    UNUSED_ARGS;
    ARGS("split", 0, 2);
    struct pv *sep = n > 0 ? &a[0] : kwarg("sep", kw, kwv, nkw);
    struct pv *ms = n > 1 ? &a[1] : kwarg("maxsplit", kw, kwv, nkw);
    int64_t maxsplit = ms ? ms->i : -1;
    if (!sep || sep->kind == PK_NONE)
        return split_ws(ex, self, maxsplit);
    if (sep->kind != PK_STR)
        return py_raise(ex, E_TYPE, "must be str or None, not %s",
                        pv_type_name(*sep));
    return split_sep(ex, self, *sep, maxsplit);
}

static struct pv affix(struct ectx *ex, struct pv self, struct pv *a, int n,
                       bool is_start, const char *name)
{
    ARGS(name, 1, 1);
    size_t k = 1;
    struct pv *opts = a[0].kind == PK_TUPLE ? a[0].items : a;
    if (a[0].kind == PK_TUPLE)
        k = a[0].len;
    for (size_t i = 0; i < k; i++) {
        struct pv p = opts[i];
        if (p.kind != PK_STR)
            return py_raise(ex, E_TYPE, "%s first arg must be str or a tuple "
                            "of str, not %s", name, pv_type_name(p));
        if (p.len <= self.len &&
            !memcmp(self.s + (is_start ? 0 : self.len - p.len), p.s, p.len))
            return pv_bool(true);
    }
    return pv_bool(false);
}

BI(m_startswith) { UNUSED_ARGS; return affix(ex, self, a, n, true, "startswith"); }
BI(m_endswith) { UNUSED_ARGS; return affix(ex, self, a, n, false, "endswith"); }

static struct pv strip(struct ectx *ex, struct pv self, struct pv *a, int n,
                       bool left, bool right)
{
    ARGS("strip", 0, 1);
    const char *chars = NULL;
    size_t nc = 0;
    if (n && a[0].kind == PK_STR) {
        chars = a[0].s;
        nc = a[0].len;
    }
    size_t i = 0, j = self.len, k;
    if (!chars) {               /* whitespace, Unicode's too */
        while (left && i < j && (k = space_at(self, i)))
            i += k;
        while (right && j > i && (k = space_before(self, i, j)))
            j -= k;
        return pv_str(self.s + i, j - i);
    }
    while (left && i < j && memchr(chars, self.s[i], nc))
        i++;
    while (right && j > i && memchr(chars, self.s[j - 1], nc))
        j--;
    return pv_str(self.s + i, j - i);
}

BI(m_strip) { UNUSED_ARGS; return strip(ex, self, a, n, true, true); }
BI(m_lstrip) { UNUSED_ARGS; return strip(ex, self, a, n, true, false); }
BI(m_rstrip) { UNUSED_ARGS; return strip(ex, self, a, n, false, true); }

static struct pv change_case(struct ectx *ex, struct pv self, bool is_upper)
{
    char *d = pa_alloc(ex->arena, self.len + 1);

    for (uint32_t i = 0; i < self.len; i++)
        d[i] = (char)(is_upper ? toupper((unsigned char)self.s[i])
                               : tolower((unsigned char)self.s[i]));
    return pv_str(d, self.len);
}

BI(m_lower) { UNUSED_ARGS; ARGS("lower", 0, 0); return change_case(ex, self, false); }
BI(m_upper) { UNUSED_ARGS; ARGS("upper", 0, 0); return change_case(ex, self, true); }

BI(m_replace)
{
    UNUSED_ARGS;
    ARGS("replace", 2, 3);
    if (a[0].kind != PK_STR || a[1].kind != PK_STR)
        return py_raise(ex, E_TYPE, "replace() arguments must be str");
    int64_t count = n > 2 ? a[2].i : -1;
    struct sbuf b = { 0 };
    uint32_t i = 0;
    while (i < self.len) {
        if (count != 0 && a[0].len && i + a[0].len <= self.len &&
            !memcmp(self.s + i, a[0].s, a[0].len)) {
            sb_add(&b, a[1].s, a[1].len);
            i += a[0].len;
            count--;
        } else {
            sb_add(&b, self.s + i, 1);
            i++;
        }
    }
    return from_sbuf(ex, &b);
}

BI(m_join)
{
    UNUSED_ARGS;
    ARGS("join", 1, 1);
    size_t k;
    struct pv *items = pv_iter_items(ex, a[0], &k);
    struct sbuf b = { 0 };
    for (size_t i = 0; items && i < k; i++) {
        if (items[i].kind != PK_STR) {
            free(b.s);
            return py_raise(ex, E_TYPE, "sequence item %zu: expected str "
                            "instance, %s found", i, pv_type_name(items[i]));
        }
        if (i)
            sb_add(&b, self.s, self.len);
        sb_add(&b, items[i].s, items[i].len);
    }
    return from_sbuf(ex, &b);
}

/* "{} and {0} and {name}".format(...) */
BI(m_format)
{
    UNUSED_ARGS;
    struct sbuf b = { 0 };
    int auto_i = 0;
    for (uint32_t i = 0; i < self.len; i++) {
        char c = self.s[i];
        if ((c == '{' || c == '}') && i + 1 < self.len && self.s[i + 1] == c) {
            sb_add(&b, &c, 1);
            i++;
            continue;
        }
        if (c != '{') {
            sb_add(&b, &c, 1);
            continue;
        }
        uint32_t j = i + 1;
        while (j < self.len && self.s[j] != '}' && self.s[j] != ':')
            j++;
        char field[64];
        size_t fl = j - i - 1 < 63 ? j - i - 1 : 63;
        memcpy(field, self.s + i + 1, fl);
        field[fl] = '\0';
        while (j < self.len && self.s[j] != '}')
            j++;
        struct pv *v = NULL;
        if (fl == 0) {
            v = auto_i < n ? &a[auto_i++] : NULL;
        } else if (isdigit((unsigned char)field[0])) {
            int k = atoi(field);
            v = k < n ? &a[k] : NULL;
        } else {
            v = kwarg(field, kw, kwv, nkw);
        }
        if (!v) {
            free(b.s);
            return fl && !isdigit((unsigned char)field[0]) ?
                py_raise(ex, E_KEY, "'%s'", field) :
                py_raise(ex, E_INDEX, "Replacement index %d out of range for "
                         "positional args tuple", fl ? atoi(field) : auto_i);
        }
        pv_str_of(&b, *v);
        i = j;
    }
    return from_sbuf(ex, &b);
}

static int64_t find_sub(struct pv s, struct pv sub)
{
    for (uint32_t i = 0; i + sub.len <= s.len; i++)
        if (!memcmp(s.s + i, sub.s, sub.len))
            return i;
    return -1;
}

BI(m_find)
{
    UNUSED_ARGS;
    ARGS("find", 1, 1);
    if (a[0].kind != PK_STR)
        return py_raise(ex, E_TYPE, "must be str, not %s", pv_type_name(a[0]));
    return pv_int(find_sub(self, a[0]));
}

BI(m_count)
{
    UNUSED_ARGS;
    ARGS("count", 1, 1);
    if (self.kind != PK_STR) {
        size_t k;
        int64_t c = 0;
        struct pv *items = pv_iter_items(ex, self, &k);
        for (size_t i = 0; items && i < k; i++)
            c += pv_equal(items[i], a[0]);
        return pv_int(c);
    }
    if (a[0].kind != PK_STR)
        return py_raise(ex, E_TYPE, "must be str, not %s", pv_type_name(a[0]));
    if (a[0].len == 0)
        return pv_int((int64_t)self.len + 1);
    int64_t c = 0;
    for (uint32_t i = 0; i + a[0].len <= self.len;) {
        if (!memcmp(self.s + i, a[0].s, a[0].len)) {
            c++;
            i += a[0].len;
        } else {
            i++;
        }
    }
    return pv_int(c);
}

static struct pv str_test(struct pv self, int (*pred)(int))
{
    if (self.len == 0)
        return pv_bool(false);
    for (uint32_t i = 0; i < self.len; i++)
        if (!pred((unsigned char)self.s[i]))
            return pv_bool(false);
    return pv_bool(true);
}

BI(m_isdigit) { UNUSED_ARGS; return str_test(self, isdigit); }
BI(m_isalpha) { UNUSED_ARGS; return str_test(self, isalpha); }
BI(m_isspace) { UNUSED_ARGS; return str_test(self, isspace); }

static const struct pbuiltin str_methods[] = {
    { "split", m_split }, { "startswith", m_startswith },
    { "endswith", m_endswith }, { "strip", m_strip }, { "lstrip", m_lstrip },
    { "rstrip", m_rstrip }, { "lower", m_lower }, { "upper", m_upper },
    { "replace", m_replace }, { "join", m_join }, { "format", m_format },
    { "find", m_find }, { "count", m_count }, { "isdigit", m_isdigit },
    { "isalpha", m_isalpha }, { "isspace", m_isspace }, { NULL, NULL },
};

const char *const py_str_method_names[] = { "split", "startswith",
    "endswith", "strip", "lstrip", "rstrip", "lower", "upper", "replace",
    "join", "format", "find", "count", "isdigit", "isalpha", "isspace",
    NULL };

/* ---- list and dict methods ---------------------------------------------- */

BI(l_append)
{
    UNUSED_ARGS;
    ARGS("append", 1, 1);
    pv_list_push(ex, self, a[0]);
    return pv_none();
}

BI(l_extend)
{
    UNUSED_ARGS;
    ARGS("extend", 1, 1);
    size_t k;
    struct pv *items = pv_iter_items(ex, a[0], &k);
    for (size_t i = 0; items && i < k; i++)
        pv_list_push(ex, self, items[i]);
    return pv_none();
}

BI(l_sort)
{
    UNUSED_ARGS;
    struct pv arg = self;
    struct pv sorted = bi_sorted(ex, pv_none(), &arg, 1, kw, kwv, nkw);
    if (!FAILED(ex))
        memcpy(self.list->items, sorted.list->items,
               self.list->n * sizeof(struct pv));
    return pv_none();
}

BI(l_pop)
{
    UNUSED_ARGS;
    ARGS("pop", 0, 1);
    if (self.list->n == 0)
        return py_raise(ex, E_INDEX, "pop from empty list");
    int64_t i = n ? a[0].i : -1;
    if (i < 0)
        i += (int64_t)self.list->n;
    if (i < 0 || (size_t)i >= self.list->n)
        return py_raise(ex, E_INDEX, "pop index out of range");
    struct pv v = self.list->items[i];
    memmove(self.list->items + i, self.list->items + i + 1,
            (self.list->n - (size_t)i - 1) * sizeof(struct pv));
    self.list->n--;
    return v;
}

static const struct pbuiltin list_methods[] = {
    { "append", l_append }, { "extend", l_extend }, { "sort", l_sort },
    { "pop", l_pop }, { "count", m_count }, { NULL, NULL },
};

const char *const py_list_method_names[] = { "append", "extend", "sort",
    "pop", "count", NULL };

BI(d_get)
{
    UNUSED_ARGS;
    ARGS("get", 1, 2);
    struct pv *v = pv_dict_get(self, a[0]);
    return v ? *v : n > 1 ? a[1] : pv_none();
}

static struct pv dict_view(struct ectx *ex, struct pv self, int which)
{
    struct pv l = pv_list(ex, self.dict->n);

    for (size_t i = 0; i < self.dict->n; i++) {
        if (which == 0) {
            pv_list_push(ex, l, self.dict->keys[i]);
        } else if (which == 1) {
            pv_list_push(ex, l, self.dict->vals[i]);
        } else {
            struct pv t = pv_tuple(ex, 2);
            t.items[0] = self.dict->keys[i];
            t.items[1] = self.dict->vals[i];
            pv_list_push(ex, l, t);
        }
    }
    return l;
}

BI(d_keys) { UNUSED_ARGS; return dict_view(ex, self, 0); }
BI(d_values) { UNUSED_ARGS; return dict_view(ex, self, 1); }
BI(d_items) { UNUSED_ARGS; return dict_view(ex, self, 2); }

static const struct pbuiltin dict_methods[] = {
    { "get", d_get }, { "keys", d_keys }, { "values", d_values },
    { "items", d_items }, { NULL, NULL },
};

const char *const py_dict_method_names[] = { "get", "keys", "values",
    "items", NULL };

static const struct pbuiltin *find_in(const struct pbuiltin *t,
                                      const char *name)
{
    for (; t->name; t++)
        if (!strcmp(t->name, name))
            return t;
    return NULL;
}

const struct pbuiltin *py_str_method(const char *name)
{
    return find_in(str_methods, name);
}

const struct pbuiltin *py_list_method(const char *name)
{
    return find_in(list_methods, name);
}

const struct pbuiltin *py_dict_method(const char *name)
{
    return find_in(dict_methods, name);
}

static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[40][40];

    if (la >= 40 || lb >= 40)
        return 99;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *py_suggest(const char *name, const char *const *names)
{
    const char *best = NULL;
    size_t best_d = 99, len = strlen(name);

    for (; *names; names++) {
        size_t d = distance(name, *names);
        if (d < best_d) {
            best_d = d;
            best = *names;
        }
    }
    /* Python's rule of thumb: at most about a third of the name wrong */
    return best && best_d <= (len + 2) / 3 ? best : NULL;
}
