/* cluster.c - HDFS block placement and locality-aware map scheduling.
 * Look at place_hdfs (the writer's node gets a replica of EVERY block)
 * and pick_task (node-local first, then wait a few rounds, then rack-local,
 * then anything): the second is Hadoop's and Spark's delay scheduling.
 */
#include "cluster.h"
#include "hash.h"

#include <errno.h>
#include <stdlib.h>

/* A uniform integer in 0..n-1 (multiply-shift: no modulo bias to speak
 * of for cluster-sized n). */
static int below(uint64_t *state, int n)
{
    return (int)(((hash_rand64(state) >> 32) * (uint64_t)n) >> 32);
}

const char *cluster_check(const struct cluster *c)
{
    if (c->nodes < CLUSTER_REPLICAS)
        return "a cluster needs at least 3 nodes for 3 replicas";
    if (c->racks < 1 || c->nodes % c->racks != 0)
        return "--racks must divide --nodes into equal racks";
    if (c->racks > 1 && c->nodes / c->racks < 2)
        return "each rack needs 2+ nodes (HDFS puts 2 replicas in one rack)";
    if (c->writer < 0 || c->writer >= c->nodes)
        return "--writer must name a node of the cluster";
    return NULL;
}

int cluster_rack(const struct cluster *c, int node)
{
    return node / (c->nodes / c->racks);
}

/* HDFS's BlockPlacementPolicyDefault: the first replica on the writer
 * (fast, no network), the second in another rack (survives losing a
 * rack), the third in the second's rack on another node (one cross-rack
 * copy per block instead of two). */
static void place_hdfs(const struct cluster *c, uint64_t *rng, int *node)
{
    int per_rack = c->nodes / c->racks, r1;

    node[0] = c->writer;
    if (c->racks == 1) {            /* one rack: any two other nodes */
        do node[1] = below(rng, c->nodes); while (node[1] == node[0]);
        do node[2] = below(rng, c->nodes);
        while (node[2] == node[0] || node[2] == node[1]);
        return;
    }
    r1 = (cluster_rack(c, node[0]) + 1 + below(rng, c->racks - 1)) %
         c->racks;
    node[1] = r1 * per_rack + below(rng, per_rack);
    do node[2] = r1 * per_rack + below(rng, per_rack);
    while (node[2] == node[1]);
}

static void place_random(const struct cluster *c, uint64_t *rng, int *node)
{
    node[0] = below(rng, c->nodes);
    do node[1] = below(rng, c->nodes); while (node[1] == node[0]);
    do node[2] = below(rng, c->nodes);
    while (node[2] == node[0] || node[2] == node[1]);
}

/* Block i's first replica goes round-robin over the nodes; the other two
 * are the same rotation shifted into the next rack, so each node holds
 * an equal share, as the first, second and third copy alike. */
static void place_optimal(const struct cluster *c, int i, int *node)
{
    int per_rack = c->nodes / c->racks;
    int p = i % c->nodes, rack = p / per_rack, pos = p % per_rack;

    node[0] = p;
    if (c->racks == 1) {
        node[1] = (pos + 1) % per_rack;
        node[2] = (pos + 2) % per_rack;
        return;
    }
    rack = (rack + 1) % c->racks;
    node[1] = rack * per_rack + pos;
    node[2] = rack * per_rack + (pos + 1) % per_rack;
}

void cluster_place(const struct cluster *c, enum cluster_placement how,
                   uint64_t seed, struct block *b, int nblocks)
{
    uint64_t rng = seed;

    for (int i = 0; i < nblocks; i++) {
        switch (how) {
        case PLACE_HDFS:    place_hdfs(c, &rng, b[i].node); break;
        case PLACE_RANDOM:  place_random(c, &rng, b[i].node); break;
        case PLACE_OPTIMAL: place_optimal(c, i, b[i].node); break;
        }
    }
}

enum locality cluster_locality(const struct cluster *c,
                               const struct block *b, int node)
{
    enum locality best = LOC_OFF_RACK;

    for (int k = 0; k < CLUSTER_REPLICAS; k++) {
        if (b->node[k] == node)
            return LOC_NODE;
        if (cluster_rack(c, b->node[k]) == cluster_rack(c, node))
            best = LOC_RACK;
    }
    return best;
}

