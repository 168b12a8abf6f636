"""RDD: PySpark's resilient distributed dataset, on pardemo's C engine.

An RDD is a recipe, not data: each transformation records one step of
lineage in the engine (lib/rdd), and an action runs a job there. The
engine partitions, shuffles, combines, sorts, caches and saves in C;
Python functions run in worker processes forked from the driver for each
stage. Consecutive Python steps (map, filter, flatMap, mapValues...) are
chained into one function per stage, as PySpark's PipelinedRDD chains
them, so a record crosses from C to Python once per stage, not once per
step. Functions the engine knows (+, `lambda w: (w, 1)`, str.split, len)
it runs in C. The other methods are built from these, the way PySpark
builds them, so results, order, partitioning and errors are PySpark's.
"""
import operator
import sys
from _functools import reduce  # functools.reduce, without the rest of functools
from itertools import chain
from math import ceil, isinf, isnan

import _pardemo
from py4j.protocol import Py4JJavaError
from pyspark.join import (python_join, python_left_outer_join,
                          python_right_outer_join, python_full_outer_join,
                          python_cogroup)
from pyspark.resultiterable import ResultIterable
from pyspark.statcounter import StatCounter
from pyspark.storagelevel import StorageLevel
from pyspark.util import portable_hash, _callsite

__all__ = ["RDD"]


# The engine walks a lineage recursively (in C): deeper than this, an RDD
# is refused with RecursionError, as Python refuses deep recursion.
_MAX_DEPTH = 2000


def _depth_of(*rdds):
    depth = 1 + max(r._depth for r in rdds)
    if depth > _MAX_DEPTH:
        raise RecursionError(
            "maximum RDD lineage depth exceeded (%d steps): cache() and "
            "count() the RDD, then go on from sc.parallelize(rdd.collect())"
            % _MAX_DEPTH)
    return depth


class Partitioner:
    """How a shuffle placed the keys: n partitions and a function."""

    def __init__(self, numPartitions, partitionFunc):
        self.numPartitions = numPartitions
        self.partitionFunc = partitionFunc

    def __eq__(self, other):
        return (isinstance(other, Partitioner) and
                self.numPartitions == other.numPartitions and
                self.partitionFunc == other.partitionFunc)

    def __call__(self, k):
        return self.partitionFunc(k) % self.numPartitions


def _engine_partitioner(partitionFunc):
    """None for portable_hash (the engine computes it in C)."""
    return None if partitionFunc is portable_hash else partitionFunc


