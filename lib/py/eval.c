/* eval.c - walks the syntax tree. Names were resolved by the parser to a
 * frame slot or a global cell, so a lookup is a pointer read; ints take a
 * fast path through the arithmetic. */
#include "pyint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cell *py_global(struct py_session *s, const char *name)
{
    struct cell *c;

    for (c = s->globals; c; c = c->next)
        if (!strcmp(c->name, name))
            return c;
    c = pa_alloc(s->arena, sizeof(*c));
    c->name = pa_strndup(s->arena, name, strlen(name));
    c->v = (struct pv){ .kind = PK_UNDEF };
    c->next = s->globals;
    s->globals = c;
    return c;
}

static struct pv floor_div(struct ectx *ex, int64_t a, int64_t b)
{
    if (b == 0)
        return py_raise(ex, E_ZERODIV, "integer division or modulo by zero");
    if (b == -1 && a == INT64_MIN)     /* traps in C; Python's is 2**63 */
        return py_raise(ex, E_OVERFLOW, "integer result too large for this "
                        "subset (64-bit ints)");
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return pv_int(q);
}

static struct pv int_op(struct ectx *ex, int op, int64_t a, int64_t b)
{
    int64_t r;

    switch (op) {
    case OP_ADD:
        if (__builtin_add_overflow(a, b, &r))
            break;
        return pv_int(r);
    case OP_SUB:
        if (__builtin_sub_overflow(a, b, &r))
            break;
        return pv_int(r);
    case OP_MUL:
        if (__builtin_mul_overflow(a, b, &r))
            break;
        return pv_int(r);
    case OP_DIV:
        if (b == 0)
            return py_raise(ex, E_ZERODIV, "division by zero");
        return pv_float((double)a / (double)b);
    case OP_FLOORDIV:
        return floor_div(ex, a, b);
    case OP_MOD:
        if (b == 0)
            return py_raise(ex, E_ZERODIV, "integer division or modulo by "
                            "zero");
        if (b == -1)
            return pv_int(0);   /* INT64_MIN % -1 traps in C */
        r = a % b;
        if (r != 0 && ((r < 0) != (b < 0)))
            r += b;
        return pv_int(r);
    case OP_POW:
        if (b < 0)
            return pv_float(pow((double)a, (double)b));
        r = 1;
        for (int64_t i = 0; i < b; i++)
            if (__builtin_mul_overflow(r, a, &r))
                goto overflow;
        return pv_int(r);
    }
overflow:
    return py_raise(ex, E_OVERFLOW, "integer result too large for this "
                    "subset (64-bit ints)");
}

static struct pv float_op(struct ectx *ex, int op, double a, double b)
{
    switch (op) {
    case OP_ADD: return pv_float(a + b);
    case OP_SUB: return pv_float(a - b);
    case OP_MUL: return pv_float(a * b);
    case OP_DIV:
        if (b == 0)
            return py_raise(ex, E_ZERODIV, "float division by zero");
        return pv_float(a / b);
    case OP_FLOORDIV:
        if (b == 0)
            return py_raise(ex, E_ZERODIV, "float floor division by zero");
        return pv_float(floor(a / b));
    case OP_MOD:
        if (b == 0)
            return py_raise(ex, E_ZERODIV, "float modulo");
        {
            double m = fmod(a, b);
            if (m != 0 && ((m < 0) != (b < 0)))
                m += b;
            return pv_float(m);
        }
    case OP_POW: return pv_float(pow(a, b));
    }
    return pv_none();
}

static const char *op_text(int op)
{
    static const char *const t[] = { "", "+", "-", "*", "/", "//", "%",
                                     "** or pow()" };
    return op < 8 ? t[op] : "?";
}

static struct pv seq_concat(struct ectx *ex, struct pv a, struct pv b)
{
    if (a.kind == PK_STR) {
        char *s = pa_alloc(ex->arena, a.len + b.len + 1);
        memcpy(s, a.s, a.len);
        memcpy(s + a.len, b.s, b.len);
        return pv_str(s, a.len + b.len);
    }
    if (a.kind == PK_TUPLE) {
        struct pv t = pv_tuple(ex, (int)(a.len + b.len));
        memcpy(t.items, a.items, a.len * sizeof(struct pv));
        memcpy(t.items + a.len, b.items, b.len * sizeof(struct pv));
        return t;
    }
    struct pv l = pv_list(ex, a.list->n + b.list->n);
    for (size_t i = 0; i < a.list->n; i++)
        pv_list_push(ex, l, a.list->items[i]);
    for (size_t i = 0; i < b.list->n; i++)
        pv_list_push(ex, l, b.list->items[i]);
    return l;
}

