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

int sql_frame_show(struct sql_frame *f, int n, int truncate,
                   struct rdd_buf *out)
{
    struct rdd_result head = { 0 };

    if (rdd_take(f->rows, (size_t)(n < 0 ? 0 : n) + 1, &head) < 0)
        return -1;
    sql_show(out, (const char *const *)f->names, f->ncols, f->types, head.v,
             head.n, n, truncate, false);
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
