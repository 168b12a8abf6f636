/* harness.c - exec pardemo, capture stdout and stderr, with a timeout. */
#define _GNU_SOURCE
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *pardemo_bin(void)
{
    const char *b = getenv("PARDEMO_BIN");

    return b ? b : "../pardemo";
}

const char *shared_data(const char *name, char *buf, size_t len)
{
    const char *s = getenv("PARDEMO_SHARED");

    snprintf(buf, len, "%s/data/%s", s ? s : "../../shared", name);
    return buf;
}

static void append(char **buf, size_t *len, size_t *cap, const char *src,
                   size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, src, n);
    *len += n;
    (*buf)[*len] = '\0';
}

/* The first line of a small /proc file, or "?". */
static void read_small(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

    if (fd >= 0)
        close(fd);
    if (n <= 0)
        snprintf(buf, len, "?");
    else
        buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The group's process with this pid, if it is one: its name in comm. */
static bool in_group(int p, pid_t pgid, char *comm, size_t len)
{
    char path[64], buf[512], *end;
    FILE *f;
    size_t n;
    long grp;

    snprintf(path, sizeof(path), "/proc/%d/stat", p);
    if (!(f = fopen(path, "r")))
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* pid (comm) state ppid pgrp ...: comm may hold spaces and ')' */
    if (!(end = strrchr(buf, ')')) || sscanf(end + 1, " %*c %*d %ld",
                                             &grp) != 1 || grp != pgid)
        return false;
    snprintf(comm, len, "%.*s", (int)(end - strchr(buf, '(') - 1),
             strchr(buf, '(') + 1);
    return true;
}

/* The rest of the line of /proc/PID/status that starts with key. */
static void status_field(int p, const char *key, char *buf, size_t len)
{
    char path[64], text[4096], *at;
    int fd;
    ssize_t n;

    snprintf(path, sizeof(path), "/proc/%d/status", p);
    buf[0] = '\0';
    fd = open(path, O_RDONLY | O_CLOEXEC);
    n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return;
    text[n] = '\0';
    if ((at = strstr(text, key)))
        snprintf(buf, len, "%.*s", (int)strcspn(at + strlen(key), "\n"),
                 at + strlen(key));
}

/* For each process of the group: its parent and its signals (blocked,
 * ignored, caught: hex masks), then what each of its threads waits in
 * (wchan, system call). With pardemo's pids in pids[0..*n) (cap). */
static void group_threads(pid_t pgid, char **err, size_t *len, size_t *cap,
                          int *pids, int *n, int npids)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    char comm[64], path[320], line[512], wchan[64], sys[64];
    char ppid[32], blk[32], ign[32], cgt[32];

    while (d && (e = readdir(d))) {
        int p = atoi(e->d_name), k;
        DIR *t;
        struct dirent *te;

        if (p <= 0 || !in_group(p, pgid, comm, sizeof(comm)))
            continue;
        status_field(p, "PPid:\t", ppid, sizeof(ppid));
        status_field(p, "SigBlk:\t", blk, sizeof(blk));
        status_field(p, "SigIgn:\t", ign, sizeof(ign));
        status_field(p, "SigCgt:\t", cgt, sizeof(cgt));
        k = snprintf(line, sizeof(line), "[harness] %d (%s), parent %s; "
                     "signals blocked %s, ignored %s, caught %s\n", p, comm,
                     ppid, blk, ign, cgt);
        append(err, len, cap, line, (size_t)k);
        snprintf(path, sizeof(path), "/proc/%d/task", p);
        for (t = opendir(path); t && (te = readdir(t));) {
            if (te->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "/proc/%d/task/%s/wchan", p,
                     te->d_name);
            read_small(path, wchan, sizeof(wchan));
            snprintf(path, sizeof(path), "/proc/%d/task/%s/syscall", p,
                     te->d_name);
            read_small(path, sys, sizeof(sys));
            sys[strcspn(sys, " \n")] = '\0';
            k = snprintf(line, sizeof(line), "[harness]   thread %s: wchan "
                         "%s, syscall %s\n", te->d_name, wchan, sys);
            append(err, len, cap, line, (size_t)k);
        }
        if (t)
            closedir(t);
        if (strcmp(comm, "pardemo") == 0 && *n < npids)
            pids[(*n)++] = p;
    }
    if (d)
        closedir(d);
}

/* A run that timed out: what each thread of its process group waits in,
 * into err; and SIGUSR2 to its pardemo processes, which the lessons'
 * Python answers with every thread's traceback when PARDEMO_TEST_DUMP is
 * set (scripts/suite.sh). A hang in CI says where. */
static void report_hang(pid_t pgid, char **err, size_t *len, size_t *cap)
{
    const char *head = "\n[harness] timed out; the run's threads:\n";
    int pids[64], n = 0;

    append(err, len, cap, head, strlen(head));
    group_threads(pgid, err, len, cap, pids, &n, 64);
    for (int i = 0; i < n; i++)
        kill(pids[i], SIGUSR2);
}

char *describe_group(pid_t pgid)
{
    char *text = NULL;
    size_t len = 0, cap = 0;
    int pids[1], n = 0;

    append(&text, &len, &cap, "", 0);
    group_threads(pgid, &text, &len, &cap, pids, &n, 0);
    return text;
}

