/* frame.c - the DataFrame engine (lib/sql) as a Python module,
 * `_pardemo_sql`. pyspark/sql/plan.py describes each stage of a query
 * in plain Python values -- {"source": "csv", "steps": [("filter",
 * expr)], "sink": "partial_agg", ...} -- and stage() turns the
 * description into C structures once, on the driver, before the job;
 * the forked workers inherit them. Read stage_of, then lib/sql/stage.c.
 */
#include "binding.h"
#include "sql/sql.h"

#include <string.h>

/* ---- Python values as C structures that live as long as sc */

static void free_arena(PyObject *cap)
{
    rdd_arena_free(PyCapsule_GetPointer(cap, "arena"));
}

/* An arena freed with the context (c->keep holds it). */
static struct rdd_arena *ctx_arena(ContextObject *c)
{
    struct rdd_arena *a = rdd_arena_new();
    PyObject *cap = PyCapsule_New(a, "arena", free_arena);

    if (!cap) {
        rdd_arena_free(a);
        return NULL;
    }
    if (PyList_Append(c->keep, cap) < 0)
        a = NULL;
    Py_DECREF(cap);
    return a;
}

/* str (or None: NULL) copied into a; *ok false with an exception set. */
static const char *text_of(PyObject *o, struct rdd_arena *a, bool *ok)
{
    Py_ssize_t n;
    const char *s;
    char *copy;

    if (o == NULL || o == Py_None)
        return NULL;
    if (!(s = PyUnicode_AsUTF8AndSize(o, &n))) {
        *ok = false;
        return NULL;
    }
    copy = rdd_alloc(a, (size_t)n + 1);
    memcpy(copy, s, (size_t)n + 1);
    return copy;
}

static int int_item(PyObject *seq, Py_ssize_t i)
{
    PyObject *x = PySequence_GetItem(seq, i);
    long v = x ? PyLong_AsLong(x) : -1;

    Py_XDECREF(x);
    return (int)v;
}

/* A list of ints as a C array in a; NULL with an exception set. */
static int *ints_of(PyObject *list, struct rdd_arena *a, int *n)
{
    Py_ssize_t len = list ? PySequence_Size(list) : -1;
    int *v;

    if (len < 0)
        return NULL;
    v = rdd_alloc(a, (size_t)(len + 1) * sizeof(*v));
    for (Py_ssize_t i = 0; i < len; i++)
        v[i] = int_item(list, i);
    *n = (int)len;
    return PyErr_Occurred() ? NULL : v;
}

static PyObject *get(PyObject *dict, const char *key)
{
    PyObject *v = PyDict_GetItemString(dict, key);     /* borrowed */

    return v == Py_None ? NULL : v;
}

/* ---- expressions: (op, type, args...) tuples */

static const char *const op_names[] = {
    [SQL_COL] = "col", [SQL_LIT] = "lit", [SQL_ADD] = "add",
    [SQL_SUB] = "sub", [SQL_MUL] = "mul", [SQL_DIV] = "div",
    [SQL_MOD] = "mod", [SQL_NEG] = "neg", [SQL_EQ] = "eq", [SQL_NE] = "ne",
    [SQL_LT] = "lt", [SQL_LE] = "le", [SQL_GT] = "gt", [SQL_GE] = "ge",
    [SQL_EQ_NULL_SAFE] = "eqns", [SQL_AND] = "and", [SQL_OR] = "or",
    [SQL_NOT] = "not", [SQL_IS_NULL] = "isnull",
    [SQL_IS_NOT_NULL] = "isnotnull", [SQL_IN] = "in", [SQL_LIKE] = "like",
    [SQL_CAST] = "cast", [SQL_CASE] = "case", [SQL_COALESCE] = "coalesce",
};

static int op_of(const char *name)
{
    for (size_t i = 0; i < sizeof(op_names) / sizeof(op_names[0]); i++)
        if (op_names[i] && !strcmp(op_names[i], name))
            return (int)i;
    PyErr_Format(PyExc_ValueError, "no C operator %s", name);
    return -1;
}

