/* datapath.c - find data files from the source tree or an installed
 * prefix, so an installed pardemo never depends on the source tree. */
#define _GNU_SOURCE
#include "datapath.h"
#include "path.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* dir + sub + "/" + rel, malloc'd, when it can be read; else NULL. */
static char *try_path(const char *dir, const char *sub, const char *rel)
{
    char *path;

    if (!dir || !*dir || asprintf(&path, "%s%s/%s", dir, sub, rel) < 0)
        return NULL;
    if (access(path, R_OK) == 0)
        return path;
    free(path);
    return NULL;
}

char *datapath_find(const char *rel)
{
    /* beside the binary: PREFIX/bin/../share/pardemo when installed; the
     * source tree: ./pardemo, or build/<variant>/pardemo */
    static const char *const subs[] = { "/../share/pardemo", "", "/../.." };
    char *found = try_path(getenv("PARDEMO_DATA"), "", rel);
    char *exe = found ? NULL : path_read_link("/proc/self/exe");
    const char *bindir = exe ? dirname(exe) : NULL;

    for (size_t i = 0; !found && bindir && i < 3; i++)
        found = try_path(bindir, subs[i], rel);
    free(exe);
    return found ? found : try_path(".", "", rel);
}
