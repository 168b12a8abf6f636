/* read.c - spark.read.csv(path, header=True, inferSchema=True) for C.
 * Two jobs run before any query: one reads the first line (the column
 * names), one reads every line to infer the columns' types. Then the
 * rows are a lazy RDD like any other: show() takes the first n + 1.
 * pardemo csv prints the lecture's table this way (demos/csv.c);
 * pardemo spark's DataFrames run the same stages from Python.
 */
#include "sql_impl.h"
#include "csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Spark's makeSafeHeader: an empty name is _c<i>; a repeated one (any
 * case) gets its index added. */
static char *safe_name(const struct csv_field *f, int n, int i)
{
    char buf[512], other[512];
    int repeats = 0;

    csv_copy(&f[i], buf, sizeof(buf));
    if (!buf[0]) {
        snprintf(buf, sizeof(buf), "_c%d", i);
        return strdup(buf);
    }
    for (int k = 0; k < n; k++) {
        csv_copy(&f[k], other, sizeof(other));
        repeats += !strcasecmp(other, buf);
    }
    if (repeats > 1)
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%d", i);
    return strdup(buf);
}

/* The header line: its text (lines equal to it are skipped) and names. */
static int read_header(struct sql_frame *f)
{
    struct rdd_result first = { 0 };
    struct csv_field fields[SQL_MAX_CSV_COLS];
    struct csv_reader r;
    int n;

    if (rdd_first(f->lines, &first) < 0)
        return -1;
    f->header = strndup(first.v[0].s, first.v[0].len);
    rdd_result_free(&first);
    csv_init(&r, f->header, strlen(f->header), "header");
    n = csv_next(&r, fields, SQL_MAX_CSV_COLS);
    if (n < 1 || n > SQL_MAX_CSV_COLS) {
        snprintf(rdd_context_of(f->lines)->error, sizeof(rdd_context_of(
                 f->lines)->error), "the header has %d fields (1..%d read)",
                 n, SQL_MAX_CSV_COLS);
        return -1;
    }
    f->ncols = n;
    f->names = calloc((size_t)n, sizeof(*f->names));
    f->types = calloc((size_t)n, sizeof(*f->types));
    for (int i = 0; i < n; i++)
        f->names[i] = safe_name(fields, n, i);
    return 0;
}

/* inferSchema: each task folds its lines' types, the driver merges the
 * tasks' answers in order (SQL_NULL left over is a string). */
static int infer(struct sql_frame *f)
{
    struct sql_stage st = { .source = SQL_SRC_CSV, .csv = &f->csv,
                            .sink = SQL_INFER };
    struct rdd_result parts = { 0 };

    if (rdd_collect(sql_stage_at(f->lines, &st, "inferSchema", RDD_HERE),
                    &parts) < 0)
        return -1;
    for (size_t p = 0; p < parts.n; p++)
        for (int i = 0; i < f->ncols; i++)
            f->types[i] = sql_csv_merge(f->types[i],
                                        (enum sql_type)parts.v[p].items[i].i);
    for (int i = 0; i < f->ncols; i++)
        if (f->types[i] == SQL_NULL)
            f->types[i] = SQL_STRING;
    rdd_result_free(&parts);
    return 0;
}

int sql_read_csv(struct rdd *lines, bool is_infer, struct sql_frame *f)
{
    memset(f, 0, sizeof(*f));
    f->lines = lines;
    if (read_header(f) < 0)
        return -1;
    f->csv = (struct sql_csv){ .ncols = f->ncols, .types = f->types,
        .header = f->header, .header_len = strlen(f->header),
        .null_value = "", .nan_value = "NaN", .pos_inf = "Inf",
        .neg_inf = "-Inf" };
    for (int i = 0; i < f->ncols; i++)
        f->types[i] = is_infer ? SQL_NULL : SQL_STRING;
    if (is_infer && infer(f) < 0)
        return -1;
    f->scan = (struct sql_stage){ .source = SQL_SRC_CSV, .csv = &f->csv,
                                  .sink = SQL_EMIT };
    f->rows = sql_stage_at(lines, &f->scan, "FileScan csv", RDD_HERE);
    return 0;
}

