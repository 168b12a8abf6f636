/* mem.c - the engine's memory: arenas, partitions and the key-value table.
 * A task allocates by bumping a pointer in its arena and frees everything
 * at once; the table keeps hashes next to entry indices so a probe rarely
 * touches an entry that is not the one it looks for.
 */
#include "rdd_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { CHUNK_BYTES = 64 * 1024 };

struct rdd_chunk {
    struct rdd_chunk *next;
    size_t size;
    max_align_t data[];
};

void *rdd_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

void *rdd_xrealloc(void *p, size_t n)
{
    if (!(p = realloc(p, n ? n : 1))) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

void *rdd_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

struct rdd_arena *rdd_arena_new(void)
{
    return rdd_xcalloc(1, sizeof(struct rdd_arena));
}

static void arena_grow(struct rdd_arena *a, size_t need)
{
    size_t size = need > CHUNK_BYTES / 2 ? need : CHUNK_BYTES;
    /* a fresh chunk goes after the first, so reset keeps the first */
    struct rdd_chunk *c = rdd_xmalloc(sizeof(*c) + size);

    c->size = size;
    if (a->head) {
        c->next = a->head->next;
        a->head->next = c;
    } else {
        c->next = NULL;
        a->head = c;
    }
    a->at = (char *)c->data;
    a->end = a->at + size;
}

void *rdd_alloc(struct rdd_arena *a, size_t bytes)
{
    void *p;
    size_t pad = (size_t)-(uintptr_t)a->at & 15;   /* strings pack tightly */

    bytes = (bytes + 15) & ~(size_t)15;
    if ((size_t)(a->end - a->at) < pad + bytes) {
        arena_grow(a, bytes);
        pad = 0;
    }
    a->at += pad;
    p = a->at;
    a->at += bytes;
    a->bytes += bytes;
    return p;
}

const char *rdd_arena_strdup(struct rdd_arena *a, const char *s, size_t n)
{
    char *d;

    if (n == 0)
        return "";      /* never NULL, even from an empty arena */
    if ((size_t)(a->end - a->at) < n)
        arena_grow(a, n);
    d = a->at;      /* strings need no alignment: pack them tightly */
    a->at += n;
    a->bytes += n;
    memcpy(d, s, n);
    return d;
}

void rdd_arena_reset_chunks(struct rdd_arena *a)
{
    struct rdd_chunk *c, *next;

    if (!a->head)
        return;
    for (c = a->head->next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head->next = NULL;
    a->at = (char *)a->head->data;
    a->end = a->at + a->head->size;
    a->bytes = 0;
}

void rdd_arena_free(struct rdd_arena *a)
{
    struct rdd_chunk *c, *next;

    if (!a)
        return;
    for (c = a->head; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void rdd_part_push(struct rdd_part *p, struct rdd_value v)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->v = rdd_xrealloc(p->v, p->cap * sizeof(*p->v));
    }
    p->v[p->n++] = v;
}

void rdd_part_free(struct rdd_part *p)
{
    free(p->v);
    rdd_arena_free(p->arena);
    p->v = NULL;
    p->arena = NULL;
    p->n = p->cap = 0;
    p->is_present = false;
}

/* ---- the key-value table */

enum { HUGE_BYTES = 2 << 20 };

/* A big table is probed at random: 2 MB pages (where the kernel allows
 * them) spare a TLB miss on most probes. */
void *rdd_table_alloc(size_t bytes)
{
    void *p;

    if (bytes < 2 * HUGE_BYTES)
        return rdd_xcalloc(1, bytes);
    p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    madvise(p, bytes, MADV_HUGEPAGE);
    return p;
}

void rdd_table_free(void *p, size_t bytes)
{
    if (!p)
        return;
    if (bytes < 2 * HUGE_BYTES)
        free(p);
    else
        munmap(p, bytes);
}

void rdd_kv_init(struct kv_table *t, size_t expect)
{
    size_t slots = 16;

    while (slots < 2 * expect)
        slots *= 2;
    t->slot = rdd_table_alloc(slots * sizeof(*t->slot));
    t->mask = slots - 1;
    t->cap = slots / 2;
    t->e = rdd_table_alloc(t->cap * sizeof(*t->e));
    t->n = 0;
}

void rdd_kv_free(struct kv_table *t)
{
    rdd_table_free(t->slot, (t->mask + 1) * sizeof(*t->slot));
    rdd_table_free(t->e, t->cap * sizeof(*t->e));
    t->slot = NULL;
    t->e = NULL;
    t->n = t->cap = 0;
}

static inline uint64_t head_of(struct rdd_value k)
{
    return k.kind == RDD_STR ? rdd_str_head(k.s, k.len) : 0;
}

/* Doubles the slots and the entries (load stays <= 1/2); the stored
 * hashes mean no key is hashed again. */
static void kv_grow(struct kv_table *t)
{
    size_t slots = 2 * (t->mask + 1), i;
    uint64_t *s = rdd_table_alloc(slots * sizeof(*s));
    struct kv_entry *e = rdd_table_alloc(slots / 2 * sizeof(*e));

    for (i = 0; i < t->n; i++) {
        size_t j = t->e[i].hash & (slots - 1);
        while (s[j])
            j = (j + 1) & (slots - 1);
        s[j] = (t->e[i].hash & 0xffffffff00000000ULL) | (i + 1);
    }
    memcpy(e, t->e, t->n * sizeof(*e));
    rdd_kv_free(t);
    t->slot = s;
    t->e = e;
    t->mask = slots - 1;
    t->cap = slots / 2;
    t->n = i;
}

static inline bool same_key(const struct kv_entry *e, struct rdd_value b,
                            uint64_t head)
{
    struct rdd_value a = e->key;

    if (a.kind == RDD_STR && b.kind == RDD_STR)
        return a.len == b.len && e->head == head &&
               (a.len <= 8 || memcmp(a.s + 8, b.s + 8, a.len - 8) == 0);
    return rdd_equal(a, b);
}

struct kv_entry *rdd_kv_find_or_add(struct kv_table *t, struct rdd_value key,
                                    uint64_t h, bool *is_new)
{
    uint64_t head = head_of(key), tag = h & 0xffffffff00000000ULL, s;
    size_t j;

    for (j = h & t->mask; (s = t->slot[j]); j = (j + 1) & t->mask) {
        if ((s & 0xffffffff00000000ULL) == tag) {
            struct kv_entry *e = &t->e[(s & 0xffffffff) - 1];
            if (e->hash == h && same_key(e, key, head)) {
                *is_new = false;
                return e;
            }
        }
    }
    if (t->n == t->cap) {
        kv_grow(t);
        return rdd_kv_find_or_add(t, key, h, is_new);
    }
    t->slot[j] = tag | (t->n + 1);
    t->e[t->n] = (struct kv_entry){ h, head, key, rdd_none() };
    *is_new = true;
    return &t->e[t->n++];
}

void rdd_kv_record(void *kv_table, size_t i, struct rdd_value *k,
                   struct rdd_value *v)
{
    const struct kv_entry *e = rdd_kv_at(kv_table, i);

    *k = e->key;
    *v = e->val;
}
