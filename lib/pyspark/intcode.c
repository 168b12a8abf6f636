/* intcode.c - lambdas of int arithmetic, run by the engine in C.
 * `lambda x: x * x` or `lambda x: x % 3 == 0` is a few bytecodes: load an
 * argument, load an int constant, +, -, *, //, %, a comparison, not,
 * return. Read from the function's own bytecode, such a lambda becomes a
 * tiny stack program the engine runs on 64-bit ints; Python's rules
 * (floor division, the sign of %) are kept, and where C could not give
 * Python's answer -- an argument that is not an int, a result past 64
 * bits, a division by zero -- the Python function runs instead.
 * Notice map(x * x).filter(x % 3 == 0).reduce(+): no Python runs at all.
 */
#include "binding.h"

#include <opcode.h>
#include <string.h>

enum { MAX_INS = 48, MAX_STACK = 16 };

enum iop { I_ARG, I_CONST, I_ADD, I_SUB, I_MUL, I_FLOORDIV, I_MOD, I_NEG,
           I_NOT, I_CMP };

struct intcode {
    int nargs, n;
    struct { uint8_t op, arg; int64_t k; } ins[MAX_INS];
    struct pyfn *py;            /* the function itself: the fallback */
};

static int binary_op(int oparg)
{
    switch (oparg) {
    case NB_ADD:          return I_ADD;
    case NB_SUBTRACT:     return I_SUB;
    case NB_MULTIPLY:     return I_MUL;
    case NB_FLOOR_DIVIDE: return I_FLOORDIV;
    case NB_REMAINDER:    return I_MOD;
    default:              return -1;
    }
}

/* One instruction into p: false when the lambda is not int arithmetic.
 * *depth tracks the stack the program needs. */
static bool add_ins(struct intcode *p, PyCodeObject *code, int op, int arg,
                    int *depth)
{
    int kind = -1, pops = 0, pushes = 1, overflow;
    int64_t k = 0;

    switch (op) {
    case LOAD_FAST:
        kind = I_ARG;
        if (arg >= p->nargs)
            return false;       /* a local, not an argument */
        break;
    case LOAD_CONST: {
        PyObject *c = PyTuple_GET_ITEM(code->co_consts, arg);
        if (!PyLong_CheckExact(c))      /* not True, not 1.0, not 'a' */
            return false;
        k = PyLong_AsLongLongAndOverflow(c, &overflow);
        if (overflow || PyErr_Occurred()) {
            PyErr_Clear();
            return false;
        }
        kind = I_CONST;
        break;
    }
    case BINARY_OP:       kind = binary_op(arg); pops = 2; break;
    case UNARY_NEGATIVE:  kind = I_NEG; pops = 1; break;
    case UNARY_NOT:       kind = I_NOT; pops = 1; break;
    case COMPARE_OP:      kind = arg <= Py_GE ? I_CMP : -1; pops = 2; break;
    default:              return false;
    }
    if (kind < 0 || p->n == MAX_INS || *depth < pops ||
        (*depth += pushes - pops) > MAX_STACK)
        return false;
    p->ins[p->n].op = (uint8_t)kind;
    p->ins[p->n].arg = (uint8_t)arg;
    p->ins[p->n].k = k;
    p->n++;
    return true;
}

/* fn's bytecode as an int program in *p, or false. */
static bool compile_int(PyObject *fn, struct intcode *p)
{
    PyCodeObject *code;
    PyObject *bytes;
    const unsigned char *b;
    Py_ssize_t n, i;
    int depth = 0;
    bool ok = true, is_done = false;

    if (!PyFunction_Check(fn) || PyFunction_GET_CLOSURE(fn))
        return false;
    code = (PyCodeObject *)PyFunction_GET_CODE(fn);
    if (code->co_argcount < 1 || code->co_argcount > 2 ||
        code->co_kwonlyargcount || (code->co_flags & (CO_VARARGS |
        CO_VARKEYWORDS | CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)))
        return false;
    if (!(bytes = PyCode_GetCode(code)))
        return false;
    memset(p, 0, sizeof(*p));
    p->nargs = code->co_argcount;
    b = (const unsigned char *)PyBytes_AS_STRING(bytes);
    n = PyBytes_GET_SIZE(bytes);
    for (i = 0; ok && i + 1 < n; i += 2) {
        int op = b[i], arg = b[i + 1];
        if (op == CACHE || op == RESUME)
            continue;
        if (op == RETURN_VALUE) {
            is_done = depth == 1;
            break;
        }
        ok = add_ins(p, code, op, arg, &depth);
    }
    Py_DECREF(bytes);
    return ok && is_done;
}

/* Python's floor division and modulo, false where C's would differ
 * (zero, INT64_MIN / -1). */
static bool floor_divmod(int64_t a, int64_t b, bool is_mod, int64_t *out)
{
    int64_t q, r;

    if (b == 0 || (a == INT64_MIN && b == -1 && !is_mod))
        return false;
    if (b == -1) {
        *out = is_mod ? 0 : -a;
        return true;
    }
    q = a / b;
    r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) {   /* toward minus infinity */
        q--;
        r += b;
    }
    *out = is_mod ? r : q;
    return true;
}

