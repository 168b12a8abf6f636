/* locality.c - bringing computation to the data.
 * A modelled Hadoop cluster (lib/par/cluster.c) places a file's blocks 3x and
 * runs one map task per block, locality-aware or blind: notice how many
 * bytes cross the network when the scheduler ignores where blocks are.
 * Then a real measurement: a block from the local page cache vs the same
 * block sent by another process over a socket, to ground the model.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cleanup.h"
#include "private.h"
#include "cli.h"
#include "cluster.h"
#include "report.h"
#include "hash.h"
#include "stats.h"
#include "demos.h"
#include "lesson/locality.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MB 1e6
#define DIAGRAM_BAR 12          /* marks in the fullest node's bar */
#define DEFAULT_NET_MBPS 125    /* 1 Gbit/s, when --net-mbps is not given */
#define NPLACE 3

static const char *const place_name[NPLACE] = { "hdfs", "random", "optimal" };

struct locality_opts {
    int nodes, racks, slots, writer, blocks, delay, heartbeat_ms;
    int disk_mbps, net_mbps, oversub, placement;    /* NPLACE: all */
    long long block_bytes, measure_bytes;
    bool is_no_measure;
};

#define OPT(name, type, meta, help, lo, hi, field) \
    { name, 0, type, meta, help, lo, hi, NULL, \
      offsetof(struct locality_opts, field) }

static const struct cli_opt locality_opts[] = {
    OPT("nodes", CLI_INT, "N", "nodes in the cluster", 3, 10000, nodes),
    OPT("racks", CLI_INT, "N", "racks (must divide --nodes)", 1, 1000,
        racks),
    OPT("slots", CLI_INT, "N", "map slots per node", 1, 64, slots),
    OPT("blocks", CLI_INT, "N", "blocks in the file (0: from --size)",
        0, 1000000, blocks),
    OPT("block-size", CLI_SIZE, "N", "HDFS block size", 1 << 20,
        1LL << 30, block_bytes),
    { "placement", 0, CLI_CHOICE, "P", "replica placement", 0, 0,
      "hdfs|random|optimal|all", offsetof(struct locality_opts, placement) },
    OPT("writer", CLI_INT, "N", "node that writes the file (hdfs policy)",
        0, 9999, writer),
    OPT("delay", CLI_INT, "D", "rounds a free slot waits for a local block",
        0, 1000, delay),
    OPT("heartbeat-ms", CLI_INT, "MS", "one scheduling round", 1, 60000,
        heartbeat_ms),
    OPT("disk-mbps", CLI_INT, "N", "a node's disk, MB/s", 1, 1000000,
        disk_mbps),
    OPT("net-mbps", CLI_INT, "N", "a node's network link, MB/s (when "
        "given, the model never replaces it with this machine's ratio)",
        1, 1000000, net_mbps),
    OPT("oversub", CLI_INT, "N", "core switch oversubscription (N:1)", 1, 100,
        oversub),
    OPT("measure-size", CLI_SIZE, "N", "block read in the real measurement",
        1 << 16, 1LL << 30, measure_bytes),
    OPT("no-measure", CLI_FLAG, NULL, "model only: skip the real measurement",
        0, 0, is_no_measure),
    { 0 },
};

static const struct cli_spec locality_spec = {
    .common = CLI_SIZE_OPT | CLI_REPS | CLI_SEED | CLI_FORMAT | CLI_QUIET |
              CLI_QUICK,
    .size_help = "file size, cut into --block-size blocks",
    .size_min = 1, .size_max = 1LL << 50,
    .opts = locality_opts,
    .examples = "pardemo locality --quick\n"
                "pardemo locality --nodes 40 --racks 4 --blocks 400\n"
                "pardemo locality --placement hdfs --delay 0 --no-measure\n"
                "pardemo locality --net-mbps 1250 --format csv",
};

/* ---- the model ---------------------------------------------------- */

/* One placement policy's blocks and its two schedules. */
struct model {
    enum cluster_placement how;
    struct block *blocks;
    struct sched_result aware, blind;
};

/* Checks what the option table cannot: that the options fit together.
 * Sets *nblocks; returns -1 when fine, else 2 (one line printed). */
