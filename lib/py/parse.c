/* parse.c - Python's grammar (the subset) by recursive descent, then a
 * pass that resolves each name to a local slot or a global cell, so the
 * evaluator never looks a name up by string. */
#include "pyint.h"

#include <stdlib.h>
#include <string.h>

struct token *py_lex(struct ectx *ex, const char *src, int *err_col);

struct parser {
    struct ectx *ex;
    struct token *t;
    size_t pos;
    int err_col;
    const char *src;
    int depth;          /* nesting of expressions, bounded like CPython's */
};

#define MAX_NESTING 200

static struct token *cur(struct parser *p) { return &p->t[p->pos]; }

static bool is_op(struct parser *p, const char *op)
{
    struct token *t = cur(p);
    return t->kind == T_OP && t->len == strlen(op) &&
           !strncmp(t->s, op, t->len);
}

static bool is_kw(struct parser *p, const char *kw)
{
    struct token *t = cur(p);
    return t->kind == T_NAME && t->len == strlen(kw) &&
           !strncmp(t->s, kw, t->len);
}

static bool accept_op(struct parser *p, const char *op)
{
    if (!is_op(p, op))
        return false;
    p->pos++;
    return true;
}

static bool accept_kw(struct parser *p, const char *kw)
{
    if (!is_kw(p, kw))
        return false;
    p->pos++;
    return true;
}

/* Is t at the end of input (only NEWLINE/DEDENT tokens before END)? */
static bool at_eof(const struct token *t)
{
    while (t->kind == T_NEWLINE || t->kind == T_DEDENT)
        t++;
    return t->kind == T_END;
}

static void *fail_at(struct parser *p, struct token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void *fail_at(struct parser *p, struct token *t, const char *fmt, ...)
{
    va_list ap;

    if (FAILED(p->ex))
        return NULL;
    va_start(ap, fmt);
    p->ex->exc = E_SYNTAX;
    vsnprintf(p->ex->msg, sizeof(p->ex->msg), fmt, ap);
    va_end(ap);
    if (at_eof(t))
        snprintf(p->ex->msg, sizeof(p->ex->msg), "unexpected EOF while "
                 "parsing");
    p->ex->line = t->line;
    p->err_col = t->col;
    p->ex->is_incomplete = at_eof(t);
    return NULL;
}

static struct node *new_node(struct parser *p, enum nk kind, struct token *t)
{
    struct node *n = pa_alloc(p->ex->arena, sizeof(*n));

    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->line = t->line;
    n->col = t->col;
    return n;
}

static const char *tok_name(struct parser *p, struct token *t)
{
    return pa_strndup(p->ex->arena, t->s, t->len);
}

static void *expect_op(struct parser *p, const char *op)
{
    if (accept_op(p, op))
        return p;
    if (cur(p)->kind == T_END || cur(p)->kind == T_NEWLINE)
        return fail_at(p, cur(p), "'%s' was expected", op);
    return fail_at(p, cur(p), "invalid syntax");
}

/* A growable list of nodes in the arena. */
struct nlist {
    struct node **v;
    int n, cap;
};

static void nl_push(struct parser *p, struct nlist *l, struct node *n)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        struct node **v = pa_alloc(p->ex->arena, (size_t)l->cap * sizeof(*v));
        if (l->n)
            memcpy(v, l->v, (size_t)l->n * sizeof(*v));
        l->v = v;
    }
    l->v[l->n++] = n;
}

static struct node *test(struct parser *p);
static struct node *expr(struct parser *p);
static struct node *or_test(struct parser *p);
static struct node *block(struct parser *p);

static bool starts_expr(struct parser *p)
{
    struct token *t = cur(p);
    static const char *const stops[] = { "in", "if", "else", "for", "and",
        "or", "is", "lambda", NULL };

    if (t->kind == T_NAME) {
        for (const char *const *s = stops; *s; s++)
            if (is_kw(p, *s))
                return strcmp(*s, "lambda") == 0;
        return true;
    }
    if (t->kind == T_OP)
        return is_op(p, "(") || is_op(p, "[") || is_op(p, "{") ||
               is_op(p, "-") || is_op(p, "+") || is_op(p, "~");
    return t->kind == T_INT || t->kind == T_FLOAT || t->kind == T_STR;
}

/* ( ... ): a parenthesised expression, a tuple, or () */
static struct node *paren(struct parser *p, struct token *t)
{
    struct nlist l = { 0 };
    bool has_comma = false;

    while (!is_op(p, ")")) {
        struct node *e = test(p);
        if (!e)
            return NULL;
        nl_push(p, &l, e);
        if (!accept_op(p, ",")) {
            break;
        }
        has_comma = true;
    }
    if (!expect_op(p, ")"))
        return NULL;
    if (l.n == 1 && !has_comma)
        return l.v[0];
    struct node *n = new_node(p, N_TUPLE, t);
    n->list = l.v;
    n->n = l.n;
    return n;
}

