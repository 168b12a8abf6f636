"""Errors the engine raises, as PySpark 3.5 raises them: in PySpark they
come from the JVM through py4j and are "captured" into these classes, so
a traceback ends in pyspark.errors.exceptions.captured.AnalysisException.
Their text is Spark's: the error class in brackets, the message, and for
an analysis error the plan it was found in.
"""
from pyspark.errors.exceptions.base import PySparkException


class CapturedException(PySparkException):
    """An error of the query engine (Spark's JVM; here lib/sql)."""

    def __init__(self, desc=None, stackTrace=None, error_class=None,
                 message_parameters=None):
        self.desc = desc
        self.stackTrace = stackTrace
        super().__init__(desc, error_class, message_parameters)

    def __str__(self):
        return self.desc

    def getMessage(self):
        return self.desc


class AnalysisException(CapturedException):
    """The query cannot be run as written: a column that does not exist,
    a type that does not fit. Raised when the DataFrame is made, before
    any job runs."""


class ParseException(AnalysisException):
    """A SQL expression (selectExpr, expr, filter("...")) that does not
    parse."""


class IllegalArgumentException(CapturedException):
    pass


class SparkRuntimeException(CapturedException):
    pass
