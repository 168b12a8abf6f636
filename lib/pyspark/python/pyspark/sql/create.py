"""spark.createDataFrame(data, schema) and rdd.toDF(): DataFrames from
Python values.

With no schema, the types come from the values as PySpark infers them:
int is long (bigint), float double, str string, a dict's keys sorted into
columns, a tuple's items _1, _2... With a schema -- a list of names, a
DDL string "name STRING, age INT" or a StructType -- each value is
checked against its column's type, and a wrong one is an error now, not
in a task later.
"""
from functools import reduce

from pyspark.errors import PySparkTypeError, PySparkValueError
from pyspark.sql.expressions import Attribute
from pyspark.sql.types import (
    ArrayType, BooleanType, ByteType, DataType, DateType, DecimalType,
    DoubleType, FloatType, IntegerType, LongType, MapType, NullType, Row,
    ShortType, StringType, StructField, StructType, TimestampType,
    _has_nulltype, _infer_schema, _merge_type, _parse_datatype_string)

_ACCEPTS = {
    BooleanType: (bool,), ByteType: (int,), ShortType: (int,),
    IntegerType: (int,), LongType: (int,), FloatType: (float,),
    DoubleType: (float,), StringType: (str,), NullType: (type(None),),
    ArrayType: (list, tuple), MapType: (dict,),
    StructType: (tuple, list, dict, Row),
}
_BITS = {ByteType: 8, ShortType: 16, IntegerType: 32, LongType: 64}


def _verify(value, dt, name):
    """PySpark's verifySchema: value must be of dt's Python types."""
    import datetime
    import decimal
    if value is None:
        return
    accepts = _ACCEPTS.get(type(dt), ())
    if isinstance(dt, DateType):
        accepts = (datetime.date,)
    elif isinstance(dt, TimestampType):
        accepts = (datetime.datetime,)
    elif isinstance(dt, DecimalType):
        accepts = (decimal.Decimal,)
    ok = isinstance(value, accepts) and not (
        isinstance(value, bool) and not isinstance(dt, BooleanType))
    if not ok:
        raise PySparkTypeError(
            error_class="FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME",
            message="[FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME] %s: %r can not "
                    "accept object %r in type %s." % (name, dt, value,
                                                      type(value)))
    bits = _BITS.get(type(dt))
    if bits and not -2 ** (bits - 1) <= value < 2 ** (bits - 1):
        raise PySparkValueError(
            error_class="VALUE_OUT_OF_BOUND",
            message="[VALUE_OUT_OF_BOUND] Value for `obj` must be greater "
                    "than or equal to %d and less than or equal to %d, got "
                    "%d" % (-2 ** (bits - 1), 2 ** (bits - 1) - 1, value))


def _verify_row(row, schema):
    values = row
    if isinstance(row, dict):
        values = [row.get(n) for n in schema.names]
    elif isinstance(row, Row) and hasattr(row, "__fields__"):
        values = [row[n] if n in row.__fields__ else None
                  for n in schema.names]
    elif isinstance(row, (tuple, list)):
        if len(row) != len(schema.fields):
            raise PySparkValueError(
                error_class="LENGTH_SHOULD_BE_THE_SAME",
                message_parameters={"arg1": "obj", "arg2": "fields",
                                    "arg1_length": str(len(row)),
                                    "arg2_length": str(len(schema.fields))})
    for f, v in zip(schema.fields, values):
        if v is None and not f.nullable:
            raise PySparkValueError(
                error_class="FIELD_NOT_NULLABLE_WITH_NAME",
                message_parameters={"field_name": "field %s" % f.name})
        _verify(v, f.dataType, "field %s" % f.name)


def _schema_of(schema):
    """(StructType or None, column names or None, one value per row?)"""
    if isinstance(schema, str):
        schema = _parse_datatype_string(schema)
    if isinstance(schema, (list, tuple)):
        return None, list(schema), False
    if isinstance(schema, DataType) and not isinstance(schema, StructType):
        return StructType([StructField("value", schema)]), None, True
    return schema, None, False


def _infer_from(rows, names):
    if not rows:
        raise PySparkValueError(error_class="CANNOT_INFER_EMPTY_SCHEMA",
                                message_parameters={})
    schema = reduce(_merge_type, (_infer_schema(r, names) for r in rows))
    if _has_nulltype(schema):
        raise PySparkValueError(error_class="CANNOT_DETERMINE_TYPE",
                                message_parameters={})
    return schema


def _infer_rdd(rdd, names):
    """PySpark's _inferSchema: the first row's types, and more rows (up to
    100) while a column is still only None."""
    rows = rdd.take(100)
    if not rows:
        raise ValueError("RDD is empty")
    schema = _infer_schema(rows[0], names)
    for row in rows[1:]:
        if not _has_nulltype(schema):
            break
        schema = _merge_type(schema, _infer_schema(row, names))
    if _has_nulltype(schema):
        raise PySparkValueError(error_class="CANNOT_DETERMINE_TYPE",
                                message_parameters={})
    return schema


def _named(schema, names):
    """The inferred schema with the names given (rows of Row or dict)."""
    if names:
        schema = StructType([StructField(n, f.dataType, f.nullable)
                             for n, f in zip(names, schema.fields)] +
                            schema.fields[len(names):])
    return schema


def create_dataframe(session, data, schema=None, samplingRatio=None,
                     verifySchema=True):
    from pyspark.rdd import RDD
    from pyspark.sql.dataframe import DataFrame
    from pyspark.sql.plan import LocalScan, RddScan
    if isinstance(data, DataFrame):
        raise PySparkTypeError(
            error_class="INVALID_TYPE",
            message="[INVALID_TYPE] Argument `data` should not be a "
                    "DataFrame.")
    struct, names, is_value = _schema_of(schema)
    if isinstance(data, RDD):
        if struct is None:
            struct = _named(_infer_rdd(data, names), names)
        rows = data.map(lambda v: (v,)) if is_value else data
        out = [Attribute(f.name, f.dataType, f.nullable) for f in struct]
        return DataFrame(RddScan(rows.map(struct.toInternal), out), session)
    if hasattr(data, "to_dict") and hasattr(data, "columns"):   # pandas
        names = names or list(data.columns)
        data = [tuple(r) for r in data.itertuples(index=False)]
    data = [(v,) for v in data] if is_value else list(data)
    if struct is None:
        struct = _named(_infer_from(data, names), names)
    elif verifySchema:
        for row in data:
            _verify_row(row, struct)
    rows = [struct.toInternal(r) for r in data]
    out = [Attribute(f.name, f.dataType, f.nullable) for f in struct]
    return DataFrame(LocalScan(rows, out), session)


def range_dataframe(session, start, end=None, step=1, numPartitions=None):
    """spark.range(n): one bigint column "id", made by the engine."""
    from pyspark.sql.dataframe import DataFrame
    from pyspark.sql.plan import RddScan
    if end is None:
        start, end = 0, start
    rdd = session._sc.range(start, end, step, numPartitions)
    n = max(0, -(-(end - start) // step))
    out = [Attribute("id", LongType(), False)]
    return DataFrame(RddScan(rdd, out, is_values=True, estimate=8 * n),
                     session)
