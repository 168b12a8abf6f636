/* forkjoin/fork.c - fork-join with processes: fork(), a pipe, waitpid().
 * A child gets a copy of the parent's memory, so its work is invisible to
 * the parent: the answer (a sum, or the whole sorted half) must come back
 * through a pipe, and the parent blocks on read() and waitpid() until the
 * child joins. Look at what that costs next to pthread.c.
 * The children run only the plain C below, never OpenMP: libgomp's thread
 * pool does not survive fork(), and a child that used it would hang.
 */
#define _GNU_SOURCE
#include "forkjoin.h"
#include "cleanup.h"
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct child {
    pid_t pid;
    int fd;             /* read end of the pipe the child answers on */
    int slot;           /* cleanup registration: killed on Ctrl-C */
};

static int solve(const struct forkjoin_args *args, int32_t *tmp,
                 long long lo, long long n, int level, long node,
                 struct forkjoin_result *res);

static int write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int read_full(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len > 0) {
        ssize_t r = read(fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EPIPE;      /* the child died before answering */
            return -1;
        }
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

/* The child: solve the left half in its own copy of memory, send back
 * [tree][result][sorted elements] and exit without running atexit
 * handlers or flushing the parent's stdio buffers (hence _exit). */
static void run_child(const struct forkjoin_args *args, int32_t *tmp,
                      long long lo, long long n, int level, long node,
                      int fd)
{
    struct forkjoin_result res;
    int ok;

    memset(&res, 0, sizeof(res));   /* padding too: it goes down the pipe */
    ok = solve(args, tmp, lo, n, level, node, &res) == 0;

    if (ok && args->tree)
        ok = !write_full(fd, args->tree, FJ_TREE_NODES * sizeof(*args->tree));
    if (ok)
        ok = !write_full(fd, &res, sizeof(res));
    if (ok && args->job == FJ_SORT)
        ok = !write_full(fd, args->a + lo, (size_t)n * sizeof(*args->a));
    _exit(ok ? 0 : 1);
}

/* Forks a child for [lo, lo+n). Returns 0, or -1 when the system refused
 * (no pipe, no process): the caller then does the work itself. */
static int fork_left(const struct forkjoin_args *args, int32_t *tmp,
                     long long lo, long long n, int level, long node,
                     struct child *c)
{
    pid_t parent = getpid();
    int p[2];

    if (pipe(p) < 0)
        return -1;
    c->pid = fork();
    if (c->pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (c->pid == 0) {
        /* if our parent is killed (Ctrl-C, kill), we die too, and so on
         * down the tree: no orphan keeps sorting for nobody */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        close(p[0]);
        run_child(args, tmp, lo, n, level, node, p[1]);
    }
    close(p[1]);
    c->fd = p[0];
    c->slot = cleanup_add_child(c->pid);
    return 0;
}

/* Is heap node j in the subtree under node `root`? */
static bool is_under(long j, long root)
{
    while (j > root)
        j /= 2;
    return j == root;
}

/* Reads the child's tree nodes and answer, then reaps it. Always closes
 * the pipe and waits, so no fd and no zombie is left, error or not. */
static int join_left(const struct forkjoin_args *args, struct child *c,
                     long long lo, long long n, long node,
                     struct forkjoin_result *left)
{
    struct fj_node theirs[FJ_TREE_NODES];
    int rc = 0, status, saved = 0;

    if (args->tree && read_full(c->fd, theirs, sizeof(theirs)) == 0)
        for (long j = node; j < FJ_TREE_NODES; j++)
            if (is_under(j, node))
                args->tree[j] = theirs[j];
    if (read_full(c->fd, left, sizeof(*left)) < 0 ||
        (args->job == FJ_SORT &&
         read_full(c->fd, args->a + lo, (size_t)n * sizeof(*args->a)) < 0)) {
        rc = -1;
        saved = errno;
    }
    close(c->fd);
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    cleanup_forget(c->slot);
    if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        rc = -1;
        saved = ECHILD;
    }
    errno = saved;
    return rc;
}

static int solve(const struct forkjoin_args *args, int32_t *tmp,
                 long long lo, long long n, int level, long node,
                 struct forkjoin_result *res)
{
    double t0 = clk_now(), waited;
    long long half = n / 2;
    struct forkjoin_result left = { 0, 0 }, right = { 0, 0 };
    struct child c;
    int rc = 0;

    if (!forkjoin_is_split(args, level, n)) {
        res->sum = forkjoin_leaf(args, tmp, lo, n);
        forkjoin_note(args, node, getpid(), lo, n, t0, clk_now(), 0);
        return 0;
    }
    bool may_fork = level < FJ_FORK_LEVELS;
    bool is_forked = may_fork && fork_left(args, tmp, lo, half, level + 1,
                                           2 * node, &c) == 0;  /* fork */
    if (!is_forked) {
        res->refused += may_fork;
        rc |= solve(args, tmp, lo, half, level + 1, 2 * node, &left);
    }
    rc |= solve(args, tmp, lo + half, n - half, level + 1, 2 * node + 1,
                &right);
    waited = clk_now();
    if (is_forked)
        rc |= join_left(args, &c, lo, half, 2 * node, &left);  /* join */
    waited = clk_now() - waited;
    res->sum = forkjoin_combine(args, tmp, lo, half, n, left.sum, right.sum);
    res->refused += left.refused + right.refused;
    forkjoin_note(args, node, getpid(), lo, n, t0, clk_now(), waited);
    return rc ? -1 : 0;
}

int forkjoin_fork(const struct forkjoin_args *args,
                  struct forkjoin_result *res)
{
    int32_t *tmp;
    int rc;

    memset(res, 0, sizeof(*res));
    if (forkjoin_scratch(args, &tmp) < 0)
        return -1;
    fflush(NULL);   /* children _exit, but be safe with stdio buffers */
    rc = solve(args, tmp, 0, args->n, 0, 1, res);
    free(tmp);
    return rc;
}
