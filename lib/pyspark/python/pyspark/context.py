"""SparkContext: the entry point, PySpark's, on pardemo's C engine.

master local[N] means N workers: each stage's tasks run in N worker
processes forked from this one (the driver). Inputs are made here, as
Spark makes them: parallelize slices a list the way PySpark batches it,
textFile reads files, directories, globs and comma lists lazily (a path
that does not exist fails at the first action, as in Spark).
"""
import atexit
import os
import sys
import time

import _pardemo
from py4j.protocol import Py4JJavaError
from pyspark.accumulators import (Accumulator, INT_ACCUMULATOR_PARAM,
                                  FLOAT_ACCUMULATOR_PARAM,
                                  COMPLEX_ACCUMULATOR_PARAM)
from pyspark.broadcast import Broadcast
from pyspark.conf import SparkConf
from pyspark.files import SparkFiles
from pyspark.util import portable_hash, _callsite

__all__ = ["SparkContext"]


def _workers_of(master):
    """local -> 1, local[4] -> 4, local[*] -> the CPUs."""
    if master == "local":
        return 1
    if master.startswith("local[") and master.endswith("]"):
        n = master[6:-1].split(",")[0].strip()
        if n == "*":
            return os.cpu_count() or 1
        if n.isdigit() and 1 <= int(n) <= 1024:
            return int(n)
    raise ValueError("pardemo runs Spark's local mode on this machine: "
                     "master 'local', 'local[N]' (N workers, 1..1024) or "
                     "'local[*]', not %r" % master)


def _short(obj):
    text = repr(obj)
    return text if len(text) <= 200 else text[:200] + "..."


class _TaskHooks:
    """What the engine (C) asks of Python: how to report a failed task
    or job, Python's hash and unpacking, and the worker processes'
    accumulators and output."""

    def __init__(self, sc):
        self.sc = sc

    @staticmethod
    def format_failure(exc, elem):
        """PySpark's report of a failed Python task: its traceback (the
        user's frames), then the error and the record it was on."""
        import traceback
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if not f.filename.startswith("<pardemo>/")]
        text = ("org.apache.spark.api.python.PythonException: Traceback "
                "(most recent call last):\n" +
                "".join(traceback.format_list(frames)) +
                "".join(traceback.format_exception_only(type(exc), exc)))
        text = text.rstrip("\n")
        if elem:
            text += " (raised in a task on element %s)" % _short(elem[0])
        return text

    @staticmethod
    def job_error(what, message):
        if message.startswith("Job aborted"):
            message = "org.apache.spark.SparkException: " + message
        return Py4JJavaError("An error occurred while calling %s.\n: %s"
                             % (what, message))

    portable_hash = staticmethod(portable_hash)

    @staticmethod
    def unpack(kv):
        k, v = kv
        return k, v

    @staticmethod
    def before_fork():
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except Exception:
                pass

    def worker_started(self):
        self.sc._in_task = True
        # a forked worker would draw the driver's random numbers: each
        # worker starts from its own seed, as PySpark's workers do
        for name in ("random", "numpy.random"):
            module = sys.modules.get(name)
            if module is not None:
                module.seed()
        for acc in self.sc._accumulators.values():
            acc._in_task = True
            acc._value = acc.accum_param.zero(acc._value)

    def accumulator_updates(self):
        accs = self.sc._accumulators
        if not accs:            # then no import of pickle: each worker
            return None         # process would pay it, at every stage
        import pickle
        updates = {aid: acc._value for aid, acc in accs.items()}
        for acc in accs.values():
            acc._value = acc.accum_param.zero(acc._value)
        return pickle.dumps(updates)

    def merge_accumulators(self, data):
        import pickle
        for aid, value in pickle.loads(data).items():
            acc = self.sc._accumulators.get(aid)
            if acc is not None:
                acc._value = acc.accum_param.addInPlace(acc._value, value)

    worker_done = before_fork


