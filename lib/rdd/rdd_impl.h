/* rdd_impl.h - the engine's insides, shared by the files of lib/rdd only.
 * An RDD node, the push pipeline a task runs (sinks), the per-task arena
 * and the key-value table used for map-side combine and the shuffle.
 */
#ifndef RDD_IMPL_H
#define RDD_IMPL_H

#include "rdd.h"
#include "mapfile.h"

/* ---- arena: chunks of memory handed out by bumping a pointer */
struct rdd_chunk;
struct rdd_arena {
    struct rdd_chunk *head;
    char *at, *end;
    size_t bytes;               /* handed out since the last reset */
};
void rdd_arena_reset_chunks(struct rdd_arena *a);
/* Forgets everything, keeps the first chunk. Called after every record:
 * when nothing was allocated, that is one compare. */
static inline void rdd_arena_reset(struct rdd_arena *a)
{
    if (a->bytes)
        rdd_arena_reset_chunks(a);
}
const char *rdd_arena_strdup(struct rdd_arena *a, const char *s, size_t n);

/* ---- a growable list of values (a partition's records) */
struct rdd_part {
    struct rdd_value *v;
    size_t n, cap;
    struct rdd_arena *arena;    /* owns what v's items point to */
    bool is_present, was_lost;
};
void rdd_part_push(struct rdd_part *p, struct rdd_value v);
void rdd_part_free(struct rdd_part *p);

/* ---- a task: one partition of one stage, run by one thread. Its
 * counters change on every record, so each task gets cache lines of its
 * own: two tasks sharing a line would slow each other down (false
 * sharing) on every word. */
struct task {
    struct rdd_arena *scratch;  /* reset after each source record */
    struct rdd_task_context info;   /* stage, partition, TID (callbacks) */
    bool is_stopped;            /* take(): enough records, stop early */
    const char *error;          /* why the task failed (first wins) */
    bool is_recompute;
    long long records_in, records_out, cache_hits;
    long long records_written, bytes_written, bytes_read;
    /* in a worker process: the cached partitions this task filled (the
     * driver keeps them once the worker has sent them) */
    bool is_worker;
    struct cached_ref { struct rdd *r; int p; } *cached;
    int ncached;
} __attribute__((aligned(128)));

/* A push pipeline: each narrow transformation is a sink that transforms a
 * record and pushes it to the next one (Spark pipelines them the same
 * way, record by record, inside a stage). */
struct rdd_sink {
    void (*push)(struct rdd_sink *self, struct rdd_value v);
    struct task *task;
};

/* ---- key -> value table: open addressing over small slots (a hash tag
 * and an entry index: a probe rarely touches an entry it does not want),
 * entries kept dense in insertion order (Python dicts keep it, PySpark
 * shows it; and the frequent keys, seen first, share cache lines). A
 * string key's first 8 bytes sit in its entry: most words are shorter. */
struct kv_entry {
    uint64_t hash;
    uint64_t head;              /* first 8 bytes of a string key */
    struct rdd_value key, val;
};
struct kv_table {
    uint64_t *slot;             /* hash tag << 32 | entry index + 1 */
    size_t mask, n, cap;
    struct kv_entry *e;
};
void rdd_kv_init(struct kv_table *t, size_t expect);
void rdd_kv_free(struct kv_table *t);
/* The entry for key (hash h), adding it with val unset (kind NONE) when
 * missing (*is_new true); the caller fills a new entry's key and val.
 * The pointer is valid until the next rdd_kv_find_or_add. */
struct kv_entry *rdd_kv_find_or_add(struct kv_table *t, struct rdd_value key,
                                    uint64_t h, bool *is_new);
/* Zeroed memory for a big table (2 MB pages where the kernel allows),
 * and its release (bytes: as allocated). */
void *rdd_table_alloc(size_t bytes);
void rdd_table_free(void *p, size_t bytes);
/* The i-th key added (0 <= i < t->n). */
static inline struct kv_entry *rdd_kv_at(const struct kv_table *t, size_t i)
{
    return &t->e[i];
}

