"""The expressions behind Columns: col("Value") > 100 is a tree,
Compare(">", ColumnRef("Value"), Literal(100)).

A DataFrame resolves each tree against its input columns when it is made
(Spark's analyzer): names become column positions, types are worked out
and casts put in where types differ (an int compared with a double is
cast to double), and an unknown name raises AnalysisException at once,
before any job. A resolved tree then runs one of two ways:

- to_c() describes it to the C engine (lib/sql/expr.c), which evaluates
  it per row inside the stage's loop: filters and projections of columns,
  literals, arithmetic, comparisons, AND/OR/NOT, IN, LIKE, casts;
- eval(row) evaluates it in Python (in the worker processes), for
  everything else: string functions, dates, your own UDFs.

name() is the column name Spark gives an expression: "(Value > 100)",
"sum(Value)", "upper(Country)".
"""
import math

import _pardemo_sql
from pyspark.sql.types import (
    DataType, NullType, StringType, BooleanType, DateType, TimestampType,
    NumericType, IntegralType, ByteType, ShortType, IntegerType, LongType,
    FloatType, DoubleType, DecimalType, ArrayType, MapType, StructType,
    BinaryType)

_ORDER = [ByteType, ShortType, IntegerType, LongType, FloatType, DoubleType]
_C_TYPES = (NullType, BooleanType, ByteType, ShortType, IntegerType,
            LongType, FloatType, DoubleType, StringType, DateType,
            TimestampType)
_WIDTH = {ByteType: 8, ShortType: 16, IntegerType: 32, LongType: 64}


def analysis_error(error_class, message):
    from pyspark.errors import AnalysisException
    return AnalysisException("[%s] %s" % (error_class, message),
                             error_class=error_class)


def quote(name):
    """Spark's toSQLId: `name`, with backticks doubled inside."""
    return "`%s`" % name.replace("`", "``")


def java_double(d):
    """Java's Double.toString, as Spark prints doubles: 1.0E7."""
    return _pardemo_sql.cell(float(d), DoubleType().c_code)


def is_c_type(dt):
    return isinstance(dt, _C_TYPES)


def type_code(dt):
    """lib/sql's code of a type: its own for the C types, "other" else."""
    return dt.c_code if is_c_type(dt) else _pardemo_sql.TYPES["other"]


def wider(a, b):
    """The numeric type both a and b fit in (byte < ... < double)."""
    ia = next(i for i, t in enumerate(_ORDER) if isinstance(a, t))
    ib = next(i for i, t in enumerate(_ORDER) if isinstance(b, t))
    return _ORDER[max(ia, ib)]()


def wrap(v, dt):
    """An integer wrapped to the type's width, as Java's ints overflow."""
    bits = _WIDTH.get(type(dt))
    if v is None or bits is None:
        return v
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


class Attribute:
    """A column of a plan's output: name, type, nullability and a unique
    id (Spark's exprId: "Value#8" in explain)."""

    _next_id = 0

    def __init__(self, name, dataType, nullable=True, qualifier=None,
                 attr_id=None):
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.qualifier = qualifier
        if attr_id is None:
            attr_id = Attribute._next_id
            Attribute._next_id += 1
        self.id = attr_id

    def sql(self):
        return "%s#%d%s" % (self.name, self.id,
                            "L" if isinstance(self.dataType, LongType)
                            else "")

    def renamed(self, name):
        return Attribute(name, self.dataType, self.nullable, self.qualifier,
                         self.id)

    def with_qualifier(self, qualifier):
        return Attribute(self.name, self.dataType, self.nullable, qualifier,
                         self.id)

    def __repr__(self):
        return self.sql()


class Expression:
    """A node of an expression tree. Unresolved until resolve(input)
    returns a copy bound to the input's columns, with dataType and
    nullable set."""

    children = ()
    dataType = None
    nullable = True

    def resolve(self, inputs):
        return self._with([c.resolve(inputs) for c in self.children])

    def _with(self, children):
        """A copy with these children, typed (subclasses type it)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.children = list(children)
        new._typed()
        return new

    def _typed(self):
        pass

    def name(self):
        """Spark's pretty SQL: the column name of an unaliased result."""
        return self.text(False)

    def text(self, ids):
        raise NotImplementedError

    def eval(self, row):
        raise NotImplementedError

    def to_c(self):
        """(op, type, args...) for lib/sql, or None: Python only."""
        return None

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def has_agg(self):
        return any(isinstance(e, Agg) for e in self.walk())


