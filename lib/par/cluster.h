/* cluster.h - a model of a Hadoop cluster: where HDFS puts a file's blocks,
 * and where the scheduler runs the map task that reads each block.
 * Nodes sit in racks; a task that finds its block on its own node reads
 * the local disk, one that does not pulls the block over the network (and
 * through the core switch when the block is in another rack). Seeded and
 * deterministic: the same inputs give the same placement and schedule.
 */
#ifndef CLUSTER_H
#define CLUSTER_H

#include <stdbool.h>
#include <stdint.h>

#define CLUSTER_REPLICAS 3          /* HDFS's default dfs.replication */

enum cluster_placement {
    PLACE_HDFS,     /* 1st on the writer, 2nd in another rack, 3rd beside it */
    PLACE_RANDOM,   /* 3 distinct nodes anywhere */
    PLACE_OPTIMAL,  /* round-robin: every node holds an equal share */
};

/* nodes/racks nodes per rack, numbered rack by rack: rack 0 holds nodes
 * 0..nodes/racks-1. The writer is the node the file is uploaded from. */
struct cluster {
    int nodes, racks, slots, writer;
};

/* One block of the file and the nodes holding its replicas. */
struct block {
    long long bytes;
    int node[CLUSTER_REPLICAS];
};

enum locality { LOC_NODE, LOC_RACK, LOC_OFF_RACK };

struct sched_params {
    double disk_bps;        /* one node's disk, bytes/s, shared by its slots */
    double net_bps;         /* one node's network link, bytes/s */
    double oversub;         /* core switch oversubscription (>= 1) */
    double heartbeat_s;     /* one scheduling round */
    int delay_rounds;       /* delay scheduling: rounds a slot may wait */
    bool is_blind;          /* ignore where the blocks are: hand out the
                               tasks in an order shuffled by seed */
    uint64_t seed;
};

struct sched_result {
    int tasks, count[3];    /* count[LOC_NODE] node-local tasks, ... */
    double net_bytes;       /* read from another node */
    double core_bytes;      /* of those, read from another rack */
    double job_seconds;     /* when the last task finished */
    long waits;             /* rounds a free slot passed up (delay) */
};

/* Returns NULL when c is a valid cluster, else why not (for an error
 * line): racks must split the nodes evenly, 2+ nodes per rack. */
const char *cluster_check(const struct cluster *c);

/* The rack that holds node. */
int cluster_rack(const struct cluster *c, int node);

/* Places nblocks blocks (sets b[i].node; b[i].bytes is left alone) by
 * policy how; PLACE_HDFS and PLACE_RANDOM draw from seed. */
void cluster_place(const struct cluster *c, enum cluster_placement how,
                   uint64_t seed, struct block *b, int nblocks);

/* How far block b is from node: on it, in its rack, or off the rack. */
enum locality cluster_locality(const struct cluster *c,
                               const struct block *b, int node);

/* Runs one map task per block on the cluster's slots, in rounds of
 * heartbeat_s, and fills *out. Returns 0, or -1 with errno ENOMEM. */
int cluster_schedule(const struct cluster *c, const struct block *b,
                     int nblocks, const struct sched_params *sp,
                     struct sched_result *out);

#endif
