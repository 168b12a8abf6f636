/* test_signals.c - SIGINT and SIGTERM mid-run leave nothing behind.
 * Each row of cases[] is started in its own process group; after a seeded
 * delay it gets the signal; then: the exit status is 128+signal (or 0 if
 * it finished first), no process of its group remains, nothing named pardemo
 * whose run has ended is in /dev/shm or /dev/mqueue, and its output path
 * (if any) is either complete (a bench CSV: every row whole) or absent,
 * with no temp sibling. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

struct sig_case {
    const char *args;       /* shell words after pardemo; {OUT} = out path */
    const char *needs;      /* a topic that must exist, else skipped */
    const char *valid;      /* shell test that an existing {OUT} is whole
                               (NULL: a file or a dir with _SUCCESS) */
};

/* A bench CSV is whole when it has the header, every data row has the
 * header's 8 fields and the file ends in a newline. */
#define BENCH_CSV_WHOLE \
    "grep -q '^topic,kernel,workers,' out && " \
    "awk -F, '!/^#/ && NF != 8 { bad = 1 } END { exit bad }' out && " \
    "test \"$(tail -c 1 out | od -An -c | tr -d ' ')\" = '\\n'"

static const struct sig_case cases[] = {
    { "tour --quick --no-pause", "tour", NULL },
    { "concurrency -n 1G", "concurrency", NULL },
    /* waits of 0.2 s, alternating thread and process phases */
    { "threads -n 1 -t 1 --creates 10 --mem 1M --tasks 1 --wait-us 200000 "
      "-r 1000", "threads", NULL },
    { "gil -n 64k -t 2 -r 1000", "gil", NULL },
    { "race -n 100M", "race", NULL },
    { "ipc --sizes 64,1M --count 100000000", "ipc", NULL },
    /* children, shm and mq made and unlinked one mechanism after another */
    { "ipc --sizes 64,4k,1M --count 2000 --mech shm,mq,pipe,unix", "ipc",
      NULL },
    { "manager -n 100000000", "manager", NULL },
    { "manager -t 2 -n 100000000 --addr tcp:127.0.0.1:0", "manager", NULL },
    { "locality --measure-size 64M -r 1000", "locality", NULL },
    /* the CSV is whole or absent (written to a temp sibling, renamed) */
    /* exact kernels only: a sweep that ends before the signal exits 0 */
    { "bench race -k mutex,atomic -q -w 1,2 -r 3 -o {OUT}", "bench",
      BENCH_CSV_WHOLE },
    { "bench ipc manager -q -w 1,2 -r 3 -o {OUT}", "bench",
      BENCH_CSV_WHOLE },
    /* forked children mid-sort, and a bench of the fork variants */
    { "forkjoin --depth 3 -n 16M -r 20", "forkjoin", NULL },
    { "bench forkjoin -q -k sort-fork,sum-fork -r 100 -o {OUT}", "forkjoin",
      BENCH_CSV_WHOLE },
    { "datatask --rows 2M -r 20", "datatask", NULL },
    { "gen trade --bytes 1G -o {OUT}", "gen", NULL },
    { "wordcount -n 4G --no-group", "wordcount", NULL },
    { "wordcount -n 8M --no-group -p 7 --save {OUT}", "wordcount", NULL },
    { "logmine -n 4G", "logmine", NULL },
    { "csv --rows 20M", "csv", NULL },
    /* a job in worker processes; a save (its temp dir gone, or whole) */
    { "spark -t 2 -c \"sc.parallelize(range(10 ** 9), 4)"
      ".map(lambda x: x + 1).count()\"", "spark", NULL },
    { "spark -t 2 -c \"sc.parallelize(range(10 ** 7), 4).map(str)"
      ".saveAsTextFile('{OUT}')\"", "spark", NULL },
};

/* Names in dir that contain "pardemo" and whose owner is gone: the first
 * number in a name is the pid of the run that made it (names are unique
 * per run), so entries of other runs still alive (tests running in
 * parallel) are not mistaken for leftovers. */
