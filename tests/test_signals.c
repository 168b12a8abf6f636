/* test_signals.c - a signal mid-run leaves nothing behind.
 * Each row of cases[] is started in its own process group, with $TMPDIR
 * its own directory (temp files and private directories land there);
 * after a seeded delay it gets the signal; then: the exit status is
 * 128+signal (or 0 if it finished first), no process of its group
 * remains, it left nothing in /dev/shm or /dev/mqueue (as root: its own
 * private ones, see ipc_view), its directory holds nothing but its output
 * (if any), and that output is either complete (a bench CSV: every row
 * whole; a saved directory: _SUCCESS) or absent. SIGINT and SIGTERM hit
 * every case early and late; SIGHUP, SIGQUIT and SIGPIPE 50 times each at
 * seeded points; a multi-threaded save is killed at 50 points. Each
 * topic's Python part gets SIGINT and SIGTERM (one SIGHUP) once it runs:
 * then also no semaphore (/dev/shm/sem.*) may be left, and stderr may
 * not hold multiprocessing.resource_tracker's warnings of leaks. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "leftovers.h"

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
    /* OpenMP teams mid-job: no thread outlives the process */
    { "scaling -n 16M -r 20", "scaling", NULL, false },
    { "memory -n 8M -r 1000", "memory", NULL, false },
    { "bench scaling memory -q -w 1,2 -r 3 -o {OUT}", "bench",
      BENCH_CSV_WHOLE, false },
    { "gen trade --bytes 1G -o {OUT}", "gen", NULL, false },
    { "wordcount -n 4G --no-group", "wordcount", NULL, false },
    /* python3 and the engine, children in process groups of their own */
    { "platforms -n 256M --only python3,engine -q", "platforms", NULL,
      false },
    { "wordcount -n 8M --no-group -p 7 --save {OUT}", "wordcount", NULL,
      false },
    { "logmine -n 4G", "logmine", NULL, false },
    { "csv --rows 20M", "csv", NULL, false },
    /* a job in worker processes; a save (its temp dir gone, or whole) */
    { "spark -t 2 -c \"sc.parallelize(range(10 ** 9), 4)"
      ".map(lambda x: x + 1).count()\"", "spark", NULL, false },
    { "spark -t 2 -c \"sc.parallelize(range(10 ** 7), 4).map(str)"
      ".saveAsTextFile('{OUT}')\"", "spark", NULL, false },
};

/* Where a case's POSIX shm segments and message queues can be seen.
 * As root each case runs in IPC and mount namespaces of its own, with a
 * fresh tmpfs on /dev/shm and its own mqueue on /dev/mqueue: everything
 * there is the case's, and nothing another run makes (a second checkout
 * testing at once) is. The test keeps both directories open (through
 * /proc/PID/root) so it can read them after the case has ended. Elsewhere
 * it reads the machine's directories, and only names that carry the
 * case's pid (pardemo-PID-...) count. */
struct ipc_view {
    int shm_fd, mq_fd;          /* the private directories, or -1 */
    pid_t pid;                  /* the case's pid (its names' prefix) */
};

enum { IPC_SHARED, IPC_PRIVATE, IPC_BROKEN };

/* In the forked child: new IPC and mount namespaces with private
 * mounts (nothing propagates back to the machine). Returns IPC_PRIVATE,
 * IPC_SHARED when it cannot start (not root), or IPC_BROKEN when it
 * failed half-way: then nothing was mounted. */
static char enter_private_ipc(void)
{
    if (geteuid() != 0 || access("/dev/mqueue", F_OK) != 0 ||
        unshare(CLONE_NEWIPC | CLONE_NEWNS) != 0)
        return IPC_SHARED;
    /* never mount where the machine would see it */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
              "mode=1777") != 0 ||
        mount("mqueue", "/dev/mqueue", "mqueue", 0, NULL) != 0)
        return IPC_BROKEN;
    return IPC_PRIVATE;
}

static void view_open(struct ipc_view *v, pid_t pid, bool is_private)
{
    char path[64];

    v->pid = pid;
    v->shm_fd = v->mq_fd = -1;
    if (!is_private)
        return;
    snprintf(path, sizeof(path), "/proc/%d/root/dev/shm", (int)pid);
    v->shm_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    snprintf(path, sizeof(path), "/proc/%d/root/dev/mqueue", (int)pid);
    v->mq_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert(v->shm_fd >= 0 && v->mq_fd >= 0, "cannot open the case's "
              "private /dev/shm or /dev/mqueue: %s", strerror(errno));
}

