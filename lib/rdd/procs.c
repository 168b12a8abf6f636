/* procs.c - a stage's tasks in worker processes forked from the driver.
 * PySpark runs Python in worker processes, not threads: one interpreter
 * runs Python on one thread at a time (the GIL). A worker forked for the
 * stage inherits everything the driver holds -- the data, the shuffle
 * blocks of earlier stages, the functions -- so nothing is sent to it
 * but task numbers; it sends back each task's output as serialised
 * blocks (serial.c) through a pipe. Notice the bytes each stage moves
 * (--explain), and that a crashed worker fails its job, never hangs it.
 */
#define _GNU_SOURCE
#include "rdd_impl.h"
#include "cleanup.h"
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct worker {
    pid_t pid;
    int slot;                   /* in the cleanup registry */
    int cmd;                    /* task numbers to it (-1: done) */
    int res;                    /* its results to us */
    int task;                   /* the index it runs, -1: idle */
};

/* What a worker says after a task; the body follows it. */
struct msg_head {
    int32_t index;              /* into the stage's list of partitions */
    int32_t is_failed;          /* body: the error text */
    uint64_t body;
    int64_t records_in, records_out, cache_hits;
    int64_t records_written, bytes_written, bytes_read;
    int32_t is_recompute;
    double seconds;
};

