/* rdd.h - a mini-RDD engine with Spark's semantics, in C.
 * An RDD is a recipe (lineage), not data: transformations only record a
 * node; an action cuts the lineage into stages at shuffles and runs one
 * task per partition on OpenMP threads. Read rdd_map, then rdd_collect,
 * then sched.c (run_job) to see laziness, stages and tasks at work.
 */
#ifndef RDD_H
#define RDD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- values: what an RDD holds (Python's int, float, str, tuple, list) */

enum rdd_kind { RDD_NONE, RDD_INT, RDD_FLOAT, RDD_STR, RDD_TUPLE, RDD_LIST,
                RDD_DICT,
                RDD_BOOL,       /* True/False: an int to arithmetic */
                RDD_OBJ };      /* any other object, as bytes (s, len) its
                                   owner made (a pickle): see rdd_obj_ops */

/* 16 bytes, passed by value. A string is a slice (not NUL-terminated) of
 * the input file or of an arena; a tuple/list/dict points at its items
 * (a dict: key, value, key, value...; len counts the pairs). */
struct rdd_value {
    enum rdd_kind kind;
    uint32_t len;
    union {
        int64_t i;
        double f;
        const char *s;
        struct rdd_value *items;
    };
};

/* A bump allocator: values made by a task live in its arena and are freed
 * all at once (no malloc per record). */
struct rdd_arena;
void *rdd_alloc(struct rdd_arena *a, size_t bytes);
struct rdd_arena *rdd_arena_new(void);
void rdd_arena_free(struct rdd_arena *a);

static inline struct rdd_value rdd_int(int64_t i)
{
    return (struct rdd_value){ .kind = RDD_INT, .i = i };
}
static inline struct rdd_value rdd_bool(bool b)
{
    return (struct rdd_value){ .kind = RDD_BOOL, .i = b };
}
static inline struct rdd_value rdd_float(double f)
{
    return (struct rdd_value){ .kind = RDD_FLOAT, .f = f };
}
static inline struct rdd_value rdd_str(const char *s, size_t len)
{
    return (struct rdd_value){ .kind = RDD_STR, .len = (uint32_t)len,
                               .s = s };
}
static inline struct rdd_value rdd_none(void)
{
    return (struct rdd_value){ .kind = RDD_NONE };
}
struct rdd_value rdd_cstr(const char *s);
/* A tuple/list of n items allocated in a (items zeroed, fill them). */
struct rdd_value rdd_tuple(struct rdd_arena *a, uint32_t n);
struct rdd_value rdd_list(struct rdd_arena *a, uint32_t n);
struct rdd_value rdd_pair(struct rdd_arena *a, struct rdd_value k,
                          struct rdd_value v);
/* The key and value of a pair (a 2-tuple). */
static inline struct rdd_value rdd_key(struct rdd_value kv)
{
    return kv.items[0];
}
static inline struct rdd_value rdd_val(struct rdd_value kv)
{
    return kv.items[1];
}
/* Python's x[i] (i 0 or 1), as PySpark's `lambda kv: kv[0]` in keys(),
 * values(), mapValues(): NULL and the item in *out, or Python's error
 * ("TypeError: 'int' object is not subscriptable", "IndexError: tuple
 * index out of range", "KeyError: 0"; static text). */
const char *rdd_item(struct rdd_value x, int i, struct rdd_value *out);
/* Python's `k, v = x` (PySpark's `for k, v in iterator` in a shuffle):
 * NULL, or "TypeError: cannot unpack non-iterable int object", "ValueError:
 * not enough values to unpack (expected 2, got 1)"... (static text). */
const char *rdd_unpack2(struct rdd_value x, struct rdd_value *k,
                        struct rdd_value *v);
/* Python's type name: "int", "str", "NoneType"... */
const char *rdd_type_name(struct rdd_value v);
/* Fails the task running on this thread with msg (static text, or text
 * that lives until the action returns): the action returns -1 with
 * msg in sc->error, as a Python exception in a PySpark task fails the
 * job. The first failure of a job wins. Outside a task: nothing. */
void rdd_task_fail(const char *msg);

/* For rdd_task_fail: an int that does not fit the engine's 64 bits. */
#define RDD_VALUE_TOO_BIG "OverflowError: a number does not fit in 64 " \
    "bits (Python's ints grow; this engine's stop at 2**63 - 1)"

