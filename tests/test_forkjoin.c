/* test_forkjoin.c - every fork-join variant gives the serial answer (sum,
 * and a sort checked against qsort) for sizes 0, 1, 2, odd and large; no
 * child is left behind and no pipe stays open; the topic runs. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forkjoin.h"
#include "harness.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

typedef int (*variant_fn)(const struct forkjoin_args *,
                          struct forkjoin_result *);

static const struct {
    const char *name;
    variant_fn run;
} variants[] = {
    { "serial", forkjoin_serial }, { "fork", forkjoin_fork },
    { "pthread", forkjoin_pthread }, { "omp", forkjoin_omp },
};

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

    return (x > y) - (x < y);
}

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1;       /* the directory's own fd */
}

/* Runs every variant on n seeded integers and checks it against an
 * independent answer: a plain loop for sum, qsort for sort. */
static void check_size(enum forkjoin_job job, long long n, int depth,
                       long long cutoff)
{
    int32_t *orig = malloc((size_t)(n ? n : 1) * sizeof(*orig));
    int32_t *want = malloc((size_t)(n ? n : 1) * sizeof(*orig));
    int32_t *a = malloc((size_t)(n ? n : 1) * sizeof(*orig));
    int64_t sum = 0;

    forkjoin_fill(orig, n, 99);
    for (long long i = 0; i < n; i++)
        sum += orig[i];
    memcpy(want, orig, (size_t)n * sizeof(*orig));
    qsort(want, (size_t)n, sizeof(*want), cmp_i32);
    for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
        struct forkjoin_args args = { job, a, n, depth, cutoff, 2, NULL };
        struct forkjoin_result res;
        memcpy(a, orig, (size_t)n * sizeof(*orig));
        cr_assert_eq(variants[v].run(&args, &res), 0, "%s", variants[v].name);
        if (job == FJ_SUM)
            cr_assert_eq(res.sum, sum, "%s n=%lld depth=%d", variants[v].name,
                         n, depth);
        else
            cr_assert_eq(memcmp(a, want, (size_t)n * sizeof(*a)), 0,
                         "%s n=%lld depth=%d", variants[v].name, n, depth);
    }
    free(orig);
    free(want);
    free(a);
}

Test(forkjoin, every_variant_gives_the_serial_answer)
{
    static const long long sizes[] = { 0, 1, 2, 3, 1001, 1 << 18 };
    int fds = open_fds();

    for (int job = FJ_SUM; job <= FJ_SORT; job++)
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
            for (int depth = 0; depth <= 3; depth++)
                check_size(job, sizes[i], depth, 1);
    check_size(FJ_SORT, 100003, 8, 64);     /* deep, with a cutoff */
    cr_assert_eq(open_fds(), fds, "a pipe was left open");
    cr_assert_eq(count_zombies_of(getpid()), 0, "a zombie child");
    cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1, "a child still runs");
    cr_assert_eq(errno, ECHILD);
}

Test(forkjoin, tree_records_who_forked_and_waited)
{
    long long n = 1 << 16;
    int32_t *a = malloc((size_t)n * sizeof(*a));
    struct fj_node tree[FJ_TREE_NODES];
    struct forkjoin_args args = { FJ_SORT, a, n, 2, 1, 2, tree };
    struct forkjoin_result res;

    forkjoin_fill(a, n, 5);
    memset(tree, 0, sizeof(tree));
    cr_assert_eq(forkjoin_fork(&args, &res), 0);
    cr_assert_eq(forkjoin_leaves(&args), 4);
    for (int i = 1; i <= 7; i++)
        cr_assert(tree[i].is_used, "node %d", i);
    cr_assert_not(tree[8].is_used);
    cr_assert_eq(tree[1].who, getpid());            /* the root is us */
    cr_assert_eq(tree[3].who, getpid());            /* we did the right half */
    cr_assert_neq(tree[2].who, getpid());           /* a child did the left */
    cr_assert_eq(tree[5].who, tree[2].who);
    cr_assert_neq(tree[4].who, tree[2].who);        /* a grandchild */
    cr_assert_eq(tree[2].n + tree[3].n, n);
    cr_assert(tree[1].end_s >= tree[2].end_s);      /* joined after */
    free(a);
}

