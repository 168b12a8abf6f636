/* pylesson.c - a topic's Python part, run in pardemo's one CPython.
 * The C side of python/_pardemo_lesson.py: start the interpreter, call a
 * snippet, hand its numbers back, and end it all cleanly - on a signal
 * too (see pylesson.h). Notice pyl_stop: a Python that started
 * processes must end them, and the resource tracker, before pardemo
 * exits, or they outlive it.
 */
#include "pylesson.h"
#include "interp.h"
#include "pysrc.h"
#include "cli.h"
#include "report.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* _pardemo_lesson.NAME(*args built from fmt); a new reference or NULL. */
static PyObject *runner(const char *name, const char *fmt, ...)
{
    PyObject *mod = PyImport_ImportModule("_pardemo_lesson"), *f = NULL;
    PyObject *args = NULL, *r = NULL;
    va_list ap;

    va_start(ap, fmt);
    if (mod && (f = PyObject_GetAttrString(mod, name)) &&
        (args = Py_VaBuildValue(fmt, ap)))
        r = PyObject_CallObject(f, args);
    va_end(ap);
    Py_XDECREF(args);
    Py_XDECREF(f);
    Py_XDECREF(mod);
    return r;
}

static int read_info(struct pyl_info *info)
{
    PyObject *r = runner("info", "()");
    const char *s = r ? PyUnicode_AsUTF8(r) : NULL;
    char m[3][16];
    int n;

    n = s ? sscanf(s, "%31s %15s %15s %15s %15s %15s", info->version,
                   info->method, info->default_method, m[0], m[1], m[2])
          : 0;
    info->nmethods = n > 3 ? n - 3 : 0;
    for (int i = 0; i < info->nmethods; i++)
        memcpy(info->methods[i], m[i], sizeof(info->methods[i]));
    Py_XDECREF(r);
    return n >= 4 ? 0 : -1;
}

/* ---- signals at a fork ----
 * From fork() until CPython's after-fork code, a child still has the
 * parent's handlers, and CPython then forgets a signal caught there
 * (_PySignal_AfterFork): Pool.terminate()'s SIGTERM to a worker just
 * forked was lost, and its join waited for ever. While a Python part
 * runs, each fork swaps in guard_handler for INT, TERM and HUP (the
 * atfork handlers below): in pardemo it hands the signal on to Python's
 * handler; in a child it dies of TERM or HUP and ignores INT, as
 * _child_after_fork would have it. The child's own handlers are set
 * before the fork returns. */
static const int guarded[] = { SIGINT, SIGTERM, SIGHUP };
#define NGUARDED (sizeof(guarded) / sizeof(guarded[0]))
static struct sigaction guard_saved[NGUARDED];
static bool guard_swapped[NGUARDED];
static volatile sig_atomic_t guard_on;
static pid_t guard_pid;

static void guard_handler(int sig)
{
    for (size_t i = 0; i < NGUARDED; i++) {
        if (guarded[i] != sig)
            continue;
        if (getpid() == guard_pid)
            guard_saved[i].sa_handler(sig);
        else if (sig != SIGINT) {
            signal(sig, SIG_DFL);
            raise(sig);
        }
    }
}

static void guard_prepare(void)
{
    for (size_t i = 0; i < NGUARDED; i++) {
        struct sigaction *old = &guard_saved[i], sa;
        guard_swapped[i] = false;
        if (!guard_on || sigaction(guarded[i], NULL, old) != 0 ||
            (old->sa_flags & SA_SIGINFO) || old->sa_handler == SIG_DFL ||
            old->sa_handler == SIG_IGN)
            continue;
        sa = *old;
        sa.sa_handler = guard_handler;
        guard_swapped[i] = sigaction(guarded[i], &sa, NULL) == 0;
    }
}

static void guard_parent(void)
{
    for (size_t i = 0; i < NGUARDED; i++)
        if (guard_swapped[i])
            sigaction(guarded[i], &guard_saved[i], NULL);
}

static void guard_child(void)
{
    guard_on = 0;                       /* its own forks are its own */
    for (size_t i = 0; i < NGUARDED; i++)
        if (guard_swapped[i]) {
            if (guarded[i] == SIGINT)   /* Python's, until its hook */
                sigaction(SIGINT, &guard_saved[i], NULL);
            else
                signal(guarded[i], SIG_DFL);
        }
}