static int write_some(int fd, const char *c, size_t n)
{
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* A pipe to a worker that has already exited is an error (EPIPE), not
 * the end of the driver: SIGPIPE is held during the write and the one it
 * raised is taken back; any other SIGPIPE (our stdout closed) still ends
 * pardemo through lib/cleanup. */
static int write_all(int fd, const void *p, size_t n)
{
    static const struct timespec now = { 0, 0 };
    sigset_t pipe_set, old, pending;
    bool was_pending;
    int rc;

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE);
    rc = write_some(fd, p, n);
    if (rc < 0 && errno == EPIPE && !was_pending)
        sigtimedwait(&pipe_set, NULL, &now);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int read_all(int fd, void *p, size_t n)
{
    char *c = p;

    while (n) {
        ssize_t k = read(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

static void put_u64(struct rdd_buf *b, uint64_t x)
{
    rdd_buf_add(b, (const char *)&x, sizeof(x));
}

static uint64_t get_u64(const char **at)
{
    uint64_t x;

    memcpy(&x, *at, sizeof(x));
    *at += sizeof(x);
    return x;
}

/* ---- the worker's side */

/* A map task's output: one block per reduce partition. */
static void save_buckets(const struct map_out *mo, int nreduce,
                         struct rdd_buf *b)
{
    for (int q = 0; q < nreduce; q++) {
        put_u64(b, mo->bucket[q].n);
        put_u64(b, mo->bucket[q].len);
        rdd_buf_add(b, mo->bucket[q].bytes, mo->bucket[q].len);
    }
}

/* The cached partitions the task filled, which the driver will keep. */
static void save_cached(const struct task *t, struct rdd_buf *b)
{
    put_u64(b, (uint64_t)t->ncached);
    for (int i = 0; i < t->ncached; i++) {
        struct rdd_buf part = { 0 };
        rdd_part_save(&t->cached[i].r->cache[t->cached[i].p], &part);
        put_u64(b, (uint64_t)t->cached[i].r->id);
        put_u64(b, (uint64_t)t->cached[i].p);
        put_u64(b, part.len);
        rdd_buf_add(b, part.s, part.len);
        rdd_buf_free(&part);
    }
}

static void send_result(struct stage_run *st, int i, int p, struct task *t,
                        const char *error, double secs, int fd)
{
    const struct rdd_procs *h = st->sc->procs;
    struct rdd_buf b = { 0 };
    struct msg_head m;

    memset(&m, 0, sizeof(m));       /* its padding is written too */
    m.index = i;
    m.is_failed = error != NULL;
    m.records_in = t->records_in;
    m.records_out = t->records_out;
    m.cache_hits = t->cache_hits;
    m.records_written = t->records_written;
    m.bytes_written = t->bytes_written;
    m.bytes_read = t->bytes_read;
    m.is_recompute = t->is_recompute;
    m.seconds = secs;
    rdd_buf_add(&b, "", 0);
    if (error) {
        rdd_buf_add(&b, error, strlen(error));
    } else {
        struct rdd_buf out = { 0 };
        if (!st->fn)
            save_buckets(&st->r->shuffle->out[p], st->r->shuffle->nreduce,
                         &out);
        else if (st->io)
            st->io->save(st->ctx, p, &out);
        put_u64(&b, out.len);
        rdd_buf_add(&b, out.s, out.len);
        rdd_buf_free(&out);
        save_cached(t, &b);
        out = (struct rdd_buf){ 0 };
        if (h->task_extra)
            h->task_extra(h->ctx, &out);
        put_u64(&b, out.len);
        rdd_buf_add(&b, out.s, out.len);
        rdd_buf_free(&out);
    }
    m.body = b.len;
    if (write_all(fd, &m, sizeof(m)) < 0 || write_all(fd, b.s, b.len) < 0)
        _exit(1);               /* the driver is gone */
    rdd_buf_free(&b);
}

/* Runs the tasks the driver names until it says -1; never returns. */
static void worker_main(struct stage_run *st, const int *parts,
                        long long first_tid, int cmd, int res)
{
    const struct rdd_procs *h = st->sc->procs;
    int32_t i;

    while (read_all(cmd, &i, sizeof(i)) == 0 && i >= 0) {
        struct task t;
        double t0 = clk_now();
        memset(&t, 0, sizeof(t));
        t.info = (struct rdd_task_context){
            .stage_id = st->log->stage_id, .stage_attempt = st->log->attempt,
            .partition = parts[i], .task_id = first_tid + i };
        t.scratch = t.info.scratch = rdd_arena_new();
        t.is_worker = true;
        const char *e = rdd_stage_task(st, parts[i], &t);
        const char *why = h->task_error ? h->task_error(h->ctx) : NULL;
        if (why)                /* Python's own error says it best */
            e = why;
        send_result(st, i, parts[i], &t, e, clk_now() - t0, res);
        rdd_arena_free(t.scratch);
        free(t.cached);
    }
    if (h->worker_done)
        h->worker_done(h->ctx);
    _exit(0);       /* not exit(): the driver's atexit and stdio are its */
}

void rdd_task_note_cached(struct task *t, struct rdd *r, int p)
{
    if (!t->is_worker)
        return;
    t->cached = rdd_xrealloc(t->cached, (size_t)(t->ncached + 1) *
                                        sizeof(*t->cached));
    t->cached[t->ncached++] = (struct cached_ref){ r, p };
}

/* ---- the driver's side */

/* In the child: dies with the driver, leaves Ctrl-C to it, holds no
 * other worker's pipe (or that worker's end would never close), then
 * runs tasks. Never returns. */
static void become_worker(struct stage_run *st, struct worker *ws, int w,
                          pid_t driver, const int *parts, long long first_tid,
                          int cmd, int res)
{
    signal(SIGINT, SIG_IGN);            /* the driver stops us */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != driver)
        _exit(1);
    for (int k = 0; k < w; k++) {
        close(ws[k].cmd);
        close(ws[k].res);
    }
    st->sc->procs->after_fork(st->sc->procs->ctx, true);
    worker_main(st, parts, first_tid, cmd, res);
}

static int fork_worker(struct stage_run *st, struct worker *ws, int w,
                       const int *parts, long long first_tid)
{
    const struct rdd_procs *h = st->sc->procs;
    pid_t driver = getpid();
    int cmd[2], res[2];

    if (pipe2(cmd, O_CLOEXEC) < 0)
        return -1;
    if (pipe2(res, O_CLOEXEC) < 0) {
        close(cmd[0]);
        close(cmd[1]);
        return -1;
    }
    h->before_fork(h->ctx);
    fflush(NULL);           /* no buffered output copied into the child */
    ws[w].pid = cleanup_fork(&ws[w].slot);
    if (ws[w].pid == 0) {
        close(cmd[1]);
        close(res[0]);
        become_worker(st, ws, w, driver, parts, first_tid, cmd[0], res[1]);
    }
    h->after_fork(h->ctx, false);
    close(cmd[0]);
    close(res[1]);
    ws[w].cmd = cmd[1];
    ws[w].res = res[0];
    ws[w].task = -1;
    if (ws[w].pid < 0) {
        close(cmd[1]);
        close(res[0]);
        return -1;
    }
    return 0;
}

/* Installs a map task's blocks as if the driver had run it. */
static void load_buckets(struct rdd_shuffle *sh, int m, const char *at,
                         size_t len)
{
    struct map_out *mo = &sh->out[m];
    const char *end = at + len;

    mo->bucket = rdd_xcalloc((size_t)sh->nreduce, sizeof(*mo->bucket));
    for (int q = 0; q < sh->nreduce && at < end; q++) {
        struct block *b = &mo->bucket[q];
        b->n = get_u64(&at);
        b->len = b->cap = get_u64(&at);
        b->bytes = rdd_xmalloc(b->len + BLOCK_PAD);
        memcpy(b->bytes, at, b->len);
        memset(b->bytes + b->len, 0, BLOCK_PAD);
        at += b->len;
    }
    mo->is_done = true;
    mo->was_lost = false;
}

static void load_cached(struct rdd_context *sc, const char **at)
{
    uint64_t n = get_u64(at);

    for (uint64_t i = 0; i < n; i++) {
        uint64_t id = get_u64(at), p = get_u64(at), len = get_u64(at);
        struct rdd *r = id < (uint64_t)sc->nrdds ? sc->rdds[id] : NULL;
        if (r && r->id == (int)id && r->is_cached && (int)p < r->nparts) {
            rdd_part_free(&r->cache[p]);
            rdd_part_load(&r->cache[p], *at, len);
            r->cache[p].is_present = true;
        }
        *at += len;
    }
}

/* Spark's words for a failed task, then what went wrong. */
static const char *task_failed(struct stage_run *st, int p, long long tid,
                               const char *what)
{
    rdd_fail(st->sc, "Job aborted due to stage failure: Task %d in stage "
             "%d.%d failed 1 times, most recent failure: Lost task %d.0 in "
             "stage %d.%d (TID %lld) (localhost executor driver): %s", p,
             st->log->stage_id, st->log->attempt, p, st->log->stage_id,
             st->log->attempt, tid, what);
    return st->sc->error;
}

/* A worker's task, in the stage's log and the trace. */
static void log_result(struct stage_run *st, const struct msg_head *m, int p,
                       int wi)
{
    struct task t;

    memset(&t, 0, sizeof(t));
    t.records_in = m->records_in;
    t.records_out = m->records_out;
    t.cache_hits = m->cache_hits;
    t.records_written = m->records_written;
    t.bytes_written = m->bytes_written;
    t.bytes_read = m->bytes_read;
    t.is_recompute = m->is_recompute;
    rdd_stage_log_task(st, p, wi, &t, m->seconds);
}

/* Reads one message from worker w and takes in what it carries. */
static const char *take_result(struct stage_run *st, struct worker *w,
                               int wi, const int *parts, long long first_tid)
{
    const struct rdd_procs *h = st->sc->procs;
    struct msg_head m;
    char *body = NULL;
    const char *at, *e = NULL;

    if (read_all(w->res, &m, sizeof(m)) < 0 || m.index != w->task ||
        !(body = malloc(m.body + 1)) || read_all(w->res, body, m.body) < 0) {
        free(body);
        return NULL;            /* it died: the caller says how */
    }
    body[m.body] = '\0';
    st->log->bytes_to_driver += (long long)(sizeof(m) + m.body);
    log_result(st, &m, parts[m.index], wi);
    if (m.is_failed) {
        e = task_failed(st, parts[m.index], first_tid + m.index, body);
    } else {
        uint64_t len;
        at = body;
        len = get_u64(&at);
        if (!st->fn)
            load_buckets(st->r->shuffle, parts[m.index], at, len);
        else if (st->io)
            st->io->load(st->ctx, parts[m.index], at, len);
        at += len;
        load_cached(st->sc, &at);
        len = get_u64(&at);
        if (len && h->extra_in)
            h->extra_in(h->ctx, at, len);
    }
    free(body);
    w->task = -1;
    return e;
}

/* Why worker w's pipe closed before its task's result: how it died. */
static const char *worker_died(struct stage_run *st, struct worker *w,
                               const int *parts, long long first_tid)
{
    char what[200];
    int status = 0;

    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    cleanup_forget(w->slot);
    w->pid = 0;
    if (WIFSIGNALED(status))
        snprintf(what, sizeof(what), "org.apache.spark.SparkException: "
                 "Python worker exited unexpectedly (crashed): killed by "
                 "signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(what, sizeof(what), "org.apache.spark.SparkException: "
                 "Python worker exited unexpectedly (crashed): exit status "
                 "%d", WEXITSTATUS(status));
    return task_failed(st, w->task >= 0 ? parts[w->task] : 0,
                       first_tid + (w->task >= 0 ? w->task : 0), what);
}

/* Gives worker w task `next` (or tells it to stop); returns the next. */
static int assign(struct worker *w, int next, int n)
{
    int32_t i = next < n ? next : -1;

    if (write_all(w->cmd, &i, sizeof(i)) == 0 && i >= 0) {
        w->task = i;
        return next + 1;
    }
    return next;
}

/* Stops the workers (SIGKILL when the job failed) and reaps them. */
static void stop_workers(struct worker *ws, int nw, bool is_kill)
{
    for (int w = 0; w < nw; w++) {
        if (ws[w].pid > 0 && is_kill)
            kill(ws[w].pid, SIGKILL);
        close(ws[w].cmd);
        close(ws[w].res);
    }
    for (int w = 0; w < nw; w++) {
        if (ws[w].pid <= 0)
            continue;
        while (waitpid(ws[w].pid, NULL, 0) < 0 && errno == EINTR)
            ;
        cleanup_forget(ws[w].slot);
    }
}

/* Waits for one result; NULL when all is well so far. */
static const char *wait_one(struct stage_run *st, struct worker *ws, int nw,
                            const int *parts, long long first_tid, int *next,
                            int n, int *done)
{
    const struct rdd_procs *h = st->sc->procs;
    struct pollfd pf[nw];
    int k;

    for (int w = 0; w < nw; w++)
        pf[w] = (struct pollfd){ ws[w].task >= 0 ? ws[w].res : -1, POLLIN,
                                 0 };
    k = poll(pf, (nfds_t)nw, 200);
    if ((k < 0 && errno == EINTR) || k == 0) {
        if (h->is_interrupted && h->is_interrupted(h->ctx)) {
            st->sc->is_interrupted = true;
            rdd_fail(st->sc, "KeyboardInterrupt: the job was stopped");
            return st->sc->error;
        }
        return NULL;
    }
    for (int w = 0; w < nw; w++) {
        const char *e;
        if (!(pf[w].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        int was = ws[w].task;
        e = take_result(st, &ws[w], w, parts, first_tid);
        if (ws[w].task == was)          /* no result: it died */
            return worker_died(st, &ws[w], parts, first_tid);
        (*done)++;
        if (e)
            return e;
        *next = assign(&ws[w], *next, n);
    }
    return NULL;
}

const char *rdd_procs_run(struct stage_run *st, const int *parts, int n)
{
    struct rdd_context *sc = st->sc;
    int nw = sc->threads < n ? sc->threads : n, next = 0, done = 0, w;
    struct worker *ws = rdd_xcalloc((size_t)nw, sizeof(*ws));
    long long first_tid = sc->next_task_id;
    const char *e = NULL;
    double t0 = clk_now();

    sc->next_task_id += n;
    st->log->workers += nw;
    for (w = 0; w < nw && !e; w++)
        if (fork_worker(st, ws, w, parts, first_tid) < 0) {
            rdd_fail(sc, "cannot start a worker process: %s",
                     strerror(errno));
            e = sc->error;
        }
    if (e)
        nw = w - 1;
    for (w = 0; w < nw && !e; w++)
        next = assign(&ws[w], next, n);
    while (!e && done < n)
        e = wait_one(st, ws, nw, parts, first_tid, &next, n, &done);
    for (w = 0; w < nw && !e; w++)
        assign(&ws[w], n, n);           /* all done: stop */
    stop_workers(ws, nw, e != NULL);
    free(ws);
    st->log->seconds += clk_now() - t0;
    return e;
}
