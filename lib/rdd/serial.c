/* serial.c - records as bytes: how a shuffle block stores them and how
 * ranks send them to each other (Spark serialises shuffle output too).
 * A kind byte, then: an int as a zigzag varint (small numbers, one or two
 * bytes), a float as 8 bytes, a string as a varint length and its bytes,
 * a tuple/list/dict as a varint length and its items. A word count's
 * ('word', 12) takes 9 bytes instead of two 16-byte values.
 */
#include "rdd_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t n_items(struct rdd_value v)
{
    return v.kind == RDD_DICT ? 2 * v.len : v.len;
}

static size_t varint_bytes(uint64_t x)
{
    size_t n = 1;

    while (x >= 0x80) {
        x >>= 7;
        n++;
    }
    return n;
}

/* zigzag: 0, -1, 1, -2... become 0, 1, 2, 3...: small either way */
static uint64_t zigzag(int64_t i)
{
    return ((uint64_t)i << 1) ^ (uint64_t)(i >> 63);
}

static char *put_varint(char *at, uint64_t x)
{
    while (x >= 0x80) {
        *at++ = (char)(x | 0x80);
        x >>= 7;
    }
    *at++ = (char)x;
    return at;
}

static const char *get_varint(const char *at, uint64_t *x)
{
    unsigned shift = 0;

    *x = 0;
    for (;;) {
        unsigned char c = (unsigned char)*at++;
        *x |= (uint64_t)(c & 0x7f) << shift;
        if (c < 0x80)
            return at;
        shift += 7;
    }
}

size_t rdd_value_bytes(struct rdd_value v)
{
    size_t n = 1;       /* the kind byte */

    switch (v.kind) {
    case RDD_NONE:  return n;
    case RDD_INT: case RDD_BOOL: return n + varint_bytes(zigzag(v.i));
    case RDD_FLOAT: return n + 8;
    case RDD_STR: case RDD_OBJ: return n + varint_bytes(v.len) + v.len;
    default:
        n += varint_bytes(v.len);
        for (uint32_t i = 0; i < n_items(v); i++)
            n += rdd_value_bytes(v.items[i]);
        return n;
    }
}

char *rdd_value_put(char *at, struct rdd_value v)
{
    *at++ = (char)v.kind;
    switch (v.kind) {
    case RDD_NONE:
        return at;
    case RDD_INT: case RDD_BOOL:
        return put_varint(at, zigzag(v.i));
    case RDD_FLOAT:
        memcpy(at, &v.f, 8);
        return at + 8;
    case RDD_STR: case RDD_OBJ:
        at = put_varint(at, v.len);
        if (v.len)
            memcpy(at, v.s, v.len);
        return at + v.len;
    default:
        at = put_varint(at, v.len);
        for (uint32_t i = 0; i < n_items(v); i++)
            at = rdd_value_put(at, v.items[i]);
        return at;
    }
}

const char *rdd_value_get(const char *at, struct rdd_value *v,
                          struct rdd_arena *a, bool is_copy)
{
    uint64_t x;

    memset(v, 0, sizeof(*v));
    v->kind = (enum rdd_kind)(unsigned char)*at++;
    switch (v->kind) {
    case RDD_NONE:
        return at;
    case RDD_INT: case RDD_BOOL:
        at = get_varint(at, &x);
        v->i = (int64_t)(x >> 1) ^ -(int64_t)(x & 1);
        return at;
    case RDD_FLOAT:
        memcpy(&v->f, at, 8);
        return at + 8;
    case RDD_STR: case RDD_OBJ:
        at = get_varint(at, &x);
        v->len = (uint32_t)x;
        v->s = is_copy ? rdd_arena_strdup(a, at, v->len) : at;
        return at + v->len;
    default:
        at = get_varint(at, &x);
        v->len = (uint32_t)x;
        v->items = rdd_alloc(a, (n_items(*v) + 1) * sizeof(*v->items));
        for (uint32_t i = 0; i < n_items(*v); i++)
            at = rdd_value_get(at, &v->items[i], a, is_copy);
        return at;
    }
}

/* ---- shuffle blocks */

void rdd_block_reserve(struct block *b, size_t bytes)
{
    if (b->len + bytes <= b->cap)
        return;
    b->cap = 2 * b->cap > b->len + bytes ? 2 * b->cap : b->len + bytes;
    b->bytes = rdd_xrealloc(b->bytes, b->cap + BLOCK_PAD);
    memset(b->bytes + b->cap, 0, BLOCK_PAD);
}

void rdd_block_add(struct block *b, struct rdd_value k, struct rdd_value v)
{
    rdd_block_reserve(b, rdd_value_bytes(k) + rdd_value_bytes(v));
    b->len = (size_t)(rdd_value_put(rdd_value_put(b->bytes + b->len, k), v) -
                      b->bytes);
    b->n++;
}

void rdd_block_free(struct block *b)
{
    free(b->bytes);
    *b = (struct block){ 0 };
}

const char *rdd_block_next(const char *at, struct rdd_value *k,
                           struct rdd_value *v, struct rdd_arena *a)
{
    return rdd_value_get(rdd_value_get(at, k, a, false), v, a, false);
}

/* ---- a partition as bytes: its count, then its records */

void rdd_part_save(const struct rdd_part *p, struct rdd_buf *out)
{
    size_t bytes = 10;
    char *at;

    for (size_t i = 0; i < p->n; i++)
        bytes += rdd_value_bytes(p->v[i]);
    rdd_buf_add(out, NULL, 0);
    if (out->len + bytes + 1 > out->cap) {
        out->cap = out->len + bytes + 1 + out->cap;
        out->s = rdd_xrealloc(out->s, out->cap);
    }
    at = put_varint(out->s + out->len, p->n);
    for (size_t i = 0; i < p->n; i++)
        at = rdd_value_put(at, p->v[i]);
    out->len = (size_t)(at - out->s);
    out->s[out->len] = '\0';
}

void rdd_part_load(struct rdd_part *p, const char *at, size_t len)
{
    uint64_t n;

    if (len == 0)
        return;
    if (!p->arena)
        p->arena = rdd_arena_new();
    at = get_varint(at, &n);
    for (uint64_t i = 0; i < n; i++) {
        struct rdd_value v;
        at = rdd_value_get(at, &v, p->arena, true);
        rdd_part_push(p, v);
    }
}
