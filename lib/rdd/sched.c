/* sched.c - the scheduler: stages cut at shuffles, one task per partition.
 * Within a stage, narrow transformations are pipelined: a record goes
 * through map, filter, flatMap... before the next one is read (sinks).
 * A shuffle (shuffle.c) ends a stage: the next stage reads what its map
 * side wrote. Tasks of a stage run on OpenMP threads; a lost partition is
 * recomputed from lineage.
 */
#include "rdd_impl.h"
#include "rdd_mpi.h"
#include "stats.h"

#include <omp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void rdd_emit(struct rdd_sink *out, struct rdd_value v)
{
    out->push(out, v);
}

struct rdd_arena *rdd_sink_arena(struct rdd_sink *out)
{
    return out->task->scratch;
}

/* ---- narrow transformations as sinks */

struct op_sink {
    struct rdd_sink base;
    struct rdd *r;
    struct rdd_sink *down;
};

static void map_push(struct rdd_sink *s, struct rdd_value v)
{
    struct op_sink *o = (struct op_sink *)s;

    o->down->push(o->down, o->r->fn.map(v, s->task->scratch, o->r->ctx));
}

static void filter_push(struct rdd_sink *s, struct rdd_value v)
{
    struct op_sink *o = (struct op_sink *)s;

    if (o->r->fn.filter(v, o->r->ctx))
        o->down->push(o->down, v);
}

static void flat_push(struct rdd_sink *s, struct rdd_value v)
{
    struct op_sink *o = (struct op_sink *)s;

    o->r->fn.flat(v, o->down, o->r->ctx);
}

/* A sink that keeps what it is given (copied: the scratch arena is reset
 * after every source record). */
struct store_sink {
    struct rdd_sink base;
    struct rdd_part *part;
};

static void store_push(struct rdd_sink *s, struct rdd_value v)
{
    struct store_sink *o = (struct store_sink *)s;

    rdd_part_push(o->part, rdd_copy(o->part->arena, v));
}

/* Pushes stored records downstream: a source (cache, slice) of a stage. */
static void replay(const struct rdd_part *part, struct rdd_sink *out,
                   struct task *t)
{
    for (size_t i = 0; i < part->n && !t->is_stopped; i++) {
        t->records_in++;
        out->push(out, part->v[i]);
        rdd_arena_reset(t->scratch);
    }
}

/* A range's slice p: each number made as it is pushed (sc.parallelize(
 * range(n)) stores nothing, whatever n). */
static void range_read(const struct rdd *r, int p, struct rdd_sink *out,
                       struct task *t)
{
    uint64_t hi = rdd_slice_start(p + 1, r->range.len, r->nparts);

    for (uint64_t k = rdd_slice_start(p, r->range.len, r->nparts);
         k < hi && !t->is_stopped; k++) {
        t->records_in++;
        /* unsigned: k * step may pass INT64_MAX on its way to the value */
        out->push(out, rdd_int((int64_t)((uint64_t)r->range.start +
                                         k * (uint64_t)r->range.step)));
        rdd_arena_reset(t->scratch);
    }
}

static void compute_plain(struct rdd *r, int p, struct rdd_sink *out,
                          struct task *t);

/* Computes partition p of r into a list. is_plain: ignore r's own cache
 * (we are filling it). */
static void materialise(struct rdd *r, int p, struct rdd_part *into,
                        struct task *t, bool is_plain)
{
    struct store_sink s = { { store_push, t }, into };

    into->arena = rdd_arena_new();
    if (is_plain)
        compute_plain(r, p, &s.base, t);
    else
        rdd_compute(r, p, &s.base, t);
}

void rdd_materialise(struct rdd *r, int p, struct rdd_part *into,
                     struct task *t)
{
    materialise(r, p, into, t, false);
}

static void map_partitions(struct rdd *r, int p, struct rdd_sink *out,
                           struct task *t)
{
    struct rdd_part in = { 0 };

    materialise(r->parent, p, &in, t, false);
    r->fn.part(in.v, in.n, out, r->ctx);
    rdd_part_free(&in);
}


static void compute_plain(struct rdd *r, int p, struct rdd_sink *out,
                          struct task *t)
{
    struct op_sink o = { { NULL, t }, r, out };

