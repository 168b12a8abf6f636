/* benchcsv.c - a strict reader for bench CSV and concurrency slices.
 * Strict on purpose: a chart drawn from a half-read file would look
 * right and be wrong, so every bad cell stops the reading with FILE:LINE.
 */
#define _GNU_SOURCE
#include "benchcsv.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64

enum { C_TOPIC, C_KERNEL, C_WORKERS, C_SIZE, C_REP, C_SECONDS, C_CHECKSUM,
       C_OK, NCOLS };
static const char *const bench_cols[NCOLS] = {
    "topic", "kernel", "workers", "size", "rep", "seconds", "checksum",
    "checksum_ok",
};

enum { S_TABLE, S_RUN, S_TASK, S_START, S_END, S_CPU, NSCOLS };
static const char *const slice_cols[NSCOLS] = {
    "table", "run", "task", "start_s", "end_s", "cpu",
};

_Static_assert((int)NCOLS >= (int)NSCOLS, "reader.col holds either kind");

/* What the reader knows while it walks one file. */
struct reader {
    const char *name;
    long line;
    char *err;
    size_t errlen;
    int is_report;          /* -1: no header yet, 0: bench, 1: report */
    int col[NCOLS];         /* field index, or -1 */
    int nheader;            /* fields in the header row */
};

static int fail(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct reader *r, const char *fmt, ...)
{
    va_list ap;
    int n = r->line > 0 ? snprintf(r->err, r->errlen, "%s:%ld: ", r->name,
                                   r->line)
                        : snprintf(r->err, r->errlen, "%s: ", r->name);

    if (n < 0 || (size_t)n >= r->errlen)
        return -1;
    va_start(ap, fmt);
    vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

int benchcsv_split(char *line, char **fields, int max)
{
    char *in = line, *out = line;
    int n = 0;

    for (;;) {
        if (n == max)
            return -1;
        fields[n++] = out;
        if (*in == '"') {               /* quoted: "" is one quote */
            for (in++;; in++) {
                if (!*in)
                    return -1;
                if (*in == '"' && in[1] != '"')
                    break;
                if (*in == '"')
                    in++;
                *out++ = *in;
            }
            in++;
            if (*in && *in != ',')
                return -1;
        } else {
            while (*in && *in != ',')
                *out++ = *in++;
        }
        if (!*in) {
            *out = '\0';
            return n;
        }
        *out++ = '\0';
        in++;
    }
}

/* Room for one more element: capacity 16, then doubling at 16, 32... */
static void *grow(void *v, size_t n, size_t size)
{
    if (n == 0)
        return realloc(v, 16 * size);
    if (n < 16 || (n & (n - 1)))
        return v;
    return realloc(v, 2 * n * size);
}

static int add_meta(struct bench_csv *c, const char *key, size_t klen,
                    const char *value)
{
    struct bench_meta *m = grow(c->meta, c->nmeta, sizeof(*m));

    if (!m)
        return -1;
    c->meta = m;
    m[c->nmeta].key = strndup(key, klen);
    m[c->nmeta].value = strdup(value);
    if (!m[c->nmeta].key || !m[c->nmeta].value) {
        free(m[c->nmeta].key);
        free(m[c->nmeta].value);
        return -1;
    }
    c->nmeta++;
    return 0;
}

/* "# key: value" (bench) or "# pardemo TOPIC; k=v; k=v" (lib/report). */
static int read_meta(struct bench_csv *c, char *s)
{
    char *colon, *item, *save;

    s += strspn(s, "# ");
    if (!strncmp(s, "pardemo ", 8) && strchr(s, ';')) {
        for (item = strtok_r(s, ";", &save); item;
             item = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(item, '=');
            item += strspn(item, " ");
            if (eq && add_meta(c, item, (size_t)(eq - item), eq + 1) < 0)
                return -1;
        }
        return 0;
    }
    colon = strchr(s, ':');
    if (!colon || colon == s)
        return 0;                       /* a plain comment */
    return add_meta(c, s, (size_t)(colon - s), colon + 1 + strspn(colon + 1,
                                                                   " "));
}

/* Where each wanted column is; the first `required` must be there. */
static int find_cols(struct reader *r, char **f, int n,
                     const char *const *names, int ncols, int required)
{
    for (int k = 0; k < ncols; k++) {
        r->col[k] = -1;
        for (int i = 0; i < n; i++)
            if (!strcmp(f[i], names[k]))
                r->col[k] = i;
        if (r->col[k] < 0 && k < required)
            return fail(r, "the header has no column '%s' (a pardemo bench "
                        "CSV needs %s)", names[k],
                        "topic,kernel,workers,size,rep,seconds,checksum");
    }
    r->nheader = n;
    return 0;
}

/* A report CSV has several tables; only `slices` needs the slice columns,
 * so they are checked at its first row. */
static int read_header(struct reader *r, char **f, int n)
{
    if (r->is_report < 0)
        r->is_report = !strcmp(f[0], "table");
    if (r->is_report && strcmp(f[0], "table"))     /* found by fuzzing */
        return fail(r, "a table's header must start with 'table' (got "
                    "'%s')", f[0]);
    if (r->is_report)
        return find_cols(r, f, n, slice_cols, NSCOLS, 0);
    return find_cols(r, f, n, bench_cols, NCOLS, C_CHECKSUM + 1);
}

static int num_ll(struct reader *r, const char *col, const char *s,
                  long long min, long long max, long long *out)
{
    char *end;

    errno = 0;
    *out = strtoll(s, &end, 10);
    if (!*s || *end || errno)
        return fail(r, "%s is not a whole number (got '%s')", col, s);
    if (*out < min || *out > max)
        return fail(r, "%s must be %lld..%lld (got %s)", col, min, max, s);
    return 0;
}

static int num_double(struct reader *r, const char *col, const char *s,
                      double *out)
{
    char *end;

    errno = 0;
    *out = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(*out))
        return fail(r, "%s is not a number (got '%s')", col, s);
    if (*out < 0)
        return fail(r, "%s must not be negative (got %s)", col, s);
    return 0;
}