def _c(op, dt, *args):
    """A C program node, or None when a part is not C's."""
    if not is_c_type(dt) or any(a is None for a in args):
        return None
    return (op, dt.c_code) + args


class ColumnRef(Expression):
    """col("Value"), or df["Value"] (which remembers the column's id)."""

    def __init__(self, name, attr_id=None):
        self.colname = name
        self.attr_id = attr_id

    def resolve(self, inputs):
        from pyspark.sql.plan import resolve_name
        index = resolve_name(self.colname, inputs, self.attr_id)
        return BoundRef(index, inputs[index])

    def text(self, ids):
        return self.colname


class BoundRef(Expression):
    """A resolved column: its position in the input row."""

    def __init__(self, index, attr):
        self.index = index
        self.attr = attr
        self.dataType = attr.dataType
        self.nullable = attr.nullable

    def resolve(self, inputs):
        from pyspark.sql.plan import resolve_name
        index = resolve_name(self.attr.name, inputs, self.attr.id)
        return BoundRef(index, inputs[index])

    def text(self, ids):
        return self.attr.sql() if ids else self.attr.name

    def eval(self, row):
        return row[self.index]

    def to_c(self):
        return ("col", type_code(self.dataType), self.index)


class Star(Expression):
    """col("*"): all the columns (expanded by select)."""

    def __init__(self, qualifier=None):
        self.qualifier = qualifier

    def text(self, ids):
        return "*"


class Literal(Expression):
    """lit(100): a constant, held in its internal form."""

    def __init__(self, value, dataType=None):
        if dataType is None:
            dataType = literal_type(value)
            value = dataType.toInternal(value)
        self.value = value
        self.dataType = dataType
        self.nullable = value is None

    def resolve(self, inputs):
        return self

    def text(self, ids):
        v, dt = self.value, self.dataType
        if v is None:
            return "NULL"
        if isinstance(dt, BooleanType):
            return "true" if v else "false"
        if isinstance(dt, (FloatType, DoubleType)):
            return java_double(v)
        if isinstance(dt, DateType):
            return "DATE '%s'" % dt.fromInternal(v)
        if isinstance(dt, TimestampType):
            return "TIMESTAMP '%s'" % _pardemo_sql.cell(v, dt.c_code)
        return str(v)

    def eval(self, row):
        return self.value

    def to_c(self):
        if isinstance(self.value, (list, dict, tuple)):
            return None
        return _c("lit", self.dataType, self.value)


def literal_type(value):
    import datetime
    import decimal
    if value is None:
        return NullType()
    if isinstance(value, bool):
        return BooleanType()
    if isinstance(value, int):
        return IntegerType() if -2 ** 31 <= value < 2 ** 31 else LongType()
    if isinstance(value, float):
        return DoubleType()
    if isinstance(value, str):
        return StringType()
    if isinstance(value, datetime.datetime):
        return TimestampType()
    if isinstance(value, datetime.date):
        return DateType()
    if isinstance(value, decimal.Decimal):
        return DecimalType(38, 18)
    from pyspark.errors import PySparkTypeError
    raise PySparkTypeError(
        error_class="UNSUPPORTED_LITERAL",
        message="[UNSUPPORTED_LITERAL] Unsupported Literal '%r'." % (value,))


class Alias(Expression):
    """expr.alias("total"): the same value under another name."""

    def __init__(self, child, alias):
        self.children = [child]
        self.alias = alias

    def _typed(self):
        self.dataType = self.children[0].dataType
        self.nullable = self.children[0].nullable

    def name(self):
        return self.alias

    def text(self, ids):
        return "%s AS %s" % (self.children[0].text(ids), self.alias)

    def eval(self, row):
        return self.children[0].eval(row)

    def to_c(self):
        return self.children[0].to_c()


