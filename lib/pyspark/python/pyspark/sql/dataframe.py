"""DataFrame: a table of named, typed columns, PySpark's.

A DataFrame holds a plan (pyspark/sql/plan.py), not rows. Each method
here returns a new DataFrame with one more operator on top -- checked at
once: a column that does not exist raises AnalysisException now, as in
Spark -- until an action (show, collect, count, first...) runs the plan
as stages of the engine (pyspark/sql/execution.py). explain() shows them.
"""
import math

from pyspark.errors import (AnalysisException, IllegalArgumentException,
                            PySparkAttributeError, PySparkTypeError,
                            PySparkValueError)
from pyspark.sql import expressions as E
from pyspark.sql.column import Column, _expr, _to_expr
from pyspark.sql.execution import run_count, run_rdd, run_rows
from pyspark.sql.plan import (Aggregate, Filter, Join, Limit, Project, Sort,
                              SubqueryAlias, Union, bind, resolve_name,
                              Unresolved)
from pyspark.sql.types import (BooleanType, DoubleType, FloatType,
                               NumericType, StringType, StructField,
                               StructType)

__all__ = ["DataFrame"]

_JOIN_TYPES = {
    "inner": "inner", "cross": "cross", "outer": "full", "full": "full",
    "fullouter": "full", "full_outer": "full", "left": "left",
    "leftouter": "left", "left_outer": "left", "right": "right",
    "rightouter": "right", "right_outer": "right", "semi": "semi",
    "leftsemi": "semi", "left_semi": "semi", "anti": "anti",
    "leftanti": "anti", "left_anti": "anti",
}


def _flat(cols):
    """f(["a", "b"]) is f("a", "b"), as in PySpark."""
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        return list(cols[0])
    return list(cols)


def _op_text(name, exprs):
    return "%s [%s]" % (name, ", ".join("'" + e.text(False) for e in exprs))


