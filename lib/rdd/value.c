/* value.c - Python's values in C: equality, ordering, hash() and repr().
 * PySpark decides a key's reduce partition with Python's own hash
 * (PYTHONHASHSEED=0), so we compute exactly that hash: the order a
 * collect() prints after a shuffle is then the order PySpark prints.
 */
#include "rdd_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct rdd_value rdd_cstr(const char *s)
{
    return rdd_str(s, strlen(s));
}

static struct rdd_value seq(struct rdd_arena *a, enum rdd_kind kind,
                            uint32_t n)
{
    struct rdd_value v = { .kind = kind, .len = n };

    v.items = n ? rdd_alloc(a, n * sizeof(*v.items)) : NULL;
    if (n)
        memset(v.items, 0, n * sizeof(*v.items));
    return v;
}

struct rdd_value rdd_tuple(struct rdd_arena *a, uint32_t n)
{
    return seq(a, RDD_TUPLE, n);
}

struct rdd_value rdd_list(struct rdd_arena *a, uint32_t n)
{
    return seq(a, RDD_LIST, n);
}

struct rdd_value rdd_pair(struct rdd_arena *a, struct rdd_value k,
                          struct rdd_value v)
{
    struct rdd_value t = seq(a, RDD_TUPLE, 2);

    t.items[0] = k;
    t.items[1] = v;
    return t;
}

static uint32_t nitems(struct rdd_value v)
{
    return v.kind == RDD_DICT ? 2 * v.len : v.len;
}

struct rdd_value rdd_copy(struct rdd_arena *a, struct rdd_value v)
{
    struct rdd_value c = v;
    uint32_t i, n;

    switch (v.kind) {
    case RDD_STR: case RDD_OBJ:
        c.s = rdd_arena_strdup(a, v.s, v.len);
        break;
    case RDD_TUPLE: case RDD_LIST: case RDD_DICT:
        n = nitems(v);
        c.items = n ? rdd_alloc(a, n * sizeof(*c.items)) : NULL;
        for (i = 0; i < n; i++)
            c.items[i] = rdd_copy(a, v.items[i]);
        break;
    default:
        break;
    }
    return c;
}

static bool is_number(struct rdd_value v)
{
    return v.kind == RDD_INT || v.kind == RDD_FLOAT || v.kind == RDD_BOOL;
}

static double as_double(struct rdd_value v)
{
    return v.kind == RDD_FLOAT ? v.f : (double)v.i;
}

bool rdd_equal(struct rdd_value a, struct rdd_value b)
{
    const struct rdd_obj_ops *ops;
    uint32_t i;

    if ((a.kind == RDD_OBJ || b.kind == RDD_OBJ) && (ops = rdd_obj_ops_here()))
        return ops->equal(a, b, ops->ctx);
    if (is_number(a) && is_number(b)) {
        if (a.kind != RDD_FLOAT && b.kind != RDD_FLOAT)     /* True == 1 */
            return a.i == b.i;
        return as_double(a) == as_double(b);
    }
    if (a.kind != b.kind || a.len != b.len)
        return false;
    switch (a.kind) {
    case RDD_NONE:
        return true;
    case RDD_STR: case RDD_OBJ:
        return a.len == 0 || memcmp(a.s, b.s, a.len) == 0;
    default:
        for (i = 0; i < nitems(a); i++)
            if (!rdd_equal(a.items[i], b.items[i]))
                return false;
        return true;
    }
}

/* Would Python refuse to order these, or order them its own way? (an int
 * and a str, None, dicts, objects): then the context's rules decide. */
static bool is_python_only(struct rdd_value a, struct rdd_value b)
{
    if (is_number(a) && is_number(b))
        return false;
    return a.kind != b.kind || a.kind == RDD_NONE || a.kind == RDD_DICT ||
           a.kind == RDD_OBJ;
}

/* Python 3 refuses to order an int and a str; without the context's
 * rules (C programs) we order by kind instead of failing. */
