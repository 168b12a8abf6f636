"""How a DataFrame's plan runs: stages of C loops, shuffles between.

execute(plan) walks the plan bottom up and builds the engine's RDDs. A
Pipe is a stage being built: the RDD it reads, how its loop reads a
record (a CSV line, a row, an aggregation buffer), and the steps fused
so far (filters, projections). An operator that needs all the rows of a
key together -- groupBy, orderBy, a join of two big sides -- finishes
the Pipe with a sink (partial aggregation, sort keys) and starts the
next one after a shuffle. Nothing runs until an action collects the
last RDD; then the engine runs the stages (lib/rdd/sched.c).
"""
import os

import _pardemo_sql
from pyspark.rdd import RDD, _callsite
from pyspark.sql.expressions import (BoundRef, cast_to, comparable_type,
                                     is_c_type, type_code as _code)
from pyspark.sql.plan import (Aggregate, FileScan, Filter, Join, Limit,
                              LocalScan, Project, RddScan, Sort,
                              SubqueryAlias, Union, SPARK_PARTITIONS)
from pyspark.sql.types import LongType, IntegerType

_OPEN_COST = 4 * 1024 * 1024        # spark.sql.files.openCostInBytes
_MAX_SPLIT = 128 * 1024 * 1024      # spark.sql.files.maxPartitionBytes


class Execution:
    """One action's run: the session, and what its stages need."""

    def __init__(self, session):
        self.session = session
        self.sc = session._sc
        self.engine = self.sc._engine_live()
        self.is_fast = self.sc._is_fast
        conf = self.sc._conf.get("spark.sql.shuffle.partitions")
        self.nparts = int(conf) if conf else self.sc.defaultParallelism
        # Spark's adaptive execution coalesces a small shuffle (under 64
        # MB) into one partition: an aggregation's partial results always
        # are, so its rows come out in the order Spark's do
        self.agg_parts = int(conf) if conf else 1
        self.at = _callsite()

    def rdd(self, jrdd):
        return RDD(jrdd, self.sc)


class Pipe:
    """A stage being built (see the module's text)."""

    def __init__(self, ex, jrdd, source, layout, **parts):
        self.ex = ex
        self.jrdd = jrdd
        self.spec = dict(source=source, **parts)
        self.steps = []
        self.layout = list(layout)
        self.what = []

    def _python(self, func, what):
        """A step in Python: the C part so far becomes an RDD, the rows
        go through func(iterator) in the workers, and a new C part
        starts after it."""
        jrdd = self.finish()
        self.jrdd = jrdd.pipe(lambda _, it: func(it), what, self.ex.at)
        self.spec = {"source": "rows"}
        self.steps, self.what = [], []

    def filter(self, cond):
        prog = cond.to_c() if self.ex.is_fast else None
        if prog is not None:
            self.steps.append(("filter", prog))
            self.what.append("Filter")
        else:
            self._python(lambda it: (r for r in it if cond.eval(r) is True),
                         "Filter (Python)")

    def project(self, exprs, layout=None):
        progs = [e.to_c() for e in exprs] if self.ex.is_fast else [None]
        if all(p is not None for p in progs):
            self.steps.append(("project", progs))
            self.what.append("Project")
        else:
            self._python(lambda it: (tuple(e.eval(r) for e in exprs)
                                     for r in it), "Project (Python)")
        if layout is not None:
            self.layout = list(layout)

    def limit(self, n):
        self.steps.append(("limit", n))
        self.what.append("LocalLimit")

    def finish(self, sink="emit", **parts):
        """The stage as an engine RDD: its loop ends in sink."""
        if self.spec["source"] == "rows" and not self.steps and \
                sink == "emit" and not parts:
            return self.jrdd            # nothing to fuse
        spec = dict(self.spec, steps=self.steps, sink=sink, **parts)
        what = "+".join(self.what + ([sink] if sink != "emit" else [])) \
            or self.spec["source"]
        return _pardemo_sql.stage(self.jrdd, spec, "WholeStageCodegen " +
                                  what, self.ex.at)


def execute(plan, ex):
    """The Pipe whose rows are plan's output. A cached DataFrame's rows
    are kept by the engine the first time they are computed."""
    cached = getattr(plan, "cache_rdd", None)
    if cached is not None:
        return Pipe(ex, cached, "rows", plan.output)
    for cls, run in _RUNS:
        if isinstance(plan, cls):
            pipe = run(plan, ex)
            break
    else:
        raise NotImplementedError(type(plan).__name__)
    if getattr(plan, "is_cached", False):
        plan.cache_rdd = pipe.finish()
        plan.cache_rdd.cache(True)
        return Pipe(ex, plan.cache_rdd, "rows", plan.output)
    return pipe