static int num_u64(struct reader *r, const char *s, uint64_t *out)
{
    char *end;

    errno = 0;
    *out = strtoull(s, &end, 10);
    if (!*s || *s == '-' || *end || errno)
        return fail(r, "checksum is not a whole number 0..2^64-1 (got "
                    "'%s')", s);
    return 0;
}

static int read_bench_row(struct reader *r, struct bench_csv *c, char **f)
{
    struct bench_row row = { .is_ok = true, .line = r->line };
    long long v, ok = 1;

    if (num_ll(r, "workers", f[r->col[C_WORKERS]], 1, INT_MAX, &v) < 0)
        return -1;
    row.workers = (int)v;
    if (num_ll(r, "size", f[r->col[C_SIZE]], 0, LLONG_MAX, &row.size) < 0 ||
        num_ll(r, "rep", f[r->col[C_REP]], 0, INT_MAX, &v) < 0)
        return -1;
    row.rep = (int)v;
    if (num_double(r, "seconds", f[r->col[C_SECONDS]], &row.seconds) < 0 ||
        num_u64(r, f[r->col[C_CHECKSUM]], &row.checksum) < 0)
        return -1;
    if (r->col[C_OK] >= 0 &&
        num_ll(r, "checksum_ok", f[r->col[C_OK]], 0, 1, &ok) < 0)
        return -1;
    if (!*f[r->col[C_TOPIC]] || !*f[r->col[C_KERNEL]])
        return fail(r, "topic and kernel must not be empty");
    row.is_ok = ok == 1;
    struct bench_row *rows = grow(c->rows, c->nrows, sizeof(*rows));
    if (!rows)
        return fail(r, "out of memory");
    c->rows = rows;
    row.topic = strdup(f[r->col[C_TOPIC]]);
    row.kernel = strdup(f[r->col[C_KERNEL]]);
    c->rows[c->nrows++] = row;
    return row.topic && row.kernel ? 0 : fail(r, "out of memory");
}

static int read_slice(struct reader *r, struct bench_csv *c, char **f)
{
    struct bench_slice s;
    long long cpu;

    if (strcmp(f[r->col[S_TABLE]], "slices"))
        return 0;                       /* another table of the report */
    for (int k = S_RUN; k < NSCOLS; k++)
        if (r->col[k] < 0)
            return fail(r, "table 'slices' has no column '%s' (pardemo "
                        "concurrency --format csv has table,run,task,"
                        "start_s,end_s,cpu)", slice_cols[k]);
    if (num_double(r, "start_s", f[r->col[S_START]], &s.start_secs) < 0 ||
        num_double(r, "end_s", f[r->col[S_END]], &s.end_secs) < 0 ||
        num_ll(r, "cpu", f[r->col[S_CPU]], 0, INT_MAX, &cpu) < 0)
        return -1;
    if (s.end_secs < s.start_secs)
        return fail(r, "end_s %g is before start_s %g", s.end_secs,
                    s.start_secs);
    s.cpu = (int)cpu;
    struct bench_slice *all = grow(c->slices, c->nslices, sizeof(*all));
    if (!all)
        return fail(r, "out of memory");
    c->slices = all;
    s.run = strdup(f[r->col[S_RUN]]);
    s.task = strdup(f[r->col[S_TASK]]);
    c->slices[c->nslices++] = s;
    return s.run && s.task ? 0 : fail(r, "out of memory");
}

