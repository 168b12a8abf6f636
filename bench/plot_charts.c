/* plot_charts.c - which charts `pardemo plot` draws, and their data.
 * Most topics get speedup, efficiency and time vs workers; manager gets
 * its cost per operation relative to shared memory, as bars; ipc gets
 * latency and bandwidth by message size; concurrency its timeline. Each
 * panel's data is one tab-separated file whose "# axes:" line names the
 * columns drawn on x and y; C picks every range, scale and tick, so the
 * gnuplot scripts (bench/gnuplot/NAME.gp) only draw.
 */
#define _GNU_SOURCE
#include "plot.h"
#include "chartaxis.h"
#include "cli.h"
#include "laws.h"
#include "report.h"
#include "stream.h"
#include "pardemo.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PANELS_MAX 6
#define COLOURS 6               /* gnuplot/palette.gp: Paul Tol's */
#define GROUP_MAX 16            /* series in one panel */
#define STYLE_SERIAL 7          /* black, dashed: a serial reference */
#define STYLE_WRONG 8           /* grey, crosses: a wrong answer (8..10) */
#define FIT_SAMPLES 100         /* points on each drawn Amdahl curve */
#define FOOT_MAX 8
#define CAPTION_LEN 2400

/* One panel: its series (with their line styles) and its data file. */
struct panel {
    char title[96], ylabel[160];    /* ylabel "": the chart's */
    const struct metrics_series *s[GROUP_MAX];
    int style[GROUP_MAX];
    size_t n;
    char file[4200], fit[4200];     /* paths; fit "" when none */
    struct chart_axis y;
    bool has_noisy;
};

/* What a key entry's sample shows (gnuplot/common.gp draws each kind). */
enum key_kind {
    KEY_SERIES = 1,     /* a kernel's line, points and bars: linetype lt */
    KEY_IDEAL,          /* the black reference line */
    KEY_FIT,            /* a fitted Amdahl curve: thin, dotted */
    KEY_REF,            /* Amdahl's law for given p: grey, dotted */
    KEY_RING,           /* the ring round a point with a noisy baseline */
    KEY_SHADE,          /* the grey band: more workers than CPUs */
    KEY_BAR,            /* a bar of linetype lt */
    KEY_CPU,            /* a timeline bar, the colour of linetype lt */
};

#define KEY_MAX 24
#define XT_MAX 64
#define KEY_LABEL 48

struct key_entry {
    enum key_kind kind;
    int lt;
    char label[KEY_LABEL];
};

/* One chart being built: what every script reads (gnuplot/common.gp). */
struct spec {
    const char *script, *topic;
    char name[96], title[200], subtitle[400], xlabel[160], ylabel[200];
    struct chart_axis x;
    double xt[XT_MAX];              /* x tics where the data is (none: */
    char xt_label[XT_MAX][40];      /* gnuplot's own), labels may be ""*/
    int nxt;
    struct panel p[PANELS_MAX + 1];
    int np, cols;
    char foot[FOOT_MAX][400];
    int nfoot;
    struct key_entry key[KEY_MAX];  /* one key for all the panels */
    int nkey;
    char names[GROUP_MAX][64];      /* parallel kernels: colour = index */
    int nnames;
    char extra[4400];               /* the script's own variables */
    int width;                      /* characters a line can hold */
    char caption[CAPTION_LEN];      /* for index.html */
};

/* ---- small writers ---------------------------------------------------- */

/* A title for a tab-separated data file: no tabs, newlines or double
 * quotes inside, and quoted so gnuplot reads it as one column. */
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

/* A point's value, low and high (v[0..2]): three columns, each also
 * kept in the axis extent e. */
