/* cleanup.h - nothing left behind, even after Ctrl-C or kill.
 * Whatever outlives the process (a shm segment, a message queue, a socket
 * file, a temp directory, a child process) is registered here when it is
 * made and forgotten when it is released normally; on SIGINT or SIGTERM
 * the handler releases what is still registered, then dies of the signal.
 */
#ifndef CLEANUP_H
#define CLEANUP_H

#include <sys/types.h>

enum cleanup_kind {
    CLEAN_SHM,      /* shm_unlink(name) */
    CLEAN_MQ,       /* mq_unlink(name) */
    CLEAN_FILE,     /* unlink(path): socket files, temp files */
    CLEAN_TREE,     /* remove a directory and the files in it (one level) */
    CLEAN_CHILD,    /* pass the signal on, reap; SIGKILL after 2 s */
    CLEAN_GROUP,    /* the same for a child leading its own process group,
                       signalled as a group (its own children too) */
};

/* Installs the SIGINT/SIGTERM handlers for this process (idempotent). */
void cleanup_init(void);

/* Registers a name (shm/mq/file/tree) or a child pid. Returns a slot for
 * cleanup_forget, or -1 when the table is full (then nothing is tracked;
 * the caller still releases normally). */
int cleanup_add(enum cleanup_kind kind, const char *name);
int cleanup_add_child(pid_t pid);

/* fork() with SIGINT and SIGTERM held off until the child is registered,
 * so that the handler never misses a child that was just born. Returns
 * the child's pid in the parent (its slot in *slot), 0 in the child, or
 * -1 with errno set. */
pid_t cleanup_fork(int *slot);

/* cleanup_fork for a child that runs other programs' process trees (a
 * shell pipeline, python3 with a pool of workers): the child leads a new
 * process group, and a signal reaches the whole group. Same returns. */
pid_t cleanup_fork_group(int *slot);

/* Forgets a slot after the thing was released normally. */
void cleanup_forget(int slot);

#endif
