"""Total Value ($) per Country as a map-reduce on multiprocessing.Pool.
Map: each worker parses a chunk of lines with the csv module and sums
its own Counter. Reduce: the parent adds the Counters up.
usage: python3 totals_pool.py TRADE.csv WORKERS"""
import csv
import sys
from collections import Counter
from functools import partial
from itertools import islice
from multiprocessing import Pool


def total(columns, lines):
    t = Counter()
    for record in csv.DictReader(lines, fieldnames=columns):
        if record["Measure"] == "$":
            t[record["Country"]] += int(record["Value"])
    return t


def chunks(f, lines_per_chunk=20000):
    while chunk := list(islice(f, lines_per_chunk)):
        yield chunk


if __name__ == "__main__":
    path, workers = sys.argv[1], int(sys.argv[2])
    totals = Counter()
    with open(path, newline="", encoding="utf-8") as f, Pool(workers) as pool:
        columns = next(csv.reader(f), [])
        for part in pool.imap_unordered(partial(total, columns), chunks(f)):
            totals.update(part)
    sys.stdout.writelines(f"{n} {country}\n" for country, n in totals.items())
