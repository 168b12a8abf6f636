/* test_signals.c - a signal mid-run leaves nothing behind.
 * Each row of cases[] is started in its own process group, with $TMPDIR
 * its own directory (temp files and private directories land there);
 * after a seeded delay it gets the signal; then: the exit status is
 * 128+signal (or 0 if it finished first), no process of its group
 * remains, nothing named pardemo whose run has ended is in /dev/shm or
 * /dev/mqueue, its directory holds nothing but its output (if any), and
 * that output is either complete (a bench CSV: every row whole; a saved
 * directory: _SUCCESS) or absent. SIGINT and SIGTERM hit every case
 * early and late; SIGHUP, SIGQUIT and SIGPIPE 50 times each at seeded
 * points; a multi-threaded save is killed at 50 points. */
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
    bool is_pipe_ignored;   /* ignores SIGPIPE by design: a dead peer is
                               an EPIPE error (lib/par/ipc) */
};

/* A bench CSV is whole when it has the header, every data row has the
 * header's 8 fields and the file ends in a newline. */
#define BENCH_CSV_WHOLE \
    "grep -q '^topic,kernel,workers,' out && " \
    "awk -F, '!/^#/ && NF != 8 { bad = 1 } END { exit bad }' out && " \
    "test \"$(tail -c 1 out | od -An -c | tr -d ' ')\" = '\\n'"

static const struct sig_case cases[] = {
    { "tour --quick --no-pause", "tour", NULL, false },
    { "concurrency -n 1G", "concurrency", NULL, false },
    /* waits of 0.2 s, alternating thread and process phases */
    { "threads -n 1 -t 1 --creates 10 --mem 1M --tasks 1 --wait-us 200000 "
      "-r 1000", "threads", NULL, false },
    { "gil -n 64k -t 2 -r 1000", "gil", NULL, false },
    { "race -n 100M", "race", NULL, false },
    { "ipc --sizes 64,1M --count 100000000", "ipc", NULL, true },
    /* children, shm and mq made and unlinked one mechanism after another */
    { "ipc --sizes 64,4k,1M --count 2000 --mech shm,mq,pipe,unix", "ipc",
      NULL, true },
    { "manager -n 100000000", "manager", NULL, true },
    { "manager -t 2 -n 100000000 --addr tcp:127.0.0.1:0", "manager", NULL,
      true },
    { "locality --measure-size 64M -r 1000", "locality", NULL, true },
    /* the CSV is whole or absent (written to a temp sibling, renamed) */
    /* exact kernels only: a sweep that ends before the signal exits 0 */
    { "bench race -k mutex,atomic -q -w 1,2 -r 3 -o {OUT}", "bench",
      BENCH_CSV_WHOLE, false },
    { "bench ipc manager -q -w 1,2 -r 3 -o {OUT}", "bench",
      BENCH_CSV_WHOLE, true },
    /* forked children mid-sort, and a bench of the fork variants */
    { "forkjoin --depth 3 -n 16M -r 20", "forkjoin", NULL, false },
    { "bench forkjoin -q -k sort-fork,sum-fork -r 100 -o {OUT}", "forkjoin",
      BENCH_CSV_WHOLE, false },
    { "datatask --rows 2M -r 20", "datatask", NULL, false },
    { "gen trade --bytes 1G -o {OUT}", "gen", NULL, false },
    { "wordcount -n 4G --no-group", "wordcount", NULL, false },
    { "wordcount -n 8M --no-group -p 7 --save {OUT}", "wordcount", NULL,
      false },
    { "logmine -n 4G", "logmine", NULL, false },
    { "csv --rows 20M", "csv", NULL, false },
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
    char *dir = make_tmpdir(), out[600], args[1024], cmd[2600];
    int status;

    snprintf(out, sizeof(out), "%s/out", dir);
    snprintf(args, sizeof(args), "%s", sc->args);
    char *at = strstr(args, "{OUT}");
    if (at) {
        char rest[1024];
        snprintf(rest, sizeof(rest), "%s", at + 5);
        snprintf(at, sizeof(args) - (size_t)(at - args), "%s%s", out, rest);
    }
    /* no core file for SIGQUIT; temp files in dir, where we look */
    snprintf(cmd, sizeof(cmd), "ulimit -c 0; unset XDG_RUNTIME_DIR; "
             "TMPDIR=%s exec %s %s >/dev/null 2>&1 </dev/null", dir,
             pardemo_bin(), args);
    list_orphans("/dev/shm", shm_before, sizeof(shm_before));
    list_orphans("/dev/mqueue", mq_before, sizeof(mq_before));
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGPIPE, SIG_DFL);   /* the suite ignores it; a user does not */
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

/* SIGHUP (a closed terminal or ssh session), SIGQUIT (Ctrl-\\) and
 * SIGPIPE (the reader of our output went away) are released like SIGINT:
 * 50 runs each, over the cases in turn, at seeded points from the start
 * (children forking, names being made) to well into the run. */
static void fifty_of(int sig, unsigned seed)
{
    size_t ncases = sizeof(cases) / sizeof(cases[0]), ran = 0;

    for (size_t i = 0; ran < 50; i = (i + 1) % ncases) {
        char topic[64];
        sscanf(cases[i].needs, "%63s", topic);
        if (!topic_exists(topic) || (sig == SIGPIPE &&
                                      cases[i].is_pipe_ignored))
            continue;
        run_signal_case(&cases[i], sig, 20 + (int)(rand_r(&seed) % 600));
        ran++;
    }
}

Test(signals, hup_leaves_nothing_behind, .timeout = 900)
{
    fifty_of(SIGHUP, 101);
}

Test(signals, quit_leaves_nothing_behind, .timeout = 900)
{
    fifty_of(SIGQUIT, 202);
}

Test(signals, pipe_leaves_nothing_behind, .timeout = 900)
{
    fifty_of(SIGPIPE, 303);
}

/* A save on 4 threads into 7 part files, interrupted at 50 seeded
 * points: the handler parks the other threads before it empties the
 * temporary directory, so no part file appears after it looked. */
Test(signals, threaded_save_killed_fifty_times, .timeout = 900)
{
    static const struct sig_case save = {
        "wordcount -n 4M -t 4 -p 7 --no-group --save {OUT}", "wordcount",
        NULL, false };
    unsigned seed = 4242;

    if (!topic_exists("wordcount"))
        return;
    for (int k = 0; k < 50; k++)
        run_signal_case(&save, k % 2 ? SIGTERM : SIGINT,
                        20 + (int)(rand_r(&seed) % 1000));
}

/* A real broken pipe, not a kill: gen writes to a pipe whose reader
 * leaves after one byte; it dies of SIGPIPE with nothing left. */
Test(signals, a_closed_pipe_leaves_nothing_behind)
{
    char *dir = make_tmpdir(), *cmd = NULL;
    struct cmd_out c;

    cr_assert(asprintf(&cmd, "cd %s && { TMPDIR=%s env --default-signal=PIPE "
                       "%s gen text --bytes 64M "
                       "-o /dev/stdout; echo $? > %s.rc; } | head -c 1 "
                       ">/dev/null; cat %s.rc; rm -f %s.rc; ls -A", dir, dir,
                       pardemo_bin(), dir, dir, dir) >= 0);
    c = cmd_sh(cmd, 60);
    cr_expect_str_eq(c.out, "141\n", "exit status, then what is left in "
                     "%s: %s", dir, c.out);
    cmd_free(&c);
    free(cmd);
    rm_tree(dir);
    free(dir);
}
