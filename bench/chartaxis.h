/* chartaxis.h - where a chart's axis starts and ends, whether it is
 * logarithmic, and where its ticks go: decided in C (and unit-tested) so
 * that gnuplot clips no point and every tick label can be read. An axis
 * whose values span more than CHART_LOG_SPAN times goes logarithmic.
 */
#ifndef CHARTAXIS_H
#define CHARTAXIS_H

#include <stdbool.h>
#include <stddef.h>

#define CHART_LOG_SPAN 20.0
#define CHART_MAX_TICKS 24

/* The values an axis must show; start with CHART_EXTENT_NONE. */
struct chart_extent {
    double min, max;
    size_t n;
};
#define CHART_EXTENT_NONE { 0, 0, 0 }

enum chart_scale {
    CHART_AUTO,     /* linear from the data, log when it spans > 20x */
    CHART_ZERO,     /* as AUTO, but a linear axis starts at 0 */
    CHART_LOG,      /* logarithmic whenever every value is positive */
};

struct chart_axis {
    double lo, hi;                  /* the range drawn: data and a margin */
    bool is_log;
    double ticks[CHART_MAX_TICKS];  /* where the labels go */
    int nticks;                     /* 0: let gnuplot choose */
};

/* Adds v to the extent (NaN and infinities are not drawn: ignored). */
void chart_extent_add(struct chart_extent *e, double v);

/* The axis for extent e. A log axis needs every value positive; its
 * ticks are 1 (or 1, 3; or 1, 2, 5; or finer) times powers of ten, at
 * least 3 of them within the range. An empty extent gives 0..1 (or 1..10
 * for CHART_LOG). */
struct chart_axis chart_axis_of(const struct chart_extent *e,
                                enum chart_scale scale);

/* Ticks for a linear axis: a step of 1, 2 or 5 times a power of ten,
 * the smallest that puts at most `most` (at least 2) in the range. */
void chart_linear_ticks(struct chart_axis *a, int most);

/* "(1, 2, 5, 10)": the ticks as a gnuplot tic list, into buf. */
const char *chart_ticks_gp(const struct chart_axis *a, char *buf,
                           size_t len);

#endif
