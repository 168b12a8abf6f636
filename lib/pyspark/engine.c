/* engine.c - the C engine as a Python module, `_pardemo`.
 * A Context is sc's engine (lib/rdd's rdd_context, its tasks run in
 * worker processes); an Rdd is one of its RDDs. The `pyspark` package
 * (lib/pyspark/python) builds PySpark's API on these few calls: sources,
 * a Python pipeline per stage, the shuffles, and the actions. Read
 * r_pipe and r_collect to see a Python function become an engine task.
 */
#include "binding.h"
#include "pysrc.h"

#include <marshal.h>
#include <string.h>

/* Python's type objects are static, as in CPython's own modules. */

/* ---- Context */

static int ctx_init(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = { "threads", "fast", NULL };
    ContextObject *c = (ContextObject *)self;
    int threads, is_fast = 1;

    if (!PyArg_ParseTupleAndKeywords(args, kw, "i|p", kwlist, &threads,
                                     &is_fast))
        return -1;
    if (c->sc || threads < 1 || threads > 1024) {
        PyErr_SetString(PyExc_ValueError, "threads must be 1..1024");
        return -1;
    }
    if (!(c->keep = PyList_New(0)) ||
        (is_fast && recognize_init(c) < 0))
        return -1;
    c->sc = rdd_context_new(threads);
    obj_ops_init(c);
    procs_init(c);
    return 0;
}

static void ctx_stop_engine(ContextObject *c)
{
    if (c->sc)
        rdd_context_free(c->sc);
    c->sc = NULL;
}

static void ctx_dealloc(PyObject *self)
{
    ContextObject *c = (ContextObject *)self;

    ctx_stop_engine(c);
    Py_XDECREF(c->keep);
    Py_XDECREF(c->dumps);
    Py_XDECREF(c->loads);
    Py_XDECREF(c->on_task);
    Py_XDECREF(c->templates);
    Py_XDECREF(c->driver_exc);
    free(c->task_error);
    Py_TYPE(self)->tp_free(self);
}

static bool is_live(ContextObject *c)
{
    if (!c->sc)
        PyErr_SetString(PyExc_ValueError, "Cannot run a job: the "
                        "SparkContext has been stopped (sc.stop())");
    return c->sc != NULL;
}

PyObject *rdd_wrap(ContextObject *c, struct rdd *r)
{
    RddObject *o;

    if (!r)
        return job_outcome(c, -1, "an RDD");
    if (!(o = PyObject_New(RddObject, &Rdd_Type)))
        return NULL;
    o->ctx = (ContextObject *)Py_NewRef(c);
    o->r = r;
    return (PyObject *)o;
}

static PyObject *c_set_hooks(PyObject *self, PyObject *hooks)
{
    Py_XSETREF(((ContextObject *)self)->on_task, Py_NewRef(hooks));
    Py_RETURN_NONE;
}

/* values of a Python list as engine values in a (a temporary arena) */
static struct rdd_value *values_of(ContextObject *c, PyObject *seq,
                                   struct rdd_arena *a, Py_ssize_t *n)
{
    PyObject *fast = PySequence_Fast(seq, "parallelize() needs a list");
    struct rdd_value *v;

    if (!fast)
        return NULL;
    *n = PySequence_Fast_GET_SIZE(fast);
    v = rdd_alloc(a, (size_t)(*n ? *n : 1) * sizeof(*v));
    for (Py_ssize_t i = 0; i < *n; i++)
        if (value_from_py(c, PySequence_Fast_GET_ITEM(fast, i), a, &v[i]) <
            0) {
            Py_DECREF(fast);
            return NULL;
        }
    Py_DECREF(fast);
    return v;
}

