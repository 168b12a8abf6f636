/* lesson/race.c - races, locks and false sharing.
 * What to notice: the unlocked counter loses updates and the locked ones
 * do not; check-then-act fetches twice; private counters on one cache
 * line slow each other down. When an effect did not show, the CPUs busy
 * say whether the threads ever ran at once to let it.
 */
#include "lesson/race.h"
#include "lesson/lesson.h"

#include <stdio.h>

#define AT_ONCE 1.3         /* CPUs busy: the threads really overlapped */
#define FALSE_SHARING 1.2   /* packed this much slower: the effect shows */
#define RACE_STILL "It is still a race: nothing in the code prevents it."

/* Why a race did not strike: did the threads run at once? */
static void say_not_seen(struct notice *n, const struct race_results *res,
                         double busy, const char *pre, const char *why)
{
    notice_num(n, "busy", busy, U_NUM);
    notice_num(n, "at_once", AT_ONCE, U_NUM);
    if (busy < AT_ONCE) {
        notice_rel(n, "busy", REL_VLT, 1, "at_once");
        if (notice_load(n, &res->cond))
            notice_say(n, "%s: the threads kept only {busy} CPUs busy, so "
                       "they hardly ran at once; other programs kept "
                       "{other_cpus} of the {allowed|allowed CPU|allowed "
                       "CPUs} busy (see Conditions).", pre);
        else
            notice_say(n, "%s: the threads kept only {busy} CPUs busy, so "
                       "they hardly ran at once.", pre);
        return;
    }
    notice_rel(n, "busy", REL_VGE, 1, "at_once");
    notice_say(n, "%s, although the threads ran at once ({busy} CPUs "
               "busy). %s", pre, why);
}

/* Why an effect did not show in rounds begun together: with 1 allowed
 * CPU the threads cannot run at once; else either they never did (the
 * other programs' load says why, when it does) or they did, and then
 * why_anyway is the reason. n already cites the rounds. */
static void say_not_in_rounds(struct notice *n,
                              const struct race_results *res,
                              long long rounds, long long at_once,
                              const char *pre, const char *why_anyway)
{
    notice_num(n, "rounds", (double)rounds, U_INT);
    notice_num(n, "at_once", (double)at_once, U_INT);
    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_num(n, "one", 1, U_INT);
    if (res->cpus == 1) {
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "%s: with 1 allowed CPU the threads only take turns "
                   "(a loss would need one preempted between its load and "
                   "its store); run it on 2 CPUs to see the race.", pre);
    } else if (at_once == 0) {
        notice_rel(n, "at_once", REL_EQ, 1, "zero");
        char text[400];
        snprintf(text, sizeof(text), "%s: in none of the {rounds} rounds, "
                 "begun together, were two threads inside at once;", pre);
        notice_cause(n, &res->cond, text);
    } else {
        notice_rel(n, "at_once", REL_GT, 1, "zero");
        notice_say(n, "%s, although in {at_once} of {rounds} rounds two "
                   "threads were inside at once. %s", pre, why_anyway);
    }
}

