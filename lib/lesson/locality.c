/* lesson/locality.c - bringing computation to the data.
 * What to notice: in the model, how many map tasks ran where their block
 * was and what crossed the network; where HDFS put the replicas; what
 * delay scheduling bought; on this machine, what a second process and a
 * socket add to reading a block (not what a real network costs).
 */
#include "lesson/locality.h"

#include <stdio.h>

#define PAYS_AT 1.005       /* the blind job this much longer: it pays */

static double frac(const struct sched_result *s, int where)
{
    return s->tasks > 0 ? (double)s->count[where] / s->tasks : 0;
}

static const char *bytes_text(double b, char *buf, size_t len)
{
    b = b < 0 ? -b : b;
    if (b >= 1024.0 * (1 << 30))
        snprintf(buf, len, "%.3g TiB", b / (1024.0 * (1 << 30)));
    else if (b >= 1 << 30)
        snprintf(buf, len, "%.3g GiB", b / (1 << 30));
    else
        snprintf(buf, len, "%.3g MiB", b / (1 << 20));
    return buf;
}

static void notice_scheduling(const struct locality_results *res,
                              struct notices *ns)
{
    const struct loc_model *m = &res->m[0];
    struct notice *n = notice_add(ns, "locality.aware_runs_local");
    double saved = m->blind.net_bytes - m->aware.net_bytes;
    double core = m->blind.core_bytes - m->aware.core_bytes;
    char s1[32], s2[32];

    notice_num(n, "aware", frac(&m->aware, LOC_NODE), U_PCT);
    notice_num(n, "blind", frac(&m->blind, LOC_NODE), U_PCT);
    notice_num(n, "aware_net", m->aware.net_bytes, U_MIB);
    notice_num(n, "blind_net", m->blind.net_bytes, U_MIB);
    if (frac(&m->aware, LOC_NODE) > frac(&m->blind, LOC_NODE) &&
        saved > 0) {
        notice_rel(n, "aware", REL_VGT, 1, "blind");
        notice_rel(n, "blind_net", REL_VGT, 1, "aware_net");
        notice_say(n, "With %s placement, locality-aware scheduling ran "
                   "{aware} of the map tasks node-local against {blind} "
                   "blind, and moved %s less over the network (%s %s through "
                   "the core switch).", m->place,
                   bytes_text(saved, s1, sizeof(s1)),
                   bytes_text(core, s2, sizeof(s2)),
                   core >= 0 ? "less" : "more");
        return;
    }
    n->id = "locality.aware_no_better";
    notice_rel(n, "aware", REL_VLE, 1, "blind");
    notice_say(n, "With %s placement, locality-aware scheduling ran {aware} "
               "of the map tasks node-local and the blind one {blind}: with "
               "these options knowing where blocks are did not help (try "
               "more nodes than replicas).", m->place);
}

static void notice_model_job(const struct locality_results *res,
                             struct notices *ns)
{
    const struct loc_model *m = &res->m[0];
    struct notice *n = notice_add(ns, "locality.locality_pays");

    notice_num(n, "blind", m->blind.job_seconds, U_DUR);
    notice_num(n, "aware", m->aware.job_seconds, U_DUR);
    notice_num(n, "times", m->aware.job_seconds > 0 ? m->blind.job_seconds /
               m->aware.job_seconds : 1, U_NUM);
    notice_num(n, "disk", res->disk_mbps * 1e6, U_MBPS);
    notice_num(n, "net", res->net_mbps * 1e6, U_MBPS);
    if (m->blind.job_seconds > PAYS_AT * m->aware.job_seconds) {
        notice_rel(n, "blind", REL_VGT, PAYS_AT, "aware");
        notice_say(n, "In the model (disk {disk}, network {net} per node, "
                   "core switch %d:1) the blind job takes {blind}, the "
                   "locality-aware one {aware}: {times} times as long. "
                   "Bringing computation to the data pays.", res->oversub);
        return;
    }
    n->id = "locality.locality_does_not_pay";
    notice_rel(n, "blind", REL_VLE, PAYS_AT, "aware");
    notice_say(n, "In the model (disk {disk}, network {net} per node, core "
               "switch %d:1) the blind job takes {blind}, the "
               "locality-aware one {aware}: with a network this fast "
               "against the disk, locality did not shorten the job.",
               res->oversub);
}