/* [a, b] or [e for x in it if c] */
static struct node *list_display(struct parser *p, struct token *t)
{
    struct nlist l = { 0 };

    while (!is_op(p, "]")) {
        struct node *e = test(p);
        if (!e)
            return NULL;
        if (l.n == 0 && is_kw(p, "for")) {
            struct node *c = new_node(p, N_LIST, t);
            p->pos++;
            c->op = 1;      /* a comprehension: a = element, b = target */
            c->a = e;
            if (!(c->b = expr(p)))
                return NULL;
            if (!accept_kw(p, "in"))
                return fail_at(p, cur(p), "invalid syntax");
            if (!(c->c = or_test(p)))
                return NULL;
            if (accept_kw(p, "if")) {
                struct nlist one = { 0 };
                struct node *cond = or_test(p);
                if (!cond)
                    return NULL;
                nl_push(p, &one, cond);
                c->list = one.v;
                c->n = 1;
            }
            return expect_op(p, "]") ? c : NULL;
        }
        nl_push(p, &l, e);
        if (!accept_op(p, ","))
            break;
    }
    if (!expect_op(p, "]"))
        return NULL;
    struct node *n = new_node(p, N_LIST, t);
    n->list = l.v;
    n->n = l.n;
    return n;
}

/* {k: v, ...} (a dict) or {a, b} (a set: op = 1) */
static struct node *brace_display(struct parser *p, struct token *t)
{
    struct nlist l = { 0 };
    struct node *n = new_node(p, N_DICT, t);
    int is_set = -1;

    while (!is_op(p, "}")) {
        struct node *k = test(p);
        if (!k)
            return NULL;
        nl_push(p, &l, k);
        if (is_set < 0)
            is_set = !is_op(p, ":");
        if (!is_set) {
            struct node *v;
            if (!expect_op(p, ":") || !(v = test(p)))
                return NULL;
            nl_push(p, &l, v);
        }
        if (!accept_op(p, ","))
            break;
    }
    if (!expect_op(p, "}"))
        return NULL;
    n->op = is_set > 0;
    n->list = l.v;
    n->n = l.n;
    return n;
}

static struct node *atom(struct parser *p)
{
    struct token *t = cur(p);
    struct node *n;

    switch (t->kind) {
    case T_INT:
    case T_FLOAT:
        p->pos++;
        n = new_node(p, N_CONST, t);
        n->cval = t->kind == T_INT ? pv_int(t->i) : pv_float(t->f);
        return n;
    case T_STR: {
        /* adjacent literals concatenate: "a" "b" */
        struct sbuf b = { 0 };
        while (cur(p)->kind == T_STR) {
            sb_add(&b, cur(p)->str, cur(p)->str_len);
            p->pos++;
        }
        n = new_node(p, N_CONST, t);
        n->cval = pv_str(pa_strndup(p->ex->arena, b.s ? b.s : "", b.len),
                         b.len);
        free(b.s);
        return n;
    }
    case T_NAME:
        p->pos++;
        n = new_node(p, N_CONST, t);
        if (t->len == 4 && !strncmp(t->s, "None", 4))
            n->cval = pv_none();
        else if (t->len == 4 && !strncmp(t->s, "True", 4))
            n->cval = pv_bool(true);
        else if (t->len == 5 && !strncmp(t->s, "False", 5))
            n->cval = pv_bool(false);
        else {
            n->kind = N_NAME;
            n->name = tok_name(p, t);
        }
        return n;
    case T_OP:
        p->pos++;
        if (t->len == 1 && *t->s == '(')
            return paren(p, t);
        if (t->len == 1 && *t->s == '[')
            return list_display(p, t);
        if (t->len == 1 && *t->s == '{')
            return brace_display(p, t);
        /* fallthrough */
    default:
        if (t->kind == T_END || t->kind == T_NEWLINE)
            return fail_at(p, t, "invalid syntax (the expression is "
                           "incomplete)");
        return fail_at(p, t, "invalid syntax");
    }
}

/* Call arguments: positional first, then name=value. */
static struct node *call_args(struct parser *p, struct node *fn,
                              struct token *t)
{
    struct nlist pos = { 0 }, kw = { 0 };
    const char **names = NULL;
    int nkw = 0;
    struct node *n = new_node(p, N_CALL, t);

