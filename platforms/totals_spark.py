"""Total Value ($) per Country in PySpark: the lecture's csv_to_record,
with the csv module instead of line.split(",") (quoted names hold commas).
usage: pardemo spark totals_spark.py TRADE.csv WORKERS"""
import csv
import sys

from pyspark import SparkContext


def csv_to_record(line):
    return next(csv.reader([line]))


if __name__ == "__main__":
    path, workers = sys.argv[1], int(sys.argv[2])
    sc = SparkContext(f"local[{workers}]", "totals")
    lines = sc.textFile(path)
    header = lines.first()
    columns = csv_to_record(header)
    country, measure, value = (columns.index(c)
                               for c in ("Country", "Measure", "Value"))
    totals = lines.filter(lambda line: line != header) \
        .map(csv_to_record) \
        .filter(lambda r: r[measure] == "$") \
        .map(lambda r: (r[country], int(r[value]))) \
        .reduceByKey(lambda x, y: x + y)
    for name, total in totals.collect():
        print(total, name)
    sc.stop()