static void list_orphans(const char *dir, char *buf, size_t len)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    buf[0] = '\0';
    while (d && (e = readdir(d))) {
        const char *digits = strpbrk(e->d_name, "0123456789");
        long pid = digits ? strtol(digits, NULL, 10) : 0;
        if (!strstr(e->d_name, "pardemo") ||
            (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)))
            continue;
        if (n + strlen(e->d_name) + 2 < len)
            n += (size_t)sprintf(buf + n, "%s ", e->d_name);
    }
    if (d)
        closedir(d);
}

static int group_alive(pid_t pgid)
{
    return kill(-pgid, 0) == 0 || errno != ESRCH;
}

static bool topic_exists(const char *topic)
{
    const char *args[] = { topic, "--help", NULL };
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 30);
    bool ok = c.status == 0;

    cmd_free(&c);
    return ok;
}

/* Starts the case, signals it after delay_ms, checks the aftermath. */
static void run_signal_case(const struct sig_case *sc, int sig, int delay_ms)
{
    char shm_before[4096], mq_before[4096], shm_after[4096], mq_after[4096];
    char *dir = make_tmpdir(), out[600], args[1024], cmd[2048];
    int status;

    snprintf(out, sizeof(out), "%s/out", dir);
    snprintf(args, sizeof(args), "%s", sc->args);
    char *at = strstr(args, "{OUT}");
    if (at) {
        char rest[1024];
        snprintf(rest, sizeof(rest), "%s", at + 5);
        snprintf(at, sizeof(args) - (size_t)(at - args), "%s%s", out, rest);
    }
    snprintf(cmd, sizeof(cmd), "exec %s %s >/dev/null 2>&1 </dev/null",
             pardemo_bin(), args);
    list_orphans("/dev/shm", shm_before, sizeof(shm_before));
    list_orphans("/dev/mqueue", mq_before, sizeof(mq_before));
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
    kill(pid, sig);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                   : WEXITSTATUS(status);
    cr_expect(code == 0 || code == 128 + sig, "`%s` after %s at %d ms: "
              "exit %d", args, strsignal(sig), delay_ms, code);
    for (int i = 0; i < 100 && group_alive(pid); i++)
        usleep(20000);
    cr_expect(!group_alive(pid), "`%s`: processes left after %s", args,
              strsignal(sig));
    kill(-pid, SIGKILL);
    list_orphans("/dev/shm", shm_after, sizeof(shm_after));
    list_orphans("/dev/mqueue", mq_after, sizeof(mq_after));
    cr_expect_str_eq(shm_after, shm_before, "`%s` left in /dev/shm", args);
    cr_expect_str_eq(mq_after, mq_before, "`%s` left in /dev/mqueue", args);
    /* the output is whole (with _SUCCESS) or absent; no temp sibling */
    snprintf(cmd, sizeof(cmd), "cd %s && ls -A | grep -v '^out$' ; "
             "test ! -e out || { %s ; } || echo 'out is half-written'", dir,
             sc->valid ? sc->valid : "test -e out/_SUCCESS || test -f out");
    struct cmd_out c = cmd_sh(cmd, 10);
    cr_expect_str_empty(c.out, "`%s` after %s left: %s", args,
                        strsignal(sig), c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* Each case gets both signals at two seeded points: early (while it
 * starts: children forking, queues and segments being made) and later
 * (mid-run, output half-written). */
Test(signals, int_and_term_leave_nothing_behind, .timeout = 900)
{
    unsigned seed = 12345;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char topic[64];
        sscanf(cases[i].needs, "%63s", topic);
        if (!topic_exists(topic))
            continue;
        for (int k = 0; k < 4; k++) {
            int delay = k < 2 ? 20 + (int)(rand_r(&seed) % 200)
                              : 300 + (int)(rand_r(&seed) % 900);
            run_signal_case(&cases[i], k % 2 ? SIGTERM : SIGINT, delay);
        }
    }
}
