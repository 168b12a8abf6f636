/* test_faults.c - the machine says no: fork fails, memory runs out, a
 * write passes the file size limit, the message queue quota is used up.
 * Each row runs pardemo under a limit (prlimit) and checks: exit status 1,
 * exactly one line on stderr naming the resource, no output file left
 * half-written (absent, or whole), and nothing left behind (shm, queues,
 * temp files, processes). Root is exempt from RLIMIT_NPROC, so a fork
 * limit runs as a user id of this test's own (no other process on the
 * machine has it), and the limit is counted from the tasks that user
 * already runs: another suite testing at once cannot change the count.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "check.h"
#include "leftovers.h"

enum limit_kind { MEM, FSIZE, NPROC, MSGQ };

struct fault {
    enum limit_kind kind;
    const char *limit;      /* prlimit options; --nproc=N: N tasks more
                               than the user already runs */
    const char *args;       /* after pardemo; {DIR} = a fresh temp dir,
                               {TESTS} = this tests/ directory */
    const char *pattern;    /* the one stderr line (extended regex) */
    const char *after;      /* shell test run in {DIR} afterwards, or NULL */
};

#define NO_TEMP "! ls -A | grep -q tmp"

static const struct fault faults[] = {
    /* ulimit -v: a size that cannot be allocated */
    { MEM, "--as=400000000", "race --urls 4M -r 1",
      "^pardemo: race: .*Cannot allocate memory \\(see ulimit -v", NULL },
    { MEM, "--as=400000000", "threads --mem 1G -r 1",
      "^pardemo: threads: .*Cannot allocate memory \\(see ulimit -v", NULL },
    { MEM, "--as=400000000", "locality --measure-size 1G -r 1",
      "^pardemo: locality: cannot allocate the block: Cannot allocate "
      "memory \\(see ulimit -v", NULL },
    /* ulimit -f: writing fails (SIGXFSZ is ignored, write() says EFBIG) */
    { FSIZE, "--fsize=1024",
      "bench race -q -k atomic,mutex -w 1,2 -r 2 --sizes 1k,2k,4k "
      "-o {DIR}/x.csv",
      "^pardemo: bench: cannot write .*/x\\.csv: File too large \\(the file "
      "size limit: see ulimit -f\\)$", "test ! -e x.csv && " NO_TEMP },
    { FSIZE, "--fsize=2048",
      "plot {TESTS}/data/bench-small.csv -o {DIR}/pl",
      "^pardemo: plot: cannot write .*/pl/[a-z-]+\\.dat: File too large "
      "\\(the file size limit: see ulimit -f\\)$",
      /* whatever data file is there is whole: it ends in a newline */
      "for f in pl/*; do test -z \"$(tail -c 1 $f)\" || exit 1; done" },
    { FSIZE, "--fsize=1024", "race -n 1k -r 1 --lines 40 --no-python "
      "--format json > {DIR}/o.json",
      "^pardemo: write error on stdout: File too large \\(the file size "
      "limit: see ulimit -f\\)$", NULL },
    /* the shared file of part (d) cannot grow: one line, nothing left */
    { FSIZE, "--fsize=1024", "race -n 1k -r 1 --no-python",
      "^pardemo: race: cannot append to the shared file: File too large "
      "\\(the file size limit: see ulimit -f\\)$", NULL },
    /* the Python part's Value lives in a file it cannot grow: one line */
    { FSIZE, "--fsize=1024", "race -n 1k -r 1 --python-only",
      "^pardemo: race: the Python part failed: race_dedupe\\.py line "
      "[0-9]+: OSError: \\[Errno 27\\] File too large$", NULL },
    /* ulimit -u: no process or thread can be started */
    { NPROC, "--nproc=1", "ipc --sizes 64 --count 10 --mech pipe",
      "^pardemo: ipc: cannot start the receiving process: .*ulimit -u\\)$",
      NULL },
    { NPROC, "--nproc=1", "ipc --sizes 64 --count 10 --mech shm",
      "^pardemo: ipc: cannot start the receiving process: .*ulimit -u\\)$",
      NULL },
    { NPROC, "--nproc=1", "ipc --sizes 64 --count 10 --mech mq",
      "^pardemo: ipc: cannot start the receiving process: .*ulimit -u\\)$",
      NULL },
    { NPROC, "--nproc=1", "manager -t 2 -n 200",
      "^pardemo: manager: cannot start the manager process: .*ulimit -u\\)$",
      NULL },
    { NPROC, "--nproc=3", "manager -t 2 -n 200",
      "^pardemo: manager: .*cannot start a client process: .*ulimit -u\\)$",
      NULL },
    { NPROC, "--nproc=1", "threads -n 2k -t 3 --creates 10 --mem 1M "
      "--tasks 6 --wait-us 200 -r 1",
      "^pardemo: threads: cannot start a worker: .*ulimit -u\\)$", NULL },
    { NPROC, "--nproc=1", "gil -n 2k -t 3 --tasks 6 --wait-us 200 -r 1",
      "^pardemo: gil: cannot start a worker: .*ulimit -u\\)$", NULL },
    { NPROC, "--nproc=1", "race -n 20000 -r 1",
      "^pardemo: race: cannot run the threads: .*ulimit -u\\)$", NULL },
    { NPROC, "--nproc=1", "concurrency -t 2 -n 1M",
      "^pardemo: concurrency: cannot run the tasks: .*ulimit -u\\)$", NULL },
    { NPROC, "--nproc=1", "locality --measure-size 1M -r 1",
      "^pardemo: locality: .*: Resource temporarily unavailable .*ulimit "
      "-u\\)$", NULL },
    /* ulimit -q: no room for the message queues */
    { MSGQ, "--msgqueue=100", "ipc --sizes 64 --count 10 --mech mq",
      "^pardemo: ipc: .*RLIMIT_MSGQUEUE is 100 bytes per user: raise it "
      "with ulimit -q", NULL },
};

