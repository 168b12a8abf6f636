/* plot.c - `pardemo plot FILE.csv`: a bench CSV (and a concurrency CSV)
 * in, charts out. C computes every number (speedup, efficiency, Amdahl's
 * p, bench/metrics) and writes small data files (plot_charts.c); the
 * gnuplot scripts in bench/gnuplot/NAME.gp only draw them, as PNG and SVG
 * (and PDF), sized for a slide or a page. Look at what it refuses to
 * draw: a fit from too few CPUs, a speedup for a serial kernel or a wrong
 * answer.
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
#include "plot.h"
#include "sweepnotes.h"
#include "sysinfo.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How a chart is shown: a slide (16:9, 13.33 x 7.5 in, 20 pt text) or
 * a figure on a page (6.4 x 4 in, 9 pt text), and its default pixels. */
static const struct theme {
    const char *name;
    int width_px, height_px;
    double width_pt, height_pt, font_pt;
} themes[] = {
    { "slide", 1920, 1080, 960, 540, 20 },
    { "paper", 1280, 800, 460.8, 288, 9 },
};

enum { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON, FORMAT_PDF };

struct plot_opts {
    const char *dir;
    bool is_summary;
    int theme;                  /* index into themes[] */
    const char *size;           /* "WxH" */
    const char *font_scale;
    int format;                 /* FORMAT_*: the report's, or pdf */
};

static const struct cli_opt plot_opts[] = {
    { "output", 'o', CLI_STR, "DIR", "write the charts, their data files "
      "and index.html into DIR", 0, 0, NULL,
      offsetof(struct plot_opts, dir) },
    { "summary", 0, CLI_FLAG, NULL, "print the metrics table only, draw "
      "nothing", 0, 0, NULL, offsetof(struct plot_opts, is_summary) },
    { "theme", 0, CLI_CHOICE, "T", "slide: 16:9, 20 pt text; paper: "
      "6.4 x 4 in, 9 pt text", 0, 0, "slide|paper",
      offsetof(struct plot_opts, theme) },
    { "size", 0, CLI_STR, "WxH", "picture size in pixels (default: the "
      "theme's, 1920x1080 or 1280x800)", 0, 0, NULL,
      offsetof(struct plot_opts, size) },
    { "font-scale", 0, CLI_STR, "F", "text size times F (0.5..3; default "
      "1)", 0, 0, NULL, offsetof(struct plot_opts, font_scale) },
    { "format", 0, CLI_CHOICE, "F", "the summary as text, csv or json; pdf: "
      "also draw each chart as a PDF", 0, 0, "text|csv|json|pdf",
      offsetof(struct plot_opts, format) },
    { 0 },
};

static const struct cli_spec plot_spec = {
    .args = "BENCH.csv [CONCURRENCY.csv]",
    .min_args = 1, .max_args = 2,
    .opts = plot_opts,
    .examples = "pardemo bench race -o race.csv && pardemo plot race.csv\n"
                "pardemo plot plots/bench.csv plots/concurrency.csv -o plots\n"
                "pardemo plot race.csv --theme paper --format pdf\n"
                "pardemo plot race.csv --size 1280x720 --font-scale 1.2\n"
                "pardemo plot race.csv --summary --format csv > metrics.csv",
};

/* The look: --theme, then --size and --font-scale. Returns 0, or 2 after
 * a usage line. */
static int pick_look(const struct plot_opts *o, struct plot_look *look)
{
    const struct theme *t = &themes[o->theme];
    double scale = 1;
    char *end = NULL, x = 0;
    int w = t->width_px, h = t->height_px;

    if (o->size && (sscanf(o->size, "%dx%d%c", &w, &h, &x) != 2 ||
                    w < 320 || w > 8000 || h < 200 || h > 8000)) {
        cli_error("plot", "--size must be WxH, 320..8000 x 200..8000 "
                  "pixels (got '%s')", o->size);
        return 2;
    }
    if (o->font_scale)
        scale = strtod(o->font_scale, &end);
    if (o->font_scale && (end == o->font_scale || *end || !(scale >= 0.5) ||
                          !(scale <= 3))) {
        cli_error("plot", "--font-scale must be a number 0.5..3 (got '%s')",
                  o->font_scale);
        return 2;
    }
    look->theme = t->name;
    look->width_px = w;
    look->height_px = h;
    look->px_per_pt = fmin(w / t->width_pt, h / t->height_pt);
    look->font_pt = t->font_pt * scale;
    look->font_px = look->font_pt * look->px_per_pt;
    look->is_pdf = o->format == FORMAT_PDF;
    return 0;
}

