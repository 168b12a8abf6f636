/* outfile.c - write beside, then rename: whole or absent, never through a
 * planted link. rename() replaces a directory entry atomically and never
 * follows a symbolic link at the target, so whatever another user put at
 * the name (a link to /etc/shadow) is replaced, never written through.
 */
#define _GNU_SOURCE
#include "outfile.h"
#include "cleanup.h"
#include "cli.h"
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *outfile_strerror(int err)
{
    if (err == OUTFILE_EFOREIGN)
        return "a symbolic link owned by another user (not followed)";
    if (err == OUTFILE_ESWAPPED)
        return "its temporary file was replaced by someone else while it "
               "was written (not renamed into place)";
    return cli_strerror(err);   /* naming the limit: ulimit -f, -n... */
}

int outfile_split(const char *path, char **base)
{
    size_t n = strlen(path);
    const char *slash;
    char *dir;
    int fd, e;

    *base = NULL;
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 0) {
        errno = ENOENT;
        return -1;
    }
    slash = memrchr(path, '/', n);
    if (!slash)
        dir = strdup(".");
    else
        dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
    *base = slash && n == 1 ? strdup(".") : strndup(slash ? slash + 1 : path,
                                                    n - (slash ? (size_t)(slash
                                                    - path) + 1 : 0));
    fd = dir && *base ? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
    e = dir && *base ? errno : ENOMEM;
    free(dir);
    if (fd < 0) {
        free(*base);
        *base = NULL;
        errno = e;
    }
    return fd;
}

/* Links are followed only when they are ours or root's (as the kernel's
 * protected_symlinks does in sticky directories). */
bool outfile_is_foreign_link(const struct stat *l)
{
    return S_ISLNK(l->st_mode) && l->st_uid != geteuid() && l->st_uid != 0;
}

static int fail(struct outfile *o, int err, bool is_dir)
{
    o->is_dir_error = is_dir;
    errno = err;
    return -1;
}

