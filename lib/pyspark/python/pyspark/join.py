"""Joins and cogroup, as PySpark builds them from one groupByKey.

Each side's values are tagged with its number, the sides are unioned and
grouped by key in one shuffle (the C engine's), and each key's group is
split back by tag: an inner join pairs every value of one side with every
value of the other; an outer join pairs with None where a side is empty.
"""
from _functools import reduce  # functools.reduce, without importing functools

from pyspark.resultiterable import ResultIterable

__all__ = ["python_join", "python_left_outer_join",
           "python_right_outer_join", "python_full_outer_join",
           "python_cogroup"]


def _tagged_groups(rdd, other, numPartitions):
    vs = rdd.mapValues(lambda v: (1, v))
    ws = other.mapValues(lambda v: (2, v))
    return vs.union(ws).groupByKey(numPartitions)


def _split(pairs):
    left, right = [], []
    for n, v in pairs:
        (left if n == 1 else right).append(v)
    return left, right


def python_join(rdd, other, numPartitions):
    def dispatch(seq):
        left, right = _split(seq)
        return [(v, w) for v in left for w in right]
    return _tagged_groups(rdd, other, numPartitions).flatMapValues(dispatch)


def python_left_outer_join(rdd, other, numPartitions):
    def dispatch(seq):
        left, right = _split(seq)
        return [(v, w) for v in left for w in (right or [None])]
    return _tagged_groups(rdd, other, numPartitions).flatMapValues(dispatch)


def python_right_outer_join(rdd, other, numPartitions):
    def dispatch(seq):
        left, right = _split(seq)
        return [(v, w) for v in (left or [None]) for w in right]
    return _tagged_groups(rdd, other, numPartitions).flatMapValues(dispatch)


def python_full_outer_join(rdd, other, numPartitions):
    def dispatch(seq):
        left, right = _split(seq)
        return [(v, w) for v in (left or [None]) for w in (right or [None])]
    return _tagged_groups(rdd, other, numPartitions).flatMapValues(dispatch)


def python_cogroup(rdds, numPartitions):
    def tagger(i):
        return lambda v: (i, v)
    tagged = [rdd.mapValues(tagger(i)) for i, rdd in enumerate(rdds)]
    count = len(tagged)

    def dispatch(seq):
        bufs = [[] for _ in range(count)]
        for n, v in seq:
            bufs[n].append(v)
        return tuple(ResultIterable(vs) for vs in bufs)
    union = reduce(lambda acc, other: acc.union(other), tagged)
    return union.groupByKey(numPartitions).mapValues(dispatch)
