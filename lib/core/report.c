/* report.c - text tables, CSV and JSON from the same rows.
 * Output is streamed: each table prints when it ends, so a lecturer sees
 * results as they are measured. JSON is one document, written piecewise.
 */
#define _GNU_SOURCE
#include "report.h"
#include "notice.h"
#include "sysinfo.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_COLS 24
#define MAX_PARAMS 32
#define MAX_CONDITIONS 8
#define TEXT_COLS 80            /* what a projector shows */

struct cell {
    double v;
    char *s;
};

struct column {
    const char *key, *head;
    enum unit unit;
    bool is_hidden;             /* CSV and JSON only */
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
    struct notices notes;
    const char *phase[MAX_CONDITIONS];
    struct cond cond[MAX_CONDITIONS];
    int nconds;
    bool is_unmeasured;         /* report_conditions(r, NULL, NULL) */
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

const char *report_sig3(double v, char *buf, size_t len)
{
    fmt_sig(buf, len, v);
    return buf;
}

const char *report_sig3_round(double v, char *buf, size_t len)
{
    double unit = isfinite(v) && v != 0
                ? pow(10, floor(log10(fabs(v))) - 2) : 1;

    fmt_sig(buf, len, unit > 1 ? round(v / unit) * unit : v);
    return buf;
}

/* Seconds in the unit that reads best: 1.23 s, 41.0 ms, 19.3 µs, 7.10 ns. */
static void fmt_dur(char *buf, size_t len, double v)
{
    static const struct { double scale; const char *sfx; } u[] = {
        { 1, "s" }, { 1e3, "ms" }, { 1e6, "µs" }, { 1e9, "ns" },
    };
    size_t i = 0, at;

    while (i + 1 < ARRAY_SIZE(u) && fabs(v) * u[i].scale < 0.9995 && v != 0)
        i++;
    fmt_sig(buf, len, v * u[i].scale);
    at = strlen(buf);
    if (isfinite(v))
        snprintf(buf + at, len - at, " %s", u[i].sfx);
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
        fmt_sig(buf, len, v);
        if (isfinite(v))
            strncat(buf, "x", len - strlen(buf) - 1);
        break;
    case U_PCT:  fmt_sig(buf, len, v * 100); break;
    case U_DUR:  fmt_dur(buf, len, v); break;
    case U_MBPS: fmt_sig(buf, len, v / 1e6); break;
    case U_MIB:  fmt_sig(buf, len, v / (1024.0 * 1024.0)); break;
    default:     fmt_sig(buf, len, v); break;
    }
}

void report_value_text(char *buf, size_t len, double v, enum unit u)
{
    struct column c = { "", "", u, false };
    const char *sfx = unit_suffix(u);
    size_t at;

    fmt_text(buf, len, &c, v);
    at = strlen(buf);
    if (sfx && isfinite(v) && u != U_DUR)
        snprintf(buf + at, len - at, "%s%s", u == U_PCT ? "" : " ", sfx);
}

