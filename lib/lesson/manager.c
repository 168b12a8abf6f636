/* lesson/manager.c - a Manager server vs shared memory.
 * What to notice: what a round trip per operation costs against an
 * atomic add, what a lock adds, and what the Manager buys for it (an
 * exact count with no lock in the clients, any object).
 */
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

void manager_notices(const struct manager_results *res, struct notices *ns)
{
    notice_cost(res, ns);
    notice_mutex(res, ns);
    notice_exact(res, ns);
    notice_objects(res, ns);
    notice_tcp(res, ns);
}
