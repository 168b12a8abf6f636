/* ipc.c - shared memory, message queues, pipes and sockets, made safe to
 * demonstrate: every name is registered with lib/cleanup the moment it
 * exists, every wait notices a dead peer, and when the kernel says no the
 * error line names the limit and how to raise it.
 */
#define _GNU_SOURCE
#include "ipc.h"
#include "cleanup.h"
#include "private.h"
#include "stats.h"
#include "hash.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPIN_MAX_SECS 50e-6     /* spin at most this long before sleeping */
#define SPIN_MIN_SECS 1e-6
#define PEER_CHECK_NS 100000000 /* a blocked parent looks at its child */

void ipc_init(void)
{
    cleanup_init();
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
}

const char *ipc_name(char *buf, size_t len, const char *what)
{
    return priv_ipc_name(buf, len, what);
}

/* ---- child processes ------------------------------------------------ */

pid_t ipc_fork(int *slot)
{
    pid_t parent = getpid(), pid;
    sigset_t old;

    fflush(NULL);               /* or the child would print our buffers */
    cleanup_hold(&old);   /* the child and its registration: one step */
    pid = fork();
    if (pid == 0) {
        /* if the parent is killed outright (SIGKILL), take us with it */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        *slot = -1;
    } else if (pid > 0) {
        *slot = cleanup_add_child(pid);
    }
    cleanup_release(&old);
    return pid;
}

int ipc_reap(pid_t pid, int slot)
{
    int status;

    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            cleanup_forget(slot);
            return -1;
        }
    }
    cleanup_forget(slot);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

void ipc_kill(pid_t pid, int slot)
{
    kill(pid, SIGKILL);
    ipc_reap(pid, slot);
}

bool ipc_is_alive(pid_t pid)
{
    siginfo_t si;

    memset(&si, 0, sizeof(si));
    /* WNOWAIT: look without reaping, the owner still calls ipc_reap */
    if (waitid(pid < 0 ? P_ALL : P_PID, pid < 0 ? 0 : (id_t)pid, &si,
               WEXITED | WNOHANG | WNOWAIT) < 0)
        return false;
    return si.si_pid == 0;
}

/* ---- shared memory -------------------------------------------------- */

static void shm_error(const struct ipc_shm *s, int e, int fd, char *err,
                      size_t len)
{
    struct statvfs vfs;
    struct rlimit rl;
    double need_mib = (double)s->bytes / (1 << 20);

    if (e == ENOSPC && fd >= 0 && fstatvfs(fd, &vfs) == 0)
        snprintf(err, len, "shared memory /dev/shm%s needs %.1f MiB but "
                 "/dev/shm has %.1f MiB free: free some, or make it bigger "
                 "(mount -o remount,size=2G /dev/shm)", s->name, need_mib,
                 (double)vfs.f_bavail * (double)vfs.f_frsize / (1 << 20));
    else if (e == EACCES)
        snprintf(err, len, "cannot create shared memory /dev/shm%s: %s "
                 "(/dev/shm must be writable by you: chmod 1777 /dev/shm)",
                 s->name, strerror(e));
    else if ((e == EMFILE || e == ENFILE) && !getrlimit(RLIMIT_NOFILE, &rl))
        snprintf(err, len, "cannot create shared memory /dev/shm%s: %s "
                 "(the limit is %llu descriptors: raise it with ulimit -n)",
                 s->name, strerror(e), (unsigned long long)rl.rlim_cur);
    else if (e == EFBIG && !getrlimit(RLIMIT_FSIZE, &rl))
        snprintf(err, len, "shared memory /dev/shm%s needs %.1f MiB but the "
                 "file size limit is %llu bytes: raise it with ulimit -f "
                 "unlimited", s->name, need_mib,
                 (unsigned long long)rl.rlim_cur);
    else
        snprintf(err, len, "cannot create shared memory /dev/shm%s "
                 "(%.1f MiB): %s", s->name, need_mib, strerror(e));
}

