"""pyspark.sql: the SparkSession (DataFrames are not here yet)."""
from pyspark.sql.session import SparkSession

__all__ = ["SparkSession"]
