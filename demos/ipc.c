/* ipc.c - shared memory vs message queues vs pipes vs sockets.
 * The same messages go from one process to another over each mechanism,
 * every byte checksummed on the far side. Look at shared memory's single
 * copy (the others copy into the kernel and out) and few system calls,
 * and at how small-message latency changes when both processes must share
 * one CPU. The sentences are rules on these numbers (lib/lesson/ipc.c).
 * Then the lecture's Python in pardemo's CPython, the same sizes, beside
 * C: a multiprocessing.Queue and a Pipe (demos/python/ipc_queue.py), and
 * shared_memory, Array and RawArray (demos/python/ipc_shared.py).
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "ipc.h"
#include "demos.h"
#include "lesson/ipc.h"
#include "pyspark/pylesson.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const mech_key[MECH_COUNT] = { "shm", "mq", "pipe",
                                                  "unix" };

enum { TO_CHILD, TO_PARENT };           /* directions */
enum { PARENT, CHILD };                 /* sides */

#define SCRATCH_BYTES 65536             /* one pipe's worth per read() */
#define SAMPLES_MAX 65536               /* round trips kept for the median */
#define STREAM_REPS 3                   /* streams per mechanism and size */

struct ipc_opts {
    struct cli_list sizes;
    long long count;                    /* 0: sized to the message */
    const char *mechs;
    struct pyl_opts py;                 /* --no-python, --python-only... */
};

/* What the experiment does for one message size (both processes know). */
struct plan {
    size_t size;
    long long rounds, msgs;             /* ping-pongs per phase, stream */
    int reps;                           /* streams */
    int cpu;                            /* the one CPU of the pinned phase */
    cpu_set_t all;                      /* the CPUs we were given */
    uint64_t seed;
};

struct result {
    struct ipc_row row;                 /* what the lesson reads */
    long long msgs;                     /* per stream */
    uint64_t sum;                       /* the receiver's checksum */
};

