/* platforms.h - what the files of the platforms topic share: the two
 * jobs, one platform's entry in the list, and one measured child run.
 * platforms.c runs and reports, platforms_exec.c starts and measures the
 * children, platforms_engine.c is the job written for pardemo's engine.
 */
#ifndef PLATFORMS_H
#define PLATFORMS_H

#include <stdbool.h>
#include <stddef.h>

#include "pardemo.h"
#include "tally.h"

enum pf_job { PF_WORDCOUNT, PF_TOTALS, PF_NJOBS };

/* How a platform is started (the command lines are in platforms_exec.c). */
enum pf_kind {
    PF_PYTHON,      /* PYTHON platforms/PROGRAM FILE [WORKERS [ARG]] */
    PF_SHELL,       /* /bin/sh platforms/PROGRAM FILE */
    PF_AWK,         /* mawk -f platforms/PROGRAM FILE */
    PF_ENGINE,      /* pardemo platforms --engine JOB FILE -t WORKERS */
    PF_MPI,         /* mpirun -np WORKERS pardemo platforms --engine ... */
    PF_SPARK,       /* pardemo spark platforms/PROGRAM FILE WORKERS */
};

/* One platform: a row of the list in platforms.c. Adding a platform is
 * one entry there (and its programs under platforms/). */
struct platform {
    const char *name;           /* table label and --only key */
    enum pf_kind kind;
    const char *program[PF_NJOBS];  /* under platforms/; NULL: not this job */
    const char *arg;            /* a last argument ("threads") or NULL */
    bool is_parallel;           /* takes a worker count */
    bool is_sweep;              /* run at 1..N workers, not only N */
    const char *install;        /* what apt-get install brings it */
    /* what its documentation says, for what this run cannot observe */
    const char *lazy, *recovery, *combine, *cluster;
};

/* One run of a platform, measured from outside: wait4's rusage covers
 * the child and every descendant it waited for. */
struct pf_run {
    double wall_s, cpu_s;       /* fork to reaped; user + system */
    long long peak_bytes;       /* the largest process's peak RSS */
    int status;                 /* exit status, 128 + signal, -1: no exec */
    char *out;                  /* its stdout, NUL-terminated (free it) */
    size_t out_len;
    char why[256];              /* the last line of its stderr */
    bool is_missing;            /* it said a Python module is missing */
    char package[64];           /* then: Debian's package for it */
};

/* Where the runs keep their files: a private directory (mode 0700),
 * removed with everything in it on every exit path. */
struct pf_dir {
    char *path;
    int slot;
};

/* Makes the directory. Returns 0, or -1 with errno set. */
int pf_dir_make(struct pf_dir *d);
/* Removes it and the files in it. */
void pf_dir_remove(struct pf_dir *d);
/* dir/name, malloc'd (free it). */
char *pf_dir_file(const struct pf_dir *d, const char *name);

/* Which python3 runs the Python platforms, and its version. */
struct pf_python {
    char exe[256];              /* "python3" (from PATH) or a full path */
    char version[32];           /* "3.11.2"; "" when there is none */
};

/* Picks the interpreter: $PARDEMO_PYTHON, else whichever of `python3` in
 * PATH and /usr/bin/python3 (where apt-get puts python3-dask) finds more
 * of dask and pandas. version is "" when none runs. */
void pf_python_pick(struct pf_python *py);

/* Everything a run needs to know besides the platform. */
struct pf_env {
    const struct pf_dir *dir;
    const struct pf_python *py;
    const char *self;           /* this pardemo binary */
    int lose;                   /* PF_ENGINE: --lose P (-1: none) */
};

/* Runs platform pf on job over input with workers, into *r. Returns 0
 * when it ran (r->status says how it ended), -1 when it could not be
 * started (r->why says why). */
int pf_exec(const struct pf_env *env, const struct platform *pf,
            enum pf_job job, const char *input, int workers,
            struct pf_run *r);
void pf_run_free(struct pf_run *r);

/* Reads "count key" lines (a run's answer) into t, keys pointing into
 * text; lines starting with '#' are notes, not answer. Returns 0, or -1
 * with *why set when a line is not "count key" or a key comes twice. */
int pf_parse_answer(char *text, struct tally *t, const char **why);

/* `pardemo platforms --measure FILE -- CMD...`: runs CMD, its stderr into
 * FILE, then appends "measured WALL CPU PEAK_KIB". Returns CMD's exit
 * status (127: it could not be run), 1 when FILE cannot be made. */
int pf_measure_main(const char *path, char **argv);

/* The engine's side: `pardemo platforms --engine JOB FILE`. Prints the
 * answer as "count key" lines after one "# engine ..." note of what its
 * stages did. Returns the exit status. */
int pf_engine_main(enum pf_job job, const char *path,
                   const struct run_params *p, int lose);

#endif