class RDD:
    """A resilient distributed dataset: a partitioned collection of
    elements, computed when an action asks for it."""

    def __init__(self, jrdd, ctx, errors=()):
        self._jrdd_val = jrdd
        self.ctx = ctx
        self.is_cached = False
        self.is_checkpointed = False
        self.has_resource_profile = False
        self._name = None
        self._errors = tuple(errors)    # deferred failures of the inputs
        self._depth = 1                 # steps of lineage behind it
        self._storage = StorageLevel(False, False, False, False, 1)
        self.partitioner = None

    # ---- the engine's side of this RDD

    @property
    def _jrdd(self):
        return self._jrdd_val

    def _check(self):
        """Raises what an action on this RDD would meet first: a missing
        input (textFile is lazy), a call from inside a task, a stopped
        context."""
        if self.ctx._in_task:
            raise RuntimeError(
                "RDD transformations and actions can only be invoked by the "
                "driver, not inside of other transformations (SPARK-5063)")
        if self._errors:
            raise Py4JJavaError(self._errors[0])
        if self.ctx._engine is None:
            raise ValueError("Cannot run a job: the SparkContext has been "
                             "stopped (sc.stop())")

    def _child(self, jrdd, *others):
        errors = self._errors + tuple(e for o in others for e in o._errors)
        rdd = RDD(jrdd, self.ctx, errors)
        rdd._depth = _depth_of(self, *others)
        return rdd

    def _job(self, run):
        """Runs an engine action (a job), then --explain's report."""
        self._check()
        try:
            return run()
        finally:
            self.ctx._explain_jobs()

    @property
    def context(self):
        """The SparkContext this RDD was created on."""
        return self.ctx

    def id(self):
        """A unique ID for this RDD (within its SparkContext)."""
        return self._jrdd.id()

    def getNumPartitions(self):
        """The number of partitions."""
        if self._errors:
            raise Py4JJavaError(self._errors[0])
        return self._jrdd.num_partitions()

    def __repr__(self):
        first = self._jrdd.debug_string().split("\n")[0]
        first = first.split(" ", 1)[1]          # without "(n) "
        return first.rsplit(" [", 1)[0]         # without " [storage]"

    def toDF(self, schema=None, sampleRatio=None):
        """The rows as a DataFrame. PySpark's SparkSession adds this
        method to RDD; pardemo spark always has a session (`spark`)."""
        from pyspark.sql.session import SparkSession
        return SparkSession.builder.getOrCreate().createDataFrame(
            self, schema, sampleRatio)

    def toDebugString(self):
        """The lineage, as Spark draws it (bytes, as PySpark returns)."""
        if self._errors:
            raise Py4JJavaError(self._errors[0])
        return self._jrdd.debug_string().encode("utf-8")

    def name(self):
        return self._name

    def setName(self, name):
        self._name = name
        self._jrdd.set_name(name)
        return self

    def __add__(self, other):
        if not isinstance(other, RDD):
            raise TypeError
        return self.union(other)

    def __floordiv__(self, other):
        # the lecture's slides write // {1, 4, 9}: a comment elsewhere
        raise TypeError("unsupported operand type(s) for //: '%s' and '%s' "
                        "(Python comments start with #, not //)"
                        % (type(self).__name__, type(other).__name__))

    def __getnewargs__(self):
        raise RuntimeError(
            "It appears that you are attempting to broadcast an RDD or "
            "reference an RDD from an action or transformation. RDD "
            "transformations and actions can only be invoked by the driver, "
            "not inside of other transformations (SPARK-5063)")

    # ---- persistence

    def cache(self):
        """Keeps the partitions in memory once computed."""
        return self.persist(StorageLevel.MEMORY_ONLY)

    def persist(self, storageLevel=StorageLevel.MEMORY_ONLY):
        self.is_cached = True
        self._storage = storageLevel
        self._jrdd.cache(True)
        return self

    def unpersist(self, blocking=False):
        self.is_cached = False
        self._storage = StorageLevel(False, False, False, False, 1)
        self._jrdd.cache(False)
        return self

    def getStorageLevel(self):
        return self._storage

    def checkpoint(self):
        """Marks the RDD to be kept (here: in memory) once computed."""
        self.is_checkpointed = True
        self._jrdd.cache(True)

    def localCheckpoint(self):
        self.checkpoint()

    def isCheckpointed(self):
        return self.is_checkpointed

    def isLocallyCheckpointed(self):
        return self.is_checkpointed

    def getCheckpointFile(self):
        return None

    # ---- narrow transformations: Python pipelines

    def _fast(self, f, what):
        """The engine's C version of map/flatMap(f), or None."""
        if not self.ctx._is_fast or self.ctx._engine is None or \
                not _pardemo.fast_kind(self.ctx._engine, f):
            return None
        node = self._jrdd.map_fast(f, what, _callsite())
        if node is None:
            return None
        return PipelinedRDD._ran_in_c(self, node, what == "filter")

    def map(self, f, preservesPartitioning=False):
        """Applies f to each element."""
        fast = self._fast(f, "map")
        if fast is not None:
            return fast

        def func(_, iterator):
            return map(f, iterator)
        return PipelinedRDD(self, func, preservesPartitioning, "map")

    def flatMap(self, f, preservesPartitioning=False):
        """Applies f to each element and flattens the results."""
        fast = self._fast(f, "flatMap")
        if fast is not None:
            return fast

        def func(_, iterator):
            return chain.from_iterable(map(f, iterator))
        return PipelinedRDD(self, func, preservesPartitioning, "flatMap")

    def filter(self, f):
        """The elements for which f is true."""
        fast = self._fast(f, "filter")
        if fast is not None:
            return fast

        def func(_, iterator):
            return filter(f, iterator)
        return PipelinedRDD(self, func, True, "filter")

    def mapPartitions(self, f, preservesPartitioning=False):
        """f(iterator) over each partition (a generator is fine)."""
        def func(_, iterator):
            return f(iterator)
        return PipelinedRDD(self, func, preservesPartitioning,
                            "mapPartitions")

    def mapPartitionsWithIndex(self, f, preservesPartitioning=False):
        """f(partition number, iterator) over each partition."""
        return PipelinedRDD(self, f, preservesPartitioning,
                            "mapPartitionsWithIndex")

    def mapPartitionsWithSplit(self, f, preservesPartitioning=False):
        import warnings
        warnings.warn("mapPartitionsWithSplit is deprecated; use "
                      "mapPartitionsWithIndex instead", FutureWarning,
                      stacklevel=2)
        return self.mapPartitionsWithIndex(f, preservesPartitioning)

    def glom(self):
        """Each partition as one list."""
        def func(iterator):
            yield list(iterator)
        return self.mapPartitions(func)

    def keyBy(self, f):
        """(f(x), x) for each element x."""
        return self.map(lambda x: (f(x), x))

    def keys(self):
        return self.map(lambda x: x[0])

    def values(self):
        return self.map(lambda x: x[1])

    def mapValues(self, f):
        """(k, f(v)) for each pair: keys and partitioning kept."""
        return self.map(lambda kv: (kv[0], f(kv[1])),
                        preservesPartitioning=True)

    def flatMapValues(self, f):
        """(k, x) for each x in f(v), for each pair (k, v)."""
        return self.flatMap(lambda kv: ((kv[0], x) for x in f(kv[1])),
                            preservesPartitioning=True)

    def sample(self, withReplacement, fraction, seed=None):
        """A random subset: each element with probability fraction."""
        from pyspark.rddsampler import RDDSampler
        if not fraction >= 0.0:
            raise ValueError("Fraction must be nonnegative.")
        return self.mapPartitionsWithIndex(
            RDDSampler(withReplacement, fraction, seed).func, True)

    def randomSplit(self, weights, seed=None):
        """Random disjoint parts with these relative sizes."""
        import random
        from pyspark.rddsampler import RDDRangeSampler
        if not all(w >= 0 for w in weights):
            raise ValueError("Weights must be nonnegative")
        s = float(sum(weights))
        if not s > 0:
            raise ValueError("Sum of weights must be positive")
        cweights = [0.0]
        for w in weights:
            cweights.append(cweights[-1] + w / s)
        if seed is None:
            seed = random.randint(0, 2 ** 32 - 1)
        return [self.mapPartitionsWithIndex(
                    RDDRangeSampler(lb, ub, seed).func, True)
                for lb, ub in zip(cweights, cweights[1:])]

    def zipWithIndex(self):
        """(x, its index): a job first counts each partition."""
        starts = [0]
        if self.getNumPartitions() > 1:
            nums = self.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
            for i in range(len(nums) - 1):
                starts.append(starts[-1] + nums[i])

        def func(k, it):
            for i, v in enumerate(it, starts[k]):
                yield v, i
        return self.mapPartitionsWithIndex(func)

    def zipWithUniqueId(self):
        """(x, id): partition k gives k, n + k, 2n + k...; no job."""
        n = self.getNumPartitions()

        def func(k, it):
            for i, v in enumerate(it):
                yield v, i * n + k
        return self.mapPartitionsWithIndex(func)

    def pipe(self, command, env=None, checkCode=False):
        """Each partition's elements through an external command's stdin;
        its output lines are the new elements."""
        import shlex
        from subprocess import Popen, PIPE
        from threading import Thread
        if env is None:
            env = dict()

        def func(iterator):
            proc = Popen(shlex.split(command), env=env, stdin=PIPE,
                         stdout=PIPE)

            def feed(out):
                for obj in iterator:
                    out.write((str(obj).rstrip("\n") + "\n").encode("utf-8"))
                out.close()
            Thread(target=feed, args=[proc.stdin]).start()

            def check_code():
                proc.wait()
                if checkCode and proc.returncode:
                    raise RuntimeError("Pipe function `%s' exited with "
                                       "error code %d" % (command,
                                                          proc.returncode))
                return iter(())
            return (x.rstrip(b"\n").decode("utf-8") for x in
                    chain(iter(proc.stdout.readline, b""), check_code()))
        return self.mapPartitions(func)

    # ---- wide transformations: the engine's shuffles

    def _defaultReducePartitions(self):
        if self.ctx._conf.contains("spark.default.parallelism"):
            return self.ctx.defaultParallelism
        return self.getNumPartitions()

    def union(self, other):
        """Both RDDs' elements (partitions side by side)."""
        self._check_same(other)
        _depth_of(self, other)
        rdd = self._child(self._jrdd.binary("union", other._jrdd,
                                            _callsite()), other)
        if (self.partitioner == other.partitioner and
                self.getNumPartitions() == rdd.getNumPartitions()):
            rdd.partitioner = self.partitioner
        return rdd

    def _check_same(self, other):
        if not isinstance(other, RDD):
            raise TypeError("needs another RDD, not %s" % type(other).__name__)

    def distinct(self, numPartitions=None):
        """The distinct elements (one shuffle)."""
        return self._child(self._jrdd.distinct(
            numPartitions if numPartitions is not None else 0, _callsite()))

    def intersection(self, other):
        """The elements in both, without duplicates (one shuffle)."""
        return (self.map(lambda v: (v, None))
                .cogroup(other.map(lambda v: (v, None)))
                .filter(lambda k_vs: all(k_vs[1]))
                .keys())

    def subtract(self, other, numPartitions=None):
        """The elements of this RDD that are not in other."""
        rdd = other.map(lambda x: (x, True))
        return self.map(lambda x: (x, True)).subtractByKey(
            rdd, numPartitions).keys()

    def subtractByKey(self, other, numPartitions=None):
        """The pairs whose key is not in other."""
        def filter_func(pair):
            key, (val1, val2) = pair
            return val1 and not val2
        return (self.cogroup(other, numPartitions).filter(filter_func)
                .flatMapValues(lambda x: x[0]))

    def cartesian(self, other):
        """(a, b) for every a in this RDD and b in other."""
        self._check_same(other)
        return self._child(self._jrdd.binary("cartesian", other._jrdd,
                                             _callsite()), other)

    def zip(self, other):
        """(a, b) pairs of the elements at the same place in each."""
        self._check_same(other)
        if self.getNumPartitions() != other.getNumPartitions():
            raise ValueError("Can only zip with RDD which has the same "
                             "number of partitions")
        return self._child(self._jrdd.binary("zip", other._jrdd,
                                             _callsite()), other)

    def coalesce(self, numPartitions, shuffle=False):
        """Fewer partitions: neighbours merged (no shuffle), or a
        shuffle to exactly numPartitions."""
        import random
        if numPartitions <= 0:
            raise ValueError("Number of partitions (%s) must be positive."
                             % numPartitions)
        if not shuffle:
            return self._child(self._jrdd.coalesce(numPartitions,
                                                   _callsite()))
        # Spark deals batches of 10 records round robin, from a place
        # drawn per input partition
        n = numPartitions

        def deal(index, iterator):
            position = random.Random(index).randrange(n)
            batch = []
            for x in iterator:
                batch.append(x)
                if len(batch) == 10:
                    position += 1
                    yield position, batch
                    batch = []
            if batch:
                yield position + 1, batch
        dealt = self.mapPartitionsWithIndex(deal)
        shuffled = dealt.partitionBy(n, lambda position: position)
        return shuffled.flatMap(lambda kv: kv[1])

    def repartition(self, numPartitions):
        """Exactly numPartitions partitions (a shuffle)."""
        return self.coalesce(numPartitions, shuffle=True)

    def partitionBy(self, numPartitions, partitionFunc=portable_hash):
        """Each pair moved to partition partitionFunc(key) % n."""
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        partitioner = Partitioner(numPartitions, partitionFunc)
        if self.partitioner == partitioner:
            return self
        rdd = self._child(self._jrdd.group(
            "partition", numPartitions, _engine_partitioner(partitionFunc),
            _callsite()))
        rdd.partitioner = partitioner
        return rdd

    def combineByKey(self, createCombiner, mergeValue, mergeCombiners,
                     numPartitions=None, partitionFunc=portable_hash):
        """Per key: the first value becomes createCombiner(v), later ones
        mergeValue(c, v) (on the map side), then combiners merge with
        mergeCombiners across partitions."""
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        rdd = self._child(self._jrdd.combine(
            createCombiner, mergeValue, mergeCombiners, numPartitions,
            _engine_partitioner(partitionFunc), _callsite()))
        rdd.partitioner = Partitioner(numPartitions, partitionFunc)
        return rdd

    def reduceByKey(self, func, numPartitions=None,
                    partitionFunc=portable_hash):
        """Merges each key's values with func (map-side combine first)."""
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        rdd = self._child(self._jrdd.combine(
            None, func, None, numPartitions,
            _engine_partitioner(partitionFunc), _callsite()))
        rdd.partitioner = Partitioner(numPartitions, partitionFunc)
        return rdd

    def aggregateByKey(self, zeroValue, seqFunc, combFunc,
                       numPartitions=None, partitionFunc=portable_hash):
        """Per key: seqFunc folds values into a copy of zeroValue in each
        partition, combFunc merges the partitions' results."""
        import copy
        def createZero():
            return copy.deepcopy(zeroValue)
        return self.combineByKey(lambda v: seqFunc(createZero(), v),
                                 seqFunc, combFunc, numPartitions,
                                 partitionFunc)

    def foldByKey(self, zeroValue, func, numPartitions=None,
                  partitionFunc=portable_hash):
        """Per key: fold the values with func from zeroValue."""
        import copy
        def createZero():
            return copy.deepcopy(zeroValue)
        return self.combineByKey(lambda v: func(createZero(), v), func, func,
                                 numPartitions, partitionFunc)

    def groupByKey(self, numPartitions=None, partitionFunc=portable_hash):
        """Each key with a ResultIterable of its values."""
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        rdd = self._child(self._jrdd.group(
            "group", numPartitions, _engine_partitioner(partitionFunc),
            _callsite()))
        rdd.partitioner = Partitioner(numPartitions, partitionFunc)
        return rdd.mapValues(ResultIterable)

    def groupBy(self, f, numPartitions=None, partitionFunc=portable_hash):
        """Elements grouped by f(element)."""
        return self.map(lambda x: (f(x), x)).groupByKey(numPartitions,
                                                        partitionFunc)

    def sortByKey(self, ascending=True, numPartitions=None,
                  keyfunc=lambda x: x):
        """Sorted by key: range partitions from a sample of the keys (on
        the driver), each sorted by the engine."""
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        if numPartitions == 1:      # no shuffle: one partition, sorted
            def sortPartition(iterator):
                return iter(sorted(iterator, key=lambda kv: keyfunc(kv[0]),
                                   reverse=not ascending))
            one = self.coalesce(1) if self.getNumPartitions() > 1 else self
            return one.mapPartitions(sortPartition, True)
        identity = keyfunc is RDD.sortByKey.__defaults__[-1]
        rdd = self if identity else self.map(lambda kv: (keyfunc(kv[0]), kv))
        bounds = []
        if numPartitions > 1:
            size = self.count()
            if not size:
                return self             # empty: nothing to sort
            if size:
                fraction = min(numPartitions * 20.0 / max(size, 1), 1.0)
                samples = sorted(self.sample(False, fraction, 1)
                                 .map(lambda kv: kv[0]).collect(),
                                 key=keyfunc)
                bounds = [samples[int(len(samples) * (i + 1) / numPartitions)]
                          for i in range(0, numPartitions - 1)]
        rdd = rdd._child(rdd._jrdd.sort(bool(ascending), numPartitions,
                                        bounds, _callsite()))
        return rdd if identity else rdd.values()

    def sortBy(self, keyfunc, ascending=True, numPartitions=None):
        """Sorted by keyfunc(element)."""
        return self.keyBy(keyfunc).sortByKey(ascending, numPartitions).values()

    def repartitionAndSortWithinPartitions(self, numPartitions=None,
                                           partitionFunc=portable_hash,
                                           ascending=True,
                                           keyfunc=lambda x: x):
        """partitionBy, then each partition sorted by key."""
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()

        def sortPartition(iterator):
            return iter(sorted(iterator, key=lambda k_v: keyfunc(k_v[0]),
                               reverse=not ascending))
        return self.partitionBy(numPartitions, partitionFunc).mapPartitions(
            sortPartition, True)

    def join(self, other, numPartitions=None):
        """(k, (v, w)) for every v of k here and w of k in other."""
        return python_join(self, other, numPartitions)

    def leftOuterJoin(self, other, numPartitions=None):
        return python_left_outer_join(self, other, numPartitions)

    def rightOuterJoin(self, other, numPartitions=None):
        return python_right_outer_join(self, other, numPartitions)

    def fullOuterJoin(self, other, numPartitions=None):
        return python_full_outer_join(self, other, numPartitions)

    def cogroup(self, other, numPartitions=None):
        """(k, (values here, values in other)) for every key."""
        return python_cogroup((self, other), numPartitions)

    def groupWith(self, other, *others):
        return python_cogroup((self, other) + others, numPartitions=None)

    def sampleByKey(self, withReplacement, fractions, seed=None):
        """A sample with a fraction per key."""
        from pyspark.rddsampler import RDDStratifiedSampler
        for fraction in fractions.values():
            if not fraction >= 0.0:
                raise ValueError("Invalid fraction value: %s" % fraction)
        return self.mapPartitionsWithIndex(
            RDDStratifiedSampler(withReplacement, fractions, seed).func, True)

    # ---- actions: each runs one or more jobs

    def collect(self):
        """All the elements, as a list (on the driver)."""
        return self._job(lambda: self._jrdd.collect())

    def toLocalIterator(self, prefetchPartitions=False):
        """The elements, one partition (one job) at a time."""
        for p in range(self.getNumPartitions()):
            yield from self._job(lambda: self._jrdd.collect([p]))

    def collectAsMap(self):
        return dict(self.collect())

    def take(self, num):
        """The first num elements (scanning as few partitions as it can)."""
        return self._job(lambda: self._jrdd.take(int(num)))

    def first(self):
        rs = self.take(1)
        if rs:
            return rs[0]
        raise ValueError("RDD is empty")

    def isEmpty(self):
        return self.getNumPartitions() == 0 or len(self.take(1)) == 0

    def count(self):
        """The number of elements."""
        return self._job(lambda: self._jrdd.count())

    def foreach(self, f):
        """f(x) for each element, in the workers (for its effects)."""
        def processPartition(iterator):
            for x in iterator:
                f(x)
            return iter([])
        self.mapPartitions(processPartition).count()

    def foreachPartition(self, f):
        def func(it):
            r = f(it)
            try:
                return iter(r)
            except TypeError:
                return iter([])
        self.mapPartitions(func).count()

    def reduce(self, f):
        """Merges the elements with f: in each partition, then on the
        driver. + runs in the engine."""
        self._check()
        done = self._job(lambda: self._jrdd.reduce(f))
        if done is not None:
            return done[0]

        def func(iterator):
            iterator = iter(iterator)
            try:
                initial = next(iterator)
            except StopIteration:
                return
            yield reduce(f, iterator, initial)
        vals = self.mapPartitions(func).collect()
        if vals:
            return reduce(f, vals)
        raise ValueError("Can not reduce() empty RDD")

    def treeReduce(self, f, depth=2):
        if depth < 1:
            raise ValueError("Depth cannot be smaller than 1 but got %d."
                             % depth)
        zeroValue = None, True      # (value, is this the zero?)

        def op(x, y):
            if x[1]:
                return y
            if y[1]:
                return x
            return f(x[0], y[0]), False
        reduced = self.map(lambda x: (x, False)).treeAggregate(
            zeroValue, op, op, depth)
        if reduced[1]:
            raise ValueError("Cannot reduce empty RDD.")
        return reduced[0]

    def fold(self, zeroValue, op):
        """Like reduce, from zeroValue in each partition and on the
        driver."""
        self._check()
        done = self._job(lambda: self._jrdd.reduce(op, zeroValue))
        if done is not None:
            return done[0]
        import copy             # only when the engine could not fold in C

        def func(iterator):
            acc = copy.deepcopy(zeroValue)      # each task its own zero
            for obj in iterator:
                acc = op(acc, obj)
            yield acc
        vals = self.mapPartitions(func).collect()
        return reduce(op, vals, zeroValue)

    def aggregate(self, zeroValue, seqOp, combOp):
        """seqOp folds each partition from zeroValue; combOp merges."""
        import copy
        def func(iterator):
            acc = copy.deepcopy(zeroValue)
            for obj in iterator:
                acc = seqOp(acc, obj)
            yield acc
        vals = self.mapPartitions(func).collect()
        return reduce(combOp, vals, zeroValue)

    def treeAggregate(self, zeroValue, seqOp, combOp, depth=2):
        """aggregate, with the partial results merged in a tree of
        shuffles when there are many."""
        import copy
        if depth < 1:
            raise ValueError("Depth cannot be smaller than 1 but got %d."
                             % depth)
        if self.getNumPartitions() == 0:
            return zeroValue

        def aggregatePartition(iterator):
            acc = copy.deepcopy(zeroValue)
            for obj in iterator:
                acc = seqOp(acc, obj)
            yield acc
        partial = self.mapPartitions(aggregatePartition)
        numPartitions = partial.getNumPartitions()
        scale = max(int(ceil(pow(numPartitions, 1.0 / depth))), 2)
        while numPartitions > scale + numPartitions / scale:
            numPartitions /= scale
            curNumPartitions = int(numPartitions)

            def mapPartition(i, iterator):
                for obj in iterator:
                    yield (i % curNumPartitions, obj)
            partial = (partial.mapPartitionsWithIndex(mapPartition)
                       .reduceByKey(combOp, curNumPartitions).values())
        return partial.fold(zeroValue, combOp)

    def max(self, key=None):
        if key is None:
            return self.reduce(max)
        return self.reduce(lambda a, b: max(a, b, key=key))

    def min(self, key=None):
        if key is None:
            return self.reduce(min)
        return self.reduce(lambda a, b: min(a, b, key=key))

    def sum(self):
        """The sum (0 + each element, in the engine)."""
        return self.fold(0, operator.add)

    def stats(self):
        """Count, mean, variance, max and min in one job."""
        def redFunc(left, right):
            return left.mergeStats(right)
        return self.mapPartitions(lambda i: [StatCounter(i)]).reduce(redFunc)

    def mean(self):
        return self.stats().mean()

    def variance(self):
        return self.stats().variance()

    def stdev(self):
        return self.stats().stdev()

    def sampleStdev(self):
        return self.stats().sampleStdev()

    def sampleVariance(self):
        return self.stats().sampleVariance()

    def histogram(self, buckets):
        """(buckets, counts): buckets a count (evenly spaced between min
        and max) or a sorted list; all but the last open to the right."""
        import bisect
        if isinstance(buckets, int):
            if buckets < 1:
                raise ValueError("number of buckets must be >= 1")

            def comparable(x):
                if x is None:
                    return False
                if type(x) is float and isnan(x):
                    return False
                return True
            filtered = self.filter(comparable)

            def minmax(a, b):
                return min(a[0], b[0]), max(a[1], b[1])
            try:
                minv, maxv = filtered.map(lambda x: (x, x)).reduce(minmax)
            except TypeError as e:
                if " empty " in str(e):
                    raise ValueError("can not generate buckets from empty "
                                     "RDD")
                raise
            if minv == maxv or buckets == 1:
                return [minv, maxv], [filtered.count()]
            try:
                inc = (maxv - minv) / buckets
            except TypeError:
                raise TypeError("Can not generate buckets with non-number "
                                "in RDD")
            if isinf(inc):
                raise ValueError("Can not generate buckets with infinite "
                                 "value")
            inc = int(inc)
            if inc * buckets != maxv - minv:
                inc = (maxv - minv) * 1.0 / buckets
            buckets = [i * inc + minv for i in range(buckets)]
            buckets.append(maxv)
            even = True
        elif isinstance(buckets, (list, tuple)):
            if len(buckets) < 2:
                raise ValueError("buckets should have more than one value")
            if any(i is None or isinstance(i, float) and isnan(i)
                   for i in buckets):
                raise ValueError("can not have None or NaN in buckets")
            if sorted(buckets) != list(buckets):
                raise ValueError("buckets should be sorted")
            if len(set(buckets)) != len(buckets):
                raise ValueError("buckets should not contain duplicated "
                                 "values")
            minv = buckets[0]
            maxv = buckets[-1]
            even = False
            inc = None
            try:
                steps = [buckets[i + 1] - buckets[i]
                         for i in range(len(buckets) - 1)]
            except TypeError:
                pass            # objects that cannot subtract
            else:
                if max(steps) - min(steps) < 1e-10:     # evenly spaced
                    even = True
                    inc = (maxv - minv) / (len(buckets) - 1)
        else:
            raise TypeError("buckets should be a list or tuple or number(int "
                            "or long)")

        def histogram(iterator):
            counters = [0] * len(buckets)
            for i in iterator:
                if (i is None or (isinstance(i, float) and isnan(i)) or
                        i > maxv or i < minv):
                    continue
                t = (int((i - minv) / inc) if even
                     else bisect.bisect_right(buckets, i) - 1)
                counters[t] += 1
            last = counters.pop()       # the last bucket is closed
            counters[-1] += last
            return [counters]

        def mergeCounters(a, b):
            return [i + j for i, j in zip(a, b)]
        return buckets, self.mapPartitions(histogram).reduce(mergeCounters)

    def countByValue(self):
        """{element: how many times}, a defaultdict(int)."""
        from collections import defaultdict
        def countPartition(iterator):
            counts = defaultdict(int)
            for obj in iterator:
                counts[obj] += 1
            yield counts

        def mergeMaps(m1, m2):
            for k, v in m2.items():
                m1[k] += v
            return m1
        return self.mapPartitions(countPartition).reduce(mergeMaps)

    def countByKey(self):
        return self.map(lambda x: x[0]).countByValue()

    def reduceByKeyLocally(self, func):
        """reduceByKey, merged on the driver into a dict."""
        def reducePartition(iterator):
            m = {}
            for k, v in iterator:
                m[k] = func(m[k], v) if k in m else v
            yield m

        def mergeMaps(m1, m2):
            for k, v in m2.items():
                m1[k] = func(m1[k], v) if k in m1 else v
            return m1
        return self.mapPartitions(reducePartition).reduce(mergeMaps)

    def top(self, num, key=None):
        """The num largest elements, largest first."""
        import heapq
        def topIterator(iterator):
            yield heapq.nlargest(num, iterator, key=key)

        def merge(a, b):
            return heapq.nlargest(num, a + b, key=key)
        return self.mapPartitions(topIterator).reduce(merge)

    def takeOrdered(self, num, key=None):
        """The num smallest elements (or by key), smallest first."""
        import heapq
        if num < 0:
            raise ValueError("top N cannot be negative.")
        if num == 0 or self.getNumPartitions() == 0:
            return []

        def merge(a, b):
            return heapq.nsmallest(num, a + b, key)
        return self.mapPartitions(
            lambda it: [heapq.nsmallest(num, it, key)]).reduce(merge)

    def takeSample(self, withReplacement, num, seed=None):
        """num random elements."""
        import random
        numStDev = 10.0
        if num < 0:
            raise ValueError("Sample size cannot be negative.")
        if num == 0:
            return []
        initialCount = self.count()
        if initialCount == 0:
            return []
        rand = random.Random(seed)
        if (not withReplacement) and num >= initialCount:
            samples = self.collect()
            rand.shuffle(samples)
            return samples
        maxSampleSize = sys.maxsize - int(numStDev * (sys.maxsize ** 0.5))
        if num > maxSampleSize:
            raise ValueError("Sample size cannot be greater than %d."
                             % maxSampleSize)
        fraction = RDD._computeFractionForSampleSize(num, initialCount,
                                                     withReplacement)
        samples = self.sample(withReplacement, fraction, seed).collect()
        while len(samples) < num:
            seed = rand.randint(0, sys.maxsize)
            samples = self.sample(withReplacement, fraction, seed).collect()
        rand.shuffle(samples)
        return samples[0:num]

    @staticmethod
    def _computeFractionForSampleSize(sampleSizeLowerBound, total,
                                      withReplacement):
        """A rate that yields at least the size asked 99.99% of the time."""
        from math import log, sqrt
        fraction = float(sampleSizeLowerBound) / total
        if withReplacement:
            numStDev = 5
            if sampleSizeLowerBound < 12:
                numStDev = 9
            return fraction + numStDev * sqrt(fraction / total)
        delta = 0.00005
        gamma = -log(delta) / total
        return min(1, fraction + gamma + sqrt(gamma * gamma +
                                              2 * gamma * fraction))

    def lookup(self, key):
        """The values of key."""
        values = self.filter(lambda kv: kv[0] == key).values()
        if self.partitioner is not None:
            return self.ctx.runJob(values, lambda x: x,
                                   [self.partitioner(key)])
        return values.collect()

    def countApprox(self, timeout, confidence=0.95):
        return int(self.count())

    def sumApprox(self, timeout, confidence=0.95):
        return float(self.sum())

    def meanApprox(self, timeout, confidence=0.95):
        return float(self.mean())

    def countApproxDistinct(self, relativeSD=0.05):
        """The number of distinct elements (counted exactly here)."""
        if relativeSD < 0.000017:
            raise ValueError("relativeSD should be greater than 0.000017")
        return self.distinct().count()

    def saveAsTextFile(self, path, compressionCodecClass=None):
        """One part-NNNNN file per partition, str() of each element per
        line, in a new directory (refused if it exists)."""
        if "://" in path and not path.startswith("file://"):
            raise ValueError("%s: only local paths here (no HDFS or S3 on "
                             "this machine); try saveAsTextFile(\"out\")"
                             % path)
        if compressionCodecClass:
            raise ValueError("pardemo writes plain text only (no %s)"
                             % compressionCodecClass)
        if path.startswith("file://"):
            path = path[len("file://"):]

        def func(_, iterator):
            for x in iterator:
                if isinstance(x, bytes):
                    yield x.decode("utf-8", "surrogateescape")
                elif isinstance(x, str):
                    yield x
                else:
                    yield str(x)
        lines = PipelinedRDD(self, func, True, "saveAsTextFile")
        lines._job(lambda: lines._jrdd.save(path))

    def saveAsPickleFile(self, path, batchSize=10):
        """Saved as pickled batches (read back with sc.pickleFile)."""
        import base64
        import pickle

        def func(iterator):
            batch = []
            for x in iterator:
                batch.append(x)
                if len(batch) == batchSize:
                    yield base64.b64encode(pickle.dumps(batch)).decode()
                    batch = []
            if batch:
                yield base64.b64encode(pickle.dumps(batch)).decode()
        self.mapPartitions(func).saveAsTextFile(path)


