/* mpi.c - the mini-RDD engine's tasks spread over Open MPI ranks.
 * Every rank runs the same program (SPMD): the driver is replicated, the
 * work is not. A stage's partition p runs on rank p % N; a shuffle's map
 * outputs cross ranks in one MPI_Alltoallv of serialised (key, value)
 * records; a result stage's partitions are gathered to all ranks. Read
 * mpi_exchange: Spark's shuffle, done by MPI.
 */
#include "rdd_impl.h"
#include "rdd_mpi.h"
#include "stats.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool rdd_mpi_launched(void)
{
    const char *n = getenv("OMPI_COMM_WORLD_SIZE");

    return n && atoi(n) > 1;
}

static bool is_follower(void)
{
    const char *r = getenv("OMPI_COMM_WORLD_RANK");

    return rdd_mpi_launched() && r && atoi(r) != 0;
}

bool rdd_mpi_is_idle_follower(void)
{
#ifdef PARDEMO_MPI
    return false;
#else
    return is_follower();
#endif
}

static void to_dev_null(int fd)
{
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

    if (null >= 0) {
        dup2(null, fd);
        close(null);
    }
}

/* stdout now; stderr once the ranks are connected (mpi_attach): from
 * then on errors are agreed and rank 0 reports them, but an error before
 * (a file only this rank lacks) is still seen. */
void rdd_mpi_quiet_followers(void)
{
    if (is_follower())
        to_dev_null(STDOUT_FILENO);
}

#ifndef PARDEMO_MPI

bool rdd_mpi_built(void) { return false; }
void mpi_attach(struct rdd_context *sc) { (void)sc; }
void mpi_detach(struct rdd_context *sc) { (void)sc; }
int rdd_mpi_rank(const struct rdd_context *sc) { (void)sc; return 0; }
int rdd_mpi_size(const struct rdd_context *sc) { (void)sc; return 1; }
void rdd_mpi_all_stats(struct rdd_context *sc,
                       struct rdd_mpi_rank_stats *stats)
{
    (void)sc;
    (void)stats;
}
int mpi_my_parts(struct rdd_context *sc, const int *parts, int n, int *mine)
{
    (void)sc;
    memcpy(mine, parts, (size_t)n * sizeof(*mine));
    return n;
}
const char *mpi_agree(struct rdd_context *sc, const char *error)
{
    (void)sc;
    return error;
}
const char *mpi_exchange(struct rdd *sr, const int *parts, int n)
{
    (void)sr, (void)parts, (void)n;
    return NULL;
}
const char *mpi_gather(struct rdd *r, const int *parts, int n,
                       struct rdd_part *got)
{
    (void)r, (void)parts, (void)n, (void)got;
    return NULL;
}
void mpi_sum_stage(struct rdd_context *sc, struct rdd_stage_log *log,
                   const struct rdd_stage_log *before)
{
    (void)sc, (void)log, (void)before;
}
int mpi_share(struct rdd_context *sc, int v) { (void)sc; return v; }
void mpi_merge_tasks(struct rdd_context *sc, int first, const int *parts,
                     int n)
{
    (void)sc, (void)first, (void)parts, (void)n;
}
long long rdd_mpi_sum(struct rdd_context *sc, long long v)
{
    (void)sc;
    return v;
}
void mpi_count_split(struct rdd_context *sc, long long bytes)
{
    (void)sc, (void)bytes;
}
void mpi_add_busy(struct rdd_context *sc, double seconds, int tasks)
{
    (void)sc, (void)seconds, (void)tasks;
}

#else

#include <mpi.h>

struct rdd_mpi {
    int rank, size;
    struct rdd_mpi_rank_stats stats;
    char error[512];
};

bool rdd_mpi_built(void) { return true; }

static void finalize(void)
{
    int done = 0;

    MPI_Finalized(&done);
    if (!done)
        MPI_Finalize();
}

/* Tells `pardemo distributed` this rank got through MPI_Init: a byte
 * appended to $PARDEMO_MPI_READY, a file in its private directory. A
 * rank stuck in MPI_Init (a memory limit) never writes it, and the
 * launcher gives up instead of waiting forever. */
