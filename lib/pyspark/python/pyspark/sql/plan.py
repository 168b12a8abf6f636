"""A DataFrame's plan, and how it runs on the engine.

A DataFrame is a plan (a tree of operators: scan a CSV, filter, project,
aggregate...), not data. Each operator is checked when it is made -- its
columns resolved, its types worked out -- but nothing runs until an
action (show, collect, count) asks. Then the plan becomes stages of the
engine, cut at the shuffles, as Spark cuts its physical plan:

  - narrow operators (scan, filter, project, a broadcast join's lookup)
    fuse into one C loop per partition: a stage (lib/sql/stage.c);
  - groupBy, orderBy, distinct and a join of two big sides end a stage
    with a shuffle (an Exchange in Spark's plans): hash partitioning for
    aggregates, range partitioning for sorts;
  - an expression C cannot evaluate (a string function, your UDF) runs
    in Python in the worker processes, between two C parts.

explain() prints the physical plan Spark would show, and which engine
stage runs each part. Read execute(), then Aggregate.run().
"""
import os

import _pardemo_sql
from pyspark.rdd import RDD, _callsite
from pyspark.sql.expressions import (
    Agg, Alias, Attribute, BoundRef, Cast, Star, analysis_error, cast_to,
    comparable_type, common_type, is_c_type, quote)
from pyspark.sql.types import (
    LongType, IntegerType, StringType, DoubleType, BooleanType, DateType,
    TimestampType, ArrayType, MapType, StructType, StructField, NullType,
    ByteType, ShortType, FloatType)

SPARK_PARTITIONS = 200          # spark.sql.shuffle.partitions' default
BROADCAST_BYTES = 10 * 1024 * 1024  # spark.sql.autoBroadcastJoinThreshold


# ---- resolving names (Spark's analyzer)

def _levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1,
                           prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _parts(name):
    """`a.b` is one part; a.b is two (a DataFrame alias, then a column)."""
    if name.startswith("`") and name.endswith("`") and len(name) > 1:
        return [name[1:-1].replace("``", "`")]
    return name.split(".") if "." in name else [name]


class Unresolved(Exception):
    """A name no input column has (the operator adds its plan text)."""

    def __init__(self, name, inputs):
        super().__init__(name)
        self.name = name
        self.inputs = inputs

    def exception(self, plan_text):
        """Spark 3.5's CheckAnalysis error: the 5 nearest names (by edit
        distance, with their backticks), then the plan."""
        names = [quote(a.qualifier) + "." + quote(a.name) if a.qualifier
                 else quote(a.name) for a in self.inputs]
        if len({a.qualifier for a in self.inputs}) == 1:
            names = [quote(a.name) for a in self.inputs]
        names.sort(key=lambda n: _levenshtein(n, self.name))
        shown = ".".join(quote(p) for p in _parts(self.name))
        if names:
            msg = ("A column or function parameter with name %s cannot be "
                   "resolved. Did you mean one of the following? [%s]."
                   % (shown, ", ".join(names[:5])))
            kind = "UNRESOLVED_COLUMN.WITH_SUGGESTION"
        else:
            msg = ("A column or function parameter with name %s cannot be "
                   "resolved." % shown)
            kind = "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION"
        return analysis_error(kind, msg + ";\n" + plan_text)


def resolve_name(name, inputs, attr_id=None):
    """The position in inputs of the column `name` names: by id for
    df["x"] (the column of that DataFrame), else by name, ignoring case
    as Spark does (spark.sql.caseSensitive is false)."""
    if attr_id is not None:
        for i, a in enumerate(inputs):
            if a.id == attr_id:
                return i
    parts = [p.lower() for p in _parts(name)]
    found = [i for i, a in enumerate(inputs) if a.name.lower() == parts[-1]
             and (len(parts) == 1 or (a.qualifier or "").lower() ==
                  parts[0])]
    if len(found) > 1:
        raise analysis_error(
            "AMBIGUOUS_REFERENCE", "Reference %s is ambiguous, could be: "
            "[%s]." % (quote(name), ", ".join(
                (quote(inputs[i].qualifier) + "." if inputs[i].qualifier
                 else "") + quote(inputs[i].name) for i in found)))
    if not found:
        raise Unresolved(name, inputs)
    return found[0]


def bind(exprs, plan, op_text):
    """exprs resolved against plan's output; an unknown name raises
    Spark's AnalysisException, naming the operator ('Project ['Valu])."""
    try:
        return [e.resolve(plan.output) for e in exprs]
    except Unresolved as u:
        raise u.exception("'%s\n+- %s" % (op_text, plan.tree().replace(
            "\n", "\n   "))) from None


def output_of(exprs):
    """The columns a projection makes: a column passed through keeps its
    id; anything else is a new column named as Spark names it."""
    out = []
    for e in exprs:
        if isinstance(e, BoundRef):
            out.append(e.attr)
        else:
            out.append(Attribute(e.name(), e.dataType, e.nullable))
    return out


