/* rdd_mpi.h - the mini-RDD engine across Open MPI ranks (mpi.c).
 * Started by `mpirun -np N` (N > 1), every rank runs the same driver
 * program; each stage's tasks are shared out (partition p runs on rank
 * p % N), a shuffle is one MPI_Alltoallv of serialised records, and a
 * result stage's partitions are gathered to every rank, so all ranks
 * agree on every result. Only rank 0 prints. Without MPI (or 1 rank)
 * sc->mpi is NULL and every hook below does nothing.
 */
#ifndef RDD_MPI_H
#define RDD_MPI_H

#include "rdd.h"

struct report;
struct rdd_part;

/* What one rank did, for `pardemo distributed` and the ranks table. */
struct rdd_mpi_rank_stats {
    int splits;                 /* textFile splits this rank read */
    long long split_bytes;      /* bytes in those splits */
    long long tasks;
    long long bytes_sent;       /* shuffle bytes sent to other ranks */
    long long bytes_received;   /* and received from them */
    double busy_seconds;        /* running tasks */
    double comm_seconds;        /* in MPI (shuffle, gather, agreement) */
};

/* Is this process one of N > 1 ranks of an mpirun? (The environment
 * says so before MPI_Init: a normal run never initialises MPI.) */
bool rdd_mpi_launched(void);
/* Rank 0 alone writes to stdout (and, once MPI is up, to stderr): the
 * other ranks' go to /dev/null. Call first thing in main(). */
void rdd_mpi_quiet_followers(void);
/* Started by mpirun with N > 1 ranks, but built without MPI: ranks
 * other than 0 cannot share the work (true here); rank 0 does it all. */
bool rdd_mpi_is_idle_follower(void);
/* Was pardemo built with MPI? */
bool rdd_mpi_built(void);

/* rank and size of the context's job (0 and 1 when not distributed). */
int rdd_mpi_rank(const struct rdd_context *sc);
int rdd_mpi_size(const struct rdd_context *sc);
/* The sum of v over all ranks (v itself when not distributed). A
 * driver-side counter (calls of a user function) needs it: each rank
 * counted only the tasks it ran. Collective. */
long long rdd_mpi_sum(struct rdd_context *sc, long long v);
/* Every rank's stats, gathered (collective): stats[size]. */
void rdd_mpi_all_stats(struct rdd_context *sc,
                       struct rdd_mpi_rank_stats *stats);

/* What the ranks did in all: for the topic's notice (lib/lesson). */
struct rdd_ranks_sum {
    int ranks;                  /* 0: not distributed */
    int splits;
    long long sent_bytes;       /* shuffled between ranks */
};

/* The ranks table (rank, splits read, shuffle bytes sent and received,
 * time in tasks and in MPI), and its sums into *sum; nothing when not
 * distributed (sum->ranks 0). Collective: every rank calls it (only rank
 * 0's output is seen). */
void rdd_report_ranks(struct report *r, struct rdd_context *sc,
                      struct rdd_ranks_sum *sum);

/* ---- hooks for the engine (lib/rdd only) */
void mpi_attach(struct rdd_context *sc);
void mpi_detach(struct rdd_context *sc);
/* The parts of the list this rank runs, into mine; returns the count. */
int mpi_my_parts(struct rdd_context *sc, const int *parts, int n,
                 int *mine);
/* Every rank learns whether any failed: the lowest failing rank's error
 * (copied into the context), or NULL when none did. Collective. */
const char *mpi_agree(struct rdd_context *sc, const char *error);
/* After this rank's map tasks of the list: each rank receives every
 * map output's buckets for the reduce partitions it owns. */
const char *mpi_exchange(struct rdd *sr, const int *parts, int n);
/* After this rank computed its partitions of the list into got[p]:
 * every rank gets all of them. */
const char *mpi_gather(struct rdd *r, const int *parts, int n,
                       struct rdd_part *got);
/* Adds the other ranks' counters to a stage log (from `before` on). */
void mpi_sum_stage(struct rdd_context *sc, struct rdd_stage_log *log,
                   const struct rdd_stage_log *before);
/* The task trace since entry first: every rank's, in parts order. */
void mpi_merge_tasks(struct rdd_context *sc, int first, const int *parts,
                     int n);
/* Rank 0's value, on every rank. */
int mpi_share(struct rdd_context *sc, int v);
void mpi_count_split(struct rdd_context *sc, long long bytes);
void mpi_add_busy(struct rdd_context *sc, double seconds, int tasks);

#endif
