/* embed.c - CPython inside pardemo: one interpreter, initialised once.
 * The interpreter is Debian's libpython, configured as PySpark's workers
 * run it (the hash seed fixed to 0, so str keys land in the partitions
 * PySpark puts them in); the engine is the built-in module `_pardemo`;
 * `pyspark` is served from the binary. Then Python itself runs the
 * shell (readline, history), the -c code or the script.
 */
#include "binding.h"
#include "cleanup.h"
#include "pyspark.h"
#include "pysrc.h"

#include <errcode.h>
#include <marshal.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The importer that serves the built-in pyspark package (its code is
 * the module _pardemo_boot, in the table like the others). */
static int install_importer(void)
{
    const struct pysrc *m = pysrc_modules;
    PyObject *code, *mod, *r = NULL;

    while (m->name && strcmp(m->name, "_pardemo_boot"))
        m++;
    if (!m->name)
        return -1;
    code = PyMarshal_ReadObjectFromString((const char *)m->code,
                                          (Py_ssize_t)m->code_len);
    mod = code ? PyImport_ExecCodeModuleEx("_pardemo_boot", code, m->file)
               : NULL;
    if (mod)
        r = mod;
    Py_XDECREF(code);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

/* sc and spark in __main__, the shell's error hints: pyspark.shell. */
static int setup_shell(const struct pyspark_args *a, bool is_repl)
{
    PyObject *shell = PyImport_ImportModule("pyspark.shell"), *r = NULL;

    if (shell)
        r = PyObject_CallMethod(shell, "setup", "iii", a->threads,
                                (int)a->is_explain, (int)is_repl);
    Py_XDECREF(shell);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static PyStatus configure(PyConfig *config, const struct pyspark_args *a)
{
    static const char python[] = "/usr/bin/python" Py_STRINGIFY(
        PY_MAJOR_VERSION) "." Py_STRINGIFY(PY_MINOR_VERSION);
    PyStatus st;

    PyConfig_InitPythonConfig(config);
    config->use_hash_seed = 1;      /* PYTHONHASHSEED=0, as PySpark sets */
    config->hash_seed = 0;
    config->parse_argv = 0;         /* pardemo parsed them */
    config->quiet = 1;              /* our banner, not Python's */
    /* sys.executable is Python's own, so that multiprocessing can start
     * Python processes (pardemo is not a python3) */
    if (access(python, X_OK) == 0 &&
        PyStatus_Exception(st = PyConfig_SetBytesString(
            config, &config->executable, python)))
        return st;
    if (a->code) {
        char *args[a->argc + 2];    /* sys.argv: ['-c', ARG...] */
        args[0] = "-c";
        for (int i = 0; i < a->argc; i++)
            args[i + 1] = a->argv[i];
        st = PyConfig_SetBytesArgv(config, a->argc + 1, args);
        if (!PyStatus_Exception(st))
            st = PyConfig_SetBytesString(config, &config->run_command,
                                         a->code);
        return st;
    }
    if (a->argc > 0 && strcmp(a->argv[0], "-")) {
        st = PyConfig_SetBytesArgv(config, a->argc, a->argv);
        if (!PyStatus_Exception(st))
            st = PyConfig_SetBytesString(config, &config->run_filename,
                                         a->argv[0]);
        return st;
    }
    return PyConfig_SetBytesArgv(config, a->argc > 0 ? a->argc : 0,
                                 a->argv);
}

static void flush_std(void)
{
    static const char *const names[] = { "stdout", "stderr" };

    for (int i = 0; i < 2; i++) {
        PyObject *f = PySys_GetObject(names[i]), *r;
        if (f && f != Py_None && (r = PyObject_CallMethod(f, "flush", NULL)))
            Py_DECREF(r);
        PyErr_Clear();
    }
}

/* After KeyboardInterrupt, end as python3 ends: killed by SIGINT, so
 * the shell that started us knows. */
static void die_of_sigint(void)
{
    signal(SIGINT, SIG_DFL);
    raise(SIGINT);
}

/* Did the last entry end with KeyboardInterrupt? */
static bool is_interrupted(void)
{
    PyObject *t = PySys_GetObject("last_type");

    return t && t == PyExc_KeyboardInterrupt;
}

/* Lines on a pipe: the shell's rules (each expression's value echoed,
 * a blank line ends a block) without its prompts. Returns the status of
 * the last entry, 1 if it raised. */
static int run_piped(void)
{
    PyCompilerFlags cf = _PyCompilerFlags_INIT;
    PyObject *empty = PyUnicode_FromString("");
    int last = 0, rc;

    if (!empty || PySys_SetObject("ps1", empty) < 0 ||
        PySys_SetObject("ps2", empty) < 0)
        return 1;
    Py_DECREF(empty);
    for (;;) {
        int c = getc(stdin);    /* at the end, Python would print "\n" */
        if (c == EOF || ungetc(c, stdin) == EOF)
            break;
        if ((rc = PyRun_InteractiveOneFlags(stdin, "<stdin>", &cf)) == E_EOF)
            break;
        last = rc != 0;
        flush_std();        /* each entry's output in order */
        if (rc != 0 && is_interrupted())
            break;          /* Ctrl-C ends a piped run, as a script's */
    }
    return last;
}

/* A script on stdin (pardemo spark -): run as python3 - runs it. */
static int run_stdin_script(void)
{
    PyCompilerFlags cf = _PyCompilerFlags_INIT;

    return PyRun_AnyFileExFlags(stdin, "<stdin>", 0, &cf) != 0;
}

static void banner(int threads)
{
    printf("pardemo spark: Python %s with PySpark's RDD API on pardemo's C "
           "engine (no JVM)\nSparkContext available as 'sc' (local[%d]), "
           "SparkSession as 'spark'. Ctrl-D to leave.\n", PY_VERSION,
           threads);
    fflush(stdout);
}

/* Python initialised, with pardemo's cleanup for the other signals:
 * 0, or -1 when it could not start (printed). */
static int init_python(const struct pyspark_args *a)
{
    PyConfig config;
    PyStatus st;
    struct sigaction py_int, pipe_was;

    if (PyImport_AppendInittab("_pardemo", PyInit__pardemo) < 0 ||
        PyImport_AppendInittab("_pardemo_sql", PyInit__pardemo_sql) < 0)
        return -1;
    st = configure(&config, a);
    sigaction(SIGPIPE, NULL, &pipe_was);
    /* Python makes SIGINT its KeyboardInterrupt only over SIG_DFL, and
     * pardemo's main gave it to lib/cleanup: hand it back (an ignored
     * SIGINT, as in a background job, stays ignored) */
    sigaction(SIGINT, NULL, &py_int);
    if (py_int.sa_handler != SIG_IGN)
        signal(SIGINT, SIG_DFL);
    if (!PyStatus_Exception(st))
        st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    /* Python ignores SIGPIPE (a closed pipe is its BrokenPipeError, with
     * a traceback); pardemo's is every topic's: clean up, then end as the
     * signal says (`pardemo spark x.py | head` ends quietly) */
    sigaction(SIGPIPE, &pipe_was, NULL);
    if (PyStatus_Exception(st)) {
        fprintf(stderr, "pardemo: spark: cannot start Python: %s\n",
                st.err_msg ? st.err_msg : "unknown error");
        return -1;
    }
    /* SIGTERM (and the rest cleanup.c handles) reaps the workers and
     * removes what a job was writing, then ends pardemo; SIGINT stays
     * Python's: KeyboardInterrupt, which stops a job and its workers */
    sigaction(SIGINT, NULL, &py_int);
    cleanup_init();
    sigaction(SIGINT, &py_int, NULL);
    return 0;
}

/* Python initialised, pyspark ready, sc and spark in __main__: 0, or
 * the exit status when it failed (printed). */
static int start_python(const struct pyspark_args *a, bool is_shell)
{
    sigset_t hold, saved;
    int rc;

    /* Ctrl-C while Python starts would fail its start ("Failed to import
     * the site module", exit 1, as python3's); held until Python can
     * take it, it is a KeyboardInterrupt like any other */
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigprocmask(SIG_BLOCK, &hold, &saved);
    rc = init_python(a);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    if (rc < 0)
        return 1;
    if (install_importer() < 0 || setup_shell(a, is_shell) < 0) {
        bool is_int = PyErr_ExceptionMatches(PyExc_KeyboardInterrupt);
        PyErr_Print();
        Py_FinalizeEx();
        if (is_int)
            die_of_sigint();
        return 1;
    }
    return 0;
}

int pyspark_main(const struct pyspark_args *a)
{
    bool is_shell = !a->code && a->argc == 0;
    bool is_stdin_script = !a->code && a->argc > 0 && !strcmp(a->argv[0],
                                                                "-");
    int rc = start_python(a, is_shell);

    if (rc)
        return rc;
    if (is_shell && !isatty(STDIN_FILENO)) {
        rc = run_piped();
        if (is_interrupted()) {
            Py_FinalizeEx();
            die_of_sigint();
        }
    } else if (is_stdin_script) {
        rc = run_stdin_script();
    } else {
        if (is_shell)
            banner(a->threads);
        return Py_RunMain();    /* finalizes Python */
    }
    if (Py_FinalizeEx() < 0 && rc == 0)
        rc = 120;               /* as python3: output could not be flushed */
    return rc;
}
