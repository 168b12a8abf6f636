/* lesson/threads.h - the rules of `pardemo threads`.
 * Start-up cost, share-nothing vs share-everything, and which work
 * scales past the CPUs: each sentence only where its numbers show it.
 */
#ifndef LESSON_THREADS_H
#define LESSON_THREADS_H

#include "notice.h"
#include "work.h"

#define THREADS_MAX_MEM 32     /* = CLI_LIST_MAX: every --mem size */

struct thr_creation {
    struct est thread, fork;            /* seconds, nothing touched */
    int nmem;
    long long mem[THREADS_MAX_MEM];     /* bytes touched before forking */
    struct est fork_mem[THREADS_MAX_MEM];
};

/* (b): what the counter read before, in the worker, and in the parent
 * after the worker ended; the array sums likewise. */
struct thr_seen {
    long before, worker, parent;
};

struct thr_share {
    struct thr_seen proc, thread;       /* the counter */
    struct thr_seen proc_sum, thread_sum;   /* the array's sum */
};

/* The sweep's variants, in this order. */
enum thr_variant { THR_CPU_THREADS, THR_CPU_PROCS, THR_WAIT_THREADS,
                   THR_WAIT_PROCS, THR_NV };

struct threads_results {
    const struct thr_creation *creation;    /* NULL: not measured */
    const struct thr_share *share;          /* NULL: not measured */
    const struct work_sweep *sw;            /* NULL: not measured */
    int cpus;                               /* allowed */
};

/* Appends the topic's notices for res to ns. */
void threads_notices(const struct threads_results *res, struct notices *ns);

#endif
