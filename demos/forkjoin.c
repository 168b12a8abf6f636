/* forkjoin.c - fork-join: split the work, fork, do your half, wait, combine.
 * One job (sum or merge sort of N integers) run four ways - serial, fork()
 * with pipes, pthreads, OpenMP tasks - whose code is side by side in
 * lib/forkjoin_*.c. Look at the tree (who forked whom, who waited), at
 * what the fork variant pays to copy results back, and with --sweep grain
 * at how small a piece each kind of worker can afford. The lecture's own
 * Python runs beside them: a multiprocessing.Pool's map over the same
 * numbers (demos/python/forkjoin_pool.py, in pardemo's CPython).
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "demos.h"
#include "forkjoin.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "lesson/forkjoin.h"
#include "pyspark/pylesson.h"

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
    struct pyl_opts py;         /* --no-python, --start-method */
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
    PYL_CLI_SKIP_OPTS(struct fj_opts, py),
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
                "pardemo forkjoin --sweep grain --quick\n"
                "pardemo forkjoin --quick --no-python",
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
    double cpus_busy;           /* CPU time / wall time of the timed runs */
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

/* A warm-up run, then timed runs as the plan says (more while they vary;
 * see stats_want_more). Returns 0, or -1 (errno). */
static int time_variant(const struct variant *v, struct forkjoin_args *a,
                        const int32_t *orig, const struct expect *want,
                        const struct reps_plan *pl, struct timing *t)
{
    double *secs = calloc((size_t)pl->max + 1, sizeof(*secs)), cpu = 0;
    double wall = 0, first = 0;
    int rc = 0, i;

    memset(t, 0, sizeof(*t));
    t->is_ok = true;
    for (i = 0; secs && rc == 0 &&
                (i == 0 || stats_want_more(pl, i - 1, wall, first,
                                           est_spread(est_of(&t->st))));
         i++) {
        double cpu0 = cond_cpu_seconds();
        rc = run_once(v, a, orig, want, &secs[i], t);
        if (i > 0) {                            /* secs[0]: the warm-up */
            cpu += cond_cpu_seconds() - cpu0;
            wall += secs[i];
            first = i == pl->min ? wall : first;
            t->st = stats_of(secs + 1, (size_t)i);
        }
    }
    if (!secs || rc < 0) {
        free(secs);
        return -1;
    }
    t->cpus_busy = wall > 0 ? cpu / wall : 0;
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
    char next[64], label[96], t0[32], t1[32], waited[32];
    bool has_kids = 2 * node + 1 < FJ_TREE_NODES && tree[2 * node].is_used;
    int pad;

    if (!x->is_used)
        return;
    snprintf(label, sizeof(label), "%s%snode %ld", prefix, branch, node);
    pad = 3 * FJ_TREE_DEPTH + 8 - (int)report_utf8_width(label);
    /* 3 significant digits, never an exponent */
    report_value_text(t0, sizeof(t0), (x->start_s - t_root) * 1e3, U_NUM);
    report_value_text(t1, sizeof(t1), (x->end_s - t_root) * 1e3, U_NUM);
    report_value_text(waited, sizeof(waited), x->wait_s * 1e3, U_NUM);
    fprintf(f, "\n  %s%*s %s %-7ld [%lld, %lld)  %s-%s ms", label,
            pad > 0 ? pad : 0, "", who, x->who, x->lo, x->lo + x->n, t0, t1);
    if (has_kids)       /* its children are the two rows below it */
        fprintf(f, "  waited %s ms", waited);
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
    fprintf(f, "Fork/join tree, %s, one run (%s: who ran the node). Times in "
            "ms from\nthe root's start. A node forks the one below it, does "
            "the other itself,\nthen waits for the first.", v->name, v->who);
    tree_lines(f, tree, 1, "", "", v->who, tree[1].start_s);
    fclose(f);
    report_text(r, "%s", text);
    free(text);
}

/* The lecture's Python fork-join, step by step, beside its C twins. */
static void print_python_twin(struct report *r)
{
    static const char *const python[3] = {
        "t1.start()  # job1", "t2.start()  # job2", "t1.join(); t2.join()",
    };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f)
        return;
    fprintf(f, "The lecture's Python fork-join (threading), and what each "
            "variant does instead:\n  %-8s  %-18s  %-18s  %s", "Python",
            python[0], python[1], python[2]);
    for (int v = 1; v < N_VARIANTS; v++)
        fprintf(f, "\n  %-8s  %-18s  %-18s  %s", variants[v].name,
                variants[v].fork_call, "the parent does it",
                variants[v].join_call);
    fclose(f);
    report_text(r, "%s", text);
    free(text);
}

