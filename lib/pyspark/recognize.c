/* recognize.c - Python functions the engine runs in C, with the same
 * result. `lambda w: (w, 1)`, `lambda a, b: a + b` (or operator.add),
 * `lambda line: line.split()` (or str.split), `.split(" ")` and len are
 * recognised by their bytecode: compiled by this interpreter, the same
 * lambda has the same code, whatever its argument is called. The C
 * version answers only where its answer is Python's (ints that do not
 * overflow, a str to split); anything else calls the Python function.
 * Notice word count: with all three recognised, no Python runs at all.
 */
#include "binding.h"
#include "words.h"

#include <string.h>

/* The reference lambdas, compiled once per context. */
static const char templates[] =
    "add = lambda a, b: a + b\n"
    "with_one = lambda w: (w, 1)\n"
    "split = lambda s: s.split()\n"
    "split_sep = lambda s: s.split(' ')\n"
    "from _operator import add as operator_add\n"  /* operator's add */
    "str_split = str.split\n"
    "builtin_len = len\n";

int recognize_init(ContextObject *c)
{
    PyObject *g = PyDict_New(), *r;

    if (!g || PyDict_SetItemString(g, "__builtins__",
                                   PyEval_GetBuiltins()) < 0)
        return -1;
    r = PyRun_String(templates, Py_file_input, g, g);
    if (!r) {
        Py_DECREF(g);
        return -1;
    }
    Py_DECREF(r);
    c->templates = g;
    return 0;
}

enum { SHAPE_FLAGS = CO_VARARGS | CO_VARKEYWORDS | CO_GENERATOR |
                     CO_COROUTINE | CO_ASYNC_GENERATOR |
                     CO_ITERABLE_COROUTINE };

/* Does fn have the template's code? A str constant may differ (the
 * separator): *param is then fn's (borrowed). */
static bool same_code(PyObject *fn, PyObject *tmpl, PyObject **param)
{
    PyCodeObject *a, *b;
    PyObject *ca, *cb;
    bool same;

    if (!PyFunction_Check(fn) || !tmpl || PyFunction_GET_CLOSURE(fn))
        return false;
    a = (PyCodeObject *)PyFunction_GET_CODE(fn);
    b = (PyCodeObject *)PyFunction_GET_CODE(tmpl);
    if (a->co_argcount != b->co_argcount || a->co_kwonlyargcount ||
        a->co_posonlyargcount != b->co_posonlyargcount ||
        (a->co_flags & SHAPE_FLAGS) != (b->co_flags & SHAPE_FLAGS) ||
        PyTuple_GET_SIZE(a->co_consts) != PyTuple_GET_SIZE(b->co_consts) ||
        PyObject_RichCompareBool(a->co_names, b->co_names, Py_EQ) != 1)
        return false;
    ca = PyCode_GetCode(a);
    cb = PyCode_GetCode(b);
    same = ca && cb && PyObject_RichCompareBool(ca, cb, Py_EQ) == 1;
    Py_XDECREF(ca);
    Py_XDECREF(cb);
    for (Py_ssize_t i = 0; same && i < PyTuple_GET_SIZE(a->co_consts); i++) {
        PyObject *x = PyTuple_GET_ITEM(a->co_consts, i);
        PyObject *y = PyTuple_GET_ITEM(b->co_consts, i);
        if (Py_TYPE(x) != Py_TYPE(y))       /* 1 is not True, not 1.0 */
            same = false;
        else if (PyUnicode_CheckExact(x) && param)
            *param = x;
        else
            same = PyObject_RichCompareBool(x, y, Py_EQ) == 1;
    }
    PyErr_Clear();
    return same;
}

enum fast_kind fast_kind_of(ContextObject *c, PyObject *fn, PyObject **sep)
{
    PyObject *t = c->templates;

