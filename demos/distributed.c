/* distributed.c - the word count on a cluster of processes (Open MPI).
 * `mpirun -np N pardemo wordcount FILE` runs the mini-RDD engine's tasks
 * on N processes: each reads only its own splits of the file, the shuffle
 * is an MPI all-to-all. Here we launch 1 process, then 2 and 4 ranks, on
 * the same text: look at the same answer, the splits each rank read, the
 * bytes that crossed between ranks, and what launching costs. The engine
 * side is lib/rdd/mpi.c (mpi_exchange is the shuffle).
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "cleanup.h"
#include "proc.h"
#include "stats.h"
#include "sysinfo.h"
#include "textgen.h"
#include "path.h"
#include "private.h"
#include "rdd/rdd_mpi.h"
#include "demos.h"
#include "lesson/distributed.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_RANKS = 4, NRUNS = 3 };
static const int run_ranks[NRUNS] = { 1, 2, 4 };   /* 1: no mpirun */

/* What one run printed (its CSV), taken apart. */
struct run {
    int ranks;
    double wall_s, job_s;       /* whole launch; the counting job only */
    char *top;                  /* the "top," rows: the answer */
    int nrows;                  /* ranks table rows */
    double row[MAX_RANKS][8];   /* rank, splits, bytes, tasks, sent... */
    long long sent;             /* shuffle bytes between ranks */
};

struct dist_opts {
    int timeout_s;              /* for every rank to get through MPI_Init */
};

static const struct cli_opt dist_opts[] = {
    { "timeout", 0, CLI_INT, "SECS", "give up on a launch whose ranks have "
      "not all started (got through MPI_Init) after SECS", 1, 3600, NULL,
      offsetof(struct dist_opts, timeout_s) },
    { 0 },
};

static const struct cli_spec dist_spec = {
    .common = CLI_THREADS | CLI_SIZE_OPT | CLI_SEED | CLI_FORMAT |
              CLI_QUIET | CLI_QUICK,
    .opts = dist_opts,
    .size_help = "bytes of generated text",
    .size_min = 1, .size_max = 4LL << 30,
    .examples = "pardemo distributed --quick\n"
                "pardemo distributed -n 64M -t 1\n"
                "mpirun -np 2 pardemo wordcount FILE",
};

/* No MPI here: what to install, and the command to run. */
static int explain_missing(const struct run_params *p, bool is_built)
{
    struct report *r = report_begin(p, "Distributed computing: the RDD "
                                    "engine on Open MPI",
                                    "Not run: Open MPI is missing here.");

    report_text(r, "%s\n\n  apt-get install openmpi-bin libopenmpi-dev   "
                "(or: make deps-mpi)\n  make clean && make\n  "
                "pardemo distributed\n  mpirun -np 2 pardemo wordcount "
                "FILE      (-t N: threads per rank)",
                is_built ? "pardemo has MPI built in, but mpirun is not in "
                "PATH. Install it:" : "This pardemo was built without MPI "
                "(mpicc was not installed). To enable it:");
    struct notices ns;

    notices_init(&ns);          /* a fact of this build: no numbers */
    notice_say(notice_add(&ns, "distributed.not_run"), "Nothing was "
               "measured: install Open MPI and run this topic again to see "
               "the ranks at work.");
    report_notices(r, &ns);
    return report_end(r) ? 1 : 0;
}

/* argv for one run: pardemo wordcount, under mpirun when ranks > 1. */
static void build_argv(char **argv, int ranks, const char *exe,
                       const char *file, char *threads, char np[16])
{
    int n = 0;

    if (ranks > 1) {
        snprintf(np, 16, "%d", ranks);
        argv[n++] = "mpirun";
        if (geteuid() == 0)
            argv[n++] = "--allow-run-as-root";  /* Open MPI refuses root */
        argv[n++] = "--oversubscribe";      /* more ranks than cores: ok */
        argv[n++] = "--bind-to";            /* -t threads may spread */
        argv[n++] = "none";
        /* one machine: ranks talk through shared memory (no TCP listener
         * of theirs), and mpirun tells them of loopback addresses only */
        for (const char *const *m = (const char *const[]){ "--mca", "btl",
             "self,vader", "--mca", "btl_tcp_if_include", "lo", "--mca",
             "oob_tcp_if_include", "lo", NULL }; *m; m++)
            argv[n++] = (char *)*m;
        argv[n++] = "-np";
        argv[n++] = np;
    }
    argv[n++] = (char *)exe;
    argv[n++] = "wordcount";
    argv[n++] = (char *)file;
    argv[n++] = "-t";
    argv[n++] = threads;
    for (const char *const *a = (const char *const[]){ "-p", "4",
         "--no-group", "--format", "csv", "-q", NULL }; *a; a++)
        argv[n++] = (char *)*a;
    argv[n] = NULL;
}

