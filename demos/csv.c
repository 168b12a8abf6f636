/* csv.c - the lecture's "Parsing files": csv_to_record on trade data.
 * csv_lines.map(csv_to_record) turns each line into a record (a dict);
 * first(), count(), then Value totals by Country with reduceByKey. The
 * slide's table is a DataFrame's show(5): the same file read by
 * spark.read.csv(header=True, inferSchema=True) (lib/sql), drawn as Spark
 * draws it. Look at what the slide's line.split(",") does to a quoted
 * "Korea, Republic of", at the types inferSchema found, and at how
 * little the totals shuffle.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "csv.h"
#include "trade.h"
#include "textgen.h"
#include "private.h"
#include "cleanup.h"
#include "rdd/rdd.h"
#include "rdd/rdd_report.h"
#include "sql/sql.h"
#include "demos.h"
#include "lesson/csv.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_WIDTH 80            /* the projector's columns */

struct csv_opts {
    long long rows;
    int partitions, top;
    bool is_explain;
};

/* The header's column names, the keys of every record. */
struct columns {
    char text[512];
    struct rdd_value name[TRADE_FIELDS];
    char label[TRADE_FIELDS][64];   /* the names, NUL-terminated */
    int n;
};

/* ---- the lambdas */

static bool is_not_header(struct rdd_value line, void *ctx)
{
    const char *header = ctx;

    return line.len != strlen(header) || memcmp(line.s, header, line.len);
}

/* csv_to_record, with an RFC 4180 parser (lib/csv) instead of the slide's
 * line.split(","): a dict {column: field}, or None for a line that does
 * not have one field per column. */
static struct rdd_value csv_to_record(struct rdd_value line,
                                      struct rdd_arena *a, void *ctx)
{
    const struct columns *cols = ctx;
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    struct rdd_value rec;
    int n;

    csv_init(&r, line.s, line.len, "line");
    if ((n = csv_next(&r, f, TRADE_FIELDS)) != cols->n)
        return rdd_none();
    rec = (struct rdd_value){ .kind = RDD_DICT, .len = (uint32_t)n,
                              .items = rdd_alloc(a, 2 * (size_t)n *
                                                 sizeof(*rec.items)) };
    for (int i = 0; i < n; i++) {
        char *s = (char *)f[i].p;
        size_t len = f[i].len;
        if (f[i].has_escapes) {     /* "" pairs undone in a copy */
            s = rdd_alloc(a, len + 1);
            len = csv_copy(&f[i], s, len + 1);
        }
        rec.items[2 * i] = cols->name[i];
        rec.items[2 * i + 1] = rdd_str(s, len);
    }
    return rec;
}

static bool is_none(struct rdd_value rec, void *ctx)
{
    (void)ctx;
    return rec.kind == RDD_NONE;
}

/* len(line.split(",")) != number of columns: the slide's parser breaks */
static bool splits_wrong(struct rdd_value line, void *ctx)
{
    const struct columns *cols = ctx;
    int n = 1;

    for (uint32_t i = 0; i < line.len; i++)
        n += line.s[i] == ',';
    return n != cols->n;
}

static struct rdd_value field(struct rdd_value rec, int col)
{
    return rec.items[2 * col + 1];
}

/* Measure == "$": Values in dollars (the others are tonnes) */
static bool is_dollars(struct rdd_value rec, void *ctx)
{
    (void)ctx;
    return rec.kind == RDD_DICT && field(rec, TRADE_MEASURE).len == 1 &&
           field(rec, TRADE_MEASURE).s[0] == '$';
}

/* (record["Country"], int(record["Value"])) */
static struct rdd_value country_value(struct rdd_value rec,
                                      struct rdd_arena *a, void *ctx)
{
    struct rdd_value v = field(rec, TRADE_VALUE);
    int64_t value = 0;
    size_t digits = v.len > 0 && v.s[0] == '-';

