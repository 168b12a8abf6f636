/* convert.c - Python objects as engine values, and back.
 * None, bool, int (64 bits), float, str, tuple, list and dict become the
 * engine's own kinds, so the engine can hash, compare, combine and sort
 * them in C; anything else (a set, a big int, a ResultIterable, your own
 * class) crosses as a pickle (RDD_OBJ), as PySpark moves every record.
 * Notice that a value is copied at the boundary, as PySpark copies it.
 */
#include "binding.h"

#include <string.h>

/* Deeper than this, a value crosses as one pickle: pickle keeps a list
 * that holds itself, and says RecursionError when nesting runs deep. */
enum { MAX_DEPTH = 32 };

static PyObject *items_to_py(ContextObject *c, struct rdd_value v)
{
    uint32_t i;
    PyObject *o;

    if (v.kind == RDD_DICT) {
        if (!(o = PyDict_New()))
            return NULL;
        for (i = 0; i < v.len; i++) {
            PyObject *k = value_to_py(c, v.items[2 * i]);
            PyObject *x = k ? value_to_py(c, v.items[2 * i + 1]) : NULL;
            if (!x || PyDict_SetItem(o, k, x) < 0) {
                Py_XDECREF(k);
                Py_XDECREF(x);
                Py_DECREF(o);
                return NULL;
            }
            Py_DECREF(k);
            Py_DECREF(x);
        }
        return o;
    }
    o = v.kind == RDD_TUPLE ? PyTuple_New(v.len) : PyList_New(v.len);
    for (i = 0; o && i < v.len; i++) {
        PyObject *x = value_to_py(c, v.items[i]);
        if (!x) {
            Py_DECREF(o);
            return NULL;
        }
        if (v.kind == RDD_TUPLE)
            PyTuple_SET_ITEM(o, i, x);
        else
            PyList_SET_ITEM(o, i, x);
    }
    return o;
}

int pickle_ready(ContextObject *c)
{
    PyObject *pickle;

    if (c->dumps)
        return 0;
    if (!(pickle = PyImport_ImportModule("_pickle")))
        return -1;
    c->loads = PyObject_GetAttrString(pickle, "loads");
    c->dumps = c->loads ? PyObject_GetAttrString(pickle, "dumps") : NULL;
    Py_DECREF(pickle);
    if (!c->dumps)
        Py_CLEAR(c->loads);
    return c->dumps ? 0 : -1;
}

PyObject *value_to_py(ContextObject *c, struct rdd_value v)
{
    PyObject *b, *o;

    switch (v.kind) {
    case RDD_NONE:  Py_RETURN_NONE;
    case RDD_INT:   return PyLong_FromLongLong(v.i);
    case RDD_BOOL:  return PyBool_FromLong(v.i != 0);
    case RDD_FLOAT: return PyFloat_FromDouble(v.f);
    case RDD_STR:
        /* the bytes of a file that are not UTF-8 survive the round trip
         * (surrogateescape), as the engine's hash of them assumes */
        return PyUnicode_DecodeUTF8(v.s, v.len, "surrogateescape");
    case RDD_OBJ:
        if (!(b = PyBytes_FromStringAndSize(v.s, v.len)))
            return NULL;
        o = pickle_ready(c) == 0 ? PyObject_CallOneArg(c->loads, b) : NULL;
        Py_DECREF(b);
        return o;
    default:
        return items_to_py(c, v);
    }
}

static int copy_bytes(struct rdd_arena *a, const char *s, Py_ssize_t n,
                      enum rdd_kind kind, struct rdd_value *out)
{
    char *copy = rdd_alloc(a, (size_t)n + 1);

    memcpy(copy, s, (size_t)n);
    copy[n] = '\0';
    *out = (struct rdd_value){ .kind = kind, .len = (uint32_t)n, .s = copy };
    return 0;
}

static int str_from_py(PyObject *o, struct rdd_arena *a,
                       struct rdd_value *out)
{
    Py_ssize_t n;
    const char *s;
    PyObject *b;
    int rc;

