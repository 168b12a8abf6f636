/* tasks.c - Python functions as the engine's callbacks, in its tasks.
 * A Python pipeline (map, filter, flatMap... chained as PySpark chains
 * them) runs once per partition over an iterator that pulls records from
 * the engine: a record crosses the C/Python boundary once per stage, not
 * once per function. Functions the engine calls one record at a time
 * (reduceByKey's, a partitioner) are called directly. A failure is kept
 * as PySpark reports it: the Python traceback and the record it was on.
 */
#include "binding.h"

#include <stdlib.h>
#include <string.h>

/* ---- failures */

/* Calls c->on_task.name(args...); a new reference or NULL. */
static PyObject *hook(ContextObject *c, const char *name, PyObject *args)
{
    PyObject *f, *r;

    if (!c->on_task || !(f = PyObject_GetAttrString(c->on_task, name)))
        return NULL;
    r = PyObject_CallObject(f, args);
    Py_DECREF(f);
    return r;
}

void task_failed(ContextObject *c, PyObject *elem)
{
    PyObject *type, *value, *tb, *args, *text, *el;

    if (c->is_failed) {         /* the first failure is the one shown */
        PyErr_Clear();
        return;
    }
    c->is_failed = true;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb && value)
        PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    if (!c->is_worker) {        /* the driver: the action raises it */
        Py_XSETREF(c->driver_exc, value);
        return;
    }
    /* (record,), or () when the failure was not on a record */
    el = elem ? PyTuple_Pack(1, elem) : PyTuple_New(0);
    args = el ? Py_BuildValue("(ON)", value ? value : Py_None, el) : NULL;
    text = args ? hook(c, "format_failure", args) : NULL;
    free(c->task_error);
    c->task_error = strdup(text && PyUnicode_Check(text) ?
                           PyUnicode_AsUTF8(text) : "PythonException");
    PyErr_Clear();
    Py_XDECREF(text);
    Py_XDECREF(args);
    Py_XDECREF(value);
    rdd_stop_task();
}

PyObject *job_outcome(ContextObject *c, int rc, const char *what)
{
    PyObject *e, *exc;

    c->is_failed = false;
    if (c->driver_exc) {
        e = c->driver_exc;
        c->driver_exc = NULL;
        PyErr_SetObject((PyObject *)Py_TYPE(e), e);
        Py_DECREF(e);
        return NULL;
    }
    if (rc == 0)
        Py_RETURN_NONE;
    if (PyErr_Occurred())       /* Ctrl-C: KeyboardInterrupt */
        return NULL;
    if (c->sc->is_interrupted) {
        PyErr_SetNone(PyExc_KeyboardInterrupt);
        return NULL;
    }
    e = Py_BuildValue("(ss)", what, c->sc->error);
    exc = e ? hook(c, "job_error", e) : NULL;
    Py_XDECREF(e);
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    } else if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_RuntimeError, c->sc->error);
    }
    return NULL;
}

/* ---- functions called record by record */

static void free_capsule(PyObject *cap)
{
    PyMem_Free(PyCapsule_GetPointer(cap, NULL));
}

void *ctx_alloc(ContextObject *c, size_t n)
{
    void *p = PyMem_Calloc(1, n);
    PyObject *cap = p ? PyCapsule_New(p, NULL, free_capsule) : NULL;

    if (!cap) {
        PyMem_Free(p);
        return p ? NULL : PyErr_NoMemory();
    }
    if (PyList_Append(c->keep, cap) < 0)
        p = NULL;               /* freed with the capsule */
    Py_DECREF(cap);
    return p;
}

struct pyfn *pyfn_new(ContextObject *c, PyObject *fn)
{
    struct pyfn *f = ctx_alloc(c, sizeof(*f));

    /* fn and f live as long as the context: they sit in c->keep */
    if (!f || PyList_Append(c->keep, fn) < 0)
        return NULL;
    f->c = c;
    f->fn = fn;
    f->fallback = (struct rdd_fallback){ pyfn_reduce, f };
    return f;
}

