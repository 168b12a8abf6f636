#!/usr/bin/env python3
"""trade_agg.py TRADE_CSV DATATASK_CSV - sums Value by Country (split by
Measure) with Python's csv module and compares with the "totals" table of
`pardemo datatask --format csv`; also requires every row of its "data"
table to say same_as_serial=yes. Exits 0 when all agree."""
import csv
import sys
from collections import defaultdict


def reference(path):
    sums = defaultdict(lambda: [0, 0, 0])
    with open(path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for row in reader:
            s = sums[row[4]]
            s[0] += 1
            s[1 if row[7] == "$" else 2] += int(row[8])
    return {k: tuple(v) for k, v in sums.items()}


def measured(path):
    totals, same = {}, []
    with open(path, newline="") as f:
        for row in csv.reader(line for line in f if not line.startswith("#")):
            if row and row[0] == "totals":
                totals[row[1]] = (int(float(row[2])), int(float(row[3])),
                                  int(float(row[4])))
            elif row and row[0] == "data":
                same.append(row[-1])
    return totals, same


def main():
    want = reference(sys.argv[1])
    got, same = measured(sys.argv[2])
    if got != want:
        for k in sorted(set(want) | set(got)):
            if want.get(k) != got.get(k):
                print(f"{k}: python {want.get(k)} pardemo {got.get(k)}",
                      file=sys.stderr)
        sys.exit(1)
    if not same or any(s != "yes" for s in same):
        print(f"same_as_serial: {same}", file=sys.stderr)
        sys.exit(1)
    print(f"{len(want)} countries agree")


main()