/* Appends the entries of directory fd (private) or dir (shared: names
 * with the case's pid only) to buf. */
static void list_left(int fd, const char *dir, pid_t pid, char *buf,
                      size_t len)
{
    DIR *d = fd >= 0 ? fdopendir(dup(fd)) : opendir(dir);
    char prefix[64];
    struct dirent *e;

    snprintf(prefix, sizeof(prefix), "pardemo-%d-", (int)pid);
    if (d)
        rewinddir(d);
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' ||
            (fd < 0 && strncmp(e->d_name, prefix, strlen(prefix))))
            continue;
        snprintf(buf + strlen(buf), len - strlen(buf), " %s/%s", dir,
                 e->d_name);
    }
    if (d)
        closedir(d);
}

/* What the case left in /dev/shm and /dev/mqueue ("" when nothing). */
static const char *view_left(const struct ipc_view *v, char *buf,
                             size_t len)
{
    buf[0] = '\0';
    list_left(v->shm_fd, "/dev/shm", v->pid, buf, len);
    list_left(v->mq_fd, "/dev/mqueue", v->pid, buf, len);
    return buf;
}

static void view_close(struct ipc_view *v)
{
    if (v->shm_fd >= 0)
        close(v->shm_fd);
    if (v->mq_fd >= 0)
        close(v->mq_fd);
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

/* Forks the case (its own process group; as root its own IPC and mount
 * namespaces) and starts it once the test has opened its view. */
static pid_t start_case(const char *cmd, struct ipc_view *v)
{
    int ready[2], go[2];
    char how = IPC_SHARED;
    pid_t pid;

    cr_assert(pipe2(ready, O_CLOEXEC) == 0 && pipe2(go, O_CLOEXEC) == 0);
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGPIPE, SIG_DFL);   /* the suite ignores it; a user does not */
        /* as a user's terminal has them, even if a shell started the
         * suite in the background (which ignores INT and QUIT) */
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        how = enter_private_ipc();
        if (write(ready[1], &how, 1) != 1 || how == IPC_BROKEN ||
            read(go[0], &how, 1) != 1)
            _exit(126);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    close(ready[1]);
    close(go[0]);
    cr_assert_eq(read(ready[0], &how, 1), 1, "the case's child died");
    cr_assert_neq(how, IPC_BROKEN, "cannot mount a private /dev/shm and "
                  "/dev/mqueue in new namespaces (in a chroot, make its "
                  "root a mount point: mount --bind DIR DIR)");
    view_open(v, pid, how == IPC_PRIVATE);
    cr_assert_eq(write(go[1], "g", 1), 1);
    close(ready[0]);
    close(go[1]);
    return pid;
}

/* Does pid have a child? */
static bool has_child(pid_t pid)
{
    pid_t kid;

    return bg_children(pid, &kid, 1) > 0;
}

/* Waits, without a fixed sleep, until pid's Python part runs: Python has
 * loaded multiprocessing's C module (pid's maps name it) and, if
 * wants_child, a child (a worker, the fork server or the resource
 * tracker) exists. False if pid ended first or 300 s passed. */
static bool wait_python_part(pid_t pid, bool wants_child)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
    for (int i = 0; i < 300000; i++) {
        char *maps = read_text(path);
        bool is_in = maps && strstr(maps, "/_multiprocessing.");
        int status;
        free(maps);
        if (is_in && (!wants_child || has_child(pid)))
            return true;
        if (waitpid(pid, &status, WNOHANG) != 0)
            return false;
        usleep(1000);
    }
    return false;
}

/* What errfile says that counts as a leftover: resource_tracker's
 * warnings of leaked semaphores or segments, a traceback. */
static void check_stderr(const char *args, int sig, const char *errfile)
{
    static const char *const bad[] = { "leaked", "resource_tracker",
                                       "Traceback" };
    char *err = read_text(errfile);

    cr_assert(err, "no stderr file %s", errfile);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_expect(!strstr(err, bad[i]), "`%s` after %s: stderr says:\n%s",
                  args, strsignal(sig), err);
    free(err);
}

/* What a process left in the group is doing: its state, and (a Python
 * one, under PARDEMO_TEST_DUMP) its traceback, which it writes to the
 * run's stderr file when sent SIGUSR2 (a malloc'd text). */
static char *left_in_group(pid_t pgid, const char *errfile)
{
    char *why = describe_group(pgid), *err, *text;

    kill(-pgid, SIGUSR2);
    usleep(500000);
    err = read_text(errfile);
    cr_assert(asprintf(&text, "%s[stderr, after SIGUSR2]\n%s", why,
                       err ? err : "") > 0);
    free(why);
    free(err);
    return text;
}