static void say_started(void)
{
    const char *path = getenv("PARDEMO_MPI_READY");
    int fd;

    if (!path || (fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW |
                            O_CLOEXEC)) < 0)
        return;
    ssize_t wrote = write(fd, "r", 1);  /* failing: the launcher times out */
    (void)wrote;
    close(fd);
}

void mpi_attach(struct rdd_context *sc)
{
    int is_init = 0, level;

    if (!rdd_mpi_launched())
        return;
    MPI_Initialized(&is_init);
    if (!is_init) {
        /* only the main thread calls MPI; OpenMP threads run tasks */
        MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &level);
        atexit(finalize);
        say_started();
    }
    if (is_follower())
        to_dev_null(STDERR_FILENO);
    sc->mpi = rdd_xcalloc(1, sizeof(*sc->mpi));
    MPI_Comm_rank(MPI_COMM_WORLD, &sc->mpi->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &sc->mpi->size);
    /* like Spark: default partitions = cores of all executors */
    sc->default_parallelism = sc->threads * sc->mpi->size;
}

void mpi_detach(struct rdd_context *sc)
{
    free(sc->mpi);
    sc->mpi = NULL;
}

int rdd_mpi_rank(const struct rdd_context *sc)
{
    return sc->mpi ? sc->mpi->rank : 0;
}

int rdd_mpi_size(const struct rdd_context *sc)
{
    return sc->mpi ? sc->mpi->size : 1;
}

void rdd_mpi_all_stats(struct rdd_context *sc,
                       struct rdd_mpi_rank_stats *stats)
{
    if (!sc->mpi) {
        memset(stats, 0, sizeof(*stats));
        return;
    }
    MPI_Allgather(&sc->mpi->stats, (int)sizeof(*stats), MPI_BYTE, stats,
                  (int)sizeof(*stats), MPI_BYTE, MPI_COMM_WORLD);
}

/* Called by tasks on several threads at once: atomic adds. */
void mpi_count_split(struct rdd_context *sc, long long bytes)
{
    if (sc->mpi) {
        __atomic_fetch_add(&sc->mpi->stats.splits, 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&sc->mpi->stats.split_bytes, bytes,
                           __ATOMIC_RELAXED);
    }
}

void mpi_add_busy(struct rdd_context *sc, double seconds, int tasks)
{
    if (sc->mpi) {
        sc->mpi->stats.busy_seconds += seconds;
        sc->mpi->stats.tasks += tasks;
    }
}

static bool is_mine(const struct rdd_mpi *m, int p)
{
    return p % m->size == m->rank;
}

int mpi_my_parts(struct rdd_context *sc, const int *parts, int n, int *mine)
{
    int k = 0;

    for (int i = 0; i < n; i++)
        if (!sc->mpi || is_mine(sc->mpi, parts[i]))
            mine[k++] = parts[i];
    return k;
}

const char *mpi_agree(struct rdd_context *sc, const char *error)
{
    struct rdd_mpi *m = sc->mpi;
    int mine, first;
    double t0 = clk_now();

    if (!m)
        return error;
    mine = error ? m->rank : INT_MAX;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first != INT_MAX) {
        if (first == m->rank && first > 0)
            snprintf(m->error, sizeof(m->error), "%s (on rank %d)", error,
                     first);
        else if (first == m->rank)
            snprintf(m->error, sizeof(m->error), "%s", error);
        MPI_Bcast(m->error, (int)sizeof(m->error), MPI_CHAR, first,
                  MPI_COMM_WORLD);
    }
    m->stats.comm_seconds += clk_now() - t0;
    return first == INT_MAX ? NULL : m->error;
}

int mpi_share(struct rdd_context *sc, int v)
{
    if (sc->mpi)
        MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return v;
}

long long rdd_mpi_sum(struct rdd_context *sc, long long v)
{
    if (sc->mpi)
        MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_LONG_LONG, MPI_SUM,
                      MPI_COMM_WORLD);
    return v;
}