    (void)ctx;
    while (digits < v.len && v.s[digits] >= '0' && v.s[digits] <= '9')
        digits++;
    /* Python's int(): a word is a ValueError; a number past 64 bits is
     * a big int there, and an error here (not a silent 0) */
    if (trade_parse_int(v.s, v.len, &value) < 0)
        rdd_task_fail(digits == v.len && v.len > 0 ? RDD_VALUE_TOO_BIG
                      : "ValueError: invalid literal for int() with base "
                        "10 (a Value that is not a whole number)");
    return rdd_pair(a, field(rec, TRADE_COUNTRY), rdd_int(value));
}

/* (country, total) -> (-total, country): takeOrdered gives biggest first */
static struct rdd_value by_total(struct rdd_value kv, struct rdd_arena *a,
                                 void *ctx)
{
    (void)ctx;
    return rdd_pair(a, rdd_int(-rdd_val(kv).i), rdd_key(kv));
}

/* ---- the job */

struct csv_run {
    struct rdd *lines, *records;
    struct rdd_result first, head, top;
    struct sql_frame frame;     /* spark.read.csv(...), inferSchema */
    struct rdd_buf show;        /* its show(5), as Spark prints it */
    bool *is_dropped;           /* columns left out so that show fits */
    long long count, malformed, broken_by_split;
    struct rdd_stage_log totals_map;    /* reduceByKey's map stage */
    bool is_trade;              /* the trade header: totals make sense */
    double seconds;
};

/* The header (the first line) gives the records' keys. */
static int read_header(struct rdd *lines, struct columns *cols)
{
    struct rdd_result res;
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;

    if (rdd_first(lines, &res) < 0)
        return -1;      /* "RDD is empty": no header */
    snprintf(cols->text, sizeof(cols->text), "%.*s", (int)res.v[0].len,
             res.v[0].s);
    rdd_result_free(&res);
    csv_init(&r, cols->text, strlen(cols->text), "header");
    cols->n = csv_next(&r, f, TRADE_FIELDS);
    if (cols->n < 1 || cols->n > TRADE_FIELDS) {
        snprintf(rdd_context_of(lines)->error, sizeof(rdd_context_of(lines)->
                 error), "the header has %d fields (expected 1..%d)",
                 cols->n, TRADE_FIELDS);
        return -1;
    }
    for (int i = 0; i < cols->n; i++) { /* slices of cols->text */
        cols->name[i] = rdd_str(f[i].p, f[i].len);
        snprintf(cols->label[i], sizeof(cols->label[i]), "%.*s",
                 (int)f[i].len, f[i].p);
    }
    return 0;
}

/* The country totals: filter($), map to (Country, Value), reduceByKey. */
static int totals(struct csv_run *w, int top)
{
    struct rdd_context *sc = rdd_context_of(w->records);
    struct rdd *sums = rdd_reduce_by_key(rdd_map(rdd_filter(w->records,
                           is_dollars, NULL), country_value, NULL), rdd_add,
                           NULL, 0);
    int first = sc->nstages;

    if (rdd_take_ordered(rdd_map(sums, by_total, NULL), (size_t)top,
                         &w->top) < 0)
        return -1;
    for (int i = first; i < sc->nstages; i++)
        if (sc->stages[i].is_shuffle_map)
            w->totals_map = sc->stages[i];
    return 0;
}

static int run_csv(struct rdd_context *sc, const char *path,
                   const struct csv_opts *o, struct columns *cols,
                   struct csv_run *w)
{
    double t0 = clk_now();

