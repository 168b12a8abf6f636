"""datatask_table.py - the lecture's data vs task table, in Python, on
the trade CSV's rows (bytes, without the header). Data parallelism:
Pool.map runs one operation (sum Value by Country) on different chunks.
Task parallelism: a Process per task runs different operations on the
same, intact rows. Every answer comes back as the C task's check number
(tally_checksum, hash_mix64: lib/data/tally.c), compared with C's.
"""
import csv
import io
import os
import time
from datetime import date
from multiprocessing import Pool, Process, Queue

MASK = (1 << 64) - 1            # C's uint64_t arithmetic
DAY0 = date(2015, 1, 1)         # TRADE_FIRST_YEAR
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday", "Sunday")


def mix(x):                     # hash_mix64 (lib/core/hash.h)
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & MASK
    x = (x ^ (x >> 27)) * 0x94D049BB133111EB & MASK
    return x ^ (x >> 31)


def fnv(key):                   # hash_bytes: FNV-1a of the field as written
    h = 0xCBF29CE484222325
    for b in key.replace('"', '""').encode():
        h = (h ^ b) * 0x100000001B3 & MASK
    return h


def rows(data):                 # the rows C's scan adds up: 10 fields,
    for r in csv.reader(io.StringIO(data.decode())):     # $ or Tonnes,
        if len(r) == 10 and r[7] in ("$", "Tonnes"):     # a whole Value
            try:
                yield r, int(r[8])
            except ValueError:
                pass


def sums_by(data, col):         # {key: [rows, dollars, tonnes]}
    table = {}
    for r, value in rows(data):
        t = table.setdefault(r[col], [0, 0, 0])
        t[0] += 1
        t[1 if r[7] == "$" else 2] += value
    return table


def merge(tables):              # the parent folds the workers' tables
    total = {}
    for table in tables:
        for key, t in table.items():
            s = total.setdefault(key, [0, 0, 0])
            for i in range(3):
                s[i] += t[i]
    return total


def checksum(table):            # tally_checksum: the order does not matter
    return sum(mix(fnv(k) ^ mix(n ^ mix(d & MASK ^ mix(t & MASK))))
               for k, (n, d, t) in table.items()) & MASK


def best(sums):                 # the C task's check: its top entry
    top = max(range(len(sums)), key=lambda i: (sums[i], -i))
    return mix((sums[top] + top) & MASK)


def by_country(data):
    return checksum(sums_by(data, 4))


def by_commodity(data):
    return checksum(sums_by(data, 5))


def busiest_weekday(data):
    sums = [0] * 7
    for r, value in rows(data):
        if r[7] == "$" and r[3] in DAYS:
            sums[DAYS.index(r[3])] += value
    return best(sums)


def day(text):                  # dd/mm/yyyy: days from DAY0, or -1
    try:
        d, m, y = map(int, text.split("/"))
        return (date(y, m, d) - DAY0).days
    except ValueError:
        return -1


def biggest_day(data):
    sums = [0] * (date(2022, 1, 1) - DAY0).days     # TRADE_DAYS
    for r, value in rows(data):
        if r[7] == "$" and 0 <= (k := day(r[2])) < len(sums):
            sums[k] += value
    return best(sums)


def validate(data):             # every field, as a careful loader does
    bad = 0
    for r in csv.reader(io.StringIO(data.decode())):
        try:
            d, m, y = map(int, r[2].split("/"))
            int(r[8]), int(r[9])
            bad += not (len(r) == 10 and int(r[1]) == y and
                        r[0] in ("Exports", "Imports", "Reimports") and
                        r[3] == DAYS[date(y, m, d).weekday()] and
                        r[7] in ("$", "Tonnes"))
        except (ValueError, IndexError):
            bad += 1
    return bad


TASKS = (by_country, by_commodity, busiest_weekday, biggest_day, validate)


def cut(data, n):               # n chunks, each cut moved to a line start
    at = [0]
    for i in range(1, n):
        nl = data.find(b"\n", max(at[-1], len(data) * i // n))
        at.append(len(data) if nl < 0 else nl + 1)
    return [data[a:b] for a, b in zip(at, at[1:] + [len(data)])]


def cpu():                      # CPU seconds of this process and its
    t = os.times()              # waited-for children
    return t.user + t.system + t.children_user + t.children_system


def country_sums(chunk):        # the one operation: Value by Country
    return sums_by(chunk, 4)


def data_serial(data):          # (seconds, CPUs busy, checksum, chunks)
    t0, c0 = time.perf_counter(), cpu()
    out = checksum(country_sums(data))
    secs = time.perf_counter() - t0
    return secs, (cpu() - c0) / secs, out, 1


def data_pool(data, workers, chunks):   # the same operation on subsets
    t0, c0 = time.perf_counter(), cpu()
    parts = cut(data, chunks)
    with Pool(workers) as pool:
        total = merge(pool.map(country_sums, parts))
        pool.close()            # no more work: each worker ends by itself
        pool.join()             # (the `with` alone would kill them)
    secs = time.perf_counter() - t0
    return secs, (cpu() - c0) / secs, checksum(total), len(parts)


def one_task(k, data, results):     # a Process: its task, its answer back
    t0 = time.perf_counter()
    check = TASKS[k](data)
    results.put((k, check, time.perf_counter() - t0))


def tasks_serial(data):         # seconds, CPUs busy, then each task's
    t0, c0, out = time.perf_counter(), cpu(), []    # (seconds, check)
    for task in TASKS:
        t = time.perf_counter()
        check = task(data)
        out += [time.perf_counter() - t, check]
    secs = time.perf_counter() - t0
    return [secs, (cpu() - c0) / secs] + out


def tasks_at_once(data):        # different operations on the same data
    t0, c0 = time.perf_counter(), cpu()
    results = Queue()
    procs = [Process(target=one_task, args=(k, data, results))
             for k in range(len(TASKS))]
    try:
        for p in procs:
            p.start()
        got = sorted(results.get() for _ in procs)
        for p in procs:
            p.join()
    finally:                    # Ctrl-C: no task outlives the call
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()
        results.close()
        results.join_thread()
    secs = time.perf_counter() - t0
    out = []
    for _, check, t in got:
        out += [t, check]
    return [secs, (cpu() - c0) / secs] + out
