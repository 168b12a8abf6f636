/* forkjoin.h - one divide-and-conquer job written four ways.
 * The job (sum of N integers, or merge sort of N integers) splits its range
 * in two halves until a depth or a cutoff is reached; a parallel variant
 * forks the left half, does the right half itself, then waits for the left
 * one to join, exactly as the lecture's parent "waits until child joins".
 * Read side by side, in forkjoin/:
 *   serial.c    the job itself, no parallelism (and the shared leaf
 *               work: sum a range, sort a range, merge)
 *   fork.c      fork(): a child process; its answer comes back through a
 *               pipe, the parent waits with waitpid()
 *   pthread.c   pthread_create() / pthread_join()
 *   omp.c       OpenMP: #pragma omp task / #pragma omp taskwait
 */
#ifndef FORKJOIN_H
#define FORKJOIN_H

#include <stdbool.h>
#include <stdint.h>

enum forkjoin_job { FJ_SUM, FJ_SORT };

#define FJ_MAX_DEPTH 16         /* at most 2^16 leaves */
/* Guards against a fork bomb: below these levels the fork and pthread
 * variants stop forking and recurse in place (at most 1024 processes,
 * 16384 threads). OpenMP tasks need no guard: the team stays -t. */
#define FJ_FORK_LEVELS 10
#define FJ_THREAD_LEVELS 14
#define FJ_TREE_DEPTH 3         /* the diagram records levels 0..3 */

/* One node of the fork/join tree, recorded for the diagram. Nodes are in
 * heap order: the root is 1, node i forks 2i (left) and does 2i+1. */
struct fj_node {
    long who;               /* pid, thread id, or OpenMP thread number */
    long long lo, n;        /* the node's range [lo, lo + n) */
    double start_s, end_s;  /* CLOCK_MONOTONIC, the same in every process */
    double wait_s;          /* time blocked at the join (internal nodes) */
    bool is_used;
};

struct forkjoin_args {
    enum forkjoin_job job;
    int32_t *a;             /* the data; FJ_SORT sorts it in place */
    long long n;
    int depth;              /* levels of forking: 2^depth leaves at most */
    long long cutoff;       /* a range of at most cutoff elements is a leaf */
    int threads;            /* OpenMP team size (omp variant only) */
    struct fj_node *tree;   /* NULL, or FJ_TREE_NODES entries, zeroed */
};

#define FJ_TREE_NODES (2 << FJ_TREE_DEPTH)

struct forkjoin_result {
    int64_t sum;            /* FJ_SUM's answer */
    int refused;            /* forks the system refused (done in-place) */
};

/* Each variant runs the job on args and fills *res. Returns 0, or -1 with
 * errno set (out of memory; for the fork variant a child that died or a
 * broken pipe). A refused fork or thread is not an error: that half runs
 * in the caller and res->refused counts it. */
int forkjoin_serial(const struct forkjoin_args *args,
                    struct forkjoin_result *res);
int forkjoin_fork(const struct forkjoin_args *args,
                  struct forkjoin_result *res);
int forkjoin_pthread(const struct forkjoin_args *args,
                     struct forkjoin_result *res);
int forkjoin_omp(const struct forkjoin_args *args,
                 struct forkjoin_result *res);

/* ---- shared by the variants (forkjoin/serial.c) ---------------------- */

/* Is the range of n elements at this level split in two, or a leaf? */
bool forkjoin_is_split(const struct forkjoin_args *args, int level,
                       long long n);

/* How many leaves the tree of args has (= the most workers at once). */
long long forkjoin_leaves(const struct forkjoin_args *args);

/* The scratch array a sort needs (n elements; malloc'd, free it), or
 * NULL for a sum. Returns -1 with errno = ENOMEM when it cannot. */
int forkjoin_scratch(const struct forkjoin_args *args, int32_t **tmp);

/* A leaf: sums a[lo..lo+n) (returned), or sorts it using tmp[lo..). */
int64_t forkjoin_leaf(const struct forkjoin_args *args, int32_t *tmp,
                      long long lo, long long n);

/* The join's combine step for a range split at half: returns left+right
 * for a sum; merges the two sorted halves (and returns 0) for a sort. */
int64_t forkjoin_combine(const struct forkjoin_args *args, int32_t *tmp,
                         long long lo, long long half, long long n,
                         int64_t left, int64_t right);

/* The sequential building blocks the leaf and combine steps use. */
int64_t forkjoin_leaf_sum(const int32_t *a, long long n);
void forkjoin_leaf_sort(int32_t *a, int32_t *tmp, long long n);
void forkjoin_merge(int32_t *a, int32_t *tmp, long long mid, long long n);

/* Records node `node` (if args->tree and it is shallow enough). */
void forkjoin_note(const struct forkjoin_args *args, long node, long who,
                   long long lo, long long n, double start_s, double end_s,
                   double wait_s);

/* Fills a[0..n) with integers drawn from seed (the same on every run). */
void forkjoin_fill(int32_t *a, long long n, uint64_t seed);

/* Order-independent fingerprint of a multiset (for "a permutation of the
 * input"), and an order-dependent one (equal sorted outputs agree). */
uint64_t forkjoin_bag_hash(const int32_t *a, long long n);
uint64_t forkjoin_seq_hash(const int32_t *a, long long n);
bool forkjoin_is_sorted(const int32_t *a, long long n);

#endif
