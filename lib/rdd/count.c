/* count.c - word count's fast path through a shuffle: an optional fast
 * path; the meaning is shuffle.c's, and test_rdd proves they agree
 * (rdd/fused_word_count_equals_general_path and
 * rdd/reduce_by_key_add_equals_general_merge: same counts, same order).
 * Delete this file's callers and word count gives the same answer,
 * slower. It applies to map(lambda w: (w, 1)).reduceByKey(add) on the
 * map side and to any reduceByKey(add) on the reduce side. Its tricks,
 * each named where it happens:
 *   FUSE      map + combine in one step: no (w, 1) pair is ever made,
 *             each word adds 1 to its count
 *   INLINE    a 16-byte entry holds a word of up to 8 bytes itself, so
 *             a probe reads one cache line and never the text
 *   LOAD16    a word's first 16 bytes in one load and two masks, with no
 *             branch on its length
 *   MUM       a 64x64->128-bit multiply as the hash: one instruction
 *   RING      16 words wait in a ring while their entries are
 *             prefetched, so a big table's cache misses overlap
 *   DENSE     the table is copied out in first-seen order before the
 *             shuffle write, which reads it twice in order
 *   FALLBACK  anything the table cannot hold (a key that is not a
 *             string, a count past 2^32) moves the task to the general
 *             table, in the same first-seen order
 */
#include "rdd_impl.h"

#include <stdlib.h>
#include <string.h>

/* A word's first 16 bytes, zero-padded: equal heads and lengths mean
 * equal words up to 16 bytes (little-endian loads; others copy). */
static inline void load_head(const char *s, size_t n, uint64_t h[2])
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t lo, hi;

    if (n >= 16) {
        memcpy(&h[0], s, 8);
        memcpy(&h[1], s + 8, 8);
    } else if (n >= 8) {
        memcpy(&h[0], s, 8);
        memcpy(&h[1], s + n - 8, 8);    /* bytes 8..n at the top: shift */
        h[1] = n > 8 ? h[1] >> (8 * (16 - n)) : 0;
    } else if (n >= 4) {
        memcpy(&lo, s, 4);              /* two overlapping loads */
        memcpy(&hi, s + n - 4, 4);
        h[0] = lo | (uint64_t)hi << (8 * (n - 4));
        h[1] = 0;
    } else {
        const unsigned char *u = (const unsigned char *)s;
        h[0] = n ? (uint64_t)u[0] | (uint64_t)u[n / 2] << (8 * (n / 2)) |
                   (uint64_t)u[n - 1] << (8 * (n - 1)) : 0;
        h[1] = 0;
    }
#else
    h[0] = h[1] = 0;
    memcpy(h, s, n < 16 ? n : 16);
#endif
}

/* LOAD16: the same from one 16-byte load, when 16 bytes from s may be
 * read (a word inside the mapped input file or a shuffle block): no
 * branch on the length, which changes from word to word and fools the
 * CPU's branch guess. */
static inline void load_head16(const char *s, size_t n, uint64_t h[2])
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const uint64_t first_bytes[9] = {    /* the first k of 8 */
        0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff,
        0xffffffffffff, 0xffffffffffffff, ~0ULL,
    };
    size_t k = n < 16 ? n : 16;

    memcpy(h, s, 16);
    h[0] &= first_bytes[k < 8 ? k : 8];
    h[1] &= first_bytes[k > 8 ? k - 8 : 0];
#else
    load_head(s, n, h);
#endif
}

/* MUM: 64x64 -> 128-bit multiply, folded: one instruction mixes two
 * words */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
    __uint128_t m = (__uint128_t)a * b;

    return (uint64_t)m ^ (uint64_t)(m >> 64);
}

static uint64_t hash_tail(uint64_t h, const char *s, size_t n);

/* (Words whose first 8 bytes equal the first constant all hash alike:
 * slower for them, never wrong.) */
static inline uint64_t word_hash(const uint64_t head[2], const char *s,
                                 size_t n)
{
    uint64_t h = mum(head[0] ^ 0xa0761d6478bd642fULL,
                     head[1] ^ 0xe7037ed1a0b428dbULL ^ n);

    return n <= 16 ? h : hash_tail(h, s, n);
}

