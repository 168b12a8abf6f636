/* private.c - random names and directories only we may enter.
 * A predictable name (/tmp/pardemo-PID.sock, /dev/shm/pardemo-PID-shm)
 * lets another user create it first: our run then fails, or follows
 * their symlink. mkdtemp and O_EXCL with a random name close that door.
 */
#define _GNU_SOURCE
#include "private.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

uint64_t priv_rand64(void)
{
    uint64_t x = 0;
    struct timespec t;

    if (getrandom(&x, sizeof(x), 0) == (ssize_t)sizeof(x))
        return x;
    /* no getrandom (a very old kernel): not secret, still unique-ish */
    clock_gettime(CLOCK_MONOTONIC, &t);
    x = (uint64_t)t.tv_nsec ^ ((uint64_t)t.tv_sec << 32) ^
        ((uint64_t)getpid() << 16);
    return x * 0x9E3779B97F4A7C15ULL;
}

const char *priv_ipc_name(char *buf, size_t len, const char *what)
{
    snprintf(buf, len, "/pardemo-%ld-%016llx-%s", (long)getpid(),
             (unsigned long long)priv_rand64(), what);
    return buf;
}

/* $XDG_RUNTIME_DIR counts only when it is a directory of ours that
 * nobody else may enter (what the XDG spec promises). */
static const char *runtime_dir(void)
{
    const char *d = getenv("XDG_RUNTIME_DIR");
    struct stat st;

    if (!d || d[0] != '/' || stat(d, &st) < 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != geteuid() || (st.st_mode & 077))
        return NULL;
    return d;
}

char *priv_dir(size_t max_len, size_t room, int *slot)
{
    const char *bases[] = { runtime_dir(), priv_tmp_base(), "/tmp" };
    char *path = NULL;
    int err = ENAMETOOLONG;
    sigset_t held;

    *slot = -1;
    for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        if (!bases[i])
            continue;
        if (asprintf(&path, "%s/pardemo-%ld-XXXXXX", bases[i],
                     (long)getpid()) < 0)
            return NULL;
        /* a signal between mkdtemp and the registering would leave the
         * directory behind: it waits until both are done */
        cleanup_hold(&held);
        if (strlen(path) + room < max_len && mkdtemp(path)) {
            *slot = cleanup_add(CLEAN_TREE, path);
            cleanup_release(&held);
            return path;
        }
        err = strlen(path) + room < max_len ? errno : ENAMETOOLONG;
        cleanup_release(&held);
        free(path);
        path = NULL;
    }
    errno = err;
    return NULL;
}

void priv_dir_remove(char *path, int slot)
{
    cleanup_remove(slot);       /* the directory and the files we put in */
    free(path);
}

const char *priv_tmp_base(void)
{
    const char *dir = getenv("TMPDIR");

    return dir && dir[0] == '/' ? dir : "/tmp";
}

int priv_temp_file(const char *tag, char **path, int *slot)
{
    sigset_t held;
    int fd, e;

    *slot = -1;
    if (asprintf(path, "%s/pardemo-%ld-%s-%016llx", priv_tmp_base(),
                 (long)getpid(), tag,
                 (unsigned long long)priv_rand64()) < 0) {
        *path = NULL;
        return -1;
    }
    /* a signal between the name's making and its registering would
     * leave the file behind: it waits until both are done */
    cleanup_hold(&held);
    fd = open(*path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    e = errno;
    if (fd >= 0)
        *slot = cleanup_add(CLEAN_FILE, *path);
    cleanup_release(&held);
    if (fd < 0) {
        free(*path);
        *path = NULL;
        errno = e;
        return -1;
    }
    return fd;
}

void priv_temp_remove(char *path, int slot)
{
    if (slot >= 0)
        cleanup_remove(slot);
    else if (path)
        unlink(path);
    free(path);
}
