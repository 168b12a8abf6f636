/* cleanup.c - release on every exit path, SIGINT and SIGTERM included.
 * A signal handler may only call async-signal-safe functions, so the
 * registry is a fixed table of plain characters, and directory removal
 * reads entries with the getdents64 system call instead of readdir().
 * This file holds the project's only mutable globals: a signal handler
 * cannot be passed any state.
 */
#define _GNU_SOURCE
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 64
#define NAME_MAX_LEN 256

struct slot {
    volatile sig_atomic_t is_used;
    enum cleanup_kind kind;
    pid_t pid;
    char name[NAME_MAX_LEN];
};

static struct slot slots[SLOTS];
static pid_t owner;     /* children inherit the handler; only we clean */

/* Removes the plain files in dir, then dir: async-signal-safe. */
static void remove_tree(const char *dir)
{
    char buf[4096];
    long n;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
            for (long off = 0; off < n;) {
                struct dirent64 *d = (struct dirent64 *)(buf + off);
                if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
                    unlinkat(fd, d->d_name, 0);
                off += d->d_reclen;
            }
        }
        close(fd);
    }
    rmdir(dir);
}

/* Passes sig on so the child can clean up after itself too (its own shm,
 * its own children), waits up to 2 s, then insists with SIGKILL. */
static void stop_child(pid_t pid, int sig)
{
    struct timespec tick = { 0, 10 * 1000 * 1000 };

    kill(pid, sig);
    for (int i = 0; i < 200; i++) {
        pid_t r = waitpid(pid, NULL, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return;
        nanosleep(&tick, NULL);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* A group leader: the signal goes to the whole group, then the leader is
 * reaped as stop_child does; what of the group is left gets SIGKILL. */
static void stop_group(pid_t pid, int sig)
{
    kill(-pid, sig);
    stop_child(pid, sig);
    kill(-pid, SIGKILL);
}

static void release(struct slot *s, int sig)
{
    switch (s->kind) {
    case CLEAN_SHM:   shm_unlink(s->name); break;
    case CLEAN_MQ:    mq_unlink(s->name); break;
    case CLEAN_FILE:  unlink(s->name); break;
    case CLEAN_TREE:  remove_tree(s->name); break;
    case CLEAN_CHILD: stop_child(s->pid, sig); break;
    case CLEAN_GROUP: stop_group(s->pid, sig); break;
    }
    s->is_used = 0;
}

static void run_all(int sig)
{
    /* children first: they may still be using the names */
    for (int pass = 0; pass < 2; pass++)
        for (int i = SLOTS - 1; i >= 0; i--)
            if (slots[i].is_used &&
                (slots[i].kind == CLEAN_CHILD ||
                 slots[i].kind == CLEAN_GROUP) == (pass == 0))
                release(&slots[i], sig);
}

static void on_signal(int sig)
{
    if (getpid() == owner)
        run_all(sig);
    signal(sig, SIG_DFL);
    raise(sig);
}

void cleanup_init(void)
{
    struct sigaction sa;

    if (owner == getpid())
        return;
    owner = getpid();
    memset(slots, 0, sizeof(slots));
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static int take_slot(enum cleanup_kind kind, const char *name, pid_t pid)
{
    sigset_t all, old;
    int i, got = -1;

    cleanup_init();
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);   /* the handler sees whole slots */
    for (i = 0; i < SLOTS && got < 0; i++) {
        if (slots[i].is_used)
            continue;
        slots[i].kind = kind;
        slots[i].pid = pid;
        snprintf(slots[i].name, NAME_MAX_LEN, "%s", name ? name : "");
        slots[i].is_used = 1;
        got = i;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return got;
}

int cleanup_add(enum cleanup_kind kind, const char *name)
{
    return take_slot(kind, name, 0);
}

int cleanup_add_child(pid_t pid)
{
    return take_slot(CLEAN_CHILD, NULL, pid);
}

static pid_t fork_registered(int *slot, bool is_group)
{
    sigset_t stop, old;
    pid_t pid;
    int err;

    cleanup_init();
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    pid = fork();
    err = errno;
    /* both sides set the group: whichever runs first, it is set before
     * the child execs and before the parent can signal it */
    if (is_group && pid >= 0)
        setpgid(pid, pid);      /* in the child: setpgid(0, 0) */
    *slot = pid > 0 ? take_slot(is_group ? CLEAN_GROUP : CLEAN_CHILD, NULL,
                                pid) : -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);   /* a signal held off now
                                                   finds the child known */
    errno = err;
    return pid;
}

pid_t cleanup_fork(int *slot)
{
    return fork_registered(slot, false);
}

pid_t cleanup_fork_group(int *slot)
{
    return fork_registered(slot, true);
}

void cleanup_forget(int slot)
{
    if (slot >= 0 && slot < SLOTS)
        slots[slot].is_used = 0;
}