static bool compare(int op, int64_t a, int64_t b)
{
    switch (op) {
    case Py_LT: return a < b;
    case Py_LE: return a <= b;
    case Py_EQ: return a == b;
    case Py_NE: return a != b;
    case Py_GT: return a > b;
    default:    return a >= b;
    }
}

/* Runs p on args; false when Python must answer instead. A value is an
 * int or a bool (a comparison's, not's): *is_bool says which. */
static bool run(const struct intcode *p, const int64_t *args, int64_t *out,
                bool *is_bool)
{
    int64_t s[MAX_STACK];
    bool sb[MAX_STACK];
    int top = 0;

    for (int i = 0; i < p->n; i++) {
        int op = p->ins[i].op;
        int64_t a = top >= 2 ? s[top - 2] : 0, b = top ? s[top - 1] : 0, r;
        bool ok = true;
        switch (op) {
        case I_ARG:   s[top] = args[p->ins[i].arg]; sb[top++] = false; continue;
        case I_CONST: s[top] = p->ins[i].k; sb[top++] = false; continue;
        case I_NEG:   ok = b != INT64_MIN; s[top - 1] = -b; sb[top - 1] = false;
                      break;
        case I_NOT:   s[top - 1] = b == 0; sb[top - 1] = true; break;
        case I_CMP:   s[top - 2] = compare(p->ins[i].arg, a, b);
                      sb[--top - 1] = true; break;
        case I_ADD:   ok = !__builtin_add_overflow(a, b, &r); break;
        case I_SUB:   ok = !__builtin_sub_overflow(a, b, &r); break;
        case I_MUL:   ok = !__builtin_mul_overflow(a, b, &r); break;
        default:      ok = floor_divmod(a, b, op == I_MOD, &r); break;
        }
        if (!ok)
            return false;
        if (op >= I_ADD && op <= I_MOD) {
            s[top - 2] = r;
            sb[--top - 1] = false;
        }
    }
    *out = s[0];
    *is_bool = sb[0];
    return true;
}

static bool int_args(const struct rdd_value *v, int n, int64_t *args)
{
    for (int i = 0; i < n; i++) {
        if (v[i].kind != RDD_INT)       /* True is not 1 to `lambda x: x` */
            return false;
        args[i] = v[i].i;
    }
    return true;
}

static struct rdd_value int_map(struct rdd_value x, struct rdd_arena *a,
                                void *ctx)
{
    const struct intcode *p = ctx;
    int64_t arg, r;
    bool is_bool;

    if (int_args(&x, 1, &arg) && run(p, &arg, &r, &is_bool))
        return is_bool ? rdd_bool(r != 0) : rdd_int(r);
    return pyfn_map(x, a, p->py);
}

static bool int_filter(struct rdd_value x, void *ctx)
{
    const struct intcode *p = ctx;
    int64_t arg, r;
    bool is_bool;

    if (int_args(&x, 1, &arg) && run(p, &arg, &r, &is_bool))
        return r != 0;
    return pyfn_filter(x, p->py);
}

static struct rdd_value int_reduce(struct rdd_value x, struct rdd_value y,
                                   struct rdd_arena *a, void *ctx)
{
    const struct intcode *p = ctx;
    struct rdd_value xy[2] = { x, y };
    int64_t args[2], r;
    bool is_bool;

    if (int_args(xy, 2, args) && run(p, args, &r, &is_bool))
        return is_bool ? rdd_bool(r != 0) : rdd_int(r);
    return pyfn_reduce(x, y, a, p->py);
}

/* An int program for fn of nargs arguments (kept by the context), or
 * NULL when fn is not one. */
static struct intcode *intcode_of(ContextObject *c, PyObject *fn, int nargs)
{
    struct intcode p, *q;

    if (!c->templates || !compile_int(fn, &p) || p.nargs != nargs ||
        !(q = ctx_alloc(c, sizeof(*q))))
        return NULL;
    *q = p;
    if (!(q->py = pyfn_new(c, fn)))
        return NULL;
    return q;
}

struct rdd *int_node(ContextObject *c, struct rdd *r, PyObject *fn,
                     const char *what, const char *at)
{
    struct intcode *p = intcode_of(c, fn, 1);

    if (!p)
        return NULL;
    if (!strcmp(what, "filter"))
        return rdd_filter_at(r, int_filter, p, at);
    if (!strcmp(what, "map"))
        return rdd_map_at(r, int_map, p, at);
    return NULL;
}

bool int_reducer(ContextObject *c, PyObject *fn, rdd_reduce_fn *cf,
                 void **cctx)
{
    struct intcode *p = intcode_of(c, fn, 2);

    if (!p)
        return false;
    *cf = int_reduce;
    *cctx = p;
    return true;
}

bool is_int_lambda(ContextObject *c, PyObject *fn, int nargs)
{
    struct intcode p;

    return c->templates && compile_int(fn, &p) && p.nargs == nargs;
}
