/* mapfile.c - map what can be mapped, read the rest.
 * mmap needs a size: /proc files say 0 and pipes have none, so both are
 * read. A mapping is registered with lib/cleanup: touching a page past a
 * truncated file's new end raises SIGBUS, which becomes an error line.
 */
#define _GNU_SOURCE
#include "mapfile.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const char *mapfile_strerror(int err)
{
    if (err == EFBIG)
        return "more than 2 GiB from a pipe or device (save it to a file "
               "first)";
    return strerror(err);
}

/* Reads fd to its end into the heap, at most MAPFILE_READ_MAX bytes. */
static int read_all(int fd, struct mapfile *m)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap), *grown;
    ssize_t got;

    while (buf && (got = read(fd, buf + len, cap - len)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 || len + (size_t)got > (size_t)MAPFILE_READ_MAX) {
            int e = got < 0 ? errno : EFBIG;
            free(buf);
            errno = e;
            return -1;
        }
        len += (size_t)got;
        if (len == cap) {
            if (!(grown = realloc(buf, cap * 2)))
                free(buf);
            buf = grown;
            cap *= 2;
        }
    }
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    m->data = buf;
    m->len = len;
    m->is_heap = true;
    return 0;
}

static int map_all(int fd, size_t size, const char *path, struct mapfile *m)
{
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);

    if (p == MAP_FAILED)
        return -1;
    madvise(p, size, MADV_SEQUENTIAL);
    m->data = p;
    m->len = size;
    m->slot = cleanup_add_map(p, size, path);
    return 0;
}

int mapfile_open(const char *path, struct mapfile *m)
{
    struct stat st;
    int fd, rc, saved;

    memset(m, 0, sizeof(*m));
    m->data = "";
    m->slot = -1;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    if (fstat(fd, &st) < 0)
        rc = -1;
    else if (S_ISDIR(st.st_mode))
        rc = (errno = EISDIR, -1);
    else if (!S_ISREG(st.st_mode) || st.st_size == 0)
        rc = read_all(fd, m);
    else
        rc = map_all(fd, (size_t)st.st_size, path, m);
    saved = errno;
    close(fd);      /* a mapping keeps the file */
    errno = saved;
    return rc;
}

void mapfile_close(struct mapfile *m)
{
    cleanup_forget(m->slot);    /* before the range can be mapped again */
    if (m->is_heap)
        free((void *)m->data);
    else if (m->len)
        munmap((void *)m->data, m->len);
    m->data = "";
    m->len = 0;
    m->is_heap = false;
    m->slot = -1;
}
