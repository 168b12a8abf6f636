/* ipc.c - shared memory vs message queues vs pipes vs sockets.
 * The same messages go from one process to another over each mechanism,
 * every byte checksummed on the far side. Look at shared memory's zero
 * copies into the kernel and (nearly) zero system calls, and at how small-
 * message latency changes when both processes must share one CPU.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "ipc.h"
#include "demos.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum mech { MECH_SHM, MECH_MQ, MECH_PIPE, MECH_UNIX, MECH_COUNT };
static const char *const mech_key[MECH_COUNT] = { "shm", "mq", "pipe",
                                                  "unix" };
static const char *const mech_name[MECH_COUNT] = {
    "shared memory", "message queue", "pipe", "unix socket" };

enum { TO_CHILD, TO_PARENT };           /* directions */
enum { PARENT, CHILD };                 /* sides */

#define SCRATCH_BYTES 65536             /* one pipe's worth per read() */
#define SAMPLES_MAX 65536               /* round trips kept for the median */

struct ipc_opts {
    struct cli_list sizes;
    long long count;                    /* 0: sized to the message */
    const char *mechs;
};

/* What the experiment does for one message size (both processes know). */
struct plan {
    size_t size;
    long long rounds, msgs;             /* ping-pongs per phase, stream */
    int cpu;                            /* the one CPU of the pinned phase */
    cpu_set_t all;                      /* the CPUs we were given */
    uint64_t seed;
};

struct result {
    double lat_pinned, lat_free;        /* one way, seconds */
    double bw;                          /* bytes per second */
    double syscalls, kcopies;           /* per message, both processes */
    double free_syscalls;               /* per round trip, the parent's */
    long long msgs;
    uint64_t sum;                       /* the receiver's checksum */
    bool is_ok;
};

/* Both directions of one mechanism between a parent and its child. */
struct chan {
    enum mech mech;
    size_t size;
    int side;
    struct ipc_shm shm;                 /* two rings, one per direction */
    struct ipc_mq mq[2];                /* one queue per direction */
    int pipe_fd[2][2];                  /* [direction][read end, write end] */
    struct ipc_addr addr;
    int listen_fd, listen_slot;
    int sock[2];                        /* [parent's end, child's end] */
    unsigned char *scratch;             /* pipe and socket reads land here */
    struct ipc_counts counts;
    struct ipc_wait wait;
};

/* What the child reports after the stream. */
struct reply {
    uint64_t sum, syscalls;
};

static struct ipc_ring *ring_of(struct chan *c, int dir)
{
    return (struct ipc_ring *)c->shm.addr + dir;
}

static void chan_close(struct chan *c)
{
    ipc_shm_destroy(&c->shm);
    ipc_mq_destroy(&c->mq[0]);
    ipc_mq_destroy(&c->mq[1]);
    for (int i = 0; i < 4; i++)
        if (c->pipe_fd[i / 2][i % 2] >= 0)
            close(c->pipe_fd[i / 2][i % 2]);
    for (int i = 0; i < 2; i++)
        if (c->sock[i] >= 0)
            close(c->sock[i]);
    ipc_unlisten(c->listen_fd, &c->addr, c->listen_slot);
    free(c->scratch);
    memset(c, 0, sizeof(*c));
}

/* Queues take at most msgsize_max bytes a message: bigger ones go in
 * chunks. */
static int open_mq(struct chan *c, char *err, size_t len)
{
    long max = ipc_mq_limit("msgsize_max", 8192);
    long depth = ipc_mq_limit("msg_max", 10);
    long msgsize = (long)c->size < max ? (long)c->size : max;

    if (msgsize < (long)sizeof(struct reply) && max >= 16)
        msgsize = max < 64 ? max : 64;  /* room for the reply in one go */
    depth = depth < 10 ? depth : 10;
    if (ipc_mq_create(&c->mq[TO_CHILD], "mq-down", msgsize, depth, err,
                      len) < 0)
        return -1;
    return ipc_mq_create(&c->mq[TO_PARENT], "mq-up", msgsize, depth, err,
                         len);
}

/* A named socket, connected to itself before the fork: the child keeps
 * one end. (A server would accept() a client the same way.) */
