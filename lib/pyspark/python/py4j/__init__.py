"""py4j's exception classes, as PySpark programs catch them.

There is no JVM in pardemo; a failed job raises Py4JJavaError with the
message Spark would give, so `except Py4JJavaError` works as with Spark.
"""