static struct pv seq_repeat(struct ectx *ex, struct pv s, int64_t k)
{
    if (k < 0)
        k = 0;
    if (s.kind == PK_STR) {
        if ((uint64_t)k * s.len > 1u << 30)
            return py_raise(ex, E_OVERFLOW, "repeated string is too long");
        char *d = pa_alloc(ex->arena, (size_t)k * s.len + 1);
        for (int64_t i = 0; i < k; i++)
            memcpy(d + (size_t)i * s.len, s.s, s.len);
        return pv_str(d, (size_t)k * s.len);
    }
    size_t n = 0;
    struct pv *items = pv_iter_items(ex, s, &n);
    if ((uint64_t)k * n > 1u << 26)
        return py_raise(ex, E_OVERFLOW, "repeated sequence is too long");
    struct pv l = pv_list(ex, (size_t)k * n);
    for (int64_t i = 0; i < k; i++)
        for (size_t j = 0; j < n; j++)
            pv_list_push(ex, l, items[j]);
    if (s.kind == PK_TUPLE) {
        struct pv t = pv_tuple(ex, (int)l.list->n);
        memcpy(t.items, l.list->items, l.list->n * sizeof(struct pv));
        return t;
    }
    return l;
}

static struct pv str_format_percent(struct ectx *ex, struct pv fmt,
                                    struct pv args);

struct pv py_binop(struct ectx *ex, int op, struct pv a, struct pv b)
{
    bool ai = a.kind == PK_INT || a.kind == PK_BOOL;
    bool bi = b.kind == PK_INT || b.kind == PK_BOOL;

    if (ai && bi)
        return int_op(ex, op, a.i, b.i);
    if ((ai || a.kind == PK_FLOAT) && (bi || b.kind == PK_FLOAT))
        return float_op(ex, op, a.kind == PK_FLOAT ? a.f : (double)a.i,
                        b.kind == PK_FLOAT ? b.f : (double)b.i);
    if (op == OP_ADD && a.kind == b.kind &&
        (a.kind == PK_STR || a.kind == PK_TUPLE || a.kind == PK_LIST))
        return seq_concat(ex, a, b);
    if (op == OP_MUL && bi && (a.kind == PK_STR || a.kind == PK_TUPLE ||
                               a.kind == PK_LIST))
        return seq_repeat(ex, a, b.i);
    if (op == OP_MUL && ai && (b.kind == PK_STR || b.kind == PK_TUPLE ||
                               b.kind == PK_LIST))
        return seq_repeat(ex, b, a.i);
    if (op == OP_MOD && a.kind == PK_STR)
        return str_format_percent(ex, a, b);
    if (op == OP_ADD && a.kind == PK_STR)
        return py_raise(ex, E_TYPE, "can only concatenate str (not \"%s\") "
                        "to str", pv_type_name(b));
    py_raise(ex, E_TYPE, "unsupported operand type(s) for %s: '%s' and "
             "'%s'", op_text(op), pv_type_name(a), pv_type_name(b));
    if (op == OP_FLOORDIV && (a.kind == PK_RDD || b.kind == PK_SET)) {
        size_t n = strlen(ex->msg);
        snprintf(ex->msg + n, sizeof(ex->msg) - n, " (Python comments start "
                 "with #, not //)");
    }
    return pv_none();
}

/* "%s and %d" % (a, b): the common conversions only. */
static struct pv str_format_percent(struct ectx *ex, struct pv fmt,
                                    struct pv args)
{
    struct sbuf b = { 0 };
    size_t k = 0, nargs = args.kind == PK_TUPLE ? args.len : 1;
    const struct pv *av = args.kind == PK_TUPLE ? args.items : &args;

    for (uint32_t i = 0; i < fmt.len; i++) {
        if (fmt.s[i] != '%' || i + 1 == fmt.len) {
            sb_add(&b, fmt.s + i, 1);
            continue;
        }
        char c = fmt.s[++i];
        if (c == '%') {
            sb_add(&b, "%", 1);
            continue;
        }
        if (k >= nargs) {
            free(b.s);
            return py_raise(ex, E_TYPE, "not enough arguments for format "
                            "string");
        }
        struct pv v = av[k++];
        if (c == 'd' && (v.kind == PK_INT || v.kind == PK_BOOL))
            sb_printf(&b, "%lld", (long long)v.i);
        else if (c == 'r')
            pv_repr(&b, v);
        else
            pv_str_of(&b, v);
    }
    struct pv r = pv_str(pa_strndup(ex->arena, b.s ? b.s : "", b.len), b.len);
    free(b.s);
    return r;
}