static int open_unix(struct chan *c, char *err, size_t len)
{
    char name[64], spec[96], why[128];

    snprintf(spec, sizeof(spec), "unix:/tmp%s.sock",
             ipc_name(name, sizeof(name), "ipc"));
    if (ipc_addr_parse(spec, &c->addr, why, sizeof(why)) < 0) {
        snprintf(err, len, "bad socket path %s: %s", spec, why);
        return -1;
    }
    c->listen_fd = ipc_listen(&c->addr, &c->listen_slot, err, len);
    if (c->listen_fd < 0)
        return -1;
    c->sock[CHILD] = ipc_connect(&c->addr);
    if (c->sock[CHILD] >= 0)
        c->sock[PARENT] = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (c->sock[CHILD] < 0 || c->sock[PARENT] < 0) {
        snprintf(err, len, "cannot connect to %s: %s", c->addr.text,
                 cli_strerror(errno));
        return -1;
    }
    return 0;
}

static int open_pipes(struct chan *c, char *err, size_t len)
{
    if (pipe2(c->pipe_fd[0], O_CLOEXEC) == 0 &&
        pipe2(c->pipe_fd[1], O_CLOEXEC) == 0)
        return 0;
    snprintf(err, len, "cannot create a pipe: %s", cli_strerror(errno));
    return -1;
}

/* Creates the mechanism's names and descriptors. Returns 0, or -1 with one
 * line in err (and nothing left behind). */
static int chan_open(struct chan *c, enum mech m, size_t size, char *err,
                     size_t len)
{
    int rc = 0;

    memset(c, 0, sizeof(*c));
    c->mech = m;
    c->size = size;
    c->listen_fd = c->listen_slot = -1;
    memset(c->pipe_fd, -1, sizeof(c->pipe_fd));
    c->sock[0] = c->sock[1] = -1;
    c->wait.counts = &c->counts;
    if (!(c->scratch = malloc(SCRATCH_BYTES))) {
        snprintf(err, len, "out of memory");
        return -1;
    }
    if (m == MECH_SHM) {
        rc = ipc_shm_create(&c->shm, "shm", 2 * sizeof(struct ipc_ring),
                            err, len);
        if (rc == 0) {
            ipc_ring_init(ring_of(c, TO_CHILD));
            ipc_ring_init(ring_of(c, TO_PARENT));
        }
    } else if (m == MECH_MQ) {
        rc = open_mq(c, err, len);
    } else if (m == MECH_PIPE) {
        rc = open_pipes(c, err, len);
    } else {
        rc = open_unix(c, err, len);
    }
    if (rc < 0)
        chan_close(c);
    return rc;
}

/* After the fork each side closes the other's ends, so that a dead peer
 * shows up as end-of-file or EPIPE instead of a wait for ever. */
static void chan_keep(struct chan *c, int side)
{
    int send_dir = side == PARENT ? TO_CHILD : TO_PARENT;

    c->side = side;
    if (c->mech == MECH_PIPE) {
        close(c->pipe_fd[send_dir][0]);
        close(c->pipe_fd[!send_dir][1]);
        c->pipe_fd[send_dir][0] = c->pipe_fd[!send_dir][1] = -1;
    }
    if (c->sock[!side] >= 0)
        close(c->sock[!side]);
    c->sock[!side] = -1;
}

static int chan_send(struct chan *c, int dir, const void *p, size_t n)
{
    switch (c->mech) {
    case MECH_SHM:
        return ipc_ring_send(ring_of(c, dir), p, n, &c->wait);
    case MECH_MQ:
        return ipc_mq_send(&c->mq[dir], p, n, c->wait.peer, &c->counts);
    case MECH_PIPE:
        return ipc_write_all(c->pipe_fd[dir][1], p, n, &c->counts);
    default:
        return ipc_write_all(c->sock[c->side], p, n, &c->counts);
    }
}

/* Receives one message of n bytes; fn sees every piece as it arrives. */
static int chan_recv(struct chan *c, int dir, size_t n, ipc_sink_fn *fn,
                     void *ctx)
{
    switch (c->mech) {
    case MECH_SHM:
        return ipc_ring_recv(ring_of(c, dir), n, fn, ctx, &c->wait);
    case MECH_MQ:
        return ipc_mq_recv(&c->mq[dir], n, fn, ctx, c->wait.peer,
                           &c->counts);
    case MECH_PIPE:
        return ipc_read_all(c->pipe_fd[dir][0], n, c->scratch,
                            SCRATCH_BYTES, fn, ctx, &c->counts);
    default:
        return ipc_read_all(c->sock[c->side], n, c->scratch, SCRATCH_BYTES,
                            fn, ctx, &c->counts);
    }
}

/* A sink that appends the pieces to a buffer. */
static void copy_sink(void *ctx, const void *piece, size_t n)
{
    unsigned char **at = ctx;

    memcpy(*at, piece, n);
    *at += n;
}