static void notice_lost(const struct race_results *res, struct notices *ns)
{
    const struct race_counter *un = &res->counter[RACE_UNSYNC];
    struct notice *n = notice_add(ns, "race.lost_updates");

    notice_num(n, "threads", res->threads, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_num(n, "total", (double)un->total, U_INT);
    notice_num(n, "worst", (double)un->worst_lost, U_INT);
    notice_num(n, "pct", (double)un->worst_lost / (double)un->total, U_PCT);
    notice_num(n, "runs", un->runs, U_INT);
    notice_num(n, "lossy", un->runs - un->exact_runs, U_INT);
    if (res->threads == 1) {
        n->id = "race.one_thread";
        notice_rel(n, "threads", REL_EQ, 1, "one");
        notice_say(n, "With 1 thread nothing is lost: a race needs a second "
                   "thread touching the counter between a load and its "
                   "store. Try -t 2.");
    } else if (un->worst_lost > 0 && res->cpus == 1) {
        n->id = "race.lost_by_preemption";
        notice_num(n, "cpus", res->cpus, U_INT);
        notice_rel(n, "worst", REL_GT, 1, "zero");
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "The unlocked counter lost {worst} of {total} updates "
                   "({pct}) in its worst run; {lossy} of {runs|run|runs} "
                   "lost some, on 1 allowed CPU: the threads never ran at "
                   "once, but the scheduler switched from one to the other "
                   "between a load and its store, and the first then stored "
                   "its stale value + 1 over all the other's increments.");
    } else if (un->worst_lost > 0) {
        notice_rel(n, "worst", REL_GT, 1, "zero");
        notice_say(n, "The unlocked counter lost {worst} of {total} updates "
                   "({pct}) in its worst run; {lossy} of {runs|run|runs} "
                   "lost some. A thread loaded the counter, another stored "
                   "to it, and the first then stored its stale value + 1 "
                   "over that: the other's increments vanished.");
    } else {
        n->id = "race.no_loss_seen";
        notice_rel(n, "worst", REL_EQ, 1, "zero");
        say_not_in_rounds(n, res, un->rounds, un->at_once, "No update was "
                          "lost in {runs|try|tries}", RACE_STILL);
    }
}

static void notice_locks(const struct race_results *res, struct notices *ns)
{
    const struct race_counter *mu = &res->counter[RACE_MUTEX];
    const struct race_counter *at = &res->counter[RACE_ATOMIC];
    struct notice *n = notice_add(ns, "race.locks_exact");

    notice_num(n, "total", (double)mu->total, U_INT);
    notice_num(n, "mu_exact", mu->exact_runs, U_INT);
    notice_num(n, "mu_runs", mu->runs, U_INT);
    notice_num(n, "mu_lost", (double)mu->worst_lost, U_INT);
    notice_num(n, "at_exact", at->exact_runs, U_INT);
    notice_num(n, "at_runs", at->runs, U_INT);
    if (mu->exact_runs == mu->runs && at->exact_runs == at->runs &&
        res->threads > 1 && res->counter[RACE_UNSYNC].worst_lost == 0 &&
        mu->at_once == 0) {
        n->id = "race.locks_untested";  /* exact, but nothing was at stake */
        notice_num(n, "rounds", (double)mu->rounds, U_INT);
        notice_num(n, "at_once", (double)mu->at_once, U_INT);
        notice_num(n, "zero", 0, U_INT);
        notice_rel(n, "mu_exact", REL_EQ, 1, "mu_runs");
        notice_rel(n, "at_once", REL_EQ, 1, "zero");
        notice_say(n, "The mutex and the atomic counted exactly {total} in "
                   "every run, but so did the unlocked counter, and in none "
                   "of the mutex's {rounds} rounds were two threads inside "
                   "at once, so this run cannot show what the lock "
                   "prevents.");
    } else if (mu->exact_runs == mu->runs && at->exact_runs == at->runs) {
        notice_rel(n, "mu_exact", REL_EQ, 1, "mu_runs");
        notice_rel(n, "at_exact", REL_EQ, 1, "at_runs");
        notice_say(n, "The mutex and the atomic counted exactly {total} in "
                   "every run: a lock (or one indivisible instruction) makes "
                   "the read-modify-write safe.");
    } else if (mu->exact_runs < mu->runs) {
        n->id = "race.mutex_lost";
        notice_rel(n, "mu_exact", REL_VLT, 1, "mu_runs");
        notice_say(n, "The mutex variant lost up to {mu_lost} updates "
                   "({mu_exact} of {mu_runs} runs exact): a held lock "
                   "cannot lose one, so its load and store are no longer "
                   "inside pthread_mutex_lock/unlock (worksheet 4's "
                   "exercise removes them). Without the lock it is the "
                   "unsync code.");
    } else {
        n->id = "race.atomic_lost";
        notice_rel(n, "at_exact", REL_VLT, 1, "at_runs");
        notice_say(n, "The atomic counter missed updates ({at_exact} of "
                   "{at_runs} runs exact): a fetch-add cannot lose one, so "
                   "this is a bug; please report it.");
    }
}

