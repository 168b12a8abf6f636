/* team.c - a gate (mutex + condition variable) that holds threads until all
 * exist. A pthread barrier would deadlock if a creation failed half-way;
 * the gate can instead be opened with "abort" and every thread joined.
 * After the gate, a start line: threads yield until all of them are
 * actually running, so on a busy machine they still start together. The
 * last to arrive reads the clock and only then fires the start, so no
 * thread's work can begin before the run's start stamp.
 */
#include "team.h"
#include "stats.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

struct gate {
    pthread_mutex_t lock;
    pthread_cond_t opened;
    bool is_open, is_abort;
    int n;
    atomic_int arrived;         /* threads past the gate, at the start line */
    atomic_bool is_started;     /* set after start_s: the work may begin */
    double start_s;             /* set by the last to arrive */
};

struct member {
    struct gate *gate;
    void *(*fn)(void *);
    void *arg;
};

static void *member_main(void *p)
{
    struct member *m = p;
    bool is_abort;

    pthread_mutex_lock(&m->gate->lock);
    while (!m->gate->is_open)
        pthread_cond_wait(&m->gate->opened, &m->gate->lock);
    is_abort = m->gate->is_abort;
    pthread_mutex_unlock(&m->gate->lock);
    if (is_abort)
        return NULL;
    if (atomic_fetch_add(&m->gate->arrived, 1) + 1 == m->gate->n) {
        m->gate->start_s = clk_now();   /* main reads it after the joins */
        atomic_store(&m->gate->is_started, true);   /* after the stamp */
    }
    while (!atomic_load(&m->gate->is_started))
        sched_yield();      /* let a thread that is not running yet run */
    return m->fn(m->arg);
}

static void gate_open(struct gate *g, bool is_abort)
{
    pthread_mutex_lock(&g->lock);
    g->is_open = true;
    g->is_abort = is_abort;
    pthread_cond_broadcast(&g->opened);
    pthread_mutex_unlock(&g->lock);
}

int team_run(int n, void *(*fn)(void *), void *args, size_t arg_size,
             struct team_time *out)
{
    struct gate g = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                      false, false, n, 0, false, 0 };
    struct member *m = calloc((size_t)n, sizeof(*m));
    pthread_t *tid = calloc((size_t)n, sizeof(*tid));
    int made, rc = 0;

    if (!m || !tid) {
        rc = ENOMEM;
        goto out;
    }
    for (made = 0; made < n; made++) {
        m[made] = (struct member){ &g, fn, (char *)args + made * arg_size };
        if ((rc = pthread_create(&tid[made], NULL, member_main, &m[made])))
            break;
    }
    gate_open(&g, rc != 0);
    for (int i = 0; i < made; i++)
        pthread_join(tid[i], NULL);
    out->start_s = rc ? 0 : g.start_s;
    out->seconds = rc ? 0 : clk_now() - g.start_s;
out:
    free(m);
    free(tid);
    return rc;
}
