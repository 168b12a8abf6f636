"""GroupedData: what df.groupBy("Country") returns.

Nothing is grouped yet: agg(F.sum("Value")), count(), sum("Value")...
make the DataFrame of one row per group. The rows of a group meet after
a shuffle (hash partitioning by the key), but first each task sums its
own rows per key -- see explain().
"""
from pyspark.sql import functions as F
from pyspark.sql.column import Column
from pyspark.sql.types import NumericType

__all__ = ["GroupedData"]

_BY_NAME = {"avg": F.avg, "mean": F.avg, "max": F.max, "min": F.min,
            "sum": F.sum, "count": F.count, "first": F.first,
            "last": F.last, "stddev": F.stddev, "variance": F.variance,
            "collect_list": F.collect_list, "collect_set": F.collect_set}


class GroupedData:
    """The rows of a DataFrame grouped by some columns."""

    def __init__(self, df, keys):
        self._df = df
        self._keys = keys           # expressions

    def agg(self, *exprs):
        """One row per group: the keys, then each aggregate.
        agg(F.sum("Value").alias("total"), F.count("*")) or, as a dict,
        agg({"Value": "sum"})."""
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            exprs = [_BY_NAME[fn](name) for name, fn in exprs[0].items()]
        for e in exprs:
            if not isinstance(e, Column):
                from pyspark.errors import PySparkTypeError
                raise PySparkTypeError(
                    error_class="NOT_COLUMN",
                    message_parameters={"arg_name": "exprs",
                                        "arg_type": type(e).__name__})
        return self._df._aggregate(self._keys, [e._expr for e in exprs])

    def count(self):
        """How many rows each group has, in a column named count."""
        return self.agg(F.count("*").alias("count"))

    def _numeric(self, fn, cols):
        if not cols:
            cols = [f.name for f in self._df.schema.fields
                    if isinstance(f.dataType, NumericType)]
        for c in cols:
            dt = self._df.schema[c].dataType if c in self._df.columns \
                else None
            if dt is not None and not isinstance(dt, NumericType):
                from pyspark.errors import AnalysisException
                raise AnalysisException(
                    "\"%s\" is not a numeric column. Aggregation function "
                    "can only be applied on a numeric column." % c)
        return self.agg(*[fn(c) for c in cols])

    def sum(self, *cols):
        return self._numeric(F.sum, cols)

    def avg(self, *cols):
        return self._numeric(F.avg, cols)

    mean = avg

    def max(self, *cols):
        return self._numeric(F.max, cols)

    def min(self, *cols):
        return self._numeric(F.min, cols)