static void notice_cost(const struct race_results *res, struct notices *ns)
{
    const struct race_counter *c = res->counter;
    struct notice *n = notice_add(ns, "race.lock_cost");

    notice_est(n, "mutex", c[RACE_MUTEX].ns, U_NS);
    notice_est(n, "atomic", c[RACE_ATOMIC].ns, U_NS);
    notice_est(n, "unsync", c[RACE_UNSYNC].ns, U_NS);
    notice_num(n, "times", stats_speedup(c[RACE_MUTEX].ns.v,
                                         c[RACE_ATOMIC].ns.v), U_NUM);
    notice_num(n, "times_at", stats_speedup(c[RACE_ATOMIC].ns.v,
                                            c[RACE_MUTEX].ns.v), U_NUM);
    notice_num(n, "un_lost", (double)c[RACE_UNSYNC].worst_lost, U_INT);
    notice_num(n, "zero", 0, U_INT);
    switch (notice_order(n, "mutex", "atomic")) {
    case 1:
        if (c[RACE_UNSYNC].worst_lost > 0)
            notice_rel(n, "un_lost", REL_GT, 1, "zero");
        notice_say(n, "Per update the mutex took {times} times as long as "
                   "the atomic ({mutex} vs {atomic}); the unlocked counter "
                   "took {unsync}%s.", c[RACE_UNSYNC].worst_lost > 0
                   ? ", and lost updates" : "");
        break;
    case -1:
        n->id = "race.atomic_dearer";
        notice_say(n, "Per update the atomic took {times_at} times as long "
                   "as the mutex here ({atomic} vs {mutex}); the unlocked "
                   "counter took {unsync}.");
        break;
    default:
        n->id = "race.lock_cost_unclear";
        notice_say(n, "Per update the mutex took {mutex} and the atomic "
                   "{atomic}: too close to tell apart in these runs; the "
                   "unlocked counter took {unsync}.");
    }
}

