/* fuzz_benchcsv.c - the bench CSV reader behind `pardemo plot` on any
 * bytes: it never crashes, a failure always says why in one line, what it
 * accepts is well-formed, and the metrics plot computes from it (series,
 * speedups, Amdahl fits) never crash either. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchcsv.h"
#include "metrics.h"
#include "fuzz.h"

#define MAX_FIELDS 16

/* Every accepted row names its topic and kernel and has a sane worker
 * count; every slice names its run and task. */
static void check_csv(const struct bench_csv *c)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (!c->rows[i].topic || !c->rows[i].kernel ||
            c->rows[i].workers < 1)
            abort();
    for (size_t i = 0; i < c->nslices; i++)
        if (!c->slices[i].run || !c->slices[i].task)
            abort();
    for (size_t i = 0; i < c->nmeta; i++)
        if (!c->meta[i].key || !c->meta[i].value)
            abort();
}

/* Series: each has points, by workers ascending. */
static void check_series(const struct bench_csv *c)
{
    struct metrics_series *s = NULL;
    int cpus = benchcsv_cpus(c);
    long n = metrics_series_of(c, cpus > 0 ? cpus : 2, &s);
    char machine[256];

    if (n < 0)
        return;                             /* out of memory */
    for (long i = 0; i < n; i++) {
        if (!s[i].npts || !s[i].topic || !s[i].kernel)
            abort();
        for (size_t k = 1; k < s[i].npts; k++)
            if (s[i].pts[k].workers <= s[i].pts[k - 1].workers)
                abort();
        if (s[i].fit.is_valid && !(s[i].fit.p >= 0 && s[i].fit.p <= 1))
            abort();
    }
    metrics_free(s, (size_t)n);
    benchcsv_machine(c, machine, sizeof(machine));
    if (strlen(machine) >= sizeof(machine))
        abort();
}

/* The line splitter on the first line: never more than max fields. */
static void check_split(const char *text)
{
    char line[512], *fields[MAX_FIELDS];

    snprintf(line, sizeof(line), "%s", text);
    line[strcspn(line, "\n")] = '\0';
    int n = benchcsv_split(line, fields, MAX_FIELDS);
    if (n > MAX_FIELDS || n < -1)
        abort();
    for (int i = 0; i < n; i++)
        if (!fields[i])
            abort();
}

FUZZ_TARGET(benchcsv)
{
    struct bench_csv c;
    char err[512], *text = malloc(size + 1);
    FILE *f;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    check_split(text);
    memset(&c, 0, sizeof(c));
    err[0] = '\0';
    f = size ? fmemopen(text, size, "r") : fmemopen((char *)"", 1, "r");
    if (f && benchcsv_parse(f, "fuzz", &c, err, sizeof(err)) == 0) {
        check_csv(&c);
        check_series(&c);
    } else if (f && (!err[0] || strchr(err, '\n'))) {
        abort();                        /* a failure says why, in one line */
    }
    benchcsv_free(&c);
    if (f)
        fclose(f);
    free(text);
    return 0;
}
