/* metrics.c - speedup, efficiency, Karp-Flatt and the Amdahl fit.
 * Amdahl: T(n) = T(1) ((1 - p) + p / n), so 1 - T(n)/T(1) = p (1 - 1/n):
 * a line through the origin, and its least-squares slope is p. Notice
 * what is refused: a fit from fewer than 3 worker counts within the CPUs,
 * and a p for a serial kernel or a wrong answer.
 */
#include "metrics.h"
#include "laws.h"

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
    return law_karp_flatt(speedup, workers);
}

double metrics_amdahl(double p, double workers)
{
    return law_amdahl(1 - p, workers);
}

struct amdahl_fit metrics_amdahl_fit(const int *workers,
                                     const double *speedup, size_t n,
                                     int cpus)
{
    struct amdahl_fit f = { NAN, NAN, 0, false, false };
    double sxy = 0, sxx = 0;

    for (size_t i = 0; i < n; i++) {
        if (workers[i] < 1 || workers[i] > cpus || !(speedup[i] > 0) ||
            !isfinite(speedup[i]))
            continue;
        double x = 1 - 1.0 / workers[i];    /* the parallel part shrinks */
        double y = 1 - 1 / speedup[i];      /* the time saved, of T(1) */
        sxy += x * y;
        sxx += x * x;
        f.npoints++;
    }
    if (f.npoints < METRICS_FIT_MIN_POINTS || !(sxx > 0))
        return f;
    f.is_valid = true;
    f.p = sxy / sxx;
    f.is_clamped = f.p < 0 || f.p > 1;
    f.p = f.p < 0 ? 0 : f.p > 1 ? 1 : f.p;
    f.max_speedup = f.p < 1 ? 1 / (1 - f.p) : INFINITY;
    return f;
}

bool metrics_is_serial_kernel(const char *kernel)
{
    size_t n = strlen(kernel);

    return !strcmp(kernel, "serial") ||
           (n > 7 && !strcmp(kernel + n - 7, "-serial"));
}

bool metrics_is_weak_kernel(const char *kernel)
{
    return !strncmp(kernel, "weak-", 5);
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

/* Speedups, efficiencies and their spread, once the times are known. */
static void speedups_of(struct metrics_series *s)
{
    const struct stats *t1 = &s->pts[0].secs;

    for (size_t i = 0; i < s->npts; i++) {
        struct metrics_point *pt = &s->pts[i];
        bool is_known = s->has_base && !s->is_serial;
        pt->speedup = is_known ? metrics_speedup(t1->median,
                                                 pt->secs.median) : NAN;
        pt->speedup_lo = is_known ? metrics_speedup(t1->min, pt->secs.max)
                                  : NAN;
        pt->speedup_hi = is_known ? metrics_speedup(t1->max, pt->secs.min)
                                  : NAN;
        pt->efficiency = metrics_efficiency(pt->speedup, pt->workers);
        pt->karp_flatt = NAN;
        if ((int)pt->secs.n > s->reps)
            s->reps = (int)pt->secs.n;
    }
    s->base_spread = s->has_base && t1->n > 1 && t1->median > 0 ?
                     (t1->max - t1->min) / t1->median : NAN;
    s->is_noisy_base = s->base_spread > METRICS_NOISY_SPREAD;
}

/* The Amdahl fit, and Karp-Flatt where a fit is allowed: never for a
 * wrong answer or a serial kernel, which have no parallel fraction. */
static int fit_series(struct metrics_series *s, const int *ws, int cpus)
{
    double *speedups = calloc(s->npts ? s->npts : 1, sizeof(*speedups));

    if (!speedups)
        return -1;
    for (size_t i = 0; i < s->npts; i++)
        speedups[i] = s->pts[i].speedup;
    s->fit = metrics_amdahl_fit(ws, speedups, s->npts, cpus);
    if (!s->is_ok || s->is_serial || s->is_weak) {
        s->fit.is_valid = false;
        s->fit.p = s->fit.max_speedup = NAN;
    }
    for (size_t i = 0; i < s->npts && s->fit.is_valid; i++)
        if (s->pts[i].workers > 1 && s->pts[i].workers <= cpus)
            s->pts[i].karp_flatt = metrics_karp_flatt(s->pts[i].speedup,
                                                      s->pts[i].workers);
    free(speedups);
    return 0;
}

/* Does a `# serial:` line of the CSV name TOPIC/KERNEL? */
static bool is_marked_serial(const struct bench_csv *c,
                             const struct metrics_series *s)
{
    size_t nt = strlen(s->topic), nk = strlen(s->kernel);

    for (size_t i = 0; i < c->nmeta; i++) {
        const char *v = c->meta[i].value;
        if (strcmp(c->meta[i].key, "serial"))
            continue;
        for (v += strspn(v, " "); *v; v += strspn(v, " ")) {
            size_t n = strcspn(v, " ");
            if (n == nt + 1 + nk && !strncmp(v, s->topic, nt) &&
                v[nt] == '/' && !strncmp(v + nt + 1, s->kernel, nk))
                return true;
            v += n;
        }
    }
    return false;
}

static int fill_series(struct metrics_series *s, const struct bench_csv *c,
                       int cpus)
{
    int *ws = malloc(c->nrows * sizeof(*ws));
    double *secs = malloc(c->nrows * sizeof(*secs));
    uint64_t base_sum = 0;
    size_t i;
    int rc = -1;

    s->is_serial = is_marked_serial(c, s) ||
                   metrics_is_serial_kernel(s->kernel);
    s->is_weak = metrics_is_weak_kernel(s->kernel);
    for (i = 0; i < c->nrows && !s->has_base; i++) {
        if (is_member(s, &c->rows[i]) && c->rows[i].workers == 1) {
            s->has_base = true;         /* the 1-worker answer is right */
            base_sum = c->rows[i].checksum;
        }
    }
    s->npts = ws && secs ? worker_counts(s, c, ws) : 0;
    s->pts = calloc(s->npts ? s->npts : 1, sizeof(*s->pts));
    if (ws && secs && s->pts) {
        s->is_ok = true;
        for (i = 0; i < s->npts; i++)
            point_of(s, c, ws[i], base_sum, secs, &s->pts[i]);
        speedups_of(s);
        rc = fit_series(s, ws, cpus);
    }
    free(ws);
    free(secs);
    return rc;
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

static const struct {
    const char *topic, *reference;
} cost_topics[] = {
    { "manager", "atomic" },
};

const char *metrics_cost_reference(const char *topic)
{
    for (size_t i = 0; i < sizeof(cost_topics) / sizeof(*cost_topics); i++)
        if (!strcmp(cost_topics[i].topic, topic))
            return cost_topics[i].reference;
    return NULL;
}