/* Prints why rows of one input were left out, one line each (the first
 * few), and says how many. Returns how many. */
static size_t report_skipped(const char *path, const struct bench_csv *c)
{
    size_t i;

    for (i = 0; i < c->nskipped && i < BENCHCSV_MAX_SKIPPED; i++)
        cli_error("plot", "%s; the row is left out", c->skipped[i]);
    if (c->nskipped > i)
        cli_error("plot", "%s: %zu more rows could not be used either",
                  path, c->nskipped - i);
    return c->nskipped;
}

/* Reads the one or two files; a concurrency CSV may come in either place.
 * A file that cannot be read is one line, and the other is still drawn.
 * Returns 0, 1 when something was left out (said on stderr), or -1 when
 * nothing is left to draw. */
static int read_inputs(const struct run_params *p, struct plot *pl)
{
    char err[1024];
    int rc = 0;

    for (int i = 0; i < p->nargs; i++) {
        struct bench_csv one = { 0 };
        if (benchcsv_read(p->args[i], &one, err, sizeof(err)) < 0) {
            cli_error("plot", "%s", err);
            benchcsv_free(&one);
            rc = 1;
            continue;
        }
        struct bench_csv *slot = one.nslices ? &pl->timeline : &pl->bench;
        if (slot->nrows || slot->nslices) {
            cli_error("plot", "%s: a second %s CSV; give one bench CSV and "
                      "at most one concurrency CSV", p->args[i],
                      one.nslices ? "concurrency" : "bench");
            benchcsv_free(&one);
            return -1;
        }
        if (report_skipped(p->args[i], &one))
            rc = 1;
        *slot = one;
    }
    if (!pl->bench.nrows && !pl->timeline.nslices)
        return -1;
    pl->cpus = benchcsv_cpus(pl->bench.nrows ? &pl->bench : &pl->timeline);
    if (pl->cpus == 0)
        pl->cpus = 1;       /* the file did not say: claim no parallelism */
    benchcsv_machine(pl->bench.nrows ? &pl->bench : &pl->timeline,
                     pl->machine, sizeof(pl->machine));
    return rc;
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

FILE *plot_open_data(const struct plot *pl, const char *name,
                     struct outfile *o, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", pl->dir, name);
    if (outfile_open_at(o, pl->dirfd, name) == 0)
        return o->f;
    outfile_say("plot", o, path, errno);
    return NULL;
}

int plot_close_data(struct outfile *o, const char *path, bool quiet)
{
    if (quiet) {                /* an error was said: just clean up */
        outfile_abort(o);
        return -1;
    }
    if (outfile_commit(o) == 0)
        return 0;
    outfile_say("plot", o, path, errno);
    return -1;
}

void plot_gp_string(FILE *f, const char *s)
{
    gp_string(f, s);
}

/* The directory of the gnuplot scripts (malloc'd), or NULL:
 * lib/datapath looks in $PARDEMO_DATA, the installed share/pardemo, the
 * source tree and ".". */
static char *find_scripts(void)
{
    char *dir = datapath_find("bench/gnuplot/speedup.gp");

    if (dir)
        *strrchr(dir, '/') = '\0';
    return dir;
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
        cli_error("plot", "gnuplot failed on %s (its message is above); "
                  "the other charts are drawn", script);
    else if (gp.out_len == 0)
        cli_error("plot", "gnuplot drew nothing into %s", path);
    else if (fwrite(gp.out, 1, gp.out_len, o->f) != gp.out_len)
        outfile_say("plot", o, path, errno);
    free(gp.out);
    return rc == 0 && gp.out_len > 0 && !ferror(o->f) ? 0 : -1;
}

/* The gnuplot terminal for a picture of this look: PNG and SVG in pixels
 * (pngcairo takes its font size in points at 96 dpi, so 3/4 of the
 * pixels), a PDF page at the theme's size in inches. */
static void terminal(FILE *m, const struct plot_look *k, const char *ext)
{
    double lw = k->font_px / 20;        /* thick enough for a projector */

    if (!strcmp(ext, "png"))
        fprintf(m, "set terminal pngcairo size %d,%d font 'sans,%.3g' "
                "linewidth %.3g noenhanced", k->width_px, k->height_px,
                k->font_px * 0.75, lw);
    else if (!strcmp(ext, "svg"))
        fprintf(m, "set terminal svg size %d,%d font 'sans,%.3g' "
                "linewidth %.3g noenhanced background rgb 'white'",
                k->width_px, k->height_px, k->font_px, lw);
    else
        fprintf(m, "set terminal pdfcairo size %.4gin,%.4gin font "
                "'sans,%.3g' linewidth %.3g noenhanced", k->width_px /
                k->px_per_pt / 72, k->height_px / k->px_per_pt / 72,
                k->font_pt, k->font_pt / 10);    /* in points */
    fprintf(m, "; ps = %.3g", k->font_px / 24);
}

/* Draws one queued chart as NAME.png and NAME.svg (and NAME.pdf). With
 * $PARDEMO_PLOT_CHECK the SVG's pass also appends gnuplot's axis ranges
 * and plot areas to that file (for the chart test). 0 or -1. */
static int render(const struct plot *pl, const struct plot_chart *c)
{
    static const char *const ext[] = { "png", "svg", "pdf" };
    char script[8300], out[4200], name[160], *setup;
    struct outfile o;
    size_t len;
    int rc = 0;

    snprintf(script, sizeof(script), "%s/%s", pl->scripts, c->script);
    for (int i = 0; i < (pl->look.is_pdf ? 3 : 2) && rc == 0; i++) {
        FILE *m;
        snprintf(name, sizeof(name), "%s.%s", c->name, ext[i]);
        if (!c->vars || !plot_open_data(pl, name, &o, out, sizeof(out)))
            return -1;
        if (!(m = open_memstream(&setup, &len))) {
            outfile_abort(&o);
            return -1;
        }
        terminal(m, &pl->look, ext[i]);
        /* no file: gnuplot draws on its stdout, which we copy into o (it
         * would follow a link planted at the name; we never do) */
        fputs("; set output; dir = ", m);
        gp_string(m, pl->scripts);
        fputs("; chart = ", m);
        gp_string(m, c->name);
        if (pl->checkfile && !strcmp(ext[i], "svg")) {
            fputs("; checkfile = ", m);
            gp_string(m, pl->checkfile);
        }
        fprintf(m, "; %s", c->vars);
        fclose(m);
        rc = run_gnuplot(pl, setup, script, &o, out);
        free(setup);
        rc = rc == 0 ? plot_close_data(&o, out, false)
                     : plot_close_data(&o, out, true);
    }
    return rc;
}

/* Writes every data file, then (with gnuplot) every chart it can and
 * index.html. Returns 0; 1 when gnuplot failed on a chart (the others
 * are drawn all the same) or index.html could not be written; -1 after
 * an error line when nothing could be drawn (no directory, a data file
 * not written, no gnuplot, not one chart drawn). */
static int draw_all(struct plot *pl)
{
    int failed = 0;

    /* made with the umask's mode; a link another user planted is refused */
    if ((pl->dirfd = outfile_dir(pl->dir, true)) < 0) {
        cli_error("plot", "cannot create %s: %s", pl->dir,
                  outfile_strerror(errno));
        return -1;
    }
    if (plot_queue_charts(pl) < 0)
        return -1;
    if (!(pl->gnuplot = sys_find_in_path("gnuplot"))) {
        cli_error("plot", "gnuplot not found: apt-get install gnuplot-nox");
        return -1;
    }
    if (!(pl->scripts = find_scripts())) {
        cli_error("plot", "cannot find the gnuplot scripts "
                  "(bench/gnuplot/*.gp) beside the pardemo binary or in "
                  "./bench/gnuplot");
        return -1;
    }
    for (int i = 0; i < pl->ncharts; i++) {
        pl->charts[i].is_drawn = render(pl, &pl->charts[i]) == 0;
        failed += !pl->charts[i].is_drawn;
    }
    if (pl->ncharts && failed == pl->ncharts)
        return -1;              /* no chart to list (a full disk...) */
    pl->has_index = plot_write_index(pl) == 0;
    return failed || !pl->has_index ? 1 : 0;
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
    table_col(t, "speedup_low", "low", U_RATIO);
    table_col(t, "speedup_high", "high", U_RATIO);
    table_col(t, "efficiency", "eff", U_PCT);
    table_col(t, "karp_flatt", "K-F e", U_NUM);
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
            table_num(t, s->pts[k].speedup_lo);
            table_num(t, s->pts[k].speedup_hi);
            table_num(t, s->pts[k].efficiency);
            table_num(t, s->pts[k].karp_flatt);
            table_str(t, s->pts[k].is_ok ? "ok" : "WRONG");
        }
    }
    table_end(t);
}

