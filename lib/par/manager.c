/* manager.c - the Manager server and its proxy (see manager.h).
 * The server is one process with one thread and a poll loop: requests
 * from all clients are served one at a time, so its counter needs no
 * lock. What to notice: every operation is a request and a reply over a
 * socket, which is the price `pardemo manager` measures.
 */
#define _GNU_SOURCE
#include "manager.h"
#include "private.h"
#include "cli.h"
#include "hash.h"
#include "ipc.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUCKETS 256

/* ---- the server's dictionary ---------------------------------------- */

struct entry {
    char *key, *val;
    size_t len, items;              /* bytes, and appended items */
    struct entry *next;
};

struct dict {
    struct entry *bucket[BUCKETS];
};

static unsigned hash(const char *s)
{
    return (unsigned)(hash_bytes(s, strlen(s)) % BUCKETS);
}

/* The entry for key, made empty when missing and is_create; NULL when
 * missing (or out of memory). */
static struct entry *dict_find(struct dict *d, const char *key,
                               bool is_create)
{
    struct entry **at = &d->bucket[hash(key)], *e;

    for (e = *at; e; e = e->next)
        if (!strcmp(e->key, key))
            return e;
    if (!is_create || !(e = calloc(1, sizeof(*e))))
        return NULL;
    if (!(e->key = strdup(key)) || !(e->val = strdup(""))) {
        free(e->key);
        free(e);
        return NULL;
    }
    e->next = *at;
    *at = e;
    return e;
}

static void dict_free(struct dict *d)
{
    for (int i = 0; i < BUCKETS; i++) {
        while (d->bucket[i]) {
            struct entry *e = d->bucket[i];
            d->bucket[i] = e->next;
            free(e->key);
            free(e->val);
            free(e);
        }
    }
}

/* set (replace) or append (list-like: "a,b" + "c" -> "a,b,c") */
static int entry_put(struct entry *e, const char *v, bool is_append)
{
    size_t n = strlen(v), old = is_append ? e->len : 0;
    size_t sep = is_append && old > 0;
    char *grown;

    if (old + sep + n >= MGR_VALUE_BYTES)
        return -1;
    if (!(grown = realloc(e->val, old + sep + n + 1)))
        return -1;
    e->val = grown;
    if (sep)
        e->val[old] = ',';
    memcpy(e->val + old + sep, v, n + 1);
    e->len = old + sep + n;
    e->items = is_append ? e->items + 1 : 1;
    return 0;
}

/* ---- the server ----------------------------------------------------- */

struct conn {
    int fd;
    bool is_authed;                 /* sent the key first */
    size_t have;
    char in[MGR_LINE_BYTES];
};

struct server {
    int listen_fd;
    struct conn *conn;              /* MGR_MAX_CLIENTS + 1 of them */
    int nconn;
    char *reply;                    /* MGR_VALUE_BYTES + 64 */
    struct dict dict;
    long long counter;
    bool is_stopping;
    const char *key;                /* the authkey, in hex */
};

/* Compares in a time that does not depend on where they differ: a client
 * timing our answers learns nothing about the key. */