/* A deep copy into a (strings copied too). */
struct rdd_value rdd_copy(struct rdd_arena *a, struct rdd_value v);

/* Python's ==, and Python's ordering (<0, 0, >0) for sorting. */
bool rdd_equal(struct rdd_value a, struct rdd_value b);
int rdd_compare(struct rdd_value a, struct rdd_value b);
/* PySpark's portable_hash (Python's hash with PYTHONHASHSEED=0, as
 * bin/pyspark sets it): decides which reduce partition a key goes to. */
int64_t rdd_portable_hash(struct rdd_value v);
/* A fast 64-bit hash for the engine's own tables (not Python's). */
uint64_t rdd_fast_hash(struct rdd_value v);

/* Python's repr() and str() of v, appended to a growing buffer. */
struct rdd_buf {
    char *s;
    size_t len, cap;
};
void rdd_repr(struct rdd_buf *b, struct rdd_value v);
void rdd_str_of(struct rdd_buf *b, struct rdd_value v);
void rdd_buf_add(struct rdd_buf *b, const char *s, size_t n);
void rdd_buf_free(struct rdd_buf *b);
/* repr of a list of values: "[1, 2, 3]". */
void rdd_repr_list(struct rdd_buf *b, const struct rdd_value *v, size_t n);
/* Bytes a record takes when shuffled (our serialisation's size). */
size_t rdd_value_bytes(struct rdd_value v);

/* An RDD_OBJ is bytes only its embedding understands (pardemo spark:
 * a Python object, pickled). Where the engine needs an answer about one
 * -- its hash, ==, order, or k, v = x for a record that is not a pair --
 * it asks these; they are Python's answers, and Python's errors (an
 * unhashable key, '<' between a str and an int) fail the task. Values
 * the engine orders its own way where Python would refuse (None < None,
 * 'a' < 1) are asked too. Without them (C programs) OBJ bytes compare as
 * bytes. Set on the context; tasks reach them through their context. */
struct rdd_obj_ops {
    int64_t (*hash)(struct rdd_value v, void *ctx);
    bool (*equal)(struct rdd_value a, struct rdd_value b, void *ctx);
    int (*compare)(struct rdd_value a, struct rdd_value b, void *ctx);
    bool (*unpack)(struct rdd_value v, struct rdd_arena *a,
                   struct rdd_value *k, struct rdd_value *val, void *ctx);
    void *ctx;
};

/* ---- user functions (a C function and a context pointer, like a closure)
 * They must not print, and may run on several threads at once. */

struct rdd_sink;
/* flatMap/mapPartitions functions emit any number of values. */
void rdd_emit(struct rdd_sink *out, struct rdd_value v);
struct rdd_arena *rdd_sink_arena(struct rdd_sink *out);

typedef struct rdd_value (*rdd_map_fn)(struct rdd_value x,
                                       struct rdd_arena *a, void *ctx);
typedef bool (*rdd_filter_fn)(struct rdd_value x, void *ctx);
typedef void (*rdd_flat_fn)(struct rdd_value x, struct rdd_sink *out,
                            void *ctx);
typedef void (*rdd_part_fn)(const struct rdd_value *xs, size_t n,
                            struct rdd_sink *out, void *ctx);
typedef struct rdd_value (*rdd_reduce_fn)(struct rdd_value a,
                                          struct rdd_value b,
                                          struct rdd_arena *ar, void *ctx);
typedef void (*rdd_each_fn)(struct rdd_value x, void *ctx);

/* Python's `lambda w: (w, 1)`; map(rdd_with_one).reduceByKey(rdd_add) is
 * recognised and run as one fused counting step (no pair is built). */
struct rdd_value rdd_with_one(struct rdd_value x, struct rdd_arena *a,
                              void *ctx);

/* Built-in functions: Python's `lambda x, y: x + y` (ints, floats,
 * strings, tuples, lists), the engine spots it to add ints in place.
 * ctx NULL, or a struct rdd_fallback: what answers when these rules
 * cannot give Python's (an int past 64 bits, other types). */
struct rdd_fallback {
    rdd_reduce_fn fn;
    void *ctx;
};
struct rdd_value rdd_add(struct rdd_value a, struct rdd_value b,
                         struct rdd_arena *ar, void *ctx);