    switch (r->op) {
    case OP_PARALLEL: replay(&r->slices[p], out, t); return;
    case OP_RANGE:    range_read(r, p, out, t); return;
    case OP_HADOOP:   rdd_text_read(r, p, out, t); return;
    case OP_PASS:     rdd_compute(r->parent, p, out, t); return;
    case OP_MAP:      o.base.push = map_push; break;
    case OP_FILTER:   o.base.push = filter_push; break;
    case OP_FLAT_MAP: o.base.push = flat_push; break;
    case OP_MAP_PARTS: map_partitions(r, p, out, t); return;
    case OP_UNION:
        if (p < r->parent->nparts)
            rdd_compute(r->parent, p, out, t);
        else
            rdd_compute(r->parent2, p - r->parent->nparts, out, t);
        return;
    case OP_SHUFFLED: rdd_shuffle_read(r, p, out, t); return;
    case OP_PIPE: case OP_ZIP: case OP_CARTESIAN: case OP_COALESCE:
        rdd_pull_compute(r, p, out, t);     /* pull.c */
        return;
    }
    rdd_compute(r->parent, p, &o.base, t);
}

void rdd_compute(struct rdd *r, int p, struct rdd_sink *out, struct task *t)
{
    struct rdd_part *c;

    if (r->gathered) {          /* under MPI: shared by all ranks */
        replay(&r->gathered[p], out, t);
        return;
    }
    if (!r->is_cached) {
        compute_plain(r, p, out, t);
        return;
    }
    c = &r->cache[p];
    if (c->is_present) {
        t->cache_hits++;
    } else {
        /* computed once, completely, then kept: the next action reads it */
        t->is_recompute |= c->was_lost;
        c->was_lost = false;
        materialise(r, p, c, t, true);
        c->is_present = true;
        rdd_task_note_cached(t, r, p);
        /* what we just read counts as the stage's input, not the replay */
        t->records_in -= (long long)c->n;
    }
    replay(c, out, t);
}

/* ---- stages and jobs */

/* A new stage in the trace (a full trace overwrites its last entry).
 * A resubmitted stage keeps its id, as in Spark: pass it as id. */
static struct rdd_stage_log *new_stage(struct rdd_context *sc, int job,
                                       const char *name, int id)
{
    struct rdd_stage_log *s = &sc->stages[sc->nstages < RDD_MAX_TRACE
                                          ? sc->nstages++
                                          : RDD_MAX_TRACE - 1];

    memset(s, 0, sizeof(*s));
    s->job_id = job;
    s->stage_id = id >= 0 ? id : sc->next_stage_id++;
    snprintf(s->name, sizeof(s->name), "%s", name);
    return s;
}

void rdd_stage_log_task(struct stage_run *st, int p, int thread,
                    const struct task *t, double secs)
{
    struct rdd_context *sc = st->sc;
    struct rdd_stage_log *s = st->log;

    s->tasks++;
    s->tasks_recomputed += t->is_recompute;
    s->cache_hits += t->cache_hits > 0;
    s->records_in += t->records_in;
    s->records_out += t->records_out;
    s->records_written += t->records_written;
    s->bytes_written += t->bytes_written;
    s->bytes_read += t->bytes_read;
    if (sc->ntasks == RDD_MAX_TRACE) {
        sc->tasks_dropped++;
        return;
    }
    sc->tasks[sc->ntasks++] = (struct rdd_task_log){
        s->stage_id, p, thread, t->is_recompute, t->cache_hits > 0,
        t->records_in, t->records_out, secs };
}

/* The task this thread runs. A thread-local, not a global: a callback's
 * signature (value, arena, ctx) does not name its task, and only the
 * thread running it knows which one it is; Spark's TaskContext.get() is a
 * thread-local for the same reason. */
static _Thread_local struct task *current_task;

const struct rdd_task_context *rdd_task_context_get(void)
{
    return current_task ? &current_task->info : NULL;
}

void rdd_stop_task(void)
{
    if (current_task)
        current_task->is_stopped = true;
}

const struct rdd_obj_ops *rdd_obj_ops_here(void)
{
    return current_task ? current_task->info.obj : NULL;
}

void rdd_task_fail(const char *msg)
{
    if (current_task)
        rdd_task_stop(current_task, msg);
}

