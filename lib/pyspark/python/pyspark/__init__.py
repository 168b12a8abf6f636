"""PySpark's API on pardemo's C engine: `from pyspark import SparkContext`.

The same classes and calls as Apache Spark's pyspark (3.5), run by
pardemo's RDD engine (lib/rdd) on this machine: RDDs are the engine's, and
Python functions run in worker processes forked from the driver, as
PySpark's Python workers do. There is no JVM; the rest is Python.
"""
from pyspark.conf import SparkConf
from pyspark.context import SparkContext
from pyspark.rdd import RDD
from pyspark.storagelevel import StorageLevel
from pyspark.broadcast import Broadcast
from pyspark.accumulators import Accumulator, AccumulatorParam
from pyspark.files import SparkFiles
from pyspark.taskcontext import TaskContext
from pyspark.resultiterable import ResultIterable

__version__ = "3.5.0"

__all__ = [
    "SparkConf", "SparkContext", "SparkFiles", "RDD", "StorageLevel",
    "Broadcast", "Accumulator", "AccumulatorParam", "TaskContext",
    "ResultIterable",
]