    if (!(w->lines = rdd_text_file(sc, path, o->partitions)))
        return -1;
    if (read_header(w->lines, cols) < 0) {
        if (strstr(sc->error, "RDD is empty"))
            snprintf(sc->error, sizeof(sc->error), "%s: empty file (expected "
                     "a header line)", path);
        return -1;
    }
    w->records = rdd_cache(rdd_map(rdd_filter(w->lines, is_not_header,
                                              cols->text), csv_to_record,
                                   cols));
    if (rdd_first(w->records, &w->first) < 0) {
        snprintf(sc->error, sizeof(sc->error), "%s: no records after the "
                 "header", path);
        return -1;
    }
    if (rdd_take(w->records, 5, &w->head) < 0 ||
        rdd_count(w->records, &w->count) < 0 ||
        rdd_count(rdd_filter(w->records, is_none, NULL), &w->malformed) < 0 ||
        rdd_count(rdd_filter(rdd_filter(w->lines, is_not_header, cols->text),
                             splits_wrong, cols), &w->broken_by_split) < 0)
        return -1;
    if (sql_read_csv(w->lines, true, &w->frame) < 0)
        return -1;
    w->is_dropped = calloc((size_t)w->frame.ncols + 1, sizeof(bool));
    if (!w->is_dropped || sql_frame_show(&w->frame, 5, 20, SHOW_WIDTH,
                                         w->is_dropped, &w->show) < 0)
        return -1;
    w->is_trade = strcmp(cols->text, TRADE_HEADER) == 0;
    if (w->is_trade && totals(w, o->top) < 0)   /* needs Country, Value */
        return -1;
    w->seconds = clk_now() - t0;
    return 0;
}

/* ---- the report */

/* The call that printed the table: df.show(5), or df.drop("a", "b")
 * .show(5) when columns were left out to fit the screen. */
static void show_call(struct rdd_buf *b, const struct csv_run *w)
{
    const struct sql_frame *f = &w->frame;
    const char *sep = "df.drop(";

    for (int i = 0; i < f->ncols; i++) {
        if (!w->is_dropped[i])
            continue;
        rdd_buf_add(b, sep, strlen(sep));
        rdd_buf_add(b, "\"", 1);
        rdd_buf_add(b, f->names[i], strlen(f->names[i]));
        rdd_buf_add(b, "\"", 1);
        sep = ", ";
    }
    if (strcmp(sep, ", ") == 0)
        rdd_buf_add(b, ").show(5)", 9);
    else
        rdd_buf_add(b, "df.show(5)", 10);
}

/* The slide's table: the file as a DataFrame, its show(5) and its
 * schema, as Spark prints them (text output only). */
static void report_frame(struct report *r, const struct csv_run *w)
{
    const struct sql_frame *f = &w->frame;
    struct rdd_buf schema = { 0 }, call = { 0 };
    bool *is_null = calloc((size_t)f->ncols + 1, sizeof(*is_null));

    for (int i = 0; is_null && i < f->ncols; i++)
        is_null[i] = true;
    if (is_null)
        sql_tree_string(&schema, (const char *const *)f->names, f->types,
                        is_null, f->ncols);
    show_call(&call, w);
    report_text(r, "The same file as a DataFrame (the slide's table is "
                "Spark's show%s):\n\n>>> df = spark.read.csv(path, "
                "header=True, inferSchema=True)\n>>> %.*s\n%.*s\n>>> "
                "df.printSchema()\n%.*s", call.len > 10 ? "; the widest "
                "columns are dropped here to fit 80 columns, pardemo spark "
                "prints them all" : "", (int)call.len, call.s,
                (int)w->show.len, w->show.s, (int)schema.len, schema.s);
    rdd_buf_free(&call);
    rdd_buf_free(&schema);
    free(is_null);
}

/* records.take(5) as a table (CSV and JSON output: one column per field) */
static void report_head(struct report *r, const struct columns *cols,
                        const struct rdd_result *head)
{
    struct table *t = report_table(r, "show", "records.take(5), as a table");
    char cell[256];

    for (int i = 0; i < cols->n; i++)
        table_col(t, cols->label[i], cols->label[i], U_TEXT);
    for (size_t k = 0; k < head->n; k++) {
        for (int i = 0; i < cols->n; i++) {
            struct rdd_value v = head->v[k].kind == RDD_DICT
                                 ? field(head->v[k], i) : rdd_cstr("None");
            snprintf(cell, sizeof(cell), "%.*s", (int)v.len, v.s);
            table_str(t, cell);
        }
    }
    table_end(t);
    report_text(r, "only showing top %zu rows", head->n);
}

