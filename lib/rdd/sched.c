/* sched.c - the scheduler: stages cut at shuffles, one task per partition.
 * Within a stage, narrow transformations are pipelined: a record goes
 * through map, filter, flatMap... before the next one is read (sinks).
 * A shuffle ends a stage: its map side writes buckets (after map-side
 * combine for reduceByKey), and the next stage reads them. Tasks of a
 * stage run on OpenMP threads; a lost partition is recomputed from lineage.
 */
#include "rdd_impl.h"
#include "stats.h"

#include <omp.h>
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

    part_push(o->part, rdd_copy(o->part->arena, v));
}

/* Pushes stored records downstream: a source (cache, slice) of a stage. */
static void replay(const struct rdd_part *part, struct rdd_sink *out,
                   struct task *t)
{
    for (size_t i = 0; i < part->n && !t->is_stopped; i++) {
        t->records_in++;
        out->push(out, part->v[i]);
        arena_reset(t->scratch);
    }
}

static void materialise(struct rdd *r, int p, struct rdd_part *into,
                        struct task *t)
{
    struct store_sink s = { { store_push, t }, into };

    into->arena = arena_new();
    rdd_compute(r, p, &s.base, t);
}

static void map_partitions(struct rdd *r, int p, struct rdd_sink *out,
                           struct task *t)
{
    struct rdd_part in = { 0 };

    materialise(r->parent, p, &in, t);
    r->fn.part(in.v, in.n, out, r->ctx);
    part_free(&in);
}

void text_read(struct rdd *r, int p, struct rdd_sink *out, struct task *t);
static void shuffle_read(struct rdd *r, int p, struct rdd_sink *out,
                         struct task *t);

static void compute_plain(struct rdd *r, int p, struct rdd_sink *out,
                          struct task *t)
{
    struct op_sink o = { { NULL, t }, r, out };

    switch (r->op) {
    case OP_PARALLEL: replay(&r->slices[p], out, t); return;
    case OP_HADOOP:   text_read(r, p, out, t); return;
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
    case OP_SHUFFLED: shuffle_read(r, p, out, t); return;
    }
    rdd_compute(r->parent, p, &o.base, t);
}

void rdd_compute(struct rdd *r, int p, struct rdd_sink *out, struct task *t)
{
    struct rdd_part *c;

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
        materialise(r, p, c, t);
        c->is_present = true;
        /* what we just read counts as the stage's input, not the replay */
        t->records_in -= (long long)c->n;
    }
    replay(c, out, t);
}

/* ---- the shuffle: map side */

static int64_t py_mod(int64_t h, int n)
{
    int64_t m = h % n;

    return m < 0 ? m + n : m;
}

