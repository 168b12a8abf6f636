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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* In the child: stdout as asked, the extra environment, then exec. */
static void exec_child(const struct proc *p, int out_fd)
{
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

/* Reads fd to its end into p->out. Returns 0, or -1 with errno set (out
 * of memory: the rest is read and dropped, so the child never blocks). */
static int collect(struct proc *p, int fd)
{
    size_t cap = 1 << 16;
    char drop[4096], *grown;
    ssize_t got;
    int err = 0;

    p->out = malloc(cap);
    err = p->out ? 0 : ENOMEM;
    for (;;) {
        if (!err && cap - p->out_len < 4096) {
            if ((grown = realloc(p->out, cap *= 2)))
                p->out = grown;
            else
                err = ENOMEM;
        }
        got = err ? read(fd, drop, sizeof(drop))
                  : read(fd, p->out + p->out_len, cap - p->out_len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        p->out_len += err ? 0 : (size_t)got;
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
    }
    while ((rc2 = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    err = rc < 0 ? err : errno;
    cleanup_forget(slot);
    if (rc < 0 || rc2 < 0) {
        errno = err;
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
