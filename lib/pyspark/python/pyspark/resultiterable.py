"""ResultIterable: the values groupByKey gives each key (PySpark's class)."""
from collections.abc import Iterable

__all__ = ["ResultIterable"]


class ResultIterable(Iterable):
    """The values of one key after groupByKey or cogroup: iterate over
    it, or take list() or len() of it; printed, it is an object."""

    def __init__(self, data):
        self.data = data
        self.index = 0
        self.maxindex = len(data)

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)
