/* plot.h - what the parts of `pardemo plot` share: its inputs, the look
 * asked for, and the queue of charts to draw. plot.c reads the CSVs,
 * runs gnuplot and reports; plot_charts.c decides each topic's charts and
 * writes their data; plot_index.c writes index.html beside them.
 */
#ifndef PLOT_H
#define PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "benchcsv.h"
#include "metrics.h"
#include "notice.h"
#include "outfile.h"

#define PLOT_MAX_CHARTS 128

/* --theme, --size, --font-scale: the picture and its text. */
struct plot_look {
    const char *theme;          /* "slide" or "paper" */
    int width_px, height_px;
    double px_per_pt;           /* pixels per point when shown at the
                                   theme's size (a 13.33 in slide, a
                                   6.4 in figure): the PDF's page size */
    double font_pt;             /* text size there, --font-scale applied */
    double font_px;             /* the same in the picture's pixels */
    bool is_pdf;                /* --format pdf: a PDF beside PNG and SVG */
};

/* One chart to draw: a script, the variables it reads, a file name. */
struct plot_chart {
    const char *script;         /* "speedup.gp" */
    char name[96];              /* "speedup-race": .png, .svg (and .pdf) */
    char *vars;                 /* "npanels = 1; ..." for gnuplot -e */
    char *caption;              /* how to read it, for index.html */
    const char *topic;          /* whose notes go with it */
    bool is_drawn;              /* gnuplot drew it */
};

/* What the charts are drawn from, and where they go. */
struct plot {
    struct bench_csv bench, timeline;   /* rows; slices */
    struct metrics_series *series;
    size_t nseries;
    int cpus;                   /* allowed CPUs when measured */
    char machine[300];          /* "AMD EPYC 7B13, 2 CPUs" */
    const char *dir;
    char *gnuplot, *scripts;    /* malloc'd (plot.c) */
    int dirfd;                  /* dir, open (lib/outfile); -1 until made */
    bool has_index;             /* index.html was written */
    const char *checkfile;      /* $PARDEMO_PLOT_CHECK, for the chart test */
    struct plot_look look;
    struct plot_chart charts[PLOT_MAX_CHARTS];
    int ncharts;
};

/* plot.c: a file NAME in the output directory, written through o
 * (lib/outfile: a temp file renamed into place when whole; a link another
 * user planted there is refused); PATH gets DIR/NAME for messages.
 * Returns o->f, or NULL after an error line. */
FILE *plot_open_data(const struct plot *pl, const char *name,
                     struct outfile *o, char *path, size_t len);

/* plot.c: commits o (0), or removes it after an error line (-1); quiet:
 * an error was already said, just remove it. */
int plot_close_data(struct outfile *o, const char *path, bool quiet);

/* plot.c: s for gnuplot inside single quotes ('' is one quote). */
void plot_gp_string(FILE *f, const char *s);

/* plot.c: what to notice about one topic's charts (topic NULL: the
 * sweep as a whole; "concurrency": the timeline run's own notices),
 * appended to *out (bench/sweepnotes). */
void plot_topic_notes(const struct plot *pl, const char *topic,
                      struct notices *out);

/* One run of the concurrency timeline ("one-cpu", "all-cpus"). */
struct run_span {
    const char *run;
    double t0, wall_secs, busy_secs;    /* busy: the slices added up */
    size_t nslices;
};

/* plot_charts.c: the first two runs of a timeline, in order of
 * appearance, into runs[2]; returns how many. */
int plot_timeline_runs(const struct bench_csv *c, struct run_span *runs);

/* plot_charts.c: writes every chart's data files and queues the charts.
 * Returns 0, or -1 after an error line (a file could not be written). */
int plot_queue_charts(struct plot *pl);

/* plot_index.c: DIR/index.html, every chart drawn with its caption and
 * notes, readable offline. Returns 0, or -1 after an error line. */
int plot_write_index(const struct plot *pl);

#endif
