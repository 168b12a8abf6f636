/* pty.c - run pardemo on a pseudo-terminal (posix_openpt, no libutil). */
#define _GNU_SOURCE
#include "pty.h"
#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int master, char *const argv[])
{
    int slave = open(ptsname(master), O_RDWR);

    setsid();
    dup2(slave, 0);
    dup2(slave, 1);
    dup2(slave, 2);
    execv(argv[0], argv);
    _exit(127);
}

char *pty_run(const char *const *args, const char *input, int timeout_s,
              int *status)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY), n = 0, st = 0;
    size_t len = 0, cap = 1 << 20;
    char *out = calloc(1, cap), *argv[32];
    pid_t pid;

    if (master < 0 || grantpt(master) || unlockpt(master) || !out)
        abort();
    argv[n++] = (char *)pardemo_bin();
    while (args && *args && n < 31)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    if ((pid = fork()) == 0)
        child(master, argv);
    if (write(master, input, strlen(input)) < 0)
        abort();
    for (;;) {      /* until the child closes the terminal (EIO) */
        struct pollfd p = { master, POLLIN, 0 };
        if (poll(&p, 1, timeout_s * 1000) <= 0)
            break;
        ssize_t got = read(master, out + len, cap - 1 - len);
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    close(master);
    kill(pid, SIGKILL);     /* a no-op when it has exited */
    waitpid(pid, &st, 0);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return out;
}