static void notice_hdfs(const struct locality_results *res,
                        const struct loc_model *m, struct notices *ns)
{
    struct notice *n = notice_add(ns, "locality.hdfs_writer");
    bool is_safe = m->two_racks >= 1;

    notice_num(n, "share", m->writer_share, U_PCT);
    notice_num(n, "fair", 1.0 / res->nodes, U_PCT);
    notice_num(n, "two", m->two_racks, U_PCT);
    notice_num(n, "all", 1, U_PCT);
    notice_rel(n, "share", REL_VGT, 1, "fair");
    notice_rel(n, "two", is_safe ? REL_VGE : REL_VLT, 1, "all");
    notice_say(n, "HDFS's default policy put a replica of every block on "
               "the writer (node %d): it holds {share} of all replicas "
               "where an equal share is {fair}. %s", res->writer,
               res->racks == 1 ? "With one rack, losing it loses every "
               "block." : is_safe ? "Every block spans 2 racks: it "
               "survives losing a rack, for one copy through the core "
               "switch." : "Only {two} of the blocks span 2 racks: the "
               "others are lost with their rack.");
}

static void notice_optimal(const struct loc_model *m, struct notices *ns)
{
    struct notice *n = notice_add(ns, "locality.optimal_even");

    notice_num(n, "lo", m->lo, U_INT);
    notice_num(n, "hi", m->hi, U_INT);
    notice_num(n, "local", frac(&m->aware, LOC_NODE), U_PCT);
    notice_num(n, "job", m->aware.job_seconds, U_DUR);
    notice_rel(n, "hi", REL_VGE, 1, "lo");
    notice_say(n, "Optimal placement gives every node %s replicas; "
               "locality-aware scheduling then ran {local} of the tasks "
               "node-local and finished in {job}.", m->lo == m->hi
               ? "exactly {lo}" : "{lo} to {hi}");
}

static void notice_placements(const struct locality_results *res,
                              struct notices *ns)
{
    for (int k = 0; k < res->nm; k++) {
        if (res->m[k].is_hdfs && res->m[k].writer_share > 1.0 / res->nodes)
            notice_hdfs(res, &res->m[k], ns);
        if (res->m[k].is_optimal)
            notice_optimal(&res->m[k], ns);
    }
}

static void notice_delay(const struct locality_results *res,
                         struct notices *ns)
{
    const struct sched_result *with = &res->m[0].aware, *w0 = &res->no_delay;
    struct notice *n;

    if (res->delay == 0)
        return;
    n = notice_add(ns, "locality.delay_helps");
    notice_num(n, "waits", (double)with->waits, U_INT);
    notice_num(n, "with", frac(with, LOC_NODE), U_PCT);
    notice_num(n, "without", frac(w0, LOC_NODE), U_PCT);
    notice_num(n, "job_with", with->job_seconds, U_DUR);
    notice_num(n, "job_without", w0->job_seconds, U_DUR);
    if (frac(with, LOC_NODE) > frac(w0, LOC_NODE)) {
        notice_rel(n, "with", REL_VGT, 1, "without");
        notice_say(n, "Delay scheduling: free slots passed up {waits} "
                   "rounds of %d ms waiting for a local block; without "
                   "waiting (--delay 0) {without} of the tasks would run "
                   "node-local, with it {with} (job {job_without} without, "
                   "{job_with} with%s).", res->heartbeat_ms,
                   with->job_seconds > w0->job_seconds ? ": the waiting "
                   "cost more than the network it saved" : "");
        if (with->job_seconds > w0->job_seconds)
            notice_rel(n, "job_with", REL_VGT, 1, "job_without");
        return;
    }
    n->id = "locality.delay_no_help";
    notice_rel(n, "with", REL_VLE, 1, "without");
    notice_say(n, "Delay scheduling (--delay %d) passed up {waits} rounds "
               "but ran no more tasks node-local ({with} with, {without} "
               "without): here a local slot was free soon enough anyway.",
               res->delay);
}