/* Blocks not yet started, in queues a free slot looks at: one per node
 * (blocks with a replica there), one per rack, and all blocks (in file
 * order, or shuffled for a locality-blind scheduler). A queue's head
 * skips blocks another queue already handed out. */
struct queue {
    int *ids;
    int n, head;
};

struct pending {
    struct queue *node_q, *rack_q, *all;    /* one array: nodes, racks, all */
    int *store;
    bool *is_taken;
};

static int queue_peek(struct queue *q, const bool *is_taken)
{
    while (q->head < q->n && is_taken[q->ids[q->head]])
        q->head++;
    return q->head < q->n ? q->ids[q->head] : -1;
}

/* The queues that offer block b for its replica k: that replica's node,
 * its rack unless an earlier replica is in the same rack, and, for k == 0,
 * the all-blocks queue. Fills q[] with queue numbers (node_q, then rack_q,
 * then all, as in one array) and returns how many. */
static int queues_of(const struct cluster *c, const struct block *b, int k,
                     int *q)
{
    int n = 0, j, rack = cluster_rack(c, b->node[k]);

    q[n++] = b->node[k];
    for (j = 0; j < k && cluster_rack(c, b->node[j]) != rack; j++)
        ;
    if (j == k)
        q[n++] = c->nodes + rack;
    if (k == 0)
        q[n++] = c->nodes + c->racks;
    return n;
}

/* Builds the queues (counted first, so each gets exactly its length);
 * returns -1 when out of memory. Queues are filled replica by replica:
 * a node meets the blocks whose first copy it holds before those it
 * holds a second or third copy of, so two nodes rarely reach for the
 * same block while another block would be local to only one of them. */
static int pending_init(const struct cluster *c, const struct block *b,
                        int nblocks, struct pending *p)
{
    size_t nq = (size_t)c->nodes + (size_t)c->racks + 1, used = 0;
    int q[3], i, k, j, n;

    p->node_q = calloc(nq, sizeof(*p->node_q));
    p->store = malloc((2 * CLUSTER_REPLICAS + 1) * (size_t)nblocks *
                      sizeof(*p->store));
    p->is_taken = calloc((size_t)nblocks, sizeof(*p->is_taken));
    if (!p->node_q || !p->store || !p->is_taken)
        return -1;
    p->rack_q = p->node_q + c->nodes;
    p->all = p->rack_q + c->racks;
    for (int pass = 0; pass < 2; pass++) {  /* 0: count, 1: fill */
        for (k = 0; k < CLUSTER_REPLICAS; k++) {
            for (i = 0; i < nblocks; i++) {
                n = queues_of(c, &b[i], k, q);
                for (j = 0; j < n; j++) {
                    struct queue *qu = &p->node_q[q[j]];
                    if (pass)
                        qu->ids[qu->n] = i;
                    qu->n++;
                }
            }
        }
        for (size_t x = 0; pass == 0 && x < nq; x++) {
            p->node_q[x].ids = p->store + used;
            used += (size_t)p->node_q[x].n;
            p->node_q[x].n = 0;
        }
    }
    return 0;
}

/* Shuffles the all-blocks queue (Fisher-Yates), so that a blind
 * scheduler's order owes nothing to where the blocks are: file order
 * would line up with a round-robin placement by accident. */
static void shuffle_all(struct pending *p, uint64_t seed)
{
    uint64_t rng = seed;

    for (int i = p->all->n - 1; i > 0; i--) {
        int j = below(&rng, i + 1), t = p->all->ids[i];
        p->all->ids[i] = p->all->ids[j];
        p->all->ids[j] = t;
    }
}

static void pending_free(struct pending *p)
{
    free(p->node_q);
    free(p->store);
    free(p->is_taken);
}

/* The block a free slot on node should read next, or -1 to wait a round.
 * Blind: the next block in its shuffled order. Aware: a block on this node; if
 * none, wait up to delay_rounds for one to turn up (a slot elsewhere may
 * take the remote work, or a local block free up); then the rack, then
 * anything. */