static int check_opts(const struct run_params *p,
                      const struct locality_opts *o, int *nblocks)
{
    struct cluster c = { o->nodes, o->racks, o->slots, o->writer };
    const char *why = cluster_check(&c);
    long long n;

    if (why) {
        cli_error("locality", "%s (got --nodes %d --racks %d --writer %d)",
                  why, o->nodes, o->racks, o->writer);
        return 2;
    }
    if (o->blocks > 0 && p->size_given) {
        cli_error("locality", "give --blocks or --size, not both");
        return 2;
    }
    n = o->blocks ? o->blocks : (p->size + o->block_bytes - 1) /
                                o->block_bytes;
    if (n > 1000000) {
        cli_error("locality", "--size / --block-size must give at most "
                  "1000000 blocks (got %lld)", n);
        return 2;
    }
    *nblocks = (int)n;
    return -1;
}

/* The file's blocks: all full but the last, which holds the rest. */
static struct block *make_blocks(long long file_bytes, long long block_bytes,
                                 int nblocks)
{
    struct block *b = calloc((size_t)nblocks, sizeof(*b));

    for (int i = 0; b && i < nblocks; i++)
        b[i].bytes = i < nblocks - 1 ? block_bytes
                                     : file_bytes - (long long)i * block_bytes;
    return b;
}

static struct sched_params sched_of(const struct locality_opts *o,
                                    double net_bps, bool is_blind,
                                    uint64_t seed)
{
    return (struct sched_params){
        .disk_bps = o->disk_mbps * MB, .net_bps = net_bps,
        .oversub = o->oversub, .heartbeat_s = o->heartbeat_ms / 1e3,
        .delay_rounds = o->delay, .is_blind = is_blind, .seed = seed,
    };
}

/* Schedules m's blocks both ways, with the network at net_bps (seed
 * shuffles the blind scheduler's order). Returns 0, or -1 (ENOMEM). */
static int schedule_both(const struct cluster *c,
                         const struct locality_opts *o, double net_bps,
                         uint64_t seed, int nblocks, struct model *m)
{
    struct sched_params aware = sched_of(o, net_bps, false, seed);
    struct sched_params blind = sched_of(o, net_bps, true, seed);

    if (cluster_schedule(c, m->blocks, nblocks, &aware, &m->aware) < 0 ||
        cluster_schedule(c, m->blocks, nblocks, &blind, &m->blind) < 0)
        return -1;
    return 0;
}

/* Places the file by each policy asked for (all three, or one) and runs
 * both schedulers on each. Returns how many models, or -1 (ENOMEM). */
static int build_models(const struct run_params *p,
                        const struct locality_opts *o,
                        const struct cluster *c, long long file_bytes,
                        int nblocks, struct model *m)
{
    int nm = 0;

    for (int k = 0; k < NPLACE; k++) {
        if (o->placement != NPLACE && o->placement != k)
            continue;
        m[nm].how = (enum cluster_placement)k;
        m[nm].blocks = make_blocks(file_bytes, o->block_bytes, nblocks);
        if (!m[nm].blocks) {
            errno = ENOMEM;
            return -1;
        }
        cluster_place(c, m[nm].how, p->seed, m[nm].blocks, nblocks);
        if (schedule_both(c, o, o->net_mbps * MB, p->seed, nblocks,
                          &m[nm++]) < 0)
            return -1;
    }
    return nm;
}

/* ---- the real measurement: local read vs a block over a socket ---- */

/* A 64-bit checksum, 8 bytes a step, so both copies of a block can be
 * compared with what was written (catches short or reordered reads). */
static uint64_t sum64(const unsigned char *p, size_t n)
{
    uint64_t h = HASH_FNV_OFFSET, w;
    size_t i;

    for (i = 0; i + 8 <= n; i += 8) {   /* FNV-1a, 8 bytes a unit */
        memcpy(&w, p + i, 8);
        h = hash_fnv(h, w);
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = hash_fnv(h, p[i]);
    return h;
}

/* What one measurement run needs: the temp file, the block buffer, and
 * the socket to the storage process (-1 for the local read). */
struct probe {
    int file_fd, sock;
    unsigned char *buf;
    size_t bytes;
};

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads n bytes at off into p, however many read calls it takes. */
static int pread_all(int fd, unsigned char *p, size_t n, off_t off)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = pread(fd, p + got, n - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 ? (errno = EIO, -1) : -1;
        got += (size_t)r;
    }
    return 0;
}

