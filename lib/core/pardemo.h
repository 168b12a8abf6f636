/* pardemo.h - the types every topic and the bench harness share.
 * A topic is described by a `struct demo` at the end of its own file; its
 * benchable variants are `struct kernel`s that take run_params and fill
 * run_result.
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
    long long size;             /* the size it ran, when not the one asked
                                   (more than it has: datatask's rows); 0:
                                   as asked */
};

struct kernel {
    const char *name;           /* "mutex", "atomic" */
    const char *summary;        /* one line */
    int (*run)(const struct run_params *in, struct run_result *out);
};

#define for_each_kernel(k, list) for ((k) = (list); (k) && (k)->name; (k)++)

struct cli_spec;                /* lib/core/cli.h: a topic's options */

#define DEMO_MAX_SIZES 8

/* A topic's descriptor: everything about it that is not its code, in its
 * own file (demos/forkjoin.c ends with `const struct demo demo_forkjoin`).
 * The command table (demos/pardemo.c) is an array of pointers to them;
 * `pardemo list`, --help, the tour and `pardemo bench` read them. */
struct demo {
    const char *name;           /* subcommand: "forkjoin" */
    const char *summary;        /* one line: `pardemo list` and --help */
    int (*main)(int argc, char **argv);     /* argv[0] is the topic */
    const struct kernel *kernels;           /* benchable variants, {0}-ended */
    const char *slide;          /* the lecture section it shows; NULL: not
                                   a lecture topic, `pardemo tour` skips it */
    const struct cli_spec *spec;            /* its options */
    /* Its default -n, which `pardemo bench` sweeps when not told --sizes
     * (0-ended; several for a topic whose kernels take a list, as ipc's
     * message sizes), and the same under --quick. */
    long long sizes[DEMO_MAX_SIZES];
    long long quick_sizes[DEMO_MAX_SIZES];
};

/* The first default size of d (its -n default), quick or not. */
static inline long long demo_size(const struct demo *d, bool is_quick)
{
    return is_quick ? d->quick_sizes[0] : d->sizes[0];
}

/* The command table, for tools (tour, bench) that walk the topics: the
 * descriptors in lecture order, NULL-ended; and one by name, or NULL. */
const struct demo *const *pardemo_demos(void);
const struct demo *pardemo_find(const char *name);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
