/* lesson/ipc.c - shared memory vs message passing.
 * What to notice: where shared memory streamed faster and where it did
 * not, with the copies and system calls that explain it; what a wake-up
 * on another CPU adds to small-message latency; message-queue chunks.
 */
#include "lesson/ipc.h"

#include <stdio.h>

static const char *const mech_names[MECH_COUNT] = {
    "shared memory", "message queue", "pipe", "unix socket" };
static const char *const mech_keys[MECH_COUNT] = { "shm", "mq", "pipe",
                                                   "unix" };

const char *ipc_mech_name(enum ipc_mech m)
{
    return (unsigned)m < MECH_COUNT ? mech_names[m] : "?";
}

/* The copying mechanism (not shm) with the highest rate at size s, or -1:
 * the one a sentence about rates compares against. */
static int best_by_rate(const struct ipc_results *res, int s)
{
    int best = -1;

    for (int m = MECH_MQ; m < MECH_COUNT; m++)
        if (res->row[m][s].is_run &&
            (best < 0 || res->row[m][s].bw.v > res->row[best][s].bw.v))
            best = m;
    return best;
}

/* The copying mechanism with the lowest free one-way time at size s. */
static int best_by_latency(const struct ipc_results *res, int s)
{
    int best = -1;

    for (int m = MECH_MQ; m < MECH_COUNT; m++)
        if (res->row[m][s].is_run &&
            (best < 0 || res->row[m][s].lat_free.v <
                         res->row[best][s].lat_free.v))
            best = m;
    return best;
}

static void stream_slower(struct notice *n, const struct ipc_results *res,
                          const char *sz, const char *other)
{
    char pre[300];

    if (notice_find(n, "shm_calls")->e.v >=
        notice_find(n, "other_calls")->e.v) {
        n->id = "ipc.shm_streams_slower";
        notice_rel(n, "shm_calls", REL_VGE, 1, "other_calls");
        notice_say(n, "At %s-byte messages shared memory streamed {shm}, "
                   "slower than the %s ({other}): it made {shm_calls} system "
                   "calls per message against {other_calls}, to wake a "
                   "receiver that had gone to sleep, and that cost more than "
                   "the copy it saves ({shm_copies} copies of each byte "
                   "against {other_copies}).", sz, other);
        return;
    }
    n->id = "ipc.shm_streams_slower_unexplained";
    notice_rel(n, "shm_calls", REL_VLT, 1, "other_calls");
    snprintf(pre, sizeof(pre), "At %s-byte messages shared memory streamed "
             "{shm}, slower than the %s ({other}), although it copied each "
             "byte {shm_copies} times against {other_copies} and made fewer "
             "system calls ({shm_calls} per message against "
             "{other_calls}):", sz, other);
    notice_cause(n, &res->cond, pre);
}

/* Shared memory's rate against the best other rate at size s. */
static void notice_stream(const struct ipc_results *res, int s,
                          struct notices *ns)
{
    const struct ipc_row *shm = &res->row[MECH_SHM][s], *o;
    int b = best_by_rate(res, s);
    struct notice *n;
    char sz[32];

    if (!shm->is_run || b < 0)
        return;
    o = &res->row[b][s];
    cli_fmt_size(res->size[s], sz, sizeof(sz));
    n = notice_add(ns, "ipc.shm_streams_faster");
    notice_est(n, "shm", shm->bw, U_MBPS);
    notice_est(n, "other", o->bw, U_MBPS);
    notice_est(n, "gain", est_ratio(shm->bw, o->bw), U_RATIO);
    notice_num(n, "shm_copies", shm->copies, U_NUM);
    notice_num(n, "other_copies", o->copies, U_NUM);
    notice_num(n, "shm_calls", shm->syscalls, U_NUM);
    notice_num(n, "other_calls", o->syscalls, U_NUM);
    notice_num(n, "reps", res->stream_reps, U_INT);
    switch (notice_order(n, "shm", "other")) {
    case 1:
        notice_say(n, "At %s-byte messages shared memory streamed {shm}, "
                   "{gain} faster than the fastest other mechanism (%s, "
                   "{other}): {shm_copies} copies of each byte against "
                   "{other_copies}, {shm_calls} system calls per message "
                   "against {other_calls}.", sz, ipc_mech_name(b));
        break;
    case 0:
        n->id = "ipc.streams_close";
        notice_say(n, "At %s-byte messages shared memory ({shm}) and the "
                   "%s ({other}) streamed at rates too close to tell apart "
                   "over {reps|run|runs}.", sz, ipc_mech_name(b));
        break;
    default:
        stream_slower(n, res, sz, ipc_mech_name(b));
    }
}

