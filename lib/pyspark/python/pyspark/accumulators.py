"""Accumulators: counters tasks add to, read on the driver.

Each worker process starts its accumulators at zero and sends what its
tasks added back with each task's result; the driver merges the updates,
as Spark merges its executors'. Reading acc.value inside a task is an
error, as in Spark: a task only sees its own part.
"""

__all__ = ["Accumulator", "AccumulatorParam"]


class AccumulatorParam:
    """How to add values of one type: zero(value) and addInPlace(a, b)."""

    def zero(self, value):
        raise NotImplementedError

    def addInPlace(self, value1, value2):
        raise NotImplementedError


class AddingAccumulatorParam(AccumulatorParam):
    """Adds with +, from a given zero (int, float, complex)."""

    def __init__(self, zero_value):
        self.zero_value = zero_value

    def zero(self, value):
        return self.zero_value

    def addInPlace(self, value1, value2):
        value1 += value2
        return value1


INT_ACCUMULATOR_PARAM = AddingAccumulatorParam(0)
FLOAT_ACCUMULATOR_PARAM = AddingAccumulatorParam(0.0)
COMPLEX_ACCUMULATOR_PARAM = AddingAccumulatorParam(0.0j)


class Accumulator:
    """A shared variable tasks can only add to."""

    def __init__(self, aid, value, accum_param, registry=None):
        self.aid = aid
        self.accum_param = accum_param
        self._value = value
        self._registry = registry
        self._in_task = False
        if registry is not None:
            registry[aid] = self

    @property
    def value(self):
        if self._in_task:
            raise RuntimeError("Accumulator.value cannot be accessed "
                               "inside tasks")
        return self._value

    @value.setter
    def value(self, value):
        if self._in_task:
            raise RuntimeError("Accumulator.value cannot be accessed "
                               "inside tasks")
        self._value = value

    def add(self, term):
        self._value = self.accum_param.addInPlace(self._value, term)

    def __iadd__(self, term):
        self.add(term)
        return self

    def __str__(self):
        return str(self._value)

    def __repr__(self):
        return "Accumulator<id=%i, value=%s>" % (self.aid, self._value)

    def __reduce__(self):
        return (Accumulator, (self.aid, self.accum_param.zero(self._value),
                              self.accum_param))
