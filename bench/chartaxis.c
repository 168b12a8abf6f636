/* chartaxis.c - axis ranges and log ticks for pardemo's charts.
 * A log axis gets its ticks from the coarsest ladder (1, 1-3, 1-2-5, then
 * finer, down to tenths) that puts at least 3 in the range, so a narrow
 * range never shows a single label and a wide one is not crowded.
 */
#include "chartaxis.h"

#include <math.h>
#include <stdio.h>

void chart_extent_add(struct chart_extent *e, double v)
{
    if (!isfinite(v))
        return;
    if (e->n == 0 || v < e->min)
        e->min = v;
    if (e->n == 0 || v > e->max)
        e->max = v;
    e->n++;
}

/* Ticks m * 10^k within [lo, hi] for the mantissas m; returns how many
 * (stops counting at CHART_MAX_TICKS + 1). */
static int ladder(struct chart_axis *a, const double *m, int nm)
{
    int n = 0;

    for (int k = (int)floor(log10(a->lo)) - 1;
         k <= (int)ceil(log10(a->hi)) && n <= CHART_MAX_TICKS; k++) {
        for (int i = 0; i < nm && n <= CHART_MAX_TICKS; i++) {
            double t = m[i] * pow(10, k);
            if (t >= a->lo * (1 - 1e-9) && t <= a->hi * (1 + 1e-9)) {
                if (n < CHART_MAX_TICKS)
                    a->ticks[n] = t;
                n++;
            }
        }
    }
    return n;
}

/* The coarsest ladder with at least 3 ticks in range (every decade when
 * even that gives more than CHART_MAX_TICKS). */
static void log_ticks(struct chart_axis *a)
{
    static const double m1[] = { 1 }, m2[] = { 1, 3 }, m3[] = { 1, 2, 5 },
        m5[] = { 1, 2, 3, 5, 7 }, m9[] = { 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9 };
    static const struct { const double *m; int n; } steps[] = {
        { m1, 1 }, { m2, 2 }, { m3, 3 }, { m5, 5 }, { m9, 10 },
    };
    double fine[90];                    /* 1.0, 1.1 .. 9.9: a narrow range */

    for (int i = 0; i < 90; i++)
        fine[i] = 1 + 0.1 * i;
    for (size_t s = 0; s <= sizeof(steps) / sizeof(steps[0]); s++) {
        int n = s < sizeof(steps) / sizeof(steps[0]) ?
                ladder(a, steps[s].m, steps[s].n) : ladder(a, fine, 90);
        if (n >= 3 && n <= CHART_MAX_TICKS) {
            a->nticks = n;
            return;
        }
        if (n > CHART_MAX_TICKS)
            break;
    }
    a->nticks = ladder(a, m1, 1);       /* many decades: every one */
    if (a->nticks > CHART_MAX_TICKS)
        a->nticks = CHART_MAX_TICKS;
}

struct chart_axis chart_axis_of(const struct chart_extent *e,
                                enum chart_scale scale)
{
    struct chart_axis a = { 0, 1, false, { 0 }, 0 };
    double lo = e->min, hi = e->max;

    if (e->n == 0) {
        lo = scale == CHART_LOG ? 1 : 0;
        hi = scale == CHART_LOG ? 10 : 1;
    }
    a.is_log = lo > 0 && (scale == CHART_LOG || hi / lo > CHART_LOG_SPAN);
    if (a.is_log) {
        /* a margin of 6 % of the decades drawn, and at least 15 % */
        double f = pow(hi / lo, 0.06);
        f = f < 1.15 ? 1.15 : f;
        a.lo = lo / f;
        a.hi = hi * f;
        log_ticks(&a);
        return a;
    }
    if (scale == CHART_ZERO && lo >= 0)
        lo = 0;
    double span = hi - lo > 0 ? hi - lo : fabs(hi) > 0 ? fabs(hi) : 1;
    a.lo = scale == CHART_ZERO && lo == 0 ? 0 : lo - 0.06 * span;
    a.hi = hi + 0.06 * span;
    return a;
}

const char *chart_ticks_gp(const struct chart_axis *a, char *buf,
                           size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "(");

    for (int i = 0; i < a->nticks && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%.6g",
                                 i ? ", " : "", a->ticks[i]);
    if (used < len)
        snprintf(buf + used, len - used, ")");
    return buf;
}

void chart_linear_ticks(struct chart_axis *a, int most)
{
    static const double m[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10 };
    double span = a->hi - a->lo, step = 0;

    if (a->is_log || !(span > 0))
        return;
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]) && !step; i++) {
        double st = m[i] * pow(10, floor(log10(span)));
        if (floor(a->hi / st) - ceil(a->lo / st) + 1 <= (most > 2 ? most : 2))
            step = st;
    }
    a->nticks = 0;
    for (double t = ceil(a->lo / step - 1e-9) * step;
         t <= a->hi + 1e-9 * span && a->nticks < CHART_MAX_TICKS; t += step)
        a->ticks[a->nticks++] = fabs(t) < 1e-12 * span ? 0 : t;
}
