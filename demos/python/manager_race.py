"""manager_race.py - the lecture's Manager: a server process owns a
dict; other processes change it through proxies, one round trip per
operation. d["count"] += 1 is a get and then a set, two round trips, so
without a lock two processes can both read 5 and both write 6. Value is
shared memory: the same count, with no server in between. proxy_ops()
times one value of a given size through a dict proxy, and pickling it
alone: what the Python layer adds to each round trip.
"""
import pickle
import random
import time
from multiprocessing import (AuthenticationError, Manager, Process, Value,
                             current_process)
from multiprocessing.managers import BaseManager


def add_dict(d, lock, n):
    for _ in range(n):
        if lock is None:
            d["count"] += 1         # get, then set: a race
        else:
            with lock:              # a Manager lock: its own round trips
                d["count"] += 1


def add_value(v, n):
    for _ in range(n):
        with v.get_lock():
            v.value += 1


def timed(target, args, procs):
    workers = [Process(target=target, args=args) for _ in range(procs)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - t0


def manager(procs, n, locked):          # seconds, the final count
    with Manager() as m:
        d = m.dict(count=0)
        lock = m.Lock() if locked else None
        secs = timed(add_dict, (d, lock, n), procs)
        return secs, d["count"]


def value(procs, n):
    v = Value("q", 0)
    return timed(add_value, (v, n), procs), v.value


def stranger_refused():         # a client with a key of its own: refused?
    # (our own key, which children inherit, is current_process().authkey)
    with Manager() as m:
        stranger = BaseManager(address=m.address, authkey=b"a guess")
        try:
            stranger.connect()
        except AuthenticationError:
            return 1
        return 0


def proxy_ops(size, n, seed):   # per call: set, get, pickling alone; ok?
    msg = random.Random(seed).randbytes(size)
    with Manager() as m:
        d = m.dict()
        t0 = time.perf_counter()
        for _ in range(n):
            d["v"] = msg            # pickled, sent, unpickled there
        t1 = time.perf_counter()
        ok = all(d["v"] == msg for _ in range(n))   # and back again
        t2 = time.perf_counter()
    for _ in range(n):
        pickle.loads(pickle.dumps(msg))
    t3 = time.perf_counter()
    return (t1 - t0) / n, (t2 - t1) / n, (t3 - t2) / n, int(ok)