static PyObject *c_parallelize(PyObject *self, PyObject *args)
{
    ContextObject *c = (ContextObject *)self;
    PyObject *seq, *o = NULL;
    int n;
    Py_ssize_t batch, len;
    const char *at;
    struct rdd_arena *a;
    struct rdd_value *v;

    if (!PyArg_ParseTuple(args, "Oins", &seq, &n, &batch, &at) ||
        !is_live(c))
        return NULL;
    a = rdd_arena_new();
    if ((v = values_of(c, seq, a, &len)))
        o = rdd_wrap(c, rdd_parallelize_batched_at(c->sc, v, (size_t)len, n,
                                                   (size_t)batch, at));
    rdd_arena_free(a);
    return o;
}

static PyObject *c_range(PyObject *self, PyObject *args)
{
    ContextObject *c = (ContextObject *)self;
    long long start, stop, step;
    int n;
    const char *at;

    if (!PyArg_ParseTuple(args, "LLLis", &start, &stop, &step, &n, &at) ||
        !is_live(c))
        return NULL;
    return rdd_wrap(c, rdd_range_at(c->sc, start, stop, step, n, at));
}

static PyObject *c_text_files(PyObject *self, PyObject *args)
{
    ContextObject *c = (ContextObject *)self;
    PyObject *list, *fast, *o = NULL;
    const char *shown, *at, **paths;
    int minp;
    Py_ssize_t n;

    if (!PyArg_ParseTuple(args, "Osis", &list, &shown, &minp, &at) ||
        !is_live(c) || !(fast = PySequence_Fast(list, "a list of paths")))
        return NULL;
    n = PySequence_Fast_GET_SIZE(fast);
    paths = PyMem_Calloc((size_t)n + 1, sizeof(*paths));
    for (Py_ssize_t i = 0; paths && i < n; i++)
        if (!(paths[i] = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(fast, i))))
            goto out;
    if (paths) {
        struct rdd *r = rdd_text_files_at(c->sc, paths, (int)n, shown, minp,
                                          at);
        if (r)
            o = rdd_wrap(c, r);
        else
            PyErr_SetString(PyExc_OSError, c->sc->error);
    }
out:
    PyMem_Free(paths);
    Py_DECREF(fast);
    return o;
}

static PyObject *c_empty(PyObject *self, PyObject *args)
{
    ContextObject *c = (ContextObject *)self;
    const char *at;

    if (!PyArg_ParseTuple(args, "s", &at) || !is_live(c))
        return NULL;
    return rdd_wrap(c, rdd_empty_at(c->sc, at));
}

static PyObject *c_stop(PyObject *self, PyObject *unused)
{
    (void)unused;
    ctx_stop_engine((ContextObject *)self);
    Py_RETURN_NONE;
}

PyObject *explain_jobs(ContextObject *c);     /* explain.c */

static PyObject *c_explain(PyObject *self, PyObject *unused)
{
    (void)unused;
    if (!is_live((ContextObject *)self))
        return NULL;
    return explain_jobs((ContextObject *)self);
}

static PyMethodDef ctx_methods[] = {
    { "set_hooks", c_set_hooks, METH_O, "the pyspark side's task hooks" },
    { "parallelize", c_parallelize, METH_VARARGS,
      "parallelize(list, slices, batch, at)" },
    { "range", c_range, METH_VARARGS, "range(start, stop, step, slices, at)" },
    { "text_files", c_text_files, METH_VARARGS,
      "text_files(paths, shown, min_partitions, at)" },
    { "empty", c_empty, METH_VARARGS, "empty(at): no partitions" },
    { "stop", c_stop, METH_NOARGS, "frees the engine and its RDDs" },
    { "explain", c_explain, METH_NOARGS,
      "the jobs run since the last call, as text; forgets them" },
    { NULL, NULL, 0, NULL },
};

PyTypeObject Context_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_pardemo.Context",
    .tp_basicsize = sizeof(ContextObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "the C engine's context (sc's engine)",
    .tp_new = PyType_GenericNew,
    .tp_init = ctx_init,
    .tp_dealloc = ctx_dealloc,
    .tp_methods = ctx_methods,
};

/* ---- Rdd: transformations */

#define SELF_RDD(self) (((RddObject *)(self))->r)
#define SELF_CTX(self) (((RddObject *)(self))->ctx)