static uint64_t sum_of(const void *p, size_t n)
{
    struct ipc_sum s;

    ipc_sum_init(&s);
    ipc_sum_add(&s, p, n);
    return ipc_sum_final(&s);
}

/* Pins this process to one CPU (cpu >= 0) or gives it all of *all back;
 * then decides whether waiting may spin. */
static int set_cpus(struct chan *c, int cpu, const cpu_set_t *all)
{
    cpu_set_t one;

    CPU_ZERO(&one);
    if (cpu >= 0)
        CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof(cpu_set_t), cpu >= 0 ? &one : all) < 0)
        return -1;
    c->wait.may_spin = sys_allowed_cpus() > 1;
    return 0;
}

/* ---- the child: echo, then swallow the stream ----------------------- */

static int child_echo(struct chan *c, unsigned char *buf, long long rounds)
{
    for (long long r = 0; r < rounds; r++) {
        unsigned char *at = buf;
        if (chan_recv(c, TO_CHILD, c->size, copy_sink, &at) < 0 ||
            chan_send(c, TO_PARENT, buf, c->size) < 0)
            return -1;
    }
    return 0;
}

/* The child follows the same plan as the parent: swallow the stream and
 * report its checksum, then echo pinned to one CPU, then echo free. */
static int child_main(struct chan *c, const struct plan *pl)
{
    unsigned char *buf = malloc(c->size);
    struct reply rep;
    struct ipc_sum sum;
    int rc = -1;

    chan_keep(c, CHILD);
    c->wait.may_spin = sys_allowed_cpus() > 1;
    ipc_sum_init(&sum);
    for (long long m = 0; buf && m < pl->msgs; m++)
        if (chan_recv(c, TO_CHILD, c->size, ipc_sum_sink, &sum) < 0)
            goto out;
    rep.sum = ipc_sum_final(&sum);
    rep.syscalls = c->counts.syscalls;  /* before the reply's own calls */
    if (!buf || chan_send(c, TO_PARENT, &rep, sizeof(rep)) < 0 ||
        set_cpus(c, pl->cpu, &pl->all) < 0 ||
        child_echo(c, buf, pl->rounds) < 0 ||
        set_cpus(c, -1, &pl->all) < 0 || child_echo(c, buf, pl->rounds) < 0)
        goto out;
    rc = 0;
out:
    free(buf);
    return rc < 0 ? (errno > 0 && errno < 126 ? errno : 1) : 0;
}

/* ---- the parent: time the round trips, then the stream -------------- */

/* Median one-way time of `rounds` send-and-echo round trips (the first
 * tenth warms up). Every echo is checked against what was sent. */
static int ping_pong(struct chan *c, unsigned char *msg, long long rounds,
                     double *one_way, bool *is_ok)
{
    long long warm = rounds / 10, kept = 0;
    double *t = malloc(sizeof(double) * SAMPLES_MAX);

    memset(&c->counts, 0, sizeof(c->counts));

    for (long long r = 0; t && r < rounds; r++) {
        struct ipc_sum got;
        uint64_t want;
        double t0;

        ipc_stamp(msg, c->size, (uint64_t)r);
        want = sum_of(msg, c->size);
        ipc_sum_init(&got);
        t0 = clk_now();
        if (chan_send(c, TO_CHILD, msg, c->size) < 0 ||
            chan_recv(c, TO_PARENT, c->size, ipc_sum_sink, &got) < 0) {
            free(t);
            return -1;
        }
        if (r >= warm)
            t[kept++ % SAMPLES_MAX] = clk_now() - t0;
        *is_ok = *is_ok && ipc_sum_final(&got) == want;
    }
    if (!t)
        return -1;
    *one_way = stats_of(t, kept < SAMPLES_MAX ? (size_t)kept
                                              : SAMPLES_MAX).median / 2;
    free(t);
    return 0;
}

/* Streams msgs messages and waits for the child's checksum of them. */
static int stream(struct chan *c, unsigned char *msg, long long msgs,
                  struct result *res)
{
    struct ipc_counts mine;
    struct reply rep;
    struct ipc_sum want;
    unsigned char *at = (unsigned char *)&rep;
    double t0, secs;