static void guard_forks(bool on)
{
    static bool registered;

    if (on && !registered)
        registered = pthread_atfork(guard_prepare, guard_parent,
                                    guard_child) == 0;
    guard_pid = getpid();
    guard_on = on;
}

static bool is_interrupt(void);

static const int taken_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE,
                                     SIGXFSZ };

int pyl_start(const char *method, struct pyl_info *info, char *why,
              size_t why_len)
{
    char *argv[] = { "pardemo", NULL };
    PyConfig config;
    PyStatus st;
    PyObject *r;

    memset(info, 0, sizeof(*info));
    for (int i = 0; i < 5; i++)
        sigaction(taken_signals[i], NULL, &info->before[i]);
    if (!Py_IsInitialized()) {
        PyConfig_InitPythonConfig(&config);
        config.parse_argv = 0;
        st = interp_config(&config);
        if (!PyStatus_Exception(st))
            st = PyConfig_SetBytesArgv(&config, 1, argv);
        if (PyStatus_Exception(st)) {
            PyConfig_Clear(&config);
            snprintf(why, why_len, "%s", st.err_msg ? st.err_msg : "?");
            return -1;
        }
        if (interp_start(&config, NULL, why, why_len) < 0)
            return -1;
        guard_forks(true);
        r = runner("setup", "(s)", method ? method : "");
        Py_XDECREF(r);
        if (!r && is_interrupt()) {     /* pyl_stop then dies of it */
            snprintf(why, why_len, "a signal stopped its set-up");
            return -1;
        }
        if (!r) {
            PyErr_Print();
            snprintf(why, why_len, "its set-up failed (traceback above)");
            return -1;
        }
    }
    if (read_info(info) == 0)
        return 0;
    PyErr_Clear();
    snprintf(why, why_len, "multiprocessing is missing");
    return -1;
}

/* Is the exception set a signal's (KeyboardInterrupt from _interrupt)? */
static bool is_interrupt(void)
{
    PyObject *r;
    long sig;

    if (!PyErr_ExceptionMatches(PyExc_KeyboardInterrupt))
        return false;
    PyErr_Clear();
    r = runner("interrupted", "()");
    sig = r ? PyLong_AsLong(r) : 0;
    Py_XDECREF(r);
    PyErr_Clear();
    return sig > 0;
}

/* PARDEMO_TRACEBACK=1: a snippet's whole traceback on stderr. */
static bool is_traceback_wanted(void)
{
    const char *v = getenv("PARDEMO_TRACEBACK");

    return v && !strcmp(v, "1");
}

static int numbers_of(PyObject *list, struct pyl_num *out, int cap)
{
    Py_ssize_t n = PyList_Size(list);

    for (Py_ssize_t i = 0; i < n && i < cap; i++) {
        PyObject *x = PyList_GET_ITEM(list, i);
        out[i].v = PyFloat_AsDouble(x);
        out[i].u = PyLong_Check(x) ? PyLong_AsUnsignedLongLongMask(x)
                                   : (uint64_t)out[i].v;
    }
    return PyErr_Occurred() ? PYL_ERROR : (int)n;
}

int pyl_call(struct pyl_num *out, int cap, const char *module,
             const char *function, const char *fmt, ...)
{
    PyObject *args = NULL, *r = NULL;
    va_list ap;
    int n = PYL_ERROR;

    if (PyErr_CheckSignals() == 0) {        /* one that came meanwhile */
        va_start(ap, fmt);
        args = Py_VaBuildValue(fmt, ap);
        va_end(ap);
        if (args)
            r = runner("call", "(ssO)", module, function, args);
        if (r)
            n = numbers_of(r, out, cap);
    }
    Py_XDECREF(args);
    Py_XDECREF(r);
    if (n >= 0)
        return n;
    if (is_interrupt())
        return PYL_INTERRUPTED;
    if (is_traceback_wanted())
        PyErr_Print();
    PyErr_Clear();
    return PYL_ERROR;
}

void pyl_why_failed(char *buf, size_t len, int err)
{
    if (err == EIO)
        pyl_error(buf, len);
    else
        snprintf(buf, len, "%s", strerror(err));
}

