/* ipc.h - the transports `ipc` and `manager` share: run-unique names,
 * children that cannot outlive us, shared memory with a ring buffer and
 * futex-backed waiting, POSIX message queues, byte streams and sockets.
 * Each call counts the system calls it makes and the bytes it copies, so a
 * topic prints "syscalls per message" and "copies" that it measured.
 */
#ifndef IPC_H
#define IPC_H

#include <mqueue.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IPC_ERR_LEN 320         /* room for one error line */

/* What one process did to move its messages. */
struct ipc_counts {
    uint64_t syscalls;          /* read/write/mq_send/futex... calls made */
    uint64_t copied_bytes;      /* bytes copied from one buffer to
                                   another: by memcpy into the ring, or by
                                   the kernel in write, read, mq_send and
                                   mq_receive */
};

/* A receiver hands each piece of a message to a sink as it arrives. */
typedef void ipc_sink_fn(void *ctx, const void *piece, size_t n);

/* Ignores SIGPIPE and SIGXFSZ (so a dead peer or a size limit is an error
 * code, not a death that skips cleanup) and installs lib/cleanup. */
void ipc_init(void);

/* "/pardemo-PID-RANDOM-what": a valid shm and mq name, unique, that no
 * other user can guess and create first (lib/private). */
const char *ipc_name(char *buf, size_t len, const char *what);

/* ---- child processes ---------------------------------------------- */

/* fork() with the child registered in lib/cleanup before any signal can
 * land. In the child (returns 0) the parent's death kills it too. Returns
 * -1 with errno when fork fails. */
pid_t ipc_fork(int *slot);

/* Waits for the child and forgets it. Returns its exit status, 128+signal
 * when a signal killed it, or -1 when waitpid fails. */
int ipc_reap(pid_t pid, int slot);

/* Kills the child (SIGKILL) and reaps it: the error path's shortcut. */
void ipc_kill(pid_t pid, int slot);

/* Is our child still running? pid -1: are all of them? (a zombie counts
 * as gone; nothing is reaped) */
bool ipc_is_alive(pid_t pid);

/* ---- shared memory -------------------------------------------------- */

struct ipc_shm {
    char name[64];
    void *addr;
    size_t bytes;
    int slot;
};

/* shm_open + reserve the pages (fallocate, so a full /dev/shm is an error
 * now and not a SIGBUS later) + mmap. Returns 0, or -1 with one line in
 * err naming the limit and how to raise it. Nothing is left on failure. */
int ipc_shm_create(struct ipc_shm *s, const char *what, size_t bytes,
                   char *err, size_t errlen);

/* Unmaps and unlinks (idempotent). */
void ipc_shm_destroy(struct ipc_shm *s);

/* ---- the shared-memory ring buffer ---------------------------------- */

#define IPC_SLOT_BYTES 16384
#define IPC_RING_SLOTS 64

/* One direction. head and tail count slots ever written and read; each
 * sits on its own cache line so producer and consumer do not fight over
 * one line. A *_asleep flag says someone may sleep in futex on that word,
 * so a waker makes the wake system call only when it is needed. */
struct ipc_ring {
    _Atomic uint32_t head;
    char pad0[60];
    _Atomic uint32_t tail;
    char pad1[60];
    _Atomic uint32_t head_asleep, tail_asleep;
    char pad2[56];
    uint32_t len[IPC_RING_SLOTS];
    unsigned char slot[IPC_RING_SLOTS][IPC_SLOT_BYTES];
};

/* How a process waits: spin first only when it has another CPU to spin
 * on; peer (parent side; 0 for none, -1 for any) is the child whose death
 * ends a wait with EPIPE instead of a hang. spin_secs is the adaptive spin's
 * state (start it at 0). */
struct ipc_wait {
    bool may_spin;
    pid_t peer;
    struct ipc_counts *counts;
    double spin_secs;
};

void ipc_ring_init(struct ipc_ring *r);

/* Sends one message of n bytes (split into slots). Returns 0, or -1 with
 * errno (EPIPE: the peer died). */
int ipc_ring_send(struct ipc_ring *r, const void *p, size_t n,
                  struct ipc_wait *w);

/* Receives one message of n bytes, handing each slot to fn where it lies
 * in shared memory (no copy). Returns 0, or -1 with errno. */
int ipc_ring_recv(struct ipc_ring *r, size_t n, ipc_sink_fn *fn, void *ctx,
                  struct ipc_wait *w);

/* Sleeps until *word != seen (spinning first when allowed), raising the
 * *asleep flag before it sleeps. Returns 0, or -1 with errno EPIPE when
 * w->peer died. */
int ipc_wait_change(_Atomic uint32_t *word, uint32_t seen,
                    _Atomic uint32_t *asleep, struct ipc_wait *w);

