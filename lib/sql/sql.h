/* sql.h - Spark SQL's engine in C: DataFrame rows on the RDD engine.
 * A DataFrame's row is an engine tuple whose items have SQL types (long,
 * double, string, boolean, date...). A stage of a query is one C loop
 * over a partition -- read CSV lines or rows, filter, project, then hand
 * the rows on, or fold them into a hash aggregate, or key them for a sort
 * or a join -- as Spark's whole-stage code generation fuses its operators.
 * Between stages the engine's shuffles move the rows (lib/rdd).
 */
#ifndef SQL_H
#define SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdd/rdd.h"

/* ---- types ----------------------------------------------------------
 * How each type travels in the engine: integral types, dates (days since
 * 1970-01-01, as Spark keeps them) and timestamps (microseconds of wall
 * clock time since 1970-01-01 00:00) as RDD_INT, float and double as
 * RDD_FLOAT, strings as RDD_STR, booleans as RDD_BOOL, null as RDD_NONE.
 * SQL_OTHER (arrays, maps, structs) is Python's: C moves it, never looks. */
enum sql_type {
    SQL_NULL, SQL_BOOLEAN, SQL_BYTE, SQL_SHORT, SQL_INT, SQL_LONG,
    SQL_FLOAT, SQL_DOUBLE, SQL_STRING, SQL_DATE, SQL_TIMESTAMP, SQL_OTHER,
};
#define SQL_NTYPES (SQL_OTHER + 1)

bool sql_is_integral(enum sql_type t);     /* byte, short, int, long */
bool sql_is_numeric(enum sql_type t);      /* integral, float, double */
/* printSchema's name ("integer"), and NULL for an unknown code. */
const char *sql_type_name(enum sql_type t);
/* The type named by printSchema's name or a DDL name ("int", "BIGINT"),
 * or -1. */
int sql_type_of_name(const char *name);

/* ---- text: how Spark prints and parses values ------------------------ */

/* Java's Double.toString (show() prints doubles so): 100.0, 1.0E7,
 * 1.2345E-5, NaN, Infinity, -0.0. And Float.toString for floats. */
void sql_java_double(struct rdd_buf *b, double d);
void sql_java_float(struct rdd_buf *b, float f);
/* yyyy-MM-dd; yyyy-MM-dd HH:mm:ss[.ffffff] with the fraction's trailing
 * zeros cut, as Spark prints dates and timestamps. */
void sql_date_text(struct rdd_buf *b, int64_t days);
void sql_timestamp_text(struct rdd_buf *b, int64_t micros);
/* v (of type t) as Spark's show() writes a cell: NULL, true, 1.0E7... */
void sql_cell(struct rdd_buf *b, struct rdd_value v, enum sql_type t);

/* Java's Integer.parseInt and Long.parseLong: an optional sign and
 * digits, in range. 0, or -1. */
int sql_parse_long(const char *s, size_t n, int64_t lo, int64_t hi,
                   int64_t *out);
/* Java's Double.parseDouble: blanks around, a sign, digits, a point, an
 * exponent, an f/d suffix, NaN, Infinity. 0, or -1. */
int sql_parse_double(const char *s, size_t n, double *out);
/* A date by a pattern of yyyy, MM, M, dd, d and literal characters
 * (NULL: Spark's strict yyyy-MM-dd). 0 and *days, or -1. */
int sql_parse_date(const char *s, size_t n, const char *pattern,
                   int64_t *days);
/* yyyy-MM-dd[ HH:mm[:ss[.f...]]] or with a 'T' (NULL pattern), or by a
 * pattern as above plus HH, mm, ss. 0 and *micros, or -1. */
int sql_parse_timestamp(const char *s, size_t n, const char *pattern,
                        int64_t *micros);

/* ---- reading CSV (RFC 4180, lib/data/csv) ---------------------------- */

enum sql_csv_mode { SQL_PERMISSIVE, SQL_DROPMALFORMED, SQL_FAILFAST };

