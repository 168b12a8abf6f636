/* forkjoin/serial.c - the job with no parallelism: split, recurse, combine.
 * The three parallel variants copy solve() below and change two lines:
 * the first recursive call becomes a fork, and a join comes before the
 * combine. The leaf work (sum, sort, merge) is here, shared by all four,
 * so the only difference you can measure is the fork and the join.
 */
#define _GNU_SOURCE
#include "forkjoin.h"
#include "hash.h"
#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void solve(const struct forkjoin_args *args, int32_t *tmp,
                  long long lo, long long n, int level, long node,
                  int64_t *sum)
{
    double t0 = clk_now();
    long long half = n / 2;
    int64_t left = 0, right = 0;

    if (!forkjoin_is_split(args, level, n)) {
        *sum = forkjoin_leaf(args, tmp, lo, n);
        forkjoin_note(args, node, getpid(), lo, n, t0, clk_now(), 0);
        return;
    }
    solve(args, tmp, lo, half, level + 1, 2 * node, &left);   /* "fork" */
    solve(args, tmp, lo + half, n - half, level + 1, 2 * node + 1, &right);
    /* "join": nothing to wait for, the left half is already done */
    *sum = forkjoin_combine(args, tmp, lo, half, n, left, right);
    forkjoin_note(args, node, getpid(), lo, n, t0, clk_now(), 0);
}

int forkjoin_serial(const struct forkjoin_args *args,
                    struct forkjoin_result *res)
{
    int32_t *tmp;

    memset(res, 0, sizeof(*res));
    if (forkjoin_scratch(args, &tmp) < 0)
        return -1;
    solve(args, tmp, 0, args->n, 0, 1, &res->sum);
    free(tmp);
    return 0;
}

/* ---- shared by every variant ------------------------------------------ */

bool forkjoin_is_split(const struct forkjoin_args *args, int level,
                       long long n)
{
    return level < args->depth && n > args->cutoff && n >= 2;
}

static long long count_leaves(const struct forkjoin_args *args, int level,
                              long long n)
{
    if (!forkjoin_is_split(args, level, n))
        return 1;
    return count_leaves(args, level + 1, n / 2) +
           count_leaves(args, level + 1, n - n / 2);
}

long long forkjoin_leaves(const struct forkjoin_args *args)
{
    return count_leaves(args, 0, args->n);
}

int forkjoin_scratch(const struct forkjoin_args *args, int32_t **tmp)
{
    *tmp = NULL;
    if (args->job != FJ_SORT)
        return 0;
    if (!(*tmp = malloc((size_t)(args->n > 0 ? args->n : 1) *
                        sizeof(**tmp)))) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

int64_t forkjoin_leaf(const struct forkjoin_args *args, int32_t *tmp,
                      long long lo, long long n)
{
    if (args->job == FJ_SUM)
        return forkjoin_leaf_sum(args->a + lo, n);
    forkjoin_leaf_sort(args->a + lo, tmp + lo, n);
    return 0;
}

int64_t forkjoin_combine(const struct forkjoin_args *args, int32_t *tmp,
                         long long lo, long long half, long long n,
                         int64_t left, int64_t right)
{
    if (args->job == FJ_SUM)
        return left + right;
    forkjoin_merge(args->a + lo, tmp + lo, half, n);
    return 0;
}

int64_t forkjoin_leaf_sum(const int32_t *a, long long n)
{
    int64_t s = 0;

    for (long long i = 0; i < n; i++)
        s += a[i];
    return s;
}

static void insertion_sort(int32_t *a, long long n)
{
    for (long long i = 1; i < n; i++) {
        int32_t x = a[i];
        long long j = i;
        for (; j > 0 && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

void forkjoin_merge(int32_t *a, int32_t *tmp, long long mid, long long n)
{
    long long i = 0, j = mid, k = 0;

    if (mid == 0 || mid == n || a[mid - 1] <= a[mid])
        return;                 /* already in order */
    memcpy(tmp, a, (size_t)mid * sizeof(*a));
    while (i < mid && j < n)
        a[k++] = tmp[i] <= a[j] ? tmp[i++] : a[j++];
    while (i < mid)
        a[k++] = tmp[i++];
}

void forkjoin_leaf_sort(int32_t *a, int32_t *tmp, long long n)
{
    long long half = n / 2;

    if (n <= 32) {              /* small: insertion sort beats recursion */
        insertion_sort(a, n);
        return;
    }
    forkjoin_leaf_sort(a, tmp, half);
    forkjoin_leaf_sort(a + half, tmp + half, n - half);
    forkjoin_merge(a, tmp, half, n);
}

void forkjoin_note(const struct forkjoin_args *args, long node, long who,
                   long long lo, long long n, double start_s, double end_s,
                   double wait_s)
{
    if (!args->tree || node >= FJ_TREE_NODES)
        return;
    args->tree[node] = (struct fj_node){ who, lo, n, start_s, end_s, wait_s,
                                         true };
}

/* ---- data and checks ---------------------------------------------------- */

void forkjoin_fill(int32_t *a, long long n, uint64_t seed)
{
    for (long long i = 0; i < n; i++)
        a[i] = (int32_t)(uint32_t)hash_mix64(seed * 0x100000001B3ULL +
                                        (uint64_t)i);
}

uint64_t forkjoin_bag_hash(const int32_t *a, long long n)
{
    uint64_t h = 0;

    for (long long i = 0; i < n; i++)   /* a sum: order does not matter */
        h += hash_mix64((uint32_t)a[i]);
    return h;
}

uint64_t forkjoin_seq_hash(const int32_t *a, long long n)
{
    uint64_t h = HASH_FNV_OFFSET;

    for (long long i = 0; i < n; i++)   /* FNV-1a, an element a unit */
        h = hash_fnv(h, (uint32_t)a[i]);
    return hash_mix64(h);
}

bool forkjoin_is_sorted(const int32_t *a, long long n)
{
    for (long long i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return false;
    return true;
}