static void latency_not_faster(struct notice *n, const struct cond *c,
                               int order, const char *sz, const char *other)
{
    char pre[400];

    n->id = "ipc.shm_latency_not_faster";
    snprintf(pre, sizeof(pre), "At %s bytes shared memory took {shm} one "
             "way, free to use {cpus} CPUs: %s the fastest other mechanism "
             "(%s, {other}).%s", sz, order > 0 ? "slower than"
             : "not decidedly faster than", other,
             notice_find(n, "calls")->e.v >= 1
             ? " Its receiver slept in futex ({calls} system calls per "
               "round trip) instead of spinning:"
             : " Its receiver mostly spun ({calls} system calls per round "
               "trip), yet:");
    notice_rel(n, "calls", notice_find(n, "calls")->e.v >= 1 ? REL_VGE
                                                             : REL_VLT,
               1, "one");
    notice_cause(n, c, pre);
}

/* Small messages, free to use every CPU: a spinning receiver needs no
 * system call. */
static void notice_latency(const struct ipc_results *res, struct notices *ns)
{
    const struct ipc_row *shm = &res->row[MECH_SHM][0], *o;
    int b = best_by_latency(res, 0), order;
    struct notice *n;
    char sz[32];

    if (!shm->is_run || b < 0)
        return;
    o = &res->row[b][0];
    cli_fmt_size(res->size[0], sz, sizeof(sz));
    n = notice_add(ns, "ipc.shm_latency_faster");
    notice_est(n, "shm", shm->lat_free, U_DUR);
    notice_est(n, "other", o->lat_free, U_DUR);
    notice_est(n, "shm_pin", shm->lat_pinned, U_DUR);
    notice_est(n, "gain", est_ratio(o->lat_free, shm->lat_free), U_RATIO);
    notice_num(n, "calls", shm->rt_calls_free, U_NUM);
    notice_num(n, "pin_calls", shm->rt_calls_pinned, U_NUM);
    notice_num(n, "other_calls", o->rt_calls_free, U_NUM);
    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    if (res->cpus == 1) {
        n->id = "ipc.shm_latency_one_cpu";
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "With 1 allowed CPU shared memory's receiver cannot "
                   "spin while its sender runs: at %s bytes it took {shm} "
                   "one way (the %s {other}).", sz, ipc_mech_name(b));
        if (shm->rt_calls_free >= 1) {
            notice_rel(n, "calls", REL_VGE, 1, "one");
            notice_say(n, "%s It slept and woke in futex instead ({calls} "
                       "system calls per round trip).", n->text);
        }
        return;
    }
    notice_rel(n, "cpus", REL_GT, 1, "one");
    order = notice_order(n, "shm", "other");
    if (order >= 0) {
        latency_not_faster(n, &res->cond, order, sz, ipc_mech_name(b));
        return;
    }
    notice_say(n, "At %s bytes shared memory took {shm} one way, free to "
               "use {cpus} CPUs: {gain} faster than the fastest other "
               "mechanism (%s, {other}).", sz, ipc_mech_name(b));
    if (shm->rt_calls_free < 1) {
        notice_rel(n, "calls", REL_VLT, 1, "one");
        notice_say(n, "%s Its receiver spins on the ring and mostly sees "
                   "the bytes with no system call ({calls} per round trip; "
                   "the %s made {other_calls}).", n->text, ipc_mech_name(b));
    }
    if (shm->rt_calls_pinned >= 1 &&
        rel_holds(REL_GT, shm->lat_pinned, 1, shm->lat_free)) {
        notice_rel(n, "pin_calls", REL_VGE, 1, "one");
        notice_rel(n, "shm_pin", REL_GT, 1, "shm");
        notice_say(n, "%s Pinned to one CPU it took {shm_pin}: there it "
                   "must not spin, so it sleeps in futex ({pin_calls} system "
                   "calls per round trip) and the kernel switches processes, "
                   "as for any mechanism.", n->text);
    }
}

