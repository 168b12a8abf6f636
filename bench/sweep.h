/* sweep.h - the sweep: every kernel x size x worker count, one warm-up
 * then R timed reps, one CSV row per rep. Each answer is checked against
 * the 1-worker answer: a wrong parallel answer is never a speedup.
 * Rows are flushed one by one, so an interrupted sweep is still valid CSV.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdio.h>

#include "pardemo.h"

#define BENCH_MAX_WORKERS 1024

/* What to sweep (the same for every kernel of a topic). */
struct bench_plan {
    const int *workers;         /* in sweep order; 1 is the reference */
    int nworkers;
    const long long *sizes;
    int nsizes;
    int reps;                   /* timed reps after one warm-up */
    unsigned long long seed;
    bool is_quick;
};

enum bench_progress_mode {
    BENCH_PROGRESS_NONE,        /* -q */
    BENCH_PROGRESS_LINES,       /* not a terminal: a line every 10 % */
    BENCH_PROGRESS_BAR,         /* a terminal: one redrawn line with ETA */
};

struct bench_progress {
    FILE *f;
    enum bench_progress_mode mode;
    long total, done;           /* kernel runs, warm-ups included */
    double start_secs, drawn_secs;
    int last_tenth;             /* LINES: the last 10 % step printed */
};

/* What a sweep found, added up over calls. */
struct bench_tally {
    long rows;                  /* rows written */
    long wrong;                 /* rows whose checksum differed */
    long failed;                /* (kernel, size) sweeps a kernel aborted */
};

/* Parses "1,2,4,8" (each 1..BENCH_MAX_WORKERS) into out[0..max).
 * Returns the count, or -1 with *why set. */
int bench_parse_workers(const char *s, int *out, int max, const char **why);

/* The default sweep for cpus CPUs: 1..2*cpus, every count up to 8, then
 * doubling, always with cpus and 2*cpus. Returns the count (<= max). */
int bench_default_workers(int cpus, int *out, int max);

/* Writes the `# key: value` lines (pardemo version, date, command, CPU
 * model, online/allowed CPUs, compiler, flags) and the header row.
 * Returns 0, or -1 with errno set on a write error. */
int bench_write_header(FILE *csv, const char *command, const char *compiler,
                       const char *flags);

/* How many kernel runs a sweep of ks over plan will make. */
long bench_count_runs(const struct kernel *ks, const struct bench_plan *plan);

/* Starts progress reporting of total runs to f in the given mode. */
void bench_progress_init(struct bench_progress *pr, FILE *f,
                         enum bench_progress_mode mode, long total);

/* Ends it: the bar's last state and a newline (BAR), nothing otherwise. */
void bench_progress_end(struct bench_progress *pr);

/* Sweeps every kernel of ks (a {0}-ended list) for topic over plan,
 * writing one row per timed rep to csv. Progress goes to pr; a failing
 * kernel or a wrong checksum is one line on stderr and counted in *t, and
 * the sweep goes on. Returns 0 when every answer was right, 1 when some
 * row was wrong or some kernel failed, -1 on a write error (errno set). */
int bench_sweep(const struct kernel *ks, const char *topic,
                const struct bench_plan *plan, FILE *csv,
                struct bench_progress *pr, struct bench_tally *t);

#endif
