"""PySpark's API on pardemo's C engine: `from pyspark import SparkContext`.

The same classes and calls as Apache Spark's pyspark (3.5), run by
pardemo's RDD engine (lib/rdd) on this machine: RDDs are the engine's, and
Python functions run in worker processes forked from the driver, as
PySpark's Python workers do. There is no JVM; the rest is Python.

Only what `sc` needs is imported at start; the other names are imported
when first asked for, so that `pardemo spark` starts about as fast as
python3 (pyspark.sql does the same).
"""
import sys

from pyspark.conf import SparkConf
from pyspark.context import SparkContext

__version__ = "3.5.0"

__all__ = [
    "SparkConf", "SparkContext", "SparkFiles", "RDD", "StorageLevel",
    "Broadcast", "Accumulator", "AccumulatorParam", "TaskContext",
    "ResultIterable",
]

_WHERE = {"SparkFiles": "files", "RDD": "rdd", "StorageLevel": "storagelevel",
          "Broadcast": "broadcast", "Accumulator": "accumulators",
          "AccumulatorParam": "accumulators", "TaskContext": "taskcontext",
          "ResultIterable": "resultiterable"}


# pyspark.rdd and the others, as `import pyspark` made them before
_MODULES = ("rdd", "storagelevel", "taskcontext", "resultiterable",
            "statcounter", "join", "rddsampler", "errors", "sql")


def __getattr__(name):
    if name in _MODULES:
        __import__("pyspark." + name)
        return sys.modules["pyspark." + name]
    if name not in _WHERE:
        raise AttributeError("module 'pyspark' has no attribute %r" % name)
    module = "pyspark." + _WHERE[name]
    __import__(module)
    return getattr(sys.modules[module], name)