static bool rdd_live(PyObject *self)
{
    return is_live(SELF_CTX(self));
}

static void rdd_dealloc(PyObject *self)
{
    Py_XDECREF(SELF_CTX(self));
    PyObject_Free(self);
}

static struct rdd *other_of(PyObject *o)
{
    if (!PyObject_TypeCheck(o, &Rdd_Type)) {
        PyErr_SetString(PyExc_TypeError, "needs another RDD");
        return NULL;
    }
    return SELF_RDD(o);
}

static PyObject *r_pipe(PyObject *self, PyObject *args)
{
    ContextObject *c = SELF_CTX(self);
    PyObject *fn;
    const char *what, *at;
    struct pyfn *f;

    if (!PyArg_ParseTuple(args, "Oss", &fn, &what, &at) || !rdd_live(self) ||
        !(f = pyfn_new(c, fn)))
        return NULL;
    return rdd_wrap(c, rdd_pipe_at(SELF_RDD(self), pyfn_pipe, f, "PythonRDD",
                                   what, at));
}

static PyObject *r_map_fast(PyObject *self, PyObject *args)
{
    ContextObject *c = SELF_CTX(self);
    PyObject *fn;
    const char *what, *at;
    struct rdd *r;

    if (!PyArg_ParseTuple(args, "Oss", &fn, &what, &at) || !rdd_live(self))
        return NULL;
    r = fast_map(c, SELF_RDD(self), fn, what, at);
    if (!r && !PyErr_Occurred())
        r = int_node(c, SELF_RDD(self), fn, what, at);
    if (!r) {
        if (PyErr_Occurred())
            return NULL;
        Py_RETURN_NONE;         /* not one the engine knows */
    }
    return rdd_wrap(c, r);
}

/* A Python function as a reduce callback: + itself when it is +. */
static int reduce_fn(ContextObject *c, PyObject *fn, rdd_reduce_fn *cf,
                     void **cctx)
{
    PyObject *sep;
    struct pyfn *f = pyfn_new(c, fn);

    if (!f)
        return -1;
    if (fast_kind_of(c, fn, &sep) == FAST_ADD) {
        *cf = rdd_add;
        *cctx = &f->fallback;       /* Python's + where C cannot say */
    } else if (!int_reducer(c, fn, cf, cctx)) {
        *cf = pyfn_reduce;
        *cctx = f;
    }
    return 0;
}

/* The partitioner: NULL (portable_hash, in C) or a Python function. */
static int set_partitioner(ContextObject *c, struct rdd *s, PyObject *fn,
                           int n)
{
    struct pyfn *f;

    if (fn == Py_None)
        return 0;
    if (!(f = pyfn_new(c, fn)))
        return -1;
    f->modulo = n;
    rdd_set_partitioner(s, pyfn_partition, f);
    return 0;
}

static PyObject *r_combine(PyObject *self, PyObject *args)
{
    ContextObject *c = SELF_CTX(self);
    PyObject *create, *merge_value, *merge_comb, *part;
    const char *at;
    int n;
    rdd_reduce_fn mv, mc = NULL;
    void *mvctx, *mcctx = NULL;
    struct pyfn *cf = NULL;
    struct rdd *s;

    if (!PyArg_ParseTuple(args, "OOOiOs", &create, &merge_value, &merge_comb,
                          &n, &part, &at) || !rdd_live(self) ||
        reduce_fn(c, merge_value, &mv, &mvctx) < 0 ||
        (merge_comb != Py_None && reduce_fn(c, merge_comb, &mc, &mcctx) < 0) ||
        (create != Py_None && !(cf = pyfn_new(c, create))))
        return NULL;
    s = rdd_reduce_by_key_at(SELF_RDD(self), mv, mvctx, n, at);
    if (cf || mc)
        rdd_set_combiner(s, cf ? pyfn_map : NULL, cf, mc, mcctx);
    if (set_partitioner(c, s, part, rdd_num_partitions(s)) < 0)
        return NULL;
    return rdd_wrap(c, s);
}