    while (!is_op(p, ")")) {
        if (cur(p)->kind == T_NAME && p->t[p->pos + 1].kind == T_OP &&
            p->t[p->pos + 1].len == 1 && p->t[p->pos + 1].s[0] == '=') {
            names = realloc(names, (size_t)(nkw + 1) * sizeof(*names));
            names[nkw++] = tok_name(p, cur(p));
            p->pos += 2;
            struct node *v = test(p);
            if (!v) {
                free(names);
                return NULL;
            }
            nl_push(p, &kw, v);
        } else {
            if (nkw) {
                free(names);
                return fail_at(p, cur(p), "positional argument follows "
                               "keyword argument");
            }
            struct node *a = test(p);
            if (!a) {
                free(names);
                return NULL;
            }
            nl_push(p, &pos, a);
        }
        if (!accept_op(p, ","))
            break;
    }
    if (!expect_op(p, ")")) {
        free(names);
        return NULL;
    }
    for (int i = 0; i < kw.n; i++)
        nl_push(p, &pos, kw.v[i]);
    n->a = fn;
    n->list = pos.v;
    n->n = pos.n;
    n->nkw = nkw;
    if (nkw) {
        n->kwnames = pa_alloc(p->ex->arena, (size_t)nkw * sizeof(char *));
        memcpy(n->kwnames, names, (size_t)nkw * sizeof(char *));
    }
    free(names);
    return n;
}

static struct node *subscript(struct parser *p, struct node *obj,
                              struct token *t)
{
    struct node *part[3] = { NULL, NULL, NULL };
    int k = 0;
    bool is_slice = false;

    for (;;) {
        if (!is_op(p, ":") && !is_op(p, "]")) {
            if (!(part[k] = test(p)))
                return NULL;
        }
        if (k < 2 && accept_op(p, ":")) {
            is_slice = true;
            k++;
            continue;
        }
        break;
    }
    if (!expect_op(p, "]"))
        return NULL;
    struct node *n = new_node(p, is_slice ? N_SLICE : N_INDEX, t);
    n->a = obj;
    if (is_slice) {
        n->list = pa_alloc(p->ex->arena, 3 * sizeof(struct node *));
        memcpy(n->list, part, sizeof(part));
        n->n = 3;
    } else {
        n->b = part[0];
        if (!n->b)
            return fail_at(p, t, "invalid syntax");
    }
    return n;
}

static struct node *trailers(struct parser *p, struct node *n)
{
    for (;;) {
        struct token *t = cur(p);
        if (accept_op(p, "(")) {
            n = call_args(p, n, t);
        } else if (accept_op(p, "[")) {
            n = subscript(p, n, t);
        } else if (accept_op(p, ".")) {
            if (cur(p)->kind != T_NAME)
                return fail_at(p, cur(p), "invalid syntax");
            struct node *a = new_node(p, N_ATTR, cur(p));
            a->a = n;
            a->name = tok_name(p, cur(p));
            p->pos++;
            n = a;
        } else {
            return n;
        }
        if (!n)
            return NULL;
    }
}

static struct node *factor(struct parser *p);

static struct node *power(struct parser *p)
{
    struct node *a = atom(p);

    if (!a || !(a = trailers(p, a)))
        return NULL;
    struct token *t = cur(p);
    if (accept_op(p, "**")) {
        struct node *n = new_node(p, N_BINOP, t);
        n->op = OP_POW;
        n->a = a;
        if (++p->depth > MAX_NESTING)
            return fail_at(p, t, "too many nested parentheses");
        n->b = factor(p);
        p->depth--;
        return n->b ? n : NULL;
    }
    return a;
}

static struct node *factor(struct parser *p)
{
    struct token *t = cur(p);

    if (accept_op(p, "-") || accept_op(p, "+")) {
        struct node *n = new_node(p, *t->s == '-' ? N_NEG : N_POS, t);
        if (++p->depth > MAX_NESTING)
            return fail_at(p, t, "too many nested parentheses");
        n->a = factor(p);
        p->depth--;
        return n->a ? n : NULL;
    }
    return power(p);
}

static struct node *binary(struct parser *p, int level);

static const struct { const char *op; int code; int level; } binops[] = {
    { "+", OP_ADD, 0 }, { "-", OP_SUB, 0 },
    { "*", OP_MUL, 1 }, { "/", OP_DIV, 1 }, { "//", OP_FLOORDIV, 1 },
    { "%", OP_MOD, 1 },
};

/* level 0: + -; level 1: * / // %; then factor */
static struct node *binary(struct parser *p, int level)
{
    struct node *a = level == 1 ? factor(p) : binary(p, level + 1);
    int chain = 0;