# ---- casts: the analyzer's, and yours

def cast_to(e, dt):
    """e as type dt: e itself when it already is. The analyzer's casts
    are not part of a column's name: (age > 4) stays (age > 4)."""
    if e.dataType == dt:
        return e
    return Cast(e, dt, implicit=True)._with([e])


class Cast(Expression):
    """col.cast("int"): Spark's CAST without ANSI mode (a string that is
    not a number becomes null)."""

    def __init__(self, child, dataType, implicit=False):
        self.children = [child]
        self.target = dataType
        self.implicit = implicit

    def name(self):
        """A cast column keeps the column's name (Spark's ResolveAliases)."""
        child = self.children[0]
        if isinstance(child, (ColumnRef, BoundRef)):
            return child.name()
        return Expression.name(self)

    def _typed(self):
        src = self.children[0].dataType
        self.dataType = self.target
        self.nullable = True
        if not can_cast(src, self.target):
            raise analysis_error(
                "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
                "Cannot resolve \"%s\" due to data type mismatch: cannot "
                "cast \"%s\" to \"%s\"." % (self.name(), src.sql(),
                                            self.target.sql()))

    def text(self, ids):
        if self.implicit and not ids:
            return self.children[0].text(ids)
        return "CAST(%s AS %s)" % (self.children[0].text(ids),
                                   self.target.sql())

    def eval(self, row):
        v = self.children[0].eval(row)
        src = self.children[0].dataType
        if v is None:
            return None
        if is_c_type(src) and is_c_type(self.target):
            return _pardemo_sql.cast(v, src.c_code, self.target.c_code)
        if isinstance(self.target, StringType):
            return cell_text(v, src)
        return v

    def to_c(self):
        if not is_c_type(self.children[0].dataType):
            return None
        return _c("cast", self.dataType, self.children[0].to_c())


def can_cast(src, dst):
    """Does Spark cast src to dst (without ANSI mode)?"""
    numeric_like = (NumericType, BooleanType, TimestampType)
    if src == dst or isinstance(src, NullType) or isinstance(dst,
                                                             StringType):
        return True
    if isinstance(src, StringType):
        return is_c_type(dst) or isinstance(dst, BinaryType)
    if isinstance(dst, DateType) or isinstance(src, DateType):
        return isinstance(src, (TimestampType, DateType)) and \
            isinstance(dst, (TimestampType, DateType))
    return isinstance(src, numeric_like) and isinstance(dst, numeric_like)


def cell_text(v, dt, pretty=False):
    """A value as Spark's CAST to string writes it (arrays [1, 2],
    structs {1, a}, maps {a -> 1}); pretty: as show() writes it (NULL
    for null, inside too)."""
    null = "NULL" if pretty else "null"
    if v is None:
        return null if pretty else None
    if is_c_type(dt):
        return _pardemo_sql.cast(v, dt.c_code, StringType().c_code)
    if isinstance(dt, ArrayType):
        return "[" + ", ".join(null if x is None else
                               cell_text(x, dt.elementType, pretty)
                               for x in v) + "]"
    if isinstance(dt, MapType):
        return "{" + ", ".join("%s -> %s" % (
            cell_text(k, dt.keyType, pretty), null if x is None else
            cell_text(x, dt.valueType, pretty)) for k, x in v.items()) + "}"
    if isinstance(dt, StructType):
        return "{" + ", ".join(null if x is None else
                               cell_text(x, f.dataType, pretty)
                               for f, x in zip(dt.fields, v)) + "}"
    return str(v)


# ---- arithmetic and comparison