/* Fails task t with msg (kept if it is the first) and stops it. */
static inline void rdd_task_stop(struct task *t, const char *msg)
{
    if (!t->error)
        t->error = msg;
    t->is_stopped = true;
}

/* Python's ints grow; the engine's are 64 bits. A sum that would wrap
 * fails its task instead (as datatask refuses such a sum). */
#define RDD_OVERFLOW_MSG "OverflowError: a sum does not fit in 64 bits " \
    "(Python's ints grow; this engine's stop at 2**63 - 1)"

/* *acc += v, or false (and t failed) when the sum leaves 64 bits. */
static inline bool rdd_add_int(int64_t *acc, int64_t v, struct task *t)
{
    if (!__builtin_add_overflow(*acc, v, acc))
        return true;
    rdd_task_stop(t, RDD_OVERFLOW_MSG);
    return false;
}

/* ---- RDD nodes */
enum rdd_op {
    OP_PARALLEL, OP_RANGE, OP_HADOOP, OP_PASS, OP_MAP, OP_FILTER, OP_FLAT_MAP,
    OP_MAP_PARTS, OP_UNION, OP_SHUFFLED, OP_PIPE, OP_ZIP, OP_CARTESIAN,
    OP_COALESCE,
};

/* SH_PLAIN: partitionBy, records moved as they are */
enum shuffle_mode { SH_COMBINE, SH_GROUP, SH_RANGE, SH_PLAIN };

/* ---- a shuffle block: the (key, value) records one map task wrote for
 * one reduce partition, serialised (serial.c; Spark writes them to a
 * file). A reader's values point into the block: no copy. BLOCK_PAD
 * zero bytes follow the records, so 16 bytes may be read from any
 * string in a block. */
enum { BLOCK_PAD = 16 };
struct block {
    char *bytes;
    size_t len, cap;
    size_t n;                   /* records */
};
void rdd_block_add(struct block *b, struct rdd_value k, struct rdd_value v);
/* Makes room for bytes more (and the pad) at once. */
void rdd_block_reserve(struct block *b, size_t bytes);
void rdd_block_free(struct block *b);
/* Reads the record at `at` (a tuple's items go in a); returns the next. */
const char *rdd_block_next(const char *at, struct rdd_value *k,
                           struct rdd_value *v, struct rdd_arena *a);
/* One value as bytes (rdd_value_bytes of them), and back: is_copy puts
 * strings in a, else they point into the bytes. */
char *rdd_value_put(char *at, struct rdd_value v);
const char *rdd_value_get(const char *at, struct rdd_value *v,
                          struct rdd_arena *a, bool is_copy);

struct map_out {
    bool is_done, was_lost;
    struct rdd_arena *arena;
    struct block *bucket;       /* one per reduce partition */
};

struct rdd_shuffle {
    enum shuffle_mode mode;
    rdd_reduce_fn fn;
    void *ctx;
    rdd_map_fn create;          /* combineByKey's createCombiner, or NULL */
    void *create_ctx;
    rdd_reduce_fn merge;        /* reduce side (combiners); NULL: fn */
    void *merge_ctx;
    rdd_partition_fn part_fn;   /* NULL: portable_hash */
    void *part_ctx;
    int nmap, nreduce;
    bool is_ascending;
    struct rdd_part bounds;     /* SH_RANGE: nreduce - 1 upper bounds */
    struct map_out *out;        /* one per map partition */
    int stage_id, stage_job;    /* its last stage, and that job's id + 1 */
    int attempts;               /* resubmissions within that job */
    size_t distinct_hint;       /* keys of the last map task (atomic) */
};

struct text_src {
    struct mapfile *file;       /* mapped, or read from a pipe (mapfile) */
    int nfiles;
    /* split i is bytes [start[i], end[i]) of file file_of[i] */
    int *file_of;
    long long *start, *end;
};

