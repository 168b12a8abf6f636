/* cleanup.c - release on every exit path, signals included.
 * A signal handler may only call async-signal-safe functions, so every
 * name is copied to the heap when it is registered (never in the
 * handler), directories are read with the getdents64 system call, and
 * before the handler touches anything it parks every other thread with a
 * signal of their own: no worker can create a part file in a directory
 * being emptied. A name is removed only while it still points at the
 * inode we made. This file holds the project's only mutable globals: a
 * signal handler cannot be passed any state.
 */
#define _GNU_SOURCE
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BLOCK_SLOTS 32
#define MAX_TIDS 1024           /* threads the handler can park */
#define CHILD_GRACE_MS 2000     /* then SIGKILL */

/* What to release: kept whole, on the heap (no fixed-size path slot). */
struct entry {
    enum cleanup_kind kind;
    pid_t pid;                  /* CLEAN_CHILD */
    int dirfd;                  /* name is inside it; -1: name as given */
    char *name;                 /* shm/mq name, file name, or map's path */
    const char *addr;           /* CLEAN_MAP */
    size_t len;
    bool has_id;                /* the inode we made: dev, ino */
    dev_t dev;
    ino_t ino;
};

enum { SLOT_FREE, SLOT_USED };

struct slot {
    atomic_int state;           /* set USED only once e is whole */
    struct entry e;
};

/* Blocks are only ever appended: the handler walks them without a lock. */
struct block {
    struct slot s[BLOCK_SLOTS];
    struct block *_Atomic next;
};

static struct block first;
static pid_t owner;             /* children inherit the handler; only we clean */
static const char *topic;       /* for the SIGBUS line */
static atomic_int is_dying;     /* a handler is cleaning up */
static atomic_int nparked;      /* threads that took the park signal */
static int park_sig;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
                               SIGBUS };
#define NHANDLED (sizeof(handled) / sizeof(handled[0]))

/* ---- in the handler: async-signal-safe only ------------------------- */

static void nap_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&t, NULL);
}

/* A parked thread waits here, every signal blocked, until the process
 * dies of the signal the handler re-raises. */
static void on_park(int sig)
{
    sigset_t all;

    (void)sig;
    sigfillset(&all);
    atomic_fetch_add(&nparked, 1);
    for (;;)
        sigsuspend(&all);
}

/* Sends the park signal to every thread listed in /proc/self/task that
 * is not me and not yet in sent[]; returns the new count. */
static int park_listed(int fd, pid_t me, pid_t *sent, int n)
{
    char buf[4096];
    long got;

    lseek(fd, 0, SEEK_SET);
    while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
        for (long off = 0; off < got;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            pid_t tid = 0;
            bool is_new = d->d_name[0] >= '0' && d->d_name[0] <= '9';
            off += d->d_reclen;
            for (const char *c = d->d_name; *c >= '0' && *c <= '9'; c++)
                tid = tid * 10 + (*c - '0');
            for (int i = 0; i < n && is_new; i++)
                is_new = sent[i] != tid;
            if (is_new && tid != me && n < MAX_TIDS &&
                syscall(SYS_tgkill, owner, tid, park_sig) == 0)
                sent[n++] = tid;
        }
    }
    return n;
}

/* Parks every other thread of the process (a thread may start one more
 * while we scan: scan until none is new), then waits for them to stop,
 * at most half a second (a thread that blocks signals never parks). */
static void stop_other_threads(void)
{
    pid_t sent[MAX_TIDS], me = (pid_t)syscall(SYS_gettid);
    int n = 0, before = -1;
    int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return;
    for (int pass = 0; pass < 8 && n != before; pass++) {
        before = n;
        n = park_listed(fd, me, sent, n);
    }
    close(fd);
    for (int waited = 0; atomic_load(&nparked) < n && waited < 500; waited++)
        nap_ms(1);
}

static bool is_ours(const struct entry *e, int at, const char *name)
{
    struct stat st;

    return !e->has_id ||
           (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            st.st_dev == e->dev && st.st_ino == e->ino);
}

/* Unlinks every entry of the open directory fd, and empties and removes
 * its subdirectories down to depth more levels (a save inside a private
 * directory is two). Symbolic links are removed, never followed. */
