/* compile.c - a lambda's or def's body compiled, once, to a tree of C
 * closures: each node is a function pointer with its operands, so a call
 * per element runs straight C instead of a walk with a switch over node
 * kinds. Ints take fast paths (overflow checked by __builtin_*_overflow),
 * a local or constant operand is read in place, a builtin's name is
 * looked up once. Everything else calls the tree walker's own helpers
 * (eval.c), and a node kind not compiled here is handed to the walker:
 * the semantics, errors and messages are the walker's, only faster.
 * Compiled when names are resolved, on one thread; tasks only read it.
 */
#include "pyint.h"

#include <string.h>

/* ---- operands -------------------------------------------------------- */

/* A local or a constant is read here, in line: no call. An unset local
 * goes through run, which raises the error. */
static inline struct pv get(struct ectx *ex, const struct code *c,
                            struct frame *f)
{
    if (c->how == CODE_LOCAL && f->slot[c->slot].kind != PK_UNDEF)
        return f->slot[c->slot];
    if (c->how == CODE_CONST)
        return c->k;
    return c->run(ex, c, f);
}

/* Both operands of a binary node; false when one of them raised. */
static inline bool get2(struct ectx *ex, const struct code *c,
                        struct frame *f, struct pv *a, struct pv *b)
{
    *a = get(ex, c->a, f);
    if (FAILED(ex))
        return false;
    *b = get(ex, c->b, f);
    return !FAILED(ex);
}

static struct pv c_const(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    (void)ex, (void)f;
    return c->k;
}

static struct pv c_local(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    for (int d = 0; d < c->n; d++)      /* n: frames up (a closure's) */
        f = f->up;
    if (f->slot[c->slot].kind != PK_UNDEF)
        return f->slot[c->slot];
    ex->line = c->src->line;
    return py_raise(ex, E_NAME, "cannot access local variable '%s' where "
                    "it is not associated with a value",
                    c->src->name ? c->src->name : "?");
}

static struct pv c_global(struct ectx *ex, const struct code *c,
                          struct frame *f)
{
    const struct cell *cell = c->src->cell;

    (void)f;
    if (cell->v.kind != PK_UNDEF)
        return cell->v;
    if (c->bi)      /* not assigned: the builtin of that name, if any */
        return (struct pv){ .kind = PK_BUILTIN, .bi = c->bi };
    ex->line = c->src->line;
    return py_raise(ex, E_NAME, "name '%s' is not defined", cell->name);
}

/* Hands the node to the tree walker (a kind not compiled here). */
static struct pv c_walk(struct ectx *ex, const struct code *c,
                        struct frame *f)
{
    return py_eval(ex, c->src, f);
}

/* ---- arithmetic: ints in line, the rest as the walker does it -------- */

/* The operand's value if it is a set local or a constant: read with no
 * call, so that a fast path using only such operands needs no stack
 * frame at all (a leaf function). */
static inline bool peek(const struct code *c, struct frame *f, struct pv *v)
{
    if (c->how == CODE_LOCAL) {
        *v = f->slot[c->slot];
        return v->kind != PK_UNDEF;
    }
    *v = c->k;
    return c->how == CODE_CONST;
}

/* a <op> b for two ints when the answer is an int, or a comparison's
 * bool as 0 or 1 (Python's % and // round towards minus infinity, C's
 * towards zero; a positive divisor only: 0 raises and INT64_MIN % -1
 * traps); false: take the slow path. */
static inline bool int_op(int op, int64_t a, int64_t b, int64_t *r)
{
    switch (op) {
    case OP_EQ: *r = a == b; return true;
    case OP_NE: *r = a != b; return true;
    case OP_LT: *r = a < b; return true;
    case OP_LE: *r = a <= b; return true;
    case OP_GT: *r = a > b; return true;
    case OP_GE: *r = a >= b; return true;
    case OP_ADD: return !__builtin_add_overflow(a, b, r);
    case OP_SUB: return !__builtin_sub_overflow(a, b, r);
    case OP_MUL: return !__builtin_mul_overflow(a, b, r);
    case OP_MOD:
        *r = b > 0 ? a % b : 0;
        *r += *r < 0 ? b : 0;
        return b > 0;
    case OP_FLOORDIV:
        *r = b > 0 ? a / b - (a % b < 0) : 0;
        return b > 0;
    default:
        return false;
    }
}