/* What the watchdog looks at: the file each rank appends a byte to once
 * it got through MPI_Init (lib/rdd/mpi.c), and the deadline for that. */
struct started {
    int fd, ranks;
    double deadline;
};

/* True when the ranks have not all started by the deadline (a rank stuck
 * in MPI_Init, as under a memory limit, hangs mpirun forever). */
static bool is_hung(void *ctx)
{
    struct started *w = ctx;
    struct stat st;

    if (fstat(w->fd, &st) == 0 && st.st_size >= w->ranks)
        return false;
    return clk_now() > w->deadline;
}

/* Runs argv, its stdout into *out (stderr passes through: mpirun's own
 * errors are seen); with ready (the ranks' file), the watchdog. Returns
 * the exit status, -1, or PROC_STOPPED. */
static int run_child(char **argv, const char *ready, int ranks,
                     int timeout_s, char **out)
{
    char asan[1024] = "", *ready_env = NULL;
    const char *env[] = { asan, NULL, NULL };
    struct started w = { -1, ranks, clk_now() + timeout_s };
    struct proc mpirun = { .argv = argv, .env = env,
                           .out_mode = PROC_OUT_CAPTURE };
    int rc, n = 0;

#if defined(__SANITIZE_ADDRESS__)
    /* an ASan build: Open MPI keeps memory to exit, much of it in plugins
     * it has unloaded, so LeakSanitizer would fail every rank (address
     * checks stay on) */
    const char *a = getenv("ASAN_OPTIONS");
    snprintf(asan, sizeof(asan), "ASAN_OPTIONS=%s%sdetect_leaks=0",
             a ? a : "", a && *a ? ":" : "");
    n = 1;
#endif
    if (ready && (w.fd = open(ready, O_RDONLY | O_CLOEXEC)) >= 0 &&
        asprintf(&ready_env, "PARDEMO_MPI_READY=%s", ready) >= 0) {
        env[n++] = ready_env;
        mpirun.is_hung = is_hung;
        mpirun.hung_ctx = &w;
    }
    env[n] = NULL;
    rc = proc_run(&mpirun);     /* killed with us on ^C */
    *out = mpirun.out;
    if (w.fd >= 0)
        close(w.fd);
    free(ready_env);
    return rc;
}

/* The CSV lines of one table ("name,..."), appended to *rows. */
static void rows_of(const char *csv, const char *name, char **rows)
{
    size_t n = strlen(name), len = 0;

    *rows = calloc(1, strlen(csv) + 1);
    for (const char *l = csv; *l; ) {
        const char *end = strchrnul(l, '\n');
        if (!strncmp(l, name, n) && l[n] == ',') {
            memcpy(*rows + len, l, (size_t)(end - l) + 1);
            len += (size_t)(end - l) + 1;
        }
        l = *end ? end + 1 : end;
    }
}

