"""pyspark.sql.types: a DataFrame's schema, and its rows.

A schema is a StructType: a list of StructFields, each a name, a data
type and whether it may be null. The names and reprs are PySpark 3.5's:
LongType() prints as "bigint" in dtypes and "long" in printSchema.

Values have two forms, as in PySpark: the Python one you see (a
datetime.date) and the internal one the engine moves (a date is the
number of days since 1970-01-01, a timestamp microseconds). Row is
PySpark's: a tuple whose fields you can also reach by name.
"""
import datetime
import decimal
import re

import _pardemo_sql

__all__ = [
    "DataType", "NullType", "StringType", "BinaryType", "BooleanType",
    "DateType", "TimestampType", "DecimalType", "DoubleType", "FloatType",
    "ByteType", "ShortType", "IntegerType", "LongType", "ArrayType",
    "MapType", "StructField", "StructType", "Row",
]

_EPOCH = datetime.date(1970, 1, 1)
_EPOCH_DT = datetime.datetime(1970, 1, 1)


class DataType:
    """The base of the types. Types are values: LongType() == LongType()."""

    _c_name = "other"           # lib/sql's name for it (sql_type_name)

    def __repr__(self):
        return self.__class__.__name__ + "()"

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(str(self))

    @classmethod
    def typeName(cls):
        """printSchema's name: "long", "string"..."""
        return cls.__name__[:-len("Type")].lower()

    def simpleString(self):
        """dtypes' name: "bigint", "string"..."""
        return self.typeName()

    def sql(self):
        """The name in SQL text, as CAST(x AS BIGINT) writes it."""
        return self.simpleString().upper()

    def needConversion(self):
        return False

    def toInternal(self, obj):
        return obj

    def fromInternal(self, obj):
        return obj

    @property
    def c_code(self):
        """The engine's code for the type (lib/sql/sql.h enum sql_type)."""
        return _pardemo_sql.TYPES[self._c_name]


class NullType(DataType):
    _c_name = "void"

    @classmethod
    def typeName(cls):
        return "void"


class StringType(DataType):
    _c_name = "string"


class BinaryType(DataType):
    pass


class BooleanType(DataType):
    _c_name = "boolean"


class DateType(DataType):
    """Internally: days since 1970-01-01."""
    _c_name = "date"

    def needConversion(self):
        return True

    def toInternal(self, d):
        if d is not None:
            return d.toordinal() - _EPOCH.toordinal()

    def fromInternal(self, v):
        if v is not None:
            return datetime.date.fromordinal(v + _EPOCH.toordinal())


class TimestampType(DataType):
    """Internally: microseconds since 1970-01-01 00:00 (wall clock)."""
    _c_name = "timestamp"

    def needConversion(self):
        return True

    def toInternal(self, dt):
        if dt is not None:
            delta = dt.replace(tzinfo=None) - _EPOCH_DT
            return (delta.days * 86400 + delta.seconds) * 10 ** 6 + \
                delta.microseconds

    def fromInternal(self, ts):
        if ts is not None:
            return _EPOCH_DT + datetime.timedelta(microseconds=ts)


class NumericType(DataType):
    pass


class IntegralType(NumericType):
    pass


class FractionalType(NumericType):
    pass


class ByteType(IntegralType):
    _c_name = "byte"

    def simpleString(self):
        return "tinyint"


class ShortType(IntegralType):
    _c_name = "short"

    def simpleString(self):
        return "smallint"


class IntegerType(IntegralType):
    _c_name = "integer"

    def simpleString(self):
        return "int"


class LongType(IntegralType):
    _c_name = "long"

    def simpleString(self):
        return "bigint"


class FloatType(FractionalType):
    _c_name = "float"


class DoubleType(FractionalType):
    _c_name = "double"


class DecimalType(FractionalType):
    """decimal(precision, scale): here held as a Python Decimal, in
    Python only (the C engine has no decimals)."""

    def __init__(self, precision=10, scale=0):
        self.precision = precision
        self.scale = scale

    def simpleString(self):
        return "decimal(%d,%d)" % (self.precision, self.scale)

    def typeName(self):
        return self.simpleString()

    def __repr__(self):
        return "DecimalType(%d,%d)" % (self.precision, self.scale)