/* Words past 16 bytes: the rest, 16 bytes at a time (rare in text). */
static uint64_t hash_tail(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 16; i < n; i += 16) {
        uint64_t x[2];
        load_head(s + i, n - i, x);
        h = mum(h ^ x[0] ^ 0x8ebc6af09c88c6e3ULL,
                x[1] ^ 0x589965cc75374cc3ULL);
    }
    return h;
}

/* ---- the table */

/* INLINE: 16 bytes, four to a cache line: a word of up to 8 bytes (nearly
 * all words of most text) is held in its entry, a longer one pointed to. */
struct count_entry {
    union {
        uint64_t word;          /* len <= 8: its bytes, zero-padded */
        const char *s;          /* len > 8: the word, in an arena */
    };
    uint32_t len;
    uint32_t count;             /* 0: an empty entry */
};

static inline const char *entry_word(const struct count_entry *e)
{
    return e->len <= 8 ? (const char *)&e->word : e->s;
}

static uint64_t entry_hash(const struct count_entry *e)
{
    uint64_t head[2];

    load_head(entry_word(e), e->len, head);
    return word_hash(head, entry_word(e), e->len);
}

enum { TABLE_BIG = 1 << 18 };   /* slots */

struct count_table {
    struct count_entry *e;
    size_t mask, n;
    uint32_t *order;            /* entry indexes, first seen first */
};

static void count_table_init(struct count_table *t, size_t expect)
{
    size_t slots = 1024;

    while (slots < 2 * expect + 2)      /* at most half full */
        slots *= 2;
    t->e = rdd_table_alloc(slots * sizeof(*t->e));
    t->order = rdd_table_alloc(slots / 2 * sizeof(*t->order));
    t->mask = slots - 1;
    t->n = 0;
}

static void count_table_release(struct count_table *t)
{
    rdd_table_free(t->e, (t->mask + 1) * sizeof(*t->e));
    rdd_table_free(t->order, (t->mask + 1) / 2 * sizeof(*t->order));
    t->e = NULL;
    t->order = NULL;
}

static inline size_t free_slot(const struct count_table *t, uint64_t h)
{
    size_t j = h & t->mask;

    while (t->e[j].count)
        j = (j + 1) & t->mask;
    return j;
}

/* Makes the table bigger, keeping the first-seen order. Each growth moves
 * every entry: a small table grows by 4 (half as many moves as by 2), a
 * big one by 2 (a table twice too big misses the cache more). */
static void count_table_grow(struct count_table *t)
{
    struct count_table old = *t;

    count_table_init(t, old.mask + 1 < TABLE_BIG ? 2 * (old.mask + 1)
                                                 : old.mask + 1);
    for (size_t i = 0; i < old.n; i++) {
        struct count_entry *x = &old.e[old.order[i]];
        if (i + 8 < old.n)
            __builtin_prefetch(&old.e[old.order[i + 8]]);
        size_t j = free_slot(t, entry_hash(x));
        t->e[j] = *x;
        t->order[t->n++] = (uint32_t)j;
    }
    count_table_release(&old);
}

/* The entry of word w (n bytes, first 8 in head), or NULL with *slot
 * where it goes. */
static inline struct count_entry *find(struct count_table *t, uint64_t head,
                                       const char *w, size_t n, uint64_t h,
                                       size_t *slot)
{
    size_t j;

    for (j = h & t->mask; t->e[j].count; j = (j + 1) & t->mask) {
        struct count_entry *e = &t->e[j];
        if (e->len == n &&
            (n <= 8 ? e->word == head : memcmp(e->s, w, n) == 0))
            return e;
    }
    *slot = j;
    return NULL;
}

/* ---- counting: words in, counts out */

enum { RING = 16, RING_MIN_SLOTS = 1 << 16 };