def row_bytes(attrs):
    """Spark's estimate of a row's size (EstimationUtils.getSizePerRow)."""
    size = {LongType: 8, IntegerType: 4, DoubleType: 8, FloatType: 4,
            BooleanType: 1, DateType: 4, TimestampType: 8, ShortType: 2,
            ByteType: 1, StringType: 20, NullType: 1}
    return 8 + sum(size.get(type(a.dataType), 20) for a in attrs)


# ---- the operators

class Plan:
    """An operator of a logical plan. output: its columns."""

    children = ()
    output = ()

    def tree(self):
        """The analyzed plan, as Spark prints it in errors."""
        text = self.describe()
        for c in self.children:
            text += "\n+- " + c.tree().replace("\n", "\n   ")
        return text

    def describe(self):
        return type(self).__name__

    def cols(self):
        return ", ".join(a.sql() for a in self.output)

    def size(self):
        """Spark's estimate of the bytes it holds (for broadcast joins)."""
        child = self.children[0]
        return child.size() * row_bytes(self.output) // max(
            1, row_bytes(child.output))


class LocalScan(Plan):
    """spark.createDataFrame(list): rows held by the driver."""

    def __init__(self, rows, output):
        self.rows = rows
        self.output = output

    def describe(self):
        return "LogicalRDD [%s], false" % self.cols()

    def size(self):
        return row_bytes(self.output) * max(1, len(self.rows))


class RddScan(Plan):
    """createDataFrame(rdd), spark.range(): an RDD of rows."""

    def __init__(self, rdd, output, is_values=False, estimate=None):
        self.rdd = rdd              # an RDD of internal tuples (or values)
        self.output = output
        self.is_values = is_values  # each record one value, not a tuple
        self.estimate = estimate

    def describe(self):
        if self.is_values and self.estimate is not None:
            return "Range (%s)" % self.cols()
        return "LogicalRDD [%s], false" % self.cols()

    def size(self):
        return self.estimate if self.estimate is not None else 2 ** 63 - 1


class FileScan(Plan):
    """spark.read.csv / text: files, read by the engine's textFile."""

    def __init__(self, fmt, files, shown, output, csv=None):
        self.fmt = fmt              # "csv" or "text"
        self.files = files
        self.shown = shown
        self.output = output
        self.csv = csv              # the parser's options (lib/sql)

    def describe(self):
        return "Relation [%s] %s" % (",".join(a.sql() for a in self.output),
                                     self.fmt)

    def size(self):
        return sum(os.path.getsize(f) for f in self.files) or 1


class Project(Plan):
    def __init__(self, exprs, child):
        self.children = [child]
        self.exprs = exprs
        self.output = output_of(exprs)

    def describe(self):
        return "Project [%s]" % ", ".join(e.text(True) for e in self.exprs)


class Filter(Plan):
    def __init__(self, cond, child):
        self.children = [child]
        self.cond = cond
        self.output = child.output

    def describe(self):
        return "Filter %s" % self.cond.text(True)


class SubqueryAlias(Plan):
    """df.alias("a"): the columns can be named a.x."""

    def __init__(self, alias, child):
        self.children = [child]
        self.alias = alias
        self.output = [a.with_qualifier(alias) for a in child.output]

    def describe(self):
        return "SubqueryAlias %s" % self.alias


class Limit(Plan):
    def __init__(self, n, child):
        self.children = [child]
        self.n = n
        self.output = child.output

    def describe(self):
        return "GlobalLimit %d" % self.n

    def size(self):
        return row_bytes(self.output) * max(1, self.n)


class Union(Plan):
    """union: by position; each column the type both sides fit."""

    def __init__(self, left, right):
        if len(left.output) != len(right.output):
            raise analysis_error(
                "NUM_COLUMNS_MISMATCH", "UNION can only be performed on "
                "inputs with the same number of columns, but the first input "
                "has %d columns and the second input has %d columns."
                % (len(left.output), len(right.output)))
        self.children = [left, right]
        self.types = [common_type(a.dataType, b.dataType, a)
                      for a, b in zip(left.output, right.output)]
        self.output = [Attribute(a.name, t, a.nullable or b.nullable)
                       for a, b, t in zip(left.output, right.output,
                                          self.types)]

    def size(self):
        return sum(c.size() for c in self.children)


class Sort(Plan):
    def __init__(self, orders, child):
        self.children = [child]
        self.orders = orders
        self.output = child.output

    def describe(self):
        return "Sort [%s], true" % ", ".join(o.text(True)
                                             for o in self.orders)


def _same(a, b):
    return a.text(True) == b.text(True)


