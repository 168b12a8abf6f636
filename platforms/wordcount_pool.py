"""Word count as a map-reduce on multiprocessing.Pool (the lecture's tool).
Map: each worker counts a chunk of lines into its own Counter (the
map-side combine). Reduce: the parent adds the Counters up.
usage: python3 wordcount_pool.py FILE WORKERS"""
import sys
from collections import Counter
from itertools import islice
from multiprocessing import Pool


def count(lines):
    c = Counter()
    for line in lines:
        c.update(line.split())
    return c


def chunks(f, lines_per_chunk=20000):
    while chunk := list(islice(f, lines_per_chunk)):
        yield chunk


if __name__ == "__main__":
    path, workers = sys.argv[1], int(sys.argv[2])
    total = Counter()
    with open(path, encoding="utf-8", errors="surrogateescape") as f, \
            Pool(workers) as pool:
        for partial in pool.imap_unordered(count, chunks(f)):
            total.update(partial)
    sys.stdout.writelines(f"{n} {word}\n" for word, n in total.items())