/* "pipe {pipe_free} free, {pipe_pin} pinned" for the mechanisms whose
 * free time compared to the pinned one as `want` (+1, 0, -1; 2: any). */
static int wake_list(const struct ipc_results *res, const int *order,
                     int want, char *buf, size_t len)
{
    size_t at = 0;
    int count = 0;

    buf[0] = '\0';
    for (int m = MECH_MQ; m < MECH_COUNT && at < len; m++) {
        if (!res->row[m][0].is_run || (want != 2 && order[m] != want &&
                                       !(want == 0 && order[m] < 0)))
            continue;
        at += (size_t)snprintf(buf + at, len - at, "%s%s {%s_free} free, "
                               "{%s_pin} pinned", count ? "; " : "",
                               ipc_mech_name(m), mech_keys[m], mech_keys[m]);
        count++;
    }
    return count;
}

static void wake_cited(struct notice *n, const struct ipc_results *res,
                       int *order)
{
    char key[NOTICE_NAME_LEN], pin[NOTICE_NAME_LEN];

    for (int m = MECH_MQ; m < MECH_COUNT; m++) {
        order[m] = 2;
        if (!res->row[m][0].is_run)
            continue;
        snprintf(key, sizeof(key), "%s_free", mech_keys[m]);
        snprintf(pin, sizeof(pin), "%s_pin", mech_keys[m]);
        notice_est(n, key, res->row[m][0].lat_free, U_DUR);
        notice_est(n, pin, res->row[m][0].lat_pinned, U_DUR);
        if (res->cpus > 1)
            order[m] = notice_order(n, key, pin);
    }
}

/* Small messages: pinned is the mechanism, free adds a wake-up on
 * another CPU. */
static void notice_wakeup(const struct ipc_results *res, struct notices *ns)
{
    int order[MECH_COUNT], slower, ran;
    char all[400], up[300], rest[300], sz[32], pre[900];
    struct notice *n;

    if (best_by_latency(res, 0) < 0)
        return;                         /* no copying mechanism ran */
    n = notice_add(ns, "ipc.wakeup");
    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    wake_cited(n, res, order);
    ran = wake_list(res, order, 2, all, sizeof(all));
    cli_fmt_size(res->size[0], sz, sizeof(sz));
    if (res->cpus == 1) {
        n->id = "ipc.wakeup_one_cpu";
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "Only 1 CPU is allowed to this process, so 'free' is "
                   "one CPU too: at %s bytes, %s. Run it on 2 or more CPUs "
                   "to see what waking a receiver on another CPU costs.", sz,
                   all);
        return;
    }
    slower = wake_list(res, order, 1, up, sizeof(up));
    wake_list(res, order, 0, rest, sizeof(rest));
    if (slower == ran) {
        snprintf(pre, sizeof(pre), "At %s bytes every copying mechanism "
                 "took longer free to use {cpus} CPUs than pinned to one: "
                 "%s. A receiver asleep on another CPU must be woken there, "
                 "so unpinned small-message latency measures that wake-up "
                 "as much as the mechanism.", sz, all);
        if (notice_load(n, &res->cond))
            notice_say(n, "%s Other programs kept {other_cpus} of the "
                       "{allowed} CPUs busy too, which adds waiting for a "
                       "CPU.", pre);
        else
            notice_say(n, "%s", pre);
        return;
    }
    n->id = slower ? "ipc.wakeup_mixed" : "ipc.wakeup_not_shown";
    snprintf(pre, sizeof(pre), slower
             ? "At %s bytes, free to use {cpus} CPUs, only some mechanisms "
               "took decidedly longer than pinned to one (%s; not: %s), so "
               "the cost of a wake-up on another CPU showed only in part:"
             : "At %s bytes no copying mechanism took decidedly longer free "
               "to use {cpus} CPUs than pinned to one (%s%s): this run shows "
               "no cost for waking a receiver on another CPU;",
             sz, slower ? up : rest, slower ? rest : "");
    notice_cause(n, &res->cond, pre);
}

