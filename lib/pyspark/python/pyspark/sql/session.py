"""SparkSession: `spark`, and SparkSession.builder...getOrCreate().

The session wraps the SparkContext (spark.sparkContext is sc). It is the
entry point DataFrames will hang from.
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

    def stop(self):
        self._sc.stop()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop()

    def __repr__(self):
        return "<pyspark.sql.session.SparkSession object at %#x>" % id(self)