/* Data-local: read the whole block from the (warm) page cache. */
static int read_local(void *arg)
{
    struct probe *pr = arg;

    return pread_all(pr->file_fd, pr->buf, pr->bytes, 0);
}

/* Separate storage: ask the storage process for the block (one byte),
 * then receive all of it from the socket. */
static int read_remote(void *arg)
{
    struct probe *pr = arg;
    size_t got = 0;
    char go = 'g';

    if (send(pr->sock, &go, 1, MSG_NOSIGNAL) != 1)
        return -1;
    while (got < pr->bytes) {
        ssize_t r = recv(pr->sock, pr->buf + got, pr->bytes - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 ? (errno = EPIPE, -1) : -1;
        got += (size_t)r;
    }
    return 0;
}

/* The storage process: for each request byte, read the block from its
 * page cache and send it, 1 MiB at a time, like a DataNode streaming a
 * block to a remote reader. Ends when the reader hangs up. */
static void serve_block(int sock, int file_fd, size_t bytes)
{
    const size_t chunk = 1 << 20;
    unsigned char *buf = malloc(chunk);
    int rc = buf ? 0 : 1;
    char go;

    prctl(PR_SET_PDEATHSIG, SIGKILL);   /* never outlive the reader */
    signal(SIGPIPE, SIG_IGN);           /* a hang-up is an error, not death */
    while (rc == 0 && recv(sock, &go, 1, 0) == 1) {
        for (size_t off = 0; rc == 0 && off < bytes; off += chunk) {
            size_t n = bytes - off < chunk ? bytes - off : chunk;
            if (pread_all(file_fd, buf, n, (off_t)off) < 0 ||
                write_all(sock, buf, n) < 0)
                rc = 1;
        }
    }
    free(buf);
    _exit(rc);
}

/* A connected TCP pair over 127.0.0.1: *listen_fd for the child to
 * accept on, the returned socket for us. Returns -1 on failure. */
static int tcp_loopback(int *listen_fd)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int s = -1;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (*listen_fd < 0 || bind(*listen_fd, (struct sockaddr *)&a, len) < 0 ||
        listen(*listen_fd, 1) < 0 ||
        getsockname(*listen_fd, (struct sockaddr *)&a, &len) < 0 ||
        (s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(s, (struct sockaddr *)&a, len) < 0) {
        int e = errno;
        if (s >= 0)
            close(s);
        if (*listen_fd >= 0)
            close(*listen_fd);
        errno = e;
        return -1;
    }
    return s;   /* the kernel completes it; the child accepts it later */
}

/* Accepts the connection whose far end is ours (its port): a port on
 * 127.0.0.1 is open to every local user, and another one's connect
 * would otherwise be served our block. Returns the socket or -1. */
static int accept_ours(int listen_fd, int ours)
{
    struct sockaddr_in me, peer;
    socklen_t len = sizeof(me);

    if (getsockname(ours, (struct sockaddr *)&me, &len) < 0)
        return -1;
    for (;;) {
        len = sizeof(peer);
        int s = accept(listen_fd, (struct sockaddr *)&peer, &len);
        if (s < 0 || peer.sin_port == me.sin_port)
            return s;
        close(s);               /* a stranger: not a byte for them */
    }
}

/* Starts the storage process behind a Unix socketpair (is_tcp false) or
 * a TCP loopback connection. Returns our socket, or -1; sets *pid and
 * *slot (registered with lib/cleanup, so Ctrl-C reaps it). */
static int start_storage(bool is_tcp, int file_fd, size_t bytes, pid_t *pid,
                         int *slot)
{
    int sv[2], ours, theirs;

    if (is_tcp) {
        if ((ours = tcp_loopback(&theirs)) < 0)
            return -1;
    } else {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
            return -1;
        ours = sv[0];
        theirs = sv[1];
    }
    fflush(NULL);
    if ((*pid = fork()) < 0) {
        close(ours);
        close(theirs);
        return -1;
    }
    if (*pid == 0) {
        int s = is_tcp ? accept_ours(theirs, ours) : theirs;
        close(ours);
        if (s < 0)
            _exit(1);
        serve_block(s, file_fd, bytes);
    }
    *slot = cleanup_add_child(*pid);
    close(theirs);
    return ours;
}

/* Hangs up on the storage process and reaps it. */
static void stop_storage(int sock, pid_t pid, int slot)
{
    close(sock);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    cleanup_forget(slot);
}

/* The three ways to get a block: the lecture's (a) data-local compute,
 * and (b) separate compute and storage, with two kinds of socket. */
enum path { PATH_LOCAL, PATH_UNIX, PATH_TCP, NPATH };

static const char *const path_name[NPATH] = {
    "(a) data-local: page cache read()",
    "(b) storage process, Unix socket",
    "(b) storage process, TCP loopback",
};

struct measured {
    size_t bytes;
    struct stats st[NPATH];     /* seconds per block */
};

/* Times one path (a warm-up, then reps) and checks that the block that
 * arrived is the block that was written. Returns 0 or -1 (errno set). */
static int time_path(enum path how, struct probe *pr, int reps,
                     uint64_t want, struct stats *st)
{
    double *samples = malloc((size_t)reps * sizeof(*samples));
    int err = 0, rc = -1, slot = -1, saved;
    pid_t pid = 0;

    if (!samples)
        return -1;
    if (how != PATH_LOCAL &&
        (pr->sock = start_storage(how == PATH_TCP, pr->file_fd, pr->bytes,
                                  &pid, &slot)) < 0)
        goto out;
    memset(pr->buf, 0, pr->bytes);      /* so the check sees THIS copy */
    *st = stats_time(how == PATH_LOCAL ? read_local : read_remote, pr, reps,
                     samples, &err);
    if (err)
        goto out;                       /* errno says why the read failed */
    if (sum64(pr->buf, pr->bytes) != want) {
        errno = EBADMSG;
        goto out;
    }
    rc = 0;
out:
    saved = errno;
    if (pid > 0)
        stop_storage(pr->sock, pid, slot);
    free(samples);
    errno = saved;
    return rc;
}

/* Makes the block: a temp file (registered with lib/cleanup) filled with
 * seeded bytes, left warm in the page cache. Returns its fd or -1. */
static int make_block_file(struct probe *pr, uint64_t seed, char **path,
                           int *slot)
{
    int fd;

    if ((fd = priv_temp_file("locality", path, slot)) < 0)
        return -1;
    for (size_t i = 0; i + 8 <= pr->bytes; i += 8) {
        uint64_t w = (seed + i) * 0x9E3779B97F4A7C15ULL;
        memcpy(pr->buf + i, &w, 8);
    }
    if (write_all(fd, pr->buf, pr->bytes) < 0) {
        int e = errno;
        close(fd);
        errno = e ? e : ENOSPC;
        return -1;
    }
    return fd;
}

/* The real measurement: one block, three ways. Returns 0, or -1 with
 * errno set and *what naming the step that failed. */
static int measure(const struct run_params *p, size_t bytes,
                   struct measured *m, const char **what)
{
    struct probe pr = { -1, -1, malloc(bytes), bytes };
    char *path = NULL;
    int slot = -1, rc = -1, saved;
    uint64_t want;

    m->bytes = bytes;
    *what = "cannot allocate the block";
    if (!pr.buf)
        goto out;
    *what = "cannot write the temp file";
    if ((pr.file_fd = make_block_file(&pr, p->seed, &path, &slot)) < 0)
        goto out;
    want = sum64(pr.buf, bytes);
    for (int k = 0; k < NPATH; k++) {
        *what = path_name[k];
        if (time_path((enum path)k, &pr, p->reps, want, &m->st[k]) < 0)
            goto out;
    }
    rc = 0;
out:
    saved = errno;
    if (pr.file_fd >= 0)
        close(pr.file_fd);
    priv_temp_remove(path, slot);
    free(pr.buf);
    errno = saved;
    return rc;
}

/* ---- the report ----------------------------------------------------- */

/* Replicas per node (into count[nodes]); returns the blocks that span
 * exactly two racks. */
static int count_replicas(const struct cluster *c, const struct block *b,
                          int nblocks, int *count)
{
    int two = 0;

    memset(count, 0, (size_t)c->nodes * sizeof(*count));
    for (int i = 0; i < nblocks; i++) {
        int r[CLUSTER_REPLICAS], k, racks = 0;
        for (k = 0; k < CLUSTER_REPLICAS; k++) {
            count[b[i].node[k]]++;
            r[k] = cluster_rack(c, b[i].node[k]);
        }
        racks = 1 + (r[1] != r[0]) + (r[2] != r[0] && r[2] != r[1]);
        two += racks == 2;
    }
    return two;
}

static void min_max(const int *x, int n, int *lo, int *hi)
{
    *lo = *hi = x[0];
    for (int i = 1; i < n; i++) {
        *lo = x[i] < *lo ? x[i] : *lo;
        *hi = x[i] > *hi ? x[i] : *hi;
    }
}

/* The placement table: how evenly each policy spread the replicas. */
static void report_placement(struct report *r, const struct cluster *c,
                             const struct model *m, int nm, int nblocks,
                             int *count)
{
    struct table *t = report_table(r, "placement", "Where the replicas went");
    int lo, hi;

    table_col(t, "placement", "placement", U_TEXT);
    table_col(t, "min_replicas_per_node", "min/node", U_INT);
    table_col(t, "max_replicas_per_node", "max/node", U_INT);
    table_col(t, "writer_share", "on the writer", U_PCT);
    table_col(t, "two_rack_fraction", "blocks on 2 racks", U_PCT);
    for (int k = 0; k < nm; k++) {
        int two = count_replicas(c, m[k].blocks, nblocks, count);
        min_max(count, c->nodes, &lo, &hi);
        table_str(t, place_name[m[k].how]);
        table_num(t, lo);
        table_num(t, hi);
        table_num(t, count[c->writer] / (double)(CLUSTER_REPLICAS * nblocks));
        table_num(t, two / (double)nblocks);
    }
    table_end(t);
}

/* One line of the diagram: node's bar in each placement. */
static void diagram_line(FILE *f, const struct cluster *c, int node,
                         const int *all, int nm, int per_mark)
{
    fprintf(f, "  rack %-3d node %-4d %s", cluster_rack(c, node), node,
            node == c->writer ? "*" : " ");
    for (int k = 0; k < nm; k++) {
        int n = all[k * c->nodes + node];
        int marks = (n + per_mark - 1) / per_mark;
        fprintf(f, " %4d %.*s%*s", n, marks, "############",
                k == nm - 1 ? 0 : DIAGRAM_BAR - marks, "");
    }
    fputc('\n', f);
}

/* Replicas per node as bars, placements side by side: the lecture's
 * "default vs optimal data placement" picture. Small clusters only. */
static void report_diagram(struct report *r, const struct cluster *c,
                           const struct model *m, int nm, int nblocks)
{
    int *all = malloc((size_t)nm * (size_t)c->nodes * sizeof(*all));
    int lo, hi, most = 1, per_mark;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    if (!all || c->nodes > 24 || !(f = open_memstream(&text, &len))) {
        free(all);
        return;                         /* a picture is optional */
    }
    for (int k = 0; k < nm; k++) {
        count_replicas(c, m[k].blocks, nblocks, all + k * c->nodes);
        min_max(all + k * c->nodes, c->nodes, &lo, &hi);
        most = hi > most ? hi : most;
    }
    /* the fullest node gets a whole bar; three bars fit 80 columns */
    per_mark = (most + DIAGRAM_BAR - 1) / DIAGRAM_BAR;
    fprintf(f, "Replicas per node (# = %d; * = the writer's node)\n%22s",
            per_mark, "");
    for (int k = 0; k < nm; k++)
        fprintf(f, " %-*s", k == nm - 1 ? 0 : DIAGRAM_BAR + 5,
                place_name[m[k].how]);
    fputc('\n', f);
    for (int node = 0; node < c->nodes; node++)
        diagram_line(f, c, node, all, nm, per_mark);
    fclose(f);
    report_text(r, "%.*s", (int)len - 1, text);  /* without the last \n */
    free(text);
    free(all);
}

static void model_row(struct table *t, const char *place, const char *sched,
                      const struct sched_result *s)
{
    table_str(t, place);
    table_str(t, sched);
    table_num(t, s->count[LOC_NODE] / (double)s->tasks);
    table_num(t, s->count[LOC_RACK] / (double)s->tasks);
    table_num(t, s->count[LOC_OFF_RACK] / (double)s->tasks);
    table_num(t, s->net_bytes);
    table_num(t, s->core_bytes);
    table_num(t, (double)s->waits);
    table_num(t, s->job_seconds);
}

/* The model table: where each map task ran, what crossed the network,
 * and how long the job took, per placement and scheduler. */
static void report_model(struct report *r, const struct model *m, int nm)
{
    struct table *t = report_table(r, "model",
        "Map tasks, locality-aware or blind: where they ran, what crossed "
        "the network (model)");

    table_col(t, "placement", "placement", U_TEXT);
    table_col(t, "scheduler", "scheduler", U_TEXT);
    table_col(t, "node_local_fraction", "node-local", U_PCT);
    table_col(t, "rack_local_fraction", "rack-local", U_PCT);
    table_col(t, "off_rack_fraction", "off-rack", U_PCT);
    table_col(t, "network_bytes", "network", U_MIB);
    table_col(t, "core_switch_bytes", "core switch", U_MIB);
    table_col(t, "delay_waits", "waits", U_INT);
    table_col(t, "job_seconds", "job", U_SEC);
    for (int k = 0; k < nm; k++) {
        model_row(t, place_name[m[k].how], "aware", &m[k].aware);
        model_row(t, place_name[m[k].how], "blind", &m[k].blind);
    }
    table_end(t);
}

/* Bytes per second of path k (by its median time). */
static double path_bps(const struct measured *ms, int k)
{
    return ms->bytes / ms->st[k].median;
}

static void report_measured(struct report *r, const struct measured *ms)
{
    struct table *t = report_table(r, "measured",
        "One block, three ways, on this machine (measured now)");

    table_col(t, "path", "how the block arrived", U_TEXT);
    table_col(t, "bytes", "block", U_MIB);
    table_col(t, "median_seconds", "median", U_MS);
    table_col(t, "min_seconds", "min", U_MS);
    table_col(t, "max_seconds", "max", U_MS);
    table_col(t, "bytes_per_second", "rate", U_MBPS);
    table_col(t, "time_vs_local", "time/local", U_NUM);
    table_col(t, "checksum", "checksum", U_TEXT);
    for (int k = 0; k < NPATH; k++) {
        table_str(t, path_name[k]);
        table_num(t, (double)ms->bytes);
        table_num(t, ms->st[k].median);
        table_num(t, ms->st[k].min);
        table_num(t, ms->st[k].max);
        table_num(t, path_bps(ms, k));
        table_num(t, path_bps(ms, PATH_LOCAL) / path_bps(ms, k));
        table_str(t, "verified");       /* time_path failed otherwise */
    }
    table_end(t);
}

/* The model again with this machine's local:TCP ratio as disk:network. */
static void report_grounded(struct report *r, const struct model *g, int nm,
                            double disk_bps, double net_bps)
{
    struct table *t = report_table(r, "grounded",
        "The model again, network = disk / this machine's TCP ratio");

    table_col(t, "placement", "placement", U_TEXT);
    table_col(t, "disk_bytes_per_second", "disk", U_MBPS);
    table_col(t, "net_bytes_per_second", "network", U_MBPS);
    table_col(t, "aware_seconds", "aware job", U_SEC);
    table_col(t, "blind_seconds", "blind job", U_SEC);
    table_col(t, "blind_over_aware", "blind/aware time", U_NUM);
    for (int k = 0; k < nm; k++) {
        table_str(t, place_name[g[k].how]);
        table_num(t, disk_bps);
        table_num(t, net_bps);
        table_num(t, g[k].aware.job_seconds);
        table_num(t, g[k].blind.job_seconds);
        table_num(t, g[k].blind.job_seconds / g[k].aware.job_seconds);
    }
    table_end(t);
}

/* ---- main -------------------------------------------------------------- */

/* Everything measured before anything is printed, so that a failure
 * leaves stdout empty. */
struct results {
    struct cluster c;
    long long file_bytes;
    int nblocks, nm;
    struct model m[NPLACE];     /* the given network speed */
    struct model g[NPLACE];     /* the measured ratio (same blocks) */
    struct sched_result d0;     /* m[0] with --delay 0 */
    struct measured ms;
    double grounded_net_bps;
    bool is_measured, is_grounded;
    bool is_net_given;          /* --net-mbps given: never replaced */
};

static int compute(const struct run_params *p, const struct locality_opts *o,
                   struct results *res)
{
    struct locality_opts no_delay = *o;
    struct sched_params sp;
    const char *what = "cannot model the cluster";

    no_delay.delay = 0;
    sp = sched_of(&no_delay, o->net_mbps * MB, false, p->seed);
    if ((res->nm = build_models(p, o, &res->c, res->file_bytes,
                                res->nblocks, res->m)) < 0 ||
        cluster_schedule(&res->c, res->m[0].blocks, res->nblocks, &sp,
                         &res->d0) < 0)
        goto fail;
    if (o->is_no_measure)
        return 0;
    if (measure(p, (size_t)o->measure_bytes, &res->ms, &what) < 0)
        goto fail;
    res->is_measured = true;
    if (res->is_net_given)
        return 0;               /* the user's network stays */
    res->is_grounded = true;
    /* the model's disk stays; the network gets this machine's ratio */
    res->grounded_net_bps = o->disk_mbps * MB * path_bps(&res->ms, PATH_TCP) /
                            path_bps(&res->ms, PATH_LOCAL);
    for (int k = 0; k < res->nm; k++) {
        res->g[k] = res->m[k];
        what = "cannot model the cluster";
        if (schedule_both(&res->c, o, res->grounded_net_bps, p->seed,
                          res->nblocks, &res->g[k]) < 0)
            goto fail;
    }
    return 0;
fail:
    cli_error("locality", "%s: %s", what, cli_strerror(errno));
    return 1;
}

/* ---- what to notice: the rules (lib/lesson/locality) ------------------- */

static struct est rate_of(const struct measured *ms, int k)
{
    const struct stats *st = &ms->st[k];

    return (struct est){ ms->bytes / st->median, ms->bytes / st->q3,
                         ms->bytes / st->q1 };
}

static void lesson_model(const struct cluster *c, const struct model *m,
                         int nblocks, int *count, struct loc_model *x)
{
    int two = count_replicas(c, m->blocks, nblocks, count);

    x->place = place_name[m->how];
    x->is_hdfs = m->how == PLACE_HDFS;
    x->is_optimal = m->how == PLACE_OPTIMAL;
    x->aware = m->aware;
    x->blind = m->blind;
    min_max(count, c->nodes, &x->lo, &x->hi);
    x->writer_share = count[c->writer] / (double)(CLUSTER_REPLICAS *
                                                  nblocks);
    x->two_racks = two / (double)nblocks;
}

static void print_notices(struct report *r, const struct run_params *p,
                          const struct locality_opts *o,
                          const struct results *res, int *count)
{
    struct locality_results x = {
        .nodes = o->nodes, .racks = o->racks, .writer = o->writer,
        .heartbeat_ms = o->heartbeat_ms, .delay = o->delay,
        .oversub = o->oversub, .disk_mbps = o->disk_mbps,
        .net_mbps = o->net_mbps, .is_net_given = res->is_net_given,
        .nm = count ? res->nm : 0, .no_delay = res->d0,
        .is_measured = res->is_measured, .block_bytes = res->ms.bytes,
        .is_grounded = res->is_grounded,
        .grounded_net_bps = res->grounded_net_bps,
        .g_aware = res->g[0].aware, .g_blind = res->g[0].blind,
        .cond = cond_stop(&p->probe),
    };
    struct notices ns;

    for (int k = 0; k < x.nm; k++)
        lesson_model(&res->c, &res->m[k], res->nblocks, count, &x.m[k]);
    for (int k = 0; res->is_measured && k < LOC_NPATH; k++)
        x.rate[k] = rate_of(&res->ms, k);
    x.cond.reps = p->reps;
    for (int k = 0; res->is_measured && k < LOC_NPATH; k++)
        x.cond.spread = fmax(x.cond.spread, est_spread(x.rate[k]));
    notices_init(&ns);
    locality_notices(&x, &ns);
    report_conditions(r, NULL, res->is_measured ? &x.cond : NULL);
    report_notices(r, &ns);
}

static void print_report(const struct run_params *p,
                         const struct locality_opts *o,
                         const struct results *res)
{
    struct report *r = report_begin(p, "Bringing computation to the data",
        "HDFS keeps 3 copies of each block. A map task that runs where a "
        "copy is reads\nits local disk; any other task pulls its block over "
        "the network.");
    char sz[32];
    int *count = malloc((size_t)res->c.nodes * sizeof(*count));

    report_param(r, "nodes", "%d", o->nodes);
    report_param(r, "racks", "%d", o->racks);
    report_param(r, "slots", "%d", o->slots);
    report_param(r, "blocks", "%d", res->nblocks);
    report_param(r, "block_size", "%s", cli_fmt_size(o->block_bytes, sz,
                                                      sizeof(sz)));
    report_param(r, "writer", "%d", o->writer);
    report_param(r, "delay", "%d", o->delay);
    report_param(r, "heartbeat_ms", "%d", o->heartbeat_ms);
    report_param(r, "disk_mbps", "%d", o->disk_mbps);
    report_param(r, "net_mbps", "%d", o->net_mbps);
    report_param(r, "oversub", "%d", o->oversub);
    report_param(r, "seed", "%llu", p->seed);
    if (count)
        report_placement(r, &res->c, res->m, res->nm, res->nblocks, count);
    report_diagram(r, &res->c, res->m, res->nm, res->nblocks);
    report_model(r, res->m, res->nm);
    if (res->is_measured)
        report_measured(r, &res->ms);
    if (res->is_grounded)
        report_grounded(r, res->g, res->nm, o->disk_mbps * MB,
                        res->grounded_net_bps);
    print_notices(r, p, o, res, count);
    free(count);
    report_end(r);
}

/* Was option name (e.g. "--net-mbps") on the command line? */
static bool is_given(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);

    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strncmp(argv[i], name, n) && (!argv[i][n] || argv[i][n] == '='))
            return true;
    return false;
}

