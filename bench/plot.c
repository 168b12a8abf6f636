/* plot.c - `pardemo plot FILE.csv`: a bench CSV (and a concurrency CSV)
 * in, charts out. C computes every number (speedup, efficiency, Amdahl's
 * p, bench/metrics) and writes small data files; the gnuplot scripts in
 * bench/gnuplot/NAME.gp only draw them, as PNG and SVG. Look at the
 * speedup chart's dashed Amdahl curves: they flatten at 1/(1-p), whatever
 * the CPU count.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "benchcsv.h"
#include "outfile.h"
#include "proc.h"
#include "cli.h"
#include "datapath.h"
#include "metrics.h"
#include "report.h"
#include "demos.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PNG_WIDTH 960           /* every chart, PNG and SVG */
#define PNG_HEIGHT 600
#define MAX_CHARTS 128
#define FIT_SAMPLES 200         /* points on each drawn Amdahl curve */

struct plot_opts {
    const char *dir;
    bool is_summary;
};

static const struct cli_opt plot_opts[] = {
    { "output", 'o', CLI_STR, "DIR", "write the charts and their data "
      "files into DIR", 0, 0, NULL, offsetof(struct plot_opts, dir) },
    { "summary", 0, CLI_FLAG, NULL, "print the metrics table only, draw "
      "nothing", 0, 0, NULL, offsetof(struct plot_opts, is_summary) },
    { 0 },
};

static const struct cli_spec plot_spec = {
    .args = "BENCH.csv [CONCURRENCY.csv]",
    .min_args = 1, .max_args = 2,
    .common = CLI_FORMAT,
    .opts = plot_opts,
    .examples = "pardemo bench race -o race.csv && pardemo plot race.csv\n"
                "pardemo plot plots/bench.csv plots/concurrency.csv -o plots\n"
                "pardemo plot race.csv --summary\n"
                "pardemo plot race.csv --summary --format csv > metrics.csv",
};

/* One chart to draw: a script, the variables it reads, a file name. */
struct chart {
    const char *script;                 /* "speedup.gp" */
    char name[96];                      /* "speedup-race": .png and .svg */
    char *vars;                         /* "in='...'; n=3; ..." */
};

/* What the charts are drawn from, and where they go. */
struct plot {
    struct bench_csv bench, timeline;   /* rows; slices */
    struct metrics_series *series;
    size_t nseries;
    int cpus;                           /* allowed CPUs when measured */
    char machine[300];                  /* "AMD EPYC 7B13, 2 CPUs" */
    const char *dir, *gnuplot, *scripts;
    int dirfd;                          /* dir, open (lib/outfile) */
    struct chart charts[MAX_CHARTS];
    int ncharts;
};

/* Reads the one or two files; a concurrency CSV may come in either place.
 * Returns 0, or 1 after one error line. */
static int read_inputs(const struct run_params *p, struct plot *pl)
{
    char err[1024];

    for (int i = 0; i < p->nargs; i++) {
        struct bench_csv one = { 0 };
        if (benchcsv_read(p->args[i], &one, err, sizeof(err)) < 0) {
            cli_error("plot", "%s", err);
            benchcsv_free(&one);
            return 1;
        }
        struct bench_csv *slot = one.nslices ? &pl->timeline : &pl->bench;
        if (slot->nrows || slot->nslices) {
            cli_error("plot", "%s: a second %s CSV; give one bench CSV and "
                      "at most one concurrency CSV", p->args[i],
                      one.nslices ? "concurrency" : "bench");
            benchcsv_free(&one);
            return 1;
        }
        *slot = one;
    }
    pl->cpus = benchcsv_cpus(pl->bench.nrows ? &pl->bench : &pl->timeline);
    if (pl->cpus == 0)
        pl->cpus = 1;       /* the file did not say: claim no parallelism */
    benchcsv_machine(pl->bench.nrows ? &pl->bench : &pl->timeline,
                     pl->machine, sizeof(pl->machine));
    return 0;
}

/* Writes s for gnuplot inside single quotes ('' is one quote). */
static void gp_string(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
    fputc('\'', f);
}

/* A title or label for a tab-separated data file: no tabs, newlines or
 * double quotes inside, and quoted so gnuplot reads it as one column. */
static void dat_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '"' ? ' ' : *s, f);
    fputc('"', f);
}

static void dat_num(FILE *f, double v, const char *sep)
{
    if (isfinite(v))
        fprintf(f, "%.9g%s", v, sep);
    else
        fprintf(f, "NaN%s", sep);       /* gnuplot skips undefined points */
}

/* A topic as part of a file name, one to one: "race" stays "race", '_'
 * becomes "__" and any byte but [A-Za-z0-9-] "_XX" (its hex), so that
 * topics "a.b" and "a_b" never share a chart. Cut short (never in the
 * middle of an escape) when buf is full. */
