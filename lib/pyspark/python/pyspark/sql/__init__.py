"""pyspark.sql: SparkSession and DataFrames.

from pyspark.sql import SparkSession, Row, functions as F

The DataFrame modules are imported when first used, so that `pardemo
spark` starts as fast without them.
"""
from pyspark.sql.session import SparkSession

__all__ = ["SparkSession", "Row", "Column", "DataFrame", "GroupedData",
           "DataFrameReader", "DataFrameWriter", "functions", "types"]

_WHERE = {"Row": "types", "Column": "column", "DataFrame": "dataframe",
          "GroupedData": "group", "DataFrameReader": "readwriter",
          "DataFrameWriter": "readwriter"}


def __getattr__(name):
    import importlib
    if name in ("functions", "types"):
        return importlib.import_module("pyspark.sql." + name)
    if name in _WHERE:
        return getattr(importlib.import_module("pyspark.sql." + _WHERE[name]),
                       name)
    raise AttributeError("module 'pyspark.sql' has no attribute %r" % name)