/* A literal's value in a (a string copied). */
static int literal_of(PyObject *o, struct rdd_arena *a, struct rdd_value *v)
{
    bool ok = true;
    const char *s;

    if (o == Py_None)
        *v = rdd_none();
    else if (PyBool_Check(o))
        *v = rdd_bool(o == Py_True);
    else if (PyLong_Check(o))
        *v = rdd_int(PyLong_AsLongLong(o));
    else if (PyFloat_Check(o))
        *v = rdd_float(PyFloat_AS_DOUBLE(o));
    else if ((s = text_of(o, a, &ok)))
        *v = rdd_str(s, strlen(s));
    else if (ok)
        PyErr_SetString(PyExc_TypeError, "a literal the C engine has no "
                        "kind for");
    return PyErr_Occurred() ? -1 : 0;
}

static struct sql_expr *expr_of(PyObject *o, struct rdd_arena *a)
{
    Py_ssize_t n = PyTuple_Check(o) ? PyTuple_GET_SIZE(o) : 0;
    const char *name = n >= 3 ? PyUnicode_AsUTF8(PyTuple_GET_ITEM(o, 0))
                              : NULL;
    struct sql_expr *e = rdd_alloc(a, sizeof(*e));
    int op = name ? op_of(name) : -1;

    if (op < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "an expression: (op, type, ...)");
        return NULL;
    }
    memset(e, 0, sizeof(*e));
    e->op = (enum sql_op)op;
    e->type = (enum sql_type)PyLong_AsLong(PyTuple_GET_ITEM(o, 1));
    if (e->op == SQL_COL) {
        e->col = (int)PyLong_AsLong(PyTuple_GET_ITEM(o, 2));
        return PyErr_Occurred() ? NULL : e;
    }
    if (e->op == SQL_LIT)
        return literal_of(PyTuple_GET_ITEM(o, 2), a, &e->lit) < 0 ? NULL : e;
    e->nargs = (int)(n - 2);
    e->arg = rdd_alloc(a, (size_t)e->nargs * sizeof(*e->arg));
    for (int i = 0; i < e->nargs; i++)
        if (!(e->arg[i] = expr_of(PyTuple_GET_ITEM(o, i + 2), a)))
            return NULL;
    return PyErr_Occurred() ? NULL : e;
}

/* ---- the parts of a stage */

static enum sql_type *types_of(PyObject *list, struct rdd_arena *a, int *n)
{
    return (enum sql_type *)ints_of(list, a, n);    /* same size: checked */
}

static struct sql_csv *csv_of(PyObject *d, struct rdd_arena *a)
{
    static const char *const modes[] = { "PERMISSIVE", "DROPMALFORMED",
                                         "FAILFAST" };
    struct sql_csv *o = rdd_alloc(a, sizeof(*o));
    const char *mode;
    bool ok = true;

    memset(o, 0, sizeof(*o));
    if (!(o->types = types_of(get(d, "types"), a, &o->ncols)))
        return NULL;
    o->header = text_of(get(d, "header"), a, &ok);
    o->header_len = o->header ? strlen(o->header) : 0;
    o->null_value = text_of(get(d, "null_value"), a, &ok);
    o->nan_value = text_of(get(d, "nan_value"), a, &ok);
    o->pos_inf = text_of(get(d, "pos_inf"), a, &ok);
    o->neg_inf = text_of(get(d, "neg_inf"), a, &ok);
    o->date_format = text_of(get(d, "date_format"), a, &ok);
    o->timestamp_format = text_of(get(d, "timestamp_format"), a, &ok);
    mode = text_of(get(d, "mode"), a, &ok);
    for (int i = 0; mode && i < 3; i++)
        if (!strcmp(mode, modes[i]))
            o->mode = (enum sql_csv_mode)i;
    return ok ? o : NULL;
}

