/* lesson/csv.h - the rules of `pardemo csv`.
 * Counts of this run: how many lines the slide's split(",") gets wrong,
 * what the map-side combine summed, which types inferSchema gave the
 * columns. True by their numbers, or not said.
 */
#ifndef LESSON_CSV_H
#define LESSON_CSV_H

#include <stdbool.h>
#include "notice.h"

struct csv_lesson {
    long long lines;            /* records read */
    long long broken_by_split;  /* lines split(",") cuts wrongly */
    long long combine_in;       /* dollar records into the map side */
    long long combine_out;      /* (country, total) pairs it wrote */
    bool is_trade;              /* the trade data's header */
    /* spark.read.csv(header=True, inferSchema=True) of the same file: */
    int ddmmyyyy_strings;       /* string columns whose first value is a
                                   dd/MM/yyyy date */
    const char *date_col;       /* the first of them (no braces), or NULL */
    int int_cols, long_cols;    /* columns inferred integer, long */
    const char *int_col, *long_col;   /* the first of each, or NULL */
};

/* Appends the topic's notices for x to ns. */
void csv_lesson_notices(const struct csv_lesson *x, struct notices *ns);

#endif
