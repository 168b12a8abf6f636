"""Word count in PySpark: the lecture's standalone app, printing the
counts instead of saving them. Run by `pardemo spark` (real CPython with
pardemo's engine underneath) or by Spark's spark-submit.
usage: pardemo spark wordcount_spark.py FILE WORKERS"""
import sys

from pyspark import SparkContext

if __name__ == "__main__":
    path, workers = sys.argv[1], int(sys.argv[2])
    sc = SparkContext(f"local[{workers}]", "wordCount")
    counts = sc.textFile(path) \
        .flatMap(lambda line: line.split()) \
        .map(lambda word: (word, 1)) \
        .reduceByKey(lambda x, y: x + y)
    for word, n in counts.collect():
        print(n, word)
    sc.stop()
