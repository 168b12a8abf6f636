/* lesson/race.h - the rules of `pardemo race`.
 * A race is reported when it struck; when it did not, the evidence says
 * whether the threads ever ran at once to let it. In Python the same:
 * a race is called only where the duplicates or lost counts show it.
 */
#ifndef LESSON_RACE_H
#define LESSON_RACE_H

#include <stddef.h>
#include "notice.h"

enum race_counter_kind { RACE_UNSYNC, RACE_MUTEX, RACE_ATOMIC, RACE_KINDS };

/* One counter variant over its runs (tries). */
struct race_counter {
    long long total;            /* updates expected per run */
    int runs, exact_runs;       /* runs, and runs that counted total */
    long long worst_lost;       /* the most updates one run lost */
    struct est ns;              /* nanoseconds per update */
    double cpus_busy;           /* CPU time / wall time over the runs */
    long long rounds, at_once;  /* rounds begun together; of them, with
                                   two threads inside at once */
};

/* Packed this many times as slow as padded, per update in the rounds
 * where the threads ran at once: false sharing shows. */
#define RACE_SHARING_AT 1.2

struct race_crawl {
    long long distinct, fetches;
    long long dup_urls;         /* distinct URLs fetched twice or more */
    long long never;            /* distinct URLs never fetched */
    int tries;                  /* crawls run (unlocked: until a race) */
    double secs, cpus_busy;
};

/* False sharing: private counters packed on one cache line, or padded. */
struct race_sharing {
    struct est packed_ns, padded_ns;    /* per update, all rounds */
    struct est packed_ao, padded_ao;    /* per update, at-once rounds */
    double packed_busy;                 /* CPUs busy in the packed runs */
    int runs;                           /* runs of each */
    int ao_runs;                        /* fewer of packed's and padded's
                                           runs with at-once rounds */
    long long rounds, at_once;          /* the fewer of the two */
};

/* The filter's second race: appending to one file from every thread,
 * each with its own descriptor: lseek to the end then write; the same
 * under a lock; O_APPEND. The seek+write one is the worst of its tries. */
enum race_append_kind { RACE_APPEND_SEEK, RACE_APPEND_LOCKED,
                        RACE_APPEND_O_APPEND, RACE_APPENDS };

struct race_append {
    long long expected, whole, torn;    /* lines written; found whole
                                           (each once); anything else */
    long long rounds, at_once;
    int tries;
};

/* The Python part: the slide's filter, one that writes the fingerprint
 * between check and add (a blocking call), the same under a Lock; and a
 * multiprocessing.Value, v.value += 1 without and with get_lock(). */
enum race_py_filter { RPY_SLIDE, RPY_WRITES, RPY_LOCKED, RPY_FILTERS };

/* The filter's log from Python processes: file.write(fp + os.linesep)
 * on a file opened "a" (buffered), seek to the end then write, and "a"
 * line-buffered (one O_APPEND write a line). */
enum race_py_append { RPY_APPEND_A, RPY_APPEND_SEEK, RPY_APPEND_LINE,
                      RPY_APPENDS };

struct race_py_log {
    long long expected, whole, torn;
    long long switches;         /* writer changes between whole lines */
};

struct race_python {
    bool is_run;
    int threads;
    size_t urls;                        /* the first URLs of the list */
    struct race_crawl crawl[RPY_FILTERS];
    long long value_total;              /* increments expected */
    long long value_final[2];           /* without, with get_lock() */
    double value_busy;                  /* CPUs busy, unlocked run */
    struct race_py_log log[RPY_APPENDS];    /* expected 0: not run */
    struct cond cond;                   /* the machine meanwhile */
};

struct race_results {
    bool is_python_only;                /* --python-only: no C numbers */
    struct race_python py;
    int threads, cpus;
    struct race_counter counter[RACE_KINDS];
    struct race_crawl crawl[2];         /* unlocked, locked */
    struct race_sharing sharing;
    struct race_append append[RACE_APPENDS];
    long line_bytes;                    /* the cache line */
    struct cond cond;                   /* the whole measurement */
};

/* Appends the topic's notices for res to ns. */
void race_notices(const struct race_results *res, struct notices *ns);

#endif
