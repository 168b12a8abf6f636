/* lesson/rdd.c - laziness, lineage and recovery in the mini-RDD engine.
 * What to notice: a transformation calls nothing until an action runs;
 * without cache() every action recomputes; a set on the slide is an
 * ordered list in PySpark; a lost partition is rebuilt from lineage.
 */
#include "lesson/rdd.h"

#include <string.h>

#define SLIDE_REDUCE "[('cat', 3), ('dog', 1)]"

static void notice_lazy(const struct rdd_lesson *x, struct notices *ns)
{
    struct notice *n = notice_add(ns, "rdd.lazy");

    notice_num(n, "before", (double)x->calls_after_map, U_INT);
    notice_num(n, "ran", (double)(x->calls_after_collect -
                                  x->calls_after_map), U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (x->calls_after_map == 0) {
        notice_rel(n, "before", REL_EQ, 1, "zero");
        notice_rel(n, "ran", REL_GT, 1, "zero");
        notice_say(n, "Laziness: after nums.map(square) the function had "
                   "been called {before} times; collect() then called it "
                   "{ran|time|times}. Transformations record lineage; "
                   "actions run it.");
        return;
    }
    n->id = "rdd.not_lazy";
    notice_rel(n, "before", REL_GT, 1, "zero");
    notice_say(n, "nums.map(square) called the function {before|time|times} "
               "before any action: the engine is not lazy. That is a bug.");
}

static void notice_recompute(const struct rdd_lesson *x, struct notices *ns)
{
    struct notice *n;
    long again = x->calls_after_filter - x->calls_after_collect;

    if (again <= 0)
        return;
    n = notice_add(ns, "rdd.recomputes");
    notice_num(n, "again", (double)again, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "again", REL_GT, 1, "zero");
    notice_say(n, "The filter's collect() called square {again} more "
               "{!again|time|times}: without cache(), every action "
               "recomputes the lineage from the start.");
}

static void notice_set(const struct rdd_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (!x->reduce_text || !strcmp(x->reduce_text, SLIDE_REDUCE))
        return;
    n = notice_add(ns, "rdd.set_is_a_list");
    notice_say(n, "The slide writes {{(cat, 3), (dog, 1)} as a set; PySpark "
               "on %d partition%s prints %s: a key goes to reduce "
               "partition portable_hash(key) %% %d, and collect() lists "
               "partitions in order. For an order, sortByKey().",
               x->partitions, x->partitions == 1 ? "" : "s", x->reduce_text,
               x->partitions);
}

static void notice_lost(const struct rdd_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (!x->is_lose_run)
        return;
    n = notice_add(ns, "rdd.lost_rebuilt");
    if (!x->lost) {
        n->id = "rdd.nothing_lost";
        notice_say(n, "--lose %d: there are only %d partitions, so nothing "
                   "was lost.", x->lose, x->partitions);
        return;
    }
    notice_num(n, "rerun", x->recomputed, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_num(n, "same", x->is_same_after_loss, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_rel(n, "rerun", REL_GT, 1, "zero");
    if (x->is_same_after_loss) {
        notice_rel(n, "same", REL_EQ, 1, "one");
        notice_say(n, "Lost: %s. The scheduler found it missing before the "
                   "reduce stage and re-ran {rerun|map task|map tasks} from "
                   "lineage (marked 'recomputed'); the result is the same: "
                   "%s.", x->lost, x->result_after_loss);
        return;
    }
    n->id = "rdd.result_differs";
    notice_rel(n, "same", REL_NE, 1, "one");
    notice_say(n, "Lost: %s; {rerun|map task|map tasks} re-ran from lineage, "
               "but the result DIFFERS: %s. That is a bug.", x->lost,
               x->result_after_loss ? x->result_after_loss : "?");
}

void rdd_lesson_notices(const struct rdd_lesson *x, struct notices *ns)
{
    notice_lazy(x, ns);
    notice_recompute(x, ns);
    notice_set(x, ns);
    notice_say(notice_add(ns, "rdd.groupbykey_iterables"), "groupByKey() "
               "gives iterables (PySpark prints "
               "<pyspark.resultiterable.ResultIterable ...>); "
               ".mapValues(list) shows them as the slide does.");
    notice_lost(x, ns);
}