const char *report_unit_name(enum unit u)
{
    static const char *const name[] = {
        [U_TEXT] = "text", [U_INT] = "count", [U_NUM] = "number",
        [U_SEC] = "seconds", [U_MS] = "seconds", [U_US] = "seconds",
        [U_NS] = "seconds", [U_RATIO] = "ratio", [U_PCT] = "fraction",
        [U_MBPS] = "bytes_per_second", [U_MIB] = "bytes",
        [U_DUR] = "seconds",
    };
    return (size_t)u < ARRAY_SIZE(name) && name[u] ? name[u] : "number";
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

/* v in at most room columns: a longer value (a path under a long
 * TMPDIR) keeps its first third and its end, "…" between (csv and json
 * have it whole). */
static void print_value_fitted(const char *v, size_t room)
{
    size_t len = strlen(v), head = (room - 1) / 3, tail = room - 1 - head;
    const char *h = v, *t = v + len;

    if (report_utf8_width(v) <= room || room < 8) {
        fputs(v, stdout);
        return;
    }
    for (size_t k = 0; k < head; k++)
        while (*++h && ((unsigned char)*h & 0xC0) == 0x80)
            ;
    for (size_t k = 0; k < tail && t > h; k++)
        while (--t > h && ((unsigned char)*t & 0xC0) == 0x80)
            ;
    printf("%.*s\u2026%s", (int)(h - v), v, t);
}

/* "Parameters: a=1 b=2 ...", wrapped at 80 columns between items. */
static void print_params(const struct report *r)
{
    size_t col = 11;

    printf("Parameters:");
    for (int i = 0; i < r->nparams; i++) {
        size_t name_w = report_utf8_width(r->param_name[i]);
        size_t room = TEXT_COLS - 11 - 2 - name_w;
        size_t val_w = report_utf8_width(r->param_val[i]);
        size_t w = 2 + name_w + (val_w < room ? val_w : room);

        if (col + w > TEXT_COLS && col > 11) {
            printf("\n%11s", "");
            col = 11;
        }
        printf(" %s=", r->param_name[i]);
        print_value_fitted(r->param_val[i], room);
        col += w;
    }
    putchar('\n');
}

/* Display columns of s[0..len) (code points, not bytes). */
static size_t width_of(const char *s, size_t len)
{
    size_t w = 0;

    for (size_t i = 0; i < len; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Prints one line of len bytes; past 80 columns it breaks at the last
 * space that fits (or at 80), continuing 4 columns further in. */
static void print_line_fitted(FILE *f, const char *s, size_t len)
{
    size_t indent = strspn(s, " "), cont, col0 = 0;

    cont = indent < len && indent + 4 <= 40 ? indent + 4 : 4;
    while (col0 + width_of(s, len) > TEXT_COLS) {
        size_t col = col0, fit = 0, cut = 0, lead = strspn(s, " ");
        for (size_t i = 0; i < len; i++) {
            bool starts = ((unsigned char)s[i] & 0xC0) != 0x80;
            if (starts && col == TEXT_COLS)
                break;
            col += starts;
            fit = i + 1;
            if (s[i] == ' ' && i > lead)
                cut = i;
        }
        cut = cut ? cut : fit;
        fprintf(f, "%.*s\n%*s", (int)cut, s, (int)cont, "");
        fit = cut + (cut < len && s[cut] == ' ');
        s += fit;
        len -= fit;
        col0 = cont;
    }
    fprintf(f, "%.*s\n", (int)len, s);
}

/* Prints text to f line by line, each fitted to 80 columns. */
static void print_fitted_to(FILE *f, const char *text)
{
    for (const char *l = text; *l; ) {
        size_t n = strcspn(l, "\n");
        print_line_fitted(f, l, n);
        l += n + (l[n] == '\n');
    }
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
    if (r->nparams)
        print_params(r);
}

void report_text(struct report *r, const char *fmt, ...)
{
    va_list ap;
    char *text;

    if (r->p->format != FMT_TEXT)
        return;
    header(r);
    putchar('\n');
    va_start(ap, fmt);
    text = vfmt(fmt, ap);
    va_end(ap);
    print_fitted_to(stdout, text);
    free(text);
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
        t->col[t->ncols++] = (struct column){ key, head, u, false };
}

void table_col_data(struct table *t, const char *key, enum unit u)
{
    if (t->ncols < MAX_COLS)
        t->col[t->ncols++] = (struct column){ key, key, u, true };
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

/* One line of a text table (the header when is_head), the columns in
 * show[] only, padded to w[]; no padding after the last one. A line that
 * still does not fit (a text cell wider than the screen) wraps. */
static void print_text_row(const struct table *t, const size_t *w,
                           size_t row, bool is_head, const bool *show)
{
    size_t n = (size_t)t->ncols, last = 0, i, len = 0;
    char buf[256], *line = NULL;
    FILE *f = open_memstream(&line, &len);

    if (!f) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    for (i = 0; i < n; i++)
        last = show[i] ? i : last;
    for (i = 0; i < n; i++) {
        bool right;
        if (!show[i])
            continue;
        if (is_head) {
            head_text(&t->col[i], buf, sizeof(buf));
            right = t->col[i].unit != U_TEXT;
        } else {
            cell_text(t, row * n + i, buf, sizeof(buf));
            right = !t->cells[row * n + i].s;
        }
        size_t pad = w[i] - report_utf8_width(buf);
        fprintf(f, "  %*s%s%*s", right ? (int)pad : 0, "", buf,
                right || i == last ? 0 : (int)pad, "");
    }
    fclose(f);
    print_line_fitted(stdout, line, len);
    free(line);
}

/* Header, rule and rows of the columns in show[]. */
static void print_text_block(const struct table *t, const size_t *w,
                             const bool *show)
{
    size_t col = 0;

    print_text_row(t, w, 0, true, show);
    for (int i = 0; i < t->ncols; i++) {
        if (!show[i])
            continue;
        for (size_t k = 0; k < w[i] + 2 && col < TEXT_COLS; k++, col++)
            putchar(k < 2 ? ' ' : '-');     /* the rule stops at 80 */
    }
    putchar('\n');
    for (size_t i = 0; i < t->ncells / (size_t)t->ncols; i++)
        print_text_row(t, w, i, false, show);
}

/* A table wider than 80 columns is printed in blocks that fit: each
 * repeats the leading text columns (the row's name), then as many of the
 * others as fit. */
static void print_folded(const struct table *t, const size_t *w)
{
    bool show[MAX_COLS], is_key[MAX_COLS] = { false };
    size_t key_w = 0;
    int n = t->ncols, next = 0;

    for (int i = 0; i < n && (t->col[i].unit == U_TEXT || i == 0); i++) {
        if (t->col[i].is_hidden || (key_w && key_w + 2 + w[i] > 40))
            break;
        is_key[i] = true;
        key_w += 2 + w[i];
        next = i + 1;
    }
    while (next < n) {
        size_t used = key_w;
        for (int i = 0; i < n; i++)
            show[i] = is_key[i];
        for (; next < n && (used == key_w ||
                            used + 2 + w[next] <= TEXT_COLS); next++) {
            show[next] = !t->col[next].is_hidden;
            used += show[next] ? 2 + w[next] : 0;
        }
        print_text_block(t, w, show);
        if (next < n)
            putchar('\n');
    }
}

static void print_text_table(struct table *t)
{
    size_t w[MAX_COLS] = { 0 }, i, n = (size_t)t->ncols, total = 0;
    bool show[MAX_COLS];
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
    for (i = 0; i < n; i++) {
        show[i] = !t->col[i].is_hidden;
        total += show[i] ? 2 + w[i] : 0;
    }
    printf("\n");
    if (t->caption) {
        char *c = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&c, &len);
        if (f) {
            print_fitted_to(f, t->caption);
            fclose(f);
        }
        bold(t->r, c && len ? c : t->caption);
        printf(c && len ? "" : "\n");
        free(c);
    }
    if (total <= TEXT_COLS)
        print_text_block(t, w, show);
    else
        print_folded(t, w);
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
    struct notice *n = notice_add(&r->notes, NULL);
    va_list ap;

    va_start(ap, fmt);
    n->text = vfmt(fmt, ap);
    va_end(ap);
}

void report_notices(struct report *r, struct notices *ns)
{
    for (int i = 0; i < ns->n; i++) {
        struct notice *n = &ns->item[i];
        if (!notice_holds(n)) {
            fprintf(stderr, "pardemo: %s: a sentence (%s) was left out: "
                    "its numbers do not support it (a bug; please report "
                    "it)\n", r->p->topic, n->id ? n->id : "?");
            continue;
        }
        *notice_add(&r->notes, n->id) = *n;
        n->text = NULL;             /* now the report's */
    }
    notices_free(ns);
}

void report_conditions(struct report *r, const char *phase,
                       const struct cond *c)
{
    if (!c)
        r->is_unmeasured = true;
    if (!c || r->nconds == MAX_CONDITIONS)
        return;
    r->phase[r->nconds] = phase;
    r->cond[r->nconds++] = *c;
}

/* " Each measurement was repeated 5 times; the middle half of the
 * repetitions spanned at most ±4.1% of the median." */
static char *reps_text(const struct cond *c)
{
    char *s = NULL, pct[32];

    report_value_text(pct, sizeof(pct), c->spread / 2, U_PCT);
    if (c->reps <= 0)
        return strdup("");
    if (c->reps == 1)
        return strdup(" Each measurement ran once: no spread to judge "
                      "noise by.");
    if (asprintf(&s, " Each measurement ran %d times; the middle half of "
                 "the runs spanned at most ±%s of the median.", c->reps,
                 pct) < 0)
        return NULL;
    return s;
}

char *report_conditions_text(const char *phase, const struct cond *c)
{
    struct est other = cond_other_cpus(c);
    char *s = NULL, *p = NULL, *reps = reps_text(c), wall[32];
    int cpus = c->cpus_allowed;

    report_value_text(wall, sizeof(wall), c->wall_s, U_DUR);
    if (phase && asprintf(&p, " (%s)", phase) < 0)
        p = NULL;
    if (!reps || (c->is_known
        ? asprintf(&s, "Conditions%s: other programs kept %.2f of the %d "
                   "allowed CPU%s busy (%.2f-%.2f, /proc/stat); this run "
                   "kept %.2f busy, over %s.%s", p ? p : "", other.v, cpus,
                   cpus == 1 ? "" : "s", other.lo, other.hi,
                   cond_own_cpus(c), wall, reps) < 0
        : asprintf(&s, "Conditions%s: the other programs' load is unknown "
                   "(no /proc/stat); this run kept %.2f of the %d allowed "
                   "CPU%s busy, over %s.%s", p ? p : "", cond_own_cpus(c),
                   cpus, cpus == 1 ? "" : "s", wall, reps) < 0)) {
        fputs("pardemo: out of memory\n", stderr);
        exit(1);
    }
    free(p);
    free(reps);
    return s;
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

void report_wrap(FILE *f, const char *s, const char *first, size_t indent)
{
    size_t col = report_utf8_width(first), w, width, k;
    bool is_first = true;

    fputs(first, f);
    for (;;) {
        s += strspn(s, " ");
        if (!*s)
            break;
        w = strcspn(s, " ");
        for (width = 0, k = 0; k < w; k++)
            width += ((unsigned char)s[k] & 0xC0) != 0x80;
        if (!is_first && col + 1 + width > 78) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!is_first) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", (int)w, s);
        col += width;
        s += w;
        is_first = false;
    }
    fputc('\n', f);
}

static void print_wrapped_as(const char *s, const char *first, size_t indent)
{
    report_wrap(stdout, s, first, indent);
}

static void print_wrapped(const char *s)
{
    print_wrapped_as(s, "  - ", 4);
}

static void free_report(struct report *r)
{
    int i;

    notices_free(&r->notes);
    for (i = 0; i < r->nparams; i++) {
        free(r->param_name[i]);
        free(r->param_val[i]);
    }
    free(r);
}

void report_discard(struct report *r)
{
    clear_progress(r);
    free_report(r);
}

static void print_conditions_json(const struct report *r)
{
    printf(",\n \"conditions\": [");
    for (int i = 0; i < r->nconds; i++) {
        const struct cond *c = &r->cond[i];
        struct est o = cond_other_cpus(c);
        printf("%s\n   {\"phase\": ", i ? "," : "");
        report_json_string(stdout, r->phase[i] ? r->phase[i] : "run");
        printf(", \"wall_seconds\": %.6g, \"cpus_allowed\": %d, "
               "\"cpu_seconds\": %.6g, \"own_cpus\": %.6g, \"reps\": %d, "
               "\"widest_spread\": ", c->wall_s, c->cpus_allowed,
               c->own_cpu_s, cond_own_cpus(c), c->reps);
        if (isfinite(c->spread))
            printf("%.6g, ", c->spread);
        else
            printf("null, ");
        if (c->is_known)
            printf("\"other_cpus\": {\"v\": %.6g, \"lo\": %.6g, \"hi\": "
                   "%.6g}}", o.v, o.lo, o.hi);
        else
            printf("\"other_cpus\": null}");
    }
    printf("%s]", r->nconds ? "\n " : "");
}

static void print_conditions_csv(const struct report *r)
{
    for (int i = 0; i < r->nconds; i++) {
        const struct cond *c = &r->cond[i];
        struct est o = cond_other_cpus(c);
        printf("# conditions; phase=%s; wall_seconds=%.6g; cpus_allowed=%d; "
               "cpu_seconds=%.6g; own_cpus=%.6g; reps=%d; widest_spread=%.6g",
               r->phase[i] ? r->phase[i] : "run", c->wall_s, c->cpus_allowed,
               c->own_cpu_s, cond_own_cpus(c), c->reps, c->spread);
        if (c->is_known)
            printf("; other_cpus=%.6g; other_cpus_lo=%.6g; "
                   "other_cpus_hi=%.6g", o.v, o.lo, o.hi);
        putchar('\n');
    }
}

/* After the tables, as comments so CSV readers skip them, and a chart
 * drawn from the CSV can quote them. */
static void print_notices_csv(const struct report *r)
{
    for (int i = 0; i < r->notes.n; i++) {
        printf("# notice: ");
        for (const char *c = r->notes.item[i].text; *c; c++)
            putchar(*c == '\n' ? ' ' : *c);
        putchar('\n');
    }
}

static void print_text_end(struct report *r)
{
    for (int i = 0; i < r->nconds; i++) {
        char *s = report_conditions_text(r->phase[i], &r->cond[i]);
        putchar('\n');
        print_wrapped_as(s, "", 2);
        free(s);
    }
    if (!r->notes.n)
        return;
    printf("\n");
    bold(r, "What to notice");
    printf("\n");
    for (int i = 0; i < r->notes.n; i++)
        print_wrapped(r->notes.item[i].text);
}

int report_end(struct report *r)
{
    header(r);
    if (r->nconds == 0 && !r->is_unmeasured && r->p->probe.t0_s > 0) {
        struct cond c = cond_stop(&r->p->probe);
        report_conditions(r, NULL, &c);
    }
    if (r->p->format == FMT_TEXT) {
        print_text_end(r);
    } else if (r->p->format == FMT_CSV) {
        print_conditions_csv(r);
        print_notices_csv(r);
    } else {
        printf("%s]", r->ntables ? "\n " : "");
        print_conditions_json(r);
        printf(",\n \"notice\": [");
        for (int i = 0; i < r->notes.n; i++) {
            printf(i ? ",\n   " : "\n   ");
            notice_json(stdout, &r->notes.item[i]);
        }
        printf("%s]}\n", r->notes.n ? "\n " : "");
    }
    fflush(stdout);
    free_report(r);
    return 0;
}
