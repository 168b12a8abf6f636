/* pty.h - run pardemo on a pseudo-terminal, as a student at a terminal
 * would: isatty() is true for its stdin, stdout and stderr. */
#ifndef PTY_H
#define PTY_H

/* Runs pardemo with args (NULL-ended, without "pardemo") on a new
 * pseudo-terminal, typing input (all of it at once; the terminal's line
 * discipline hands it over a line at a time). Returns everything it printed
 * (malloc'd, NUL-terminated; the typed input is echoed in it) and sets
 * *status to its exit status (128 when killed after timeout_s seconds of
 * silence). */
char *pty_run(const char *const *args, const char *input, int timeout_s,
              int *status);

#endif
