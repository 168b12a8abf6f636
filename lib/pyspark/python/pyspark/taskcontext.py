"""TaskContext: inside a task, which partition, stage and task it is."""
import _pardemo

__all__ = ["TaskContext"]


class TaskContext:
    """The running task's identity; TaskContext.get() is None on the
    driver."""

    def __init__(self, info):
        self._stage, self._attempt, self._partition, self._tid = info

    @classmethod
    def get(cls):
        info = _pardemo.task_info()
        return None if info is None else cls(info)

    def stageId(self):
        return self._stage

    def partitionId(self):
        return self._partition

    def attemptNumber(self):
        return 0

    def taskAttemptId(self):
        return self._tid

    def getLocalProperty(self, key):
        return None

    def cpus(self):
        return 1
