/* lesson/wordcount.c - the lecture's word count as stages of tasks.
 * What to notice: the shuffle cuts the job in two stages; later actions
 * reuse its output; the map-side combine shuffles fewer records than
 * groupByKey; a lost task re-runs alone.
 */
#include "lesson/wordcount.h"

#include <string.h>

static void notice_stages(const struct wc_lesson *x, struct notices *ns)
{
    struct notice *n = notice_add(ns, "wordcount.two_stages");

    notice_num(n, "map", x->map_tasks, U_INT);
    notice_num(n, "reduce", x->result_tasks, U_INT);
    notice_num(n, "threads", x->threads, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "map", REL_GT, 1, "zero");
    notice_rel(n, "reduce", REL_GT, 1, "zero");
    notice_say(n, "The shuffle cut the job into two stages: stage %d ran "
               "{map|map task|map tasks} (one per input split: flatMap, map "
               "and the map-side combine, pipelined), stage %d ran "
               "{reduce|task|tasks} on the shuffled counts; {threads|thread|"
               "threads} ran them.", x->map_stage, x->result_stage);
}

static void notice_skipped(const struct wc_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (x->skipped <= 0)
        return;
    n = notice_add(ns, "wordcount.stage_skipped");
    notice_num(n, "skipped", x->skipped, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "skipped", REL_GT, 1, "zero");
    notice_say(n, "Later actions (count%s) found the shuffle output already "
               "written and skipped its map stage ({skipped} skipped), as "
               "Spark does.", x->has_save_stage ? ", saveAsTextFile" : "");
}

static void notice_lost(const struct wc_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (x->recomputed <= 0 || !x->lost)
        return;
    n = notice_add(ns, "wordcount.lost_rerun");
    notice_num(n, "rerun", x->recomputed, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "rerun", REL_GT, 1, "zero");
    notice_say(n, "Lost: %s. Only {rerun|task|tasks} re-ran from lineage "
               "(marked 'retry' above); the counts are computed from the "
               "same records, so they are the same.", x->lost);
}

/* More threads than CPUs, and more tasks in a stage than CPUs: some
 * tasks had to take turns. */
static void notice_threads(const struct wc_lesson *x, struct notices *ns)
{
    int most = x->map_tasks > x->result_tasks ? x->map_tasks
                                              : x->result_tasks;
    int running = x->threads < most ? x->threads : most;
    struct notice *n;

    if (running <= x->cpus)
        return;
    n = notice_add(ns, "wordcount.more_threads_than_cpus");
    notice_num(n, "threads", x->threads, U_INT);
    notice_num(n, "tasks", most, U_INT);
    notice_num(n, "running", running, U_INT);
    notice_num(n, "cpus", x->cpus, U_INT);
    notice_rel(n, "running", REL_GT, 1, "cpus");
    notice_say(n, "{threads} threads ran up to {tasks} tasks of a stage on "
               "{cpus|allowed CPU|allowed CPUs}: they could not all run at "
               "once, so some took turns.");
}

static void notice_empty(const struct wc_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (x->empty_count <= 0)
        return;
    n = notice_add(ns, "wordcount.empty_string");
    notice_num(n, "times", (double)x->empty_count, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "times", REL_GT, 1, "zero");
    notice_say(n, "'' (the empty string) was counted {times|time|times}: "
               "line.split(\" \") yields one for every empty line and every "
               "extra space; line.split() (--split ws) yields none.");
}

static void notice_combine(const struct wc_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (!x->has_group || x->red_records <= 0)
        return;
    n = notice_add(ns, "wordcount.map_side_combine");
    notice_num(n, "red", (double)x->red_records, U_INT);
    notice_num(n, "red_b", (double)x->red_bytes, U_MIB);
    notice_num(n, "grp", (double)x->grp_records, U_INT);
    notice_num(n, "grp_b", (double)x->grp_bytes, U_MIB);
    notice_num(n, "times", (double)x->grp_records / (double)x->red_records,
               U_NUM);
    if (x->grp_records > x->red_records) {
        notice_rel(n, "grp", REL_GT, 1, "red");
        notice_say(n, "Map-side combine: reduceByKey shuffled {red} records "
                   "({red_b}) where groupByKey shuffled {grp} ({grp_b}), "
                   "{times} times as many: each map task summed its own "
                   "(word, 1) pairs before the shuffle.");
        return;
    }
    n->id = "wordcount.combine_saved_nothing";
    notice_rel(n, "grp", REL_LE, 1, "red");
    notice_say(n, "reduceByKey shuffled {red} records and groupByKey {grp}: "
               "as many, so nothing was combined on the map side (every "
               "(word, 1) crossed the shuffle).");
}

static void notice_facts(const struct wc_lesson *x, struct notices *ns)
{
    if (x->is_group_too_big)
        notice_say(notice_add(ns, "wordcount.group_not_run"), "groupByKey "
                   "was not run for comparison: on input over 16 MiB it "
                   "would copy every pair.");
    if (x->save)        /* a '{' in the path would read as a {name} */
        notice_say(notice_add(ns, "wordcount.saved"), "counts.saveAsTextFile"
                   "(\"%s\") wrote %d part files and _SUCCESS.",
                   strchr(x->save, '{') ? "DIR" : x->save, x->save_parts);
}

void wc_lesson_notices(const struct wc_lesson *x, struct notices *ns)
{
    notice_empty(x, ns);
    notice_stages(x, ns);
    notice_skipped(x, ns);
    notice_lost(x, ns);
    notice_threads(x, ns);
    notice_combine(x, ns);
    notice_facts(x, ns);
}