class Arith(Expression):
    """+ - * / %: Spark's types (int + long is long, / is always double)
    and its rules (x / 0 is null, ints wrap around)."""

    SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/", "mod": "%"}

    def __init__(self, op, left, right):
        self.op = op
        self.children = [left, right]

    def _typed(self):
        l, r = self.children
        lt, rt = l.dataType, r.dataType
        if isinstance(lt, StringType):
            lt = DoubleType()
        if isinstance(rt, StringType):
            rt = DoubleType()
        if isinstance(lt, NullType):
            lt = rt if isinstance(rt, NumericType) else DoubleType()
        if isinstance(rt, NullType):
            rt = lt
        if not isinstance(lt, NumericType) or not isinstance(rt,
                                                             NumericType):
            raise mismatch(self, "the binary operator requires the input "
                           "type (\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" "
                           "or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\"), "
                           "not \"%s\"" % (l.dataType if not isinstance(
                               lt, NumericType) else r.dataType).sql())
        dt = DoubleType() if self.op == "div" else wider(lt, rt)
        self.children = [cast_to(l, dt), cast_to(r, dt)]
        self.dataType = dt

    def text(self, ids):
        return "(%s %s %s)" % (self.children[0].text(ids),
                               self.SYMBOL[self.op],
                               self.children[1].text(ids))

    def eval(self, row):
        a, b = (c.eval(row) for c in self.children)
        if a is None or b is None:
            return None
        if self.op in ("div", "mod") and b == 0:
            return None
        if self.op == "add":
            v = a + b
        elif self.op == "sub":
            v = a - b
        elif self.op == "mul":
            v = a * b
        elif self.op == "div":
            return a / b
        elif isinstance(self.dataType, IntegralType):     # Java's %
            v = abs(a) % abs(b)
            v = -v if a < 0 else v
        else:
            v = math.fmod(a, b)
        return wrap(v, self.dataType)

    def to_c(self):
        return _c(self.op, self.dataType, *(c.to_c() for c in self.children))


def mismatch(e, why):
    return analysis_error(
        "DATATYPE_MISMATCH",
        "Cannot resolve \"%s\" due to data type mismatch: %s." % (e.name(),
                                                                  why))


class Negate(Expression):
    def __init__(self, child):
        self.children = [child]

    def _typed(self):
        self.dataType = self.children[0].dataType

    def text(self, ids):
        return "(- %s)" % self.children[0].text(ids)

    def eval(self, row):
        v = self.children[0].eval(row)
        return None if v is None else wrap(-v, self.dataType)

    def to_c(self):
        return _c("neg", self.dataType, self.children[0].to_c())


def comparable_type(lt, rt):
    """The type two sides of a comparison are compared as (Spark's
    findCommonTypeForBinaryComparison): numbers as the wider, a string
    against a number or a date as that type."""
    if lt == rt:
        return lt
    if isinstance(lt, NullType):
        return rt
    if isinstance(rt, NullType):
        return lt
    if isinstance(lt, NumericType) and isinstance(rt, NumericType):
        return wider(lt, rt)
    if isinstance(lt, StringType) and is_c_type(rt):
        return rt
    if isinstance(rt, StringType) and is_c_type(lt):
        return lt
    if {type(lt), type(rt)} == {DateType, TimestampType}:
        return TimestampType()
    return None


def sort_value(v):
    """Spark's order of values of one type: NaN above every number."""
    if isinstance(v, float) and math.isnan(v):
        return (1, 0.0)
    return (0, v)


class Compare(Expression):
    """= < <= > >= and <=> (null-safe equality)."""

    SYMBOL = {"eq": "=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
              "eqns": "<=>"}

    def __init__(self, op, left, right):
        self.op = op
        self.children = [left, right]

    def _typed(self):
        l, r = self.children
        dt = comparable_type(l.dataType, r.dataType)
        if dt is None:
            raise mismatch(self, "the left and right operands of the binary "
                           "operator have incompatible types (\"%s\" and "
                           "\"%s\")" % (l.dataType.sql(), r.dataType.sql()))
        self.children = [cast_to(l, dt), cast_to(r, dt)]
        self.dataType = BooleanType()
        self.nullable = self.op != "eqns"

    def text(self, ids):
        return "(%s %s %s)" % (self.children[0].text(ids),
                               self.SYMBOL[self.op],
                               self.children[1].text(ids))

    def eval(self, row):
        a, b = (c.eval(row) for c in self.children)
        if self.op == "eqns" and (a is None or b is None):
            return a is None and b is None
        if a is None or b is None:
            return None
        a, b = sort_value(a), sort_value(b)
        return {"eq": a == b, "eqns": a == b, "lt": a < b, "le": a <= b,
                "gt": a > b, "ge": a >= b}[self.op]

    def to_c(self):
        return _c(self.op, self.dataType, *(c.to_c() for c in self.children))


