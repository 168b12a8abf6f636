/* platforms.c - Spark's peers, run side by side on the same two jobs: a
 * word count and "total Value ($) per Country" on the trade CSV, on every
 * platform this machine has (pardemo's engine on threads and on Open MPI,
 * plain python3, multiprocessing.Pool, Dask, pandas, the shell, mawk).
 * Look at start-up against throughput: who wins depends on the size, and
 * what the GIL does to threads. Every answer must equal python3's.
 */
#define _GNU_SOURCE
#include "platforms.h"
#include "cli.h"
#include "cleanup.h"
#include "datapath.h"
#include "path.h"
#include "report.h"
#include "lesson/platforms.h"
#include "rdd/rdd_mpi.h"
#include "stats.h"
#include "sysinfo.h"
#include "textgen.h"
#include "trade.h"
#include "demos.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The platforms, in table order; the first is the baseline. Adding one
 * is one entry here and its programs under platforms/. */
static const struct platform platforms[] = {
    /* name, how it starts, its programs, last argument, takes workers,
     * sweeps 1..N, install; lazy, on loss, combine, cluster (documented) */
    { "python3", PF_PYTHON, { "wordcount_python.py", "totals_python.py" },
      NULL, false, false, "python3", "no", "n/a", "n/a", "no" },
    { "mp.Pool", PF_PYTHON, { "wordcount_pool.py", "totals_pool.py" },
      NULL, true, false, "python3", "no", "job fails", "yes", "no" },
    { "dask-procs", PF_PYTHON, { "wordcount_dask.py", "totals_dask.py" },
      "processes", true, false, "python3-dask", "yes", "job fails", "yes",
      "yes" },
    { "dask-threads", PF_PYTHON, { "wordcount_dask.py", "totals_dask.py" },
      "threads", true, false, "python3-dask", "yes", "job fails", "yes",
      "yes" },
    { "pandas", PF_PYTHON, { NULL, "totals_pandas.py" },
      NULL, false, false, "python3-pandas", "no", "n/a", "n/a", "no" },
    { "shell", PF_SHELL, { "wordcount.sh", NULL },
      NULL, false, false, "coreutils", "no", "n/a", "no", "no" },
    { "mawk", PF_AWK, { "wordcount.awk", "totals.awk" },
      NULL, false, false, "mawk", "no", "n/a", "n/a", "no" },
    { "engine", PF_ENGINE, { "wordcount", "totals" },
      NULL, true, true, "pardemo", "yes", "recompute", "yes", "no" },
    { "engine-mpi", PF_MPI, { "wordcount", "totals" },
      NULL, true, false, "openmpi-bin libopenmpi-dev (then make)",
      "yes", "recompute", "yes", "yes" },
    /* PySpark's own programs, on pardemo spark's embedded CPython */
    { "spark", PF_SPARK, { "wordcount_spark.py", "totals_spark.py" },
      NULL, true, false, "python3-dev (then make)",
      "yes", "recompute", "yes", "yes" },
    { NULL },
};

static const char *const job_titles[PF_NJOBS] = {
    "Word count", "Total Value ($) per Country",
};

/* ---- options */

struct pf_opts {
    const char *text, *csv, *only, *engine, *measure;
    int job;                    /* 0 both, 1 wordcount, 2 totals */
    int lose;
};

static const struct cli_opt pf_opts_table[] = {
    { "text", 0, CLI_STR, "FILE", "count the words of FILE (repeated to -n "
      "bytes when -n is given) instead of generated Zipf text", 0, 0, NULL,
      offsetof(struct pf_opts, text) },
    { "csv", 0, CLI_STR, "FILE", "total a trade CSV (pardemo gen trade) "
      "instead of a generated one", 0, 0, NULL,
      offsetof(struct pf_opts, csv) },
    { "job", 0, CLI_CHOICE, "JOB", "which jobs to run", 0, 0,
      "both|wordcount|totals", offsetof(struct pf_opts, job) },
    { "only", 0, CLI_STR, "LIST", "only these platforms, e.g. "
      "python3,engine,dask-threads (default: all)", 0, 0, NULL,
      offsetof(struct pf_opts, only) },
    { "engine", 0, CLI_STR, "JOB", "run JOB (wordcount|totals) on FILE with "
      "pardemo's engine alone and print its answer: what this topic runs "
      "in a child", 0, 0, NULL, offsetof(struct pf_opts, engine) },
    { "measure", 0, CLI_STR, "FILE", "run the command after -- and write "
      "its wall time, CPU time and peak memory to FILE (how this topic "
      "measures each platform)", 0, 0, NULL,
      offsetof(struct pf_opts, measure) },
    { "lose", 0, CLI_INT, "P", "with --engine: lose map partition P's "
      "shuffle output once (-1: none)", -1, 4095, NULL,
      offsetof(struct pf_opts, lose) },
    { 0 },
};

static const struct cli_spec pf_spec = {
    .args = "[FILE | -- CMD...]",
    .min_args = 0, .max_args = -1,
    .common = CLI_THREADS | CLI_SIZE_OPT | CLI_REPS | CLI_SEED | CLI_FORMAT |
              CLI_QUIET | CLI_QUICK,
    .size_help = "bytes of generated text and of generated trade CSV",
    .size_min = 1, .size_max = 16LL << 30,
    .opts = pf_opts_table,
    .examples = "pardemo platforms --quick\n"
                "pardemo platforms --text hamlet.txt -n 16M\n"
                "pardemo platforms --job totals --only python3,pandas,engine\n"
                "pardemo platforms --engine wordcount hamlet.txt -t 2",
};