static const char *const agg_names[] = {
    [SQL_AGG_COUNT_ALL] = "count_all", [SQL_AGG_COUNT] = "count",
    [SQL_AGG_SUM] = "sum", [SQL_AGG_AVG] = "avg", [SQL_AGG_MIN] = "min",
    [SQL_AGG_MAX] = "max", [SQL_AGG_FIRST] = "first",
    [SQL_AGG_LAST] = "last", [SQL_AGG_COUNT_DISTINCT] = "count_distinct",
    [SQL_AGG_STDDEV_SAMP] = "stddev_samp",
    [SQL_AGG_STDDEV_POP] = "stddev_pop", [SQL_AGG_VAR_SAMP] = "var_samp",
    [SQL_AGG_VAR_POP] = "var_pop", [SQL_AGG_COLLECT_LIST] = "collect_list",
    [SQL_AGG_COLLECT_SET] = "collect_set",
};

/* (kind, column, input type, output type) */
static int agg_fn_of(PyObject *t, struct sql_agg_fn *f)
{
    const char *kind;
    int k = -1;

    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 4 ||
        !(kind = PyUnicode_AsUTF8(PyTuple_GET_ITEM(t, 0)))) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "an aggregate: (kind, col, "
                            "in, out)");
        return -1;
    }
    for (size_t i = 0; i < sizeof(agg_names) / sizeof(agg_names[0]); i++)
        if (!strcmp(agg_names[i], kind))
            k = (int)i;
    if (k < 0) {
        PyErr_Format(PyExc_ValueError, "no C aggregate %s", kind);
        return -1;
    }
    f->kind = (enum sql_agg_kind)k;
    f->col = int_item(t, 1);
    f->in = (enum sql_type)int_item(t, 2);
    f->out = (enum sql_type)int_item(t, 3);
    return PyErr_Occurred() ? -1 : 0;
}

static struct sql_agg *agg_of(PyObject *d, struct rdd_arena *a)
{
    struct sql_agg *g = rdd_alloc(a, sizeof(*g));
    PyObject *fns = get(d, "fns");
    struct sql_agg_fn *f;
    int nkt;

    memset(g, 0, sizeof(*g));
    if (!(g->keys = ints_of(get(d, "keys"), a, &g->nkeys)) ||
        !(g->key_types = types_of(get(d, "key_types"), a, &nkt)) ||
        !fns || (g->nfns = (int)PySequence_Size(fns)) < 0)
        return NULL;
    g->nparts = (int)PyLong_AsLong(get(d, "nparts"));
    g->fns = f = rdd_alloc(a, (size_t)(g->nfns + 1) * sizeof(*f));
    for (int i = 0; i < g->nfns; i++) {
        PyObject *t = PySequence_GetItem(fns, i);
        int rc = t ? agg_fn_of(t, &f[i]) : -1;
        Py_XDECREF(t);
        if (rc < 0)
            return NULL;
    }
    return PyErr_Occurred() || g->nparts < 1 ? NULL : g;
}

static int join_how(const char *how)
{
    static const char *const names[] = { "inner", "left", "right", "full",
                                         "semi", "anti", "cross" };

    for (int i = 0; how && i < 7; i++)
        if (!strcmp(how, names[i]))
            return i;
    PyErr_Format(PyExc_ValueError, "no join type %s", how ? how : "?");
    return -1;
}

/* The build side's rows (a list of tuples) as engine rows, sorted. */
static int build_of(ContextObject *c, PyObject *rows, struct sql_join *j)
{
    struct rdd_arena *a = ctx_arena(c);
    Py_ssize_t n = PySequence_Size(rows);

    if (!a || n < 0)
        return -1;
    j->nbuild = (size_t)n;
    j->build = rdd_alloc(a, (size_t)(n + 1) * sizeof(*j->build));
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PySequence_GetItem(rows, i);
        int rc = row ? value_from_py(c, row, a, &j->build[i]) : -1;
        Py_XDECREF(row);
        if (rc < 0)
            return -1;
    }
    sql_join_build(j);
    return 0;
}

static struct sql_join *join_of(ContextObject *c, PyObject *d,
                                struct rdd_arena *a)
{
    struct sql_join *j = rdd_alloc(a, sizeof(*j));
    PyObject *out = get(d, "out"), *build = get(d, "build");
    struct sql_join_out *o;
    int how, n;