static void empty_dir(int fd, int depth)
{
    char buf[4096];
    long got;

    while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
        for (long off = 0; off < got;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            off += d->d_reclen;
            if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
                continue;
            if (unlinkat(fd, d->d_name, 0) == 0 || errno != EISDIR ||
                depth == 0)
                continue;
            int sub = openat(fd, d->d_name, O_RDONLY | O_DIRECTORY |
                             O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                empty_dir(sub, depth - 1);
                close(sub);
                unlinkat(fd, d->d_name, AT_REMOVEDIR);
            }
        }
    }
}

/* Empties the directory and removes it; a file that appears meanwhile
 * (a thread that could not be parked) makes rmdir fail: empty it again. */
static void remove_tree(const struct entry *e)
{
    int at = e->dirfd >= 0 ? e->dirfd : AT_FDCWD;

    for (int tries = 0; tries < 100; tries++) {
        int fd = openat(at, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                        O_CLOEXEC);
        if (fd < 0 || !is_ours(e, at, e->name)) {
            if (fd >= 0)
                close(fd);
            return;
        }
        empty_dir(fd, 2);
        close(fd);
        if (unlinkat(at, e->name, AT_REMOVEDIR) == 0 ||
            (errno != ENOTEMPTY && errno != EEXIST))
            return;
    }
}

static void release(const struct entry *e)
{
    int at = e->dirfd >= 0 ? e->dirfd : AT_FDCWD;

    switch (e->kind) {
    case CLEAN_SHM:   shm_unlink(e->name); break;
    case CLEAN_MQ:    mq_unlink(e->name); break;
    case CLEAN_FILE:
        if (is_ours(e, at, e->name))
            unlinkat(at, e->name, 0);
        break;
    case CLEAN_TREE:  remove_tree(e); break;
    case CLEAN_CHILD: case CLEAN_GROUP: case CLEAN_MAP:
        break;                                  /* see stop_children */
    }
}

static bool is_child(const struct entry *e)
{
    return e->kind == CLEAN_CHILD || e->kind == CLEAN_GROUP;
}

/* A child, or a whole group when the child leads one. */
static void signal_child(const struct entry *e, int sig)
{
    kill(e->kind == CLEAN_GROUP ? -e->pid : e->pid, sig);
}

/* Passes sig on to every registered child (so each can clean up after
 * itself: its shm, its children), reaps them, and after 2 s insists. */
static void stop_children(int sig)
{
    int waited = 0;
    bool is_left = true;

    for (struct block *b = &first; b; b = atomic_load(&b->next))
        for (int i = 0; i < BLOCK_SLOTS; i++)
            if (atomic_load(&b->s[i].state) == SLOT_USED &&
                is_child(&b->s[i].e))
                signal_child(&b->s[i].e, sig);
    for (; is_left; waited += 10) {
        is_left = false;
        for (struct block *b = &first; b; b = atomic_load(&b->next)) {
            for (int i = 0; i < BLOCK_SLOTS; i++) {
                struct slot *s = &b->s[i];
                if (atomic_load(&s->state) != SLOT_USED ||
                    !is_child(&s->e))
                    continue;
                if (waited >= CHILD_GRACE_MS)
                    signal_child(&s->e, SIGKILL);
                pid_t r = waitpid(s->e.pid, NULL, waited >= CHILD_GRACE_MS
                                                  ? 0 : WNOHANG);
                if (r == s->e.pid || (r < 0 && errno != EINTR)) {
                    if (s->e.kind == CLEAN_GROUP)
                        kill(-s->e.pid, SIGKILL);   /* what is left of it */
                    atomic_store(&s->state, SLOT_FREE);
                }
                else
                    is_left = true;
            }
        }
        if (is_left)
            nap_ms(10);
    }
}

/* Children we never registered (a fork timed in a loop, that exits at
 * once): reap what has exited, waiting for the rest (on a loaded machine
 * such a child may not even have run yet) at most 2 s, so that no zombie
 * of ours outlives us. */
static void reap_strays(void)
{
    for (int waited = 0; waited < CHILD_GRACE_MS; waited += 5) {
        pid_t r;
        while ((r = waitpid(-1, NULL, WNOHANG)) > 0)
            ;
        if (r < 0 && errno != EINTR)
            return;             /* ECHILD: none left */
        nap_ms(5);
    }
}

/* Children first (they may still be using the names), then the names,
 * newest first. */