def boolean_input(e, parent):
    if isinstance(e.dataType, NullType):
        return cast_to(e, BooleanType())
    if not isinstance(e.dataType, BooleanType):
        raise mismatch(parent, "the binary operator requires the input type "
                       "\"BOOLEAN\", not \"%s\"" % e.dataType.sql())
    return e


class And(Expression):
    """a & b: false AND null is false; true AND null is null."""

    word = "AND"

    def __init__(self, left, right):
        self.children = [left, right]

    def _typed(self):
        self.children = [boolean_input(c, self) for c in self.children]
        self.dataType = BooleanType()

    def text(self, ids):
        return "(%s %s %s)" % (self.children[0].text(ids), self.word,
                               self.children[1].text(ids))

    def eval(self, row):
        a = self.children[0].eval(row)
        if a is False:
            return False
        b = self.children[1].eval(row)
        if b is False:
            return False
        return None if a is None or b is None else True

    def to_c(self):
        return _c("and", self.dataType, *(c.to_c() for c in self.children))


class Or(And):
    """a | b: true OR null is true; false OR null is null."""

    word = "OR"

    def eval(self, row):
        a = self.children[0].eval(row)
        if a is True:
            return True
        b = self.children[1].eval(row)
        if b is True:
            return True
        return None if a is None or b is None else False

    def to_c(self):
        return _c("or", self.dataType, *(c.to_c() for c in self.children))


class Not(Expression):
    def __init__(self, child):
        self.children = [child]

    def _typed(self):
        self.children = [boolean_input(self.children[0], self)]
        self.dataType = BooleanType()

    def text(self, ids):
        return "(NOT %s)" % self.children[0].text(ids)

    def eval(self, row):
        v = self.children[0].eval(row)
        return None if v is None else not v

    def to_c(self):
        return _c("not", self.dataType, self.children[0].to_c())


class IsNull(Expression):
    def __init__(self, child, negated=False):
        self.children = [child]
        self.negated = negated

    def _typed(self):
        self.dataType = BooleanType()
        self.nullable = False

    def text(self, ids):
        return "(%s IS %sNULL)" % (self.children[0].text(ids),
                                   "NOT " if self.negated else "")

    def eval(self, row):
        return (self.children[0].eval(row) is None) != self.negated

    def to_c(self):
        return _c("isnotnull" if self.negated else "isnull", self.dataType,
                  self.children[0].to_c())


class In(Expression):
    """col.isin(1, 2, 3)."""

    def __init__(self, value, items):
        self.children = [value] + list(items)

    def _typed(self):
        dt = self.children[0].dataType
        for c in self.children[1:]:
            dt = comparable_type(dt, c.dataType) or dt
        self.children = [cast_to(c, dt) for c in self.children]
        self.dataType = BooleanType()

    def text(self, ids):
        return "(%s IN (%s))" % (self.children[0].text(ids), ", ".join(
            c.text(ids) for c in self.children[1:]))

    def eval(self, row):
        v = self.children[0].eval(row)
        if v is None:
            return None
        items = [c.eval(row) for c in self.children[1:]]
        if any(sort_value(v) == sort_value(x) for x in items
               if x is not None):
            return True
        return None if None in items else False

    def to_c(self):
        return _c("in", self.dataType, *(c.to_c() for c in self.children))


class Like(Expression):
    """col.like("A%"): % any run of characters, _ one character."""

    def __init__(self, value, pattern):
        self.children = [value, pattern]

    def _typed(self):
        self.children = [cast_to(c, StringType()) for c in self.children]
        self.dataType = BooleanType()

    def text(self, ids):
        return "%s LIKE %s" % (self.children[0].text(ids),
                               self.children[1].text(ids))

    def eval(self, row):
        s, p = (c.eval(row) for c in self.children)
        if s is None or p is None:
            return None
        return _pardemo_sql.like(s, p)

    def to_c(self):
        return _c("like", self.dataType, *(c.to_c() for c in self.children))


