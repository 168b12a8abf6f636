/* lesson/manager.c - a Manager server vs shared memory.
 * What to notice: what a round trip per operation costs against an
 * atomic add, what a lock adds, and what the Manager buys for it (an
 * exact count with no lock in the clients, any object).
 */
#include <stdio.h>

#include "cli.h"
#include "lesson/lesson.h"
#include "lesson/manager.h"

#define GAP_AT 1.5      /* one run each: a smaller gap is not called */

/* The Manager row the sentences quote: the unix socket's, else TCP's. */
static const struct manager_row *mgr_row(const struct manager_results *res)
{
    return res->mgr_unix.is_run ? &res->mgr_unix
         : res->mgr_tcp.is_run ? &res->mgr_tcp : NULL;
}

static double per_add(const struct manager_row *r)
{
    return r->adds > 0 ? r->secs / (double)r->adds : 0;
}

/* A notice citing a's and b's time per add as "a" and "b", their ratio
 * as "times" and the gap a one-run comparison needs as "gap_at". */
static struct notice *pair(struct notices *ns, const char *id,
                           const struct manager_row *a,
                           const struct manager_row *b)
{
    struct notice *n = notice_add(ns, id);

    notice_num(n, "a", per_add(a), U_DUR);
    notice_num(n, "b", per_add(b), U_DUR);
    notice_num(n, "times", per_add(b) > 0 ? per_add(a) / per_add(b) : 0,
               U_NUM);
    notice_num(n, "gap_at", GAP_AT, U_NUM);
    return n;
}

static void notice_cost(const struct manager_results *res,
                        struct notices *ns)
{
    const struct manager_row *m = mgr_row(res);
    struct notice *n;

    if (!m || !res->shm_atomic.is_run)
        return;
    n = pair(ns, "manager.round_trip_cost", m, &res->shm_atomic);
    if (per_add(m) > GAP_AT * per_add(&res->shm_atomic)) {
        notice_rel(n, "a", REL_VGT, GAP_AT, "b");
        notice_say(n, "What it costs: an add through the Manager took {a}, "
                   "an atomic fetch-add in shared memory {b}: {times} times "
                   "as long. Every proxy call is a round trip: the client "
                   "writes a request, the server wakes, parses, applies and "
                   "answers, and the client wakes again.");
        return;
    }
    n->id = "manager.round_trip_unshown";
    notice_rel(n, "a", REL_VLE, GAP_AT, "b");
    notice_cause(n, &res->cond, "An add through the Manager took {a} and an "
                "atomic fetch-add in shared memory {b}: this run does not "
                "show what a round trip costs;");
}

static void notice_mutex(const struct manager_results *res,
                         struct notices *ns)
{
    const struct manager_row *x = &res->shm_mutex, *a = &res->shm_atomic;
    struct notice *n;

    if (!x->is_run || !a->is_run)
        return;
    n = pair(ns, "manager.mutex_cost", x, a);
    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    if (per_add(x) > GAP_AT * per_add(a)) {
        notice_rel(n, "a", REL_VGT, GAP_AT, "b");
        notice_say(n, "The process-shared mutex took {a} per add, {times} "
                   "times the atomic's {b}: a lock and an unlock are two "
                   "atomic operations, and more when a process must wait "
                   "for the lock.");
        return;
    }
    n->id = "manager.mutex_cost_unshown";
    notice_rel(n, "a", REL_VLE, GAP_AT, "b");
    if (res->cpus == 1) {
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "The process-shared mutex took {a} per add, the "
                   "atomic {b}: with 1 allowed CPU one process runs at a "
                   "time, so the lock is seldom contended and costs little "
                   "more than the atomic.");
        return;
    }
    notice_cause(n, &res->cond, "The process-shared mutex took {a} per add, "
                "the atomic {b}: this run does not show what the lock adds;");
}

static void notice_exact(const struct manager_results *res,
                         struct notices *ns)
{
    const struct manager_row *m = mgr_row(res);
    struct notice *n;

