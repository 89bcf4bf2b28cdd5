"""Which offset the worker commits: never past an instruction whose final report is not acknowledged."""
from groundcontrol_worker.offsets import PartitionOffsets


def test_commits_up_to_the_first_pending_offset():
    offsets = PartitionOffsets()
    for offset in (5, 6, 7):
        offsets.take(offset)
    offsets.done(6)
    offsets.done(7)
    assert offsets.to_commit() == 5
    offsets.done(5)
    assert offsets.to_commit() == 8


def test_commits_each_offset_once_unless_the_commit_failed():
    offsets = PartitionOffsets()
    offsets.take(0)
    offsets.done(0)
    assert offsets.to_commit() == 1
    offsets.committed(1)
    assert offsets.to_commit() is None
    offsets.commit_failed()
    assert offsets.to_commit() == 1


def test_nothing_to_commit_before_anything_was_taken():
    assert PartitionOffsets().to_commit() is None