static void run_all(int sig)
{
    int n = 0;

    stop_children(sig == SIGINT || sig == SIGTERM ? sig : SIGTERM);
    reap_strays();
    for (struct block *b = &first; b; b = atomic_load(&b->next))
        n++;
    for (int k = n - 1; k >= 0; k--) {
        struct block *b = &first;
        for (int j = 0; j < k; j++)
            b = atomic_load(&b->next);
        for (int i = BLOCK_SLOTS - 1; i >= 0; i--)
            if (atomic_exchange(&b->s[i].state, SLOT_FREE) == SLOT_USED)
                release(&b->s[i].e);
    }
}

static void say(const char *s)
{
    if (s && write(STDERR_FILENO, s, strlen(s)) < 0)
        return;
}

/* A SIGBUS inside a registered mapping: the file shrank under us. */
static const struct entry *mapping_of(const void *addr)
{
    const char *a = addr;

    for (struct block *b = &first; b; b = atomic_load(&b->next))
        for (int i = 0; i < BLOCK_SLOTS; i++) {
            const struct entry *e = &b->s[i].e;
            if (atomic_load(&b->s[i].state) == SLOT_USED &&
                e->kind == CLEAN_MAP && a >= e->addr && a < e->addr + e->len)
                return e;
        }
    return NULL;
}

static void die_of(int sig)
{
    struct sigaction dfl;

    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    raise(sig);                 /* delivered when the handler returns */
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    const struct entry *m;

    (void)uc;
    if (getpid() != owner) {    /* a forked child that registered nothing */
        die_of(sig);
        return;
    }
    if (atomic_exchange(&is_dying, 1))
        on_park(sig);           /* another thread is already at it */
    stop_other_threads();
    if (sig == SIGBUS && si && (m = mapping_of(si->si_addr))) {
        say("pardemo: ");
        if (topic) {
            say(topic);
            say(": ");
        }
        say("cannot read ");
        say(m->name);
        say(": the file shrank while it was read (truncated by another "
            "program?)\n");
        run_all(SIGTERM);
        _exit(1);
    }
    run_all(sig);
    die_of(sig);
}

/* ---- outside the handler -------------------------------------------- */

void cleanup_init(void)
{
    struct sigaction sa, old;

    if (owner == getpid())
        return;
    /* a fresh process (or a forked child): an empty registry of its own;
     * the copies inherited from the parent are the parent's to release */
    owner = getpid();
    memset(&first, 0, sizeof(first));
    pthread_mutex_init(&lock, NULL);
    atomic_store(&is_dying, 0);
    atomic_store(&nparked, 0);
    park_sig = SIGRTMAX - 3;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_park;
    sigfillset(&sa.sa_mask);
    sigaction(park_sig, &sa, NULL);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NHANDLED; i++)   /* no nesting in the handler */
        sigaddset(&sa.sa_mask, handled[i]);
    for (size_t i = 0; i < NHANDLED; i++)
        if (sigaction(handled[i], NULL, &old) == 0 &&
            old.sa_handler != SIG_IGN)      /* nohup: stays ignored */
            sigaction(handled[i], &sa, NULL);
}

void cleanup_set_topic(const char *name)
{
    topic = name;
}

