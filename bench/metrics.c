/* metrics.c - speedup, efficiency, Karp-Flatt and the Amdahl fit.
 * Amdahl: T(n) = T(1) ((1 - p) + p / n), so 1 - T(n)/T(1) = p (1 - 1/n):
 * a line through the origin, and its least-squares slope is p.
 */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double metrics_speedup(double t1_secs, double tp_secs)
{
    if (!(t1_secs > 0) || !(tp_secs > 0))
        return NAN;
    return t1_secs / tp_secs;
}

double metrics_efficiency(double speedup, int workers)
{
    return workers > 0 ? speedup / workers : NAN;
}

double metrics_karp_flatt(double speedup, int workers)
{
    double n = workers;

    if (workers <= 1 || !(speedup > 0))
        return NAN;
    return (1 / speedup - 1 / n) / (1 - 1 / n);
}

double metrics_amdahl(double p, double workers)
{
    return 1 / ((1 - p) + p / workers);
}

struct amdahl_fit metrics_amdahl_fit(const int *workers,
                                     const double *speedup, size_t n,
                                     int cpus)
{
    struct amdahl_fit f = { NAN, NAN, 0, false, false };
    double sxy = 0, sxx = 0;

    for (size_t i = 0; i < n; i++) {
        if (workers[i] <= 1 || workers[i] > cpus || !(speedup[i] > 0) ||
            !isfinite(speedup[i]))
            continue;
        double x = 1 - 1.0 / workers[i];    /* the parallel part shrinks */
        double y = 1 - 1 / speedup[i];      /* the time saved, of T(1) */
        sxy += x * y;
        sxx += x * x;
        f.npoints++;
    }
    if (f.npoints == 0)
        return f;
    f.is_valid = true;
    f.p = sxy / sxx;
    f.is_clamped = f.p < 0 || f.p > 1;
    f.p = f.p < 0 ? 0 : f.p > 1 ? 1 : f.p;
    f.max_speedup = f.p < 1 ? 1 / (1 - f.p) : INFINITY;
    return f;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

static bool is_member(const struct metrics_series *s,
                      const struct bench_row *r)
{
    return r->size == s->size && !strcmp(r->topic, s->topic) &&
           !strcmp(r->kernel, s->kernel);
}

/* The distinct worker counts of s, ascending, into ws; returns how many. */
static size_t worker_counts(const struct metrics_series *s,
                            const struct bench_csv *c, int *ws)
{
    size_t n = 0, i, k;

    for (i = 0; i < c->nrows; i++) {
        if (!is_member(s, &c->rows[i]))
            continue;
        for (k = 0; k < n && ws[k] != c->rows[i].workers; k++)
            ;
        if (k == n)
            ws[n++] = c->rows[i].workers;
    }
    qsort(ws, n, sizeof(*ws), cmp_int);
    return n;
}

/* Times and checksum verdict of the rows of s at w workers. */
static void point_of(struct metrics_series *s, const struct bench_csv *c,
                     int w, uint64_t base_sum, double *secs,
                     struct metrics_point *pt)
{
    size_t n = 0;

    pt->workers = w;
    pt->is_ok = true;
    for (size_t i = 0; i < c->nrows; i++) {
        const struct bench_row *r = &c->rows[i];
        if (!is_member(s, r) || r->workers != w)
            continue;
        secs[n++] = r->seconds;
        if (!r->is_ok || (s->has_base && r->checksum != base_sum))
            pt->is_ok = false;
    }
    pt->secs = stats_of(secs, n);
    s->is_ok = s->is_ok && pt->is_ok;
}

static int fill_series(struct metrics_series *s, const struct bench_csv *c,
                       int cpus)
{
    int *ws = malloc(c->nrows * sizeof(*ws));
    double *secs = malloc(c->nrows * sizeof(*secs));
    double *speedups = NULL;
    uint64_t base_sum = 0;
    size_t i;

    for (i = 0; i < c->nrows && !s->has_base; i++) {
        if (is_member(s, &c->rows[i]) && c->rows[i].workers == 1) {
            s->has_base = true;         /* the 1-worker answer is right */
            base_sum = c->rows[i].checksum;
        }
    }
    s->npts = ws && secs ? worker_counts(s, c, ws) : 0;
    s->pts = calloc(s->npts ? s->npts : 1, sizeof(*s->pts));
    speedups = calloc(s->npts ? s->npts : 1, sizeof(*speedups));
    if (!ws || !secs || !s->pts || !speedups) {
        free(ws);
        free(secs);
        free(speedups);
        return -1;
    }
    s->is_ok = true;
    for (i = 0; i < s->npts; i++)
        point_of(s, c, ws[i], base_sum, secs, &s->pts[i]);
    for (i = 0; i < s->npts; i++) {
        struct metrics_point *pt = &s->pts[i];
        pt->speedup = s->has_base ? metrics_speedup(s->pts[0].secs.median,
                                                    pt->secs.median) : NAN;
        pt->efficiency = metrics_efficiency(pt->speedup, pt->workers);
        pt->karp_flatt = metrics_karp_flatt(pt->speedup, pt->workers);
        speedups[i] = pt->speedup;
    }
    s->fit = metrics_amdahl_fit(ws, speedups, s->npts, cpus);
    if (!s->is_ok)      /* a wrong answer has no parallel fraction */
        s->fit.is_valid = false;
    free(ws);
    free(secs);
    free(speedups);
    return 0;
}

long metrics_series_of(const struct bench_csv *c, int cpus,
                       struct metrics_series **out)
{
    struct metrics_series *s = NULL;
    size_t ns = 0, i, k;

    for (i = 0; i < c->nrows; i++) {
        for (k = 0; k < ns && !is_member(&s[k], &c->rows[i]); k++)
            ;
        if (k < ns)
            continue;
        struct metrics_series *more = realloc(s, (ns + 1) * sizeof(*s));
        if (!more)
            goto oom;
        s = more;
        memset(&s[ns], 0, sizeof(*s));
        s[ns].topic = c->rows[i].topic;
        s[ns].kernel = c->rows[i].kernel;
        s[ns++].size = c->rows[i].size;
    }
    for (k = 0; k < ns; k++)
        if (fill_series(&s[k], c, cpus) < 0)
            goto oom;
    *out = s;
    return (long)ns;
oom:
    metrics_free(s, ns);
    *out = NULL;
    return -1;
}

void metrics_free(struct metrics_series *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i].pts);
    free(s);
}
