"""race_dedupe.py - the lecture's dedupe filter (request_seen) shared by
Python threads, and a counter in a multiprocessing.Value shared by
processes. Both are check-then-act (read, then write): the GIL runs one
thread at a time but may hand over between the two steps, and a Value's
own lock covers each step, not both. A lock around both makes them one.
CPython hands the GIL over only at certain points (a call to a Python
function, a loop's jump back, a blocking call): the slide's window has
none; the writing filter's has a blocking call.
"""
import hashlib
import os
import sys
import threading
import time
from collections import Counter
from multiprocessing import Process, Value


class DupeFilter:                       # the lecture's, as on the slide
    def __init__(self):
        self.fingerprints = set()

    def request_seen(self, request):
        fp = self.request_fingerprint(request)
        if fp in self.fingerprints:     # check...
            return True
        self.fingerprints.add(fp)       # ...then act

    def request_fingerprint(self, request):
        return hashlib.sha1(request.encode()).hexdigest()


class WritingDupeFilter(DupeFilter):   # writes the fingerprint first
    def request_seen(self, request):
        fp = self.request_fingerprint(request)
        if fp in self.fingerprints:
            return True
        self.write(fp)                  # a blocking call lets the GIL go
        self.fingerprints.add(fp)

    def write(self, fp):                # as a file or socket write would
        time.sleep(0)


class LockedDupeFilter(WritingDupeFilter):
    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()

    def request_seen(self, request):
        with self.lock:                 # check and act: one step
            return super().request_seen(request)


FILTERS = (DupeFilter, WritingDupeFilter, LockedDupeFilter)


def crawl(text, threads, kind, switch_s):
    """Workers share one frontier and one filter (FILTERS[kind]). Returns
    the fetches, the distinct URLs, and how many were fetched once, twice
    or more, never."""
    urls = text.split("\n")
    frontier = iter(urls)               # next() is one step under the GIL
    seen = FILTERS[kind]()
    fetched = []                        # list.append is one step too

    def crawler():
        for url in frontier:
            if not seen.request_seen(url):
                fetched.append(url)

    was = sys.getswitchinterval()
    sys.setswitchinterval(switch_s)     # how often the GIL changes hands
    try:
        workers = [threading.Thread(target=crawler) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        sys.setswitchinterval(was)
    k = Counter(fetched).values()
    return (len(fetched), len(set(urls)), sum(n == 1 for n in k),
            sum(n > 1 for n in k), len(set(urls)) - len(k))


def bump(v, n, locked):
    for _ in range(n):
        if locked:
            with v.get_lock():          # read and write: one step
                v.value += 1
        else:
            v.value += 1                # read, then write: a race


def counter(procs, n, locked):          # the final count
    v = Value("q", 0)
    workers = [Process(target=bump, args=(v, n, locked))
               for _ in range(procs)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return v.value


# The filter's second race: it logs each new fingerprint with
# self.file.write(fp + os.linesep). Processes (each its own file object)
# append to one file three ways. APPEND_MODES[k] says how.
APPEND_MODES = ("open 'a'", "seek+write", "'a', a line")


def log_lines(path, who, n, mode):
    fps = (DupeFilter().request_fingerprint(f"{who}-{i}") for i in range(n))
    if mode == 1:                       # find the end, then write there
        with open(path, "r+") as file:
            for fp in fps:
                file.seek(0, os.SEEK_END)
                file.write(fp + os.linesep)
                file.flush()
        return
    # "a" is O_APPEND; buffered, a write(2) is 8 KiB that ends mid-line
    with open(path, "a", buffering=1 if mode == 2 else -1) as file:
        for fp in fps:
            file.write(fp + os.linesep)


def append(folder, procs, n, mode):
    """procs processes log n fingerprints each to folder/shared.log as
    APPEND_MODES[mode] says. Returns the lines expected, found whole (each
    once), anything else found (torn or mixed lines), and how often the
    writer changes from one whole line to the next (interleaving)."""
    path = os.path.join(folder, "shared.log")
    open(path, "x").close()
    try:
        workers = [Process(target=log_lines, args=(path, w, n, mode))
                   for w in range(procs)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        want = {DupeFilter().request_fingerprint(f"{w}-{i}"): w
                for w in range(procs) for i in range(n)}
        with open(path) as file:
            lines = file.read().split(os.linesep)[:-1]
    finally:
        os.unlink(path)
    whole = set(want) & set(lines)
    writers = [want[x] for x in lines if x in whole]
    switches = sum(a != b for a, b in zip(writers, writers[1:]))
    return (len(want), len(whole), len(lines) - len(writers), switches)