static int locality_main(int argc, char **argv)
{
    struct run_params p;
    struct locality_opts o = {
        .nodes = 12, .racks = 3, .slots = 2, .writer = 0, .blocks = 0,
        .delay = 3, .heartbeat_ms = 100, .disk_mbps = 400,
        .net_mbps = DEFAULT_NET_MBPS,
        .oversub = 2, .placement = NPLACE, .block_bytes = 128LL << 20,
        .measure_bytes = 64LL << 20,
    };
    struct results res = { 0 };
    int rc;

    cli_defaults(&p, "locality");
    p.size = 48 * o.block_bytes;            /* a 6 GiB file: 48 blocks */
    if ((rc = cli_parse(&demo_locality, argc, argv, &p, &o)) >= 0)
        return rc;
    if ((rc = check_opts(&p, &o, &res.nblocks)) >= 0)
        return rc;
    res.is_net_given = is_given(argc, argv, "--net-mbps");
    if (p.is_quick && !p.reps_given)
        p.reps = 3;
    cleanup_init();
    res.c = (struct cluster){ o.nodes, o.racks, o.slots, o.writer };
    res.file_bytes = o.blocks ? (long long)o.blocks * o.block_bytes : p.size;
    if ((rc = compute(&p, &o, &res)) == 0)
        print_report(&p, &o, &res);
    for (int k = 0; k < NPLACE; k++)
        free(res.m[k].blocks);
    return rc;
}

const struct demo demo_locality = {
    .name = "locality",
    .summary = "computation to the data: HDFS placement, map scheduling",
    .main = locality_main,
    .slide = "Bringing computation to the data",
    .spec = &locality_spec,
};