    if (PyUnicode_IS_ASCII(o))
        return copy_bytes(a, PyUnicode_DATA(o), PyUnicode_GET_LENGTH(o),
                          RDD_STR, out);
    if ((s = PyUnicode_AsUTF8AndSize(o, &n)))
        return copy_bytes(a, s, n, RDD_STR, out);
    PyErr_Clear();              /* lone surrogates: bytes that were not
                                   UTF-8 in the input, put back */
    if (!(b = PyUnicode_AsEncodedString(o, "utf-8", "surrogateescape")))
        return -1;
    rc = copy_bytes(a, PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b), RDD_STR,
                    out);
    Py_DECREF(b);
    return rc;
}

static int pickled(ContextObject *c, PyObject *o, struct rdd_arena *a,
                   struct rdd_value *out)
{
    PyObject *b = pickle_ready(c) == 0 ? PyObject_CallOneArg(c->dumps, o)
                                       : NULL;
    int rc;

    if (!b)
        return -1;
    rc = copy_bytes(a, PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b), RDD_OBJ,
                    out);
    Py_DECREF(b);
    return rc;
}

/* 1: too deep for the engine's kinds (the caller pickles the whole). */
static int from_py(ContextObject *c, PyObject *o, struct rdd_arena *a,
                   struct rdd_value *out, int depth);

static int seq_from_py(ContextObject *c, PyObject *o, struct rdd_arena *a,
                       struct rdd_value *out, int depth)
{
    bool is_dict = PyDict_CheckExact(o);
    Py_ssize_t n = is_dict ? PyDict_GET_SIZE(o) : PySequence_Fast_GET_SIZE(o);
    Py_ssize_t i = 0, k = 0;
    PyObject *key, *val;
    int rc = 0;

    if (n > (Py_ssize_t)UINT32_MAX / 2) {
        PyErr_SetString(PyExc_OverflowError, "too many items for one record");
        return -1;
    }
    *out = is_dict ? rdd_list(a, (uint32_t)(2 * n))
                   : PyTuple_CheckExact(o) ? rdd_tuple(a, (uint32_t)n)
                                           : rdd_list(a, (uint32_t)n);
    if (is_dict) {
        out->kind = RDD_DICT;
        out->len = (uint32_t)n;
        while (rc == 0 && PyDict_Next(o, &i, &key, &val) && k < n) {
            rc = from_py(c, key, a, &out->items[2 * k], depth + 1);
            if (rc == 0)
                rc = from_py(c, val, a, &out->items[2 * k + 1], depth + 1);
            k++;
        }
        return rc;
    }
    for (i = 0; rc == 0 && i < n; i++)
        rc = from_py(c, PySequence_Fast_GET_ITEM(o, i), a, &out->items[i],
                     depth + 1);
    return rc;
}

static int from_py(ContextObject *c, PyObject *o, struct rdd_arena *a,
                   struct rdd_value *out, int depth)
{
    int overflow;

    if (o == Py_None) {
        *out = rdd_none();
    } else if (PyBool_Check(o)) {
        *out = rdd_bool(o == Py_True);
    } else if (PyLong_CheckExact(o)) {
        long long i = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow)           /* past 64 bits: Python's own int */
            return pickled(c, o, a, out);
        *out = rdd_int(i);
    } else if (PyFloat_CheckExact(o)) {
        *out = rdd_float(PyFloat_AS_DOUBLE(o));
    } else if (PyUnicode_CheckExact(o)) {
        return str_from_py(o, a, out);
    } else if (PyTuple_CheckExact(o) || PyList_CheckExact(o) ||
               PyDict_CheckExact(o)) {
        if (depth >= MAX_DEPTH)
            return 1;
        return seq_from_py(c, o, a, out, depth);
    } else {
        return pickled(c, o, a, out);
    }
    return 0;
}

int value_from_py(ContextObject *c, PyObject *o, struct rdd_arena *a,
                  struct rdd_value *out)
{
    int rc = from_py(c, o, a, out, 0);

    if (rc > 0)
        return pickled(c, o, a, out);
    return rc;
}