/* ---- one job's rows */

enum { MAX_ROWS = 48 };

struct pf_row {
    const struct platform *pf;
    int workers, runs;
    double wall_s, cpu_s, startup_s;
    struct est wall;            /* wall_s with the runs' spread */
    long long peak_bytes;
    const char *missing;        /* not installed: what to apt-get install */
    char package[64];           /* missing's storage when a run said it */
};

/* What the engine's "# engine" note said (its own view of its stages). */
struct pf_engine_note {
    bool is_seen;
    long long map_records, shuffled_records, shuffled_bytes;
    int stages_before_action, recomputed, ranks;
};

struct pf_job_run {
    enum pf_job job;
    const char *input, *tiny;   /* the job's input; a one-line twin */
    long long bytes;
    struct pf_row rows[MAX_ROWS];
    int nrows;
    struct tally answer;        /* the reference answer (python3's) */
    char *answer_text;          /* its keys point in here */
    const char *answer_from;
    long long answer_keys;
    struct pf_engine_note note, lost;   /* a plain run; one with --lose */
    bool is_lost_same;
    int mpi_ranks;
};

struct pf_ctx {
    const struct run_params *p;
    const struct pf_opts *o;
    struct pf_env env;
    struct pf_python py;
    struct pf_dir dir;
    char *self;                 /* this binary's path (malloc'd) */
    bool has_cpython;           /* pardemo spark runs real CPython */
};

/* ---- the inputs: generated, or the user's files checked */

/* A new file dir/name (O_EXCL: never one we did not make). */
static FILE *new_file(const struct pf_ctx *c, const char *name, char **path)
{
    int fd;

    *path = pf_dir_file(&c->dir, name);
    fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    return fd < 0 ? NULL : fdopen(fd, "w");
}

