/* lesson/manager.h - the rules of `pardemo manager`.
 * A cost is stated only where the times measured show it, and what the
 * Manager buys (an exact count, any object) only where the counts came
 * back right; nothing is said about other machines this build refuses.
 * Python's Manager dict loses adds without a lock only where it did.
 */
#ifndef LESSON_MANAGER_H
#define LESSON_MANAGER_H

#include <stdbool.h>
#include "notice.h"

/* One row of the race: clients adding to one counter. */
struct manager_row {
    bool is_run;
    int clients;
    long long adds;                 /* in all */
    double secs;                    /* first start to last finish */
    long long final, expected;
};

/* One value size through a Python dict proxy (manager_race.proxy_ops). */
#define MGR_PY_SIZES 2
struct manager_proxy {
    bool is_run;
    long long size, calls;
    double set_s, get_s;            /* per call, a round trip each */
    double pickle_s;                /* pickling and unpickling it alone */
    bool is_ok;                     /* every read gave the value set */
};

struct manager_results {
    struct manager_row mgr_unix, mgr_tcp;   /* through the Manager */
    struct manager_row shm_atomic, shm_mutex;
    long long op_calls;             /* each operation, one client */
    long long log_items;            /* the list's length at the end */
    bool is_get_ok;                 /* every get returned the value set */
    int cpus;                       /* allowed to this process */
    struct cond cond;               /* the machine meanwhile */
    /* the Python part: the lecture's Manager().dict(), d["count"] += 1
     * with no lock (a race) and under a Manager Lock; Value + its lock */
    struct manager_row py_dict, py_locked, py_value;
    int py_authkey;                 /* a wrong authkey: 0 not tried,
                                       1 refused, 2 let in */
    struct manager_proxy py_proxy[MGR_PY_SIZES];    /* small, big */
    double c_get_s;                 /* C's Manager get, per call (0: none) */
};

/* Appends the topic's notices for res to ns. */
void manager_notices(const struct manager_results *res, struct notices *ns);

#endif