int ipc_shm_create(struct ipc_shm *s, const char *what, size_t bytes,
                   char *err, size_t errlen)
{
    sigset_t old;
    int fd, e;

    memset(s, 0, sizeof(*s));
    ipc_name(s->name, sizeof(s->name), what);
    s->bytes = bytes;
    cleanup_hold(&old);
    fd = shm_open(s->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    s->slot = fd >= 0 ? cleanup_add(CLEAN_SHM, s->name) : -1;
    e = errno;
    cleanup_release(&old);
    if (fd < 0) {
        shm_error(s, e, -1, err, errlen);
        return -1;
    }
    /* reserve the pages now: ftruncate alone would promise memory that a
     * full /dev/shm cannot give, and the first touch would be a SIGBUS */
    if ((e = posix_fallocate(fd, 0, (off_t)bytes)) != 0)
        goto fail;
    s->addr = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (s->addr == MAP_FAILED) {
        e = errno;
        goto fail;
    }
    close(fd);
    return 0;
fail:
    shm_error(s, e, fd, err, errlen);
    close(fd);
    s->addr = NULL;
    ipc_shm_destroy(s);
    return -1;
}

void ipc_shm_destroy(struct ipc_shm *s)
{
    if (s->addr && s->addr != MAP_FAILED)
        munmap(s->addr, s->bytes);
    s->addr = NULL;
    if (s->name[0]) {
        shm_unlink(s->name);
        cleanup_forget(s->slot);
        s->name[0] = '\0';
    }
}

/* ---- futex-backed waiting and the ring ------------------------------ */

static long futex(_Atomic uint32_t *word, int op, uint32_t val,
                  const struct timespec *timeout)
{
    /* no FUTEX_PRIVATE_FLAG: the word is shared between processes */
    return syscall(SYS_futex, (uint32_t *)word, op, val, timeout, NULL, 0);
}

static bool spin_until_change(_Atomic uint32_t *word, uint32_t seen,
                              double secs)
{
    double until = clk_now() + secs;
    unsigned i = 0;

    /* no PAUSE instruction in the loop: in a virtual machine a run of
     * PAUSEs can make the hypervisor take the CPU away (pause-loop
     * exiting), and the spin then costs more than a sleep would */
    while (atomic_load_explicit(word, memory_order_acquire) == seen)
        if ((++i & 255) == 0 && clk_now() > until)
            return false;
    return true;
}

int ipc_wait_change(_Atomic uint32_t *word, uint32_t seen,
                    _Atomic uint32_t *asleep, struct ipc_wait *w)
{
    struct timespec tick = { 0, PEER_CHECK_NS };

    /* Spinning on the only CPU would stop the very process we wait for.
     * With more CPUs spin, but adaptively (like glibc's adaptive mutex):
     * a spin that had to give up halves the next one, since the peer is
     * probably not running right now; a spin that worked doubles it. */
    if (w->may_spin) {
        double budget = w->spin_secs > 0 ? w->spin_secs : SPIN_MAX_SECS;
        bool is_seen = spin_until_change(word, seen, budget);
        budget = is_seen ? 2 * budget : budget / 2;
        w->spin_secs = budget > SPIN_MAX_SECS ? SPIN_MAX_SECS
                     : budget < SPIN_MIN_SECS ? SPIN_MIN_SECS : budget;
        if (is_seen)
            return 0;
    }
    /* say "asleep", then look once more: the waker stores the word first
     * and takes the flag second, so one of us sees the other (seq_cst) */
    for (;;) {
        atomic_store(asleep, 1);
        if (atomic_load(word) != seen)
            return 0;
        w->counts->syscalls++;
        if (futex(word, FUTEX_WAIT, seen, &tick) < 0 && errno == ETIMEDOUT &&
            w->peer && !ipc_is_alive(w->peer)) {
            errno = EPIPE;
            return -1;
        }
    }
}

uint32_t ipc_bump(_Atomic uint32_t *word, _Atomic uint32_t *asleep,
                  struct ipc_counts *c)
{
    uint32_t v = atomic_fetch_add(word, 1) + 1;

    /* wake only if someone said it sleeps, and only once: the next bumps
     * find the flag down until a waiter raises it again */
    if (atomic_exchange(asleep, 0)) {
        c->syscalls++;
        futex(word, FUTEX_WAKE, INT_MAX, NULL);
    }
    return v;
}

void ipc_ring_init(struct ipc_ring *r)
{
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    atomic_init(&r->head_asleep, 0);
    atomic_init(&r->tail_asleep, 0);
}

int ipc_ring_send(struct ipc_ring *r, const void *p, size_t n,
                  struct ipc_wait *w)
{
    const unsigned char *c = p;
    uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

    do {
        uint32_t tail, i = head % IPC_RING_SLOTS;
        size_t k = n < IPC_SLOT_BYTES ? n : IPC_SLOT_BYTES;

        /* unsigned subtraction stays right when the counters wrap */
        while (head - (tail = atomic_load_explicit(&r->tail,
                       memory_order_acquire)) == IPC_RING_SLOTS)
            if (ipc_wait_change(&r->tail, tail, &r->tail_asleep, w) < 0)
                return -1;
        memcpy(r->slot[i], c, k);       /* the only copy of the bytes */
        w->counts->copied_bytes += k;
        r->len[i] = (uint32_t)k;
        /* publish every slot, so a spinning receiver starts at once, but
         * wake a sleeping one only at the message's end or when the ring
         * is half full: one wake-up per batch, not one per slot */
        if (k == n || head + 1 - tail >= IPC_RING_SLOTS / 2)
            head = ipc_bump(&r->head, &r->head_asleep, w->counts);
        else
            head = atomic_fetch_add(&r->head, 1) + 1;
        c += k;
        n -= k;
    } while (n > 0);
    return 0;
}

int ipc_ring_recv(struct ipc_ring *r, size_t n, ipc_sink_fn *fn, void *ctx,
                  struct ipc_wait *w)
{
    uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

    do {
        uint32_t head, i = tail % IPC_RING_SLOTS, k;

        while ((head = atomic_load_explicit(&r->head,
                                            memory_order_acquire)) == tail)
            if (ipc_wait_change(&r->head, head, &r->head_asleep, w) < 0)
                return -1;
        k = r->len[i];
        if (k > n || k > IPC_SLOT_BYTES || (k == 0 && n > 0)) {
            errno = EPROTO;     /* not the message we were told to expect */
            return -1;
        }
        fn(ctx, r->slot[i], k);         /* read in place: no copy */
        /* the same batching for a sender asleep on a full ring */
        if (k == n || head - (tail + 1) <= IPC_RING_SLOTS / 2)
            tail = ipc_bump(&r->tail, &r->tail_asleep, w->counts);
        else
            tail = atomic_fetch_add(&r->tail, 1) + 1;
        n -= k;
    } while (n > 0);
    return 0;
}

/* ---- POSIX message queues ------------------------------------------- */

long ipc_mq_limit(const char *file, long dflt)
{
    char path[128];
    long v = dflt;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", file);
    if ((f = fopen(path, "r"))) {
        if (fscanf(f, "%ld", &v) != 1 || v <= 0)
            v = dflt;
        fclose(f);
    }
    return v;
}

static void mq_error(const char *name, int e, long msgsize, long maxmsg,
                     char *err, size_t len)
{
    struct rlimit rl;
    int n = snprintf(err, len, "cannot create message queue %s (%ld x %ld "
                     "bytes): %s", name, maxmsg, msgsize, strerror(e));
    size_t at = n > 0 && (size_t)n < len ? (size_t)n : len - 1;

    if (e == EMFILE && !getrlimit(RLIMIT_MSGQUEUE, &rl))
        snprintf(err + at, len - at, " (RLIMIT_MSGQUEUE is %llu bytes per "
                 "user: raise it with ulimit -q; or ulimit -n is reached)",
                 (unsigned long long)rl.rlim_cur);
    else if (e == ENOSPC)
        snprintf(err + at, len - at, " (fs.mqueue.queues_max is %ld: raise "
                 "it with sysctl -w fs.mqueue.queues_max=1024)",
                 ipc_mq_limit("queues_max", 256));
    else if (e == EINVAL)
        snprintf(err + at, len - at, " (fs.mqueue.msgsize_max is %ld and "
                 "msg_max %ld: raise them with sysctl -w "
                 "fs.mqueue.msgsize_max=...)",
                 ipc_mq_limit("msgsize_max", 8192),
                 ipc_mq_limit("msg_max", 10));
    else if (e == ENOSYS)
        snprintf(err + at, len - at, " (this kernel was built without POSIX "
                 "message queues, CONFIG_POSIX_MQUEUE)");
    else if (e == EACCES)
        snprintf(err + at, len - at, " (the name belongs to another user, or "
                 "/dev/mqueue is not writable)");
}

int ipc_mq_create(struct ipc_mq *m, const char *what, long msgsize,
                  long maxmsg, char *err, size_t errlen)
{
    struct mq_attr attr = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
    sigset_t old;
    int e;

    memset(m, 0, sizeof(*m));
    ipc_name(m->name, sizeof(m->name), what);
    m->msgsize = msgsize;
    if (!(m->buf = malloc((size_t)msgsize))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    cleanup_hold(&old);
    m->q = mq_open(m->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600,
                   &attr);
    m->slot = m->q != (mqd_t)-1 ? cleanup_add(CLEAN_MQ, m->name) : -1;
    e = errno;
    cleanup_release(&old);
    if (m->q == (mqd_t)-1) {
        mq_error(m->name, e, msgsize, maxmsg, err, errlen);
        free(m->buf);
        m->buf = NULL;
        m->name[0] = '\0';
        return -1;
    }
    return 0;
}

void ipc_mq_destroy(struct ipc_mq *m)
{
    if (!m->name[0])
        return;
    mq_close(m->q);
    mq_unlink(m->name);
    cleanup_forget(m->slot);
    free(m->buf);
    m->buf = NULL;
    m->name[0] = '\0';
}

static struct timespec deadline_in(long ns)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);  /* mq_timed* count on this clock */
    t.tv_nsec += ns;
    t.tv_sec += t.tv_nsec / 1000000000;
    t.tv_nsec %= 1000000000;
    return t;
}

