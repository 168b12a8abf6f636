"""Programs students write after the lecture, and what PySpark prints.

Each entry: a name, the PySpark program (run as `pardemo spark -t 2
prog.py DATA`), a reference in plain Python that prints what PySpark
prints for it (run by /usr/bin/python3 with PYTHONHASHSEED=0, as PySpark
runs its workers), and how to compare: "exact", or "sorted" (the lines as
a sorted list) where Spark's order depends on partitioning.

DATA is a directory holding text.txt (hamlet.txt when PARDEMO_SHARED has
it), trade.csv (pardemo gen trade) and nums.txt.

usage: programs.py PARDEMO [NAME...]  -- prints each mismatch, then a
count; exits 1 if any program differs.
"""
import os
import shutil
import subprocess
import sys
import tempfile

# a helper the references share: PySpark's partition order after a
# reduceByKey (map-side combine, portable_hash partitioning, first seen
# first), written from Spark's documented algorithm
PYSPARK_ORDER = r'''
import sys
def portable_hash(x):
    if x is None:
        return 0
    if isinstance(x, tuple):
        h = 0x345678
        for i in x:
            h ^= portable_hash(i)
            h *= 1000003
            h &= sys.maxsize
        h ^= len(x)
        return -2 if h == -1 else h
    return hash(x)

def slices(data, n):
    b = max(1, min(len(data) // n, 1024))
    bs = [data[i:i + b] for i in range(0, len(data), b)]
    return [sum(bs[i * len(bs) // n:(i + 1) * len(bs) // n], [])
            for i in range(n)]

def reduce_by_key(parts, f, n):
    buckets = [[] for _ in range(n)]
    for part in parts:
        combined = {}
        for k, v in part:
            combined[k] = f(combined[k], v) if k in combined else v
        for k, v in combined.items():
            buckets[portable_hash(k) % n].append((k, v))
    out = []
    for b in buckets:
        merged = {}
        for k, v in b:
            merged[k] = f(merged[k], v) if k in merged else v
        out.extend(merged.items())
    return out
'''

TEXT = r'''
import re, sys
from collections import Counter
lines = open(sys.argv[1] + "/text.txt", encoding="utf-8").read().splitlines()
words = [w for l in lines for w in l.split()]
'''