/* The scheduler walks a lineage recursively (stages, then one sink per
 * narrow transformation): deeper than this is Python's RecursionError, not
 * a stack overflow. PySpark itself stops near 1000 chained map()s. */
enum { RDD_MAX_DEPTH = 5000 };

struct rdd {
    struct rdd_context *sc;
    int id, nparts;
    int depth;                  /* 1 + the deepest parent's (no cache cut) */
    enum rdd_op op;
    const char *cls;            /* Spark's class name: "ShuffledRDD" */
    char name[96];              /* "map at wordcount.c:57" */
    char path[160];             /* textFile: shown first, as Spark does */
    struct rdd *parent, *parent2;
    union {
        rdd_map_fn map;
        rdd_filter_fn filter;
        rdd_flat_fn flat;
        rdd_part_fn part;
        rdd_pipe_fn pipe;
    } fn;
    void *ctx;
    void *own;                  /* freed with the RDD (a wrapped closure) */
    struct rdd_part *slices;    /* OP_PARALLEL: the data, one per slice */
    struct {                    /* OP_RANGE: numbers made, not stored */
        int64_t start, step;
        uint64_t len;
    } range;
    struct text_src text;       /* OP_HADOOP */
    struct rdd_shuffle *shuffle;    /* OP_SHUFFLED: its input */
    bool is_cached;
    struct rdd_part *cache;     /* one per partition when cached */
    struct rdd_part *gathered;  /* MPI: a result stage's shared input */
};

/* Where slice i of n starts in len records: i*len/n (Spark's
 * ParallelCollectionRDD.slice). 128-bit product: a range may hold 10^18. */
static inline uint64_t rdd_slice_start(int i, uint64_t len, int n)
{
    return (uint64_t)((unsigned __int128)i * len / (unsigned)n);
}

struct rdd *rdd_new(struct rdd_context *sc, enum rdd_op op, const char *cls,
                    const char *what, const char *at, struct rdd *parent,
                    int nparts);