static struct pv binop_slow(struct ectx *ex, const struct code *c,
                            struct pv a, struct pv b)
{
    struct pv r = py_binop(ex, c->op, a, b);

    if (FAILED(ex))
        ex->line = c->src->line;
    return r;
}

/* Any operands: evaluated, then ints in line, the rest as the walker. */
static struct pv c_binop(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    struct pv a, b;
    int64_t r;

    if (!get2(ex, c, f, &a, &b))
        return pv_none();
    if (a.kind == PK_INT && b.kind == PK_INT && int_op(c->op, a.i, b.i, &r))
        return pv_int(r);
    return binop_slow(ex, c, a, b);     /* bool, float, str, an error */
}

/* x * x, x % 3: both operands locals or constants, both ints, an int
 * answer; else c_binop. One closure per operator, so int_op's switch is
 * resolved when this is compiled (op is a constant here). */
static inline __attribute__((always_inline)) struct pv
int_binop(struct ectx *ex, const struct code *c, struct frame *f, int op)
{
    struct pv a, b;
    int64_t r;

    if (peek(c->a, f, &a) && peek(c->b, f, &b) && a.kind == PK_INT &&
        b.kind == PK_INT && int_op(op, a.i, b.i, &r))
        return pv_int(r);
    return c_binop(ex, c, f);
}

#define INT_BINOP(name, op)                                               \
    static struct pv name(struct ectx *ex, const struct code *c,         \
                          struct frame *f)                               \
    {                                                                    \
        return int_binop(ex, c, f, op);                                  \
    }

INT_BINOP(c_add, OP_ADD)
INT_BINOP(c_sub, OP_SUB)
INT_BINOP(c_mul, OP_MUL)
INT_BINOP(c_mod, OP_MOD)
INT_BINOP(c_floordiv, OP_FLOORDIV)

static struct pv c_unary(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    struct pv a = get(ex, c->a, f);

    if (FAILED(ex))
        return a;
    if (a.kind == PK_INT && a.i != INT64_MIN)
        return pv_int(c->src->kind == N_NEG ? -a.i : a.i);
    return py_unary(ex, c->src, a);
}

/* ---- comparisons and truth ------------------------------------------ */

/* An int comparison's answer (op is OP_EQ..OP_GE). */
static inline struct pv int_compare(int op, int64_t a, int64_t b)
{
    int64_t r = 0;

    int_op(op, a, b, &r);
    return pv_bool(r);
}

/* a < b, one operator, any operands. */
static struct pv compare2_any(struct ectx *ex, const struct code *c,
                              struct frame *f)
{
    struct pv a, b;
    bool is_true;

    if (get2(ex, c, f, &a, &b)) {
        if (a.kind == PK_INT && b.kind == PK_INT && c->op <= OP_GE)
            return int_compare(c->op, a.i, b.i);
        is_true = py_compare_op(ex, c->op, a, b);
        if (!FAILED(ex))
            return pv_bool(is_true);
    }
    ex->line = c->src->line;    /* the walker's line for any failure */
    return pv_bool(false);
}

/* x > 90: ints read in place, compared with no call (a leaf). */
static struct pv c_compare2(struct ectx *ex, const struct code *c,
                            struct frame *f)
{
    struct pv a, b;

    if (peek(c->a, f, &a) && peek(c->b, f, &b) && a.kind == PK_INT &&
        b.kind == PK_INT && c->op <= OP_GE)
        return int_compare(c->op, a.i, b.i);
    return compare2_any(ex, c, f);
}

/* a < b < c: each operand evaluated once, stops at the first false. */
static struct pv c_compare(struct ectx *ex, const struct code *c,
                           struct frame *f)
{
    struct pv a = get(ex, c->list[0], f);
    bool is_true = !FAILED(ex);

    for (int i = 1; is_true && i < c->n; i++) {
        struct pv b = get(ex, c->list[i], f);
        is_true = !FAILED(ex) &&
                  py_compare_op(ex, c->src->ops[i - 1], a, b);
        a = b;
    }
    if (FAILED(ex)) {
        ex->line = c->src->line;
        return pv_bool(false);
    }
    return pv_bool(is_true);
}

static struct pv c_not(struct ectx *ex, const struct code *c,
                       struct frame *f)
{
    return pv_bool(!pv_truthy(get(ex, c->a, f)));
}

