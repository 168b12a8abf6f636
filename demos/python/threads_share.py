"""threads_share.py - share-nothing vs share-everything, with the
slide's subclassing: "You can subclass multiprocessing.Process exactly
as you would with threading." The worker adds 1 to a counter and
appends to a list, 1000 times; who sees it afterwards?
"""
from multiprocessing import Process, Queue
from threading import Thread

counter = 0
items = []


def work():
    global counter
    for i in range(1, 1001):
        counter += 1
        items.append(i)
    return counter, sum(items)


class CounterProcess(Process):
    def __init__(self, seen):
        super().__init__()
        self.seen = seen        # a Queue: how the worker reports

    def run(self):              # runs in the child process
        self.seen.put(work())


class CounterThread(Thread):    # the very same code
    def __init__(self, seen):
        super().__init__()
        self.seen = seen

    def run(self):
        self.seen.put(work())


def share(Worker):              # before, the worker's view, the parent's
    global counter, items
    counter, items = 0, []
    before = counter, sum(items)
    seen = Queue()
    w = Worker(seen)
    w.start()
    worker = seen.get()
    w.join()
    seen.close()                # its feeder thread ends before any later
    seen.join_thread()          # fork (a thread's held lock would hang it)
    return (before[0], worker[0], counter), (before[1], worker[1], sum(items))


def process():
    return share(CounterProcess)


def thread():
    return share(CounterThread)