static bool contains(struct ectx *ex, struct pv hay, struct pv needle)
{
    if (hay.kind == PK_STR) {
        if (needle.kind != PK_STR) {
            py_raise(ex, E_TYPE, "'in <string>' requires string as left "
                     "operand, not %s", pv_type_name(needle));
            return false;
        }
        if (needle.len == 0)
            return true;
        for (uint32_t i = 0; i + needle.len <= hay.len; i++)
            if (!memcmp(hay.s + i, needle.s, needle.len))
                return true;
        return false;
    }
    if (hay.kind == PK_DICT)
        return pv_dict_get(hay, needle) != NULL;
    size_t n;
    struct pv *items = pv_iter_items(ex, hay, &n);
    for (size_t i = 0; items && i < n; i++)
        if (pv_equal(items[i], needle))
            return true;
    return false;
}

bool py_compare_op(struct ectx *ex, int op, struct pv a, struct pv b)
{
    switch (op) {
    case OP_EQ: return pv_equal(a, b);
    case OP_NE: return !pv_equal(a, b);
    case OP_IN: return contains(ex, b, a);
    case OP_NOT_IN: return !contains(ex, b, a);
    case OP_IS:
        return a.kind == b.kind && (a.kind == PK_NONE || pv_equal(a, b));
    case OP_IS_NOT:
        return !(a.kind == b.kind && (a.kind == PK_NONE || pv_equal(a, b)));
    }
    int c = pv_compare(ex, a, b);
    if (FAILED(ex)) {
        static const char *const sym[] = { [OP_LT] = "<", [OP_LE] = "<=",
                                           [OP_GT] = ">", [OP_GE] = ">=" };
        snprintf(ex->msg, sizeof(ex->msg), "'%s' not supported between "
                 "instances of '%s' and '%s'", sym[op], pv_type_name(a),
                 pv_type_name(b));
        return false;
    }
    switch (op) {
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    default: return c >= 0;
    }
}

static struct pv eval_compare(struct ectx *ex, struct node *n,
                              struct frame *f)
{
    struct pv a = py_eval(ex, n->list[0], f);

    for (int i = 1; i < n->n && !FAILED(ex); i++) {
        struct pv b = py_eval(ex, n->list[i], f);
        if (FAILED(ex) || !py_compare_op(ex, n->ops[i - 1], a, b))
            return pv_bool(false);
        a = b;
    }
    return pv_bool(!FAILED(ex));
}

static int64_t norm_index(int64_t i, size_t len)
{
    return i < 0 ? i + (int64_t)len : i;
}

struct pv py_index(struct ectx *ex, struct pv obj, struct pv key)
{
    if (obj.kind == PK_DICT) {
        struct pv *v = pv_dict_get(obj, key);
        if (!v) {
            struct sbuf b = { 0 };
            pv_repr(&b, key);
            py_raise(ex, E_KEY, "%s", b.s);
            free(b.s);
            return pv_none();
        }
        return *v;
    }
    if (key.kind != PK_INT && key.kind != PK_BOOL)
        return py_raise(ex, E_TYPE, "%s indices must be integers or slices, "
                        "not %s", pv_type_name(obj), pv_type_name(key));
    size_t n;
    if (obj.kind == PK_STR) {
        /* byte-indexed for ASCII; a whole character for UTF-8 */
        struct pv *chars = pv_iter_items(ex, obj, &n);
        int64_t i = norm_index(key.i, n);
        if (i < 0 || (size_t)i >= n)
            return py_raise(ex, E_INDEX, "string index out of range");
        return chars[i];
    }
    if (obj.kind != PK_TUPLE && obj.kind != PK_LIST && obj.kind != PK_RANGE)
        return py_raise(ex, E_TYPE, "'%s' object is not subscriptable",
                        pv_type_name(obj));
    struct pv *items = pv_iter_items(ex, obj, &n);
    int64_t i = norm_index(key.i, n);
    if (!items || i < 0 || (size_t)i >= n)
        return py_raise(ex, E_INDEX, "%s index out of range",
                        pv_type_name(obj));
    return items[i];
}

static int64_t slice_bound(struct pv v, int64_t dflt, size_t len, int64_t step)
{
    if (v.kind == PK_NONE)
        return dflt;
    int64_t i = v.i < 0 ? v.i + (int64_t)len : v.i;
    if (step > 0)
        return i < 0 ? 0 : i > (int64_t)len ? (int64_t)len : i;
    return i < -1 ? -1 : i >= (int64_t)len ? (int64_t)len - 1 : i;
}