static const char *file_part(const char *s, char *buf, size_t len)
{
    static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    size_t n = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int w = c && strchr(ok, c) ? 1 : c == '_' ? 2 : 3;
        if (n + (size_t)w >= len)
            break;
        if (w == 1)
            buf[n] = (char)c;
        else if (w == 2)
            memcpy(buf + n, "__", 2);
        else
            snprintf(buf + n, 4, "_%02x", c);
        n += (size_t)w;
    }
    buf[n] = '\0';
    return buf;
}

/* A data file NAME in the output directory (lib/outfile: a temp file,
 * renamed when whole; a link another user planted there is refused). */
static FILE *open_data(const struct plot *pl, const char *name,
                       struct outfile *o, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", pl->dir, name);
    if (outfile_open_at(o, pl->dirfd, name) == 0)
        return o->f;
    outfile_say("plot", o, path, errno);
    return NULL;
}

/* Closes a data file: renamed into place when whole, removed when it
 * could not be written (disk full, ulimit -f). quiet: an error was
 * already reported, just clean up. */
static int close_data(struct outfile *o, const char *path, bool quiet)
{
    if (outfile_commit(o) == 0)
        return 0;
    if (!quiet)
        outfile_say("plot", o, path, errno);
    return -1;
}

/* Why a series has no usable fit (or "" when it has one). */
static const char *fit_note(const struct plot *pl,
                            const struct metrics_series *s)
{
    if (!s->is_ok)
        return "WRONG ANSWER (checksum differs)";
    if (!s->has_base)
        return "no 1-worker run, no speedup";
    if (!s->fit.is_valid)
        return pl->cpus == 1 ? "no Amdahl fit: 1 CPU, nothing ran in "
                               "parallel" : "no Amdahl fit: no run on 2..CPUs";
    return s->fit.is_clamped ? "p clamped to 0..1" : "";
}

/* The key entry of a series: the kernel (and size when the topic was
 * swept over several), and on the speedup chart what the fit says. */
static void series_title(const struct plot *pl,
                         const struct metrics_series *s, bool has_sizes,
                         bool is_fit, char *buf, size_t len)
{
    char name[160], size[32];

    snprintf(name, sizeof(name), has_sizes ? "%s n=%s" : "%s", s->kernel,
             cli_fmt_size(s->size, size, sizeof(size)));
    if (!s->is_ok || (is_fit && (!s->has_base || !s->fit.is_valid)))
        snprintf(buf, len, "%s: %s", name, fit_note(pl, s));
    else if (!is_fit)
        snprintf(buf, len, "%s", name);
    else if (s->fit.p >= 1)
        snprintf(buf, len, "%s: p = 1.000 (no limit seen)", name);
    else
        snprintf(buf, len, "%s: p = %.3f, at most %.3gx", name, s->fit.p,
                 s->fit.max_speedup);
}

static bool is_topic(const struct metrics_series *s, const char *topic)
{
    return !strcmp(s->topic, topic);
}

/* Does the topic have series at more than one size? */
static bool has_sizes(const struct plot *pl, const char *topic)
{
    const struct metrics_series *first = NULL;

    for (size_t i = 0; i < pl->nseries; i++) {
        if (!is_topic(&pl->series[i], topic))
            continue;
        if (first && first->size != pl->series[i].size)
            return true;
        first = first ? first : &pl->series[i];
    }
    return false;
}

/* One block of speedup-TOPIC.dat: the titles, then a row per workers. */
static void write_points(FILE *f, const struct plot *pl,
                         const struct metrics_series *s, bool sized)
{
    char title[256];

    series_title(pl, s, sized, true, title, sizeof(title));
    dat_string(f, title);
    fputc('\t', f);
    series_title(pl, s, sized, false, title, sizeof(title));
    dat_string(f, title);
    fputc('\n', f);
    for (size_t k = 0; k < s->npts; k++) {
        const struct metrics_point *pt = &s->pts[k];
        fprintf(f, "%d\t", pt->workers);
        dat_num(f, pt->secs.median, "\t");
        dat_num(f, pt->secs.min, "\t");
        dat_num(f, pt->secs.max, "\t");
        dat_num(f, pt->speedup, "\t");
        dat_num(f, pt->efficiency, "\t");
        dat_num(f, pt->karp_flatt, "\n");
    }
}

/* One block of amdahl-TOPIC.dat: the fitted curve from 1 to maxw workers
 * (a single point (1, 1) when there is no fit: every curve starts there,
 * and one point draws nothing). */
static void write_fit(FILE *f, const struct metrics_series *s, int maxw)
{
    fputs("\"fit\"\n", f);
    if (!s->fit.is_valid || maxw <= 1) {
        fputs("1\t1\n", f);
        return;
    }
    for (int i = 0; i <= FIT_SAMPLES; i++) {
        double w = 1 + (maxw - 1) * (double)i / FIT_SAMPLES;
        fprintf(f, "%.6g\t%.6g\n", w, metrics_amdahl(s->fit.p, w));
    }
}