/* Replaces {DIR} and {TESTS} in s. */
static void expand(const char *s, const char *dir, const char *tests,
                   char *out, size_t len)
{
    size_t n = 0;

    while (*s && n + 1 < len) {
        if (!strncmp(s, "{DIR}", 5)) {
            n += (size_t)snprintf(out + n, len - n, "%s", dir);
            s += 5;
        } else if (!strncmp(s, "{TESTS}", 7)) {
            n += (size_t)snprintf(out + n, len - n, "%s", tests);
            s += 7;
        } else {
            out[n++] = *s++;
        }
    }
    out[n < len ? n : len - 1] = '\0';
}

/* Whether the binary is built with AddressSanitizer, which reserves
 * terabytes of address space and so cannot start under ulimit -v. */
static bool is_asan(void)
{
    return getenv("ASAN_OPTIONS") != NULL;
}

/* The tasks (threads included: RLIMIT_NPROC counts them) whose real
 * user is uid, from /proc. */
static int tasks_of_user(uid_t uid)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;

    while (d && (e = readdir(d))) {
        char path[300], *st;
        unsigned long real;
        int threads;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
        if (!(st = read_text(path)))
            continue;
        char *u = strstr(st, "\nUid:"), *t = strstr(st, "\nThreads:");
        if (u && t && sscanf(u, "\nUid: %lu", &real) == 1 &&
            sscanf(t, "\nThreads: %d", &threads) == 1 && real == uid)
            n += threads;
        free(st);
    }
    if (d)
        closedir(d);
    return n;
}

/* "setpriv ... prlimit --nproc=M" for a fork limit, as a user id no
 * other process has (100000 + this test's pid), M counted from what that
 * user already runs; plain "prlimit LIMIT" for the others. */
static void limit_prefix(const struct fault *f, char *buf, size_t len)
{
    uid_t uid = 100000 + (uid_t)getpid();
    int more;

    if (f->kind != NPROC || sscanf(f->limit, "--nproc=%d", &more) != 1) {
        snprintf(buf, len, "prlimit %s", f->limit);
        return;
    }
    snprintf(buf, len, "setpriv --reuid=%u --regid=65534 --clear-groups "
             "prlimit --nproc=%d", (unsigned)uid, tasks_of_user(uid) + more);
}

