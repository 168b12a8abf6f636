/* pardemo.c - main and the command table: the only list of topics.
 * `pardemo TOPIC [options]` looks TOPIC up in demos[] and runs its main,
 * like git's commands[]. Adding a topic = one file in demos/ ending with
 * its `struct demo`, declared in demos.h and pointed to here.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "cleanup.h"
#include "demos.h"
#include "pyspark/entry.h"
#include "rdd/rdd_mpi.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Lecture order: `pardemo tour` walks the topics that name a slide. Each
 * descriptor (name, summary, main, kernels, slide, options, sizes) is at
 * the end of the topic's own file. */
static const struct demo *const demos[] = {
    &demo_concurrency,
    &demo_threads,
    &demo_gil,
    &demo_race,
    &demo_forkjoin,
    &demo_ipc,
    &demo_manager,
    &demo_scaling,
    &demo_memory,
    &demo_datatask,
    &demo_locality,
    &demo_distributed,
    &demo_rdd,
    &demo_wordcount,
    &demo_logmine,
    &demo_platforms,
    &demo_csv,
    &demo_spark,
    &demo_gen,
    &demo_bench,
    &demo_plot,
    &demo_tour,
    &demo_quiz,
    NULL,
};

const struct demo *const *pardemo_demos(void)
{
    return demos;
}

const struct demo *pardemo_find(const char *name)
{
    for (const struct demo *const *d = demos; *d; d++)
        if (!strcmp((*d)->name, name))
            return *d;
    return NULL;
}

/* Damerau-Levenshtein distance (optimal string alignment), like git's
 * "did you mean": a swap of two neighbours counts as one edit. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t d[32][32];

    if (la >= 32 || lb >= 32)
        return (size_t)-1;
    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

static int unknown_topic(const char *name)
{
    const struct demo *best = NULL;
    size_t best_d = (size_t)-1;

    for (const struct demo *const *d = demos; *d; d++) {
        size_t e = edit_distance(name, (*d)->name);
        /* a prefix ("word" for "wordcount") is as good as a near miss */
        if (strlen(name) >= 3 && !strncmp((*d)->name, name, strlen(name)))
            e = 1;
        if (e < best_d) {
            best_d = e;
            best = *d;
        }
    }
    if (best && best_d <= 2 && best_d < strlen(name))
        cli_error(NULL, "'%s' is not a topic; did you mean '%s'?", name,
                  best->name);
    else
        cli_error(NULL, "'%s' is not a topic; see 'pardemo list'", name);
    return 2;
}

static void list_topics(FILE *out)
{
    for (const struct demo *const *d = demos; *d; d++)
        fprintf(out, "  %-12s %s\n", (*d)->name, (*d)->summary);
}

static void usage(FILE *out)
{
    fprintf(out,
        "pardemo - parallel programming, shown live on this machine\n\n"
        "usage: pardemo TOPIC [options]     run a topic\n"
        "       pardemo TOPIC --help        its options and examples\n"
        "       pardemo help TOPIC          the same\n"
        "       pardemo list                the topics, one line each\n"
        "       pardemo --version\n\n"
        "topics, in lecture order:\n");
    list_topics(out);
    fprintf(out, "\ncommon options: -t/--threads N, -n/--size N (k/M/G), "
            "-r/--reps N, -s/--seed N,\n  --format text|csv|json, "
            "-q/--quiet, --quick (or PARDEMO_QUICK=1)\n");
}

static void version(void)
{
    printf("pardemo %s\ncompiler: %s\n", PARDEMO_VERSION,
#ifdef __VERSION__
           "gcc " __VERSION__
#else
           "unknown"
#endif
    );
#ifdef _OPENMP
    printf("OpenMP: %d\n", _OPENMP);
#else
    printf("OpenMP: not built in\n");
#endif
#ifdef PARDEMO_MPI
    printf("MPI: built in\n");
#else
    printf("MPI: not built in (install openmpi-bin libopenmpi-dev, "
           "then make)\n");
#endif
}

static int run_topic(const struct demo *d, int argc, char **argv)
{
    argv[0] = (char *)d->name;
    cleanup_set_topic(d->name);     /* for a SIGBUS's error line */
    return d->main(argc, argv);
}

static int dispatch(int argc, char **argv)
{
    const struct demo *d;
    const char *cmd;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        version();
        return 0;
    }
    if (!strcmp(cmd, "list")) {
        if (argc > 2) {
            cli_error("list", "unexpected argument '%s'", argv[2]);
            return 2;
        }
        list_topics(stdout);
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        if (argc == 2) {
            usage(stdout);
            return 0;
        }
        if (argc > 3) {
            cli_error("help", "unexpected argument '%s'", argv[3]);
            return 2;
        }
        if (!(d = pardemo_find(argv[2])))
            return unknown_topic(argv[2]);
        char *hargv[] = { argv[2], "--help", NULL };
        return run_topic(d, 2, hargv);
    }
    if (cmd[0] == '-') {
        cli_error(NULL, "unknown option '%s'; see 'pardemo --help'", cmd);
        return 2;
    }
    if (!(d = pardemo_find(cmd)))
        return unknown_topic(cmd);
    return run_topic(d, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    int rc;

    /* multiprocessing re-running pardemo as Python (spawn, forkserver,
     * its resource tracker): lib/pyspark/entry.h */
    if (entry_is_multiprocessing(argc, argv))
        return entry_main(argc, argv);
    /* past ulimit -f, write() fails with EFBIG and we say so in one line,
     * instead of dying of SIGXFSZ and leaving a half-written file */
    signal(SIGXFSZ, SIG_IGN);
    /* Ctrl-C, kill, a closed terminal or pipe: whatever a topic made
     * (temp files, shm, children) goes with us (lib/cleanup) */
    cleanup_init();
    rdd_mpi_quiet_followers();  /* under mpirun, rank 0 alone prints */
    if (rdd_mpi_is_idle_follower())
        return 0;
    if (rdd_mpi_launched() && !rdd_mpi_built())
        cli_error(NULL, "built without MPI: rank 0 runs the whole job "
                  "alone (install libopenmpi-dev, then make)");
    rc = dispatch(argc, argv);

    /* a full disk or a closed pipe must not pass for success */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            cli_error(NULL, "write error on stdout: %s", cli_strerror(errno));
        return rc ? rc : 1;
    }
    return rc;
}