PROGRAMS = [
    # ---- word counts -------------------------------------------------
    ("wordcount_sortBy", r'''
import sys
lines = sc.textFile(sys.argv[1] + "/text.txt")
counts = lines.flatMap(lambda l: l.split()).map(lambda w: (w, 1)) \
    .reduceByKey(lambda a, b: a + b)
for w, c in counts.sortBy(lambda kv: (-kv[1], kv[0])).take(10):
    print(w, c)
''', TEXT + r'''
for w, c in sorted(Counter(words).items(), key=lambda kv: (-kv[1], kv[0]))[:10]:
    print(w, c)
''', "exact"),
    ("wordcount_takeOrdered_split_space", r'''
import sys
from operator import add
counts = sc.textFile(sys.argv[1] + "/text.txt") \
    .flatMap(lambda line: line.split(" ")).map(lambda w: (w, 1)).reduceByKey(add)
print(counts.takeOrdered(8, key=lambda x: (-x[1], x[0])))
print(counts.count())
''', TEXT + r'''
c = Counter(w for l in lines for w in l.split(" "))
print(sorted(c.items(), key=lambda x: (-x[1], x[0]))[:8])
print(len(c))
''', "exact"),
    ("wordcount_lower_regex", r'''
import re, sys
words = sc.textFile(sys.argv[1] + "/text.txt") \
    .flatMap(lambda l: re.findall(r"[a-z']+", l.lower()))
top = words.map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b) \
    .sortBy(lambda kv: (-kv[1], kv[0]))
print(top.take(12))
''', TEXT + r'''
c = Counter(w for l in lines for w in re.findall(r"[a-z']+", l.lower()))
print(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:12])
''', "exact"),
    ("wordcount_countByValue", r'''
import sys
cv = sc.textFile(sys.argv[1] + "/text.txt").flatMap(str.split).countByValue()
print(type(cv).__name__, len(cv))
print(sorted(cv.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
''', TEXT + r'''
c = Counter(words)
print("defaultdict", len(c))
print(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
''', "exact"),
    ("word_lengths", r'''
import sys
lens = sc.textFile(sys.argv[1] + "/text.txt").flatMap(lambda l: l.split()) \
    .map(len)
print(sorted(lens.countByValue().items()))
print("%.4f" % lens.mean(), lens.max(), lens.min())
''', TEXT + r'''
c = Counter(len(w) for w in words)
print(sorted(c.items()))
print("%.4f" % (sum(len(w) for w in words) / len(words)),
      max(len(w) for w in words), min(len(w) for w in words))
''', "exact"),
    ("stopwords_broadcast", r'''
import sys
stop = sc.broadcast({"the", "and", "of", "to", "a", "i", "you", "my"})
words = sc.textFile(sys.argv[1] + "/text.txt").flatMap(lambda l: l.lower().split())
kept = words.filter(lambda w: w not in stop.value)
print(words.count(), kept.count())
print(kept.map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b)
      .takeOrdered(5, key=lambda kv: (-kv[1], kv[0])))
''', TEXT + r'''
stop = {"the", "and", "of", "to", "a", "i", "you", "my"}
ws = [w for l in lines for w in l.lower().split()]
kept = [w for w in ws if w not in stop]
print(len(ws), len(kept))
print(sorted(Counter(kept).items(), key=lambda kv: (-kv[1], kv[0]))[:5])
''', "exact"),
    ("words_by_first_letter", r'''
import sys
words = sc.textFile(sys.argv[1] + "/text.txt").flatMap(str.split)
by = words.groupBy(lambda w: w[0].lower()).mapValues(len)
for letter, n in sorted(by.collect())[:10]:
    print(letter, n)
''', TEXT + r'''
c = Counter(w[0].lower() for w in words)
for letter, n in sorted(c.items())[:10]:
    print(letter, n)
''', "exact"),
    ("distinct_words", r'''
import sys
w = sc.textFile(sys.argv[1] + "/text.txt").flatMap(str.split)
print(w.distinct().count(), w.map(str.lower).distinct().count())
''', TEXT + r'''
print(len(set(words)), len(set(x.lower() for x in words)))
''', "exact"),
    ("save_then_read_directory", r'''
import os, sys, tempfile
out = os.path.join(tempfile.mkdtemp(dir=sys.argv[1]), "counts")
counts = sc.textFile(sys.argv[1] + "/text.txt").flatMap(str.split) \
    .map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b)
counts.saveAsTextFile(out)
print(sorted(f for f in os.listdir(out) if not f.startswith(".")))
back = sc.textFile(out)
print(back.count(), back.map(eval).map(lambda kv: kv[1]).sum())
''', TEXT + r'''
c = Counter(words)
print(["_SUCCESS", "part-00000", "part-00001"])
print(len(c), sum(c.values()))
''', "exact"),
    ("textfile_glob", r'''
import os, sys
d = os.path.join(sys.argv[1], "parts")
os.makedirs(d)
for i in range(3):
    with open(os.path.join(d, "p%d.txt" % i), "w") as f:
        f.write("alpha beta\n" * (i + 1) + "gamma\n")
with open(os.path.join(d, "notes.md"), "w") as f:
    f.write("not me\n")
rdd = sc.textFile(d + "/*.txt")
print(rdd.count(), sorted(rdd.flatMap(str.split).countByValue().items()))
''', r'''
print(9, [("alpha", 6), ("beta", 6), ("gamma", 3)])
''', "exact"),
    ("longest_word", r'''
import sys
w = sc.textFile(sys.argv[1] + "/text.txt").flatMap(str.split)
print(w.max(key=lambda x: (len(x), x)), w.reduce(lambda a, b: min(a, b)))
''', TEXT + r'''
print(max(words, key=lambda x: (len(x), x)), min(words))
''', "exact"),
    ("lines_with_a_word", r'''
import sys
lines = sc.textFile(sys.argv[1] + "/text.txt")
ham = lines.filter(lambda l: "Hamlet" in l)
print(ham.count())
print(ham.take(3))
print(lines.first())
''', TEXT + r'''
ham = [l for l in lines if "Hamlet" in l]
print(len(ham))
print(ham[:3])
print(lines[0])
''', "exact"),
    ("zipWithIndex_lines", r'''
import sys
lines = sc.textFile(sys.argv[1] + "/text.txt").filter(lambda l: l.strip())
for line, i in lines.zipWithIndex().take(4):
    print(i, line)
''', TEXT + r'''
for i, line in enumerate([l for l in lines if l.strip()][:4]):
    print(i, line)
''', "exact"),
    ("empty_lines_accumulator", r'''
import sys
blank = sc.accumulator(0)
def count_blank(line):
    global blank
    if not line.strip():
        blank += 1
lines = sc.textFile(sys.argv[1] + "/text.txt")
lines.foreach(count_blank)
print(blank.value, lines.count())
''', TEXT + r'''
print(sum(1 for l in lines if not l.strip()), len(lines))
''', "exact"),
    # ---- numbers ------------------------------------------------------
    ("pi_with_random", r'''
import random
n = 200000
def inside(_):
    x, y = random.random(), random.random()
    return x * x + y * y < 1
count = sc.parallelize(range(n), 4).filter(inside).count()
print("Pi is roughly %.1f" % (4.0 * count / n))
''', r'''
print("Pi is roughly 3.1")
''', "exact"),
    ("pi_mapPartitions_seeded", r'''
import random
def hits(i, it):
    rnd = random.Random(i)
    yield sum(1 for _ in it if rnd.random() ** 2 + rnd.random() ** 2 < 1)
count = sc.parallelize(range(40000), 4).mapPartitionsWithIndex(hits).sum()
print(count, 4.0 * count / 40000)
''', r'''
import random
count = 0
for i in range(4):
    rnd = random.Random(i)
    count += sum(1 for _ in range(10000) if rnd.random() ** 2 + rnd.random() ** 2 < 1)
print(count, 4.0 * count / 40000)
''', "exact"),
    ("stats_and_friends", r'''
nums = sc.parallelize(range(1, 101), 3)
print(nums.stats())
print(nums.sum(), nums.mean(), nums.variance(), nums.sampleStdev())
print("%.3f %.3f" % (nums.stdev(), nums.sampleVariance()))
''', r'''
import statistics as st
n = list(range(1, 101))
print("(count: 100, mean: 50.5, stdev: %r, max: 100.0, min: 1.0)" % st.pstdev(n))
print(sum(n), 50.5, st.pvariance(n) * 1.0, st.stdev(n))
print("%.3f %.3f" % (st.pstdev(n), st.variance(n)))
''', "exact"),
    ("histogram_scores", r'''
scores = sc.parallelize([12, 45, 67, 89, 90, 55, 72, 38, 100, 0, 61], 2)
print(scores.histogram([0, 50, 70, 90, 100]))
print(scores.histogram(4))
''', r'''
s = [12, 45, 67, 89, 90, 55, 72, 38, 100, 0, 61]
print(([0, 50, 70, 90, 100], [4, 3, 2, 2]))
print(([0, 25, 50, 75, 100], [2, 2, 4, 3]))
''', "exact"),
    ("max_min_with_keys", r'''
words = sc.parallelize(["pear", "fig", "banana", "kiwi", "apple"], 2)
print(words.max(), words.min(), words.max(key=len), words.min(key=len))
print(words.top(2), words.top(2, key=len), words.takeOrdered(2, key=len))
''', r'''
w = ["pear", "fig", "banana", "kiwi", "apple"]
print(max(w), min(w), max(w, key=len), min(w, key=len))
print(sorted(w, reverse=True)[:2], ["banana", "apple"], ["fig", "pear"])
''', "exact"),
    ("squares_reduce", r'''
nums = sc.parallelize([1, 2, 3, 4, 5])
squares = nums.map(lambda x: x * x)
print(squares.collect(), squares.reduce(lambda a, b: a + b))
print(nums.filter(lambda x: x % 2).collect(), nums.fold(0, lambda a, b: a + b))
''', r'''
print([1, 4, 9, 16, 25], 55)
print([1, 3, 5], 15)
''', "exact"),
    ("aggregate_average", r'''
nums = sc.parallelize([3, 5, 8, 13, 21, 34], 3)
s, n = nums.aggregate((0, 0), lambda acc, x: (acc[0] + x, acc[1] + 1),
                      lambda a, b: (a[0] + b[0], a[1] + b[1]))
print(s, n, "%.3f" % (s / n))
print(nums.treeAggregate(0, lambda a, b: a + b, lambda a, b: a + b))
print(nums.treeReduce(lambda a, b: a * b))
''', r'''
n = [3, 5, 8, 13, 21, 34]
import math
print(sum(n), len(n), "%.3f" % (sum(n) / len(n)))
print(sum(n))
print(math.prod(n))
''', "exact"),
    ("even_odd_groups", r'''
nums = sc.parallelize(range(20), 4)
g = nums.groupBy(lambda x: "even" if x % 2 == 0 else "odd")
for k, v in sorted(g.collect()):
    print(k, sorted(v), len(v))
''', r'''
print("even", list(range(0, 20, 2)), 10)
print("odd", list(range(1, 20, 2)), 10)
''', "exact"),
    ("primes", r'''
def is_prime(n):
    if n < 2:
        return False
    return all(n % d for d in range(2, int(n ** 0.5) + 1))
primes = sc.parallelize(range(1000), 8).filter(is_prime)
print(primes.count(), primes.take(10), primes.top(3))
''', r'''
def is_prime(n):
    if n < 2:
        return False
    return all(n % d for d in range(2, int(n ** 0.5) + 1))
p = [n for n in range(1000) if is_prime(n)]
print(len(p), p[:10], sorted(p, reverse=True)[:3])
''', "exact"),
    ("sample_with_seed", r'''
rdd = sc.parallelize(range(100), 4)
print(rdd.sample(False, 0.1, 42).collect())
print(rdd.sample(True, 0.05, 7).collect())
''', r'''
import math, random
def draws(with_replacement, fraction, seed, parts):
    out = []
    for split, part in enumerate(parts):
        rnd = random.Random(seed ^ split)
        for _ in range(10):
            rnd.randint(0, 1)
        for x in part:
            if with_replacement:
                limit, p, k = math.exp(-fraction), rnd.random(), 0
                while p > limit:
                    k += 1
                    p *= rnd.random()
                out.extend([x] * k)
            elif rnd.random() < fraction:
                out.append(x)
    return out
parts = [list(range(i * 25, i * 25 + 25)) for i in range(4)]
print(draws(False, 0.1, 42, parts))
print(draws(True, 0.05, 7, parts))
''', "exact"),
    ("number_formatting", r'''
from operator import add
words = sc.parallelize(["the", "to", "the", "a", "the", "to"], 2)
counts = words.map(lambda w: (w, 1)).reduceByKey(add).collect()
total = sum(c for _, c in counts)
for w, c in sorted(counts):
    print("%-5s %5d %.2f%%" % (w, c, 100.0 * c / total))
    print("{:>6}|{:<4}|{:.3f}".format(w, c, c / total), f"{c / total:.1%}")
print(sc.parallelize([100.0, 4050.0, 2.5e10]).collect(), 2 / 3, 1e16, 1e-5)
''', r'''
from collections import Counter
c = Counter(["the", "to", "the", "a", "the", "to"])
total = 6
for w, n in sorted(c.items()):
    print("%-5s %5d %.2f%%" % (w, n, 100.0 * n / total))
    print("{:>6}|{:<4}|{:.3f}".format(w, n, n / total), f"{n / total:.1%}")
print([100.0, 4050.0, 2.5e10], 2 / 3, 1e16, 1e-5)
''', "exact"),
    ("big_ints", r'''
import math
r = sc.parallelize(range(1, 31), 3)
print(r.map(math.factorial).max(), r.reduce(lambda a, b: a * b))
print(r.map(lambda x: 2 ** (x * 3)).sum())
''', r'''
import math
print(math.factorial(30), math.factorial(30))
print(sum(2 ** (x * 3) for x in range(1, 31)))
''', "exact"),
    ("range_and_union", r'''
a = sc.range(0, 10, 3)
b = sc.range(5)
print(a.collect(), (a + b).collect(), a.union(b).distinct().count())
print(sc.union([a, b, a]).count(), sc.range(1, 4).cartesian(sc.range(2)).count())
''', r'''
print([0, 3, 6, 9], [0, 3, 6, 9, 0, 1, 2, 3, 4], 7)
print(13, 6)
''', "exact"),
    # ---- key-value ------------------------------------------------------
    ("average_aggregateByKey", r'''
scores = sc.parallelize([("ann", 80), ("bob", 65), ("ann", 92),
                         ("cat", 71), ("bob", 90), ("ann", 77)])
sums = scores.aggregateByKey((0, 0), lambda a, v: (a[0] + v, a[1] + 1),
                             lambda a, b: (a[0] + b[0], a[1] + b[1]))
for name, avg in sorted(sums.mapValues(lambda p: p[0] / p[1]).collect()):
    print("%s %.2f" % (name, avg))
''', r'''
d = {}
for k, v in [("ann", 80), ("bob", 65), ("ann", 92), ("cat", 71), ("bob", 90), ("ann", 77)]:
    d.setdefault(k, []).append(v)
for name in sorted(d):
    print("%s %.2f" % (name, sum(d[name]) / len(d[name])))
''', "exact"),
    ("average_combineByKey", r'''
data = sc.parallelize([("x", 2.0), ("y", 4.0), ("x", 4.0), ("y", 6.0), ("z", 1.0)], 3)
comb = data.combineByKey(lambda v: (v, 1),
                         lambda acc, v: (acc[0] + v, acc[1] + 1),
                         lambda a, b: (a[0] + b[0], a[1] + b[1]))
print(sorted(comb.collect()))
print(sorted(comb.mapValues(lambda p: p[0] / p[1]).collect()))
''', r'''
print([("x", (6.0, 2)), ("y", (10.0, 2)), ("z", (1.0, 1))])
print([("x", 3.0), ("y", 5.0), ("z", 1.0)])
''', "exact"),
    ("average_reduceByKey_pairs", r'''
sales = sc.parallelize([("nz", 10), ("au", 30), ("nz", 20), ("au", 50), ("nz", 30)], 2)
tot = sales.mapValues(lambda v: (v, 1)).reduceByKey(lambda a, b: (a[0] + b[0], a[1] + b[1]))
print(sorted(tot.mapValues(lambda p: round(p[0] / p[1], 2)).collect()))
''', r'''
print([("au", 40.0), ("nz", 20.0)])
''', "exact"),
    ("groupByKey_lists", r'''
pets = sc.parallelize([("cat", 1), ("dog", 1), ("cat", 2), ("fish", 3)], 2)
g = pets.groupByKey()
print(sorted(g.mapValues(list).collect()))
print(type(g.first()[1]).__name__, sorted(g.mapValues(len).collect()))
''', r'''
print([("cat", [1, 2]), ("dog", [1]), ("fish", [3])])
print("ResultIterable", [("cat", 2), ("dog", 1), ("fish", 1)])
''', "exact"),
    ("joins", r'''
emp = sc.parallelize([(1, "ann"), (2, "bob"), (3, "cat"), (2, "bea")])
dept = sc.parallelize([(1, "ops"), (2, "dev"), (4, "hr")])
print(sorted(emp.join(dept).collect()))
print(sorted(emp.leftOuterJoin(dept).collect()))
print(sorted(emp.rightOuterJoin(dept).collect(), key=str))
print(sorted(emp.fullOuterJoin(dept).collect(), key=str))
''', r'''
e = [(1, "ann"), (2, "bob"), (3, "cat"), (2, "bea")]
d = [(1, "ops"), (2, "dev"), (4, "hr")]
print(sorted((k, (v, w)) for k, v in e for k2, w in d if k == k2))
left = [(k, (v, w)) for k, v in e for k2, w in d if k == k2] + \
    [(k, (v, None)) for k, v in e if k not in dict(d)]
print(sorted(left))
right = [(k, (v, w)) for k, v in e for k2, w in d if k == k2] + \
    [(k, (None, w)) for k, w in d if k not in dict(e)]
print(sorted(right, key=str))
full = right + [(k, (v, None)) for k, v in e if k not in dict(d)]
print(sorted(full, key=str))
''', "exact"),
    ("cogroup_and_groupWith", r'''
a = sc.parallelize([("k1", 1), ("k2", 2), ("k1", 3)])
b = sc.parallelize([("k1", "x"), ("k3", "y")])
for k, (va, vb) in sorted(a.cogroup(b).collect()):
    print(k, sorted(va), list(vb))
print(sorted((k, tuple(map(len, vs))) for k, vs in a.groupWith(b, a).collect()))
''', r'''
print("k1", [1, 3], ["x"])
print("k2", [2], [])
print("k3", [], ["y"])
print([("k1", (2, 1, 2)), ("k2", (1, 0, 1)), ("k3", (0, 1, 0))])
''', "exact"),
    ("subtract_intersection_distinct", r'''
x = sc.parallelize([1, 2, 3, 4, 5, 5, 6])
y = sc.parallelize([4, 5, 7])
print(sorted(x.subtract(y).collect()), sorted(x.intersection(y).collect()))
print(sorted(x.union(y).distinct().collect()))
kv = sc.parallelize([("a", 1), ("b", 2), ("c", 3)])
print(sorted(kv.subtractByKey(sc.parallelize([("b", 0)])).collect()))
''', r'''
print([1, 2, 3, 6], [4, 5])
print([1, 2, 3, 4, 5, 6, 7])
print([("a", 1), ("c", 3)])
''', "exact"),
    ("cartesian_pairs", r'''
a = sc.parallelize(["r", "g"], 2)
b = sc.parallelize([1, 2, 3], 3)
c = a.cartesian(b)
print(c.getNumPartitions(), c.count(), sorted(c.collect()))
''', r'''
print(6, 6, sorted((x, y) for x in "rg" for y in [1, 2, 3]))
''', "exact"),
    ("sortByKey_both_ways", r'''
pairs = sc.parallelize([("pear", 3), ("apple", 5), ("fig", 1), ("kiwi", 2),
                        ("banana", 4), ("cherry", 6)], 3)
print(pairs.sortByKey().collect())
print(pairs.sortByKey(ascending=False, numPartitions=2).collect())
print(pairs.sortBy(lambda kv: kv[1], ascending=False).keys().collect())
''', r'''
p = [("pear", 3), ("apple", 5), ("fig", 1), ("kiwi", 2), ("banana", 4), ("cherry", 6)]
print(sorted(p))
print(sorted(p, reverse=True))
print([k for k, v in sorted(p, key=lambda kv: kv[1], reverse=True)])
''', "exact"),
    ("countByKey_collectAsMap", r'''
pairs = sc.parallelize([("a", 1), ("b", 2), ("a", 3), ("c", 1), ("a", 5)])
print(sorted(pairs.countByKey().items()))
m = pairs.reduceByKey(max).collectAsMap()
print(type(m).__name__, sorted(m.items()))
''', r'''
print([("a", 3), ("b", 1), ("c", 1)])
print("dict", [("a", 5), ("b", 2), ("c", 1)])
''', "exact"),
    ("mapValues_flatMapValues", r'''
rdd = sc.parallelize([("fruit", "apple pear"), ("veg", "kale"), ("nut", "")])
print(rdd.mapValues(str.upper).collect())
print(rdd.flatMapValues(str.split).collect())
print(rdd.keys().collect(), rdd.values().map(len).collect())
''', r'''
print([("fruit", "APPLE PEAR"), ("veg", "KALE"), ("nut", "")])
print([("fruit", "apple"), ("fruit", "pear"), ("veg", "kale")])
print(["fruit", "veg", "nut"], [10, 4, 0])
''', "exact"),
    ("lookup_and_foldByKey", r'''
pairs = sc.parallelize([(i % 5, i) for i in range(20)], 4)
print(sorted(pairs.lookup(3)))
print(sorted(pairs.foldByKey(0, lambda a, b: a + b).collect()))
print(sorted(pairs.groupByKey().lookup(2)[0]))
''', r'''
print([3, 8, 13, 18])
print([(k, sum(i for i in range(20) if i % 5 == k)) for k in range(5)])
print([2, 7, 12, 17])
''', "exact"),
    ("reduceByKey_order_as_pyspark", r'''
from operator import add
data = [("b", 1), ("a", 1), ("c", 1), ("a", 2), ("d", 4), ("b", 5), ("e", 1)]
print(sc.parallelize(data, 3).reduceByKey(add).collect())
print(sc.parallelize(data, 3).reduceByKey(add, 2).collect())
''', PYSPARK_ORDER + r'''
from operator import add
data = [("b", 1), ("a", 1), ("c", 1), ("a", 2), ("d", 4), ("b", 5), ("e", 1)]
print(reduce_by_key(slices(data, 3), add, 3))
print(reduce_by_key(slices(data, 3), add, 2))
''', "exact"),
    ("wordcount_collect_order_as_pyspark", r'''
words = "it was the best of times it was the worst of times".split()
counts = sc.parallelize(words, 2).map(lambda w: (w, 1)) \
    .reduceByKey(lambda a, b: a + b)
print(counts.collect())
print(counts.keys().collect())
''', PYSPARK_ORDER + r'''
words = "it was the best of times it was the worst of times".split()
r = reduce_by_key(slices([(w, 1) for w in words], 2), lambda a, b: a + b, 2)
print(r)
print([k for k, v in r])
''', "exact"),
    ("partitionBy_custom", r'''
pairs = sc.parallelize([(i, str(i)) for i in range(10)], 2)
parts = pairs.partitionBy(3, lambda k: k % 3).glom().collect()
print([[k for k, v in p] for p in parts])
''', r'''
print([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]])
''', "exact"),
    ("repartitionAndSort", r'''
pairs = sc.parallelize([(5, "e"), (1, "a"), (4, "d"), (2, "b"), (3, "c")], 2)
print(pairs.repartitionAndSortWithinPartitions(2, lambda k: k % 2).glom().collect())
''', r'''
print([[(2, "b"), (4, "d")], [(1, "a"), (3, "c"), (5, "e")]])
''', "exact"),
    # ---- shared variables, partitions, plumbing --------------------------
    ("broadcast_lookup", r'''
codes = sc.broadcast({"NZ": "New Zealand", "AU": "Australia"})
rdd = sc.parallelize(["NZ", "AU", "NZ", "FR"])
print(rdd.map(lambda c: codes.value.get(c, "unknown")).collect())
print(type(codes).__name__, len(codes.value))
''', r'''
print(["New Zealand", "Australia", "New Zealand", "unknown"])
print("Broadcast", 2)
''', "exact"),
    ("accumulator_in_map", r'''
seen = sc.accumulator(0)
odd = sc.accumulator(0.0)
def tag(x):
    seen.add(1)
    if x % 2:
        odd.add(0.5)
    return x * 10
out = sc.parallelize(range(9), 3).map(tag)
print(seen.value, out.count(), seen.value, odd.value)
print(out.sum(), seen.value, repr(seen).split(",")[0])
''', r'''
print(0, 9, 9, 2.0)
print(360, 18, "Accumulator<id=0")
''', "exact"),
    ("accumulator_read_in_task_fails", r'''
acc = sc.accumulator(0)
try:
    sc.parallelize([1]).map(lambda x: acc.value).collect()
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[-1])
''', r'''
print("Py4JJavaError RuntimeError: Accumulator.value cannot be accessed "
      "inside tasks (raised in a task on element 1)")
''', "exact"),
    ("mapPartitions_yield", r'''
def stats(it):
    n = s = 0
    for x in it:
        n += 1
        s += x
    yield (n, s)
print(sc.parallelize(range(10), 3).mapPartitions(stats).collect())
def tag(i, it):
    for x in it:
        yield "p%d:%s" % (i, x)
print(sc.parallelize("abcde", 2).mapPartitionsWithIndex(tag).collect())
''', r'''
print([(3, 3), (3, 12), (4, 30)])
print(["p0:a", "p0:b", "p1:c", "p1:d", "p1:e"])
''', "exact"),
    ("glom_coalesce_repartition", r'''
r = sc.parallelize(range(12), 4)
print(r.glom().collect())
print(r.coalesce(2).glom().collect())
re = r.repartition(3)
print(re.getNumPartitions(), sorted(re.collect()))
''', r'''
print([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]])
print([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
print(3, list(range(12)))
''', "exact"),
    ("zip_family", r'''
a = sc.parallelize(["x", "y", "z"], 2)
print(a.zip(sc.parallelize([1, 2, 3], 2)).collect())
print(a.zipWithIndex().collect(), a.zipWithUniqueId().collect())
print(a.keyBy(str.upper).collect())
''', r'''
print([("x", 1), ("y", 2), ("z", 3)])
print([("x", 0), ("y", 1), ("z", 2)], [("x", 0), ("y", 1), ("z", 3)])
print([("X", "x"), ("Y", "y"), ("Z", "z")])
''', "exact"),
    ("cache_and_storage_levels", r'''
from pyspark import StorageLevel
r = sc.parallelize(range(1000)).map(lambda x: x % 7)
print(r.is_cached, r.getStorageLevel())
r.cache()
print(r.count(), r.sum(), r.is_cached, r.getStorageLevel())
r.unpersist()
s = sc.parallelize([1]).persist(StorageLevel.MEMORY_AND_DISK)
print(r.is_cached, s.getStorageLevel(), repr(StorageLevel.DISK_ONLY))
''', r'''
print(False, "Serialized 1x Replicated")
print(1000, sum(x % 7 for x in range(1000)), True, "Memory Serialized 1x Replicated")
print(False, "Disk Memory Serialized 1x Replicated", "StorageLevel(True, False, False, False, 1)")
''', "exact"),
    ("lineage_and_partitions", r'''
r = sc.parallelize(range(10), 5).map(lambda x: (x % 2, x)).reduceByKey(max)
s = r.toDebugString().decode()
print(type(r.toDebugString()).__name__, s.splitlines()[0].split()[0])
print("ParallelCollectionRDD" in s, "ShuffledRDD" in s, r.getNumPartitions())
print(sorted(r.collect()))
''', r'''
print("bytes", "(5)")
print(True, True, 5)
print([(0, 8), (1, 9)])
''', "exact"),
    ("csv_per_country", r'''
import sys
lines = sc.textFile(sys.argv[1] + "/trade.csv")
header = lines.first()
rows = lines.filter(lambda l: l != header).map(lambda l: l.split(","))
dollars = rows.filter(lambda r: r[7] == "$")
totals = dollars.map(lambda r: (r[4], int(r[8]))).reduceByKey(lambda a, b: a + b)
for country, total in totals.sortBy(lambda kv: (-kv[1], kv[0])).take(3):
    print("%-12s %15d" % (country, total))
''', r'''
import sys
from collections import Counter
lines = open(sys.argv[1] + "/trade.csv").read().splitlines()
c = Counter()
for l in lines[1:]:
    r = l.split(",")
    if r[7] == "$":
        c[r[4]] += int(r[8])
for country, total in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:3]:
    print("%-12s %15d" % (country, total))
''', "exact"),
    ("csv_records_first", r'''
import sys
def to_record(line):
    parts = line.split(",")
    return {"direction": parts[0], "year": int(parts[1]), "value": parts[8]}
recs = sc.textFile(sys.argv[1] + "/trade.csv").filter(
    lambda l: not l.startswith("Direction")).map(to_record)
print(recs.first())
print(recs.map(lambda r: r["year"]).distinct().collect() == [2015] or
      sorted(recs.map(lambda r: r["year"]).distinct().collect())[0])
''', r'''
import sys
l = open(sys.argv[1] + "/trade.csv").read().splitlines()[1].split(",")
print({"direction": l[0], "year": int(l[1]), "value": l[8]})
print(True)
''', "exact"),
    ("wholeTextFiles_names", r'''
import os, sys
d = os.path.join(sys.argv[1], "whole")
os.makedirs(d)
for name, text in [("a.txt", "one two"), ("b.txt", "three")]:
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
files = sc.wholeTextFiles(d)
print(sorted((os.path.basename(p), len(t.split())) for p, t in files.collect()))
print(files.keys().map(lambda p: p.startswith("file:")).collect())
''', r'''
print([("a.txt", 2), ("b.txt", 1)])
print([True, True])
''', "exact"),
    ("pipe_through_tr", r'''
print(sc.parallelize(["spark", "pipes", "lines"], 2).pipe("tr a-z A-Z").collect())
''', r'''
print(["SPARK", "PIPES", "LINES"])
''', "exact"),
    ("session_builder", r'''
from pyspark.sql import SparkSession
s = SparkSession.builder.appName("students").getOrCreate()
print(s.sparkContext is sc, s.sparkContext.parallelize([1, 2]).count())
print(spark.sparkContext.defaultParallelism)
''', r'''
print(True, 2)
print(2)
''', "exact"),
    ("standalone_context", r'''
from pyspark import SparkConf, SparkContext
conf = SparkConf().setAppName("app").setMaster("local[2]")
sc = SparkContext(conf=conf)
print(sc.appName, sc.master, sc.parallelize(range(5)).sum())
sc.stop()
''', r'''
print("app", "local[2]", 10)
''', "exact"),
    ("errors_caught_in_functions", r'''
def parse(s):
    try:
        return int(s)
    except ValueError:
        return None
r = sc.parallelize(["1", "x", "3", "", "5"]).map(parse)
print(r.collect(), r.filter(lambda v: v is not None).sum())
''', r'''
print([1, None, 3, None, 5], 9)
''', "exact"),
    ("classes_in_tasks", r'''
class Account:
    def __init__(self, owner, balance):
        self.owner, self.balance = owner, balance
    def __repr__(self):
        return "Account(%s, %d)" % (self.owner, self.balance)
accts = sc.parallelize([("ann", 10), ("bob", 5)]).map(lambda t: Account(*t))
print(accts.collect())
print(accts.map(lambda a: a.balance).sum(), accts.filter(lambda a: a.balance > 6).first())
''', r'''
print("[Account(ann, 10), Account(bob, 5)]")
print(15, "Account(ann, 10)")
''', "exact"),
    ("sets_and_frozensets", r'''
r = sc.parallelize([({1, 2}, 1), (frozenset([1, 2]), 2)])
print(r.map(lambda kv: len(kv[0])).collect())
print(r.map(lambda kv: (frozenset(kv[0]), kv[1])).reduceByKey(lambda a, b: a + b).collect())
print(sc.parallelize([{"a": 1}, {"a": 2}]).map(lambda d: d["a"]).sum())
''', r'''
print([2, 2])
print([(frozenset({1, 2}), 3)])
print(3)
''', "exact"),
    ("generators_and_comprehensions", r'''
def pairs(line):
    ws = line.split()
    yield from zip(ws, ws[1:])
bigrams = sc.parallelize(["a b c", "b c d"]).flatMap(pairs)
print(bigrams.collect())
print(sorted(bigrams.countByValue().items()))
print(sc.parallelize(range(5)).map(lambda x: [y * x for y in range(3)]).collect())
''', r'''
print([("a", "b"), ("b", "c"), ("b", "c"), ("c", "d")])
print([(("a", "b"), 1), (("b", "c"), 2), (("c", "d"), 1)])
print([[0, 0, 0], [0, 1, 2], [0, 2, 4], [0, 3, 6], [0, 4, 8]])
''', "exact"),
    ("take_first_isEmpty", r'''
r = sc.parallelize(range(100), 10).filter(lambda x: x > 95)
print(r.take(2), r.first(), r.isEmpty(), sc.emptyRDD().isEmpty())
print(sc.parallelize([]).count(), r.take(0), r.collect())
''', r'''
print([96, 97], 96, False, True)
print(0, [], [96, 97, 98, 99])
''', "exact"),
    ("toLocalIterator_runJob", r'''
r = sc.parallelize(range(6), 3)
print([x * 2 for x in r.toLocalIterator()])
print(sc.runJob(r, lambda it: [sum(it)], [0, 2]))
''', r'''
print([0, 2, 4, 6, 8, 10])
print([1, 9])
''', "exact"),
    ("sortBy_numbers_and_strings", r'''
r = sc.parallelize([5, 3, 9, 1, 7, 2], 3)
print(r.sortBy(lambda x: x).collect(), r.sortBy(lambda x: -x, numPartitions=2).collect())
s = sc.parallelize(["b", "C", "a", "D"], 2)
print(s.sortBy(str.lower).collect(), s.sortBy(lambda x: x).collect())
''', r'''
print([1, 2, 3, 5, 7, 9], [9, 7, 5, 3, 2, 1])
print(["a", "b", "C", "D"], ["C", "D", "a", "b"])
''', "exact"),
    ("unordered_reduceByKey_lines", r'''
from operator import add
nums = sc.parallelize(range(100), 4).map(lambda x: (x % 10, x))
for k, v in nums.reduceByKey(add).collect():
    print(k, v)
''', r'''
for k in range(10):
    print(k, sum(x for x in range(100) if x % 10 == k))
''', "sorted"),
    ("unordered_distinct_lines", r'''
import sys
for w in sc.textFile(sys.argv[1] + "/text.txt").flatMap(str.split).map(str.lower).distinct().collect():
    print(w)
''', TEXT + r'''
for w in set(x.lower() for x in words):
    print(w)
''', "sorted"),
    ("nums_file_stats", r'''
import sys
nums = sc.textFile(sys.argv[1] + "/nums.txt").map(float)
print(nums.count(), nums.sum(), round(nums.mean(), 6), nums.max())
print(nums.filter(lambda x: x > 50).map(int).collect()[:5])
''', r'''
import sys
n = [float(l) for l in open(sys.argv[1] + "/nums.txt")]
print(len(n), sum(n), round(sum(n) / len(n), 6), max(n))
print([int(x) for x in n if x > 50][:5])
''', "exact"),
]