/* Queues refuse messages over msgsize_max: bigger ones go in chunks. */
static void notice_mq(const struct ipc_results *res, struct notices *ns)
{
    long long chunks = 0;
    struct notice *n;
    char sz[32];
    int last = -1;

    for (int s = 0; s < res->nsizes; s++)
        if (res->row[MECH_MQ][s].is_run && res->msgsize_max > 0 &&
            res->size[s] > res->msgsize_max)
            last = s;
    if (last < 0)
        return;
    chunks = (res->size[last] + res->msgsize_max - 1) / res->msgsize_max;
    n = notice_add(ns, "ipc.mq_chunks");
    notice_num(n, "max", (double)res->msgsize_max, U_INT);
    notice_num(n, "chunks", (double)chunks, U_INT);
    notice_num(n, "least", 2.0 * (double)chunks, U_INT);
    notice_num(n, "calls", res->row[MECH_MQ][last].syscalls, U_NUM);
    notice_rel(n, "calls", REL_VGE, 1, "least");
    notice_say(n, "A POSIX message queue refuses messages over msgsize_max "
               "= {max} bytes (/proc/sys/fs/mqueue/msgsize_max; root can "
               "raise it with sysctl -w fs.mqueue.msgsize_max=N), so this "
               "demo sends bigger ones in chunks: a %s-byte message went as "
               "{chunks} chunks, and the queue needed {calls} system calls "
               "per message (a send and a receive per chunk: at least "
               "{least}).", cli_fmt_size(res->size[last], sz, sizeof(sz)));
}

