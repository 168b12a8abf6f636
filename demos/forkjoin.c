/* forkjoin.c - fork-join: split the work, fork, do your half, wait, combine.
 * One job (sum or merge sort of N integers) run four ways - serial, fork()
 * with pipes, pthreads, OpenMP tasks - whose code is side by side in
 * lib/forkjoin_*.c. Look at the tree (who forked whom, who waited), at
 * what the fork variant pays to copy results back, and with --sweep grain
 * at how small a piece each kind of worker can afford.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "demos.h"
#include "forkjoin.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct variant {
    const char *name;
    const char *who;            /* what a tree node's worker id is */
    const char *fork_call, *join_call;
    int (*run)(const struct forkjoin_args *, struct forkjoin_result *);
};

static const struct variant variants[] = {
    { "serial", "pid", "(a plain call)", "(nothing to wait for)",
      forkjoin_serial },
    { "fork", "pid", "pipe() + fork()", "read() + waitpid()", forkjoin_fork },
    { "pthread", "tid", "pthread_create()", "pthread_join()",
      forkjoin_pthread },
    { "omp-task", "thread", "#pragma omp task", "#pragma omp taskwait",
      forkjoin_omp },
};
enum { N_VARIANTS = ARRAY_SIZE(variants) };

#define DEFAULT_CUTOFF 4096

struct fj_opts {
    int job;                    /* enum forkjoin_job */
    int depth;                  /* 0: enough levels for -t workers */
    long long cutoff;
    int sweep;                  /* 0 none, 1 grain */
};

static const struct cli_opt fj_cli_opts[] = {
    { "job", 0, CLI_CHOICE, "JOB", "what to compute", 0, 0, "sum|sort",
      offsetof(struct fj_opts, job) },
    { "depth", 0, CLI_INT, "D", "levels of forking: 2^D leaves (0: enough "
      "for -t workers, or down to --cutoff if given)", 0, FJ_MAX_DEPTH, NULL,
      offsetof(struct fj_opts, depth) },
    { "cutoff", 0, CLI_SIZE, "N", "ranges of at most N elements are not "
      "split", 1, 1LL << 30, NULL, offsetof(struct fj_opts, cutoff) },
    { "sweep", 0, CLI_CHOICE, "WHAT", "also shrink the cutoff and watch "
      "each variant collapse", 0, 0, "none|grain",
      offsetof(struct fj_opts, sweep) },
    { 0 },
};

static const struct cli_spec fj_spec = {
    .common = CLI_COMMON,
    .size_help = "elements to sum or sort",
    .size_min = 0, .size_max = 1LL << 28,
    .opts = fj_cli_opts,
    .examples = "pardemo forkjoin --quick\n"
                "pardemo forkjoin --job sum -n 32M\n"
                "pardemo forkjoin --depth 2 -n 1M\n"
                "pardemo forkjoin --sweep grain --quick",
};

/* What the serial answer is, computed here independently of lib. */
struct expect {
    int64_t sum;
    uint64_t bag;               /* the input's multiset fingerprint */
};

struct timing {
    struct stats st;
    uint64_t checksum;          /* the sum, or the sorted output's hash */
    bool is_ok;
    int refused;
};

static int ceil_log2(long long x)
{
    int d = 0;

    while ((1LL << d) < x)
        d++;
    return d;
}

/* One timed run: a fresh copy of the input, then the variant. */
static int run_once(const struct variant *v, struct forkjoin_args *a,
                    const int32_t *orig, const struct expect *want,
                    double *secs, struct timing *t)
{
    struct forkjoin_result res;
    double t0;

    memcpy(a->a, orig, (size_t)a->n * sizeof(*orig));
    if (a->tree)
        memset(a->tree, 0, FJ_TREE_NODES * sizeof(*a->tree));
    t0 = clk_now();
    if (v->run(a, &res) < 0)
        return -1;
    *secs = clk_now() - t0;
    t->refused += res.refused;
    if (a->job == FJ_SUM) {
        t->checksum = (uint64_t)res.sum;
        t->is_ok &= res.sum == want->sum;
    } else {
        t->checksum = forkjoin_seq_hash(a->a, a->n);
        t->is_ok &= forkjoin_is_sorted(a->a, a->n) &&
                    forkjoin_bag_hash(a->a, a->n) == want->bag;
    }
    return 0;
}