static struct pv eval_slice(struct ectx *ex, struct node *n, struct frame *f)
{
    struct pv obj = py_eval(ex, n->a, f), part[3];

    for (int k = 0; k < 3; k++) {
        part[k] = n->list[k] ? py_eval(ex, n->list[k], f) : pv_none();
        if (FAILED(ex))
            return pv_none();
        if (part[k].kind != PK_NONE && part[k].kind != PK_INT &&
            part[k].kind != PK_BOOL)
            return py_raise(ex, E_TYPE, "slice indices must be integers or "
                            "None");
    }
    int64_t step = part[2].kind == PK_NONE ? 1 : part[2].i;
    if (step == 0)
        return py_raise(ex, E_VALUE, "slice step cannot be zero");
    size_t len;
    struct pv *items = pv_iter_items(ex, obj, &len);
    if (!items && len)
        return pv_none();
    if (FAILED(ex))
        return pv_none();
    int64_t lo = slice_bound(part[0], step > 0 ? 0 : (int64_t)len - 1, len,
                             step);
    int64_t hi = slice_bound(part[1], step > 0 ? (int64_t)len : -1, len, step);
    struct pv out = pv_list(ex, 8);
    for (int64_t i = lo; step > 0 ? i < hi : i > hi; i += step)
        pv_list_push(ex, out, items[i]);
    if (obj.kind == PK_LIST)
        return out;
    if (obj.kind == PK_STR) {
        struct sbuf b = { 0 };
        for (size_t i = 0; i < out.list->n; i++)
            sb_add(&b, out.list->items[i].s, out.list->items[i].len);
        struct pv s = pv_str(pa_strndup(ex->arena, b.s ? b.s : "", b.len),
                             b.len);
        free(b.s);
        return s;
    }
    struct pv t = pv_tuple(ex, (int)out.list->n);
    memcpy(t.items, out.list->items, out.list->n * sizeof(struct pv));
    return t;
}

static struct pv eval_display(struct ectx *ex, struct node *n,
                              struct frame *f)
{
    if (n->kind == N_TUPLE) {
        struct pv t = pv_tuple(ex, n->n);
        for (int i = 0; i < n->n && !FAILED(ex); i++)
            t.items[i] = py_eval(ex, n->list[i], f);
        return t;
    }
    if (n->kind == N_DICT && !n->op) {
        struct pv d = pv_dict(ex);
        for (int i = 0; i + 1 < n->n && !FAILED(ex); i += 2) {
            struct pv k = py_eval(ex, n->list[i], f);
            struct pv v = py_eval(ex, n->list[i + 1], f);
            if (!FAILED(ex))
                pv_dict_set(ex, d, k, v);
        }
        return d;
    }
    struct pv l = pv_list(ex, (size_t)n->n);
    for (int i = 0; i < n->n && !FAILED(ex); i++) {
        struct pv v = py_eval(ex, n->list[i], f);
        if (n->kind == N_DICT && contains(ex, l, v))
            continue;
        pv_list_push(ex, l, v);
    }
    if (n->kind == N_DICT)
        l.kind = PK_SET;
    return l;
}

static struct pv eval_listcomp(struct ectx *ex, struct node *n,
                               struct frame *f)
{
    struct pv it = py_eval(ex, n->c, f), out = pv_list(ex, 8);
    size_t cnt;

    if (FAILED(ex))
        return pv_none();
    struct pv *items = pv_iter_items(ex, it, &cnt);
    for (size_t i = 0; items && i < cnt && !FAILED(ex); i++) {
        py_assign(ex, n->b, items[i], f);
        if (n->n && !pv_truthy(py_eval(ex, n->list[0], f)))
            continue;
        struct pv v = py_eval(ex, n->a, f);
        if (!FAILED(ex))
            pv_list_push(ex, out, v);
    }
    return out;
}

static struct pv eval_call(struct ectx *ex, struct node *n, struct frame *f)
{
    struct pv fn = py_eval(ex, n->a, f), argv[64], kwv[16];
    int npos = n->n - n->nkw;

    if (FAILED(ex))
        return pv_none();
    if (n->n > 64 || n->nkw > 16)
        return py_raise(ex, E_TYPE, "too many arguments for this subset");
    for (int i = 0; i < npos && !FAILED(ex); i++)
        argv[i] = py_eval(ex, n->list[i], f);
    for (int i = 0; i < n->nkw && !FAILED(ex); i++)
        kwv[i] = py_eval(ex, n->list[npos + i], f);
    if (FAILED(ex))
        return pv_none();
    int line = ex->line;
    struct pv r = py_call(ex, fn, argv, npos, n->kwnames, kwv, n->nkw);
    if (!FAILED(ex))
        ex->line = line;
    return r;
}