class ArrayType(DataType):
    def __init__(self, elementType, containsNull=True):
        self.elementType = elementType
        self.containsNull = containsNull

    def simpleString(self):
        return "array<%s>" % self.elementType.simpleString()

    def __repr__(self):
        return "ArrayType(%s, %s)" % (self.elementType, self.containsNull)

    @classmethod
    def typeName(cls):
        return "array"

    def needConversion(self):
        return self.elementType.needConversion()

    def toInternal(self, obj):
        if obj is not None and self.needConversion():
            return [self.elementType.toInternal(v) for v in obj]
        return None if obj is None else list(obj)

    def fromInternal(self, obj):
        if obj is not None and self.needConversion():
            return [self.elementType.fromInternal(v) for v in obj]
        return obj


class MapType(DataType):
    def __init__(self, keyType, valueType, valueContainsNull=True):
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull

    def simpleString(self):
        return "map<%s,%s>" % (self.keyType.simpleString(),
                               self.valueType.simpleString())

    def __repr__(self):
        return "MapType(%s, %s, %s)" % (self.keyType, self.valueType,
                                        self.valueContainsNull)

    @classmethod
    def typeName(cls):
        return "map"

    def needConversion(self):
        return self.keyType.needConversion() or \
            self.valueType.needConversion()

    def toInternal(self, obj):
        if obj is not None and self.needConversion():
            return {self.keyType.toInternal(k): self.valueType.toInternal(v)
                    for k, v in obj.items()}
        return obj

    def fromInternal(self, obj):
        if obj is not None and self.needConversion():
            return {self.keyType.fromInternal(k):
                    self.valueType.fromInternal(v) for k, v in obj.items()}
        return obj


class StructField(DataType):
    """A column: its name, its type, and whether it may hold null."""

    def __init__(self, name, dataType, nullable=True, metadata=None):
        if not isinstance(dataType, DataType):
            raise TypeError("dataType %s should be an instance of %s"
                            % (dataType, DataType))
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.metadata = metadata or {}

    def simpleString(self):
        return "%s:%s" % (self.name, self.dataType.simpleString())

    def __repr__(self):
        return "StructField(%r, %s, %s)" % (self.name, self.dataType,
                                            self.nullable)


class StructType(DataType):
    """A schema: StructType([StructField("age", LongType()), ...])."""

    def __init__(self, fields=None):
        self.fields = list(fields or [])
        self.names = [f.name for f in self.fields]

    def add(self, field, data_type=None, nullable=True, metadata=None):
        """Another column: add(StructField) or add(name, type)."""
        if isinstance(field, StructField):
            self.fields.append(field)
        else:
            if isinstance(data_type, str):
                data_type = _parse_datatype_string(data_type)
            self.fields.append(StructField(field, data_type, nullable,
                                           metadata))
        self.names = [f.name for f in self.fields]
        return self

    def fieldNames(self):
        return list(self.names)

    def __iter__(self):
        return iter(self.fields)

    def __len__(self):
        return len(self.fields)

    def __getitem__(self, key):
        if isinstance(key, str):
            for f in self.fields:
                if f.name == key:
                    return f
            raise KeyError("No StructField named %s" % key)
        if isinstance(key, int):
            return self.fields[key]
        if isinstance(key, slice):
            return StructType(self.fields[key])
        raise TypeError("StructType keys should be strings, integers or "
                        "slices")

    def simpleString(self):
        return "struct<%s>" % ",".join(f.simpleString() for f in self)

    def __repr__(self):
        return "StructType([%s])" % ", ".join(repr(f) for f in self)

    @classmethod
    def typeName(cls):
        return "struct"

    def needConversion(self):
        return True

    def toInternal(self, obj):
        """A row (tuple, Row, dict or object) as a tuple of internal
        values."""
        if obj is None:
            return None
        if isinstance(obj, dict):
            values = [obj.get(n) for n in self.names]
        elif isinstance(obj, Row) and hasattr(obj, "__fields__"):
            values = [obj[n] if n in obj.__fields__ else None
                      for n in self.names]
        elif isinstance(obj, (tuple, list)):
            values = list(obj)
        elif hasattr(obj, "__dict__"):
            values = [obj.__dict__.get(n) for n in self.names]
        else:
            raise ValueError("Unexpected tuple %r with StructType" % obj)
        return tuple(f.dataType.toInternal(v)
                     for f, v in zip(self.fields, values))

    def fromInternal(self, obj):
        """An internal tuple as a Row of this schema."""
        if obj is None:
            return None
        values = [f.dataType.fromInternal(v) if f.dataType.needConversion()
                  else v for f, v in zip(self.fields, obj)]
        return _create_row(self.names, values)

    def treeString(self, level=None):
        """printSchema's text."""
        lines = ["root"]
        for f in self.fields:
            _tree_lines(lines, " |", f.name, f.dataType,
                        "nullable = %s" % str(f.nullable).lower(), level, 1)
        return "\n".join(lines) + "\n"