class CaseWhen(Expression):
    """when(cond, value).when(...).otherwise(value)."""

    def __init__(self, branches, otherwise=None):
        self.children = [x for b in branches for x in b]
        self.has_else = otherwise is not None
        if self.has_else:
            self.children.append(otherwise)

    def when(self, cond, value):
        branches = list(zip(self.children[0::2], self.children[1::2]))
        if self.has_else:
            raise TypeError("when() cannot be applied once otherwise() "
                            "is applied")
        return CaseWhen(branches + [(cond, value)])

    def otherwise(self, value):
        if self.has_else:
            raise TypeError("otherwise() can only be applied once on a "
                            "Column previously generated by when()")
        return CaseWhen(list(zip(self.children[0::2], self.children[1::2])),
                        value)

    def _typed(self):
        n = len(self.children) - self.has_else
        values = self.children[1:n:2] + self.children[n:]
        dt = NullType()
        for v in values:
            dt = common_type(dt, v.dataType, self)
        kids = list(self.children)
        for i in range(len(kids)):
            is_cond = i < n and i % 2 == 0
            kids[i] = boolean_input(kids[i], self) if is_cond \
                else cast_to(kids[i], dt)
        self.children = kids
        self.dataType = dt

    def text(self, ids):
        n = len(self.children) - self.has_else
        parts = ["CASE"]
        for i in range(0, n, 2):
            parts.append("WHEN %s THEN %s" % (self.children[i].text(ids),
                                              self.children[i + 1].text(ids)))
        if self.has_else:
            parts.append("ELSE %s" % self.children[-1].text(ids))
        return " ".join(parts + ["END"])

    def eval(self, row):
        n = len(self.children) - self.has_else
        for i in range(0, n, 2):
            if self.children[i].eval(row) is True:
                return self.children[i + 1].eval(row)
        return self.children[-1].eval(row) if self.has_else else None

    def to_c(self):
        return _c("case", self.dataType, *(c.to_c() for c in self.children))


def common_type(a, b, e):
    """The type two branches (or union columns) are given."""
    if a == b or isinstance(b, NullType):
        return a
    if isinstance(a, NullType):
        return b
    if isinstance(a, NumericType) and isinstance(b, NumericType):
        return wider(a, b)
    if isinstance(a, StringType) or isinstance(b, StringType):
        return StringType()
    raise mismatch(e, "the input should all be the same type, but it's "
                   "[\"%s\", \"%s\"]" % (a.sql(), b.sql()))


class Coalesce(Expression):
    def __init__(self, args):
        self.children = list(args)

    def _typed(self):
        dt = NullType()
        for c in self.children:
            dt = common_type(dt, c.dataType, self)
        self.children = [cast_to(c, dt) for c in self.children]
        self.dataType = dt

    def text(self, ids):
        return "coalesce(%s)" % ", ".join(c.text(ids) for c in self.children)

    def eval(self, row):
        for c in self.children:
            v = c.eval(row)
            if v is not None:
                return v
        return None

    def to_c(self):
        return _c("coalesce", self.dataType,
                  *(c.to_c() for c in self.children))


# ---- functions evaluated in Python

class Func(Expression):
    """A function of pyspark.sql.functions evaluated in Python: its name,
    its result type (from the argument types) and its Python body, which
    sees internal values (a date is days since 1970) and None for null."""

    def __init__(self, fname, args, rtype, body, shown=None, null_in=True,
                 inputs=None, typed=False):
        self.fname = fname
        self.children = list(args)
        self.rtype = rtype          # f(argument types) -> DataType
        self.body = body            # f(*values) -> value
        self.shown = shown          # the arguments as the name shows them
        self.null_in = null_in      # a null argument gives null
        self.inputs = inputs        # the type each argument is cast to
        self.typed = typed          # body(types, *values)

    def _typed(self):
        if self.inputs is not None:
            self.children = [c if t is None else cast_to(c, t) for c, t in
                             zip(self.children, self.inputs)]
        self.dataType = self.rtype(*[c.dataType for c in self.children])

    def text(self, ids):
        args = self.shown if self.shown is not None else \
            [c.text(ids) for c in self.children]
        return "%s(%s)" % (self.fname, ", ".join(args))

    def eval(self, row):
        args = [c.eval(row) for c in self.children]
        if self.null_in and any(a is None for a in args):
            return None
        if self.typed:
            return self.body([c.dataType for c in self.children], *args)
        return self.body(*args)


