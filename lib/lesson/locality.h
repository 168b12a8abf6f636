/* lesson/locality.h - the rules of `pardemo locality`.
 * The model's sentences state what its numbers show (it is a model: they
 * are exact); the measurement's state only what was measured: a block
 * from the page cache against a block through a socket on this machine,
 * never a real network's or a disk's cost. A given --net-mbps is kept.
 */
#ifndef LESSON_LOCALITY_H
#define LESSON_LOCALITY_H

#include <stdbool.h>
#include "cluster.h"
#include "notice.h"

enum loc_path { LOC_PATH_LOCAL, LOC_PATH_UNIX, LOC_PATH_TCP, LOC_NPATH };

/* One placement policy: its replicas and both schedules. */
struct loc_model {
    const char *place;              /* "hdfs", "random", "optimal" */
    bool is_hdfs, is_optimal;
    struct sched_result aware, blind;
    int lo, hi;                     /* replicas on the emptiest, fullest
                                       node */
    double writer_share;            /* of all replicas, on the writer */
    double two_racks;               /* blocks on exactly 2 racks */
};

struct locality_results {
    int nodes, racks, writer, heartbeat_ms, delay, oversub;
    int disk_mbps, net_mbps;
    bool is_net_given;              /* --net-mbps was given: keep it */
    int nm;
    struct loc_model m[3];
    struct sched_result no_delay;   /* m[0], aware, with --delay 0 */
    bool is_measured;
    double block_bytes;
    struct est rate[LOC_NPATH];     /* bytes per second, per path */
    bool is_grounded;               /* the model again at the ratio */
    double grounded_net_bps;
    struct sched_result g_aware, g_blind;   /* m[0]'s placement */
    struct cond cond;
};

/* Appends the topic's notices for res to ns. */
void locality_notices(const struct locality_results *res,
                      struct notices *ns);

#endif
