/* pardemo.h - the types every topic and the bench harness share.
 * A topic is a `struct demo` row in demos/pardemo.c; its benchable
 * variants are `struct kernel`s that take run_params and fill run_result.
 */
#ifndef PARDEMO_H
#define PARDEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "conditions.h"

#define PARDEMO_VERSION "0.1.0"

enum out_format { FMT_TEXT, FMT_CSV, FMT_JSON };

/* The common options (lib/cli) plus what a kernel needs to run once. */
struct run_params {
    const char *topic;          /* "race" */
    int threads;                /* -t: workers */
    long long size;             /* -n: problem size, topic's unit */
    int reps;                   /* -r: timed repetitions */
    unsigned long long seed;    /* -s */
    enum out_format format;     /* --format */
    bool is_quiet;              /* -q: no progress on stderr */
    bool is_quick;              /* --quick or PARDEMO_QUICK=1 */
    bool threads_given, size_given, reps_given;
    char **args;                /* positional arguments (FILE...) */
    int nargs;
    struct cond_probe probe;    /* the machine since the topic started
                                   (cli_defaults): the report's
                                   "Conditions" line when the topic
                                   measured none itself */
};

/* What one timed run of a kernel gives back. */
struct run_result {
    double seconds;
    uint64_t checksum;          /* equal across worker counts when correct */
};

struct kernel {
    const char *name;           /* "mutex", "atomic" */
    const char *summary;        /* one line */
    int (*run)(const struct run_params *in, struct run_result *out);
};

#define for_each_kernel(k, list) for ((k) = (list); (k) && (k)->name; (k)++)

struct demo {
    const char *name;           /* subcommand: "forkjoin" */
    const char *summary;        /* one line for `pardemo list` */
    int (*main)(int argc, char **argv);     /* argv[0] is the topic */
    const struct kernel *kernels;           /* benchable variants, {0}-ended */
    const char *slide;          /* the lecture section it shows; NULL: not
                                   a lecture topic, `pardemo tour` skips it */
};

/* The command table's lookup, for tools (tour, bench) that walk topics. */
const struct demo *pardemo_demos(void);
const struct demo *pardemo_find(const char *name);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