/* The task running on this thread, as Spark's TaskContext.get(): NULL
 * outside a task (on the driver). A callback learns from it which
 * partition it is working on, to report a failure the way Spark does. */
struct rdd_task_context {
    int stage_id, stage_attempt;    /* "stage 0.0" */
    int partition, attempt;         /* "task 1.0" */
    long long task_id;              /* "TID 1" */
    struct rdd_arena *scratch;      /* freed when the next record is read:
                                       for callbacks given no arena */
    const struct rdd_obj_ops *obj;  /* the context's, or NULL */
};
const struct rdd_task_context *rdd_task_context_get(void);
/* Stops the task this thread runs (a callback failed): it reads no more
 * records. Nothing on the driver. */
void rdd_stop_task(void);

/* ---- the context (Spark's `sc`) and its metrics -------------------- */

enum { RDD_MAX_TRACE = 256 };

/* One task's run, for the trace: which partition, where, from what. */
struct rdd_task_log {
    int stage_id, partition, thread;
    bool is_recompute;          /* re-run after a lost partition */
    bool is_cache_hit;          /* read from cache, not computed */
    long long records_in, records_out;
    double seconds;
};

/* One stage of one job, as Spark's UI shows it. */
struct rdd_stage_log {
    int job_id, stage_id, attempt;
    char name[112];             /* "map at wordcount.c:80" */
    bool is_shuffle_map;        /* writes a shuffle (else: result stage) */
    bool is_skipped;            /* its shuffle output already existed */
    int tasks, tasks_recomputed, cache_hits;
    long long records_in;       /* read from source, cache or shuffle */
    long long records_out;      /* produced by the stage's last RDD */
    long long records_written;  /* shuffle records after map-side combine */
    long long bytes_written, bytes_read;    /* shuffle */
    int workers;                /* worker processes forked for it (0:
                                   its tasks ran on threads) */
    long long bytes_to_driver;  /* what they sent back (results, shuffle
                                   blocks, cached partitions) */
    double seconds;
};

/* Tasks in worker processes, forked from the driver for each stage, as
 * PySpark runs Python in worker processes: one interpreter runs Python
 * on one thread at a time (its GIL), so a process per worker is what
 * runs Python in parallel. A forked worker inherits everything the
 * driver holds (the data, the shuffle blocks, the functions): nothing is
 * sent to it; it sends back its task's output as serialised blocks. The
 * hooks are the embedding's (all optional but the first two). */
struct rdd_procs {
    void (*before_fork)(void *ctx);                 /* driver */
    void (*after_fork)(void *ctx, bool is_child);
    /* driver, while waiting for the workers: stop the job? (Ctrl-C) */
    bool (*is_interrupted)(void *ctx);
    /* worker, after each task: its error (NULL: none), then bytes to
     * hand to extra_in on the driver (accumulator updates) */
    const char *(*task_error)(void *ctx);
    void (*task_extra)(void *ctx, struct rdd_buf *out);
    void (*extra_in)(void *ctx, const char *bytes, size_t n);
    void (*worker_done)(void *ctx);     /* worker, before it exits */
    void *ctx;
};

struct rdd_context {
    int threads;                /* OpenMP threads running tasks */
    int default_parallelism;    /* like local[N]: partitions by default */
    int next_rdd_id, next_stage_id, next_job_id;
    long long next_task_id;     /* Spark's TID: tasks numbered in order */
    struct rdd **rdds;          /* every RDD made, freed with the context */
    int nrdds, cap_rdds;
    /* fault injection: after a stage that persists its output (a shuffle
     * map stage or a cached RDD), drop partition lose_partition once */
    int lose_partition;         /* -1: none */
    bool is_lose_done;
    const char *lost_what;      /* "cached partition 1 of RDD[3]" */
    char lost_buf[96];
    struct rdd_stage_log stages[RDD_MAX_TRACE];
    int nstages;
    struct rdd_task_log tasks[RDD_MAX_TRACE];
    int ntasks;
    long long tasks_dropped;    /* trace entries past RDD_MAX_TRACE */
    char error[4096];           /* the last action's error, "" if none */
    bool is_interrupted;        /* the last job was stopped (Ctrl-C) */
    struct rdd_mpi *mpi;        /* under mpirun: rank, size (rdd_mpi.h) */
    const struct rdd_obj_ops *obj_ops;  /* NULL: OBJ values as bytes */
    const struct rdd_procs *procs;      /* NULL: tasks on threads */
};

