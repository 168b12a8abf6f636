/* private.h - names another user can neither guess nor plant in advance.
 * A shm segment or message queue name carries our pid (whose it is) and
 * 64 random bits (nobody can make it first); socket files and temp files
 * live in a directory only we may enter (mode 0700) or are created with
 * O_EXCL|O_NOFOLLOW under a random name.
 */
#ifndef PRIVATE_H
#define PRIVATE_H

#include <stddef.h>
#include <stdint.h>

/* 64 bits from the kernel's random pool (getrandom). */
uint64_t priv_rand64(void);

/* "/pardemo-PID-RANDOM-what": a fresh shm or mq name, in buf. */
const char *priv_ipc_name(char *buf, size_t len, const char *what);

/* A directory only we may enter: BASE/pardemo-PID-XXXXXX, mode 0700, BASE
 * the first of $XDG_RUNTIME_DIR (when it is ours and 0700), $TMPDIR and
 * /tmp where the whole path plus room bytes fits in max_len (a socket
 * path must fit in 108). Registered with lib/cleanup. Returns the path
 * (malloc'd) and its slot, or NULL with errno. */
char *priv_dir(size_t max_len, size_t room, int *slot);

/* Removes the directory made by priv_dir (and the files in it), forgets
 * it and frees path. */
void priv_dir_remove(char *path, int slot);

/* A new temp file $TMPDIR/pardemo-PID-TAG-RANDOM (or /tmp/...), created
 * with O_EXCL|O_NOFOLLOW, mode 0600, registered with lib/cleanup.
 * Returns its fd (the path malloc'd in *path), or -1 with errno. */
int priv_temp_file(const char *tag, char **path, int *slot);

/* Where temp files go: $TMPDIR when it is an absolute path, else /tmp. */
const char *priv_tmp_base(void);

/* Unlinks it, forgets it, frees path (NULL: nothing). */
void priv_temp_remove(char *path, int slot);

#endif