static int topic_maxw(const struct plot *pl, const char *topic)
{
    int maxw = 1;

    for (size_t i = 0; i < pl->nseries; i++)
        if (is_topic(&pl->series[i], topic))
            for (size_t k = 0; k < pl->series[i].npts; k++)
                if (pl->series[i].pts[k].workers > maxw)
                    maxw = pl->series[i].pts[k].workers;
    return maxw;
}

/* speedup-TOPIC.dat and amdahl-TOPIC.dat. Returns the block count, or -1
 * after an error line. */
static int write_topic_data(const struct plot *pl, const char *topic,
                            const char *name, int maxw)
{
    char path[2][4200], file[2][160];
    struct outfile o[2];
    FILE *f[2];
    int n = 0, rc = 0;
    bool sized = has_sizes(pl, topic);

    snprintf(file[0], sizeof(file[0]), "speedup-%s.dat", name);
    snprintf(file[1], sizeof(file[1]), "amdahl-%s.dat", name);
    if (!(f[0] = open_data(pl, file[0], &o[0], path[0], sizeof(path[0]))))
        return -1;
    if (!(f[1] = open_data(pl, file[1], &o[1], path[1], sizeof(path[1])))) {
        outfile_abort(&o[0]);
        return -1;
    }
    fprintf(f[0], "# %s, by pardemo plot: one block per kernel; columns\n"
            "# workers median_s min_s max_s speedup efficiency karp_flatt\n",
            topic);
    fprintf(f[1], "# %s: the fitted Amdahl curves, blocks as in "
            "speedup-%s.dat\n", topic, name);
    for (size_t i = 0; i < pl->nseries; i++) {
        if (!is_topic(&pl->series[i], topic))
            continue;
        if (n++) {
            fputs("\n\n", f[0]);        /* a new gnuplot index block */
            fputs("\n\n", f[1]);
        }
        write_points(f[0], pl, &pl->series[i], sized);
        write_fit(f[1], &pl->series[i], maxw);
    }
    rc = close_data(&o[0], path[0], false);
    rc |= close_data(&o[1], path[1], rc < 0);
    return rc ? -1 : n;
}

/* Queues a chart; vars (malloc'd) is the plot's from now on. */
static void add_chart(struct plot *pl, const char *script, const char *name,
                      char *vars)
{
    if (pl->ncharts == MAX_CHARTS) {
        free(vars);
        return;
    }
    pl->charts[pl->ncharts].script = script;
    snprintf(pl->charts[pl->ncharts].name, sizeof(pl->charts[0].name), "%s",
             name);
    pl->charts[pl->ncharts++].vars = vars;
}

/* The three "vs workers" charts of one topic. Returns 0 or -1. */
static int plot_topic(struct plot *pl, const char *topic)
{
    static const char *const kinds[][2] = {
        { "speedup", "speedup.gp" }, { "efficiency", "efficiency.gp" },
        { "time", "time.gp" },
    };
    char name[64], path[4200], chart[96];
    int maxw = topic_maxw(pl, topic), n;
    char *vars;
    size_t len;
    FILE *m;

    file_part(topic, name, sizeof(name));
    if ((n = write_topic_data(pl, topic, name, maxw)) < 0)
        return -1;
    if (!(m = open_memstream(&vars, &len)))
        return -1;
    snprintf(path, sizeof(path), "%s/speedup-%s.dat", pl->dir, name);
    fputs("in = ", m);
    gp_string(m, path);
    snprintf(path, sizeof(path), "%s/amdahl-%s.dat", pl->dir, name);
    fputs("; fit = ", m);
    gp_string(m, path);
    fprintf(m, "; n = %d; cpus = %d; maxw = %d; topic = ", n, pl->cpus,
            maxw);
    gp_string(m, topic);
    fclose(m);
    for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
        snprintf(chart, sizeof(chart), "%s-%s", kinds[k][0], name);
        add_chart(pl, kinds[k][1], chart, strdup(vars));
    }
    free(vars);
    return 0;
}

/* The ipc series of one mechanism, by message size ascending. */
static size_t ipc_sizes(const struct plot *pl, const char *mech,
                        const struct metrics_series **out)
{
    size_t n = 0, i, k;

    for (i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        if (!is_topic(s, "ipc") || strcmp(s->kernel, mech) || s->size <= 0 ||
            !s->npts)
            continue;
        for (k = n; k > 0 && out[k - 1]->size > s->size; k--)
            out[k] = out[k - 1];        /* insertion sort: a handful */
        out[k] = s;
        n++;
    }
    return n;
}

