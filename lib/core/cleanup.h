/* cleanup.h - nothing left behind, even after Ctrl-C, kill or a hang-up.
 * Whatever outlives the process (a shm segment, a message queue, a socket
 * file, a temp file or directory, a child process) is registered here when
 * it is made and forgotten when it is released normally; on SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT or SIGPIPE the handler first stops the other
 * threads (so none can make a new file meanwhile), releases what is still
 * registered, then dies of the signal.
 */
#ifndef CLEANUP_H
#define CLEANUP_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

enum cleanup_kind {
    CLEAN_SHM,      /* shm_unlink(name) */
    CLEAN_MQ,       /* mq_unlink(name) */
    CLEAN_FILE,     /* unlink: socket files, temp files */
    CLEAN_TREE,     /* remove a directory and what is in it (3 levels) */
    CLEAN_CHILD,    /* pass the signal on (SIGTERM for any but SIGINT), reap;
                       SIGKILL after 2 s */
    CLEAN_GROUP,    /* the same for a child leading its own process group,
                       signalled as a group (its own children too) */
    CLEAN_MAP,      /* a mapped file: a SIGBUS inside it (the file shrank)
                       is one error line and exit 1, not a crash */
};

/* Installs the handlers for this process (idempotent). A signal that is
 * ignored when we start (nohup, a background job) stays ignored. */
void cleanup_init(void);

/* The topic named in the SIGBUS error line ("wordcount"); a pointer to
 * static text. */
void cleanup_set_topic(const char *topic);

/* Registers a name (shm/mq) or a path (file/tree: copied whole, never
 * cut short; the directory it is in is opened now, so the entry is found
 * even when the path is longer than PATH_MAX or the working directory
 * changes). A file or tree that exists now is remembered by its inode:
 * the handler removes it only while the name still points at that inode.
 * Returns a slot for cleanup_forget, or -1 when out of memory (then
 * nothing is tracked; the caller still releases normally). */
int cleanup_add(enum cleanup_kind kind, const char *name);

/* The same for name inside the directory open as dirfd (kept open by a
 * duplicate until forgotten): for a file or tree just made with openat,
 * mkdirat... */
int cleanup_add_at(enum cleanup_kind kind, int dirfd, const char *name);

int cleanup_add_child(pid_t pid);

/* A file mapped at [addr, addr + len) from path: a SIGBUS there (another
 * program truncated the file) prints "cannot read PATH: the file shrank
 * while it was read", releases everything and exits 1. */
int cleanup_add_map(const void *addr, size_t len, const char *path);

/* fork() with the handled signals held off until the child is
 * registered, so that the handler never misses a child that was just
 * born. Returns the child's pid in the parent (its slot in *slot), 0 in
 * the child, or -1 with errno set. */
pid_t cleanup_fork(int *slot);

/* cleanup_fork for a child that runs other programs' process trees (a
 * shell pipeline, python3 with a pool of workers): the child leads a new
 * process group, and a signal reaches the whole group. Same returns. */
pid_t cleanup_fork_group(int *slot);

/* Holds off the handled signals in this thread (the old mask in *old):
 * between making a name and registering it, a signal must wait. */
void cleanup_hold(sigset_t *old);
void cleanup_release(const sigset_t *old);

/* Forgets a slot after the thing was released normally (-1: nothing). */
void cleanup_forget(int slot);

/* Releases a name (shm, mq, file, tree) now, as the handler would (only
 * while it is still our inode), and forgets it. */
void cleanup_remove(int slot);

#endif
