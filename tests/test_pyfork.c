/* test_pyfork.c - a signal sent to a child Python has just forked is
 * not lost. Between fork() and CPython's after-fork code the child still
 * has pardemo's handlers, and CPython forgets a signal caught there: a
 * Pool.terminate() whose SIGTERM fell in that window joined its worker
 * for ever. pylesson.c's atfork guard makes such a child die of it. */
#include <Python.h>
#include <criterion/criterion.h>
#include <pthread.h>
#include <unistd.h>

#include "pyspark/pylesson.h"

/* Registered before pylesson's guard, so it runs first in each child:
 * 30 ms in which the child has not yet reached Python's after-fork. */
static void slow_child(void)
{
    usleep(30000);
}

static const char forks[] =
    "import os, signal, time\n"
    "lost = 0\n"
    "for _ in range(5):\n"
    "    pid = os.fork()\n"
    "    if pid == 0:\n"
    "        time.sleep(0.5)\n"
    "        os._exit(0)\n"
    "    os.kill(pid, signal.SIGTERM)\n"
    "    st = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])\n"
    "    lost += st != -signal.SIGTERM\n";

Test(signals, a_signal_at_a_fork_is_not_lost, .timeout = 120)
{
    struct pyl_info info;
    char why[200];
    long lost = -1;

    cr_assert_eq(pthread_atfork(NULL, NULL, slow_child), 0);
    cr_assert_eq(pyl_start("fork", &info, why, sizeof(why)), 0, "%s", why);
    if (PyRun_SimpleString(forks) == 0) {
        PyObject *v = PyObject_GetAttrString(PyImport_AddModule("__main__"),
                                             "lost");
        lost = v ? PyLong_AsLong(v) : -1;
        Py_XDECREF(v);
    }
    pyl_stop(&info);
    cr_expect_eq(lost, 0, "%ld of 5 children outlived a SIGTERM sent as "
                 "they were forked", lost);
}