/* One line that is not a comment: a header, or a row under the header. */
static int read_line(struct reader *r, struct bench_csv *c, char *line,
                     int *is_new_table)
{
    char *f[MAX_FIELDS];
    int n = benchcsv_split(line, f, MAX_FIELDS);

    if (n < 0)
        return fail(r, "unclosed quote or more than %d fields", MAX_FIELDS);
    if (r->is_report < 0 || (*is_new_table && r->is_report)) {
        *is_new_table = 0;
        return read_header(r, f, n);
    }
    if (n != r->nheader)
        return fail(r, "%d field%s, but the header has %d", n,
                    n == 1 ? "" : "s", r->nheader);
    return r->is_report ? read_slice(r, c, f) : read_bench_row(r, c, f);
}

int benchcsv_parse(FILE *f, const char *name, struct bench_csv *c,
                   char *err, size_t errlen)
{
    struct reader r = { .name = name, .err = err, .errlen = errlen,
                        .is_report = -1 };
    size_t cap = 0, nrows = c->nrows, nslices = c->nslices;
    char *line = NULL;
    int rc = 0, is_new_table = 0;
    ssize_t len;

    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        r.line++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            is_new_table = 1;           /* lib/report: a blank line, then
                                           the next table's header */
        else if (line[0] == '#')
            rc = read_meta(c, line) < 0 ? fail(&r, "out of memory") : 0;
        else
            rc = read_line(&r, c, line, &is_new_table);
    }
    if (rc == 0 && ferror(f))
        rc = fail(&r, "read error: %s", strerror(errno));
    free(line);
    r.line = 0;
    if (rc == 0 && r.is_report < 0)
        rc = fail(&r, "no header row; expected a pardemo bench CSV (%s)",
                  BENCHCSV_HEADER);
    else if (rc == 0 && !r.is_report && c->nrows == nrows)
        rc = fail(&r, "no rows under the header");
    else if (rc == 0 && r.is_report && c->nslices == nslices)
        rc = fail(&r, "no 'slices' rows (expected the output of pardemo "
                  "concurrency --format csv)");
    return rc;
}

int benchcsv_read(const char *path, struct bench_csv *c, char *err,
                  size_t errlen)
{
    FILE *f = fopen(path, "r");
    int rc;

    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    rc = benchcsv_parse(f, path, c, err, errlen);
    fclose(f);
    return rc;
}

const char *benchcsv_meta(const struct bench_csv *c, const char *key)
{
    for (size_t i = 0; i < c->nmeta; i++)
        if (!strcmp(c->meta[i].key, key))
            return c->meta[i].value;
    return NULL;
}

int benchcsv_cpus(const struct bench_csv *c)
{
    const char *s = benchcsv_meta(c, "cpus_allowed");
    int n;

    if (!s)
        s = benchcsv_meta(c, "cpus_online");
    return s && sscanf(s, "%d", &n) == 1 && n > 0 ? n : 0;
}

const char *benchcsv_machine(const struct bench_csv *c, char *buf,
                             size_t len)
{
    const char *model = benchcsv_meta(c, "cpu_model");
    const char *online = benchcsv_meta(c, "cpus_online");
    int allowed = benchcsv_cpus(c), on = online ? atoi(online) : 0;

    if (!model && !allowed)
        snprintf(buf, len, "unknown machine");
    else if (on > allowed)
        snprintf(buf, len, "%s, %d of %d CPUs", model ? model : "unknown CPU",
                 allowed, on);
    else
        snprintf(buf, len, "%s, %d CPU%s", model ? model : "unknown CPU",
                 allowed, allowed == 1 ? "" : "s");
    return buf;
}

void benchcsv_free(struct bench_csv *c)
{
    size_t i;

    for (i = 0; i < c->nmeta; i++) {
        free(c->meta[i].key);
        free(c->meta[i].value);
    }
    for (i = 0; i < c->nrows; i++) {
        free(c->rows[i].topic);
        free(c->rows[i].kernel);
    }
    for (i = 0; i < c->nslices; i++) {
        free(c->slices[i].run);
        free(c->slices[i].task);
    }
    free(c->meta);
    free(c->rows);
    free(c->slices);
    memset(c, 0, sizeof(*c));
}
