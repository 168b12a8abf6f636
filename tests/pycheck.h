/* pycheck.h - read a topic's CSV or JSON with python3, an independent
 * reader. py_check runs `PREFIX pardemo ARGS > out`, then
 * `python3 SCRIPT < out`; the script asserts what it expects and exits
 * nonzero (its message on stderr) when something is off.
 */
#ifndef PYCHECK_H
#define PYCHECK_H

#include "harness.h"

/* prefix: a command to run pardemo under ("taskset -c 0"), or "".
 * Returns the shell's capture: status 0 when both steps succeeded. */
struct cmd_out py_check(const char *prefix, const char *args,
                        const char *script);

/* Is this command on PATH? (to skip a test that needs taskset) */
int have_command(const char *name);

#endif
