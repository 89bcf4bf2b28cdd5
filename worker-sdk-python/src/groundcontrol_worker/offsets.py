"""Which instruction offsets may be committed: only up to the first whose final report is not acknowledged."""


class PartitionOffsets:
    """Offsets of one partition taken by the worker and not yet done, and what to commit next."""

    def __init__(self):
        self._pending = set()
        self._next = None
        self._committed = None

    def take(self, offset):
        self._pending.add(offset)
        self._next = offset + 1 if self._next is None else max(self._next, offset + 1)

    def done(self, offset):
        self._pending.discard(offset)

    def to_commit(self):
        """The offset to commit now (the next one to read), or None if nothing new is done."""
        if self._next is None:
            return None
        candidate = min(self._pending) if self._pending else self._next
        return None if candidate == self._committed else candidate

    def committed(self, offset):
        self._committed = offset

    def commit_failed(self):
        """An asynchronous commit failed: commit what is done again at the next chance."""
        self._committed = None