/* Each column's width from a table's top border "+---+-----+". */
static void border_widths(const char *s, int ncols, int *w)
{
    for (int i = 0; i < ncols && *s == '+'; i++) {
        w[i] = (int)strspn(s + 1, "-");
        s += w[i] + 1;
    }
}

/* Marks in is_dropped the widest columns (the rightmost of equals) until
 * a table of widths w fits width characters; how many are left. */
static int drop_to_fit(const int *w, int ncols, int width, bool *is_dropped)
{
    int total = 1, keep = ncols;

    for (int i = 0; i < ncols; i++)
        total += w[i] + 1;
    while (total > width && keep > 1) {
        int j = -1;
        for (int i = 0; i < ncols; i++)
            if (!is_dropped[i] && (j < 0 || w[i] >= w[j]))
                j = i;
        is_dropped[j] = true;
        total -= w[j] + 1;
        keep--;
    }
    return keep;
}

/* show() of the columns not dropped. */
static void show_kept(struct sql_frame *f, const struct rdd_result *head,
                      int n, int truncate, const bool *is_dropped, int keep,
                      struct rdd_buf *out)
{
    const char **names = sql_xrealloc(NULL, (size_t)keep * sizeof(*names));
    enum sql_type *types = sql_xrealloc(NULL, (size_t)keep * sizeof(*types));
    struct rdd_value *rows = sql_xrealloc(NULL, (head->n + 1) *
                                          sizeof(*rows));
    struct rdd_value *items = sql_xrealloc(NULL, (head->n + 1) *
                                           (size_t)keep * sizeof(*items));

    for (size_t r = 0; r < head->n; r++) {
        rows[r] = head->v[r];
        rows[r].len = (uint32_t)keep;
        rows[r].items = items + r * (size_t)keep;
    }
    for (int i = 0, k = 0; i < f->ncols; i++) {
        if (is_dropped[i])
            continue;
        names[k] = f->names[i];
        types[k] = f->types[i];
        for (size_t r = 0; r < head->n; r++)
            rows[r].items[k] = head->v[r].items[i];
        k++;
    }
    sql_show(out, names, keep, types, rows, head->n, n, truncate, false);
    free(items);
    free(rows);
    free(types);
    free(names);
}

int sql_frame_show(struct sql_frame *f, int n, int truncate, int width,
                   bool *is_dropped, struct rdd_buf *out)
{
    struct rdd_result head = { 0 };
    struct rdd_buf all = { 0 };
    int *w, keep = f->ncols;

    if (rdd_take(f->rows, (size_t)(n < 0 ? 0 : n) + 1, &head) < 0)
        return -1;
    sql_show(&all, (const char *const *)f->names, f->ncols, f->types,
             head.v, head.n, n, truncate, false);
    w = sql_xrealloc(NULL, ((size_t)f->ncols + 1) * sizeof(*w));
    memset(w, 0, ((size_t)f->ncols + 1) * sizeof(*w));
    rdd_buf_add(&all, "", 1);
    border_widths(all.s, f->ncols, w);
    if (width > 0)
        keep = drop_to_fit(w, f->ncols, width, is_dropped);
    if (keep < f->ncols)
        show_kept(f, &head, n, truncate, is_dropped, keep, out);
    else
        rdd_buf_add(out, all.s, all.len - 1);
    free(w);
    rdd_buf_free(&all);
    rdd_result_free(&head);
    return 0;
}

void sql_frame_free(struct sql_frame *f)
{
    for (int i = 0; f->names && i < f->ncols; i++)
        free(f->names[i]);
    free(f->names);
    free(f->types);
    free(f->header);
    memset(f, 0, sizeof(*f));
}
