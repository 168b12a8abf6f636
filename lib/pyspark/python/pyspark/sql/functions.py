"""pyspark.sql.functions: `from pyspark.sql import functions as F`.

Each function builds an expression; nothing is computed until a job
runs. Aggregates (sum, avg, count, max, min...) are computed by the C
engine's hash aggregation (lib/sql/agg.c); col, lit, when and the
operators by its expression evaluator when they can be (lib/sql/expr.c);
the other functions here -- strings, dates, rounding -- run in Python in
the worker processes, with Spark's rules (null in, null out).

Careful: `from pyspark.sql.functions import *` replaces Python's sum,
max, min, round and abs, as in PySpark.
"""
import builtins
import datetime
import decimal
import math
import re

import _pardemo_sql
from pyspark.sql import expressions as E
from pyspark.sql.column import Column, _expr, _to_expr
from pyspark.sql.types import (
    ArrayType, BooleanType, DataType, DateType, DoubleType, IntegerType,
    LongType, StringType, TimestampType, NumericType, IntegralType,
    _parse_datatype_string)

_EPOCH = datetime.date(1970, 1, 1).toordinal()


# ---- columns and literals

def col(col):
    """The column named col: col("Value")."""
    return Column(_to_expr(col))


column = col


def lit(col):
    """A constant column: lit(1), lit("x")."""
    return col if isinstance(col, Column) else Column(E.Literal(col))


def expr(str):
    """A column from SQL text: expr("Value * 2 AS double")."""
    from pyspark.sql.parser import parse_expression
    return Column(parse_expression(str))


def when(condition, value):
    """CASE WHEN: when(col("x") > 1, "big").otherwise("small")."""
    return Column(E.CaseWhen([(_expr(condition), _expr(value))]))


def coalesce(*cols):
    """The first of cols that is not null."""
    return Column(E.Coalesce([_to_expr(c) for c in cols]))


def isnull(col):
    return Column(E.IsNull(_to_expr(col)))


def isnotnull(col):
    return Column(E.IsNull(_to_expr(col), negated=True))


def desc(col):
    return Column(E.SortOrder(_to_expr(col), False))


def asc(col):
    return Column(E.SortOrder(_to_expr(col), True))


def desc_nulls_last(col):
    return Column(E.SortOrder(_to_expr(col), False, False))


def asc_nulls_last(col):
    return Column(E.SortOrder(_to_expr(col), True, False))


# ---- aggregates (the C engine's)

def _agg(kind, col, shown, distinct=False):
    return Column(E.Agg(kind, _to_expr(col), shown, distinct))


def sum(col):
    return _agg("sum", col, "sum")


def avg(col):
    return _agg("avg", col, "avg")


mean = avg


def max(col):
    return _agg("max", col, "max")


def min(col):
    return _agg("min", col, "min")


def count(col):
    """count("*") counts rows; count("x") the rows where x is not null."""
    e = _to_expr(col)
    if isinstance(e, (E.Star, E.Literal)):
        return Column(E.Agg("count_all", None, "count"))
    return Column(E.Agg("count", e, "count"))


def countDistinct(col, *cols):
    if cols:
        raise NotImplementedError("pardemo counts distinct values of one "
                                  "column (countDistinct(col))")
    return _agg("count", col, "count", distinct=True)


count_distinct = countDistinct


def sum_distinct(col):
    raise NotImplementedError("sum_distinct: use "
                              "df.select(col).distinct().agg(sum(col))")


def first(col, ignorenulls=False):
    return _agg("first", col, "first")


def last(col, ignorenulls=False):
    return _agg("last", col, "last")


def stddev(col):
    return _agg("stddev_samp", col, "stddev")


def stddev_samp(col):
    return _agg("stddev_samp", col, "stddev_samp")


def stddev_pop(col):
    return _agg("stddev_pop", col, "stddev_pop")


def variance(col):
    return _agg("var_samp", col, "variance")


def var_samp(col):
    return _agg("var_samp", col, "var_samp")


def var_pop(col):
    return _agg("var_pop", col, "var_pop")


def collect_list(col):
    return _agg("collect_list", col, "collect_list")


def collect_set(col):
    return _agg("collect_set", col, "collect_set")


# ---- functions run in Python: strings

def _fn(name, cols, rtype, body, shown=None, null_in=True, inputs=None,
        typed=False):
    return Column(E.Func(name, [_to_expr(c) if isinstance(c, (str, Column))
                                else E.Literal(c) for c in cols],
                         rtype, body, shown, null_in, inputs, typed))


def _text_fn(name, col, body, rtype=None, **kw):
    """A function of a string: its argument is cast to string first (an
    int column given to upper() is, as in Spark)."""
    return _fn(name, [col], rtype or _string, body,
               inputs=[StringType()], **kw)


