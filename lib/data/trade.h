/* trade.h - the lecture's NZ trade CSV: a deterministic generator and a
 * checked parser for its rows.
 * Header: Direction,Year,Date,Weekday,Country,Commodity,Transport_Mode,
 * Measure,Value,Cumulative. The file is a sequence of series: one
 * (Direction, Country, Commodity, Transport_Mode, Measure, Year) group, one
 * row per day from 01/01 to 31/12, Value a whole number, Cumulative the
 * running total of Value within the series. Series come in a seeded random
 * order, the first always being Exports/All/All/All/$ in 2015 as in the
 * lecture's slide. Names holding a comma are quoted ("Korea, Republic of").
 * Generation is pure integer arithmetic: the same seed gives the same
 * bytes on every machine, about 1 GB per second.
 */
#ifndef TRADE_H
#define TRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csv.h"
#include "gen.h"

#define TRADE_HEADER "Direction,Year,Date,Weekday,Country,Commodity," \
                     "Transport_Mode,Measure,Value,Cumulative"
#define TRADE_FIELDS 10
#define TRADE_FIRST_YEAR 2015
#define TRADE_LAST_YEAR 2021
#define TRADE_DAYS 2557         /* days from 01/01/2015 to 31/12/2021 */
#define TRADE_ROW_MAX 256       /* no generated row is longer (bytes) */

/* Field positions in a record. */
enum trade_col {
    TRADE_DIRECTION, TRADE_YEAR, TRADE_DATE, TRADE_WEEKDAY, TRADE_COUNTRY,
    TRADE_COMMODITY, TRADE_MODE, TRADE_MEASURE, TRADE_VALUE,
    TRADE_CUMULATIVE,
};

/* The lists the generator draws from ("All" is the first of the last
 * four). trade_names returns the count and sets *names. */
enum trade_dim {
    TRADE_DIM_DIRECTION, TRADE_DIM_COUNTRY, TRADE_DIM_COMMODITY,
    TRADE_DIM_MODE, TRADE_DIM_MEASURE,
};
int trade_names(enum trade_dim dim, const char *const **names);

/* ---- generating ---------------------------------------------------- */

/* The most rows one seed can give (every series once): 8640 groups of 6
 * fields times 2557 days. Equal to trade_max_rows(). */
#define TRADE_MAX_ROWS 22092480LL
long long trade_max_rows(void);

/* A row-at-a-time generator (a few hundred bytes of state). */
struct trade_gen {
    uint64_t seed;
    long long series;           /* index of the current series */
    int day, ndays;             /* day of the year (0-based), its length */
    int month, mday, weekday;   /* the date of `day`; weekday 0 = Monday */
    int year;
    bool is_dollars;            /* Measure "$" (else "Tonnes") */
    long long cumulative;
    int64_t base;               /* the series' typical Value */
    int weekday_pct[7];         /* its weekly pattern */
    char head[32], mid[160];    /* "Exports,2015," and ",Country,...,$," */
    size_t head_len, mid_len;
};

/* Starts the stream of rows for seed (the header is not a row). */
void trade_gen_init(struct trade_gen *g, uint64_t seed);

/* Writes the next row, '\n' included, to buf (TRADE_ROW_MAX bytes) and
 * returns its length; 0 once trade_max_rows() rows were given. */
size_t trade_gen_row(struct trade_gen *g, char *buf);

/* A gen_write_fn: the header, then g->rows rows (fewer if g->max_bytes
 * would be passed). Returns 0, or -1 with errno set (EINVAL when rows
 * exceeds trade_max_rows(); a write error). */
int trade_write(FILE *out, const struct gen_params *g);

/* The same bytes trade_write writes, in memory: a malloc'd buffer (free
 * it) holding the header and rows; *len is its length. NULL with errno
 * set on failure. */
char *trade_generate(long long rows, uint64_t seed, size_t *len);

/* ---- reading -------------------------------------------------------- */

/* Calendar helpers (proleptic Gregorian). */
bool trade_is_leap(int year);
int trade_days_in_month(int year, int month);
/* Days since 01/01/1970 (negative before). */
long trade_days_from_civil(int year, int month, int day);
/* 0 = Monday .. 6 = Sunday. */
int trade_weekday(int year, int month, int day);
const char *trade_weekday_name(int weekday);

/* Parses a whole number ("-12", "300"): 0, or -1 when f is not one or it
 * does not fit in 64 bits. */
int trade_parse_int(const char *p, size_t len, int64_t *out);

/* Parses dd/mm/yyyy into a real date: 0, or -1. */
int trade_parse_date(const char *p, size_t len, int *year, int *month,
                     int *day);

/* One record, checked. The strings are the record's fields (slices). */
struct trade_row {
    struct csv_field f[TRADE_FIELDS];
    int year, month, day;       /* from Date */
    int weekday;                /* from Weekday, 0 = Monday */
    bool is_dollars;            /* Measure is "$" (else "Tonnes") */
    int64_t value, cumulative;
};

/* Checks a record read with csv_next (n fields in f) the way a careful
 * loader would: 10 fields, a known Direction and Measure, Year equal to
 * Date's year, a real date, the Weekday of that date, whole numbers.
 * Returns 0 and fills *row, or -1 with *why set to a static reason
 * ("Weekday does not match Date"). */
int trade_check_row(const struct csv_field *f, int n, struct trade_row *row,
                    const char **why);

#endif