/* A warm-up run, then reps timed runs. Returns 0, or -1 (errno). */
static int time_variant(const struct variant *v, struct forkjoin_args *a,
                        const int32_t *orig, const struct expect *want,
                        int reps, struct timing *t)
{
    double *secs = calloc((size_t)reps + 1, sizeof(*secs));
    int rc = 0;

    memset(t, 0, sizeof(*t));
    t->is_ok = true;
    for (int i = 0; secs && i <= reps && rc == 0; i++)
        rc = run_once(v, a, orig, want, &secs[i], t);
    if (!secs || rc < 0) {
        free(secs);
        return -1;
    }
    t->st = stats_of(secs + 1, (size_t)reps);   /* secs[0]: the warm-up */
    free(secs);
    return 0;
}

static void expect_of(const int32_t *a, long long n, enum forkjoin_job job,
                      struct expect *want)
{
    want->sum = 0;
    for (long long i = 0; i < n; i++)
        want->sum += a[i];
    want->bag = job == FJ_SORT ? forkjoin_bag_hash(a, n) : 0;
}

static long long workers_of(int v, const struct forkjoin_args *a)
{
    long long leaves = forkjoin_leaves(a);

    if (v == 0)
        return 1;
    if (!strcmp(variants[v].name, "omp-task"))
        return leaves < a->threads ? leaves : a->threads;
    if (!strcmp(variants[v].name, "fork"))
        return leaves < 1 << FJ_FORK_LEVELS ? leaves : 1 << FJ_FORK_LEVELS;
    /* one process or thread per leaf, all at once */
    return leaves < 1 << FJ_THREAD_LEVELS ? leaves : 1 << FJ_THREAD_LEVELS;
}

/* ---- the fork/join tree diagram -------------------------------------- */

static void tree_lines(FILE *f, const struct fj_node *tree, long node,
                       const char *prefix, const char *branch,
                       const char *who, double t_root)
{
    const struct fj_node *x = &tree[node];
    char next[64], label[96];
    bool has_kids = 2 * node + 1 < FJ_TREE_NODES && tree[2 * node].is_used;
    int pad;

    if (!x->is_used)
        return;
    snprintf(label, sizeof(label), "%s%snode %ld", prefix, branch, node);
    pad = 3 * FJ_TREE_DEPTH + 8 - (int)report_utf8_width(label);
    fprintf(f, "\n  %s%*s %s %-7ld [%lld, %lld)  %.2f-%.2f ms", label,
            pad > 0 ? pad : 0, "", who, x->who, x->lo, x->lo + x->n,
            (x->start_s - t_root) * 1e3, (x->end_s - t_root) * 1e3);
    if (has_kids)
        fprintf(f, "  forks %ld, waits %.2f ms", 2 * node, x->wait_s * 1e3);
    else if (2 * node < FJ_TREE_NODES)
        fprintf(f, "  leaf");
    snprintf(next, sizeof(next), "%s%s", prefix,
             !*branch ? "" : !strcmp(branch, "├─ ") ? "│  " : "   ");
    if (has_kids) {
        tree_lines(f, tree, 2 * node, next, "├─ ", who, t_root);
        tree_lines(f, tree, 2 * node + 1, next, "└─ ", who, t_root);
    }
}

static void print_tree(struct report *r, const struct variant *v,
                       const struct fj_node *tree)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f)
        return;
    fprintf(f, "Fork/join tree, %s (one run; %s = who ran the node; times "
            "from the root's start):", v->name, v->who);
    tree_lines(f, tree, 1, "", "", v->who, tree[1].start_s);
    fclose(f);
    report_text(r, "%s", text);
    free(text);
}

/* The lecture's Python fork-join, line by line, beside its C twins. */
static void print_python_twin(struct report *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f)
        return;
    fprintf(f, "The lecture's Python fork-join (threading), and what each "
            "variant does instead:\n  %-26s", "Python");
    for (int v = 1; v < N_VARIANTS; v++)
        fprintf(f, "  %-20s", variants[v].name);
    fprintf(f, "\n  %-26s", "t1.start()  # job1");
    for (int v = 1; v < N_VARIANTS; v++)
        fprintf(f, "  %-20s", variants[v].fork_call);
    fprintf(f, "\n  %-26s", "t2.start()  # job2");
    for (int v = 1; v < N_VARIANTS; v++)
        fprintf(f, "  %-20s", "the parent does it");
    fprintf(f, "\n  %-26s", "t1.join(); t2.join()");
    for (int v = 1; v < N_VARIANTS; v++)
        fprintf(f, "  %-20s", variants[v].join_call);
    fclose(f);
    report_text(r, "%s", text);
    free(text);
}