void mpi_sum_stage(struct rdd_context *sc, struct rdd_stage_log *log,
                   const struct rdd_stage_log *before)
{
    long long d[8] = {
        log->tasks - before->tasks,
        log->tasks_recomputed - before->tasks_recomputed,
        log->cache_hits - before->cache_hits,
        log->records_in - before->records_in,
        log->records_out - before->records_out,
        log->records_written - before->records_written,
        log->bytes_written - before->bytes_written,
        log->bytes_read - before->bytes_read,
    };

    if (!sc->mpi)
        return;
    MPI_Allreduce(MPI_IN_PLACE, d, 8, MPI_LONG_LONG, MPI_SUM,
                  MPI_COMM_WORLD);
    log->tasks = before->tasks + (int)d[0];
    log->tasks_recomputed = before->tasks_recomputed + (int)d[1];
    log->cache_hits = before->cache_hits + (int)d[2];
    log->records_in = before->records_in + d[3];
    log->records_out = before->records_out + d[4];
    log->records_written = before->records_written + d[5];
    log->bytes_written = before->bytes_written + d[6];
    log->bytes_read = before->bytes_read + d[7];
}

/* The task trace: every rank's entries since first, in the order of the
 * parts list (as one process would have logged them). */
void mpi_merge_tasks(struct rdd_context *sc, int first, const int *parts,
                     int n)
{
    struct rdd_mpi *m = sc->mpi;
    int size = (int)sizeof(struct rdd_task_log), out = first;
    int *count = rdd_xcalloc((size_t)m->size, sizeof(int));
    int *displ = rdd_xcalloc((size_t)m->size, sizeof(int));
    struct rdd_task_log *all;
    int mine = (sc->ntasks - first) * size, total;

    MPI_Allgather(&mine, 1, MPI_INT, count, 1, MPI_INT, MPI_COMM_WORLD);
    for (int s = 1; s < m->size; s++)
        displ[s] = displ[s - 1] + count[s - 1];
    total = displ[m->size - 1] + count[m->size - 1];
    all = rdd_xmalloc((size_t)total + 1);
    MPI_Allgatherv(&sc->tasks[first], mine, MPI_BYTE, all, count, displ,
                   MPI_BYTE, MPI_COMM_WORLD);
    for (int i = 0; i < n; i++) {
        int s = parts[i] % m->size;
        for (int k = displ[s] / size; k < (displ[s] + count[s]) / size; k++) {
            if (all[k].partition != parts[i])
                continue;
            if (out < RDD_MAX_TRACE)
                sc->tasks[out++] = all[k];
            else
                sc->tasks_dropped++;
            break;
        }
    }
    sc->ntasks = out;
    free(all);
    free(count);
    free(displ);
}

/* Bytes of a list of values, and the list itself after its count. */
static size_t part_bytes(const struct rdd_part *p)
{
    size_t n = 8;

    for (size_t i = 0; i < p->n; i++)
        n += rdd_value_bytes(p->v[i]);
    return n;
}

static char *put_part(char *at, const struct rdd_part *p)
{
    uint64_t n = p->n;

    memcpy(at, &n, 8);
    at += 8;
    for (size_t i = 0; i < p->n; i++)
        at = rdd_value_put(at, p->v[i]);
    return at;
}

static const char *get_part(const char *at, struct rdd_part *p)
{
    uint64_t n;

    memcpy(&n, at, 8);
    at += 8;
    for (uint64_t i = 0; i < n; i++) {
        struct rdd_value v;
        at = rdd_value_get(at, &v, p->arena, true);
        rdd_part_push(p, v);
    }
    return at;
}

/* A shuffle block as sent: its record count, its length, its bytes. */
static size_t block_wire_bytes(const struct block *b)
{
    return 16 + b->len;
}

static char *put_block(char *at, const struct block *b)
{
    uint64_t n = b->n, len = b->len;

    memcpy(at, &n, 8);
    memcpy(at + 8, &len, 8);
    if (b->len)
        memcpy(at + 16, b->bytes, b->len);
    return at + 16 + b->len;
}

