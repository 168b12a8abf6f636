#!/usr/bin/env python3
"""trade_check.py FILE - checks a generated trade CSV independently of the C
code: the header, 10 fields a row, Year == Date's year, Weekday == Python's
datetime weekday of Date, and Cumulative == the running total of Value
within (Direction, Country, Commodity, Transport_Mode, Measure, Year).
Prints the number of rows checked; exits 1 at the first problem."""
import csv
import datetime
import sys
from collections import defaultdict

HEADER = ["Direction", "Year", "Date", "Weekday", "Country", "Commodity",
          "Transport_Mode", "Measure", "Value", "Cumulative"]


def fail(line, why):
    print(f"{sys.argv[1]}:{line}: {why}", file=sys.stderr)
    sys.exit(1)


def main():
    running = defaultdict(int)
    rows = quoted = 0
    with open(sys.argv[1], newline="") as f:
        reader = csv.reader(f)
        if next(reader) != HEADER:
            fail(1, "bad header")
        for line, row in enumerate(reader, start=2):
            if len(row) != 10:
                fail(line, f"{len(row)} fields")
            day = datetime.datetime.strptime(row[2], "%d/%m/%Y").date()
            if day.strftime("%A") != row[3]:
                fail(line, f"{row[2]} is a {day.strftime('%A')}, not {row[3]}")
            if int(row[1]) != day.year:
                fail(line, "Year is not Date's year")
            key = (row[0], row[4], row[5], row[6], row[7], row[1])
            running[key] += int(row[8])
            if int(row[9]) != running[key]:
                fail(line, f"Cumulative {row[9]} != {running[key]}")
            quoted += "," in row[4] or "," in row[5]
            rows += 1
    print(rows, quoted)


main()