void rdd_fail(struct rdd_context *sc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* malloc, calloc and realloc that print "pardemo: out of memory" and
 * exit(1) instead of returning NULL: the engine never runs on without. */
void *rdd_xmalloc(size_t n);
void *rdd_xcalloc(size_t n, size_t size);
void *rdd_xrealloc(void *p, size_t n);

/* The sources of a stage: a textFile split (textfile.c), a shuffle's
 * reduce side (shuffle.c). */
void rdd_text_read(struct rdd *r, int p, struct rdd_sink *out, struct task *t);
/* A textFile split read line by line (a pull source). */
struct text_cursor {
    const char *d;
    size_t len, pos, end;
};
void rdd_text_split_open(const struct rdd *r, int p, struct text_cursor *c);
bool rdd_text_next_line(struct text_cursor *c, struct rdd_value *line);
/* Unmaps and frees a textFile's files. */
void rdd_text_src_free(struct text_src *src);
void rdd_shuffle_read(struct rdd *r, int p, struct rdd_sink *out, struct task *t);
/* One map task of the shuffle whose reduce side is sr: NULL, or what went
 * wrong (records that are not pairs). */
const char *rdd_shuffle_map_task(struct rdd *sr, int m, struct task *t);

/* A map task's combined records, one at a time: record i of src. */
typedef void (*combined_fn)(void *src, size_t i, struct rdd_value *k,
                            struct rdd_value *v);
void rdd_kv_record(void *kv_table, size_t i, struct rdd_value *k,
                   struct rdd_value *v);
/* Writes n combined records to the buckets of their reduce partitions,
 * in order (shuffle.c). */
void rdd_shuffle_scatter(struct rdd_shuffle *sh, struct map_out *mo, size_t n,
                         combined_fn get, void *src, struct task *t);
/* Word count's fused map side (count.c): does this shuffle count words
 * (map(with_one).reduceByKey(add))? Then rdd_count_map_task runs map task m. */
bool rdd_count_applies(const struct rdd *sr);
void rdd_count_map_task(struct rdd *sr, int m, struct task *t);
/* reduceByKey(add)'s reduce side (any such shuffle: keys that are not
 * strings, values that are not counts go to the general table): merges
 * the buckets of reduce partition p, first seen first. */
bool rdd_count_reduce_applies(const struct rdd_shuffle *sh);
void rdd_count_reduce_task(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                           struct task *t);


/* 0, or -1 with Python's RecursionError in sc->error when walking r's
 * lineage would go deeper than RDD_MAX_DEPTH (sched.c). */
int rdd_check_depth(struct rdd *r);

/* Pushes partition p of r through out (sched.c). */
void rdd_compute(struct rdd *r, int p, struct rdd_sink *out, struct task *t);
/* Partition p of r as a list (its own arena). */
void rdd_materialise(struct rdd *r, int p, struct rdd_part *into,
                     struct task *t);
/* The ops that read whole partitions or pull records (pull.c): pipe,
 * zip, cartesian, coalesce. */
void rdd_pull_compute(struct rdd *r, int p, struct rdd_sink *out,
                  struct task *t);

/* Runs a job: the missing parent stages, then one result task per
 * partition in parts (all when parts is NULL): fn(r, p, t, ctx) on the
 * task's thread. Returns 0, or -1 with sc->error set. */
typedef void (*job_task_fn)(struct rdd *r, int p, struct task *t, void *ctx);
int rdd_run_job(struct rdd *r, const char *name, const int *parts,
                int nparts, job_task_fn fn, void *ctx);

/* How a result task's answer crosses from a worker process (procs.c) to
 * the driver: save appends partition p's answer to out in the worker,
 * load reads it back into ctx on the driver. */
struct job_io {
    void (*save)(void *ctx, int p, struct rdd_buf *out);
    void (*load)(void *ctx, int p, const char *at, size_t len);
};
/* rdd_run_job for a job whose tasks may run in worker processes. */
int rdd_run_job_io(struct rdd *r, const char *name, const int *parts,
                   int nparts, job_task_fn fn, const struct job_io *io,
                   void *ctx);
/* A partition's records as bytes (appended to out), and back (values
 * copied into p's arena, which load makes when p has none). */
void rdd_part_save(const struct rdd_part *p, struct rdd_buf *out);
void rdd_part_load(struct rdd_part *p, const char *at, size_t len);

/* ---- a stage's run (sched.c, procs.c) */
struct stage_run {
    struct rdd_context *sc;
    struct rdd_stage_log *log;
    struct rdd *r;              /* map stage: the ShuffledRDD; else result */
    job_task_fn fn;             /* result stage only */
    const struct job_io *io;
    void *ctx;
};
/* Runs task p of the stage on this thread: NULL, or what went wrong. */
const char *rdd_stage_task(struct stage_run *st, int p, struct task *t);
/* Adds a finished task to the stage's log and the trace. */
void rdd_stage_log_task(struct stage_run *st, int p, int worker,
                    const struct task *t, double secs);
/* Runs the stage's listed tasks in worker processes (procs.c). */
const char *rdd_procs_run(struct stage_run *st, const int *parts, int n);
/* A task's partition was materialised into r's cache (procs.c sends it
 * back to the driver). */
void rdd_task_note_cached(struct task *t, struct rdd *r, int p);

/* The context's rules for RDD_OBJ values, in a task or on the driver. */
const struct rdd_obj_ops *rdd_obj_ops_here(void);
/* k, v = kv as Python unpacks it: a 2-tuple directly; anything else
 * through obj_ops, or rdd_unpack2 without them. NULL, or Python's error
 * (then the caller stops the task with it). */
const char *rdd_unpack(struct rdd_value kv, struct rdd_arena *a,
                       struct rdd_value *k, struct rdd_value *v);

/* Python-like hashing and decoding helpers (value.c). */
uint64_t rdd_hash_bytes(const char *s, size_t n);
uint64_t rdd_str_head(const char *s, size_t n);
uint32_t rdd_utf8_next(const unsigned char *s, size_t n, size_t *adv);

#endif