/* ---- the main comparison --------------------------------------------- */

static void variant_row(struct table *tb, const char *language,
                        const char *variant, long long workers,
                        const struct stats *st, double speedup,
                        double busy, const char *check, uint64_t sum)
{
    char hex[24];

    table_str(tb, language);
    table_str(tb, variant);
    table_num(tb, (double)workers);
    table_num(tb, st->median);
    table_num(tb, speedup);
    table_num(tb, busy);
    table_str(tb, check);
    table_num(tb, st->min);
    table_num(tb, st->max);
    snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)sum);
    table_str(tb, hex);
}

struct py_part;
static void python_rows(struct table *tb, const struct py_part *pp);

static void variants_table(struct report *r, const struct forkjoin_args *a,
                           const struct timing *t, const struct py_part *py)
{
    struct table *tb = report_table(r, "variants", py ? "One job, four ways "
                                    "in C, and the lecture's Pool.map"
                                    : "One job, four ways");

    table_col(tb, "language", "lang", U_TEXT);
    table_col(tb, "variant", "variant", U_TEXT);
    table_col(tb, "workers", "workers", U_INT);
    table_col(tb, "median_seconds", "median", U_MS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    table_col(tb, "cpus_busy", "CPUs busy", U_NUM);
    table_col(tb, "check", "check", U_TEXT);
    table_col_data(tb, "min_seconds", U_MS);
    table_col_data(tb, "max_seconds", U_MS);
    table_col_data(tb, "checksum", U_TEXT);
    for (int v = 0; v < N_VARIANTS; v++)
        variant_row(tb, "C", variants[v].name, workers_of(v, a), &t[v].st,
                    stats_speedup(t[0].st.median, t[v].st.median),
                    t[v].cpus_busy, !t[v].is_ok ? "WRONG" : t[v].checksum ==
                    t[0].checksum ? "ok" : "differs", t[v].checksum);
    if (py)
        python_rows(tb, py);
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

/* The OpenMP tree for the lesson: nodes, the team threads that ran them. */
static void omp_tree(const struct fj_node *tree, struct forkjoin_results *r)
{
    bool seen[64] = { false };
    size_t used = 0;

    r->omp_ids[0] = '\0';
    for (int i = 1; i < FJ_TREE_NODES; i++) {
        long w = tree[i].who;
        if (!tree[i].is_used)
            continue;
        r->omp_nodes++;
        if (w < 0 || w >= 64 || seen[w] || used >= sizeof(r->omp_ids))
            continue;
        seen[w] = true;
        r->omp_threads++;
        used += (size_t)snprintf(r->omp_ids + used, sizeof(r->omp_ids) - used,
                                 "%s%ld", used ? ", " : "", w);
    }
    if (used >= sizeof(r->omp_ids))
        r->omp_threads = 0;         /* too many to list: say nothing */
    r->omp_self_joins = self_joins(tree, &r->omp_joins);
}

/* The lesson's view of the main comparison (lib/lesson/forkjoin). */
static void lesson_results(const struct run_params *p,
                           const struct forkjoin_args *a,
                           const struct timing *t, const struct fj_node *omp,
                           struct forkjoin_results *r)
{
    memset(r, 0, sizeof(*r));
    r->is_sort = a->job == FJ_SORT;
    r->n = a->n;
    r->leaves = forkjoin_leaves(a);
    r->cpus = sys_allowed_cpus();
    r->threads = a->threads;
    for (int v = 0; v < N_VARIANTS; v++) {
        r->secs[v] = est_of(&t[v].st);
        r->cpus_busy[v] = t[v].cpus_busy;
        r->is_wrong[v] = !t[v].is_ok || t[v].checksum != t[0].checksum;
    }
    r->checksum = t[0].checksum;
    r->piped_mib = (double)piped_elems(a, 0, a->n) * 4.0 / 1048576;
    r->mapped_mib = 2.0 * (double)a->n * 4.0 / 1048576;
    omp_tree(omp, r);
    r->refused_forks = t[1].refused;
    r->refused_threads = t[2].refused;
    r->cond = cond_stop(&p->probe);
    r->cond.reps = (int)t[0].st.n;
    for (int v = 0; v < N_VARIANTS; v++)
        if (est_spread(r->secs[v]) > r->cond.spread)
            r->cond.spread = est_spread(r->secs[v]);
}

/* ---- the grain sweep --------------------------------------------------- */

#define SWEEP_MAX FJ_SWEEP_MAX

_Static_assert((int)FJV_N == (int)N_VARIANTS,
               "the lesson knows every variant");

/* The most leaves a variant is run with: past that it has long lost. */
static const long long sweep_cap[N_VARIANTS] = { 0, 1024, 16384, 1LL << 20 };

static int sweep_point(struct fj_sweep_results *sw, int i,
                       struct forkjoin_args *a,
                       const int32_t *orig, const struct expect *want,
                       int reps, bool *is_alive)
{
    struct reps_plan pl = { reps, reps, 0, 0 };     /* a fixed count */
    struct timing t;

    for (int v = 1; v < N_VARIANTS; v++) {
        sw->secs[i][v] = NAN;
        if (!is_alive[v] || sw->leaves[i] > sweep_cap[v])
            continue;
        if (time_variant(&variants[v], a, orig, want, &pl, &t) < 0) {
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
                     int reps, struct fj_sweep_results *sw)
{
    bool is_alive[N_VARIANTS] = { true, true, true, true };
    long long c = a.n / 2;      /* >= 16 from FJ_SWEEP_LEAST_N on */
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

static void sweep_table(struct report *r, const struct fj_sweep_results *sw)
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
    if (sw->has_python) {
        table_col(tb, "python_pool_seconds", "Pool.map", U_MS);
        table_col(tb, "python_pool_speedup", "speedup", U_RATIO);
    }
    for (int i = 0; i < sw->npoints; i++) {
        table_num(tb, (double)sw->cutoff[i]);
        table_num(tb, (double)sw->leaves[i]);
        for (int v = 1; v < N_VARIANTS; v++) {
            table_num(tb, sw->secs[i][v]);
            table_num(tb, isnan(sw->secs[i][v]) ? NAN :
                      stats_speedup(sw->serial_s, sw->secs[i][v]));
        }
        if (sw->has_python) {
            table_num(tb, sw->py_secs[i]);
            table_num(tb, isnan(sw->py_secs[i]) ? NAN :
                      stats_speedup(sw->py_serial_s, sw->py_secs[i]));
        }
    }
    table_end(tb);
}

/* ---- the Python part: forkjoin_pool.py, run by the real CPython ---- */

/* Python takes the first n/PY_SHARE numbers (pure Python is slower) */
#define PY_SHARE 8
#define PY_REPS_MAX 9
/* the most pieces Pool.map is handed in the sweep: past that it has
 * long lost */
#define PY_LEAVES_CAP 16384

struct py_part {
    struct pyl_part part;       /* ran, or why not */
    struct fj_python res;
    struct stats st[FJP_N];     /* serial, Pool.map: the table's */
    uint64_t sum[FJP_N];        /* the sum each answered, as bits */
    const int32_t *orig;
    uint64_t want;              /* C's sum of those numbers, as bits */
    bool is_sort;
    int reps;
    struct fj_sweep_results *sw;    /* NULL: no sweep */
};

/* One call: serial (leaves 0) or a Pool.map into so many pieces. Its
 * seconds, its answer checked against C's; 0, or -1 (errno). */
static int py_once(const struct py_part *pp, long long leaves,
                   double *secs, uint64_t *sum, bool *is_ok)
{
    const char *job = pp->is_sort ? "sort" : "sum";
    ssize_t len = (ssize_t)(pp->res.n * (long long)sizeof(*pp->orig));
    struct pyl_num got[4];
    int n = leaves ? pyl_call(got, 4, "forkjoin_pool", "pool", "(y#siL)",
                              (const char *)pp->orig, len, job,
                              pp->res.workers, leaves)
                   : pyl_call(got, 4, "forkjoin_pool", "serial", "(y#s)",
                              (const char *)pp->orig, len, job);

    if (n != 4)
        return pyl_fail(n);
    *secs = got[0].v;
    *sum = got[1].u;
    *is_ok = *is_ok && got[1].u == pp->want &&
             (!pp->is_sort || (got[2].v == 1 && got[3].v == pp->res.n));
    return 0;
}

/* A warm-up, then reps timed calls: their summary in *st, the answer
 * (the sum) in *sum. */
static int py_time(const struct py_part *pp, long long leaves, int reps,
                   struct stats *st, uint64_t *sum, bool *is_wrong)
{
    double secs[PY_REPS_MAX + 1];
    bool is_ok = true;

    for (int i = 0; i <= reps; i++)
        if (py_once(pp, leaves, &secs[i], sum, &is_ok) < 0)
            return -1;
    *st = stats_of(secs + 1, (size_t)reps);
    *is_wrong = !is_ok;
    return 0;
}

/* Pool.map at each of the sweep's leaf counts, until it collapses. */
static int py_sweep(struct py_part *pp, struct report *r)
{
    struct fj_sweep_results *sw = pp->sw;
    bool is_alive = true, is_wrong;
    struct stats st;
    uint64_t sum;

    sw->py_serial_s = pp->res.secs[FJP_SERIAL].v;
    for (int i = 0; i < sw->npoints; i++) {
        sw->py_secs[i] = NAN;
        if (!is_alive || sw->leaves[i] > PY_LEAVES_CAP)
            continue;
        report_progress(r, "grain sweep: Python Pool.map, %lld pieces",
                        sw->leaves[i]);
        if (py_time(pp, sw->leaves[i], pp->reps < 3 ? pp->reps : 3, &st,
                    &sum, &is_wrong) < 0)
            return -1;
        pp->res.is_wrong[FJP_POOL] |= is_wrong;
        sw->py_secs[i] = st.median;
        is_alive = st.median <= 4 * sw->py_serial_s;
    }
    sw->has_python = true;
    return 0;
}

/* The Python rows, between pyl_start and pyl_stop (pyl_part_run). */
static int measure_python(void *ctx, struct report *r)
{
    struct py_part *pp = ctx;
    struct fj_python *py = &pp->res;

    report_param(r, "python_n", "%lld", py->n);
    report_progress(r, "Python: serial, then Pool.map...");
    for (int v = 0; v < FJP_N; v++) {
        if (py_time(pp, v ? py->leaves : 0, pp->reps, &pp->st[v],
                    &pp->sum[v], &py->is_wrong[v]) < 0)
            return -1;
        py->secs[v] = est_of(&pp->st[v]);
    }
    return pp->sw ? py_sweep(pp, r) : 0;
}

/* Starts Python, measures, stops it. Returns 0 (pp->part.has_run says
 * whether it ran), or -1 after an error line. */
static int python_part(struct report *r, const struct run_params *p,
                       const struct forkjoin_args *a, const struct fj_opts *o,
                       struct py_part *pp)
{
    int64_t sum = 0;

    pp->res.n = a->n / PY_SHARE > 1 ? a->n / PY_SHARE : a->n;
    pp->res.workers = a->threads;
    pp->res.leaves = forkjoin_leaves(a);
    if (pp->res.leaves > pp->res.n)
        pp->res.leaves = pp->res.n > 0 ? pp->res.n : 1;
    for (long long i = 0; i < pp->res.n; i++)
        sum += pp->orig[i];
    pp->want = (uint64_t)sum;
    pp->is_sort = a->job == FJ_SORT;
    pp->reps = p->reps < PY_REPS_MAX ? (p->reps > 0 ? p->reps : 1)
                                     : PY_REPS_MAX;
    return pyl_part_run(&pp->part, "forkjoin", &o->py, r, measure_python, pp);
}

/* Python's rows: its serial, its Pool.map (speedup over its serial). */
static void python_rows(struct table *tb, const struct py_part *pp)
{
    static const char *const names[FJP_N] = { "serial", "Pool.map" };
    const struct fj_python *py = &pp->res;

    for (int v = 0; v < FJP_N; v++)
        variant_row(tb, "Python", names[v], v ? py->workers : 1, &pp->st[v],
                    stats_speedup(pp->st[0].median, pp->st[v].median), NAN,
                    py->is_wrong[v] ? "WRONG" : "ok", pp->sum[v]);
}

static void python_text(struct report *r, const struct fj_opts *o,
                        const struct py_part *pp)
{
    char ran[600];

    snprintf(ran, sizeof(ran), "Python (lang Python; demos/python/"
             "forkjoin_pool.py, in pardemo's CPython): the\nfirst %lld "
             "numbers, %s in one process (serial), then by a Pool of %d:\n"
             "Pool.map hands %lld %s to the workers and returns when all "
             "are back;\nthe parent %s.\nIts speedup is over "
             "Python's serial.", pp->res.n, pp->is_sort ? "sorted()" : "sum()",
             pp->res.workers, pp->res.leaves,
             pp->res.leaves == 1 ? "piece" : "pieces",
             pp->is_sort ? "merges the sorted pieces (heapq.merge)"
                         : "adds the pieces' sums");
    pyl_part_text(r, &pp->part, &o->py, "forkjoin",
                  "the lecture's Pool.map", ran);
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
                   const int32_t *orig, const struct expect *want,
                   const struct reps_plan *pl, struct timing *t,
                   struct fj_node trees[][FJ_TREE_NODES])
{
    for (int v = 0; v < N_VARIANTS; v++) {
        report_progress(r, "running %s", variants[v].name);
        a->tree = trees[v];
        if (time_variant(&variants[v], a, orig, want, pl, &t[v]) < 0) {
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
                    struct fj_node trees[][FJ_TREE_NODES],
                    const struct py_part *pp)
{
    variants_table(r, a, t, pp->part.has_run ? pp : NULL);
    if (a->depth <= FJ_TREE_DEPTH && a->n > 1)
        for (int v = 1; v < N_VARIANTS; v++)
            print_tree(r, &variants[v], trees[v]);
    print_python_twin(r);
}

static void notices(struct report *r, const struct run_params *p,
                    const struct forkjoin_args *a, const struct timing *t,
                    const struct fj_node *omp,
                    const struct fj_sweep_results *sw,
                    const struct py_part *pp)
{
    struct forkjoin_results res;
    struct notices ns;

    lesson_results(p, a, t, omp, &res);
    res.sweep = sw;
    res.py = pp->part.has_run ? &pp->res : NULL;
    notices_init(&ns);
    forkjoin_notices(&res, &ns);
    report_conditions(r, NULL, &res.cond);
    report_notices(r, &ns);
}

/* The tables and What to notice, once everything is measured. */
static void print_all(struct report *r, const struct run_params *p,
                      const struct forkjoin_args *a, const struct timing *t,
                      struct fj_node trees[][FJ_TREE_NODES],
                      const struct fj_sweep_results *sw,
                      const struct fj_opts *o, const struct py_part *pp)
{
    python_text(r, o, pp);
    explain(r, a, t, trees, pp);
    if (sw && sw->npoints > 0)
        sweep_table(r, sw);
    notices(r, p, a, t, trees[3], sw, pp);
}

static int run_topic(const struct run_params *p, struct forkjoin_args *a,
                     const struct fj_opts *o)
{
    struct fj_node trees[N_VARIANTS][FJ_TREE_NODES];
    struct timing t[N_VARIANTS];
    struct fj_sweep_results sw = { 0 };
    struct py_part pp = { 0 };
    struct reps_plan pl = stats_plan(p, p->reps);
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
    rc = measure(r, a, orig, &want, &pl, t, trees);
    sw.serial_s = t[0].st.median;
    if (rc == 0 && o->sweep)
        rc = run_sweep(r, *a, orig, &want, p->reps < 3 ? p->reps : 3, &sw);
    pp.orig = orig;
    pp.sw = o->sweep ? &sw : NULL;
    if (rc == 0 && python_part(r, p, a, o, &pp) < 0)
        rc = 1;
    if (rc != 0) {
        report_discard(r);
    } else {
        print_all(r, p, a, t, trees, o->sweep ? &sw : NULL, o, &pp);
        report_end(r);
    }
    free(a->a);
    free(orig);
    return rc;
}

static int forkjoin_main(int argc, char **argv)
{
    struct run_params p;
    struct fj_opts o = { FJ_SORT, 0, DEFAULT_CUTOFF, 0, { 0 } };
    struct forkjoin_args a;
    int rc;

    pyl_opts_init(&o.py);
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
    .serial_kernels = "sort-serial,sum-serial",
};
