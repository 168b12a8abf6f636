/* lesson/logmine.h - the rules of `pardemo logmine`.
 * The cache is said to beat recomputing only where repeated timings of
 * the same query, cached and recomputed, decidedly show it; the lecture's
 * first and second queries are one run each, and a slower second query
 * is said to be slower.
 */
#ifndef LESSON_LOGMINE_H
#define LESSON_LOGMINE_H

#include <stdbool.h>
#include "notice.h"

struct lm_query {
    long long count, records_in;
    int cache_hits, recomputed;
    double seconds;
};

struct logmine_results {
    int nparts;
    struct lm_query q[3];           /* mysql, php, None: the lecture's */
    const char *lost;               /* --lose: what was lost, or NULL */
    bool is_compared;               /* the repeated comparison ran */
    int reps, faster;               /* pairs; in how many the cache won */
    struct est cached, recompute;   /* the same query, seconds */
    long long cached_in, recompute_in;  /* records each read */
    struct cond cond;
};

/* Appends the topic's notices for res to ns. */
void logmine_notices(const struct logmine_results *res, struct notices *ns);

#endif