struct rdd_value pyfn_map(struct rdd_value x, struct rdd_arena *a, void *ctx)
{
    struct pyfn *f = ctx;
    struct rdd_value out = rdd_none();
    PyObject *arg, *r = NULL;

    if (f->c->is_failed)
        return out;
    if ((arg = value_to_py(f->c, x)))
        r = PyObject_CallOneArg(f->fn, arg);
    if (!r || value_from_py(f->c, r, a, &out) < 0) {
        task_failed(f->c, arg);
        out = rdd_none();
    }
    Py_XDECREF(r);
    Py_XDECREF(arg);
    return out;
}

struct rdd_value pyfn_reduce(struct rdd_value x, struct rdd_value y,
                             struct rdd_arena *a, void *ctx)
{
    struct pyfn *f = ctx;
    struct rdd_value out = x;
    PyObject *args[2] = { NULL, NULL }, *r = NULL, *pair;

    if (f->c->is_failed)
        return out;
    if ((args[0] = value_to_py(f->c, x)) && (args[1] = value_to_py(f->c, y)))
        r = PyObject_Vectorcall(f->fn, args, 2, NULL);
    if (!r || value_from_py(f->c, r, a, &out) < 0) {
        PyObject *et, *ev, *etb;
        PyErr_Fetch(&et, &ev, &etb);    /* the element: (x, y) */
        pair = PyTuple_Pack(2, args[0] ? args[0] : Py_None,
                            args[1] ? args[1] : Py_None);
        PyErr_Restore(et, ev, etb);
        task_failed(f->c, pair);
        Py_XDECREF(pair);
        out = x;
    }
    Py_XDECREF(r);
    Py_XDECREF(args[0]);
    Py_XDECREF(args[1]);
    return out;
}

void pyfn_flat(struct rdd_value x, struct rdd_sink *out, void *ctx)
{
    struct pyfn *f = ctx;
    PyObject *arg, *r = NULL, *it = NULL, *y;
    struct rdd_value v;

    if (f->c->is_failed)
        return;
    if ((arg = value_to_py(f->c, x)) && (r = PyObject_CallOneArg(f->fn, arg)))
        it = PyObject_GetIter(r);
    while (it && (y = PyIter_Next(it))) {
        int rc = value_from_py(f->c, y, rdd_sink_arena(out), &v);
        Py_DECREF(y);
        if (rc < 0)
            break;
        rdd_emit(out, v);
    }
    if (PyErr_Occurred())
        task_failed(f->c, arg);
    Py_XDECREF(it);
    Py_XDECREF(r);
    Py_XDECREF(arg);
}

bool pyfn_filter(struct rdd_value x, void *ctx)
{
    struct pyfn *f = ctx;
    PyObject *arg, *r = NULL;
    int is = 0;

    if (f->c->is_failed)
        return false;
    if ((arg = value_to_py(f->c, x)) && (r = PyObject_CallOneArg(f->fn, arg)))
        is = PyObject_IsTrue(r);
    if (!r || is < 0) {
        task_failed(f->c, arg);
        is = 0;
    }
    Py_XDECREF(r);
    Py_XDECREF(arg);
    return is == 1;
}

int64_t pyfn_partition(struct rdd_value key, void *ctx)
{
    struct pyfn *f = ctx;
    PyObject *k, *r = NULL, *n = NULL, *m = NULL;
    int64_t p = 0;

    if (f->c->is_failed)
        return 0;
    /* partitionFunc(k) % numPartitions, as PySpark computes it */
    if ((k = value_to_py(f->c, key)) && (r = PyObject_CallOneArg(f->fn, k)) &&
        (n = PyLong_FromLongLong(f->modulo)) && (m = PyNumber_Remainder(r, n)))
        p = PyLong_AsLongLong(m);
    if (PyErr_Occurred())
        task_failed(f->c, k);
    Py_XDECREF(m);
    Py_XDECREF(n);
    Py_XDECREF(r);
    Py_XDECREF(k);
    return p;
}

/* ---- a Python pipeline over a partition */

