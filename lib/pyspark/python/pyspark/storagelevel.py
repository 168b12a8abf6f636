"""StorageLevel: how a persisted RDD is kept (PySpark's flags).

pardemo's engine keeps every persisted partition in memory, deserialised
(as its own values); the level is recorded and shown as Spark shows it.
"""

__all__ = ["StorageLevel"]


class StorageLevel:
    """Flags for persist(): disk, memory, off-heap, deserialised, and the
    number of replicas."""

    def __init__(self, useDisk, useMemory, useOffHeap, deserialized,
                 replication=1):
        self.useDisk = useDisk
        self.useMemory = useMemory
        self.useOffHeap = useOffHeap
        self.deserialized = deserialized
        self.replication = replication

    def __repr__(self):
        return "StorageLevel(%s, %s, %s, %s, %s)" % (
            self.useDisk, self.useMemory, self.useOffHeap,
            self.deserialized, self.replication)

    def __str__(self):
        words = []
        if self.useDisk:
            words.append("Disk")
        if self.useMemory:
            words.append("Memory")
        if self.useOffHeap:
            words.append("OffHeap")
        words.append("Deserialized" if self.deserialized else "Serialized")
        return " ".join(words) + " %sx Replicated" % self.replication

    def __eq__(self, other):
        return isinstance(other, StorageLevel) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))


StorageLevel.DISK_ONLY = StorageLevel(True, False, False, False)
StorageLevel.DISK_ONLY_2 = StorageLevel(True, False, False, False, 2)
StorageLevel.DISK_ONLY_3 = StorageLevel(True, False, False, False, 3)
StorageLevel.MEMORY_ONLY = StorageLevel(False, True, False, False)
StorageLevel.MEMORY_ONLY_2 = StorageLevel(False, True, False, False, 2)
StorageLevel.MEMORY_AND_DISK = StorageLevel(True, True, False, False)
StorageLevel.MEMORY_AND_DISK_2 = StorageLevel(True, True, False, False, 2)
StorageLevel.OFF_HEAP = StorageLevel(True, True, True, False, 1)
StorageLevel.MEMORY_AND_DISK_DESER = StorageLevel(True, True, False, True)
