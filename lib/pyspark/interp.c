/* interp.c - the one CPython in pardemo, as every entry point starts it.
 * Notice sys.executable: it is this binary, so that a multiprocessing
 * child started by spawn or forkserver runs the same Python (the one
 * pardemo links) with the same built-in modules (entry.c answers it).
 */
#include "interp.h"
#include "binding.h"
#include "pysrc.h"
#include "path.h"

#include <marshal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The importer that serves the built-in modules (its code is the module
 * _pardemo_boot, in the table like the others). */
static int install_importer(void)
{
    const struct pysrc *m = pysrc_modules;
    PyObject *code, *mod;

    while (m->name && strcmp(m->name, "_pardemo_boot"))
        m++;
    if (!m->name)
        return -1;
    code = PyMarshal_ReadObjectFromString((const char *)m->code,
                                          (Py_ssize_t)m->code_len);
    mod = code ? PyImport_ExecCodeModuleEx("_pardemo_boot", code, m->file)
               : NULL;
    Py_XDECREF(code);
    Py_XDECREF(mod);
    return mod ? 0 : -1;
}

PyStatus interp_config(PyConfig *config)
{
    char *self = path_read_link("/proc/self/exe");
    PyStatus st;

    config->use_hash_seed = 1;      /* PYTHONHASHSEED=0, as PySpark sets */
    config->hash_seed = 0;
    config->quiet = 1;              /* our banner, not Python's */
    if (!self || !*self) {
        free(self);
        return PyStatus_Ok();       /* no /proc: Python finds its own */
    }
    st = PyConfig_SetBytesString(config, &config->executable, self);
    free(self);
    return st;
}

int interp_start(PyConfig *config, const char *who, char *why,
                 size_t why_len)
{
    PyStatus st;
    char msg[300];

    if (PyImport_AppendInittab("_pardemo", PyInit__pardemo) < 0 ||
        PyImport_AppendInittab("_pardemo_sql", PyInit__pardemo_sql) < 0) {
        PyConfig_Clear(config);
        snprintf(msg, sizeof(msg), "the built-in module table is full");
        goto fail;
    }
    st = Py_InitializeFromConfig(config);
    PyConfig_Clear(config);
    if (PyStatus_Exception(st)) {
        snprintf(msg, sizeof(msg), "%s%s%s", st.func ? st.func : "",
                 st.func ? ": " : "", st.err_msg ? st.err_msg : "unknown");
        goto fail;
    }
    if (install_importer() == 0)
        return 0;
    if (!why)
        PyErr_Print();
    PyErr_Clear();
    snprintf(msg, sizeof(msg), "its built-in modules do not load");
fail:
    if (why)
        snprintf(why, why_len, "%s", msg);
    else
        fprintf(stderr, "pardemo: %s: cannot start Python: %s\n", who, msg);
    return -1;
}