def _local(plan, ex):
    # parallelize slices the list as PySpark's createDataFrame does
    rdd = ex.sc.parallelize(plan.rows)
    return Pipe(ex, rdd._jrdd, "rows", plan.output)


def _rdd(plan, ex):
    return Pipe(ex, plan.rdd._jrdd, "text" if plan.is_values else "rows",
                plan.output)


def file_partitions(files, parallelism, conf=None):
    """Spark's split size for files (FilePartition.maxSplitBytes): the
    bytes, plus 4 MB per file, shared among the cores, at least 4 MB and
    at most 128 MB a split; the files cut in pieces of that size."""
    get = (conf.get if conf is not None else lambda k, d: d)
    cost = int(get("spark.sql.files.openCostInBytes", _OPEN_COST))
    most = int(get("spark.sql.files.maxPartitionBytes", _MAX_SPLIT))
    sizes = [os.path.getsize(f) for f in files]
    per_core = (sum(sizes) + cost * len(sizes)) // max(1, parallelism)
    split = max(1, min(most, max(cost, per_core)))
    return max(1, sum(-(-s // split) for s in sizes))


def _file(plan, ex):
    n = file_partitions(plan.files, ex.sc.defaultParallelism, ex.sc._conf)
    jrdd = ex.engine.text_files(plan.files, plan.shown, n, ex.at)
    if plan.fmt == "csv":
        return Pipe(ex, jrdd, "csv", plan.output, csv=plan.csv)
    return Pipe(ex, jrdd, "text", plan.output)


def _project(plan, ex):
    pipe = execute(plan.children[0], ex)
    pipe.project(plan.exprs, plan.output)
    return pipe


def _filter(plan, ex):
    pipe = execute(plan.children[0], ex)
    pipe.filter(plan.cond)
    return pipe


def _alias(plan, ex):
    pipe = execute(plan.children[0], ex)
    pipe.layout = list(plan.output)
    return pipe


def _limit(plan, ex):
    """LocalLimit in each task, then the first n rows (a job: the engine's
    take reads as few partitions as it can), one partition from there."""
    pipe = execute(plan.children[0], ex)
    pipe.limit(plan.n)
    rows = ex.rdd(pipe.finish()).take(plan.n)
    return Pipe(ex, ex.sc.parallelize(rows, 1)._jrdd, "rows", plan.output)


def _union(plan, ex):
    sides = []
    for child in plan.children:
        pipe = execute(child, ex)
        refs = [BoundRef(i, a) for i, a in enumerate(child.output)]
        if any(r.dataType != t for r, t in zip(refs, plan.types)):
            pipe.project([cast_to(r, t) for r, t in zip(refs, plan.types)])
        sides.append(pipe.finish())
    jrdd = sides[0].binary("union", sides[1], ex.at)
    return Pipe(ex, jrdd, "rows", plan.output)


def _sort_cols(pipe, orders):
    """The sort's columns: an order by an expression adds a column."""
    cols, extra = [], []
    for o in orders:
        e = o.children[0]
        if isinstance(e, BoundRef):
            col = e.index
        else:
            col = len(pipe.layout) + len(extra)
            extra.append(e)
        cols.append((col, e.dataType.c_code if is_c_type(e.dataType) else
                     IntegerType().c_code, not o.ascending, o.nulls_first))
    if extra:
        refs = [BoundRef(i, a) for i, a in enumerate(pipe.layout)]
        pipe.project(refs + extra)
    return cols, bool(extra)


def _sort(plan, ex):
    """A range-partitioned shuffle of (sort key, row) records: the
    engine samples the keys for the ranges, each partition is sorted,
    and partition i's rows all come before partition i+1's."""
    pipe = execute(plan.children[0], ex)
    ncols = len(pipe.layout)
    cols, has_extra = _sort_cols(pipe, plan.orders)
    keyed = pipe.finish("sort_keys", sort=cols)
    jrdd = _pardemo_sql.exchange(keyed, "range", ex.nparts, None, ex.at)
    out = Pipe(ex, jrdd, "sorted", plan.output)
    if has_extra:
        out.project([BoundRef(i, a) for i, a in
                     enumerate(plan.output[:ncols])])
    return out


def agg_spec(plan, nparts):
    """lib/sql's struct sql_agg: keys in columns 0..k-1, each function's
    input in the column after."""
    fns, col = [], len(plan.keys)
    for a in plan.aggs:
        if a.children:
            fns.append((a.c_kind(), col, _code(a.children[0].dataType),
                        _code(a.dataType)))
            col += 1
        else:
            fns.append(("count_all", -1, 0, LongType().c_code))
    return {"keys": list(range(len(plan.keys))),
            "key_types": [_code(k.dataType) for k in plan.keys],
            "fns": fns, "nparts": nparts if plan.keys else 1}


def _aggregate(plan, ex):
    """Spark's two HashAggregates around an Exchange: partial aggregation
    in each task (one buffer per key), a hash-partitioned shuffle of the
    buffers, then the final merge and the output columns."""
    pipe = execute(plan.children[0], ex)
    pipe.project(list(plan.keys) + [a.children[0] for a in plan.aggs
                                    if a.children])
    spec = agg_spec(plan, ex.agg_parts)
    partial = pipe.finish("partial_agg", agg=spec)
    shuffled = _pardemo_sql.exchange(partial, "hash", spec["nparts"], spec,
                                     ex.at)
    out = Pipe(ex, shuffled, "agg", plan.layout, agg=spec)
    out.project(plan.final, plan.output)
    return out


def _key_columns(pipe, keys, types):
    """The join keys' columns, cast where the two sides' types differ."""
    cols, extra = [], []
    for k, t in zip(keys, types):
        if k.dataType == t:
            cols.append(k.index)
        else:
            cols.append(len(pipe.layout) + len(extra))
            extra.append(cast_to(k, t))
    if extra:
        refs = [BoundRef(i, a) for i, a in enumerate(pipe.layout)]
        pipe.project(refs + extra)
    return cols


def join_spec(plan, lcols, rcols, types):
    return {"how": plan.how, "left_keys": lcols, "right_keys": rcols,
            "key_types": [_code(t) for t in types], "out": plan.mapping,
            "build_left": False}


def _join(plan, ex):
    """A broadcast hash join when one side is small (it is collected and
    every task of the other side looks its rows up), else a sort-merge
    join: both sides shuffled into key order and merged."""
    types = [comparable_type(a.dataType, b.dataType)
             for a, b in zip(plan.lkeys, plan.rkeys)]
    build = plan.build_side(ex.session)
    left, right = (execute(c, ex) for c in plan.children)
    lcols = _key_columns(left, plan.lkeys, types)
    rcols = _key_columns(right, plan.rkeys, types)
    spec = join_spec(plan, lcols, rcols, types)
    if build is not None:
        held, streamed = (left, right) if build == "left" else (right, left)
        spec["build_left"] = build == "left"
        spec["build"] = ex.rdd(held.finish()).collect()
        streamed.steps.append(("probe", spec))
        streamed.what.append("BroadcastHashJoin")
        out = streamed
    else:
        sides = []
        for side, (pipe, cols) in enumerate(((left, lcols), (right, rcols))):
            sort = [(c, t, False, True) for c, t in
                    zip(cols, spec["key_types"])]
            sides.append(pipe.finish("join_keys", sort=sort, side=side,
                                     join=spec))
        both = sides[0].binary("union", sides[1], ex.at)
        n = ex.nparts if types else 1
        jrdd = _pardemo_sql.exchange(both, "range", n, None, ex.at)
        out = Pipe(ex, jrdd, "join", plan.output, join=spec, sort=[])
    out.layout = list(plan.output)
    if plan.extra is not None:
        out.filter(plan.extra)
    return out


_RUNS = [(LocalScan, _local), (RddScan, _rdd), (FileScan, _file),
         (Project, _project), (Filter, _filter), (SubqueryAlias, _alias),
         (Limit, _limit), (Union, _union), (Sort, _sort),
         (Aggregate, _aggregate), (Join, _join)]


def run_rows(plan, session):
    """The plan's rows (internal tuples), collected: one action."""
    ex = Execution(session)
    return ex.rdd(execute(plan, ex).finish()).collect()


def run_count(plan, session):
    """How many rows: each task counts its own, the driver adds."""
    ex = Execution(session)
    return sum(ex.rdd(execute(plan, ex).finish("count")).collect())


def run_rdd(plan, session):
    """The plan's rows as an RDD of internal tuples (nothing runs)."""
    ex = Execution(session)
    return ex.rdd(execute(plan, ex).finish())