    memset(&c->counts, 0, sizeof(c->counts));
    t0 = clk_now();
    for (long long m = 0; m < msgs; m++) {
        ipc_stamp(msg, c->size, (uint64_t)m);
        if (chan_send(c, TO_CHILD, msg, c->size) < 0)
            return -1;
    }
    mine = c->counts;
    if (chan_recv(c, TO_PARENT, sizeof(rep), copy_sink, &at) < 0)
        return -1;
    secs = clk_now() - t0;
    ipc_sum_init(&want);                /* what the child should have seen */
    for (long long m = 0; m < msgs; m++) {
        ipc_stamp(msg, c->size, (uint64_t)m);
        ipc_sum_add(&want, msg, c->size);
    }
    res->sum = rep.sum;
    res->is_ok = res->is_ok && rep.sum == ipc_sum_final(&want);
    res->bw = (double)msgs * (double)c->size / secs;
    res->syscalls = (double)(mine.syscalls + rep.syscalls) / (double)msgs;
    res->kcopies = (double)mine.kernel_bytes / ((double)msgs *
                                                (double)c->size);
    res->msgs = msgs;
    return 0;
}

/* The stream first, while both processes are free to sit on any CPU
 * (ping-pong would leave them huddled on one), then the round trips,
 * pinned to one CPU and free. */
static int parent_main(struct chan *c, const struct plan *pl,
                       struct result *res)
{
    unsigned char *msg = malloc(c->size);
    int rc = -1;

    res->is_ok = true;
    chan_keep(c, PARENT);
    c->wait.may_spin = sys_allowed_cpus() > 1;
    if (msg) {
        ipc_fill(msg, c->size, pl->seed);
        rc = stream(c, msg, pl->msgs, res);
        if (rc == 0)
            rc = set_cpus(c, pl->cpu, &pl->all);
        if (rc == 0)
            rc = ping_pong(c, msg, pl->rounds, &res->lat_pinned, &res->is_ok);
        if (rc == 0)
            rc = set_cpus(c, -1, &pl->all);
        if (rc == 0)
            rc = ping_pong(c, msg, pl->rounds, &res->lat_free, &res->is_ok);
        res->free_syscalls = pl->rounds ? (double)c->counts.syscalls /
                                          (double)pl->rounds : 0;
    }
    free(msg);
    return rc;
}

/* One mechanism at one size: open, fork the receiver, measure, close.
 * Returns 0, or -1 with one line in err. */
static int measure(enum mech m, const struct plan *pl, struct result *res,
                   char *err, size_t len)
{
    struct chan c;
    int slot, rc, status;
    pid_t pid;

    if (chan_open(&c, m, pl->size, err, len) < 0)
        return -1;
    if ((pid = ipc_fork(&slot)) < 0) {
        snprintf(err, len, "cannot start the receiving process: %s",
                 cli_strerror(errno));
        chan_close(&c);
        return -1;
    }
    if (pid == 0)
        _exit(child_main(&c, pl));
    c.wait.peer = pid;
    rc = parent_main(&c, pl, res);
    set_cpus(&c, -1, &pl->all);
    if (rc < 0) {
        int e = errno;
        if (ipc_is_alive(pid))
            kill(pid, SIGKILL);
        /* the child's own reason, when it failed first, says more */
        status = ipc_reap(pid, slot);
        snprintf(err, len, "%s, %zu-byte messages: %s", mech_name[m],
                 pl->size, cli_strerror(status > 0 && status < 126 ? status : e));
    } else if ((status = ipc_reap(pid, slot)) != 0) {
        rc = -1;
        snprintf(err, len, "%s, %zu-byte messages: the receiving process "
                 "failed: %s", mech_name[m], pl->size,
                 status < 126 ? cli_strerror(status) : "killed by a signal");
    }
    chan_close(&c);
    return rc;
}

/* ---- the topic ------------------------------------------------------ */

static const struct cli_opt ipc_opt_table[] = {
    { "sizes", 0, CLI_SIZES, "LIST", "message sizes, comma-separated",
      1, 64LL << 20, NULL, offsetof(struct ipc_opts, sizes) },
    { "count", 0, CLI_LONG, "M", "messages per size (0: up to 10000, at "
      "most 64 MiB)",
      0, 1000000000, NULL, offsetof(struct ipc_opts, count) },
    { "mech", 0, CLI_STR, "LIST", "mechanisms, comma-separated: "
      "shm,mq,pipe,unix", 0, 0, NULL, offsetof(struct ipc_opts, mechs) },
    { 0 },
};

static const struct cli_spec ipc_spec = {
    .common = CLI_SEED | CLI_FORMAT | CLI_QUIET | CLI_QUICK,
    .opts = ipc_opt_table,
    .examples = "pardemo ipc\npardemo ipc --sizes 64,1M --count 500\n"
                "pardemo ipc --mech shm,pipe --format csv",
};