    memset(j, 0, sizeof(*j));
    if ((how = join_how(PyUnicode_AsUTF8(get(d, "how")))) < 0 ||
        !(j->left_keys = ints_of(get(d, "left_keys"), a, &j->nkeys)) ||
        !(j->right_keys = ints_of(get(d, "right_keys"), a, &n)) ||
        !(j->key_types = types_of(get(d, "key_types"), a, &n)) || !out ||
        (j->nout = (int)PySequence_Size(out)) < 0)
        return NULL;
    j->how = (enum sql_join_how)how;
    j->is_build_left = PyObject_IsTrue(get(d, "build_left")) == 1;
    j->out = o = rdd_alloc(a, (size_t)(j->nout + 1) * sizeof(*o));
    for (int i = 0; i < j->nout; i++) {
        PyObject *t = PySequence_GetItem(out, i);
        o[i] = (struct sql_join_out){ t ? int_item(t, 0) : 0,
                                      t ? int_item(t, 1) : 0,
                                      t ? int_item(t, 2) : 0 };
        Py_XDECREF(t);
    }
    if (PyErr_Occurred() || (build && build_of(c, build, j) < 0))
        return NULL;
    return j;
}

/* ("filter", expr), ("project", [expr...]), ("limit", n), ("probe",
 * join) */
static int step_of(ContextObject *c, PyObject *t, struct sql_step *s,
                   struct rdd_arena *a)
{
    const char *kind = PyTuple_Check(t) && PyTuple_GET_SIZE(t) == 2 ?
                       PyUnicode_AsUTF8(PyTuple_GET_ITEM(t, 0)) : NULL;
    PyObject *arg = kind ? PyTuple_GET_ITEM(t, 1) : NULL;
    struct sql_expr **exprs;

    memset(s, 0, sizeof(*s));
    if (kind && !strcmp(kind, "filter")) {
        s->kind = SQL_FILTER;
        return (s->cond = expr_of(arg, a)) ? 0 : -1;
    }
    if (kind && !strcmp(kind, "limit")) {
        s->kind = SQL_LIMIT;
        s->limit = PyLong_AsLongLong(arg);
        return PyErr_Occurred() ? -1 : 0;
    }
    if (kind && !strcmp(kind, "probe")) {
        s->kind = SQL_PROBE;
        return (s->join = join_of(c, arg, a)) ? 0 : -1;
    }
    if (!kind || strcmp(kind, "project") || (s->nexprs = (int)
                                              PySequence_Size(arg)) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "a step: (kind, argument)");
        return -1;
    }
    s->kind = SQL_PROJECT;
    s->exprs = (const struct sql_expr *const *)(exprs = rdd_alloc(a,
                (size_t)(s->nexprs + 1) * sizeof(*exprs)));
    for (int i = 0; i < s->nexprs; i++) {
        PyObject *e = PySequence_GetItem(arg, i);
        exprs[i] = e ? expr_of(e, a) : NULL;
        Py_XDECREF(e);
        if (!exprs[i])
            return -1;
    }
    return 0;
}

/* A FAILFAST stop: the task fails with Spark's message. */
static void stage_fail(const char *why, void *ctx)
{
    ContextObject *c = ctx;

    if (!c->is_worker) {            /* on the driver: raised by the job */
        PyErr_SetString(PyExc_RuntimeError, why);
        task_failed(c, NULL);
        return;
    }
    if (!c->is_failed) {
        c->is_failed = true;
        free(c->task_error);
        c->task_error = strdup(why);
    }
    rdd_stop_task();
}

static const char *const sources[] = { "rows", "csv", "text", "agg",
                                       "sorted", "join" };
static const char *const sinks[] = { "emit", "partial_agg", "sort_keys",
                                     "join_keys", "infer", "count" };

static int name_index(PyObject *o, const char *const *names, int n,
                      const char *what)
{
    const char *s = o ? PyUnicode_AsUTF8(o) : NULL;

    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i]))
            return i;
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_ValueError, "no stage %s %s", what, s ? s : "?");
    return -1;
}

static struct sql_sort_col *sort_of(PyObject *list, struct rdd_arena *a,
                                    int *n)
{
    Py_ssize_t len = PySequence_Size(list);
    struct sql_sort_col *s = rdd_alloc(a, (size_t)(len + 1) * sizeof(*s));

    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *t = PySequence_GetItem(list, i);
        s[i] = (struct sql_sort_col){ t ? int_item(t, 0) : 0,
            (enum sql_type)(t ? int_item(t, 1) : 0), t && int_item(t, 2),
            t && int_item(t, 3) };
        Py_XDECREF(t);
    }
    *n = (int)len;
    return len < 0 || PyErr_Occurred() ? NULL : s;
}