    if (!m)
        return;
    n = notice_add(ns, "manager.server_is_the_lock");
    notice_num(n, "final", (double)m->final, U_INT);
    notice_num(n, "expected", (double)m->expected, U_INT);
    notice_num(n, "clients", m->clients, U_INT);
    notice_num(n, "each", m->clients ? (double)(m->adds / m->clients) : 0,
               U_INT);
    if (m->final == m->expected) {
        notice_rel(n, "final", REL_EQ, 1, "expected");
        notice_say(n, "What it buys: the Manager's counter was exact "
                   "({final} = {clients} processes x {each} adds) with no "
                   "lock in any client: the server applies one request at "
                   "a time, so the server is the lock.");
        return;
    }
    n->id = "manager.count_wrong";
    notice_rel(n, "final", REL_NE, 1, "expected");
    notice_say(n, "The Manager's counter came back {final}, not "
               "{expected}: a request was lost or applied twice. That is a "
               "bug.");
}

static void notice_objects(const struct manager_results *res,
                           struct notices *ns)
{
    struct notice *n;

    if (!mgr_row(res))
        return;
    n = notice_add(ns, "manager.any_object");
    notice_num(n, "get_ok", res->is_get_ok, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "calls", (double)res->op_calls, U_INT);
    notice_num(n, "items", (double)res->log_items, U_INT);
    if (res->is_get_ok && res->log_items == res->op_calls) {
        notice_rel(n, "get_ok", REL_EQ, 1, "one");
        notice_rel(n, "items", REL_EQ, 1, "calls");
        notice_say(n, "The same proxy carried a dict (each of {calls} gets "
                   "returned the value set) and a list ({items} appended "
                   "items). Python's Manager can also listen on a network "
                   "address for clients on other machines; this demo "
                   "accepts only this machine (a unix socket, or TCP on "
                   "127.0.0.1), so every round trip here stays on it.");
        return;
    }
    n->id = "manager.objects_wrong";
    notice_rel(n, res->is_get_ok ? "items" : "get_ok", REL_NE, 1,
               res->is_get_ok ? "calls" : "one");
    notice_say(n, "A get did not return the value set, or the list holds "
               "{items} items after {calls} appends: that is a bug.");
}

static void notice_tcp(const struct manager_results *res, struct notices *ns)
{
    struct notice *n;

    if (!res->mgr_unix.is_run || !res->mgr_tcp.is_run)
        return;
    n = pair(ns, "manager.tcp_costs_more", &res->mgr_tcp, &res->mgr_unix);
    if (per_add(&res->mgr_tcp) > GAP_AT * per_add(&res->mgr_unix)) {
        notice_rel(n, "a", REL_VGT, GAP_AT, "b");
        notice_say(n, "Over TCP loopback an add took {a}, {times} times the "
                   "unix socket's {b}: even with no wire, TCP/IP does more "
                   "work per message than a unix socket.");
        return;
    }
    if (per_add(&res->mgr_unix) > GAP_AT * per_add(&res->mgr_tcp)) {
        n->id = "manager.tcp_cheaper";
        notice_rel(n, "b", REL_VGT, GAP_AT, "a");
        notice_cause(n, &res->cond, "Over TCP loopback an add took {a}, less "
                    "than the unix socket's {b}, although TCP/IP does more "
                    "work per message:");
        return;
    }
    n->id = "manager.tcp_close";
    notice_rel(n, "a", REL_VLE, GAP_AT, "b");
    notice_rel(n, "b", REL_VLE, GAP_AT, "a");
    notice_say(n, "Over TCP loopback an add took {a}, over the unix socket "
               "{b}: within {gap_at} times of each other in one run, too "
               "close to call.");
}

/* ---- the Python part: the lecture's Manager ---- */

static void notice_py_lost(const struct manager_results *res,
                           struct notices *ns)
{
    const struct manager_row *d = &res->py_dict;
    struct notice *n;