struct sql_csv {
    int ncols;
    const enum sql_type *types;     /* of the columns */
    const char *header;             /* lines equal to it are skipped (the
                                       header of each file), or NULL */
    size_t header_len;
    const char *null_value;         /* a field equal to it is null ("") */
    const char *nan_value, *pos_inf, *neg_inf;  /* "NaN", "Inf", "-Inf" */
    const char *date_format;        /* NULL: yyyy-MM-dd */
    const char *timestamp_format;   /* NULL: ISO 8601 */
    enum sql_csv_mode mode;
};

/* Spark 3's inferSchema for one field: the type a column has after
 * typeSoFar meets the text s (int, then long, double, date, timestamp,
 * boolean, else string), as CSVInferSchema.inferField does. */
enum sql_type sql_csv_infer(const struct sql_csv *o, enum sql_type so_far,
                            const char *s, size_t n);
/* The common type of two partitions' answers (CSVInferSchema's
 * mergeRowTypes: SQL_NULL when they do not meet). */
enum sql_type sql_csv_merge(enum sql_type a, enum sql_type b);
/* The field as a value of type t in *out; false when it is not one (the
 * cell is null then, as Spark's PERMISSIVE mode keeps the rest). */
bool sql_csv_value(const struct sql_csv *o, enum sql_type t, const char *s,
                   size_t n, struct rdd_arena *a, struct rdd_value *out);

/* ---- expressions ------------------------------------------------------
 * A typed tree the analyzer (Python) resolved: columns by position,
 * operands already of one type (casts were inserted). Spark's rules for
 * null: an operand that is null makes the result null, but false AND x
 * is false and true OR x is true. */
enum sql_op {
    SQL_COL, SQL_LIT,
    SQL_ADD, SQL_SUB, SQL_MUL, SQL_DIV, SQL_MOD, SQL_NEG,
    SQL_EQ, SQL_NE, SQL_LT, SQL_LE, SQL_GT, SQL_GE, SQL_EQ_NULL_SAFE,
    SQL_AND, SQL_OR, SQL_NOT, SQL_IS_NULL, SQL_IS_NOT_NULL,
    SQL_IN,                         /* arg[0] IN (arg[1], ...) */
    SQL_LIKE,                       /* arg[1] a string literal */
    SQL_CAST,                       /* arg[0] as e->type */
    SQL_CASE,                       /* WHEN a0 THEN a1 ... [ELSE last] */
    SQL_COALESCE,
};

struct sql_expr {
    enum sql_op op;
    enum sql_type type;             /* of the result */
    int col;                        /* SQL_COL: the row's item */
    struct rdd_value lit;           /* SQL_LIT */
    int nargs;
    struct sql_expr **arg;
};

/* e over row (a tuple's items); strings made go in a. */
struct rdd_value sql_eval(const struct sql_expr *e,
                          const struct rdd_value *row, struct rdd_arena *a);
/* CAST(v AS to) for v of type from, Spark's way without ANSI mode: a
 * string that is not a number is null, a double past an int's range
 * stops at its limit. Strings made go in a. */
struct rdd_value sql_cast(struct rdd_value v, enum sql_type from,
                          enum sql_type to, struct rdd_arena *a);
/* SQL's LIKE: % any run, _ one character, \ escapes the next. */
bool sql_like(const char *s, size_t n, const char *pat, size_t m);
/* Spark's ordering of two non-null values of one type (NaN largest). */
int sql_compare(struct rdd_value a, struct rdd_value b);

/* ---- aggregates -------------------------------------------------------- */

enum sql_agg_kind {
    SQL_AGG_COUNT_ALL, SQL_AGG_COUNT, SQL_AGG_SUM, SQL_AGG_AVG,
    SQL_AGG_MIN, SQL_AGG_MAX, SQL_AGG_FIRST, SQL_AGG_LAST,
    SQL_AGG_COUNT_DISTINCT, SQL_AGG_STDDEV_SAMP, SQL_AGG_STDDEV_POP,
    SQL_AGG_VAR_SAMP, SQL_AGG_VAR_POP, SQL_AGG_COLLECT_LIST,
    SQL_AGG_COLLECT_SET,
};

