"""Column: a column expression, as you write it.

col("Value") > 100 does not compare anything: it builds an expression
(pyspark/sql/expressions.py) that a DataFrame evaluates for each row when
a job runs. Python's operators are overloaded to build it: + - * / %,
== != < <= > >=, and & | ~ for AND, OR and NOT (Python's own and/or/not
cannot be overloaded: using them on a Column is an error, as in PySpark).
"""
from pyspark.errors import PySparkTypeError, PySparkValueError
from pyspark.sql import expressions as E

__all__ = ["Column"]


def _expr(x):
    """A Column's expression, or a Python value as a literal."""
    if isinstance(x, Column):
        return x._expr
    return E.Literal(x)


def _to_expr(c, arg="col"):
    """A column given by name ("Value", "*") or as a Column."""
    if isinstance(c, Column):
        return c._expr
    if isinstance(c, str):
        return E.Star() if c == "*" else E.ColumnRef(c)
    raise PySparkTypeError(error_class="NOT_COLUMN_OR_STR",
                           message_parameters={"arg_name": arg,
                                               "arg_type": type(c).__name__})


class Column:
    """A column expression: col("x"), df.x, df["x"], lit(1), x + 1..."""

    def __init__(self, expr):
        self._expr = expr

    def __repr__(self):
        return "Column<'%s'>" % self._expr.text(False)

    # ---- arithmetic

    def _arith(self, op, other, reverse=False):
        a, b = self._expr, _expr(other)
        return Column(E.Arith(op, b, a) if reverse else E.Arith(op, a, b))

    def __add__(self, other):
        return self._arith("add", other)

    def __radd__(self, other):
        return self._arith("add", other, True)

    def __sub__(self, other):
        return self._arith("sub", other)

    def __rsub__(self, other):
        return self._arith("sub", other, True)

    def __mul__(self, other):
        return self._arith("mul", other)

    def __rmul__(self, other):
        return self._arith("mul", other, True)

    def __truediv__(self, other):
        return self._arith("div", other)

    def __rtruediv__(self, other):
        return self._arith("div", other, True)

    def __mod__(self, other):
        return self._arith("mod", other)

    def __rmod__(self, other):
        return self._arith("mod", other, True)

    def __pow__(self, other):
        from pyspark.sql.functions import pow as _pow
        return _pow(self, other)

    def __neg__(self):
        return Column(E.Negate(self._expr))

    # ---- comparison and logic

    def _cmp(self, op, other):
        return Column(E.Compare(op, self._expr, _expr(other)))

    def __eq__(self, other):
        return self._cmp("eq", other)

    def __ne__(self, other):
        return Column(E.Not(E.Compare("eq", self._expr, _expr(other))))

    def __lt__(self, other):
        return self._cmp("lt", other)

    def __le__(self, other):
        return self._cmp("le", other)

    def __gt__(self, other):
        return self._cmp("gt", other)

    def __ge__(self, other):
        return self._cmp("ge", other)

    def eqNullSafe(self, other):
        """Equality where NULL <=> NULL is true."""
        return self._cmp("eqns", other)

    def __and__(self, other):
        return Column(E.And(self._expr, _expr(other)))

    def __rand__(self, other):
        return Column(E.And(_expr(other), self._expr))

    def __or__(self, other):
        return Column(E.Or(self._expr, _expr(other)))

    def __ror__(self, other):
        return Column(E.Or(_expr(other), self._expr))

    def __invert__(self):
        return Column(E.Not(self._expr))

    def __bool__(self):
        raise PySparkValueError(error_class="CANNOT_CONVERT_COLUMN_INTO_BOOL",
                                message_parameters={})

    __nonzero__ = __bool__
    __hash__ = object.__hash__

    def __contains__(self, item):
        raise PySparkValueError(
            error_class="CANNOT_APPLY_IN_FOR_COLUMN",
            message="[CANNOT_APPLY_IN_FOR_COLUMN] Cannot apply 'in' operator "
                    "against a column: please use 'contains' in a string "
                    "column or 'array_contains' function for an array "
                    "column.")

    def __iter__(self):
        raise PySparkTypeError(error_class="NOT_ITERABLE",
                               message="[NOT_ITERABLE] Column is not "
                                       "iterable.")

    # ---- predicates

    def isNull(self):
        return Column(E.IsNull(self._expr))

    def isNotNull(self):
        return Column(E.IsNull(self._expr, negated=True))

    def isin(self, *cols):
        """True when the value is one of cols (a list works too)."""
        if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
            cols = tuple(cols[0])
        return Column(E.In(self._expr, [_expr(c) for c in cols]))

    def like(self, pattern):
        """SQL's LIKE: % any characters, _ one character."""
        return Column(E.Like(self._expr, E.Literal(pattern)))

    def between(self, lowerBound, upperBound):
        return (self >= lowerBound) & (self <= upperBound)

    def rlike(self, pattern):
        from pyspark.sql.functions import _rlike
        return _rlike(self, pattern)

    def startswith(self, other):
        from pyspark.sql.functions import _startswith
        return _startswith(self, other)

    def endswith(self, other):
        from pyspark.sql.functions import _endswith
        return _endswith(self, other)

    def contains(self, other):
        from pyspark.sql.functions import _contains
        return _contains(self, other)

    def substr(self, startPos, length):
        from pyspark.sql.functions import substring
        return substring(self, startPos, length)

    def isNaN(self):
        from pyspark.sql.functions import isnan
        return isnan(self)

    # ---- naming, types, order

    def alias(self, *alias, **kwargs):
        """The column under another name: (col("x") * 2).alias("double")."""
        if len(alias) != 1:
            raise PySparkValueError(
                error_class="ONLY_ALLOWED_FOR_SINGLE_COLUMN",
                message_parameters={"arg_name": "metadata"})
        return Column(E.Alias(self._expr, alias[0]))

    name = alias

    def cast(self, dataType):
        """The column as another type: cast("int"), cast(DoubleType())."""
        from pyspark.sql.types import DataType, _parse_datatype_string
        if isinstance(dataType, str):
            dataType = _parse_datatype_string(dataType)
        if not isinstance(dataType, DataType):
            raise PySparkTypeError(
                error_class="NOT_DATATYPE_OR_STR",
                message="[NOT_DATATYPE_OR_STR] Argument `dataType` should be "
                        "a DataType or str, got %s." % type(dataType).__name__)
        return Column(E.Cast(self._expr, dataType))

    astype = cast

    def asc(self):
        return Column(E.SortOrder(self._expr, True))

    def desc(self):
        return Column(E.SortOrder(self._expr, False))

    def asc_nulls_first(self):
        return Column(E.SortOrder(self._expr, True, True))

    def asc_nulls_last(self):
        return Column(E.SortOrder(self._expr, True, False))

    def desc_nulls_first(self):
        return Column(E.SortOrder(self._expr, False, True))

    def desc_nulls_last(self):
        return Column(E.SortOrder(self._expr, False, False))

    # ---- when(...).otherwise(...)

    def when(self, condition, value):
        if not isinstance(self._expr, E.CaseWhen):
            raise PySparkTypeError(
                error_class="INVALID_WHEN_USAGE",
                message="[INVALID_WHEN_USAGE] when() can only be applied on a "
                        "Column previously generated by when() function, and "
                        "cannot be applied once otherwise() is applied.")
        return Column(self._expr.when(_expr(condition), _expr(value)))

    def otherwise(self, value):
        if not isinstance(self._expr, E.CaseWhen):
            raise PySparkTypeError(
                error_class="INVALID_WHEN_USAGE",
                message="[INVALID_WHEN_USAGE] otherwise() can only be applied "
                        "on a Column previously generated by when() function, "
                        "and cannot be applied once otherwise() is applied.")
        return Column(self._expr.otherwise(_expr(value)))
