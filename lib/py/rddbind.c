/* rddbind.c - `sc` and RDD objects for the Python subset: each method
 * calls the C engine (lib/rdd), and each Python function passed to it is
 * wrapped as a C callback that the engine runs on its task threads. Per
 * element, the cheapest way that gives Python's answer: int arithmetic on
 * ints as plain int64_t (int_call), a compiled body run directly
 * (call_n), else a full call. A failure is reported as Spark reports a
 * failed task: its stage, partition and TID, then the Python error. */
#include "pyint.h"
#include "rdd/rdd.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A Python function as an engine callback. Tasks call it on several
 * threads at once: everything it allocates comes from the engine's
 * per-record scratch arena. */
struct pyfn {
    struct py_session *s;
    struct pv fn;
    int direct_nargs;       /* called with this many arguments, a Python
                               function needs no checks: run its body */
    /* on int_nargs int arguments, f is int arithmetic (py_int_eval of
     * int_code, or operator.add) giving an int_kind (RDD_INT/RDD_BOOL);
     * int_nargs is -1 when it is not */
    int int_nargs;
    enum rdd_kind int_kind;
    const struct code *int_code;    /* NULL: operator.add */
};

struct prdd {
    struct rdd *r;
};

/* ---- values across the boundary --------------------------------------- */

/* An engine value as a Python value; is_copy: strings are copied into
 * ex's arena (for results that outlive the engine's buffers). */
static struct pv from_rdd_c(struct ectx *ex, struct rdd_value v, bool is_copy)
{
    struct pv out;

    switch (v.kind) {
    case RDD_NONE: return pv_none();
    case RDD_INT: return pv_int(v.i);
    case RDD_BOOL: return pv_bool(v.i != 0);
    case RDD_FLOAT: return pv_float(v.f);
    case RDD_STR:
        return pv_str(is_copy ? pa_strndup(ex->arena, v.s, v.len) : v.s,
                      v.len);
    case RDD_TUPLE:
        out = pv_tuple(ex, (int)v.len);
        for (uint32_t i = 0; i < v.len; i++)
            out.items[i] = from_rdd_c(ex, v.items[i], is_copy);
        return out;
    case RDD_LIST:
        out = pv_list(ex, v.len);
        for (uint32_t i = 0; i < v.len; i++)
            pv_list_push(ex, out, from_rdd_c(ex, v.items[i], is_copy));
        return out;
    case RDD_DICT:
        out = pv_dict(ex);
        for (uint32_t i = 0; i < v.len; i++)
            pv_dict_set(ex, out, from_rdd_c(ex, v.items[2 * i], is_copy),
                        from_rdd_c(ex, v.items[2 * i + 1], is_copy));
        return out;
    default:
        return pv_none();
    }
}

/* An engine value as a Python value, for a task: an int (the common
 * case) in line, strings not copied. */
static inline struct pv from_rdd(struct ectx *ex, struct rdd_value v)
{
    return v.kind == RDD_INT ? pv_int(v.i) : from_rdd_c(ex, v, false);
}

static struct rdd_value to_rdd_c(struct ectx *ex, struct rdd_arena *a,
                                 struct pv v);

/* A Python value as an engine value: an int in line. */
static inline struct rdd_value to_rdd(struct ectx *ex, struct rdd_arena *a,
                                      struct pv v)
{
    return v.kind == PK_INT ? rdd_int(v.i) : to_rdd_c(ex, a, v);
}

static struct rdd_value to_rdd_c(struct ectx *ex, struct rdd_arena *a,
                                 struct pv v)
{
    struct rdd_value out;
    size_t n;

    switch (v.kind) {
    case PK_NONE: return rdd_none();
    case PK_BOOL: return rdd_bool(v.i != 0);
    case PK_INT: return rdd_int(v.i);
    case PK_FLOAT: return rdd_float(v.f);
    case PK_STR: return rdd_str(v.s, v.len);
    case PK_TUPLE:
        out = rdd_tuple(a, v.len);
        for (uint32_t i = 0; i < v.len && !FAILED(ex); i++)
            out.items[i] = to_rdd(ex, a, v.items[i]);
        return out;
    case PK_LIST:
    case PK_SET:
    case PK_RANGE: {
        struct pv *items = pv_iter_items(ex, v, &n);
        out = rdd_list(a, (uint32_t)n);
        for (size_t i = 0; items && i < n && !FAILED(ex); i++)
            out.items[i] = to_rdd(ex, a, items[i]);
        return out;
    }
    case PK_DICT:
        out = rdd_list(a, (uint32_t)(2 * v.dict->n));
        out.kind = RDD_DICT;
        out.len = (uint32_t)v.dict->n;
        for (size_t i = 0; i < v.dict->n && !FAILED(ex); i++) {
            out.items[2 * i] = to_rdd(ex, a, v.dict->keys[i]);
            out.items[2 * i + 1] = to_rdd(ex, a, v.dict->vals[i]);
        }
        return out;
    default:
        py_raise(ex, E_TYPE, "an RDD cannot hold a '%s' object in this "
                 "engine (only None, bool, int, float, str, tuple, list and "
                 "dict)", pv_type_name(v));
        return rdd_none();
    }
}

