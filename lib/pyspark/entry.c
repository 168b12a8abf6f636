/* entry.c - pardemo answering as Python when multiprocessing re-runs it.
 * The command line is multiprocessing's own (see entry.h); Python parses
 * it as python3 would, after the same configuration as every pardemo
 * interpreter (interp.c), so the child imports the built-in modules.
 */
#include "entry.h"
#include "interp.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char mp_code[] = "from multiprocessing.";

bool entry_is_multiprocessing(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-c"))
            return i + 1 < argc &&
                   !strncmp(argv[i + 1], mp_code, sizeof(mp_code) - 1);
        if (a[0] != '-' || a[1] == '-' || a[1] == '\0')
            return false;
        if (a[1] == 'W' || a[1] == 'X') {
            i += a[2] == '\0';  /* -W ACTION, -X OPTION (or -WACTION) */
            continue;
        }
        if (strspn(a + 1, "qIsBEPObvdSu") != strlen(a + 1))
            return false;       /* not one of Python's one-letter flags */
    }
    return false;
}

int entry_main(int argc, char **argv)
{
    PyConfig config;
    PyStatus st;
    const char *child = getenv("PARDEMO_LESSON_CHILD");

    if (child && !strcmp(child, "1"))
        signal(SIGINT, SIG_IGN);    /* before Python: it keeps SIG_IGN */
    PyConfig_InitPythonConfig(&config);
    config.parse_argv = 1;          /* -q -c CODE ... as python3 */
    st = interp_config(&config);
    if (!PyStatus_Exception(st))
        st = PyConfig_SetBytesArgv(&config, argc, argv);
    if (PyStatus_Exception(st)) {
        PyConfig_Clear(&config);
        Py_ExitStatusException(st);
    }
    if (interp_start(&config, "python", NULL, 0) < 0)
        return 1;
    return Py_RunMain();
}