static void notice_checked(const struct ipc_results *res, struct notices *ns)
{
    struct notice *n = notice_add(ns, "ipc.checked");
    int bad = 0;

    for (int m = 0; m < MECH_COUNT; m++)
        for (int s = 0; s < res->nsizes; s++)
            bad += res->row[m][s].is_run && !res->row[m][s].is_ok;
    notice_num(n, "bad", bad, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_num(n, "bytes", res->bytes_checked, U_MIB);
    notice_num(n, "rounds", (double)res->rounds, U_INT);
    notice_num(n, "reps", res->stream_reps, U_INT);
    if (bad) {
        n->id = "ipc.checksum_mismatch";
        notice_rel(n, "bad", REL_GT, 1, "zero");
        notice_say(n, "CHECKSUM MISMATCH in {bad|run|runs}: some bytes "
                   "arrived changed (the ok column says where). Nothing "
                   "stops a process from writing bytes another has not read "
                   "yet: with shared memory that synchronisation is the "
                   "program's own job.");
        return;
    }
    notice_rel(n, "bad", REL_EQ, 1, "zero");
    notice_say(n, "Every byte was checksummed on the far side ({bytes} in "
               "all) and every checksum matched. One-way times are medians "
               "of {rounds} round trips halved (at the first size); rates "
               "are medians of {reps|stream|streams}.");
}

/* ---- the Python part: multiprocessing.Queue and Pipe ---- */

/* The Queue against the bare Pipe, appended to n's sentence. */
static void queue_vs_pipe(struct notice *n)
{
    switch (notice_order(n, "q", "pp")) {
    case 1:
        notice_say(n, "%s A bare Pipe (send and recv: pickling on one "
                   "pipe, no feeder thread, no lock) took {pp}: the Queue "
                   "pays for its feeder thread and lock on top.", n->text);
        break;
    case 0:
        notice_say(n, "%s A bare Pipe took {pp}, not decidedly less: the "
                   "Queue's feeder thread and lock did not show here.",
                   n->text);
        break;
    default:
        notice_say(n, "%s A bare Pipe took {pp}, more than the Queue in "
                   "this run.", n->text);
    }
}

static void notice_py_latency(const struct ipc_results *res,
                              struct notices *ns)
{
    const struct ipc_row *q = &res->py[PYM_QUEUE][0];
    const struct ipc_row *pp = &res->py[PYM_PIPE][0];
    const struct ipc_row *c = &res->row[MECH_PIPE][0];
    struct notice *n;
    char sz[32];

    if (!q->is_run || !pp->is_run || !c->is_run)
        return;
    cli_fmt_size(res->size[0], sz, sizeof(sz));
    n = notice_add(ns, "ipc.py_queue_latency");
    notice_est(n, "q", q->lat_free, U_DUR);
    notice_est(n, "pp", pp->lat_free, U_DUR);
    notice_est(n, "c", c->lat_free, U_DUR);
    notice_num(n, "times", c->lat_free.v > 0 ? q->lat_free.v /
                                               c->lat_free.v : 0, U_NUM);
    switch (notice_order(n, "q", "c")) {
    case 1:
        notice_say(n, "At %s bytes Python's multiprocessing.Queue took {q} "
                   "one way, {times} times as long as C's pipe ({c}), the "
                   "mechanism under it.", sz);
        queue_vs_pipe(n);
        break;
    case 0:
        n->id = "ipc.py_queue_latency_close";
        notice_say(n, "At %s bytes Python's multiprocessing.Queue took {q} "
                   "one way and C's pipe {c}: too close to tell apart in "
                   "this run.", sz);
        break;
    default:
        n->id = "ipc.py_queue_latency_lower";
        notice_cause(n, &res->cond, "Python's Queue took {q} one way, "
                     "less than C's pipe ({c}) under it: the C run was "
                     "slowed;");
    }
}

static void notice_py_rate(const struct ipc_results *res, struct notices *ns)
{
    int last = res->nsizes - 1;
    const struct ipc_row *q = &res->py[PYM_QUEUE][last];
    const struct ipc_row *c = &res->row[MECH_PIPE][last];
    struct notice *n;
    char sz[32];

    if (!q->is_run || !c->is_run)
        return;
    cli_fmt_size(res->size[last], sz, sizeof(sz));
    n = notice_add(ns, "ipc.py_queue_rate");
    notice_est(n, "q", q->bw, U_MBPS);
    notice_est(n, "c", c->bw, U_MBPS);
    switch (notice_order(n, "c", "q")) {
    case 1:
        notice_est(n, "gain", est_ratio(c->bw, q->bw), U_RATIO);
        notice_say(n, "At %s-byte messages the Queue streamed {q}, C's pipe "
                   "{c} ({gain} the Queue's rate): every message is pickled "
                   "into a new bytes object before the pipe, and unpickled "
                   "into another after it.", sz);
        break;
    case 0:
        n->id = "ipc.py_queue_rate_close";
        notice_say(n, "At %s-byte messages the Queue streamed {q} and C's "
                   "pipe {c}: too close to tell apart in this run.", sz);
        break;
    default:
        n->id = "ipc.py_queue_rate_higher";
        notice_cause(n, &res->cond, "The Queue streamed {q}, more than C's "
                     "pipe ({c}): the C streams were slowed;");
    }
}

/* An Array against a RawArray, the same bytes without the lock, at the
 * first size: what the lock costs on every access. */
static void notice_py_lock(const struct ipc_results *res, struct notices *ns)
{
    const struct ipc_row *a = &res->py[PYM_ARRAY][0];
    const struct ipc_row *raw = &res->py[PYM_RAW][0];
    struct notice *n;
    char sz[32];

    if (!a->is_run || !raw->is_run)
        return;
    cli_fmt_size(res->size[0], sz, sizeof(sz));
    n = notice_add(ns, "ipc.py_lock_cost");
    notice_est(n, "a", a->lat_free, U_DUR);
    notice_est(n, "raw", raw->lat_free, U_DUR);
    notice_num(n, "d", a->lat_free.v - raw->lat_free.v, U_DUR);
    switch (notice_order(n, "a", "raw")) {
    case 1:
        notice_say(n, "At %s bytes an Array took {a} one way, a RawArray "
                   "(the same shared bytes, no lock) {raw}: the Array's lock, "
                   "taken on every write and every read, cost {d}.", sz);
        break;
    case 0:
        n->id = "ipc.py_lock_unshown";
        notice_say(n, "At %s bytes an Array ({a} one way) and a RawArray, "
                   "the same bytes without its lock ({raw}), were too close "
                   "to tell apart: the lock's cost did not show in this "
                   "run.", sz);
        break;
    default:
        n->id = "ipc.py_lock_faster";
        notice_cause(n, &res->cond, "The Array, lock and all, took {a} one "
                     "way, less than the RawArray without the lock ({raw}):");
    }
}

/* Python's shared_memory against C's shm ring at the first size: the
 * same idea, bytes in place and a wait to hand them over. */
static void notice_py_shm(const struct ipc_results *res, struct notices *ns)
{
    const struct ipc_row *p = &res->py[PYM_SHM][0];
    const struct ipc_row *c = &res->row[MECH_SHM][0];
    struct notice *n;
    char sz[32];

    if (!p->is_run || !c->is_run)
        return;
    cli_fmt_size(res->size[0], sz, sizeof(sz));
    n = notice_add(ns, "ipc.py_shm_latency");
    notice_est(n, "p", p->lat_free, U_DUR);
    notice_est(n, "c", c->lat_free, U_DUR);
    notice_num(n, "times", c->lat_free.v > 0 ? p->lat_free.v / c->lat_free.v
                                             : 0, U_NUM);
    switch (notice_order(n, "p", "c")) {
    case 1:
        notice_say(n, "At %s bytes Python's shared_memory took {p} one way, "
                   "{times} times C's shared memory ({c}): the same bytes in "
                   "place, handed over by a semaphore, with the interpreter "
                   "around every step.", sz);
        break;
    case 0:
        n->id = "ipc.py_shm_latency_close";
        notice_say(n, "At %s bytes Python's shared_memory ({p} one way) and "
                   "C's ({c}) were too close to tell apart in this run.", sz);
        break;
    default:
        n->id = "ipc.py_shm_latency_lower";
        notice_cause(n, &res->cond, "Python's shared_memory took {p} one "
                     "way, less than C's shared memory ({c}):");
    }
}

/* At the last size: shared_memory (no pickling) against a Pipe. */
static void notice_py_pickle(const struct ipc_results *res,
                             struct notices *ns)
{
    int last = res->nsizes - 1;
    const struct ipc_row *shm = &res->py[PYM_SHM][last];
    const struct ipc_row *pp = &res->py[PYM_PIPE][last];
    struct notice *n;
    char sz[32];

    if (!shm->is_run || !pp->is_run)
        return;
    cli_fmt_size(res->size[last], sz, sizeof(sz));
    n = notice_add(ns, "ipc.py_shm_rate");
    notice_est(n, "shm", shm->bw, U_MBPS);
    notice_est(n, "pp", pp->bw, U_MBPS);
    switch (notice_order(n, "shm", "pp")) {
    case 1:
        notice_est(n, "gain", est_ratio(shm->bw, pp->bw), U_RATIO);
        notice_say(n, "At %s-byte messages Python's shared_memory streamed "
                   "{shm}, {gain} faster than a Pipe ({pp}): the Pipe pickles every "
                   "message and copies it through the kernel; shared_memory "
                   "copies it into the block and out, no pickling.", sz);
        break;
    case 0:
        n->id = "ipc.py_shm_rate_close";
        notice_say(n, "At %s-byte messages Python's shared_memory ({shm}) "
                   "and a Pipe ({pp}) streamed too close to tell apart: "
                   "skipping the pickling did not show in this run.", sz);
        break;
    default:
        n->id = "ipc.py_shm_rate_lower";
        notice_cause(n, &res->cond, "Python's shared_memory streamed {shm}, "
                     "less than a Pipe ({pp}), pickling and all:");
    }
}

static void notice_py_checked(const struct ipc_results *res,
                              struct notices *ns)
{
    struct notice *n = notice_add(ns, "ipc.py_checked");
    int bad = 0;

    for (int m = 0; m < PYM_COUNT; m++)
        for (int s = 0; s < res->nsizes; s++)
            bad += res->py[m][s].is_run && !res->py[m][s].is_ok;
    notice_num(n, "bad", bad, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (bad) {
        n->id = "ipc.py_checksum_mismatch";
        notice_rel(n, "bad", REL_GT, 1, "zero");
        notice_say(n, "A Python message arrived changed in {bad|run|runs} "
                   "(the ok column says where): a bug.");
        return;
    }
    notice_rel(n, "bad", REL_EQ, 1, "zero");
    notice_say(n, "Every Python message arrived whole (its echo equal, the "
               "streams' CRC-32 matched on the far side).");
}

void ipc_notices(const struct ipc_results *res, struct notices *ns)
{
    for (int s = 0; s < res->nsizes; s++)
        notice_stream(res, s, ns);
    notice_latency(res, ns);
    notice_wakeup(res, ns);
    notice_mq(res, ns);
    notice_checked(res, ns);
    if (res->has_python) {
        notice_py_latency(res, ns);
        notice_py_rate(res, ns);
        notice_py_shm(res, ns);
        notice_py_lock(res, ns);
        notice_py_pickle(res, ns);
        notice_py_checked(res, ns);
    }
}
