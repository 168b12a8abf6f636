/* forkjoin/pthread.c - fork-join with threads: pthread_create/pthread_join.
 * Threads share the parent's memory, so the left half is sorted in place
 * and nothing is copied back: the join is only "wait until it is done".
 * This is the C twin of the lecture's threading.Thread(...).start() and
 * .join(), without Python's GIL.
 */
#define _GNU_SOURCE
#include "forkjoin.h"
#include "stats.h"

#include <pthread.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

/* One half of the work: what a thread needs to know and gives back. */
struct part {
    const struct forkjoin_args *args;
    int32_t *tmp;
    long long lo, n;
    int level;
    long node;
    struct forkjoin_result res;
};

static void solve(struct part *t);

static void *thread_main(void *arg)
{
    solve(arg);
    return NULL;
}

/* Starts a thread for t. Returns 0, or -1 if the system refused. */
static int fork_left(struct part *t, pthread_t *th)
{
    pthread_attr_t attr;
    int rc;

    /* the recursion is shallow: 512 KiB of stack is plenty, and many
     * threads then cost little memory */
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 512 * 1024);
    rc = pthread_create(th, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    return rc == 0 ? 0 : -1;
}

static void solve(struct part *t)
{
    const struct forkjoin_args *args = t->args;
    double t0 = clk_now(), waited;
    long long half = t->n / 2;
    struct part left = { args, t->tmp, t->lo, half, t->level + 1,
                         2 * t->node, { 0, 0 } };
    struct part right = { args, t->tmp, t->lo + half, t->n - half,
                          t->level + 1, 2 * t->node + 1, { 0, 0 } };
    pthread_t th;

    if (!forkjoin_is_split(args, t->level, t->n)) {
        t->res.sum = forkjoin_leaf(args, t->tmp, t->lo, t->n);
        forkjoin_note(args, t->node, gettid(), t->lo, t->n, t0, clk_now(), 0);
        return;
    }
    bool may_fork = t->level < FJ_THREAD_LEVELS;
    bool is_forked = may_fork && fork_left(&left, &th) == 0;    /* fork */
    if (!is_forked) {
        t->res.refused += may_fork;
        solve(&left);
    }
    solve(&right);
    waited = clk_now();
    if (is_forked)
        pthread_join(th, NULL);                                 /* join */
    waited = clk_now() - waited;
    t->res.sum = forkjoin_combine(args, t->tmp, t->lo, half, t->n,
                                  left.res.sum, right.res.sum);
    t->res.refused += left.res.refused + right.res.refused;
    forkjoin_note(args, t->node, gettid(), t->lo, t->n, t0, clk_now(),
                  waited);
}

int forkjoin_pthread(const struct forkjoin_args *args,
                     struct forkjoin_result *res)
{
    struct part root = { args, NULL, 0, args->n, 0, 1, { 0, 0 } };

    if (forkjoin_scratch(args, &root.tmp) < 0)
        return -1;
    solve(&root);
    free(root.tmp);
    *res = root.res;
    return 0;
}