/* Runs one task, known to its callbacks as the current task. Returns
 * NULL, or why it failed. */
const char *rdd_stage_task(struct stage_run *st, int p, struct task *t)
{
    const char *e = NULL;

    t->info.obj = st->sc->obj_ops;
    current_task = t;
    if (st->fn)
        st->fn(st->r, p, t, st->ctx);
    else
        e = rdd_shuffle_map_task(st->r, p, t);
    current_task = NULL;
    return t->error ? t->error : e;
}

/* Runs the listed partitions' tasks on the context's threads. */
static const char *run_local(struct stage_run *st, const int *parts, int n)
{
    struct task *ts = aligned_alloc(128, (size_t)n * sizeof(*ts));
    double *secs = rdd_xcalloc((size_t)n, sizeof(*secs));
    int *thread = rdd_xcalloc((size_t)n, sizeof(*thread));
    int nthreads = st->sc->threads < n ? st->sc->threads : n;
    const char *error = NULL;
    double t0 = clk_now();

    if (n == 0) {               /* an RDD with no partitions */
        free(ts);
        free(secs);
        free(thread);
        return NULL;
    }
    if (st->sc->procs) {        /* in worker processes (procs.c) */
        free(ts);
        free(secs);
        free(thread);
        return rdd_procs_run(st, parts, n);
    }
    if (!ts)
        abort();
    memset(ts, 0, (size_t)n * sizeof(*ts));
    for (int i = 0; i < n; i++)
        ts[i].info = (struct rdd_task_context){
            .stage_id = st->log->stage_id, .stage_attempt = st->log->attempt,
            .partition = parts[i], .task_id = st->sc->next_task_id++ };
    #pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
    for (int i = 0; i < n; i++) {
        double ti = clk_now();
        ts[i].scratch = ts[i].info.scratch = rdd_arena_new();
        thread[i] = omp_get_thread_num();
        const char *e = rdd_stage_task(st, parts[i], &ts[i]);
        secs[i] = clk_now() - ti;
        rdd_arena_free(ts[i].scratch);
        if (e) {
            #pragma omp critical(rdd_error)
            error = e;
        }
    }
    st->log->seconds += clk_now() - t0;
    for (int i = 0; i < n; i++)
        rdd_stage_log_task(st, parts[i], thread[i], &ts[i], secs[i]);
    free(ts);
    free(secs);
    free(thread);
    return error;
}

static void materialise_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct rdd_part *got = ctx;

    materialise(r, p, &got[p], t, false);
    t->records_out += (long long)got[p].n;
}

/* Under MPI, a result stage: each rank computes its partitions, all
 * ranks get all of them, then each runs the action's tasks over them
 * (cheap: a replay, not traced), so every rank has the same result. */
static const char *run_result(struct stage_run *st, const int *parts, int n,
                              const int *mine, int k, long long *records_out)
{
    struct rdd_context *sc = st->sc;
    struct rdd_part *got = rdd_xcalloc((size_t)st->r->nparts, sizeof(*got));
    struct stage_run own = *st, replay = *st;
    struct rdd_stage_log unlogged = { 0 };
    double busy = st->log->seconds;
    int ntasks;
    long long dropped;
    const char *e;

    own.fn = materialise_task;
    own.ctx = got;
    e = mpi_agree(sc, run_local(&own, mine, k));
    mpi_add_busy(sc, st->log->seconds - busy, k);
    ntasks = sc->ntasks;        /* the replay below is not traced */
    dropped = sc->tasks_dropped;
    if (!e)
        e = mpi_gather(st->r, parts, n, got);
    if (!e) {
        replay.log = &unlogged;
        st->r->gathered = got;
        e = mpi_agree(sc, run_local(&replay, parts, n));
        *records_out = unlogged.records_out;    /* all partitions' */
        st->r->gathered = NULL;
        sc->ntasks = ntasks;
        sc->tasks_dropped = dropped;
    }
    for (int p = 0; p < st->r->nparts; p++)
        rdd_part_free(&got[p]);
    free(got);
    return e;
}

/* Under mpirun (mpi.c): this rank runs its share of the tasks, then the
 * ranks swap shuffle output (map stage) or results (result stage). */