/* After a failed mq call: go on (0) or give up (-1, errno set)? */
static int mq_retry(pid_t peer)
{
    if (errno == EINTR)
        return 0;
    if (errno == ETIMEDOUT) {
        if (ipc_is_alive(peer))
            return 0;
        errno = EPIPE;
    }
    return -1;
}

int ipc_mq_send(struct ipc_mq *m, const void *p, size_t n, pid_t peer,
                struct ipc_counts *c)
{
    const char *b = p;

    do {
        size_t k = n < (size_t)m->msgsize ? n : (size_t)m->msgsize;
        struct timespec t = deadline_in(PEER_CHECK_NS);
        int rc;

        c->syscalls++;
        rc = peer ? mq_timedsend(m->q, b, k, 0, &t) : mq_send(m->q, b, k, 0);
        if (rc < 0) {
            if (mq_retry(peer) < 0)
                return -1;
            continue;
        }
        c->copied_bytes += k;           /* into the kernel */
        b += k;
        n -= k;
    } while (n > 0);
    return 0;
}

int ipc_mq_recv(struct ipc_mq *m, size_t n, ipc_sink_fn *fn, void *ctx,
                pid_t peer, struct ipc_counts *c)
{
    do {
        struct timespec t = deadline_in(PEER_CHECK_NS);
        ssize_t k;

        c->syscalls++;
        k = peer ? mq_timedreceive(m->q, (char *)m->buf, (size_t)m->msgsize,
                                   NULL, &t)
                 : mq_receive(m->q, (char *)m->buf, (size_t)m->msgsize, NULL);
        if (k < 0) {
            if (mq_retry(peer) < 0)
                return -1;
            continue;
        }
        if ((size_t)k > n || (k == 0 && n > 0)) {
            errno = EPROTO;
            return -1;
        }
        c->copied_bytes += (uint64_t)k; /* out of the kernel into buf */
        fn(ctx, m->buf, (size_t)k);
        n -= (size_t)k;
    } while (n > 0);
    return 0;
}

