"""Helpers every part of pyspark uses, kept apart from pyspark.rdd so
that making `sc` at start imports nothing else (`pardemo spark -c` starts
as fast as python3). pyspark.rdd.portable_hash is this portable_hash.
"""
import sys

__all__ = ["portable_hash"]


def portable_hash(x):
    """Python's hash, the same in every worker (PYTHONHASHSEED=0): decides
    a key's partition. None is 0; a tuple mixes its items' hashes."""
    if x is None:
        return 0
    if isinstance(x, tuple):
        h = 0x345678
        for i in x:
            h ^= portable_hash(i)
            h *= 1000003
            h &= sys.maxsize
        h ^= len(x)
        if h == -1:
            h = -2
        return int(h)
    return hash(x)


def _callsite():
    """file:line of the user's code that called into pyspark."""
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename.startswith("<pardemo>/"):
        f = f.f_back
    if f is None:
        return "<unknown>:0"
    return "%s:%d" % (f.f_code.co_filename, f.f_lineno)
