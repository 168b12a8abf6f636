/* lesson/lesson.c - rules shared by several topics. */
#include "lesson/lesson.h"

void lesson_one_cpu_gain(struct notices *ns, const char *id,
                         const char *what, struct est gain, int workers,
                         double busy_n, double busy_1)
{
    struct notice *n;

    if (!(gain.v > LESSON_ONE_CPU_GAIN))
        return;
    n = notice_add(ns, id);
    notice_est(n, "gain", gain, U_RATIO);
    notice_num(n, "at", LESSON_ONE_CPU_GAIN, U_RATIO);
    notice_num(n, "n", workers, U_INT);
    notice_num(n, "busy_n", busy_n, U_NUM);
    notice_num(n, "busy_1", busy_1, U_NUM);
    notice_rel(n, "gain", REL_VGT, 1, "at");
    if (busy_n > busy_1) {
        notice_rel(n, "busy_n", REL_VGT, 1, "busy_1");
        notice_say(n, "%s reached {gain} with {n|worker|workers} on 1 CPU, "
                   "and that is not parallelism: they kept {busy_n} of the "
                   "CPU busy against {busy_1} with one worker, so more "
                   "workers got more turns on a CPU other programs wanted.",
                   what);
    } else {
        notice_say(n, "%s reached {gain} with {n|worker|workers} on 1 CPU; "
                   "that is not parallelism, and these numbers do not show "
                   "what made the runs differ.", what);
    }
}

void lesson_ranks(struct notices *ns, int ranks, int splits,
                  long long sent_bytes)
{
    struct notice *n;

    if (ranks < 2)
        return;
    n = notice_add(ns, "mpi.ranks_shuffled");
    notice_num(n, "ranks", ranks, U_INT);
    notice_num(n, "splits", splits, U_INT);
    notice_num(n, "sent", (double)sent_bytes, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (sent_bytes > 0) {
        notice_rel(n, "sent", REL_VGT, 1, "zero");
        notice_say(n, "{ranks} ranks read {splits|split|splits}, each only "
                   "its own byte ranges; the shuffles sent {sent} bytes "
                   "between ranks (MPI_Alltoallv).");
        return;
    }
    n->id = "mpi.ranks_no_shuffle";
    notice_rel(n, "sent", REL_EQ, 1, "zero");
    notice_say(n, "{ranks} ranks read {splits|split|splits}, each only its "
               "own byte ranges; no shuffle sent anything between ranks, "
               "only results went to every rank.");
}

bool lesson_all_right(struct notices *ns, const char *id,
                      const char *bad_id, int wrong, const char *ok,
                      const char *bad)
{
    struct notice *n = notice_add(ns, id);

    notice_num(n, "wrong", wrong, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (wrong) {
        n->id = bad_id;
        notice_rel(n, "wrong", REL_GT, 1, "zero");
        notice_say(n, "%s", bad);
        return false;
    }
    notice_rel(n, "wrong", REL_EQ, 1, "zero");
    notice_say(n, "%s", ok);
    return true;
}