struct sql_agg_fn {
    enum sql_agg_kind kind;
    int col;                        /* its input column (-1: count(*)) */
    enum sql_type in, out;          /* input and result types */
};

/* GROUP BY key columns, then the aggregate functions: the input rows'
 * columns keys[0..nkeys), the output row keys then one value per fn. */
struct sql_agg {
    int nkeys, nfns;
    const int *keys;
    const enum sql_type *key_types;
    const struct sql_agg_fn *fns;
    int nparts;                     /* reduce partitions of the exchange */
};

/* The exchange's partitioner: Spark's hashpartitioning(keys, 200), that
 * is pmod(murmur3(key), 200), with the 200 partitions coalesced into
 * nparts ranges (as adaptive execution coalesces them). ctx is the
 * struct sql_agg. */
int64_t sql_agg_partition(struct rdd_value key, void *agg);
/* Spark's partition (0..199) of a key tuple of these types. */
int sql_spark_partition(struct rdd_value key, const enum sql_type *types);
/* Murmur3_x86_32 as Spark's hash() computes it (seed 42 for a row). */
int32_t sql_murmur3_int(int32_t v, int32_t seed);
int32_t sql_murmur3_long(int64_t v, int32_t seed);
int32_t sql_murmur3_bytes(const char *s, size_t n, int32_t seed);
int32_t sql_murmur3_value(struct rdd_value v, enum sql_type t, int32_t seed);

/* ---- sorting ------------------------------------------------------------ */

struct sql_sort_col {
    int col;
    enum sql_type type;
    bool is_desc, is_nulls_first;
};

/* The sort key of row as bytes whose order (memcmp) is the ORDER BY's:
 * each column null flag first, then its value made order-preserving,
 * inverted for DESC; *seq (the row's place in its input), if seq is not
 * NULL, last, so that equal keys keep their input order. */
struct rdd_value sql_sort_key(const struct sql_sort_col *cols, int n,
                              const struct rdd_value *row,
                              const uint64_t *seq, struct rdd_arena *a);

/* ---- joins --------------------------------------------------------------- */

enum sql_join_how { SQL_INNER, SQL_LEFT, SQL_RIGHT, SQL_FULL, SQL_SEMI,
                    SQL_ANTI, SQL_CROSS };

/* An equi-join: left.keys[i] = right.keys[i]. Output columns, each
 * taken from the left (its column) or the right (its column), and for
 * FULL joins on a name coalesce(left, right) (from = 2). */
struct sql_join_out {
    int from;                       /* 0 left, 1 right, 2 coalesce */
    int left_col, right_col;
};
struct sql_join {
    enum sql_join_how how;
    int nkeys;
    const int *left_keys, *right_keys;
    const enum sql_type *key_types;
    int nleft, nright;              /* columns of each side */
    int nout;
    const struct sql_join_out *out;
    /* a broadcast hash join: the build side's rows, sorted by key */
    bool is_build_left;
    struct rdd_value *build;
    size_t nbuild;
};

/* Sorts the build side's rows by key (driver, before the job). */
void sql_join_build(struct sql_join *j);

/* ---- stages -------------------------------------------------------------- */

enum sql_source {
    SQL_SRC_ROWS,                   /* records are rows */
    SQL_SRC_CSV,                    /* records are CSV lines */
    SQL_SRC_TEXT,                   /* records are lines: (line,) rows */
    SQL_SRC_AGG,                    /* (key, state): merge, then rows */
    SQL_SRC_SORTED,                 /* (sort key, row): the rows */
    SQL_SRC_JOIN,                   /* (key, (side, seq, row)): merge join */
};

enum sql_step_kind { SQL_FILTER, SQL_PROJECT, SQL_LIMIT, SQL_PROBE };