Test(forkjoin, topic_runs_and_checks_every_variant)
{
    struct cmd_out c = RUN("forkjoin", "--quick", "-r", "1", "-n", "64k");
    const char *v[] = { "serial ", "fork ", "pthread ", "omp-task " };

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    for (int i = 0; i < 4; i++) {
        const char *row = strstr(c.out, v[i]);
        cr_assert(row, "%s", v[i]);
        cr_assert(!strncmp(row + strcspn(row, "\n") - 3, " ok", 3), "%s",
                  v[i]);
    }
    cr_assert(strstr(c.out, "Fork/join tree, fork"));
    /* a node's children are the rows below it: "forks 2" read as two
     * forks when the root forks once */
    cr_assert(!strstr(c.out, "forks 2"), "%s", c.out);
    cr_assert(strstr(c.out, "  waited "), "%s", c.out);
    cr_assert(strstr(c.out, "t1.join()"));
    cr_assert(strstr(c.out, "What to notice"));
    cmd_free(&c);
    c = RUN("forkjoin", "--job", "sum", "-n", "1001", "-r", "1", "--depth",
            "3", "--format", "csv");
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_eq(strstr(c.out, ",WRONG,") || strstr(c.out, ",differs,"),
                 NULL);
    cmd_free(&c);
}

Test(forkjoin, grain_sweep_runs)
{
    struct cmd_out c = RUN("forkjoin", "--sweep", "grain", "-n", "16k", "-r",
                           "1", "--format", "csv");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "table,cutoff,leaves,fork_seconds"));
    cr_assert(strstr(c.out, "\ngrain,8192,2,"));
    cmd_free(&c);
}

/* Processes whose environment holds mark (NUL-separated "NAME=value"). */
static int count_marked(const char *mark)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    char path[300], env[8192];
    int n = 0;

    while ((e = readdir(d))) {
        int fd;
        ssize_t got;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
        if ((fd = open(path, O_RDONLY)) < 0)
            continue;
        got = read(fd, env, sizeof(env) - 1);
        close(fd);
        for (ssize_t i = 0; i < got; i += (ssize_t)strlen(env + i) + 1) {
            env[got] = '\0';
            n += !strcmp(env + i, mark);
        }
    }
    closedir(d);
    return n;
}

/* No time limit on seeing the children: at load 100 under ASan the
 * serial variant before them took over 30 s; the test's timeout guards a
 * hang. A child still there 2 minutes after SIGTERM has outlived it. */
Test(forkjoin, sigterm_leaves_no_process_behind, .timeout = 900)
{
    char mark[64];
    int status, waited = 0;
    pid_t pid;

    snprintf(mark, sizeof(mark), "PARDEMO_TEST_MARK=%d", (int)getpid());
    if ((pid = fork()) == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        dup2(fd, 2);
        putenv(mark);
        execl(pardemo_bin(), "pardemo", "forkjoin", "--depth", "3", "-n",
              "4M", "-r", "1", (char *)NULL);
        _exit(127);
    }
    /* wait until the fork variant has children running */
    while (count_marked(mark) < 3 && waitpid(pid, &status, WNOHANG) == 0)
        usleep(5000);
    cr_assert(count_marked(mark) >= 3, "pardemo ended before its fork "
              "variant's children were seen");
    kill(pid, SIGTERM);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    for (waited = 0; count_marked(mark) > 0 && waited < 12000; waited++)
        usleep(10000);
    cr_assert_eq(count_marked(mark), 0, "a child outlived SIGTERM");
}

Test(forkjoin, bad_options)
{
    struct cmd_out c = RUN("forkjoin", "--depth", "17");

    cr_assert_eq(c.status, 2);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: forkjoin: --depth must be 0..16 (got "
                     "'17': out of range)\n");
    cmd_free(&c);
    c = RUN("forkjoin", "--job", "max");
    cr_assert_eq(c.status, 2);
    cr_assert_str_eq(c.err, "pardemo: forkjoin: --job must be one of "
                     "sum|sort (got 'max')\n");
    cmd_free(&c);
}
