"""PySpark's errors: `from pyspark.errors import AnalysisException`.

As in PySpark 3.5, each error has an error class ("UNRESOLVED_COLUMN.
WITH_SUGGESTION") and its message starts with it in brackets, so that a
student can search for it in Spark's documentation.
"""
from pyspark.errors.exceptions.base import (
    PySparkException, PySparkTypeError, PySparkValueError,
    PySparkAttributeError, PySparkNotImplementedError)
from pyspark.errors.exceptions.captured import (
    CapturedException, AnalysisException, ParseException,
    IllegalArgumentException, SparkRuntimeException)

__all__ = [
    "PySparkException", "PySparkTypeError", "PySparkValueError",
    "PySparkAttributeError", "PySparkNotImplementedError",
    "CapturedException", "AnalysisException", "ParseException",
    "IllegalArgumentException", "SparkRuntimeException",
]