static struct pv make_function(struct ectx *ex, struct fninfo *info,
                               struct frame *f)
{
    struct pfunc *fn = pa_alloc(ex->arena, sizeof(*fn));

    fn->info = info;
    fn->env = NULL;
    if (f) {
        /* the frame (its slots' address, its parent) is on the C stack
         * of the call that made us and dies with it: keep a copy. The
         * slots themselves are in the arena (has_closure). */
        fn->env = pa_alloc(ex->arena, sizeof(*fn->env));
        *fn->env = *f;
    }
    fn->defaults = NULL;
    if (info->defaults) {
        fn->defaults = pa_alloc(ex->arena, (size_t)(info->nparams + 1) *
                                sizeof(struct pv));
        for (int i = 0; i < info->nparams; i++)
            fn->defaults[i] = info->defaults[i] ?
                py_eval(ex, info->defaults[i], f) :
                (struct pv){ .kind = PK_UNDEF };
    }
    return (struct pv){ .kind = PK_FUNC, .fn = fn };
}

struct pv py_unary(struct ectx *ex, struct node *n, struct pv a)
{
    if (n->kind == N_POS && (a.kind == PK_INT || a.kind == PK_FLOAT))
        return a;
    if (a.kind == PK_INT || a.kind == PK_BOOL) {
        if (a.i == INT64_MIN)   /* -(-2**63) needs 65 bits */
            return py_raise(ex, E_OVERFLOW, "integer result too large for "
                            "this subset (64-bit ints)");
        return pv_int(n->kind == N_NEG ? -a.i : a.i);
    }
    if (a.kind == PK_FLOAT)
        return pv_float(n->kind == N_NEG ? -a.f : a.f);
    ex->line = n->line;
    return py_raise(ex, E_TYPE, "bad operand type for unary %c: '%s'",
                    n->kind == N_NEG ? '-' : '+', pv_type_name(a));
}

struct pv py_eval(struct ectx *ex, struct node *n, struct frame *f)
{
    struct pv a, b;

    switch (n->kind) {
    case N_CONST:
        return n->cval;
    case N_LOCAL: {
        struct frame *fr = f;
        if (n->depth == 0 && f->slot[n->slot].kind != PK_UNDEF)
            return f->slot[n->slot];
        for (int d = 0; d < n->depth; d++)
            fr = fr->up;
        a = fr->slot[n->slot];
        if (a.kind == PK_UNDEF) {
            ex->line = n->line;
            return py_raise(ex, E_NAME, "cannot access local variable '%s' "
                            "where it is not associated with a value",
                            n->name ? n->name : "?");
        }
        return a;
    }
    case N_GLOBAL:
        if (n->cell->v.kind == PK_UNDEF) {
            const struct pbuiltin *bi = py_find_builtin(n->cell->name);
            if (bi)
                return (struct pv){ .kind = PK_BUILTIN, .bi = bi };
            ex->line = n->line;
            return py_raise(ex, E_NAME, "name '%s' is not defined",
                            n->cell->name);
        }
        return n->cell->v;
    case N_BINOP:
        a = py_eval(ex, n->a, f);
        if (FAILED(ex))
            return a;
        b = py_eval(ex, n->b, f);
        if (FAILED(ex))
            return b;
        if (a.kind == PK_INT && b.kind == PK_INT && n->op <= OP_MUL) {
            int64_t r;
            bool ovf = n->op == OP_ADD ? __builtin_add_overflow(a.i, b.i, &r)
                     : n->op == OP_SUB ? __builtin_sub_overflow(a.i, b.i, &r)
                     : __builtin_mul_overflow(a.i, b.i, &r);
            if (!ovf)
                return pv_int(r);
        }
        a = py_binop(ex, n->op, a, b);
        if (FAILED(ex))
            ex->line = n->line;
        return a;
    case N_NEG:
    case N_POS:
        a = py_eval(ex, n->a, f);
        return FAILED(ex) ? a : py_unary(ex, n, a);
    case N_NOT:
        a = py_eval(ex, n->a, f);
        return pv_bool(!pv_truthy(a));
    case N_AND:
        a = py_eval(ex, n->a, f);
        return FAILED(ex) || !pv_truthy(a) ? a : py_eval(ex, n->b, f);
    case N_OR:
        a = py_eval(ex, n->a, f);
        return FAILED(ex) || pv_truthy(a) ? a : py_eval(ex, n->b, f);
    case N_COMPARE:
        a = eval_compare(ex, n, f);
        if (FAILED(ex))
            ex->line = n->line;
        return a;
    case N_IFEXP:
        a = py_eval(ex, n->a, f);
        if (FAILED(ex))
            return a;
        return py_eval(ex, pv_truthy(a) ? n->b : n->c, f);
    case N_LAMBDA:
        return make_function(ex, n->fn, f);
    case N_CALL:
        ex->line = n->line;
        return eval_call(ex, n, f);
    case N_ATTR:
        a = py_eval(ex, n->a, f);
        if (FAILED(ex))
            return a;
        ex->line = n->line;
        return py_getattr(ex, a, n->name);
    case N_INDEX:
        a = py_eval(ex, n->a, f);
        if (FAILED(ex))
            return a;
        b = py_eval(ex, n->b, f);
        if (FAILED(ex))
            return b;
        ex->line = n->line;
        return py_index(ex, a, b);
    case N_SLICE:
        ex->line = n->line;
        return eval_slice(ex, n, f);
    case N_LIST:
        if (n->op == 1)
            return eval_listcomp(ex, n, f);
        /* fallthrough */
    case N_TUPLE:
    case N_DICT:
        return eval_display(ex, n, f);
    default:
        return py_raise(ex, E_RUNTIME, "cannot evaluate this statement as "
                        "an expression");
    }
}