class SparkContext:
    """The connection to the engine: makes RDDs, broadcast variables and
    accumulators. One is active at a time."""

    _active_spark_context = None
    _default_workers = os.cpu_count() or 1
    _next_accum_id = 0
    _next_broadcast_id = 0

    def __init__(self, master=None, appName=None, sparkHome=None,
                 pyFiles=None, environment=None, batchSize=0,
                 serializer=None, conf=None, gateway=None, jsc=None,
                 profiler_cls=None, udf_profiler_cls=None,
                 memory_profiler_cls=None):
        active = SparkContext._active_spark_context
        if active is not None and not active._is_shell:
            raise ValueError(
                "Cannot run multiple SparkContexts at once; existing "
                "SparkContext(app=%s, master=%s) created by __init__ at %s "
                % (active.appName, active.master, active._created_at))
        if active is not None:
            active.stop()       # a program's own replaces the shell's sc
        self._conf = conf if conf is not None else SparkConf()
        if master:
            self._conf.setMaster(master)
        if appName:
            self._conf.setAppName(appName)
        if sparkHome:
            self._conf.setSparkHome(sparkHome)
        for k, v in (environment or {}).items():
            self._conf.setExecutorEnv(k, v)
        self._conf.setIfMissing("spark.master",
                                "local[%d]" % SparkContext._default_workers)
        self._conf.setIfMissing("spark.app.name", "pardemo")
        self.master = self._conf.get("spark.master")
        self.appName = self._conf.get("spark.app.name")
        self.sparkHome = sparkHome
        self.environment = dict(environment or {})
        self._workers = _workers_of(self.master)
        self._is_fast = "PARDEMO_SPARK_NO_FAST" not in os.environ
        self._engine = _pardemo.Context(self._workers, fast=self._is_fast)
        self._engine.set_hooks(_TaskHooks(self))
        self._batchSize = batchSize
        self._accumulators = {}
        self._in_task = False
        self._is_shell = False
        self._explain = False
        self._checkpoint_dir = None
        self._local_properties = {}
        self._created_at = _callsite()
        self.startTime = int(time.time() * 1000)
        self.pythonExec = sys.executable
        self.pythonVer = "%d.%d" % sys.version_info[:2]
        for path in pyFiles or []:
            self.addPyFile(path)
        SparkContext._active_spark_context = self
        atexit.register(self.stop)

    def __repr__(self):
        return "<SparkContext master={0} appName={1}>".format(self.master,
                                                             self.appName)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop()

    def __getnewargs__(self):
        raise RuntimeError(
            "It appears that you are attempting to reference SparkContext "
            "from a broadcast variable, action, or transformation. "
            "SparkContext can only be used on the driver, not in code that "
            "it run on workers. For more information, see SPARK-5063.")

    @classmethod
    def getOrCreate(cls, conf=None):
        active = cls._active_spark_context
        if active is None or active._engine is None:
            return cls(conf=conf or SparkConf())
        return active

    # ---- properties

    @property
    def version(self):
        from pyspark import __version__
        return __version__

    @property
    def applicationId(self):
        return "local-%d" % self.startTime

    @property
    def uiWebUrl(self):
        return None             # no web UI: see pardemo spark --explain

    @property
    def defaultParallelism(self):
        if self._conf.contains("spark.default.parallelism"):
            return int(self._conf.get("spark.default.parallelism"))
        return self._workers

    @property
    def defaultMinPartitions(self):
        return min(self.defaultParallelism, 2)

    def getConf(self):
        conf = SparkConf()
        conf.setAll(self._conf.getAll())
        return conf

    def setLogLevel(self, logLevel):
        self._log_level = logLevel

    @classmethod
    def setSystemProperty(cls, key, value):
        os.environ.setdefault("SPARK_PROPERTY_" + key, value)

    def sparkUser(self):
        import getpass
        return getpass.getuser()

    def stop(self):
        """Frees the engine and everything it holds."""
        if self._engine is not None:
            self._engine.stop()
            self._engine = None
        if SparkContext._active_spark_context is self:
            SparkContext._active_spark_context = None

    def _explain_jobs(self):
        if self._engine is None:
            return
        text = self._engine.explain()
        if self._explain and text:
            sys.stdout.flush()
            sys.stderr.write(text)
            sys.stderr.flush()

    def _engine_live(self):
        if self._in_task:
            raise RuntimeError(
                "RDD transformations and actions can only be invoked by the "
                "driver, not inside of other transformations (SPARK-5063)")
        if self._engine is None:
            raise ValueError("Cannot run a job: the SparkContext has been "
                             "stopped (sc.stop())")
        return self._engine

    # ---- making RDDs

    def emptyRDD(self):
        """An RDD with no partitions."""
        from pyspark.rdd import RDD     # imported at first use: a fast start
        return RDD(self._engine_live().empty(_callsite()), self)

    def range(self, start, end=None, step=1, numSlices=None):
        """An RDD of ints from start to end, as range() counts."""
        if end is None:
            end, start = start, 0
        return self.parallelize(range(start, end, step), numSlices)

    def parallelize(self, c, numSlices=None):
        """A local collection as an RDD of numSlices partitions."""
        from pyspark.rdd import RDD
        engine = self._engine_live()
        n = self.defaultParallelism if numSlices is None else int(numSlices)
        if n <= 0:
            raise Py4JJavaError("An error occurred while calling "
                                "parallelize.\n: java.lang.IllegalArgument"
                                "Exception: Positive number of partitions "
                                "required")
        if isinstance(c, range) and -2 ** 63 <= min(c.start, c.stop) and \
                max(c.start, c.stop) < 2 ** 63 and abs(c.step) < 2 ** 63:
            # sliced arithmetically, as PySpark slices a range: no list
            return RDD(engine.range(c.start, c.stop, c.step, n, _callsite()),
                       self)
        if not hasattr(c, "__len__"):
            c = list(c)
        batch = max(1, min(len(c) // n, self._batchSize or 1024))
        return RDD(engine.parallelize(list(c), n, batch, _callsite()), self)

    def _input_files(self, name):
        """The files a path list names, as Hadoop lists them, or an
        error: comma-separated paths, each a file, a directory (its files
        but hidden ones, _SUCCESS and .crc) or a glob."""
        files, errors = [], []

        def add_dir(path):
            for entry in sorted(os.listdir(path)):
                full = os.path.join(path, entry)
                if entry.startswith(("_", ".")):
                    continue
                if os.path.isdir(full):
                    errors.append("java.io.IOException: Not a file: file:%s"
                                  % os.path.abspath(full))
                else:
                    files.append(full)
        for path in name.split(","):
            if path.startswith("file://"):
                path = path[len("file://"):]
            elif path.startswith("file:"):
                path = path[len("file:"):]
            elif "://" in path:
                raise ValueError("%s: only local files here (no HDFS or S3 "
                                 "on this machine)" % path)
            if any(c in path for c in "*?["):    # glob.has_magic
                import glob     # here only: it imports re, a start's 5 ms
                found = [p for p in sorted(glob.glob(path))
                         if not os.path.basename(p).startswith(("_", "."))]
                if not found:
                    errors.append("org.apache.hadoop.mapred.InvalidInput"
                                  "Exception: Input Pattern file:%s matches "
                                  "0 files" % os.path.abspath(path))
                for p in found:
                    add_dir(p) if os.path.isdir(p) else files.append(p)
            elif os.path.isdir(path):
                add_dir(path)
            elif os.path.exists(path):
                files.append(path)
            else:
                errors.append("org.apache.hadoop.mapred.InvalidInputException"
                              ": Input path does not exist: file:%s"
                              % os.path.abspath(path))
        if errors:
            return [], ("An error occurred while calling o0.partitions.\n: "
                        + "\n".join(errors))
        return files, None

    def textFile(self, name, minPartitions=None, use_unicode=True):
        """The lines of the files name names (lazily: a missing path
        fails at the first action)."""
        from pyspark.rdd import RDD
        engine = self._engine_live()
        files, error = self._input_files(name)
        n = self.defaultMinPartitions if minPartitions is None \
            else int(minPartitions)
        rdd = RDD(engine.text_files(files, name, n, _callsite()), self,
                  (error,) if error else ())
        if not use_unicode:
            rdd = rdd.map(lambda s: s.encode("utf-8", "surrogateescape"))
        return rdd

    def _whole_files(self, path, minPartitions, read):
        files, error = self._input_files(path)
        n = self.defaultMinPartitions if minPartitions is None \
            else int(minPartitions)
        names = ["file:" + os.path.abspath(f) for f in files]
        rdd = self.parallelize(names, max(1, min(n, len(names))))
        rdd._errors = (error,) if error else ()
        return rdd.map(lambda p: (p, read(p[len("file:"):])))

    def wholeTextFiles(self, path, minPartitions=None, use_unicode=True):
        """(file:path, content) of each file."""
        def read(p):
            with open(p, "rb") as f:
                data = f.read()
            return data.decode("utf-8", "surrogateescape") if use_unicode \
                else data
        return self._whole_files(path, minPartitions, read)

    def binaryFiles(self, path, minPartitions=None):
        """(file:path, bytes) of each file."""
        def read(p):
            with open(p, "rb") as f:
                return f.read()
        return self._whole_files(path, minPartitions, read)

    def binaryRecords(self, path, recordLength):
        """Records of recordLength bytes each, from the files."""
        def records(kv):
            data = kv[1]
            return [data[i:i + recordLength]
                    for i in range(0, len(data) - recordLength + 1,
                                   recordLength)]
        return self.binaryFiles(path).flatMap(records)

    def pickleFile(self, name, minPartitions=None):
        """An RDD saved with saveAsPickleFile."""
        import base64
        import pickle

        def batches(line):
            return pickle.loads(base64.b64decode(line))
        return self.textFile(name, minPartitions).flatMap(batches)

    def union(self, rdds):
        """The RDDs' elements together."""
        if not rdds:
            raise ValueError("Union of an empty list")
        rdds = list(rdds)
        while len(rdds) > 1:        # pairs: a shallow lineage, same order
            rdds = [rdds[i].union(rdds[i + 1]) if i + 1 < len(rdds)
                    else rdds[i] for i in range(0, len(rdds), 2)]
        return rdds[0]

    def runJob(self, rdd, partitionFunc, partitions=None, allowLocal=False):
        """partitionFunc(iterator) over the given partitions (all by
        default), the results in one list."""
        mapped = rdd.mapPartitions(partitionFunc)
        if partitions is None:
            partitions = range(rdd.getNumPartitions())
        parts = list(partitions)
        return mapped._job(lambda: mapped._jrdd.collect(parts))

    # ---- shared variables

    def broadcast(self, value):
        """A read-only value for every task (forked workers hold it)."""
        SparkContext._next_broadcast_id += 1
        return Broadcast(self, value, SparkContext._next_broadcast_id - 1)

    def accumulator(self, value, accum_param=None):
        """A counter tasks add to with += and the driver reads."""
        if accum_param is None:
            if isinstance(value, int):
                accum_param = INT_ACCUMULATOR_PARAM
            elif isinstance(value, float):
                accum_param = FLOAT_ACCUMULATOR_PARAM
            elif isinstance(value, complex):
                accum_param = COMPLEX_ACCUMULATOR_PARAM
            else:
                raise TypeError("No default accumulator param for type %s"
                                % type(value))
        SparkContext._next_accum_id += 1
        return Accumulator(SparkContext._next_accum_id - 1, value,
                           accum_param, self._accumulators)

    # ---- files and settings

    def addFile(self, path, recursive=False):
        """Makes path readable in tasks via SparkFiles.get(its name)."""
        SparkFiles._files.setdefault(os.path.basename(path),
                                     os.path.abspath(path))

    @property
    def listFiles(self):
        return ["file:" + p for p in SparkFiles._files.values()]

    def addPyFile(self, path):
        """A .py (or .zip) tasks can import: it goes on sys.path."""
        self.addFile(path)
        folder = os.path.dirname(os.path.abspath(path))
        target = path if path.endswith((".zip", ".egg")) else folder
        if target not in sys.path:
            sys.path.insert(1, target)

    def setCheckpointDir(self, dirName):
        self._checkpoint_dir = dirName

    def getCheckpointDir(self):
        return self._checkpoint_dir

    def setJobGroup(self, groupId, description, interruptOnCancel=False):
        self._local_properties["spark.jobGroup.id"] = groupId
        self._local_properties["spark.job.description"] = description

    def setJobDescription(self, value):
        self._local_properties["spark.job.description"] = value

    def setLocalProperty(self, key, value):
        self._local_properties[key] = value

    def getLocalProperty(self, key):
        return self._local_properties.get(key)

    def cancelJobGroup(self, groupId):
        """Jobs run one at a time here: nothing is running to cancel."""

    def cancelAllJobs(self):
        """Jobs run one at a time here: nothing is running to cancel."""

    @property
    def resources(self):
        return {}
