/* timeline.h - when did each task actually run, and on which CPU?
 * A task samples the clock and its CPU often while it works; a pause
 * between two samples longer than the gap means the scheduler took the
 * CPU away, so the samples fall into slices. tl_render draws the slices
 * as an ASCII timeline: one row per task, time across, a letter per CPU.
 */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

struct tl_slice {
    double start_s, end_s;      /* seconds since the run started */
    int cpu;
};

/* One task's slices. Written only by the task's own thread. */
struct tl_track {
    struct tl_slice *slice;
    size_t n, cap;
    double gap_s;               /* a pause longer than this ends a slice */
    bool is_failed;             /* out of memory: later slices were lost */
};

void tl_track_init(struct tl_track *t, double gap_s);
void tl_track_free(struct tl_track *t);

/* Records that the task was running on cpu at now_s: extends the current
 * slice, or starts a new one after a pause or a move to another CPU.
 * Allocation failure sets t->is_failed and drops the sample. */
void tl_track_sample(struct tl_track *t, double now_s, int cpu);

/* Moves every slice by by_s: samples taken on the absolute clock become
 * seconds since the run started. */
void tl_track_shift(struct tl_track *t, double by_s);

/* Seconds the task was seen running (the sum of its slices). */
double tl_busy_seconds(const struct tl_track *t);

/* The most tracks running at the same time for longer than min_s (a sweep
 * over all slices), or -1 when out of memory. Pass the gap: a slice may
 * hide a pause up to that long, when another task ran briefly. */
int tl_max_overlap(const struct tl_track *t, int n, double min_s);

/* How many distinct CPUs the tracks ran on. */
int tl_cpus_used(const struct tl_track *t, int n);

/* The mark for a CPU: 'A' for CPU 0 ... 'Z' for 25, '#' above; lower
 * case when the task ran less than half of the column ('+' above 25). */
char tl_mark(int cpu, bool is_full);

/* Draws n tracks over [0, span_s) in cols columns, one row per track
 * ("task  1 |AAA..BB|"), then a time axis in ms. Returns a malloc'd
 * string without a final newline, or NULL when out of memory. */
char *tl_render(const struct tl_track *t, int n, double span_s, int cols);

#endif