static struct pv c_and(struct ectx *ex, const struct code *c,
                       struct frame *f)
{
    struct pv a = get(ex, c->a, f);

    return FAILED(ex) || !pv_truthy(a) ? a : get(ex, c->b, f);
}

static struct pv c_or(struct ectx *ex, const struct code *c, struct frame *f)
{
    struct pv a = get(ex, c->a, f);

    return FAILED(ex) || pv_truthy(a) ? a : get(ex, c->b, f);
}

static struct pv c_ifexp(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    struct pv a = get(ex, c->a, f);

    if (FAILED(ex))
        return a;
    return get(ex, pv_truthy(a) ? c->b : c->c, f);
}

/* ---- calls, attributes, items, displays ------------------------------ */

enum { MAX_COMPILED_ARGS = 8 };     /* more (or keywords): the walker */

/* The arguments into argv; false when one of them raised. */
static bool get_args(struct ectx *ex, const struct code *c, struct frame *f,
                     struct pv *argv)
{
    for (int i = 0; i < c->n; i++) {
        argv[i] = get(ex, c->list[i], f);
        if (FAILED(ex))
            return false;
    }
    return true;
}

static struct pv call_at(struct ectx *ex, const struct code *c, struct pv fn,
                         struct pv *argv)
{
    ex->line = c->src->line;
    struct pv r = py_call(ex, fn, argv, c->n, NULL, NULL, 0);
    if (!FAILED(ex))
        ex->line = c->src->line;    /* where later errors of ours are */
    return r;
}

static struct pv c_call(struct ectx *ex, const struct code *c,
                        struct frame *f)
{
    struct pv fn = get(ex, c->a, f), argv[MAX_COMPILED_ARGS];

    if (FAILED(ex) || !get_args(ex, c, f, argv))
        return pv_none();
    return call_at(ex, c, fn, argv);
}

/* obj.name(args): a str method is called directly (found when compiled),
 * with no bound-method object made per call. */
static struct pv c_method_call(struct ectx *ex, const struct code *c,
                               struct frame *f)
{
    struct pv obj = get(ex, c->a, f), fn, argv[MAX_COMPILED_ARGS];

    if (FAILED(ex))
        return obj;
    if (obj.kind == PK_STR && c->bi) {
        if (!get_args(ex, c, f, argv))
            return pv_none();
        ex->line = c->src->line;
        return c->bi->fn(ex, obj, argv, c->n, NULL, NULL, 0);
    }
    ex->line = c->src->line;
    fn = py_getattr(ex, obj, c->src->a->name);
    if (FAILED(ex) || !get_args(ex, c, f, argv))
        return pv_none();
    return call_at(ex, c, fn, argv);
}

static struct pv c_attr(struct ectx *ex, const struct code *c,
                        struct frame *f)
{
    struct pv obj = get(ex, c->a, f);

    if (FAILED(ex))
        return obj;
    ex->line = c->src->line;
    return py_getattr(ex, obj, c->src->name);
}

/* t[i] for a tuple or list and an int in range, in line; else the
 * walker's indexing (dicts, strings, errors). */
static struct pv c_index(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    struct pv a, b;

    if (!get2(ex, c, f, &a, &b))
        return pv_none();
    ex->line = c->src->line;
    if (b.kind == PK_INT && (a.kind == PK_TUPLE || a.kind == PK_LIST)) {
        size_t n = a.kind == PK_TUPLE ? a.len : a.list->n;
        const struct pv *items = a.kind == PK_TUPLE ? a.items
                                                    : a.list->items;
        int64_t i = b.i < 0 ? b.i + (int64_t)n : b.i;
        if (i >= 0 && (uint64_t)i < n)
            return items[i];
    }
    return py_index(ex, a, b);
}

static struct pv c_tuple(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    struct pv t = pv_tuple(ex, c->n);

    for (int i = 0; i < c->n && !FAILED(ex); i++)
        t.items[i] = get(ex, c->list[i], f);
    return t;
}

static struct pv c_list(struct ectx *ex, const struct code *c,
                        struct frame *f)
{
    struct pv l = pv_list(ex, (size_t)c->n);

    for (int i = 0; i < c->n && !FAILED(ex); i++)
        pv_list_push(ex, l, get(ex, c->list[i], f));
    return l;
}

/* ---- statements (a def's body): they return None; `return` unwinds
 * as in the walker, by E_STOP_RETURN with the value in ex->ret ------- */

