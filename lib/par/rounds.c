/* rounds.c - a sense-reversing spin barrier before every round.
 * Waiting threads spin a little (a release is usually a fraction of a
 * microsecond away), then yield, so that on one CPU the thread they wait
 * for gets to run instead of a spinner burning its time slice.
 */
#define _GNU_SOURCE     /* cpu_set_t, pthread_setaffinity_np */
#include "rounds.h"
#include "stats.h"

#include <pthread.h>
#include <sched.h>

#define SPINS 200           /* polls before each sched_yield */

void rounds_init(struct rounds *r, int n, long long count)
{
    r->n = n;
    if (sched_getaffinity(0, sizeof(r->allowed), &r->allowed) < 0)
        CPU_ZERO(&r->allowed);          /* unknown: nobody is pinned */
    atomic_init(&r->joined, 0);
    r->count = count > 0 ? count : 1;
    atomic_init(&r->arrived, 0);
    atomic_init(&r->sense, 0);
    atomic_init(&r->inside, 0);
    atomic_init(&r->is_at_once, false);
    r->at_once = 0;
    r->at_once_secs = 0;
    r->released_s = 0;
}

long long rounds_for(long long per_thread, long long round_updates)
{
    long long n = (per_thread + round_updates - 1) / round_updates;

    return n > 0 ? n : 1;
}

static void spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();     /* lets the other hyperthread run */
#endif
}

/* The last to arrive closes the round before (it is over: every thread
 * has left it) and releases the others; they wait for the sense flip. */
static void barrier_wait(struct rounds *r, struct round_turn *t)
{
    t->sense = !t->sense;
    if (atomic_fetch_add(&r->arrived, 1) + 1 == r->n) {
        double now = clk_now();
        if (atomic_exchange(&r->is_at_once, false)) {
            r->at_once++;
            r->at_once_secs += now - r->released_s;
        }
        atomic_store(&r->arrived, 0);
        r->released_s = clk_now();
        atomic_store(&r->sense, t->sense);  /* publishes the fields above */
        return;
    }
    for (int i = 1; atomic_load(&r->sense) != t->sense; i++)
        if (i % SPINS)
            spin_pause();
        else
            sched_yield();
}

/* Pins the calling thread to the k-th allowed CPU (k modulo their
 * number). A failure only loses the pinning, never the run. */
static void pin_in_turn(const struct rounds *r, int k)
{
    int cpus = CPU_COUNT(&r->allowed), seen = 0;
    cpu_set_t one;

    for (int c = 0; cpus > 0 && c < CPU_SETSIZE; c++) {
        if (!CPU_ISSET(c, &r->allowed) || seen++ != k % cpus)
            continue;
        CPU_ZERO(&one);
        CPU_SET(c, &one);
        pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
        return;
    }
}

bool rounds_begin(struct rounds *r, struct round_turn *t)
{
    if (t->done == r->count)
        return false;
    if (t->done == 0)
        pin_in_turn(r, atomic_fetch_add(&r->joined, 1));
    barrier_wait(r, t);
    t->done++;
    if (atomic_fetch_add(&r->inside, 1) > 0)
        atomic_store(&r->is_at_once, true);
    return true;
}

long long rounds_part(const struct rounds *r, const struct round_turn *t,
                      long long total)
{
    long long k = t->done - 1;

    return total / r->count + (k < total % r->count);
}

void rounds_end(struct rounds *r)
{
    atomic_fetch_sub(&r->inside, 1);
}

long long rounds_at_once(struct rounds *r, double *secs)
{
    /* the last round has no barrier after it: close it here */
    if (atomic_exchange(&r->is_at_once, false)) {
        r->at_once++;
        r->at_once_secs += clk_now() - r->released_s;
    }
    *secs = r->at_once_secs;
    return r->at_once;
}