/* Starts the case, signals it after delay_ms (delay_ms < 0: once its
 * Python part runs, -1 with a child of it, -2 without), checks the
 * aftermath. */
static void run_signal_case(const struct sig_case *sc, int sig, int delay_ms)
{
    char *dir = make_tmpdir(), out[600], args[1024], cmd[2600], left[4096];
    char errfile[700];
    struct ipc_view view;
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
    /* stderr beside dir, not in it: only the output may be in dir */
    snprintf(errfile, sizeof(errfile), "%s.err", dir);
    snprintf(cmd, sizeof(cmd), "ulimit -c 0; unset XDG_RUNTIME_DIR; "
             "TMPDIR=%s exec %s %s >/dev/null 2>%s </dev/null", dir,
             pardemo_bin(), args, delay_ms < 0 ? errfile : "/dev/null");
    pid_t pid = start_case(cmd, &view);
    if (delay_ms >= 0) {
        struct timespec ts = { delay_ms / 1000,
                               (delay_ms % 1000) * 1000000L };
        nanosleep(&ts, NULL);
    } else {
        cr_expect(wait_python_part(pid, delay_ms == -1), "`%s`: its Python "
                  "part did not start", args);
    }
    kill(pid, sig);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                   : WEXITSTATUS(status);
    cr_expect(code == 128 + sig || (code == 0 && delay_ms >= 0),
              "`%s` after %s at %d ms: exit %d", args, strsignal(sig),
              delay_ms, code);
    if (delay_ms < 0)
        check_stderr(args, sig, errfile);
    /* nested cleanups (pardemo, a launcher, a pool) each wait up to 2 s
     * for their children; on a loaded machine allow them time */
    for (int i = 0; i < 1500 && group_alive(pid); i++)
        usleep(20000);
    if (group_alive(pid)) {
        char ps[100];
        snprintf(ps, sizeof(ps), "ps -eo pid,pgid,stat,args | awk "
                 "'$2 == %d'", (int)pid);
        struct cmd_out c = cmd_sh(ps, 10);
        char *why = delay_ms < 0 ? left_in_group(pid, errfile)
                                 : describe_group(pid);
        cr_expect(false, "`%s`: processes left after %s:\n%s%s", args,
                  strsignal(sig), c.out, why);
        free(why);
        cmd_free(&c);
    }
    unlink(errfile);
    kill(-pid, SIGKILL);
    cr_expect_str_empty(view_left(&view, left, sizeof(left)), "`%s` after "
                        "%s left:%s", args, strsignal(sig), left);
    view_close(&view);
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

/* make test-full (PARDEMO_TEST_FULL=1) makes every run of these tests;
 * make test, the half of them that keeps each case and each signal (the
 * suite must fit CI's 10 minutes, and these runs are a minute of CPU). */
static bool is_full(void)
{
    const char *v = getenv("PARDEMO_TEST_FULL");

    return v && *v && strcmp(v, "0");
}

/* Each case gets both signals at two seeded points: early (while it
 * starts: children forking, queues and segments being made) and later
 * (mid-run, output half-written); make test sends SIGINT early and
 * SIGTERM later. */
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
            if (is_full() || k == 0 || k == 3)
                run_signal_case(&cases[i], k % 2 ? SIGTERM : SIGINT, delay);
        }
    }
}

/* SIGHUP (a closed terminal or ssh session), SIGQUIT (Ctrl-\\) and
 * SIGPIPE (the reader of our output went away) are released like SIGINT:
 * 50 runs each (make test: 25), over the cases in turn, at seeded points
 * from the start (children forking, names being made) to well into the
 * run. */
