/* py.c - a session: globals, running source, and errors printed the way
 * Python prints them (a traceback line, the source line, a caret). */
#include "pyint.h"

#include <stdlib.h>
#include <string.h>

static const char *exc_name(enum exc e)
{
    static const char *const names[] = {
        [E_SYNTAX] = "SyntaxError", [E_NAME] = "NameError",
        [E_TYPE] = "TypeError", [E_VALUE] = "ValueError",
        [E_ATTRIBUTE] = "AttributeError", [E_INDEX] = "IndexError",
        [E_KEY] = "KeyError", [E_ZERODIV] = "ZeroDivisionError",
        [E_IMPORT] = "ImportError", [E_RUNTIME] = "RuntimeError",
        [E_RECURSION] = "RecursionError", [E_OVERFLOW] = "OverflowError",
    };
    return e < sizeof(names) / sizeof(names[0]) && names[e] ? names[e]
                                                            : "Exception";
}

struct py_session *py_session_new(int threads, FILE *out, FILE *err,
                                  int argc, char **argv)
{
    struct py_session *s = calloc(1, sizeof(*s));

    if (!s) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    s->arena = pa_new();
    s->out = out;
    s->err = err;
    s->threads = threads;
    struct ectx ex = { .arena = s->arena, .s = s };
    s->argv = pv_list(&ex, (size_t)argc + 1);
    for (int i = 0; i < argc; i++)
        pv_list_push(&ex, s->argv, pv_str(argv[i], strlen(argv[i])));
    if (argc == 0)
        pv_list_push(&ex, s->argv, pv_str("", 0));
    py_global(s, "sc")->v = py_make_context(s);
    py_global(s, "spark")->v = py_make_context(s);  /* spark.sparkContext */
    py_global(s, "__name__")->v = pv_str("__main__", 8);
    return s;
}

void py_rdd_session_free(struct py_session *s);

void py_session_free(struct py_session *s)
{
    if (!s)
        return;
    py_rdd_session_free(s);
    pa_free(s->arena);
    free(s);
}

static void print_syntax_error(struct py_session *s, struct ectx *ex,
                               const char *fname, const char *line, int col)
{
    size_t len = strcspn(line, "\r\n");
    size_t lead = strspn(line, " \t");

    fprintf(s->err, "  File \"%s\", line %d\n", fname, ex->line);
    if (len > lead) {
        fprintf(s->err, "    %.*s\n", (int)(len - lead), line + lead);
        if (col > (int)lead)
            fprintf(s->err, "    %*s^\n", col - 1 - (int)lead, "");
    }
    bool is_indent = strstr(ex->msg, "indent") != NULL;
    fprintf(s->err, "%s: %s\n", is_indent ? "IndentationError" :
            "SyntaxError", ex->msg);
}

static void print_error(struct py_session *s, struct ectx *ex,
                        const char *fname, const char *src)
{
    const char *line = src;

    for (int i = 1; i < ex->line && strchr(line, '\n'); i++)
        line = strchr(line, '\n') + 1;
    size_t len = strcspn(line, "\r\n"), lead = strspn(line, " \t");
    fprintf(s->err, "Traceback (most recent call last):\n"
            "  File \"%s\", line %d, in <module>\n", fname, ex->line);
    if (len > lead)
        fprintf(s->err, "    %.*s\n", (int)(len - lead), line + lead);
    if (ex->task_report)
        fputs(ex->task_report, s->err);
    fprintf(s->err, "%s: %s\n", exc_name(ex->exc), ex->msg);
}

int py_exec(struct py_session *s, const char *src, const char *filename,
            bool is_interactive)
{
    struct ectx ex = { .arena = s->arena, .s = s };
    int col = 0;
    const char *err_line = src;
    struct node *prog = py_parse(&ex, src, filename, &col, &err_line);

    s->fname = filename;
    if (!prog) {
        fflush(s->out);
        print_syntax_error(s, &ex, filename, err_line, col);
        return 1;
    }
    for (int i = 0; i < prog->n; i++) {
        struct node *st = prog->list[i];
        if (is_interactive && st->kind == S_EXPR) {
            struct pv v = py_eval(&ex, st->a, NULL);
            if (!FAILED(&ex) && v.kind != PK_NONE) {
                struct sbuf b = { 0 };
                pv_repr(&b, v);
                fprintf(s->out, "%s\n", b.s);
                free(b.s);
                py_global(s, "_")->v = v;
            }
        } else {
            py_run(&ex, st, NULL);
        }
        if (ex.exc == E_STOP_RETURN) {
            ex.exc = E_NONE;
            py_raise(&ex, E_SYNTAX, "'return' outside function");
        }
        if (FAILED(&ex)) {
            fflush(s->out);
            if (ex.exc == E_SYNTAX)
                print_syntax_error(s, &ex, filename, err_line, 0);
            else
                print_error(s, &ex, filename, src);
            return 1;
        }
    }
    fflush(s->out);
    return 0;
}

bool py_needs_more(struct py_session *s, const char *src)
{
    struct py_arena *scratch = pa_new();
    struct ectx ex;
    int col;
    const char *line;
    bool is_more;
    size_t n = strlen(src);
    struct node *prog;

    ectx_init(&ex, scratch, s);
    /* like Python's REPL: a trailing backslash, or input that is only
     * incomplete (an open bracket, a missing block), asks for more */
    if (n >= 2 && src[n - 1] == '\n' && src[n - 2] == '\\')
        is_more = true;
    else if (!(prog = py_parse_only(&ex, src, &col, &line)))
        is_more = ex.is_incomplete;
    else {
        /* a compound statement (if, for, while, def) goes on until an
         * empty line ends it */
        enum nk k = prog->n ? prog->list[0]->kind : S_PASS;
        bool is_compound = k == S_IF || k == S_FOR || k == S_WHILE ||
                           k == S_DEF;
        bool ends_blank = n >= 2 && src[n - 1] == '\n' && src[n - 2] == '\n';
        is_more = is_compound && !ends_blank;
    }
    pa_free(scratch);
    return is_more;
}
