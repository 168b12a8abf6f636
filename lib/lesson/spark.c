/* lesson/spark.c - why PySpark's Python workers are processes.
 * What to notice after a job: the worker processes forked for its tasks
 * (why processes: the GIL, said at a run's first job), whether any two
 * ran side by side, what crossed back to the driver, and the stages an
 * earlier job's shuffle spared.
 */
#include "lesson/spark.h"

static struct notice *job_notice(struct notices *ns, const char *id,
                                 const struct spark_job *j)
{
    struct notice *n = notice_add(ns, id);

    notice_num(n, "tasks", j->tasks, U_INT);
    notice_num(n, "procs", j->procs, U_INT);
    notice_num(n, "most", j->most_procs, U_INT);
    notice_num(n, "skipped", j->skipped, U_INT);
    notice_num(n, "bytes", (double)j->bytes_to_driver, U_INT);
    notice_num(n, "earlier", j->earlier_procs, U_INT);
    notice_num(n, "none", 0, U_INT);
    notice_num(n, "one", 1, U_INT);
    return n;
}

/* Python ran in processes: why, and whether any ran side by side. */
static void notice_processes(const struct spark_job *j, struct notices *ns)
{
    struct notice *n;

    if (j->procs < 1)
        return;
    if (j->earlier_procs == 0) {    /* the why, once a run */
        n = job_notice(ns, "spark.processes", j);
        notice_rel(n, "procs", REL_GE, 1, "one");
        notice_rel(n, "earlier", REL_EQ, 1, "none");
        notice_say(n, "Python ran in {procs|worker process|worker "
                   "processes} forked from the driver: one Python "
                   "interpreter runs Python on one thread at a time (its "
                   "GIL), so PySpark, like this engine, gives each worker "
                   "a process of its own.");
    } else {
        n = job_notice(ns, "spark.processes_again", j);
        notice_rel(n, "procs", REL_GE, 1, "one");
        notice_rel(n, "earlier", REL_GE, 1, "one");
        notice_say(n, "Python ran in {procs|worker process|worker "
                   "processes} forked from the driver for this job.");
    }
    if (j->most_procs == 1 && j->tasks > 1) {
        n = job_notice(ns, "spark.one_process", j);
        notice_rel(n, "most", REL_EQ, 1, "one");
        notice_rel(n, "tasks", REL_GT, 1, "one");
        notice_say(n, "No stage had more than 1 worker process, so its "
                   "tasks ran one after another: nothing here ran in "
                   "parallel (one partition, or -t 1).");
    }
    if (j->bytes_to_driver > 0) {
        n = job_notice(ns, "spark.bytes", j);
        notice_rel(n, "bytes", REL_GT, 1, "none");
        if (j->earlier_procs == 0)
            notice_say(n, "The workers were sent nothing (a forked "
                       "process inherits the driver's data) and sent back "
                       "{bytes|byte|bytes}: their results, serialised.");
        else
            notice_say(n, "The workers sent back {bytes|byte|bytes}: "
                       "their results, serialised.");
    }
}

void spark_notices(const struct spark_job *j, struct notices *ns)
{
    struct notice *n;

    notice_processes(j, ns);
    if (j->skipped > 0) {
        n = job_notice(ns, "spark.skipped", j);
        notice_rel(n, "skipped", REL_GE, 1, "one");
        notice_say(n, "{skipped|stage was|stages were} skipped: an earlier "
                   "job's shuffle output was kept, and only the stages "
                   "after the shuffle ran again.");
    }
}