/* Adds one to *word and, when the *asleep flag is up, takes it down and
 * wakes every sleeper (the only case that costs a system call). Returns
 * the new value. */
uint32_t ipc_bump(_Atomic uint32_t *word, _Atomic uint32_t *asleep,
                  struct ipc_counts *c);

/* ---- POSIX message queues ------------------------------------------- */

/* A limit from /proc/sys/fs/mqueue/FILE ("msgsize_max", "msg_max"), or
 * dflt when it cannot be read. */
long ipc_mq_limit(const char *file, long dflt);

struct ipc_mq {
    char name[64];
    mqd_t q;
    long msgsize;               /* the largest message the queue takes */
    unsigned char *buf;         /* msgsize bytes to receive into */
    int slot;
};

/* Creates a queue for messages up to msgsize bytes, maxmsg deep. Returns
 * 0, or -1 with one line in err naming the limit and how to raise it. */
int ipc_mq_create(struct ipc_mq *m, const char *what, long msgsize,
                  long maxmsg, char *err, size_t errlen);
void ipc_mq_destroy(struct ipc_mq *m);

/* Sends n bytes as ceil(n / msgsize) queue messages. peer as in ipc_wait.
 * Returns 0, or -1 with errno. */
int ipc_mq_send(struct ipc_mq *m, const void *p, size_t n, pid_t peer,
                struct ipc_counts *c);

/* Receives n bytes sent by ipc_mq_send, each chunk handed to fn. */
int ipc_mq_recv(struct ipc_mq *m, size_t n, ipc_sink_fn *fn, void *ctx,
                pid_t peer, struct ipc_counts *c);

/* ---- byte streams: pipes and sockets -------------------------------- */

/* write() until all n bytes are gone. Returns 0, or -1 with errno. */
int ipc_write_all(int fd, const void *p, size_t n, struct ipc_counts *c);

/* read() exactly n bytes into buf (buflen at a time), handing each piece
 * to fn (may be NULL). End of file is -1 with errno EPIPE. */
int ipc_read_all(int fd, size_t n, void *buf, size_t buflen,
                 ipc_sink_fn *fn, void *ctx, struct ipc_counts *c);

/* ---- socket addresses: unix:PATH or tcp:127.0.0.1:PORT --------------- */

struct ipc_addr {
    bool is_tcp;
    const char *private_name;   /* unix: made in a private dir at listen */
    char path[108];             /* unix: the socket file */
    struct sockaddr_in in;      /* tcp: loopback address and port */
    char text[160];             /* "unix:/tmp/x.sock", "tcp:127.0.0.1:5000" */
};

/* Parses "unix:PATH" or "tcp:HOST:PORT" (HOST a loopback address or
 * localhost; PORT 0..65535, 0 = any free port). Returns 0, or -1 with a
 * short reason in why. */
int ipc_addr_parse(const char *s, struct ipc_addr *a, char *why,
                   size_t whylen);

/* A unix socket named NAME.sock in a directory only we may enter (made
 * by ipc_listen, lib/private): nobody can plant it or connect to it. */
void ipc_addr_private(struct ipc_addr *a, const char *name);

/* Binds and listens; fills in the port the kernel chose for port 0 (or
 * the private socket's path) and registers the unix socket file (or its
 * private directory) with lib/cleanup. A socket file gets mode 0600.
 * Returns the listening fd, or -1 with one line in err. */
int ipc_listen(struct ipc_addr *a, int *slot, char *err, size_t errlen);

/* Connects (TCP_NODELAY on TCP: a request must not wait for the next).
 * Returns the fd, or -1 with errno. */
int ipc_connect(const struct ipc_addr *a);

/* Closes the listening fd and removes its socket file (and private
 * directory). */
void ipc_unlisten(int fd, const struct ipc_addr *a, int slot);

/* ---- message contents and checksums --------------------------------- */

/* Fills p with n pseudo-random bytes from seed. */
void ipc_fill(void *p, size_t n, uint64_t seed);

/* Writes the message number into the first bytes (up to 8), so a lost,
 * repeated or reordered message changes the checksum. */
void ipc_stamp(void *p, size_t n, uint64_t index);

/* A Fletcher-style checksum over 64-bit words (in four interleaved lanes,
 * for speed) that gives the same value however the bytes are split into
 * pieces, and notices swapped words. */
struct ipc_sum {
    uint64_t a[4], b[4], nbytes, nwords;
    unsigned char pend[8];
    unsigned npend;
};

void ipc_sum_init(struct ipc_sum *s);
void ipc_sum_add(struct ipc_sum *s, const void *p, size_t n);
uint64_t ipc_sum_final(const struct ipc_sum *s);
ipc_sink_fn ipc_sum_sink;       /* ctx is a struct ipc_sum */

#endif