    if (!d->is_run)
        return;
    n = notice_add(ns, "manager.py_lost");
    notice_num(n, "final", (double)d->final, U_INT);
    notice_num(n, "expected", (double)d->expected, U_INT);
    notice_num(n, "lost", (double)(d->expected - d->final), U_INT);
    notice_num(n, "procs", d->clients, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (d->final < d->expected) {
        notice_rel(n, "lost", REL_GT, 1, "zero");
        notice_say(n, "Python's Manager dict lost {lost} of {expected} adds "
                   "without a lock ({procs} processes): d[\"count\"] += 1 "
                   "is a get and then a set, two round trips, and another "
                   "process's set fell between them. The server applies "
                   "one request at a time, but an update of two requests "
                   "still needs a lock.");
        return;
    }
    if (d->final > d->expected) {
        n->id = "manager.py_count_wrong";
        notice_rel(n, "final", REL_GT, 1, "expected");
        notice_say(n, "Python's Manager dict counted {final}, more than the "
                   "{expected} adds made: that is a bug.");
        return;
    }
    n->id = "manager.py_lost_unshown";
    notice_rel(n, "final", REL_EQ, 1, "expected");
    notice_cause(n, &res->cond, "Python's Manager dict lost no adds without "
                 "a lock in this run ({final} of {expected}): a get and its "
                 "set are two round trips, but no other process's set fell "
                 "between them;");
}

/* The locked dict against our C Manager (whose adds are one request). */
static void notice_py_locked(const struct manager_results *res,
                             struct notices *ns)
{
    const struct manager_row *l = &res->py_locked, *m = mgr_row(res);
    struct notice *n;

    if (!l->is_run)
        return;
    if (l->final != l->expected) {
        n = notice_add(ns, "manager.py_locked_wrong");
        notice_num(n, "final", (double)l->final, U_INT);
        notice_num(n, "expected", (double)l->expected, U_INT);
        notice_rel(n, "final", REL_NE, 1, "expected");
        notice_say(n, "Python's Manager dict under a Manager Lock counted "
                   "{final}, not {expected}: that is a bug.");
        return;
    }
    if (!m)
        return;
    n = pair(ns, "manager.py_locked_cost", l, m);
    if (per_add(l) > GAP_AT * per_add(m)) {
        notice_rel(n, "a", REL_VGT, GAP_AT, "b");
        notice_say(n, "With a Manager Lock the count was exact, and each add "
                   "took {a}: {times} times our C Manager's {b}. Python's "
                   "locked add is four round trips (acquire, get, set, "
                   "release), each request pickled; the C server applies "
                   "an add in one.");
        return;
    }
    n->id = "manager.py_locked_close";
    notice_rel(n, "a", REL_VLE, GAP_AT, "b");
    notice_cause(n, &res->cond, "With a Manager Lock the count was exact; "
                 "each add took {a}, our C Manager's {b}: not decidedly "
                 "more in one run;");
}

static void notice_py_value(const struct manager_results *res,
                            struct notices *ns)
{
    const struct manager_row *v = &res->py_value, *l = &res->py_locked;
    struct notice *n;

    if (!v->is_run || !l->is_run || v->final != v->expected ||
        l->final != l->expected)
        return;
    n = pair(ns, "manager.py_value", l, v);
    if (per_add(l) > GAP_AT * per_add(v)) {
        notice_rel(n, "a", REL_VGT, GAP_AT, "b");
        notice_say(n, "A multiprocessing.Value in shared memory, under its "
                   "own lock, took {b} per add, exact too: the Manager's "
                   "{a} was {times} times as long. The lecture's \"slower "
                   "than using shared memory\", measured in Python.");
        return;
    }
    n->id = "manager.py_value_close";
    notice_rel(n, "a", REL_VLE, GAP_AT, "b");
    notice_cause(n, &res->cond, "A multiprocessing.Value took {b} per add, "
                 "the Manager {a}: not decidedly apart in one run;");
}

static void notice_py_authkey(const struct manager_results *res,
                              struct notices *ns)
{
    struct notice *n;

    if (res->py_authkey == 0)
        return;
    n = notice_add(ns, "manager.py_authkey");
    notice_num(n, "refused", res->py_authkey == 1, U_INT);
    notice_num(n, "one", 1, U_INT);
    if (res->py_authkey == 1) {
        notice_rel(n, "refused", REL_EQ, 1, "one");
        notice_say(n, "A client with an authkey of its own was refused "
                   "(multiprocessing.AuthenticationError): Python's Manager "
                   "answers only clients that pass its HMAC challenge, as "
                   "any server another user can reach must check who "
                   "connects.");
        return;
    }
    n->id = "manager.py_authkey_let_in";
    notice_rel(n, "refused", REL_NE, 1, "one");
    notice_say(n, "The stranger of manager_race.py was let in: the key it "
               "gave passed the Manager's HMAC challenge.");
}

/* A proxy read of a small value against C's Manager get: both are one
 * round trip to a server process. */
static void notice_py_proxy(const struct manager_results *res,
                            struct notices *ns)
{
    const struct manager_proxy *x = &res->py_proxy[0];
    struct notice *n;
    char sz[32];

