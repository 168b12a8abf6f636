/* lesson/manager.h - the rules of `pardemo manager`.
 * A cost is stated only where the times measured show it, and what the
 * Manager buys (an exact count, any object) only where the counts came
 * back right; nothing is said about other machines this build refuses.
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

struct manager_results {
    struct manager_row mgr_unix, mgr_tcp;   /* through the Manager */
    struct manager_row shm_atomic, shm_mutex;
    long long op_calls;             /* each operation, one client */
    long long log_items;            /* the list's length at the end */
    bool is_get_ok;                 /* every get returned the value set */
    int cpus;                       /* allowed to this process */
    struct cond cond;               /* the machine meanwhile */
};

/* Appends the topic's notices for res to ns. */
void manager_notices(const struct manager_results *res, struct notices *ns);

#endif