/* ---- byte streams --------------------------------------------------- */

int ipc_write_all(int fd, const void *p, size_t n, struct ipc_counts *c)
{
    const char *b = p;

    while (n > 0) {
        ssize_t w = write(fd, b, n);
        c->syscalls++;
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        c->copied_bytes += (uint64_t)w; /* into the kernel */
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

int ipc_read_all(int fd, size_t n, void *buf, size_t buflen,
                 ipc_sink_fn *fn, void *ctx, struct ipc_counts *c)
{
    while (n > 0) {
        ssize_t r = read(fd, buf, n < buflen ? n : buflen);
        c->syscalls++;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0) {
            errno = EPIPE;      /* the writer is gone mid-message */
            return -1;
        }
        c->copied_bytes += (uint64_t)r; /* out of the kernel into buf */
        if (fn)
            fn(ctx, buf, (size_t)r);
        n -= (size_t)r;
    }
    return 0;
}

/* ---- socket addresses ----------------------------------------------- */

static int parse_port(const char *s, int *port)
{
    long v = 0;

    if (!*s || strlen(s) > 5)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    *port = (int)v;
    return v <= 65535 ? 0 : -1;
}

static int parse_tcp(const char *hp, struct ipc_addr *a, char *why,
                     size_t len)
{
    const char *colon = strrchr(hp, ':');
    char host[64];
    int port;

    if (!colon || colon == hp || (size_t)(colon - hp) >= sizeof(host)) {
        snprintf(why, len, "a tcp address is tcp:HOST:PORT");
        return -1;
    }
    memcpy(host, hp, (size_t)(colon - hp));
    host[colon - hp] = '\0';
    if (parse_port(colon + 1, &port) < 0) {
        snprintf(why, len, "PORT must be 0..65535 (0: any free port)");
        return -1;
    }
    a->in.sin_family = AF_INET;
    a->in.sin_port = htons((uint16_t)port);
    if (!strcmp(host, "localhost"))
        snprintf(host, sizeof(host), "127.0.0.1");
    /* this demo only ever talks to this machine: loopback, 127.0.0.0/8 */
    if (inet_pton(AF_INET, host, &a->in.sin_addr) != 1 ||
        (ntohl(a->in.sin_addr.s_addr) >> 24) != 127) {
        snprintf(why, len, "HOST must be a loopback address (127.x.x.x or "
                 "localhost)");
        return -1;
    }
    a->is_tcp = true;
    snprintf(a->text, sizeof(a->text), "tcp:%s:%d", host, port);
    return 0;
}

int ipc_addr_parse(const char *s, struct ipc_addr *a, char *why,
                   size_t whylen)
{
    memset(a, 0, sizeof(*a));
    if (!strncmp(s, "tcp:", 4))
        return parse_tcp(s + 4, a, why, whylen);
    if (strncmp(s, "unix:", 5)) {
        snprintf(why, whylen, "must be unix:PATH or tcp:127.0.0.1:PORT");
        return -1;
    }
    if (!s[5] || strlen(s + 5) >= sizeof(a->path)) {
        snprintf(why, whylen, "PATH must be 1..%zu bytes",
                 sizeof(a->path) - 1);
        return -1;
    }
    snprintf(a->path, sizeof(a->path), "%s", s + 5);
    snprintf(a->text, sizeof(a->text), "unix:%s", a->path);
    return 0;
}

void ipc_addr_private(struct ipc_addr *a, const char *name)
{
    memset(a, 0, sizeof(*a));
    a->private_name = name;
    snprintf(a->text, sizeof(a->text), "unix:(a private directory)");
}

/* The private directory and the socket path in it; its slot (a tree)
 * stands for the socket file too. */
static int private_path(struct ipc_addr *a, int *slot, char *err,
                        size_t errlen)
{
    size_t room = strlen(a->private_name) + 7;     /* "/NAME.sock" */
    char *dir = priv_dir(sizeof(a->path), room, slot);

    if (!dir) {
        snprintf(err, errlen, "cannot make a private directory for a "
                 "socket: %s", strerror(errno));
        return -1;
    }
    snprintf(a->path, sizeof(a->path), "%s/%s.sock", dir, a->private_name);
    snprintf(a->text, sizeof(a->text), "unix:%s", a->path);
    free(dir);
    return 0;
}

static socklen_t sockaddr_of(const struct ipc_addr *a,
                             struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (a->is_tcp) {
        memcpy(ss, &a->in, sizeof(a->in));
        return sizeof(a->in);
    }
    struct sockaddr_un *un = (struct sockaddr_un *)ss;
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, a->path, strlen(a->path) + 1);
    return sizeof(*un);
}