/* One block of ipc.dat: a mechanism's latency and bandwidth by size,
 * from its smallest worker count (the mechanism, not the workers, is
 * what this chart compares). */
static void write_mechanism(FILE *f, const struct metrics_series **by_size,
                            size_t n)
{
    dat_string(f, by_size[0]->kernel);
    fputc('\n', f);
    for (size_t k = 0; k < n; k++) {
        const struct stats *t = &by_size[k]->pts[0].secs;
        char label[32];
        fprintf(f, "%lld\t", by_size[k]->size);
        dat_num(f, t->median * 1e6, "\t");
        dat_num(f, t->min * 1e6, "\t");
        dat_num(f, t->max * 1e6, "\t");
        dat_num(f, (double)by_size[k]->size / t->median / 1e6, "\t");
        fprintf(f, "%s\n", cli_fmt_size(by_size[k]->size, label,
                                         sizeof(label)));
    }
}

/* ipc.dat and its chart, when the CSV has ipc rows. Returns 0 or -1. */
static int plot_ipc(struct plot *pl)
{
    const struct metrics_series **by_size;
    char path[4200], *vars;
    size_t len, n;
    int blocks = 0;
    struct outfile o;
    FILE *f, *m;

    if (!(by_size = calloc(pl->nseries + 1, sizeof(*by_size))))
        return -1;
    if (!(f = open_data(pl, "ipc.dat", &o, path, sizeof(path)))) {
        free(by_size);
        return -1;
    }
    fputs("# ipc, by pardemo plot: one block per mechanism; columns\n"
          "# bytes latency_us latency_min_us latency_max_us "
          "bandwidth_MBps label\n", f);
    for (size_t i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        bool is_first = true;
        for (size_t j = 0; j < i && is_first; j++)
            is_first = !is_topic(&pl->series[j], "ipc") ||
                       strcmp(pl->series[j].kernel, s->kernel);
        if (!is_topic(s, "ipc") || !is_first ||
            !(n = ipc_sizes(pl, s->kernel, by_size)))
            continue;
        fputs(blocks++ ? "\n\n" : "", f);
        write_mechanism(f, by_size, n);
    }
    free(by_size);
    if (close_data(&o, path, false) < 0)
        return -1;
    if (!blocks || !(m = open_memstream(&vars, &len)))
        return blocks ? -1 : 0;
    fputs("in = ", m);
    gp_string(m, path);
    fprintf(m, "; n = %d", blocks);
    fclose(m);
    add_chart(pl, "ipc.gp", "ipc", vars);
    return 0;
}

/* One run of the concurrency timeline ("one-cpu", "all-cpus"). */
struct run_span {
    const char *run;
    double t0, wall_secs, busy_secs;    /* busy: the slices added up */
    size_t nslices;
};

/* The first two runs of the timeline, in order of appearance. */
static int timeline_runs(const struct bench_csv *c, struct run_span *runs)
{
    int n = 0, r;
    double end[2] = { 0, 0 };

    for (size_t i = 0; i < c->nslices; i++) {
        const struct bench_slice *s = &c->slices[i];
        for (r = 0; r < n && strcmp(runs[r].run, s->run); r++)
            ;
        if (r == 2)
            continue;
        if (r == n)
            runs[n++] = (struct run_span){ s->run, s->start_secs, 0, 0, 0 };
        if (s->start_secs < runs[r].t0)
            runs[r].t0 = s->start_secs;
        if (s->end_secs > end[r])
            end[r] = s->end_secs;
        runs[r].busy_secs += s->end_secs - s->start_secs;
        runs[r].nslices++;
    }
    for (r = 0; r < n; r++)
        runs[r].wall_secs = end[r] - runs[r].t0;
    return n;
}

/* Index of the slice's task among the distinct tasks (added if new). */
static size_t task_index(const char **tasks, size_t *ntasks, const char *t)
{
    size_t k;

    for (k = 0; k < *ntasks && strcmp(tasks[k], t); k++)
        ;
    if (k == *ntasks)
        tasks[(*ntasks)++] = t;
    return k;
}

/* timeline-R.dat for run r: task_index start end cpu label, from t0. */
static int write_run(const struct plot *pl, const struct run_span *run,
                     int r, const char **tasks, size_t *ntasks,
                     char *path, size_t len)
{
    const struct bench_csv *c = &pl->timeline;
    struct outfile o;
    char file[32];
    FILE *f;

    snprintf(file, sizeof(file), "timeline-%d.dat", r + 1);
    if (!(f = open_data(pl, file, &o, path, len)))
        return -1;
    fprintf(f, "# %s, by pardemo plot; columns\n"
            "# task_index start_s end_s cpu task\n", run->run);
    for (size_t i = 0; i < c->nslices; i++) {
        const struct bench_slice *s = &c->slices[i];
        if (strcmp(s->run, run->run))
            continue;
        fprintf(f, "%zu\t%.9g\t%.9g\t%d\t", task_index(tasks, ntasks,
                s->task), s->start_secs - run->t0, s->end_secs - run->t0,
                s->cpu);
        dat_string(f, s->task);
        fputc('\n', f);
    }
    return close_data(&o, path, false);
}