static const char *get_block(const char *at, struct block *b)
{
    uint64_t n, len;

    memcpy(&n, at, 8);
    memcpy(&len, at + 8, 8);
    rdd_block_reserve(b, (size_t)len);
    if (len)
        memcpy(b->bytes, at + 16, (size_t)len);
    b->len = (size_t)len;
    b->n = (size_t)n;
    return at + 16 + len;
}

/* ---- the all-to-all: what goes where, in one order every rank knows:
 * to rank d, for each map partition m of the list that we ran, the
 * buckets of the reduce partitions d owns, in partition order. */

struct a2a {
    int *count, *displ;         /* bytes per rank */
    char *buf;
};

static void a2a_free(struct a2a *x)
{
    free(x->count);
    free(x->displ);
    free(x->buf);
}

/* Lays out the byte counts (displ from count); -1 past 2 GB. */
static int a2a_layout(struct a2a *x, const long long *bytes, int size)
{
    long long total = 0;

    for (int d = 0; d < size; d++) {
        if (bytes[d] > INT_MAX || total + bytes[d] > INT_MAX)
            return -1;
        x->count[d] = (int)bytes[d];
        x->displ[d] = (int)total;
        total += bytes[d];
    }
    x->buf = rdd_xmalloc((size_t)total + 1);
    return 0;
}

static void a2a_init(struct a2a *x, int size)
{
    x->count = rdd_xcalloc((size_t)size, sizeof(int));
    x->displ = rdd_xcalloc((size_t)size, sizeof(int));
    x->buf = NULL;
}

/* Serialises this rank's map outputs for the other ranks; -1: too big */
static int pack_buckets(struct rdd *sr, const int *parts, int n,
                        struct a2a *send)
{
    struct rdd_mpi *m = sr->sc->mpi;
    struct rdd_shuffle *sh = sr->shuffle;
    long long *bytes = rdd_xcalloc((size_t)m->size, sizeof(*bytes));
    char **at = rdd_xcalloc((size_t)m->size, sizeof(*at));
    int rc;

    for (int i = 0; i < n; i++)
        for (int q = 0; is_mine(m, parts[i]) && q < sh->nreduce; q++)
            if (q % m->size != m->rank)
                bytes[q % m->size] += (long long)block_wire_bytes(
                    &sh->out[parts[i]].bucket[q]);
    if ((rc = a2a_layout(send, bytes, m->size)) == 0) {
        for (int d = 0; d < m->size; d++)
            at[d] = send->buf + send->displ[d];
        for (int i = 0; i < n; i++) {
            struct map_out *mo = &sh->out[parts[i]];
            for (int q = 0; is_mine(m, parts[i]) && q < sh->nreduce; q++) {
                if (q % m->size == m->rank)
                    continue;
                at[q % m->size] = put_block(at[q % m->size], &mo->bucket[q]);
                rdd_block_free(&mo->bucket[q]);     /* sent: not ours to read */
            }
        }
        m->stats.bytes_sent += send->displ[m->size - 1] +
                               send->count[m->size - 1];
    }
    free(bytes);
    free(at);
    return rc;
}

/* Reads the other ranks' map outputs into our reduce partitions. */
static void unpack_buckets(struct rdd *sr, const int *parts, int n,
                           const struct a2a *recv)
{
    struct rdd_mpi *m = sr->sc->mpi;
    struct rdd_shuffle *sh = sr->shuffle;

    for (int s = 0; s < m->size; s++) {
        const char *at = recv->buf + recv->displ[s];
        if (s == m->rank)
            continue;
        m->stats.bytes_received += recv->count[s];
        for (int i = 0; i < n; i++) {
            struct map_out *mo = &sh->out[parts[i]];
            if (parts[i] % m->size != s)
                continue;
            if (!mo->bucket)
                mo->bucket = rdd_xcalloc((size_t)sh->nreduce,
                                         sizeof(*mo->bucket));
            for (int q = m->rank; q < sh->nreduce; q += m->size)
                at = get_block(at, &mo->bucket[q]);
            mo->is_done = true;
            mo->was_lost = false;
        }
    }
}