def _string(*_):
    return StringType()


def upper(col):
    return _text_fn("upper", col, str.upper)


def lower(col):
    return _text_fn("lower", col, str.lower)


def length(col):
    return _text_fn("length", col, len, lambda *_: IntegerType())


def trim(col):
    return _text_fn("trim", col, lambda s: s.strip(" "))


def ltrim(col):
    return _text_fn("ltrim", col, lambda s: s.lstrip(" "))


def rtrim(col):
    return _text_fn("rtrim", col, lambda s: s.rstrip(" "))


def initcap(col):
    return _text_fn("initcap", col, lambda s: " ".join(
        w[:1].upper() + w[1:].lower() for w in s.split(" ")))


def reverse(col):
    return _text_fn("reverse", col, lambda s: s[::-1])


def concat(*cols):
    """The strings joined: null if any is null."""
    return _fn("concat", cols, _string, lambda *v: "".join(v),
               inputs=[StringType()] * len(cols))


def concat_ws(sep, *cols):
    """The strings joined by sep, nulls left out."""
    c = _fn("concat_ws", cols, _string, lambda *v: sep.join(
        x for x in v if x is not None), null_in=False,
        inputs=[StringType()] * len(cols))
    c._expr.shown = [sep] + [k.text(False) for k in c._expr.children]
    return c


def substring(str, pos, len):
    """len characters from position pos (1 is the first; -1 the last)."""
    def body(s):
        n = builtins.len(s)
        start = pos - 1 if pos > 0 else n + pos if pos < 0 else 0
        end = start + len
        start = builtins.max(start, 0)
        return s[start:end] if start < end else ""
    return _fn("substring", [str], _string, body,
               shown=[_to_expr(str).text(False), builtins.str(pos),
                      builtins.str(len)])


def lpad(col, len, pad):
    def body(s):
        if builtins.len(s) >= len or not pad:
            return s[:len]
        fill = (pad * len)[:len - builtins.len(s)]
        return fill + s
    return _fn("lpad", [col], _string, body, shown=[
        _to_expr(col).text(False), builtins.str(len), pad])


def rpad(col, len, pad):
    def body(s):
        if builtins.len(s) >= len or not pad:
            return s[:len]
        return s + (pad * len)[:len - builtins.len(s)]
    return _fn("rpad", [col], _string, body, shown=[
        _to_expr(col).text(False), builtins.str(len), pad])


def _java_regex(pattern):
    return re.compile(pattern)


def regexp_replace(string, pattern, replacement):
    rx = _java_regex(pattern)
    repl = re.sub(r"\$(\d+)", r"\\\1", replacement)
    return _fn("regexp_replace", [string], _string,
               lambda s: rx.sub(repl, s),
               shown=[_to_expr(string).text(False), pattern, replacement,
                      "1"])


def regexp_extract(str, pattern, idx):
    rx = _java_regex(pattern)

    def body(s):
        m = rx.search(s)
        return (m.group(idx) or "") if m else ""
    return _fn("regexp_extract", [str], _string, body,
               shown=[_to_expr(str).text(False), pattern, builtins.str(idx)])


def split(str, pattern, limit=-1):
    rx = _java_regex(pattern)

    def body(s):
        parts = rx.split(s, builtins.max(limit - 1, 0))
        return parts
    return _fn("split", [str], lambda *_: ArrayType(StringType(), False),
               body, shown=[_to_expr(str).text(False), pattern,
                            builtins.str(limit)])


def _rlike(col, pattern):
    rx = _java_regex(pattern)
    return _fn("RLIKE", [col], lambda *_: BooleanType(),
               lambda s: rx.search(s) is not None)


def _startswith(col, other):
    return _fn("startswith", [col, lit(other)], lambda *_: BooleanType(),
               lambda s, p: s.startswith(p))


def _endswith(col, other):
    return _fn("endswith", [col, lit(other)], lambda *_: BooleanType(),
               lambda s, p: s.endswith(p))


def _contains(col, other):
    return _fn("contains", [col, lit(other)], lambda *_: BooleanType(),
               lambda s, p: p in s)


# ---- numbers

def _same_type(t, *_):
    return t