/* "0 1": the CPU ids the slices ran on, ascending, for the key. */
static void cpu_list(const struct bench_csv *c, FILE *m)
{
    int last = -1;

    for (;;) {
        int next = -1;
        for (size_t i = 0; i < c->nslices; i++)
            if (c->slices[i].cpu > last &&
                (next < 0 || c->slices[i].cpu < next))
                next = c->slices[i].cpu;
        if (next < 0)
            return;
        fprintf(m, last < 0 ? "%d" : " %d", next);
        last = next;
    }
}

/* A panel title computed from the run: its wall time and how many tasks
 * were running at once on average (busy time / wall time). */
static void run_title(const struct run_span *run, FILE *m)
{
    char title[256];

    snprintf(title, sizeof(title), "%s: %.3g s from first start to last "
             "end; on average %.2f tasks running at once", run->run,
             run->wall_secs, run->wall_secs > 0 ? run->busy_secs /
             run->wall_secs : 0);
    gp_string(m, title);
}

/* timeline-1.dat, timeline-2.dat and the timeline chart. 0 or -1. */
static int plot_timeline(struct plot *pl)
{
    struct run_span runs[2];
    int nruns = timeline_runs(&pl->timeline, runs), r;
    const char **tasks = calloc(pl->timeline.nslices, sizeof(*tasks));
    char path[2][4200], *vars;
    size_t ntasks = 0, len;
    double xmax = 0;
    FILE *m;

    if (!tasks)
        return -1;
    for (r = 0; r < nruns; r++) {
        if (write_run(pl, &runs[r], r, tasks, &ntasks, path[r],
                      sizeof(path[r])) < 0)
            break;
        xmax = runs[r].wall_secs > xmax ? runs[r].wall_secs : xmax;
    }
    free(tasks);
    if (r < nruns || !(m = open_memstream(&vars, &len)))
        return -1;
    for (int k = 0; k < 2; k++) {
        r = k < nruns ? k : 0;          /* one run: draw one panel */
        fprintf(m, "%sf%d = ", k ? "; " : "", k + 1);
        gp_string(m, path[r]);
        fprintf(m, "; t%d = ", k + 1);
        run_title(&runs[r], m);
    }
    fprintf(m, "; npanels = %d; ntasks = %zu; xmax = %.9g; cpus = '",
            nruns, ntasks, xmax > 0 ? xmax : 1);
    cpu_list(&pl->timeline, m);
    fputc('\'', m);
    fclose(m);
    add_chart(pl, "timeline.gp", "timeline", vars);
    return 0;
}

/* The full path of name in $PATH, or NULL. */
static const char *find_program(const char *name, char *buf, size_t len)
{
    const char *path = getenv("PATH");

    while (path && *path) {
        size_t w = strcspn(path, ":");
        snprintf(buf, len, "%.*s/%s", (int)(w ? w : 1), w ? path : ".",
                 name);
        if (access(buf, X_OK) == 0)
            return buf;
        path += w + (path[w] == ':');
    }
    return NULL;
}

/* The directory of the gnuplot scripts: lib/datapath looks in
 * $PARDEMO_DATA, the installed share/pardemo, the source tree and ".". */
static const char *find_scripts(char *buf, size_t len)
{
    if (!datapath_find("bench/gnuplot/speedup.gp", buf, len))
        return NULL;
    *strrchr(buf, '/') = '\0';
    return buf;
}

/* Runs gnuplot -e SETUP SCRIPT; the chart it draws on its stdout is
 * written into o by us, every write checked (a full disk is an error,
 * never a 0-byte chart); its own error message goes to stderr. Returns 0
 * when it drew something and exited 0; else -1 after one line. */
static int run_gnuplot(const struct plot *pl, const char *setup,
                       const char *script, struct outfile *o,
                       const char *path)
{
    char *argv[] = { "gnuplot", "-e", (char *)setup, (char *)script, NULL };
    struct proc gp = { .path = pl->gnuplot, .argv = argv,
                       .out_mode = PROC_OUT_CAPTURE };
    int rc = proc_run(&gp);     /* Ctrl-C: no gnuplot left over */

    if (rc < 0)
        cli_error("plot", "cannot start gnuplot: %s", cli_strerror(errno));
    else if (rc > 0)
        cli_error("plot", "gnuplot failed on %s (its message is above)",
                  script);
    else if (gp.out_len == 0)
        cli_error("plot", "gnuplot drew nothing into %s", path);
    else if (fwrite(gp.out, 1, gp.out_len, o->f) != gp.out_len)
        outfile_say("plot", o, path, errno);
    free(gp.out);
    return rc == 0 && gp.out_len > 0 && !ferror(o->f) ? 0 : -1;
}


