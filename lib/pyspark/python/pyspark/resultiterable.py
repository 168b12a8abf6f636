"""ResultIterable: the values groupByKey gives each key (PySpark's class)."""
# collections.abc is _collections_abc under another name; importing it
# that way skips the collections package (ms at every start)
from _collections_abc import Iterable

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
