/* lesson/race.h - the rules of `pardemo race`.
 * A race is reported when it struck; when it did not, the evidence says
 * whether the threads ever ran at once to let it.
 */
#ifndef LESSON_RACE_H
#define LESSON_RACE_H

#include "notice.h"

enum race_counter_kind { RACE_UNSYNC, RACE_MUTEX, RACE_ATOMIC, RACE_KINDS };

/* One counter variant over its runs (tries). */
struct race_counter {
    long long total;            /* updates expected per run */
    int runs, exact_runs;       /* runs, and runs that counted total */
    long long worst_lost;       /* the most updates one run lost */
    struct est ns;              /* nanoseconds per update */
    double cpus_busy;           /* CPU time / wall time over the runs */
};

struct race_crawl {
    long long distinct, fetches;
    long long dup_urls;         /* distinct URLs fetched twice or more */
    long long never;            /* distinct URLs never fetched */
    int tries;                  /* crawls run (unlocked: until a race) */
    double secs, cpus_busy;
};

/* False sharing: private counters packed on one cache line, or padded. */
struct race_sharing {
    struct est packed_ns, padded_ns;    /* per update */
    double packed_busy;                 /* CPUs busy in the packed runs */
    int runs;
};

struct race_results {
    int threads, cpus;
    struct race_counter counter[RACE_KINDS];
    struct race_crawl crawl[2];         /* unlocked, locked */
    struct race_sharing sharing;
    long line_bytes;                    /* the cache line */
    struct cond cond;                   /* the whole measurement */
};

/* Appends the topic's notices for res to ns. */
void race_notices(const struct race_results *res, struct notices *ns);

#endif