/* ---- the main comparison --------------------------------------------- */

static void variants_table(struct report *r, const struct forkjoin_args *a,
                           const struct timing *t)
{
    struct table *tb = report_table(r, "variants", "One job, four ways");
    char hex[24];

    table_col(tb, "variant", "variant", U_TEXT);
    table_col(tb, "workers", "workers", U_INT);
    table_col(tb, "min_seconds", "min", U_MS);
    table_col(tb, "median_seconds", "median", U_MS);
    table_col(tb, "max_seconds", "max", U_MS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    table_col(tb, "check", "check", U_TEXT);
    table_col(tb, "checksum", "checksum", U_TEXT);
    for (int v = 0; v < N_VARIANTS; v++) {
        table_str(tb, variants[v].name);
        table_num(tb, (double)workers_of(v, a));
        table_num(tb, t[v].st.min);
        table_num(tb, t[v].st.median);
        table_num(tb, t[v].st.max);
        table_num(tb, stats_speedup(t[0].st.median, t[v].st.median));
        table_str(tb, !t[v].is_ok ? "WRONG" : t[v].checksum ==
                  t[0].checksum ? "ok" : "differs");
        snprintf(hex, sizeof(hex), "%016llx",
                 (unsigned long long)t[v].checksum);
        table_str(tb, hex);
    }
    table_end(tb);
}

/* Elements a fork variant sends back through pipes (left halves). */
static long long piped_elems(const struct forkjoin_args *a, int level,
                             long long n)
{
    if (!forkjoin_is_split(a, level, n))
        return 0;
    return n / 2 + piped_elems(a, level + 1, n / 2) +
           piped_elems(a, level + 1, n - n / 2);
}

static void notice_correctness(struct report *r, const struct forkjoin_args *a,
                               const struct timing *t)
{
    int bad = 0;

    for (int v = 0; v < N_VARIANTS; v++)
        bad += !t[v].is_ok || t[v].checksum != t[0].checksum;
    if (bad)
        report_notice(r, "%d variant%s did NOT give the serial answer: a "
                      "bug, not a lesson.", bad, bad == 1 ? "" : "s");
    else if (a->job == FJ_SORT)
        report_notice(r, "Every variant's output was sorted, a permutation "
                      "of the input, and identical to the serial one "
                      "(checksum %016llx).",
                      (unsigned long long)t[0].checksum);
    else
        report_notice(r, "Every variant computed the serial sum, %lld.",
                      (long long)t[0].checksum);
}

static void notice_speedup(struct report *r, const struct forkjoin_args *a,
                           const struct timing *t)
{
    int cpus = sys_allowed_cpus(), best = 1;
    long long leaves = forkjoin_leaves(a);

    for (int v = 2; v < N_VARIANTS; v++)
        if (t[v].st.median < t[best].st.median)
            best = v;
    double s = stats_speedup(t[0].st.median, t[best].st.median);
    if (cpus == 1)
        report_notice(r, "This process may use only 1 CPU, so no variant "
                      "can beat serial: the best, %s, ran at %.2fx - what "
                      "you see is the cost of forking and joining.",
                      variants[best].name, s);
    else
        report_notice(r, "The fastest parallel variant, %s, ran at %.2fx "
                      "the serial speed with %lld leaves on %d allowed CPUs "
                      "(at most %lldx is possible here).",
                      variants[best].name, s, leaves, cpus,
                      leaves < cpus ? leaves : cpus);
    if (s > 1.1 * (leaves < cpus ? leaves : cpus))
        report_notice(r, "%.2fx is more than %lld CPU%s can give: that is "
                      "noise - other programs slowed the serial run (load "
                      "average %.2f). Run it again.", s,
                      leaves < cpus ? leaves : cpus,
                      (leaves < cpus ? leaves : cpus) == 1 ? "" : "s",
                      sys_load_average());
    else if (cpus > 1 && leaves > 1 && s < 1.1)
        report_notice(r, "So little gain from %d CPUs means they were not "
                      "free: the load average is %.2f (other programs "
                      "running). Compare min with median, or run again.",
                      cpus, sys_load_average());
    if (leaves > cpus && cpus > 1)
        report_notice(r, "There were more leaves (%lld) than CPUs (%d): the "
                      "fork and pthread variants oversubscribe, OpenMP "
                      "keeps %d threads busy with queued tasks.", leaves,
                      cpus, a->threads);
}

static void notice_fork_cost(struct report *r, const struct forkjoin_args *a,
                             const struct timing *t)
{
    double diff = t[1].st.median - t[2].st.median;
    long long piped = piped_elems(a, 0, a->n);

    if (forkjoin_leaves(a) < 2)
        return;
    if (fabs(diff) < 0.05 * t[2].st.median) {
        report_notice(r, "fork and pthread took about the same time here "
                      "(%.1f vs %.1f ms): the work dwarfs the cost of a "
                      "process.", t[1].st.median * 1e3, t[2].st.median * 1e3);
        return;
    }
    if (a->job == FJ_SORT)
        report_notice(r, "fork took %.1f ms %s than pthread. Its children "
                      "sort private copies of their halves and send them "
                      "back through pipes (%.1f MiB here) while threads "
                      "share memory and send nothing.", fabs(diff) * 1e3,
                      diff > 0 ? "longer" : "less", piped * 4.0 / 1048576);
    else
        report_notice(r, "fork took %.1f ms %s than pthread: a fork copies "
                      "the parent's page tables (%.0f MiB of arrays mapped "
                      "here), a thread only gets a stack; the answer itself "
                      "is 8 bytes through a pipe.", fabs(diff) * 1e3,
                      diff > 0 ? "longer" : "less", 2 * a->n * 4.0 / 1048576);
}

/* Joins where the forked (left) child ran on its parent's own worker. */
static int self_joins(const struct fj_node *tree, int *joins)
{
    int self = 0;

    *joins = 0;
    for (int i = 1; 2 * i + 1 < FJ_TREE_NODES; i++) {
        if (!tree[i].is_used || !tree[2 * i].is_used)
            continue;
        (*joins)++;
        self += tree[2 * i].who == tree[i].who;
    }
    return self;
}

static void notice_omp(struct report *r, const struct fj_node *tree,
                       const struct timing *t)
{
    char ids[128] = "";
    size_t used = 0;
    bool seen[64] = { false };
    int nodes = 0, joins;

    for (int i = 1; i < FJ_TREE_NODES; i++) {
        if (!tree[i].is_used)
            continue;
        nodes++;
        if (tree[i].who >= 0 && tree[i].who < 64 && !seen[tree[i].who]) {
            seen[tree[i].who] = true;
            used += (size_t)snprintf(ids + used, sizeof(ids) - used, "%s%ld",
                                     used ? ", " : "", tree[i].who);
        }
    }
    if (nodes > 1 && used < sizeof(ids))
        report_notice(r, "OpenMP ran the %d recorded tree nodes on thread%s "
                      "%s only: a task is queued work for a fixed team, "
                      "not a new thread.", nodes, strchr(ids, ',') ? "s" : "",
                      ids);
    if (self_joins(tree, &joins) > 0)
        report_notice(r, "At %d of %d OpenMP joins the waiting thread ran "
                      "the forked task itself: taskwait works through the "
                      "queue instead of sleeping.", self_joins(tree, &joins),
                      joins);
    if (t[1].refused || t[2].refused)
        report_notice(r, "Over the runs the system refused %d fork%s and %d "
                      "thread%s; those halves ran in their parent instead.",
                      t[1].refused, t[1].refused == 1 ? "" : "s",
                      t[2].refused, t[2].refused == 1 ? "" : "s");
}

/* ---- the grain sweep --------------------------------------------------- */

#define SWEEP_MAX 10

struct sweep {
    int npoints;
    long long cutoff[SWEEP_MAX], leaves[SWEEP_MAX];
    double secs[SWEEP_MAX][N_VARIANTS];     /* NAN: not run */
    double serial_s;
};

/* The most leaves a variant is run with: past that it has long lost. */
static const long long sweep_cap[N_VARIANTS] = { 0, 1024, 16384, 1LL << 20 };

static int sweep_point(struct sweep *sw, int i, struct forkjoin_args *a,
                       const int32_t *orig, const struct expect *want,
                       int reps, bool *is_alive)
{
    struct timing t;

    for (int v = 1; v < N_VARIANTS; v++) {
        sw->secs[i][v] = NAN;
        if (!is_alive[v] || sw->leaves[i] > sweep_cap[v])
            continue;
        if (time_variant(&variants[v], a, orig, want, reps, &t) < 0) {
            cli_error("forkjoin", "%s failed: %s", variants[v].name,
                      strerror(errno));
            return 1;
        }
        if (!t.is_ok) {
            cli_error("forkjoin", "%s gave a wrong answer at cutoff %lld",
                      variants[v].name, a->cutoff);
            return 1;
        }
        sw->secs[i][v] = t.st.median;
        /* 4x slower than serial: it has collapsed, stop spending time */
        if (t.st.median > 4 * sw->serial_s)
            is_alive[v] = false;
    }
    return 0;
}

static int run_sweep(struct report *r, struct forkjoin_args a,
                     const int32_t *orig, const struct expect *want,
                     int reps, struct sweep *sw)
{
    bool is_alive[N_VARIANTS] = { true, true, true, true };
    long long c = a.n / 2;
    int rc;

    a.depth = FJ_MAX_DEPTH;     /* only the cutoff limits the splitting */
    a.tree = NULL;
    for (sw->npoints = 0; sw->npoints < SWEEP_MAX && c >= 16; c /= 4) {
        int i = sw->npoints++;
        a.cutoff = c;
        sw->cutoff[i] = c;
        sw->leaves[i] = forkjoin_leaves(&a);
        report_progress(r, "grain sweep: cutoff %lld (%d of at most %d)", c,
                        i + 1, SWEEP_MAX);
        if ((rc = sweep_point(sw, i, &a, orig, want, reps, is_alive)))
            return rc;
    }
    return 0;
}

static void sweep_table(struct report *r, const struct sweep *sw)
{
    struct table *tb = report_table(r, "grain", "Grain sweep: the cutoff "
                                    "shrinks, the leaves multiply");
    static const char *const keys[N_VARIANTS][2] = {
        { "", "" }, { "fork_seconds", "fork_speedup" },
        { "pthread_seconds", "pthread_speedup" },
        { "omp_task_seconds", "omp_task_speedup" },
    };

    table_col(tb, "cutoff", "cutoff", U_INT);
    table_col(tb, "leaves", "leaves", U_INT);
    for (int v = 1; v < N_VARIANTS; v++) {
        table_col(tb, keys[v][0], variants[v].name, U_MS);
        table_col(tb, keys[v][1], "speedup", U_RATIO);
    }
    for (int i = 0; i < sw->npoints; i++) {
        table_num(tb, (double)sw->cutoff[i]);
        table_num(tb, (double)sw->leaves[i]);
        for (int v = 1; v < N_VARIANTS; v++) {
            table_num(tb, sw->secs[i][v]);
            table_num(tb, isnan(sw->secs[i][v]) ? NAN :
                      stats_speedup(sw->serial_s, sw->secs[i][v]));
        }
    }
    table_end(tb);
}

/* The first point where variant v was slower than serial, or -1. */
static int crossover(const struct sweep *sw, int v)
{
    for (int i = 0; i < sw->npoints; i++)
        if (isnan(sw->secs[i][v]) || sw->secs[i][v] > sw->serial_s)
            return i;
    return -1;
}

static void sweep_notices(struct report *r, const struct sweep *sw)
{
    int cross[N_VARIANTS], order[3] = { 1, 2, 3 };

    for (int v = 1; v < N_VARIANTS; v++) {
        int i = cross[v] = crossover(sw, v);
        if (i == 0 && !isnan(sw->secs[0][v]))
            report_notice(r, "%s was slower than serial (%.2f ms) even at "
                          "the coarsest grain.", variants[v].name,
                          sw->serial_s * 1e3);
        else if (i > 0)
            report_notice(r, "%s fell behind serial at cutoff %lld (%lld "
                          "leaves); it was still ahead at %lld.",
                          variants[v].name, sw->cutoff[i], sw->leaves[i],
                          sw->cutoff[i - 1]);
        else if (i < 0)
            report_notice(r, "%s stayed ahead of serial down to cutoff "
                          "%lld (%lld leaves).", variants[v].name,
                          sw->cutoff[sw->npoints - 1],
                          sw->leaves[sw->npoints - 1]);
    }
    for (int k = 0; k < 3; k++)        /* sort by who collapsed first */
        for (int j = k + 1; j < 3; j++)
            if ((cross[order[j]] < 0 ? SWEEP_MAX : cross[order[j]]) <
                (cross[order[k]] < 0 ? SWEEP_MAX : cross[order[k]])) {
                int x = order[k]; order[k] = order[j]; order[j] = x;
            }
    report_notice(r, "Order of collapse here: %s, then %s, then %s%s",
                  variants[order[0]].name, variants[order[1]].name,
                  variants[order[2]].name,
                  order[0] == 1 && order[1] == 2 ?
                  " - processes cost most to start, OpenMP tasks least." :
                  " (a tie or a noisy machine can swap neighbours; run it "
                  "again).");
}

/* Runs the sweep and prints it after the main table. Returns 0 or 1. */
static int sweep(struct report *r, const struct forkjoin_args *a,
                 const struct run_params *p, const int32_t *orig,
                 const struct expect *want, double serial_s)
{
    struct sweep sw = { .serial_s = serial_s };
    int rc = run_sweep(r, *a, orig, want, p->reps < 3 ? p->reps : 3, &sw);

    if (rc == 0 && sw.npoints > 0) {
        sweep_table(r, &sw);
        sweep_notices(r, &sw);
    } else if (rc == 0) {
        report_notice(r, "No grain sweep: -n %lld is too small to split.",
                      a->n);
    }
    return rc;
}

/* ---- the topic -------------------------------------------------------- */

static void describe(struct report *r, const struct run_params *p,
                     const struct forkjoin_args *a)
{
    report_param(r, "job", "%s", a->job == FJ_SUM ? "sum" : "sort");
    report_param(r, "n", "%lld", a->n);
    report_param(r, "depth", "%d", a->depth);
    report_param(r, "cutoff", "%lld", a->cutoff);
    report_param(r, "leaves", "%lld", forkjoin_leaves(a));
    report_param(r, "threads", "%d", a->threads);
    report_param(r, "reps", "%d", p->reps);
}

static int measure(struct report *r, struct forkjoin_args *a,
                   const int32_t *orig, const struct expect *want, int reps,
                   struct timing *t, struct fj_node trees[][FJ_TREE_NODES])
{
    for (int v = 0; v < N_VARIANTS; v++) {
        report_progress(r, "running %s", variants[v].name);
        a->tree = trees[v];
        if (time_variant(&variants[v], a, orig, want, reps, &t[v]) < 0) {
            cli_error("forkjoin", "%s failed: %s", variants[v].name,
                      strerror(errno));
            return 1;
        }
    }
    a->tree = NULL;
    return 0;
}

static void explain(struct report *r, const struct forkjoin_args *a,
                    const struct timing *t,
                    struct fj_node trees[][FJ_TREE_NODES])
{
    variants_table(r, a, t);
    if (a->depth <= FJ_TREE_DEPTH && a->n > 1)
        for (int v = 1; v < N_VARIANTS; v++)
            print_tree(r, &variants[v], trees[v]);
    print_python_twin(r);
    notice_correctness(r, a, t);
    notice_speedup(r, a, t);
    notice_fork_cost(r, a, t);
    notice_omp(r, trees[3], t);
}

static int run_topic(const struct run_params *p, struct forkjoin_args *a,
                     const struct fj_opts *o)
{
    struct fj_node trees[N_VARIANTS][FJ_TREE_NODES];
    struct timing t[N_VARIANTS];
    struct expect want;
    struct report *r;
    int32_t *orig = malloc((size_t)(a->n ? a->n : 1) * sizeof(*orig));
    int rc;

    if (!orig || !(a->a = malloc((size_t)(a->n ? a->n : 1) * sizeof(*orig)))) {
        free(orig);
        cli_error("forkjoin", "cannot allocate %lld elements: %s", a->n,
                  strerror(ENOMEM));
        return 1;
    }
    forkjoin_fill(orig, a->n, p->seed);
    expect_of(orig, a->n, a->job, &want);
    r = report_begin(p, "Fork-join: fork, do your half, wait, combine",
                     "The lecture's fork-join model written four ways; the "
                     "parent waits until its child joins.");
    describe(r, p, a);
    if ((rc = measure(r, a, orig, &want, p->reps, t, trees)) != 0) {
        report_discard(r);
    } else {
        explain(r, a, t, trees);
        if (o->sweep)
            rc = sweep(r, a, p, orig, &want, t[0].st.median);
        report_end(r);
    }
    free(a->a);
    free(orig);
    return rc;
}

static int forkjoin_main(int argc, char **argv)
{
    struct run_params p;
    struct fj_opts o = { FJ_SORT, 0, DEFAULT_CUTOFF, 0 };
    struct forkjoin_args a;
    int rc;

    cli_defaults(&p, "forkjoin");
    p.size = demo_size(&demo_forkjoin, p.is_quick);  /* shown by --help */
    if ((rc = cli_parse(&demo_forkjoin, argc, argv, &p, &o)) >= 0)
        return rc;
    if (!p.size_given)      /* a sweep runs ~25 times as many jobs */
        p.size = (o.job == FJ_SUM ? 32LL : 4LL) << (p.is_quick ? 18 : 20) >>
                 (o.sweep ? 2 : 0);
    if (!p.reps_given && p.is_quick)
        p.reps = 3;
    a = (struct forkjoin_args){
        .job = o.job, .n = p.size, .cutoff = o.cutoff, .threads = p.threads,
        .depth = o.depth ? o.depth : ceil_log2(p.threads),
    };
    if (!o.depth && o.cutoff != DEFAULT_CUTOFF)
        a.depth = FJ_MAX_DEPTH; /* --cutoff alone: split down to the grain */
    if (a.depth == 0)
        a.depth = 1;    /* fork once even on 1 CPU: show the overhead */
    return run_topic(&p, &a, &o);
}

/* ---- kernels for `pardemo bench` --------------------------------------- */

static int run_kernel(const struct run_params *in, struct run_result *out,
                      enum forkjoin_job job, int v)
{
    long long n = in->size > 0 ? in->size : 1LL << 20;
    struct forkjoin_args a = { .job = job, .n = n, .cutoff = 1,
                               .threads = in->threads,
                               .depth = ceil_log2(in->threads) };
    struct forkjoin_result res;
    double t0;
    int rc;

    if (!(a.a = malloc((size_t)n * sizeof(*a.a))))
        return -1;
    forkjoin_fill(a.a, n, in->seed);
    t0 = clk_now();
    rc = variants[v].run(&a, &res);
    out->seconds = clk_now() - t0;
    out->checksum = job == FJ_SUM ? (uint64_t)res.sum
                                  : forkjoin_seq_hash(a.a, n);
    free(a.a);
    return rc;
}

#define KERNEL(job, v) \
    static int k_##job##_##v(const struct run_params *in, \
                             struct run_result *out) \
    { return run_kernel(in, out, FJ_##job, v); }
KERNEL(SORT, 0) KERNEL(SORT, 1) KERNEL(SORT, 2) KERNEL(SORT, 3)
KERNEL(SUM, 0) KERNEL(SUM, 1) KERNEL(SUM, 2) KERNEL(SUM, 3)

static const struct kernel forkjoin_kernels[] = {
    { "sort-serial", "merge sort, one thread", k_SORT_0 },
    { "sort-fork", "merge sort, a child process per half, pipes", k_SORT_1 },
    { "sort-pthread", "merge sort, a thread per half", k_SORT_2 },
    { "sort-omp-task", "merge sort, OpenMP task + taskwait", k_SORT_3 },
    { "sum-serial", "sum, one thread", k_SUM_0 },
    { "sum-fork", "sum, a child process per half, pipes", k_SUM_1 },
    { "sum-pthread", "sum, a thread per half", k_SUM_2 },
    { "sum-omp-task", "sum, OpenMP task + taskwait", k_SUM_3 },
    { NULL, NULL, NULL },
};

const struct demo demo_forkjoin = {
    .name = "forkjoin",
    .summary = "fork-join: processes, pthreads, OpenMP tasks; grain",
    .main = forkjoin_main,
    .kernels = forkjoin_kernels,
    .slide = "The Fork-Join model",
    .spec = &fj_spec,
    .sizes = { 4LL << 20 },
    .quick_sizes = { 1LL << 20 },
};