/* ---- task errors: the first one wins, the job finishes, then raise ---- */

/* Spark's words for a failed task (a local master tries a task once),
 * then the Python frame it failed in, as PySpark shows a worker's
 * traceback. Nothing when the function ran on the driver (reduce's
 * last step). */
static void spark_report(struct py_session *s, struct pv fn, int line)
{
    const struct rdd_task_context *tc = rdd_task_context_get();
    char *at = s->task_report;
    size_t room = sizeof(s->task_report);

    at[0] = '\0';
    if (!tc)
        return;
    int k = snprintf(at, room, "org.apache.spark.SparkException: Job aborted "
                     "due to stage failure: Task %d in stage %d.%d failed 1 "
                     "times, most recent failure: Lost task %d.%d in stage "
                     "%d.%d (TID %lld): org.apache.spark.api.python."
                     "PythonException: Traceback (most recent call last):\n",
                     tc->partition, tc->stage_id, tc->stage_attempt,
                     tc->partition, tc->attempt, tc->stage_id,
                     tc->stage_attempt, tc->task_id);
    if (fn.kind == PK_FUNC && k > 0 && (size_t)k < room)
        snprintf(at + k, room - (size_t)k, "  File \"%s\", line %d, in %s\n",
                 s->fname ? s->fname : "<stdin>", line, fn.fn->info->name);
}

static void task_fail(struct pyfn *f, struct ectx *ex, struct pv elem)
{
    int expected = 0;

    if (!atomic_compare_exchange_strong((_Atomic int *)&f->s->task_failed,
                                        &expected, 1))
        return;
    struct sbuf b = { 0 };
    pv_repr(&b, elem);
    f->s->task_exc = ex->exc;
    snprintf(f->s->task_msg, sizeof(f->s->task_msg), "%s (raised in a task "
             "on element %.200s%s)", ex->msg, b.s ? b.s : "",
             b.len > 200 ? "..." : "");
    free(b.s);
    spark_report(f->s, f->fn, ex->line);
}

static bool has_failed(struct pyfn *f)
{
    return atomic_load((_Atomic int *)&f->s->task_failed) != 0;
}

/* f(args) in a task. When wrap() found that f is a Python function of
 * exactly nargs parameters and locals, whose frame no closure keeps, its
 * compiled body runs on a frame made here: no argument checks, no
 * allocation per element. Anything else goes through py_call. */
static inline struct pv call_n(struct ectx *ex, struct pyfn *f,
                               const struct pv *args, int nargs)
{
    struct pv slot[2] = { args[0], nargs > 1 ? args[1] : pv_none() };

    if (nargs == f->direct_nargs) {
        struct frame fr = { f->fn.fn->env, slot };
        return py_run_body(ex, f->fn.fn, &fr);
    }
    return py_call(ex, f->fn, slot, nargs, NULL, NULL, 0);
}

/* The element a failed call was given: x, or the pair (a, b) of reduce. */
static struct pv failed_on(struct ectx *ex, const struct pv *args, int nargs)
{
    if (nargs == 1)
        return args[0];
    struct pv pair = pv_tuple(ex, 2);
    pair.items[0] = args[0];
    pair.items[1] = args[1];
    return pair;
}

/* f(args) in a task; ex allocates in the engine's scratch arena for this
 * record. A failure is recorded for the job (the first one wins,
 * the job finishes, then the action raises it) and leaves ex failed;
 * once the job has failed, the rest of its calls are skipped. Inline in
 * each callback: one C stack frame per element, not three. */
static inline __attribute__((always_inline)) struct pv task_call(
    struct ectx *ex, struct pyfn *f, const struct pv *args, int nargs)
{
    if (has_failed(f)) {
        ex->exc = E_RUNTIME;    /* quietly: another task's error is shown */
        return pv_none();
    }
    struct pv r = call_n(ex, f, args, nargs);
    if (FAILED(ex))
        task_fail(f, ex, failed_on(ex, args, nargs));
    return r;
}

/* A result as an engine value; a value it cannot hold fails the task. */
static struct rdd_value task_result(struct ectx *ex, struct pyfn *f,
                                    struct rdd_arena *a, struct pv r,
                                    const struct pv *args, int nargs)
{
    struct rdd_value out = to_rdd(ex, a, r);

    if (FAILED(ex))
        task_fail(f, ex, failed_on(ex, args, nargs));
    return out;
}

/* f(x) for an int x when f is int arithmetic (py_int_eval): no Python
 * value made, no evaluation state; false: take the general path. */
static inline bool int_call(const struct pyfn *f, const struct rdd_value *x,
                            int nargs, struct rdd_value *out)
{
    int64_t args[2] = { x[0].i, nargs > 1 ? x[1].i : 0 }, r;

    if (f->int_nargs != nargs || x[0].kind != RDD_INT ||
        (nargs > 1 && x[1].kind != RDD_INT))
        return false;
    if (f->int_code ? !py_int_eval(f->int_code, args, &r)
                    : __builtin_add_overflow(args[0], args[1], &r))
        return false;
    *out = (struct rdd_value){ .kind = f->int_kind, .i = r };
    return true;
}

