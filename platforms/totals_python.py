"""Total Value ($) per Country in plain Python: the csv module, one
process. The baseline every other platform is compared with.
usage: python3 totals_python.py TRADE.csv   (prints "total country")"""
import csv
import sys
from collections import Counter

totals = Counter()
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for record in csv.DictReader(f):
        if record["Measure"] == "$":
            totals[record["Country"]] += int(record["Value"])
sys.stdout.writelines(f"{n} {country}\n" for country, n in totals.items())
