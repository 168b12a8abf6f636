/* values.c - Python's values: truth, equality, ordering, hashing, repr,
 * and the arena everything is allocated from. */
#include "pyint.h"
#include "rdd/rdd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
    struct chunk *next;
    char data[];
};

struct py_arena *pa_new(void)
{
    struct py_arena *a = calloc(1, sizeof(*a));

    if (!a) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    return a;
}

void pa_free(struct py_arena *a)
{
    if (!a)
        return;
    for (struct chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void pa_reset(struct py_arena *a)
{
    if (!a->head)
        return;
    for (struct chunk *c = a->head->next, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head->next = NULL;
    a->at = a->head->data;
}

void *pa_alloc(struct py_arena *a, size_t n)
{
    if (a->ext)
        return rdd_alloc(a->ext, n);
    n = (n + 15) & ~(size_t)15;
    if ((size_t)(a->end - a->at) < n) {
        size_t size = n > 65536 ? n : 65536;
        /* chunks hold at least `size` bytes; end marks this one's end */
        struct chunk *c = malloc(sizeof(*c) + size);
        if (!c) {
            fputs("pardemo: out of memory\n", stderr);
            exit(1);
        }
        c->next = a->head;
        a->head = c;
        a->at = c->data;
        a->end = c->data + size;
    }
    void *p = a->at;
    a->at += n;
    return p;
}

char *pa_strndup(struct py_arena *a, const char *s, size_t n)
{
    char *d = pa_alloc(a, n + 1);

    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

struct pv py_raise(struct ectx *ex, enum exc e, const char *fmt, ...)
{
    va_list ap;

    if (ex->exc != E_NONE && ex->exc != E_STOP_RETURN)
        return pv_none();   /* keep the first error */
    ex->exc = e;
    va_start(ap, fmt);
    vsnprintf(ex->msg, sizeof(ex->msg), fmt, ap);
    va_end(ap);
    return pv_none();
}

const char *pv_type_name(struct pv v)
{
    static const char *const names[] = {
        [PK_NONE] = "NoneType", [PK_BOOL] = "bool", [PK_INT] = "int",
        [PK_FLOAT] = "float", [PK_STR] = "str", [PK_TUPLE] = "tuple",
        [PK_LIST] = "list", [PK_DICT] = "dict", [PK_FUNC] = "function",
        [PK_BUILTIN] = "builtin_function_or_method",
        [PK_METHOD] = "builtin_function_or_method", [PK_MODULE] = "module",
        [PK_RDD] = "RDD", [PK_CTX] = "SparkContext", [PK_RANGE] = "range",
        [PK_SET] = "set", [PK_UNDEF] = "undefined",
    };
    return v.kind < sizeof(names) / sizeof(names[0]) ? names[v.kind] : "?";
}

bool pv_truthy(struct pv v)
{
    switch (v.kind) {
    case PK_NONE: return false;
    case PK_BOOL:
    case PK_INT: return v.i != 0;
    case PK_FLOAT: return v.f != 0;
    case PK_STR:
    case PK_TUPLE: return v.len != 0;
    case PK_LIST:
    case PK_SET: return v.list->n != 0;
    case PK_DICT: return v.dict->n != 0;
    case PK_RANGE:
        return rdd_range_len(v.range->start, v.range->stop, v.range->step);
    default: return true;
    }
}

static bool is_num(struct pv v)
{
    return v.kind == PK_INT || v.kind == PK_BOOL || v.kind == PK_FLOAT;
}

static double num_of(struct pv v)
{
    return v.kind == PK_FLOAT ? v.f : (double)v.i;
}

static bool items_equal(const struct pv *a, const struct pv *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!pv_equal(a[i], b[i]))
            return false;
    return true;
}

bool pv_equal(struct pv a, struct pv b)
{
    if (is_num(a) && is_num(b)) {
        if (a.kind != PK_FLOAT && b.kind != PK_FLOAT)
            return a.i == b.i;
        return num_of(a) == num_of(b);
    }
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case PK_NONE: return true;
    case PK_STR: return a.len == b.len && !memcmp(a.s, b.s, a.len);
    case PK_TUPLE: return a.len == b.len && items_equal(a.items, b.items, a.len);
    case PK_LIST:
        return a.list->n == b.list->n &&
               items_equal(a.list->items, b.list->items, a.list->n);
    case PK_SET:
        if (a.list->n != b.list->n)
            return false;
        for (size_t i = 0; i < a.list->n; i++) {
            bool found = false;
            for (size_t j = 0; j < b.list->n && !found; j++)
                found = pv_equal(a.list->items[i], b.list->items[j]);
            if (!found)
                return false;
        }
        return true;
    case PK_DICT:
        if (a.dict->n != b.dict->n)
            return false;
        for (size_t i = 0; i < a.dict->n; i++) {
            struct pv *v = pv_dict_get(b, a.dict->keys[i]);
            if (!v || !pv_equal(*v, a.dict->vals[i]))
                return false;
        }
        return true;
    case PK_RANGE:
        return a.range->start == b.range->start &&
               a.range->stop == b.range->stop &&
               a.range->step == b.range->step;
    default:
        return a.fn == b.fn;
    }
}

static int seq_compare(struct ectx *ex, const struct pv *a, size_t na,
                       const struct pv *b, size_t nb)
{
    for (size_t i = 0; i < na && i < nb; i++) {
        if (pv_equal(a[i], b[i]))
            continue;
        return pv_compare(ex, a[i], b[i]);
    }
    return (na > nb) - (na < nb);
}

int pv_compare(struct ectx *ex, struct pv a, struct pv b)
{
    if (is_num(a) && is_num(b)) {
        if (a.kind != PK_FLOAT && b.kind != PK_FLOAT)
            return (a.i > b.i) - (a.i < b.i);
        double x = num_of(a), y = num_of(b);
        return (x > y) - (x < y);
    }
    if (a.kind == b.kind) {
        switch (a.kind) {
        case PK_STR: {
            int c = memcmp(a.s, b.s, a.len < b.len ? a.len : b.len);
            return c ? (c > 0) - (c < 0) : (a.len > b.len) - (a.len < b.len);
        }
        case PK_TUPLE:
            return seq_compare(ex, a.items, a.len, b.items, b.len);
        case PK_LIST:
            return seq_compare(ex, a.list->items, a.list->n, b.list->items,
                               b.list->n);
        default:
            break;
        }
    }
    py_raise(ex, E_TYPE, "'<' not supported between instances of '%s' and "
             "'%s'", pv_type_name(a), pv_type_name(b));
    return 0;
}

struct pv pv_tuple(struct ectx *ex, int n)
{
    struct pv t = { .kind = PK_TUPLE, .len = (uint32_t)n };

    t.items = pa_alloc(ex->arena, (size_t)(n ? n : 1) * sizeof(struct pv));
    memset(t.items, 0, (size_t)n * sizeof(struct pv));
    return t;
}

struct pv pv_list(struct ectx *ex, size_t cap)
{
    struct pv l = { .kind = PK_LIST };

    l.list = pa_alloc(ex->arena, sizeof(*l.list));
    l.list->n = 0;
    l.list->cap = cap ? cap : 4;
    l.list->items = pa_alloc(ex->arena, l.list->cap * sizeof(struct pv));
    return l;
}

void pv_list_push(struct ectx *ex, struct pv list, struct pv v)
{
    struct plist *l = list.list;

    if (l->n == l->cap) {
        struct pv *items = pa_alloc(ex->arena, 2 * l->cap * sizeof(*items));
        memcpy(items, l->items, l->n * sizeof(*items));
        l->items = items;
        l->cap *= 2;
    }
    l->items[l->n++] = v;
}

struct pv pv_dict(struct ectx *ex)
{
    struct pv d = { .kind = PK_DICT };

    d.dict = pa_alloc(ex->arena, sizeof(*d.dict));
    memset(d.dict, 0, sizeof(*d.dict));
    return d;
}

struct pv *pv_dict_get(struct pv d, struct pv key)
{
    for (size_t i = 0; i < d.dict->n; i++)
        if (pv_equal(d.dict->keys[i], key))
            return &d.dict->vals[i];
    return NULL;
}

void pv_dict_set(struct ectx *ex, struct pv d, struct pv key, struct pv v)
{
    struct pdict *t = d.dict;
    struct pv *at = pv_dict_get(d, key);

    if (at) {
        *at = v;
        return;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        struct pv *k = pa_alloc(ex->arena, cap * sizeof(*k));
        struct pv *vv = pa_alloc(ex->arena, cap * sizeof(*vv));
        if (t->n) {
            memcpy(k, t->keys, t->n * sizeof(*k));
            memcpy(vv, t->vals, t->n * sizeof(*vv));
        }
        t->keys = k;
        t->vals = vv;
        t->cap = cap;
    }
    t->keys[t->n] = key;
    t->vals[t->n++] = v;
}

uint64_t pv_hash(struct pv v)
{
    uint64_t h = 1469598103934665603ULL;

    switch (v.kind) {
    case PK_BOOL:
    case PK_INT: return (uint64_t)v.i * 0x9E3779B97F4A7C15ULL;
    case PK_FLOAT:
        if (v.f == floor(v.f) && fabs(v.f) < 9e18)
            return (uint64_t)(int64_t)v.f * 0x9E3779B97F4A7C15ULL;
        memcpy(&h, &v.f, sizeof(h));
        return h * 0x9E3779B97F4A7C15ULL;
    case PK_STR:
        for (uint32_t i = 0; i < v.len; i++)
            h = (h ^ (unsigned char)v.s[i]) * 1099511628211ULL;
        return h;
    case PK_TUPLE:
        for (uint32_t i = 0; i < v.len; i++)
            h = (h ^ pv_hash(v.items[i])) * 1099511628211ULL;
        return h;
    default:
        return (uint64_t)v.kind;
    }
}

void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) {
            fputs("pardemo: out of memory\n", stderr);
            exit(1);
        }
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    sb_add(b, tmp, n < (int)sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Python's float repr: the shortest string that reads back the same. */
static void float_repr(struct sbuf *b, double f)
{
    char buf[64];

    if (isnan(f)) {
        sb_add(b, "nan", 3);
        return;
    }
    if (isinf(f)) {
        sb_printf(b, "%sinf", f < 0 ? "-" : "");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    /* Python writes 1e+16 as 1e+16 and 100.0 as 100.0 */
    if (!strpbrk(buf, ".eni")) {
        if (strlen(buf) > 16) {
            snprintf(buf, sizeof(buf), "%.16e", f);
        } else {
            strcat(buf, ".0");
        }
    }
    char *e = strchr(buf, 'e');
    if (e && e[2] == '0' && e[3])       /* 1e-05, not 1e-005 */
        memmove(e + 2, e + 3, strlen(e + 3) + 1);
    sb_add(b, buf, strlen(buf));
}

static void str_repr(struct sbuf *b, const char *s, size_t n)
{
    bool has_sq = memchr(s, '\'', n) != NULL, has_dq = memchr(s, '"', n);
    char q = has_sq && !has_dq ? '"' : '\'';

    sb_add(b, &q, 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\')
            sb_add(b, "\\\\", 2);
        else if (c == (unsigned char)q)
            sb_printf(b, "\\%c", q);
        else if (c == '\n')
            sb_add(b, "\\n", 2);
        else if (c == '\t')
            sb_add(b, "\\t", 2);
        else if (c == '\r')
            sb_add(b, "\\r", 2);
        else if (c < 0x20 || c == 0x7f)
            sb_printf(b, "\\x%02x", c);
        else
            sb_add(b, (const char *)&c, 1);
    }
    sb_add(b, &q, 1);
}

static void items_repr(struct sbuf *b, const struct pv *v, size_t n,
                       const char *open, const char *close)
{
    sb_add(b, open, strlen(open));
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_add(b, ", ", 2);
        pv_repr(b, v[i]);
    }
    sb_add(b, close, strlen(close));
}

void pv_repr(struct sbuf *b, struct pv v)
{
    switch (v.kind) {
    case PK_NONE: sb_add(b, "None", 4); break;
    case PK_BOOL: sb_printf(b, "%s", v.i ? "True" : "False"); break;
    case PK_INT: sb_printf(b, "%lld", (long long)v.i); break;
    case PK_FLOAT: float_repr(b, v.f); break;
    case PK_STR: str_repr(b, v.s, v.len); break;
    case PK_TUPLE:
        items_repr(b, v.items, v.len, "(", v.len == 1 ? ",)" : ")");
        break;
    case PK_LIST: items_repr(b, v.list->items, v.list->n, "[", "]"); break;
    case PK_SET:
        if (v.list->n == 0)
            sb_add(b, "set()", 5);
        else
            items_repr(b, v.list->items, v.list->n, "{", "}");
        break;
    case PK_DICT:
        if (v.dict->is_defaultdict)
            sb_add(b, "defaultdict(<class 'int'>, ", 27);
        sb_add(b, "{", 1);
        for (size_t i = 0; i < v.dict->n; i++) {
            if (i)
                sb_add(b, ", ", 2);
            pv_repr(b, v.dict->keys[i]);
            sb_add(b, ": ", 2);
            pv_repr(b, v.dict->vals[i]);
        }
        sb_add(b, v.dict->is_defaultdict ? "})" : "}",
               v.dict->is_defaultdict ? 2 : 1);
        break;
    case PK_RANGE:
        if (v.range->step == 1)
            sb_printf(b, "range(%lld, %lld)", (long long)v.range->start,
                      (long long)v.range->stop);
        else
            sb_printf(b, "range(%lld, %lld, %lld)", (long long)v.range->start,
                      (long long)v.range->stop, (long long)v.range->step);
        break;
    case PK_FUNC:
        sb_printf(b, "<function %s>", v.fn->info->name);
        break;
    case PK_BUILTIN:
        sb_printf(b, "<built-in function %s>", v.bi->name);
        break;
    case PK_METHOD:
        sb_printf(b, "<built-in method %s of %s object>", v.m->bi->name,
                  pv_type_name(v.m->self));
        break;
    case PK_MODULE:
        sb_printf(b, "<module '%s'>", v.module);
        break;
    case PK_RDD:
        py_rdd_repr(b, v.rdd);
        break;
    case PK_CTX:
        sb_printf(b, "<SparkContext master=local[*] appName=pardemo>");
        break;
    default:
        sb_printf(b, "<%s object>", pv_type_name(v));
        break;
    }
}

void pv_str_of(struct sbuf *b, struct pv v)
{
    if (v.kind == PK_STR)
        sb_add(b, v.s, v.len);
    else
        pv_repr(b, v);
}

struct pv *pv_iter_items(struct ectx *ex, struct pv v, size_t *n)
{
    struct pv *items;

    switch (v.kind) {
    case PK_TUPLE: *n = v.len; return v.items;
    case PK_LIST:
    case PK_SET: *n = v.list->n; return v.list->items;
    case PK_DICT: *n = v.dict->n; return v.dict->keys;
    case PK_STR:
        *n = 0;
        items = pa_alloc(ex->arena, (v.len ? v.len : 1) * sizeof(*items));
        for (uint32_t i = 0; i < v.len;) {
            /* one item per UTF-8 character, like Python's str */
            uint32_t k = 1;
            while (i + k < v.len && ((unsigned char)v.s[i + k] & 0xC0) == 0x80)
                k++;
            items[(*n)++] = pv_str(v.s + i, k);
            i += k;
        }
        return items;
    case PK_RANGE: {
        struct prange *r = v.range;
        uint64_t cnt = rdd_range_len(r->start, r->stop, r->step);
        if (cnt > 100000000) {
            py_raise(ex, E_OVERFLOW, "range too large for this subset");
            return NULL;
        }
        *n = (size_t)cnt;
        items = pa_alloc(ex->arena, (size_t)(cnt ? cnt : 1) * sizeof(*items));
        for (uint64_t i = 0; i < cnt; i++)
            items[i] = pv_int(r->start + (int64_t)i * r->step);
        return items;
    }
    default:
        py_raise(ex, E_TYPE, "'%s' object is not iterable", pv_type_name(v));
        return NULL;
    }
}