static struct pv c_block(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    for (int i = 0; i < c->n; i++) {
        c->list[i]->run(ex, c->list[i], f);
        if (ex->exc != E_NONE || ex->is_break || ex->is_continue)
            break;
    }
    return pv_none();
}

static struct pv c_run_walk(struct ectx *ex, const struct code *c,
                            struct frame *f)
{
    py_run(ex, c->src, f);
    return pv_none();
}

static struct pv c_expr_stmt(struct ectx *ex, const struct code *c,
                             struct frame *f)
{
    ex->line = c->src->line;
    get(ex, c->a, f);
    return pv_none();
}

/* Stores v in the statement's target: a local slot here, else as the
 * walker assigns (globals, tuples, items). */
static void store(struct ectx *ex, const struct code *c, struct pv v,
                  struct frame *f)
{
    if (c->how == CODE_LOCAL)
        f->slot[c->slot] = v;
    else
        py_assign(ex, c->src->a, v, f);
}

static struct pv c_assign(struct ectx *ex, const struct code *c,
                          struct frame *f)
{
    ex->line = c->src->line;
    struct pv v = get(ex, c->b, f);
    if (!FAILED(ex))
        store(ex, c, v, f);
    return pv_none();
}

static struct pv c_augassign(struct ectx *ex, const struct code *c,
                             struct frame *f)
{
    ex->line = c->src->line;
    struct pv v = get(ex, c->a, f);
    if (FAILED(ex))
        return pv_none();
    v = py_aug_value(ex, c->op, v, get(ex, c->b, f));
    if (!FAILED(ex))
        store(ex, c, v, f);
    return pv_none();
}

static struct pv c_return(struct ectx *ex, const struct code *c,
                          struct frame *f)
{
    ex->line = c->src->line;
    ex->ret = c->a ? get(ex, c->a, f) : pv_none();
    if (!FAILED(ex))
        ex->exc = E_STOP_RETURN;
    return pv_none();
}

static struct pv c_if(struct ectx *ex, const struct code *c, struct frame *f)
{
    ex->line = c->src->line;
    struct pv v = get(ex, c->a, f);
    if (FAILED(ex))
        return v;
    if (pv_truthy(v))
        c->b->run(ex, c->b, f);
    else if (c->c)
        c->c->run(ex, c->c, f);
    return pv_none();
}

/* After a loop body: true to leave the loop (break, an error, return). */
static bool loop_ends(struct ectx *ex)
{
    if (ex->is_break) {
        ex->is_break = false;
        return true;
    }
    ex->is_continue = false;
    return FAILED(ex);
}

static struct pv c_for(struct ectx *ex, const struct code *c,
                       struct frame *f)
{
    size_t n;

    ex->line = c->src->line;
    struct pv it = get(ex, c->b, f);
    if (FAILED(ex))
        return it;
    struct pv *items = pv_iter_items(ex, it, &n);
    for (size_t i = 0; items && i < n && !FAILED(ex); i++) {
        store(ex, c, items[i], f);
        if (FAILED(ex))
            break;
        c->c->run(ex, c->c, f);
        if (loop_ends(ex))
            break;
    }
    return pv_none();
}

static struct pv c_while(struct ectx *ex, const struct code *c,
                         struct frame *f)
{
    ex->line = c->src->line;
    for (;;) {
        struct pv v = get(ex, c->b, f);
        if (FAILED(ex) || !pv_truthy(v))
            break;
        c->c->run(ex, c->c, f);
        if (loop_ends(ex))
            break;
    }
    return pv_none();
}

/* ---- the compiler ----------------------------------------------------- */

static struct code *compile(struct ectx *ex, struct node *n);

static struct code *new_code(struct ectx *ex, struct node *n, code_fn run)
{
    struct code *c = pa_alloc(ex->arena, sizeof(*c));

    memset(c, 0, sizeof(*c));
    c->run = run;
    c->node = n->kind;
    c->how = CODE_RUN;
    c->src = n;
    return c;
}

/* c->list from nodes[0..n): arguments, items, statements. */
static void compile_list(struct ectx *ex, struct code *c, struct node **nodes,
                         int n)
{
    struct code **l = pa_alloc(ex->arena, (size_t)(n ? n : 1) * sizeof(*l));

    for (int i = 0; i < n; i++)
        l[i] = compile(ex, nodes[i]);
    c->list = (const struct code **)l;
    c->n = n;
}