static void notice_dedupe(const struct race_results *res, struct notices *ns)
{
    const struct race_crawl *un = &res->crawl[0], *lk = &res->crawl[1];
    struct notice *n = notice_add(ns, "race.fetched_twice");

    notice_num(n, "distinct", (double)un->distinct, U_INT);
    notice_num(n, "dups", (double)un->dup_urls, U_INT);
    notice_num(n, "extra", (double)(un->fetches - un->distinct), U_INT);
    notice_num(n, "tries", un->tries, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_num(n, "threads", res->threads, U_INT);
    notice_num(n, "one", 1, U_INT);
    if (un->dup_urls > 0) {
        notice_rel(n, "dups", REL_GT, 1, "zero");
        notice_say(n, "Without a lock {dups} of the {distinct} distinct URLs "
                   "{!dups|was|were} fetched more than once ({extra} extra "
                   "{!extra|fetch|fetches}): workers found the URL unseen "
                   "before the first of them added it.");
    } else if (res->threads == 1) {
        n->id = "race.dedupe_one_worker";
        notice_rel(n, "threads", REL_EQ, 1, "one");
        notice_say(n, "With 1 worker the unlocked filter cannot race: each "
                   "of the {distinct} distinct URLs was fetched once.");
    } else {
        n->id = "race.dedupe_not_seen";
        notice_rel(n, "dups", REL_EQ, 1, "zero");
        say_not_seen(n, res, un->cpus_busy, "Without a lock no URL was "
                     "fetched twice in {tries|crawl|crawls}", RACE_STILL);
    }
    n = notice_add(ns, "race.dedupe_locked");
    notice_num(n, "distinct", (double)lk->distinct, U_INT);
    notice_num(n, "fetches", (double)lk->fetches, U_INT);
    notice_num(n, "never", (double)lk->never, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (lk->fetches == lk->distinct && lk->never == 0) {
        notice_rel(n, "fetches", REL_EQ, 1, "distinct");
        notice_rel(n, "never", REL_EQ, 1, "zero");
        notice_say(n, "With the lock around check-and-add each of the "
                   "{distinct} distinct URLs was fetched exactly once.");
    } else {
        n->id = "race.dedupe_locked_bug";
        notice_rel(n, "fetches", REL_NE, 1, "distinct");
        notice_say(n, "The locked filter fetched {fetches} times for "
                   "{distinct} distinct URLs ({never} never): a bug; please "
                   "report it.");
    }
}

static void notice_sharing(const struct race_results *res,
                           struct notices *ns)
{
    const struct race_sharing *sh = &res->sharing;
    struct notice *n = notice_add(ns, "race.false_sharing");
    struct est ratio = est_ratio(sh->packed_ao, sh->padded_ao);

    if (sh->ao_runs > 0) {      /* else there is no at-once time to cite */
        notice_est(n, "ratio", ratio, U_RATIO);
        notice_est(n, "packed", sh->packed_ao, U_NS);
        notice_est(n, "padded", sh->padded_ao, U_NS);
    }
    notice_num(n, "shows_at", RACE_SHARING_AT, U_RATIO);
    notice_num(n, "line", (double)res->line_bytes, U_INT);
    notice_num(n, "per_line", (double)res->line_bytes / 8, U_INT);
    notice_num(n, "threads", res->threads, U_INT);
    notice_num(n, "runs", sh->runs, U_INT);
    notice_num(n, "ao_runs", sh->ao_runs, U_INT);
    notice_num(n, "rounds", (double)sh->rounds, U_INT);
    notice_num(n, "at_once", (double)sh->at_once, U_INT);
    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    if (res->threads == 1) {
        n->id = "race.sharing_cannot_show";
        notice_rel(n, "threads", REL_EQ, 1, "one");
        notice_say(n, "With 1 thread there is no one to share the cache "
                   "line with, so padding cannot help.");
    } else if (res->cpus == 1) {
        n->id = "race.sharing_cannot_show";
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "With 1 allowed CPU the threads never run at the "
                   "same time, so the line never moves between cores and "
                   "padding cannot help.");
    } else if (sh->ao_runs > 0 &&
               rel_holds(REL_GT, ratio, 1, est_exact(RACE_SHARING_AT))) {
        notice_num(n, "zero_rounds", 0, U_INT);
        notice_rel(n, "ratio", REL_GT, 1, "shows_at");
        notice_rel(n, "at_once", REL_GT, 1, "zero_rounds");
        notice_say(n, "In the {at_once} of {rounds} rounds where both "
                   "threads ran at once, padding made each bump {ratio} "
                   "faster ({packed} vs {padded} per update): packed, up to "
                   "{per_line} counters share one {line}-byte cache line, "
                   "and every bump pulls that line away from the other core "
                   "although no data is shared.");
    } else {
        n->id = "race.sharing_not_seen";
        if (sh->ao_runs > 0)
            notice_rel(n, "ratio", rel_holds(REL_LT, ratio, 1,
                       est_exact(RACE_SHARING_AT)) ? REL_LT : REL_NEAR, 1,
                       "shows_at");
        say_not_in_rounds(n, res, sh->rounds, sh->at_once, sh->ao_runs > 0
                          ? "False sharing did not show in {runs|run|runs} "
                          "(per update when at once: packed {packed}, "
                          "padded {padded})"
                          : "False sharing did not show in {runs|run|runs}",
                          "Two CPUs that share their caches (two threads of "
                          "one core, which a VM may hide) have no line to "
                          "pass between them.");
    }
}

static void notice_append_lost(const struct race_results *res,
                               struct notices *ns)
{
    const struct race_append *a = &res->append[RACE_APPEND_SEEK];
    struct notice *n = notice_add(ns, "race.append_lost");

    notice_num(n, "expected", (double)a->expected, U_INT);
    notice_num(n, "whole", (double)a->whole, U_INT);
    notice_num(n, "lost", (double)(a->expected - a->whole), U_INT);
    notice_num(n, "torn", (double)a->torn, U_INT);
    notice_num(n, "tries", a->tries, U_INT);
    notice_num(n, "threads", res->threads, U_INT);
    if (res->threads == 1 && a->whole == a->expected) {
        n->id = "race.append_one_thread";
        notice_num(n, "one", 1, U_INT);
        notice_rel(n, "threads", REL_EQ, 1, "one");
        notice_rel(n, "whole", REL_EQ, 1, "expected");
        notice_say(n, "With 1 thread every appended line arrived: nobody "
                   "else moves the end of the file between the lseek and "
                   "the write.");
    } else if (a->whole < a->expected) {
        notice_rel(n, "whole", REL_LT, 1, "expected");
        notice_say(n, "Appending by lseek to the end, then write, from "
                   "{threads|thread|threads} (each with its own "
                   "descriptor, as processes have) kept {whole} of {expected} lines in the "
                   "worst of {tries|try|tries}: {lost} were lost, {torn} "
                   "torn. Two threads found the same end of the file, and "
                   "the second wrote over the first's line.");
    } else {
        n->id = "race.append_not_seen";
        notice_rel(n, "whole", REL_EQ, 1, "expected");
        say_not_in_rounds(n, res, a->rounds, a->at_once, "Every appended "
                          "line arrived whole in {tries|try|tries} of lseek "
                          "then write", RACE_STILL);
    }
}

static void notice_append_safe(const struct race_results *res,
                               struct notices *ns)
{
    const struct race_append *lk = &res->append[RACE_APPEND_LOCKED];
    const struct race_append *ap = &res->append[RACE_APPEND_O_APPEND];
    struct notice *n = notice_add(ns, "race.append_safe");

    notice_num(n, "expected", (double)ap->expected, U_INT);
    notice_num(n, "ap_whole", (double)ap->whole, U_INT);
    notice_num(n, "lk_whole", (double)lk->whole, U_INT);
    if (ap->whole == ap->expected && lk->whole == lk->expected &&
        ap->torn == 0 && lk->torn == 0) {
        notice_rel(n, "ap_whole", REL_EQ, 1, "expected");
        notice_rel(n, "lk_whole", REL_EQ, 1, "expected");
        notice_say(n, "With O_APPEND (the kernel moves to the end and writes "
                   "in one step) and with a lock around the lseek and the "
                   "write, all {expected} lines arrived whole.");
        return;
    }
    n->id = "race.append_safe_bug";
    notice_rel(n, ap->whole != ap->expected ? "ap_whole" : "lk_whole",
               REL_NE, 1, "expected");
    notice_say(n, "With O_APPEND {ap_whole} and with the lock {lk_whole} of "
               "{expected} lines arrived whole: that is a bug (or a file "
               "system without atomic appends, such as NFS).");
}

/* ---- the Python part ---- */

static void notice_py_filters(const struct race_results *res,
                              struct notices *ns)
{
    const struct race_crawl *sl = &res->py.crawl[RPY_SLIDE];
    const struct race_crawl *wr = &res->py.crawl[RPY_WRITES];
    struct notice *n = notice_add(ns, "race.py_slide_clean");

    notice_num(n, "dup", (double)sl->dup_urls, U_INT);
    notice_num(n, "fetches", (double)sl->fetches, U_INT);
    notice_num(n, "distinct", (double)sl->distinct, U_INT);
    notice_num(n, "wdup", (double)wr->dup_urls, U_INT);
    notice_num(n, "wextra", (double)(wr->fetches - wr->distinct), U_INT);
    notice_num(n, "threads", res->py.threads, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (sl->dup_urls > 0) {
        n->id = "race.py_slide_raced";
        notice_rel(n, "dup", REL_GT, 1, "zero");
        notice_say(n, "In {threads} Python threads the slide's request_seen "
                   "fetched {dup|URL|URLs} twice or more: the GIL runs one "
                   "thread at a time, yet it changed hands between a check "
                   "and its add.");
        return;
    }
    notice_rel(n, "dup", REL_EQ, 1, "zero");
    if (wr->dup_urls > 0) {
        notice_rel(n, "wdup", REL_GT, 1, "zero");
        notice_say(n, "In {threads} Python threads the slide's request_seen "
                   "fetched every URL once ({fetches} fetches of {distinct}): "
                   "CPython hands the GIL over only at certain points, and "
                   "that window has none. Luck, not a lock: with one "
                   "blocking call between the check and the add (writing "
                   "the fingerprint first) {wdup|URL was|URLs were} fetched "
                   "twice or more, {wextra} extra fetches.");
        return;
    }
    n->id = "race.py_race_unshown";
    notice_rel(n, "wdup", REL_EQ, 1, "zero");
    notice_say(n, "In {threads} Python threads no URL was fetched twice, "
               "not even with a blocking call between the check and the "
               "add: the race did not strike in this crawl, which does not "
               "make the code safe.");
}

static void notice_py_locked(const struct race_results *res,
                             struct notices *ns)
{
    const struct race_crawl *lk = &res->py.crawl[RPY_LOCKED];
    struct notice *n = notice_add(ns, "race.py_locked");

    notice_num(n, "fetches", (double)lk->fetches, U_INT);
    notice_num(n, "distinct", (double)lk->distinct, U_INT);
    notice_num(n, "dup", (double)lk->dup_urls, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (lk->dup_urls == 0 && lk->fetches == lk->distinct) {
        notice_rel(n, "dup", REL_EQ, 1, "zero");
        notice_rel(n, "fetches", REL_EQ, 1, "distinct");
        notice_say(n, "With a threading.Lock around request_seen, blocking "
                   "call and all, every URL was fetched exactly once "
                   "({fetches} fetches).");
        return;
    }
    n->id = "race.py_locked_wrong";
    notice_rel(n, "fetches", REL_NE, 1, "distinct");
    notice_say(n, "Under a threading.Lock the crawl made {fetches} fetches "
               "of {distinct} URLs: that is a bug.");
}

static void notice_py_value(const struct race_results *res,
                            struct notices *ns)
{
    const struct race_python *py = &res->py;
    struct notice *n = notice_add(ns, "race.py_value_lost");
    long long lost = py->value_total - py->value_final[0];

    notice_num(n, "total", (double)py->value_total, U_INT);
    notice_num(n, "lost", (double)lost, U_INT);
    notice_num(n, "locked", (double)py->value_final[1], U_INT);
    notice_num(n, "threads", py->threads, U_INT);
    notice_num(n, "busy", py->value_busy, U_NUM);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    notice_num(n, "zero", 0, U_INT);
    if (py->value_final[1] != py->value_total) {
        n->id = "race.py_value_locked_wrong";
        notice_rel(n, "locked", REL_NE, 1, "total");
        notice_say(n, "A multiprocessing.Value under get_lock() counted "
                   "{locked}, not {total}: that is a bug.");
        return;
    }
    notice_rel(n, "locked", REL_EQ, 1, "total");
    if (lost > 0) {
        notice_rel(n, "lost", REL_GT, 1, "zero");
        notice_say(n, "A multiprocessing.Value shared by {threads} "
                   "processes lost {lost} of {total} increments to v.value "
                   "+= 1 - a read and then a write, each under the Value's "
                   "own lock but not both - and counted all {locked} with "
                   "get_lock() around both.");
        return;
    }
    n->id = "race.py_value_unshown";
    notice_rel(n, "lost", REL_EQ, 1, "zero");
    if (py->value_busy < LESSON_AT_ONCE) {
        notice_rel(n, "busy", REL_VLT, 1, "at_once");
        notice_cause(n, &py->cond, "A multiprocessing.Value lost no "
                     "increments to v.value += 1 in this run, but its "
                     "{threads} processes kept only {busy} CPUs busy: they "
                     "hardly ran at once;");
        return;
    }
    notice_rel(n, "busy", REL_VGE, 1, "at_once");
    notice_say(n, "A multiprocessing.Value lost no increments to v.value "
               "+= 1 in this run, with {busy} CPUs busy: the race did not "
               "strike, which does not make it safe.");
}

static void py_log_nums(struct notice *n, const struct race_py_log *l,
                        int procs)
{
    notice_num(n, "expected", (double)l->expected, U_INT);
    notice_num(n, "whole", (double)l->whole, U_INT);
    notice_num(n, "lost", (double)(l->expected - l->whole), U_INT);
    notice_num(n, "torn", (double)l->torn, U_INT);
    notice_num(n, "switches", (double)l->switches, U_INT);
    notice_num(n, "procs", procs, U_INT);
    notice_num(n, "zero", 0, U_INT);
}

/* The slide's log line from processes: "a" (buffered), seek+write. */
static void notice_py_logs(const struct race_results *res,
                           struct notices *ns)
{
    const struct race_py_log *a = &res->py.log[RPY_APPEND_A];
    const struct race_py_log *sk = &res->py.log[RPY_APPEND_SEEK];
    struct notice *n = notice_add(ns, "race.py_log_whole");

    py_log_nums(n, a, res->py.threads);
    if (a->whole == a->expected && a->torn == 0) {
        notice_rel(n, "whole", REL_EQ, 1, "expected");
        notice_rel(n, "torn", REL_EQ, 1, "zero");
        notice_say(n, "From {procs} Python processes the slide's "
                   "self.file.write(fp + os.linesep), on files opened \"a\", "
                   "kept all {expected} lines whole: \"a\" is O_APPEND, "
                   "which makes each write(2) one step, and CPython's buffer "
                   "hands the kernel whole lines; the writers took turns "
                   "{switches} times between lines.");
    } else {
        n->id = "race.py_log_a_broken";
        notice_rel(n, "whole", REL_LT, 1, "expected");
        notice_say(n, "From {procs} Python processes the slide's "
                   "self.file.write(fp + os.linesep), on files opened \"a\", "
                   "kept {whole} of {expected} lines whole ({torn} torn): a "
                   "buffered write(2) ended inside a line.");
    }
    n = notice_add(ns, "race.py_log_lost");
    py_log_nums(n, sk, res->py.threads);
    if (sk->whole < sk->expected) {
        notice_rel(n, "whole", REL_LT, 1, "expected");
        notice_say(n, "With file.seek(0, os.SEEK_END) before each write "
                   "instead, {lost} of {expected} lines were lost and {torn} "
                   "torn: two processes found the same end of the file.");
        return;
    }
    n->id = "race.py_log_lost_unshown";
    notice_rel(n, "whole", REL_EQ, 1, "expected");
    notice_say(n, "With file.seek(0, os.SEEK_END) before each write no line "
               "was lost in this run (the writers took turns {switches} "
               "times): the race did not strike, which does not make it "
               "safe.");
}

void race_notices(const struct race_results *res, struct notices *ns)
{
    if (!res->is_python_only) {
        notice_lost(res, ns);
        notice_locks(res, ns);
        notice_cost(res, ns);
        notice_dedupe(res, ns);
        notice_sharing(res, ns);
        if (res->append[RACE_APPEND_SEEK].expected > 0) {
            notice_append_lost(res, ns);
            notice_append_safe(res, ns);
        }
    }
    if (res->py.is_run) {
        notice_py_filters(res, ns);
        notice_py_locked(res, ns);
        notice_py_value(res, ns);
        if (res->py.log[RPY_APPEND_A].expected > 0)
            notice_py_logs(res, ns);
    }
}