/* Each optional part of a stage, when the description has it. */
static int parts_of(ContextObject *c, PyObject *d, struct sql_stage *st,
                    struct rdd_arena *a)
{
    PyObject *csv = get(d, "csv"), *agg = get(d, "agg");
    PyObject *join = get(d, "join"), *sort = get(d, "sort");
    PyObject *steps = get(d, "steps");
    struct sql_step *s;

    if ((csv && !(st->csv = csv_of(csv, a))) ||
        (agg && !(st->agg = agg_of(agg, a))) ||
        (join && !(st->join = join_of(c, join, a))) ||
        (sort && !(st->sort = sort_of(sort, a, &st->nsort))))
        return -1;
    st->nsteps = steps ? (int)PySequence_Size(steps) : 0;
    st->steps = s = rdd_alloc(a, (size_t)(st->nsteps + 1) * sizeof(*s));
    for (int i = 0; i < st->nsteps; i++) {
        PyObject *t = PySequence_GetItem(steps, i);
        int rc = t ? step_of(c, t, &s[i], a) : -1;
        Py_XDECREF(t);
        if (rc < 0)
            return -1;
    }
    return PyErr_Occurred() ? -1 : 0;
}

static struct sql_stage *stage_of(ContextObject *c, PyObject *d,
                                  struct rdd_arena *a)
{
    struct sql_stage *st = rdd_alloc(a, sizeof(*st));
    PyObject *side = get(d, "side");
    int src = name_index(get(d, "source"), sources, 6, "source");
    int sink = src < 0 ? -1 : name_index(get(d, "sink"), sinks, 6, "sink");

    memset(st, 0, sizeof(*st));
    if (sink < 0 || parts_of(c, d, st, a) < 0)
        return NULL;
    st->source = (enum sql_source)src;
    st->sink = (enum sql_sink_kind)sink;
    st->side = side ? (int)PyLong_AsLong(side) : 0;
    st->fail = stage_fail;
    st->fail_ctx = c;
    if ((st->source == SQL_SRC_CSV && !st->csv) ||
        ((st->source == SQL_SRC_AGG || sink == SQL_PARTIAL_AGG) && !st->agg) ||
        ((st->source == SQL_SRC_JOIN || sink == SQL_JOIN_KEYS) &&
         (!st->join || !st->sort))) {
        PyErr_SetString(PyExc_ValueError, "a stage without its parts");
        return NULL;
    }
    return PyErr_Occurred() ? NULL : st;
}

/* ---- the module */

static ContextObject *live_ctx(RddObject *r)
{
    if (!r->ctx->sc) {
        PyErr_SetString(PyExc_ValueError, "Cannot run a job: the "
                        "SparkContext has been stopped (sc.stop())");
        return NULL;
    }
    return r->ctx;
}

static PyObject *m_stage(PyObject *mod, PyObject *args)
{
    RddObject *r;
    PyObject *spec;
    const char *what, *at;
    ContextObject *c;
    struct rdd_arena *a;
    struct sql_stage *st;

    (void)mod;
    if (!PyArg_ParseTuple(args, "O!O!ss", &Rdd_Type, &r, &PyDict_Type, &spec,
                          &what, &at) || !(c = live_ctx(r)) ||
        !(a = ctx_arena(c)) || !(st = stage_of(c, spec, a)))
        return NULL;
    return rdd_wrap(c, sql_stage_at(r->r, st, what, at));
}

/* exchange(rdd, "hash", n, agg, at): Spark's hash partitioning of
 * (key, buffer) records by their key; exchange(rdd, "range", n, None,
 * at): (sort key, row) records range-partitioned and sorted. */
