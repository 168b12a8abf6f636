/* harness.h - run the real pardemo binary and capture what it printed.
 * Command-line tests exec the binary the suite was built with (the
 * PARDEMO_BIN environment variable), so they see exactly what a student
 * sees: exit status, stdout and stderr.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stddef.h>
#include <sys/types.h>

struct cmd_out {
    int status;         /* exit status, or 128 + signal */
    char *out, *err;    /* NUL-terminated; free with cmd_free */
    size_t out_len, err_len;
};

/* Runs pardemo with args (NULL-ended, without "pardemo"), feeding
 * stdin_data (or /dev/null when NULL). Kills it after timeout_s seconds
 * (status 137 then). Extra environment "NAME=value" strings in env
 * (NULL-ended, may be NULL) are added. */
struct cmd_out cmd_run_env(const char *const *args, const char *stdin_data,
                           const char *const *env, int timeout_s);
struct cmd_out cmd_run(const char *const *args);

/* Runs a shell command line (sh -c); same capture. */
struct cmd_out cmd_sh(const char *line, int timeout_s);

void cmd_free(struct cmd_out *c);

/* Each live process of the process group pgid: its parent, its signal
 * masks, what each of its threads waits in (malloc'd text). */
char *describe_group(pid_t pgid);

/* Number of '\n'-ended lines in s (a last line without '\n' counts). */
size_t count_lines(const char *s);

/* The path of the binary under test, and of ../shared/data/NAME. */
const char *pardemo_bin(void);
const char *shared_data(const char *name, char *buf, size_t len);

/* Where tests put temporary files: $TMPDIR (make test gives each run of
 * the suite its own, removed afterwards), else /tmp. */
const char *tmp_root(void);

/* "ROOT/pardemo-test-TAG-XXXXXX", malloc'd, for mkstemp (tag "" gives
 * "ROOT/pardemo-test-XXXXXX"). */
char *tmp_template(const char *tag);

/* A fresh temporary directory (mkdtemp under tmp_root()); removed by
 * rm_tree. */
char *make_tmpdir(void);
void rm_tree(const char *path);

/* The number of live (non-zombie) children and zombie processes whose
 * parent is this process — for "no child left behind" checks. */
int count_zombies_of(int ppid);

/* Reaps any child of this process and returns how many there were (a
 * still-running one counts once). With PR_SET_CHILD_SUBREAPER set, the
 * orphans a finished pardemo left behind are ours, so 0 means it left
 * no child. */
int leftover_children(void);

#endif