struct counter {
    struct rdd_sink base;
    struct rdd_arena *keep;     /* new words are copied here; NULL: the
                                   words given stay (a shuffle's output) */
    struct rdd_arena *sums;     /* sums that are not ints (general table) */
    uintptr_t text, text_end;   /* the mapped input file, if any */
    bool is_padded;             /* words lie in shuffle blocks (padded) */
    void *add_ctx;              /* rdd_add's fallback (the shuffle's) */
    struct count_table table;
    struct kv_table *general;   /* after a non-string key or a big count */
    struct {                    /* words waiting for their probe */
        uint64_t head[RING][2], h[RING];
        const char *s[RING];    /* the word when it stays, else NULL */
        uint32_t len[RING], by[RING];
        unsigned first, n;
    } ring;
};

static void add_general(struct counter *o, struct rdd_value k,
                        struct rdd_value v)
{
    bool is_new;
    struct kv_entry *e = rdd_kv_find_or_add(o->general, k, rdd_fast_hash(k),
                                        &is_new);
    int64_t sum;

    if (is_new) {
        e->key = o->keep ? rdd_copy(o->keep, k) : k;
        e->val = o->keep ? rdd_copy(o->keep, v) : v;
    } else if (e->val.kind == RDD_INT && v.kind == RDD_INT &&
               !__builtin_add_overflow(e->val.i, v.i, &sum)) {
        e->val.i = sum;         /* reduceByKey's add, as combine does it */
    } else {
        e->val = rdd_copy(o->sums, rdd_add(e->val, v, o->base.task->scratch,
                                           o->add_ctx));
    }
}

/* Entry e's word as a value that outlives the table. */
static struct rdd_value kept_word(struct counter *o,
                                  const struct count_entry *e)
{
    if (e->len > 8)
        return rdd_str(e->s, e->len);
    return rdd_str(rdd_arena_strdup(o->keep ? o->keep : o->sums,
                                    (const char *)&e->word, e->len), e->len);
}

/* FALLBACK: from now on the task counts in the general table (same
 * order). */
static void go_general(struct counter *o)
{
    struct count_table *t = &o->table;
    struct rdd_arena *keep = o->keep;

    o->general = rdd_xcalloc(1, sizeof(*o->general));
    rdd_kv_init(o->general, t->n);
    o->keep = NULL;             /* the entries' words are kept already */
    for (size_t i = 0; i < t->n; i++) {
        struct count_entry *x = &t->e[t->order[i]];
        add_general(o, kept_word(o, x), rdd_int(x->count));
    }
    o->keep = keep;
    count_table_release(t);
}

/* Adds `by` to the word's count. s: its bytes when they stay, or past 16
 * bytes (else NULL: the head holds the word). */
static void count_add(struct counter *o, const uint64_t head[2],
                      const char *s, size_t n, uint64_t h, uint32_t by)
{
    struct count_table *t = &o->table;
    const char *w = s ? s : (const char *)head;
    size_t j;
    struct count_entry *e = find(t, head[0], w, n, h, &j);

    if (e && e->count <= UINT32_MAX - by) {
        e->count += by;
        return;
    }
    if (e) {                    /* 2^32 of one word in one partition */
        go_general(o);
        add_general(o, rdd_str(w, n), rdd_int(by));
        return;
    }
    e = &t->e[j];
    if (n <= 8)
        e->word = head[0];
    else
        e->s = o->keep ? rdd_arena_strdup(o->keep, w, n) : w;
    e->len = (uint32_t)n;
    e->count = by;
    t->order[t->n++] = (uint32_t)j;
    if (2 * t->n >= t->mask)
        count_table_grow(t);
}

static void ring_pop(struct counter *o)
{
    unsigned f = o->ring.first;
    const char *w = o->ring.s[f] ? o->ring.s[f]
                                 : (const char *)o->ring.head[f];

    if (o->general)
        add_general(o, rdd_str(w, o->ring.len[f]), rdd_int(o->ring.by[f]));
    else
        count_add(o, o->ring.head[f], o->ring.s[f], o->ring.len[f],
                  o->ring.h[f], o->ring.by[f]);
    o->ring.first = (f + 1) % RING;
    o->ring.n--;
}

