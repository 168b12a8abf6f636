/* datapath.c - find data files from the source tree or an installed
 * prefix, so an installed pardemo never depends on the source tree. */
#define _GNU_SOURCE
#include "datapath.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *try_path(const char *dir, const char *rel, char *buf,
                            size_t len)
{
    if (!dir || !*dir)
        return NULL;
    if ((size_t)snprintf(buf, len, "%s/%s", dir, rel) >= len)
        return NULL;
    return access(buf, R_OK) == 0 ? buf : NULL;
}

const char *datapath_find(const char *rel, char *buf, size_t len)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    if (try_path(getenv("PARDEMO_DATA"), rel, buf, len))
        return buf;
    if (n > 0) {
        exe[n] = '\0';
        char *bindir = dirname(exe);
        snprintf(dir, sizeof(dir), "%s/../share/pardemo", bindir);
        if (try_path(dir, rel, buf, len))
            return buf;
        /* the source tree: ./pardemo, or build/<variant>/pardemo */
        if (try_path(bindir, rel, buf, len))
            return buf;
        snprintf(dir, sizeof(dir), "%s/../..", bindir);
        if (try_path(dir, rel, buf, len))
            return buf;
    }
    return try_path(".", rel, buf, len);
}
