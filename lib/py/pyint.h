/* pyint.h - the insides of the Python subset: tokens, syntax tree,
 * values and the evaluator's state. Shared by the files of lib/py only. */
#ifndef PYINT_H
#define PYINT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "py.h"

/* ---- memory: a bump arena, freed all at once ---------------------- */
struct rdd_arena;
struct py_arena {
    struct chunk *head;
    char *at, *end;
    struct rdd_arena *ext;  /* inside an RDD task: allocate from the
                               engine's per-record scratch arena instead */
};
struct py_arena *pa_new(void);
void pa_reset(struct py_arena *a);      /* frees all but the newest chunk */
void pa_free(struct py_arena *a);
void *pa_alloc(struct py_arena *a, size_t n);
char *pa_strndup(struct py_arena *a, const char *s, size_t n);

/* ---- values --------------------------------------------------------- */
enum pk {
    PK_NONE, PK_BOOL, PK_INT, PK_FLOAT, PK_STR, PK_TUPLE, PK_LIST, PK_DICT,
    PK_FUNC, PK_BUILTIN, PK_METHOD, PK_MODULE, PK_RDD, PK_CTX, PK_RANGE,
    PK_SET,     /* a list without duplicates, shown {a, b} */
    PK_UNDEF,   /* a global not assigned yet */
};

struct pv {
    uint32_t kind;
    uint32_t len;           /* str: bytes; tuple: items */
    union {
        int64_t i;          /* int, bool */
        double f;
        const char *s;      /* str: a slice, not NUL-terminated */
        struct pv *items;   /* tuple */
        struct plist *list; /* list (mutable, shared by reference) */
        struct pdict *dict;
        struct pfunc *fn;
        const struct pbuiltin *bi;
        struct pmethod *m;
        struct prdd *rdd;
        const char *module; /* "operator", "sys" */
        struct prange *range;
    };
};

struct plist {
    struct pv *items;
    size_t n, cap;
};

struct pdict {              /* insertion-ordered; linear for small dicts */
    struct pv *keys, *vals;
    size_t n, cap;
    bool is_defaultdict;    /* countByKey's defaultdict(int), as printed */
};

struct prange {
    int64_t start, stop, step;
};

struct ectx;
typedef struct pv (*builtin_fn)(struct ectx *ex, struct pv self,
                                struct pv *args, int nargs,
                                const char **kwnames, struct pv *kwvals,
                                int nkw);

struct pbuiltin {
    const char *name;
    builtin_fn fn;
};

struct pmethod {            /* a bound method: "abc".split */
    struct pv self;
    const struct pbuiltin *bi;
};

/* ---- tokens --------------------------------------------------------- */
enum tk {
    T_END, T_NEWLINE, T_INDENT, T_DEDENT, T_NAME, T_INT, T_FLOAT, T_STR,
    T_OP,   /* operators and punctuation; text in tok.s */
};

struct token {
    enum tk kind;
    const char *s;          /* points into the source */
    size_t len;
    int line, col;          /* 1-based */
    int64_t i;
    double f;
    char *str;              /* T_STR: the decoded string (arena) */
    size_t str_len;
};

/* ---- syntax tree ------------------------------------------------------ */
enum nk {
    /* expressions */
    N_CONST, N_NAME, N_LOCAL, N_GLOBAL, N_TUPLE, N_LIST, N_DICT, N_BINOP,
    N_NEG, N_POS, N_NOT, N_AND, N_OR, N_COMPARE, N_IFEXP, N_LAMBDA, N_CALL,
    N_ATTR, N_INDEX, N_SLICE,
    /* statements */
    S_EXPR, S_ASSIGN, S_AUGASSIGN, S_RETURN, S_IF, S_FOR, S_WHILE, S_DEF,
    S_IMPORT, S_FROM, S_PASS, S_BREAK, S_CONTINUE, S_BLOCK,
};

struct cell {               /* a global binding, stable in memory */
    const char *name;
    struct pv v;
    struct cell *next;
};

struct code;

struct fninfo {             /* what a lambda or def knows of itself */
    const char *name;       /* "<lambda>" or the def's name */
    int nparams, nlocals;
    const char **locals;    /* params first */
    struct node *body;      /* an expression (lambda) or a block (def) */
    bool is_lambda;
    bool has_closure;       /* a lambda or def inside captures our frame */
    struct node **defaults; /* nparams entries, NULL where none */
    struct code *code;      /* the body compiled to closures (compile.c) */
    int int_result;         /* PK_INT or PK_BOOL: the body is arithmetic or
                               a comparison of int parameters and int
                               constants (py_int_eval); else 0 */
};