    while (a) {
        /* a + b + c ... is a left-leaning tree the evaluator recurses
         * down: keep it within what the C stack holds */
        if (++chain > 10000)
            return fail_at(p, cur(p), "expression too long for this "
                           "subset (more than 10000 operators in a row)");
        struct token *t = cur(p);
        int code = 0;
        for (size_t i = 0; i < sizeof(binops) / sizeof(binops[0]); i++)
            if (binops[i].level == level && is_op(p, binops[i].op))
                code = binops[i].code;
        if (!code)
            break;
        p->pos++;
        struct node *n = new_node(p, N_BINOP, t);
        n->op = code;
        n->a = a;
        n->b = level == 1 ? factor(p) : binary(p, level + 1);
        if (!n->b)
            return NULL;
        a = n;
    }
    return a;
}

static struct node *expr(struct parser *p)
{
    return binary(p, 0);
}

static int comp_op(struct parser *p)
{
    static const struct { const char *op; int code; } cmp[] = {
        { "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE },
        { "<", OP_LT }, { ">", OP_GT },
    };

    for (size_t i = 0; i < sizeof(cmp) / sizeof(cmp[0]); i++)
        if (accept_op(p, cmp[i].op))
            return cmp[i].code;
    if (accept_kw(p, "in"))
        return OP_IN;
    if (is_kw(p, "not") && p->t[p->pos + 1].kind == T_NAME &&
        p->t[p->pos + 1].len == 2 && !strncmp(p->t[p->pos + 1].s, "in", 2)) {
        p->pos += 2;
        return OP_NOT_IN;
    }
    if (accept_kw(p, "is"))
        return accept_kw(p, "not") ? OP_IS_NOT : OP_IS;
    return 0;
}

static struct node *comparison(struct parser *p)
{
    struct node *a = expr(p);
    struct nlist l = { 0 };
    int ops[16], nops = 0, op;
    struct token *t = cur(p);

    if (!a)
        return NULL;
    nl_push(p, &l, a);
    while (nops < 16 && (op = comp_op(p))) {
        struct node *b = expr(p);
        if (!b)
            return NULL;
        ops[nops++] = op;
        nl_push(p, &l, b);
    }
    if (!nops)
        return a;
    struct node *n = new_node(p, N_COMPARE, t);
    n->list = l.v;
    n->n = l.n;
    n->ops = pa_alloc(p->ex->arena, (size_t)nops * sizeof(int));
    memcpy(n->ops, ops, (size_t)nops * sizeof(int));
    return n;
}

static struct node *not_test(struct parser *p)
{
    struct token *t = cur(p);

    if (accept_kw(p, "not")) {
        struct node *n = new_node(p, N_NOT, t);
        if (++p->depth > MAX_NESTING)
            return fail_at(p, t, "too many nested parentheses");
        n->a = not_test(p);
        p->depth--;
        return n->a ? n : NULL;
    }
    return comparison(p);
}

static struct node *logic(struct parser *p, bool is_or)
{
    struct node *a = is_or ? logic(p, false) : not_test(p);

    while (a && accept_kw(p, is_or ? "or" : "and")) {
        struct node *n = new_node(p, is_or ? N_OR : N_AND, cur(p));
        n->a = a;
        if (!(n->b = is_or ? logic(p, false) : not_test(p)))
            return NULL;
        a = n;
    }
    return a;
}

static struct node *or_test(struct parser *p)
{
    return logic(p, true);
}

/* The text from t up to the end of its expression, for suggestions. */
static void expr_text(struct parser *p, struct token *t, char *buf,
                      size_t len)
{
    const char *s = t->s;
    int depth = 0;
    size_t n = 0;

    (void)p;
    for (; *s && *s != '\n' && n + 1 < len; s++) {
        if (strchr("([{", *s))
            depth++;
        else if (strchr(")]}", *s) && --depth < 0)
            break;
        else if (*s == ',' && depth == 0)
            break;
        buf[n++] = *s;
    }
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

/* lambda a, b: body — and the lecture's typo `lambda word => (word, 1)` */
static struct node *lambda(struct parser *p, struct token *t)
{
    struct fninfo *fn = pa_alloc(p->ex->arena, sizeof(*fn));
    const char *params[64];
    char ptext[256] = "", body[256];
    int np = 0;

    memset(fn, 0, sizeof(*fn));
    while (cur(p)->kind == T_NAME && np < 64) {
        params[np] = tok_name(p, cur(p));
        snprintf(ptext + strlen(ptext), sizeof(ptext) - strlen(ptext),
                 "%s%s", np ? ", " : "", params[np]);
        np++;
        p->pos++;
        if (!accept_op(p, ","))
            break;
    }
    if (is_op(p, "=>") || (is_op(p, ":") && p->t[p->pos + 1].kind == T_OP &&
                           p->t[p->pos + 1].len == 2 &&
                           !strncmp(p->t[p->pos + 1].s, "=>", 2))) {
        struct token *arrow = is_op(p, "=>") ? cur(p) : &p->t[p->pos + 1];
        expr_text(p, arrow + 1, body, sizeof(body));
        return fail_at(p, arrow, "invalid syntax: '=>' is not Python (it "
                       "is JavaScript's and Scala's arrow); did you mean "
                       "'lambda %s: %s'?", ptext, body[0] == ' ' ? body + 1
                       : body);
    }
    if (!expect_op(p, ":"))
        return NULL;
    struct node *n = new_node(p, N_LAMBDA, t);
    fn->name = "<lambda>";
    fn->is_lambda = true;
    fn->nparams = np;
    fn->locals = pa_alloc(p->ex->arena, (size_t)(np + 1) * sizeof(char *));
    memcpy(fn->locals, params, (size_t)np * sizeof(char *));
    fn->nlocals = np;
    if (!(fn->body = test(p)))
        return NULL;
    n->fn = fn;
    return n;
}

static struct node *test_inner(struct parser *p);

/* Every nested expression comes through here: deep nesting ("[[[[...",
 * "------x") is a SyntaxError, not a C stack overflow. */
static struct node *test(struct parser *p)
{
    struct node *n;

    if (++p->depth > MAX_NESTING) {
        p->depth--;
        return fail_at(p, cur(p), "too many nested parentheses");
    }
    n = test_inner(p);
    p->depth--;
    return n;
}

static struct node *test_inner(struct parser *p)
{
    struct token *t = cur(p);

    if (accept_kw(p, "lambda"))
        return lambda(p, t);
    struct node *a = or_test(p);
    if (a && accept_kw(p, "if")) {
        struct node *n = new_node(p, N_IFEXP, t);
        n->b = a;
        if (!(n->a = or_test(p)))
            return NULL;
        if (!accept_kw(p, "else"))
            return fail_at(p, cur(p), "expected 'else' after 'if' "
                           "expression");
        if (!(n->c = test(p)))
            return NULL;
        return n;
    }
    return a;
}

/* a, b, c (a tuple when there is a comma) */
static struct node *testlist(struct parser *p, bool is_target)
{
    struct token *t = cur(p);
    struct node *a = is_target ? expr(p) : test(p);

    if (!a || !is_op(p, ","))
        return a;
    struct nlist l = { 0 };
    nl_push(p, &l, a);
    while (accept_op(p, ",")) {
        if (!starts_expr(p))
            break;
        struct node *e = is_target ? expr(p) : test(p);
        if (!e)
            return NULL;
        nl_push(p, &l, e);
    }
    struct node *n = new_node(p, N_TUPLE, t);
    n->list = l.v;
    n->n = l.n;
    return n;
}

/* ---- statements ------------------------------------------------------ */

static struct node *simple_stmt(struct parser *p);

static bool end_of_stmt(struct parser *p)
{
    return cur(p)->kind == T_NEWLINE || cur(p)->kind == T_END ||
           is_op(p, ";");
}

static bool is_assign_target(struct node *n)
{
    if (n->kind == N_TUPLE || n->kind == N_LIST) {
        for (int i = 0; i < n->n; i++)
            if (!is_assign_target(n->list[i]))
                return false;
        return n->op == 0;
    }
    return n->kind == N_NAME || n->kind == N_INDEX || n->kind == N_ATTR;
}

static struct node *expr_stmt(struct parser *p)
{
    struct token *t = cur(p);
    struct node *e = testlist(p, false);
    static const struct { const char *op; int code; } aug[] = {
        { "+=", OP_ADD }, { "-=", OP_SUB }, { "*=", OP_MUL },
        { "/=", OP_DIV }, { "//=", OP_FLOORDIV }, { "%=", OP_MOD },
        { "**=", OP_POW },
    };

    if (!e)
        return NULL;
    for (size_t i = 0; i < sizeof(aug) / sizeof(aug[0]); i++) {
        if (is_op(p, aug[i].op)) {
            if (e->kind != N_NAME && e->kind != N_INDEX)
                return fail_at(p, t, "'%s' is an illegal expression for "
                               "augmented assignment", "expression");
            p->pos++;
            struct node *n = new_node(p, S_AUGASSIGN, t);
            n->op = aug[i].code;
            n->a = e;
            return (n->b = testlist(p, false)) ? n : NULL;
        }
    }
    if (is_op(p, "=")) {
        struct token *eq = cur(p);
        p->pos++;
        if (!is_assign_target(e))
            return fail_at(p, eq, "cannot assign to expression here. Maybe "
                           "you meant '==' instead of '='?");
        struct node *n = new_node(p, S_ASSIGN, t);
        n->a = e;
        if (!(n->b = testlist(p, false)))
            return NULL;
        if (is_op(p, "="))
            return fail_at(p, cur(p), "chained assignment (a = b = c) is "
                           "not in this Python subset");
        return n;
    }
    if (is_op(p, "=>")) {
        return fail_at(p, cur(p), "invalid syntax: '=>' is not Python; a "
                       "lambda is written 'lambda x: x + 1'");
    }
    if (!end_of_stmt(p))
        return fail_at(p, cur(p), "invalid syntax");
    struct node *n = new_node(p, S_EXPR, t);
    n->a = e;
    return n;
}

static const char *dotted_name(struct parser *p)
{
    struct sbuf b = { 0 };

    while (cur(p)->kind == T_NAME) {
        sb_add(&b, cur(p)->s, cur(p)->len);
        p->pos++;
        if (!accept_op(p, "."))
            break;
        sb_add(&b, ".", 1);
    }
    const char *s = b.s ? pa_strndup(p->ex->arena, b.s, b.len) : NULL;
    free(b.s);
    return s;
}

/* import a.b [as c] | from a.b import x [as y], ... */
static struct node *import_stmt(struct parser *p, bool is_from)
{
    struct token *t = &p->t[p->pos - 1];
    struct node *n = new_node(p, is_from ? S_FROM : S_IMPORT, t);
    struct nlist names = { 0 };

    if (!(n->name = dotted_name(p)))
        return fail_at(p, cur(p), "invalid syntax");
    if (is_from && !accept_kw(p, "import"))
        return fail_at(p, cur(p), "invalid syntax");
    do {
        struct node *item = new_node(p, N_NAME, cur(p));
        if (is_from) {
            if (cur(p)->kind != T_NAME)
                return fail_at(p, cur(p), "invalid syntax");
            item->name = tok_name(p, cur(p));
            p->pos++;
        } else {
            item->name = n->name;
        }
        struct node *as = new_node(p, N_NAME, cur(p));
        as->name = item->name;
        if (accept_kw(p, "as")) {
            if (cur(p)->kind != T_NAME)
                return fail_at(p, cur(p), "invalid syntax");
            as->name = tok_name(p, cur(p));
            p->pos++;
        } else if (!is_from && strchr(as->name, '.')) {
            as->name = pa_strndup(p->ex->arena, as->name,
                                  strcspn(as->name, "."));
        }
        item->a = as;
        nl_push(p, &names, item);
    } while (is_from && accept_op(p, ","));
    n->list = names.v;
    n->n = names.n;
    return n;
}

static struct node *simple_stmt(struct parser *p)
{
    struct token *t = cur(p);

    if (accept_kw(p, "pass"))
        return new_node(p, S_PASS, t);
    if (accept_kw(p, "break"))
        return new_node(p, S_BREAK, t);
    if (accept_kw(p, "continue"))
        return new_node(p, S_CONTINUE, t);
    if (accept_kw(p, "return")) {
        struct node *n = new_node(p, S_RETURN, t);
        if (!end_of_stmt(p) && !(n->a = testlist(p, false)))
            return NULL;
        return n;
    }
    if (accept_kw(p, "import"))
        return import_stmt(p, false);
    if (accept_kw(p, "from"))
        return import_stmt(p, true);
    static const char *const unsupported[] = { "class", "try", "with",
        "while_else", "yield", "global", "nonlocal", "del", "raise",
        "assert", "async", "await", NULL };
    for (const char *const *u = unsupported; *u; u++)
        if (is_kw(p, *u))
            return fail_at(p, t, "'%s' is not in this Python subset (see "
                           "pardemo spark --help)", *u);
    return expr_stmt(p);
}

/* The suite after a colon: an indented block, or statements on the line. */
static struct node *suite(struct parser *p)
{
    if (!expect_op(p, ":"))
        return NULL;
    if (cur(p)->kind != T_NEWLINE) {
        struct node *s = simple_stmt(p);
        if (!s)
            return NULL;
        struct node *b = new_node(p, S_BLOCK, cur(p));
        struct nlist l = { 0 };
        nl_push(p, &l, s);
        while (accept_op(p, ";") && !end_of_stmt(p)) {
            if (!(s = simple_stmt(p)))
                return NULL;
            nl_push(p, &l, s);
        }
        b->list = l.v;
        b->n = l.n;
        if (cur(p)->kind == T_NEWLINE)
            p->pos++;
        return b;
    }
    p->pos++;
    if (cur(p)->kind != T_INDENT)
        return fail_at(p, cur(p), "expected an indented block");
    p->pos++;
    struct node *b = block(p);
    if (b && cur(p)->kind == T_DEDENT)
        p->pos++;
    return b;
}

static struct node *stmt(struct parser *p);

static struct node *if_stmt(struct parser *p, struct token *t)
{
    struct node *n = new_node(p, S_IF, t);

    if (!(n->a = test(p)) || !(n->b = suite(p)))
        return NULL;
    struct token *e = cur(p);
    if (accept_kw(p, "elif"))
        return (n->c = if_stmt(p, e)) ? n : NULL;
    if (accept_kw(p, "else"))
        return (n->c = suite(p)) ? n : NULL;
    return n;
}

static struct node *def_stmt(struct parser *p, struct token *t)
{
    struct fninfo *fn = pa_alloc(p->ex->arena, sizeof(*fn));
    const char *params[64];
    struct node *defs[64];
    int np = 0;

    memset(fn, 0, sizeof(*fn));
    if (cur(p)->kind != T_NAME)
        return fail_at(p, cur(p), "invalid syntax");
    fn->name = tok_name(p, cur(p));
    p->pos++;
    if (!expect_op(p, "("))
        return NULL;
    while (cur(p)->kind == T_NAME && np < 64) {
        defs[np] = NULL;
        params[np++] = tok_name(p, cur(p));
        p->pos++;
        if (accept_op(p, "=") && !(defs[np - 1] = test(p)))
            return NULL;
        if (!accept_op(p, ","))
            break;
    }
    if (!expect_op(p, ")"))
        return NULL;
    struct node *n = new_node(p, S_DEF, t);
    fn->nparams = np;
    fn->locals = pa_alloc(p->ex->arena, (size_t)(np + 1) * sizeof(char *));
    memcpy(fn->locals, params, (size_t)np * sizeof(char *));
    fn->nlocals = np;
    fn->defaults = pa_alloc(p->ex->arena, (size_t)(np + 1) * sizeof(void *));
    memcpy(fn->defaults, defs, (size_t)np * sizeof(void *));
    if (!(fn->body = suite(p)))
        return NULL;
    n->fn = fn;
    n->name = fn->name;
    n->a = new_node(p, N_NAME, t);      /* the name the def binds */
    n->a->name = fn->name;
    return n;
}

static struct node *stmt(struct parser *p)
{
    struct token *t = cur(p);

    if (accept_kw(p, "if"))
        return if_stmt(p, t);
    if (accept_kw(p, "def"))
        return def_stmt(p, t);
    if (accept_kw(p, "for") || accept_kw(p, "while")) {
        bool is_for = t->s[0] == 'f';
        struct node *n = new_node(p, is_for ? S_FOR : S_WHILE, t);
        if (is_for) {
            if (!(n->a = testlist(p, true)))
                return NULL;
            if (!accept_kw(p, "in"))
                return fail_at(p, cur(p), "invalid syntax");
        }
        if (!(n->b = testlist(p, false)) || !(n->c = suite(p)))
            return NULL;
        return n;
    }
    if (cur(p)->kind == T_INDENT)
        return fail_at(p, t, "unexpected indent");
    struct nlist l = { 0 };
    struct node *s = simple_stmt(p);
    if (!s)
        return NULL;
    nl_push(p, &l, s);
    while (accept_op(p, ";") && !end_of_stmt(p)) {
        if (!(s = simple_stmt(p)))
            return NULL;
        nl_push(p, &l, s);
    }
    if (cur(p)->kind == T_NEWLINE)
        p->pos++;
    else if (cur(p)->kind != T_END && cur(p)->kind != T_DEDENT)
        return fail_at(p, cur(p), "invalid syntax");
    if (l.n == 1)
        return l.v[0];
    struct node *b = new_node(p, S_BLOCK, t);
    b->list = l.v;
    b->n = l.n;
    return b;
}

static struct node *block(struct parser *p)
{
    struct node *b = new_node(p, S_BLOCK, cur(p));
    struct nlist l = { 0 };

    while (cur(p)->kind != T_END && cur(p)->kind != T_DEDENT) {
        struct node *s = stmt(p);
        if (!s)
            return NULL;
        nl_push(p, &l, s);
    }
    b->list = l.v;
    b->n = l.n;
    return b;
}

/* ---- name resolution ----------------------------------------------- */

struct scope {
    struct scope *up;       /* enclosing function, NULL at module level */
    struct fninfo *fn;
};

static int find_local(struct fninfo *fn, const char *name)
{
    for (int i = 0; i < fn->nlocals; i++)
        if (!strcmp(fn->locals[i], name))
            return i;
    return -1;
}

static void add_local(struct ectx *ex, struct fninfo *fn, const char *name)
{
    if (find_local(fn, name) >= 0)
        return;
    const char **l = pa_alloc(ex->arena, (size_t)(fn->nlocals + 1) *
                              sizeof(char *));
    memcpy(l, fn->locals, (size_t)fn->nlocals * sizeof(char *));
    l[fn->nlocals++] = name;
    fn->locals = l;
}

/* Names a function body assigns are its locals (Python's rule). */
static void collect_targets(struct ectx *ex, struct fninfo *fn,
                            struct node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case N_NAME:
        add_local(ex, fn, n->name);
        return;
    case N_TUPLE:
    case N_LIST:
        for (int i = 0; i < n->n; i++)
            collect_targets(ex, fn, n->list[i]);
        return;
    default:
        return;
    }
}

static void collect_locals(struct ectx *ex, struct fninfo *fn, struct node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case S_ASSIGN:
    case S_AUGASSIGN:
        collect_targets(ex, fn, n->a);
        return;
    case S_FOR:
        collect_targets(ex, fn, n->a);
        collect_locals(ex, fn, n->c);
        return;
    case S_WHILE:
        collect_locals(ex, fn, n->c);
        return;
    case S_IF:
        collect_locals(ex, fn, n->b);
        collect_locals(ex, fn, n->c);
        return;
    case S_DEF:
        add_local(ex, fn, n->name);
        return;
    case S_IMPORT:
    case S_FROM:
        for (int i = 0; i < n->n; i++)
            add_local(ex, fn, n->list[i]->a->name);
        return;
    case S_BLOCK:
        for (int i = 0; i < n->n; i++)
            collect_locals(ex, fn, n->list[i]);
        return;
    default:
        return;
    }
}

