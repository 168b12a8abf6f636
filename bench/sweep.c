/* sweep.c - sweep kernels over workers and sizes into CSV.
 * The kernel times itself (its setup is not the work); we only repeat,
 * check each checksum against the 1-worker one, and write rows as they
 * come, flushed, so Ctrl-C leaves a valid CSV of what was measured.
 */
#define _GNU_SOURCE
#include "sweep.h"
#include "benchcsv.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int bench_parse_workers(const char *s, int *out, int max, const char **why)
{
    int n = 0;

    for (;;) {
        char *end;
        long v;
        if (*s < '0' || *s > '9') {
            *why = "not a list of whole numbers";
            return -1;
        }
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || v < 1 || v > BENCH_MAX_WORKERS) {
            *why = "out of range";
            return -1;
        }
        if (n == max) {
            *why = "too many counts";
            return -1;
        }
        out[n++] = (int)v;
        if (!*end)
            return n;
        if (*end != ',') {
            *why = "not a list of whole numbers";
            return -1;
        }
        s = end + 1;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

int bench_default_workers(int cpus, int *out, int max)
{
    int cand[64], n = 0, k = 0, top = 2 * (cpus < 1 ? 1 : cpus);

    for (int w = 1; w <= top && n < 60; w = w < 8 ? w + 1 : 2 * w)
        cand[n++] = w;
    cand[n++] = cpus < 1 ? 1 : cpus;
    cand[n++] = top;
    qsort(cand, (size_t)n, sizeof(*cand), cmp_int);
    for (int i = 0; i < n && k < max; i++)
        if (k == 0 || cand[i] != out[k - 1])
            out[k++] = cand[i];
    return k;
}

/* One meta line; newlines would end the comment early, so they go. */
static void meta_line(FILE *csv, const char *key, const char *value)
{
    fprintf(csv, "# %s: ", key);
    for (; *value; value++)
        fputc(*value == '\n' || *value == '\r' ? ' ' : *value, csv);
    fputc('\n', csv);
}

int bench_write_header(FILE *csv, const char *command, const char *compiler,
                       const char *flags)
{
    char model[256], date[64], num[16];
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z", &tm);
    meta_line(csv, "pardemo", "bench " PARDEMO_VERSION);
    meta_line(csv, "date", date);
    meta_line(csv, "command", command);
    meta_line(csv, "cpu_model", sys_cpu_model(model, sizeof(model)));
    snprintf(num, sizeof(num), "%d", sys_online_cpus());
    meta_line(csv, "cpus_online", num);
    snprintf(num, sizeof(num), "%d", sys_allowed_cpus());
    meta_line(csv, "cpus_allowed", num);
    meta_line(csv, "compiler", compiler);
    meta_line(csv, "flags", flags);
    fprintf(csv, "%s\n", BENCHCSV_HEADER);
    return fflush(csv) == 0 && !ferror(csv) ? 0 : -1;
}

/* Runs per (kernel, size): a warm-up and the reps per worker count, and
 * one reference run when the sweep does not start at 1 worker. */
static long runs_per_size(const struct bench_plan *plan)
{
    return (long)plan->nworkers * (plan->reps + 1) +
           (plan->workers[0] != 1);
}

long bench_count_runs(const struct kernel *ks, const struct bench_plan *plan)
{
    const struct kernel *k;
    long n = 0;

    for_each_kernel(k, ks)
        n += runs_per_size(plan) * plan->nsizes;
    return n;
}

void bench_progress_init(struct bench_progress *pr, FILE *f,
                         enum bench_progress_mode mode, long total)
{
    memset(pr, 0, sizeof(*pr));
    pr->f = f;
    pr->mode = mode;
    pr->total = total;
    pr->start_secs = clk_now();
    pr->drawn_secs = -1;
}

/* "1:05": minutes and seconds, for the ETA. */
static const char *mmss(double secs, char *buf, size_t len)
{
    long s = (long)(secs + 0.5);

    snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

static void draw_bar(struct bench_progress *pr, const char *what)
{
    char bar[25], eta[32];
    double elapsed = clk_now() - pr->start_secs;
    long total = pr->total > 0 ? pr->total : 1;
    int filled = (int)(pr->done * 24 / total);

    for (int i = 0; i < 24; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[24] = '\0';
    fprintf(pr->f, "\r\033[K[%s] %3ld%% %ld/%ld runs", bar,
            pr->done * 100 / total, pr->done, pr->total);
    if (pr->done > 0 && pr->done < pr->total)
        fprintf(pr->f, ", ETA %s", mmss(elapsed * (double)(pr->total -
                pr->done) / (double)pr->done, eta, sizeof(eta)));
    if (what)
        fprintf(pr->f, "  %s", what);
    fflush(pr->f);
    pr->drawn_secs = clk_now();
}

/* n more runs done; what names the one running now ("race/mutex x2"). */
static void progress_step(struct bench_progress *pr, long n, const char *what)
{
    char eta[32];
    double elapsed;
    long total = pr->total > 0 ? pr->total : 1;
    int tenth;

    pr->done += n;
    if (pr->mode == BENCH_PROGRESS_BAR) {
        /* a redraw per run would flood a slow terminal: 10 per second */
        if (clk_now() - pr->drawn_secs >= 0.1 || pr->done == pr->total)
            draw_bar(pr, what);
    } else if (pr->mode == BENCH_PROGRESS_LINES) {
        tenth = (int)(pr->done * 10 / total);
        if (tenth <= pr->last_tenth)
            return;
        pr->last_tenth = tenth;
        elapsed = clk_now() - pr->start_secs;
        fprintf(pr->f, "pardemo: bench: %d%% (%ld of %ld runs, %s left)\n",
                tenth * 10, pr->done, pr->total, mmss(pr->done ? elapsed *
                (double)(pr->total - pr->done) / (double)pr->done : 0, eta,
                sizeof(eta)));
        fflush(pr->f);
    }
}

/* Clears the bar so that an error line starts at column 0. */
static void progress_clear(struct bench_progress *pr)
{
    if (pr->mode == BENCH_PROGRESS_BAR && pr->drawn_secs >= 0)
        fputs("\r\033[K", pr->f);
}

void bench_progress_end(struct bench_progress *pr)
{
    if (pr->mode == BENCH_PROGRESS_BAR) {
        draw_bar(pr, NULL);
        fputc('\n', pr->f);
        fflush(pr->f);
    }
}

/* One sweep point: the kernel at (workers, size) with the plan's seed. */
struct point {
    const char *topic;
    const struct kernel *k;
    struct run_params in;
    uint64_t ref_sum;           /* the 1-worker checksum */
    bool has_ref, is_reported;  /* is_reported: wrong answer said once */
    bool is_size_said;          /* "it ran N, not the size asked" said */
    int err;                    /* errno when the kernel failed */
};

/* Runs the kernel once; 0, or the kernel's nonzero status (or -1 when
 * it reported no usable time). */
static int run_once(struct point *pt, struct run_result *res)
{
    int rc;

    memset(res, 0, sizeof(*res));
    errno = 0;
    rc = pt->k->run(&pt->in, res);
    pt->err = rc ? errno : 0;
    if (rc == 0 && (!isfinite(res->seconds) || res->seconds < 0))
        rc = -1;
    return rc;
}

static int write_row(FILE *csv, const struct point *pt, int rep,
                     const struct run_result *res, bool is_ok)
{
    report_csv_field(csv, pt->topic);
    fputc(',', csv);
    report_csv_field(csv, pt->k->name);
    /* the size it really ran: a row never claims work it did not do */
    fprintf(csv, ",%d,%lld,%d,%.12g,%" PRIu64 ",%d\n", pt->in.threads,
            res->size > 0 ? res->size : pt->in.size, rep, res->seconds,
            res->checksum, is_ok);
    /* one flushed line per row: an interrupt never cuts a row in two */
    return fflush(csv) == 0 && !ferror(csv) ? 0 : -1;
}

/* A kernel that ran less than the size asked says so, once. */
static void say_size(struct point *pt, struct bench_progress *pr,
                     const struct run_result *res)
{
    char asked[32], ran[32];

    if (pt->is_size_said || res->size <= 0 || res->size == pt->in.size)
        return;
    pt->is_size_said = true;
    progress_clear(pr);
    cli_error("bench", "%s/%s: size %s is more than it has; it ran %s (the "
              "CSV's size column says %lld)", pt->topic, pt->k->name,
              cli_fmt_size(pt->in.size, asked, sizeof(asked)),
              cli_fmt_size(res->size, ran, sizeof(ran)), res->size);
}

static void say_wrong(struct point *pt, struct bench_progress *pr,
                      uint64_t got)
{
    char size[32];

    if (pt->is_reported)
        return;
    pt->is_reported = true;
    progress_clear(pr);
    cli_error("bench", "%s/%s at %d workers, size %s: checksum %" PRIu64
              " differs from the 1-worker %" PRIu64 " (a wrong answer, not "
              "a speedup; rows marked checksum_ok=0)", pt->topic, pt->k->name,
              pt->in.threads, cli_fmt_size(pt->in.size, size, sizeof(size)),
              got, pt->ref_sum);
}

/* The warm-up and the reps at one worker count. Returns 0, 1 when the
 * kernel failed (its status in *status), -1 on a write error. */
static int sweep_workers(struct point *pt, const struct bench_plan *plan,
                         FILE *csv, struct bench_progress *pr,
                         struct bench_tally *t, int *status)
{
    struct run_result res;
    char what[128];

    snprintf(what, sizeof(what), "%s/%s x%d", pt->topic, pt->k->name,
             pt->in.threads);
    if ((*status = run_once(pt, &res)) != 0)
        return 1;
    if (!pt->has_ref) {         /* the sweep started at 1 worker */
        pt->ref_sum = res.checksum;
        pt->has_ref = true;
    }
    progress_step(pr, 1, what);
    for (int rep = 1; rep <= plan->reps; rep++) {
        if ((*status = run_once(pt, &res)) != 0)
            return 1;
        bool is_ok = res.checksum == pt->ref_sum;
        say_size(pt, pr, &res);
        if (write_row(csv, pt, rep, &res, is_ok) < 0)
            return -1;
        t->rows++;
        if (!is_ok) {
            t->wrong++;
            say_wrong(pt, pr, res.checksum);
        }
        progress_step(pr, 1, what);
    }
    return 0;
}

/* Every worker count of one kernel at one size. Returns as above. */
static int sweep_size(const struct kernel *k, const char *topic,
                      const struct bench_plan *plan, long long size,
                      FILE *csv, struct bench_progress *pr,
                      struct bench_tally *t)
{
    struct point pt = { .topic = topic, .k = k };
    struct run_result res;
    long end = pr->done + runs_per_size(plan);
    int rc = 0, status = 0;
    char sz[32];

    pt.in = (struct run_params){ .topic = topic, .threads = 1, .size = size,
        .reps = 1, .seed = plan->seed, .format = FMT_CSV, .is_quiet = true,
        .is_quick = plan->is_quick, .threads_given = true,
        .size_given = true, .reps_given = true };
    if (plan->workers[0] != 1) {        /* the reference: 1 worker */
        if ((status = run_once(&pt, &res)) != 0)
            rc = 1;
        pt.ref_sum = res.checksum;
        pt.has_ref = true;
        progress_step(pr, 1, NULL);
    }
    for (int i = 0; rc == 0 && i < plan->nworkers; i++) {
        pt.in.threads = plan->workers[i];
        rc = sweep_workers(&pt, plan, csv, pr, t, &status);
    }
    if (rc == 1) {
        progress_clear(pr);
        /* a kernel's own status speaks for itself; -1 needs errno's why */
        cli_error("bench", "%s/%s failed at %d workers, size %s (status %d%s"
                  "%s); skipping the rest of its runs at this size", topic,
                  k->name, pt.in.threads, cli_fmt_size(size, sz, sizeof(sz)),
                  status, pt.err || status < 0 ? ": " : "",
                  pt.err ? cli_strerror(pt.err) : status < 0
                  ? "no reason given" : "");
        t->failed++;
        progress_step(pr, end - pr->done, NULL);
    }
    return rc;
}

int bench_sweep(const struct kernel *ks, const char *topic,
                const struct bench_plan *plan, FILE *csv,
                struct bench_progress *pr, struct bench_tally *t)
{
    const struct kernel *k;
    int worst = 0;

    for_each_kernel(k, ks) {
        for (int s = 0; s < plan->nsizes; s++) {
            long wrong = t->wrong;
            int rc = sweep_size(k, topic, plan, plan->sizes[s], csv, pr, t);
            if (rc < 0)
                return -1;
            if (rc > 0 || t->wrong > wrong)
                worst = 1;
        }
    }
    return worst;
}
