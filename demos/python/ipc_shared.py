"""ipc_shared.py - shared memory as the lecture's Python does it, beside
the C mechanisms: a multiprocessing.shared_memory block, an Array (every
access takes its lock) and a RawArray (the same bytes, no lock), between
this process and one child. No pickling: the bytes are written in place
(an Array's under its lock) and read out into a bytes object; two
semaphores hand the buffer back and forth (as C's shm ring waits on
futexes). ping_pong() and stream() answer as ipc_queue's do.
"""
import os
import random
import time
import zlib
from contextlib import contextmanager, nullcontext
from multiprocessing import Array, Pipe, Process, RawArray, Semaphore
from multiprocessing.shared_memory import SharedMemory

from ipc_queue import pin


def block(kind, size):          # (the shared bytes, what the child gets)
    if kind == "shared_memory":
        shm = SharedMemory(create=True, size=max(size, 1))
        return shm, shm.name
    arr = Array("c", max(size, 1)) if kind == "Array" else \
        RawArray("c", max(size, 1))
    return arr, arr


def view(kind, shared):         # (owner, its bytes, the lock to take)
    if kind == "shared_memory":
        shm = SharedMemory(shared) if isinstance(shared, str) else shared
        return shm, shm.buf, nullcontext()
    if kind == "Array":         # get_obj(): the bytes under the lock
        return shared, memoryview(shared.get_obj()).cast("B"), \
            shared.get_lock()
    return shared, memoryview(shared).cast("B"), nullcontext()


def put(mem, msg):              # in place: no pickling
    _, buf, lock = mem
    with lock:
        buf[:len(msg)] = msg


def get(mem, n):                # out, into a bytes object of its own
    _, buf, lock = mem
    with lock:
        return bytes(buf[:n])


def release(kind, mem, is_owner):       # close; the owner unlinks
    if kind == "shared_memory":
        mem[1].release()
        mem[0].close()
        if is_owner:
            mem[0].unlink()


def echo(kind, shared, size, go, back, n, cpu):     # the child
    pin(cpu)
    mem = view(kind, shared)
    try:
        for _ in range(n):
            go.acquire()
            put(mem, get(mem, size))        # out, and back in
            back.release()
    finally:
        release(kind, mem, False)


@contextmanager
def run(kind, size, target, args):      # the block, the child, then clean
    mine, shared = block(kind, size)
    mem, child = view(kind, mine), None
    try:
        child = Process(target=target, args=(kind, shared, size) + args)
        child.start()
        yield mem
        child.join()
    finally:                    # Ctrl-C: no child, no segment left
        if child and child.is_alive():
            child.terminate()
            child.join()
        release(kind, mem, True)


def ping_pong(kind, size, n, cpu, seed):
    msg = random.Random(seed).randbytes(size)
    go, back = Semaphore(0), Semaphore(0)
    was = pin(cpu)
    times, got = [], b""
    with run(kind, size, echo, (go, back, n + 1, cpu)) as mem:
        for i in range(n + 1):          # the first: a warm-up
            t0 = time.perf_counter()
            put(mem, msg)
            go.release()
            back.acquire()
            got = get(mem, size)
            if i:
                times.append((time.perf_counter() - t0) / 2)
    os.sched_setaffinity(0, was)
    times.sort()
    return times[n // 4], times[n // 2], times[3 * n // 4], got == msg


def drain(kind, shared, size, full, free, n, answer):   # the child
    mem = view(kind, shared)
    crc = total = 0
    answer.send("ready")
    try:
        for _ in range(n):
            full.acquire()
            msg = get(mem, size)
            free.release()
            crc, total = zlib.crc32(msg, crc), total + len(msg)
        answer.send((total, crc))
    finally:
        release(kind, mem, False)


def stream(kind, size, n, seed):        # bytes per second, and checked?
    msg = random.Random(seed).randbytes(size)
    full, free = Semaphore(0), Semaphore(1)
    answer, there = Pipe(duplex=False)
    secs = 0
    with run(kind, size, drain, (full, free, n, there)) as mem:
        answer.recv()                   # the child is up: time the stream
        t0 = time.perf_counter()
        for _ in range(n):
            free.acquire()
            put(mem, msg)
            full.release()
        total, crc = answer.recv()
        secs = time.perf_counter() - t0
    answer.close()
    there.close()
    want = 0
    for _ in range(n):
        want = zlib.crc32(msg, want)
    return size * n / secs, total == size * n and crc == want
