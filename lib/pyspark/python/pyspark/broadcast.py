"""Broadcast variables: a read-only value every task can read.

Spark ships the value to each executor once. Here every worker process is
forked from the driver, so it already holds the value: nothing is sent.
"""

__all__ = ["Broadcast"]


class Broadcast:
    """A read-only value for tasks: use .value inside your functions."""

    def __init__(self, sc=None, value=None, bid=0):
        self._value = value
        self._bid = bid
        self._is_destroyed = False

    @property
    def value(self):
        if self._is_destroyed:
            raise RuntimeError("Attempted to use broadcast variable after "
                               "it was destroyed (%d)" % self._bid)
        return self._value

    def unpersist(self, blocking=False):
        """Frees the workers' copies (forked workers have none to free)."""

    def destroy(self, blocking=False):
        """Frees the value; using it afterwards is an error."""
        self._is_destroyed = True
        self._value = None

    def __reduce__(self):
        return (Broadcast, (None, self._value, self._bid))
