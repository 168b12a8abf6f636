/* manager.c - a Manager server process vs shared memory.
 * Like Python's multiprocessing.Manager: one server process owns a dict
 * and a counter; clients call it through a proxy, one round trip (request
 * line, reply line) per operation. Race it against an atomic add and a
 * process-shared mutex in shared memory: the ratio is the proxy's price.
 * The server and its proxy are lib/par/manager.c (with Python's authkey:
 * a client that does not send the run's key first is dropped). Then the
 * lecture's own Manager in pardemo's CPython (demos/python/
 * manager_race.py): a dict proxy with and without a lock, a Value, and
 * its authkey.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "ipc.h"
#include "manager.h"
#include "demos.h"
#include "lesson/manager.h"
#include "pyspark/pylesson.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHM_FACTOR 300              /* shared-memory rows add 300x more */
#define PY_SHARE 20                 /* Python's Manager adds: 1/20th */
#define PY_VALUE_FACTOR 30          /* its Value row adds 30x more */

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
    double start[MGR_MAX_CLIENTS], done[MGR_MAX_CLIENTS];
};

struct race {
    enum method how;
    const struct ipc_addr *addr;        /* BY_MANAGER: where the server is */
    const char *key;                    /* ...and its authkey */
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
    struct mgr_proxy *px = NULL;
    int err = 0;

    if (rc->how == BY_MANAGER &&
        (!(px = malloc(sizeof(*px))) || mgr_proxy_open(px, rc->addr, rc->key) < 0))
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
        mgr_proxy_close(px);
    free(px);
    return err > 0 && err < 126 ? err : err ? 1 : 0;
}

/* Runs the clients to the end; seconds = first start to last finish. */
static int race_clients(struct race *rc, struct shared *sh, char *err,
                        size_t len)
{
    pid_t pid[MGR_MAX_CLIENTS];
    int slot[MGR_MAX_CLIENTS], n, failed = 0, fork_errno = 0;
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
    struct pyl_opts py;             /* --no-python, --python-only... */
};

struct outcome {                    /* one row of the race table */
    struct race race;
    const char *label;              /* "Manager/unix", "shm atomic" */
    char *where;                    /* "unix:/tmp/x.sock", "/dev/shm/...":
                                     * on the heap, as long as it is */
    long long expected;
    bool is_tcp;
};

/* The Python part's rows (demos/python/manager_race.py). */
enum { PY_DICT, PY_LOCKED, PY_VALUE, PY_ROWS };
static const char *const py_label[PY_ROWS] = {
    "Manager dict", "Manager dict+Lock", "Value+get_lock",
};

struct mrun {
    struct outcome row[4];
    int nrows;
    struct manager_row py[PY_ROWS];     /* is_run: the Python part ran */
    int py_authkey;                     /* lesson/manager.h */
    struct pyl_part py_part;            /* ran, or why not */
    int py_procs;                       /* the Python part's processes */
    long long py_each;                  /* and adds per process */
    double op_secs[4];              /* per call: set, get, append, incr */
    long long op_calls, log_items;
    bool is_get_ok;
    struct ipc_shm shm;
};

static const char *const op_name[4] = { "set", "get", "append", "incr" };

static const struct cli_opt mgr_opt_table[] = {
    { "addr", 0, CLI_STR, "ADDR", "where the manager listens: unix:PATH or "
      "tcp:127.0.0.1:PORT (0: any free port; default: both, on a socket "
      "file in a private directory and a free TCP port)", 0, 0, NULL,
      offsetof(struct mgr_opts, addr) },
    PYL_CLI_OPTS(struct mgr_opts, py),
    { 0 },
};

static const struct cli_spec mgr_spec = {
    .common = CLI_THREADS | CLI_SIZE_OPT | CLI_SEED | CLI_FORMAT |
              CLI_QUIET | CLI_QUICK,
    .size_help = "adds per client through the Manager (the shared-memory "
                 "rows do 300x as many)",
    .size_min = 1, .size_max = 100000000,
    .threads_max = MGR_MAX_CLIENTS,
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
static int time_ops(struct mgr_proxy *px, struct mrun *u)
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

/* Keeps where o's counter is, for the parameters (prefix and name);
 * without memory it stays unknown, shown as "?". */
static void set_where(struct outcome *o, const char *prefix,
                      const char *name)
{
    free(o->where);
    if (asprintf(&o->where, "%s%s", prefix, name) < 0)
        o->where = NULL;
}

/* Frees u and the texts of its rows. */
static void mrun_free(struct mrun *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < ARRAY_SIZE(u->row); i++)
        free(u->row[i].where);
    free(u);
}

