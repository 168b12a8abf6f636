/* check.h - helpers for a topic's command-line tests.
 * py_check reads a topic's CSV or JSON with python3, an independent
 * reader: it runs `PREFIX pardemo ARGS > out`, then `python3 SCRIPT <
 * out`; the script asserts what it expects and exits nonzero (its message
 * on stderr) when something is off.
 */
#ifndef CHECK_H
#define CHECK_H

#include "harness.h"

#include <stdio.h>

/* prefix: a command to run pardemo under ("taskset -c 0"), or "".
 * Returns the shell's capture: status 0 when both steps succeeded. */
struct cmd_out py_check(const char *prefix, const char *args,
                        const char *script);

/* python3 running the program src (written to a temporary file): its
 * capture, to compare pardemo's output with Python's own. */
struct cmd_out python_run(const char *src);

/* Asserts (Criterion) that `pardemo TOPIC A [B]` is a usage error: exit
 * status 2, nothing on stdout, one line on stderr naming the topic. */
void assert_usage_error(const char *topic, const char *a, const char *b);

/* Asserts that the -t range `pardemo TOPIC --help` prints is the real
 * cap: -t MAX runs (with the NULL-ended small `args` after it) and exits
 * 0, -t MAX+1 is a usage error of one line. */
void assert_threads_cap_is_the_help(const char *topic,
                                    const char *const *args);

/* Asserts that `pardemo ARGS --format json` passes python3 -m json.tool. */
void assert_json_parses(const char *args);

/* Asserts that `pardemo ARGS` (NULL-ended) exits 0 and leaves no child
 * behind, running or zombie: the test process becomes a subreaper, so
 * any orphan pardemo left would be its own. */
void assert_no_child_left(const char *const *args);

/* A new empty file TMP/pardemo-test-TAG-XXXXXX, open for writing in
 * *f: its path (free it; unlink it when done). */
char *temp_file(const char *tag, FILE **f);

/* The first line of what a shell command that must succeed prints (free
 * it): a reference answer computed by python3, say. */
char *sh_first_line(const char *cmd, int timeout_s);

/* The topics that have a worksheet (../worksheets/NN-TOPIC.md), in
 * lecture order (the NN): a NULL-ended array; free it with free_strv.
 * The lecture's topic lists of the tests come from here, never by hand. */
char **worksheet_topics(void);
void free_strv(char **v);

/* The whole text of the file at path (free it); the test fails when it
 * cannot be read. */
char *file_text(const char *path);

/* text with the lines the report wrapped at 80 columns joined again (a
 * continuation starts exactly 4 spaces in): a malloc'd copy in which each
 * "What to notice" sentence reads whole. */
char *unwrapped(const char *text);

/* Every line of out (what `what` printed) fits 80 columns on a
 * projector; a failed expectation names the line. */
void expect_fits_80_columns(const char *what, const char *out);

/* Is this command on PATH? */
int have_command(const char *name);

/* The whole file at path (free it); asserts it can be read. */
char *slurp_file(const char *path);

/* Writes text to path (created or emptied); asserts it was written. */
void write_text_file(const char *path, const char *text);

/* A test that needs a tool calls this first: when cmd is not on PATH the
 * test is skipped, naming the Debian package that has it, or, when CI is
 * set (make test installs every tool), fails naming the package. */
void require_tool(const char *cmd, const char *package);

/* Skips the test with why, or fails with it when CI is set: for what
 * make test provides (a tool, an MPI build) and a developer may lack. */
void skip_unless_ci(const char *why);

#endif