class Aggregate(Plan):
    """groupBy(keys).agg(...): the output columns are expressions of the
    keys and of aggregate functions (sum, count...)."""

    def __init__(self, keys, exprs, child):
        self.children = [child]
        self.keys = keys
        self.exprs = exprs
        self.aggs = []
        for e in exprs:
            for x in e.walk():
                if isinstance(x, Agg) and not any(_same(x, a)
                                                  for a in self.aggs):
                    self.aggs.append(x)
        self.layout = [Attribute(k.name(), k.dataType, k.nullable)
                       for k in keys] + \
            [Attribute(a.name(), a.dataType, a.nullable) for a in self.aggs]
        self.final = [self._over_layout(e) for e in exprs]
        self.output = [e.attr if isinstance(e, BoundRef) and
                       any(_same(e, k) for k in keys) else a
                       for e, a in zip(exprs, output_of(exprs))]

    def _over_layout(self, e):
        """e with keys and aggregates replaced by the aggregation's
        output columns: (keys..., results...)."""
        for i, k in enumerate(self.keys):
            if _same(e, k):
                return BoundRef(i, self.layout[i])
        if isinstance(e, Agg):
            i = next(i for i, a in enumerate(self.aggs) if _same(a, e))
            return BoundRef(len(self.keys) + i,
                            self.layout[len(self.keys) + i])
        if isinstance(e, BoundRef):
            raise analysis_error(
                "MISSING_AGGREGATION", "The non-aggregating expression \"%s\""
                " is based on columns which are not participating in the "
                "GROUP BY clause.\nAdd the columns or the expression to the "
                "GROUP BY, aggregate the expression, or use \"any_value(%s)\""
                " if you do not care which of the values within a group is "
                "returned." % (e.name(), e.name()))
        return e._with([self._over_layout(c) for c in e.children])

    def describe(self):
        return "Aggregate [%s], [%s]" % (
            ", ".join(k.text(True) for k in self.keys),
            ", ".join(e.text(True) for e in self.exprs))

    def size(self):
        if not self.keys:
            return row_bytes(self.output)
        return Plan.size(self)


class Join(Plan):
    """An equi-join: left.keys[i] = right.keys[i]. using: the key names of
    join(other, "name"), which appear once in the output."""

    def __init__(self, left, right, how, lkeys, rkeys, using, extra=None):
        self.children = [left, right]
        self.how = how
        self.lkeys = lkeys              # resolved against left.output
        self.rkeys = rkeys
        self.using = using
        self.extra = extra              # a condition left over (inner)
        self.output, self.mapping = self._columns()

    def _columns(self):
        left, right = self.children
        lnull = self.how in ("right", "full")
        rnull = self.how in ("left", "full")
        out, mapping = [], []
        key_l = {k.index for k in self.lkeys} if self.using else set()
        key_r = {k.index for k in self.rkeys} if self.using else set()
        for lk, rk in (zip(self.lkeys, self.rkeys) if self.using else ()):
            src = {"right": 1, "full": 2}.get(self.how, 0)
            a = (rk if src == 1 else lk).attr
            out.append(a if src != 2 else Attribute(a.name, a.dataType))
            mapping.append((src, lk.index, rk.index))
        for i, a in enumerate(left.output):
            if i not in key_l:
                out.append(Attribute(a.name, a.dataType, True, a.qualifier,
                                     a.id) if lnull else a)
                mapping.append((0, i, 0))
        if self.how not in ("semi", "anti"):
            for i, a in enumerate(right.output):
                if i not in key_r:
                    out.append(Attribute(a.name, a.dataType, True,
                                         a.qualifier, a.id) if rnull else a)
                    mapping.append((1, 0, i))
        return out, mapping

    def describe(self):
        return "Join %s, (%s)" % (
            {"inner": "Inner", "left": "LeftOuter", "right": "RightOuter",
             "full": "FullOuter", "semi": "LeftSemi", "anti": "LeftAnti",
             "cross": "Cross"}[self.how],
            " AND ".join("(%s = %s)" % (a.text(True), b.text(True))
                         for a, b in zip(self.lkeys, self.rkeys)))

    def build_side(self, session):
        """Which side a broadcast hash join would hold ("left" or
        "right"), or None for a sort-merge join (Spark's JoinSelection:
        a side under spark.sql.autoBroadcastJoinThreshold bytes)."""
        limit = int(session.conf.get("spark.sql.autoBroadcastJoinThreshold",
                                     BROADCAST_BYTES))
        left, right = (c.size() for c in self.children)
        can_left = self.how in ("inner", "right", "cross") and \
            0 <= left <= limit
        can_right = self.how in ("inner", "left", "semi", "anti", "cross") \
            and 0 <= right <= limit
        if can_left and can_right:
            return "right" if right <= left else "left"
        return "right" if can_right else "left" if can_left else None

    def size(self):
        if self.how in ("semi", "anti"):
            return self.children[0].size()
        return self.children[0].size() * self.children[1].size()
