/* report.c - text tables, CSV and JSON from the same rows.
 * Output is streamed: each table prints when it ends, so a lecturer sees
 * results as they are measured. JSON is one document, written piecewise.
 */
#define _GNU_SOURCE
#include "report.h"
#include "sysinfo.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_COLS 24
#define MAX_PARAMS 32

struct cell {
    double v;
    char *s;
};

struct column {
    const char *key, *head;
    enum unit unit;
};

struct table {
    struct report *r;
    const char *name, *caption;
    struct column col[MAX_COLS];
    int ncols;
    struct cell *cells;
    size_t ncells, cap;
};

struct report {
    const struct run_params *p;
    const char *title, *idea;
    char *param_name[MAX_PARAMS], *param_val[MAX_PARAMS];
    int nparams;
    char **notice;
    int nnotice;
    bool is_header_done, is_colour, has_progress;
    int ntables;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static char *vfmt(const char *fmt, va_list ap)
{
    char *s;

    if (vasprintf(&s, fmt, ap) < 0) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    return s;
}

bool report_use_colour(int fd)
{
    const char *nc = getenv("NO_COLOR");

    return isatty(fd) && !(nc && *nc);
}

size_t report_utf8_width(const char *s)
{
    size_t w = 0;

    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

void report_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void report_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Shortest decimal that reads back as the same double. */
static void fmt_exact(char *buf, size_t len, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {     /* counts stay integers */
        snprintf(buf, len, "%.0f", v);
        return;
    }
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static void fmt_sig(char *buf, size_t len, double v)
{
    double a = fabs(v);

    if (!isfinite(v))
        snprintf(buf, len, "-");
    else if (a >= 100 || a == 0)
        snprintf(buf, len, "%.0f", v);
    else if (a >= 10)
        snprintf(buf, len, "%.1f", v);
    else if (a >= 0.1)
        snprintf(buf, len, "%.2f", v);
    else
        snprintf(buf, len, "%.3g", v);
}

static const char *unit_suffix(enum unit u)
{
    static const char *const sfx[] = {
        [U_SEC] = "s", [U_MS] = "ms", [U_US] = "µs", [U_NS] = "ns",
        [U_PCT] = "%", [U_MBPS] = "MB/s", [U_MIB] = "MiB",
    };
    return (size_t)u < ARRAY_SIZE(sfx) ? sfx[u] : NULL;
}

/* The text view of one value in its column's unit. */
static void fmt_text(char *buf, size_t len, const struct column *c, double v)
{
    switch (c->unit) {
    case U_INT:
        if (isfinite(v))
            snprintf(buf, len, "%.0f", v);
        else
            snprintf(buf, len, "-");    /* "not measured", as U_NUM */
        break;
    case U_SEC:  fmt_sig(buf, len, v); break;
    case U_MS:   fmt_sig(buf, len, v * 1e3); break;
    case U_US:   fmt_sig(buf, len, v * 1e6); break;
    case U_NS:   fmt_sig(buf, len, v * 1e9); break;
    case U_RATIO:
        if (isfinite(v))
            snprintf(buf, len, "%.2fx", v);
        else
            snprintf(buf, len, "-");
        break;
    case U_PCT:  snprintf(buf, len, "%.1f", v * 100); break;
    case U_MBPS: fmt_sig(buf, len, v / 1e6); break;
    case U_MIB:  fmt_sig(buf, len, v / (1024.0 * 1024.0)); break;
    default:     fmt_sig(buf, len, v); break;
    }
}

struct report *report_begin(const struct run_params *p, const char *title,
                            const char *idea)
{
    struct report *r = xmalloc(sizeof(*r));

    memset(r, 0, sizeof(*r));
    r->p = p;
    r->title = title;
    r->idea = idea;
    r->is_colour = p->format == FMT_TEXT && report_use_colour(STDOUT_FILENO);
    return r;
}

void report_param(struct report *r, const char *name, const char *fmt, ...)
{
    va_list ap;

    if (r->nparams == MAX_PARAMS)
        return;
    va_start(ap, fmt);
    r->param_val[r->nparams] = vfmt(fmt, ap);
    va_end(ap);
    r->param_name[r->nparams++] = strdup(name);
}

static void print_wrapped_as(const char *s, const char *first,
                             size_t indent);

static void clear_progress(struct report *r)
{
    if (r->has_progress) {
        fputs("\r\033[K", stderr);
        r->has_progress = false;
    }
}

static void bold(struct report *r, const char *s)
{
    printf(r->is_colour ? "\033[1m%s\033[0m" : "%s", s);
}

/* Title, idea, parameters and machine: once, before the first output. */
static void header(struct report *r)
{
    char model[256];
    int i;

    clear_progress(r);
    if (r->is_header_done)
        return;
    r->is_header_done = true;
    sys_cpu_model(model, sizeof(model));
    if (r->p->format == FMT_CSV) {
        printf("# pardemo %s; cpus_online=%d; cpus_allowed=%d; cpu_model=%s",
               r->p->topic, sys_online_cpus(), sys_allowed_cpus(), model);
        for (i = 0; i < r->nparams; i++)
            printf("; %s=%s", r->param_name[i], r->param_val[i]);
        putchar('\n');
        return;
    }
    if (r->p->format == FMT_JSON) {
        printf("{\"topic\": ");
        report_json_string(stdout, r->p->topic);
        printf(", \"title\": ");
        report_json_string(stdout, r->title);
        printf(", \"idea\": ");
        report_json_string(stdout, r->idea);
        printf(",\n \"machine\": {\"cpus_online\": %d, \"cpus_allowed\": %d, "
               "\"cpu_model\": ", sys_online_cpus(), sys_allowed_cpus());
        report_json_string(stdout, model);
        printf("},\n \"params\": {");
        for (i = 0; i < r->nparams; i++) {
            printf(i ? ", " : "");
            report_json_string(stdout, r->param_name[i]);
            printf(": ");
            report_json_string(stdout, r->param_val[i]);
        }
        printf("},\n \"tables\": [");
        return;
    }
    bold(r, r->title);
    putchar('\n');
    if (strchr(r->idea, '\n'))
        printf("%s\n", r->idea);     /* the topic laid out its own lines */
    else
        print_wrapped_as(r->idea, "", 0);
    putchar('\n');
    printf("Machine:    %d online CPU%s, %d allowed to this process, %s\n",
           sys_online_cpus(), sys_online_cpus() == 1 ? "" : "s",
           sys_allowed_cpus(), model);
    if (r->nparams) {
        printf("Parameters:");
        for (i = 0; i < r->nparams; i++)
            printf(" %s=%s", r->param_name[i], r->param_val[i]);
        putchar('\n');
    }
}

void report_text(struct report *r, const char *fmt, ...)
{
    va_list ap;

    if (r->p->format != FMT_TEXT)
        return;
    header(r);
    putchar('\n');
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

struct table *report_table(struct report *r, const char *name,
                           const char *caption)
{
    struct table *t = xmalloc(sizeof(*t));

    memset(t, 0, sizeof(*t));
    t->r = r;
    t->name = name;
    t->caption = caption;
    return t;
}

void table_col(struct table *t, const char *key, const char *head,
               enum unit u)
{
    if (t->ncols < MAX_COLS)
        t->col[t->ncols++] = (struct column){ key, head, u };
}

static struct cell *next_cell(struct table *t)
{
    if (t->ncells == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->cells = realloc(t->cells, t->cap * sizeof(*t->cells));
        if (!t->cells) {
            fputs("pardemo: out of memory\n", stderr);
            exit(1);
        }
    }
    t->cells[t->ncells] = (struct cell){ 0, NULL };
    return &t->cells[t->ncells++];
}

void table_str(struct table *t, const char *s)
{
    next_cell(t)->s = strdup(s);
}

void table_num(struct table *t, double v)
{
    next_cell(t)->v = v;
}

/* The text of cell i as the text view shows it. */
static void cell_text(const struct table *t, size_t i, char *buf, size_t len)
{
    const struct cell *c = &t->cells[i];

    if (c->s)
        snprintf(buf, len, "%s", c->s);
    else
        fmt_text(buf, len, &t->col[i % (size_t)t->ncols], c->v);
}

static void head_text(const struct column *c, char *buf, size_t len)
{
    const char *sfx = unit_suffix(c->unit);

    if (sfx)
        snprintf(buf, len, "%s (%s)", c->head, sfx);
    else
        snprintf(buf, len, "%s", c->head);
}

static void print_text_table(struct table *t)
{
    size_t w[MAX_COLS] = { 0 }, i, n = (size_t)t->ncols;
    char buf[256];

    for (i = 0; i < n; i++) {
        head_text(&t->col[i], buf, sizeof(buf));
        w[i] = report_utf8_width(buf);
    }
    for (i = 0; i < t->ncells; i++) {
        cell_text(t, i, buf, sizeof(buf));
        if (report_utf8_width(buf) > w[i % n])
            w[i % n] = report_utf8_width(buf);
    }
    printf("\n");
    if (t->caption) {
        bold(t->r, t->caption);
        printf("\n");
    }
    for (i = 0; i < n; i++) {
        head_text(&t->col[i], buf, sizeof(buf));
        size_t pad = w[i] - report_utf8_width(buf);
        bool right = t->col[i].unit != U_TEXT;
        printf("  %*s%s%*s", right ? (int)pad : 0, "", buf,
               right ? 0 : (int)pad, "");
    }
    printf("\n");
    for (i = 0; i < n; i++) {
        printf("  ");
        for (size_t k = 0; k < w[i]; k++)
            putchar('-');
    }
    for (i = 0; i < t->ncells; i++) {
        size_t c = i % n;
        if (c == 0)
            putchar('\n');
        cell_text(t, i, buf, sizeof(buf));
        size_t pad = w[c] - report_utf8_width(buf);
        bool right = !t->cells[i].s;
        printf("  %*s%s%*s", right ? (int)pad : 0, "", buf,
               right || c == n - 1 ? 0 : (int)pad, "");
    }
    printf("\n");
}

static void print_csv_table(struct table *t)
{
    char buf[64];
    size_t i, n = (size_t)t->ncols;

    if (t->r->ntables)
        putchar('\n');
    printf("table");
    for (i = 0; i < n; i++) {
        putchar(',');
        report_csv_field(stdout, t->col[i].key);
    }
    for (i = 0; i < t->ncells; i++) {
        if (i % n == 0) {
            putchar('\n');
            report_csv_field(stdout, t->name);
        }
        putchar(',');
        if (t->cells[i].s) {
            report_csv_field(stdout, t->cells[i].s);
        } else {
            fmt_exact(buf, sizeof(buf), t->cells[i].v);
            fputs(buf, stdout);
        }
    }
    putchar('\n');
}

static void print_json_table(struct table *t)
{
    char buf[64];
    size_t i, n = (size_t)t->ncols;

    printf("%s\n  {\"name\": ", t->r->ntables ? "," : "");
    report_json_string(stdout, t->name);
    printf(", \"caption\": ");
    report_json_string(stdout, t->caption ? t->caption : "");
    printf(", \"rows\": [");
    for (i = 0; i < t->ncells; i++) {
        if (i % n == 0)
            printf("%s\n    {", i ? "}," : "");
        else
            printf(", ");
        report_json_string(stdout, t->col[i % n].key);
        printf(": ");
        if (t->cells[i].s) {
            report_json_string(stdout, t->cells[i].s);
        } else if (!isfinite(t->cells[i].v)) {
            printf("null");
        } else {
            fmt_exact(buf, sizeof(buf), t->cells[i].v);
            fputs(buf, stdout);
        }
    }
    printf("%s]}", t->ncells ? "}\n  " : "");
}

void table_end(struct table *t)
{
    size_t i;

    header(t->r);
    if (t->ncols) {
        switch (t->r->p->format) {
        case FMT_TEXT: print_text_table(t); break;
        case FMT_CSV:  print_csv_table(t); break;
        case FMT_JSON: print_json_table(t); break;
        }
        t->r->ntables++;
    }
    fflush(stdout);
    for (i = 0; i < t->ncells; i++)
        free(t->cells[i].s);
    free(t->cells);
    free(t);
}

void report_notice(struct report *r, const char *fmt, ...)
{
    va_list ap;
    char **grown = realloc(r->notice, (size_t)(r->nnotice + 1) *
                           sizeof(*r->notice));

    if (!grown) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    r->notice = grown;
    va_start(ap, fmt);
    r->notice[r->nnotice++] = vfmt(fmt, ap);
    va_end(ap);
}

void report_progress(struct report *r, const char *fmt, ...)
{
    va_list ap;

    if (r->p->is_quiet || !isatty(STDERR_FILENO))
        return;
    fputs("\r\033[K", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    r->has_progress = true;
}

/* Prints s after the first-line prefix `first`, wrapped at 78 columns,
 * continuation lines indented by `indent` spaces. */
static void print_wrapped_as(const char *s, const char *first, size_t indent)
{
    size_t col = report_utf8_width(first), w, width, k;
    bool is_first = true;

    printf("%s", first);
    for (;;) {
        s += strspn(s, " ");
        if (!*s)
            break;
        w = strcspn(s, " ");
        for (width = 0, k = 0; k < w; k++)
            width += ((unsigned char)s[k] & 0xC0) != 0x80;
        if (!is_first && col + 1 + width > 78) {
            printf("\n%*s", (int)indent, "");
            col = indent;
        } else if (!is_first) {
            putchar(' ');
            col++;
        }
        printf("%.*s", (int)w, s);
        col += width;
        s += w;
        is_first = false;
    }
    putchar('\n');
}

static void print_wrapped(const char *s)
{
    print_wrapped_as(s, "  - ", 4);
}

static void free_report(struct report *r)
{
    int i;

    for (i = 0; i < r->nnotice; i++)
        free(r->notice[i]);
    for (i = 0; i < r->nparams; i++) {
        free(r->param_name[i]);
        free(r->param_val[i]);
    }
    free(r->notice);
    free(r);
}

void report_discard(struct report *r)
{
    clear_progress(r);
    free_report(r);
}

int report_end(struct report *r)
{
    int i;

    header(r);
    if (r->p->format == FMT_TEXT && r->nnotice) {
        printf("\n");
        bold(r, "What to notice");
        printf("\n");
        for (i = 0; i < r->nnotice; i++)
            print_wrapped(r->notice[i]);
    } else if (r->p->format == FMT_JSON) {
        printf("%s],\n \"notice\": [", r->ntables ? "\n " : "");
        for (i = 0; i < r->nnotice; i++) {
            printf(i ? ",\n   " : "\n   ");
            report_json_string(stdout, r->notice[i]);
        }
        printf("%s]}\n", r->nnotice ? "\n " : "");
    }
    fflush(stdout);
    free_report(r);
    return 0;
}
