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