/* bisect_left over the sorted bounds: the range partition of key */
static int range_part(const struct rdd_shuffle *sh, struct rdd_value key)
{
    size_t lo = 0, hi = sh->bounds.n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rdd_compare(sh->bounds.v[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return sh->is_ascending ? (int)lo : sh->nreduce - 1 - (int)lo;
}

static int part_of(const struct rdd_shuffle *sh, struct rdd_value key)
{
    if (sh->mode == SH_RANGE)
        return range_part(sh, key);
    return (int)py_mod(rdd_portable_hash(key), sh->nreduce);
}

struct shuffle_sink {
    struct rdd_sink base;
    struct rdd_shuffle *sh;
    struct map_out *mo;
    struct kv_table table;      /* SH_COMBINE only */
    const char *error;
};

static bool is_pair(struct rdd_value v)
{
    return v.kind == RDD_TUPLE && v.len == 2;
}

/* Combines value b into entry e (reduceByKey's function). Adding ints is
 * done in place: the hot path of word count. */
static void combine(struct rdd_shuffle *sh, struct kv_entry *e,
                    struct rdd_value v, struct rdd_arena *keep,
                    struct task *t)
{
    if (sh->fn == rdd_add && e->val.kind == RDD_INT && v.kind == RDD_INT) {
        e->val.i += v.i;
        return;
    }
    e->val = rdd_copy(keep, sh->fn(e->val, v, t->scratch, sh->ctx));
}

static void combine_push(struct rdd_sink *s, struct rdd_value kv)
{
    struct shuffle_sink *o = (struct shuffle_sink *)s;
    struct kv_entry *e;
    bool is_new;

    if (!is_pair(kv)) {
        o->error = "reduceByKey needs (key, value) pairs";
        return;
    }
    s->task->records_out++;
    e = kv_find_or_add(&o->table, rdd_key(kv), rdd_fast_hash(rdd_key(kv)),
                       &is_new);
    if (is_new) {
        e->key = rdd_copy(o->mo->arena, rdd_key(kv));
        e->val = rdd_copy(o->mo->arena, rdd_val(kv));
    } else {
        combine(o->sh, e, rdd_val(kv), o->mo->arena, s->task);
    }
}

static void bucket_add(struct shuffle_sink *o, int p, struct rdd_value kv,
                       struct task *t)
{
    part_push(&o->mo->bucket[p], kv);
    t->records_written++;
    t->bytes_written += (long long)rdd_value_bytes(kv);
}

static void bucket_push(struct rdd_sink *s, struct rdd_value kv)
{
    struct shuffle_sink *o = (struct shuffle_sink *)s;

    if (!is_pair(kv)) {
        o->error = "groupByKey/sortByKey need (key, value) pairs";
        return;
    }
    s->task->records_out++;
    kv = rdd_copy(o->mo->arena, kv);
    bucket_add(o, part_of(o->sh, rdd_key(kv)), kv, s->task);
}

/* After map-side combine: each (key, combined value) to its reduce
 * partition's bucket, in first-seen order; buckets sized exactly. */
static void scatter_combined(struct shuffle_sink *o, struct task *t)
{
    size_t n = o->table.n, i;
    int nr = o->sh->nreduce, *to = rdd_xmalloc((n + 1) * sizeof(*to));
    size_t *count = rdd_xcalloc((size_t)nr, sizeof(*count));
    struct rdd_value *items = rdd_alloc(o->mo->arena,
                                        (2 * n + 1) * sizeof(*items));

    for (i = 0; i < n; i++) {
        to[i] = part_of(o->sh, kv_at(&o->table, i)->key);
        count[to[i]]++;
    }
    for (int p = 0; p < nr; p++) {
        o->mo->bucket[p].cap = count[p];
        o->mo->bucket[p].v = rdd_xmalloc((count[p] + 1) * sizeof(*items));
    }
    for (i = 0; i < n; i++) {
        struct kv_entry *e = kv_at(&o->table, i);
        items[2 * i] = e->key;
        items[2 * i + 1] = e->val;
        bucket_add(o, to[i], (struct rdd_value){ .kind = RDD_TUPLE, .len = 2,
                   .items = &items[2 * i] }, t);
    }
    free(to);
    free(count);
}

/* One map task: computes partition m of the map side into buckets. */
static const char *run_map_task(struct rdd *sr, int m, struct task *t)
{
    struct rdd_shuffle *sh = sr->shuffle;
    struct shuffle_sink o = { { bucket_push, t }, sh, &sh->out[m], { 0 },
                              NULL };

    o.mo->arena = arena_new();
    o.mo->bucket = rdd_xcalloc((size_t)sh->nreduce, sizeof(*o.mo->bucket));
    t->is_recompute = o.mo->was_lost;
    if (sh->mode == SH_COMBINE) {
        o.base.push = combine_push;
        kv_init(&o.table, 1024);
    }
    rdd_compute(sr->parent, m, &o.base, t);
    if (sh->mode == SH_COMBINE)
        scatter_combined(&o, t);
    kv_free(&o.table);
    o.mo->is_done = true;
    o.mo->was_lost = false;
    return o.error;
}

/* ---- the shuffle: reduce side */

static void emit_pair(struct rdd_sink *out, struct task *t,
                      struct rdd_value k, struct rdd_value v)
{
    out->push(out, rdd_pair(t->scratch, k, v));
    arena_reset(t->scratch);
}

static void read_combine(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                         struct task *t)
{
    struct rdd_arena *keep = arena_new();
    struct kv_table tab;
    size_t i;
    bool is_new;

    kv_init(&tab, 1024);
    for (int m = 0; m < sh->nmap; m++) {
        struct rdd_part *b = &sh->out[m].bucket[p];
        for (i = 0; i < b->n; i++) {
            struct rdd_value k = rdd_key(b->v[i]), v = rdd_val(b->v[i]);
            struct kv_entry *e = kv_find_or_add(&tab, k, rdd_fast_hash(k),
                                                &is_new);
            t->records_in++;
            t->bytes_read += (long long)rdd_value_bytes(b->v[i]);
            if (is_new) {       /* map outputs outlive this task: no copy */
                e->key = k;
                e->val = v;
            } else {
                combine(sh, e, v, keep, t);
            }
        }
    }
    for (i = 0; i < tab.n && !t->is_stopped; i++)
        emit_pair(out, t, kv_at(&tab, i)->key, kv_at(&tab, i)->val);
    kv_free(&tab);
    arena_free(keep);
}

static void read_group(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                       struct task *t)
{
    struct kv_table tab;
    struct rdd_part *groups = NULL;
    size_t i, ngroups = 0;
    bool is_new;

    kv_init(&tab, 1024);
    for (int m = 0; m < sh->nmap; m++) {
        struct rdd_part *b = &sh->out[m].bucket[p];
        for (i = 0; i < b->n; i++) {
            struct rdd_value k = rdd_key(b->v[i]);
            struct kv_entry *e = kv_find_or_add(&tab, k, rdd_fast_hash(k),
                                                &is_new);
            t->records_in++;
            t->bytes_read += (long long)rdd_value_bytes(b->v[i]);
            if (is_new) {
                e->key = k;
                e->val = rdd_int((int64_t)ngroups++);
                groups = realloc(groups, ngroups * sizeof(*groups));
                memset(&groups[ngroups - 1], 0, sizeof(*groups));
            }
            part_push(&groups[e->val.i], rdd_val(b->v[i]));
        }
    }
    for (i = 0; i < tab.n; i++) {
        struct rdd_part *g = &groups[kv_at(&tab, i)->val.i];
        if (!t->is_stopped) {
            struct rdd_value l = rdd_list(t->scratch, (uint32_t)g->n);
            memcpy(l.items, g->v, g->n * sizeof(*g->v));
            emit_pair(out, t, kv_at(&tab, i)->key, l);
        }
        part_free(g);
    }
    free(groups);
    kv_free(&tab);
}

struct sort_item {
    struct rdd_value kv;
    size_t seq;
};

/* Python's sorted(key=k, reverse=not asc) is stable either way: equal
 * keys keep their arrival order, hence the sequence number. */
static int cmp_asc(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    int c = rdd_compare(rdd_key(x->kv), rdd_key(y->kv));

    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_desc(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    int c = rdd_compare(rdd_key(y->kv), rdd_key(x->kv));

    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static void read_sorted(struct rdd_shuffle *sh, int p, struct rdd_sink *out,
                        struct task *t)
{
    struct sort_item *it = NULL;
    size_t n = 0, cap = 0, i;

    for (int m = 0; m < sh->nmap; m++) {
        struct rdd_part *b = &sh->out[m].bucket[p];
        for (i = 0; i < b->n; i++) {
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                it = realloc(it, cap * sizeof(*it));
            }
            it[n] = (struct sort_item){ b->v[i], n };
            n++;
            t->records_in++;
            t->bytes_read += (long long)rdd_value_bytes(b->v[i]);
        }
    }
    qsort(it, n, sizeof(*it), sh->is_ascending ? cmp_asc : cmp_desc);
    for (i = 0; i < n && !t->is_stopped; i++) {
        out->push(out, it[i].kv);
        arena_reset(t->scratch);
    }
    free(it);
}

static void shuffle_read(struct rdd *r, int p, struct rdd_sink *out,
                         struct task *t)
{
    switch (r->shuffle->mode) {
    case SH_COMBINE: read_combine(r->shuffle, p, out, t); break;
    case SH_GROUP:   read_group(r->shuffle, p, out, t); break;
    case SH_RANGE:   read_sorted(r->shuffle, p, out, t); break;
    }
}

/* ---- stages and jobs */

struct stage_run {
    struct rdd_context *sc;
    struct rdd_stage_log *log;
    struct rdd *r;              /* map stage: the ShuffledRDD; else result */
    job_task_fn fn;             /* result stage only */
    void *ctx;
};

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

static void log_task(struct rdd_context *sc, struct rdd_stage_log *s,
                     int p, int thread, const struct task *t, double secs)
{
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

/* Runs the listed partitions' tasks on the context's threads. */
static const char *run_tasks(struct stage_run *st, const int *parts, int n)
{
    struct task *ts = rdd_xcalloc((size_t)n, sizeof(*ts));
    double *secs = rdd_xcalloc((size_t)n, sizeof(*secs));
    int *thread = rdd_xcalloc((size_t)n, sizeof(*thread));
    int nthreads = st->sc->threads < n ? st->sc->threads : n;
    const char *error = NULL;
    double t0 = clk_now();

    #pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
    for (int i = 0; i < n; i++) {
        double ti = clk_now();
        const char *e = NULL;
        ts[i].scratch = arena_new();
        thread[i] = omp_get_thread_num();
        if (st->fn)
            st->fn(st->r, parts[i], &ts[i], st->ctx);
        else
            e = run_map_task(st->r, parts[i], &ts[i]);
        secs[i] = clk_now() - ti;
        arena_free(ts[i].scratch);
        if (e) {
            #pragma omp critical(rdd_error)
            error = e;
        }
    }
    st->log->seconds += clk_now() - t0;
    for (int i = 0; i < n; i++)
        log_task(st->sc, st->log, parts[i], thread[i], &ts[i], secs[i]);
    free(ts);
    free(secs);
    free(thread);
    return error;
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
            free(mo->bucket[q].v);
        free(mo->bucket);
        arena_free(mo->arena);
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
        part_free(&sc->rdds[i]->cache[p]);
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
    struct stage_run st = { sc, NULL, sr, NULL, NULL };
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

int rdd_run_job(struct rdd *r, const char *name, const int *parts,
                int nparts, job_task_fn fn, void *ctx)
{
    struct rdd_context *sc = r->sc;
    struct stage_run st = { sc, NULL, r, fn, ctx };
    int job = sc->next_job_id++, *all = NULL, tries;
    const char *e;

    sc->error[0] = '\0';
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
        rdd_fail(sc, "%s", e);
        return -1;
    }
    maybe_lose(sc, NULL);
    return 0;
}