/* Takes a run's CSV apart: the answer, the job time, the ranks table. */
static void parse_run(const char *csv, struct run *u)
{
    const char *l;
    double v[9];

    rows_of(csv, "top", &u->top);
    if ((l = strstr(csv, "\nthroughput,")))
        sscanf(l, "\nthroughput,%*d,%*f,%*f,%*f,%lf", &u->job_s);
    for (l = csv; (l = strstr(l, "\nranks,")); l++) {
        if (u->nrows == MAX_RANKS ||
            sscanf(l, "\nranks,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &v[0],
                   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
            continue;
        memcpy(u->row[u->nrows++], v, sizeof(u->row[0]));
        u->sent += (long long)v[4];
    }
}

/* What one_run needs besides its run: the binary, the input, and the
 * private directory where the ranks say they have started. */
struct where {
    const char *exe, *file, *dir;
    int timeout_s;
};

/* An empty file DIR/ready-N for the ranks of one launch to append to. */
static char *ready_file(const struct where *w, int ranks)
{
    char *path = NULL;
    int fd;

    if (asprintf(&path, "%s/ready-%d", w->dir, ranks) < 0)
        return NULL;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd < 0) {
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

/* One run: launch, time, parse. Returns 0, or 1 (said why). */
static int one_run(const struct where *w, int threads, struct run *u)
{
    char *argv[32], *out = NULL, t[16], np[16], *ready = NULL;
    double t0 = clk_now();
    int rc = -1;

    snprintf(t, sizeof(t), "%d", threads);
    build_argv(argv, u->ranks, w->exe, w->file, t, np);
    if (u->ranks == 1 || (ready = ready_file(w, u->ranks)))
        rc = run_child(argv, ready, u->ranks, w->timeout_s, &out);
    free(ready);
    u->wall_s = clk_now() - t0;
    if (rc == 0)
        parse_run(out, u);
    free(out);
    if (rc == PROC_STOPPED) {
        cli_error("distributed", "mpirun -np %d: the ranks had not all "
                  "started after %d s (a rank failed in MPI_Init? see the "
                  "messages above, and ulimit -v); stopped it", u->ranks,
                  w->timeout_s);
        return 1;
    }
    if (rc != 0 || !u->top || !u->top[0] ||
        (u->ranks > 1 && u->nrows != u->ranks)) {
        cli_error("distributed", "%s%s wordcount failed (exit %d)",
                  u->ranks > 1 ? "mpirun " : "", w->exe, rc);
        return 1;
    }
    return 0;
}

static void report_runs(struct report *r, const struct run *u,
                        const int *threads)
{
    struct table *t = report_table(r, "runs", "The same word count, on 1 "
                                   "process and on 2 and 4 MPI ranks");

    table_col(t, "ranks", "processes", U_INT);
    table_col(t, "threads", "threads each", U_INT);
    table_col(t, "oversubscribed", "oversubscribed", U_TEXT);
    table_col(t, "job_seconds", "job time", U_MS);
    table_col(t, "wall_seconds", "with launch", U_MS);
    table_col(t, "shuffled_between_ranks", "shuffled between ranks", U_MIB);
    table_col(t, "same_answer", "same top words", U_TEXT);
    for (int i = 0; i < NRUNS; i++) {
        table_num(t, u[i].ranks);
        table_num(t, threads[i]);
        table_str(t, u[i].ranks * threads[i] > sys_allowed_cpus()
                  ? "yes" : "no");
        table_num(t, u[i].job_s);
        table_num(t, u[i].wall_s);
        table_num(t, (double)u[i].sent);
        table_str(t, strcmp(u[i].top, u[0].top) ? "NO" : "yes");
    }
    table_end(t);
}

static void report_splits(struct report *r, const struct run *u)
{
    struct table *t = report_table(r, "ranks", "What each rank did "
                                   "(partition p runs on rank p mod ranks)");
    static const char *const keys[8] = { "rank", "splits", "split_bytes",
        "tasks", "sent", "received", "busy_seconds", "mpi_seconds" };
    static const char *const heads[8] = { "rank", "splits read",
        "split bytes", "tasks", "shuffle sent", "received", "in tasks",
        "in MPI" };
    static const enum unit units[8] = { U_INT, U_INT, U_MIB, U_INT, U_MIB,
                                        U_MIB, U_MS, U_MS };

    table_col(t, "ranks", "of ranks", U_INT);
    for (int c = 0; c < 8; c++)
        table_col(t, keys[c], heads[c], units[c]);
    for (int i = 1; i < NRUNS; i++) {
        for (int k = 0; k < u[i].nrows; k++) {
            table_num(t, u[i].ranks);
            for (int c = 0; c < 8; c++)
                table_num(t, u[i].row[k][c]);
        }
    }
    table_end(t);
}

/* The rules read what was launched (lib/lesson/distributed). */
static void notices(struct report *r, const struct run_params *p,
                    const struct run *u, const int *threads)
{
    struct dist_results x = { .cpus = sys_allowed_cpus(),
                              .cond = cond_stop(&p->probe) };
    struct notices ns;

    for (int i = 0; i < NRUNS && i < DIST_NRUNS; i++) {
        struct dist_run *d = &x.run[i];
        d->ranks = u[i].ranks;
        d->threads = threads[i];
        d->job_s = u[i].job_s;
        d->wall_s = u[i].wall_s;
        d->sent_bytes = (double)u[i].sent;
        d->is_same = !strcmp(u[i].top, u[0].top);
        for (int k = 0; k < u[i].nrows; k++)    /* column 7: in MPI */
            d->mpi_s = u[i].row[k][7] > d->mpi_s ? u[i].row[k][7] : d->mpi_s;
    }
    x.cond.reps = 1;                /* one launch of each */
    notices_init(&ns);
    distributed_notices(&x, &ns);
    report_conditions(r, NULL, &x.cond);
    report_notices(r, &ns);
}

static int measure(const struct run_params *p, const char *file,
                   int timeout_s, struct run *u, int *threads)
{
    char *exe = path_read_link("/proc/self/exe"), *dir;
    struct where w = { exe, file, NULL, timeout_s };
    int slot, rc = 0;

    if (!exe) {
        cli_error("distributed", "cannot find pardemo itself: %s",
                  strerror(errno));
        return 1;
    }
    if (!(dir = priv_dir(SIZE_MAX, 0, &slot))) {
        cli_error("distributed", "cannot make a private directory in %s: %s",
                  priv_tmp_base(), cli_strerror(errno));
        free(exe);
        return 1;
    }
    w.dir = dir;
    for (int i = 0; i < NRUNS && rc == 0; i++) {
        u[i].ranks = run_ranks[i];
        /* by default: 1 process on all CPUs, ranks of 1 thread each */
        threads[i] = p->threads_given ? p->threads
                     : i == 0 ? sys_allowed_cpus() : 1;
        if (!p->is_quiet)
            fprintf(stderr, "distributed: %d process%s x %d thread%s...\n",
                    u[i].ranks, u[i].ranks > 1 ? "es" : "", threads[i],
                    threads[i] > 1 ? "s" : "");
        rc = one_run(&w, threads[i], &u[i]);
    }
    priv_dir_remove(dir, slot);
    free(exe);
    return rc;
}

static int run_all(const struct run_params *p, int timeout_s)
{
    struct run u[NRUNS] = { { 0 } };
    int threads[NRUNS], rc, slot = -1;
    char *file = NULL;
    struct report *r;

    struct gen_params g = { LLONG_MAX, p->size, p->seed };  /* -n bytes */

    if (textgen_temp_file(textgen_gen_text, &g, "distributed", &file,
                          &slot) < 0) {
        cli_error("distributed", "cannot generate text in %s: %s",
                  priv_tmp_base(), cli_strerror(errno));
        return 1;
    }
    rc = measure(p, file, timeout_s, u, threads);
    textgen_temp_remove(file, slot);
    if (rc == 0) {
        char sz[32];
        r = report_begin(p, "Distributed computing: the RDD engine on Open "
                         "MPI", "mpirun -np N pardemo wordcount FILE: "
                         "each rank reads its own splits; the shuffle is "
                         "MPI_Alltoallv.");
        report_param(r, "input", "generated Zipf text (%s bytes, seed %llu)",
                     cli_fmt_size(p->size, sz, sizeof(sz)), p->seed);
        report_param(r, "partitions", "4");
        report_text(r, "mpirun --oversubscribe --bind-to none --mca btl "
                    "self,vader \\\n    --mca btl_tcp_if_include lo --mca "
                    "oob_tcp_if_include lo \\\n    -np N pardemo wordcount "
                    "FILE -t T -p 4 --format csv");
        report_runs(r, u, threads);
        report_splits(r, u);
        notices(r, p, u, threads);
        rc = report_end(r) ? 1 : 0;
    }
    for (int i = 0; i < NRUNS; i++)
        free(u[i].top);
    return rc;
}

static int distributed_main(int argc, char **argv)
{
    struct dist_opts o = { 60 };
    struct run_params p;
    int rc;

    cli_defaults(&p, "distributed");
    p.size = demo_size(&demo_distributed, p.is_quick);
    if ((rc = cli_parse(&demo_distributed, argc, argv, &p, &o)) >= 0)
        return rc;
    if (!p.size_given)
        p.size = demo_size(&demo_distributed, p.is_quick);
    if (!rdd_mpi_built() || !sys_in_path("mpirun"))
        return explain_missing(&p, rdd_mpi_built());
    cleanup_init();
    return run_all(&p, o.timeout_s);
}

const struct demo demo_distributed = {
    .name = "distributed",
    .summary = "the RDD engine on Open MPI: word count on 1, 2 and 4 ranks",
    .main = distributed_main,
    .slide = "Distributed computing",
    .spec = &dist_spec,
    .sizes = { 32LL << 20 },
    .quick_sizes = { 4LL << 20 },
};