int rdd_compare(struct rdd_value a, struct rdd_value b)
{
    const struct rdd_obj_ops *ops;
    uint32_t i, n;
    int c;

    if (is_python_only(a, b) && (ops = rdd_obj_ops_here()))
        return ops->compare(a, b, ops->ctx);
    if (is_number(a) && is_number(b)) {
        if (a.kind != RDD_FLOAT && b.kind != RDD_FLOAT)
            return (a.i > b.i) - (a.i < b.i);
        return (as_double(a) > as_double(b)) - (as_double(a) < as_double(b));
    }
    if (a.kind != b.kind)
        return (a.kind > b.kind) - (a.kind < b.kind);
    switch (a.kind) {
    case RDD_STR: case RDD_OBJ:
        /* UTF-8 byte order is code point order */
        c = a.len && b.len ? memcmp(a.s, b.s, a.len < b.len ? a.len : b.len)
                           : 0;
        return c ? (c > 0) - (c < 0) : (a.len > b.len) - (a.len < b.len);
    case RDD_TUPLE: case RDD_LIST: case RDD_DICT:
        n = nitems(a) < nitems(b) ? nitems(a) : nitems(b);
        for (i = 0; i < n; i++)
            if ((c = rdd_compare(a.items[i], b.items[i])))
                return c;
        return (a.len > b.len) - (a.len < b.len);
    default:
        return 0;
    }
}

/* ---- Python's hash() with PYTHONHASHSEED=0 */

#define PY_BITS 61
#define PY_MOD (((uint64_t)1 << PY_BITS) - 1)

static int64_t py_hash_int(int64_t x)
{
    uint64_t m = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    int64_t h = (int64_t)(m % PY_MOD);

    h = x < 0 ? -h : h;
    return h == -1 ? -2 : h;
}