/* Both directions of one mechanism between a parent and its child. */
struct chan {
    enum ipc_mech mech;
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

/* What the child reports after each stream. */
struct reply {
    uint64_t sum, syscalls, copied_bytes;
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
    ipc_addr_private(&c->addr, "ipc");
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
static int chan_open(struct chan *c, enum ipc_mech m, size_t size, char *err,
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

/* Swallows one stream and reports its checksum and counts. */
static int child_stream(struct chan *c, long long msgs)
{
    struct reply rep;
    struct ipc_sum sum;

    memset(&c->counts, 0, sizeof(c->counts));
    ipc_sum_init(&sum);
    for (long long m = 0; m < msgs; m++)
        if (chan_recv(c, TO_CHILD, c->size, ipc_sum_sink, &sum) < 0)
            return -1;
    rep.sum = ipc_sum_final(&sum);
    rep.syscalls = c->counts.syscalls;  /* before the reply's own calls */
    rep.copied_bytes = c->counts.copied_bytes;
    return chan_send(c, TO_PARENT, &rep, sizeof(rep));
}

/* The child follows the same plan as the parent: swallow the streams and
 * report each checksum, then echo pinned to one CPU, then echo free. */
static int child_main(struct chan *c, const struct plan *pl)
{
    unsigned char *buf = malloc(c->size);
    int rc = -1;

    chan_keep(c, CHILD);
    c->wait.may_spin = sys_allowed_cpus() > 1;
    for (int k = 0; buf && k < pl->reps; k++)
        if (child_stream(c, pl->msgs) < 0)
            goto out;
    if (!buf || set_cpus(c, pl->cpu, &pl->all) < 0 ||
        child_echo(c, buf, pl->rounds) < 0 ||
        set_cpus(c, -1, &pl->all) < 0 || child_echo(c, buf, pl->rounds) < 0)
        goto out;
    rc = 0;
out:
    free(buf);
    return rc < 0 ? (errno > 0 && errno < 126 ? errno : 1) : 0;
}

/* ---- the parent: time the round trips, then the stream -------------- */

/* One-way time of `rounds` send-and-echo round trips, halved: median and
 * quartiles (the first tenth warms up); *calls gets the system calls per
 * round trip. Every echo is checked against what was sent. */
static int ping_pong(struct chan *c, unsigned char *msg, long long rounds,
                     struct est *one_way, double *calls, bool *is_ok)
{
    long long warm = rounds / 10, kept = 0;
    double *t = malloc(sizeof(double) * SAMPLES_MAX);
    struct stats st;

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
    st = stats_of(t, kept < SAMPLES_MAX ? (size_t)kept : SAMPLES_MAX);
    *one_way = est_scale(est_of(&st), 0.5);
    *calls = rounds ? (double)c->counts.syscalls / (double)rounds : 0;
    free(t);
    return 0;
}

/* Streams msgs messages and waits for the child's report of them; *secs
 * gets the time. Counts add up in *calls and *copied (both processes). */
static int stream_once(struct chan *c, unsigned char *msg, long long msgs,
                       struct reply *rep, double *secs)
{
    struct ipc_counts mine;
    unsigned char *at = (unsigned char *)rep;
    double t0;

    memset(&c->counts, 0, sizeof(c->counts));
    t0 = clk_now();
    for (long long m = 0; m < msgs; m++) {
        ipc_stamp(msg, c->size, (uint64_t)m);
        if (chan_send(c, TO_CHILD, msg, c->size) < 0)
            return -1;
    }
    mine = c->counts;
    if (chan_recv(c, TO_PARENT, sizeof(*rep), copy_sink, &at) < 0)
        return -1;
    *secs = clk_now() - t0;
    rep->syscalls += mine.syscalls;
    rep->copied_bytes += mine.copied_bytes;
    return 0;
}

/* The same stream reps times: the rate's median and quartiles, the counts
 * per message, and every checksum checked. */
static int stream(struct chan *c, unsigned char *msg, const struct plan *pl,
                  struct result *res)
{
    double rate[STREAM_REPS], calls = 0, copied = 0, secs;
    double bytes = (double)pl->msgs * (double)c->size;
    struct ipc_sum want;
    struct reply rep;
    struct stats st;
    int reps = pl->reps < STREAM_REPS ? pl->reps : STREAM_REPS;

    ipc_sum_init(&want);                /* what the child should see */
    for (long long m = 0; m < pl->msgs; m++) {
        ipc_stamp(msg, c->size, (uint64_t)m);
        ipc_sum_add(&want, msg, c->size);
    }
    for (int k = 0; k < reps; k++) {
        if (stream_once(c, msg, pl->msgs, &rep, &secs) < 0)
            return -1;
        rate[k] = bytes / secs;
        calls += (double)rep.syscalls;
        copied += (double)rep.copied_bytes;
        res->sum = rep.sum;
        res->row.is_ok = res->row.is_ok && rep.sum == ipc_sum_final(&want);
    }
    st = stats_of(rate, (size_t)reps);
    res->row.bw = est_of(&st);
    res->row.syscalls = calls / ((double)pl->msgs * reps);
    res->row.copies = copied / (bytes * reps);
    res->msgs = pl->msgs;
    return 0;
}

/* The streams first, while both processes are free to sit on any CPU
 * (ping-pong would leave them huddled on one), then the round trips,
 * pinned to one CPU and free. */
static int parent_main(struct chan *c, const struct plan *pl,
                       struct result *res)
{
    struct ipc_row *x = &res->row;
    unsigned char *msg = malloc(c->size);
    int rc = -1;

    x->is_ok = x->is_run = true;
    chan_keep(c, PARENT);
    c->wait.may_spin = sys_allowed_cpus() > 1;
    if (msg) {
        ipc_fill(msg, c->size, pl->seed);
        rc = stream(c, msg, pl, res);
        if (rc == 0)
            rc = set_cpus(c, pl->cpu, &pl->all);
        if (rc == 0)
            rc = ping_pong(c, msg, pl->rounds, &x->lat_pinned,
                           &x->rt_calls_pinned, &x->is_ok);
        if (rc == 0)
            rc = set_cpus(c, -1, &pl->all);
        if (rc == 0)
            rc = ping_pong(c, msg, pl->rounds, &x->lat_free,
                           &x->rt_calls_free, &x->is_ok);
    }
    free(msg);
    return rc;
}

/* One mechanism at one size: open, fork the receiver, measure, close.
 * Returns 0, or -1 with one line in err. */
static int measure(enum ipc_mech m, const struct plan *pl,
                   struct result *res,
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
        snprintf(err, len, "%s, %zu-byte messages: %s", ipc_mech_name(m),
                 pl->size, cli_strerror(status > 0 && status < 126 ? status : e));
    } else if ((status = ipc_reap(pid, slot)) != 0) {
        rc = -1;
        snprintf(err, len, "%s, %zu-byte messages: the receiving process "
                 "failed: %s", ipc_mech_name(m), pl->size,
                 status < 126 ? cli_strerror(status) : "killed by a signal");
    }
    chan_close(&c);
    return rc;
}

/* ---- the topic ------------------------------------------------------ */

static const struct cli_opt ipc_opt_table[] = {
    { "sizes", 0, CLI_SIZES, "LIST", "message sizes, comma-separated",
      1, 64LL << 20, NULL, offsetof(struct ipc_opts, sizes) },
    { "count", 0, CLI_LONG, "M", "messages per stream and round trips "
      "per phase (0: sized to the message)",
      0, 1000000000, NULL, offsetof(struct ipc_opts, count) },
    { "mech", 0, CLI_STR, "LIST", "mechanisms, comma-separated: "
      "shm,mq,pipe,unix", 0, 0, NULL, offsetof(struct ipc_opts, mechs) },
    PYL_CLI_OPTS(struct ipc_opts, py),
    { 0 },
};

static const struct cli_spec ipc_spec = {
    .common = CLI_SEED | CLI_FORMAT | CLI_QUIET | CLI_QUICK,
    .opts = ipc_opt_table,
    .examples = "pardemo ipc\npardemo ipc --sizes 64,1M --count 500\n"
                "pardemo ipc --mech shm,pipe --format csv\n"
                "pardemo ipc --python-only --sizes 64,1M",
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
    pl->msgs = budget / (long long)pl->size / pl->reps;
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
    long long count;
    bool is_quick;
    struct ipc_results lesson;          /* what the sentences read */
    struct pyl_part py;                 /* the Python part: ran, or why not */
    struct cond py_cond;
};

static int measure_all(struct run *u, struct report *r, char *err,
                       size_t len)
{
    struct ipc_results *x = &u->lesson;
    struct cond_probe probe;

    cond_start(&probe);
    for (int s = 0; s < u->sizes.n; s++) {
        u->plan.size = (size_t)u->sizes.v[s];
        plan_counts(&u->plan, u->count, u->is_quick);
        if (s == 0)
            x->rounds = u->plan.rounds;
        for (int m = 0; m < MECH_COUNT; m++) {
            struct result *res = &u->res[m][s];
            if (!u->which[m])
                continue;
            report_progress(r, "ipc: %s, %zu-byte messages...", mech_key[m],
                            u->plan.size);
            if (measure((enum ipc_mech)m, &u->plan, res, err, len) < 0)
                return -1;
            x->row[m][s] = res->row;
            x->bytes_checked += (double)u->plan.size *
                (double)(2 * u->plan.rounds + u->plan.reps * res->msgs);
        }
    }
    x->cond = cond_stop(&probe);
    return 0;
}

/* The widest relative spread of the repeated streams' rates. */
static double widest_spread(const struct ipc_results *x)
{
    double w = 0;

    for (int m = 0; m < MECH_COUNT; m++)
        for (int s = 0; s < x->nsizes; s++)
            if (x->row[m][s].is_run && est_spread(x->row[m][s].bw) > w)
                w = est_spread(x->row[m][s].bw);
    return w;
}

/* Did every checksum match (Python's too)? */
static bool is_all_ok(const struct ipc_results *x)
{
    for (int s = 0; s < x->nsizes; s++) {
        for (int m = 0; m < MECH_COUNT; m++)
            if (x->row[m][s].is_run && !x->row[m][s].is_ok)
                return false;
        for (int m = 0; m < PYM_COUNT; m++)
            if (x->py[m][s].is_run && !x->py[m][s].is_ok)
                return false;
    }
    return true;
}

/* ---- the Python part: ipc_queue.py, run by the real CPython ---- */

static const char *const py_mech_key[PYM_COUNT] = {
    "Queue", "Pipe", "shared_memory", "Array", "RawArray",
};

/* The snippet that measures Python mechanism m. */
static const char *py_module(int m)
{
    return m == PYM_QUEUE || m == PYM_PIPE ? "ipc_queue" : "ipc_shared";
}

/* ipc_queue.ping_pong: the one-way quartiles; 0, or -1 (errno). */
static int py_ping_pong(int m, const struct plan *pl, int cpu,
                        struct est *lat, bool *is_ok)
{
    struct pyl_num got[4];
    int n = pyl_call(got, 4, py_module(m), "ping_pong", "(sLLiK)",
                     py_mech_key[m], (long long)pl->size,
                     (long long)pl->rounds, cpu,
                     (unsigned long long)pl->seed);