static PyObject *r_group(PyObject *self, PyObject *args)
{
    ContextObject *c = SELF_CTX(self);
    PyObject *part;
    const char *how, *at;
    int n;
    struct rdd *s;

    if (!PyArg_ParseTuple(args, "siOs", &how, &n, &part, &at) ||
        !rdd_live(self))
        return NULL;
    s = !strcmp(how, "group") ? rdd_group_by_key_at(SELF_RDD(self), n, at)
                              : rdd_partition_by_at(SELF_RDD(self), n, at);
    if (set_partitioner(c, s, part, rdd_num_partitions(s)) < 0)
        return NULL;
    return rdd_wrap(c, s);
}

static PyObject *r_distinct(PyObject *self, PyObject *args)
{
    int n;
    const char *at;

    if (!PyArg_ParseTuple(args, "is", &n, &at) || !rdd_live(self))
        return NULL;
    return rdd_wrap(SELF_CTX(self), rdd_distinct_at(SELF_RDD(self), n, at));
}

static PyObject *r_sort(PyObject *self, PyObject *args)
{
    ContextObject *c = SELF_CTX(self);
    int is_asc, n;
    PyObject *bounds, *o = NULL;
    const char *at;
    Py_ssize_t nb;
    struct rdd_arena *a;
    struct rdd_value *b;

    if (!PyArg_ParseTuple(args, "piOs", &is_asc, &n, &bounds, &at) ||
        !rdd_live(self))
        return NULL;
    a = rdd_arena_new();
    if ((b = values_of(c, bounds, a, &nb)))
        o = rdd_wrap(c, rdd_sort_by_bounds_at(SELF_RDD(self), is_asc, n, b,
                                              (size_t)nb, at));
    rdd_arena_free(a);
    return o;
}

/* union, zip, cartesian: two RDDs of one context */
static PyObject *r_binary(PyObject *self, PyObject *args)
{
    PyObject *other;
    const char *how, *at;
    struct rdd *b, *r;

    if (!PyArg_ParseTuple(args, "sOs", &how, &other, &at) || !rdd_live(self) ||
        !(b = other_of(other)))
        return NULL;
    if (SELF_CTX(other) != SELF_CTX(self)) {
        PyErr_SetString(PyExc_ValueError, "the RDDs belong to different "
                        "SparkContexts");
        return NULL;
    }
    r = !strcmp(how, "union") ? rdd_union_at(SELF_RDD(self), b, at) :
        !strcmp(how, "zip") ? rdd_zip_at(SELF_RDD(self), b, at) :
        rdd_cartesian_at(SELF_RDD(self), b, at);
    return rdd_wrap(SELF_CTX(self), r);
}

static PyObject *r_coalesce(PyObject *self, PyObject *args)
{
    int n;
    const char *at;

    if (!PyArg_ParseTuple(args, "is", &n, &at) || !rdd_live(self))
        return NULL;
    return rdd_wrap(SELF_CTX(self), rdd_coalesce_at(SELF_RDD(self), n, at));
}

static PyObject *r_cache(PyObject *self, PyObject *args)
{
    int is_on;

    if (!PyArg_ParseTuple(args, "p", &is_on) || !rdd_live(self))
        return NULL;
    if (is_on)
        rdd_cache(SELF_RDD(self));
    else
        rdd_unpersist(SELF_RDD(self));
    Py_RETURN_NONE;
}

static PyObject *r_set_name(PyObject *self, PyObject *args)
{
    const char *name;

    if (!PyArg_ParseTuple(args, "s", &name) || !rdd_live(self))
        return NULL;
    rdd_set_name(SELF_RDD(self), name);
    Py_RETURN_NONE;
}

static PyObject *r_id(PyObject *self, PyObject *unused)
{
    (void)unused;
    if (!rdd_live(self))
        return NULL;
    return PyLong_FromLong(rdd_id(SELF_RDD(self)));
}