static bool same_key(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char diff = na != nb;

    for (size_t i = 0; i < na && i < nb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* The first line of a connection must be "auth KEY". */
static int check_auth(struct server *s, struct conn *c, const char *line)
{
    if (strncmp(line, "auth ", 5) || !same_key(line + 5, s->key))
        return -1;
    c->is_authed = true;
    return 0;
}

/* Applies one request line; writes the reply line (without '\n'). The
 * requests: "get KEY", "set KEY VALUE", "append KEY VALUE", "incr N",
 * "stop". */
static void apply(struct server *s, char *line, char *out, size_t len)
{
    char *rest, *op = strtok_r(line, " ", &rest);
    char *arg = op ? strtok_r(NULL, " ", &rest) : NULL;
    struct entry *e;

    if (!op) {
        snprintf(out, len, "err empty request");
    } else if (!strcmp(op, "incr") && arg) {
        s->counter += strtoll(arg, NULL, 10);
        snprintf(out, len, "ok %lld", s->counter);
    } else if (!strcmp(op, "get") && arg) {
        e = dict_find(&s->dict, arg, false);
        snprintf(out, len, e ? "ok %s" : "missing", e ? e->val : "");
    } else if ((!strcmp(op, "set") || !strcmp(op, "append")) && arg) {
        e = dict_find(&s->dict, arg, true);
        if (!e || entry_put(e, rest ? rest : "", op[0] == 'a') < 0)
            snprintf(out, len, "err value too long or out of memory");
        else
            snprintf(out, len, "ok %zu", e->items);
    } else if (!strcmp(op, "stop")) {
        s->is_stopping = true;
        snprintf(out, len, "ok");
    } else {
        snprintf(out, len, "err unknown request '%s'", op);
    }
}

/* Serves every complete line in c's buffer. Returns -1 to drop c. */
static int serve_lines(struct server *s, struct conn *c)
{
    struct ipc_counts none = { 0, 0 };
    size_t used = 0;
    int rc = 0;
    char *nl;

    while ((nl = memchr(c->in + used, '\n', c->have - used))) {
        size_t n;
        *nl = '\0';
        if (!c->is_authed) {
            if (check_auth(s, c, c->in + used) < 0)
                return -1;      /* not one of ours: not a word more */
            snprintf(s->reply, MGR_VALUE_BYTES + 62, "ok");
        } else {
            apply(s, c->in + used, s->reply, MGR_VALUE_BYTES + 62);
        }
        n = strlen(s->reply);
        s->reply[n++] = '\n';
        if (ipc_write_all(c->fd, s->reply, n, &none) < 0)
            rc = -1;
        used = (size_t)(nl - c->in) + 1;
    }
    memmove(c->in, c->in + used, c->have - used);
    c->have -= used;
    return c->have == sizeof(c->in) ? -1 : rc;  /* a line too long: drop */
}

static void drop(struct server *s, int i)
{
    close(s->conn[i].fd);
    s->conn[i] = s->conn[--s->nconn];
}

static void accept_one(struct server *s)
{
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0)
        return;
    if (s->nconn == MGR_MAX_CLIENTS + 1) {
        close(fd);
        return;
    }
    s->conn[s->nconn].fd = fd;
    s->conn[s->nconn].is_authed = false;
    s->conn[s->nconn++].have = 0;
}

/* One thread, one request at a time: that is why the counter needs no
 * lock - the server is the lock. */
static int serve(struct server *s)
{
    struct pollfd pf[MGR_MAX_CLIENTS + 2];

    while (!s->is_stopping) {
        int n = s->nconn;
        pf[0] = (struct pollfd){ s->listen_fd, POLLIN, 0 };
        for (int i = 0; i < n; i++)
            pf[i + 1] = (struct pollfd){ s->conn[i].fd, POLLIN, 0 };
        if (poll(pf, (nfds_t)n + 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = n - 1; i >= 0; i--) {      /* drop() moves the last */
            struct conn *c = &s->conn[i];
            ssize_t got;
            if (!(pf[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(c->fd, c->in + c->have, sizeof(c->in) - c->have);
            if (got > 0) {
                c->have += (size_t)got;
                if (serve_lines(s, c) == 0)
                    continue;
            }
            drop(s, i);                 /* closed, failed or misbehaved */
        }
        if (pf[0].revents & POLLIN)
            accept_one(s);
    }
    return 0;
}

static int server_main(int listen_fd, const char *key)
{
    struct server s = { .listen_fd = listen_fd, .key = key };
    int rc;

    s.conn = calloc(MGR_MAX_CLIENTS + 1, sizeof(*s.conn));
    s.reply = malloc(MGR_VALUE_BYTES + 64);
    rc = s.conn && s.reply ? serve(&s) : -1;
    while (s.nconn)
        drop(&s, 0);
    dict_free(&s.dict);
    free(s.conn);
    free(s.reply);
    return rc < 0 ? 1 : 0;
}

/* ---- the proxy: what a client holds --------------------------------- */

int mgr_proxy_open(struct mgr_proxy *px, const struct ipc_addr *a,
                   const char *key)
{
    px->have = 0;
    px->fd = ipc_connect(a);
    if (px->fd < 0)
        return -1;
    if (!mgr_proxy_call(px, "auth %s", key)) {
        int e = errno == EPIPE ? EACCES : errno;
        close(px->fd);
        px->fd = -1;
        errno = e;
        return -1;
    }
    return 0;
}

void mgr_proxy_close(struct mgr_proxy *px)
{
    if (px->fd >= 0)
        close(px->fd);
    px->fd = -1;
}

/* Sends one request line, waits for its reply line: one round trip.
 * Returns the reply (without "ok "), or NULL with errno (EPROTO: the
 * server said no). */
const char *mgr_proxy_call(struct mgr_proxy *px, const char *fmt, ...)
{
    struct ipc_counts none = { 0, 0 };
    char req[MGR_LINE_BYTES];
    va_list ap;
    char *nl;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(req, sizeof(req) - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= (int)sizeof(req) - 1) {
        errno = EMSGSIZE;
        return NULL;
    }
    req[n++] = '\n';
    if (ipc_write_all(px->fd, req, (size_t)n, &none) < 0)
        return NULL;
    px->have = 0;
    while (!(nl = memchr(px->reply, '\n', px->have))) {
        ssize_t got = read(px->fd, px->reply + px->have,
                           sizeof(px->reply) - 1 - px->have);
        if (got <= 0) {
            errno = got == 0 || px->have == sizeof(px->reply) - 1 ? EPIPE
                                                                  : errno;
            return NULL;
        }
        px->have += (size_t)got;
    }
    *nl = '\0';
    if (!strcmp(px->reply, "missing")) {
        errno = ENOENT;
        return NULL;
    }
    if (strncmp(px->reply, "ok", 2) || (px->reply[2] && px->reply[2] != ' ')) {
        errno = EPROTO;
        return NULL;
    }
    return px->reply + 2 + (px->reply[2] == ' ');
}

/* The four operations, as a Python proxy's methods would be. */
int mgr_incr(struct mgr_proxy *px, long long by, long long *now)
{
    const char *r = mgr_proxy_call(px, "incr %lld", by);

    if (r && now)
        *now = strtoll(r, NULL, 10);
    return r ? 0 : -1;
}

int mgr_set(struct mgr_proxy *px, const char *key, const char *val)
{
    return mgr_proxy_call(px, "set %s %s", key, val) ? 0 : -1;
}

const char *mgr_get(struct mgr_proxy *px, const char *key)
{
    return mgr_proxy_call(px, "get %s", key);
}

int mgr_append(struct mgr_proxy *px, const char *key, const char *val,
               long long *items)
{
    const char *r = mgr_proxy_call(px, "append %s %s", key, val);

    if (r && items)
        *items = strtoll(r, NULL, 10);
    return r ? 0 : -1;
}

/* ---- the server's life ---------------------------------------------- */

/* Listens (errors are ours to report, before any process starts), then
 * forks the server. Returns 0, or -1 with one line in err. */
int mgr_start(struct mgr *m, char *err, size_t len)
{
    for (int i = 0; i < MGR_KEY_CHARS / 16; i++)
        snprintf(m->key + 16 * i, sizeof(m->key) - 16 * (size_t)i,
                 "%016llx", (unsigned long long)priv_rand64());
    m->listen_fd = ipc_listen(&m->addr, &m->listen_slot, err, len);
    if (m->listen_fd < 0)
        return -1;
    m->pid = ipc_fork(&m->slot);
    if (m->pid == 0)
        _exit(server_main(m->listen_fd, m->key));
    if (m->pid < 0) {
        snprintf(err, len, "cannot start the manager process: %s",
                 cli_strerror(errno));
        ipc_unlisten(m->listen_fd, &m->addr, m->listen_slot);
        return -1;
    }
    return 0;
}

/* Asks the server to stop (px may be NULL: then it is killed). */
int mgr_stop(struct mgr *m, struct mgr_proxy *px)
{
    int rc = 0;

    if (px && mgr_proxy_call(px, "stop"))
        rc = ipc_reap(m->pid, m->slot) == 0 ? 0 : -1;
    else
        ipc_kill(m->pid, m->slot);
    ipc_unlisten(m->listen_fd, &m->addr, m->listen_slot);
    return rc;
}