/* "shm,pipe" -> which[]; returns -1 on an unknown name. */
static int parse_mechs(const char *s, bool which[MECH_COUNT])
{
    memset(which, 0, MECH_COUNT * sizeof(bool));
    for (;;) {
        size_t w = strcspn(s, ",");
        int m;
        for (m = 0; m < MECH_COUNT; m++)
            if (strlen(mech_key[m]) == w && !strncmp(s, mech_key[m], w))
                break;
        if (m == MECH_COUNT)
            return -1;
        which[m] = true;
        if (!s[w])
            return 0;
        s += w + 1;
    }
}

/* How many round trips and stream messages for one size. */
static void plan_counts(struct plan *pl, long long count, bool is_quick)
{
    long long budget = is_quick ? 16LL << 20 : 64LL << 20;
    long long cap = is_quick ? 2000 : 10000;

    if (count > 0) {
        pl->msgs = pl->rounds = count;
        return;
    }
    pl->msgs = budget / (long long)pl->size;
    pl->msgs = pl->msgs < 16 ? 16 : pl->msgs > cap ? cap : pl->msgs;
    pl->rounds = pl->msgs < (is_quick ? 300 : 1000) ? pl->msgs
                                                    : (is_quick ? 300 : 1000);
}

static int first_cpu(const cpu_set_t *s)
{
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, s))
            return i;
    return 0;
}

struct run {
    bool which[MECH_COUNT];
    struct cli_list sizes;
    struct result res[MECH_COUNT][CLI_LIST_MAX];
    struct plan plan;
    long long count, first_rounds;
    long msgsize_max;
    bool is_quick, is_all_ok;
    double bytes_checked;
};

static int measure_all(struct run *u, struct report *r, char *err,
                       size_t len)
{
    for (int s = 0; s < u->sizes.n; s++) {
        u->plan.size = (size_t)u->sizes.v[s];
        plan_counts(&u->plan, u->count, u->is_quick);
        if (s == 0)
            u->first_rounds = u->plan.rounds;
        for (int m = 0; m < MECH_COUNT; m++) {
            struct result *res = &u->res[m][s];
            if (!u->which[m])
                continue;
            report_progress(r, "ipc: %s, %zu-byte messages...", mech_key[m],
                            u->plan.size);
            if (measure((enum mech)m, &u->plan, res, err, len) < 0)
                return -1;
            u->is_all_ok = u->is_all_ok && res->is_ok;
            u->bytes_checked += (double)u->plan.size *
                                (double)(2 * u->plan.rounds + res->msgs);
        }
    }
    return 0;
}

static void print_table(struct run *u, struct report *r)
{
    struct table *t = report_table(r, "ipc", "The same messages, four ways");

    table_col(t, "mechanism", "mech", U_TEXT);
    table_col(t, "size_bytes", "bytes", U_INT);
    table_col(t, "messages", "msgs", U_INT);
    table_col(t, "latency_pinned_seconds", "1 CPU", U_US);
    table_col(t, "latency_free_seconds", "free", U_US);
    table_col(t, "bandwidth_bytes_per_second", "rate", U_MBPS);
    table_col(t, "kernel_copies_per_message", "copies", U_NUM);
    table_col(t, "syscalls_per_message", "syscalls", U_NUM);
    table_col(t, "verified", "ok", U_TEXT);
    for (int s = 0; s < u->sizes.n; s++) {
        for (int m = 0; m < MECH_COUNT; m++) {
            const struct result *x = &u->res[m][s];
            if (!u->which[m])
                continue;
            table_str(t, mech_key[m]);
            table_num(t, (double)u->sizes.v[s]);
            table_num(t, (double)x->msgs);
            table_num(t, x->lat_pinned);
            table_num(t, x->lat_free);
            table_num(t, x->bw);
            table_num(t, x->kcopies);
            table_num(t, x->syscalls);
            table_str(t, x->is_ok ? "yes" : "NO");
        }
    }
    table_end(t);
}

/* ---- What to notice, from the numbers ------------------------------- */

/* The copying mechanism (not shm) with the best `bandwidth` at size s. */
static int best_copying(const struct run *u, int s)
{
    int best = -1;

    for (int m = MECH_MQ; m < MECH_COUNT; m++)
        if (u->which[m] && (best < 0 || u->res[m][s].bw > u->res[best][s].bw))
            best = m;
    return best;
}