/* ---- calls --------------------------------------------------------- */

static struct pv call_function(struct ectx *ex, struct pfunc *fn,
                               struct pv *args, int nargs,
                               const char **kwnames, struct pv *kwvals,
                               int nkw)
{
    struct fninfo *info = fn->info;
    struct frame fr = { fn->env, NULL };
    struct pv small[8];

    if (nargs > info->nparams)
        return py_raise(ex, E_TYPE, "%s() takes %d positional argument%s but "
                        "%d %s given", info->name, info->nparams,
                        info->nparams == 1 ? "" : "s", nargs,
                        nargs == 1 ? "was" : "were");
    /* a frame cannot outlive the call unless a closure made inside it
     * captures it: then it lives in the arena */
    fr.slot = info->nlocals <= 8 && !info->has_closure ?
        small : pa_alloc(ex->arena, (size_t)(info->nlocals + 1) *
                         sizeof(struct pv));
    if (nargs == info->nparams && nkw == 0 && info->nlocals == nargs) {
        for (int i = 0; i < nargs; i++)     /* 1 or 2: no memcpy call */
            fr.slot[i] = args[i];
        goto ready;
    }
    for (int i = 0; i < info->nlocals; i++)
        fr.slot[i] = (struct pv){ .kind = PK_UNDEF };
    memcpy(fr.slot, args, (size_t)nargs * sizeof(struct pv));
    for (int k = 0; k < nkw; k++) {
        int i = 0;
        while (i < info->nparams && strcmp(info->locals[i], kwnames[k]))
            i++;
        if (i == info->nparams)
            return py_raise(ex, E_TYPE, "%s() got an unexpected keyword "
                            "argument '%s'", info->name, kwnames[k]);
        fr.slot[i] = kwvals[k];
    }
    for (int i = 0; i < info->nparams; i++) {
        if (fr.slot[i].kind != PK_UNDEF)
            continue;
        if (fn->defaults && fn->defaults[i].kind != PK_UNDEF) {
            fr.slot[i] = fn->defaults[i];
            continue;
        }
        return py_raise(ex, E_TYPE, "%s() missing 1 required positional "
                        "argument: '%s'", info->name, info->locals[i]);
    }
ready:
    return py_run_body(ex, fn, &fr);
}

struct pv py_call(struct ectx *ex, struct pv fn, struct pv *args, int nargs,
                  const char **kwnames, struct pv *kwvals, int nkw)
{
    switch (fn.kind) {
    case PK_FUNC:
        return call_function(ex, fn.fn, args, nargs, kwnames, kwvals, nkw);
    case PK_BUILTIN:
        return fn.bi->fn(ex, pv_none(), args, nargs, kwnames, kwvals, nkw);
    case PK_METHOD:
        return fn.m->bi->fn(ex, fn.m->self, args, nargs, kwnames, kwvals, nkw);
    default:
        return py_raise(ex, E_TYPE, "'%s' object is not callable",
                        pv_type_name(fn));
    }
}

/* ---- attributes ------------------------------------------------------ */

