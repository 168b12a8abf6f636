/* report.h - the one place that prints results.
 * Kernels return numbers; a topic hands them to a report as tables and
 * sentences, and the report prints them as aligned text, CSV or JSON.
 * Values are stored in base units (seconds, bytes, fractions) and scaled
 * only for the text view, so CSV and JSON stay machine-friendly.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "conditions.h"
#include "pardemo.h"

struct notices;

enum unit {
    U_TEXT,     /* a string cell */
    U_INT,      /* a count, printed whole */
    U_NUM,      /* a plain number, 3 significant digits */
    U_SEC,      /* seconds, shown as s */
    U_MS,       /* seconds, shown as ms */
    U_US,       /* seconds, shown as µs */
    U_NS,       /* seconds, shown as ns */
    U_RATIO,    /* a ratio, shown as 1.93x */
    U_PCT,      /* a fraction 0..1, shown as 12.5% */
    U_MBPS,     /* bytes per second, shown as MB/s (10^6) */
    U_MIB,      /* bytes, shown as MiB */
    U_DUR,      /* seconds, shown in the unit that reads best (ms, µs) */
};

struct report;
struct table;

/* Starts a report: the title and the lecture idea it shows. Never NULL
 * (exits on out-of-memory). */
struct report *report_begin(const struct run_params *p, const char *title,
                            const char *idea);

/* A parameter line item ("threads", "2"); printed with the machine before
 * the first table. */
void report_param(struct report *r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A paragraph for the text view only (diagrams, before/after values);
 * CSV and JSON leave it out. */
void report_text(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A table: name is its key in CSV/JSON, caption its heading in text. */
struct table *report_table(struct report *r, const char *name,
                           const char *caption);
void table_col(struct table *t, const char *key, const char *head,
               enum unit u);
/* A column for CSV and JSON only (the text view leaves it out, to fit 80
 * columns): checksums, interval ends. */
void table_col_data(struct table *t, const char *key, enum unit u);
/* Cells fill the current row left to right; a full row starts the next. */
void table_str(struct table *t, const char *s);
void table_num(struct table *t, double v);
/* Prints the table in the chosen format and frees it. */
void table_end(struct table *t);

/* A "What to notice" sentence, computed by the caller from measurements.
 * Prefer report_notices: a sentence without its rule cannot be checked. */
void report_notice(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Takes the notices a topic's rules produced (ns is emptied). A notice
 * whose relations do not hold is a bug in its rule: it is dropped, with a
 * line on stderr, so that a false sentence never reaches a student. */
void report_notices(struct report *r, struct notices *ns);

/* What the machine was doing during a phase of the measurement (lib/
 * conditions), printed as a "Conditions" line before the notices and as
 * "conditions" in CSV (a # line) and JSON. A topic that gives none gets
 * one for its whole run; c == NULL says the run measured nothing (a
 * model, a listing), so there are no conditions to print. */
void report_conditions(struct report *r, const char *phase,
                       const struct cond *c);

/* A value as a sentence quotes it: 3 significant digits and the unit
 * ("1.95x", "41.0 ms", "12.5%"). */
void report_value_text(char *buf, size_t len, double v, enum unit u);

/* Writes s to f after the first-line prefix `first`, wrapped at 78
 * columns, continuation lines indented by `indent` spaces: a notice as
 * the text view prints it ("  - ", 4). */
void report_wrap(FILE *f, const char *s, const char *first, size_t indent);

/* The unit's name in JSON ("ratio", "seconds"...). */
const char *report_unit_name(enum unit u);

/* The Conditions sentence for c (malloc'd). */
char *report_conditions_text(const char *phase, const struct cond *c);

/* A progress line on stderr: only on a terminal, never with -q. */
void report_progress(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the notices (in CSV as `# notice: ...` lines after the tables,
 * so a chart drawn from the CSV can quote them), closes the output and
 * frees r. Returns 0. */
int report_end(struct report *r);

/* Frees r and prints nothing more: the path for a runtime error found
 * after report_begin, so that stdout stays empty (clears any progress). */
void report_discard(struct report *r);

/* Is colour wanted on this stream? (a terminal, and NO_COLOR unset) */
bool report_use_colour(int fd);

/* v with three significant digits and never an exponent, as the tables
 * print it ("1120", "236", "1.82", "0.0467"; "-" when not finite). */
const char *report_sig3(double v, char *buf, size_t len);

/* The same, with numbers of 1000 and more rounded to three significant
 * digits too ("7826" -> "7830"): for labels on a chart. */
const char *report_sig3_round(double v, char *buf, size_t len);

/* Writes s as a CSV field / a JSON string (with quotes) to f. */
void report_csv_field(FILE *f, const char *s);
void report_json_string(FILE *f, const char *s);

/* Display width of a UTF-8 string (code points, not bytes). */
size_t report_utf8_width(const char *s);

#endif