/* A new context running tasks on `threads` threads; default partitions =
 * threads (like local[N]). Never NULL (exits on out-of-memory). */
struct rdd_context *rdd_context_new(int threads);
/* Frees every RDD, cache and shuffle output of the context. */
void rdd_context_free(struct rdd_context *sc);
/* Forgets the stage and task trace (before the job you want to show). */
void rdd_trace_clear(struct rdd_context *sc);

/* ---- creation ------------------------------------------------------ */

struct rdd;

/* Spark records where each RDD was made; so do we (file:line). */
#define RDD_STR_(x) #x
#define RDD_STR2_(x) RDD_STR_(x)
#define RDD_HERE (__FILE__ ":" RDD_STR2_(__LINE__))

/* Slice i of n holds elements [i*len/n, (i+1)*len/n) (Spark's rule).
 * The values are copied (deep). n <= 0: default parallelism. */
struct rdd *rdd_parallelize_at(struct rdd_context *sc,
                               const struct rdd_value *v, size_t len, int n,
                               const char *at);
#define rdd_parallelize(sc, v, len, n) \
    rdd_parallelize_at((sc), (v), (len), (n), RDD_HERE)

/* parallelize(range(start, stop, step)) with no list built: PySpark slices
 * a range arithmetically, and so do we. Slice i of n makes its own numbers
 * start + k * step for k in [i*len/n, (i+1)*len/n): the partitions of the
 * materialised list, in no memory. step != 0; n <= 0: default
 * parallelism. Shown as a ParallelCollectionRDD, like the list. */
struct rdd *rdd_range_at(struct rdd_context *sc, int64_t start, int64_t stop,
                         int64_t step, int n, const char *at);
#define rdd_range(sc, start, stop, step, n) \
    rdd_range_at((sc), (start), (stop), (step), (n), RDD_HERE)
/* How many numbers range(start, stop, step) holds (step != 0), without
 * overflow for any 64-bit bounds. */
uint64_t rdd_range_len(int64_t start, int64_t stop, int64_t step);

/* Lines of a file, split into byte ranges like Hadoop's input splits
 * (32 MB blocks, min_partitions <= 0: min(parallelism, 2)); a line
 * belongs to the split its first byte follows (Hadoop's LineRecordReader),
 * lines end at \n, \r\n or \r. The file is mapped (no copy); a pipe, a
 * FIFO or a file whose size reads 0 (/proc) is read instead. Returns
 * NULL with sc->error set when the file cannot be opened or mapped. */
struct rdd *rdd_text_file_at(struct rdd_context *sc, const char *path,
                             int min_partitions, const char *at);
#define rdd_text_file(sc, path, minp) \
    rdd_text_file_at((sc), (path), (minp), RDD_HERE)
/* The lines of several files as one RDD (a directory's files, a glob's
 * matches, a comma list: the caller lists them): each file is split as
 * above, with the goal size taken from their total, and the splits are
 * numbered file after file (Hadoop's getSplits). shown is the path as the
 * user gave it (toDebugString). NULL with sc->error set on failure. */
struct rdd *rdd_text_files_at(struct rdd_context *sc,
                              const char *const *paths, int npaths,
                              const char *shown, int min_partitions,
                              const char *at);

/* PySpark's parallelize of a list: the list is cut in batches of `batch`
 * records (PySpark pickles them that way) and the batches are sliced by
 * Spark's rule, slice i holding batches [i*nb/n, (i+1)*nb/n). batch 1 is
 * rdd_parallelize. n <= 0: default parallelism. */
struct rdd *rdd_parallelize_batched_at(struct rdd_context *sc,
                                       const struct rdd_value *v, size_t len,
                                       int n, size_t batch, const char *at);
/* An RDD with no partitions (sc.emptyRDD()). */
struct rdd *rdd_empty_at(struct rdd_context *sc, const char *at);

/* ---- transformations (lazy: they only record lineage) --------------- */

struct rdd *rdd_map_at(struct rdd *r, rdd_map_fn f, void *ctx,
                       const char *at);
struct rdd *rdd_filter_at(struct rdd *r, rdd_filter_fn f, void *ctx,
                          const char *at);
struct rdd *rdd_flat_map_at(struct rdd *r, rdd_flat_fn f, void *ctx,
                            const char *at);