static void ring_drain(struct counter *o)
{
    while (o->ring.n)
        ring_pop(o);
}

/* RING: counts word w `by` times: queued in the ring (its entry
 * prefetched), or counted now when the ring cannot hold it. */
static inline void count(struct counter *o, struct rdd_value w, uint32_t by)
{
    uint64_t head[2], h;
    unsigned at;
    bool is_held = w.len <= 16 || !o->keep;     /* can the ring hold it? */

    if (o->is_padded ||
        ((uintptr_t)w.s >= o->text && (uintptr_t)w.s + 16 <= o->text_end))
        load_head16(w.s, w.len, head);
    else
        load_head(w.s, w.len, head);
    h = word_hash(head, w.s, w.len);
    if (!is_held || o->table.mask < RING_MIN_SLOTS) {
        /* a long word's bytes are needed now (its line moves on); a
         * small table is in the cache anyway */
        ring_drain(o);
        count_add(o, head, o->keep && w.len <= 16 ? NULL : w.s, w.len, h,
                  by);
        return;
    }
    if (o->ring.n == RING)
        ring_pop(o);
    at = (o->ring.first + o->ring.n++) % RING;
    memcpy(o->ring.head[at], head, sizeof(head));
    o->ring.s[at] = o->keep ? NULL : w.s;
    o->ring.len[at] = (uint32_t)w.len;
    o->ring.by[at] = by;
    o->ring.h[at] = h;
    __builtin_prefetch(&o->table.e[h & o->table.mask]);
}

/* Counts (k, v): a string key with a count fits the table, anything
 * else sends the task to the general one. */
static void count_pair(struct counter *o, struct rdd_value k,
                       struct rdd_value v)
{
    if (!o->general && k.kind == RDD_STR && v.kind == RDD_INT &&
        v.i >= 0 && v.i <= UINT32_MAX) {
        count(o, k, (uint32_t)v.i);
        return;
    }
    ring_drain(o);              /* keeps the first-seen order */
    if (!o->general)
        go_general(o);
    add_general(o, k, v);
}

static void count_push(struct rdd_sink *s, struct rdd_value w)
{
    struct counter *o = (struct counter *)s;

    s->task->records_out++;
    if (w.kind == RDD_STR && !o->general)
        count(o, w, 1);         /* FUSE, the hot path: one more word */
    else
        count_pair(o, w, rdd_int(1));
}

/* Record i of the table (asked for in order: the entry RING records
 * ahead is fetched meanwhile). Its word may lie in the table: valid
 * until the table is freed, long enough to be written or pushed on. */
static void count_record(void *table, size_t i, struct rdd_value *k,
                         struct rdd_value *v)
{
    const struct count_table *t = table;
    const struct count_entry *e = &t->e[t->order[i]];

    if (i + RING < t->n)
        __builtin_prefetch(&t->e[t->order[i + RING]]);
    *k = rdd_str(entry_word(e), e->len);
    *v = rdd_int(e->count);
}

/* The counts, in first-seen order: record i of src, n of them. */
static size_t counted(struct counter *o, combined_fn *get, void **src)
{
    ring_drain(o);
    *get = o->general ? rdd_kv_record : count_record;
    *src = o->general ? (void *)o->general : (void *)&o->table;
    return o->general ? o->general->n : o->table.n;
}

static void counter_free(struct counter *o)
{
    if (o->general) {
        rdd_kv_free(o->general);
        free(o->general);
    } else {
        count_table_release(&o->table);
    }
}

bool rdd_count_applies(const struct rdd *sr)
{
    const struct rdd *m = sr->parent;

    /* not when the (w, 1) RDD is cached: skipping it would lose that */
    return rdd_count_reduce_applies(sr->shuffle) && m->op == OP_MAP &&
           m->fn.map == rdd_with_one && !m->is_cached;
}

bool rdd_count_reduce_applies(const struct rdd_shuffle *sh)
{
    return sh->mode == SH_COMBINE && sh->fn == rdd_add && !sh->create &&
           !sh->merge;
}