def _tree_lines(lines, prefix, name, dt, note, level, depth):
    if note:
        lines.append("%s-- %s: %s (%s)" % (prefix, name, dt.typeName(), note))
    else:
        lines.append("%s-- %s: %s" % (prefix, name, dt.typeName()))
    if level is not None and depth >= level:
        return
    inner = prefix + "    |"
    if isinstance(dt, StructType):
        for f in dt.fields:
            _tree_lines(lines, inner, f.name, f.dataType, "nullable = %s"
                        % str(f.nullable).lower(), level, depth + 1)
    elif isinstance(dt, ArrayType):
        _tree_lines(lines, inner, "element", dt.elementType,
                    "containsNull = %s" % str(dt.containsNull).lower(),
                    level, depth + 1)
    elif isinstance(dt, MapType):
        _tree_lines(lines, inner, "key", dt.keyType, None, level, depth + 1)
        _tree_lines(lines, inner, "value", dt.valueType,
                    "valueContainsNull = %s"
                    % str(dt.valueContainsNull).lower(), level, depth + 1)


# ---- Row

def _create_row(fields, values):
    row = Row(*values)
    row.__fields__ = list(fields)
    return row


class Row(tuple):
    """A row of a DataFrame: Row(name="Alice", age=11).

    A tuple, so row[0] works, and its fields by name: row.name,
    row["name"]. Row("name", "age") makes a class of rows: Person =
    Row("name", "age"); Person("Alice", 11).
    """

    def __new__(cls, *args, **kwargs):
        if args and kwargs:
            raise ValueError("Can not use both args and kwargs to create Row")
        if kwargs:
            row = tuple.__new__(cls, list(kwargs.values()))
            row.__fields__ = list(kwargs)
            return row
        return tuple.__new__(cls, args)

    def asDict(self, recursive=False):
        """The row as a dict {field: value} (nested rows too if
        recursive)."""
        if not hasattr(self, "__fields__"):
            raise TypeError("Cannot convert a Row class into dict")

        def conv(obj):
            if isinstance(obj, Row):
                return obj.asDict(True)
            if isinstance(obj, list):
                return [conv(o) for o in obj]
            if isinstance(obj, dict):
                return {k: conv(v) for k, v in obj.items()}
            return obj
        if recursive:
            return {k: conv(v) for k, v in zip(self.__fields__, self)}
        return dict(zip(self.__fields__, self))

    def __contains__(self, item):
        if hasattr(self, "__fields__"):
            return item in self.__fields__
        return super().__contains__(item)

    def __call__(self, *args):
        """A Row class called: a row with these values."""
        if len(args) > len(self):
            raise ValueError("Can not create Row with fields %s, expected %d "
                             "values but got %s" % (self, len(self), args))
        return _create_row(self, args)

    def __getitem__(self, item):
        if isinstance(item, (int, slice)):
            return super().__getitem__(item)
        try:
            idx = self.__fields__.index(item)
            return super().__getitem__(idx)
        except IndexError:
            raise KeyError(item)
        except ValueError:
            raise ValueError(item)

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)
        try:
            idx = self.__fields__.index(item)
            return self[idx]
        except IndexError:
            raise AttributeError(item)
        except ValueError:
            raise AttributeError(item)

    def __setattr__(self, key, value):
        if key != "__fields__":
            raise RuntimeError("Row is read-only")
        self.__dict__[key] = value

    def __reduce__(self):
        if hasattr(self, "__fields__"):
            return (_create_row, (self.__fields__, tuple(self)))
        return tuple.__reduce__(self)

    def __repr__(self):
        if hasattr(self, "__fields__"):
            return "Row(%s)" % ", ".join("%s=%r" % (k, v) for k, v in
                                         zip(self.__fields__, tuple(self)))
        return "<Row(%s)>" % ", ".join(repr(f) for f in self)


