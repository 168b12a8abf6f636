/* manager.h - a Manager server process and the proxy a client holds.
 * Like Python's multiprocessing.Manager: one server process owns a dict
 * and a counter; a client calls it through a proxy, one round trip (a
 * request line, a reply line) over a Unix or TCP socket per operation.
 * The server serves one request at a time: it is the lock. Like Python's
 * authkey, the server makes a random key that its clients send first; a
 * connection that does not is dropped unanswered (another user on the
 * machine can reach a TCP port on 127.0.0.1).
 */
#ifndef MANAGER_H
#define MANAGER_H

#include <stddef.h>
#include <sys/types.h>

#include "ipc.h"

#define MGR_LINE_BYTES 4096         /* longest request line */
#define MGR_VALUE_BYTES 65536       /* longest value the server keeps */
#define MGR_MAX_CLIENTS 256

/* What a client holds: a connection and a buffer for the reply line. */
struct mgr_proxy {
    int fd;
    size_t have;
    char reply[MGR_VALUE_BYTES + 64];
};

#define MGR_KEY_CHARS 64            /* 256 random bits, in hex */

/* Connects to the server at a and proves we are one of the run's
 * processes with its key. Returns 0, or -1 with errno set (EACCES: the
 * server hung up on the key). */
int mgr_proxy_open(struct mgr_proxy *px, const struct ipc_addr *a,
                   const char *key);
void mgr_proxy_close(struct mgr_proxy *px);

/* Sends one request line ("get KEY", "set KEY VALUE", "append KEY
 * VALUE", "incr N", "stop"), waits for its reply line: one round trip.
 * Returns the reply (without "ok "), or NULL with errno (ENOENT: no such
 * key; EPROTO: the server said no). */
const char *mgr_proxy_call(struct mgr_proxy *px, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The four operations, as a Python proxy's methods would be: 0 or -1
 * (errno set); mgr_get returns the value or NULL. */
int mgr_incr(struct mgr_proxy *px, long long by, long long *now);
int mgr_set(struct mgr_proxy *px, const char *key, const char *val);
const char *mgr_get(struct mgr_proxy *px, const char *key);
int mgr_append(struct mgr_proxy *px, const char *key, const char *val,
               long long *items);

/* The server's life: where it listens, its process. */
struct mgr {
    struct ipc_addr addr;       /* set before mgr_start */
    int listen_fd, listen_slot, slot;
    pid_t pid;
    char key[MGR_KEY_CHARS + 1];    /* made by mgr_start */
};

/* Makes the key, listens on m->addr (errors are ours to report, before
 * any process starts), then forks the server. Returns 0, or -1 with one
 * line in err. */
int mgr_start(struct mgr *m, char *err, size_t len);

/* Asks the server to stop through px and reaps it (px NULL: kills it).
 * Returns 0, or -1 when it did not stop cleanly. */
int mgr_stop(struct mgr *m, struct mgr_proxy *px);

#endif