def make_data(d, pardemo):
    shared = os.environ.get("PARDEMO_SHARED")
    hamlet = os.path.join(shared, "data", "hamlet.txt") if shared else None
    if hamlet and os.path.exists(hamlet):
        shutil.copy(hamlet, os.path.join(d, "text.txt"))
    else:
        with open(os.path.join(d, "text.txt"), "w") as f:
            f.write("Hamlet: To be, or not to be, that is the question.\n" * 3
                    + "\nWhether 'tis nobler in the mind to suffer\n" * 2)
    subprocess.run([pardemo, "gen", "trade", "--rows", "300", "-o",
                    os.path.join(d, "trade.csv")], check=True,
                   stderr=subprocess.DEVNULL)
    with open(os.path.join(d, "nums.txt"), "w") as f:
        f.write("".join("%s\n" % ((i * 37) % 101 + 0.25 * (i % 4))
                        for i in range(400)))


def run(cmd, d):
    env = dict(os.environ, PYTHONHASHSEED="0")
    p = subprocess.run(cmd + [d], capture_output=True, text=True, env=env,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def main():
    pardemo, names = sys.argv[1], set(sys.argv[2:])
    top = tempfile.mkdtemp(prefix="pardemo-programs-")
    failed = 0
    try:
        for name, prog, ref, how in PROGRAMS:
            if names and name not in names:
                continue
            d = os.path.join(top, name)
            os.makedirs(d)
            make_data(d, pardemo)
            with open(os.path.join(d, "prog.py"), "w") as f:
                f.write(prog)
            with open(os.path.join(d, "ref.py"), "w") as f:
                f.write(ref)
            got = run([pardemo, "spark", "-t", "2", os.path.join(d, "prog.py")],
                      d)
            want = run(["/usr/bin/python3", os.path.join(d, "ref.py")], d)
            same = got[1] == want[1] if how == "exact" else \
                sorted(got[1].splitlines()) == sorted(want[1].splitlines())
            if got[0] != 0 or want[0] != 0 or not same:
                failed += 1
                print("== %s (%s): pardemo exit %d, python3 exit %d\n"
                      "-- pardemo:\n%s%s-- python3 (PySpark's output):\n%s%s"
                      % (name, how, got[0], want[0], got[1], got[2], want[1],
                         want[2]))
    finally:
        shutil.rmtree(top)
    total = len(names) if names else len(PROGRAMS)
    print("%d programs, %d differ" % (total, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