/* Races the clients through a Manager at addr; the first one also times
 * each operation. Returns 0, or -1 with one line in err. */
static int run_manager(struct mrun *u, struct outcome *o, bool is_ops,
                       char *err, size_t len)
{
    struct mgr m = { .addr = *o->race.addr };
    struct shared *sh = u->shm.addr;
    struct mgr_proxy *px = NULL;
    int rc = -1;

    if (mgr_start(&m, err, len) < 0)
        return -1;
    o->race.addr = &m.addr;             /* with the port the kernel chose */
    o->race.key = m.key;
    set_where(o, "", m.addr.text);
    if (race_clients(&o->race, sh, err, len) < 0)
        goto stop;
    /* the parent's own proxy, made after the fork: the server need not
     * inherit it */
    if (!(px = malloc(sizeof(*px))) || mgr_proxy_open(px, &m.addr, m.key) < 0 ||
        mgr_incr(px, 0, &o->race.final) < 0 ||
        (is_ops && time_ops(px, u) < 0)) {
        snprintf(err, len, "manager at %s: %s", m.addr.text,
                 cli_strerror(errno));
        goto stop;
    }
    rc = 0;
stop:
    if (mgr_stop(&m, rc == 0 ? px : NULL) < 0 && rc == 0) {
        snprintf(err, len, "the manager process failed to stop");
        rc = -1;
    }
    if (px)
        mgr_proxy_close(px);
    free(px);
    return rc;
}