static int close_new(FILE *f, int rc)
{
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* gen's output (textgen_gen_text, trade_write) into dir/name. */
static int generate(const struct pf_ctx *c, const char *name,
                    gen_write_fn gen, const struct gen_params *g,
                    char **path)
{
    FILE *f = new_file(c, name, path);

    return f ? close_new(f, gen(f, g)) : -1;
}

/* Whole copies of src, up to max bytes (one copy at least). */
static int repeat(const struct pf_ctx *c, const char *src, long long max,
                  char **path)
{
    FILE *f = new_file(c, "text.txt", path), *in = fopen(src, "rb");
    char buf[1 << 16];
    long long copy, total = 0;
    size_t n;
    int rc = f && in ? 0 : -1;

    while (rc == 0) {
        rewind(in);
        for (copy = 0; rc == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0;
             copy += (long long)n)
            rc = fwrite(buf, 1, n, f) == n ? 0 : -1;
        rc = rc == 0 && ferror(in) ? -1 : rc;
        total += copy;
        if (copy == 0 || total + copy > max)
            break;
    }
    if (in)
        fclose(in);
    return f ? close_new(f, rc) : -1;
}

/* FILE exists, is not empty and (for the CSV) has the trade header. */
static int check_input(const char *path, bool is_csv)
{
    struct stat st;
    char line[256] = "";
    FILE *f;

    if (stat(path, &st) < 0 || !(f = fopen(path, "r"))) {
        cli_error("platforms", "cannot read %s: %s", path, strerror(errno));
        return 1;
    }
    if (!fgets(line, sizeof(line), f))
        line[0] = '\0';
    fclose(f);
    if (st.st_size == 0 || S_ISDIR(st.st_mode)) {
        cli_error("platforms", "%s: %s", path, S_ISDIR(st.st_mode) ?
                  "is a directory" : "empty file (nothing to count)");
        return 1;
    }
    line[strcspn(line, "\r\n")] = '\0';
    if (is_csv && strcmp(line, TRADE_HEADER)) {
        cli_error("platforms", "%s: not a trade CSV (its header is not "
                  "the one `pardemo gen trade` writes)", path);
        return 1;
    }
    return 0;
}

/* The word count's input and its one-line twin. Returns 0, or an exit
 * status after one line on stderr. */
static int text_input(struct pf_ctx *c, struct pf_job_run *jr, char **path)
{
    const struct run_params *p = c->p;
    struct gen_params g = { LLONG_MAX, p->size, p->seed };
    int rc;

    if (c->o->text && (rc = check_input(c->o->text, false)))
        return rc;
    if (c->o->text && !p->size_given)
        *path = strdup(c->o->text);
    else if ((c->o->text ? repeat(c, c->o->text, p->size, path)
              : generate(c, "text.txt", textgen_gen_text, &g, path)) < 0) {
        cli_error("platforms", "cannot write the text in %s: %s",
                  c->dir.path, strerror(errno));
        return 1;
    }
    jr->input = *path;
    return 0;
}

static int csv_input(struct pf_ctx *c, struct pf_job_run *jr, char **path)
{
    const struct run_params *p = c->p;
    struct gen_params g = { TRADE_MAX_ROWS, p->size, p->seed };
    int rc;

    if (c->o->csv) {
        if ((rc = check_input(c->o->csv, true)))
            return rc;
        *path = strdup(c->o->csv);
    } else if (generate(c, "trade.csv", trade_write, &g, path) < 0) {
        cli_error("platforms", "cannot write the CSV in %s: %s",
                  c->dir.path, strerror(errno));
        return 1;
    }
    jr->input = *path;
    return 0;
}

/* The empty job's inputs: one line of text; the CSV's header and one
 * row. (Truly empty files would not do: dask's read_text finds no blocks
 * in one and fails.) */
static int tiny_inputs(struct pf_ctx *c, char **text, char **csv)
{
    struct gen_params one_row = { 1, 0, c->p->seed };
    FILE *f = new_file(c, "tiny.txt", text);

    if (!f || close_new(f, fputs("start\n", f) < 0 ? -1 : 0) < 0 ||
        generate(c, "tiny.csv", trade_write, &one_row, csv) < 0) {
        cli_error("platforms", "cannot write in %s: %s", c->dir.path,
                  strerror(errno));
        return 1;
    }
    return 0;
}

/* ---- is it installed? */

static bool is_picked(const char *only, const char *name)
{
    size_t n = strlen(name);

    for (const char *s = only; s && *s; s += strcspn(s, ",") + !!s[strcspn(
         s, ",")])
        if (strcspn(s, ",") == n && !strncmp(s, name, n))
            return true;
    return !only;
}

/* pardemo spark is real CPython (issue 17) when it knows
 * sys.implementation; the home-made interpreter does not. */
static bool spark_is_cpython(struct pf_ctx *c)
{
    static const struct platform probe = {
        "spark-probe", PF_SPARK, { "spark_probe.py", NULL },
        NULL, false, false, NULL, NULL, NULL, NULL, NULL };
    struct pf_run r;
    bool is_cpython = false;

    if (pf_exec(&c->env, &probe, PF_WORDCOUNT, "-", 1, &r) == 0) {
        is_cpython = r.status == 0 && !strcmp(r.out, "cpython\n");
        pf_run_free(&r);
    }
    return is_cpython;
}

/* NULL when pf can run job here, else what to install. */
static const char *missing(const struct pf_ctx *c, const struct platform *pf,
                           enum pf_job job)
{
    (void)job;
    switch (pf->kind) {
    case PF_PYTHON: return c->py.version[0] ? NULL : "python3";
    case PF_SHELL:  return NULL;
    case PF_AWK:    return sys_in_path("mawk") ? NULL : pf->install;
    case PF_ENGINE: return NULL;
    case PF_MPI:    return rdd_mpi_built() && sys_in_path("mpirun") ? NULL
                           : pf->install;
    case PF_SPARK:  return c->has_cpython ? NULL : pf->install;
    }
    return NULL;
}

/* ---- running and checking */

static const char *const job_keys[PF_NJOBS] = { "wordcount", "totals" };

/* The worker counts of pf's rows: N, 1 for a serial platform, 1, 2, 4..N
 * for the engine's sweep. Returns the count. */
static int worker_counts(const struct platform *pf, int n, int *out)
{
    int k = 0;

    if (!pf->is_parallel)
        out[k++] = 1;
    else if (!pf->is_sweep)
        out[k++] = n;
    else {
        for (int w = 1; w < n && k < 10; w *= 2)
            out[k++] = w;
        out[k++] = n;
    }
    return k;
}

/* The "# engine ..." note of an engine run, if any. */
static void read_note(const char *out, struct pf_engine_note *n)
{
    const char *s = strstr(out, "# engine ");

    n->is_seen = s && sscanf(s, "# engine stages_before_action=%d stages=%*d "
                             "map_records=%lld shuffled_records=%lld "
                             "shuffled_bytes=%lld recomputed_tasks=%d "
                             "ranks=%d", &n->stages_before_action,
                             &n->map_records, &n->shuffled_records,
                             &n->shuffled_bytes, &n->recomputed,
                             &n->ranks) == 6;
}

/* A run that failed: one line naming the platform. */
static int run_failed(const struct platform *pf, enum pf_job job,
                      const struct pf_run *r)
{
    if (r->status < 0)
        cli_error("platforms", "%s: %s", pf->name, r->why);
    else
        cli_error("platforms", "%s failed on the %s job (exit %d)%s%s",
                  pf->name, job_keys[job], r->status, r->why[0] ? ": " : "",
                  r->why);
    return 1;
}

/* Compares run r's answer with the reference (or makes it the reference
 * when there is none yet). Returns 0, or 1 after one line. */
static int check_answer(struct pf_job_run *jr, const struct platform *pf,
                        struct pf_run *r)
{
    struct tally got;
    const char *why = NULL;
    int rc = 0;

    if (tally_init(&got) < 0 || pf_parse_answer(r->out, &got, &why) < 0) {
        cli_error("platforms", "%s: its %s answer cannot be read: %s",
                  pf->name, job_keys[jr->job], why ? why : "out of memory");
        tally_free(&got);
        return 1;
    }
    if (!jr->answer_text) {             /* the first answer: the reference */
        jr->answer = got;
        jr->answer_text = r->out;
        jr->answer_from = pf->name;
        jr->answer_keys = (long long)got.used;
        r->out = NULL;
        return 0;
    }
    if (got.used != jr->answer.used ||
        tally_checksum(&got) != tally_checksum(&jr->answer)) {
        cli_error("platforms", "%s's %s answer differs from %s's (%zu vs %zu "
                  "keys): a wrong answer is an error, not a row", pf->name,
                  job_keys[jr->job], jr->answer_from, got.used,
                  jr->answer.used);
        rc = 1;
    }
    tally_free(&got);
    return rc;
}

/* Runs pf once on input (the job or its one-line twin). */
static int run_once(struct pf_ctx *c, const struct platform *pf,
                    enum pf_job job, const char *input, int workers,
                    struct pf_run *r)
{
    if (pf_exec(&c->env, pf, job, input, workers, r) < 0)
        return run_failed(pf, job, r);
    if (r->status != 0 && !r->is_missing) {
        int rc = run_failed(pf, job, r);
        pf_run_free(r);
        return rc;
    }
    return 0;
}

static void progress(const struct pf_ctx *c, const char *what,
                     const struct platform *pf, enum pf_job job, int workers)
{
    if (!c->p->is_quiet)
        fprintf(stderr, "platforms: %s, %s, %d worker%s%s...\n",
                job_keys[job], pf->name, workers, workers == 1 ? "" : "s",
                what);
}

struct sample {
    double wall_s, cpu_s;
    long long peak_bytes;
};

static int by_wall(const void *a, const void *b)
{
    double x = ((const struct sample *)a)->wall_s,
           y = ((const struct sample *)b)->wall_s;
    return (x > y) - (x < y);
}

/* How many times a row runs. -r N: N. Otherwise once, then again (at
 * most PF_MAX_RUNS) while the runs' middle half is wider than the plan's
 * target and the row has taken less than PF_ROW_BUDGET_S: a quick row
 * runs until its median is sure, a slow one (Dask's start-up) once or
 * twice, and the notices say which rows their runs cannot decide. */
enum { PF_MAX_RUNS = 5 };
#define PF_ROW_BUDGET_S 2.0

static struct reps_plan runs_plan(const struct run_params *p)
{
    struct reps_plan pl = stats_plan(p, 1);

    if (!p->reps_given) {
        pl.max = PF_MAX_RUNS;
        pl.cap_factor = INFINITY;       /* the budget below decides */
    }
    return pl;
}

static bool is_another_run(const struct run_params *p,
                           const struct reps_plan *pl, const struct sample *s,
                           int n)
{
    double w[PF_MAX_RUNS], spent = 0;
    struct stats st;

    if (p->reps_given || n == 0)
        return n < pl->min;
    for (int i = 0; i < n; i++)
        spent += w[i] = s[i].wall_s;
    st = stats_of(w, (size_t)n);
    return spent < PF_ROW_BUDGET_S &&
           stats_want_more(pl, n, spent, s[0].wall_s,
                           est_spread(est_of(&st)));
}

/* The job as runs_plan says, into s[] (pl->max slots); each answer
 * checked. The number of runs, or -1. */
static int timed_runs(struct pf_ctx *c, struct pf_job_run *jr,
                      const struct platform *pf, int workers,
                      struct sample *s, const struct reps_plan *pl)
{
    struct pf_run r;
    int n = 0;

    while (is_another_run(c->p, pl, s, n)) {
        progress(c, "", pf, jr->job, workers);
        if (run_once(c, pf, jr->job, jr->input, workers, &r))
            return -1;
        if (r.status != 0) {    /* said it is missing, this time */
            run_failed(pf, jr->job, &r);
            pf_run_free(&r);
            return -1;
        }
        if (pf->kind == PF_ENGINE)
            read_note(r.out, &jr->note);
        if (pf->kind == PF_MPI) {
            struct pf_engine_note note;
            read_note(r.out, &note);
            jr->mpi_ranks = note.is_seen ? note.ranks : 0;
        }
        s[n++] = (struct sample){ r.wall_s, r.cpu_s, r.peak_bytes };
        int rc = check_answer(jr, pf, &r);
        pf_run_free(&r);
        if (rc)
            return -1;
    }
    return n;
}

/* The runs' wall times as an estimate: median and middle half. */
static struct est row_wall(const struct sample *s, int n)
{
    double *w = calloc((size_t)n, sizeof(*w));
    struct stats st;

    if (!w)
        abort();
    for (int i = 0; i < n; i++)
        w[i] = s[i].wall_s;
    st = stats_of(w, (size_t)n);
    free(w);
    return est_of(&st);
}

/* One row: the job on one line (its wall time is the start-up), then
 * the job as runs_plan says; the row keeps the run of median wall. 0, or
 * 1. */
static int run_row(struct pf_ctx *c, struct pf_job_run *jr,
                   const struct platform *pf, int workers)
{
    struct pf_row *row = &jr->rows[jr->nrows];
    struct reps_plan pl;
    struct sample *s;
    struct pf_run r;
    int n;

    *row = (struct pf_row){ .pf = pf, .workers = workers,
                            .missing = missing(c, pf, jr->job) };
    if (!row->missing) {
        progress(c, " (a one-line job: start-up)", pf, jr->job, workers);
        if (run_once(c, pf, jr->job, jr->tiny, workers, &r))
            return 1;
        if (r.is_missing) {
            snprintf(row->package, sizeof(row->package), "%s", r.package);
            row->missing = row->package;
        }
        row->startup_s = r.wall_s;
        pf_run_free(&r);
    }
    jr->nrows++;
    if (row->missing)
        return 0;
    pl = runs_plan(c->p);
    if (!(s = calloc((size_t)pl.max, sizeof(*s))))
        abort();
    if ((n = timed_runs(c, jr, pf, workers, s, &pl)) > 0) {
        qsort(s, (size_t)n, sizeof(*s), by_wall);
        row->runs = n;
        row->wall = row_wall(s, n);
        row->wall_s = s[n / 2].wall_s;
        row->cpu_s = s[n / 2].cpu_s;
        row->peak_bytes = s[n / 2].peak_bytes;
    }
    free(s);
    return n > 0 ? 0 : 1;
}

/* The engine once more, its first map partition's shuffle output lost
 * mid-job: does lineage recompute it, with the same answer? */
static int run_lost(struct pf_ctx *c, struct pf_job_run *jr,
                    const struct platform *pf)
{
    struct pf_run r;
    int rc;

    progress(c, ", partition 0 lost", pf, jr->job, c->p->threads);
    c->env.lose = 0;
    rc = run_once(c, pf, jr->job, jr->input, c->p->threads, &r);
    c->env.lose = -1;
    if (rc)
        return rc;
    read_note(r.out, &jr->lost);
    jr->is_lost_same = check_answer(jr, pf, &r) == 0;
    pf_run_free(&r);
    return jr->is_lost_same ? 0 : 1;
}

static int run_job(struct pf_ctx *c, struct pf_job_run *jr)
{
    const struct platform *pf;
    int ws[16], n;

    for (pf = platforms; pf->name; pf++) {
        if (!pf->program[jr->job] || !is_picked(c->o->only, pf->name))
            continue;
        n = worker_counts(pf, c->p->threads, ws);
        for (int i = 0; i < n && jr->nrows < MAX_ROWS; i++)
            if (run_row(c, jr, pf, ws[i]))
                return 1;
        if (pf->kind == PF_ENGINE && jr->answer_text &&
            !jr->rows[jr->nrows - 1].missing && run_lost(c, jr, pf))
            return 1;
    }
    if (!jr->answer_text) {
        cli_error("platforms", "no platform could run the %s job here",
                  job_keys[jr->job]);
        return 1;
    }
    return 0;
}

/* ---- the report */

static const struct pf_row *find_row(const struct pf_job_run *jr,
                                     const char *name, int workers)
{
    for (int i = 0; i < jr->nrows; i++)
        if (!strcmp(jr->rows[i].pf->name, name) && !jr->rows[i].missing &&
            (workers == 0 || jr->rows[i].workers == workers))
            return &jr->rows[i];
    return NULL;
}

/* The baseline's row: python3's (NULL when it did not run). */
static const struct pf_row *base_row(const struct pf_job_run *jr)
{
    return find_row(jr, platforms[0].name, 0);
}

static void report_times(struct report *r, const struct pf_job_run *jr)
{
    const struct pf_row *b = base_row(jr);
    char caption[160];
    struct table *t;

    snprintf(caption, sizeof(caption), "%s on %.1f MiB (N workers; mem: "
             "the largest process)", job_titles[jr->job],
             (double)jr->bytes / 1048576.0);
    t = report_table(r, job_keys[jr->job], caption);
    table_col(t, "platform", "platform", U_TEXT);
    table_col(t, "workers", "N", U_INT);
    table_col(t, "wall_seconds", "wall", U_SEC);
    table_col(t, "cpu_seconds", "CPU", U_SEC);
    table_col(t, "peak_bytes", "mem", U_MIB);
    table_col(t, "startup_seconds", "start", U_SEC);
    table_col(t, "bytes_per_second", "rate", U_MBPS);
    table_col(t, "speedup", "speedup", U_RATIO);
    for (int i = 0; i < jr->nrows; i++) {
        const struct pf_row *w = &jr->rows[i];
        if (w->missing)
            continue;
        table_str(t, w->pf->name);
        table_num(t, w->workers);
        table_num(t, w->wall_s);
        table_num(t, w->cpu_s);
        table_num(t, (double)w->peak_bytes);
        table_num(t, w->startup_s);
        table_num(t, (double)jr->bytes / w->wall_s);
        table_num(t, b ? b->wall_s / w->wall_s : NAN);
    }
    table_end(t);
}

/* The platforms not installed here, once each, with their install line. */
static void report_missing(struct report *r, const struct pf_job_run *jrs,
                           int njobs)
{
    const char *seen[16];
    int nseen = 0;
    struct table *t = NULL;

    for (int j = 0; j < njobs; j++)
        for (int i = 0; i < jrs[j].nrows; i++) {
            const struct pf_row *w = &jrs[j].rows[i];
            bool is_new = w->missing != NULL;
            for (int k = 0; k < nseen && is_new; k++)
                is_new = strcmp(seen[k], w->pf->name) != 0;
            if (!is_new || nseen == (int)ARRAY_SIZE(seen))
                continue;
            seen[nseen++] = w->pf->name;
            if (!t) {
                t = report_table(r, "missing", "Not run here");
                table_col(t, "platform", "platform", U_TEXT);
                table_col(t, "status", "status", U_TEXT);
            }
            char line[160];
            snprintf(line, sizeof(line), "not installed: apt-get install "
                     "%s", w->missing);
            table_str(t, w->pf->name);
            table_str(t, line);
        }
    if (t)
        table_end(t);
}

/* ---- properties: seen in this run where it can be, else documented */

struct props {
    const char *lazy, *loss, *combine, *cluster;
    double shuffled_bytes;      /* NAN: not measured */
};

/* A documented property: marked '*' (the caption says so). */
static const char *doc(const char *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s*", s);
    return buf;
}

/* The engine's note from whichever job saw one. */
static const struct pf_job_run *noted(const struct pf_job_run *jrs,
                                      int njobs)
{
    for (int j = 0; j < njobs; j++)
        if (jrs[j].note.is_seen)
            return &jrs[j];
    return NULL;
}

static bool has_run(const struct pf_job_run *jrs, int njobs, const char *name)
{
    for (int j = 0; j < njobs; j++)
        if (find_row(&jrs[j], name, 0))
            return true;
    return false;
}

static void props_of(const struct platform *pf, const struct pf_job_run *jrs,
                     int njobs, struct props *x, char bufs[4][32])
{
    const struct pf_job_run *n = noted(jrs, njobs);

    x->lazy = doc(pf->lazy, bufs[0], 32);
    x->loss = doc(pf->recovery, bufs[1], 32);
    x->combine = doc(pf->combine, bufs[2], 32);
    x->cluster = doc(pf->cluster, bufs[3], 32);
    x->shuffled_bytes = NAN;
    if (pf->kind == PF_ENGINE && n) {
        x->lazy = n->note.stages_before_action == 0 ? "yes" : "no";
        x->combine = n->note.shuffled_records < n->note.map_records ? "yes"
                     : "no";
        x->shuffled_bytes = (double)n->note.shuffled_bytes;
        if (n->lost.is_seen)
            x->loss = n->lost.recomputed > 0 && n->is_lost_same
                      ? "recompute" : "not seen";
    }
    if (pf->kind == PF_MPI)
        for (int j = 0; j < njobs; j++)
            if (jrs[j].mpi_ranks > 1)
                x->cluster = "yes";
}

static void report_props(struct report *r, const struct pf_job_run *jrs,
                         int njobs, const struct pf_python *py)
{
    struct table *t = report_table(r, "properties", "Properties (* from the "
                                   "platform's documentation; the rest "
                                   "seen in this run)");
    char bufs[4][32], lang[32];
    struct props x;

    table_col(t, "platform", "platform", U_TEXT);
    table_col(t, "lazy", "lazy", U_TEXT);
    table_col(t, "lost_partition", "on loss", U_TEXT);
    table_col(t, "combine", "combine", U_TEXT);
    table_col(t, "shuffled_bytes", "shuffle", U_MIB);
    table_col(t, "cluster", "cluster", U_TEXT);
    table_col(t, "language", "language", U_TEXT);
    for (const struct platform *pf = platforms; pf->name; pf++) {
        if (!has_run(jrs, njobs, pf->name))
            continue;
        props_of(pf, jrs, njobs, &x, bufs);
        int major = 3, minor = 0;
        sscanf(py->version, "%d.%d", &major, &minor);
        snprintf(lang, sizeof(lang), "Python %d.%d", major, minor);
        table_str(t, pf->name);
        table_str(t, x.lazy);
        table_str(t, x.loss);
        table_str(t, x.combine);
        table_num(t, x.shuffled_bytes);
        table_str(t, x.cluster);
        table_str(t, pf->kind == PF_PYTHON || pf->kind == PF_SPARK ? lang
                     : pf->kind == PF_SHELL ? "sh, coreutils"
                     : pf->kind == PF_AWK ? "awk" : "C");
    }
    table_end(t);
}

/* ---- what to notice: the rules are in lib/lesson/platforms.c */

static void lesson_job(const struct pf_job_run *jr, struct pfl_job *j,
                       struct pfl_row *rows)
{
    const struct pf_engine_note *e[2] = { &jr->note, &jr->lost };
    struct pfl_engine *le[2] = { &j->note, &j->lost };

    *j = (struct pfl_job){ .title = job_titles[jr->job], .row = rows,
                           .is_totals = jr->job == PF_TOTALS,
                           .bytes = jr->bytes };
    for (int i = 0; i < jr->nrows; i++)
        if (!jr->rows[i].missing)
            rows[j->nrows++] = (struct pfl_row){
                jr->rows[i].pf->name, jr->rows[i].workers, jr->rows[i].wall,
                jr->rows[i].cpu_s, jr->rows[i].startup_s };
    for (int k = 0; k < 2; k++)
        *le[k] = (struct pfl_engine){ e[k]->is_seen, e[k]->map_records,
            e[k]->shuffled_records, e[k]->shuffled_bytes,
            e[k]->stages_before_action, e[k]->recomputed };
}

static void notices(struct report *r, const struct pf_job_run *jrs,
                    int njobs, const struct run_params *p)
{
    struct pfl_job jobs[PF_NJOBS];
    struct pfl_row rows[PF_NJOBS][MAX_ROWS];
    struct platforms_results x = { .job = jobs, .njobs = njobs,
                                   .threads = p->threads,
                                   .reps = p->reps_given ? p->reps : 0,
                                   .cond = cond_stop(&p->probe) };
    struct notices ns;

    for (int j = 0; j < njobs; j++)
        lesson_job(&jrs[j], &jobs[j], rows[j]);
    x.cond.reps = p->reps_given ? p->reps : 0;  /* else each row's own */
    notices_init(&ns);
    platforms_notices(&x, &ns);
    report_conditions(r, NULL, &x.cond);
    report_notices(r, &ns);
}

/* ---- main */

/* "wordcount: FILE, 1.2 MiB", malloc'd (the user's FILE: any length). */
static char *input_line(const struct pf_ctx *c, const struct pf_job_run *jr)
{
    char *line;

    if (asprintf(&line, "%s: %s, %.1f MiB", job_keys[jr->job],
                 jr->job == PF_WORDCOUNT ?
                 (c->o->text ? c->o->text : "generated Zipf text")
                 : (c->o->csv ? c->o->csv : "generated trade CSV"),
                 (double)jr->bytes / 1048576) < 0)
        abort();
    return line;
}

static void report_all(const struct pf_ctx *c, const struct pf_job_run *jrs,
                       int njobs)
{
    const struct run_params *p = c->p;
    struct report *r = report_begin(p, "Platforms similar to Spark, side by "
                                    "side", "The same two jobs on every "
                                    "platform installed here, measured from "
                                    "outside: start-up against throughput.");
    char *where = datapath_find("platforms/wordcount_python.py"), *slash;
    char *inputs[PF_NJOBS] = { NULL }, runs[128];

    report_param(r, "workers", "%d", p->threads);
    if (p->reps_given)
        report_param(r, "runs", "%d", p->reps);
    else
        report_param(r, "runs", "1-%d", PF_MAX_RUNS);
    report_param(r, "python", "%s", c->py.version[0] ? c->py.version : "-");
    report_param(r, "load", "%.2f", sys_load_average());
    for (int j = 0; j < njobs; j++)
        inputs[j] = input_line(c, &jrs[j]);
    if (where && (slash = strrchr(where, '/')))
        *slash = '\0';
    if (p->reps_given)
        snprintf(runs, sizeof(runs), "the median of %d run%s", p->reps,
                 p->reps == 1 ? "" : "s");
    else
        snprintf(runs, sizeof(runs), "the median of its runs; a row runs "
                 "again (up to %d times) while its\nruns disagree, within "
                 "%.0f s (-r N: N runs each)", PF_MAX_RUNS, PF_ROW_BUDGET_S);
    report_text(r, "Inputs: %s%s%s\nPrograms: %s/ (run by %s);\nthe "
                "engine's: `pardemo platforms --engine JOB FILE`.\nstart: "
                "the same program on a one-line input.\nEach row: %s.\n"
                "speedup: python3's wall time / the row's.",
                inputs[0] ? inputs[0] : "", njobs > 1 ? "\n        " : "",
                njobs > 1 ? inputs[1] : "", where ? where : "platforms",
                c->py.exe, runs);
    for (int j = 0; j < njobs; j++)
        free(inputs[j]);
    free(where);
    for (int j = 0; j < njobs; j++)
        report_times(r, &jrs[j]);
    report_missing(r, jrs, njobs);
    report_props(r, jrs, njobs, &c->py);
    notices(r, jrs, njobs, p);
    report_end(r);
}

/* Inputs, then every job on every platform. Returns the exit status. */
static int run_all(struct pf_ctx *c, struct pf_job_run *jrs, int *njobs)
{
    char *tiny_text = NULL, *tiny_csv = NULL;
    int rc = tiny_inputs(c, &tiny_text, &tiny_csv);

    for (int j = 0; j < PF_NJOBS && rc == 0; j++) {
        struct pf_job_run *jr = &jrs[*njobs];
        char *path = NULL;
        struct stat st;
        if (c->o->job && c->o->job != j + 1)
            continue;
        jr->job = (enum pf_job)j;
        jr->tiny = j == PF_WORDCOUNT ? tiny_text : tiny_csv;
        rc = j == PF_WORDCOUNT ? text_input(c, jr, &path)
                               : csv_input(c, jr, &path);
        ++*njobs;
        if (rc == 0 && stat(path, &st) == 0)
            jr->bytes = st.st_size;
        if (rc == 0)
            rc = run_job(c, jr);
        jr->input = NULL;
        free(path);
    }
    free(tiny_text);
    free(tiny_csv);
    return rc;
}

/* --only names platforms of the list. Returns 0, or 2 after one line. */
static int check_only(const char *only)
{
    char names[256] = "";

    for (const char *s = only; s && *s; s += strcspn(s, ",") + !!s[strcspn(
         s, ",")]) {
        const struct platform *pf = platforms;
        while (pf->name && (strlen(pf->name) != strcspn(s, ",") ||
                            strncmp(pf->name, s, strcspn(s, ","))))
            pf++;
        if (pf->name)
            continue;
        for (pf = platforms; pf->name; pf++)
            snprintf(names + strlen(names), sizeof(names) - strlen(names),
                     "%s%s", pf == platforms ? "" : ",", pf->name);
        cli_error("platforms", "--only: '%.*s' is not a platform (%s)",
                  (int)strcspn(s, ","), s, names);
        return 2;
    }
    return 0;
}

static int engine_mode(const struct run_params *p, const struct pf_opts *o)
{
    int job = !strcmp(o->engine, "wordcount") ? PF_WORDCOUNT
              : !strcmp(o->engine, "totals") ? PF_TOTALS : -1;

    if (job < 0) {
        cli_error("platforms", "--engine must be one of wordcount|totals "
                  "(got '%s')", o->engine);
        return 2;
    }
    if (p->nargs != 1) {
        cli_error("platforms", "--engine %s needs a FILE", o->engine);
        return 2;
    }
    return pf_engine_main((enum pf_job)job, p->args[0], p, o->lose);
}

/* --engine and --measure, the modes this topic runs its children in.
 * Returns -1 for a normal run, else the exit status. */
static int child_modes(const struct run_params *p, const struct pf_opts *o)
{
    if (o->engine)
        return engine_mode(p, o);
    if (o->measure && p->nargs < 1) {
        cli_error("platforms", "--measure FILE needs a command after --");
        return 2;
    }
    if (o->measure)
        return pf_measure_main(o->measure, p->args);
    if (p->nargs || o->lose >= 0) {
        cli_error("platforms", "%s is for --engine only (the jobs' inputs "
                  "are --text FILE and --csv FILE)", p->nargs ? "FILE"
                  : "--lose");
        return 2;
    }
    return -1;
}

/* c->self and the run's directory; on failure, neither. Returns 0 or 1
 * after one line. */
static int setup(struct pf_ctx *c)
{
    if (!(c->self = path_read_link("/proc/self/exe"))) {
        cli_error("platforms", "cannot find pardemo itself: %s",
                  strerror(errno));
        return 1;
    }
    if (pf_dir_make(&c->dir) < 0) {
        cli_error("platforms", "cannot make a directory in %s: %s",
                  getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                  strerror(errno));
        free(c->self);
        c->self = NULL;
        return 1;
    }
    pf_python_pick(&c->py);
    c->env = (struct pf_env){ &c->dir, &c->py, c->self, -1 };
    c->has_cpython = is_picked(c->o->only, "spark") && spark_is_cpython(c);
    return 0;
}

static int platforms_main(int argc, char **argv)
{
    struct run_params p;
    struct pf_opts o = { .job = 0, .lose = -1 };
    struct pf_ctx c = { .p = &p, .o = &o };
    struct pf_job_run *jrs;
    int rc, njobs = 0;

    cli_defaults(&p, "platforms");
    cli_prescan_quick(&p, argc, argv);
    p.size = demo_size(&demo_platforms, p.is_quick);
    p.reps = 1;
    if ((rc = cli_parse(&demo_platforms, argc, argv, &p, &o)) >= 0 ||
        (rc = child_modes(&p, &o)) >= 0)
        return rc;
    if ((rc = check_only(o.only)) || (o.text && (rc = check_input(o.text,
        false))) || (o.csv && (rc = check_input(o.csv, true))))
        return rc;
    cleanup_init();
    if ((rc = setup(&c)) != 0)
        return rc;
    if (!(jrs = calloc(PF_NJOBS, sizeof(*jrs))))
        abort();
    rc = run_all(&c, jrs, &njobs);
    /* before the report: a reader that closes the pipe early (| head)
     * ends us with SIGPIPE, which must find nothing left to remove */
    pf_dir_remove(&c.dir);
    if (rc == 0)
        report_all(&c, jrs, njobs);
    for (int j = 0; j < njobs; j++) {
        tally_free(&jrs[j].answer);
        free(jrs[j].answer_text);
    }
    free(jrs);
    free(c.self);
    return rc;
}

/* ---- bench kernels: one platform, one job, in->threads workers */

/* The platform called name, or NULL. */
static const struct platform *platform_named(const char *name)
{
    for (const struct platform *pf = platforms; pf->name; pf++)
        if (!strcmp(pf->name, name))
            return pf;
    return NULL;
}

/* Runs the job's program once on in->size generated bytes; seconds is
 * its wall time, the checksum its answer's. -1 after one line. */
static int kernel_run(const char *name, enum pf_job job,
                      const struct run_params *in, struct run_result *out)
{
    struct pf_opts o = { .lose = -1 };
    struct pf_ctx c = { .p = in, .o = &o };
    const struct platform *pf = platform_named(name);
    struct pf_job_run jr = { .job = job };
    char *path = NULL;
    struct pf_run r = { .out = NULL };
    int rc = setup(&c);

    if (rc == 0)
        rc = job == PF_WORDCOUNT ? text_input(&c, &jr, &path)
                                 : csv_input(&c, &jr, &path);
    if (rc == 0 && missing(&c, pf, job)) {
        cli_error("platforms", "%s: not installed: apt-get install %s",
                  name, missing(&c, pf, job));
        rc = 1;
    }
    if (rc == 0 && (rc = run_once(&c, pf, job, path, pf->is_parallel ?
                                  in->threads : 1, &r)) == 0 && r.is_missing)
        rc = run_failed(pf, job, &r);
    if (rc == 0 && (rc = check_answer(&jr, pf, &r)) == 0) {
        out->seconds = r.wall_s;
        out->checksum = tally_checksum(&jr.answer);
    }
    pf_run_free(&r);
    tally_free(&jr.answer);
    free(jr.answer_text);
    free(path);
    pf_dir_remove(&c.dir);
    return rc ? -1 : 0;
}

#define PF_KERNEL(fn, name, job)                                          \
    static int fn(const struct run_params *in, struct run_result *out)     \
    {                                                                      \
        return kernel_run(name, job, in, out);                             \
    }
PF_KERNEL(wc_python, "python3", PF_WORDCOUNT)
PF_KERNEL(wc_pool, "mp.Pool", PF_WORDCOUNT)
PF_KERNEL(wc_dask_procs, "dask-procs", PF_WORDCOUNT)
PF_KERNEL(wc_dask_threads, "dask-threads", PF_WORDCOUNT)
PF_KERNEL(wc_engine, "engine", PF_WORDCOUNT)

/* The word count only: one job, so the times share a chart (five
 * series; the topic itself runs the totals too). */
static const struct kernel platforms_kernels[] = {
    { "wc-python", "word count, python3 Counter (1 worker whatever N)",
      wc_python },
    { "wc-pool", "word count, multiprocessing.Pool of N", wc_pool },
    { "wc-dask-procs", "word count, dask.bag, N processes", wc_dask_procs },
    { "wc-dask-threads", "word count, dask.bag, N threads", wc_dask_threads },
    { "wc-engine", "word count, pardemo's engine, N threads", wc_engine },
    { 0 },
};

const struct demo demo_platforms = {
    .name = "platforms",
    .summary = "Spark's peers: the same two jobs on every platform installed",
    .main = platforms_main,
    .kernels = platforms_kernels,
    .slide = "Evaluate platforms similar to Spark",
    .spec = &pf_spec,
    .sizes = { 8LL << 20 },
    .quick_sizes = { 1LL << 20 },
    .serial_kernels = "wc-python",
};
