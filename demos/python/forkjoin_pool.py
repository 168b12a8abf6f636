"""forkjoin_pool.py - the lecture's fork-join with a multiprocessing.Pool.
Pool.map hands the pieces out to the workers (the fork) and returns when
every piece has come back (the join); the parent combines them. The job
is the C variants' on the same numbers: a sum, or a merge sort (each
piece sorted by a worker, the sorted pieces merged by the parent).
Each function returns (seconds, sum, sorted: 1 or 0, count), checked
against C's answer.
"""
import heapq
import time
from array import array
from multiprocessing import Pool

MASK = (1 << 64) - 1            # C's int64 sum, as its bits


def pieces(a, leaves):          # `leaves` slices, as work_split() cuts
    base, extra = divmod(len(a), leaves)
    at = [i * base + min(i, extra) for i in range(leaves + 1)]
    return [a[at[i]:at[i + 1]] for i in range(leaves)]


def answer(t0, out, job):
    secs = time.perf_counter() - t0
    if job == "sum":
        return secs, out & MASK, 1, -1
    ok = all(out[i] <= out[i + 1] for i in range(len(out) - 1))
    return secs, sum(out) & MASK, int(ok), len(out)


def serial(data, job):          # one process: the baseline
    a = array("i", data)
    t0 = time.perf_counter()
    return answer(t0, sum(a) if job == "sum" else sorted(a), job)


def pool(data, job, workers, leaves):   # fork, work, join, combine
    a = array("i", data)
    t0 = time.perf_counter()
    with Pool(workers) as p:
        if job == "sum":
            out = sum(p.map(sum, pieces(a, leaves)))
        else:
            out = list(heapq.merge(*p.map(sorted, pieces(a, leaves))))
        p.close()               # no more work: each worker ends by itself
        p.join()                # (the `with` alone would kill them)
    return answer(t0, out, job)