/* Draws one queued chart as NAME.png and NAME.svg. 0 or -1. */
static int render(const struct plot *pl, const struct chart *c)
{
    static const char *const term[2][2] = {
        { "png", "pngcairo size %d,%d noenhanced font 'sans,11'" },
        { "svg", "svg size %d,%d noenhanced font 'sans,11' "
                 "background rgb 'white'" },
    };
    char script[8300], out[4200], name[160], *setup;
    struct outfile o;
    size_t len;
    int rc = 0;

    snprintf(script, sizeof(script), "%s/%s", pl->scripts, c->script);
    for (int i = 0; i < 2 && rc == 0; i++) {
        FILE *m = open_memstream(&setup, &len);
        if (!m || !c->vars)
            return -1;
        snprintf(name, sizeof(name), "%s.%s", c->name, term[i][0]);
        if (!open_data(pl, name, &o, out, sizeof(out))) {
            fclose(m);
            free(setup);
            return -1;
        }
        fputs("set terminal ", m);
        fprintf(m, term[i][1], PNG_WIDTH, PNG_HEIGHT);
        /* no file: gnuplot draws on its stdout, which we copy into o (it
         * would follow a link planted at the name; we never do) */
        fputs("; set output", m);
        fputs("; dir = ", m);
        gp_string(m, pl->scripts);
        fputs("; machine = ", m);
        gp_string(m, pl->machine);
        fprintf(m, "; %s", c->vars);
        fclose(m);
        rc = run_gnuplot(pl, setup, script, &o, out);
        free(setup);
        rc = rc == 0 ? close_data(&o, out, false) : (outfile_abort(&o), -1);
    }
    return rc;
}

/* Writes every data file, then (with gnuplot) every chart. Returns the
 * exit status: 1 when a file could not be written or gnuplot is missing
 * or failed (the data files are written all the same). */
static int draw_all(struct plot *pl)
{
    char gp[4200], scripts[4200];
    bool has_ipc = false;
    int rc = 0;

    /* made with the umask's mode; a link another user planted is refused */
    if ((pl->dirfd = outfile_dir(pl->dir, true)) < 0) {
        cli_error("plot", "cannot create %s: %s", pl->dir,
                  outfile_strerror(errno));
        return 1;
    }
    for (size_t i = 0; i < pl->nseries && rc == 0; i++) {
        const struct metrics_series *s = &pl->series[i];
        size_t j;
        for (j = 0; j < i && strcmp(pl->series[j].topic, s->topic); j++)
            ;
        has_ipc |= is_topic(s, "ipc");
        if (j == i && !is_topic(s, "ipc"))      /* first of its topic */
            rc = plot_topic(pl, s->topic);
    }
    if (rc == 0 && has_ipc)
        rc = plot_ipc(pl);
    if (rc == 0 && pl->timeline.nslices)
        rc = plot_timeline(pl);
    if (rc < 0)
        return 1;
    if (!(pl->gnuplot = find_program("gnuplot", gp, sizeof(gp)))) {
        cli_error("plot", "gnuplot not found: apt-get install gnuplot-nox");
        return 1;
    }
    if (!(pl->scripts = find_scripts(scripts, sizeof(scripts)))) {
        cli_error("plot", "cannot find the gnuplot scripts "
                  "(bench/gnuplot/*.gp) beside the pardemo binary or in "
                  "./bench/gnuplot");
        return 1;
    }
    for (int i = 0; i < pl->ncharts && rc == 0; i++)
        rc = render(pl, &pl->charts[i]);
    return rc ? 1 : 0;
}

/* The columns that name a series, and their cells for one series. */
static void series_cols(struct table *t)
{
    table_col(t, "topic", "topic", U_TEXT);
    table_col(t, "kernel", "kernel", U_TEXT);
    table_col(t, "size", "size", U_TEXT);
}

static void table_series(struct table *t, const struct metrics_series *s)
{
    char size[32];

    table_str(t, s->topic);
    table_str(t, s->kernel);
    table_str(t, cli_fmt_size(s->size, size, sizeof(size)));
}