# ---- types of Python values (createDataFrame without a schema)

_SIMPLE = {
    type(None): NullType, bool: BooleanType, int: LongType,
    float: DoubleType, str: StringType, bytes: BinaryType,
    bytearray: BinaryType, datetime.date: DateType,
    datetime.datetime: TimestampType, decimal.Decimal: DecimalType,
}


def _infer_type(obj, name=None):
    """PySpark's _infer_type: the data type of one Python value."""
    if isinstance(obj, DataType):
        raise TypeError("a data type is not a value")
    dt = _SIMPLE.get(type(obj))
    if dt is DecimalType:
        return DecimalType(38, 18)
    if dt is not None:
        return dt()
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key is not None and value is not None:
                return MapType(_infer_type(key), _infer_type(value), True)
        return MapType(NullType(), NullType(), True)
    if isinstance(obj, list):
        for v in obj:
            if v is not None:
                return ArrayType(_infer_type(v), True)
        return ArrayType(NullType(), True)
    if isinstance(obj, (tuple, Row)) or hasattr(obj, "__dict__"):
        return _infer_schema(obj)
    from pyspark.errors import PySparkTypeError
    raise PySparkTypeError(error_class="CANNOT_INFER_TYPE_FOR_FIELD",
                           message_parameters={"field_name": str(name)})


def _infer_schema(row, names=None):
    """The StructType of one row: a Row's fields, a dict's keys (sorted,
    as PySpark 3 sorts them), a tuple's _1, _2... or the names given."""
    if isinstance(row, dict):
        items = sorted(row.items())
    elif isinstance(row, Row) and hasattr(row, "__fields__"):
        items = list(zip(row.__fields__, tuple(row)))
    elif isinstance(row, (tuple, list)):
        if hasattr(row, "_fields"):             # a namedtuple
            names = list(row._fields)
        names = list(names or [])
        names += ["_%d" % i for i in range(len(names) + 1, len(row) + 1)]
        items = list(zip(names, row))
    elif hasattr(row, "__dict__"):
        items = sorted(row.__dict__.items())
    else:
        from pyspark.errors import PySparkTypeError
        raise PySparkTypeError(error_class="CANNOT_INFER_SCHEMA_FOR_TYPE",
                               message_parameters={"data_type":
                                                   type(row).__name__})
    return StructType([StructField(k, _infer_type(v, k), True)
                       for k, v in items])


def _merge_type(a, b, name=None):
    """The type both a and b fit (NullType fits anything)."""
    from pyspark.errors import PySparkTypeError
    if isinstance(a, NullType):
        return b
    if isinstance(b, NullType) or a == b:
        return a
    if type(a) is not type(b):
        raise PySparkTypeError(error_class="CANNOT_MERGE_TYPE",
                               message_parameters={
                                   "data_type1": type(a).__name__,
                                   "data_type2": type(b).__name__})
    if isinstance(a, StructType):
        fields = {f.name: f.dataType for f in b.fields}
        merged = [StructField(f.name, _merge_type(
            f.dataType, fields.get(f.name, NullType()), f.name))
            for f in a.fields]
        names = set(a.names)
        merged += [f for f in b.fields if f.name not in names]
        return StructType(merged)
    if isinstance(a, ArrayType):
        return ArrayType(_merge_type(a.elementType, b.elementType), True)
    if isinstance(a, MapType):
        return MapType(_merge_type(a.keyType, b.keyType),
                       _merge_type(a.valueType, b.valueType), True)
    return a


def _has_nulltype(dt):
    if isinstance(dt, StructType):
        return any(_has_nulltype(f.dataType) for f in dt.fields)
    if isinstance(dt, ArrayType):
        return _has_nulltype(dt.elementType)
    if isinstance(dt, MapType):
        return _has_nulltype(dt.keyType) or _has_nulltype(dt.valueType)
    return isinstance(dt, NullType)