static void notice_bandwidth(const struct run *u, struct report *r)
{
    char list[600] = "", sz[32];
    size_t at = 0;
    int wins = 0;

    if (!u->which[MECH_SHM] || best_copying(u, 0) < 0)
        return;
    for (int s = 0; s < u->sizes.n; s++) {
        int b = best_copying(u, s);
        double x = u->res[MECH_SHM][s].bw / u->res[b][s].bw;
        wins += x > 1;
        at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s: %.1fx "
                               "(vs %s)", s ? "; " : "",
                               cli_fmt_size(u->sizes.v[s], sz, sizeof(sz)),
                               x, mech_name[b]);
        if (at >= sizeof(list))
            break;
    }
    report_notice(r, "Bandwidth of shared memory over the fastest other "
                  "mechanism, by message size: %s. %s", list,
                  wins == u->sizes.n ?
                  "It won at every size: the receiver reads the bytes where "
                  "the sender wrote them, with no copy into the kernel and "
                  "few system calls (see the last columns)." :
                  wins ? "Where it lost, waking a sleeping receiver cost "
                  "more than the copies it saves." :
                  "It did not win here: waking a sleeping receiver cost "
                  "more than the copies it saves (a busy or one-CPU "
                  "machine cannot let the receiver spin).");
}

/* "pipe 2.4 µs, unix socket 4.1 µs" for the copying mechanisms at s. */
static void latency_list(const struct run *u, int s, bool is_pinned,
                         char *buf, size_t len)
{
    size_t at = 0;

    buf[0] = '\0';
    for (int m = MECH_MQ; m < MECH_COUNT && at < len; m++) {
        const struct result *x = &u->res[m][s];
        if (u->which[m])
            at += (size_t)snprintf(buf + at, len - at, "%s%s %.1f µs",
                                   at ? ", " : "", mech_name[m],
                                   1e6 * (is_pinned ? x->lat_pinned
                                                    : x->lat_free));
    }
}

/* Small messages: pinned is the mechanism, free is mostly the scheduler. */
static void notice_wakeup(const struct run *u, struct report *r)
{
    char pinned[200], freed[200], sz[32];
    double extra = 0;
    int n = 0;

    for (int m = MECH_MQ; m < MECH_COUNT; m++)
        if (u->which[m]) {
            extra += u->res[m][0].lat_free - u->res[m][0].lat_pinned;
            n++;
        }
    if (!n)
        return;
    extra /= n;
    latency_list(u, 0, true, pinned, sizeof(pinned));
    latency_list(u, 0, false, freed, sizeof(freed));
    cli_fmt_size(u->sizes.v[0], sz, sizeof(sz));
    if (sys_allowed_cpus() == 1)
        report_notice(r, "Only 1 CPU is allowed to this process, so 'free' "
                      "is one CPU too: at %s bytes, %s one way. Run on 2+ "
                      "CPUs to see the scheduler's wake-up cost appear.", sz,
                      pinned);
    else if (extra > 0.3 * (u->res[best_copying(u, 0)][0].lat_pinned))
        report_notice(r, "At %s bytes, pinned to one CPU the one-way time "
                      "is the mechanism's own cost: %s. Free to use %d CPUs: "
                      "%s. The extra %.1f µs on average is the scheduler "
                      "waking the receiver on another CPU, whatever the "
                      "mechanism: unpinned small-message latency measures "
                      "the scheduler.", sz, pinned, sys_allowed_cpus(),
                      freed, 1e6 * extra);
    else
        report_notice(r, "At %s bytes the pinned (%s) and free (%s) one-way "
                      "times were close: the scheduler kept both processes "
                      "on one CPU this time (is the other one busy?), so "
                      "'free' measured what 'pinned' does. Run it again on "
                      "an idle machine to see 'free' pay for a wake-up on "
                      "the other CPU.", sz, pinned, freed);
}

static void notice_shm_latency(const struct run *u, struct report *r)
{
    const struct result *x = &u->res[MECH_SHM][0];
    int b = best_copying(u, 0);
    double other, ratio;
    char sz[32];

    if (!u->which[MECH_SHM] || b < 0)
        return;
    cli_fmt_size(u->sizes.v[0], sz, sizeof(sz));
    other = u->res[b][0].lat_free;
    ratio = other / x->lat_free;
    if (sys_allowed_cpus() > 1 && ratio > 1.5)
        report_notice(r, "Shared memory at %s bytes: %.2f µs one way when "
                      "free, %.1fx less than the fastest other mechanism "
                      "(%s, %.1f µs): the receiver spins on the ring and "
                      "often sees the bytes without any system call (%.2f "
                      "per round trip here; %s needs %.0f). Pinned to one CPU "
                      "it took %.1f µs: there it must not spin, so it sleeps "
                      "in futex and the kernel switches processes, like any "
                      "mechanism.", sz, 1e6 * x->lat_free, ratio,
                      mech_name[b], 1e6 * other, x->free_syscalls,
                      mech_name[b], 2 * u->res[b][0].syscalls,
                      1e6 * x->lat_pinned);
    else
        report_notice(r, "Shared memory at %s bytes: %.1f µs one way when "
                      "free, %.1f pinned; the fastest other mechanism (%s) "
                      "%.1f µs free. No big win here: the receiver %s, so it "
                      "slept in futex (%.2f system calls per round trip) and "
                      "the kernel had to switch processes, like for any "
                      "mechanism.", sz, 1e6 * x->lat_free,
                      1e6 * x->lat_pinned, mech_name[b], 1e6 * other,
                      sys_allowed_cpus() > 1 ? "found the other CPU busy "
                      "(is the machine shared?) and could not spin long"
                      : "has no second CPU to spin on", x->free_syscalls);
}