static const char *run_tasks(struct stage_run *st, const int *parts, int n)
{
    struct rdd_context *sc = st->sc;
    struct rdd_stage_log before = *st->log;
    int *mine, k, first = sc->ntasks;
    long long records_out = -1;
    const char *e;
    double t0 = clk_now();

    if (!sc->mpi)
        return run_local(st, parts, n);
    mine = rdd_xcalloc((size_t)n + 1, sizeof(*mine));
    k = mpi_my_parts(sc, parts, n, mine);
    if (st->fn) {
        e = run_result(st, parts, n, mine, k, &records_out);
    } else {
        e = mpi_agree(sc, run_local(st, mine, k));
        mpi_add_busy(sc, st->log->seconds - before.seconds, k);
        if (!e)
            e = mpi_exchange(st->r, parts, n);
    }
    free(mine);
    mpi_sum_stage(sc, st->log, &before);
    mpi_merge_tasks(sc, first, parts, n);
    if (records_out >= 0)
        st->log->records_out = before.records_out + records_out;
    st->log->seconds = before.seconds + (clk_now() - t0);
    return e;
}

/* Fault injection (--lose): drop one persisted partition, once. */
static void maybe_lose(struct rdd_context *sc, struct rdd *shuffled_rdd)
{
    int p = sc->lose_partition;

    if (p < 0 || sc->is_lose_done)
        return;
    if (shuffled_rdd && p < shuffled_rdd->shuffle->nmap) {
        struct map_out *mo = &shuffled_rdd->shuffle->out[p];
        for (int q = 0; q < shuffled_rdd->shuffle->nreduce; q++)
            rdd_block_free(&mo->bucket[q]);
        free(mo->bucket);
        *mo = (struct map_out){ .was_lost = true };
        snprintf(sc->lost_buf, sizeof(sc->lost_buf), "shuffle output of "
                 "map partition %d (for RDD[%d])", p, shuffled_rdd->id);
    } else {
        int i;
        for (i = 0; i < sc->nrdds; i++) {
            struct rdd *r = sc->rdds[i];
            if (r->is_cached && p < r->nparts && r->cache[p].is_present)
                break;
        }
        if (i == sc->nrdds)
            return;
        rdd_part_free(&sc->rdds[i]->cache[p]);
        sc->rdds[i]->cache[p].was_lost = true;
        snprintf(sc->lost_buf, sizeof(sc->lost_buf),
                 "cached partition %d of RDD[%d]", p, sc->rdds[i]->id);
    }
    sc->lost_what = sc->lost_buf;
    sc->is_lose_done = true;
}

static int submit_missing(struct rdd *r, int job);

/* A shuffle map stage: runs only the map partitions whose output is
 * missing (all the first time; one after a loss); skipped when none. */
static int submit_map_stage(struct rdd *sr, int job)
{
    struct rdd_context *sc = sr->sc;
    struct rdd_shuffle *sh = sr->shuffle;
    struct stage_run st = { sc, NULL, sr, NULL, NULL, NULL };
    int *parts = rdd_xcalloc((size_t)sh->nmap, sizeof(*parts)), n = 0;
    const char *e;

    for (int m = 0; m < sh->nmap; m++)
        if (!sh->out[m].is_done)
            parts[n++] = m;
    if (n && submit_missing(sr->parent, job) < 0) {
        free(parts);
        return -1;
    }
    if (n == 0 && sh->stage_job == job + 1) {
        free(parts);            /* already shown in this job */
        return 0;
    }
    if (sh->stage_job == job + 1) {     /* a resubmission after a loss */
        st.log = new_stage(sc, job, sr->parent->name, sh->stage_id);
        st.log->attempt = ++sh->attempts;
    } else {
        st.log = new_stage(sc, job, sr->parent->name, -1);
        sh->attempts = 0;
    }
    st.log->is_shuffle_map = true;
    st.log->is_skipped = n == 0;
    sh->stage_id = st.log->stage_id;
    sh->stage_job = job + 1;
    e = n ? run_tasks(&st, parts, n) : NULL;
    free(parts);
    if (e) {
        if (e != sc->error)
            rdd_fail(sc, "%s", e);
        return -1;
    }
    if (n)
        maybe_lose(sc, sr);
    return 0;
}

/* Walks the lineage back to the shuffles this RDD needs, parents first
 * (Spark's getMissingParentStages); stops at a fully cached RDD. */