static code_fn binop_fn(int op)
{
    switch (op) {
    case OP_ADD: return c_add;
    case OP_SUB: return c_sub;
    case OP_MUL: return c_mul;
    case OP_MOD: return c_mod;
    case OP_FLOORDIV: return c_floordiv;
    default: return c_binop;        /* /, **: a float or a big int */
    }
}

static struct code *compile_name(struct ectx *ex, struct node *n)
{
    struct code *c;

    if (n->kind == N_CONST) {
        c = new_code(ex, n, c_const);
        c->how = CODE_CONST;
        c->k = n->cval;
        return c;
    }
    if (n->kind == N_LOCAL) {
        c = new_code(ex, n, c_local);
        c->slot = n->slot;
        c->n = n->depth;
        c->how = n->depth == 0 ? CODE_LOCAL : CODE_RUN;
        return c;
    }
    c = new_code(ex, n, c_global);
    c->bi = py_find_builtin(n->cell->name);
    return c;
}

static struct code *compile_call(struct ectx *ex, struct node *n)
{
    struct code *c;

    if (n->nkw > 0 || n->n > MAX_COMPILED_ARGS)
        return new_code(ex, n, c_walk);
    if (n->a->kind == N_ATTR) {
        c = new_code(ex, n, c_method_call);
        c->a = compile(ex, n->a->a);
        c->bi = py_str_method(n->a->name);
    } else {
        c = new_code(ex, n, c_call);
        c->a = compile(ex, n->a);
    }
    compile_list(ex, c, n->list, n->n);
    return c;
}

static struct code *compile_expr(struct ectx *ex, struct node *n)
{
    static const code_fn simple[] = {
        [N_NEG] = c_unary, [N_POS] = c_unary, [N_NOT] = c_not,
        [N_AND] = c_and, [N_OR] = c_or, [N_IFEXP] = c_ifexp,
        [N_ATTR] = c_attr, [N_INDEX] = c_index,
    };
    struct code *c;

    switch (n->kind) {
    case N_CONST:
    case N_LOCAL:
    case N_GLOBAL:
        return compile_name(ex, n);
    case N_BINOP:
        c = new_code(ex, n, binop_fn(n->op));
        c->op = n->op;
        break;
    case N_COMPARE:
        c = new_code(ex, n, n->n == 2 ? c_compare2 : c_compare);
        c->op = n->ops[0];
        if (n->n == 2)
            break;
        compile_list(ex, c, n->list, n->n);
        return c;
    case N_CALL:
        return compile_call(ex, n);
    case N_TUPLE:
    case N_LIST:
        if (n->kind == N_LIST && n->op == 1)    /* a comprehension */
            return new_code(ex, n, c_walk);
        c = new_code(ex, n, n->kind == N_TUPLE ? c_tuple : c_list);
        compile_list(ex, c, n->list, n->n);
        return c;
    default:
        if ((size_t)n->kind >= sizeof(simple) / sizeof(simple[0]) ||
            !simple[n->kind])
            return new_code(ex, n, c_walk);     /* the walker's */
        c = new_code(ex, n, simple[n->kind]);
        break;
    }
    /* an operator: its operands are a, b (and c) or, compared, list */
    struct node *a = n->kind == N_COMPARE ? n->list[0] : n->a;
    struct node *b = n->kind == N_COMPARE ? n->list[1] : n->b;
    c->a = compile(ex, a);
    c->b = b ? compile(ex, b) : NULL;
    c->c = n->kind == N_IFEXP ? compile(ex, n->c) : NULL;
    return c;
}

/* A statement's target: a local of this frame is a slot (how). */
static void compile_target(struct code *c, struct node *target)
{
    if (target->kind == N_LOCAL && target->depth == 0) {
        c->how = CODE_LOCAL;
        c->slot = target->slot;
    }
}

static struct code *compile_stmt(struct ectx *ex, struct node *n)
{
    static const code_fn run[] = {
        [S_EXPR] = c_expr_stmt, [S_ASSIGN] = c_assign,
        [S_AUGASSIGN] = c_augassign, [S_RETURN] = c_return, [S_IF] = c_if,
        [S_FOR] = c_for, [S_WHILE] = c_while, [S_BLOCK] = c_block,
    };
    struct code *c;