/* The iterator a pipeline reads: records pulled from the engine. */
typedef struct {
    PyObject_HEAD
    ContextObject *c;
    struct rdd_source *in;      /* NULL once the partition is over */
    struct rdd_value last;      /* the record given last (a failure's: it
                                   lives as long as the source) */
    bool has_last;
} SourceObject;

static PyObject *source_next(PyObject *self)
{
    SourceObject *s = (SourceObject *)self;

    if (!s->in || !rdd_source_next(s->in, &s->last)) {
        s->in = NULL;
        return NULL;            /* StopIteration */
    }
    s->has_last = true;
    return value_to_py(s->c, s->last);
}

static void source_dealloc(PyObject *self)
{
    PyObject_Free(self);
}

static PyTypeObject Source_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_pardemo.PartitionIterator",
    .tp_basicsize = sizeof(SourceObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "the records of one partition, pulled from the engine",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = source_next,
    .tp_dealloc = source_dealloc,
};

int tasks_ready(void)
{
    return PyType_Ready(&Source_Type);
}

/* task_failed, naming the record the pipeline read last. */
static void fail_on_record(ContextObject *c, SourceObject *src)
{
    PyObject *et, *ev, *etb, *elem = NULL;

    if (src && src->has_last) {
        PyErr_Fetch(&et, &ev, &etb);
        elem = value_to_py(c, src->last);
        PyErr_Clear();
        PyErr_Restore(et, ev, etb);
    }
    task_failed(c, elem);
    Py_XDECREF(elem);
}

void pyfn_pipe(struct rdd_source *in, int partition, struct rdd_sink *out,
               void *ctx)
{
    struct pyfn *f = ctx;
    SourceObject *src;
    PyObject *r = NULL, *it = NULL, *x;
    struct rdd_value v;

    if (f->c->is_failed)
        return;
    if ((src = PyObject_New(SourceObject, &Source_Type))) {
        src->c = f->c;
        src->in = in;
        src->has_last = false;
        r = PyObject_CallFunction(f->fn, "iO", partition, (PyObject *)src);
    }
    if (r)
        it = PyObject_GetIter(r);
    while (it && !rdd_sink_is_stopped(out) && (x = PyIter_Next(it))) {
        int rc = value_from_py(f->c, x, rdd_sink_arena(out), &v);
        Py_DECREF(x);
        if (rc < 0)
            break;
        rdd_emit(out, v);
    }
    if (PyErr_Occurred())
        fail_on_record(f->c, src);
    if (src)
        src->in = NULL;         /* a generator kept alive reads no more */
    Py_XDECREF(it);
    Py_XDECREF(r);
    Py_XDECREF(src);
}

/* ---- Python's rules for values (rdd_obj_ops) */

static int64_t ops_hash(struct rdd_value v, void *ctx)
{
    ContextObject *c = ctx;
    PyObject *o, *h = NULL, *args;
    int64_t x = 0;

    if (c->is_failed)
        return 0;
    if ((o = value_to_py(c, v)) && (args = PyTuple_Pack(1, o))) {
        h = hook(c, "portable_hash", args);
        Py_DECREF(args);
    }
    if (h)
        x = PyLong_AsLongLong(h);
    if (PyErr_Occurred())
        task_failed(c, o);
    Py_XDECREF(h);
    Py_XDECREF(o);
    return x;
}

static int compare_py(ContextObject *c, struct rdd_value a,
                      struct rdd_value b, int op)
{
    PyObject *x = NULL, *y = NULL, *pair;
    int r = -1;

    if (c->is_failed)
        return 0;
    if ((x = value_to_py(c, a)) && (y = value_to_py(c, b)))
        r = PyObject_RichCompareBool(x, y, op);
    if (r < 0) {
        PyObject *et, *ev, *etb;
        PyErr_Fetch(&et, &ev, &etb);
        pair = PyTuple_Pack(2, x ? x : Py_None, y ? y : Py_None);
        PyErr_Restore(et, ev, etb);
        task_failed(c, pair);
        Py_XDECREF(pair);
        r = 0;
    }
    Py_XDECREF(x);
    Py_XDECREF(y);
    return r;
}