void cleanup_hold(sigset_t *old)
{
    sigset_t set;

    sigemptyset(&set);
    for (size_t i = 0; i < NHANDLED; i++)
        if (handled[i] != SIGBUS)   /* a fault cannot wait */
            sigaddset(&set, handled[i]);
    if (park_sig)               /* nor park us half-way through */
        sigaddset(&set, park_sig);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

void cleanup_release(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* Stores e in a free slot (a new block when all are taken). Returns the
 * slot, or -1 (then e's resources are released here). */
static int take_slot(const struct entry *e)
{
    sigset_t old;
    int id = -1, base = 0;

    cleanup_init();
    cleanup_hold(&old);
    pthread_mutex_lock(&lock);
    for (struct block *b = &first; b && id < 0; base += BLOCK_SLOTS) {
        for (int i = 0; i < BLOCK_SLOTS && id < 0; i++) {
            if (atomic_load(&b->s[i].state) != SLOT_FREE)
                continue;
            b->s[i].e = *e;
            atomic_store(&b->s[i].state, SLOT_USED);
            id = base + i;
        }
        if (id < 0 && !atomic_load(&b->next))
            atomic_store(&b->next, calloc(1, sizeof(struct block)));
        b = atomic_load(&b->next);
    }
    pthread_mutex_unlock(&lock);
    cleanup_release(&old);
    if (id < 0) {
        if (e->dirfd >= 0)
            close(e->dirfd);
        free(e->name);
    }
    return id;
}

static void remember_inode(struct entry *e)
{
    struct stat st;

    if (fstatat(e->dirfd >= 0 ? e->dirfd : AT_FDCWD, e->name, &st,
                AT_SYMLINK_NOFOLLOW) == 0) {
        e->has_id = true;
        e->dev = st.st_dev;
        e->ino = st.st_ino;
    }
}

int cleanup_add_at(enum cleanup_kind kind, int dirfd, const char *name)
{
    struct entry e = { .kind = kind, .dirfd = -1 };

    if (dirfd != AT_FDCWD &&
        (e.dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0)
        return -1;
    if (!(e.name = strdup(name))) {
        if (e.dirfd >= 0)
            close(e.dirfd);
        return -1;
    }
    if (kind == CLEAN_FILE || kind == CLEAN_TREE)
        remember_inode(&e);
    return take_slot(&e);
}

/* A file or tree by path: its directory is opened now (O_PATH), the
 * entry is its last component. "out/" is "out". */
int cleanup_add(enum cleanup_kind kind, const char *name)
{
    size_t n = strlen(name);
    char *dir;
    int fd, slot;

    if (kind != CLEAN_FILE && kind != CLEAN_TREE)
        return cleanup_add_at(kind, AT_FDCWD, name);
    while (n > 1 && name[n - 1] == '/')
        n--;
    if (!(dir = strndup(name, n)))
        return -1;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        fd = slash ? open("/", O_PATH | O_DIRECTORY | O_CLOEXEC) : AT_FDCWD;
    else {
        *slash = '\0';
        fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        *slash = '/';
    }
    if (fd < 0 && fd != AT_FDCWD)       /* too long to open: as given */
        slot = cleanup_add_at(kind, AT_FDCWD, dir);
    else
        slot = cleanup_add_at(kind, fd, slash ? slash + 1 : dir);
    if (fd >= 0)
        close(fd);
    free(dir);
    return slot;
}

int cleanup_add_child(pid_t pid)
{
    struct entry e = { .kind = CLEAN_CHILD, .pid = pid, .dirfd = -1 };

    return take_slot(&e);
}

int cleanup_add_map(const void *addr, size_t len, const char *path)
{
    struct entry e = { .kind = CLEAN_MAP, .dirfd = -1, .addr = addr,
                       .len = len };

    if (!(e.name = strdup(path)))
        return -1;
    return take_slot(&e);
}

static pid_t fork_registered(int *slot, bool is_group)
{
    struct entry e = { .kind = is_group ? CLEAN_GROUP : CLEAN_CHILD,
                       .dirfd = -1 };
    sigset_t old;
    pid_t pid;
    int err;

    cleanup_init();
    cleanup_hold(&old);
    pid = fork();
    err = errno;
    /* both sides set the group: whichever runs first, it is set before
     * the child execs and before the parent can signal it */
    if (is_group && pid >= 0)
        setpgid(pid, pid);      /* in the child: setpgid(0, 0) */
    e.pid = pid;
    *slot = pid > 0 ? take_slot(&e) : -1;
    cleanup_release(&old);      /* a signal held off now finds the child */
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

static struct slot *slot_at(int id)
{
    struct block *b = &first;

    for (; b && id >= BLOCK_SLOTS; id -= BLOCK_SLOTS)
        b = atomic_load(&b->next);
    return b && id >= 0 ? &b->s[id] : NULL;
}

/* The state goes FREE before the name is freed: a handler that parked
 * this thread in between skips the slot. */
void cleanup_forget(int id)
{
    struct slot *s = id >= 0 && owner == getpid() ? slot_at(id) : NULL;
    struct entry e;

    if (!s)
        return;
    pthread_mutex_lock(&lock);
    e = s->e;
    if (atomic_exchange(&s->state, SLOT_FREE) != SLOT_USED)
        e.name = NULL, e.dirfd = -1;
    pthread_mutex_unlock(&lock);
    if (e.dirfd >= 0)
        close(e.dirfd);
    free(e.name);
}

void cleanup_remove(int id)
{
    struct slot *s = id >= 0 && owner == getpid() ? slot_at(id) : NULL;

    if (s && atomic_load(&s->state) == SLOT_USED &&
        !is_child(&s->e) && s->e.kind != CLEAN_MAP)
        release(&s->e);
    cleanup_forget(id);
}