class DataFrame:
    """A distributed collection of rows under named columns."""

    def __init__(self, plan, session):
        self._plan = plan
        self.sparkSession = session
        self._sc = session._sc
        self.is_cached = False

    def _with(self, plan):
        return DataFrame(plan, self.sparkSession)

    # ---- the schema

    @property
    def schema(self):
        """The columns as a StructType."""
        return StructType([StructField(a.name, a.dataType, a.nullable)
                           for a in self._plan.output])

    @property
    def columns(self):
        return [a.name for a in self._plan.output]

    @property
    def dtypes(self):
        return [(a.name, a.dataType.simpleString())
                for a in self._plan.output]

    def printSchema(self, level=None):
        print(self.schema.treeString(level))

    def __repr__(self):
        return "DataFrame[%s]" % ", ".join("%s: %s" % c for c in self.dtypes)

    # ---- columns as attributes: df.Value, df["Value"]

    def __getitem__(self, item):
        if isinstance(item, str):
            return Column(E.ColumnRef(item, self._attr(item).id)) \
                if item != "*" else Column(E.Star())
        if isinstance(item, Column):
            return self.filter(item)
        if isinstance(item, (list, tuple)):
            return self.select(*item)
        if isinstance(item, int):
            a = self._plan.output[item]
            return Column(E.ColumnRef(a.name, a.id))
        raise PySparkTypeError(error_class="NOT_COLUMN_OR_INT_OR_LIST_OR_STR"
                               "_OR_TUPLE",
                               message="[NOT_COLUMN_OR_INT_OR_LIST_OR_STR_OR_"
                               "TUPLE] Argument `item` should be a Column, "
                               "int, list, str or tuple, got %s."
                               % type(item).__name__)

    def __getattr__(self, name):
        if name.startswith("__") or name not in self.columns:
            raise PySparkAttributeError(
                error_class="ATTRIBUTE_NOT_SUPPORTED",
                message="[ATTRIBUTE_NOT_SUPPORTED] Attribute `%s` is not "
                        "supported." % name)
        return self[name]

    def _attr(self, name):
        """The column df["name"] names (Dataset.resolve): an unknown name
        lists every column."""
        try:
            return self._plan.output[resolve_name(name, self._plan.output)]
        except Unresolved:
            raise AnalysisException(
                "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function "
                "parameter with name %s cannot be resolved. Did you mean one "
                "of the following? [%s]." % (
                    E.quote(name), ", ".join(E.quote(c)
                                             for c in self.columns)),
                error_class="UNRESOLVED_COLUMN.WITH_SUGGESTION") from None

    # ---- actions: each runs jobs

    def collect(self):
        """All the rows, as a list of Row."""
        schema = self.schema
        return [schema.fromInternal(t) for t in run_rows(self._plan,
                                                         self.sparkSession)]

    def _internal(self, n):
        return run_rows(Limit(n, self._plan), self.sparkSession)

    def take(self, num):
        return self.limit(num).collect()

    def head(self, n=None):
        """The first row (None if there is none), or a list of n rows."""
        if n is None:
            rows = self.take(1)
            return rows[0] if rows else None
        return self.take(n)

    def first(self):
        return self.head()

    def tail(self, num):
        return self.collect()[-num:] if num else []

    def count(self):
        """How many rows: each task counts its own."""
        return run_count(self._plan, self.sparkSession)

    def isEmpty(self):
        return len(self._internal(1)) == 0

    def toLocalIterator(self, prefetchPartitions=False):
        return iter(self.collect())

    def foreach(self, f):
        self.rdd.foreach(f)

    def foreachPartition(self, f):
        self.rdd.foreachPartition(f)

    def show(self, n=20, truncate=True, vertical=False):
        """Prints the first n rows as Spark draws them; cells cut to 20
        characters unless truncate=False (or to truncate characters)."""
        import _pardemo_sql
        if not isinstance(n, int) or isinstance(n, bool):
            raise PySparkTypeError(error_class="NOT_INT",
                                   message="[NOT_INT] Argument `n` should be "
                                   "an int, got %s." % type(n).__name__)
        if not isinstance(vertical, bool):
            raise PySparkTypeError(error_class="NOT_BOOL",
                                   message="[NOT_BOOL] Argument `vertical` "
                                   "should be a bool, got %s."
                                   % type(vertical).__name__)
        if isinstance(truncate, bool):
            width = 20 if truncate else 0
        elif isinstance(truncate, int):
            width = truncate
        else:
            raise PySparkTypeError(
                error_class="NOT_BOOL",
                message="[NOT_BOOL] Argument `truncate` should be a bool, "
                        "got %s." % type(truncate).__name__)
        print(_pardemo_sql.show(*self._show_rows(n), n, width, vertical))

    def _show_rows(self, n):
        """The first n + 1 rows as show() takes them, with the types the
        C table knows (a nested value is written out here first)."""
        attrs = self._plan.output
        rows = self._internal(max(n, 0) + 1)
        codes = []
        for i, a in enumerate(attrs):
            if E.is_c_type(a.dataType):
                codes.append(a.dataType.c_code)
            else:
                codes.append(StringType().c_code)
                rows = [r[:i] + (E.cell_text(r[i], a.dataType, True),) +
                        r[i + 1:] for r in rows]
        return rows, [a.name for a in attrs], codes

    def describe(self, *cols):
        """count, mean, stddev, min and max of each column (numeric and
        string ones by default), as strings: one aggregation job."""
        from pyspark.sql import functions as F
        cols = _flat(cols)
        if not cols:
            cols = [f.name for f in self.schema.fields if isinstance(
                f.dataType, (NumericType, StringType))]
        stats = [("count", F.count), ("mean", F.avg), ("stddev", F.stddev),
                 ("min", F.min), ("max", F.max)]
        exprs = []
        for c in cols:
            numeric = F.col(c) if isinstance(
                self.schema[self._attr(c).name].dataType, NumericType) \
                else F.col(c).cast("double")
            exprs += [fn(numeric if name in ("mean", "stddev") else c)
                      for name, fn in stats]
        agg = self.agg(*exprs)
        row = run_rows(agg._plan, self.sparkSession)[0] if exprs else ()
        types = [a.dataType for a in agg._plan.output] if exprs else []
        data = [[name] + [E.cell_text(row[k * 5 + i], types[k * 5 + i])
                          for k in range(len(cols))]
                for i, (name, _) in enumerate(stats)]
        names = ["summary"] + [self._attr(c).name for c in cols]
        return self.sparkSession.createDataFrame(
            data, StructType([StructField(n, StringType()) for n in names]))

    def explain(self, extended=None, mode=None):
        """The physical plan, as Spark prints it, and the engine's stages
        it becomes."""
        from pyspark.sql.explain import explain_text
        if isinstance(extended, str):
            mode, extended = extended, None
        print(explain_text(self._plan, self.sparkSession,
                           bool(extended) or mode == "extended"))

    @property
    def rdd(self):
        """The rows as an RDD of Row (they become Python objects)."""
        from pyspark.rdd import RDD
        schema = self.schema
        rows = run_rdd(self._plan, self.sparkSession).map(schema.fromInternal)
        return RDD(rows._jrdd, self._sc)

    def toJSON(self, use_unicode=True):
        """The rows as JSON text, one object per row (nulls left out)."""
        import json
        fields = self.schema.fields

        def text(v, dt):
            if isinstance(dt, (DoubleType, FloatType)):
                return json.loads(E.java_double(v)) if math.isfinite(v) \
                    else E.java_double(v)
            return v if isinstance(v, (int, float, str, bool, list, dict)) \
                else str(v)

        def row_json(row):
            return json.dumps({f.name: text(v, f.dataType)
                               for f, v in zip(fields, row) if v is not None},
                              separators=(",", ":"), ensure_ascii=False)
        return self.rdd.map(row_json)

    def transform(self, func, *args, **kwargs):
        """func(df, *args): your own steps, chained."""
        result = func(self, *args, **kwargs)
        if not isinstance(result, DataFrame):
            raise PySparkTypeError(
                error_class="INVALID_RETURN_TYPE_FOR_TRANSFORM",
                message="[INVALID_RETURN_TYPE_FOR_TRANSFORM] Function "
                        "given to transform should return a DataFrame, got "
                        "%s." % type(result).__name__)
        return result

    def localCheckpoint(self, eager=True):
        return self.cache()

    checkpoint = localCheckpoint

    @property
    def write(self):
        """df.write.csv(path): the rows saved (pyspark/sql/readwriter.py)."""
        from pyspark.sql.readwriter import DataFrameWriter
        return DataFrameWriter(self)

    def toPandas(self):
        import pandas
        return pandas.DataFrame.from_records(self.collect(),
                                             columns=self.columns)

    # ---- persistence: the rows kept once computed

    def cache(self):
        self.is_cached = True
        self._plan.is_cached = True
        return self

    def persist(self, storageLevel=None):
        return self.cache()

    def unpersist(self, blocking=False):
        self.is_cached = False
        self._plan.is_cached = False
        self._plan.cache_rdd = None
        return self

    def coalesce(self, numPartitions):
        return self

    def repartition(self, numPartitions, *cols):
        return self

    # ---- transformations

    def _project(self, exprs, op="Project"):
        exprs = self._expand(exprs)
        resolved = bind(exprs, self._plan, _op_text(op, exprs))
        if any(e.has_agg() for e in resolved):
            return self._aggregate([], exprs)
        return self._with(Project(resolved, self._plan))

    def _expand(self, exprs):
        """* as every column (a.* as those of DataFrame alias a)."""
        out = []
        for e in exprs:
            if isinstance(e, E.Star):
                out += [E.ColumnRef(a.name, a.id) for a in self._plan.output]
            else:
                out.append(e)
        return out

    def select(self, *cols):
        """The columns (names or expressions) in a new DataFrame."""
        return self._project([_to_expr(c, "cols") for c in _flat(cols)])

    def selectExpr(self, *expr):
        """select() of SQL text: selectExpr("Value * 2 AS double")."""
        from pyspark.sql.parser import parse_expression
        return self._project([parse_expression(e) for e in _flat(expr)])

    def filter(self, condition):
        """The rows where condition is true (not false, not null)."""
        if isinstance(condition, str):
            from pyspark.sql.parser import parse_expression
            cond = parse_expression(condition)
        elif isinstance(condition, Column):
            cond = condition._expr
        else:
            raise PySparkTypeError(error_class="NOT_COLUMN_OR_STR",
                                   message_parameters={
                                       "arg_name": "condition",
                                       "arg_type": type(condition).__name__})
        resolved, = bind([cond], self._plan, "Filter " + cond.text(False))
        if not isinstance(resolved.dataType, (BooleanType, E.NullType)):
            raise E.analysis_error(
                "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
                "Cannot resolve \"%s\" due to data type mismatch: Filter "
                "expression \"%s\" of type \"%s\" is not a boolean."
                % (resolved.name(), resolved.name(),
                   resolved.dataType.sql()))
        return self._with(Filter(resolved, self._plan))

    where = filter

    def withColumn(self, colName, col):
        """A column added (or replaced, if colName exists)."""
        if not isinstance(col, Column):
            raise PySparkTypeError(error_class="NOT_COLUMN",
                                   message_parameters={
                                       "arg_name": "col",
                                       "arg_type": type(col).__name__})
        return self.withColumns({colName: col})

    def withColumns(self, *colsMap):
        new = dict(colsMap[0]) if colsMap else {}
        exprs, done = [], set()
        for a in self._plan.output:
            match = [k for k in new if k.lower() == a.name.lower()]
            if match:
                exprs.append(E.Alias(new[match[0]]._expr, match[0]))
                done.add(match[0])
            else:
                exprs.append(E.ColumnRef(a.name, a.id))
        exprs += [E.Alias(c._expr, k) for k, c in new.items()
                  if k not in done]
        return self._project(exprs)

    def withColumnRenamed(self, existing, new):
        """The column renamed; nothing happens if there is none."""
        return self.withColumnsRenamed({existing: new})

    def withColumnsRenamed(self, colsMap):
        exprs = []
        for a in self._plan.output:
            name = next((v for k, v in colsMap.items()
                         if k.lower() == a.name.lower()), None)
            ref = E.ColumnRef(a.name, a.id)
            exprs.append(E.Alias(ref, name) if name is not None else ref)
        return self._project(exprs)

    def drop(self, *cols):
        """The DataFrame without these columns (unknown names ignored)."""
        ids = set()
        for c in cols:
            if isinstance(c, Column):
                try:
                    ref, = bind([c._expr], self._plan, "Drop")
                except AnalysisException as e:
                    if "AMBIGUOUS" in str(e):
                        raise
                    continue                # Spark drops nothing then
                if isinstance(ref, E.BoundRef):
                    ids.add(ref.attr.id)
            else:
                ids |= {a.id for a in self._plan.output
                        if a.name.lower() == c.lower()}
        return self._project([E.ColumnRef(a.name, a.id)
                              for a in self._plan.output if a.id not in ids])

    def toDF(self, *cols):
        """The same columns under new names."""
        if len(cols) != len(self.columns):
            raise IllegalArgumentException(
                "requirement failed: The number of columns doesn't match.\n"
                "Old column names (%d): %s\nNew column names (%d): %s"
                % (len(self.columns), ", ".join(self.columns), len(cols),
                   ", ".join(cols)))
        return self._project([E.Alias(E.ColumnRef(a.name, a.id), n)
                              for a, n in zip(self._plan.output, cols)])

    def alias(self, alias):
        return self._with(SubqueryAlias(alias, self._plan))

    def limit(self, num):
        return self._with(Limit(int(num), self._plan))

    def distinct(self):
        """The distinct rows (a shuffle, like groupBy on every column)."""
        refs = [E.ColumnRef(a.name, a.id) for a in self._plan.output]
        return self._aggregate(refs, [], keys_only=True)

    def dropDuplicates(self, subset=None):
        """The first row of each distinct subset (every column if None)."""
        if subset is None:
            return self.distinct()
        from pyspark.sql import functions as F
        keys = [self._attr(c) for c in subset]
        key_ids = {a.id for a in keys}
        exprs = [E.ColumnRef(a.name, a.id) if a.id in key_ids else
                 E.Alias(F.first(Column(E.ColumnRef(a.name, a.id)))._expr,
                         a.name) for a in self._plan.output]
        df = self._aggregate([E.ColumnRef(a.name, a.id) for a in keys],
                             exprs, keys_only=True)
        return df

    drop_duplicates = dropDuplicates

    def orderBy(self, *cols, **kwargs):
        """Sorted (a shuffle by ranges of the key): orderBy("x"),
        orderBy(desc("x")), orderBy("x", ascending=False)."""
        cols = _flat(cols)
        ascending = kwargs.get("ascending", True)
        if not isinstance(ascending, list):
            ascending = [ascending] * len(cols)
        orders = []
        for c, asc in zip(cols, ascending):
            e = _to_expr(c, "cols")
            if not isinstance(e, E.SortOrder):
                e = E.SortOrder(e, bool(asc))
            orders.append(e)
        resolved = bind(orders, self._plan, _op_text("Sort", orders))
        for o in resolved:
            if not E.is_c_type(o.dataType):
                raise E.analysis_error(
                    "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE",
                    "pardemo sorts by columns of simple types, not %s"
                    % o.dataType.simpleString())
        return self._with(Sort(resolved, self._plan))

    sort = orderBy

    def groupBy(self, *cols):
        from pyspark.sql.group import GroupedData
        return GroupedData(self, [_to_expr(c, "cols") for c in _flat(cols)])

    groupby = groupBy

    def agg(self, *exprs):
        return self.groupBy().agg(*exprs)

    def _aggregate(self, keys, exprs, keys_only=False):
        """keys and exprs as an Aggregate: the output is the keys, then
        exprs (the keys alone for distinct)."""
        keys = self._expand(keys)
        out = list(exprs) if keys_only else list(keys) + list(exprs)
        op = "Aggregate [%s], [%s]" % (
            ", ".join("'" + k.text(False) for k in keys),
            ", ".join("'" + e.text(False) for e in out))
        rk = bind(keys, self._plan, op)
        ro = bind(out or keys, self._plan, op)
        for e in ro:
            for x in e.walk():
                if isinstance(x, E.Agg) and any(isinstance(y, E.Agg) for y in
                                                list(x.walk())[1:]):
                    raise E.analysis_error(
                        "NESTED_AGGREGATE_FUNCTION", "It is not allowed to "
                        "use an aggregate function in the argument of another"
                        " aggregate function. Please use the inner aggregate "
                        "function in a sub-query.")
        return self._with(Aggregate(rk, ro, self._plan))

    def join(self, other, on=None, how=None):
        """Rows of both, matched: join(other, "name", "left"); on a list
        of names, or a condition df.a == other.b."""
        how = (how or "inner").lower()
        if how not in _JOIN_TYPES:
            raise IllegalArgumentException(
                "Unsupported join type '%s'. Supported join types include: "
                "'inner', 'outer', 'full', 'fullouter', 'full_outer', "
                "'leftouter', 'left', 'left_outer', 'rightouter', 'right', "
                "'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', "
                "'left_anti', 'anti', 'cross'." % how)
        how = _JOIN_TYPES[how]
        left, right = self._plan, other._plan
        if on is None:
            return self._with(Join(left, right, "cross" if how == "inner"
                                   else how, [], [], False))
        on = on if isinstance(on, list) else [on]
        if all(isinstance(o, str) for o in on):
            lk = [bind([E.ColumnRef(n)], left, "Join USING " + n)[0]
                  for n in on]
            rk = [bind([E.ColumnRef(n)], right, "Join USING " + n)[0]
                  for n in on]
            return self._with(Join(left, right, how, lk, rk, True))
        cond = on[0]._expr
        for c in on[1:]:
            cond = E.And(cond, c._expr)
        return self._with(self._condition_join(left, right, how, cond))

    def _condition_join(self, left, right, how, cond):
        resolved, = bind([cond], _Sides(left, right),
                         "Join %s, %s" % (how, cond.text(False)))
        nleft = len(left.output)
        lk, rk, rest = [], [], []
        for c in _conjuncts(resolved):
            sides = [_side(x, nleft) for x in c.children] \
                if isinstance(c, E.Compare) and c.op == "eq" else []
            if sides in ([0, 1], [1, 0]):
                l, r = c.children if sides == [0, 1] else c.children[::-1]
                lk.append(l)
                rk.append(E.BoundRef(r.index - nleft, r.attr)
                          if isinstance(r, E.BoundRef) else
                          _shift(r, nleft))
            else:
                rest.append(c)
        extra = None
        for c in rest:
            extra = c if extra is None else E.And(extra, c)._with([extra, c])
        if extra is not None and how != "inner":
            raise NotImplementedError("pardemo joins on equalities (an "
                                      "outer join's other conditions are "
                                      "not implemented)")
        j = Join(left, right, how, lk, rk, False)
        if extra is not None:
            j.extra = extra.resolve(j.output)
        return j

    def crossJoin(self, other):
        return self.join(other, None, "cross")

    def union(self, other):
        """Both DataFrames' rows, column by column (by position)."""
        return self._with(Union(self._plan, other._plan))

    unionAll = union

    def unionByName(self, other, allowMissingColumns=False):
        """union() matching the columns by name."""
        from pyspark.sql import functions as F
        cols = []
        for name in self.columns:
            if name.lower() in (c.lower() for c in other.columns):
                cols.append(F.col(name))
            elif allowMissingColumns:
                cols.append(F.lit(None).alias(name))
            else:
                other._attr(name)
        right = other.select(*cols)
        if allowMissingColumns:
            extra = [c for c in other.columns if c.lower() not in
                     (x.lower() for x in self.columns)]
            left = self.select("*", *[F.lit(None).alias(c) for c in extra])
            right = other.select(*[F.col(c) if c in other.columns else
                                   F.lit(None).alias(c)
                                   for c in left.columns])
            return left.union(right)
        return self.union(right)

    def fillna(self, value, subset=None):
        """Nulls replaced by value (in the columns of its type)."""
        from pyspark.sql import functions as F
        if isinstance(value, dict):
            subset, pick = list(value), value.get
        else:
            if isinstance(subset, str):
                subset = [subset]
            pick = lambda _: value
        exprs = []
        for f in self.schema.fields:
            v = pick(f.name) if subset is None or f.name in subset else None
            fits = v is not None and (
                isinstance(v, bool) and isinstance(f.dataType, BooleanType)
                or isinstance(v, str) and isinstance(f.dataType, StringType)
                or not isinstance(v, (bool, str)) and
                isinstance(f.dataType, NumericType))
            exprs.append(F.coalesce(F.col(f.name), F.lit(v).cast(
                f.dataType)).alias(f.name) if fits else F.col(f.name))
        return self.select(*exprs)

    def dropna(self, how="any", thresh=None, subset=None):
        """The rows without nulls (in subset)."""
        from pyspark.sql import functions as F
        cols = subset if subset is not None else self.columns
        if isinstance(cols, str):
            cols = [cols]
        if thresh is None:
            thresh = len(cols) if how == "any" else 1
        count = None
        for c in cols:
            present = F.col(c).isNotNull()
            if isinstance(self.schema[self._attr(c).name].dataType,
                          (DoubleType, FloatType)):
                present = present & ~F.isnan(c)     # NaN counts as missing
            one = F.when(present, 1).otherwise(0)
            count = one if count is None else count + one
        return self.filter(count >= thresh) if cols else self

    @property
    def na(self):
        return _NaFunctions(self)

    def sample(self, withReplacement=None, fraction=None, seed=None):
        raise NotImplementedError("DataFrame.sample: use df.rdd.sample")