    *sep = NULL;
    if (!t)
        return FAST_NONE;
    /* the built-in functions themselves, by identity */
    if (fn == PyDict_GetItemString(t, "operator_add"))
        return FAST_ADD;
    if (fn == PyDict_GetItemString(t, "str_split"))
        return FAST_SPLIT;
    if (fn == PyDict_GetItemString(t, "builtin_len"))
        return FAST_LEN;
    if (!PyFunction_Check(fn))
        return FAST_NONE;
    if (same_code(fn, PyDict_GetItemString(t, "add"), NULL))
        return FAST_ADD;
    if (same_code(fn, PyDict_GetItemString(t, "with_one"), NULL))
        return FAST_WITH_ONE;
    if (same_code(fn, PyDict_GetItemString(t, "split"), NULL))
        return FAST_SPLIT;
    if (same_code(fn, PyDict_GetItemString(t, "split_sep"), sep) && *sep &&
        PyUnicode_GET_LENGTH(*sep) > 0)
        return FAST_SPLIT_SEP;
    return FAST_NONE;
}

/* ---- the C versions, each with its Python function behind it */

struct split_fn {
    struct pyfn *py;
    const char *sep;            /* NULL: Python's whitespace */
    size_t seplen;
};

static void split_flat(struct rdd_value x, struct rdd_sink *out, void *ctx)
{
    const struct split_fn *s = ctx;
    const char *p = x.s, *end = x.s + x.len, *hit;
    struct words w;
    size_t at, len;

    if (x.kind != RDD_STR) {    /* bytes, an object: Python's split */
        pyfn_flat(x, out, s->py);
        return;
    }
    if (!s->sep) {
        words_init(&w, x.s, x.len);
        while (words_next(&w, &at, &len))
            rdd_emit(out, rdd_str(x.s + at, len));
        return;
    }
    while ((hit = x.len ? memmem(p, (size_t)(end - p), s->sep, s->seplen)
                        : NULL)) {
        rdd_emit(out, rdd_str(p, (size_t)(hit - p)));
        p = hit + s->seplen;
    }
    rdd_emit(out, rdd_str(p, (size_t)(end - p)));   /* "".split(",") */
}

static struct rdd_value len_map(struct rdd_value x, struct rdd_arena *a,
                                void *ctx)
{
    switch (x.kind) {
    case RDD_LIST: case RDD_TUPLE: case RDD_DICT:
        return rdd_int(x.len);
    case RDD_STR:               /* ASCII: one character per byte */
        for (uint32_t i = 0; i < x.len; i++)
            if ((unsigned char)x.s[i] >= 0x80)
                return pyfn_map(x, a, ctx);
        return rdd_int(x.len);
    default:
        return pyfn_map(x, a, ctx);
    }
}

struct rdd *fast_map(ContextObject *c, struct rdd *r, PyObject *fn,
                     const char *what, const char *at)
{
    PyObject *sep;
    enum fast_kind k = fast_kind_of(c, fn, &sep);
    bool is_flat = !strcmp(what, "flatMap");
    struct pyfn *py;
    struct split_fn *s;

    if (k == FAST_NONE || (is_flat != (k == FAST_SPLIT ||
                                       k == FAST_SPLIT_SEP)) ||
        k == FAST_ADD)
        return NULL;
    if (!(py = pyfn_new(c, fn)))
        return NULL;
    if (k == FAST_WITH_ONE)
        return rdd_map_at(r, rdd_with_one, NULL, at);
    if (k == FAST_LEN)
        return rdd_map_at(r, len_map, py, at);
    if (!(s = ctx_alloc(c, sizeof(*s))))
        return NULL;
    s->py = py;
    if (k == FAST_SPLIT_SEP) {
        Py_ssize_t n;
        s->sep = PyUnicode_AsUTF8AndSize(sep, &n);  /* lives in fn's code */
        s->seplen = (size_t)n;
    }
    return rdd_flat_map_at(r, split_flat, s, at);
}