static PyObject *r_num_partitions(PyObject *self, PyObject *unused)
{
    (void)unused;
    if (!rdd_live(self))
        return NULL;
    return PyLong_FromLong(rdd_num_partitions(SELF_RDD(self)));
}

static PyObject *r_debug_string(PyObject *self, PyObject *unused)
{
    struct rdd_buf b = { 0 };
    PyObject *o;

    (void)unused;
    if (!rdd_live(self))
        return NULL;
    rdd_debug_string(SELF_RDD(self), &b);
    o = PyUnicode_DecodeUTF8(b.s ? b.s : "", (Py_ssize_t)b.len, "replace");
    rdd_buf_free(&b);
    return o;
}

/* ---- Rdd: actions */

static PyObject *result_list(ContextObject *c, struct rdd_result *res)
{
    PyObject *l = PyList_New((Py_ssize_t)res->n);

    for (size_t i = 0; l && i < res->n; i++) {
        PyObject *x = value_to_py(c, res->v[i]);
        if (!x) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, x);
    }
    rdd_result_free(res);
    return l;
}

static PyObject *r_collect(PyObject *self, PyObject *args)
{
    ContextObject *c = SELF_CTX(self);
    PyObject *parts = Py_None, *fast = NULL;
    struct rdd_result res = { 0 };
    int rc, *p = NULL;
    Py_ssize_t n = 0;

    if (!PyArg_ParseTuple(args, "|O", &parts) || !rdd_live(self))
        return NULL;
    if (parts == Py_None) {
        rc = rdd_collect(SELF_RDD(self), &res);
    } else {
        if (!(fast = PySequence_Fast(parts, "partitions: a list of ints")))
            return NULL;
        n = PySequence_Fast_GET_SIZE(fast);
        p = PyMem_Calloc((size_t)n + 1, sizeof(*p));
        for (Py_ssize_t i = 0; p && i < n; i++)
            p[i] = (int)PyLong_AsLong(PySequence_Fast_GET_ITEM(fast, i));
        Py_DECREF(fast);
        if (!p || PyErr_Occurred()) {
            PyMem_Free(p);
            return PyErr_Occurred() ? NULL : PyErr_NoMemory();
        }
        rc = rdd_collect_parts(SELF_RDD(self), p, (int)n, &res);
        PyMem_Free(p);
    }
    if (!job_outcome(c, rc, "collect")) {
        rdd_result_free(&res);
        return NULL;
    }
    return result_list(c, &res);
}

static PyObject *r_take(PyObject *self, PyObject *args)
{
    ContextObject *c = SELF_CTX(self);
    Py_ssize_t n;
    struct rdd_result res = { 0 };
    int rc;

    if (!PyArg_ParseTuple(args, "n", &n) || !rdd_live(self))
        return NULL;
    rc = rdd_take(SELF_RDD(self), n > 0 ? (size_t)n : 0, &res);
    if (!job_outcome(c, rc, "take")) {
        rdd_result_free(&res);
        return NULL;
    }
    return result_list(c, &res);
}

static PyObject *r_count(PyObject *self, PyObject *unused)
{
    long long n = 0;
    int rc;

    (void)unused;
    if (!rdd_live(self))
        return NULL;
    rc = rdd_count(SELF_RDD(self), &n);
    if (!job_outcome(SELF_CTX(self), rc, "count"))
        return NULL;
    return PyLong_FromLongLong(n);
}

/* fn as a reduce callback that runs in C (+, int arithmetic): 1, or 0
 * when fn is not one, -1 with an exception set. */
static int c_reducer(ContextObject *c, PyObject *fn, rdd_reduce_fn *cf,
                     void **cctx)
{
    PyObject *sep;
    struct pyfn *f;

    if (fast_kind_of(c, fn, &sep) == FAST_ADD) {
        if (!(f = pyfn_new(c, fn)))
            return -1;
        *cf = rdd_add;
        *cctx = &f->fallback;
        return 1;
    }
    if (int_reducer(c, fn, cf, cctx))
        return 1;
    return PyErr_Occurred() ? -1 : 0;
}