static void report_totals(struct report *r, const struct rdd_result *top)
{
    struct table *t = report_table(r, "totals", "Value ($) by Country, "
                                   "biggest first (reduceByKey)");

    table_col(t, "country", "Country", U_TEXT);
    table_col(t, "total", "total Value ($)", U_INT);
    for (size_t i = 0; i < top->n; i++) {
        struct rdd_value c = rdd_val(top->v[i]);
        char name[128];
        snprintf(name, sizeof(name), "%.*s", (int)c.len, c.s);
        table_str(t, name);
        table_num(t, (double)-rdd_key(top->v[i]).i);
    }
    table_end(t);
}

static void report_counts(struct report *r, const struct csv_run *w)
{
    struct table *t = report_table(r, "counts", "Counts");

    table_col(t, "what", "what", U_TEXT);
    table_col(t, "count", "count", U_INT);
    table_str(t, "records.count()");
    table_num(t, (double)w->count);
    table_str(t, "records with the wrong number of fields (None)");
    table_num(t, (double)w->malformed);
    table_str(t, "lines line.split(\",\") cuts wrongly");
    table_num(t, (double)w->broken_by_split);
    table_end(t);
}

/* Is the first record's field i a dd/MM/yyyy date? */
static bool is_ddmmyyyy(const struct csv_run *w, int i)
{
    struct rdd_value rec = w->first.v[0], v;
    int64_t days;

    if (rec.kind != RDD_DICT || (uint32_t)i >= rec.len)
        return false;
    v = field(rec, i);
    return sql_parse_date(v.s, v.len, "dd/MM/yyyy", &days) == 0;
}

/* A column name a notice may quote (the sentence reads {braces}). */
static const char *quotable(const char *name)
{
    return strpbrk(name, "{}") ? NULL : name;
}

/* What inferSchema made of the columns, for the rules. */
static void frame_lesson(const struct csv_run *w, struct csv_lesson *x)
{
    const struct sql_frame *f = &w->frame;

    for (int i = 0; i < f->ncols; i++) {
        const char *name = quotable(f->names[i]);

        if (f->types[i] == SQL_STRING && is_ddmmyyyy(w, i)) {
            x->ddmmyyyy_strings++;
            x->date_col = x->date_col ? x->date_col : name;
        } else if (f->types[i] == SQL_LONG) {
            x->long_cols++;
            x->long_col = x->long_col ? x->long_col : name;
        } else if (f->types[i] == SQL_INT) {
            x->int_cols++;
            x->int_col = x->int_col ? x->int_col : name;
        }
    }
}

/* The rules read this run's counts (lib/lesson/csv). */
static void notices(struct report *r, const struct csv_run *w)
{
    struct csv_lesson x = {
        .lines = w->count, .broken_by_split = w->broken_by_split,
        .combine_in = w->totals_map.records_out,
        .combine_out = w->totals_map.records_written,
        .is_trade = w->is_trade,
    };
    struct notices ns;

    frame_lesson(w, &x);
    notices_init(&ns);
    csv_lesson_notices(&x, &ns);
    report_notices(r, &ns);
}

static void report_all(const struct run_params *p, const struct csv_opts *o,
                       const struct columns *cols, struct csv_run *w,
                       struct rdd_context *sc)
{
    struct report *r = report_begin(p, "Parsing a CSV file into records",
                                    "csv_lines.map(csv_to_record), then "
                                    "first(), count() and totals by key.");
    struct rdd_buf b = { 0 };

