"""Py4JJavaError: how PySpark reports a failed job (no JVM here)."""

__all__ = ["Py4JError", "Py4JJavaError"]


class Py4JError(Exception):
    """Base of py4j's errors."""


class Py4JJavaError(Py4JError):
    """A job failed: the message is Spark's, then the task's Python
    traceback and error, with the record it failed on."""

    def __init__(self, msg, java_exception=None):
        super().__init__(msg)
        self.errmsg = msg
        self.java_exception = java_exception

    def __str__(self):
        return self.errmsg