/* reduce(f) or fold(zero, f) in C, for an f the engine runs in C (+,
 * int arithmetic); None when it does not (pyspark then reduces in
 * Python). */
static PyObject *r_reduce(PyObject *self, PyObject *args)
{
    ContextObject *c = SELF_CTX(self);
    PyObject *fn, *zero = NULL;
    struct rdd_result res = { 0 };
    struct rdd_arena *a;
    struct rdd_value z;
    rdd_reduce_fn cf;
    void *cctx;
    int rc;

    if (!PyArg_ParseTuple(args, "O|O", &fn, &zero) || !rdd_live(self))
        return NULL;
    if ((rc = c_reducer(c, fn, &cf, &cctx)) <= 0) {
        if (rc < 0)
            return NULL;
        Py_RETURN_NONE;         /* pyspark reduces in Python */
    }
    a = rdd_arena_new();
    if (zero && value_from_py(c, zero, a, &z) < 0) {
        rdd_arena_free(a);
        return NULL;
    }
    rc = zero ? rdd_fold(SELF_RDD(self), z, cf, cctx, &res)
              : rdd_reduce(SELF_RDD(self), cf, cctx, &res);
    rdd_arena_free(a);
    if (rc < 0 && !zero && !c->driver_exc && !c->sc->is_interrupted &&
        strstr(c->sc->error, "empty RDD")) {
        PyErr_SetString(PyExc_ValueError, "Can not reduce() empty RDD");
        return NULL;
    }
    if (!job_outcome(c, rc, zero ? "fold" : "reduce")) {
        rdd_result_free(&res);
        return NULL;
    }
    PyObject *l = result_list(c, &res), *x;
    if (!l)
        return NULL;
    x = Py_BuildValue("(O)", PyList_GET_ITEM(l, 0));    /* (value,) */
    Py_DECREF(l);
    return x;
}

static PyObject *r_save(PyObject *self, PyObject *args)
{
    const char *path;
    int rc;

    if (!PyArg_ParseTuple(args, "s", &path) || !rdd_live(self))
        return NULL;
    rc = rdd_save_as_text_file(SELF_RDD(self), path);
    return job_outcome(SELF_CTX(self), rc, "saveAsTextFile");
}

static PyMethodDef rdd_methods[] = {
    { "pipe", r_pipe, METH_VARARGS, "pipe(func(split, it), what, at)" },
    { "map_fast", r_map_fast, METH_VARARGS,
      "map_fast(f, 'map' or 'flatMap', at): in C, or None" },
    { "combine", r_combine, METH_VARARGS,
      "combine(create, merge_value, merge_combiners, n, partitioner, at)" },
    { "group", r_group, METH_VARARGS,
      "group('group' or 'partition', n, partitioner, at)" },
    { "distinct", r_distinct, METH_VARARGS, "distinct(n, at)" },
    { "sort", r_sort, METH_VARARGS, "sort(ascending, n, bounds, at)" },
    { "binary", r_binary, METH_VARARGS,
      "binary('union', 'zip' or 'cartesian', other, at)" },
    { "coalesce", r_coalesce, METH_VARARGS, "coalesce(n, at)" },
    { "cache", r_cache, METH_VARARGS, "cache(True), or unpersist: False" },
    { "id", r_id, METH_NOARGS, "the RDD's id" },
    { "num_partitions", r_num_partitions, METH_NOARGS, "its partitions" },
    { "debug_string", r_debug_string, METH_NOARGS, "toDebugString" },
    { "set_name", r_set_name, METH_VARARGS, "set_name(name): setName" },
    { "collect", r_collect, METH_VARARGS, "collect([partitions])" },
    { "take", r_take, METH_VARARGS, "take(n)" },
    { "count", r_count, METH_NOARGS, "count()" },
    { "reduce", r_reduce, METH_VARARGS,
      "reduce(f) or reduce(f, zero) (fold) when f runs in C (+, int "
      "arithmetic): (value,), or None" },
    { "save", r_save, METH_VARARGS, "save(path): saveAsTextFile" },
    { NULL, NULL, 0, NULL },
};

