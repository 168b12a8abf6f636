/* lesson/logmine.c - interactive log mining with a cached RDD.
 * What to notice: the second query reads the cache, not the file; the
 * same query on the cache against recomputing it from the file, repeated
 * until it is decided; a lost partition rebuilt from its lineage.
 */
#include "lesson/logmine.h"

static void notice_queries(const struct logmine_results *res,
                           struct notices *ns)
{
    const struct lm_query *a = &res->q[0], *b = &res->q[1];
    struct notice *n = notice_add(ns, "logmine.second_reads_cache");

    notice_num(n, "lines", (double)a->records_in, U_INT);
    notice_num(n, "hits", b->cache_hits, U_INT);
    notice_num(n, "parts", res->nparts, U_INT);
    notice_num(n, "records", (double)b->records_in, U_INT);
    notice_num(n, "t1", a->seconds, U_DUR);
    notice_num(n, "t2", b->seconds, U_DUR);
    if (b->cache_hits == 0) {
        n->id = "logmine.nothing_cached";
        notice_num(n, "zero", 0, U_INT);
        notice_rel(n, "hits", REL_EQ, 1, "zero");
        notice_say(n, "The second query read no cached partition: "
                   "{records} records, against {lines} for the first. "
                   "Nothing was cached, so every action recomputes the "
                   "lineage from the file.");
        return;
    }
    notice_rel(n, "lines", REL_VGT, 1, "records");
    notice_rel(n, "hits", REL_VGT, 0, "parts");
    if (b->seconds < a->seconds) {
        notice_rel(n, "t2", REL_VLT, 1, "t1");
        notice_say(n, "The first query read {lines} lines from the file "
                   "(textFile, filter and map pipelined in each task) and "
                   "cached the messages; the second read {hits} cached "
                   "{!hits|partition|partitions} of {parts}, {records} "
                   "records, and took {t2} against {t1} (one run each).");
        return;
    }
    n->id = "logmine.second_not_faster";
    notice_rel(n, "t2", REL_VGE, 1, "t1");
    notice_say(n, "The first query read {lines} lines from the file and "
               "cached the messages; the second read {hits} cached "
               "{!hits|partition|partitions} of {parts}, only {records} "
               "records, yet it was not faster: {t2} against {t1}. One run "
               "of each: at this size a job's fixed costs (starting its "
               "tasks) weigh as much as the work. The repeated comparison "
               "decides.");
}

static void notice_compare(const struct logmine_results *res,
                           struct notices *ns)
{
    struct notice *n;
    int order;

    if (!res->is_compared)
        return;
    n = notice_add(ns, "logmine.cache_beats_recompute");
    notice_est(n, "cached", res->cached, U_DUR);
    notice_est(n, "recompute", res->recompute, U_DUR);
    notice_est(n, "gain", est_ratio(res->recompute, res->cached), U_RATIO);
    notice_num(n, "reps", res->reps, U_INT);
    notice_num(n, "faster", res->faster, U_INT);
    notice_num(n, "cin", (double)res->cached_in, U_INT);
    notice_num(n, "rin", (double)res->recompute_in, U_INT);
    order = notice_order(n, "cached", "recompute");
    if (order < 0) {
        notice_say(n, "The same query, {reps|time|times} each: on the "
                   "cached messages {cached}, recomputing them from the "
                   "file {recompute}: {gain} faster, reading {cin} records "
                   "instead of {rin} lines. That is what cache() buys when "
                   "a dataset is queried again and again.");
        return;
    }
    n->id = "logmine.cache_not_shown";
    notice_cause(n, &res->cond, order > 0 ? "The same query, {reps|time|times} "
              "each: on the cached messages {cached}, recomputing them from "
              "the file {recompute}; the cache was slower here (faster in "
              "{faster} of {reps} tries), though it read {cin} records "
              "instead of {rin} lines:" : "The same query, {reps|time|times} "
              "each: on the cached messages {cached}, recomputing them from "
              "the file {recompute}; the cache was faster in {faster} of "
              "{reps} tries, not decidedly:");
}

static void notice_lost(const struct logmine_results *res,
                        struct notices *ns)
{
    struct notice *n;

    if (!res->lost)
        return;
    n = notice_add(ns, "logmine.lost_rebuilt");
    notice_num(n, "rebuilt", res->q[1].recomputed, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "rebuilt", REL_VGT, 1, "zero");
    notice_say(n, "Lost after the first query: %s. The second query rebuilt "
               "only that partition from its lineage (textFile -> filter "
               "-> map: {rebuilt|task|tasks} recomputed) and read the "
               "others from the cache; the counts come from the same "
               "lines, so they are the same.", res->lost);
}

static void notice_none(const struct logmine_results *res,
                        struct notices *ns)
{
    struct notice *n;

    if (res->q[2].count <= 0)
        return;
    n = notice_add(ns, "logmine.short_lines");
    notice_num(n, "short", (double)res->q[2].count, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "short", REL_VGT, 1, "zero");
    notice_say(n, "{short|ERROR line|ERROR lines} had fewer than 3 "
               "tab-separated fields: s.split(\"\\t\")[2] would raise "
               "IndexError and fail the job in PySpark; here they map to "
               "None and are counted.");
}

void logmine_notices(const struct logmine_results *res, struct notices *ns)
{
    notice_queries(res, ns);
    notice_compare(res, ns);
    notice_lost(res, ns);
    notice_none(res, ns);
}
