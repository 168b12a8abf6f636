/* proc.c - fork, register, exec, collect, wait: the one way pardemo
 * starts another program. What to notice: the child is registered with
 * lib/cleanup inside cleanup_fork, while SIGINT and SIGTERM are held off,
 * so there is no moment when a Ctrl-C could miss it.
 */
#define _GNU_SOURCE
#include "proc.h"
#include "cleanup.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* In the child: stdout as asked, the extra environment, then exec. */
static void exec_child(const struct proc *p, int out_fd)
{
    if (p->is_hung) {           /* stoppable as a whole; no terminal input */
        int null = open("/dev/null", O_RDONLY);
        setpgid(0, 0);
        if (null >= 0)
            dup2(null, STDIN_FILENO);
    }
    if (p->out_mode == PROC_OUT_NULL)
        out_fd = open("/dev/null", O_WRONLY);
    if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
        _exit(127);
    for (const char *const *e = p->env; e && *e; e++)
        putenv((char *)*e);
    if (p->path)
        execv(p->path, p->argv);
    else
        execvp(p->argv[0], p->argv);
    _exit(127);
}

/* Waits for fd to be readable, asking the watchdog every 200 ms. Returns
 * false when it says the child hangs. */
static bool wait_readable(const struct proc *p, int fd)
{
    struct pollfd pf = { fd, POLLIN, 0 };

    while (p->is_hung && poll(&pf, 1, 200) == 0)
        if (p->is_hung(p->hung_ctx))
            return false;
    return true;
}

/* Stops the child's process group: TERM, up to 2 s, then KILL. */
static void stop_group(pid_t pid)
{
    struct timespec tick = { 0, 10 * 1000 * 1000 };

    kill(-pid, SIGTERM);
    for (int i = 0; i < 200 && waitpid(pid, NULL, WNOHANG) == 0; i++)
        nanosleep(&tick, NULL);
    kill(-pid, SIGKILL);
}

/* Reads fd to its end into p->out. Returns 0, PROC_STOPPED when the
 * watchdog gave up on the child, or -1 with errno set (out of memory:
 * the rest is read and dropped, so the child never blocks). */
static int collect(struct proc *p, int fd)
{
    size_t cap = 1 << 16;
    char drop[4096], *grown;
    ssize_t got;
    int err = 0;
    bool is_stopped = false;

    p->out = malloc(cap);
    err = p->out ? 0 : ENOMEM;
    for (;;) {
        if (!err && cap - p->out_len < 4096) {
            if ((grown = realloc(p->out, cap *= 2)))
                p->out = grown;
            else
                err = ENOMEM;
        }
        if (!wait_readable(p, fd)) {
            is_stopped = true;
            break;
        }
        got = err ? read(fd, drop, sizeof(drop))
                  : read(fd, p->out + p->out_len, cap - p->out_len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        p->out_len += err ? 0 : (size_t)got;
    }
    if (is_stopped) {
        if (p->out)
            p->out[p->out_len] = '\0';
        return PROC_STOPPED;
    }
    if (err) {
        free(p->out);
        p->out = NULL;
        p->out_len = 0;
        errno = err;
        return -1;
    }
    p->out[p->out_len] = '\0';
    return 0;
}

int proc_run(struct proc *p)
{
    bool is_capture = p->out_mode == PROC_OUT_CAPTURE;
    int fd[2] = { -1, -1 }, status, slot, rc = 0, err = 0;
    pid_t pid, rc2;

    p->out = NULL;
    p->out_len = 0;
    if (is_capture && pipe2(fd, O_CLOEXEC) < 0)
        return -1;
    fflush(NULL);               /* or the child would print it again */
    if ((pid = cleanup_fork(&slot)) < 0) {  /* killed with us on ^C */
        err = errno;
        if (is_capture) {
            close(fd[0]);
            close(fd[1]);
        }
        errno = err;
        return -1;
    }
    if (pid == 0)
        exec_child(p, fd[1]);
    if (is_capture) {
        close(fd[1]);
        rc = collect(p, fd[0]);
        err = errno;
        close(fd[0]);
        if (rc == PROC_STOPPED)
            stop_group(pid);
    }
    while ((rc2 = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    err = rc < 0 ? err : errno;
    cleanup_forget(slot);
    if (rc == PROC_STOPPED)
        return PROC_STOPPED;
    if (rc < 0 || rc2 < 0) {
        errno = err;
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
