"""Errors PySpark raises on the Python side, before anything runs:
"[NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got int."
"""


class PySparkException(Exception):
    """An error with PySpark's error class and message parameters."""

    def __init__(self, message=None, error_class=None,
                 message_parameters=None):
        self.error_class = error_class
        self.message_parameters = message_parameters or {}
        if error_class and message is None:
            message = "[%s] %s" % (error_class, _MESSAGES.get(
                error_class, "").format(**self.message_parameters))
        self.message = message
        super().__init__(message)

    def getErrorClass(self):
        return self.error_class

    def getMessageParameters(self):
        return self.message_parameters

    def __str__(self):
        return self.message


class PySparkTypeError(PySparkException, TypeError):
    pass


class PySparkValueError(PySparkException, ValueError):
    pass


class PySparkAttributeError(PySparkException, AttributeError):
    pass


class PySparkNotImplementedError(PySparkException, NotImplementedError):
    pass


# PySpark 3.5's messages (pyspark/errors/error_classes.py) for the errors
# pardemo raises.
_MESSAGES = {
    "NOT_COLUMN_OR_STR":
        "Argument `{arg_name}` should be a Column or str, got {arg_type}.",
    "NOT_COLUMN":
        "Argument `{arg_name}` should be a Column, got {arg_type}.",
    "NOT_STR": "Argument `{arg_name}` should be a str, got {arg_type}.",
    "NOT_BOOL_OR_INT_OR_STR": "Argument `{arg_name}` should be a bool, int "
                              "or str, got {arg_type}.",
    "CANNOT_CONVERT_COLUMN_INTO_BOOL":
        "Cannot convert column into bool: please use '&' for 'and', '|' for "
        "'or', '~' for 'not' when building DataFrame boolean expressions.",
    "CANNOT_MERGE_TYPE":
        "Can not merge type `{data_type1}` and `{data_type2}`.",
    "CANNOT_DETERMINE_TYPE":
        "Some of types cannot be determined after inferring.",
    "CANNOT_INFER_EMPTY_SCHEMA": "Can not infer schema from empty dataset.",
    "CANNOT_INFER_TYPE_FOR_FIELD":
        "Unable to infer the type of the field `{field_name}`.",
    "CANNOT_ACCEPT_OBJECT_IN_TYPE":
        "`{data_type}` can not accept object `{obj_name}` in type "
        "`{obj_type}`.",
    "FIELD_NOT_NULLABLE_WITH_NAME":
        "{field_name}: This field is not nullable, but got None.",
    "LENGTH_SHOULD_BE_THE_SAME":
        "{arg1} and {arg2} should be of the same length, got {arg1_length} "
        "and {arg2_length}.",
    "AXIS_LENGTH_MISMATCH":
        "Length mismatch: Expected axis has {expected_length} element, new "
        "values have {actual_length} elements.",
    "UNSUPPORTED_JOIN_TYPE": "Unsupported join type: `{join_type}`. "
                             "Supported join types include: {supported}.",
    "NOT_IMPLEMENTED": "{feature} is not implemented.",
    "ONLY_ALLOWED_FOR_SINGLE_COLUMN":
        "Argument `{arg_name}` can only be provided for a single column.",
    "DISALLOWED_TYPE_FOR_CONTAINER":
        "Argument `{arg_name}`(type: {arg_type}) should only contain a type "
        "in [{allowed_types}], got {item_type}",
}