/* The general path of map: the Python call, out of line so that the
 * int path (cb_map) keeps no stack frame for it. */
static __attribute__((noinline)) struct rdd_value
map_py(struct rdd_value x, struct rdd_arena *a, struct pyfn *f)
{
    struct py_arena pa = { .ext = a };
    struct ectx ex;

    ectx_init(&ex, &pa, f->s);
    struct pv arg = from_rdd(&ex, x);
    struct pv r = task_call(&ex, f, &arg, 1);
    return FAILED(&ex) ? rdd_none() : task_result(&ex, f, a, r, &arg, 1);
}

static struct rdd_value cb_map(struct rdd_value x, struct rdd_arena *a,
                               void *ctx)
{
    struct rdd_value out;

    return int_call(ctx, &x, 1, &out) ? out : map_py(x, a, ctx);
}

/* Is f(x) true, in general? filter and foreach get no arena: they
 * allocate in the current task's scratch, freed with the record. */
static __attribute__((noinline)) bool test_py(struct pyfn *f,
                                              struct rdd_value x)
{
    struct py_arena pa = { .ext = rdd_task_context_get()->scratch };
    struct ectx ex;

    ectx_init(&ex, &pa, f->s);
    struct pv arg = from_rdd(&ex, x);
    struct pv r = task_call(&ex, f, &arg, 1);
    if (FAILED(&ex))
        return false;
    return r.kind == PK_BOOL ? r.i != 0 : pv_truthy(r);
}

static bool cb_filter(struct rdd_value x, void *ctx)
{
    struct rdd_value out;

    return int_call(ctx, &x, 1, &out) ? out.i != 0 : test_py(ctx, x);
}

static void emit_all(struct ectx *ex, struct pyfn *f, struct pv it,
                     struct rdd_sink *out, struct pv elem)
{
    size_t n;
    struct pv *items = pv_iter_items(ex, it, &n);

    for (size_t i = 0; items && i < n && !FAILED(ex); i++) {
        struct rdd_value v = to_rdd(ex, rdd_sink_arena(out), items[i]);
        if (!FAILED(ex))
            rdd_emit(out, v);
    }
    if (FAILED(ex))
        task_fail(f, ex, elem);
}

static void cb_flat(struct rdd_value x, struct rdd_sink *out, void *ctx)
{
    struct py_arena pa = { .ext = rdd_sink_arena(out) };
    struct ectx ex;
    ectx_init(&ex, &pa, ((struct pyfn *)ctx)->s);
    struct pv arg = from_rdd(&ex, x);
    struct pv r = task_call(&ex, ctx, &arg, 1);

    if (!FAILED(&ex))
        emit_all(&ex, ctx, r, out, arg);
}

static void cb_parts(const struct rdd_value *xs, size_t n,
                     struct rdd_sink *out, void *ctx)
{
    struct py_arena pa = { .ext = rdd_sink_arena(out) };
    struct ectx ex;

    ectx_init(&ex, &pa, ((struct pyfn *)ctx)->s);
    struct pv list = pv_list(&ex, n);
    for (size_t i = 0; i < n; i++)
        pv_list_push(&ex, list, from_rdd(&ex, xs[i]));
    struct pv r = task_call(&ex, ctx, &list, 1);
    if (!FAILED(&ex))
        emit_all(&ex, ctx, r, out, list);
}

static void cb_glom(const struct rdd_value *xs, size_t n,
                    struct rdd_sink *out, void *ctx)
{
    struct rdd_value l = rdd_list(rdd_sink_arena(out), (uint32_t)n);

    (void)ctx;
    if (n)      /* an empty partition's xs may be NULL */
        memcpy(l.items, xs, n * sizeof(*xs));
    rdd_emit(out, l);
}

/* The general path of reduce, out of line (see map_py). */
static __attribute__((noinline)) struct rdd_value
reduce_py(struct rdd_value a, struct rdd_value b, struct rdd_arena *ar,
          struct pyfn *f)
{
    struct py_arena pa = { .ext = ar };
    struct ectx ex;

    ectx_init(&ex, &pa, f->s);
    struct pv args[2] = { from_rdd(&ex, a), from_rdd(&ex, b) };
    struct pv r = task_call(&ex, f, args, 2);
    return FAILED(&ex) ? a : task_result(&ex, f, ar, r, args, 2);
}

static struct rdd_value cb_reduce(struct rdd_value a, struct rdd_value b,
                                  struct rdd_arena *ar, void *ctx)
{
    struct rdd_value out, ab[2] = { a, b };

    return int_call(ctx, ab, 2, &out) ? out : reduce_py(a, b, ar, ctx);
}

static void cb_each(struct rdd_value x, void *ctx)
{
    (void)test_py(ctx, x);
}

