/* proc.h - run another program as a child, like git's run_command.
 * One helper forks, registers the child with lib/cleanup before any
 * signal can land (so Ctrl-C never leaves it running), sets up its
 * stdout, waits, and gives back its exit status and, when asked, what it
 * printed. `pardemo tour`, `plot` (gnuplot) and `distributed` (mpirun)
 * use it.
 */
#ifndef PROC_H
#define PROC_H

#include <stdbool.h>
#include <stddef.h>

enum proc_out {
    PROC_OUT_INHERIT,   /* the child writes to our stdout */
    PROC_OUT_NULL,      /* to /dev/null (our stdout is a report) */
    PROC_OUT_CAPTURE,   /* into proc.out */
};

struct proc {
    const char *path;           /* the program; NULL: argv[0], looked up
                                   in PATH when it has no '/' */
    char *const *argv;          /* NULL-ended; argv[0] is its name */
    const char *const *env;     /* "NAME=value" set in the child only,
                                   NULL-ended; may be NULL */
    enum proc_out out_mode;
    char *out;                  /* PROC_OUT_CAPTURE: what it printed,
                                   NUL-ended (free it); else NULL */
    size_t out_len;
    /* A watchdog (PROC_OUT_CAPTURE only): called every 200 ms while the
     * child runs; when it returns true the child's process group is
     * stopped (TERM, then KILL after 2 s) and proc_run returns
     * PROC_STOPPED. The child then runs in a process group of its own
     * (so what it started goes too), stdin from /dev/null. */
    bool (*is_hung)(void *ctx);
    void *hung_ctx;
};

#define PROC_STOPPED (-2)

/* Runs p->argv to its end; its stderr is ours. Returns its exit status
 * (128 + the signal when one killed it; 127 when it could not be
 * executed), or -1 with errno set when it could not be started or its
 * output could not be kept (then it was waited for all the same), or
 * PROC_STOPPED when the watchdog stopped it. */
int proc_run(struct proc *p);

#endif
