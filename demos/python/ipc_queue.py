"""ipc_queue.py - message passing as the lecture's Python does it, beside
the C mechanisms: a multiprocessing.Queue (a pipe, plus pickling, a
feeder thread and a lock) and a Pipe (a pipe, plus pickling), between
this process and one child. ping_pong() times round trips (one way is
half); stream() times n messages one way, checked by CRC-32 over there.
"""
import os
import random
import time
import zlib
from multiprocessing import Pipe, Process, Queue, SimpleQueue


def ends(kind):                 # (out, in) for us, (in, out) for the child
    if kind == "Queue":
        there, back = Queue(), Queue()
        return (there, back), (there, back)
    ours, theirs = Pipe()
    return (ours, ours), (theirs, theirs)


def send(end, msg):             # both pickle msg, then write to a pipe
    end.put(msg) if hasattr(end, "put") else end.send(msg)


def recv(end):
    return end.get() if hasattr(end, "get") else end.recv()


def close(*ends):               # no feeder thread outlives a call: a later
    for end in set(ends):       # fork would copy the locks it holds, and
        end.close()             # the child could wait on one for ever
        if hasattr(end, "join_thread"):
            end.join_thread()


def pin(cpu):                   # both on one CPU (cpu >= 0), as C's "1 CPU"
    was = os.sched_getaffinity(0)
    if cpu >= 0:
        os.sched_setaffinity(0, {cpu})
    return was


def echo(inbox, outbox, n, cpu):        # the child: every message back
    pin(cpu)
    for _ in range(n):
        send(outbox, recv(inbox))


def ping_pong(kind, size, n, cpu, seed):
    mine, theirs = ends(kind)
    msg = random.Random(seed).randbytes(size)
    child = Process(target=echo, args=(*theirs, n + 1, cpu))
    child.start()
    was = pin(cpu)
    send(mine[0], msg)                  # warm-up: the child is running
    recv(mine[1])
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        send(mine[0], msg)
        got = recv(mine[1])
        times.append((time.perf_counter() - t0) / 2)
    child.join()
    close(*mine)
    os.sched_setaffinity(0, was)
    times.sort()
    return times[n // 4], times[n // 2], times[3 * n // 4], got == msg


def drain(inbox, outbox, n):            # the child: take n, say what came
    crc = total = 0
    for _ in range(n):
        msg = recv(inbox)
        crc, total = zlib.crc32(msg, crc), total + len(msg)
    send(outbox, (total, crc))


def stream(kind, size, n, seed):        # bytes per second, and checked?
    mine, theirs = ends(kind)
    msg = random.Random(seed).randbytes(size)
    child = Process(target=drain, args=(*theirs, n))
    child.start()
    t0 = time.perf_counter()
    for _ in range(n):
        send(mine[0], msg)
    total, crc = recv(mine[1])
    secs = time.perf_counter() - t0
    child.join()
    close(*mine)
    want = 0
    for _ in range(n):
        want = zlib.crc32(msg, want)
    return size * n / secs, total == size * n and crc == want
