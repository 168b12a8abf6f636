"""SparkConf: key-value settings, as PySpark's (spark.master, ...)."""

__all__ = ["SparkConf"]


class SparkConf:
    """Spark settings. pardemo reads spark.master (local[N]: N workers)
    and spark.app.name; the others are kept and shown."""

    def __init__(self, loadDefaults=True, _jvm=None, _jconf=None):
        self._conf = {}

    def set(self, key, value):
        self._conf[key] = str(value)
        return self

    def setIfMissing(self, key, value):
        if key not in self._conf:
            self.set(key, value)
        return self

    def setMaster(self, value):
        return self.set("spark.master", value)

    def setAppName(self, value):
        return self.set("spark.app.name", value)

    def setSparkHome(self, value):
        return self.set("spark.home", value)

    def setExecutorEnv(self, key=None, value=None, pairs=None):
        if (key is not None and pairs is not None) or (key is None and
                                                       pairs is None):
            raise ValueError("Either pass one key-value pair or a list of "
                             "pairs")
        for k, v in [(key, value)] if key is not None else pairs:
            self.set("spark.executorEnv." + k, v)
        return self

    def setAll(self, pairs):
        for k, v in pairs:
            self.set(k, v)
        return self

    def get(self, key, defaultValue=None):
        return self._conf.get(key, defaultValue)

    def getAll(self):
        return list(self._conf.items())

    def contains(self, key):
        return key in self._conf

    def toDebugString(self):
        return "\n".join("%s=%s" % kv for kv in self._conf.items())