static void fifty_of(int sig, unsigned seed)
{
    size_t ncases = sizeof(cases) / sizeof(cases[0]), ran = 0;
    size_t runs = is_full() ? 50 : 25;

    /* make test starts each signal at another case, so that the three
     * together still reach every case */
    for (size_t i = is_full() ? 0 : seed % ncases; ran < runs;
         i = (i + 1) % ncases) {
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
 * points (make test: the first 25): the handler parks the other threads
 * before it empties the temporary directory, so no part file appears
 * after it looked. */
Test(signals, threaded_save_killed_fifty_times, .timeout = 900)
{
    static const struct sig_case save = {
        "wordcount -n 4M -t 4 -p 7 --no-group --save {OUT}", "wordcount",
        NULL, false };
    unsigned seed = 4242;

    if (!topic_exists("wordcount"))
        return;
    for (int k = 0; k < (is_full() ? 50 : 25); k++)
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

/* A topic's Python part, and whether a child of pardemo shows that it
 * runs (race's Python part has threads only). */
struct py_case {
    struct sig_case sc;
    bool wants_child;
};

static const struct py_case py_cases[] = {
    { { "gil --python-only -n 1M -t 2 -r 1000", "gil", NULL, false },
      true },
    { { "race --python-only --urls 4M -t 2 -r 1000", "race", NULL, false },
      false },
    { { "ipc --python-only --sizes 64,1M --count 1000000", "ipc", NULL,
        true }, true },
    { { "manager --python-only -t 2 -n 100000000", "manager", NULL, true },
      true },
    { { "forkjoin -n 1M -r 3", "forkjoin", NULL, false }, true },
    { { "threads --python-only -n 1M -t 2 -r 1000", "threads", NULL, false },
      true },
};

/* Ctrl-C and SIGTERM once each topic's Python part runs (spawn for one,
 * forkserver for another: children that are pardemo re-run, and a fork
 * server); SIGHUP for threads. Nothing may be left. */
Test(signals, python_parts_leave_nothing_behind, .timeout = 900)
{
    size_t n = sizeof(py_cases) / sizeof(py_cases[0]);

    for (size_t i = 0; i < n; i++) {
        const struct py_case *pc = &py_cases[i];
        if (!topic_exists(pc->sc.needs))
            continue;
        run_signal_case(&pc->sc, SIGINT, pc->wants_child ? -1 : -2);
        run_signal_case(&pc->sc, SIGTERM, pc->wants_child ? -1 : -2);
    }
    static const struct sig_case methods[] = {
        { "gil --python-only -n 1M -t 2 -r 1000 --start-method spawn",
          "gil", NULL, false },
        { "threads --python-only -n 1M -t 2 -r 1000 --start-method "
          "forkserver", "threads", NULL, false },
    };
    run_signal_case(&methods[0], SIGINT, -1);
    run_signal_case(&methods[1], SIGTERM, -1);
    run_signal_case(&py_cases[n - 1].sc, SIGHUP, -1);
}

/* SCRIPT, run by python3 beside the lessons' runtime
 * (lib/pyspark/python/_pardemo_lesson.py), prints WANT and nothing on
 * stderr. A hang fails at the harness' timeout. */
static void lesson_runtime_prints(const char *script, const char *want)
{
    char *line;

    require_tool("python3", "python3");
    cr_assert(asprintf(&line, "cd ../lib/pyspark/python && python3 -c \"%s\"",
                       script) > 0);
    struct cmd_out c = cmd_sh(line, 120);
    cr_expect_eq(c.status, 0, "%s", c.err);
    cr_expect_str_eq(c.out, want, "%s", c.err);
    cr_expect_str_empty(c.err, "nothing on stderr, not: %s", c.err);
    cmd_free(&c);
    free(line);
}

/* A forked child dies with pardemo (PR_SET_PDEATHSIG), but the kernel
 * sends that signal when the forking *thread* ends, so a child a thread
 * forks must not ask for it, or it dies when that thread does. */
Test(signals, a_child_forked_by_a_thread_outlives_the_thread)
{
    /* no death signal asked by the thread's child; SIGTERM (15) by the
     * main thread's; both ended normally */
    lesson_runtime_prints(
        "import _pardemo_lesson as L, ctypes, multiprocessing as mp, "
        "threading\n"
        "L.setup('fork')\n"
        "def child(q):\n"
        "    v = ctypes.c_int(-1)\n"
        "    ctypes.CDLL(None).prctl(2, ctypes.byref(v), 0, 0, 0)\n"
        "    q.put(v.value)\n"
        "q, box = mp.Queue(), []\n"
        "def start():\n"
        "    box.append(mp.Process(target=child, args=(q,)))\n"
        "    box[-1].start()\n"
        "t = threading.Thread(target=start)\n"
        "t.start(); t.join()\n"
        "print('thread', q.get(timeout=60), end=' ')\n"
        "box[0].join(); print(box[0].exitcode, end=' ')\n"
        "start(); print('main', q.get(timeout=60), end=' ')\n"
        "box[1].join(); print(box[1].exitcode)\n"
        "q.close(); q.join_thread(); L.stop()\n",
        "thread 0 0 main 15 0\n");
}

/* A Pool a signal leaves running (its `with` block cut short, or its
 * constructor) has a thread that forks a new worker for each one that
 * ends: stop() waited for ever on workers it had never ended (seen in
 * signals::python_parts_leave_nothing_behind's forkjoin case). A Pool
 * whose constructor was cut short may be gone while its thread runs on
 * (seen there too: the thread forked new workers as stop() ended them,
 * and the exit waited for ever). The workers have started (the barrier)
 * before stop(): in python3 a SIGTERM at a fork can be lost, which
 * pardemo's guard prevents (a_signal_at_a_fork_is_not_lost). */
Test(signals, a_pool_left_running_is_ended_by_stop)
{
    lesson_runtime_prints(
        "import _pardemo_lesson as L, multiprocessing as mp, gc\n"
        "L.setup('fork')\n"
        "for how in ('whole', 'cut short', 'gone'):\n"
        "    b = mp.Barrier(3)\n"
        "    p = mp.Pool(2, initializer=b.wait)\n"
        "    b.wait(60)\n"
        "    p.map(abs, range(4))\n"
        "    if how != 'whole':\n"
        "        p._terminate.cancel()\n"
        "        del p._terminate\n"
        "    if how == 'gone':\n"
        "        del p\n"
        "        gc.collect()\n"
        "L.stop()\n"
        "print(len(mp.active_children()), 'left')\n",
        "0 left\n");
}

/* A signal can land inside a multiprocessing Finalize's constructor,
 * after its weak reference and before its key: when its object dies,
 * Python printed "Exception ignored in: <Finalize object, dead>" and an
 * AttributeError on the way out (seen once in race's Python part under
 * SIGTERM). After an interrupt those are not printed. */
Test(signals, a_finalizer_cut_short_prints_nothing)
{
    lesson_runtime_prints(
        "import _pardemo_lesson as L, multiprocessing.util as u, weakref, "
        "os, signal, time\n"
        "L.setup('fork')\n"
        "class O: pass\n"
        "o = O()\n"
        "f = u.Finalize.__new__(u.Finalize)\n"
        "f._weakref = weakref.ref(o, f)\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(60)\n"
        "except KeyboardInterrupt:\n"
        "    pass\n"
        "del o\n"
        "L.stop()\n"
        "print('quiet')\n",
        "quiet\n");
}

/* At ^C, a Manager's clients end before the `with` block shuts its
 * server down: CI once saw a client print "ConnectionRefusedError" from
 * manager's Python part, its server terminated under it. The server is
 * left to the block (exit code 0); a child forked with os.fork, which
 * multiprocessing does not count, is killed and reaped. */
Test(signals, a_manager_outlives_its_clients)
{
    lesson_runtime_prints(
        "import _pardemo_lesson as L, multiprocessing as mp, os, signal, "
        "time\n"
        "L.setup('fork')\n"
        "def client(d):\n"
        "    while True:\n"
        "        d['n'] += 1\n"
        "with mp.Manager() as m:\n"
        "    d = m.dict(n=0)\n"
        "    w = mp.Process(target=client, args=(d,))\n"
        "    w.start()\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        time.sleep(60)\n"
        "        os._exit(0)\n"
        "    try:\n"
        "        while d['n'] < 100:\n"
        "            time.sleep(0.01)\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "        time.sleep(60)\n"
        "    except KeyboardInterrupt:\n"
        "        pass\n"
        "    print(w.exitcode, m._process.is_alive(), end=' ')\n"
        "print(m._process.exitcode, end=' ')\n"
        "try:\n"
        "    os.kill(pid, 0)\n"
        "    print('the forked child is left')\n"
        "except ProcessLookupError:\n"
        "    print('gone')\n"
        "L.stop()\n",
        "-15 True 0 gone\n");
}

/* Before a fork, Python waits until no thread is still ending in C. A
 * signal during that wait interrupts the caller: it was a before-fork
 * hook, whose KeyboardInterrupt Python printed as "Exception ignored"
 * and dropped, and the fork went ahead (seen in race's and forkjoin's
 * Python parts). Here the wait lasts (a thread seems to be ending). */
Test(signals, a_signal_while_a_fork_waits_interrupts_it)
{
    lesson_runtime_prints(
        "import _pardemo_lesson as L, os, signal, threading\n"
        "L.setup('fork')\n"
        "L._tasks = lambda: {-1}\n"
        "threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM))"
        ".start()\n"
        "try:\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        os._exit(0)\n"
        "    print('forked')\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n"
        "L.stop()\n",
        "interrupted\n");
}