static int pick_task(const struct cluster *c, struct pending *p,
                     const struct sched_params *sp, int node, int *waited)
{
    int i;

    if (sp->is_blind)
        return queue_peek(p->all, p->is_taken);
    if ((i = queue_peek(&p->node_q[node], p->is_taken)) >= 0)
        return i;
    if (*waited < sp->delay_rounds) {
        (*waited)++;
        return -1;
    }
    if ((i = queue_peek(&p->rack_q[cluster_rack(c, node)], p->is_taken)) >= 0)
        return i;
    return queue_peek(p->all, p->is_taken);
}

/* Seconds to read bytes with locality loc. A node's slots share its disk
 * and its link equally; a remote read goes at the slower of the remote
 * disk and the network, and the core switch divides cross-rack traffic
 * by its oversubscription. */
static double task_seconds(const struct cluster *c,
                           const struct sched_params *sp, double bytes,
                           enum locality loc)
{
    double disk = sp->disk_bps / c->slots, net = sp->net_bps / c->slots;

    if (loc == LOC_NODE)
        return bytes / disk;
    if (loc == LOC_OFF_RACK)
        net /= sp->oversub;
    return bytes / (disk < net ? disk : net);
}

/* Starts block i on a slot of node at time now; returns its end time. */
static double start_task(const struct cluster *c, struct pending *p,
                         const struct block *b, int i, int node,
                         const struct sched_params *sp, double now,
                         struct sched_result *out)
{
    enum locality loc = cluster_locality(c, &b[i], node);
    double end = now + task_seconds(c, sp, (double)b[i].bytes, loc);

    p->is_taken[i] = true;
    out->tasks++;
    out->count[loc]++;
    if (loc != LOC_NODE)
        out->net_bytes += (double)b[i].bytes;
    if (loc == LOC_OFF_RACK)
        out->core_bytes += (double)b[i].bytes;
    if (end > out->job_seconds)
        out->job_seconds = end;
    return end;
}

/* One scheduling round at time now: every free slot is offered a task
 * (Hadoop 1's TaskTrackers asked on each heartbeat). Slot s is on node
 * s % nodes: the first slot of every node, then the second of every node,
 * so a short last wave of tasks spreads over the nodes.
 * Returns the earliest time a busy slot frees up, or 0 when a slot is
 * still idle (waiting for a local block). */
static double run_round(const struct cluster *c, struct pending *p,
                        const struct block *b, const struct sched_params *sp,
                        double now, double *free_at, int *waited,
                        struct sched_result *out, int nblocks)
{
    int nslots = c->nodes * c->slots;
    double next_free = 1e300;
    bool is_idle = false;

    for (int s = 0; s < nslots; s++) {
        if (free_at[s] <= now && out->tasks < nblocks) {
            int i = pick_task(c, p, sp, s % c->nodes, &waited[s]);
            if (i < 0) {
                out->waits++;           /* stays free: asks again next round */
            } else {
                waited[s] = 0;
                free_at[s] = start_task(c, p, b, i, s % c->nodes, sp, now,
                                        out);
            }
        }
        if (free_at[s] <= now)
            is_idle = true;
        else if (free_at[s] < next_free)
            next_free = free_at[s];
    }
    return is_idle ? 0 : next_free;
}

int cluster_schedule(const struct cluster *c, const struct block *b,
                     int nblocks, const struct sched_params *sp,
                     struct sched_result *out)
{
    struct pending p = { 0 };
    size_t nslots = (size_t)c->nodes * (size_t)c->slots;
    double *free_at = calloc(nslots, sizeof(*free_at));
    int *waited = calloc(nslots, sizeof(*waited));
    int rc = -1;
    long round = 0;

    *out = (struct sched_result){ 0 };
    if (!free_at || !waited || pending_init(c, b, nblocks, &p) < 0) {
        errno = ENOMEM;
        goto out;
    }
    if (sp->is_blind)
        shuffle_all(&p, sp->seed);
    while (out->tasks < nblocks) {
        double now = (double)round * sp->heartbeat_s;
        double next = run_round(c, &p, b, sp, now, free_at, waited, out,
                                nblocks);
        /* all slots busy: skip the rounds before one frees up */
        long skip_to = (long)(next / sp->heartbeat_s);
        round = skip_to > round + 1 ? skip_to : round + 1;
    }
    rc = 0;
out:
    pending_free(&p);
    free(free_at);
    free(waited);
    return rc;
}