static void resolve(struct ectx *ex, struct node *n, struct scope *sc);

static void resolve_name(struct ectx *ex, struct node *n, struct scope *sc)
{
    int depth = 0;

    for (struct scope *s = sc; s; s = s->up, depth++) {
        int slot = find_local(s->fn, n->name);
        if (slot >= 0) {
            n->kind = N_LOCAL;
            n->depth = depth;
            n->slot = slot;
            return;
        }
    }
    n->kind = N_GLOBAL;
    n->cell = py_global(ex->s, n->name);
}

static void resolve_fn(struct ectx *ex, struct fninfo *fn, struct scope *sc)
{
    struct scope inner = { sc, fn };

    if (sc)
        sc->fn->has_closure = true;     /* fn may capture sc's frame */
    /* a comprehension's target inside a lambda is the lambda's own */
    if (!fn->is_lambda)
        collect_locals(ex, fn, fn->body);
    resolve(ex, fn->body, &inner);
    py_compile_fn(ex, fn);      /* its names are known: compile it now */
}

static void resolve(struct ectx *ex, struct node *n, struct scope *sc)
{
    if (!n)
        return;
    switch (n->kind) {
    case N_NAME:
        resolve_name(ex, n, sc);
        return;
    case N_LAMBDA:
        resolve_fn(ex, n->fn, sc);
        return;
    case S_DEF:
        for (int i = 0; i < n->fn->nparams; i++)
            resolve(ex, n->fn->defaults[i], sc);
        resolve_fn(ex, n->fn, sc);
        resolve_name(ex, n->a, sc);
        return;
    case S_IMPORT:
    case S_FROM:
        for (int i = 0; i < n->n; i++)
            resolve_name(ex, n->list[i]->a, sc);
        return;
    case N_LIST:
        if (n->op == 1 && sc)       /* comprehension target: a local */
            collect_targets(ex, sc->fn, n->b);
        break;
    default:
        break;
    }
    resolve(ex, n->a, sc);
    resolve(ex, n->b, sc);
    resolve(ex, n->c, sc);
    for (int i = 0; i < n->n; i++)
        resolve(ex, n->list[i], sc);
}

/* Parses without resolving names (no globals are made). */
struct node *py_parse_only(struct ectx *ex, const char *src, int *err_col,
                           const char **err_line)
{
    struct parser p = { .ex = ex, .src = src };
    struct node *b = NULL;

    *err_col = 0;
    p.t = py_lex(ex, src, err_col);
    if (p.t) {
        b = block(&p);
        if (b && cur(&p)->kind != T_END)
            b = fail_at(&p, cur(&p), cur(&p)->kind == T_DEDENT ?
                        "unindent does not match any outer indentation "
                        "level" : "invalid syntax");
        if (!b)
            *err_col = p.err_col;
    }
    if (!b) {
        /* the source line of the error, for the caret */
        const char *l = src;
        for (int i = 1; i < ex->line && strchr(l, '\n'); i++)
            l = strchr(l, '\n') + 1;
        *err_line = l;
        return NULL;
    }
    return b;
}

struct node *py_parse(struct ectx *ex, const char *src, const char *fname,
                      int *err_col, const char **err_line)
{
    struct node *b = py_parse_only(ex, src, err_col, err_line);

    (void)fname;
    if (b)
        resolve(ex, b, NULL);
    return b;
}