class _Sides:
    """A join's two inputs side by side, to resolve its condition."""

    def __init__(self, left, right):
        self.output = list(left.output) + list(right.output)
        self.children = [left, right]

    def tree(self):
        return ":- %s\n+- %s" % (self.children[0].tree().replace(
            "\n", "\n:  "), self.children[1].tree().replace("\n", "\n   "))


class _NaFunctions:
    def __init__(self, df):
        self.df = df

    def fill(self, value, subset=None):
        return self.df.fillna(value, subset)

    def drop(self, how="any", thresh=None, subset=None):
        return self.df.dropna(how, thresh, subset)


def _conjuncts(e):
    if isinstance(e, E.And) and not isinstance(e, E.Or):
        return _conjuncts(e.children[0]) + _conjuncts(e.children[1])
    return [e]


def _side(e, nleft):
    """0 if e uses only left columns, 1 only right ones, else None."""
    refs = [x.index for x in e.walk() if isinstance(x, E.BoundRef)]
    if refs and all(i < nleft for i in refs):
        return 0
    if refs and all(i >= nleft for i in refs):
        return 1
    return None


def _shift(e, nleft):
    """e over the right side's own columns (indexes minus nleft)."""
    if isinstance(e, E.BoundRef):
        return E.BoundRef(e.index - nleft, e.attr)
    return e._with([_shift(c, nleft) for c in e.children])