/* Why a series has no usable fit (or "" when it has one). */
static const char *fit_note(const struct plot *pl,
                            const struct metrics_series *s, char *buf,
                            size_t len)
{
    if (!s->is_ok)
        return "wrong answer: no p";
    if (s->is_serial)
        return "serial: no p";
    if (s->is_weak)
        return "weak scaling: see laws chart";
    if (!s->has_base)
        return "no 1-worker run";
    if (!s->fit.is_valid && pl->cpus < METRICS_FIT_MIN_POINTS)
        snprintf(buf, len, "%d CPU%s: too few for p", pl->cpus,
                 pl->cpus == 1 ? "" : "s");
    else if (!s->fit.is_valid)
        snprintf(buf, len, "%d worker count%s: too few for p",
                 s->fit.npoints, s->fit.npoints == 1 ? "" : "s");
    else if (s->fit.is_clamped)
        return "p clamped to 0..1";
    else if (!(s->fit.max_speedup <= 10.0 * pl->cpus))
        return "limit far past the CPUs";
    else
        return "";
    return buf;
}

/* One row per series: the Amdahl fit and the speedup it promises. */
static void fits_table(struct report *r, const struct plot *pl)
{
    struct table *t = report_table(r, "fits", "Amdahl fit (parallel "
                                   "fraction p, on workers <= CPUs)");
    char note[120];

    series_cols(t);
    table_col(t, "amdahl_p", "p", U_NUM);
    table_col(t, "max_speedup", "limit", U_RATIO);
    table_col(t, "points", "points", U_INT);
    table_col(t, "note", "note", U_TEXT);
    for (size_t i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        if (!strcmp(s->topic, "ipc"))
            continue;                   /* drawn by size, not workers */
        table_series(t, s);
        table_num(t, s->fit.is_valid ? s->fit.p : NAN);
        table_num(t, s->fit.is_valid ? s->fit.max_speedup : NAN);
        table_num(t, s->fit.is_valid ? s->fit.npoints : 0);
        table_str(t, fit_note(pl, s, note, sizeof(note)));
    }
    table_end(t);
}