/* "slower" / "faster" / "about as fast" for path k against local. */
static void path_words(struct notice *n, const char *a, char *buf,
                       size_t len, const char *rate)
{
    int o = notice_order(n, "local", a);

    snprintf(buf, len, "%s (%s)", rate, o > 0 ? "slower" : o < 0
             ? "faster" : "too close to the page cache to tell apart");
}

static void notice_measured(const struct locality_results *res,
                            struct notices *ns)
{
    struct notice *n = notice_add(ns, "locality.measured");
    char u[120], t[120];

    notice_num(n, "block", res->block_bytes, U_MIB);
    notice_est(n, "local", res->rate[LOC_PATH_LOCAL], U_MBPS);
    notice_est(n, "unix", res->rate[LOC_PATH_UNIX], U_MBPS);
    notice_est(n, "tcp", res->rate[LOC_PATH_TCP], U_MBPS);
    path_words(n, "unix", u, sizeof(u), "{unix}");
    path_words(n, "tcp", t, sizeof(t), "{tcp}");
    notice_say(n, "On this machine a {block} block came from the page cache "
               "at {local}, from another process through a Unix socket at "
               "%s and through TCP loopback at %s.", u, t);
    n = notice_add(ns, "locality.loopback_is_not_a_network");
    notice_say(n, "That compares two copies in memory: a block in the page "
               "cache against the same block handed over by a second "
               "process through a socket (copies into and out of the "
               "kernel, and waking that process). It is not what a disk or "
               "a real network costs: loopback has no wire, no NIC and no "
               "switch.");
}

static void notice_grounded(const struct locality_results *res,
                            struct notices *ns)
{
    struct notice *n;

    if (!res->is_grounded) {
        n = notice_add(ns, "locality.net_given");
        notice_say(n, "--net-mbps was given, so the model keeps a network "
                   "of %d MB/s per node; this machine's measured ratio is "
                   "not used for it.", res->net_mbps);
        return;
    }
    n = notice_add(ns, "locality.grounded");
    notice_num(n, "disk", res->disk_mbps * 1e6, U_MBPS);
    notice_num(n, "net", res->grounded_net_bps, U_MBPS);
    notice_num(n, "blind", res->g_blind.job_seconds, U_DUR);
    notice_num(n, "aware", res->g_aware.job_seconds, U_DUR);
    notice_num(n, "times", res->g_aware.job_seconds > 0 ?
               res->g_blind.job_seconds / res->g_aware.job_seconds : 1,
               U_NUM);
    notice_rel(n, "blind", res->g_blind.job_seconds > res->g_aware.job_seconds
               ? REL_VGT : REL_VLE, 1, "aware");
    notice_say(n, "The last table runs the model again with the network "
               "set to disk {disk} over this machine's page-cache to TCP "
               "ratio ({net}): a stand-in with the same proportions, not a "
               "measured network. There the blind job with %s placement "
               "takes {blind} against {aware}%s.", res->m[0].place,
               res->g_blind.job_seconds > res->g_aware.job_seconds
               ? ", {times} times as long" : "");
}

void locality_notices(const struct locality_results *res,
                      struct notices *ns)
{
    if (res->nm <= 0)
        return;
    notice_scheduling(res, ns);
    notice_model_job(res, ns);
    notice_placements(res, ns);
    notice_delay(res, ns);
    if (!res->is_measured)
        return;
    notice_measured(res, ns);
    notice_grounded(res, ns);
}
