"""lesson_work.py - the work the lessons' Python runs, and fork-join.

unit() is the C kernels' work unit (lib/par/work.c) line for line, so a
Python sum is checked against C's; wait() is a wait that uses no CPU.
fork_join() is the lecture's pattern: start every worker, then join all.
"""
import time
from multiprocessing import Queue

MASK = (1 << 64) - 1            # C's uint64_t arithmetic


def unit(seed, u):              # = work_unit(): 1000 rounds of hashing
    x = seed ^ (u * 0x9E3779B97F4A7C15 & MASK)
    for _ in range(1000):
        x ^= x >> 30
        x = x * 0xBF58476D1CE4E5B9 & MASK
        x ^= x >> 27
        x = x * 0x94D049BB133111EB & MASK
        x ^= x >> 31
    return x


def cpu(seed, first, count):    # CPU-bound: pure Python holds the GIL
    return sum(unit(seed, u) for u in range(first, first + count)) & MASK


def wait(tasks, secs):          # waiting-bound: asleep, the GIL is free
    for _ in range(tasks):
        time.sleep(secs)
    return tasks


def parts(total, n):            # worker i's (first, count): work_split()
    base, extra = divmod(total, n)
    return [(i * base + min(i, extra), base + (i < extra)) for i in range(n)]


def report(results, job, args):     # a worker: its part, then the answer
    results.put(job(*args))


def fork_join(Worker, jobs):    # Worker is threading.Thread or Process
    results = Queue()           # a process shares nothing: it must send
    workers = [Worker(target=report, args=(results, job, args))
               for job, args in jobs]
    for w in workers:
        w.start()
    total = sum(results.get() for _ in workers)
    for w in workers:
        w.join()
    results.close()             # its feeder thread ends here: none is left
    results.join_thread()       # to hold a lock when a later call forks
    return total & MASK