class UDF(Func):
    """udf(f, returnType)(col): your Python function, in the workers. It
    sees Python values (datetime.date), as PySpark's UDFs do."""

    def __init__(self, fn, returnType, args, fname):
        super().__init__(fname, args, lambda *_: returnType, fn,
                         null_in=False)

    def eval(self, row):
        args = [c.dataType.fromInternal(c.eval(row))
                if c.dataType.needConversion() else c.eval(row)
                for c in self.children]
        return self.dataType.toInternal(self.body(*args))


# ---- aggregates and sort orders (only where they belong)

class Agg(Expression):
    """sum(x), count(*), avg(x)...: evaluated by the C hash aggregation
    (lib/sql/agg.c), so only inside groupBy().agg() or select()."""

    def __init__(self, kind, child, shown, distinct=False):
        self.kind = kind            # lib/sql's name: "sum", "count_all"
        self.children = [child] if child is not None else []
        self.shown = shown          # "sum", "avg", "count"
        self.distinct = distinct

    def _typed(self):
        k = self.kind
        if not self.children:
            self.dataType, self.nullable = LongType(), False
            return
        c = self.children[0]
        dt = c.dataType
        if k in ("sum", "avg", "stddev_samp", "stddev_pop", "var_samp",
                 "var_pop"):
            if isinstance(dt, StringType) or isinstance(dt, NullType):
                c = cast_to(c, DoubleType())
                dt = DoubleType()
            if not isinstance(dt, NumericType) or isinstance(dt,
                                                             DecimalType):
                raise mismatch(self, "Parameter 1 requires the \"NUMERIC\" "
                               "or \"ANSI INTERVAL\" type, however \"%s\" "
                               "has the type \"%s\"" % (c.name(), dt.sql()))
            self.children = [c]
        if k in ("count", "count_distinct"):
            self.dataType, self.nullable = LongType(), False
        elif k == "sum":
            self.dataType = LongType() if isinstance(dt, IntegralType) \
                else DoubleType()
        elif k in ("avg", "stddev_samp", "stddev_pop", "var_samp",
                   "var_pop"):
            self.dataType = DoubleType()
        elif k in ("collect_list", "collect_set"):
            self.dataType, self.nullable = ArrayType(dt, False), False
        else:
            self.dataType = dt

    def text(self, ids):
        if not self.children:
            return "count(1)"
        arg = self.children[0]
        if isinstance(arg, Cast) and arg.target == DoubleType() and \
                not ids:
            arg = arg.children[0]       # the analyzer's cast is not shown
        return "%s(%s%s)" % (self.shown, "DISTINCT " if self.distinct
                             else "", arg.text(ids))

    def c_kind(self):
        if self.distinct and self.kind == "count":
            return "count_distinct"
        if self.distinct and self.kind == "collect_list":
            return "collect_set"
        return self.kind


class SortOrder(Expression):
    """col.desc(): a column of an ORDER BY, with where its nulls go."""

    def __init__(self, child, ascending=True, nulls_first=None):
        self.children = [child]
        self.ascending = ascending
        self.nulls_first = ascending if nulls_first is None else nulls_first

    def _typed(self):
        self.dataType = self.children[0].dataType

    def text(self, ids):
        return "%s %s NULLS %s" % (self.children[0].text(ids),
                                   "ASC" if self.ascending else "DESC",
                                   "FIRST" if self.nulls_first else "LAST")

    def eval(self, row):
        return self.children[0].eval(row)
