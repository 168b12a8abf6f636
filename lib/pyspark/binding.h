/* binding.h - the insides of the `_pardemo` module, shared by the files
 * of lib/pyspark: the context object, values across the boundary, and
 * Python functions as the engine's callbacks.
 */
#ifndef BINDING_H
#define BINDING_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "rdd/rdd.h"

/* sc's engine side: the C context, and what its callbacks need. One
 * per SparkContext; a forked worker has its own copy. */
typedef struct {
    PyObject_HEAD
    struct rdd_context *sc;
    PyObject *keep;             /* what the engine's RDDs point to */
    PyObject *dumps, *loads;    /* pickle's, for RDD_OBJ values (or NULL:
                                   imported at first use) */
    PyObject *on_task;          /* Python: task_failed, accumulators */
    PyObject *templates;        /* recognize.c's reference functions */
    struct rdd_obj_ops ops;
    struct rdd_procs procs;
    bool is_worker;             /* in a forked worker process */
    bool is_failed;             /* this task (or driver call) failed */
    char *task_error;           /* worker: the failure, formatted */
    PyObject *driver_exc;       /* driver: the exception to raise */
    int explained_procs;        /* worker processes --explain has shown */
} ContextObject;

/* One of sc's RDDs: the engine's node, and the context it lives in. */
typedef struct {
    PyObject_HEAD
    ContextObject *ctx;
    struct rdd *r;
} RddObject;

/* r as a Python object (an Rdd), or NULL with the action's error raised
 * when r is NULL (engine.c). */
PyObject *rdd_wrap(ContextObject *c, struct rdd *r);

/* ---- values (convert.c) */

/* v as a new Python object; NULL with an exception set. */
PyObject *value_to_py(ContextObject *c, struct rdd_value v);
/* pickle's dumps and loads in c, imported at first use (not at start:
 * `pardemo spark -c` starts faster without them): 0, or -1 with an
 * exception set. */
int pickle_ready(ContextObject *c);
/* o as an engine value in a (objects the engine has no kind for are
 * pickled); 0, or -1 with an exception set. */
int value_from_py(ContextObject *c, PyObject *o, struct rdd_arena *a,
                  struct rdd_value *out);

/* ---- failures (tasks.c) */

/* A Python call made by an engine callback failed (the exception is
 * set; elem, if not NULL, is the record it was given): in a worker the
 * task fails with PySpark's report, on the driver the exception is kept
 * for the action to raise. Later calls of the task are skipped. */
void task_failed(ContextObject *c, PyObject *elem);
/* After an engine call on the driver: NULL (and the exception raised)
 * when it failed, else Py_None. rc is the engine's return code. */
PyObject *job_outcome(ContextObject *c, int rc, const char *what);

/* ---- Python functions as engine callbacks (tasks.c) */

/* A Python function the engine calls, kept alive by c->keep. */
struct pyfn {
    ContextObject *c;
    PyObject *fn;
    struct rdd_fallback fallback;   /* rdd_add's, when fn is + */
    int64_t modulo;             /* partitionFunc: the partition count */
};
struct pyfn *pyfn_new(ContextObject *c, PyObject *fn);
/* n zeroed bytes that live as long as the context (c->keep holds
 * them); NULL with MemoryError. */
void *ctx_alloc(ContextObject *c, size_t n);
struct rdd_value pyfn_map(struct rdd_value x, struct rdd_arena *a,
                          void *ctx);
struct rdd_value pyfn_reduce(struct rdd_value x, struct rdd_value y,
                             struct rdd_arena *a, void *ctx);
void pyfn_flat(struct rdd_value x, struct rdd_sink *out, void *ctx);
bool pyfn_filter(struct rdd_value x, void *ctx);
int64_t pyfn_partition(struct rdd_value key, void *ctx);
/* A Python pipeline func(partition, iterator) -> iterable (OP_PIPE). */
void pyfn_pipe(struct rdd_source *in, int partition, struct rdd_sink *out,
               void *ctx);
/* Python's hash, ==, < and unpacking for the engine (rdd_obj_ops). */
void obj_ops_init(ContextObject *c);
/* The hooks of worker processes (rdd_procs). */
void procs_init(ContextObject *c);
int tasks_ready(void);          /* PyType_Ready of the source iterator */

/* ---- functions the engine runs in C (recognize.c) */

enum fast_kind {
    FAST_NONE,
    FAST_ADD,                   /* operator.add, lambda a, b: a + b */
    FAST_WITH_ONE,              /* lambda w: (w, 1) */
    FAST_SPLIT,                 /* lambda s: s.split(), str.split */
    FAST_SPLIT_SEP,             /* lambda s: s.split(" ") */
    FAST_LEN,                   /* len */
};
/* What fn is, if the engine can run it with Python's exact result;
 * *sep: the separator of FAST_SPLIT_SEP (borrowed). */
enum fast_kind fast_kind_of(ContextObject *c, PyObject *fn, PyObject **sep);
/* Makes the reference lambdas fast_kind_of compares code with. */
int recognize_init(ContextObject *c);
/* An engine node running fn in C (a Python fallback where C cannot give
 * Python's answer), or NULL when fn is not recognised. */
struct rdd *fast_map(ContextObject *c, struct rdd *r, PyObject *fn,
                     const char *what, const char *at);

/* ---- lambdas of int arithmetic the engine runs in C (intcode.c) */

/* A map or filter node running fn's int arithmetic in C (Python where C
 * cannot answer as Python), or NULL when fn is not such a lambda. */
struct rdd *int_node(ContextObject *c, struct rdd *r, PyObject *fn,
                     const char *what, const char *at);
/* fn of two arguments as such a reduce callback; false if it is not. */
bool int_reducer(ContextObject *c, PyObject *fn, rdd_reduce_fn *cf,
                 void **cctx);
/* Is fn such a lambda of nargs arguments? */
bool is_int_lambda(ContextObject *c, PyObject *fn, int nargs);

/* ---- the modules: the engine (engine.c), DataFrames' (frame.c) */
PyMODINIT_FUNC PyInit__pardemo(void);
PyMODINIT_FUNC PyInit__pardemo_sql(void);
extern PyTypeObject Context_Type, Rdd_Type;

#endif