static struct pyfn *wrap(struct ectx *ex, struct pv fn, const char *what)
{
    if (fn.kind != PK_FUNC && fn.kind != PK_BUILTIN && fn.kind != PK_METHOD) {
        py_raise(ex, E_TYPE, "%s() needs a function (for example a lambda), "
                 "not '%s'", what, pv_type_name(fn));
        return NULL;
    }
    struct py_session *s = ex->s;
    struct pyfn *f = pa_alloc(s->arena, sizeof(*f));
    f->s = s;
    f->fn = fn;
    struct fninfo *info = fn.kind == PK_FUNC ? fn.fn->info : NULL;
    f->direct_nargs = info && info->nlocals == info->nparams &&
                      info->nparams <= 2 && !info->has_closure ?
                      info->nparams : -1;
    bool is_int = info && f->direct_nargs >= 0 && info->int_result;
    f->int_nargs = is_int ? f->direct_nargs : -1;
    f->int_kind = is_int && info->int_result == PK_BOOL ? RDD_BOOL : RDD_INT;
    f->int_code = is_int ? info->code : NULL;
    /* operator.add (reduce(add), sum) is lambda a, b: a + b for ints */
    if (fn.kind == PK_BUILTIN && !strcmp(fn.bi->name, "operator.add"))
        f->int_nargs = 2;
    return f;
}

/* Where an RDD was made, as Spark records it: "<stdin>:3", "app.py:12". */
static const char *where(struct ectx *ex)
{
    char buf[300];

    snprintf(buf, sizeof(buf), "%s:%d", ex->s->fname ? ex->s->fname :
             "<stdin>", ex->line);
    return pa_strndup(ex->s->arena, buf, strlen(buf));
}
#define AT(ex) where(ex)

void py_rdd_repr(struct sbuf *b, struct prdd *p)
{
    struct rdd_buf d = { 0 };

    /* Spark's repr(rdd) is its toString: the first lineage line without
     * the "(partitions) " prefix */
    rdd_debug_string(p->r, &d);
    const char *s = d.s ? d.s : "RDD";
    const char *open = strchr(s, ')');
    s = open && s[0] == '(' ? open + 2 : s;
    size_t n = strcspn(s, "\n");
    while (n && s[n - 1] == ' ')
        n--;
    if (n > 3 && !strncmp(s + n - 3, " []", 3))
        n -= 3;
    sb_add(b, s, n);
    rdd_buf_free(&d);
}

/* ---- the RDD object --------------------------------------------------- */

static bool action_failed(struct ectx *ex, int rc);

static struct pv rdd_obj(struct ectx *ex, struct rdd *r)
{
    if (!r) {                   /* sortByKey runs jobs: a task may fail */
        action_failed(ex, -1);
        return (struct pv){ .kind = PK_NONE };
    }
    struct prdd *p = pa_alloc(ex->s->arena, sizeof(*p));
    p->r = r;
    return (struct pv){ .kind = PK_RDD, .rdd = p };
}

/* After an action: a task error or an engine error becomes an exception. */
static bool action_failed(struct ectx *ex, int rc)
{
    struct py_session *s = ex->s;

    if (atomic_exchange((_Atomic int *)&s->task_failed, 0)) {
        py_raise(ex, s->task_exc, "%s", s->task_msg);
        ex->task_report = s->task_report[0] ? s->task_report : NULL;
        return true;
    }
    if (rc != 0) {
        /* the engine writes Python's words ("ValueError: RDD is empty") */
        static const struct { const char *prefix; enum exc e; } kinds[] = {
            { "ValueError: ", E_VALUE }, { "TypeError: ", E_TYPE },
            { "IOError: ", E_RUNTIME }, { "OSError: ", E_RUNTIME },
            { "IndexError: ", E_INDEX }, { "KeyError: ", E_KEY },
            { "RecursionError: ", E_RECURSION },
        };
        const char *msg = s->engine->error;
        enum exc e = E_RUNTIME;
        for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
            size_t k = strlen(kinds[i].prefix);
            if (!strncmp(msg, kinds[i].prefix, k)) {
                e = kinds[i].e;
                msg += k;
            }
        }
        py_raise(ex, e, "%s", msg);
        return true;
    }
    return false;
}

/* The action's values as a Python list; frees res. */
static struct pv result_list(struct ectx *ex, struct rdd_result *res)
{
    struct pv l = pv_list(ex, res->n);

    for (size_t i = 0; i < res->n; i++)
        pv_list_push(ex, l, from_rdd_c(ex, res->v[i], true));
    rdd_result_free(res);
    return l;
}

static struct pv result_one(struct ectx *ex, struct rdd_result *res)
{
    struct pv v = res->n ? from_rdd_c(ex, res->v[0], true) : pv_none();

    rdd_result_free(res);
    return v;
}

/* ---- method arguments ---------------------------------------------- */

#define METHOD(name) static struct pv name(struct ectx *ex, struct pv self, \
    struct pv *a, int n, const char **kw, struct pv *kwv, int nkw)

/* Argument i by position or keyword; dflt when absent. */
static struct pv arg(struct pv *a, int n, const char **kw, struct pv *kwv,
                     int nkw, int i, const char *name, struct pv dflt)
{
    if (i < n)
        return a[i];
    for (int k = 0; k < nkw; k++)
        if (!strcmp(kw[k], name))
            return kwv[k];
    return dflt;
}

#define ARG(i, name, dflt) arg(a, n, kw, kwv, nkw, (i), (name), (dflt))
#define UNDEF ((struct pv){ .kind = PK_UNDEF })

