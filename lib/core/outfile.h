/* outfile.h - an output file is whole or absent, and lands where the
 * user said, nowhere else. The data goes to a temp file beside the target
 * (O_EXCL|O_NOFOLLOW, a random name with our pid in it, registered with
 * lib/cleanup), renamed over the target only when complete: Ctrl-C, a
 * full disk or a crash leave the old file, or nothing. A symbolic link
 * owned by another user is never followed (it may have been planted to
 * make us overwrite a file of ours); a device or a pipe (/dev/null,
 * /dev/stdout on a terminal) is written directly.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

/* errno-style codes of our own, for outfile_strerror */
#define OUTFILE_EFOREIGN 0x7f01     /* a symbolic link of another user's */
#define OUTFILE_ESWAPPED 0x7f02     /* our temp file's name was taken */

struct outfile {
    FILE *f;                /* write here */
    int dirfd;              /* the target's directory (-1: written direct) */
    char *base;             /* the target's name in it */
    char *tmp;              /* the temp file's name in it (NULL: direct) */
    int slot;               /* lib/cleanup's, for the temp file */
    bool is_dir_error;      /* the last error was the directory's */
};

/* Opens path for writing as described above. Returns 0, or -1 with errno
 * (and o->is_dir_error when the directory refused: missing, not ours to
 * write, read-only). */
int outfile_open(struct outfile *o, const char *path);

/* The same for name inside the directory open as dirfd. */
int outfile_open_at(struct outfile *o, int dirfd, const char *name);

/* Flushes, closes and renames the temp file over the target. Returns 0,
 * or -1 with errno (the temp file removed, the target untouched). */
int outfile_commit(struct outfile *o);

/* Closes and removes the temp file: the target is untouched. */
void outfile_abort(struct outfile *o);

/* Opens the directory path (O_PATH), making it when missing and
 * is_create (mode 0777 less the umask). A symbolic link of another
 * user's is refused. Returns the fd, or -1 with errno. */
int outfile_dir(const char *path, bool is_create);

/* Opens the directory part of path (O_PATH) and puts the last component
 * in *base (malloc'd; "out/" is "out", "x" is in "."). Returns the fd,
 * or -1 with errno. */
int outfile_split(const char *path, char **base);

/* Is this (lstat'ed) entry a symbolic link owned by someone other than us
 * or root? Such a link is never followed. */
bool outfile_is_foreign_link(const struct stat *l);

/* cli_strerror (which names the limit behind EFBIG, EMFILE...), and the
 * words for OUTFILE_EFOREIGN and OUTFILE_ESWAPPED. */
const char *outfile_strerror(int err);

/* Prints the error line for path (lib/core/cli): "cannot write PATH:
 * why", or "cannot create files in DIR: why" when the directory was the
 * problem (not ours to write, read-only). */
void outfile_say(const char *topic, const struct outfile *o,
                 const char *path, int err);

#endif