static int run_shared(struct mrun *u, struct outcome *o, char *err,
                      size_t len)
{
    struct shared *sh = u->shm.addr;

    atomic_store(&sh->counter, 0);
    sh->guarded = 0;
    set_where(o, "/dev/shm", u->shm.name);
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

/* ---- the Python part: manager_race.py, run by the real CPython ---- */

/* manager_race.FUNCTION(procs, adds[, locked]) into *x. 0, or -1 with
 * errno set (EINTR: a signal). */
static int py_race(struct manager_row *x, const char *function, int procs,
                   long long adds, int locked)
{
    struct pyl_num got[2];
    int n = locked < 0 ? pyl_call(got, 2, "manager_race", function, "(iL)",
                                  procs, adds)
                       : pyl_call(got, 2, "manager_race", function, "(iLi)",
                                  procs, adds, locked);

    if (n != 2)
        return pyl_fail(n);
    *x = (struct manager_row){ true, procs, adds * procs, got[0].v,
                               (long long)got[1].v, adds * procs };
    return 0;
}

/* The Python rows, between pyl_start and pyl_stop (pyl_part_run). */
static int measure_python(void *ctx, struct report *r)
{
    struct mrun *u = ctx;
    int procs = u->py_procs, n = 1;  /* 1: py_race set errno */
    long long each = u->py_each;
    struct pyl_num got;

    report_param(r, "python_adds_per_client", "%lld", each);
    report_progress(r, "manager: Python's Manager...");
    if (py_race(&u->py[PY_DICT], "manager", procs, each, 0) < 0 ||
        py_race(&u->py[PY_LOCKED], "manager", procs, each, 1) < 0 ||
        py_race(&u->py[PY_VALUE], "value", procs, each * PY_VALUE_FACTOR,
                -1) < 0 ||
        (n = pyl_call(&got, 1, "manager_race", "stranger_refused",
                      "()")) != 1) {
        memset(u->py, 0, sizeof(u->py));
        return n != 1 ? pyl_fail(n) : -1;
    }
    u->py_authkey = got.v == 1 ? 1 : 2;
    return 0;
}

static void python_text(const struct mrun *u, struct report *r,
                        const struct mgr_opts *o)
{
    pyl_part_text(r, &u->py_part, &o->py, "manager", "the lecture's Manager",
                  "Python (lang Python): the lecture's Manager().dict(), "
                  "d[\"count\"] += 1 in each process\nwith no lock, then "
                  "under a Manager Lock; a Value under its own lock "
                  "(shared memory,\nno server). demos/python/"
                  "manager_race.py, run in pardemo's CPython.");
}

/* ---- the tables and What to notice ---------------------------------- */

static void print_race(struct mrun *u, struct report *r)
{
    struct table *t = report_table(r, "race", "N processes add to one "
                                   "counter");

    table_col(t, "language", "lang", U_TEXT);
    table_col(t, "method", "method", U_TEXT);
    table_col(t, "processes", "procs", U_INT);
    table_col(t, "adds", "adds", U_INT);
    table_col(t, "seconds", "time", U_SEC);
    table_col(t, "seconds_per_add", "per add", U_DUR);
    table_col_data(t, "adds_per_second", U_NUM);
    table_col(t, "final_count", "final", U_INT);
    table_col(t, "exact", "exact", U_TEXT);
    for (int i = 0; i < u->nrows; i++) {
        const struct outcome *o = &u->row[i];
        table_str(t, "C");
        table_str(t, o->label);
        table_num(t, o->race.clients);
        table_num(t, (double)o->race.total);
        table_num(t, o->race.secs);
        table_num(t, o->race.secs / (double)o->race.total);
        table_num(t, (double)o->race.total / o->race.secs);
        table_num(t, (double)o->race.final);
        table_str(t, o->race.final == o->expected ? "yes" : "NO");
    }
    for (int i = 0; i < PY_ROWS && u->py[0].is_run; i++) {
        const struct manager_row *x = &u->py[i];
        table_str(t, "Python");
        table_str(t, py_label[i]);
        table_num(t, x->clients);
        table_num(t, (double)x->adds);
        table_num(t, x->secs);
        table_num(t, x->secs / (double)x->adds);
        table_num(t, (double)x->adds / x->secs);
        table_num(t, (double)x->final);
        table_str(t, x->final == x->expected ? "yes" : i == PY_DICT &&
                  x->final < x->expected ? "lost" : "NO");
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

/* What the rules read (lib/lesson/manager). */
static struct manager_results lesson_of(const struct mrun *u,
                                        const struct cond *c)
{
    struct manager_results res = { .op_calls = u->op_calls,
                                   .log_items = u->log_items,
                                   .is_get_ok = u->is_get_ok,
                                   .cpus = sys_allowed_cpus(), .cond = *c,
                                   .py_dict = u->py[PY_DICT],
                                   .py_locked = u->py[PY_LOCKED],
                                   .py_value = u->py[PY_VALUE],
                                   .py_authkey = u->py_authkey };

    for (int i = 0; i < u->nrows; i++) {
        const struct outcome *o = &u->row[i];
        struct manager_row *x = o->race.how == BY_ATOMIC ? &res.shm_atomic
                              : o->race.how == BY_MUTEX ? &res.shm_mutex
                              : o->is_tcp ? &res.mgr_tcp : &res.mgr_unix;
        *x = (struct manager_row){ true, o->race.clients, o->race.total,
                                   o->race.secs, o->race.final,
                                   o->expected };
    }
    return res;
}

static void print_notices(const struct mrun *u, struct report *r,
                          const struct run_params *p)
{
    struct cond c = cond_stop(&p->probe);
    struct manager_results res;
    struct notices ns;

    c.reps = 1;                     /* each row is one race */
    res = lesson_of(u, &c);
    notices_init(&ns);
    manager_notices(&res, &ns);
    report_conditions(r, NULL, &c);
    report_notices(r, &ns);
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
                                 is_mgr ? &addr[i] : NULL, NULL, clients,
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
    char why[160];

    if (spec) {
        *n = 1;
        if (ipc_addr_parse(spec, &addr[0], why, sizeof(why)) == 0)
            return 0;
        cli_error("manager", "--addr %s (got '%s')", why, spec);
        return -1;
    }
    *n = 2;
    ipc_addr_private(&addr[0], "manager");
    if (ipc_addr_parse("tcp:127.0.0.1:0", &addr[1], why, sizeof(why)) < 0) {
        cli_error("manager", "%s", why);
        return -1;
    }
    return 0;
}

/* Were the counts that must be exact exact (a lost add is the lesson
 * only in Python's unlocked dict)? */
static bool is_all_right(const struct mrun *u)
{
    bool is_right = u->nrows == 0 || u->is_get_ok;

    for (int i = 0; i < u->nrows; i++)
        is_right = is_right && u->row[i].race.final == u->row[i].expected;
    for (int i = 0; i < PY_ROWS; i++)
        is_right = is_right && (!u->py[i].is_run || (i == PY_DICT ?
                   u->py[i].final <= u->py[i].expected :
                   u->py[i].final == u->py[i].expected));
    return is_right;
}

/* Prints the tables and notices; returns 0, or 1 (with one line on
 * stderr) when a count or a value came back wrong. */
static int print_all(struct mrun *u, struct report *r,
                     const struct run_params *p, const struct mgr_opts *o)
{
    bool is_right = is_all_right(u);

    for (int i = 0; i < u->nrows; i++) {
        if (u->row[i].race.how != BY_MUTEX)     /* where each counter was */
            report_param(r, u->row[i].is_tcp ? "tcp" : u->row[i].race.how ==
                         BY_MANAGER ? "unix" : "shm", "%s", u->row[i].where ?
                         u->row[i].where : "?");
    }
    python_text(u, r, o);
    print_race(u, r);
    if (u->nrows)
        print_ops(u, r);
    print_notices(u, r, p);
    report_end(r);
    if (!is_right)
        cli_error("manager", "a count or a value came back wrong (see the "
                  "table): a bug");
    return is_right ? 0 : 1;
}

/* Measures and reports; returns the exit status. */
static int run_topic(const struct run_params *p, const struct mgr_opts *o,
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
                     "A Manager shares any object (Python's can serve other "
                     "machines), but every use is a round trip; shared "
                     "memory is faster.");
    report_param(r, "clients", "%d", p->threads);
    report_param(r, "adds_per_client", "%lld", p->size);
    report_param(r, "shm_adds_per_client", "%lld", p->size * SHM_FACTOR);
    rc = o->py.is_only ? 0 : shared_open(&u->shm, err, sizeof(err));
    if (rc == 0 && !o->py.is_only)
        rc = run_all(u, addr, naddr, p->threads, p->size, r, err, sizeof(err));
    if (!o->py.is_only)
        shared_close(&u->shm);
    u->py_procs = p->threads;
    u->py_each = p->size / PY_SHARE > 10 ? p->size / PY_SHARE : 10;
    if (rc < 0)
        cli_error("manager", "%s", err);
    else
        rc = pyl_part_run(&u->py_part, "manager", &o->py, r, measure_python,
                          u);
    if (rc < 0)
        report_discard(r);
    rc = rc < 0 ? 1 : print_all(u, r, p, o);
    mrun_free(u);
    return rc;
}

static int manager_main(int argc, char **argv)
{
    struct mgr_opts o = { NULL };
    struct ipc_addr addr[2];
    struct run_params p;
    int rc, naddr;

    pyl_opts_init(&o.py);
    cli_defaults(&p, "manager");
    p.threads = p.threads < 2 ? 2 : p.threads;  /* a race needs two */
    p.size = demo_size(&demo_manager, p.is_quick);
    if ((rc = cli_parse(&demo_manager, argc, argv, &p, &o)) >= 0)
        return rc;
    if (p.is_quick && !p.size_given)
        p.size = demo_size(&demo_manager, true);
    if ((rc = pyl_opts_check("manager", &o.py)) >= 0)
        return rc;
    if (pick_addrs(o.addr, addr, &naddr) < 0)
        return 2;
    return run_topic(&p, &o, addr, naddr);
}

/* ---- benchable kernels: -n adds in all, shared by -t processes ------- */

static int kernel_race(enum method how, const struct run_params *in,
                       struct run_result *out)
{
    char err[IPC_ERR_LEN];
    struct ipc_addr addr;
    struct mrun *u = calloc(1, sizeof(*u));
    int rc = -1;

    ipc_addr_private(&addr, "manager");
    if (!u)
        goto out;
    ipc_init();
    u->row[0].race = (struct race){ how, &addr, NULL, in->threads < 1 ? 1 :
                                    in->threads < MGR_MAX_CLIENTS ? in->threads
                                    : MGR_MAX_CLIENTS,
                                    in->size > 0 ? in->size : 20000, 0, 0 };
    if (shared_open(&u->shm, err, sizeof(err)) == 0)
        rc = how == BY_MANAGER ? run_manager(u, &u->row[0], false, err,
                                             sizeof(err))
                               : run_shared(u, &u->row[0], err, sizeof(err));
    shared_close(&u->shm);
    out->seconds = u->row[0].race.secs;
    out->checksum = (uint64_t)u->row[0].race.final;
out:
    mrun_free(u);
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