void pyl_error(char *buf, size_t len)
{
    PyObject *r = Py_IsInitialized() ? runner("error", "()") : NULL;
    const char *s = r ? PyUnicode_AsUTF8(r) : NULL;

    snprintf(buf, len, "%s", s && *s ? s : "Python failed");
    Py_XDECREF(r);
    PyErr_Clear();
}

void pyl_opts_init(struct pyl_opts *o)
{
    o->is_skipped = false;
    o->is_only = false;
    o->method = -1;
}

const char *pyl_method_name(const struct pyl_opts *o)
{
    static const char *const names[] = { "fork", "spawn", "forkserver" };

    return o->method >= 0 && o->method < 3 ? names[o->method] : NULL;
}

void pyl_describe(const struct pyl_info *info, char *buf, size_t len)
{
    size_t at;

    if (strcmp(info->method, info->default_method)) {
        snprintf(buf, len, "%s, start method %s (default: %s)",
                 info->version, info->method, info->default_method);
        return;
    }
    at = (size_t)snprintf(buf, len, "%s, start method %s (default",
                          info->version, info->method);
    for (int i = 0, k = 0; i < info->nmethods && at < len; i++) {
        if (!strcmp(info->methods[i], info->method))
            continue;
        at += (size_t)snprintf(buf + at, len - at, "%s%s",
                               k++ ? ", " : "; has ", info->methods[i]);
    }
    if (at < len)
        snprintf(buf + at, len - at, ")");
}

const char *pyl_source(const char *module)
{
    for (const struct pysrc *m = pysrc_modules; m->name; m++)
        if (!strcmp(m->name, module))
            return m->source;
    return NULL;
}

void pyl_stop(const struct pyl_info *info)
{
    PyObject *r;
    long sig = 0;

    if (!Py_IsInitialized())
        return;
    if (!(r = runner("stop", "()")))
        PyErr_Print();
    Py_XDECREF(r);
    guard_forks(false);
    if ((r = runner("interrupted", "()")))
        sig = PyLong_AsLong(r);
    Py_XDECREF(r);
    PyErr_Clear();
    Py_FinalizeEx();
    for (int i = 0; i < 5; i++)     /* pardemo's clean-up again */
        sigaction(taken_signals[i], &info->before[i], NULL);
    if (sig > 0) {
        sigset_t s;
        fflush(stdout);
        sigemptyset(&s);
        sigaddset(&s, (int)sig);
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        raise((int)sig);            /* pardemo's handler, which ends it */
        signal((int)sig, SIG_DFL);
        raise((int)sig);
    }
}

int pyl_opts_check(const char *topic, const struct pyl_opts *o)
{
    if (!o->is_skipped || !o->is_only)
        return -1;
    cli_error(topic, "--no-python and --python-only exclude each other");
    return 2;
}

int pyl_fail(int n)
{
    errno = n == PYL_INTERRUPTED ? EINTR : EIO;
    return -1;
}

int pyl_part_run(struct pyl_part *part, const char *topic,
                 const struct pyl_opts *o, struct report *r,
                 pyl_measure_fn *measure, void *ctx)
{
    char desc[200];
    int rc = 0;

    part->has_run = false;
    part->why[0] = '\0';
    if (o->is_skipped)
        return 0;
    if (pyl_start(pyl_method_name(o), &part->info, part->why,
                  sizeof(part->why)) == 0) {
        pyl_describe(&part->info, desc, sizeof(desc));
        report_param(r, "python", "%s", desc);
        rc = measure(ctx, r);
        part->has_run = rc == 0;
        if (rc < 0)
            pyl_why_failed(part->why, sizeof(part->why), errno);
    }
    pyl_stop(&part->info);
    if (rc < 0)
        cli_error(topic, "the Python part failed: %s", part->why);
    return rc < 0 ? -1 : 0;
}

void pyl_part_text(struct report *r, const struct pyl_part *part,
                   const struct pyl_opts *o, const char *topic,
                   const char *what, const char *ran)
{
    if (part->has_run)
        report_text(r, "%s", ran);
    else if (o->is_skipped)
        report_text(r, "The Python part was skipped (--no-python); without "
                    "it, %s also runs\n%s in pardemo's CPython, beside the "
                    "C.", topic, what);
    else
        report_text(r, "The Python part did not run: Python %s.", part->why);
}