# ---- DDL strings: "a INT, b STRING", "a: int", "array<string>"

_DDL_NAMES = {
    "string": StringType, "varchar": StringType, "char": StringType,
    "boolean": BooleanType, "bool": BooleanType, "tinyint": ByteType,
    "byte": ByteType, "smallint": ShortType, "short": ShortType,
    "int": IntegerType, "integer": IntegerType, "bigint": LongType,
    "long": LongType, "float": FloatType, "real": FloatType,
    "double": DoubleType, "date": DateType, "timestamp": TimestampType,
    "binary": BinaryType, "void": NullType,
}

_TOKEN = re.compile(r"\s*(`[^`]*`|[A-Za-z_][\w]*|\d+|[<>(),:])")


def _tokens(s):
    pos, out = 0, []
    s = s.strip()
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if not m:
            raise _parse_error(s, pos)
        out.append(m.group(1))
        pos = m.end()
    return out


def _parse_error(s, pos=0):
    from pyspark.errors import ParseException
    return ParseException(
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'.(line 1, pos %d)"
        "\n\n== SQL ==\n%s\n%s^^^\n" % (s[pos:pos + 1] or "end of input",
                                        pos, s, "-" * pos),
        error_class="PARSE_SYNTAX_ERROR")


def _parse_type(toks, i, text):
    word = toks[i].lower()
    if word == "array":
        elem, i = _parse_type(toks, i + 2, text)
        return ArrayType(elem, True), i + 1
    if word == "map":
        key, i = _parse_type(toks, i + 2, text)
        value, i = _parse_type(toks, i + 1, text)
        return MapType(key, value, True), i + 1
    if word == "struct":
        fields, i = _parse_fields(toks, i + 2, text, ">")
        return StructType(fields), i + 1
    if word in ("decimal", "dec", "numeric"):
        if i + 1 < len(toks) and toks[i + 1] == "(":
            p, s = int(toks[i + 2]), 0
            i += 3
            if toks[i] == ",":
                s = int(toks[i + 1])
                i += 2
            return DecimalType(p, s), i + 1
        return DecimalType(10, 0), i + 1
    if word not in _DDL_NAMES:
        raise _parse_error(text, text.lower().find(word))
    i += 1
    if word in ("varchar", "char") and i < len(toks) and toks[i] == "(":
        i += 3
    return _DDL_NAMES[word](), i


def _parse_fields(toks, i, text, end=None):
    fields = []
    while i < len(toks) and toks[i] != end:
        name = toks[i].strip("`")
        i += 1
        if i < len(toks) and toks[i] == ":":
            i += 1
        dt, i = _parse_type(toks, i, text)
        nullable = True
        if i + 1 < len(toks) and toks[i].lower() == "not" and \
                toks[i + 1].lower() == "null":
            nullable, i = False, i + 2
        fields.append(StructField(name, dt, nullable))
        if i < len(toks) and toks[i] == ",":
            i += 1
    return fields, i


def _parse_datatype_string(s):
    """A type from its DDL text: "a INT, b STRING" or "a: int" is a
    StructType; "int" or "array<string>" a single type."""
    toks = _tokens(s)
    if not toks:
        raise _parse_error(s)
    try:
        if len(toks) == 1 or toks[1] in ("<", "("):
            dt, i = _parse_type(toks, 0, s)
            if i == len(toks):
                return dt
        fields, i = _parse_fields(toks, 0, s)
        if i != len(toks):
            raise _parse_error(s)
        return StructType(fields)
    except IndexError:
        raise _parse_error(s, len(s))


def _type_of_code(code):
    """The DataType of a code lib/sql uses (sql_type)."""
    names = {v: k for k, v in _pardemo_sql.TYPES.items()}
    return {"void": NullType, "boolean": BooleanType, "byte": ByteType,
            "short": ShortType, "integer": IntegerType, "long": LongType,
            "float": FloatType, "double": DoubleType, "string": StringType,
            "date": DateType, "timestamp": TimestampType}[names[code]]()