/* The concurrency runs: wall time and tasks running at once. */
static void timeline_table(struct report *r, const struct plot *pl)
{
    struct run_span runs[2];
    int n = plot_timeline_runs(&pl->timeline, runs);
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

/* The charts drawn, one row each: "plots/speedup-race.{png,svg}". */
static void charts_table(struct report *r, const struct plot *pl)
{
    struct table *t = report_table(r, "charts", pl->has_index ?
                                   "Charts drawn (and index.html), in the "
                                   "output directory" : "Charts drawn, in "
                                   "the output directory");
    char path[200];

    table_col(t, "files", "files", U_TEXT);
    for (int i = 0; i < pl->ncharts; i++) {
        if (!pl->charts[i].is_drawn)
            continue;
        snprintf(path, sizeof(path), "%s.{png,svg%s}", pl->charts[i].name,
                 pl->look.is_pdf ? ",pdf" : "");
        table_str(t, path);
    }
    table_end(t);
}

/* ---- what to notice -------------------------------------------------- */

/* The concurrency run's own notices, quoted from its CSV: rules of that
 * run (its numbers are not in this one), so they cite nothing here. */
static void quote_timeline(const struct plot *pl, struct notices *out)
{
    for (size_t i = 0; i < pl->timeline.nmeta; i++) {
        const char *t = pl->timeline.meta[i].value;
        struct notice *n;
        char *esc, *e;

        if (strcmp(pl->timeline.meta[i].key, "notice"))
            continue;
        if (!(esc = malloc(2 * strlen(t) + 1)))
            continue;
        for (e = esc; *t; t++)          /* notice_say reads '{' as a field */
            if ((*e++ = *t) == '{')
                *e++ = '{';
        *e = '\0';
        n = notice_add(out, "plot.concurrency_quoted");
        notice_say(n, "%s", esc);
        free(esc);
    }
}

void plot_topic_notes(const struct plot *pl, const char *topic,
                      struct notices *out)
{
    if (topic && !strcmp(topic, "concurrency"))
        quote_timeline(pl, out);
    else
        sweepnotes_add(pl->series, pl->nseries, pl->cpus, topic, out);
}

/* "What to notice" of the summary, about the sweep as a whole. */
static void notices(struct report *r, const struct plot *pl)
{
    struct notices ns;

    notices_init(&ns);
    plot_topic_notes(pl, NULL, &ns);
    report_notices(r, &ns);
    notices_free(&ns);
}

static void plot_free(struct plot *pl)
{
    metrics_free(pl->series, pl->nseries);
    for (int i = 0; i < pl->ncharts; i++) {
        free(pl->charts[i].vars);
        free(pl->charts[i].caption);
    }
    benchcsv_free(&pl->bench);
    benchcsv_free(&pl->timeline);
    free(pl->gnuplot);
    free(pl->scripts);
}

/* The summary on stdout: fits (or every point), timeline, charts. */
static void summary(const struct run_params *p, const struct plot_opts *o,
                    const struct plot *pl)
{
    struct report *r = report_begin(p, "Bench summary", "Speedup, "
                                    "efficiency and Amdahl's law, computed "
                                    "from a pardemo bench CSV.");

    report_conditions(r, NULL, NULL);     /* it reads a CSV: no run here */
    report_param(r, "measured on", "%s", pl->machine);
    if (!o->is_summary) {
        report_param(r, "look", "%s, %dx%d pixels, %.3g pt text",
                     pl->look.theme, pl->look.width_px, pl->look.height_px,
                     pl->look.font_pt);
        report_param(r, "output directory", "%s", pl->dir);
    }
    if (o->is_summary && pl->nseries)
        points_table(r, pl);
    if (pl->nseries)
        fits_table(r, pl);
    if (pl->timeline.nslices)
        timeline_table(r, pl);
    if (!o->is_summary)
        charts_table(r, pl);
    notices(r, pl);
    report_end(r);
}

static int plot_main(int argc, char **argv)
{
    struct run_params p;
    struct plot_opts o = { .dir = "plots" };
    struct plot pl;
    long n;
    int rc, drawn = 0;

    cli_defaults(&p, "plot");
    if ((rc = cli_parse(&demo_plot, argc, argv, &p, &o)) >= 0)
        return rc;
    memset(&pl, 0, sizeof(pl));
    pl.dir = o.dir;
    pl.dirfd = -1;
    pl.checkfile = getenv("PARDEMO_PLOT_CHECK");
    p.format = o.format == FORMAT_CSV ? FMT_CSV : o.format == FORMAT_JSON ?
               FMT_JSON : FMT_TEXT;
    if ((rc = pick_look(&o, &pl.look)) != 0)
        return rc;
    if ((rc = read_inputs(&p, &pl)) < 0) {
        rc = 1;
        goto out;
    }
    if ((n = metrics_series_of(&pl.bench, pl.cpus, &pl.series)) < 0) {
        cli_error("plot", "out of memory");
        rc = 1;
        goto out;
    }
    pl.nseries = (size_t)n;
    if (!o.is_summary && (drawn = draw_all(&pl)) < 0) {
        rc = 1;
        goto out;
    }
    summary(&p, &o, &pl);
    rc = rc || drawn ? 1 : 0;
out:
    if (pl.dirfd >= 0)
        close(pl.dirfd);
    plot_free(&pl);
    return rc;
}

const struct demo demo_plot = {
    .name = "plot",
    .summary = "a bench CSV to charts for a slide or a page",
    .main = plot_main,
    .spec = &plot_spec,
};
