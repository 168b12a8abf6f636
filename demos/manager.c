/* manager.c - a Manager server process vs shared memory.
 * Like Python's multiprocessing.Manager: one server process owns a dict
 * and a counter; clients call it through a proxy, one round trip (request
 * line, reply line) per operation. Race it against an atomic add and a
 * process-shared mutex in shared memory: the ratio is the proxy's price.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "ipc.h"
#include "demos.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINE_BYTES 4096             /* longest request line */
#define VALUE_BYTES 65536           /* longest value the server keeps */
#define BUCKETS 256
#define MAX_CLIENTS 256
#define SHM_FACTOR 300              /* shared-memory rows add 300x more */

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
    unsigned h = 2166136261u;       /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % BUCKETS;
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

    if (old + sep + n >= VALUE_BYTES)
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
    size_t have;
    char in[LINE_BYTES];
};

struct server {
    int listen_fd;
    struct conn *conn;              /* MAX_CLIENTS + 1 of them */
    int nconn;
    char *reply;                    /* VALUE_BYTES + 64 */
    struct dict dict;
    long long counter;
    bool is_stopping;
};

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
        apply(s, c->in + used, s->reply, VALUE_BYTES + 62);
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
    if (s->nconn == MAX_CLIENTS + 1) {
        close(fd);
        return;
    }
    s->conn[s->nconn].fd = fd;
    s->conn[s->nconn++].have = 0;
}

/* One thread, one request at a time: that is why the counter needs no
 * lock - the server is the lock. */
