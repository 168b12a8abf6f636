"""gil_burn.py - the real GIL: one pure-Python CPU loop (lesson_work.cpu,
the C kernels' work unit line for line) split over n threading.Thread
workers, n multiprocessing.Process workers, or a Pool of n; and n threads
that only wait (time.sleep), which let go of the GIL while they wait.
Every function returns the answer, the same for any n: a checksum.
"""
from multiprocessing import Pool, Process
from threading import Thread

from lesson_work import MASK, cpu, fork_join, parts, wait


def threads(n, seed, units):        # share the one GIL: one runs at a time
    return fork_join(Thread, [(cpu, (seed, first, count))
                              for first, count in parts(units, n)])


def processes(n, seed, units):      # an interpreter and a GIL each
    return fork_join(Process, [(cpu, (seed, first, count))
                               for first, count in parts(units, n)])


def pool(n, seed, units):           # the same, as the lecture's Pool.map
    with Pool(n) as p:
        sums = p.starmap(cpu, [(seed, first, count)
                               for first, count in parts(units, n)])
        p.close()               # no more work: each worker ends by itself
        p.join()                # (the `with` alone would kill them)
    return sum(sums) & MASK


def waiting(n, tasks, secs):        # asleep: the GIL is free meanwhile
    return fork_join(Thread, [(wait, (count, secs))
                              for _, count in parts(tasks, n)])