/* A device, a pipe: written where it is (no temp file can replace it). */
static int open_direct(struct outfile *o, int dirfd, const char *base,
                       int flags)
{
    int fd = openat(dirfd, base, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC |
                    flags);

    if (fd < 0)
        return fail(o, errno, false);
    if (!(o->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        return fail(o, e, false);
    }
    return 0;
}

/* The temp file: ".BASE.pardemo-PID-RANDOM" (BASE cut to 200 bytes so the
 * name fits in 255), created where nothing exists (O_EXCL), registered
 * before any signal can land. A file it replaces keeps its mode. */
static int open_temp(struct outfile *o, int dirfd, const char *base,
                     const struct stat *old)
{
    sigset_t held;
    int fd = -1, e = 0;

    for (int tries = 0; fd < 0 && tries < 8; tries++) {
        free(o->tmp);
        if (asprintf(&o->tmp, ".%.200s.pardemo-%ld-%016llx", base,
                     (long)getpid(), (unsigned long long)priv_rand64()) < 0)
            return o->tmp = NULL, fail(o, ENOMEM, false);
        cleanup_hold(&held);
        fd = openat(dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                    O_CLOEXEC, 0666);
        e = errno;
        if (fd >= 0)
            o->slot = cleanup_add_at(CLEAN_FILE, dirfd, o->tmp);
        cleanup_release(&held);
        if (fd < 0 && e != EEXIST)
            break;
    }
    if (fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
        return fail(o, e, e == EACCES || e == EROFS || e == EPERM ||
                          e == ENOENT || e == ENOTDIR);
    }
    if (old)
        fchmod(fd, old->st_mode & 07777);
    o->f = fdopen(fd, "w");
    o->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    o->base = strdup(base);
    if (!o->f || o->dirfd < 0 || !o->base) {
        e = errno;
        if (!o->f)
            close(fd);
        outfile_abort(o);
        return fail(o, e, false);
    }
    return 0;
}

/* path is a link of ours (or root's, like /dev/stdout): a device or a
 * pipe behind it is written directly; a regular file is replaced where
 * it really is, by the same temp + rename. */
static int via_link(struct outfile *o, int dirfd, const char *base)
{
    char *at, *real, *real_base;
    struct stat t;
    int real_dir, rc, e;

    if (fstatat(dirfd, base, &t, 0) < 0)
        return fail(o, errno, false);
    if (S_ISDIR(t.st_mode))
        return fail(o, EISDIR, false);
    if (!S_ISREG(t.st_mode))
        return open_direct(o, dirfd, base, 0);
    if (asprintf(&at, "/proc/self/fd/%d/%s", dirfd, base) < 0)
        return fail(o, ENOMEM, false);
    real = realpath(at, NULL);      /* malloc'd: a path of any length */
    e = errno;
    free(at);
    if (!real)
        return fail(o, e, false);
    real_dir = outfile_split(real, &real_base);
    e = errno;
    free(real);
    if (real_dir < 0)
        return fail(o, e, true);
    rc = open_temp(o, real_dir, real_base, &t);
    close(real_dir);
    free(real_base);
    return rc;
}

int outfile_open_at(struct outfile *o, int dirfd, const char *base)
{
    struct stat l;

    memset(o, 0, sizeof(*o));
    o->dirfd = -1;
    o->slot = -1;
    if (fstatat(dirfd, base, &l, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno != ENOENT)
            return fail(o, errno, errno == EACCES || errno == ENOTDIR);
        return open_temp(o, dirfd, base, NULL);
    }
    if (outfile_is_foreign_link(&l))
        return fail(o, OUTFILE_EFOREIGN, false);
    if (S_ISLNK(l.st_mode))
        return via_link(o, dirfd, base);
    if (S_ISDIR(l.st_mode))
        return fail(o, EISDIR, false);
    if (!S_ISREG(l.st_mode))
        return open_direct(o, dirfd, base, O_NOFOLLOW);
    return open_temp(o, dirfd, base, &l);
}

int outfile_open(struct outfile *o, const char *path)
{
    char *base;
    int dirfd = outfile_split(path, &base), rc;

    if (dirfd < 0) {
        int e = errno;
        memset(o, 0, sizeof(*o));
        o->dirfd = -1;
        o->slot = -1;
        return fail(o, e, true);
    }
    if (path[strlen(path) - 1] == '/') {
        struct stat st;
        rc = fstatat(dirfd, base, &st, 0) == 0 && S_ISDIR(st.st_mode)
             ? EISDIR : ENOTDIR;
        memset(o, 0, sizeof(*o));
        o->dirfd = o->slot = -1;
        rc = fail(o, rc, false);
    } else {
        rc = outfile_open_at(o, dirfd, base);
    }
    close(dirfd);
    free(base);
    return rc;
}

static void release(struct outfile *o)
{
    if (o->dirfd >= 0)
        close(o->dirfd);
    free(o->base);
    free(o->tmp);
    o->dirfd = -1;
    o->base = o->tmp = NULL;
    o->slot = -1;
}

/* Is the temp file's name still our file? In a directory another user
 * can write, it may have been swapped for something else (renaming that
 * would never write through a link, but would publish their file). */
static bool is_still_ours(const struct outfile *o)
{
    struct stat mine, named;

    return fstat(fileno(o->f), &mine) == 0 &&
           fstatat(o->dirfd, o->tmp, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
           mine.st_dev == named.st_dev && mine.st_ino == named.st_ino;
}

int outfile_commit(struct outfile *o)
{
    int err = 0;

    if (!o->f)
        return fail(o, EBADF, false);
    errno = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        err = errno ? errno : EIO;
    if (!err && o->tmp && !is_still_ours(o))
        err = OUTFILE_ESWAPPED;
    if (fclose(o->f) != 0 && !err)
        err = errno;
    o->f = NULL;
    if (!err && o->tmp && renameat(o->dirfd, o->tmp, o->dirfd, o->base) < 0)
        err = errno;
    if (err && o->tmp) {
        cleanup_remove(o->slot);
        o->slot = -1;
    }
    cleanup_forget(o->slot);
    release(o);
    return err ? fail(o, err, false) : 0;
}

void outfile_abort(struct outfile *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp)
        cleanup_remove(o->slot);
    else
        cleanup_forget(o->slot);
    release(o);
}

int outfile_dir(const char *path, bool is_create)
{
    char *base;
    struct stat l;
    int parent = outfile_split(path, &base), fd = -1, e;

    if (parent < 0)
        return -1;
    if (fstatat(parent, base, &l, AT_SYMLINK_NOFOLLOW) == 0) {
        e = outfile_is_foreign_link(&l) ? OUTFILE_EFOREIGN : 0;
    } else {
        e = errno;
        if (e == ENOENT && is_create)
            e = mkdirat(parent, base, 0777) == 0 || errno == EEXIST
                ? 0 : errno;
    }
    if (!e && (fd = openat(parent, base, O_PATH | O_DIRECTORY |
                           O_CLOEXEC)) < 0)
        e = errno;
    close(parent);
    free(base);
    errno = e;
    return fd;
}

void outfile_say(const char *topic, const struct outfile *o,
                 const char *path, int err)
{
    const char *slash = strrchr(path, '/');

    if (o->is_dir_error && err != ENOENT && err != ENOTDIR)
        cli_error(topic, "cannot create files in %.*s: %s",
                  slash ? (int)(slash == path ? 1 : slash - path) : 1,
                  slash ? path : ".", outfile_strerror(err));
    else
        cli_error(topic, "cannot write %s: %s", path, outfile_strerror(err));
}
