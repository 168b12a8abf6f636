"""SparkSession: `spark`, and SparkSession.builder...getOrCreate().

The session wraps the SparkContext (spark.sparkContext is sc). It is the
entry point of DataFrames: spark.read, spark.createDataFrame, spark.range.
"""
from pyspark.conf import SparkConf
from pyspark.context import SparkContext

__all__ = ["SparkSession"]


class _Builder:
    """SparkSession.builder.appName(...).master(...).getOrCreate()"""

    def __init__(self):
        self._options = {}

    def config(self, key=None, value=None, conf=None):
        if conf is not None:
            self._options.update(conf.getAll())
        if key is not None:
            self._options[key] = str(value)
        return self

    def appName(self, name):
        return self.config("spark.app.name", name)

    def master(self, master):
        return self.config("spark.master", master)

    def enableHiveSupport(self):
        return self

    def getOrCreate(self):
        active = SparkSession._active
        if active is not None and active._sc._engine is not None:
            return active
        conf = SparkConf().setAll(self._options.items())
        return SparkSession(SparkContext.getOrCreate(conf))


class _BuilderProperty:
    def __get__(self, obj, cls):
        return _Builder()


class _RuntimeConfig:
    def __init__(self, conf):
        self._conf = conf

    def get(self, key, default=None):
        return self._conf.get(key, default)

    def set(self, key, value):
        self._conf.set(key, value)


class _UDFRegistration:
    def __init__(self, udf):
        self._udf = udf

    def register(self, name, f, returnType="string"):
        return self._udf(f, returnType)


class SparkSession:
    """The entry point of Spark SQL; here it holds the SparkContext."""

    builder = _BuilderProperty()
    _active = None

    def __init__(self, sparkContext):
        self._sc = sparkContext
        SparkSession._active = self

    @property
    def sparkContext(self):
        return self._sc

    @property
    def version(self):
        return self._sc.version

    @property
    def conf(self):
        return _RuntimeConfig(self._sc._conf)

    @classmethod
    def getActiveSession(cls):
        return cls._active

    # ---- DataFrames (pyspark/sql/create.py, readwriter.py)

    def createDataFrame(self, data, schema=None, samplingRatio=None,
                        verifySchema=True):
        """A DataFrame of a list (or RDD) of rows: tuples, Rows, dicts."""
        from pyspark.sql.create import create_dataframe
        return create_dataframe(self, data, schema, samplingRatio,
                                verifySchema)

    def range(self, start, end=None, step=1, numPartitions=None):
        """A DataFrame of one bigint column "id": start, start+step..."""
        from pyspark.sql.create import range_dataframe
        return range_dataframe(self, start, end, step, numPartitions)

    @property
    def read(self):
        """spark.read.csv(...), spark.read.format("csv").load(...)."""
        from pyspark.sql.readwriter import DataFrameReader
        return DataFrameReader(self)

    @property
    def udf(self):
        from pyspark.sql import functions
        return _UDFRegistration(functions.udf)

    def stop(self):
        self._sc.stop()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop()

    def __repr__(self):
        return "<pyspark.sql.session.SparkSession object at %#x>" % id(self)
