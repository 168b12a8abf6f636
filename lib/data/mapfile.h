/* mapfile.h - a whole input file in memory, however it comes.
 * A regular file with a size is mapped (no copy); a pipe, a FIFO, a
 * terminal or a file whose size reads 0 (/proc, /sys) is read, up to
 * MAPFILE_READ_MAX bytes. If another program truncates a mapped file
 * while we read it, the SIGBUS is one error line and exit 1 (lib/cleanup).
 */
#ifndef MAPFILE_H
#define MAPFILE_H

#include <stdbool.h>
#include <stddef.h>

#define MAPFILE_READ_MAX (2LL << 30)    /* from a pipe or device */

struct mapfile {
    const char *data;       /* "" when empty */
    size_t len;
    bool is_heap;           /* read into memory, not mapped */
    int slot;               /* lib/cleanup's, for a mapping */
};

/* Maps or reads path. Returns 0, or -1 with errno set (ENOENT, EISDIR,
 * ENOMEM; EFBIG: a stream longer than MAPFILE_READ_MAX). */
int mapfile_open(const char *path, struct mapfile *m);
void mapfile_close(struct mapfile *m);

/* strerror, with EFBIG in mapfile_open's sense. */
const char *mapfile_strerror(int err);

#endif
