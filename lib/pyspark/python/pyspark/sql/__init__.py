"""pyspark.sql: SparkSession and DataFrames.

from pyspark.sql import SparkSession, Row, functions as F
"""
from pyspark.sql.session import SparkSession
from pyspark.sql.types import Row
from pyspark.sql.column import Column
from pyspark.sql.dataframe import DataFrame
from pyspark.sql.group import GroupedData
from pyspark.sql.readwriter import DataFrameReader, DataFrameWriter
from pyspark.sql import functions, types

__all__ = ["SparkSession", "Row", "Column", "DataFrame", "GroupedData",
           "DataFrameReader", "DataFrameWriter", "functions", "types"]


def _to_df(self, schema=None, sampleRatio=None):
    """rdd.toDF(): the RDD's rows as a DataFrame (PySpark adds this method
    to RDD when the session starts)."""
    return SparkSession.builder.getOrCreate().createDataFrame(
        self, schema, sampleRatio)


def _monkey_patch_rdd():
    from pyspark.rdd import RDD
    RDD.toDF = _to_df


_monkey_patch_rdd()