/* Every (series, workers) point: times, speedup, efficiency, Karp-Flatt. */
static void points_table(struct report *r, const struct plot *pl)
{
    struct table *t = report_table(r, "points", "Per worker count "
                                   "(median of the reps)");

    series_cols(t);
    table_col(t, "workers", "workers", U_INT);
    table_col(t, "median_seconds", "median", U_MS);
    table_col(t, "min_seconds", "min", U_MS);
    table_col(t, "max_seconds", "max", U_MS);
    table_col(t, "speedup", "speedup", U_RATIO);
    table_col(t, "efficiency", "efficiency", U_PCT);
    table_col(t, "karp_flatt", "Karp-Flatt e", U_NUM);
    table_col(t, "checksum", "answer", U_TEXT);
    for (size_t i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        for (size_t k = 0; k < s->npts; k++) {
            table_series(t, s);
            table_num(t, s->pts[k].workers);
            table_num(t, s->pts[k].secs.median);
            table_num(t, s->pts[k].secs.min);
            table_num(t, s->pts[k].secs.max);
            table_num(t, s->pts[k].speedup);
            table_num(t, s->pts[k].efficiency);
            table_num(t, s->pts[k].karp_flatt);
            table_str(t, s->pts[k].is_ok ? "ok" : "WRONG");
        }
    }
    table_end(t);
}

/* One row per series: the Amdahl fit and the speedup it promises. */
static void fits_table(struct report *r, const struct plot *pl)
{
    struct table *t = report_table(r, "fits", "Amdahl fit (parallel "
                                   "fraction p, on workers <= CPUs)");

    series_cols(t);
    table_col(t, "amdahl_p", "p", U_NUM);
    table_col(t, "max_speedup", "max speedup", U_RATIO);
    table_col(t, "points", "points fitted", U_INT);
    table_col(t, "note", "note", U_TEXT);
    for (size_t i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        if (is_topic(s, "ipc"))
            continue;                   /* drawn by size, not workers */
        table_series(t, s);
        table_num(t, s->fit.is_valid ? s->fit.p : NAN);
        table_num(t, s->fit.is_valid ? s->fit.max_speedup : NAN);
        table_num(t, s->fit.npoints);
        table_str(t, fit_note(pl, s));
    }
    table_end(t);
}

/* The concurrency runs: wall time and tasks running at once. */
static void timeline_table(struct report *r, const struct plot *pl)
{
    struct run_span runs[2];
    int n = timeline_runs(&pl->timeline, runs);
    struct table *t = report_table(r, "timeline", "Concurrency timeline");

    table_col(t, "run", "run", U_TEXT);
    table_col(t, "slices", "slices", U_INT);
    table_col(t, "wall_seconds", "wall", U_SEC);
    table_col(t, "busy_seconds", "busy", U_SEC);
    table_col(t, "at_once", "tasks at once", U_NUM);
    for (int i = 0; i < n; i++) {
        table_str(t, runs[i].run);
        table_num(t, (double)runs[i].nslices);
        table_num(t, runs[i].wall_secs);
        table_num(t, runs[i].busy_secs);
        table_num(t, runs[i].wall_secs > 0 ? runs[i].busy_secs /
                  runs[i].wall_secs : NAN);
    }
    table_end(t);
}

/* The charts written, one row each. */
static void charts_table(struct report *r, const struct plot *pl)
{
    struct table *t = report_table(r, "charts", "Charts written");
    char path[4200];

    table_col(t, "png", "PNG", U_TEXT);
    table_col(t, "svg", "SVG", U_TEXT);
    for (int i = 0; i < pl->ncharts; i++) {
        snprintf(path, sizeof(path), "%s/%s.png", pl->dir,
                 pl->charts[i].name);
        table_str(t, path);
        snprintf(path, sizeof(path), "%s/%s.svg", pl->dir,
                 pl->charts[i].name);
        table_str(t, path);
    }
    table_end(t);
}

/* The point of s with the most workers <= cpus (or NULL). */
static const struct metrics_point *top_in_cpus(const struct metrics_series *s,
                                               int cpus)
{
    const struct metrics_point *best = NULL;

    for (size_t k = 0; k < s->npts; k++)
        if (s->pts[k].workers <= cpus && isfinite(s->pts[k].speedup))
            best = &s->pts[k];
    return best;
}

/* The correct series with the best speedup within the CPUs. */
static const struct metrics_series *best_series(const struct plot *pl)
{
    const struct metrics_series *best = NULL;
    double best_s = 0;

    for (size_t i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        const struct metrics_point *pt = top_in_cpus(s, pl->cpus);
        if (s->is_ok && !is_topic(s, "ipc") && pt && pt->workers > 1 &&
            pt->speedup > best_s) {
            best = s;
            best_s = pt->speedup;
        }
    }
    return best;
}