static void notice_mq(const struct run *u, struct report *r)
{
    char list[400] = "", sz[32];
    size_t at = 0;
    int last = -1;

    if (!u->which[MECH_MQ])
        return;
    for (int s = 0; s < u->sizes.n && at < sizeof(list); s++) {
        long long chunks = (u->sizes.v[s] + u->msgsize_max - 1) /
                           u->msgsize_max;
        if (chunks < 2)
            continue;
        at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s bytes "
                               "-> %lld chunks", at ? ", " : "",
                               cli_fmt_size(u->sizes.v[s], sz, sizeof(sz)),
                               chunks);
        last = s;
    }
    if (last < 0)
        return;
    report_notice(r, "A POSIX message queue refuses messages over "
                  "msgsize_max = %ld bytes (read from "
                  "/proc/sys/fs/mqueue/msgsize_max; raise it with sysctl -w "
                  "fs.mqueue.msgsize_max=N), so this demo splits them into "
                  "chunks: %s. That is why mq needs %.0f system calls per "
                  "%s message.", u->msgsize_max, list,
                  u->res[MECH_MQ][last].syscalls,
                  cli_fmt_size(u->sizes.v[last], sz, sizeof(sz)));
}

static void notice_checked(const struct run *u, struct report *r)
{
    if (u->is_all_ok)
        report_notice(r, "Every byte was checksummed on the far side: %.1f "
                      "MiB in all, every checksum matched. One-way times are "
                      "medians of %lld round trips halved (for the first "
                      "size); on a shared machine expect 10-20%% spread "
                      "between runs, so compare within one run.",
                      u->bytes_checked / (1 << 20),
                      u->first_rounds - u->first_rounds / 10);
    else
        report_notice(r, "CHECKSUM MISMATCH: some bytes arrived changed "
                      "(the 'checksum' column says where). That is a bug.");
}

/* ---- main ----------------------------------------------------------- */

static void print_report(struct run *u, struct report *r)
{
    report_text(r, "  pipe, unix, mq:  sender --write()--> kernel buffer "
                "--read()--> receiver\n"
                "  shm:             sender --memcpy--> ring in /dev/shm "
                "<-- receiver reads in place\n\n"
                "1 CPU, free: one-way latency (median round trip / 2), both "
                "processes pinned to\none CPU, or placed by the scheduler. "
                "rate: a stream of msgs messages.\ncopies: bytes handed to "
                "the kernel per byte sent; syscalls: per message, both\n"
                "processes, in the stream. ok: every byte checksummed on "
                "the far side.");
    print_table(u, r);
    notice_bandwidth(u, r);
    notice_shm_latency(u, r);
    notice_wakeup(u, r);
    notice_mq(u, r);
    notice_checked(u, r);
}

static void add_params(struct run *u, struct report *r, const char *mechs)
{
    char list[200] = "", sz[32];
    size_t at = 0;

    for (int s = 0; s < u->sizes.n && at < sizeof(list); s++)
        at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
                               s ? "," : "",
                               cli_fmt_size(u->sizes.v[s], sz, sizeof(sz)));
    report_param(r, "sizes", "%s", list);
    if (u->count > 0)
        report_param(r, "count", "%lld", u->count);
    else
        report_param(r, "count", "auto");
    report_param(r, "mech", "%s", mechs);
    report_param(r, "pinned_cpu", "%d", u->plan.cpu);
    report_param(r, "mq_msgsize_max", "%ld", u->msgsize_max);
}

/* The run's state from the options, or NULL (one line on stderr; *rc is
 * the exit status). */