/* A test hook: PARDEMO_MPI_DIE_RANK=r kills rank r at its first shuffle
 * (a node lost mid-job): mpirun must end the job, not hang. */
static void maybe_die(const struct rdd_mpi *m)
{
    const char *r = getenv("PARDEMO_MPI_DIE_RANK");

    if (r && atoi(r) == m->rank)
        raise(SIGKILL);
}

const char *mpi_exchange(struct rdd *sr, const int *parts, int n)
{
    struct rdd_mpi *m = sr->sc->mpi;
    struct a2a send, recv;
    long long *bytes;
    int bad;
    double t0 = clk_now();

    if (!m)
        return NULL;
    maybe_die(m);
    a2a_init(&send, m->size);
    a2a_init(&recv, m->size);
    bad = pack_buckets(sr, parts, n, &send) < 0;
    if (mpi_agree(sr->sc, bad ? "a shuffle block is over 2 GB: use more "
                  "partitions (-p)" : NULL)) {
        a2a_free(&send);
        a2a_free(&recv);
        return m->error;
    }
    MPI_Alltoall(send.count, 1, MPI_INT, recv.count, 1, MPI_INT,
                 MPI_COMM_WORLD);
    bytes = rdd_xcalloc((size_t)m->size, sizeof(*bytes));
    for (int s = 0; s < m->size; s++)
        bytes[s] = recv.count[s];
    bad = a2a_layout(&recv, bytes, m->size) < 0;
    free(bytes);
    if (!mpi_agree(sr->sc, bad ? "a rank would receive over 2 GB in one "
                   "shuffle: use more partitions (-p)" : NULL)) {
        MPI_Alltoallv(send.buf, send.count, send.displ, MPI_BYTE, recv.buf,
                      recv.count, recv.displ, MPI_BYTE, MPI_COMM_WORLD);
        unpack_buckets(sr, parts, n, &recv);
    }
    a2a_free(&send);
    a2a_free(&recv);
    m->stats.comm_seconds += clk_now() - t0;
    return bad ? m->error : NULL;
}

/* ---- the result stage: every rank gets every computed partition */

const char *mpi_gather(struct rdd *r, const int *parts, int n,
                       struct rdd_part *got)
{
    struct rdd_mpi *m = r->sc->mpi;
    long long mine = 0;
    int *count, *displ, bad;
    char *buf, *at;
    const char *in;
    double t0 = clk_now();

    for (int i = 0; i < n; i++)
        if (is_mine(m, parts[i]))
            mine += (long long)part_bytes(&got[parts[i]]);
    bad = mine > INT_MAX / m->size;
    if (mpi_agree(r->sc, bad ? "a result over 2 GB cannot be gathered"
                  : NULL))
        return m->error;
    count = rdd_xcalloc((size_t)m->size, sizeof(int));
    displ = rdd_xcalloc((size_t)m->size, sizeof(int));
    MPI_Allgather(&(int){ (int)mine }, 1, MPI_INT, count, 1, MPI_INT,
                  MPI_COMM_WORLD);
    for (int s = 1; s < m->size; s++)
        displ[s] = displ[s - 1] + count[s - 1];
    buf = rdd_xmalloc((size_t)displ[m->size - 1] + count[m->size - 1] + 1);
    at = buf + displ[m->rank];
    for (int i = 0; i < n; i++)
        if (is_mine(m, parts[i]))
            at = put_part(at, &got[parts[i]]);
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_BYTE, buf, count, displ, MPI_BYTE,
                   MPI_COMM_WORLD);
    for (int s = 0; s < m->size; s++) {
        in = buf + displ[s];
        for (int i = 0; i < n; i++) {
            struct rdd_part *p = &got[parts[i]];
            if (parts[i] % m->size != s || s == m->rank)
                continue;
            p->arena = rdd_arena_new();
            in = get_part(in, p);
        }
    }
    for (int i = 0; i < n; i++)
        got[parts[i]].is_present = true;
    free(buf);
    free(count);
    free(displ);
    m->stats.comm_seconds += clk_now() - t0;
    return NULL;
}

#endif