/* "Beyond N CPUs...": what oversubscribing did to the best series. */
static void notice_oversubscribed(struct report *r, const struct plot *pl,
                                  const struct metrics_series *s)
{
    const struct metrics_point *in = top_in_cpus(s, pl->cpus);
    const struct metrics_point *last = &s->pts[s->npts - 1];

    if (!in || last->workers <= pl->cpus || !isfinite(last->speedup))
        return;
    if (last->speedup > in->speedup * 1.05)
        report_notice(r, "Beyond %d CPU%s (the shaded part), %s/%s still "
                      "went from %.2fx at %d workers to %.2fx at %d: with no "
                      "more CPUs, that gain is not parallelism (smaller "
                      "pieces fitting a cache, uneven pieces, or noise).",
                      pl->cpus, pl->cpus == 1 ? "" : "s", s->topic,
                      s->kernel, in->speedup, in->workers, last->speedup,
                      last->workers);
    else
        report_notice(r, "Beyond %d CPU%s (the shaded part), %s/%s went "
                      "from %.2fx at %d workers to %.2fx at %d: workers "
                      "beyond the CPUs only take turns.", pl->cpus,
                      pl->cpus == 1 ? "" : "s", s->topic, s->kernel,
                      in->speedup, in->workers, last->speedup,
                      last->workers);
}

/* "What to notice", from these numbers. */
static void notices(struct report *r, const struct plot *pl)
{
    const struct metrics_series *b = best_series(pl);
    const struct metrics_point *pt = b ? top_in_cpus(b, pl->cpus) : NULL;

    if (pl->cpus == 1 && pl->nseries)
        report_notice(r, "This sweep had 1 CPU: more workers can only take "
                      "turns on it, so no speedup was possible and no "
                      "Amdahl fit was made.");
    else if (pt && pt->speedup >= 1.1)
        report_notice(r, "Best: %s/%s ran %.2fx faster on %d workers than "
                      "on 1 (efficiency %.0f%%).%s", b->topic, b->kernel,
                      pt->speedup, pt->workers, pt->efficiency * 100,
                      pt->efficiency > 1.05 ? " That is more than its "
                      "workers can give: the 1-worker run was slowed by "
                      "something else (cache, memory, noise); try more "
                      "--reps." : "");
    else if (pt)
        report_notice(r, "No kernel ran even 1.1x faster on more workers "
                      "(best %.2fx, %s/%s on %d): too little work per run, "
                      "too much of it serial, or a shared resource (memory "
                      "bandwidth, a lock) in the way.", pt->speedup, b->topic, b->kernel,
                      pt->workers);
    if (b && b->fit.is_valid && b->fit.p < 1)
        report_notice(r, "Amdahl: %s/%s behaves as %.1f%% parallel (p = "
                      "%.3f), so no number of CPUs could make it more than "
                      "%.3gx faster.", b->topic, b->kernel, b->fit.p * 100,
                      b->fit.p, b->fit.max_speedup);
    if (b)
        notice_oversubscribed(r, pl, b);
    for (size_t i = 0; i < pl->nseries; i++)
        if (!pl->series[i].is_ok)
            report_notice(r, "%s/%s gave a different checksum with more "
                          "workers: a wrong answer, drawn but never a "
                          "speedup.", pl->series[i].topic,
                          pl->series[i].kernel);
}

static void plot_free(struct plot *pl)
{
    metrics_free(pl->series, pl->nseries);
    for (int i = 0; i < pl->ncharts; i++)
        free(pl->charts[i].vars);
    benchcsv_free(&pl->bench);
    benchcsv_free(&pl->timeline);
}

static int plot_main(int argc, char **argv)
{
    struct run_params p;
    struct plot_opts o = { "plots", false };
    struct plot pl;
    struct report *r;
    long n;
    int rc;

    cli_defaults(&p, "plot");
    if ((rc = cli_parse(&demo_plot, argc, argv, &p, &o)) >= 0)
        return rc;
    memset(&pl, 0, sizeof(pl));
    pl.dir = o.dir;
    pl.dirfd = -1;
    if ((rc = read_inputs(&p, &pl)) != 0)
        goto out;
    if ((n = metrics_series_of(&pl.bench, pl.cpus, &pl.series)) < 0) {
        cli_error("plot", "out of memory");
        rc = 1;
        goto out;
    }
    pl.nseries = (size_t)n;
    if (!o.is_summary && (rc = draw_all(&pl)) != 0)
        goto out;
    r = report_begin(&p, "Bench summary", "Speedup, efficiency and "
                     "Amdahl's law, computed from a pardemo bench CSV.");
    report_param(r, "measured on", "%s", pl.machine);
    if (o.is_summary && pl.nseries)
        points_table(r, &pl);
    if (pl.nseries)
        fits_table(r, &pl);
    if (pl.timeline.nslices)
        timeline_table(r, &pl);
    if (!o.is_summary)
        charts_table(r, &pl);
    notices(r, &pl);
    report_end(r);
out:
    if (pl.dirfd >= 0)
        close(pl.dirfd);
    plot_free(&pl);
    return rc;
}

const struct demo demo_plot = {
    .name = "plot",
    .summary = "a bench CSV to speedup, efficiency, IPC and timeline charts",
    .main = plot_main,
    .spec = &plot_spec,
};
