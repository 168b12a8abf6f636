/* path.c - reading a symbolic link of any length. readlink never says
 * how long the target is (a /proc link's size reads 0): when it fills
 * the buffer the target may be longer, so the buffer grows and it reads
 * again. */
#define _GNU_SOURCE
#include "path.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

char *path_read_link(const char *path)
{
    size_t size = 256;
    char *buf = NULL, *grown;
    ssize_t n;
    int e;

    for (;;) {
        if (!(grown = realloc(buf, size))) {
            free(buf);
            errno = ENOMEM;
            return NULL;
        }
        buf = grown;
        if ((n = readlink(path, buf, size)) < 0)
            break;
        if ((size_t)n < size) {     /* room left: the whole target */
            buf[n] = '\0';
            return buf;
        }
        size *= 2;
    }
    e = errno;
    free(buf);
    errno = e;
    return NULL;
}
