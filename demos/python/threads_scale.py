"""threads_scale.py - the lecture's rule of thumb, in Python: threads
for IO-bound work, processes for CPU-bound work. The same total work
(lesson_work.py) split over n threads or n processes.
"""
from multiprocessing import Process
from threading import Thread

from lesson_work import cpu, fork_join, parts, wait

WORKERS = {"threads": Thread, "processes": Process}


def cpu_bound(kind, n, seed, units):
    jobs = [(cpu, (seed, first, count)) for first, count in parts(units, n)]
    return fork_join(WORKERS[kind], jobs)


def waiting_bound(kind, n, tasks, secs):
    jobs = [(wait, (count, secs)) for _, count in parts(tasks, n)]
    return fork_join(WORKERS[kind], jobs)
