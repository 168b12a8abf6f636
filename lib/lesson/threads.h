/* lesson/threads.h - the rules of `pardemo threads`.
 * Start-up cost, share-nothing vs share-everything, and which work
 * scales past the CPUs: each sentence only where its numbers show it.
 * The Python part's rules compare the lecture's Python with its C twin.
 */
#ifndef LESSON_THREADS_H
#define LESSON_THREADS_H

#include <stdbool.h>
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

/* The Python part: the lecture's snippets in pardemo's CPython. */
struct thr_py {
    struct est thread;              /* threading.Thread start + join, s */
    struct est proc[2];             /* multiprocessing.Process: [0] fork, */
    const char *method[2];          /* [1] the start method in use if not */
    int nproc;                      /* fork (then nproc is 2) */
    struct thr_share share;         /* the Process and Thread subclasses */
    const struct work_sweep *sw;    /* THR_* variants; NULL: not measured */
};

struct threads_results {
    const struct thr_creation *creation;    /* NULL: not measured */
    const struct thr_share *share;          /* NULL: not measured */
    const struct work_sweep *sw;            /* NULL: not measured */
    int cpus;                               /* allowed */
    const struct thr_py *py;                /* NULL: no Python part */
    bool is_python;         /* (inside) sw is the Python part's sweep */
};

/* Appends the topic's notices for res to ns. */
void threads_notices(const struct threads_results *res, struct notices *ns);

#endif