static int opt_int(struct ectx *ex, struct pv v, const char *what)
{
    if (v.kind == PK_UNDEF || v.kind == PK_NONE)
        return 0;
    if (v.kind != PK_INT && v.kind != PK_BOOL) {
        py_raise(ex, E_TYPE, "%s must be an int, not '%s'", what,
                 pv_type_name(v));
        return 0;
    }
    if (v.i < 1 || v.i > 100000) {
        py_raise(ex, E_VALUE, "%s must be 1..100000, not %lld", what,
                 (long long)v.i);
        return 0;
    }
    return (int)v.i;
}

static struct pv need_fn(struct ectx *ex, struct pv *a, int n,
                         const char *what)
{
    if (n < 1)
        return py_raise(ex, E_TYPE, "%s() missing 1 required positional "
                        "argument: 'f'", what);
    return a[0];
}

static struct rdd *self_rdd(struct pv self)
{
    return self.rdd->r;
}

/* ---- transformations (lazy: they only add to the lineage) ------------- */

#define FN_TRANSFORM(name, pyname, engine_call)                          \
    METHOD(name)                                                         \
    {                                                                    \
        (void)kw; (void)kwv; (void)nkw;                                  \
        struct pv fn = need_fn(ex, a, n, pyname);                        \
        struct pyfn *f = FAILED(ex) ? NULL : wrap(ex, fn, pyname);       \
        if (!f)                                                          \
            return pv_none();                                            \
        return rdd_obj(ex, engine_call);                                 \
    }

FN_TRANSFORM(r_map, "map", rdd_map_at(self_rdd(self), cb_map, f, AT(ex)))
FN_TRANSFORM(r_filter, "filter",
             rdd_filter_at(self_rdd(self), cb_filter, f, AT(ex)))
FN_TRANSFORM(r_flat_map, "flatMap",
             rdd_flat_map_at(self_rdd(self), cb_flat, f, AT(ex)))
FN_TRANSFORM(r_map_partitions, "mapPartitions",
             rdd_map_partitions_at(self_rdd(self), cb_parts, f,
                                   AT(ex)))
FN_TRANSFORM(r_map_values, "mapValues",
             rdd_map_values_at(self_rdd(self), cb_map, f, AT(ex)))

/* Not the engine's rdd_add for `lambda a, b: a + b` or add: it wraps
 * around on overflow and gives None for 1 + 'a'; Python raises. The int
 * path of cb_reduce adds ints almost as fast, exactly. */
static bool reduce_fn(struct ectx *ex, struct pv fn, const char *what,
                      rdd_reduce_fn *cf, void **ctx)
{
    struct pyfn *f = wrap(ex, fn, what);
    *cf = cb_reduce;
    *ctx = f;
    return f != NULL;
}

METHOD(r_reduce_by_key)
{
    rdd_reduce_fn cf;
    void *ctx;
    struct pv fn = need_fn(ex, a, n, "reduceByKey");
    int np = opt_int(ex, ARG(1, "numPartitions", UNDEF), "numPartitions");

    if (FAILED(ex) || !reduce_fn(ex, fn, "reduceByKey", &cf, &ctx))
        return pv_none();
    return rdd_obj(ex, rdd_reduce_by_key_at(self_rdd(self), cf, ctx, np,
                                            AT(ex)));
}

METHOD(r_group_by_key)
{
    int np = opt_int(ex, ARG(0, "numPartitions", UNDEF), "numPartitions");

    return FAILED(ex) ? pv_none() :
        rdd_obj(ex, rdd_group_by_key_at(self_rdd(self), np,
                                        AT(ex)));
}

METHOD(r_distinct)
{
    int np = opt_int(ex, ARG(0, "numPartitions", UNDEF), "numPartitions");

    return FAILED(ex) ? pv_none() :
        rdd_obj(ex, rdd_distinct_at(self_rdd(self), np, AT(ex)));
}

METHOD(r_sort_by_key)
{
    struct pv asc = ARG(0, "ascending", pv_bool(true));
    int np = opt_int(ex, ARG(1, "numPartitions", UNDEF), "numPartitions");

    if (ARG(2, "keyfunc", UNDEF).kind != PK_UNDEF)
        return py_raise(ex, E_TYPE, "sortByKey(keyfunc=...) is not in this "
                        "engine; use sortBy(lambda kv: f(kv[0]))");
    return FAILED(ex) ? pv_none() :
        rdd_obj(ex, rdd_sort_by_key_at(self_rdd(self), pv_truthy(asc), np,
                                       AT(ex)));
}

METHOD(r_sort_by)
{
    struct pv fn = need_fn(ex, a, n, "sortBy");
    struct pv asc = ARG(1, "ascending", pv_bool(true));
    int np = opt_int(ex, ARG(2, "numPartitions", UNDEF), "numPartitions");
    struct pyfn *f = FAILED(ex) ? NULL : wrap(ex, fn, "sortBy");

    if (!f)
        return pv_none();
    struct rdd *r = rdd_sort_by_at(self_rdd(self), cb_map, f, pv_truthy(asc),
                                   np, AT(ex));
    if (action_failed(ex, 0))   /* sampling the keys ran a job */
        return pv_none();
    return rdd_obj(ex, r);
}