static struct pv bind(struct ectx *ex, struct pv self,
                      const struct pbuiltin *bi)
{
    struct pmethod *m = pa_alloc(ex->arena, sizeof(*m));

    m->self = self;
    m->bi = bi;
    return (struct pv){ .kind = PK_METHOD, .m = m };
}

static struct pv no_attr(struct ectx *ex, struct pv obj, const char *name,
                         const char *const *names)
{
    const char *near = names ? py_suggest(name, names) : NULL;

    if (obj.kind == PK_MODULE)
        return py_raise(ex, E_ATTRIBUTE, "module '%s' has no attribute "
                        "'%s'%s%s%s", obj.module, name,
                        near ? ". Did you mean: '" : "", near ? near : "",
                        near ? "'?" : "");
    return py_raise(ex, E_ATTRIBUTE, "'%s' object has no attribute '%s'%s%s%s",
                    pv_type_name(obj), name, near ? ". Did you mean: '" : "",
                    near ? near : "", near ? "'?" : "");
}

extern const char *const py_str_method_names[];
extern const char *const py_list_method_names[];
extern const char *const py_dict_method_names[];

struct pv py_getattr(struct ectx *ex, struct pv obj, const char *name)
{
    const struct pbuiltin *bi = NULL;
    const char *const *names = NULL;

    switch (obj.kind) {
    case PK_STR:
        bi = py_str_method(name);
        names = py_str_method_names;
        break;
    case PK_LIST:
        bi = py_list_method(name);
        names = py_list_method_names;
        break;
    case PK_DICT:
        bi = py_dict_method(name);
        names = py_dict_method_names;
        break;
    case PK_RDD:
        return py_rdd_attr(ex, obj, name);
    case PK_CTX:
        return py_ctx_attr(ex, obj, name);
    case PK_MODULE:
        if (!strcmp(obj.module, "sys") && !strcmp(name, "argv"))
            return ex->s->argv;
        if (!strcmp(obj.module, "operator")) {
            static const char *const ops[] = { "add", "sub", "mul",
                                               "truediv", NULL };
            for (int i = 0; ops[i]; i++)
                if (!strcmp(name, ops[i]))
                    return (struct pv){ .kind = PK_BUILTIN,
                        .bi = py_find_builtin(name[0] == 't' ? "operator.truediv"
                              : name[0] == 'a' ? "operator.add"
                              : name[0] == 's' ? "operator.sub"
                              : "operator.mul") };
            return no_attr(ex, obj, name, ops);
        }
        return no_attr(ex, obj, name, NULL);
    default:
        break;
    }
    if (bi)
        return bind(ex, obj, bi);
    return no_attr(ex, obj, name, names);
}

/* ---- statements ------------------------------------------------------ */

void py_assign(struct ectx *ex, struct node *t, struct pv v, struct frame *f)
{
    switch (t->kind) {
    case N_LOCAL: {
        struct frame *fr = f;
        for (int d = 0; d < t->depth; d++)
            fr = fr->up;
        fr->slot[t->slot] = v;
        return;
    }
    case N_GLOBAL:
        t->cell->v = v;
        return;
    case N_TUPLE:
    case N_LIST: {
        size_t n;
        struct pv *items = pv_iter_items(ex, v, &n);
        if (FAILED(ex))
            return;
        if (n != (size_t)t->n) {
            py_raise(ex, E_VALUE, n > (size_t)t->n ?
                     "too many values to unpack (expected %d)" :
                     "not enough values to unpack (expected %d, got %zu)",
                     t->n, n);
            return;
        }
        for (int i = 0; i < t->n && !FAILED(ex); i++)
            py_assign(ex, t->list[i], items[i], f);
        return;
    }
    case N_INDEX: {
        struct pv obj = py_eval(ex, t->a, f), key = py_eval(ex, t->b, f);
        if (FAILED(ex))
            return;
        if (obj.kind == PK_DICT) {
            pv_dict_set(ex, obj, key, v);
        } else if (obj.kind == PK_LIST && key.kind == PK_INT) {
            int64_t i = norm_index(key.i, obj.list->n);
            if (i < 0 || (size_t)i >= obj.list->n)
                py_raise(ex, E_INDEX, "list assignment index out of range");
            else
                obj.list->items[i] = v;
        } else {
            py_raise(ex, E_TYPE, "'%s' object does not support item "
                     "assignment", pv_type_name(obj));
        }
        return;
    }
    default:
        py_raise(ex, E_SYNTAX, "cannot assign to this expression");
    }
}

static struct pv import_module(struct ectx *ex, const char *name)
{
    static const char *const known[] = { "sys", "operator", "pyspark",
        "pyspark.sql", "functools", NULL };