struct node {
    enum nk kind;
    int line, col;
    int op;                 /* operator: an OP_* code */
    struct pv cval;         /* N_CONST */
    const char *name;       /* N_NAME/N_ATTR/S_DEF/... */
    int depth, slot;        /* N_LOCAL: frames up, slot */
    struct cell *cell;      /* N_GLOBAL */
    struct node *a, *b, *c; /* operands, target/value, test/body/else */
    struct node **list;     /* elements, args, statements, compare ops */
    int n;
    const char **kwnames;   /* N_CALL keyword names (list[n - nkw..]) */
    int nkw;
    int *ops;               /* N_COMPARE: n - 1 operators */
    struct fninfo *fn;      /* N_LAMBDA, S_DEF */
};

enum {
    OP_ADD = 1, OP_SUB, OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD, OP_POW,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN, OP_IS,
    OP_IS_NOT,
};

/* ---- the evaluator -------------------------------------------------- */
struct pfunc {
    struct fninfo *info;
    struct frame *env;      /* the frame it was made in (closures) */
    struct pv *defaults;    /* evaluated defaults, nparams entries */
};

struct frame {
    struct frame *up;       /* the enclosing function's frame */
    struct pv *slot;
};

/* Exceptions as Python names them; raised = message set, unwinding. */
enum exc {
    E_NONE, E_SYNTAX, E_NAME, E_TYPE, E_VALUE, E_ATTRIBUTE, E_INDEX,
    E_KEY, E_ZERODIV, E_IMPORT, E_RUNTIME, E_RECURSION, E_OVERFLOW,
    E_STOP_RETURN,  /* not an error: a `return` unwinding to its call */
};

struct session_state;

struct ectx {
    struct py_arena *arena; /* where this evaluation allocates */
    struct py_session *s;
    enum exc exc;
    char msg[512];
    int line;               /* where it was raised */
    int depth;              /* call depth, for RecursionError */
    struct pv ret;          /* the value a `return` carries */
    bool is_break, is_continue;
    bool is_incomplete;     /* a SyntaxError only because input ended */
    const char *task_report;    /* a task failed: Spark's report of it,
                                   printed before the error line */
};

/* A fresh evaluation state. Not `= { ... }`: that would zero the
 * 512-byte message on every element a task evaluates. */
static inline void ectx_init(struct ectx *ex, struct py_arena *a,
                             struct py_session *s)
{
    ex->arena = a;
    ex->s = s;
    ex->exc = E_NONE;
    ex->msg[0] = '\0';
    ex->line = 0;
    ex->depth = 0;
    ex->is_break = ex->is_continue = ex->is_incomplete = false;
    ex->task_report = NULL;
}

/* Raise: sets ex->exc and message; returns a NONE value for `return
 * raise(...)` convenience. */