PyTypeObject Rdd_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_pardemo.Rdd",
    .tp_basicsize = sizeof(RddObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "an RDD of the C engine",
    .tp_dealloc = rdd_dealloc,
    .tp_methods = rdd_methods,
};

/* ---- the module: and the embedded pyspark package's files */

static const struct pysrc *find_module(PyObject *name)
{
    const char *s = PyUnicode_AsUTF8(name);

    for (const struct pysrc *m = pysrc_modules; s && m->name; m++)
        if (!strcmp(m->name, s))
            return m;
    PyErr_Clear();
    return NULL;
}

static PyObject *m_module_info(PyObject *mod, PyObject *name)
{
    const struct pysrc *m = find_module(name);

    (void)mod;
    if (!m)
        Py_RETURN_NONE;
    return Py_BuildValue("(sO)", m->file, m->is_package ? Py_True : Py_False);
}

static PyObject *m_module_code(PyObject *mod, PyObject *name)
{
    const struct pysrc *m = find_module(name);

    (void)mod;
    if (!m)
        return PyErr_Format(PyExc_ImportError, "no module named %R", name);
    return PyMarshal_ReadObjectFromString((const char *)m->code,
                                          (Py_ssize_t)m->code_len);
}

static PyObject *m_module_source(PyObject *mod, PyObject *name)
{
    const struct pysrc *m = find_module(name);

    (void)mod;
    if (!m)
        Py_RETURN_NONE;
    return PyUnicode_FromString(m->source);
}

static PyObject *m_fast_kind(PyObject *mod, PyObject *args)
{
    PyObject *ctx, *fn, *sep;
    static const char *const names[] = { "", "add", "with_one", "split",
                                         "split_sep", "len" };

    enum fast_kind k;

    (void)mod;
    if (!PyArg_ParseTuple(args, "O!O", &Context_Type, &ctx, &fn))
        return NULL;
    k = fast_kind_of((ContextObject *)ctx, fn, &sep);
    if (k == FAST_NONE && is_int_lambda((ContextObject *)ctx, fn, 1))
        return PyUnicode_FromString("int");
    return PyUnicode_FromString(names[k]);
}

static PyObject *m_task_info(PyObject *mod, PyObject *unused)
{
    const struct rdd_task_context *t = rdd_task_context_get();

    (void)mod, (void)unused;
    if (!t)
        Py_RETURN_NONE;         /* on the driver */
    return Py_BuildValue("(iiiL)", t->stage_id, t->stage_attempt,
                         t->partition, t->task_id);
}

static PyMethodDef module_methods[] = {
    { "task_info", m_task_info, METH_NOARGS,
      "(stage, attempt, partition, TID) of the running task, or None" },
    { "module_info", m_module_info, METH_O,
      "(file, is_package) of a built-in pyspark module, or None" },
    { "module_code", m_module_code, METH_O, "its code object" },
    { "module_source", m_module_source, METH_O, "its source text" },
    { "fast_kind", m_fast_kind, METH_VARARGS,
      "fast_kind(ctx, f): what the engine runs in C for f ('' if none, "
      "'int' for int arithmetic)" },
    { NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pardemo",
    "pardemo's C RDD engine (lib/rdd), for the pyspark package", -1,
    module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__pardemo(void)
{
    PyObject *m;

    if (PyType_Ready(&Context_Type) < 0 || PyType_Ready(&Rdd_Type) < 0 ||
        tasks_ready() < 0 || !(m = PyModule_Create(&module)))
        return NULL;
    if (PyModule_AddObjectRef(m, "Context", (PyObject *)&Context_Type) < 0 ||
        PyModule_AddObjectRef(m, "Rdd", (PyObject *)&Rdd_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