/* The file mapped by the textFile this RDD reads, if it reads one. */
static void find_text(const struct rdd *r, struct counter *o)
{
    while (r->parent && !r->parent2 && r->op != OP_HADOOP)
        r = r->parent;
    if (r->op == OP_HADOOP && r->text.nfiles == 1 && r->text.file[0].data) {
        o->text = (uintptr_t)r->text.file[0].data;
        o->text_end = o->text + r->text.file[0].len;
    }
}

/* Record i of the entries copied out in first-seen order. */
static void dense_record(void *entries, size_t i, struct rdd_value *k,
                         struct rdd_value *v)
{
    const struct count_entry *e = (const struct count_entry *)entries + i;

    *k = rdd_str(entry_word(e), e->len);
    *v = rdd_int(e->count);
}

/* DENSE: the table's entries in first-seen order, in one array; the table is
 * freed. The shuffle write reads its records twice (sizes, then bytes):
 * from here both passes read memory in order, not all over the table. */
static struct count_entry *dense_entries(struct count_table *t)
{
    struct count_entry *d = rdd_xmalloc((t->n + 1) * sizeof(*d));

    for (size_t i = 0; i < t->n; i++) {
        if (i + RING < t->n)
            __builtin_prefetch(&t->e[t->order[i + RING]]);
        d[i] = t->e[t->order[i]];
    }
    count_table_release(t);
    return d;
}

void rdd_count_map_task(struct rdd *sr, int m, struct task *t)
{
    struct rdd_shuffle *sh = sr->shuffle;
    struct rdd_arena *keep = rdd_arena_new();      /* until written */
    struct counter o = { .base = { count_push, t }, .keep = keep,
                         .sums = keep, .add_ctx = sh->ctx };
    struct count_entry *d;
    size_t n;

    find_text(sr, &o);
    /* sized like the last task's table: no growing on the way */
    count_table_init(&o.table, __atomic_load_n(&sh->distinct_hint,
                                               __ATOMIC_RELAXED));
    rdd_compute(sr->parent->parent, m, &o.base, t);    /* skips the map */
    ring_drain(&o);
    if (o.general) {
        rdd_shuffle_scatter(sh, &sh->out[m], o.general->n, rdd_kv_record,
                            o.general, t);
        counter_free(&o);
    } else {
        n = o.table.n;
        __atomic_store_n(&sh->distinct_hint, n, __ATOMIC_RELAXED);
        d = dense_entries(&o.table);
        rdd_shuffle_scatter(sh, &sh->out[m], n, dense_record, d, t);
        free(d);
    }
    rdd_arena_free(keep);
}

void rdd_count_reduce_task(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                           struct task *t)
{
    struct counter o = { .base = { NULL, t }, .keep = NULL,
                         .sums = rdd_arena_new(), .is_padded = true,
                         .add_ctx = sh->ctx };
    combined_fn get;
    void *src;
    size_t n = 0, i, records = 0;
    struct rdd_value k, v;

    /* keys: at least the biggest block's; guess half of all records
     * (growing moves every entry, a table too big costs little) */
    for (int m = 0; m < sh->nmap; m++) {
        records += sh->out[m].bucket[p].n;
        if (sh->out[m].bucket[p].n > n)
            n = sh->out[m].bucket[p].n;
    }
    count_table_init(&o.table, n > records / 2 ? n : records / 2);
    for (int m = 0; m < sh->nmap; m++) {
        const struct block *b = &sh->out[m].bucket[p];
        const char *at = b->bytes;
        for (i = 0; i < b->n; i++) {
            at = rdd_block_next(at, &k, &v, o.sums);
            count_pair(&o, k, v);
        }
        t->records_in += (long long)b->n;
        t->bytes_read += (long long)b->len;
    }
    n = counted(&o, &get, &src);
    for (i = 0; i < n && !t->is_stopped; i++) {
        get(src, i, &k, &v);
        out->push(out, rdd_pair(t->scratch, k, v));
        rdd_arena_reset(t->scratch);
    }
    counter_free(&o);
    rdd_arena_free(o.sums);
}