static struct rdd *other_rdd(struct ectx *ex, struct pv *a, int n,
                             const char *what)
{
    if (n < 1 || a[0].kind != PK_RDD) {
        py_raise(ex, E_TYPE, "%s() needs another RDD", what);
        return NULL;
    }
    return a[0].rdd->r;
}

METHOD(r_union)
{
    (void)kw; (void)kwv; (void)nkw;
    struct rdd *o = other_rdd(ex, a, n, "union");
    return o ? rdd_obj(ex, rdd_union_at(self_rdd(self), o, AT(ex)))
             : pv_none();
}

METHOD(r_join)
{
    struct rdd *o = other_rdd(ex, a, n, "join");
    int np = opt_int(ex, ARG(1, "numPartitions", UNDEF), "numPartitions");

    return o && !FAILED(ex) ?
        rdd_obj(ex, rdd_join_at(self_rdd(self), o, np, AT(ex))) :
        pv_none();
}

#define PLAIN(name, call) METHOD(name) { (void)a; (void)n; (void)kw; \
    (void)kwv; (void)nkw; return rdd_obj(ex, call); }

PLAIN(r_keys, rdd_keys_at(self_rdd(self), AT(ex)))
PLAIN(r_values, rdd_values_at(self_rdd(self), AT(ex)))
PLAIN(r_cache, rdd_cache(self_rdd(self)))
PLAIN(r_persist, rdd_persist(self_rdd(self)))
PLAIN(r_glom, rdd_map_partitions_at(self_rdd(self), cb_glom, NULL,
                                    AT(ex)))

/* ---- actions (run a job) ---------------------------------------------- */

#define RESULT_ACTION(name, call, conv) METHOD(name)                     \
    {                                                                    \
        (void)a; (void)n; (void)kw; (void)kwv; (void)nkw;                \
        struct rdd_result res = { 0 };                                   \
        int rc = call;                                                   \
        if (action_failed(ex, rc)) {                                     \
            rdd_result_free(&res);                                       \
            return pv_none();                                            \
        }                                                                \
        return conv(ex, &res);                                           \
    }

static struct pv as_counter(struct ectx *ex, struct rdd_result *res)
{
    struct pv d = pv_dict(ex);

    /* PySpark returns a defaultdict(int): print it the same way */
    d.dict->is_defaultdict = true;
    for (size_t i = 0; i < res->n; i++)
        pv_dict_set(ex, d, from_rdd_c(ex, rdd_key(res->v[i]), true),
                    from_rdd_c(ex, rdd_val(res->v[i]), true));
    rdd_result_free(res);
    return d;
}

RESULT_ACTION(r_collect, rdd_collect(self_rdd(self), &res), result_list)
RESULT_ACTION(r_first, rdd_first(self_rdd(self), &res), result_one)
/* PySpark's sum is fold(0, operator.add). */
static int sum_of(struct ectx *ex, struct rdd *r, struct rdd_result *res)
{
    struct pv add = { .kind = PK_BUILTIN,
                      .bi = py_find_builtin("operator.add") };

    return rdd_fold(r, rdd_int(0), cb_reduce, wrap(ex, add, "sum"), res);
}

RESULT_ACTION(r_sum, sum_of(ex, self_rdd(self), &res), result_one)
RESULT_ACTION(r_count_by_key, rdd_count_by_key(self_rdd(self), &res),
              as_counter)
RESULT_ACTION(r_count_by_value, rdd_count_by_value(self_rdd(self), &res),
              as_counter)

static int64_t need_count(struct ectx *ex, struct pv *a, int n,
                          const char *what)
{
    if (n < 1 || (a[0].kind != PK_INT && a[0].kind != PK_BOOL)) {
        py_raise(ex, E_TYPE, "%s() needs a number of elements (an int)", what);
        return -1;
    }
    return a[0].i < 0 ? 0 : a[0].i;
}

METHOD(r_take)
{
    (void)kw; (void)kwv; (void)nkw;
    struct rdd_result res = { 0 };
    int64_t k = need_count(ex, a, n, "take");

    if (k < 0)
        return pv_none();
    int rc = rdd_take(self_rdd(self), (size_t)k, &res);
    if (action_failed(ex, rc)) {
        rdd_result_free(&res);      /* safe whether or not it was filled */
        return pv_none();
    }
    return result_list(ex, &res);
}

static struct pv ordered(struct ectx *ex, struct pv self, struct pv *a, int n,
                         const char **kw, struct pv *kwv, int nkw, bool is_top)
{
    struct rdd_result res = { 0 };
    int64_t k = need_count(ex, a, n, is_top ? "top" : "takeOrdered");
    struct pv key = ARG(1, "key", UNDEF);
    struct rdd *r = self_rdd(self);
    int rc;

    if (k < 0)
        return pv_none();
    if (key.kind != PK_UNDEF && key.kind != PK_NONE) {
        struct pyfn *f = wrap(ex, key, is_top ? "top" : "takeOrdered");
        if (!f)
            return pv_none();
        r = rdd_sort_by_at(r, cb_map, f, !is_top, 0, AT(ex));
        if (action_failed(ex, 0))
            return pv_none();
        rc = rdd_take(r, (size_t)k, &res);
    } else {
        rc = is_top ? rdd_top(r, (size_t)k, &res)
                    : rdd_take_ordered(r, (size_t)k, &res);
    }
    if (action_failed(ex, rc)) {
        rdd_result_free(&res);      /* safe whether or not it was filled */
        return pv_none();
    }
    return result_list(ex, &res);
}