static int serve(struct server *s)
{
    struct pollfd pf[MAX_CLIENTS + 2];

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

static int server_main(int listen_fd)
{
    struct server s = { .listen_fd = listen_fd };
    int rc;

    s.conn = calloc(MAX_CLIENTS + 1, sizeof(*s.conn));
    s.reply = malloc(VALUE_BYTES + 64);
    rc = s.conn && s.reply ? serve(&s) : -1;
    while (s.nconn)
        drop(&s, 0);
    dict_free(&s.dict);
    free(s.conn);
    free(s.reply);
    return rc < 0 ? 1 : 0;
}

/* ---- the proxy: what a client holds --------------------------------- */

struct proxy {
    int fd;
    size_t have;
    char reply[VALUE_BYTES + 64];
};

static int proxy_open(struct proxy *px, const struct ipc_addr *a)
{
    px->have = 0;
    px->fd = ipc_connect(a);
    return px->fd < 0 ? -1 : 0;
}

static void proxy_close(struct proxy *px)
{
    if (px->fd >= 0)
        close(px->fd);
    px->fd = -1;
}

/* Sends one request line, waits for its reply line: one round trip.
 * Returns the reply (without "ok "), or NULL with errno (EPROTO: the
 * server said no). */
static const char *proxy_call(struct proxy *px, const char *fmt, ...)
{
    struct ipc_counts none = { 0, 0 };
    char req[LINE_BYTES];
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
static int mgr_incr(struct proxy *px, long long by, long long *now)
{
    const char *r = proxy_call(px, "incr %lld", by);

    if (r && now)
        *now = strtoll(r, NULL, 10);
    return r ? 0 : -1;
}

static int mgr_set(struct proxy *px, const char *key, const char *val)
{
    return proxy_call(px, "set %s %s", key, val) ? 0 : -1;
}

static const char *mgr_get(struct proxy *px, const char *key)
{
    return proxy_call(px, "get %s", key);
}

static int mgr_append(struct proxy *px, const char *key, const char *val,
                      long long *items)
{
    const char *r = proxy_call(px, "append %s %s", key, val);

    if (r && items)
        *items = strtoll(r, NULL, 10);
    return r ? 0 : -1;
}

/* ---- the server's life ---------------------------------------------- */

struct mgr {
    struct ipc_addr addr;
    int listen_fd, listen_slot, slot;
    pid_t pid;
};

/* Listens (errors are ours to report, before any process starts), then
 * forks the server. Returns 0, or -1 with one line in err. */
static int mgr_start(struct mgr *m, char *err, size_t len)
{
    m->listen_fd = ipc_listen(&m->addr, &m->listen_slot, err, len);
    if (m->listen_fd < 0)
        return -1;
    m->pid = ipc_fork(&m->slot);
    if (m->pid == 0)
        _exit(server_main(m->listen_fd));
    if (m->pid < 0) {
        snprintf(err, len, "cannot start the manager process: %s",
                 cli_strerror(errno));
        ipc_unlisten(m->listen_fd, &m->addr, m->listen_slot);
        return -1;
    }
    return 0;
}

/* Asks the server to stop (px may be NULL: then it is killed). */
static int mgr_stop(struct mgr *m, struct proxy *px)
{
    int rc = 0;

    if (px && proxy_call(px, "stop"))
        rc = ipc_reap(m->pid, m->slot) == 0 ? 0 : -1;
    else
        ipc_kill(m->pid, m->slot);
    ipc_unlisten(m->listen_fd, &m->addr, m->listen_slot);
    return rc;
}

/* ---- the race: N processes add to one counter ----------------------- */

enum method { BY_MANAGER, BY_ATOMIC, BY_MUTEX, METHODS };
static const char *const method_name[METHODS] = {
    "Manager proxy", "atomic fetch-add", "process-shared mutex" };

/* Lives in shared memory: what the shm rows race on, and the start gate
 * and the clocks every row uses. */
struct shared {
    _Atomic long long counter;          /* the atomic row's counter */
    char pad0[56];                      /* not on the mutex's cache line */
    pthread_mutex_t mutex;              /* the mutex row's lock... */
    long long guarded;                  /* ...and the counter it guards */
    char pad1[64];
    _Atomic uint32_t ready, ready_asleep; /* clients at the gate */
    _Atomic uint32_t go, go_asleep;   /* the start gate */
    double start[MAX_CLIENTS], done[MAX_CLIENTS];
};

struct race {
    enum method how;
    const struct ipc_addr *addr;        /* BY_MANAGER: where the server is */
    int clients;
    long long total;                    /* adds, shared out */
    double secs;
    long long final;
};

static void add_locked(struct shared *sh, long long n)
{
    for (long long k = 0; k < n; k++) {
        pthread_mutex_lock(&sh->mutex);
        sh->guarded++;
        pthread_mutex_unlock(&sh->mutex);
    }
}

static void add_atomic(struct shared *sh, long long n)
{
    /* relaxed: the count must be whole, no other memory depends on it */
    for (long long k = 0; k < n; k++)
        atomic_fetch_add_explicit(&sh->counter, 1, memory_order_relaxed);
}

/* One racing process: connect (not timed), wait at the gate, add. */
static int worker(struct shared *sh, const struct race *rc, int i,
                  long long n)
{
    struct ipc_counts counts = { 0, 0 };
    struct ipc_wait w = { false, 0, &counts, 0 };
    struct proxy *px = NULL;
    int err = 0;

    if (rc->how == BY_MANAGER &&
        (!(px = malloc(sizeof(*px))) || proxy_open(px, rc->addr) < 0))
        err = errno ? errno : ENOMEM;
    ipc_bump(&sh->ready, &sh->ready_asleep, &counts);
    if (!err && ipc_wait_change(&sh->go, 0, &sh->go_asleep, &w) < 0)
        err = errno;
    sh->start[i] = clk_now();
    if (!err && rc->how == BY_MANAGER)
        for (long long k = 0; k < n && !err; k++)
            err = mgr_incr(px, 1, NULL) < 0 ? errno : 0;
    else if (!err && rc->how == BY_ATOMIC)
        add_atomic(sh, n);
    else if (!err)
        add_locked(sh, n);
    sh->done[i] = clk_now();
    if (px)
        proxy_close(px);
    free(px);
    return err > 0 && err < 126 ? err : err ? 1 : 0;
}

/* Runs the clients to the end; seconds = first start to last finish. */
static int race_clients(struct race *rc, struct shared *sh, char *err,
                        size_t len)
{
    pid_t pid[MAX_CLIENTS];
    int slot[MAX_CLIENTS], n, failed = 0, fork_errno = 0;
    struct ipc_counts c = { 0, 0 };
    struct ipc_wait w = { false, -1, &c, 0 };   /* -1: any client dies */
    double first = 0, last = 0;
    uint32_t ready;

    atomic_store(&sh->ready, 0);
    atomic_store(&sh->go, 0);
    for (n = 0; n < rc->clients; n++) {
        long long share = rc->total / rc->clients +
                          (n < rc->total % rc->clients);
        if ((pid[n] = ipc_fork(&slot[n])) < 0) {
            fork_errno = errno;
            break;
        }
        if (pid[n] == 0)
            _exit(worker(sh, rc, n, share));
    }
    /* start together, so that they really race */
    while ((ready = atomic_load(&sh->ready)) < (uint32_t)n)
        if (ipc_wait_change(&sh->ready, ready, &sh->ready_asleep, &w) < 0)
            break;                      /* one died: reaped below */
    ipc_bump(&sh->go, &sh->go_asleep, &c);
    for (int i = 0; i < n; i++) {
        int st = ipc_reap(pid[i], slot[i]);
        failed = st ? st : failed;
        first = i == 0 || sh->start[i] < first ? sh->start[i] : first;
        last = sh->done[i] > last ? sh->done[i] : last;
    }
    if (n < rc->clients || failed) {
        snprintf(err, len, "%s: %s: %s", method_name[rc->how],
                 n < rc->clients ? "cannot start a client process"
                                 : "a client process failed",
                 n < rc->clients ? cli_strerror(fork_errno) : failed < 126 ?
                 cli_strerror(failed) : "killed by a signal");
        return -1;
    }
    rc->secs = last - first;
    return 0;
}

/* ---- the topic ------------------------------------------------------ */

struct mgr_opts {
    const char *addr;               /* NULL: a unix socket and TCP */
};

struct outcome {                    /* one row of the race table */
    struct race race;
    const char *label;              /* "Manager/unix", "shm atomic" */
    char where[200];                /* "unix:/tmp/x.sock", "/dev/shm/..." */
    long long expected;
    bool is_tcp;
};

struct mrun {
    struct outcome row[4];
    int nrows;
    double op_secs[4];              /* per call: set, get, append, incr */
    long long op_calls, log_items;
    bool is_get_ok;
    struct ipc_shm shm;
};

static const char *const op_name[4] = { "set", "get", "append", "incr" };

static const struct cli_opt mgr_opt_table[] = {
    { "addr", 0, CLI_STR, "ADDR", "where the manager listens: unix:PATH or "
      "tcp:127.0.0.1:PORT (0: any free port; default: both, on a socket "
      "file in /tmp and a free TCP port)", 0, 0, NULL,
      offsetof(struct mgr_opts, addr) },
    { 0 },
};

static const struct cli_spec mgr_spec = {
    .common = CLI_THREADS | CLI_SIZE_OPT | CLI_SEED | CLI_FORMAT |
              CLI_QUIET | CLI_QUICK,
    .size_help = "adds per client through the Manager (the shared-memory "
                 "rows do 300x as many)",
    .size_min = 1, .size_max = 100000000,
    .opts = mgr_opt_table,
    .examples = "pardemo manager\npardemo manager -t 4 -n 5000\n"
                "pardemo manager --addr tcp:127.0.0.1:0\n"
                "pardemo manager --addr unix:/tmp/mgr.sock --format csv",
};

/* The value the op benchmark last set for key j of n sets. */
static long long last_set(long long j, long long n)
{
    return j + 100 * ((n - 1 - j) / 100);
}

/* Times n calls of each operation through one proxy; checks every get. */
static int time_ops(struct proxy *px, struct mrun *u)
{
    long long n = u->op_calls, now;
    char key[32], val[32];

    u->is_get_ok = true;
    for (int op = 0; op < 4; op++) {
        double t0 = clk_now();
        for (long long i = 0; i < n; i++) {
            const char *got;
            snprintf(key, sizeof(key), "key-%lld", i % 100);
            snprintf(val, sizeof(val), "v%lld", op == 1 ?
                     last_set(i % 100, n) : i);
            if ((op == 0 && mgr_set(px, key, val) < 0) ||
                (op == 2 && mgr_append(px, "log", "x", &u->log_items) < 0) ||
                (op == 3 && mgr_incr(px, 1, &now) < 0))
                return -1;
            if (op == 1) {
                if (!(got = mgr_get(px, key)))
                    return -1;
                u->is_get_ok = u->is_get_ok && !strcmp(got, val);
            }
        }
        u->op_secs[op] = (clk_now() - t0) / (double)n;
    }
    return 0;
}

/* Races the clients through a Manager at addr; the first one also times
 * each operation. Returns 0, or -1 with one line in err. */
static int run_manager(struct mrun *u, struct outcome *o, bool is_ops,
                       char *err, size_t len)
{
    struct mgr m = { .addr = *o->race.addr };
    struct shared *sh = u->shm.addr;
    struct proxy *px = NULL;
    int rc = -1;

    if (mgr_start(&m, err, len) < 0)
        return -1;
    o->race.addr = &m.addr;             /* with the port the kernel chose */
    snprintf(o->where, sizeof(o->where), "%s", m.addr.text);
    if (race_clients(&o->race, sh, err, len) < 0)
        goto stop;
    /* the parent's own proxy, made after the fork: the server need not
     * inherit it */
    if (!(px = malloc(sizeof(*px))) || proxy_open(px, &m.addr) < 0 ||
        mgr_incr(px, 0, &o->race.final) < 0 ||
        (is_ops && time_ops(px, u) < 0)) {
        snprintf(err, len, "manager at %s: %s", m.addr.text, cli_strerror(errno));
        goto stop;
    }
    rc = 0;
stop:
    if (mgr_stop(&m, rc == 0 ? px : NULL) < 0 && rc == 0) {
        snprintf(err, len, "the manager process failed to stop");
        rc = -1;
    }
    if (px)
        proxy_close(px);
    free(px);
    return rc;
}

static int run_shared(struct mrun *u, struct outcome *o, char *err,
                      size_t len)
{
    struct shared *sh = u->shm.addr;

    atomic_store(&sh->counter, 0);
    sh->guarded = 0;
    snprintf(o->where, sizeof(o->where), "/dev/shm%s", u->shm.name);
    if (race_clients(&o->race, sh, err, len) < 0)
        return -1;
    o->race.final = o->race.how == BY_ATOMIC ? atomic_load(&sh->counter)
                                             : sh->guarded;
    return 0;
}

/* The shared segment, with a mutex that works across processes. */
static int shared_open(struct ipc_shm *s, char *err, size_t len)
{
    pthread_mutexattr_t ma;
    struct shared *sh;

    if (ipc_shm_create(s, "race", sizeof(struct shared), err, len) < 0)
        return -1;
    sh = s->addr;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&sh->mutex, &ma);
    pthread_mutexattr_destroy(&ma);
    return 0;
}

static void shared_close(struct ipc_shm *s)
{
    if (s->addr)
        pthread_mutex_destroy(&((struct shared *)s->addr)->mutex);
    ipc_shm_destroy(s);
}

/* ---- the tables and What to notice ---------------------------------- */

static void print_race(struct mrun *u, struct report *r)
{
    struct table *t = report_table(r, "race", "N processes add to one "
                                   "counter");
    double atomic_per_add = 0;

    for (int i = 0; i < u->nrows; i++)
        if (u->row[i].race.how == BY_ATOMIC)
            atomic_per_add = u->row[i].race.secs / u->row[i].race.total;
    table_col(t, "method", "method", U_TEXT);
    table_col(t, "processes", "procs", U_INT);
    table_col(t, "adds", "adds", U_INT);
    table_col(t, "seconds", "time", U_SEC);
    table_col(t, "adds_per_second", "adds/s", U_NUM);
    table_col(t, "vs_atomic", "vs atomic", U_RATIO);
    table_col(t, "final_count", "final", U_INT);
    table_col(t, "exact", "exact", U_TEXT);
    for (int i = 0; i < u->nrows; i++) {
        const struct outcome *o = &u->row[i];
        double per_add = o->race.secs / o->race.total;
        table_str(t, o->label);
        table_num(t, o->race.clients);
        table_num(t, (double)o->race.total);
        table_num(t, o->race.secs);
        table_num(t, o->race.total / o->race.secs);
        table_num(t, atomic_per_add > 0 ? per_add / atomic_per_add : 0);
        table_num(t, (double)o->race.final);
        table_str(t, o->race.final == o->expected ? "yes" : "NO");
    }
    table_end(t);
}

static void print_ops(struct mrun *u, struct report *r)
{
    struct table *t = report_table(r, "manager_ops", "One client, one "
                                   "round trip per operation");

    table_col(t, "operation", "operation", U_TEXT);
    table_col(t, "calls", "calls", U_INT);
    table_col(t, "seconds_per_call", "per call", U_US);
    table_col(t, "calls_per_second", "calls/s", U_NUM);
    for (int op = 0; op < 4; op++) {
        table_str(t, op_name[op]);
        table_num(t, (double)u->op_calls);
        table_num(t, u->op_secs[op]);
        table_num(t, 1 / u->op_secs[op]);
    }
    table_end(t);
}

static const struct outcome *row_of(const struct mrun *u, enum method how,
                                    int nth)
{
    for (int i = 0; i < u->nrows; i++)
        if (u->row[i].race.how == how && nth-- == 0)
            return &u->row[i];
    return NULL;
}

static void notice_costs(const struct mrun *u, struct report *r)
{
    const struct outcome *m = row_of(u, BY_MANAGER, 0);
    const struct outcome *a = row_of(u, BY_ATOMIC, 0);
    const struct outcome *x = row_of(u, BY_MUTEX, 0);
    double pm = m->race.secs / m->race.total, pa = a->race.secs / a->race.total;
    double px = x->race.secs / x->race.total;

    report_notice(r, "What it costs: an add through the Manager took %.1f µs "
                  "of wall time, an atomic fetch-add in shared memory %.1f "
                  "ns: the atomic did %.0fx more adds per second (%.0f vs "
                  "%.0f). Every proxy call is a round trip: format a "
                  "request, write it, wake the server, which parses, "
                  "applies and answers, then wake the client.", 1e6 * pm,
                  1e9 * pa, pm / pa, a->race.total / a->race.secs,
                  m->race.total / m->race.secs);
    report_notice(r, "The process-shared mutex did %.0f adds/s, %.1fx the "
                  "atomic's cost: a lock and an unlock are two atomic "
                  "operations, plus a futex sleep when another process "
                  "holds it.%s", x->race.total / x->race.secs, px / pa,
                  sys_allowed_cpus() == 1 ? " (With 1 CPU there is little "
                  "contention: one process at a time runs.)" : "");
}

static void notice_buys(const struct mrun *u, struct report *r)
{
    const struct outcome *m = row_of(u, BY_MANAGER, 0);
    const struct outcome *t = NULL;
    char tcp[200] = "";
    bool is_exact = true;

    for (int i = 0; i < u->nrows; i++) {
        is_exact = is_exact && u->row[i].race.final == u->row[i].expected;
        if (u->row[i].is_tcp)
            t = &u->row[i];
    }
    if (t && t != m)
        snprintf(tcp, sizeof(tcp), " Over TCP loopback an add took %.1f µs "
                 "against %.1f µs over the unix socket.",
                 1e6 * t->race.secs / t->race.total,
                 1e6 * m->race.secs / m->race.total);
    report_notice(r, "What it buys: the Manager's counter %s (%lld = %d "
                  "processes x %lld) with no lock in any client: the server "
                  "applies one request at a time, so the server is the "
                  "lock. The same proxy carried a dict (every get of %lld "
                  "returned the value set: %s) and a list ('log' has %lld "
                  "appended items), and with --addr tcp:HOST:PORT the "
                  "clients could be on other machines.%s",
                  is_exact ? "was exact" : "was NOT exact", m->race.final,
                  m->race.clients, m->race.total / m->race.clients,
                  u->op_calls, u->is_get_ok ? "yes" : "NO", u->log_items,
                  tcp);
}

/* ---- main ----------------------------------------------------------- */

/* The Manager rows first (one per address), then the shared-memory ones.
 * Returns 0, or -1 with one line in err. */
static int run_all(struct mrun *u, const struct ipc_addr *addr, int naddr,
                   int clients, long long each, struct report *r, char *err,
                   size_t len)
{
    static const enum method shm_rows[] = { BY_ATOMIC, BY_MUTEX };

    for (int i = 0; i < naddr + 2; i++) {
        struct outcome *o = &u->row[u->nrows++];
        bool is_mgr = i < naddr;
        o->race = (struct race){ is_mgr ? BY_MANAGER : shm_rows[i - naddr],
                                 is_mgr ? &addr[i] : NULL, clients,
                                 each * clients * (is_mgr ? 1 : SHM_FACTOR),
                                 0, 0 };
        o->expected = o->race.total;
        o->is_tcp = is_mgr && addr[i].is_tcp;
        o->label = !is_mgr ? (o->race.how == BY_ATOMIC ? "shm atomic"
                                                       : "shm mutex")
                 : o->is_tcp ? "Manager/tcp" : "Manager/unix";
        report_progress(r, "manager: %s...", method_name[o->race.how]);
        if ((is_mgr ? run_manager(u, o, i == 0, err, len)
                    : run_shared(u, o, err, len)) < 0)
            return -1;
        o->race.addr = NULL;
    }
    return 0;
}

/* --addr, or the default pair: a socket file and a free TCP port. */
static int pick_addrs(const char *spec, struct ipc_addr addr[2], int *n)
{
    char why[160], name[64], path[128];

    if (spec) {
        *n = 1;
        if (ipc_addr_parse(spec, &addr[0], why, sizeof(why)) == 0)
            return 0;
        cli_error("manager", "--addr %s (got '%s')", why, spec);
        return -1;
    }
    *n = 2;
    snprintf(path, sizeof(path), "unix:/tmp%s.sock",
             ipc_name(name, sizeof(name), "manager"));
    if (ipc_addr_parse(path, &addr[0], why, sizeof(why)) < 0 ||
        ipc_addr_parse("tcp:127.0.0.1:0", &addr[1], why, sizeof(why)) < 0) {
        cli_error("manager", "%s", why);
        return -1;
    }
    return 0;
}

/* Prints the tables and notices; returns 0, or 1 (with one line on
 * stderr) when a count or a value came back wrong. */
static int print_all(struct mrun *u, struct report *r)
{
    bool is_right = u->is_get_ok;

    for (int i = 0; i < u->nrows; i++) {
        is_right = is_right && u->row[i].race.final == u->row[i].expected;
        if (u->row[i].race.how != BY_MUTEX)     /* where each counter was */
            report_param(r, u->row[i].is_tcp ? "tcp" : u->row[i].race.how ==
                         BY_MANAGER ? "unix" : "shm", "%s", u->row[i].where);
    }
    print_race(u, r);
    print_ops(u, r);
    notice_costs(u, r);
    notice_buys(u, r);
    report_end(r);
    if (!is_right)
        cli_error("manager", "a count or a value came back wrong (see the "
                  "table): a bug");
    return is_right ? 0 : 1;
}

/* Measures and reports; returns the exit status. */
static int run_topic(const struct run_params *p,
                     const struct ipc_addr *addr, int naddr)
{
    char err[IPC_ERR_LEN];
    struct report *r;
    struct mrun *u;
    int rc;

    if (!(u = calloc(1, sizeof(*u)))) {
        cli_error("manager", "out of memory");
        return 1;
    }
    ipc_init();
    u->op_calls = p->size / 10 < 100 ? 100 : p->size / 10;
    r = report_begin(p, "Process communication: a Manager vs shared memory",
                     "A Manager shares any object, even across machines, "
                     "but every use is a round trip; shared memory is "
                     "faster.");
    report_param(r, "clients", "%d", p->threads);
    report_param(r, "adds_per_client", "%lld", p->size);
    report_param(r, "shm_adds_per_client", "%lld", p->size * SHM_FACTOR);
    rc = shared_open(&u->shm, err, sizeof(err));
    if (rc == 0)
        rc = run_all(u, addr, naddr, p->threads, p->size, r, err, sizeof(err));
    shared_close(&u->shm);
    if (rc < 0) {
        report_discard(r);
        cli_error("manager", "%s", err);
    }
    rc = rc < 0 ? 1 : print_all(u, r);
    free(u);
    return rc;
}

static int manager_main(int argc, char **argv)
{
    struct mgr_opts o = { NULL };
    struct ipc_addr addr[2];
    struct run_params p;
    int rc, naddr;

    cli_defaults(&p, "manager");
    p.threads = p.threads < 2 ? 2 : p.threads;  /* a race needs two */
    p.size = demo_size(&demo_manager, p.is_quick);
    if ((rc = cli_parse(&demo_manager, argc, argv, &p, &o)) >= 0)
        return rc;
    if (p.is_quick && !p.size_given)
        p.size = demo_size(&demo_manager, true);
    if (p.threads > MAX_CLIENTS) {
        cli_error("manager", "--threads must be 1..%d here (got %d)",
                  MAX_CLIENTS, p.threads);
        return 2;
    }
    if (pick_addrs(o.addr, addr, &naddr) < 0)
        return 2;
    return run_topic(&p, addr, naddr);
}

/* ---- benchable kernels: -n adds in all, shared by -t processes ------- */

static int kernel_race(enum method how, const struct run_params *in,
                       struct run_result *out)
{
    char err[IPC_ERR_LEN], name[64], spec[96];
    struct ipc_addr addr;
    struct mrun *u = calloc(1, sizeof(*u));
    int rc = -1;

    snprintf(spec, sizeof(spec), "unix:/tmp%s.sock",
             ipc_name(name, sizeof(name), "manager"));
    if (!u || ipc_addr_parse(spec, &addr, err, sizeof(err)) < 0)
        goto out;
    ipc_init();
    u->row[0].race = (struct race){ how, &addr, in->threads < 1 ? 1 :
                                    in->threads < MAX_CLIENTS ? in->threads
                                    : MAX_CLIENTS,
                                    in->size > 0 ? in->size : 20000, 0, 0 };
    if (shared_open(&u->shm, err, sizeof(err)) == 0)
        rc = how == BY_MANAGER ? run_manager(u, &u->row[0], false, err,
                                             sizeof(err))
                               : run_shared(u, &u->row[0], err, sizeof(err));
    shared_close(&u->shm);
    out->seconds = u->row[0].race.secs;
    out->checksum = (uint64_t)u->row[0].race.final;
out:
    free(u);
    return rc;
}

static int run_mgr(const struct run_params *in, struct run_result *out)
{
    return kernel_race(BY_MANAGER, in, out);
}

static int run_atomic(const struct run_params *in, struct run_result *out)
{
    return kernel_race(BY_ATOMIC, in, out);
}

static int run_mutex(const struct run_params *in, struct run_result *out)
{
    return kernel_race(BY_MUTEX, in, out);
}

static const struct kernel manager_kernels[] = {
    { "manager", "-n adds through a Manager server on a unix socket, by -t "
      "processes", run_mgr },
    { "atomic", "-n atomic fetch-adds in shared memory, by -t processes",
      run_atomic },
    { "mutex", "-n mutex-guarded adds in shared memory, by -t processes",
      run_mutex },
    { 0 },
};

const struct demo demo_manager = {
    .name = "manager",
    .summary = "a Manager server process vs shared memory",
    .main = manager_main,
    .kernels = manager_kernels,
    .slide = "Process communication: manager",
    .spec = &mgr_spec,
    .sizes = { 20000 },
    .quick_sizes = { 3000 },
};