static PyObject *m_exchange(PyObject *mod, PyObject *args)
{
    RddObject *r;
    PyObject *spec;
    const char *how, *at;
    int n;
    ContextObject *c;
    struct rdd_arena *a;
    struct sql_agg *agg = NULL;
    struct rdd *s;

    (void)mod;
    if (!PyArg_ParseTuple(args, "O!siOs", &Rdd_Type, &r, &how, &n, &spec,
                          &at) || !(c = live_ctx(r)))
        return NULL;
    if (!strcmp(how, "range"))
        return rdd_wrap(c, rdd_sort_by_key_at(r->r, true, n, at));
    if (!(a = ctx_arena(c)) || !PyDict_Check(spec) || !(agg = agg_of(spec, a)))
        return PyErr_Occurred() ? NULL
               : PyErr_Format(PyExc_ValueError, "hash needs the aggregate");
    s = rdd_partition_by_at(r->r, agg->nparts, at);
    rdd_set_partitioner(s, sql_agg_partition, agg);
    return rdd_wrap(c, s);
}

/* A Python value of a flat SQL type as an engine value, and back. */
static PyObject *py_of(struct rdd_value v)
{
    switch (v.kind) {
    case RDD_NONE: Py_RETURN_NONE;
    case RDD_BOOL: return PyBool_FromLong(v.i != 0);
    case RDD_INT: return PyLong_FromLongLong(v.i);
    case RDD_FLOAT: return PyFloat_FromDouble(v.f);
    case RDD_STR:
        return PyUnicode_DecodeUTF8(v.s, v.len, "surrogateescape");
    default:
        PyErr_SetString(PyExc_TypeError, "not a flat SQL value");
        return NULL;
    }
}

static PyObject *text_result(struct rdd_buf *b)
{
    PyObject *o = PyUnicode_DecodeUTF8(b->s ? b->s : "", (Py_ssize_t)b->len,
                                       "surrogateescape");

    rdd_buf_free(b);
    return o;
}

/* show(rows, names, types, n, truncate, vertical) -> Spark's table */
static PyObject *m_show(PyObject *mod, PyObject *args)
{
    PyObject *rows, *names, *types, *o = NULL;
    int n, truncate, is_vertical, ncols = 0, nt = 0;
    struct rdd_arena *a = rdd_arena_new();
    struct rdd_buf b = { 0 };
    Py_ssize_t nrows;

    (void)mod;
    if (!PyArg_ParseTuple(args, "OOOiip", &rows, &names, &types, &n,
                          &truncate, &is_vertical))
        goto out;
    nrows = PySequence_Size(rows);
    ncols = (int)PySequence_Size(names);
    const char **name = rdd_alloc(a, (size_t)(ncols + 1) * sizeof(*name));
    struct rdd_value *row = rdd_alloc(a, (size_t)(nrows + 1) * sizeof(*row));
    enum sql_type *type = types_of(types, a, &nt);
    bool ok = nrows >= 0 && ncols >= 0 && type && nt == ncols;
    for (int i = 0; ok && i < ncols; i++) {
        PyObject *s = PySequence_GetItem(names, i);
        name[i] = s ? text_of(s, a, &ok) : NULL;
        ok = ok && name[i];
        Py_XDECREF(s);
    }
    for (Py_ssize_t r = 0; ok && r < nrows; r++) {
        PyObject *t = PySequence_GetItem(rows, r);
        row[r] = rdd_tuple(a, (uint32_t)ncols);
        for (int i = 0; t && ok && i < ncols; i++) {
            PyObject *x = PySequence_GetItem(t, i);
            ok = x && literal_of(x, a, &row[r].items[i]) == 0;
            Py_XDECREF(x);
        }
        ok = ok && t;
        Py_XDECREF(t);
    }
    if (ok) {
        sql_show(&b, name, ncols, type, row, (size_t)nrows, n, truncate,
                 is_vertical);
        o = text_result(&b);
    } else if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_TypeError, "show(rows, names, types, n, ...)");
    }
out:
    rdd_arena_free(a);
    return o;
}

/* cell(value, type): the value as show() writes it */
static PyObject *m_cell(PyObject *mod, PyObject *args)
{
    PyObject *v;
    int t;
    struct rdd_arena *a = rdd_arena_new();
    struct rdd_value x;
    struct rdd_buf b = { 0 };
    PyObject *o = NULL;

    (void)mod;
    if (PyArg_ParseTuple(args, "Oi", &v, &t) && literal_of(v, a, &x) == 0) {
        sql_cell(&b, x, (enum sql_type)t);
        o = text_result(&b);
    }
    rdd_arena_free(a);
    return o;
}