static bool ops_equal(struct rdd_value a, struct rdd_value b, void *ctx)
{
    return compare_py(ctx, a, b, Py_EQ) == 1;
}

/* Python's sort asks only a < b: so do we, both ways. */
static int ops_compare(struct rdd_value a, struct rdd_value b, void *ctx)
{
    if (compare_py(ctx, a, b, Py_LT) == 1)
        return -1;
    return compare_py(ctx, b, a, Py_LT) == 1;
}

static bool ops_unpack(struct rdd_value kv, struct rdd_arena *a,
                       struct rdd_value *k, struct rdd_value *v, void *ctx)
{
    ContextObject *c = ctx;
    PyObject *o, *args, *pair = NULL;
    bool ok = false;

    if (c->is_failed)
        return false;
    if ((o = value_to_py(c, kv)) && (args = PyTuple_Pack(1, o))) {
        pair = hook(c, "unpack", args);     /* k, v = kv: its error */
        Py_DECREF(args);
    }
    ok = pair && value_from_py(c, PyTuple_GET_ITEM(pair, 0), a, k) == 0 &&
         value_from_py(c, PyTuple_GET_ITEM(pair, 1), a, v) == 0;
    if (!ok)
        task_failed(c, o);
    Py_XDECREF(pair);
    Py_XDECREF(o);
    return ok;
}

void obj_ops_init(ContextObject *c)
{
    c->ops = (struct rdd_obj_ops){ ops_hash, ops_equal, ops_compare,
                                   ops_unpack, c };
    c->sc->obj_ops = &c->ops;
}

/* ---- worker processes (rdd_procs) */

static void call_hook(ContextObject *c, const char *name)
{
    PyObject *r = hook(c, name, NULL);

    if (!r && PyErr_Occurred())
        PyErr_Print();
    Py_XDECREF(r);
}

static void before_fork(void *ctx)
{
    call_hook(ctx, "before_fork");      /* flush sys.stdout */
    PyOS_BeforeFork();
}

static void after_fork(void *ctx, bool is_child)
{
    ContextObject *c = ctx;

    if (!is_child) {
        PyOS_AfterFork_Parent();
        return;
    }
    PyOS_AfterFork_Child();
    c->is_worker = true;
    call_hook(c, "worker_started");     /* accumulators from zero */
}

static bool is_interrupted(void *ctx)
{
    (void)ctx;
    return PyErr_CheckSignals() < 0;    /* Ctrl-C: KeyboardInterrupt */
}

static const char *task_error(void *ctx)
{
    ContextObject *c = ctx;
    const char *e = c->is_failed ? c->task_error : NULL;

    c->is_failed = false;       /* the next task starts clean */
    return e;
}

static void task_extra(void *ctx, struct rdd_buf *out)
{
    PyObject *b = hook(ctx, "accumulator_updates", NULL);

    if (b && PyBytes_Check(b))
        rdd_buf_add(out, PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b));
    else if (PyErr_Occurred())
        PyErr_Print();
    Py_XDECREF(b);
}

static void extra_in(void *ctx, const char *bytes, size_t n)
{
    PyObject *b = PyBytes_FromStringAndSize(bytes, (Py_ssize_t)n);
    PyObject *args = b ? PyTuple_Pack(1, b) : NULL;
    PyObject *r = args ? hook(ctx, "merge_accumulators", args) : NULL;

    if (!r && PyErr_Occurred())
        PyErr_Print();
    Py_XDECREF(r);
    Py_XDECREF(args);
    Py_XDECREF(b);
}

static void worker_done(void *ctx)
{
    call_hook(ctx, "worker_done");      /* flush what tasks printed */
}

void procs_init(ContextObject *c)
{
    c->procs = (struct rdd_procs){ before_fork, after_fork, is_interrupted,
                                   task_error, task_extra, extra_in,
                                   worker_done, c };
    c->sc->procs = &c->procs;
}
