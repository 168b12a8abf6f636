/* py.h - a small, exact subset of Python 3, enough for the lecture's
 * PySpark snippets: run them unchanged on our C RDD engine.
 * A session holds the globals (`sc` is predefined); py_exec runs source
 * text (a file, a -c string or one REPL entry) and prints what Python
 * would print, errors included, as Python formats them.
 */
#ifndef PY_H
#define PY_H

#include <stdbool.h>
#include <stdio.h>

struct py_session;

/* A session whose `sc` runs RDD tasks on `threads` threads; output (print,
 * REPL echo) goes to out, errors (tracebacks) to err. argv becomes
 * sys.argv. Never NULL (exits on out-of-memory). */
struct py_session *py_session_new(int threads, FILE *out, FILE *err,
                                  int argc, char **argv);
void py_session_free(struct py_session *s);

/* Runs src (named filename in error messages). In interactive mode an
 * expression statement's value is echoed with repr(), as the >>> prompt
 * does. Returns 0, or 1 after printing the error. */
int py_exec(struct py_session *s, const char *src, const char *filename,
            bool is_interactive);

/* Does src (REPL lines so far) need more lines? (an open bracket, a
 * trailing colon or backslash, or an indented block not yet closed) */
bool py_needs_more(struct py_session *s, const char *src);

#endif