    report_param(r, "input", "%s", p->nargs ? p->args[0]
                 : "generated trade CSV");
    report_param(r, "threads", "%d", p->threads);
    report_param(r, "partitions", "%d", rdd_num_partitions(w->lines));
    rdd_repr(&b, w->first.v[0]);
    report_text(r, "header = csv_lines.first()\n"
                "records = csv_lines.filter(lambda l: l != header)"
                ".map(csv_to_record)\nrecords.cache()\n\n"
                ">>> records.first()\n%s", b.s);
    rdd_buf_free(&b);
    if (p->format == FMT_TEXT)
        report_frame(r, w);
    else
        report_head(r, cols, &w->head);
    report_counts(r, w);
    if (w->is_trade)
        report_totals(r, &w->top);
    if (o->is_explain) {
        rdd_report_lineage(r, w->records, "records.toDebugString():");
        rdd_report_stages(r, sc, "stages", "Stages");
    }
    notices(r, w);
    report_end(r);
}

static const struct cli_opt csv_opts_table[] = {
    { "rows", 0, CLI_SIZE, "N", "trade rows to generate when no FILE is "
      "given", 1, TRADE_MAX_ROWS, NULL, offsetof(struct csv_opts, rows) },
    { "partitions", 'p', CLI_INT, "N", "textFile's minPartitions (0: "
      "min(threads, 2), Spark's default)", 0, 4096, NULL,
      offsetof(struct csv_opts, partitions) },
    { "top", 0, CLI_INT, "N", "how many countries to list", 1, 1000, NULL,
      offsetof(struct csv_opts, top) },
    { "explain", 0, CLI_FLAG, NULL, "print the lineage and the stages", 0, 0,
      NULL, offsetof(struct csv_opts, is_explain) },
    { 0 },
};

static const struct cli_spec csv_spec = {
    .args = "[FILE]",
    .min_args = 0, .max_args = 1,
    .common = CLI_THREADS | CLI_SEED | CLI_FORMAT | CLI_QUIET | CLI_QUICK,
    .opts = csv_opts_table,
    .examples = "pardemo csv --quick\npardemo csv trade.csv --explain\n"
                "pardemo gen trade --rows 1M -o trade.csv && "
                "pardemo csv trade.csv -t 1",
};

/* The input: FILE, or trade data generated into a temporary file. */
static int input_path(const struct run_params *p, const struct csv_opts *o,
                      char **gen, int *slot, const char **path)
{
    struct gen_params g = { o->rows, 0, p->seed };

    *path = p->nargs ? p->args[0] : NULL;
    if (p->nargs)
        return 0;
    if (textgen_temp_file(trade_write, &g, "csv", gen, slot) < 0) {
        cli_error("csv", "cannot generate trade data in %s: %s",
                  priv_tmp_base(), cli_strerror(errno));
        return 1;
    }
    *path = *gen;
    return 0;
}

static int csv_main(int argc, char **argv)
{
    struct run_params p;
    struct csv_opts o = { 100000, 0, 10, false };
    struct columns cols = { .n = 0 };
    struct csv_run w = { 0 };
    struct rdd_context *sc;
    char *gen = NULL;
    const char *path;
    int rc, slot = -1;

    cli_defaults(&p, "csv");
    if ((rc = cli_parse(&demo_csv, argc, argv, &p, &o)) >= 0)
        return rc;
    if (p.is_quick && o.rows == 100000)
        o.rows = 20000;
    cleanup_init();
    if ((rc = input_path(&p, &o, &gen, &slot, &path)) != 0)
        return rc;
    sc = rdd_context_new(p.threads);
    if (run_csv(sc, path, &o, &cols, &w) < 0) {
        cli_error("csv", "%s", sc->error);
        rc = 1;
    } else {
        report_all(&p, &o, &cols, &w, sc);
    }
    rdd_result_free(&w.first);
    rdd_result_free(&w.head);
    rdd_result_free(&w.top);
    rdd_buf_free(&w.show);
    free(w.is_dropped);
    rdd_context_free(sc);
    sql_frame_free(&w.frame);
    textgen_temp_remove(gen, slot);
    return rc;
}

const struct demo demo_csv = {
    .name = "csv",
    .summary = "the lecture's csv_to_record: records, first(), count(), totals",
    .main = csv_main,
    .slide = "Apache Spark: parsing files",
    .spec = &csv_spec,
};
