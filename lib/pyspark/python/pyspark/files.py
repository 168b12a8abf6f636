"""SparkFiles: where the files added with sc.addFile are, in a task.

On one machine every worker reads the file where it is: nothing is
copied; SparkFiles.get gives the path that was added.
"""
import os

__all__ = ["SparkFiles"]


class SparkFiles:
    """The paths of files added to the context with sc.addFile."""

    _files = {}
    _root = None

    def __init__(self):
        raise NotImplementedError("Do not construct SparkFiles objects")

    @classmethod
    def get(cls, filename):
        path = cls._files.get(filename)
        if path is None:
            return os.path.join(cls.getRootDirectory(), filename)
        return path

    @classmethod
    def getRootDirectory(cls):
        return cls._root or os.getcwd()