class PipelinedRDD(RDD):
    """Python steps chained into one function per stage: PySpark's
    PipelinedRDD. Its engine node (a PythonRDD) is made when needed."""

    def __init__(self, prev, func, preservesPartitioning=False,
                 what="mapPartitions"):
        if not isinstance(prev, PipelinedRDD) or not prev._is_pipelinable():
            self.func = func
            self._prev = prev
            self._what = what
        else:
            prev_func = prev.func

            def pipeline_func(split, iterator):
                return func(split, prev_func(split, iterator))
            self.func = pipeline_func
            self._prev = prev._prev
            self._what = (prev._what + "+" + what)[-60:]
        RDD.__init__(self, None, prev.ctx, prev._errors)
        self._depth = _depth_of(self._prev)
        self._at = _callsite()
        self.preservesPartitioning = preservesPartitioning
        self.partitioner = prev.partitioner if preservesPartitioning else None

    @property
    def _jrdd(self):
        if self._jrdd_val is None:
            self._jrdd_val = self._prev._jrdd.pipe(self.func, self._what,
                                                   self._at)
        return self._jrdd_val

    @classmethod
    def _ran_in_c(cls, prev, node, preservesPartitioning):
        """A step the engine runs in C (node), still a PipelinedRDD, as
        map and filter make in PySpark; Python steps after it chain from
        it, not into it."""
        rdd = cls.__new__(cls)
        RDD.__init__(rdd, node, prev.ctx, prev._errors)
        rdd._depth = _depth_of(prev)
        rdd.func = None
        rdd._prev = prev
        rdd._what = "map"
        rdd._at = None
        rdd.preservesPartitioning = preservesPartitioning
        rdd.partitioner = prev.partitioner if preservesPartitioning else None
        return rdd

    def _is_pipelinable(self):
        return self.func is not None and not (
            self.is_cached or self.is_checkpointed or
            self.has_resource_profile)
