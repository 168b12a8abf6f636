/* entry.h - pardemo answering as Python when multiprocessing re-runs it.
 * Under the spawn and forkserver start methods (and for its resource
 * tracker) multiprocessing starts sys.executable with `-c "from
 * multiprocessing... import ..."`. In pardemo sys.executable is pardemo
 * itself (interp.c), so main() asks entry_is_multiprocessing first and
 * hands such a command line to entry_main: still one Python, the one in
 * the binary, with the same built-in modules (a snippet's functions are
 * found in the child by the name they have in the parent).
 */
#ifndef ENTRY_H
#define ENTRY_H

#include <stdbool.h>

/* Is argv a command line multiprocessing runs: Python's flags (-q, -I,
 * -s, -B, -E, -O, -W X, -X X, ...), then -c with code that starts
 * "from multiprocessing."? Nothing else pardemo accepts looks so. */
bool entry_is_multiprocessing(int argc, char **argv);

/* Runs argv as python3 would (Py_RunMain) and returns its exit status.
 * With PARDEMO_LESSON_CHILD=1 in the environment (a topic's Python part
 * sets it) Ctrl-C is ignored: the topic, the parent, stops its children
 * itself, without a KeyboardInterrupt traceback from each. */
int entry_main(int argc, char **argv);

#endif
