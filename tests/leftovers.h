/* leftovers.h - did a pardemo run leave anything behind?
 * Runs pardemo in the background (so a test knows its pid and can signal
 * it mid-run), then looks for what a run with that pid could have left:
 * shm segments, message queues, socket files, child processes.
 */
#ifndef LEFTOVERS_H
#define LEFTOVERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Starts pardemo with args (NULL-ended); stdout goes to /dev/null, stderr
 * to errfile. Returns the pid. */
pid_t bg_start(const char *const *args, const char *errfile);

/* Waits up to timeout_s (then SIGKILL). Returns the exit status, or 128 +
 * the signal that ended it. */
int bg_wait(pid_t pid, int timeout_s);

/* bg_start + bg_wait (120 s): returns the status, fills the pid and the
 * text on stderr (malloc'd). */
int bg_run(const char *const *args, pid_t *pid, char **err);

/* Children of pid now (up to max); returns how many. */
int bg_children(pid_t pid, pid_t *out, int max);

/* Waits up to timeout_s for path to exist / for pid to have a child. */
bool wait_for_path(const char *path, int timeout_s);
/* Waits up to timeout_s for an entry of dir named pardemo-PID-... that
 * ends in suffix ("" for any): run-unique names carry a random part. dir
 * NULL: where private directories go ($XDG_RUNTIME_DIR, $TMPDIR, /tmp). */
bool wait_for_name(const char *dir, pid_t pid, const char *suffix,
                   int timeout_s);
bool wait_for_child(pid_t pid, int timeout_s);

/* Mounts /dev/mqueue when we are root and it is not mounted yet, so that
 * queues can be listed. Returns whether it is mounted. */
bool mqueue_mount(void);

/* What a run with this pid left behind, as text in buf ("" when nothing):
 * /dev/shm/pardemo-PID-*, /dev/mqueue/pardemo-PID-* (when mounted),
 * pardemo-PID-* in /tmp, $TMPDIR and $XDG_RUNTIME_DIR, and live processes
 * among kids[0..nkids). */
const char *leftovers(pid_t pid, const pid_t *kids, int nkids, char *buf,
                      size_t len);

/* The whole of a small file, NUL-terminated (malloc'd), or NULL. */
char *read_text(const char *path);

#endif