METHOD(r_top) { return ordered(ex, self, a, n, kw, kwv, nkw, true); }
METHOD(r_take_ordered) { return ordered(ex, self, a, n, kw, kwv, nkw, false); }

METHOD(r_count)
{
    (void)a; (void)n; (void)kw; (void)kwv; (void)nkw;
    long long c = 0;
    int rc = rdd_count(self_rdd(self), &c);

    return action_failed(ex, rc) ? pv_none() : pv_int(c);
}

METHOD(r_reduce)
{
    (void)kw; (void)kwv; (void)nkw;
    rdd_reduce_fn cf;
    void *ctx;
    struct rdd_result res = { 0 };
    struct pv fn = need_fn(ex, a, n, "reduce");

    if (FAILED(ex) || !reduce_fn(ex, fn, "reduce", &cf, &ctx))
        return pv_none();
    int rc = rdd_reduce(self_rdd(self), cf, ctx, &res);
    if (action_failed(ex, rc)) {
        rdd_result_free(&res);      /* safe whether or not it was filled */
        return pv_none();
    }
    return result_one(ex, &res);
}

METHOD(r_fold)
{
    (void)kw; (void)kwv; (void)nkw;
    rdd_reduce_fn cf;
    void *ctx;
    struct rdd_result res = { 0 };
    struct rdd_arena *za = NULL;

    if (n < 2)
        return py_raise(ex, E_TYPE, "fold() needs a zero value and a "
                        "function");
    if (!reduce_fn(ex, a[1], "fold", &cf, &ctx))
        return pv_none();
    struct rdd_value zero = to_rdd(ex, za, a[0]);
    if (FAILED(ex))
        return pv_none();
    int rc = rdd_fold(self_rdd(self), zero, cf, ctx, &res);
    if (action_failed(ex, rc)) {
        rdd_result_free(&res);      /* safe whether or not it was filled */
        return pv_none();
    }
    return result_one(ex, &res);
}

METHOD(r_foreach)
{
    (void)kw; (void)kwv; (void)nkw;
    struct pv fn = need_fn(ex, a, n, "foreach");
    struct pyfn *f = FAILED(ex) ? NULL : wrap(ex, fn, "foreach");

    if (!f)
        return pv_none();
    int rc = rdd_foreach(self_rdd(self), cb_each, f);
    action_failed(ex, rc);
    return pv_none();
}

METHOD(r_save)
{
    (void)kw; (void)kwv; (void)nkw;
    if (n < 1 || a[0].kind != PK_STR)
        return py_raise(ex, E_TYPE, "saveAsTextFile() needs a path (a str)");
    const char *path = pa_strndup(ex->arena, a[0].s, a[0].len);
    if (!strncmp(path, "hdfs://", 7) || !strncmp(path, "s3://", 5))
        return py_raise(ex, E_VALUE, "%s: only local paths here (no HDFS or "
                        "S3 on this machine); try saveAsTextFile(\"out\")",
                        path);
    int rc = rdd_save_as_text_file(self_rdd(self), path);
    action_failed(ex, rc);
    return pv_none();
}

METHOD(r_debug_string)
{
    (void)a; (void)n; (void)kw; (void)kwv; (void)nkw;
    struct rdd_buf b = { 0 };

    rdd_debug_string(self_rdd(self), &b);
    struct pv s = pv_str(pa_strndup(ex->arena, b.s ? b.s : "", b.len), b.len);
    rdd_buf_free(&b);
    return s;
}

METHOD(r_num_partitions)
{
    (void)a; (void)n; (void)kw; (void)kwv; (void)nkw; (void)ex;
    return pv_int(rdd_num_partitions(self_rdd(self)));
}

METHOD(r_id)
{
    (void)a; (void)n; (void)kw; (void)kwv; (void)nkw; (void)ex;
    return pv_int(rdd_id(self_rdd(self)));
}

static const struct pbuiltin rdd_methods[] = {
    { "map", r_map }, { "filter", r_filter }, { "flatMap", r_flat_map },
    { "mapPartitions", r_map_partitions }, { "mapValues", r_map_values },
    { "reduceByKey", r_reduce_by_key }, { "groupByKey", r_group_by_key },
    { "distinct", r_distinct }, { "sortByKey", r_sort_by_key },
    { "sortBy", r_sort_by }, { "union", r_union }, { "join", r_join },
    { "keys", r_keys }, { "values", r_values }, { "cache", r_cache },
    { "persist", r_persist }, { "glom", r_glom }, { "collect", r_collect },
    { "take", r_take }, { "first", r_first }, { "count", r_count },
    { "reduce", r_reduce }, { "fold", r_fold }, { "sum", r_sum },
    { "countByKey", r_count_by_key }, { "countByValue", r_count_by_value },
    { "top", r_top }, { "takeOrdered", r_take_ordered },
    { "foreach", r_foreach }, { "saveAsTextFile", r_save },
    { "toDebugString", r_debug_string },
    { "getNumPartitions", r_num_partitions }, { "id", r_id },
    { NULL, NULL },
};