struct pv py_raise(struct ectx *ex, enum exc e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define FAILED(ex) ((ex)->exc != E_NONE)

static inline struct pv pv_none(void) { return (struct pv){ .kind = PK_NONE }; }
static inline struct pv pv_int(int64_t i) { return (struct pv){ .kind = PK_INT, .i = i }; }
static inline struct pv pv_bool(bool b) { return (struct pv){ .kind = PK_BOOL, .i = b }; }
static inline struct pv pv_float(double f) { return (struct pv){ .kind = PK_FLOAT, .f = f }; }
static inline struct pv pv_str(const char *s, size_t n)
{
    return (struct pv){ .kind = PK_STR, .len = (uint32_t)n, .s = s };
}

/* values.c */
const char *pv_type_name(struct pv v);
bool pv_truthy(struct pv v);
bool pv_equal(struct pv a, struct pv b);
/* <0, 0, >0; sets TypeError for unorderable types (like Python 3). */
int pv_compare(struct ectx *ex, struct pv a, struct pv b);
struct pv pv_tuple(struct ectx *ex, int n);
struct pv pv_list(struct ectx *ex, size_t cap);
void pv_list_push(struct ectx *ex, struct pv list, struct pv v);
struct pv pv_dict(struct ectx *ex);
struct pv *pv_dict_get(struct pv d, struct pv key);
void pv_dict_set(struct ectx *ex, struct pv d, struct pv key, struct pv v);
uint64_t pv_hash(struct pv v);
/* Python's repr()/str() appended to a growing string. */
struct sbuf {
    char *s;
    size_t len, cap;
};
void sb_add(struct sbuf *b, const char *s, size_t n);
void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pv_repr(struct sbuf *b, struct pv v);
void pv_str_of(struct sbuf *b, struct pv v);
/* Items of an iterable as an array (a list's items, a tuple's, a str's
 * characters, a range's numbers, a dict's keys); NULL + TypeError if not
 * iterable. */
struct pv *pv_iter_items(struct ectx *ex, struct pv v, size_t *n);

/* lex.c / parse.c */
struct parser;
/* Parses src into a block of statements; names resolved against the
 * session's globals. NULL with a SyntaxError in ex. */
struct node *py_parse(struct ectx *ex, const char *src, const char *fname,
                      int *err_col, const char **err_line);

struct node *py_parse_only(struct ectx *ex, const char *src, int *err_col,
                           const char **err_line);

/* eval.c: the tree walker, and the operations it shares with compiled
 * code (each raises Python's error, with Python's message) */
struct pv py_eval(struct ectx *ex, struct node *n, struct frame *f);
void py_run(struct ectx *ex, struct node *stmt, struct frame *f);
struct pv py_call(struct ectx *ex, struct pv fn, struct pv *args, int nargs,
                  const char **kwnames, struct pv *kwvals, int nkw);
struct pv py_binop(struct ectx *ex, int op, struct pv a, struct pv b);
/* -a or +a for the N_NEG/N_POS node n */
struct pv py_unary(struct ectx *ex, struct node *n, struct pv a);
/* a <op> b for a comparison operator (OP_EQ..OP_IS_NOT) */
bool py_compare_op(struct ectx *ex, int op, struct pv a, struct pv b);
struct pv py_index(struct ectx *ex, struct pv obj, struct pv key);
/* v <op>= r: the new value (a list += grows in place) */
struct pv py_aug_value(struct ectx *ex, int op, struct pv v, struct pv r);
void py_assign(struct ectx *ex, struct node *target, struct pv v,
               struct frame *f);
struct pv py_getattr(struct ectx *ex, struct pv obj, const char *name);
struct cell *py_global(struct py_session *s, const char *name);

/* compile.c: a syntax tree compiled to a tree of C closures. run(ex, c,
 * f) returns the value (None for a statement), with the walker's exact
 * semantics; a parent reads a local or constant operand in place (how),
 * without a call. */
typedef struct pv (*code_fn)(struct ectx *ex, const struct code *c,
                             struct frame *f);
enum { CODE_RUN, CODE_LOCAL, CODE_CONST };

struct code {
    code_fn run;
    int node;               /* the node's kind: N_BINOP... */
    int how;                /* CODE_LOCAL: f->slot[slot]; CODE_CONST: k */
    int slot;
    struct pv k;
    int op;
    const struct code *a, *b, *c;   /* operands; test, body, else */
    const struct code **list;       /* arguments, items, statements */
    int n;                  /* list's length; a local: frames up */
    const struct pbuiltin *bi;  /* a global's builtin; a str method */
    struct node *src;           /* its line; what the walker runs */
};
/* Compiles fn's body into fn->code, once, after names are resolved. */
void py_compile_fn(struct ectx *ex, struct fninfo *fn);
/* The body c of a function with int_result set, on int arguments: true
 * with its value in *r (a bool as 0/1), or false when the int answer is
 * not Python's (an overflow, a zero or negative divisor): then run the
 * general code, which gives Python's answer or error. */
bool py_int_eval(const struct code *c, const int64_t *args, int64_t *r);

enum { MAX_DEPTH = 400 };   /* calls deep, then RecursionError */

/* The end of every call of fn: its compiled body run on the frame fr
 * (the arguments in fr's slots, the other locals UNDEF). A caller that
 * checked the arguments once may call it directly (rddbind.c); inline,
 * so that a task's call of a lambda costs one C call, the body's. */
static inline struct pv py_run_body(struct ectx *ex, struct pfunc *fn,
                                    struct frame *fr)
{
    struct fninfo *info = fn->info;
    struct pv r;

    if (++ex->depth > MAX_DEPTH) {
        ex->depth--;
        return py_raise(ex, E_RECURSION, "maximum recursion depth exceeded");
    }
    r = info->code->run(ex, info->code, fr);
    if (!info->is_lambda) {     /* a def: `return` unwinds to here */
        r = pv_none();
        if (ex->exc == E_STOP_RETURN) {
            ex->exc = E_NONE;
            r = ex->ret;
        }
    }
    ex->depth--;
    return r;
}

/* builtins.c */
const struct pbuiltin *py_find_builtin(const char *name);
const struct pbuiltin *py_str_method(const char *name);
const struct pbuiltin *py_list_method(const char *name);
const struct pbuiltin *py_dict_method(const char *name);
/* The closest name in a NULL-ended list, for "Did you mean" (or NULL). */
const char *py_suggest(const char *name, const char *const *names);

/* rddbind.c: sc and RDD objects */
struct pv py_make_context(struct py_session *s);
void py_rdd_repr(struct sbuf *b, struct prdd *p);
struct pv py_rdd_attr(struct ectx *ex, struct pv obj, const char *name);
struct pv py_ctx_attr(struct ectx *ex, struct pv obj, const char *name);

struct py_session {
    struct py_arena *arena; /* globals and everything they hold */
    struct cell *globals;
    FILE *out, *err;
    int threads;
    struct pv argv;         /* sys.argv */
    struct rdd_context *engine;     /* the RDD context behind `sc` */
    const char *fname;              /* the source running: "<stdin>" */
    /* the first error raised inside a task (tasks run on many threads) */
    int task_failed;        /* atomic */
    enum exc task_exc;
    char task_msg[700];
    char task_report[400];  /* "org.apache.spark.SparkException: ..." */
};

#endif
