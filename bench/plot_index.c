/* plot_index.c - DIR/index.html: every chart `pardemo plot` drew, with
 * its caption and what to notice, on one page that needs no network (the
 * pictures are the PNGs beside it, the style is inline). Notice that the
 * notes come from the same numbers as the charts: the bench CSV for a
 * topic, the concurrency run's own "What to notice" for the timeline.
 */
#define _GNU_SOURCE
#include "plot.h"

#include <string.h>

static const char style[] =
    "body{font-family:sans-serif;max-width:70em;margin:2em auto;"
    "padding:0 1em;line-height:1.4;color:#222}"
    "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ccc}"
    "figcaption{margin-top:.5em}h2{border-bottom:1px solid #ccc;"
    "margin-top:2em}";

/* s as HTML text: &, <, > and " escaped. */
static void html(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* One chart: the PNG (a link to the SVG), its caption, its formats. */
static void figure(FILE *f, const struct plot *pl, const struct plot_chart *c)
{
    fprintf(f, "<figure id=\"%s\"><a href=\"%s.svg\"><img src=\"%s.png\" "
            "alt=\"", c->name, c->name, c->name);
    html(f, c->caption);
    fputs("\"></a>\n<figcaption>", f);
    html(f, c->caption);
    fprintf(f, " <a href=\"%s.png\">PNG</a> <a href=\"%s.svg\">SVG</a>",
            c->name, c->name);
    if (pl->look.is_pdf)
        fprintf(f, " <a href=\"%s.pdf\">PDF</a>", c->name);
    fputs("</figcaption></figure>\n", f);
}

/* What to notice about one topic, as a list (nothing when none). */
static void topic_notes(FILE *f, const struct plot *pl, const char *topic)
{
    struct notices n;

    notices_init(&n);
    plot_topic_notes(pl, topic, &n);
    if (n.n)
        fputs("<h3>What to notice</h3>\n<ul>\n", f);
    for (int i = 0; i < n.n; i++) {
        fputs("<li>", f);
        html(f, n.item[i].text);
        fputs("</li>\n", f);
    }
    if (n.n)
        fputs("</ul>\n", f);
    notices_free(&n);
}

int plot_write_index(const struct plot *pl)
{
    char path[4200];
    struct outfile o;
    FILE *f = plot_open_data(pl, "index.html", &o, path, sizeof(path));
    const char *topic = NULL;

    if (!f)
        return -1;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
            "charset=\"utf-8\">\n<title>pardemo charts</title>\n<style>%s"
            "</style></head>\n<body>\n<h1>pardemo charts</h1>\n<p>Measured "
            "on ", style);
    html(f, pl->machine);
    fprintf(f, "; drawn by <code>pardemo plot</code> for a %s (%dx%d "
            "pixels). Every number was measured by the run that wrote the "
            "CSV; click a chart for its SVG.</p>\n", pl->look.theme,
            pl->look.width_px, pl->look.height_px);
    for (int i = 0; i < pl->ncharts; i++) {
        const struct plot_chart *c = &pl->charts[i];
        if (!c->is_drawn)
            continue;
        if (!topic || strcmp(topic, c->topic)) {
            if (topic)
                topic_notes(f, pl, topic);
            topic = c->topic;
            fputs("<h2>", f);
            html(f, topic);
            fputs("</h2>\n", f);
        }
        figure(f, pl, c);
    }
    if (topic)
        topic_notes(f, pl, topic);
    fputs("</body></html>\n", f);
    return plot_close_data(&o, path, false);
}
