/* path.h - file-system paths of any length. Another user may share the
 * machine and run pardemo from a directory deeper than PATH_MAX bytes:
 * nothing here has a fixed-size buffer; every path is malloc'd. */
#ifndef PATH_H
#define PATH_H

/* The target of the symbolic link at path (e.g. "/proc/self/exe"),
 * whatever its length: malloc'd and NUL-terminated (free it). Returns
 * NULL with errno set when readlink fails, or ENOMEM. */
char *path_read_link(const char *path);

#endif