static const char *const *method_names(const struct pbuiltin *t)
{
    static const char *names[64];   /* written once per call, read-only */
    int i = 0;

    for (; t->name && i < 63; t++)
        names[i++] = t->name;
    names[i] = NULL;
    return names;
}

static struct pv bound(struct ectx *ex, struct pv self,
                       const struct pbuiltin *bi)
{
    struct pmethod *m = pa_alloc(ex->arena, sizeof(*m));

    m->self = self;
    m->bi = bi;
    return (struct pv){ .kind = PK_METHOD, .m = m };
}

static struct pv lookup(struct ectx *ex, struct pv self, const char *name,
                        const struct pbuiltin *table, const char *type)
{
    for (const struct pbuiltin *b = table; b->name; b++)
        if (!strcmp(b->name, name))
            return bound(ex, self, b);
    const char *near = py_suggest(name, method_names(table));
    return py_raise(ex, E_ATTRIBUTE, "'%s' object has no attribute '%s'%s%s%s",
                    type, name, near ? ". Did you mean: '" : "",
                    near ? near : "", near ? "'?" : "");
}

struct pv py_rdd_attr(struct ectx *ex, struct pv obj, const char *name)
{
    return lookup(ex, obj, name, rdd_methods, "RDD");
}

/* ---- sc: the SparkContext --------------------------------------------- */

METHOD(c_parallelize)
{
    size_t k;

    (void)self;
    if (n < 1)
        return py_raise(ex, E_TYPE, "parallelize() missing 1 required "
                        "positional argument: 'c'");
    int np = opt_int(ex, ARG(1, "numSlices", UNDEF), "numSlices");
    if (a[0].kind == PK_RANGE) {
        /* PySpark slices a range arithmetically: no list of N numbers */
        struct prange *rg = a[0].range;
        return FAILED(ex) ? pv_none() :
            rdd_obj(ex, rdd_range_at(ex->s->engine, rg->start, rg->stop,
                                     rg->step, np, AT(ex)));
    }
    struct pv *items = pv_iter_items(ex, a[0], &k);
    if (FAILED(ex))
        return pv_none();
    struct rdd_arena *tmp = rdd_arena_new();
    struct rdd_value *vals = rdd_alloc(tmp, (k ? k : 1) * sizeof(*vals));
    for (size_t i = 0; i < k && !FAILED(ex); i++)
        vals[i] = to_rdd(ex, tmp, items[i]);
    struct rdd *r = FAILED(ex) ? NULL :
        rdd_parallelize_at(ex->s->engine, vals, k, np, AT(ex));
    rdd_arena_free(tmp);
    return FAILED(ex) ? pv_none() : rdd_obj(ex, r);
}

METHOD(c_text_file)
{
    (void)self;
    if (n < 1 || a[0].kind != PK_STR)
        return py_raise(ex, E_TYPE, "textFile() needs a path (a str)");
    int np = opt_int(ex, ARG(1, "minPartitions", UNDEF), "minPartitions");
    const char *path = pa_strndup(ex->s->arena, a[0].s, a[0].len);
    if (FAILED(ex))
        return pv_none();
    if (strstr(path, "://"))
        return py_raise(ex, E_VALUE, "%s: only local files here (no HDFS or "
                        "S3 on this machine)", path);
    struct rdd *r = rdd_text_file_at(ex->s->engine, path, np,
                                     AT(ex));
    if (!r && access(path, F_OK) != 0) {
        char *abs = realpath(".", NULL);
        py_raise(ex, E_RUNTIME, "Input path does not exist: file:%s/%s "
                 "(Spark says so at the first action; pardemo at textFile)",
                 path[0] == '/' ? "" : abs ? abs : ".",
                 path[0] == '/' ? path + 1 : path);
        free(abs);
        return pv_none();
    }
    if (!r)
        return py_raise(ex, E_RUNTIME, "%s", ex->s->engine->error);
    return rdd_obj(ex, r);
}

METHOD(c_stop)
{
    (void)ex; (void)self; (void)a; (void)n; (void)kw; (void)kwv; (void)nkw;
    return pv_none();
}

static const struct pbuiltin ctx_methods[] = {
    { "parallelize", c_parallelize }, { "textFile", c_text_file },
    { "stop", c_stop }, { NULL, NULL },
};

struct pv py_ctx_attr(struct ectx *ex, struct pv obj, const char *name)
{
    if (!strcmp(name, "defaultParallelism"))
        return pv_int(ex->s->engine->default_parallelism);
    if (!strcmp(name, "sparkContext"))
        return obj;
    return lookup(ex, obj, name, ctx_methods, "SparkContext");
}

struct pv py_make_context(struct py_session *s)
{
    if (!s->engine)
        s->engine = rdd_context_new(s->threads > 0 ? s->threads : 1);
    return (struct pv){ .kind = PK_CTX };
}

void py_rdd_session_free(struct py_session *s)
{
    if (s->engine)
        rdd_context_free(s->engine);
    s->engine = NULL;
}