static void listen_error(const struct ipc_addr *a, int e, char *err,
                         size_t len)
{
    const char *hint = "";

    if (e == EADDRINUSE)
        hint = a->is_tcp ? " (the port is taken: choose another PORT, or 0 "
                           "for any free one)"
                         : " (the file exists: remove it or choose another "
                           "PATH)";
    else if (e == EACCES)
        hint = a->is_tcp ? " (ports below 1024 need root: use one above "
                           "1023, or 0)"
                         : " (the directory is not writable by you)";
    snprintf(err, len, "cannot listen on %s: %s%s", a->text, strerror(e),
             hint);
}

int ipc_listen(struct ipc_addr *a, int *slot, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fd, one = 1, e = 0;
    sigset_t old;

    *slot = -1;
    if (a->private_name && private_path(a, slot, err, errlen) < 0)
        return -1;
    sl = sockaddr_of(a, &ss);
    fd = socket(a->is_tcp ? AF_INET : AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        listen_error(a, errno, err, errlen);
        ipc_unlisten(-1, a, *slot);
        *slot = -1;
        return -1;
    }
    if (a->is_tcp)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    cleanup_hold(&old);
    /* a socket file takes its mode from the umask: 0600, only we may
     * connect */
    mode_t mask = a->is_tcp ? 0 : umask(0177);
    if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
        e = errno;
    if (!a->is_tcp)
        umask(mask);
    if (!e && !a->is_tcp && !a->private_name)   /* ours once bind made it */
        *slot = cleanup_add(CLEAN_FILE, a->path);
    cleanup_release(&old);
    if (!e && listen(fd, 128) < 0)
        e = errno;
    if (e) {
        listen_error(a, e, err, errlen);
        ipc_unlisten(fd, a, *slot);
        *slot = -1;
        return -1;
    }
    if (a->is_tcp && getsockname(fd, (struct sockaddr *)&a->in, &sl) == 0)
        snprintf(a->text, sizeof(a->text), "tcp:%s:%d",
                 inet_ntoa(a->in.sin_addr), ntohs(a->in.sin_port));
    return fd;
}