static struct cmd_out capture(pid_t pid, int ofd, int efd, int ifd,
                              const char *in, int timeout_s)
{
    struct cmd_out c = { 0, calloc(1, 1), calloc(1, 1), 0, 0 };
    size_t ocap = 1, ecap = 1, in_left = in ? strlen(in) : 0;
    double deadline = now() + timeout_s;
    int status, open_fds = 2;
    bool dumped = false;
    char buf[65536];

    if (ifd >= 0 && in_left == 0) {
        close(ifd);
        ifd = -1;
    }
    while (open_fds > 0) {
        struct pollfd p[3] = { { ofd, POLLIN, 0 }, { efd, POLLIN, 0 },
                               { ifd, POLLOUT, 0 } };
        int ms = (int)((deadline - now()) * 1000);
        if (ms <= 0 && !dumped) {   /* say where it hangs, read 3 s more */
            report_hang(pid, &c.err, &c.err_len, &ecap);
            dumped = true;
            deadline = now() + 3;
            continue;
        }
        if (ms <= 0) {          /* pardemo and whatever it started */
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            break;
        }
        if (poll(p, 3, ms) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
                continue;
            ssize_t n = read(p[i].fd, buf, sizeof(buf));
            if (n <= 0) {
                close(p[i].fd);
                if (i == 0) ofd = -1; else efd = -1;
                open_fds--;
            } else if (i == 0) {
                append(&c.out, &c.out_len, &ocap, buf, (size_t)n);
            } else {
                append(&c.err, &c.err_len, &ecap, buf, (size_t)n);
            }
        }
        if (ifd >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(ifd, in, in_left);
            if (n > 0) {
                in += n;
                in_left -= (size_t)n;
            }
            if (n <= 0 || in_left == 0) {
                close(ifd);
                ifd = -1;
            }
        }
    }
    if (ofd >= 0) close(ofd);
    if (efd >= 0) close(efd);
    if (ifd >= 0) close(ifd);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    c.status = WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                   : WEXITSTATUS(status);
    return c;
}

static struct cmd_out spawn(char *const argv[], const char *in,
                            const char *const *env, int timeout_s)
{
    int o[2], e[2], i[2];
    pid_t pid;

    if (pipe2(o, O_CLOEXEC) || pipe2(e, O_CLOEXEC) || pipe2(i, O_CLOEXEC))
        abort();
    signal(SIGPIPE, SIG_IGN);
    pid = fork();
    if (pid == 0) {
        /* its own process group: a timeout kills every process of the
         * run (multiprocessing's children too), not pardemo alone */
        setpgid(0, 0);
        dup2(i[0], 0);
        dup2(o[1], 1);
        dup2(e[1], 2);
        for (; env && *env; env++)
            putenv((char *)*env);
        execv(argv[0], argv);
        _exit(127);
    }
    close(o[1]);
    close(e[1]);
    close(i[0]);
    return capture(pid, o[0], e[0], i[1], in, timeout_s);
}

struct cmd_out cmd_run_env(const char *const *args, const char *stdin_data,
                           const char *const *env, int timeout_s)
{
    char *argv[64];
    int n = 0;

    argv[n++] = (char *)pardemo_bin();
    while (args && *args && n < 63)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    return spawn(argv, stdin_data, env, timeout_s);
}

struct cmd_out cmd_run(const char *const *args)
{
    return cmd_run_env(args, NULL, NULL, 300);
}

struct cmd_out cmd_sh(const char *line, int timeout_s)
{
    char *argv[] = { "/bin/sh", "-c", (char *)line, NULL };

    return spawn(argv, NULL, NULL, timeout_s);
}

void cmd_free(struct cmd_out *c)
{
    free(c->out);
    free(c->err);
    c->out = c->err = NULL;
}

size_t count_lines(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (*s == '\n' || !s[1])
            n++;
    return n;
}

const char *tmp_root(void)
{
    const char *t = getenv("TMPDIR");

    return t && t[0] == '/' ? t : "/tmp";
}

char *tmp_template(const char *tag)
{
    char *t = NULL;

    if (asprintf(&t, "%s/pardemo-test-%s%sXXXXXX", tmp_root(), tag,
                 tag[0] ? "-" : "") < 0)
        abort();
    return t;
}

char *make_tmpdir(void)
{
    char *t = tmp_template("");

    if (!mkdtemp(t)) {
        free(t);
        return NULL;
    }
    return t;
}

void rm_tree(const char *path)
{
    char cmd[4200];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "rm_tree: could not remove %s\n", path);
}

int count_zombies_of(int ppid)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;

    while (d && (e = readdir(d))) {
        char path[300], buf[512], state;
        int pp;
        FILE *f;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        if (fgets(buf, sizeof(buf), f)) {
            char *rp = strrchr(buf, ')');
            if (rp && sscanf(rp + 2, "%c %d", &state, &pp) == 2 &&
                pp == ppid && state == 'Z')
                n++;
        }
        fclose(f);
    }
    if (d)
        closedir(d);
    return n;
}

int leftover_children(void)
{
    int n = 0;
    pid_t pid;

    while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
        n++;
    return n + (pid == 0);
}
