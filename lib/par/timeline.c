/* timeline.c - slices from samples, and the ASCII picture of them.
 * A column of the picture covers span/cols seconds; a task's cell shows
 * the CPU of its longest piece in that column, in capitals when the task
 * ran for at least half of the column.
 */
#define _GNU_SOURCE
#include "timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TL_MAX_CPU 1024

void tl_track_init(struct tl_track *t, double gap_s)
{
    memset(t, 0, sizeof(*t));
    t->gap_s = gap_s;
}

void tl_track_free(struct tl_track *t)
{
    free(t->slice);
    t->slice = NULL;
    t->n = t->cap = 0;
}

void tl_track_sample(struct tl_track *t, double now_s, int cpu)
{
    struct tl_slice *last = t->n ? &t->slice[t->n - 1] : NULL;

    if (last && last->cpu == cpu && now_s - last->end_s <= t->gap_s) {
        last->end_s = now_s;
        return;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        struct tl_slice *grown = realloc(t->slice, cap * sizeof(*grown));
        if (!grown) {
            t->is_failed = true;
            return;
        }
        t->slice = grown;
        t->cap = cap;
    }
    t->slice[t->n++] = (struct tl_slice){ now_s, now_s, cpu };
}

void tl_track_shift(struct tl_track *t, double by_s)
{
    for (size_t i = 0; i < t->n; i++) {
        t->slice[i].start_s += by_s;
        t->slice[i].end_s += by_s;
    }
}

double tl_busy_seconds(const struct tl_track *t)
{
    double sum = 0;

    for (size_t i = 0; i < t->n; i++)
        sum += t->slice[i].end_s - t->slice[i].start_s;
    return sum;
}

struct tl_event {
    double at_s;
    int delta;          /* +1 a slice starts, -1 it ends */
};

static int cmp_event(const void *a, const void *b)
{
    const struct tl_event *x = a, *y = b;

    if (x->at_s != y->at_s)
        return x->at_s < y->at_s ? -1 : 1;
    return x->delta - y->delta;     /* an end before a start at a tie */
}

int tl_max_overlap(const struct tl_track *t, int n, double min_s)
{
    size_t total = 0, k = 0;
    struct tl_event *ev;
    int running = 0, most = 0;

    for (int i = 0; i < n; i++)
        total += t[i].n;
    if (!(ev = malloc((2 * total + 1) * sizeof(*ev))))
        return -1;
    for (int i = 0; i < n; i++) {
        for (size_t j = 0; j < t[i].n; j++) {
            if (t[i].slice[j].end_s <= t[i].slice[j].start_s)
                continue;       /* a lone sample has no length */
            ev[k++] = (struct tl_event){ t[i].slice[j].start_s, +1 };
            ev[k++] = (struct tl_event){ t[i].slice[j].end_s, -1 };
        }
    }
    qsort(ev, k, sizeof(*ev), cmp_event);
    for (size_t j = 0; j < k; j++) {
        running += ev[j].delta;
        /* the count holds until the next event; count it if it held
         * longer than the pauses the samples cannot see */
        if (running > most && j + 1 < k &&
            ev[j + 1].at_s - ev[j].at_s > min_s)
            most = running;
    }
    free(ev);
    return most;
}

int tl_cpus_used(const struct tl_track *t, int n)
{
    bool seen[TL_MAX_CPU + 1] = { false };
    int count = 0;

    for (int i = 0; i < n; i++) {
        for (size_t j = 0; j < t[i].n; j++) {
            int c = t[i].slice[j].cpu;
            c = c < 0 || c > TL_MAX_CPU ? TL_MAX_CPU : c;
            count += !seen[c];
            seen[c] = true;
        }
    }
    return count;
}

char tl_mark(int cpu, bool is_full)
{
    if (cpu < 0 || cpu >= 26)
        return is_full ? '#' : '+';
    return (char)((is_full ? 'A' : 'a') + cpu);
}

/* One row: how long the task ran in each column, and on which CPU. */
static void render_row(FILE *f, const struct tl_track *t, double span_s,
                       int cols, double *ran_s, double *best_s, int *cpu)
{
    double w = span_s / cols;

    for (int c = 0; c < cols; c++) {
        ran_s[c] = best_s[c] = 0;
        cpu[c] = -1;
    }
    for (size_t j = 0; j < t->n; j++) {
        const struct tl_slice *s = &t->slice[j];
        int c0 = (int)floor(s->start_s / w), c1 = (int)floor(s->end_s / w);
        for (int c = c0 < 0 ? 0 : c0; c <= c1 && c < cols; c++) {
            double lo = fmax(s->start_s, c * w);
            double hi = fmin(s->end_s, (c + 1) * w);
            if (hi <= lo)
                continue;
            ran_s[c] += hi - lo;
            if (hi - lo > best_s[c]) {
                best_s[c] = hi - lo;
                cpu[c] = s->cpu;
            }
        }
    }
    for (int c = 0; c < cols; c++)
        fputc(ran_s[c] > 0 ? tl_mark(cpu[c], ran_s[c] >= w / 2) : '.', f);
}

char *tl_render(const struct tl_track *t, int n, double span_s, int cols)
{
    double *ran_s = malloc((size_t)cols * sizeof(*ran_s));
    double *best_s = malloc((size_t)cols * sizeof(*best_s));
    int *cpu = malloc((size_t)cols * sizeof(*cpu));
    char *text = NULL, right[32];
    size_t len = 0;
    FILE *f = NULL;

    if (!ran_s || !best_s || !cpu || !(f = open_memstream(&text, &len)))
        goto out;
    for (int i = 0; i < n; i++) {
        fprintf(f, "task %2d |", i + 1);
        render_row(f, &t[i], span_s > 0 ? span_s : 1e-9, cols, ran_s,
                   best_s, cpu);
        fputs("|\n", f);
    }
    snprintf(right, sizeof(right), "%.1f ms", span_s * 1e3);
    /* "0 ms" under the first column, the span under the closing bar */
    fprintf(f, "%9s0 ms%*s", "", cols - 3, right);
out:
    if (f)
        fclose(f);
    free(ran_s);
    free(best_s);
    free(cpu);
    return text;
}
