/* cli.h - one option parser for every topic (getopt_long underneath).
 * A topic describes its own options in a {0}-ended table of struct cli_opt;
 * the common ones (-t -n -r -s --format -q --quick) are switched on by bits.
 * Every value is range-checked; a bad one is one line on stderr, exit 2.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdio.h>
#include "pardemo.h"

enum cli_type {
    CLI_FLAG,       /* bool, no value */
    CLI_INT,        /* int, plain digits, min..max (within int) */
    CLI_LONG,       /* long long, plain digits, min..max */
    CLI_SIZE,       /* long long with k/M/G suffix (x1024), min..max */
    CLI_CHOICE,     /* int: index into "a|b|c" */
    CLI_STR,        /* const char * */
    CLI_SIZES,      /* struct cli_list: comma-separated sizes, each min..max */
};

#define CLI_LIST_MAX 32
struct cli_list {
    long long v[CLI_LIST_MAX];
    int n;
};

struct cli_opt {
    const char *name;       /* long name without dashes */
    int key;                /* short option letter, or 0 */
    enum cli_type type;
    const char *metavar;    /* "N", "FILE" */
    const char *help;       /* one line */
    long long min, max;     /* CLI_INT, CLI_SIZE, CLI_SIZES */
    const char *choices;    /* CLI_CHOICE: "data|task|all" */
    size_t offset;          /* where the value lives in the topic's struct */
};

/* Which common options a topic takes. */
enum {
    CLI_THREADS = 1 << 0, CLI_SIZE_OPT = 1 << 1, CLI_REPS = 1 << 2,
    CLI_SEED = 1 << 3, CLI_FORMAT = 1 << 4, CLI_QUIET = 1 << 5,
    CLI_QUICK = 1 << 6,
    CLI_COMMON = 0x7f,
};

/* A topic's options. Its name and one-line summary are in its struct
 * demo (pardemo.h), which points here. */
struct cli_spec {
    const char *args;       /* positional synopsis "[FILE...]" or NULL */
    int min_args, max_args; /* max_args < 0: unlimited */
    unsigned common;        /* CLI_* bits */
    const char *size_help;  /* what -n means here: "increments per thread" */
    long long size_min, size_max;
    int threads_max;        /* -t's cap when below 1024 (0: 1024) */
    const char *threads_help;   /* what -t means here, or NULL: "workers" */
    const struct cli_opt *opts;     /* topic options, {0}-ended, may be NULL */
    const char *examples;   /* "pardemo race\npardemo race -t 4\n" */
};

/* Parses argv (argv[0] is the topic) as d's spec says into *p (common
 * options, defaults set by cli_defaults first) and *topic_opts (the
 * spec's opts, by offset).
 * Returns -1 when the caller should go on, else the exit status to return
 * at once: 0 after --help, 2 after a usage error (one line on stderr). */
int cli_parse(const struct demo *d, int argc, char **argv,
              struct run_params *p, void *topic_opts);

/* Fills *p with the defaults: threads = allowed CPUs, reps 5, seed 42, text,
 * is_quick from PARDEMO_QUICK. Call before cli_parse; set size after. */
void cli_defaults(struct run_params *p, const char *topic);

/* Sets p->is_quick when --quick is among the arguments (before any
 * "--"). Call it between cli_defaults and setting the topic's defaults,
 * so that the quick sizes become the defaults (and --help shows them);
 * cli_parse itself only sees --quick after the defaults are set. */
void cli_prescan_quick(struct run_params *p, int argc, char **argv);

/* Prints d's help: its summary, its options with ranges and defaults,
 * its examples. */
void cli_help(const struct demo *d, const struct run_params *p,
              const void *topic_opts, FILE *out);

/* Parses "64k" style sizes: digits, optional k/M/G (x1024). Returns 0, or
 * -1 with *why set to a short reason ("unknown suffix 'X'"). */
int cli_parse_size(const char *s, long long *out, const char **why);

/* Formats n with the largest exact suffix: 65536 -> "64k". */
const char *cli_fmt_size(long long n, char *buf, size_t len);

/* strerror(err), naming the limit behind the errors a limit causes:
 * EAGAIN from fork/pthread_create (ulimit -u), ENOMEM (ulimit -v),
 * EFBIG (ulimit -f), EMFILE (ulimit -n). For error lines. */
const char *cli_strerror(int err);

/* Prints "pardemo: TOPIC: MESSAGE" on stderr (one line). */
void cli_error(const char *topic, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