struct rdd *rdd_map_partitions_at(struct rdd *r, rdd_part_fn f, void *ctx,
                                  const char *at);
struct rdd *rdd_map_values_at(struct rdd *r, rdd_map_fn f, void *ctx,
                              const char *at);
struct rdd *rdd_keys_at(struct rdd *r, const char *at);
struct rdd *rdd_values_at(struct rdd *r, const char *at);
struct rdd *rdd_union_at(struct rdd *a, struct rdd *b, const char *at);
/* n <= 0: the parent's partition count (PySpark's default). */
struct rdd *rdd_reduce_by_key_at(struct rdd *r, rdd_reduce_fn f, void *ctx,
                                 int n, const char *at);
struct rdd *rdd_group_by_key_at(struct rdd *r, int n, const char *at);
struct rdd *rdd_distinct_at(struct rdd *r, int n, const char *at);
/* Range-partitioned by sampling the keys (this runs a job, as in Spark). */
struct rdd *rdd_sort_by_key_at(struct rdd *r, bool is_ascending, int n,
                               const char *at);
struct rdd *rdd_sort_by_at(struct rdd *r, rdd_map_fn key, void *ctx,
                           bool is_ascending, int n, const char *at);
struct rdd *rdd_join_at(struct rdd *a, struct rdd *b, int n, const char *at);

/* A pull source: one partition of an RDD, record by record, read by a
 * function that runs its own loop (a Python generator). A record is
 * valid until the next call; false at the end. */
struct rdd_source;
bool rdd_source_next(struct rdd_source *in, struct rdd_value *v);
/* Has the consumer had enough (take)? Then stop pushing. */
bool rdd_sink_is_stopped(const struct rdd_sink *out);
typedef void (*rdd_pipe_fn)(struct rdd_source *in, int partition,
                            struct rdd_sink *out, void *ctx);
/* Partition p is f(partition p of r): PySpark's PythonRDD, a pipeline of
 * Python functions over an iterator. cls and what name it in the lineage
 * ("PythonRDD", "map"). */
struct rdd *rdd_pipe_at(struct rdd *r, rdd_pipe_fn f, void *ctx,
                        const char *cls, const char *what, const char *at);

/* Which reduce partition a key goes to: PySpark's partitionFunc(key),
 * taken modulo n as Python takes it. The default is portable_hash. */
typedef int64_t (*rdd_partition_fn)(struct rdd_value key, void *ctx);
/* Sets the partitioner of an RDD made by reduceByKey, groupByKey or
 * partitionBy, before any job reads it. */
void rdd_set_partitioner(struct rdd *shuffled, rdd_partition_fn f,
                         void *ctx);
/* Makes an RDD made by reduceByKey(merge_value) PySpark's combineByKey:
 * a key's first value in a map task becomes create(v) (NULL: v itself),
 * and the reduce side merges combiners with merge_combiners. */
void rdd_set_combiner(struct rdd *shuffled, rdd_map_fn create, void *cctx,
                      rdd_reduce_fn merge_combiners, void *mctx);
/* partitionBy: every record moved to its key's partition, in the order
 * the map tasks wrote them; none combined. n <= 0: r's count. */
struct rdd *rdd_partition_by_at(struct rdd *r, int n, const char *at);
/* sortByKey over the range bounds given (n - 1 keys, sorted; PySpark
 * samples them on the driver): partition of a key = bisect_left. */
struct rdd *rdd_sort_by_bounds_at(struct rdd *r, bool is_ascending, int n,
                                  const struct rdd_value *bounds,
                                  size_t nbounds, const char *at);
/* zip: partition p pairs the records of a's and b's partitions p (the
 * same count of partitions; a pair of partitions of unequal sizes fails
 * its task with Spark's message). */
struct rdd *rdd_zip_at(struct rdd *a, struct rdd *b, const char *at);
/* cartesian: partition i * nb + j holds (x, y) for x in a's partition i,
 * y in b's partition j. */
struct rdd *rdd_cartesian_at(struct rdd *a, struct rdd *b, const char *at);
/* coalesce without a shuffle: partition i holds r's partitions
 * [i*N/n, (i+1)*N/n) (Spark's DefaultPartitionCoalescer, no locality). */
struct rdd *rdd_coalesce_at(struct rdd *r, int n, const char *at);