def _half_up(v, scale):
    """Spark's round: HALF_UP on the decimal digits Java prints."""
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return v
        d = decimal.Decimal(repr(v)).quantize(decimal.Decimal(1).scaleb(
            -scale), rounding=decimal.ROUND_HALF_UP)
        return float(d)
    q = 10 ** builtins.max(-scale, 0)
    return (builtins.abs(v) + q // 2) // q * q * (1 if v >= 0 else -1)


def round(col, scale=0):
    """Rounded to scale decimal places, halves away from zero."""
    return _fn("round", [col], _same_type, lambda v: _half_up(v, scale),
               shown=[_to_expr(col).text(False), builtins.str(scale)])


def abs(col):
    return _fn("abs", [col], _same_type, builtins.abs)


def sqrt(col):
    return _fn("SQRT", [col], lambda *_: DoubleType(),
               lambda v: math.sqrt(v) if v >= 0 else float("nan"))


def pow(col1, col2):
    return _fn("POWER", [col1, col2], lambda *_: DoubleType(),
               lambda a, b: float(a) ** float(b))


def floor(col):
    return _fn("FLOOR", [col], lambda *_: LongType(),
               lambda v: int(math.floor(v)))


def ceil(col):
    return _fn("CEIL", [col], lambda *_: LongType(),
               lambda v: int(math.ceil(v)))


def isnan(col):
    return _fn("isnan", [col], lambda *_: BooleanType(),
               lambda v: isinstance(v, float) and math.isnan(v),
               null_in=False)


def greatest(*cols):
    return _fn("greatest", cols, _same_type, lambda *v: builtins.max(
        (x for x in v if x is not None), default=None), null_in=False)


def least(*cols):
    return _fn("least", cols, _same_type, lambda *v: builtins.min(
        (x for x in v if x is not None), default=None), null_in=False)


def hash(*cols):
    """Spark's hash(): Murmur3 of the columns, seed 42 (lib/sql/hash.c)."""
    return _fn("hash", cols, lambda *_: IntegerType(),
               lambda types, *v: _pardemo_sql.hash(
                   list(v), [E.type_code(t) for t in types]),
               null_in=False, typed=True)


# ---- dates (internally: days since 1970-01-01)

def _date_of(days):
    return datetime.date.fromordinal(days + _EPOCH)


def _date_fn(name, col, part):
    e = _to_expr(col)       # a timestamp is cast to its date first
    return Column(E.Func(name, [E.Cast(e, DateType())],
                         lambda *_: IntegerType(),
                         lambda d: part(_date_of(d)), [e.text(False)]))


def year(col):
    return _date_fn("year", col, lambda d: d.year)


def month(col):
    return _date_fn("month", col, lambda d: d.month)


def dayofmonth(col):
    return _date_fn("dayofmonth", col, lambda d: d.day)


def dayofweek(col):
    return _date_fn("dayofweek", col, lambda d: d.isoweekday() % 7 + 1)


def to_date(col, format=None):
    """A string as a date: to_date("Date", "dd/MM/yyyy")."""
    if format is None:
        return Column(E.Cast(_to_expr(col), DateType()))
    return _fn("to_date", [col], lambda *_: DateType(),
               lambda s: _pardemo_sql.parse_date(s, format),
               shown=[_to_expr(col).text(False), format])


def current_date():
    return Column(E.Literal(datetime.date.today()))


def datediff(end, start):
    return _fn("datediff", [end, start], lambda *_: IntegerType(),
               lambda a, b: a - b)


def date_add(start, days):
    return _fn("date_add", [start, lit(days)], lambda *_: DateType(),
               lambda d, n: d + n)


def date_sub(start, days):
    return _fn("date_sub", [start, lit(days)], lambda *_: DateType(),
               lambda d, n: d - n)


_JAVA_DATE = [("yyyy", "%Y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"),
              ("dd", "%d"), ("EEEE", "%A"), ("EEE", "%a"), ("HH", "%H"),
              ("mm", "%M"), ("ss", "%S"), ("yy", "%y")]


def date_format(date, format):
    """A date as text by a Java pattern: date_format("d", "yyyy/MM")."""
    fmt = format
    for java, c in _JAVA_DATE:
        fmt = fmt.replace(java, c)
    return _fn("date_format", [date], _string,
               lambda d: _date_of(d).strftime(fmt),
               shown=[_to_expr(date).text(False), format])


# ---- arrays

def size(col):
    return _fn("size", [col], lambda *_: IntegerType(),
               lambda a: -1 if a is None else builtins.len(a),
               null_in=False)


def array_contains(col, value):
    return _fn("array_contains", [col, lit(value)], lambda *_: BooleanType(),
               lambda a, v: v in a)


# ---- your own functions

def udf(f=None, returnType=StringType()):
    """A Python function as a column function (it runs in the workers):
    udf(lambda s: s[::-1], "string"), or as a decorator."""
    if f is None or isinstance(f, (str, DataType)):
        rt = returnType if f is None else f
        return lambda fn: udf(fn, rt)
    if isinstance(returnType, str):
        returnType = _parse_datatype_string(returnType)
    name = getattr(f, "__name__", "udf")

    def wrapper(*cols):
        return Column(E.UDF(f, returnType, [_to_expr(c) for c in cols],
                            name))
    wrapper.func = f
    wrapper.returnType = returnType
    wrapper.__name__ = name
    return wrapper