static void run_fault(const struct fault *f, const char *tests)
{
    char *dir = make_tmpdir(), args[1024], cmd[4096], buf[2048], lim[256];
    regex_t re;

    cr_assert(dir);
    chmod(dir, 0777);           /* nobody runs and writes there */
    snprintf(cmd, sizeof(cmd), "cp %s %s/pardemo", pardemo_bin(), dir);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    chmod(dir, 0777);
    expand(f->args, dir, tests, args, sizeof(args));
    /* the shell's pid becomes pardemo's (every step execs), so that the
     * leftovers of that pid can be looked for afterwards */
    limit_prefix(f, lim, sizeof(lim));
    snprintf(cmd, sizeof(cmd), "cd %s && echo $$ > pid && "
             "ASAN_OPTIONS=detect_leaks=0 exec %s %s/pardemo %s", dir, lim,
             dir, args);
    struct cmd_out c = cmd_sh(cmd, 120);
    cr_expect_eq(c.status, 1, "`%s %s`: status %d, stderr: %s", f->limit,
                 f->args, c.status, c.err);
    cr_expect_eq(count_lines(c.err), 1, "`%s %s`: stderr: %s", f->limit,
                 f->args, c.err);
    if (c.err_len && c.err[c.err_len - 1] == '\n')
        c.err[c.err_len - 1] = '\0';
    cr_assert_eq(regcomp(&re, f->pattern, REG_EXTENDED | REG_NOSUB), 0);
    cr_expect_eq(regexec(&re, c.err, 0, NULL, 0), 0, "`%s %s`: stderr '%s' "
                 "does not match /%s/", f->limit, f->args, c.err,
                 f->pattern);
    regfree(&re);
    cmd_free(&c);

    snprintf(cmd, sizeof(cmd), "%s/pid", dir);
    char *pid_text = read_text(cmd);
    pid_t pid = pid_text ? (pid_t)atol(pid_text) : 0;
    free(pid_text);
    cr_assert(pid > 0);
    cr_expect_str_empty(leftovers(pid, NULL, 0, buf, sizeof(buf)),
                        "`%s %s` left: %s", f->limit, f->args, buf);
    /* no process of the run is left (children run the same copy) */
    snprintf(cmd, sizeof(cmd), "sleep 0.2; pgrep -f '^%s/pardemo' || true",
             dir);
    c = cmd_sh(cmd, 10);
    cr_expect_str_empty(c.out, "`%s %s`: processes left: %s", f->limit,
                        f->args, c.out);
    cmd_free(&c);
    if (f->after) {
        snprintf(cmd, sizeof(cmd), "cd %s && { %s ; }", dir, f->after);
        c = cmd_sh(cmd, 10);
        cr_expect_eq(c.status, 0, "`%s %s`: output half-written (%s)",
                     f->limit, f->args, f->after);
        cmd_free(&c);
    }
    rm_tree(dir);
    free(dir);
}

/* One test per limit, so that the suite spreads them over its jobs
 * (under ASan they took 70 s one after another). Parameters are
 * indexes: a pointer would not survive the re-exec. */
ParameterizedTestParameters(faults, each_limit_one_line_and_nothing_left)
{
    static int index[sizeof(faults) / sizeof(faults[0])];

    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
        index[i] = (int)i;
    return cr_make_param_array(int, index, sizeof(index) / sizeof(index[0]));
}

ParameterizedTest(int *i, faults, each_limit_one_line_and_nothing_left,
                  .timeout = 300)
{
    const struct fault *f = &faults[*i];
    char tests[1024];

    require_tool("prlimit", "util-linux");
    require_tool("setpriv", "util-linux");
    require_tool("pgrep", "procps");
    cr_assert(getcwd(tests, sizeof(tests)));
    if (f->kind == MEM && is_asan())
        return;                 /* ASan cannot start under ulimit -v */
    if (f->kind == NPROC && geteuid() != 0)
        return;                 /* only root can become another user */
    run_fault(f, tests);
}