    if ((size_t)n->kind >= sizeof(run) / sizeof(run[0]) || !run[n->kind])
        return new_code(ex, n, c_run_walk);    /* def, import, break... */
    c = new_code(ex, n, run[n->kind]);
    switch (n->kind) {
    case S_BLOCK:
        compile_list(ex, c, n->list, n->n);
        break;
    case S_ASSIGN:
    case S_FOR:
        compile_target(c, n->a);
        /* then the value (the iterable) and the loop's body */
        /* fallthrough */
    case S_WHILE:
        c->b = compile(ex, n->b);
        c->c = n->c ? compile(ex, n->c) : NULL;
        break;
    case S_AUGASSIGN:
        compile_target(c, n->a);
        c->op = n->op;
        c->a = compile(ex, n->a);
        c->b = compile(ex, n->b);
        break;
    default:        /* expression statement, return, if */
        c->a = n->a ? compile(ex, n->a) : NULL;
        c->b = n->b ? compile(ex, n->b) : NULL;
        c->c = n->c ? compile(ex, n->c) : NULL;
        break;
    }
    return c;
}

static struct code *compile(struct ectx *ex, struct node *n)
{
    return n->kind >= S_EXPR ? compile_stmt(ex, n) : compile_expr(ex, n);
}

/* ---- ints only: a second evaluator, on speculation ------------------- */

/* Is c int arithmetic or an int comparison over the first nparams locals
 * and int constants? Then, given ints, every value in it is an int. */
static bool is_int_only(const struct code *c, int nparams)
{
    switch (c->node) {
    case N_CONST:
        return c->k.kind == PK_INT;
    case N_LOCAL:
        return c->how == CODE_LOCAL && c->slot < nparams;
    case N_BINOP:
        if (c->op != OP_ADD && c->op != OP_SUB && c->op != OP_MUL &&
            c->op != OP_MOD && c->op != OP_FLOORDIV)
            return false;
        return is_int_only(c->a, nparams) && is_int_only(c->b, nparams);
    case N_COMPARE:     /* compiled with a and b: two operands */
        return c->a && c->op <= OP_GE && is_int_only(c->a, nparams) &&
               is_int_only(c->b, nparams);
    default:
        return false;
    }
}

/* An operand that is a parameter or a constant. */
static inline int64_t int_leaf(const struct code *c, const int64_t *args)
{
    return c->how == CODE_LOCAL ? args[c->slot] : c->k.i;
}

/* A node over parameters and constants (x * x, x % 3): no call at all. */
static inline bool is_flat(const struct code *c)
{
    return c->a->how != CODE_RUN && c->b->how != CODE_RUN;
}

static inline bool int_flat(const struct code *c, const int64_t *args,
                            int64_t *r)
{
    return int_op(c->op, int_leaf(c->a, args), int_leaf(c->b, args), r);
}

static bool int_tree(const struct code *c, const int64_t *args, int64_t *r);

/* An operand: a leaf or a flat node in line; a deeper tree, a call. */
static inline bool int_operand(const struct code *c, const int64_t *args,
                               int64_t *v)
{
    if (c->how != CODE_RUN) {
        *v = int_leaf(c, args);
        return true;
    }
    return is_flat(c) ? int_flat(c, args, v) : int_tree(c, args, v);
}

/* A node with an operand to compute first (x % 3 == 0). */
static __attribute__((noinline)) bool int_tree(const struct code *c,
                                              const int64_t *args, int64_t *r)
{
    int64_t a, b;

    return int_operand(c->a, args, &a) && int_operand(c->b, args, &b) &&
           int_op(c->op, a, b, r);
}

/* With plain int64_t values, no kinds, no ectx: what a task's `lambda x:
 * x * x` costs when its argument is an int (is_int_only said every value
 * inside is one). Two levels of nodes are computed in line; deeper ones
 * recurse. */
bool py_int_eval(const struct code *c, const int64_t *args, int64_t *r)
{
    return is_flat(c) ? int_flat(c, args, r) : int_tree(c, args, r);
}

void py_compile_fn(struct ectx *ex, struct fninfo *fn)
{
    fn->code = compile(ex, fn->body);
    fn->int_result = 0;
    if (fn->is_lambda && fn->nlocals == fn->nparams &&
        (fn->code->node == N_BINOP || fn->code->node == N_COMPARE) &&
        is_int_only(fn->code, fn->nparams))
        fn->int_result = fn->code->node == N_COMPARE ? PK_BOOL : PK_INT;
}
