# spark_small.py - a small PySpark program for `make valgrind` and
# `make test-tsan` (tests/small_args.tsv): lambdas on engine threads.
from operator import add
nums = sc.parallelize(range(1000), 4)
print(nums.map(lambda x: x * x).filter(lambda x: x % 3 == 0).reduce(add))
lines = sc.textFile("tests/spark_small.py")
counts = lines.flatMap(lambda l: l.split()).map(lambda w: (w, 1)) \
    .reduceByKey(lambda a, b: a + b)
print(counts.sortBy(lambda kv: (-kv[1], kv[0])).take(3))
print(sorted(sc.parallelize([("a", 1), ("b", 2), ("a", 3)]).groupByKey()
             .mapValues(list).collect()))