    if (n != 4)
        return pyl_fail(n);
    *lat = (struct est){ got[1].v, got[0].v, got[2].v };
    *is_ok = *is_ok && got[3].v == 1;
    return 0;
}

/* Mechanism m at the plan's size: both latencies, STREAM_REPS streams. */
static int py_measure(int m, const struct plan *pl, struct ipc_row *row)
{
    double rate[STREAM_REPS];
    struct pyl_num got[2];
    struct stats st;

    memset(row, 0, sizeof(*row));
    row->is_ok = true;
    row->copies = row->syscalls = NAN;
    if (py_ping_pong(m, pl, -1, &row->lat_free, &row->is_ok) < 0 ||
        py_ping_pong(m, pl, pl->cpu, &row->lat_pinned, &row->is_ok) < 0)
        return -1;
    for (int i = 0; i < STREAM_REPS; i++) {
        int n = pyl_call(got, 2, py_module(m), "stream", "(sLLK)",
                         py_mech_key[m], (long long)pl->size,
                         (long long)pl->msgs, (unsigned long long)pl->seed);
        if (n != 2)
            return pyl_fail(n);
        rate[i] = got[0].v;
        row->is_ok = row->is_ok && got[1].v == 1;
    }
    st = stats_of(rate, STREAM_REPS);
    row->bw = est_of(&st);
    row->is_run = true;
    return 0;
}

/* The Python rows, between pyl_start and pyl_stop (pyl_part_run). */
static int measure_python(void *ctx, struct report *r)
{
    struct run *u = ctx;
    struct cond_probe probe;

    cond_start(&probe);
    for (int s = 0; s < u->sizes.n; s++) {
        u->plan.size = (size_t)u->sizes.v[s];
        plan_counts(&u->plan, u->count, u->is_quick);
        for (int m = 0; m < PYM_COUNT; m++) {
            report_progress(r, "ipc: Python %s, %zu-byte messages...",
                            py_mech_key[m], u->plan.size);
            if (py_measure(m, &u->plan, &u->lesson.py[m][s]) < 0)
                return -1;
        }
    }
    u->py_cond = cond_stop(&probe);
    u->py_cond.reps = STREAM_REPS;
    for (int m = 0; m < PYM_COUNT; m++)
        for (int s = 0; s < u->sizes.n; s++)
            if (est_spread(u->lesson.py[m][s].bw) > u->py_cond.spread)
                u->py_cond.spread = est_spread(u->lesson.py[m][s].bw);
    return 0;
}

static void table_row(struct table *t, const char *language,
                      const char *mech, long long size, long long msgs,
                      const struct ipc_row *x)
{
    table_str(t, language);
    table_str(t, mech);
    table_num(t, (double)size);
    table_num(t, (double)msgs);
    table_num(t, x->lat_pinned.v);
    table_num(t, x->lat_free.v);
    table_num(t, x->bw.v);
    table_num(t, x->copies);
    table_num(t, x->syscalls);
    table_str(t, x->is_ok ? "yes" : "NO");
    table_num(t, x->lat_free.lo);
    table_num(t, x->lat_free.hi);
    table_num(t, x->bw.lo);
    table_num(t, x->bw.hi);
}

static void print_table(struct run *u, struct report *r)
{
    struct table *t = report_table(r, "ipc", "The same messages, four ways "
                                   "in C, and in the lecture's Python");

    table_col(t, "language", "lang", U_TEXT);
    table_col(t, "mechanism", "mech", U_TEXT);
    table_col(t, "size_bytes", "bytes", U_INT);
    table_col(t, "messages", "msgs", U_INT);
    table_col(t, "latency_pinned_seconds", "1 CPU", U_US);
    table_col(t, "latency_free_seconds", "free", U_US);
    table_col(t, "bandwidth_bytes_per_second", "rate", U_MBPS);
    table_col(t, "copies_per_byte", "copies", U_NUM);
    table_col(t, "syscalls_per_message", "syscalls", U_NUM);
    table_col(t, "verified", "ok", U_TEXT);
    table_col_data(t, "latency_free_q1_seconds", U_SEC);
    table_col_data(t, "latency_free_q3_seconds", U_SEC);
    table_col_data(t, "bandwidth_q1_bytes_per_second", U_MBPS);
    table_col_data(t, "bandwidth_q3_bytes_per_second", U_MBPS);
    for (int s = 0; s < u->sizes.n; s++) {
        for (int m = 0; m < MECH_COUNT; m++) {
            const struct ipc_row *x = &u->res[m][s].row;
            if (u->which[m])
                table_row(t, "C", mech_key[m], u->sizes.v[s],
                          u->res[m][s].msgs, x);
        }
        for (int m = 0; m < PYM_COUNT && u->lesson.has_python; m++) {
            u->plan.size = (size_t)u->sizes.v[s];
            plan_counts(&u->plan, u->count, u->is_quick);
            table_row(t, "Python", py_mech_key[m], u->sizes.v[s],
                      u->plan.msgs, &u->lesson.py[m][s]);
        }
    }
    table_end(t);
}

/* ---- main ----------------------------------------------------------- */

/* What the Python rows are, or why there are none. */
static void python_text(const struct run *u, struct report *r,
                        const struct ipc_opts *o)
{
    pyl_part_text(r, &u->py, &o->py, "ipc",
                  "the lecture's Queue, Pipe, shared_memory, Array and "
                  "RawArray",
                  "Python (lang Python): the lecture's multiprocessing.Queue "
                  "- pickling, a feeder\nthread, a lock, then a pipe - and a "
                  "bare Pipe (pickling, a pipe), between this\nprocess and "
                  "one child (demos/python/ipc_queue.py); then no pickling: "
                  "the bytes\nwritten in place into a shared_memory block, "
                  "an Array (every access under\nits lock) or a RawArray (no "
                  "lock), read out by the child, two semaphores\nhanding the "
                  "buffer over (demos/python/ipc_shared.py). Both run in "
                  "pardemo's\nCPython.");
}

static void print_report(struct run *u, struct report *r,
                         const struct ipc_opts *o)
{
    struct notices ns;

    report_text(r, "  pipe, unix, mq:  sender --write()--> kernel buffer "
                "--read()--> receiver\n"
                "  shm:             sender --memcpy--> ring in /dev/shm "
                "<-- receiver reads in place\n\n"
                "1 CPU, free: one-way latency (median round trip / 2), both "
                "processes pinned to\none CPU, or placed by the scheduler. "
                "rate: the median of %d streams of msgs\nmessages. copies: "
                "times each byte was copied (shm: once, into the ring; the\n"
                "others: into the kernel and out). syscalls: per message, "
                "both processes,\nin the streams. ok: every byte "
                "checksummed on the far side.", u->plan.reps);
    python_text(u, r, o);
    print_table(u, r);
    u->lesson.cond.reps = u->plan.reps;
    u->lesson.cond.spread = widest_spread(&u->lesson);
    notices_init(&ns);
    ipc_notices(&u->lesson, &ns);
    if (!o->py.is_only)
        report_conditions(r, u->lesson.has_python ? "C" : NULL,
                          &u->lesson.cond);
    if (u->lesson.has_python)
        report_conditions(r, o->py.is_only ? NULL : "Python", &u->py_cond);
    report_notices(r, &ns);
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
    report_param(r, "mq_msgsize_max", "%ld", u->lesson.msgsize_max);
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
    u->lesson.nsizes = o->sizes.n;
    for (int s = 0; s < o->sizes.n; s++)
        u->lesson.size[s] = o->sizes.v[s];
    u->lesson.cpus = sys_allowed_cpus();
    u->lesson.msgsize_max = ipc_mq_limit("msgsize_max", 8192);
    u->lesson.stream_reps = STREAM_REPS;
    u->plan.reps = STREAM_REPS;
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
    pyl_opts_init(&o.py);
    cli_prescan_quick(&p, argc, argv);
    const long long *sizes = p.is_quick ? demo_ipc.quick_sizes :
                             demo_ipc.sizes;
    for (int i = 0; i < DEMO_MAX_SIZES && sizes[i]; i++)
        o.sizes.v[o.sizes.n++] = sizes[i];
    if ((rc = cli_parse(&demo_ipc, argc, argv, &p, &o)) >= 0)
        return rc;
    if ((rc = pyl_opts_check("ipc", &o.py)) >= 0)
        return rc;
    if (!(u = run_new(&o, &p, &rc)))
        return rc;
    if (o.py.is_only)
        memset(u->which, 0, sizeof(u->which));
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
    } else if (pyl_part_run(&u->py, "ipc", &o.py, r, measure_python,
                            u) < 0) {
        report_discard(r);
    } else {
        u->lesson.has_python = u->py.has_run;
        print_report(u, r, &o);
        report_end(r);
        if (is_all_ok(&u->lesson))
            rc = 0;
        else
            cli_error("ipc", "checksum mismatch: some bytes arrived changed "
                      "(see the table): a bug");
    }
    free(u);
    return rc;
}

/* ---- benchable kernels: a 16 MiB stream of -n byte messages ---------- */

static int kernel_stream(enum ipc_mech m, const struct run_params *in,
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
    pl.reps = 1;
    ipc_init();
    if (sched_getaffinity(0, sizeof(pl.all), &pl.all) < 0)
        return -1;
    pl.cpu = first_cpu(&pl.all);
    if (measure(m, &pl, &res, err, sizeof(err)) < 0)
        return -1;
    /* one message's share of the stream: what the bench's IPC chart
     * plots as time per message (bandwidth = size / seconds) */
    out->seconds = (double)pl.size / res.row.bw.v;
    out->checksum = res.sum;
    return res.row.is_ok ? 0 : -1;
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
    /* every 4x from 64 B to 1 MiB: where the copies start to cost shows
     * on the chart; the classroom run keeps four of them */
    .sizes = { 64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10,
               1 << 20 },
    .quick_sizes = { 64, 4 << 10, 64 << 10, 1 << 20 },
};