static struct run *run_new(const struct ipc_opts *o,
                           const struct run_params *p, int *rc)
{
    struct run *u = calloc(1, sizeof(*u));

    *rc = 1;
    if (!u) {
        cli_error("ipc", "out of memory");
        return NULL;
    }
    if (parse_mechs(o->mechs, u->which) < 0) {
        cli_error("ipc", "--mech must be a comma-separated list of shm, mq, "
                  "pipe, unix (got '%s')", o->mechs);
        *rc = 2;
        free(u);
        return NULL;
    }
    u->sizes = o->sizes;
    u->count = o->count;
    u->is_quick = p->is_quick;
    u->is_all_ok = true;
    u->msgsize_max = ipc_mq_limit("msgsize_max", 8192);
    u->plan.seed = p->seed;
    sched_getaffinity(0, sizeof(u->plan.all), &u->plan.all);
    u->plan.cpu = first_cpu(&u->plan.all);
    return u;
}

static int ipc_main(int argc, char **argv)
{
    struct ipc_opts o = { .mechs = "shm,mq,pipe,unix" };
    char err[IPC_ERR_LEN];
    struct run_params p;
    struct report *r;
    struct run *u;
    int rc;

    cli_defaults(&p, "ipc");
    for (int i = 0; i < DEMO_MAX_SIZES && demo_ipc.sizes[i]; i++)
        o.sizes.v[o.sizes.n++] = demo_ipc.sizes[i];
    if ((rc = cli_parse(&demo_ipc, argc, argv, &p, &o)) >= 0)
        return rc;
    if (!(u = run_new(&o, &p, &rc)))
        return rc;
    ipc_init();
    r = report_begin(&p, "Process communication: shared memory vs message "
                     "passing", "Shared memory is the most efficient way to "
                     "share data between processes; pipes, sockets and "
                     "queues copy every byte through the kernel.");
    add_params(u, r, o.mechs);
    rc = 1;
    if (measure_all(u, r, err, sizeof(err)) < 0) {
        report_discard(r);
        cli_error("ipc", "%s", err);
    } else {
        print_report(u, r);
        report_end(r);
        if (u->is_all_ok)
            rc = 0;
        else
            cli_error("ipc", "checksum mismatch: some bytes arrived changed "
                      "(see the table): a bug");
    }
    free(u);
    return rc;
}

/* ---- benchable kernels: a 16 MiB stream of -n byte messages ---------- */

static int kernel_stream(enum mech m, const struct run_params *in,
                         struct run_result *out)
{
    char err[IPC_ERR_LEN];
    struct result res;
    struct plan pl;

    memset(&pl, 0, sizeof(pl));
    memset(&res, 0, sizeof(res));
    pl.size = in->size > 0 ? (size_t)in->size : 65536;
    pl.msgs = (16LL << 20) / (long long)pl.size;
    pl.msgs = pl.msgs < 16 ? 16 : pl.msgs;
    pl.seed = in->seed;
    ipc_init();
    if (sched_getaffinity(0, sizeof(pl.all), &pl.all) < 0)
        return -1;
    pl.cpu = first_cpu(&pl.all);
    if (measure(m, &pl, &res, err, sizeof(err)) < 0)
        return -1;
    /* one message's share of the stream: what the bench's IPC chart
     * plots as time per message (bandwidth = size / seconds) */
    out->seconds = (double)pl.size / res.bw;
    out->checksum = res.sum;
    return res.is_ok ? 0 : -1;
}

static int run_shm(const struct run_params *in, struct run_result *out)
{
    return kernel_stream(MECH_SHM, in, out);
}

static int run_mq(const struct run_params *in, struct run_result *out)
{
    return kernel_stream(MECH_MQ, in, out);
}

static int run_pipe(const struct run_params *in, struct run_result *out)
{
    return kernel_stream(MECH_PIPE, in, out);
}

static int run_unix(const struct run_params *in, struct run_result *out)
{
    return kernel_stream(MECH_UNIX, in, out);
}

static const struct kernel ipc_kernels[] = {
    { "shm", "-n byte messages streamed (16 MiB) through a shared-memory "
      "ring; seconds per message",
      run_shm },
    { "mq", "the same through two POSIX message queues", run_mq },
    { "pipe", "the same through a pipe", run_pipe },
    { "unix", "the same through a unix domain socket", run_unix },
    { 0 },
};

const struct demo demo_ipc = {
    .name = "ipc",
    .summary = "shared memory vs message queues vs pipes vs sockets",
    .main = ipc_main,
    .kernels = ipc_kernels,
    .slide = "Process communication: shared memory",
    .spec = &ipc_spec,
    .sizes = { 64, 4 << 10, 64 << 10, 1 << 20 },
    .quick_sizes = { 64, 4 << 10, 64 << 10, 1 << 20 },
};
