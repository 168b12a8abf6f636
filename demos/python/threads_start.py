"""threads_start.py - what starting a worker costs, as the slide
"Creating processes / threads" starts one: Thread(target=func,
args=(args,)).start(), and Process "exactly like threading".
"""
import time
from multiprocessing import get_context
from threading import Thread


def func(args):
    pass


def start_join(Worker, n):      # seconds of each start() + join()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        w = Worker(target=func, args=(None,))
        w.start()
        w.join()
        times.append(time.perf_counter() - t0)
    return times


def thread(n):
    return start_join(Thread, n)


def process(method, n):         # method: fork, spawn or forkserver
    return start_join(get_context(method).Process, n)