    for (int i = 0; known[i]; i++)
        if (!strcmp(name, known[i]))
            return (struct pv){ .kind = PK_MODULE, .module = known[i] };
    return py_raise(ex, E_IMPORT, "No module named '%s' (this Python subset "
                    "has sys, operator, functools and pyspark)", name);
}

static void run_import(struct ectx *ex, struct node *n, struct frame *f)
{
    struct pv mod = import_module(ex, n->name);

    for (int i = 0; i < n->n && !FAILED(ex); i++) {
        struct node *item = n->list[i];
        struct pv v = mod;
        if (n->kind == S_FROM) {
            const char *what = item->name;
            if (!strcmp(n->name, "operator") || !strcmp(n->name, "functools"))
                v = py_getattr(ex, mod, what);
            else if (!strcmp(what, "SparkContext") ||
                     !strcmp(what, "SparkSession") ||
                     !strcmp(what, "SparkConf"))
                v = (struct pv){ .kind = PK_BUILTIN,
                                 .bi = py_find_builtin(what) };
            else
                py_raise(ex, E_IMPORT, "cannot import name '%s' from '%s'",
                         what, n->name);
        }
        if (!FAILED(ex))
            py_assign(ex, item->a, v, f);
    }
}

static void run_for(struct ectx *ex, struct node *n, struct frame *f)
{
    struct pv it = py_eval(ex, n->b, f);
    size_t cnt;

    if (FAILED(ex))
        return;
    struct pv *items = pv_iter_items(ex, it, &cnt);
    for (size_t i = 0; items && i < cnt && !FAILED(ex); i++) {
        py_assign(ex, n->a, items[i], f);
        py_run(ex, n->c, f);
        if (ex->is_break) {
            ex->is_break = false;
            break;
        }
        ex->is_continue = false;
    }
}

struct pv py_aug_value(struct ectx *ex, int op, struct pv v, struct pv r)
{
    if (FAILED(ex))
        return v;
    if (v.kind == PK_LIST && op == OP_ADD) {    /* a list grows in place */
        size_t k;
        struct pv *items = pv_iter_items(ex, r, &k);
        for (size_t i = 0; items && i < k; i++)
            pv_list_push(ex, v, items[i]);
        return v;
    }
    return py_binop(ex, op, v, r);
}

void py_run(struct ectx *ex, struct node *n, struct frame *f)
{
    struct pv v;

    if (FAILED(ex))
        return;
    ex->line = n->line;
    switch (n->kind) {
    case S_BLOCK:
        for (int i = 0; i < n->n && !FAILED(ex) && !ex->is_break &&
                        !ex->is_continue; i++)
            py_run(ex, n->list[i], f);
        return;
    case S_EXPR:
        py_eval(ex, n->a, f);
        return;
    case S_ASSIGN:
        v = py_eval(ex, n->b, f);
        if (!FAILED(ex))
            py_assign(ex, n->a, v, f);
        return;
    case S_AUGASSIGN:
        v = py_eval(ex, n->a, f);
        if (!FAILED(ex))
            v = py_aug_value(ex, n->op, v, py_eval(ex, n->b, f));
        if (!FAILED(ex))
            py_assign(ex, n->a, v, f);
        return;
    case S_RETURN:
        ex->ret = n->a ? py_eval(ex, n->a, f) : pv_none();
        if (!FAILED(ex))
            ex->exc = E_STOP_RETURN;
        return;
    case S_IF:
        v = py_eval(ex, n->a, f);
        if (FAILED(ex))
            return;
        if (pv_truthy(v))
            py_run(ex, n->b, f);
        else if (n->c)
            py_run(ex, n->c, f);
        return;
    case S_FOR:
        run_for(ex, n, f);
        return;
    case S_WHILE:
        for (long guard = 0; !FAILED(ex); guard++) {
            v = py_eval(ex, n->b, f);
            if (FAILED(ex) || !pv_truthy(v))
                break;
            py_run(ex, n->c, f);
            if (ex->is_break) {
                ex->is_break = false;
                break;
            }
            ex->is_continue = false;
        }
        return;
    case S_DEF:
        v = make_function(ex, n->fn, f);
        if (!FAILED(ex))
            py_assign(ex, n->a, v, f);
        return;
    case S_IMPORT:
    case S_FROM:
        run_import(ex, n, f);
        return;
    case S_PASS:
        return;
    case S_BREAK:
        ex->is_break = true;
        return;
    case S_CONTINUE:
        ex->is_continue = true;
        return;
    default:
        py_eval(ex, n, f);
    }
}