#define rdd_map(r, f, c) rdd_map_at((r), (f), (c), RDD_HERE)
#define rdd_filter(r, f, c) rdd_filter_at((r), (f), (c), RDD_HERE)
#define rdd_flat_map(r, f, c) rdd_flat_map_at((r), (f), (c), RDD_HERE)
#define rdd_map_partitions(r, f, c) \
    rdd_map_partitions_at((r), (f), (c), RDD_HERE)
#define rdd_map_values(r, f, c) rdd_map_values_at((r), (f), (c), RDD_HERE)
#define rdd_keys(r) rdd_keys_at((r), RDD_HERE)
#define rdd_values(r) rdd_values_at((r), RDD_HERE)
#define rdd_union(a, b) rdd_union_at((a), (b), RDD_HERE)
#define rdd_reduce_by_key(r, f, c, n) \
    rdd_reduce_by_key_at((r), (f), (c), (n), RDD_HERE)
#define rdd_group_by_key(r, n) rdd_group_by_key_at((r), (n), RDD_HERE)
#define rdd_distinct(r, n) rdd_distinct_at((r), (n), RDD_HERE)
#define rdd_sort_by_key(r, asc, n) rdd_sort_by_key_at((r), (asc), (n), RDD_HERE)
#define rdd_sort_by(r, f, c, asc, n) \
    rdd_sort_by_at((r), (f), (c), (asc), (n), RDD_HERE)
#define rdd_join(a, b, n) rdd_join_at((a), (b), (n), RDD_HERE)

/* Keep computed partitions in memory: the next action reuses them. */
struct rdd *rdd_cache(struct rdd *r);
struct rdd *rdd_persist(struct rdd *r);
/* Forgets the cached partitions; the next action computes them again. */
void rdd_unpersist(struct rdd *r);
int rdd_num_partitions(const struct rdd *r);
/* Spark's setName: shown before the class in the lineage. */
void rdd_set_name(struct rdd *r, const char *name);
int rdd_id(const struct rdd *r);
struct rdd_context *rdd_context_of(const struct rdd *r);

/* The lineage in Spark's toDebugString shape, appended to b. */
void rdd_debug_string(struct rdd *r, struct rdd_buf *b);

/* ---- actions (run a job) ------------------------------------------- */

/* A list of values owned by the caller (rdd_list_free). */
struct rdd_result {
    struct rdd_value *v;
    size_t n;
    struct rdd_arena *arena;
};
void rdd_result_free(struct rdd_result *res);

/* Each returns 0, or -1 with sc->error set (empty RDD for reduce/first,
 * an output directory that exists, an I/O error); after -1, *out holds
 * nothing (freeing it again is harmless). */
int rdd_collect(struct rdd *r, struct rdd_result *out);
/* collect of the listed partitions only, in that order (runJob). */
int rdd_collect_parts(struct rdd *r, const int *parts, int nparts,
                      struct rdd_result *out);
int rdd_take(struct rdd *r, size_t n, struct rdd_result *out);
int rdd_first(struct rdd *r, struct rdd_result *out);     /* 1 value */
int rdd_count(struct rdd *r, long long *out);
int rdd_reduce(struct rdd *r, rdd_reduce_fn f, void *ctx,
               struct rdd_result *out);                    /* 1 value */
int rdd_fold(struct rdd *r, struct rdd_value zero, rdd_reduce_fn f,
             void *ctx, struct rdd_result *out);           /* 1 value */
int rdd_sum(struct rdd *r, struct rdd_result *out);        /* 1 value */
/* (value, count) pairs in first-seen order, like Python's Counter. */
int rdd_count_by_value(struct rdd *r, struct rdd_result *out);
int rdd_count_by_key(struct rdd *r, struct rdd_result *out);
/* The n largest (top) / smallest (take_ordered), sorted. */
int rdd_top(struct rdd *r, size_t n, struct rdd_result *out);
int rdd_take_ordered(struct rdd *r, size_t n, struct rdd_result *out);
int rdd_foreach(struct rdd *r, rdd_each_fn f, void *ctx);
/* part-00000... and _SUCCESS in dir, written in a temporary sibling and
 * renamed, so no half-written dir exists. An existing dir: -1 and
 * sc->error is Spark's message; the dir is not touched. */
int rdd_save_as_text_file(struct rdd *r, const char *dir);

#endif
