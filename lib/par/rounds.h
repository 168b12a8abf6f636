/* rounds.h - threads that run many short rounds, every round started
 * together at a spin barrier. Whenever the OS gives the threads CPUs at
 * the same time, even briefly, their rounds overlap by construction; the
 * rounds also count how often two threads really were inside one at once
 * (the measured overlap), and how long those rounds took. Each thread
 * pins itself to one allowed CPU, in turn, so that the OS cannot stack
 * them all on the CPU that other work leaves free.
 */
#ifndef ROUNDS_H
#define ROUNDS_H

#include <sched.h>          /* cpu_set_t: include with _GNU_SOURCE */
#include <stdatomic.h>
#include <stdbool.h>

struct rounds {
    int n;                      /* threads taking part */
    cpu_set_t allowed;          /* the process's CPUs when made */
    atomic_int joined;          /* threads that have pinned themselves */
    long long count;            /* rounds each thread runs */
    atomic_int arrived;         /* threads at the barrier */
    atomic_int sense;           /* flips when the last one arrives */
    atomic_int inside;          /* threads inside the current round */
    atomic_bool is_at_once;     /* this round: two were inside at once */
    long long at_once;          /* finished rounds with two inside at once */
    double at_once_secs;        /* their time, release to last arrival */
    double released_s;          /* clk_now() at the last release */
};

/* One thread's place in the rounds (start it zeroed). */
struct round_turn {
    int sense;
    long long done;             /* rounds begun */
};

/* Prepares count rounds (at least 1) for n threads. */
void rounds_init(struct rounds *r, int n, long long count);

/* How many rounds split per_thread updates into rounds of about
 * round_updates each (at least 1). */
long long rounds_for(long long per_thread, long long round_updates);

/* Waits until every thread has arrived, then begins the next round
 * (before the first, the thread pins itself to the next allowed CPU).
 * Returns false when all the rounds are done (without waiting). */
bool rounds_begin(struct rounds *r, struct round_turn *t);

/* This thread's share of total in the round it just began. */
long long rounds_part(const struct rounds *r, const struct round_turn *t,
                      long long total);

/* Leaves the round just begun. */
void rounds_end(struct rounds *r);

/* After every thread was joined: rounds in which two threads were inside
 * at once, and their seconds (release to the last thread's arrival). */
long long rounds_at_once(struct rounds *r, double *secs);

#endif
