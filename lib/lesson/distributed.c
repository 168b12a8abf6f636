/* lesson/distributed.c - the RDD engine on MPI ranks.
 * What to notice: the answer does not depend on where tasks run; on one
 * machine ranks compete with threads for the same CPUs and pay for the
 * shuffle through MPI; launching costs once per job.
 */
#include "lesson/distributed.h"

#define GAP_AT 1.2      /* one launch each: a smaller gap is not called */

static void notice_same(const struct dist_results *res, struct notices *ns)
{
    struct notice *n = notice_add(ns, "distributed.same_answer");
    int differ = 0;

    for (int i = 1; i < DIST_NRUNS; i++)
        differ += !res->run[i].is_same;
    notice_num(n, "differ", differ, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (differ == 0) {
        notice_rel(n, "differ", REL_EQ, 1, "zero");
        notice_say(n, "Every run found the same top words: where a task "
                   "runs does not change the answer.");
        return;
    }
    n->id = "distributed.answers_differ";
    notice_rel(n, "differ", REL_GT, 1, "zero");
    notice_say(n, "{differ|run disagrees|runs disagree} with the single "
               "process on the top words: a bug in the distributed "
               "engine.");
}

/* The lecture says distribution cuts processing time: on one machine,
 * 2 ranks against 1 process with as many threads. */
static void notice_ranks(const struct dist_results *res, struct notices *ns)
{
    const struct dist_run *one = &res->run[0], *two = &res->run[1];
    struct notice *n = notice_add(ns, "distributed.ranks_slower");

    notice_num(n, "j1", one->job_s, U_DUR);
    notice_num(n, "j2", two->job_s, U_DUR);
    notice_num(n, "t1", one->threads, U_INT);
    notice_num(n, "t2", two->threads, U_INT);
    notice_num(n, "cpus", res->cpus, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "sent", two->sent_bytes, U_MIB);
    notice_num(n, "mpi", two->mpi_s, U_DUR);
    notice_num(n, "zero", 0, U_INT);
    if (res->cpus == 1) {
        n->id = "distributed.ranks_one_cpu";
        notice_rel(n, "cpus", REL_EQ, 1, "one");
        notice_say(n, "2 ranks took {j2} and 1 process with {t1|thread|"
                   "threads} {j1}: with 1 allowed CPU both take turns on "
                   "it. Distribution cuts processing time only with more "
                   "CPUs, on more machines.");
    } else if (two->job_s > GAP_AT * one->job_s) {
        notice_rel(n, "j2", REL_VGT, GAP_AT, "j1");
        notice_rel(n, "mpi", REL_VGT, 1, "zero");
        notice_say(n, "2 ranks of {t2|thread|threads} took {j2}, slower "
                   "than 1 process with {t1|thread|threads} ({j1}) on the "
                   "same {cpus} CPUs: the ranks shuffled {sent} through "
                   "MPI (up to {mpi} of a rank's time in MPI) that threads "
                   "share in memory. Distribution cuts processing time when "
                   "it adds machines, not ranks on one machine.");
    } else if (one->job_s > GAP_AT * two->job_s) {
        n->id = "distributed.ranks_faster";
        notice_rel(n, "j1", REL_VGT, GAP_AT, "j2");
        notice_cause(n, &res->cond, "2 ranks of {t2|thread|threads} took {j2}, "
                 "faster than 1 process with {t1|thread|threads} ({j1}) on "
                 "the same {cpus} CPUs, though they also shuffled {sent} "
                 "through MPI:");
    } else {
        n->id = "distributed.ranks_close";
        notice_rel(n, "j2", REL_VLE, GAP_AT, "j1");
        notice_rel(n, "j1", REL_VLE, GAP_AT, "j2");
        notice_say(n, "2 ranks took {j2}, 1 process with {t1|thread|"
                   "threads} {j1}: within 1.2 times in one launch each, "
                   "too close to call. On one machine ranks add no CPUs; "
                   "distribution cuts processing time when it adds "
                   "machines.");
    }
}

static void notice_oversubscribed(const struct dist_results *res,
                                  struct notices *ns)
{
    for (int i = 1; i < DIST_NRUNS; i++) {
        const struct dist_run *u = &res->run[i];
        struct notice *n;

        if (u->ranks * u->threads <= res->cpus)
            continue;
        n = notice_add(ns, "distributed.oversubscribed");
        notice_num(n, "ranks", u->ranks, U_INT);
        notice_num(n, "threads", u->threads, U_INT);
        notice_num(n, "procs", u->ranks * u->threads, U_INT);
        notice_num(n, "cpus", res->cpus, U_INT);
        notice_num(n, "job", u->job_s, U_DUR);
        notice_rel(n, "procs", REL_VGT, 1, "cpus");
        notice_say(n, "{ranks} ranks x {threads|thread|threads} on {cpus|"
                   "allowed CPU|allowed CPUs}: oversubscribed (mpirun "
                   "--oversubscribe), so the ranks took turns and {job} is "
                   "not a speedup.");
    }
}

static void notice_launch(const struct dist_results *res, struct notices *ns)
{
    const struct dist_run *one = &res->run[0], *two = &res->run[1];
    struct notice *n = notice_add(ns, "distributed.launch_cost");

    notice_num(n, "l2", two->wall_s - two->job_s, U_DUR);
    notice_num(n, "l1", one->wall_s - one->job_s, U_DUR);
    notice_num(n, "j2", two->job_s, U_DUR);
    if (two->wall_s - two->job_s > one->wall_s - one->job_s) {
        notice_rel(n, "l2", REL_VGT, 1, "l1");
        notice_say(n, "Launching 2 ranks (mpirun, MPI_Init, connecting) "
                   "added {l2} around a {j2} job; starting one process "
                   "added {l1}. A cluster pays this once per job, not per "
                   "task.");
        return;
    }
    n->id = "distributed.launch_cheap";
    notice_rel(n, "l2", REL_VLE, 1, "l1");
    notice_say(n, "Launching 2 ranks added {l2} around the job, starting "
               "one process {l1}: no more, in this run.");
}

static void notice_shuffle(const struct dist_results *res,
                           struct notices *ns)
{
    const struct dist_run *two = &res->run[1], *four = &res->run[2];
    struct notice *n;

    if (!(four->sent_bytes > two->sent_bytes))
        return;
    n = notice_add(ns, "distributed.more_ranks_more_shuffle");
    notice_num(n, "s4", four->sent_bytes, U_MIB);
    notice_num(n, "s2", two->sent_bytes, U_MIB);
    notice_rel(n, "s4", REL_VGT, 1, "s2");
    notice_say(n, "4 ranks sent {s4} between them, 2 ranks {s2}: with more "
               "ranks a larger share of each map task's output belongs to "
               "another rank's reduce partitions.");
}

void distributed_notices(const struct dist_results *res, struct notices *ns)
{
    notice_same(res, ns);
    notice_ranks(res, ns);
    notice_oversubscribed(res, ns);
    notice_launch(res, ns);
    notice_shuffle(res, ns);
}