struct sql_step {
    enum sql_step_kind kind;
    const struct sql_expr *cond;                /* FILTER */
    const struct sql_expr *const *exprs;        /* PROJECT */
    int nexprs;
    long long limit;                            /* LIMIT (per partition) */
    const struct sql_join *join;                /* PROBE: broadcast join */
};

enum sql_sink_kind {
    SQL_EMIT,                       /* the rows */
    SQL_PARTIAL_AGG,                /* (key, state) per group */
    SQL_SORT_KEYS,                  /* (sort key, row) */
    SQL_JOIN_KEYS,                  /* (key, (side, seq, row)) */
    SQL_INFER,                      /* one record: the CSV types seen */
    SQL_COUNT,                      /* one record: how many rows */
};

struct sql_stage {
    enum sql_source source;
    const struct sql_csv *csv;      /* SQL_SRC_CSV, SQL_INFER */
    const struct sql_agg *agg;      /* SQL_SRC_AGG, SQL_PARTIAL_AGG */
    const struct sql_join *join;    /* SQL_SRC_JOIN, SQL_JOIN_KEYS */
    const struct sql_step *steps;
    int nsteps;
    enum sql_sink_kind sink;
    const struct sql_sort_col *sort;    /* SQL_SORT_KEYS, SQL_JOIN_KEYS */
    int nsort;
    int side;                       /* SQL_JOIN_KEYS: 0 left, 1 right */
    /* A task that must stop (a malformed record in FAILFAST mode): the
     * embedding's report of why, or NULL to stop the task quietly. */
    void (*fail)(const char *why, void *ctx);
    void *fail_ctx;
};

/* An rdd_pipe_fn: the stage over partition p of its input. */
void sql_stage_run(struct rdd_source *in, int p, struct rdd_sink *out,
                   void *stage);
/* The stage as an engine node over r ("WholeStageCodegen"). */
struct rdd *sql_stage_at(struct rdd *r, struct sql_stage *st,
                         const char *what, const char *at);

/* ---- reading a CSV file from C (read.c) ------------------------------- */

enum { SQL_MAX_CSV_COLS = 1024 };

/* spark.read.csv(path, header=True, inferSchema=is_infer) of a text RDD's
 * lines: the columns, and the lazy RDD of their rows. */
struct sql_frame {
    int ncols;
    char **names;                   /* the header's, made safe */
    enum sql_type *types;
    char *header;                   /* the first line */
    struct sql_csv csv;
    struct sql_stage scan;
    struct rdd *lines, *rows;
};

/* Reads the header (a job) and, if is_infer, every line's types (a
 * job). 0, or -1 with the context's error set (an empty file...). */
int sql_read_csv(struct rdd *lines, bool is_infer, struct sql_frame *f);
/* df.show(n, truncate) of the frame's rows into out (a job). With width
 * > 0, a table wider than width characters leaves out its widest columns
 * (the rightmost of equals) until it fits, and marks them in is_dropped
 * (f->ncols flags, false on entry): df.drop(...).show(n). 0 or -1. */
int sql_frame_show(struct sql_frame *f, int n, int truncate, int width,
                   bool *is_dropped, struct rdd_buf *out);
void sql_frame_free(struct sql_frame *f);

/* ---- show() ----------------------------------------------------------- */

/* Dataset.showString: the first n of rows (n + 1 given means "there is
 * more"), cells cut to truncate characters (0: not cut), as Spark draws
 * them -- borders, right-aligned cells (left when not cut), wide
 * characters counted twice, "only showing top n rows" -- or one line
 * per column (is_vertical). Appended to out. */
void sql_show(struct rdd_buf *out, const char *const *names, int ncols,
              const enum sql_type *types, const struct rdd_value *rows,
              size_t nrows, int n, int truncate, bool is_vertical);
/* printSchema's tree of flat columns: "root\n |-- a: long (nullable =
 * true)\n". */
void sql_tree_string(struct rdd_buf *out, const char *const *names,
                     const enum sql_type *types, const bool *is_nullable,
                     int ncols);

#endif