    if (!x->is_run || res->c_get_s <= 0)
        return;
    cli_fmt_size(x->size, sz, sizeof(sz));
    n = notice_add(ns, "manager.py_proxy_cost");
    notice_num(n, "get", x->get_s, U_DUR);
    notice_num(n, "c", res->c_get_s, U_DUR);
    notice_num(n, "times", x->get_s / res->c_get_s, U_NUM);
    if (x->get_s > res->c_get_s) {
        notice_rel(n, "get", REL_VGT, 1, "c");
        notice_say(n, "A %s-byte read through Python's dict proxy (v = "
                   "d[\"v\"]) took {get} a call, {times} times C's Manager "
                   "get ({c}): each is one round trip to a server process.",
                   sz);
        return;
    }
    n->id = "manager.py_proxy_not_slower";
    notice_rel(n, "get", REL_VLE, 1, "c");
    notice_cause(n, &res->cond, "A read through Python's dict proxy took "
                 "{get} a call, no more than C's Manager get ({c}):");
}

/* At the big size: how much of a proxy round trip pickling alone took. */
static void notice_py_pickle(const struct manager_results *res,
                             struct notices *ns)
{
    const struct manager_proxy *x = &res->py_proxy[MGR_PY_SIZES - 1];
    struct notice *n;
    char sz[32];

    if (!x->is_run)
        return;
    cli_fmt_size(x->size, sz, sizeof(sz));
    n = notice_add(ns, "manager.py_pickle_share");
    notice_num(n, "get", x->get_s, U_DUR);
    notice_num(n, "set", x->set_s, U_DUR);
    notice_num(n, "pk", x->pickle_s, U_DUR);
    notice_num(n, "small", res->py_proxy[0].get_s, U_DUR);
    if (x->pickle_s < x->get_s && res->py_proxy[0].is_run &&
        x->get_s > res->py_proxy[0].get_s) {
        notice_rel(n, "pk", REL_VLT, 1, "get");
        notice_rel(n, "get", REL_VGT, 1, "small");
        notice_say(n, "A %s-byte value took {set} to set and {get} to read "
                   "through the proxy (a small one {small}): pickling and "
                   "unpickling it alone took {pk} of that here; the rest is "
                   "the trip through a socket and the server's work.", sz);
        return;
    }
    n->id = "manager.py_pickle_unshown";
    notice_cause(n, &res->cond, "Pickling a value alone ({pk}) and its "
                 "round trip through the proxy ({get}) did not show the "
                 "pickling's share here:");
}

static void notice_py_proxy_ok(const struct manager_results *res,
                               struct notices *ns)
{
    int bad = 0, run = 0;

    for (int i = 0; i < MGR_PY_SIZES; i++) {
        run += res->py_proxy[i].is_run;
        bad += res->py_proxy[i].is_run && !res->py_proxy[i].is_ok;
    }
    if (run)
        lesson_all_right(ns, "manager.py_proxy_checked",
                         "manager.py_proxy_wrong", bad, "Every value read "
                         "back through the dict proxy was the one set, at "
                         "every size.", "A value read back through the "
                         "dict proxy differed from the one set ({wrong|"
                         "size|sizes}): a bug.");
}

void manager_notices(const struct manager_results *res, struct notices *ns)
{
    notice_cost(res, ns);
    notice_mutex(res, ns);
    notice_exact(res, ns);
    notice_objects(res, ns);
    notice_tcp(res, ns);
    notice_py_lost(res, ns);
    notice_py_locked(res, ns);
    notice_py_value(res, ns);
    notice_py_authkey(res, ns);
    notice_py_proxy(res, ns);
    notice_py_pickle(res, ns);
    notice_py_proxy_ok(res, ns);
}