static void dat_three(FILE *f, const double v[3], struct chart_extent *e)
{
    for (int m = 0; m < 3; m++) {
        dat_num(f, v[m], "\t");
        chart_extent_add(e, v[m]);
    }
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

/* Opens DIR/NAME-TOPIC[-k].dat with its first comment lines. */
static FILE *open_panel(const struct plot *pl, const struct spec *c, int k,
                        const char *what, const char *axes, char *path,
                        size_t len, struct outfile *o)
{
    char file[200];
    FILE *f;

    snprintf(file, sizeof(file), k ? "%s-%d.dat" : "%s.dat", c->name, k + 1);
    if (!(f = plot_open_data(pl, file, o, path, len)))
        return NULL;
    fprintf(f, "# %s: %s, by pardemo plot; one block per series, its first "
            "line the title\n# axes: %s\n", c->name, what, axes);
    return f;
}

/* A note under the chart (not in the caption). Lines are wrapped at
 * spaces to what the picture's width holds (c->width chars). */
static void under(struct spec *c, const char *text)
{
    const char *at = text;

    while (*at && c->nfoot < FOOT_MAX) {
        size_t n = strlen(at), cut = n;
        if ((int)n > c->width) {
            for (cut = (size_t)c->width; cut > 0 && at[cut] != ' '; cut--)
                ;
            cut = cut ? cut : (size_t)c->width;
        }
        snprintf(c->foot[c->nfoot++], sizeof(c->foot[0]), "%.*s",
                 (int)cut, at);
        at += cut + (at[cut] == ' ');
    }
}

static void foot(struct spec *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A note under the chart that is also a sentence of its caption. */
static void foot(struct spec *c, const char *fmt, ...)
{
    char text[800];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    under(c, text);
    snprintf(c->caption + strlen(c->caption), CAPTION_LEN -
             strlen(c->caption), " %s", text);
}

static void say(struct spec *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A sentence of the caption only (index.html), not under the chart. */
static void say(struct spec *c, const char *fmt, ...)
{
    size_t used = strlen(c->caption);
    va_list ap;

    if (used + 2 >= CAPTION_LEN)
        return;
    c->caption[used++] = ' ';
    va_start(ap, fmt);
    vsnprintf(c->caption + used, CAPTION_LEN - used, fmt, ap);
    va_end(ap);
}

/* Adds an entry to the chart's key, once: an entry of the same kind and
 * line type whose label differs gets " / label" added. */
static void key_add(struct spec *c, enum key_kind kind, int lt,
                    const char *label)
{
    for (int i = 0; i < c->nkey; i++) {
        struct key_entry *e = &c->key[i];
        size_t used = strlen(e->label);
        if (e->kind != kind || e->lt != lt)
            continue;
        if (strcmp(e->label, label) && used + 4 < KEY_LABEL)
            snprintf(e->label + used, KEY_LABEL - used, " / %s", label);
        return;
    }
    if (c->nkey == KEY_MAX)
        return;
    c->key[c->nkey] = (struct key_entry){ kind, lt, "" };
    snprintf(c->key[c->nkey++].label, KEY_LABEL, "%s", label);
}

static bool is_topic(const struct metrics_series *s, const char *topic)
{
    return !strcmp(s->topic, topic);
}

static bool is_parallel(const struct metrics_series *s)
{
    return s->is_ok && !s->is_serial;
}

/* ---- the series of a topic, in panels --------------------------------- */

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

static size_t topic_count(const struct plot *pl, const char *topic)
{
    size_t n = 0;

    for (size_t i = 0; i < pl->nseries; i++)
        n += is_topic(&pl->series[i], topic);
    return n;
}

/* What a series' panel is named after: its size when the topic has
 * several, the kernel's first word ("sort" of "sort-fork") when the
 * topic has more series than colours, else nothing (one panel). */
static void panel_key(const struct metrics_series *s, int how, char *buf,
                      size_t len)
{
    char size[32];

    if (how == 1)
        snprintf(buf, len, "n = %s", cli_fmt_size(s->size, size,
                                                  sizeof(size)));
    else if (how == 2)
        snprintf(buf, len, "%.*s", (int)strcspn(s->kernel, "-"), s->kernel);
    else
        buf[0] = '\0';
}

/* The panel for key (a new one when it is full); NULL when all are used. */
static struct panel *panel_for(struct spec *c, const char *key,
                               const struct metrics_series *s)
{
    size_t colours = 0;

    for (int k = c->np - 1; k >= 0; k--) {
        struct panel *p = &c->p[k];
        if (strcmp(p->title, key) || p->n == GROUP_MAX)
            continue;
        for (size_t i = 0; i < p->n; i++)
            colours += is_parallel(p->s[i]);
        if (!is_parallel(s) || colours < COLOURS)
            return p;
        break;
    }
    if (c->np == PANELS_MAX)
        return NULL;
    memset(&c->p[c->np], 0, sizeof(c->p[0]));
    snprintf(c->p[c->np].title, sizeof(c->p[0].title), "%s", key);
    return &c->p[c->np++];
}

enum pick { PICK_RATIO, PICK_TIME };

/* A parallel kernel's colour, the same in every panel of the chart: the
 * order its name first came in (the palette repeats after six). */
static int colour_of(struct spec *c, const struct metrics_series *s)
{
    int i;

    for (i = 0; i < c->nnames && strcmp(c->names[i], s->kernel); i++)
        ;
    if (i == c->nnames && c->nnames < GROUP_MAX)
        snprintf(c->names[c->nnames++], sizeof(c->names[0]), "%s",
                 s->kernel);
    return i % COLOURS + 1;
}

/* Is s drawn on a speedup chart (it has one) or a time chart? */
static bool is_picked(const struct metrics_series *s, enum pick pick)
{
    return pick == PICK_TIME ? s->is_ok : is_parallel(s) && s->has_base;
}

/* Splits the topic's series that the chart draws into panels and gives
 * each its line style: colours 1..6 in order, STYLE_SERIAL for a serial
 * one. Returns how many series did not fit in PANELS_MAX panels. */
static int group_series(const struct plot *pl, const char *topic,
                        enum pick pick, struct spec *c)
{
    int how = has_sizes(pl, topic) ? 1 :
              topic_count(pl, topic) > COLOURS ? 2 : 0;
    int lost = 0;
    char key[96];

    c->np = 0;
    for (size_t i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        if (!is_topic(s, topic) || !is_picked(s, pick))
            continue;
        panel_key(s, how, key, sizeof(key));
        struct panel *p = panel_for(c, key, s);
        if (!p) {
            lost++;
            continue;
        }
        p->style[p->n] = s->is_serial ? STYLE_SERIAL : colour_of(c, s);
        p->s[p->n++] = s;
    }
    return lost;
}

/* The wrong-answer series of a topic, in one more panel. */
static void group_wrong(const struct plot *pl, const char *topic,
                        struct spec *c)
{
    struct panel *p = &c->p[c->np];

    memset(p, 0, sizeof(*p));
    snprintf(p->title, sizeof(p->title), "wrong answer: not a result");
    for (size_t i = 0; i < pl->nseries && p->n < 3; i++) {
        if (is_topic(&pl->series[i], topic) && !pl->series[i].is_ok) {
            p->style[p->n] = STYLE_WRONG + (int)p->n;
            p->s[p->n++] = &pl->series[i];
        }
    }
    if (p->n)
        c->np++;
}

/* Why a series is not on a speedup chart (or NULL when it is). */
static const char *why_left_out(const struct metrics_series *s)
{
    if (is_picked(s, PICK_RATIO))
        return NULL;
    return !s->is_ok ? "wrong answer" : s->is_serial ? "serial" :
           "no 1-worker run";
}

/* "sort-serial, sum-serial (serial); unsync (wrong answer)": what a
 * speedup chart leaves out of the topic, grouped by why, or "". */
static void left_out(const struct plot *pl, const char *topic, char *buf,
                     size_t len)
{
    static const char *const whys[] = { "serial", "wrong answer",
                                        "no 1-worker run" };
    size_t used = 0;

    buf[0] = '\0';
    for (size_t w = 0; w < ARRAY_SIZE(whys); w++) {
        size_t before = used;
        for (size_t i = 0; i < pl->nseries && used + 1 < len; i++) {
            const struct metrics_series *s = &pl->series[i];
            const char *why = why_left_out(s);
            if (!is_topic(s, topic) || !why || strcmp(why, whys[w]))
                continue;
            used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                     used == before ? (used ? "; " : "") :
                                     ", ", s->kernel);
        }
        if (used > before && used + 1 < len)
            used += (size_t)snprintf(buf + used, len - used, " (%s)",
                                     whys[w]);
    }
}

/* The key entries of the chart's series, in panel order; serial kernels
 * share one ("serial", black and dashed) when there are several. */
static void key_series(struct spec *c, enum key_kind kind)
{
    char label[KEY_LABEL];
    int nserial = 0;

    for (int k = 0; k < c->np; k++)
        for (size_t i = 0; i < c->p[k].n; i++)
            nserial += c->p[k].s[i]->is_serial;
    for (int k = 0; k < c->np; k++)
        for (size_t i = 0; i < c->p[k].n; i++) {
            const struct metrics_series *s = c->p[k].s[i];
            snprintf(label, sizeof(label), nserial > 1 && s->is_serial ?
                     "serial kernels" : s->is_ok ? "%s" : "%s (wrong)",
                     s->kernel);
            key_add(c, kind, c->p[k].style[i], label);
        }
}

static void xtic(struct spec *c, double at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An x tic at `at`, labelled. */
static void xtic(struct spec *c, double at, const char *fmt, ...)
{
    va_list ap;

    if (c->nxt == XT_MAX)
        return;
    c->xt[c->nxt] = at;
    va_start(ap, fmt);
    vsnprintf(c->xt_label[c->nxt++], sizeof(c->xt_label[0]), fmt, ap);
    va_end(ap);
}

/* ---- the workers axis, shared by a topic's charts --------------------- */

/* The distinct worker counts of the topic, ascending, into ws. */
static int worker_counts(const struct plot *pl, const char *topic, int *ws,
                         int max)
{
    int n = 0;

    for (size_t i = 0; i < pl->nseries; i++) {
        if (!is_topic(&pl->series[i], topic))
            continue;
        for (size_t k = 0; k < pl->series[i].npts; k++) {
            int w = pl->series[i].pts[k].workers, j = n;
            for (int d = 0; d < n; d++)
                if (ws[d] == w)
                    j = -1;
            if (j < 0 || n == max)
                continue;
            while (j > 0 && ws[j - 1] > w) {        /* insertion sort */
                ws[j] = ws[j - 1];
                j--;
            }
            ws[j] = w;
            n++;
        }
    }
    return n;
}

/* x from 1 to the most workers: log when that spans more than 20x, with
 * a tick at each count (each power of two on a log axis). */
static int workers_axis(const struct plot *pl, const char *topic,
                        struct spec *c)
{
    struct chart_extent e = CHART_EXTENT_NONE;
    int ws[256], n = worker_counts(pl, topic, ws, 256);

    chart_extent_add(&e, 1);
    chart_extent_add(&e, n ? ws[n - 1] : 1);
    c->x = chart_axis_of(&e, CHART_AUTO);
    for (int i = 0; i < n; i++)
        if (!c->x.is_log || (ws[i] & (ws[i] - 1)) == 0)
            xtic(c, ws[i], "%d", ws[i]);
    snprintf(c->xlabel, sizeof(c->xlabel), "workers");
    return n ? ws[n - 1] : 1;
}

/* The subtitle: the machine, the size, the reps and what the bars are. */
static void subtitle(const struct plot *pl, const char *topic,
                     struct spec *c, const char *what)
{
    char size[32] = "", sized[64] = "";
    int reps = 0;

    for (size_t i = 0; i < pl->nseries; i++)
        if (is_topic(&pl->series[i], topic) && pl->series[i].reps > reps)
            reps = pl->series[i].reps;
    if (!has_sizes(pl, topic))
        for (size_t i = 0; i < pl->nseries; i++)
            if (is_topic(&pl->series[i], topic))
                snprintf(sized, sizeof(sized), " | n = %s", cli_fmt_size(
                         pl->series[i].size, size, sizeof(size)));
    if (reps > 1)
        snprintf(c->subtitle, sizeof(c->subtitle), "%s%s | %d reps, %s",
                 pl->machine, sized, reps, what);
    else
        snprintf(c->subtitle, sizeof(c->subtitle), "%s%s | 1 rep: no "
                 "spread measured", pl->machine, sized);
}

/* ---- speedup and efficiency ------------------------------------------ */

enum ratio { SPEEDUP, EFFICIENCY };

/* The key entry: the kernel, and on a speedup chart its fitted p. */
static void ratio_title(const struct metrics_series *s, enum ratio what,
                        char *buf, size_t len)
{
    if (what == SPEEDUP && s->fit.is_valid)
        snprintf(buf, len, "%s (p = %.3f)", s->kernel, s->fit.p);
    else
        snprintf(buf, len, "%s", s->kernel);
}

/* One panel's file: per series, rows of workers, the ratio (speedup, or
 * efficiency in %), its low and high, and 1 where the baseline was noisy. */
static int write_ratio_panel(const struct plot *pl, struct spec *c, int k,
                             enum ratio what, struct chart_extent *ye)
{
    struct panel *p = &c->p[k];
    char title[200];
    struct outfile o;
    FILE *f = open_panel(pl, c, k, what == SPEEDUP ? "speedup vs workers" :
                         "efficiency (%) vs workers", "x=1 y=2,3,4",
                         p->file, sizeof(p->file), &o);

    if (!f)
        return -1;
    fprintf(f, "# workers %s low high noisy_baseline\n",
            what == SPEEDUP ? "speedup" : "efficiency_pct");
    for (size_t i = 0; i < p->n; i++) {
        const struct metrics_series *s = p->s[i];
        ratio_title(s, what, title, sizeof(title));
        fputs(i ? "\n\n" : "", f);
        dat_string(f, title);
        fputc('\n', f);
        p->has_noisy |= s->is_noisy_base;
        for (size_t j = 0; j < s->npts; j++) {
            const struct metrics_point *pt = &s->pts[j];
            double m = what == SPEEDUP ? 1 : 100.0 / pt->workers;
            fprintf(f, "%d\t", pt->workers);
            dat_num(f, pt->speedup * m, "\t");
            dat_num(f, pt->speedup_lo * m, "\t");
            dat_num(f, pt->speedup_hi * m, "\t");
            fprintf(f, "%d\n", s->is_noisy_base);
            chart_extent_add(ye, pt->speedup_lo * m);
            chart_extent_add(ye, pt->speedup_hi * m);
            chart_extent_add(ye, pt->speedup * m);
        }
    }
    return plot_close_data(&o, p->file, false);
}

/* One panel's fitted curves, never past the CPUs: rows workers, Amdahl's
 * speedup, the series' line style; a blank line between curves. */
static int write_fit_panel(const struct plot *pl, struct spec *c, int k,
                           int maxw, struct chart_extent *ye)
{
    struct panel *p = &c->p[k];
    int upto = maxw < pl->cpus ? maxw : pl->cpus, nfits = 0;
    struct outfile o;
    char file[200];
    FILE *f;

    for (size_t i = 0; i < p->n; i++)
        nfits += p->s[i]->fit.is_valid;
    p->fit[0] = '\0';
    if (!nfits || upto < 2)
        return 0;
    snprintf(file, sizeof(file), "fit-%s-%d.dat", c->name, k + 1);
    if (!(f = plot_open_data(pl, file, &o, p->fit, sizeof(p->fit))))
        return -1;
    fprintf(f, "# %s: Amdahl fits on 1..%d workers (the CPUs)\n"
            "# axes: x=1 y=2\n# workers speedup style\n", c->name, upto);
    for (size_t i = 0, n = 0; i < p->n; i++) {
        if (!p->s[i]->fit.is_valid)
            continue;
        fputs(n++ ? "\n" : "", f);
        for (int j = 0; j <= FIT_SAMPLES; j++) {
            double w = 1 + (upto - 1) * (double)j / FIT_SAMPLES;
            double y = metrics_amdahl(p->s[i]->fit.p, w);
            fprintf(f, "%.6g\t%.6g\t%d\n", w, y, p->style[i]);
            chart_extent_add(ye, y);
        }
    }
    return plot_close_data(&o, p->fit, false);
}

/* What Amdahl's law would give for a few p, on 1..the CPUs: drawn when
 * no series could be fitted because there were too few worker counts. */
static int write_reference(const struct plot *pl, struct spec *c, int maxw,
                           char *path, size_t len)
{
    static const double ps[] = { 0.5, 0.9, 0.99 };
    int upto = maxw < pl->cpus ? maxw : pl->cpus;
    struct outfile o;
    char file[200];
    FILE *f;

    path[0] = '\0';
    if (upto < 2)
        return 0;
    snprintf(file, sizeof(file), "ref-%s.dat", c->name);
    if (!(f = plot_open_data(pl, file, &o, path, len)))
        return -1;
    fprintf(f, "# Amdahl's law for p = 0.5, 0.9, 0.99 on 1..%d workers: "
            "not a fit\n# axes: x=1 y=2\n# workers speedup\n", upto);
    for (size_t i = 0; i < ARRAY_SIZE(ps); i++) {
        fputs(i ? "\n" : "", f);
        for (int j = 0; j <= FIT_SAMPLES; j++) {
            double w = 1 + (upto - 1) * (double)j / FIT_SAMPLES;
            fprintf(f, "%.6g\t%.6g\n", w, metrics_amdahl(ps[i], w));
        }
    }
    return plot_close_data(&o, path, false);
}

/* ---- the queue -------------------------------------------------------- */

static void extra(struct spec *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* More variables for the chart's own script: "; name = value". */
static void extra(struct spec *c, const char *fmt, ...)
{
    size_t used = strlen(c->extra);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->extra + used, sizeof(c->extra) - used, fmt, ap);
    va_end(ap);
}

/* "; name = 'value'" with value quoted for gnuplot ('' is one quote). */
static void extra_str(struct spec *c, const char *name, const char *v)
{
    size_t used = strlen(c->extra);

    used += (size_t)snprintf(c->extra + used, sizeof(c->extra) - used,
                             "; %s = '", name);
    for (; *v && used + 3 < sizeof(c->extra); v++) {
        if (*v == '\'')
            c->extra[used++] = '\'';
        c->extra[used++] = *v == '\n' ? ' ' : *v;
    }
    if (used + 2 <= sizeof(c->extra))
        memcpy(c->extra + used, "'", 2);
}

static void gp_num(FILE *m, const char *name, double v)
{
    fprintf(m, "; %s = %.9g", name, isfinite(v) ? v : 0);
}

static void gp_str(FILE *m, const char *name, const char *v)
{
    fprintf(m, "; %s = ", name);
    plot_gp_string(m, v);
}

/* "; array NAME[n] = [...]" over the panels (or the foot lines). */
static void gp_array(FILE *m, const char *name, const struct spec *c,
                     int n, void (*cell)(FILE *, const struct spec *, int))
{
    fprintf(m, "; array %s[%d] = [", name, n > 0 ? n : 1);
    for (int k = 0; k < n; k++) {
        fputs(k ? ", " : "", m);
        cell(m, c, k);
    }
    fputs(n > 0 ? "]" : "'']", m);
}

static void cell_file(FILE *m, const struct spec *c, int k)
{
    plot_gp_string(m, c->p[k].file);
}

static void cell_fit(FILE *m, const struct spec *c, int k)
{
    plot_gp_string(m, c->p[k].fit);
}

static void cell_title(FILE *m, const struct spec *c, int k)
{
    plot_gp_string(m, c->p[k].title);
}

static void cell_n(FILE *m, const struct spec *c, int k)
{
    fprintf(m, "%zu", c->p[k].n);
}

/* The panel's y label, saying so when its axis is logarithmic. */
static void cell_ylabel(FILE *m, const struct spec *c, int k)
{
    const char *label = c->p[k].ylabel[0] ? c->p[k].ylabel : c->ylabel;
    char buf[232];

    snprintf(buf, sizeof(buf), "%s%s", label, c->p[k].y.is_log &&
             !strstr(label, "log") ? " (log scale)" : "");
    plot_gp_string(m, buf);
}

static void cell_noisy(FILE *m, const struct spec *c, int k)
{
    fprintf(m, "%d", c->p[k].has_noisy);
}

static void cell_style(FILE *m, const struct spec *c, int k)
{
    fputc('\'', m);
    for (size_t i = 0; i < c->p[k].n; i++)
        fprintf(m, i ? " %d" : "%d", c->p[k].style[i]);
    fputc('\'', m);
}

static void cell_ylo(FILE *m, const struct spec *c, int k)
{
    fprintf(m, "%.9g", c->p[k].y.lo);
}

static void cell_yhi(FILE *m, const struct spec *c, int k)
{
    fprintf(m, "%.9g", c->p[k].y.hi);
}

static void cell_ylog(FILE *m, const struct spec *c, int k)
{
    fprintf(m, "%d", c->p[k].y.is_log);
}

static void cell_ytics(FILE *m, const struct spec *c, int k)
{
    char buf[600];

    plot_gp_string(m, c->p[k].y.nticks ? chart_ticks_gp(&c->p[k].y, buf,
                   sizeof(buf)) : "");
}

static void cell_foot(FILE *m, const struct spec *c, int k)
{
    plot_gp_string(m, c->foot[k]);
}

static void cell_keykind(FILE *m, const struct spec *c, int k)
{
    fprintf(m, "%d", (int)c->key[k].kind);
}

static void cell_keylt(FILE *m, const struct spec *c, int k)
{
    fprintf(m, "%d", c->key[k].lt);
}

static void cell_keylabel(FILE *m, const struct spec *c, int k)
{
    plot_gp_string(m, c->key[k].label);
}

/* Where the panels end and the key column starts (screen fraction): the
 * column is as wide as gnuplot makes the key, (longest label + 6) times
 * its character width (about 0.66 em), and a margin. */
static double keyx_of(const struct plot *pl, const struct spec *c)
{
    size_t longest = 0;

    for (int k = 0; k < c->nkey; k++) {
        size_t n = report_utf8_width(c->key[k].label);
        longest = n > longest ? n : longest;
    }
    return c->nkey ? 1 - (0.66 * (double)longest + 5.5) * pl->look.font_px /
                     pl->look.width_px : 1;
}

/* The one key, in a column right of the panels. */
static void gp_key(FILE *m, const struct plot *pl, const struct spec *c)
{
    fprintf(m, "; nkey = %d", c->nkey);
    gp_num(m, "keyx", keyx_of(pl, c));
    gp_array(m, "keykind", c, c->nkey, cell_keykind);
    gp_array(m, "keylt", c, c->nkey, cell_keylt);
    gp_array(m, "keylabel", c, c->nkey, cell_keylabel);
}

/* Where the panels go: a title block on top, the notes at the bottom. */
static void gp_layout(FILE *m, const struct plot *pl, const struct spec *c)
{
    double em = pl->look.font_px / pl->look.height_px;
    int cols = c->cols ? c->cols : c->np <= 3 ? c->np : c->np == 4 ? 2 : 3;

    int rows = (c->np + cols - 1) / cols;

    fprintf(m, "; npanels = %d; cols = %d; rows = %d", c->np, cols, rows);
    gp_num(m, "ptop", 1 - 3.0 * em);
    gp_num(m, "plineh", 1.25 * em);
    gp_num(m, "pbottom", c->nfoot ? c->nfoot * 1.25 * em + 0.5 * em : 0.01);
    fprintf(m, "; nfoot = %d", c->nfoot);
    gp_array(m, "foot", c, c->nfoot, cell_foot);
}

/* Per panel: its data, title, line styles and y axis. */
static void gp_panels(FILE *m, const struct spec *c)
{
    gp_array(m, "pfile", c, c->np, cell_file);
    gp_array(m, "pfit", c, c->np, cell_fit);
    gp_array(m, "ptitle", c, c->np, cell_title);
    gp_array(m, "pn", c, c->np, cell_n);
    gp_array(m, "pstyle", c, c->np, cell_style);
    gp_array(m, "pnoisy", c, c->np, cell_noisy);
    gp_array(m, "ylo", c, c->np, cell_ylo);
    gp_array(m, "yhi", c, c->np, cell_yhi);
    gp_array(m, "ylog", c, c->np, cell_ylog);
    gp_array(m, "ytics", c, c->np, cell_ytics);
    gp_array(m, "pylabel", c, c->np, cell_ylabel);
}

/* Is tic i of n among k labelled ones, spread evenly from the first to
 * the last? */
static bool is_labelled(int i, int n, int k)
{
    if (k >= n)
        return true;
    for (int j = 0; j < k; j++)
        if (i == (int)lround((double)j * (n - 1) / (k > 1 ? k - 1 : 1)))
            return true;
    return false;
}

/* About how wide s is, in em (DejaVu Sans: digits and capitals wide,
 * i, l, t and spaces narrow). */
static double text_em(const char *s, size_t n)
{
    double em = 0;

    for (size_t i = 0; i < n && s[i]; i++)
        em += strchr(" .,:;ilt'()/-", s[i]) ? 0.33 :
              (s[i] >= 'A' && s[i] <= 'Z') || strchr("0123456789mw", s[i])
              ? 0.68 : 0.6;
    return em;
}

/* The x tics as a gnuplot list; when all the labels would not fit across
 * a panel, as many as fit are labelled, the first and the last among
 * them, and the others stay as small tics. */
static const char *xtic_list(const struct plot *pl, const struct spec *c,
                             char *buf, size_t len)
{
    double em = pl->look.font_px, widest = 1, plot_w;
    int cols = c->cols ? c->cols : c->np <= 3 ? c->np : c->np == 4 ? 2 : 3;
    size_t used = 0;
    int fit;

    for (int i = 0; i < c->nxt; i++) {
        const char *l = c->xt_label[i];
        const char *nl = strstr(l, "\\n");   /* a two-line label */
        widest = fmax(widest, text_em(l, nl ? (size_t)(nl - l) : strlen(l)));
        if (nl)
            widest = fmax(widest, text_em(nl + 2, strlen(nl + 2)));
    }
    /* the panel less its y tics and label; labels may overhang its ends */
    plot_w = pl->look.width_px * keyx_of(pl, c) / (cols ? cols : 1) - 5 * em;
    fit = (int)(plot_w / ((widest + 1) * em)) + 1;
    fit = fit < 2 ? 2 : fit;
    for (int i = 0; i < c->nxt && used + 64 < len; i++) {
        bool is_on = is_labelled(i, c->nxt, fit);
        used += (size_t)snprintf(buf + used, len - used, "%s\"%s\" %.9g%s",
                                 used ? ", " : "(", is_on ? c->xt_label[i] :
                                 "", c->xt[i], is_on ? "" : " 1");
    }
    snprintf(buf + used, len - used, ")");
    return buf;
}

/* Ticks on the linear axes, as many as the panels have room for: a label
 * about 5 characters wide across, 1.6 lines high down. */
static void linear_tics(const struct plot *pl, struct spec *c)
{
    double em = pl->look.font_px;
    int cols = c->cols ? c->cols : c->np <= 3 ? c->np : c->np == 4 ? 2 : 3;
    int rows = (c->np + cols - 1) / cols;
    double w = pl->look.width_px * keyx_of(pl, c) / (cols ? cols : 1);
    double h = pl->look.height_px * 0.78 / (rows ? rows : 1);

    if (!c->nxt && !c->x.nticks)
        chart_linear_ticks(&c->x, (int)((w - 6 * em) / (4.5 * em)));
    for (int k = 0; k < c->np; k++)
        if (!c->p[k].y.nticks)
            chart_linear_ticks(&c->p[k].y, (int)((h - 6 * em) / (1.6 * em)));
}

/* The variables of c for gnuplot -e; the chart joins the queue. 0 or -1. */
static int queue(struct plot *pl, struct spec *c)
{
    struct plot_chart *q = &pl->charts[pl->ncharts];
    char tics[4096];
    size_t len;
    FILE *m;

    if (pl->ncharts == PLOT_MAX_CHARTS)
        return 0;
    linear_tics(pl, c);
    for (int k = 0; k < c->np && c->np > 1; k++)
        if (!c->p[k].title[0])      /* beside "wrong answer: ..." */
            snprintf(c->p[k].title, sizeof(c->p[k].title), "right answer");
    memset(q, 0, sizeof(*q));
    if (!(m = open_memstream(&q->vars, &len)))
        return -1;
    fprintf(m, "ctitle = ");
    plot_gp_string(m, c->title);
    gp_str(m, "csubtitle", c->subtitle);
    gp_str(m, "cxlabel", c->xlabel);
    gp_num(m, "xlo", c->x.lo);
    gp_num(m, "xhi", c->x.hi);
    fprintf(m, "; xlog = %d", c->x.is_log);
    gp_str(m, "xtics", c->nxt ? xtic_list(pl, c, tics, sizeof(tics)) :
           c->x.nticks ? chart_ticks_gp(&c->x, tics, sizeof(tics)) : "");
    gp_layout(m, pl, c);
    gp_key(m, pl, c);
    gp_panels(m, c);
    fprintf(m, "%s", c->extra);
    if (fclose(m) != 0 || !(q->caption = strdup(c->caption + 1))) {
        free(q->vars);
        return -1;
    }
    q->script = c->script;
    q->topic = c->topic;
    snprintf(q->name, sizeof(q->name), "%s", c->name);
    pl->ncharts++;
    return 0;
}

/* A new chart of the given kind for topic: "speedup-race". */
static struct spec *spec_new(const struct plot *pl, const char *kind,
                             const char *topic, const char *script)
{
    struct spec *c = calloc(1, sizeof(*c));
    char name[64];

    if (!c)
        return NULL;
    c->script = script;
    c->topic = topic;
    snprintf(c->name, sizeof(c->name), "%s-%s", kind,
             file_part(topic, name, sizeof(name)));
    c->width = (int)(pl->look.width_px / (0.6 * pl->look.font_px));
    return c;
}

/* ---- speedup and efficiency charts ------------------------------------ */

static void ratio_notes(const struct plot *pl, struct spec *c,
                        enum ratio what, int maxw, bool has_ref);

/* Title, labels and the caption's lead of a speedup/efficiency chart. */
static void ratio_text(const struct plot *pl, struct spec *c,
                       enum ratio what, int maxw, bool has_ref)
{
    bool is_s = what == SPEEDUP;

    snprintf(c->title, sizeof(c->title), "%s: %s vs workers", c->topic,
             is_s ? "speedup" : "efficiency");
    subtitle(pl, c->topic, c, "bars: slowest to fastest");
    snprintf(c->ylabel, sizeof(c->ylabel), is_s ? "speedup: time on 1 / "
             "on n" : "efficiency: speedup / workers, %%");
    if (is_s)
        say(c, "How many times faster each %s kernel ran on n workers than "
            "on 1 (medians of the reps; bars from the slowest to the "
            "fastest pairing of the reps). The black line is the ideal, "
            "speedup = workers.", c->topic);
    else
        say(c, "Speedup divided by workers for each %s kernel: 100 %% "
            "means every worker was fully used.", c->topic);
    ratio_notes(pl, c, what, maxw, has_ref);
}

/* Why series of the chart have no fit, or NULL when none lacks one for
 * want of worker counts within the CPUs. */
static const char *why_no_fit(const struct plot *pl, const struct spec *c,
                              char *buf, size_t len)
{
    for (int k = 0; k < c->np; k++)
        for (size_t i = 0; i < c->p[k].n; i++) {
            const struct amdahl_fit *f = &c->p[k].s[i]->fit;
            if (f->is_valid || f->npoints >= METRICS_FIT_MIN_POINTS)
                continue;
            if (pl->cpus < METRICS_FIT_MIN_POINTS)
                snprintf(buf, len, "%d CPU%s are too few to estimate "
                         "Amdahl's p (a fit needs %d worker counts at or "
                         "below the CPUs)", pl->cpus, pl->cpus == 1 ? "" :
                         "s", METRICS_FIT_MIN_POINTS);
            else
                snprintf(buf, len, "only %d worker count%s at or below "
                         "the %d CPUs (a fit needs %d)", f->npoints,
                         f->npoints == 1 ? "" : "s", pl->cpus,
                         METRICS_FIT_MIN_POINTS);
            return buf;
        }
    return NULL;
}

/* "sort-fork 0.950, sum-fork 0.812": the fitted p of the chart's series. */
static void fitted_ps(const struct spec *c, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int k = 0; k < c->np; k++)
        for (size_t i = 0; i < c->p[k].n && used + 1 < len; i++)
            if (c->p[k].s[i]->fit.is_valid)
                used += (size_t)snprintf(buf + used, len - used, "%s%s "
                                         "%.3f", used ? ", " : "",
                                         c->p[k].s[i]->kernel,
                                         c->p[k].s[i]->fit.p);
}

/* The key entries, notes and caption of a speedup or efficiency chart. */
static void ratio_notes(const struct plot *pl, struct spec *c,
                        enum ratio what, int maxw, bool has_ref)
{
    char buf[600];
    bool has_noisy = false;

    key_series(c, KEY_SERIES);
    key_add(c, KEY_IDEAL, 0, what == SPEEDUP ? "ideal" : "100 %");
    fitted_ps(c, buf, sizeof(buf));
    if (what == SPEEDUP && buf[0]) {
        key_add(c, KEY_FIT, 0, "Amdahl fit");
        foot(c, "Amdahl p (fitted on 1..%d workers): %s.", maxw < pl->cpus ?
             maxw : pl->cpus, buf);
        say(c, "A fit is never drawn past the CPUs, where the workers "
            "measure turn-taking, not the program.");
    }
    if (what == SPEEDUP && why_no_fit(pl, c, buf, sizeof(buf))) {
        if (has_ref)
            key_add(c, KEY_REF, 0, "p = .5, .9, .99");
        under(c, pl->cpus < METRICS_FIT_MIN_POINTS ? "No Amdahl fit: too "
              "few CPUs to estimate p." : "No Amdahl fit: too few worker "
              "counts.");
        say(c, "No Amdahl fit: %s.%s", buf, has_ref ? " The grey dotted "
            "curves are Amdahl's law for p = 0.5, 0.9 and 0.99, to compare "
            "with." : "");
    }
    for (int k = 0; k < c->np; k++)
        has_noisy |= c->p[k].has_noisy;
    if (has_noisy) {
        key_add(c, KEY_RING, 0, "noisy 1-worker");
        say(c, "A ring marks a point whose 1-worker time spread more than "
            "%.0f %% over the reps: every ratio to it is uncertain.",
            METRICS_NOISY_SPREAD * 100);
    }
    if (maxw > pl->cpus) {
        snprintf(buf, sizeof(buf), "> %d CPU%s", pl->cpus,
                 pl->cpus == 1 ? "" : "s");
        key_add(c, KEY_SHADE, 0, buf);
        say(c, "In the grey band there are more workers than CPUs: they "
            "only take turns.");
    }
    left_out(pl, c->topic, buf, sizeof(buf));
    if (buf[0])
        foot(c, "Not drawn: %s.", buf);
}

/* speedup-TOPIC or efficiency-TOPIC. Returns 0 or -1. */
static int ratio_chart(struct plot *pl, const char *topic, enum ratio what)
{
    struct spec *c = spec_new(pl, what == SPEEDUP ? "speedup" : "efficiency",
                              topic, what == SPEEDUP ? "speedup.gp" :
                              "efficiency.gp");
    struct chart_extent ye = CHART_EXTENT_NONE;
    char ref[4200] = "";
    int rc = -1, maxw;

    if (!c)
        return -1;
    group_series(pl, topic, PICK_RATIO, c);
    if (c->np == 0) {
        free(c);
        return 0;               /* nothing with a speedup to draw */
    }
    maxw = workers_axis(pl, topic, c);
    for (int k = 0; k < c->np; k++)
        if (write_ratio_panel(pl, c, k, what, &ye) < 0 ||
            (what == SPEEDUP && write_fit_panel(pl, c, k, maxw, &ye) < 0))
            goto out;
    char why[400];
    if (what == SPEEDUP && why_no_fit(pl, c, why, sizeof(why)) &&
        write_reference(pl, c, maxw, ref, sizeof(ref)) < 0)
        goto out;
    chart_extent_add(&ye, what == SPEEDUP ? (maxw < pl->cpus ? maxw :
                     pl->cpus) : 100);
    struct chart_axis y = chart_axis_of(&ye, CHART_ZERO);
    for (int k = 0; k < c->np; k++)
        c->p[k].y = y;
    ratio_text(pl, c, what, maxw, ref[0] != '\0');
    extra(c, "; cpus = %d; shade = %d", pl->cpus, maxw > pl->cpus);
    extra_str(c, "ref", ref);
    rc = queue(pl, c);
out:
    free(c);
    return rc;
}

/* ---- the two laws (scaling): Amdahl and Gustafson ---------------------- */

/* The serial fraction a scaling kernel was run with, from its name:
 * "serial-10" (the fixed job, strong scaling) or "weak-10" (the growing
 * job, weak scaling) is 10 %. Returns false for any other name. */
static bool scaling_kernel_fraction(const char *kernel, bool *is_weak,
                                    double *f)
{
    const char *pct = NULL;
    char *end;

    if (!strncmp(kernel, "serial-", 7))
        pct = kernel + 7, *is_weak = false;
    else if (!strncmp(kernel, "weak-", 5))
        pct = kernel + 5, *is_weak = true;
    if (!pct || *pct < '0' || *pct > '9')
        return false;
    *f = strtod(pct, &end) / 100;
    return !*end && *f >= 0 && *f <= 1;
}

/* The law for a series of the laws chart at w workers: Amdahl's
 * speedup (strong) or Gustafson's scaled speedup (weak). */
static double law_of(const struct metrics_series *s, double w)
{
    bool is_weak = false;
    double f = 0;

    scaling_kernel_fraction(s->kernel, &is_weak, &f);
    return is_weak ? law_gustafson(f, w) : law_amdahl(f, w);
}

/* The measured ratio drawn: the speedup, or for a growing job the scaled
 * speedup (its work on w workers against the 1-worker job's, times the
 * speedup of the time). */
static double measured_of(const struct metrics_series *s, double speedup,
                          int w)
{
    bool is_weak = false;
    double f = 0;

    scaling_kernel_fraction(s->kernel, &is_weak, &f);
    return is_weak ? speedup * (f + (1 - f) * w) : speedup;
}

/* Panel k's file: per series, workers, the measured (scaled) speedup,
 * its low and high, 1 where the baseline was noisy. */
static int write_laws_panel(const struct plot *pl, struct spec *c, int k,
                            struct chart_extent *ye)
{
    struct panel *p = &c->p[k];
    struct outfile o;
    FILE *f = open_panel(pl, c, k, "measured (scaled) speedup vs workers",
                         "x=1 y=2,3,4", p->file, sizeof(p->file), &o);

    if (!f)
        return -1;
    fputs("# workers speedup low high noisy_baseline\n", f);
    for (size_t i = 0; i < p->n; i++) {
        const struct metrics_series *s = p->s[i];
        fputs(i ? "\n\n" : "", f);
        dat_string(f, s->kernel);
        fputc('\n', f);
        p->has_noisy |= s->is_noisy_base;
        for (size_t j = 0; j < s->npts; j++) {
            const struct metrics_point *pt = &s->pts[j];
            double v[3] = { measured_of(s, pt->speedup, pt->workers),
                            measured_of(s, pt->speedup_lo, pt->workers),
                            measured_of(s, pt->speedup_hi, pt->workers) };
            fprintf(f, "%d\t", pt->workers);
            dat_three(f, v, ye);
            fprintf(f, "%d\n", s->is_noisy_base);
        }
    }
    return plot_close_data(&o, p->file, false);
}

/* Panel k's law curves, one per series in its colour, on 1..the CPUs
 * (never past them); none when fewer than 2 workers fit. 0 or -1. */
static int write_laws_curves(const struct plot *pl, struct spec *c, int k,
                             int maxw, struct chart_extent *ye)
{
    struct panel *p = &c->p[k];
    int upto = maxw < pl->cpus ? maxw : pl->cpus;
    struct outfile o;
    char file[200];
    FILE *f;

    p->fit[0] = '\0';
    if (upto < 2)
        return 0;
    snprintf(file, sizeof(file), "law-%s-%d.dat", c->name, k + 1);
    if (!(f = plot_open_data(pl, file, &o, p->fit, sizeof(p->fit))))
        return -1;
    fprintf(f, "# %s: the law for each kernel's set serial fraction, on "
            "1..%d workers (the CPUs)\n# axes: x=1 y=2\n# workers speedup "
            "style\n", c->name, upto);
    for (size_t i = 0; i < p->n; i++) {
        fputs(i ? "\n" : "", f);
        for (int j = 0; j <= FIT_SAMPLES; j++) {
            double w = 1 + (upto - 1) * (double)j / FIT_SAMPLES;
            double y = law_of(p->s[i], w);
            fprintf(f, "%.6g\t%.6g\t%d\n", w, y, p->style[i]);
            chart_extent_add(ye, y);
        }
    }
    return plot_close_data(&o, p->fit, false);
}

/* Puts the scaling kernels with a set fraction in two panels: the fixed
 * job (Amdahl), then the growing one (Gustafson). */
static void group_laws(const struct plot *pl, const char *topic,
                       struct spec *c)
{
    static const char *const titles[2] = {
        "strong: fixed job (Amdahl)",
        "weak: growing job (Gustafson)",
    };

    memset(c->p, 0, 2 * sizeof(c->p[0]));
    for (size_t i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        bool is_weak;
        double f;
        if (!is_topic(s, topic) || !is_picked(s, PICK_RATIO) ||
            !scaling_kernel_fraction(s->kernel, &is_weak, &f))
            continue;
        struct panel *p = &c->p[is_weak];
        if (p->n == GROUP_MAX)
            continue;
        p->style[p->n] = colour_of(c, s);
        p->s[p->n++] = s;
    }
    for (int k = 0; k < 2; k++)
        snprintf(c->p[k].title, sizeof(c->p[k].title), "%s", titles[k]);
    if (!c->p[0].n) {                   /* weak kernels only */
        c->p[0] = c->p[1];
        c->p[1].n = 0;
    }
    c->np = (c->p[0].n > 0) + (c->p[1].n > 0);
}

/* Title, key, notes and caption of the laws chart. */
static void laws_text(const struct plot *pl, struct spec *c, int maxw)
{
    char buf[64];
    bool has_noisy = c->p[0].has_noisy || c->p[1].has_noisy;

    snprintf(c->title, sizeof(c->title), "%s: measured speedup beside "
             "Amdahl's and Gustafson's laws", c->topic);
    subtitle(pl, c->topic, c, "bars: slowest to fastest");
    snprintf(c->ylabel, sizeof(c->ylabel), "speedup (weak: scaled)");
    say(c, "Each kernel runs a job with the serial fraction in its name "
        "(serial-10: 10 %%). Strong scaling keeps the job fixed: its "
        "speedup is drawn beside Amdahl's law for that fraction. Weak "
        "scaling gives every worker the 1-worker job's parallel work: its "
        "scaled speedup (work done against the 1-worker job, per unit of "
        "time) is drawn beside Gustafson's law.");
    key_series(c, KEY_SERIES);
    key_add(c, KEY_IDEAL, 0, "ideal");
    if (c->p[0].fit[0] || c->p[1].fit[0]) {
        key_add(c, KEY_FIT, 0, "law for the set F");
        say(c, "The dotted curves are the laws for each kernel's set "
            "fraction, drawn up to the %d CPUs and never past them.",
            pl->cpus);
    } else {
        under(c, pl->cpus < 2 ? "No law curves: on one CPU only one "
              "worker can be measured." : "No law curves: the sweep ran "
              "one worker count only.");
    }
    if (has_noisy) {
        key_add(c, KEY_RING, 0, "noisy 1-worker");
        say(c, "A ring marks a point whose 1-worker time was noisy.");
    }
    if (maxw > pl->cpus) {
        snprintf(buf, sizeof(buf), "> %d CPU%s", pl->cpus,
                 pl->cpus == 1 ? "" : "s");
        key_add(c, KEY_SHADE, 0, buf);
        say(c, "In the grey band there are more workers than CPUs: they "
            "only take turns.");
    }
}

/* laws-TOPIC for scaling's serial-F and weak-F kernels. 0 or -1. */
static int laws_chart(struct plot *pl, const char *topic)
{
    struct spec *c = spec_new(pl, "laws", topic, "speedup.gp");
    struct chart_extent ye = CHART_EXTENT_NONE;
    int rc = -1, maxw;

    if (!c)
        return -1;
    group_laws(pl, topic, c);
    if (c->np == 0) {
        free(c);
        return 0;
    }
    maxw = workers_axis(pl, topic, c);
    for (int k = 0; k < c->np; k++)
        if (write_laws_panel(pl, c, k, &ye) < 0 ||
            write_laws_curves(pl, c, k, maxw, &ye) < 0)
            goto out;
    chart_extent_add(&ye, 0);
    chart_extent_add(&ye, maxw < pl->cpus ? maxw : pl->cpus);
    struct chart_axis y = chart_axis_of(&ye, CHART_ZERO);
    for (int k = 0; k < c->np; k++)
        c->p[k].y = y;
    laws_text(pl, c, maxw);
    extra(c, "; cpus = %d; shade = %d", pl->cpus, maxw > pl->cpus);
    extra_str(c, "ref", "");
    rc = queue(pl, c);
out:
    free(c);
    return rc;
}

/* ---- the memory wall (memory): bandwidth and the roofline -------------- */

/* Is s one of STREAM's four kernels (its bytes and FLOPs known)? */
static bool is_stream(const struct metrics_series *s)
{
    double bytes, flops;

    return stream_kernel_costs(s->kernel, &bytes, &flops) &&
           strcmp(s->kernel, "compute");
}

/* GB/s of a run of series s that took secs (NaN when unknown). */
static double gbps_of(const struct metrics_series *s, double secs)
{
    double bytes = 0, flops = 0;

    stream_kernel_costs(s->kernel, &bytes, &flops);
    return secs > 0 ? bytes * (double)s->size / secs / 1e9 : NAN;
}

/* GFLOP/s of a run of series s that took secs (NaN when unknown). */
static double gflops_of(const struct metrics_series *s, double secs)
{
    double bytes = 0, flops = 0;

    stream_kernel_costs(s->kernel, &bytes, &flops);
    return secs > 0 ? flops * (double)s->size / secs / 1e9 : NAN;
}

/* The panel's file: per STREAM kernel, rows of threads, GB/s of the
 * median time, of the slowest rep and of the fastest, and 1 (right). */
static int write_bandwidth_panel(const struct plot *pl, struct spec *c,
                                 struct chart_extent *ye)
{
    struct panel *p = &c->p[0];
    struct outfile o;
    FILE *f = open_panel(pl, c, 0, "bandwidth (GB/s) vs threads",
                         "x=1 y=2,3,4", p->file, sizeof(p->file), &o);

    if (!f)
        return -1;
    fputs("# threads gb_per_s slowest fastest answer_ok\n", f);
    for (size_t i = 0; i < p->n; i++) {
        const struct metrics_series *s = p->s[i];
        fputs(i ? "\n\n" : "", f);
        dat_string(f, s->kernel);
        fputc('\n', f);
        for (size_t j = 0; j < s->npts; j++) {
            const struct stats *t = &s->pts[j].secs;
            double v[3] = { gbps_of(s, t->median), gbps_of(s, t->max),
                            gbps_of(s, t->min) };
            fprintf(f, "%d\t", s->pts[j].workers);
            dat_three(f, v, ye);
            fprintf(f, "%d\n", s->pts[j].is_ok);
        }
    }
    return plot_close_data(&o, p->file, false);
}

/* bandwidth-TOPIC: GB/s of each STREAM kernel by threads. 0 or -1. */
static int bandwidth_chart(struct plot *pl, const char *topic)
{
    struct spec *c = spec_new(pl, "bandwidth", topic, "time.gp");
    struct chart_extent ye = CHART_EXTENT_NONE;
    struct panel *p;
    char buf[64];
    int rc = -1, maxw;

    if (!c)
        return -1;
    p = &c->p[0];
    for (size_t i = 0; i < pl->nseries && p->n < GROUP_MAX; i++)
        if (is_topic(&pl->series[i], topic) && pl->series[i].is_ok &&
            is_stream(&pl->series[i])) {
            p->style[p->n] = colour_of(c, &pl->series[i]);
            p->s[p->n++] = &pl->series[i];
        }
    if (!(c->np = p->n > 0)) {
        free(c);
        return 0;
    }
    maxw = workers_axis(pl, topic, c);
    snprintf(c->xlabel, sizeof(c->xlabel), "threads");
    if (write_bandwidth_panel(pl, c, &ye) < 0)
        goto out;
    chart_extent_add(&ye, 0);
    p->y = chart_axis_of(&ye, CHART_ZERO);
    snprintf(c->title, sizeof(c->title), "%s: STREAM bandwidth vs threads",
             topic);
    subtitle(pl, topic, c, "bars: slowest to fastest");
    snprintf(c->ylabel, sizeof(c->ylabel), "bandwidth, GB/s (10^9 B/s)");
    say(c, "The bytes each STREAM kernel moved per second (copy and scale "
        "move 16 bytes an element, add and triad 24), by threads: medians "
        "of the reps, bars from the slowest to the fastest.");
    key_series(c, KEY_SERIES);
    if (maxw > pl->cpus) {
        snprintf(buf, sizeof(buf), "> %d CPU%s", pl->cpus,
                 pl->cpus == 1 ? "" : "s");
        key_add(c, KEY_SHADE, 0, buf);
        say(c, "In the grey band there are more threads than CPUs.");
    }
    extra(c, "; cpus = %d; shade = %d", pl->cpus, maxw > pl->cpus);
    rc = queue(pl, c);
out:
    free(c);
    return rc;
}

/* The point of s drawn on the roofline: the fastest median at or below
 * the CPUs (NULL: none). */
static const struct metrics_point *roof_point(const struct plot *pl,
                                              const struct metrics_series *s)
{
    const struct metrics_point *best = NULL;

    for (size_t j = 0; j < s->npts; j++)
        if (s->pts[j].workers <= pl->cpus && s->pts[j].is_ok &&
            s->pts[j].secs.median > 0 &&
            (!best || s->pts[j].secs.median < best->secs.median))
            best = &s->pts[j];
    return best;
}

/* The roof: the best STREAM bandwidth (GB/s) and the compute kernel's
 * best GFLOP/s, both at or below the CPUs (NaN when not measured). */
static void roof_of(const struct plot *pl, const char *topic, double *gbps,
                    double *gflops, int *bw_threads, int *fl_threads)
{
    *gbps = *gflops = NAN;
    for (size_t i = 0; i < pl->nseries; i++) {
        const struct metrics_series *s = &pl->series[i];
        const struct metrics_point *pt = is_topic(s, topic) && s->is_ok ?
                                         roof_point(pl, s) : NULL;
        if (!pt)
            continue;
        double bw = gbps_of(s, pt->secs.median);
        double fl = gflops_of(s, pt->secs.median);
        if (is_stream(s) && !(bw <= *gbps))
            *gbps = bw, *bw_threads = pt->workers;
        if (!strcmp(s->kernel, "compute") && !(fl <= *gflops))
            *gflops = fl, *fl_threads = pt->workers;
    }
}

/* The points: per kernel that does FLOPs, its FLOP/byte, GFLOP/s of
 * the median, the slowest and the fastest rep at its roof_point. */
static int write_roofline_points(const struct plot *pl, struct spec *c,
                                 struct chart_extent *xe,
                                 struct chart_extent *ye)
{
    struct panel *p = &c->p[0];
    struct outfile o;
    FILE *f = open_panel(pl, c, 0, "GFLOP/s vs FLOP/byte", "x=1 y=2,3,4",
                         p->file, sizeof(p->file), &o);

    if (!f)
        return -1;
    fputs("# flop_per_byte gflop_per_s slowest fastest threads\n", f);
    for (size_t i = 0; i < p->n; i++) {
        const struct metrics_series *s = p->s[i];
        const struct metrics_point *pt = roof_point(pl, s);
        double bytes = 0, flops = 0;
        stream_kernel_costs(s->kernel, &bytes, &flops);
        fputs(i ? "\n\n" : "", f);
        dat_string(f, s->kernel);
        fprintf(f, "\n%.6g\t", flops / bytes);
        chart_extent_add(xe, flops / bytes);
        double v[3] = { gflops_of(s, pt->secs.median),
                        gflops_of(s, pt->secs.max),
                        gflops_of(s, pt->secs.min) };
        dat_three(f, v, ye);
        fprintf(f, "%d\n", pt->workers);
    }
    return plot_close_data(&o, p->file, false);
}

/* The roof as one curve over the x axis: min(peak, FLOP/byte x GB/s). */
static int write_roof(const struct plot *pl, struct spec *c, double gbps,
                      double gflops, struct chart_extent *ye)
{
    struct panel *p = &c->p[0];
    struct outfile o;
    char file[200];
    FILE *f;

    snprintf(file, sizeof(file), "roof-%s.dat", c->name);
    if (!(f = plot_open_data(pl, file, &o, p->fit, sizeof(p->fit))))
        return -1;
    fprintf(f, "# %s: the measured roof, min(%.6g GFLOP/s, FLOP/byte x "
            "%.6g GB/s)\n# axes: x=1 y=2\n# flop_per_byte gflop_per_s\n",
            c->name, gflops, gbps);
    for (int j = 0; j <= FIT_SAMPLES; j++) {
        double x = c->x.lo * pow(c->x.hi / c->x.lo, (double)j / FIT_SAMPLES);
        double y = fmin(gflops, x * gbps);
        fprintf(f, "%.6g\t%.6g\n", x, y);
        chart_extent_add(ye, y);
    }
    return plot_close_data(&o, p->fit, false);
}

/* Title, key, notes and caption of the roofline. */
static void roofline_text(const struct plot *pl, struct spec *c,
                          double gbps, double gflops, int bw_t, int fl_t)
{
    char a[32], b[32], r[32];

    snprintf(c->title, sizeof(c->title), "%s: roofline, GFLOP/s vs "
             "arithmetic intensity", c->topic);
    subtitle(pl, c->topic, c, "bars: slowest to fastest");
    snprintf(c->xlabel, sizeof(c->xlabel), "arithmetic intensity, FLOP "
             "per byte moved");
    snprintf(c->ylabel, sizeof(c->ylabel), "GFLOP/s");
    key_series(c, KEY_SERIES);
    key_add(c, KEY_IDEAL, 0, "measured roof");
    say(c, "Each kernel at its best thread count within the %d CPUs: its "
        "FLOPs per byte moved (x) and the GFLOP/s it reached (y). The roof "
        "is what this machine allowed here: the best STREAM bandwidth "
        "times the intensity, up to the compute kernel's GFLOP/s.",
        pl->cpus);
    foot(c, "Roof: %s GB/s (STREAM, %d thread%s), %s GFLOP/s (compute, %d "
         "thread%s); they meet at %s FLOP/byte.",
         report_sig3(gbps, a, sizeof(a)), bw_t, bw_t == 1 ? "" : "s",
         report_sig3(gflops, b, sizeof(b)), fl_t, fl_t == 1 ? "" : "s",
         report_sig3(gflops / gbps, r, sizeof(r)));
    say(c, "copy does no FLOPs, so it has no point on a log axis.");
}

/* roofline-TOPIC: the kernels' GFLOP/s against their FLOP/byte, under
 * the roof of the measured bandwidth and compute rate. 0 or -1. */
static int roofline_chart(struct plot *pl, const char *topic)
{
    struct spec *c = spec_new(pl, "roofline", topic, "roofline.gp");
    struct chart_extent xe = CHART_EXTENT_NONE, ye = CHART_EXTENT_NONE;
    double gbps, gflops, bytes, flops;
    int rc = -1, bw_t = 0, fl_t = 0;
    struct panel *p;

    if (!c)
        return -1;
    p = &c->p[0];
    roof_of(pl, topic, &gbps, &gflops, &bw_t, &fl_t);
    for (size_t i = 0; i < pl->nseries && p->n < GROUP_MAX; i++) {
        const struct metrics_series *s = &pl->series[i];
        if (is_topic(s, topic) && s->is_ok && roof_point(pl, s) &&
            stream_kernel_costs(s->kernel, &bytes, &flops) && flops > 0) {
            p->style[p->n] = colour_of(c, s);
            p->s[p->n++] = s;
        }
    }
    if (!p->n || !isfinite(gbps) || !isfinite(gflops)) {
        free(c);
        return 0;                   /* no roof measured: no chart */
    }
    c->np = 1;
    if (write_roofline_points(pl, c, &xe, &ye) < 0)
        goto out;
    chart_extent_add(&xe, gflops / gbps);       /* the ridge */
    chart_extent_add(&xe, 0.5 * (xe.min > 0 ? xe.min : 1));
    chart_extent_add(&xe, 2 * xe.max);
    c->x = chart_axis_of(&xe, CHART_LOG);
    if (write_roof(pl, c, gbps, gflops, &ye) < 0)
        goto out;
    p->y = chart_axis_of(&ye, CHART_LOG);
    roofline_text(pl, c, gbps, gflops, bw_t, fl_t);
    rc = queue(pl, c);
out:
    free(c);
    return rc;
}

/* ---- time vs workers -------------------------------------------------- */

/* The unit that shows a time of `mid` seconds as a number 1..999. */
static const char *time_unit(double mid, double *scale)
{
    static const struct { const char *name; double scale; } units[] = {
        { "s", 1 }, { "ms", 1e3 }, { "µs", 1e6 }, { "ns", 1e9 },
    };
    size_t i = 0;

    while (i + 1 < ARRAY_SIZE(units) && mid * units[i].scale < 1)
        i++;
    *scale = units[i].scale;
    return units[i].name;
}

/* One panel's file: per series, rows of workers, the median time, the
 * fastest and the slowest rep (in the chart's unit) and 1 when every
 * rep's answer was right. */
static int write_time_panel(const struct plot *pl, struct spec *c, int k,
                            double scale, struct chart_extent *ye)
{
    struct panel *p = &c->p[k];
    struct outfile o;
    FILE *f = open_panel(pl, c, k, "time per run vs workers",
                         "x=1 y=2,3,4", p->file, sizeof(p->file), &o);

    if (!f)
        return -1;
    fputs("# workers median fastest slowest answer_ok\n", f);
    for (size_t i = 0; i < p->n; i++) {
        const struct metrics_series *s = p->s[i];
        char title[200];
        snprintf(title, sizeof(title), s->is_serial ? "%s (serial)" :
                 s->is_ok ? "%s" : "%s: wrong answer", s->kernel);
        fputs(i ? "\n\n" : "", f);
        dat_string(f, title);
        fputc('\n', f);
        for (size_t j = 0; j < s->npts; j++) {
            const struct stats *t = &s->pts[j].secs;
            fprintf(f, "%d\t", s->pts[j].workers);
            dat_num(f, t->median * scale, "\t");
            dat_num(f, t->min * scale, "\t");
            dat_num(f, t->max * scale, "\t");
            fprintf(f, "%d\n", s->pts[j].is_ok);
            chart_extent_add(ye, t->min * scale);
            chart_extent_add(ye, t->max * scale);
        }
    }
    return plot_close_data(&o, p->file, false);
}

/* The middle of the chart's medians on a log scale, to pick the unit:
 * from 10 ms to 1 s it is 100 ms, so the axis reads 10..1000 ms. */
static double middle_time(const struct spec *c)
{
    double min = INFINITY, max = 0;

    for (int k = 0; k < c->np; k++)
        for (size_t i = 0; i < c->p[k].n; i++)
            for (size_t j = 0; j < c->p[k].s[i]->npts; j++) {
                double t = c->p[k].s[i]->pts[j].secs.median;
                min = t > 0 && t < min ? t : min;
                max = t > max ? t : max;
            }
    return max > 0 ? sqrt(min * max) : 1;
}

/* Title, labels, key, notes and caption of a time chart. */
static void time_text(const struct plot *pl, struct spec *c, int maxw,
                      const char *unit)
{
    bool has_serial = false, has_wrong = false;
    char buf[64];

    for (int k = 0; k < c->np; k++)
        for (size_t i = 0; i < c->p[k].n; i++) {
            has_serial |= c->p[k].s[i]->is_serial;
            has_wrong |= !c->p[k].s[i]->is_ok;
        }
    snprintf(c->title, sizeof(c->title), "%s: time per run vs workers",
             c->topic);
    subtitle(pl, c->topic, c, "bars: fastest to slowest");
    snprintf(c->ylabel, sizeof(c->ylabel), "time per run, %s", unit);
    say(c, "The time of one run of each %s kernel (median of the reps; "
        "bars from the fastest to the slowest), on a log scale so that "
        "fast and slow kernels can both be read.", c->topic);
    key_series(c, KEY_SERIES);
    if (maxw > pl->cpus) {
        snprintf(buf, sizeof(buf), "> %d CPU%s", pl->cpus,
                 pl->cpus == 1 ? "" : "s");
        key_add(c, KEY_SHADE, 0, buf);
        say(c, "In the grey band there are more workers than CPUs.");
    }
    if (has_serial)
        say(c, "Black and dashed: a serial kernel (one thread whatever the "
            "count), the time to beat.");
    if (has_wrong)
        say(c, "Grey, in a panel of their own: kernels that gave a wrong "
            "answer; their times are not results.");
}

/* time-TOPIC. Returns 0 or -1. */
static int time_chart(struct plot *pl, const char *topic)
{
    struct spec *c = spec_new(pl, "time", topic, "time.gp");
    struct chart_extent ye = CHART_EXTENT_NONE;
    double scale;
    int rc = -1, maxw;

    if (!c)
        return -1;
    group_series(pl, topic, PICK_TIME, c);
    group_wrong(pl, topic, c);
    if (c->np == 0) {
        free(c);
        return 0;
    }
    maxw = workers_axis(pl, topic, c);
    const char *unit = time_unit(middle_time(c), &scale);
    for (int k = 0; k < c->np; k++)
        if (write_time_panel(pl, c, k, scale, &ye) < 0)
            goto out;
    struct chart_axis y = chart_axis_of(&ye, CHART_LOG);
    for (int k = 0; k < c->np; k++)
        c->p[k].y = y;
    time_text(pl, c, maxw, unit);
    extra(c, "; cpus = %d; shade = %d", pl->cpus, maxw > pl->cpus);
    rc = queue(pl, c);
out:
    free(c);
    return rc;
}

/* ---- cost per operation, relative to shared memory (manager) ---------- */

/* Topics whose speedup would be the wrong chart: every kernel is slower
 * with more workers by design, and what there is to see is how much one
 * costs against the cheapest way (the reference kernel). */
/* The point of s at w workers, or NULL. */
static const struct metrics_point *point_at(const struct metrics_series *s,
                                            int w)
{
    for (size_t i = 0; i < s->npts; i++)
        if (s->pts[i].workers == w)
            return &s->pts[i];
    return NULL;
}

/* One block per kernel: a bar per worker count of the reference, at
 * x = group + offset, from 1 to time / reference's time; rows
 * x ratio low high bar_left bar_right label. */
static int write_cost(const struct plot *pl, struct spec *c,
                      const struct metrics_series *ref,
                      struct chart_extent *ye)
{
    struct panel *p = &c->p[0];
    double bw = 0.8 / (double)(p->n ? p->n : 1);
    struct outfile o;
    FILE *f = open_panel(pl, c, 0, "time per operation / the reference's",
                         "x=1 y=2,3,4", p->file, sizeof(p->file), &o);

    if (!f)
        return -1;
    fputs("# x ratio low high bar_left bar_right label\n", f);
    chart_extent_add(ye, 1);
    for (size_t i = 0; i < p->n; i++) {
        fputs(i ? "\n\n" : "", f);
        dat_string(f, p->s[i]->kernel);
        fputc('\n', f);
        for (size_t g = 0; g < ref->npts; g++) {
            const struct metrics_point *r = &ref->pts[g];
            const struct metrics_point *k = point_at(p->s[i], r->workers);
            double x = (double)g + bw * ((double)i - (p->n - 1) / 2.0);
            char ratio[32];
            if (!k || !(r->secs.median > 0))
                continue;
            double m = 1 / r->secs.median;
            fprintf(f, "%.6g\t", x);
            dat_num(f, k->secs.median * m, "\t");
            dat_num(f, k->secs.min * m, "\t");
            dat_num(f, k->secs.max * m, "\t");
            fprintf(f, "%.6g\t%.6g\t\"%sx\"\n", x - bw / 2, x + bw / 2,
                    report_sig3_round(k->secs.median * m, ratio,
                                      sizeof(ratio)));
            chart_extent_add(ye, k->secs.min * m);
            chart_extent_add(ye, k->secs.max * m * 2.5);  /* label room */
        }
    }
    return plot_close_data(&o, p->file, false);
}

/* x tics: "2\n(45.1 ns)", the reference's own time per operation under
 * each group of bars. */
static void cost_tics(const struct metrics_series *ref, struct spec *c)
{
    char t[32];

    for (size_t g = 0; g < ref->npts; g++) {
        double per = ref->pts[g].secs.median / (ref->size > 0 ? ref->size
                                                              : 1);
        double scale;
        const char *unit = time_unit(per, &scale);
        xtic(c, (double)g, "%d\\n(%s %s)", ref->pts[g].workers,
             report_sig3(per * scale, t, sizeof(t)), unit);
    }
    c->x = (struct chart_axis){ -0.6, ref->npts - 0.4, false, { 0 }, 0 };
}

/* The reference series of a cost chart (NULL: none), and the kernels of
 * the same size to set against it, in panel 0. */
static const struct metrics_series *cost_series(const struct plot *pl,
                                                const char *topic,
                                                struct spec *c)
{
    const char *name = metrics_cost_reference(topic);
    const struct metrics_series *ref = NULL;
    struct panel *p = &c->p[0];

    for (size_t i = 0; i < pl->nseries && !ref; i++)
        if (is_topic(&pl->series[i], topic) && pl->series[i].is_ok &&
            name && !strcmp(pl->series[i].kernel, name))
            ref = &pl->series[i];
    for (size_t i = 0; i < pl->nseries && ref; i++) {
        const struct metrics_series *s = &pl->series[i];
        if (is_topic(s, topic) && s->is_ok && s != ref &&
            s->size == ref->size && p->n < COLOURS) {
            p->style[p->n] = (int)p->n + 1;
            p->s[p->n++] = s;
        }
    }
    c->np = ref && p->n ? 1 : 0;
    return ref;
}

/* cost-TOPIC, for the topics metrics_cost_reference names. 0 or -1. */
static int cost_chart(struct plot *pl, const char *topic)
{
    struct spec *c = spec_new(pl, "cost", topic, "cost.gp");
    struct chart_extent ye = CHART_EXTENT_NONE;
    const struct metrics_series *ref;
    char buf[600];
    int rc = -1;

    if (!c)
        return -1;
    if (!(ref = cost_series(pl, topic, c))) {
        free(c);
        return 0;
    }
    if (write_cost(pl, c, ref, &ye) < 0)
        goto out;
    c->p[0].y = chart_axis_of(&ye, CHART_LOG);
    cost_tics(ref, c);
    snprintf(c->title, sizeof(c->title), "%s: cost per operation, "
             "relative to shared memory", topic);
    subtitle(pl, topic, c, "bars: fastest to slowest");
    snprintf(c->xlabel, sizeof(c->xlabel), "workers (and %s's time per "
             "operation)", ref->kernel);
    snprintf(c->ylabel, sizeof(c->ylabel), "time per operation / %s's "
             "(log scale)", ref->kernel);
    say(c, "Each bar is one %s kernel's time per operation divided by the "
        "%s kernel's at the same number of workers: how many times dearer "
        "than shared memory it was.", topic, ref->kernel);
    key_series(c, KEY_BAR);
    snprintf(buf, sizeof(buf), "1 = %s", ref->kernel);
    key_add(c, KEY_IDEAL, 0, buf);
    foot(c, "Bars rise from 1 = %s in shared memory; under each group: its "
         "time per operation.", ref->kernel);
    left_out(pl, topic, buf, sizeof(buf));
    if (strstr(buf, "wrong answer"))
        foot(c, "Not drawn: %s.", buf);
    extra_str(c, "reference", ref->kernel);
    rc = queue(pl, c);
out:
    free(c);
    return rc;
}

/* ---- ipc: one message, by size ---------------------------------------- */

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

/* "64 B", "4 KiB", "1 MiB": a size in binary units, for the tics. */
static const char *binary_size(long long n, char *buf, size_t len)
{
    static const char *const unit[] = { "B", "KiB", "MiB", "GiB" };
    int u = 0;
    double v = (double)n;

    while (v >= 1024 && u < 3) {
        v /= 1024;
        u++;
    }
    snprintf(buf, len, "%.3g %s", v, unit[u]);
    return buf;
}

/* One block of both files: a mechanism's time per message (µs) and its
 * bandwidth (MiB/s) by size, from its smallest worker count (the
 * mechanism, not the workers, is what this chart compares). */
static void write_mechanism(FILE *lat, FILE *bw, int n,
                            const struct metrics_series **by_size,
                            size_t nsizes, struct chart_extent *ye)
{
    for (int k = 0; k < 2; k++) {
        fputs(n ? "\n\n" : "", k ? bw : lat);
        dat_string(k ? bw : lat, by_size[0]->kernel);
        fputc('\n', k ? bw : lat);
    }
    for (size_t i = 0; i < nsizes; i++) {
        const struct stats *t = &by_size[i]->pts[0].secs;
        double b = (double)by_size[i]->size / (1024.0 * 1024.0);
        fprintf(lat, "%lld\t", by_size[i]->size);
        fprintf(bw, "%lld\t", by_size[i]->size);
        dat_num(lat, t->median * 1e6, "\t");
        dat_num(lat, t->min * 1e6, "\t");
        dat_num(lat, t->max * 1e6, "\n");
        dat_num(bw, t->median > 0 ? b / t->median : NAN, "\t");
        dat_num(bw, t->max > 0 ? b / t->max : NAN, "\t");
        dat_num(bw, t->min > 0 ? b / t->min : NAN, "\n");
        chart_extent_add(&ye[0], t->min * 1e6);
        chart_extent_add(&ye[0], t->max * 1e6);
        chart_extent_add(&ye[1], t->max > 0 ? b / t->max : NAN);
        chart_extent_add(&ye[1], t->min > 0 ? b / t->min : NAN);
        chart_extent_add(&ye[2], (double)by_size[i]->size);
    }
}

/* Is s the first ipc series of its mechanism (and a correct one)? */
static bool is_new_mechanism(const struct plot *pl, size_t i)
{
    const struct metrics_series *s = &pl->series[i];

    for (size_t j = 0; j < i; j++)
        if (is_topic(&pl->series[j], "ipc") &&
            !strcmp(pl->series[j].kernel, s->kernel))
            return false;
    return is_topic(s, "ipc");
}

/* Is every size of the mechanism's answer right? */
static bool is_mechanism_ok(const struct plot *pl, const char *mech)
{
    for (size_t i = 0; i < pl->nseries; i++)
        if (is_topic(&pl->series[i], "ipc") &&
            !strcmp(pl->series[i].kernel, mech) && !pl->series[i].is_ok)
            return false;
    return true;
}

/* ipc-time-per-message.dat and ipc-bandwidth.dat. 0 or -1. */
static int write_ipc(const struct plot *pl, struct spec *c,
                     const struct metrics_series **by_size,
                     struct chart_extent *ye, char *wrong, size_t len)
{
    struct outfile o[2];
    FILE *lat = open_panel(pl, c, 0, "time per message (µs) by message "
                           "size (bytes)", "x=1 y=2,3,4", c->p[0].file,
                           sizeof(c->p[0].file), &o[0]);
    FILE *bw = lat ? open_panel(pl, c, 1, "bandwidth (MiB/s) by message "
                                "size (bytes)", "x=1 y=2,3,4", c->p[1].file,
                                sizeof(c->p[1].file), &o[1]) : NULL;
    size_t used = 0;
    int n = 0;

    wrong[0] = '\0';
    for (size_t i = 0; i < pl->nseries && bw && n < COLOURS; i++) {
        const struct metrics_series *s = &pl->series[i];
        size_t nsizes;
        if (!is_new_mechanism(pl, i) || !(nsizes = ipc_sizes(pl, s->kernel,
                                                              by_size)))
            continue;
        if (!is_mechanism_ok(pl, s->kernel)) {
            used += (size_t)snprintf(wrong + used, len - used, "%s%s",
                                     used ? ", " : "", s->kernel);
            continue;
        }
        write_mechanism(lat, bw, n, by_size, nsizes, ye);
        c->p[0].style[n] = c->p[1].style[n] = n + 1;
        key_add(c, KEY_SERIES, n + 1, s->kernel);
        n++;
    }
    c->p[0].n = c->p[1].n = (size_t)n;
    int rc = lat ? plot_close_data(&o[0], c->p[0].file, !bw) : -1;
    rc |= bw ? plot_close_data(&o[1], c->p[1].file, rc < 0) : -1;
    return rc ? -1 : n;
}

/* x tics at the sizes measured, in binary units. */
static void size_tics(const struct plot *pl, struct spec *c)
{
    long long sizes[XT_MAX];
    size_t n = 0;
    char t[32];

    for (size_t i = 0; i < pl->nseries; i++) {
        size_t k = 0;
        while (k < n && sizes[k] != pl->series[i].size)
            k++;
        if (is_topic(&pl->series[i], "ipc") && k == n && n < XT_MAX)
            sizes[n++] = pl->series[i].size;
    }
    for (size_t i = 0; i < n; i++)              /* a handful: sort */
        for (size_t k = i + 1; k < n; k++)
            if (sizes[k] < sizes[i]) {
                long long v = sizes[i];
                sizes[i] = sizes[k];
                sizes[k] = v;
            }
    for (size_t i = 0; i < n; i++)
        xtic(c, (double)sizes[i], "%s", binary_size(sizes[i], t,
                                                    sizeof(t)));
}

/* Title, labels, notes and caption of the ipc chart. */
static void ipc_text(const struct plot *pl, struct spec *c,
                     const char *wrong)
{
    snprintf(c->title, sizeof(c->title), "ipc: one message, by size");
    subtitle(pl, "ipc", c, "bars: fastest to slowest");
    snprintf(c->xlabel, sizeof(c->xlabel), "message size");
    snprintf(c->p[0].title, sizeof(c->p[0].title), "time per message");
    snprintf(c->p[0].ylabel, sizeof(c->p[0].ylabel), "µs per message "
             "(log scale)");
    snprintf(c->p[1].title, sizeof(c->p[1].title), "bandwidth");
    snprintf(c->p[1].ylabel, sizeof(c->p[1].ylabel), "MiB/s (log scale)");
    say(c, "Each mechanism streamed messages of each size from one process "
        "to another.");
    foot(c, "Bandwidth = message size / time per message. 1 KiB = 1024 "
         "bytes.");
    say(c, "The time per message is taken in a stream of messages, so it "
        "includes no waiting for a reply; 1 MiB/s is 2^20 bytes per "
        "second.");
    if (wrong[0])
        foot(c, "Not drawn: %s (bytes arrived changed: a wrong answer).",
             wrong);
}

/* The ipc chart: time per message and bandwidth by message size. */
static int ipc_chart(struct plot *pl)
{
    struct spec *c = spec_new(pl, "ipc", "ipc", "ipc.gp");
    struct chart_extent ye[3] = { CHART_EXTENT_NONE, CHART_EXTENT_NONE,
                                  CHART_EXTENT_NONE };
    const struct metrics_series **by_size = calloc(pl->nseries + 1,
                                                   sizeof(*by_size));
    char wrong[400];
    int rc = -1, n;

    if (c)
        snprintf(c->name, sizeof(c->name), "ipc");
    if (!c || !by_size || (n = write_ipc(pl, c, by_size, ye, wrong,
                                         sizeof(wrong))) < 0)
        goto out;
    rc = 0;
    if (n == 0)
        goto out;
    c->np = 2;
    c->x = chart_axis_of(&ye[2], CHART_LOG);
    size_tics(pl, c);
    for (int k = 0; k < 2; k++)
        c->p[k].y = chart_axis_of(&ye[k], CHART_LOG);
    ipc_text(pl, c, wrong);
    rc = queue(pl, c);
out:
    free(by_size);
    free(c);
    return rc;
}

/* ---- the concurrency timeline ----------------------------------------- */

int plot_timeline_runs(const struct bench_csv *c, struct run_span *runs)
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
        if (s->end_secs > end[r] || runs[r].nslices == 0)
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

/* timeline-R.dat for run r: task_index start_ms end_ms cpu label. */
static int write_run(const struct plot *pl, struct spec *c,
                     const struct run_span *run, int r, const char **tasks,
                     size_t *ntasks)
{
    const struct bench_csv *t = &pl->timeline;
    struct outfile o;
    FILE *f = open_panel(pl, c, r, "when each task ran (ms since the run's "
                         "first start)", "x=2,3 y=1", c->p[r].file,
                         sizeof(c->p[r].file), &o);

    if (!f)
        return -1;
    fprintf(f, "# %s; columns task_index start_ms end_ms cpu task\n",
            run->run);
    for (size_t i = 0; i < t->nslices; i++) {
        const struct bench_slice *s = &t->slices[i];
        if (strcmp(s->run, run->run))
            continue;
        fprintf(f, "%zu\t%.9g\t%.9g\t%d\t", task_index(tasks, ntasks,
                s->task), (s->start_secs - run->t0) * 1e3,
                (s->end_secs - run->t0) * 1e3, s->cpu);
        dat_string(f, s->task);
        fputc('\n', f);
    }
    return plot_close_data(&o, c->p[r].file, false);
}

/* "0 1": the CPU ids the slices ran on, ascending (at most 6, the
 * colours; *n says how many there were). */
static void cpu_list(const struct bench_csv *t, char *buf, size_t len,
                     int *n)
{
    int last = -1;
    size_t used = 0;

    buf[0] = '\0';
    for (*n = 0;; (*n)++) {
        int next = -1;
        for (size_t i = 0; i < t->nslices; i++)
            if (t->slices[i].cpu > last &&
                (next < 0 || t->slices[i].cpu < next))
                next = t->slices[i].cpu;
        if (next < 0)
            return;
        if (*n < COLOURS && used + 16 < len)
            used += (size_t)snprintf(buf + used, len - used, used ? " %d" :
                                     "%d", next);
        last = next;
    }
}

/* "; tasktics = '("1" 0, "33" 32)'": a label on every task when they
 * fit down a panel, else on every k-th. */
static void task_tics(const struct plot *pl, struct spec *c,
                      const char **tasks, size_t ntasks)
{
    double rows_px = pl->look.height_px * 0.78 / 2 - 5 * pl->look.font_px;
    size_t fit = (size_t)fmax(2, rows_px / (1.4 * pl->look.font_px));
    size_t step = (ntasks + fit - 1) / fit, used = 0;
    char list[2000];

    list[0] = '\0';
    for (size_t t = 0; t < ntasks && used + 80 < sizeof(list); t += step)
        used += (size_t)snprintf(list + used, sizeof(list) - used,
                                 "%s\"%.40s\" %zu", used ? ", " : "(",
                                 strchr(tasks[t], '"') ? "?" : tasks[t], t);
    snprintf(list + used, sizeof(list) - used, ")");
    extra_str(c, "tasktics", list);
}

/* The panel titles, notes and caption of the timeline. */
static void timeline_text(const struct plot *pl, struct spec *c,
                          const struct run_span *runs, int nruns,
                          size_t ntasks, int ncpus)
{
    for (int r = 0; r < nruns; r++)
        snprintf(c->p[r].title, sizeof(c->p[r].title), "%s: %.3g ms, "
                 "%.2f tasks running at once on average", runs[r].run,
                 runs[r].wall_secs * 1e3, runs[r].wall_secs > 0 ?
                 runs[r].busy_secs / runs[r].wall_secs : 0);
    snprintf(c->title, sizeof(c->title), "Concurrency vs parallelism: when "
             "each task ran");
    snprintf(c->subtitle, sizeof(c->subtitle), "%s | %zu task%s | ms since "
             "each run's first start", pl->machine, ntasks, ntasks == 1 ? "" :
             "s");
    c->xlabel[0] = '\0';           /* in the subtitle: room for the bars */
    snprintf(c->ylabel, sizeof(c->ylabel), "task");
    say(c, "The same CPU-bound tasks, first confined to one CPU, then "
        "spread over all the allowed CPUs.");
    foot(c, "A bar: a task running (a pause over 100 µs ends it); colour: "
         "its CPU%s.", ncpus > COLOURS ? " (repeating every 6)" : "");
}

/* timeline-1.dat, timeline-2.dat and the timeline chart. 0 or -1. */
static int timeline_chart(struct plot *pl)
{
    struct spec *c = spec_new(pl, "timeline", "concurrency", "timeline.gp");
    struct run_span runs[2];
    int nruns = plot_timeline_runs(&pl->timeline, runs), ncpus, rc = -1;
    const char **tasks = calloc(pl->timeline.nslices + 1, sizeof(*tasks));
    struct chart_extent xe = CHART_EXTENT_NONE;
    size_t ntasks = 0;
    char cpus[200];

    if (!c || !tasks)
        goto out;
    snprintf(c->name, sizeof(c->name), "timeline");
    for (int r = 0; r < nruns; r++) {
        if (write_run(pl, c, &runs[r], r, tasks, &ntasks) < 0)
            goto out;
        chart_extent_add(&xe, 0);
        chart_extent_add(&xe, runs[r].wall_secs * 1e3);
    }
    c->np = nruns;
    c->cols = 1;                /* one above the other, the same time axis */
    c->x = chart_axis_of(&xe, CHART_ZERO);
    for (int r = 0; r < nruns; r++)
        c->p[r].y = (struct chart_axis){ -0.6, ntasks - 0.4, false, { 0 },
                                         0 };
    cpu_list(&pl->timeline, cpus, sizeof(cpus), &ncpus);
    for (char *at = cpus; *at; at += strspn(at, " ")) {
        char label[KEY_LABEL];
        int id = atoi(at);
        snprintf(label, sizeof(label), "CPU %d", id);
        key_add(c, KEY_CPU, id % COLOURS + 1, label);
        at += strcspn(at, " ");
    }
    timeline_text(pl, c, runs, nruns, ntasks, ncpus);
    task_tics(pl, c, tasks, ntasks);
    rc = queue(pl, c);
out:
    free(tasks);
    free(c);
    return rc;
}

/* ---- every chart ------------------------------------------------------ */

/* Speedup and efficiency; for memory first its bandwidth and roofline.
 * 0 or -1. */
static int ratio_charts(struct plot *pl, const char *topic)
{
    int rc = 0;

    if (!strcmp(topic, "memory") && (rc = bandwidth_chart(pl, topic)) == 0)
        rc = roofline_chart(pl, topic);
    if (rc == 0)
        rc = ratio_chart(pl, topic, SPEEDUP);
    return rc == 0 ? ratio_chart(pl, topic, EFFICIENCY) : rc;
}

int plot_queue_charts(struct plot *pl)
{
    int rc = 0;

    for (size_t i = 0; i < pl->nseries && rc == 0; i++) {
        const char *topic = pl->series[i].topic;
        size_t j;
        for (j = 0; j < i && strcmp(pl->series[j].topic, topic); j++)
            ;
        if (j < i)
            continue;                   /* not the first of its topic */
        if (!strcmp(topic, "ipc"))
            rc = ipc_chart(pl);
        else if (metrics_cost_reference(topic))
            rc = cost_chart(pl, topic);
        else if (!strcmp(topic, "scaling"))
            rc = laws_chart(pl, topic);
        else
            rc = ratio_charts(pl, topic);
        if (rc == 0 && strcmp(topic, "ipc"))
            rc = time_chart(pl, topic);
    }
    if (rc == 0 && pl->timeline.nslices)
        rc = timeline_chart(pl);
    return rc;
}
