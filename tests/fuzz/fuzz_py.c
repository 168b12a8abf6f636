/* fuzz_py.c - the Python subset's lexer and parser on arbitrary text:
 * never a crash; an error is a SyntaxError with a line number. What
 * parses is also resolved and compiled to closures (compile.c), not run. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "py/pyint.h"

FUZZ_TARGET(py)
{
    char *src = malloc(size + 1);
    struct py_arena *a = pa_new();
    struct ectx ex;
    int col = 0;
    const char *line = NULL;

    memcpy(src, data, size);
    src[size] = '\0';
    ectx_init(&ex, a, NULL);
    if (!py_parse_only(&ex, src, &col, &line)) {
        if (ex.exc != E_SYNTAX || ex.line < 1 || !line)
            abort();
    } else {
        struct py_session *s = py_session_new(1, stdout, stderr, 0, NULL);
        ectx_init(&ex, a, s);
        py_parse(&ex, src, "<fuzz>", &col, &line);
        py_session_free(s);
    }
    pa_free(a);
    free(src);
    return 0;
}