/* cast(value, from, to): CAST as Spark without ANSI mode */
static PyObject *m_cast(PyObject *mod, PyObject *args)
{
    PyObject *v, *o = NULL;
    int from, to;
    struct rdd_arena *a = rdd_arena_new();
    struct rdd_value x;

    (void)mod;
    if (PyArg_ParseTuple(args, "Oii", &v, &from, &to) &&
        literal_of(v, a, &x) == 0)
        o = py_of(sql_cast(x, (enum sql_type)from, (enum sql_type)to, a));
    rdd_arena_free(a);
    return o;
}

static PyObject *m_like(PyObject *mod, PyObject *args)
{
    const char *s, *p;
    Py_ssize_t n, m;

    (void)mod;
    if (!PyArg_ParseTuple(args, "s#s#", &s, &n, &p, &m))
        return NULL;
    return PyBool_FromLong(sql_like(s, (size_t)n, p, (size_t)m));
}

static PyObject *m_merge_type(PyObject *mod, PyObject *args)
{
    int x, y;

    (void)mod;
    if (!PyArg_ParseTuple(args, "ii", &x, &y))
        return NULL;
    return PyLong_FromLong(sql_csv_merge((enum sql_type)x,
                                         (enum sql_type)y));
}

/* hash(values, types): Spark's hash() of a row (murmur3, seed 42) */
static PyObject *m_hash(PyObject *mod, PyObject *args)
{
    PyObject *values, *types, *o = NULL;
    struct rdd_arena *a = rdd_arena_new();
    int32_t h = 42;
    int nt;
    enum sql_type *t;
    Py_ssize_t n;

    (void)mod;
    if (PyArg_ParseTuple(args, "OO", &values, &types) &&
        (t = types_of(types, a, &nt)) &&
        (n = PySequence_Size(values)) == nt) {
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *x = PySequence_GetItem(values, i);
            struct rdd_value v;
            int rc = x ? literal_of(x, a, &v) : -1;
            Py_XDECREF(x);
            if (rc < 0)
                goto out;
            h = sql_murmur3_value(v, t[i], h);
        }
        o = PyLong_FromLong(h);
    }
out:
    rdd_arena_free(a);
    return o;
}

static PyMethodDef methods[] = {
    { "stage", m_stage, METH_VARARGS,
      "stage(rdd, description, what, at): a stage of a query, in C" },
    { "exchange", m_exchange, METH_VARARGS,
      "exchange(rdd, 'hash' or 'range', n, aggregate, at): a shuffle" },
    { "show", m_show, METH_VARARGS,
      "show(rows, names, types, n, truncate, vertical): Spark's table" },
    { "cell", m_cell, METH_VARARGS, "cell(value, type): show()'s text" },
    { "cast", m_cast, METH_VARARGS, "cast(value, from, to): Spark's CAST" },
    { "like", m_like, METH_VARARGS, "like(s, pattern): SQL's LIKE" },
    { "merge_type", m_merge_type, METH_VARARGS,
      "merge_type(a, b): inferSchema's merge of two partitions' types" },
    { "hash", m_hash, METH_VARARGS, "hash(values, types): Spark's hash()" },
    { NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pardemo_sql",
    "pardemo's DataFrame engine (lib/sql), for pyspark.sql", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__pardemo_sql(void)
{
    PyObject *m = PyModule_Create(&module), *types = PyDict_New();

    for (int t = 0; m && types && t < SQL_NTYPES; t++) {
        PyObject *code = PyLong_FromLong(t);
        if (!code || PyDict_SetItemString(types, sql_type_name(t), code) < 0)
            Py_CLEAR(types);
        Py_XDECREF(code);
    }
    if (!m || !types || PyModule_AddObject(m, "TYPES", types) < 0) {
        Py_XDECREF(types);
        Py_XDECREF(m);
        return NULL;
    }
    return m;
}
