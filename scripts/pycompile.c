/* pycompile.c - build tool: Python sources into a C file of bytecode.
 * usage: pycompile OUT.c ROOT FILE.py...
 * Each FILE (under ROOT) is compiled by the libpython pardemo links, so
 * the bytecode matches the interpreter that will run it, and written as
 * bytes (marshal format) with its source, in a table the embedded
 * importer (lib/pyspark/embed.c) serves: the binary then needs nothing
 * on disk but libpython and the standard library.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <marshal.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) < 0 || !(buf = malloc((size_t)n + 1)) ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "pycompile: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void put_bytes(FILE *out, const char *name, int i,
                      const unsigned char *p, size_t n)
{
    fprintf(out, "static const unsigned char %s%d[] = {", name, i);
    for (size_t k = 0; k < n; k++)
        fprintf(out, "%s%u,", k % 20 ? "" : "\n   ", p[k]);
    fprintf(out, "\n};\n");
}

/* The bytecode and the source of module number i (its file path, and
 * rel, its path under the root): 0, or -1 after printing the error. */
static int put_module(FILE *out, int i, const char *path, const char *rel)
{
    size_t len;
    char *src = slurp(path, &len), shown[600];
    PyObject *code, *bytes;

    snprintf(shown, sizeof(shown), "<pardemo>/%s", rel);
    code = Py_CompileString(src, shown, Py_file_input);
    bytes = code ? PyMarshal_WriteObjectToString(code, Py_MARSHAL_VERSION)
                 : NULL;
    if (!bytes) {
        PyErr_Print();
        return -1;
    }
    put_bytes(out, "code", i, (const unsigned char *)PyBytes_AS_STRING(bytes),
              (size_t)PyBytes_GET_SIZE(bytes));
    put_bytes(out, "source", i, (const unsigned char *)src, len + 1);
    Py_DECREF(bytes);
    Py_DECREF(code);
    free(src);
    return 0;
}

/* "pyspark/sql/__init__.py" -> "pyspark.sql", a package */
static char *module_name(const char *rel, int *is_package)
{
    char *name = strdup(rel), *dot;

    *is_package = 0;
    if ((dot = strstr(name, "/__init__.py")) && dot[12] == '\0') {
        *dot = '\0';
        *is_package = 1;
    } else if ((dot = strrchr(name, '.'))) {
        *dot = '\0';
    }
    for (char *c = name; *c; c++)
        if (*c == '/')
            *c = '.';
    return name;
}

int main(int argc, char **argv)
{
    PyConfig config;
    FILE *out;

    if (argc < 3) {
        fputs("usage: pycompile OUT.c ROOT FILE.py...\n", stderr);
        return 2;
    }
    PyConfig_InitIsolatedConfig(&config);
    config.site_import = 0;
    if (PyStatus_Exception(Py_InitializeFromConfig(&config)))
        return 1;
    PyConfig_Clear(&config);
    if (!(out = fopen(argv[1], "w")))
        return 1;
    fputs("/* made by scripts/pycompile.c from lib/pyspark/python: do not "
          "edit */\n#include <stddef.h>\n#include \"pyspark/pysrc.h\"\n\n",
          out);
    size_t root = strlen(argv[2]);
    for (int i = 3; i < argc; i++)
        if (put_module(out, i, argv[i], argv[i] + root +
                                        (argv[i][root] == '/')) < 0)
            return 1;
    fputs("\nconst struct pysrc pysrc_modules[] = {\n", out);
    for (int i = 3; i < argc; i++) {
        int is_package;
        const char *rel = argv[i] + root + (argv[i][root] == '/');
        char *name = module_name(rel, &is_package);
        fprintf(out, "    { \"%s\", \"<pardemo>/%s\", %d, code%d, "
                "sizeof(code%d), (const char *)source%d },\n", name, rel,
                is_package, i, i, i);
        free(name);
    }
    fputs("    { NULL, NULL, 0, NULL, 0, NULL },\n};\n", out);
    if (fclose(out) != 0)
        return 1;
    return Py_FinalizeEx() < 0 ? 1 : 0;
}
