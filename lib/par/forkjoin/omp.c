/* forkjoin/omp.c - fork-join with OpenMP tasks: task + taskwait.
 * "#pragma omp task" does not start a thread: it puts the left half on a
 * queue that the team's threads (-t of them, started once) take work
 * from, and "taskwait" is the join - a waiting thread runs queued tasks
 * meanwhile instead of sleeping. Splitting finer is therefore cheap: that
 * is why tasks survive a small cutoff that kills processes and threads.
 */
#include "forkjoin.h"
#include "stats.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

static void solve(const struct forkjoin_args *args, int32_t *tmp,
                  long long lo, long long n, int level, long node,
                  int64_t *sum)
{
    double t0 = clk_now(), waited;
    long long half = n / 2;
    int64_t left = 0, right = 0;

    if (!forkjoin_is_split(args, level, n)) {
        *sum = forkjoin_leaf(args, tmp, lo, n);
        forkjoin_note(args, node, omp_get_thread_num(), lo, n, t0,
                      clk_now(), 0);
        return;
    }
    #pragma omp task shared(left)                               /* fork */
    solve(args, tmp, lo, half, level + 1, 2 * node, &left);
    solve(args, tmp, lo + half, n - half, level + 1, 2 * node + 1, &right);
    waited = clk_now();
    #pragma omp taskwait                                        /* join */
    waited = clk_now() - waited;
    *sum = forkjoin_combine(args, tmp, lo, half, n, left, right);
    forkjoin_note(args, node, omp_get_thread_num(), lo, n, t0, clk_now(),
                  waited);
}

int forkjoin_omp(const struct forkjoin_args *args,
                 struct forkjoin_result *res)
{
    int32_t *tmp;
    int64_t sum = 0;

    memset(res, 0, sizeof(*res));
    if (forkjoin_scratch(args, &tmp) < 0)
        return -1;
    /* a team of threads; one of them starts the recursion, the others
     * pick up the tasks it creates */
    #pragma omp parallel num_threads(args->threads > 0 ? args->threads : 1)
    #pragma omp single
    solve(args, tmp, 0, args->n, 0, 1, &sum);
    res->sum = sum;
    free(tmp);
    return 0;
}