static int submit_missing(struct rdd *r, int job)
{
    if (r->is_cached) {
        int p;
        for (p = 0; p < r->nparts && r->cache[p].is_present; p++)
            ;
        if (p == r->nparts)
            return 0;
    }
    if (r->op == OP_SHUFFLED)
        return submit_map_stage(r, job);
    if (r->parent && submit_missing(r->parent, job) < 0)
        return -1;
    if (r->parent2 && submit_missing(r->parent2, job) < 0)
        return -1;
    return 0;
}

/* Are all shuffle outputs this RDD's stage reads present? */
static bool parents_ready(struct rdd *r)
{
    if (r->is_cached) {
        int p;
        for (p = 0; p < r->nparts && r->cache[p].is_present; p++)
            ;
        if (p == r->nparts)
            return true;
    }
    if (r->op == OP_SHUFFLED) {
        for (int m = 0; m < r->shuffle->nmap; m++)
            if (!r->shuffle->out[m].is_done)
                return false;
        return true;
    }
    return (!r->parent || parents_ready(r->parent)) &&
           (!r->parent2 || parents_ready(r->parent2));
}

static bool is_fully_cached(const struct rdd *r)
{
    int p;

    for (p = 0; r->is_cached && p < r->nparts && r->cache[p].is_present; p++)
        ;
    return r->is_cached && p == r->nparts;
}

/* How deep the walks from r go: its lineage down to fully cached RDDs
 * (they end a walk). r->depth is an upper bound; only past the limit is
 * the exact depth worth a pass over every RDD (parents come first). */
static int walk_depth(const struct rdd *r)
{
    const struct rdd_context *sc = r->sc;
    int *d, depth;

    if (r->depth <= RDD_MAX_DEPTH)
        return r->depth;
    d = rdd_xmalloc((size_t)(r->id + 1) * sizeof(*d));
    for (int i = 0; i <= r->id; i++) {
        const struct rdd *x = sc->rdds[i];
        int a = x->parent ? d[x->parent->id] : 0;
        int b = x->parent2 ? d[x->parent2->id] : 0;
        d[i] = is_fully_cached(x) ? 1 : 1 + (a > b ? a : b);
    }
    depth = d[r->id];
    free(d);
    return depth;
}

int rdd_check_depth(struct rdd *r)
{
    int depth = walk_depth(r);

    if (depth <= RDD_MAX_DEPTH)
        return 0;
    rdd_fail(r->sc, "RecursionError: maximum recursion depth exceeded (a "
             "lineage %d RDDs deep; at most %d: cache() a part of it and "
             "run an action on it first)", depth, RDD_MAX_DEPTH);
    return -1;
}

int rdd_run_job(struct rdd *r, const char *name, const int *parts,
                int nparts, job_task_fn fn, void *ctx)
{
    return rdd_run_job_io(r, name, parts, nparts, fn, NULL, ctx);
}

int rdd_run_job_io(struct rdd *r, const char *name, const int *parts,
                   int nparts, job_task_fn fn, const struct job_io *io,
                   void *ctx)
{
    struct rdd_context *sc = r->sc;
    struct stage_run st = { sc, NULL, r, fn, io, ctx };
    int job = sc->next_job_id++, *all = NULL, tries;
    const char *e;

    sc->error[0] = '\0';
    sc->is_interrupted = false;
    if (rdd_check_depth(r) < 0)
        return -1;
    /* a loss can make a parent stage incomplete again: resubmit it */
    for (tries = 0; tries < 4; tries++) {
        if (submit_missing(r, job) < 0)
            return -1;
        if (parents_ready(r))
            break;
        /* the retry's stage is logged again with only the lost tasks */
    }
    if (!parts) {
        all = rdd_xcalloc((size_t)r->nparts, sizeof(*all));
        for (int i = 0; i < r->nparts; i++)
            all[i] = i;
        parts = all;
        nparts = r->nparts;
    }
    st.log = new_stage(sc, job, name, -1);
    e = run_tasks(&st, parts, nparts);
    free(all);
    if (e) {
        if (e != sc->error)
            rdd_fail(sc, "%s", e);
        return -1;
    }
    maybe_lose(sc, NULL);
    return 0;
}