/* CPython's _Py_HashDouble: integral floats hash like the int. */
static int64_t py_hash_float(double v)
{
    uint64_t x = 0, y;
    int e, sign = 1;
    double m;

    if (!isfinite(v))
        return isinf(v) ? (v > 0 ? 314159 : -314159) : 0;
    m = frexp(v, &e);
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    while (m) {
        x = ((x << 28) & PY_MOD) | x >> (PY_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= PY_MOD)
            x -= PY_MOD;
    }
    e = e >= 0 ? e % PY_BITS : PY_BITS - 1 - ((-1 - e) % PY_BITS);
    x = ((x << e) & PY_MOD) | x >> (PY_BITS - e);
    x = x * (uint64_t)(int64_t)sign;
    return (int64_t)x == -1 ? -2 : (int64_t)x;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define HALF_ROUND(a, b, c, d, s, t) \
    a += b; c += d; b = ROTL(b, s) ^ a; d = ROTL(d, t) ^ c; a = ROTL(a, 32);
#define SIP_ROUND(v0, v1, v2, v3) \
    HALF_ROUND(v0, v1, v2, v3, 13, 16); HALF_ROUND(v2, v1, v0, v3, 17, 21);

/* SipHash-1-3 with a zero key: CPython 3.11's string hash. */
static uint64_t siphash13(const unsigned char *in, size_t n)
{
    uint64_t b = (uint64_t)n << 56, t = 0, mi;
    uint64_t v0 = 0x736f6d6570736575ULL, v1 = 0x646f72616e646f6dULL;
    uint64_t v2 = 0x6c7967656e657261ULL, v3 = 0x7465646279746573ULL;

    for (; n >= 8; in += 8, n -= 8) {
        memcpy(&mi, in, 8);     /* little-endian host assumed (x86, arm) */
        v3 ^= mi;
        SIP_ROUND(v0, v1, v2, v3);
        v0 ^= mi;
    }
    memcpy(&t, in, n);
    b |= t;
    v3 ^= b;
    SIP_ROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    return (v0 ^ v1) ^ (v2 ^ v3);
}

/* Python decodes bytes with surrogateescape: an invalid byte b becomes
 * the code point U+DC00+b. Returns the code point, *adv its bytes. */
uint32_t rdd_utf8_next(const unsigned char *s, size_t n, size_t *adv)
{
    unsigned c = s[0], need, lo = 0x80, hi = 0xBF, i;
    uint32_t cp;

    *adv = 1;
    if (c < 0x80)
        return c;
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2; cp = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;   /* no encoded surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3; cp = c & 0x07;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0xDC00 + c;
    }
    if (n <= need)
        return 0xDC00 + c;
    for (i = 1; i <= need; i++) {
        unsigned d = s[i];
        if (d < (i == 1 ? lo : 0x80) || d > (i == 1 ? hi : 0xBF))
            return 0xDC00 + c;
        cp = cp << 6 | (d & 0x3F);
    }
    *adv = need + 1;
    return cp;
}

/* A str hashes its code points stored 1, 2 or 4 bytes wide (the widest
 * one decides), as CPython stores it. */
static int64_t py_hash_str(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t stack[256], *cp = stack, maxcp = 0;
    size_t i, adv, ncp = 0;
    unsigned char *buf;
    uint64_t h;

    if (n == 0)
        return 0;
    for (i = 0; i < n && u[i] < 0x80; i++)
        ;
    if (i == n) {       /* ASCII: one byte per code point, hash as is */
        h = siphash13(u, n);
        return (int64_t)h == -1 ? -2 : (int64_t)h;
    }
    if (n > 256)
        cp = rdd_xmalloc(n * sizeof(*cp));
    for (i = 0; i < n; i += adv) {
        cp[ncp] = rdd_utf8_next(u + i, n - i, &adv);
        if (cp[ncp] > maxcp)
            maxcp = cp[ncp];
        ncp++;
    }
    if (maxcp < 0x80 && ncp == n) {
        h = siphash13(u, n);
    } else {
        size_t w = maxcp < 0x100 ? 1 : maxcp < 0x10000 ? 2 : 4;
        buf = rdd_xmalloc(ncp * w);
        for (i = 0; i < ncp; i++)
            memcpy(buf + i * w, &cp[i], w);     /* little-endian */
        h = siphash13(buf, ncp * w);
        free(buf);
    }
    if (cp != stack)
        free(cp);
    return (int64_t)h == -1 ? -2 : (int64_t)h;
}

/* PySpark's portable_hash: None is 0, a tuple mixes its items' hashes. */
int64_t rdd_portable_hash(struct rdd_value v)
{
    const struct rdd_obj_ops *ops;
    uint64_t h;
    uint32_t i;

    /* an object, or a list or dict (unhashable in Python): ask */
    if ((v.kind == RDD_OBJ || v.kind == RDD_LIST || v.kind == RDD_DICT) &&
        (ops = rdd_obj_ops_here()))
        return ops->hash(v, ops->ctx);
    switch (v.kind) {
    case RDD_NONE:  return 0;
    case RDD_INT:
    case RDD_BOOL:  return py_hash_int(v.i);
    case RDD_FLOAT: return py_hash_float(v.f);
    case RDD_STR:   return py_hash_str(v.s, v.len);
    case RDD_OBJ:   return (int64_t)(rdd_hash_bytes(v.s, v.len) >> 1);
    default:
        h = 0x345678;
        for (i = 0; i < nitems(v); i++) {
            h ^= (uint64_t)rdd_portable_hash(v.items[i]);
            h *= 1000003;
            h &= INT64_MAX;     /* sys.maxsize */
        }
        h ^= nitems(v);
        return (int64_t)h == -1 ? -2 : (int64_t)h;
    }
}

/* ---- the engine's own fast hash (tables only; never decides order) */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}

/* The first 8 bytes of s (fewer when shorter), packed into a word that
 * tells apart any two strings of the same length <= 8: two overlapping
 * 4-byte loads, or 3 single bytes, never reading past the end. */
uint64_t rdd_str_head(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t lo, hi;

    if (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        return w;
    }
    if (n >= 4) {
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        return (uint64_t)hi << 32 | lo;
    }
    if (n == 0)
        return 0;
    return (uint64_t)u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16;
}

uint64_t rdd_hash_bytes(const char *s, size_t n)
{
    uint64_t h = rdd_str_head(s, n) ^ (n * 0xff51afd7ed558ccdULL), w;
    size_t i;

    /* past the head: whole words, then the last 8 bytes (overlapping) */
    for (i = 8; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0x9fb21c651e98df25ULL;
        h ^= h >> 29;
    }
    if (n > 8 && i < n) {
        memcpy(&w, s + n - 8, 8);
        h = (h ^ w) * 0x9fb21c651e98df25ULL;
    }
    return mix64(h + 0x9e3779b97f4a7c15ULL);
}

uint64_t rdd_fast_hash(struct rdd_value v)
{
    const struct rdd_obj_ops *ops;
    uint64_t h;
    uint32_t i;

    /* equal keys must hash alike: an object by Python's hash */
    if ((v.kind == RDD_OBJ || v.kind == RDD_LIST || v.kind == RDD_DICT) &&
        (ops = rdd_obj_ops_here()))
        return mix64((uint64_t)ops->hash(v, ops->ctx));
    switch (v.kind) {
    case RDD_STR: case RDD_OBJ:
        return rdd_hash_bytes(v.s, v.len);
    case RDD_INT:
    case RDD_BOOL:
        return mix64((uint64_t)v.i + 0x632be59bd9b4e019ULL);
    case RDD_FLOAT:
        /* 2.0 == 2 in Python: equal keys must hash alike */
        if (v.f == (double)(int64_t)v.f && fabs(v.f) < 9e18)
            return mix64((uint64_t)(int64_t)v.f + 0x632be59bd9b4e019ULL);
        return mix64((uint64_t)py_hash_float(v.f));
    case RDD_NONE:
        return 0x5bd1e995;
    default:
        h = v.kind;
        for (i = 0; i < nitems(v); i++)
            h = mix64(h ^ rdd_fast_hash(v.items[i])) + i;
        return h;
    }
}

/* ---- Python's x[i] and `k, v = x`, for the pair operations: a record
 * that is not a pair fails its task with Python's own words, as PySpark's
 * lambda kv: kv[0] and `for k, v in iterator` would raise them. */

static const char *type_name(enum rdd_kind k)
{
    switch (k) {
    case RDD_NONE:  return "NoneType";
    case RDD_INT:   return "int";
    case RDD_FLOAT: return "float";
    case RDD_BOOL:  return "bool";
    case RDD_STR:   return "str";
    case RDD_TUPLE: return "tuple";
    case RDD_LIST:  return "list";
    case RDD_DICT:  return "dict";
    case RDD_OBJ:   return "object";    /* Python's own: pyspark's ops */
    }
    return "object";
}

/* Static texts: a failing task keeps a pointer to its message. */
static const char *not_subscriptable(enum rdd_kind k)
{
    switch (k) {
    case RDD_NONE:  return "TypeError: 'NoneType' object is not subscriptable";
    case RDD_FLOAT: return "TypeError: 'float' object is not subscriptable";
    case RDD_BOOL:  return "TypeError: 'bool' object is not subscriptable";
    default:        return "TypeError: 'int' object is not subscriptable";
    }
}

static const char *not_iterable(enum rdd_kind k)
{
    switch (k) {
    case RDD_NONE:  return "TypeError: cannot unpack non-iterable NoneType "
                           "object";
    case RDD_FLOAT: return "TypeError: cannot unpack non-iterable float "
                           "object";
    case RDD_BOOL:  return "TypeError: cannot unpack non-iterable bool "
                           "object";
    default:        return "TypeError: cannot unpack non-iterable int object";
    }
}

/* The first n code points of a str as separate 1-character strs (n <= 2);
 * returns how many there were (up to 3, so "too many" shows). */
static int str_chars(struct rdd_value s, struct rdd_value *out, int n)
{
    const unsigned char *u = (const unsigned char *)s.s;
    size_t at = 0, adv;
    int got = 0;

    while (at < s.len && got < 3) {
        rdd_utf8_next(u + at, s.len - at, &adv);
        if (got < n)
            out[got] = rdd_str(s.s + at, adv);
        at += adv;
        got++;
    }
    return got;
}

const char *rdd_item(struct rdd_value x, int i, struct rdd_value *out)
{
    struct rdd_value c[2];

    *out = rdd_none();
    switch (x.kind) {
    case RDD_TUPLE: case RDD_LIST:
        if ((uint32_t)i >= x.len)
            return x.kind == RDD_TUPLE ? "IndexError: tuple index out of "
                   "range" : "IndexError: list index out of range";
        *out = x.items[i];
        return NULL;
    case RDD_STR:
        if (str_chars(x, c, 2) <= i)
            return "IndexError: string index out of range";
        *out = c[i];
        return NULL;
    case RDD_DICT:
        for (uint32_t k = 0; k < x.len; k++)
            if (rdd_equal(x.items[2 * k], rdd_int(i))) {
                *out = x.items[2 * k + 1];
                return NULL;
            }
        return i ? "KeyError: 1" : "KeyError: 0";
    default:
        return not_subscriptable(x.kind);
    }
}

const char *rdd_unpack2(struct rdd_value x, struct rdd_value *k,
                        struct rdd_value *v)
{
    struct rdd_value c[2] = { rdd_none(), rdd_none() };
    uint32_t n;

    switch (x.kind) {
    case RDD_TUPLE: case RDD_LIST:
        n = x.len;
        if (n == 2)
            c[0] = x.items[0], c[1] = x.items[1];
        break;
    case RDD_STR:
        n = (uint32_t)str_chars(x, c, 2);
        break;
    case RDD_DICT:                      /* iterating a dict: its keys */
        n = x.len;
        if (n == 2)
            c[0] = x.items[0], c[1] = x.items[2];
        break;
    default:
        return not_iterable(x.kind);
    }
    *k = c[0];
    *v = c[1];
    if (n == 2)
        return NULL;
    return n == 0 ? "ValueError: not enough values to unpack (expected 2, "
                    "got 0)"
         : n == 1 ? "ValueError: not enough values to unpack (expected 2, "
                    "got 1)"
         : "ValueError: too many values to unpack (expected 2)";
}

const char *rdd_type_name(struct rdd_value v)
{
    return type_name(v.kind);
}