int ipc_connect(const struct ipc_addr *a)
{
    struct sockaddr_storage ss;
    socklen_t sl = sockaddr_of(a, &ss);
    int fd, one = 1;

    fd = socket(a->is_tcp ? AF_INET : AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (a->is_tcp)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

void ipc_unlisten(int fd, const struct ipc_addr *a, int slot)
{
    if (fd >= 0)
        close(fd);
    if (slot >= 0 && !a->is_tcp)
        cleanup_remove(slot);       /* while it is still our socket */
}

/* ---- message contents and checksums --------------------------------- */

void ipc_fill(void *p, size_t n, uint64_t seed)
{
    unsigned char *b = p;
    uint64_t x = seed;

    for (size_t i = 0; i < n; i += 8) {
        uint64_t z = hash_rand64(&x);   /* fast, and its bytes all differ */
        memcpy(b + i, &z, n - i < 8 ? n - i : 8);
    }
}

void ipc_stamp(void *p, size_t n, uint64_t index)
{
    memcpy(p, &index, n < 8 ? n : 8);
}

void ipc_sum_init(struct ipc_sum *s)
{
    memset(s, 0, sizeof(*s));
}

/* Word number k of the stream goes to lane k % 4: four independent sums
 * that the CPU can add at once, where one would wait for the last add. */
static inline void sum_word(struct ipc_sum *s, uint64_t w)
{
    unsigned l = (unsigned)(s->nwords++ & 3);

    s->a[l] += w;
    s->b[l] += s->a[l];         /* b weighs each word by its position */
}

/* Whole groups of four words, with the sums in local variables: through
 * s the compiler would store them after every add (c might point into s). */
static void sum_bulk(struct ipc_sum *s, const unsigned char **cp, size_t *np)
{
    uint64_t a0 = s->a[0], a1 = s->a[1], a2 = s->a[2], a3 = s->a[3];
    uint64_t b0 = s->b[0], b1 = s->b[1], b2 = s->b[2], b3 = s->b[3];
    const unsigned char *c = *cp;
    size_t n = *np, groups = n / 32;
    uint64_t w[4];

    for (size_t g = 0; g < groups; g++, c += 32) {
        memcpy(w, c, 32);
        a0 += w[0], b0 += a0;
        a1 += w[1], b1 += a1;
        a2 += w[2], b2 += a2;
        a3 += w[3], b3 += a3;
    }
    s->a[0] = a0, s->a[1] = a1, s->a[2] = a2, s->a[3] = a3;
    s->b[0] = b0, s->b[1] = b1, s->b[2] = b2, s->b[3] = b3;
    s->nwords += 4 * groups;
    *cp = c;
    *np = n - 32 * groups;
}

void ipc_sum_add(struct ipc_sum *s, const void *p, size_t n)
{
    const unsigned char *c = p;
    uint64_t w[4];

    s->nbytes += n;
    while (n > 0 && s->npend > 0) {     /* finish a word split by a piece */
        s->pend[s->npend++] = *c++;
        n--;
        if (s->npend == 8) {
            memcpy(w, s->pend, 8);
            sum_word(s, w[0]);
            s->npend = 0;
        }
    }
    if (s->npend > 0)
        return;
    for (; n >= 8 && (s->nwords & 3); c += 8, n -= 8) {
        memcpy(w, c, 8);
        sum_word(s, w[0]);
    }
    if (n >= 32)
        sum_bulk(s, &c, &n);
    for (; n >= 8; c += 8, n -= 8) {
        memcpy(w, c, 8);
        sum_word(s, w[0]);
    }
    memcpy(s->pend, c, n);
    s->npend = (unsigned)n;
}

uint64_t ipc_sum_final(const struct ipc_sum *s)
{
    struct ipc_sum t = *s;
    uint64_t w = 0, h = t.nbytes * 0x9E3779B97F4A7C15ULL;

    if (t.npend) {
        memcpy(&w, t.pend, t.npend);
        sum_word(&t, w);
    }
    for (int l = 0; l < 4; l++)
        h = (h ^ t.b[l] ^ (t.a[l] << 32 | t.a[l] >> 32)) * 0x100000001B3ULL;
    return h;
}

void ipc_sum_sink(void *ctx, const void *piece, size_t n)
{
    ipc_sum_add(ctx, piece, n);
}
