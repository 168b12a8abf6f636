"""spark.read: DataFrames from files.

spark.read.csv(path, header=True, inferSchema=True) does what Spark does
before your query even starts: a job reads the first line (the column
names), and with inferSchema a second job reads every line once to find
each column's type (lib/sql/scan.c: int, then long, double, date,
timestamp, boolean, else string). The DataFrame itself reads the file
again, lazily, when an action runs.
"""
import csv
import glob
import os

from pyspark.errors import AnalysisException, PySparkNotImplementedError
from pyspark.sql.expressions import Attribute
from pyspark.sql.types import (StructType, StructField, StringType,
                               _parse_datatype_string, _type_of_code)

__all__ = ["DataFrameReader", "DataFrameWriter"]

_DEFAULTS = {"header": "false", "inferschema": "false", "sep": ",",
             "quote": '"', "nullvalue": "", "nanvalue": "NaN",
             "positiveinf": "Inf", "negativeinf": "-Inf",
             "mode": "PERMISSIVE", "encoding": "UTF-8",
             "multiline": "false"}


def _to_str(value):
    """An option's value as Spark reads it: True is "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _files(path):
    """The files a path names (a file, a directory's files, a glob);
    Spark's error for one that does not exist."""
    found = []
    for p in (path if isinstance(path, (list, tuple)) else [path]):
        p = p[len("file:"):] if p.startswith("file:") else p
        matches = sorted(glob.glob(p)) if glob.has_magic(p) else \
            ([p] if os.path.exists(p) else [])
        if not matches:
            raise AnalysisException(
                "[PATH_NOT_FOUND] Path does not exist: file:%s."
                % os.path.abspath(p), error_class="PATH_NOT_FOUND")
        for m in matches:
            if os.path.isdir(m):
                found += [os.path.join(m, f) for f in sorted(os.listdir(m))
                          if not f.startswith(("_", ".")) and
                          os.path.isfile(os.path.join(m, f))]
            else:
                found.append(m)
    return found


def _safe_header(tokens, has_header, null_value):
    """CSVUtils.makeSafeHeader: _c0, _c1... for no header or an empty
    name; a name that repeats (ignoring case) gets its index added."""
    if not has_header:
        return ["_c%d" % i for i in range(len(tokens))]
    names = [t.lower() for t in tokens if t]
    dups = {n for n in names if names.count(n) > 1}
    return ["_c%d" % i if not t or t == null_value else
            "%s%d" % (t, i) if t.lower() in dups else t
            for i, t in enumerate(tokens)]


class DataFrameReader:
    """spark.read: format(), option(), schema(), then load() or csv()."""

    def __init__(self, spark):
        self._spark = spark
        self._format = None
        self._options = {}
        self._schema = None

    def format(self, source):
        self._format = source.lower()
        return self

    def option(self, key, value):
        """An option of the source: option("header", "true"); the names
        ignore case, as Spark's."""
        if value is not None:
            self._options[key.lower()] = _to_str(value)
        return self

    def options(self, **options):
        for k, v in options.items():
            self.option(k, v)
        return self

    def schema(self, schema):
        """The columns' names and types, given (a StructType or a DDL
        string "a INT, b STRING"): no inference job."""
        if isinstance(schema, str):
            schema = _parse_datatype_string(schema)
        self._schema = schema
        return self

    def load(self, path=None, format=None, schema=None, **options):
        if format is not None:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self.options(**options)
        fmt = self._format or "parquet"
        if fmt == "csv":
            return self._csv(path)
        if fmt == "text":
            return self._text(path)
        raise PySparkNotImplementedError(
            error_class="NOT_IMPLEMENTED",
            message="[NOT_IMPLEMENTED] The %s data source is not in pardemo: "
                    "use format(\"csv\") or format(\"text\")." % fmt)

    def csv(self, path, schema=None, sep=None, encoding=None, quote=None,
            escape=None, comment=None, header=None, inferSchema=None,
            ignoreLeadingWhiteSpace=None, ignoreTrailingWhiteSpace=None,
            nullValue=None, nanValue=None, positiveInf=None,
            negativeInf=None, dateFormat=None, timestampFormat=None,
            maxColumns=None, maxCharsPerColumn=None,
            maxMalformedLogPerPartition=None, mode=None,
            columnNameOfCorruptRecord=None, multiLine=None,
            charToEscapeQuoteEscaping=None, samplingRatio=None,
            enforceSchema=None, emptyValue=None, locale=None, lineSep=None,
            pathGlobFilter=None, recursiveFileLookup=None,
            modifiedBefore=None, modifiedAfter=None,
            unescapedQuoteHandling=None):
        """A CSV file (or a directory of them, or a glob) as a DataFrame."""
        self.options(sep=sep, encoding=encoding, quote=quote, header=header,
                     inferSchema=inferSchema, nullValue=nullValue,
                     nanValue=nanValue, positiveInf=positiveInf,
                     negativeInf=negativeInf, dateFormat=dateFormat,
                     timestampFormat=timestampFormat, mode=mode,
                     multiLine=multiLine, samplingRatio=samplingRatio)
        if schema is not None:
            self.schema(schema)
        return self._csv(path)

    def text(self, paths, wholetext=False, lineSep=None, pathGlobFilter=None,
             recursiveFileLookup=None, modifiedBefore=None,
             modifiedAfter=None):
        """The lines of text files, in one string column "value"."""
        return self._text(paths)

    def json(self, path, *args, **kwargs):
        return self.format("json").load(path)

    def parquet(self, *paths, **options):
        return self.format("parquet").load(paths[0] if paths else None)

    # ---- reading

    def _opt(self, key):
        return self._options.get(key, _DEFAULTS.get(key))

    def _text(self, path):
        from pyspark.sql.dataframe import DataFrame
        from pyspark.sql.plan import FileScan
        files = _files(path)
        out = [Attribute("value", StringType())]
        return DataFrame(FileScan("text", files, _shown(path), out),
                         self._spark)

    def _check_options(self):
        for key, ok in (("sep", ","), ("quote", '"'), ("multiline", "false")):
            if self._opt(key).lower() != ok:
                raise PySparkNotImplementedError(
                    error_class="NOT_IMPLEMENTED",
                    message="[NOT_IMPLEMENTED] CSV option %s=%s: pardemo "
                            "reads RFC 4180 files (%s=%s)."
                            % (key, self._opt(key), key, ok))

    def _csv(self, path):
        from pyspark.sql.dataframe import DataFrame
        from pyspark.sql.plan import FileScan
        self._check_options()
        files = _files(path)
        has_header = self._opt("header").lower() == "true"
        first = self._first_line(files)
        tokens = next(csv.reader([first])) if first is not None else []
        names = _safe_header(tokens, has_header, self._opt("nullvalue"))
        spec = self._spec(first if has_header else None)
        if self._schema is not None:
            schema = self._schema
        elif self._opt("inferschema").lower() == "true" and names:
            schema = self._infer(files, names, spec)
        else:
            schema = StructType([StructField(n, StringType()) for n in names])
        spec["types"] = [f.dataType.c_code for f in schema.fields]
        out = [Attribute(f.name, f.dataType, f.nullable) for f in schema]
        return DataFrame(FileScan("csv", files, _shown(path), out, spec),
                         self._spark)

    def _spec(self, header):
        """The parser's options, for lib/sql (struct sql_csv)."""
        return {"header": header, "null_value": self._opt("nullvalue"),
                "nan_value": self._opt("nanvalue"),
                "pos_inf": self._opt("positiveinf"),
                "neg_inf": self._opt("negativeinf"),
                "date_format": self._options.get("dateformat"),
                "timestamp_format": self._options.get("timestampformat"),
                "mode": self._opt("mode").upper()}

    def _lines(self, files):
        sc = self._spark._sc
        return sc.textFile(",".join(files))

    def _first_line(self, files):
        """The first line that is not blank: a job, as Spark's."""
        if not files:
            return None
        rows = self._lines(files).filter(lambda s: s.strip() != "").take(1)
        return rows[0] if rows else None

    def _infer(self, files, names, spec):
        """inferSchema: each task folds its lines' types, column by column
        (lib/sql/scan.c); the driver merges the tasks' answers in order,
        as Spark's aggregate does."""
        import _pardemo_sql
        from pyspark.rdd import RDD, _callsite
        null = _pardemo_sql.TYPES["void"]
        spec = dict(spec, types=[null] * len(names))
        lines = self._lines(files)
        jrdd = _pardemo_sql.stage(lines._jrdd, {"source": "csv", "csv": spec,
                                                "sink": "infer"},
                                  "inferSchema", _callsite())
        types = [null] * len(names)
        for part in RDD(jrdd, self._spark._sc).collect():
            types = [_pardemo_sql.merge_type(a, b)
                     for a, b in zip(types, part)]
        return StructType([StructField(n, StringType() if t == null
                                       else _type_of_code(t))
                           for n, t in zip(names, types)])


def _shown(path):
    return ",".join(path) if isinstance(path, (list, tuple)) else path


class DataFrameWriter:
    """df.write: mode(), option(), then csv() or text()."""

    def __init__(self, df):
        self._df = df
        self._mode = "errorifexists"
        self._options = {}

    def mode(self, saveMode):
        self._mode = (saveMode or "errorifexists").lower()
        return self

    def option(self, key, value):
        self._options[key.lower()] = _to_str(value)
        return self

    def options(self, **options):
        for k, v in options.items():
            self.option(k, v)
        return self

    def format(self, source):
        self._format = source
        return self

    def _prepare(self, path):
        if os.path.exists(path):
            if self._mode in ("error", "errorifexists"):
                raise AnalysisException(
                    "[PATH_ALREADY_EXISTS] Path file:%s already exists. Set "
                    "mode as \"overwrite\" to overwrite the existing path."
                    % os.path.abspath(path),
                    error_class="PATH_ALREADY_EXISTS")
            if self._mode == "ignore":
                return False
            if self._mode == "overwrite":
                import shutil
                shutil.rmtree(path)
        return True

    def csv(self, path, mode=None, header=None, sep=None, **kwargs):
        """The rows as CSV files in directory path (part-00000...)."""
        from pyspark.sql.expressions import cell_text
        if mode:
            self.mode(mode)
        if header is not None:
            self.option("header", header)
        if not self._prepare(path):
            return
        sep = sep or ","
        schema = self._df.schema
        is_header = self._options.get("header", "false") == "true"

        def field(v, dt):
            text = "" if v is None else cell_text(dt.toInternal(v)
                                                  if dt.needConversion()
                                                  else v, dt)
            if any(c in text for c in (sep, '"', "\n", "\r")):
                text = '"%s"' % text.replace('"', '\\"')
            return text

        def lines(rows):
            if is_header:
                yield sep.join(schema.names)
            for r in rows:
                yield sep.join(field(v, f.dataType) for v, f in
                               zip(r, schema.fields))
        self._df.rdd.mapPartitions(lines).saveAsTextFile(path)

    def text(self, path, **kwargs):
        if self._prepare(path):
            self._df.rdd.map(lambda r: r[0]).saveAsTextFile(path)
