"""In-memory stand-ins for confluent_kafka's Consumer and Producer, enough for the worker's loop."""
import collections
import threading
import time

from groundcontrol_worker.codec import Codec

INSTRUCTIONS = Codec("StageInstruction")
REPORTS = Codec("StageReport")


class Message:
    def __init__(self, topic, partition, offset, key, value):
        self._t, self._p, self._o, self._k, self._v = topic, partition, offset, key, value

    def error(self):
        return None

    def topic(self):
        return self._t

    def partition(self):
        return self._p

    def offset(self):
        return self._o

    def key(self):
        return self._k

    def value(self):
        return self._v


class FakeConsumer:
    """Partition 0 of the subscribed topic, or ``partitions``; a paused one returns no records, as in
    librdkafka, where a partition paused by the application stays paused through rebalances that
    leave it here or give it back."""

    def __init__(self, partitions=(0,)):
        self.assigned = list(partitions)
        self.queue = collections.deque()
        self.log = []  # every record instructed, to deliver again after a rebalance
        self.rebalance_from = None  # set: the next poll takes the partition away, gives it back, reads from here
        self.cooperative = None  # set: (revoked, added) partitions of a cooperative rebalance in the next poll
        self.losing = None  # set: partitions lost in the next poll
        self.reader = None
        self.on_assign = self.on_revoke = self.on_lost = None
        self.commits = []
        self.topic = None
        self.paused = set()  # (topic, partition)
        self.closed = False
        self.lock = threading.Lock()
        self.released = None  # while set and not yet set itself, poll waits for it
        self.holding = threading.Event()

    def hold_polls(self, released):
        """From now on poll waits until ``released`` is set, as librdkafka's does while the rebalance
        callback it serves commits synchronously."""
        self.released = released

    def subscribe(self, topics, on_assign=None, on_revoke=None, on_lost=None):
        self.topic = topics[0]
        self.on_assign, self.on_revoke, self.on_lost = on_assign, on_revoke, on_lost

    def rebalance_and_read_from(self, offset):
        """In the next poll, as an eager rebalance: revokes partition 0 and assigns it again, then
        delivers its records anew from ``offset``, as a consumer reading on from its last commit."""
        with self.lock:
            self.rebalance_from = offset

    def rebalance_cooperatively(self, revoked=(), added=()):
        """In the next poll, as a cooperative rebalance: revokes ``revoked`` (on_revoke with them
        alone, if any), then assigns ``added`` (on_assign with them alone, called even if empty, as
        librdkafka and Kafka's Java client do). The partitions kept stay as they were, paused or not."""
        with self.lock:
            self.cooperative = (list(revoked), list(added))

    def lose(self, partitions):
        """In the next poll, as a consumer dropped from its group: ``partitions`` are taken away, then
        on_lost (or on_revoke without it, as confluent_kafka does) is called with them."""
        with self.lock:
            self.losing = list(partitions)

    def cancel_reader(self):
        """A reader of this consumer's log outside its group, as the worker's cancel reader; the same
        one each time."""
        if self.reader is None:
            self.reader = FakeCancelReader(self)
        return self.reader

    def instruct(self, kind="RUN", mission="m-1", stage="train", attempt=1, params=None, timeout_ms=None,
                 dispatched_at=0, partition=0):
        value = INSTRUCTIONS.encode({
            "kind": kind, "missionId": mission, "planName": "p", "stage": stage, "component": "ml",
            "attempt": attempt, "params": params or {}, "dispatchedAt": dispatched_at, "timeoutMs": timeout_ms})
        with self.lock:
            offset = sum(1 for m in self.log if m.partition() == partition)
            self.log.append(Message(self._topic(), partition, offset, mission.encode(), value))
            self.queue.append(self.log[-1])
            return offset

    def _topic(self):
        return self.topic or "groundcontrol.instructions.ml"

    def poll(self, timeout):
        if self.released is not None and not self.released.is_set():
            self.holding.set()
            self.released.wait(10)
        with self.lock:
            rebalance_from, self.rebalance_from = self.rebalance_from, None
            cooperative, self.cooperative = self.cooperative, None
            losing, self.losing = self.losing, None
        if losing is not None:
            from confluent_kafka import TopicPartition

            with self.lock:
                self.assigned = [p for p in self.assigned if p not in losing]
                self.queue = collections.deque(m for m in self.queue if m.partition() not in losing)
            (self.on_lost or self.on_revoke)(self, [TopicPartition(self._topic(), p) for p in losing])
        if cooperative is not None:
            self._rebalance_cooperatively(*cooperative)
        if rebalance_from is not None:
            self.on_revoke(self, self.assignment())  # outside the lock: the worker commits here
            self.on_assign(self, self.assignment())
            with self.lock:
                self.queue = collections.deque(m for m in self.log if m.offset() >= rebalance_from)
        with self.lock:
            for message in self.queue:
                if message.partition() in self.assigned and (message.topic(), message.partition()) not in self.paused:
                    self.queue.remove(message)
                    return message
        time.sleep(min(timeout, 0.01))
        return None

    def _rebalance_cooperatively(self, revoked, added):
        from confluent_kafka import TopicPartition

        if revoked:
            self.on_revoke(self, [TopicPartition(self._topic(), p) for p in revoked])
        with self.lock:
            self.assigned = [p for p in self.assigned if p not in revoked] + added
            self.queue = collections.deque(m for m in self.queue if m.partition() not in revoked)
        self.on_assign(self, [TopicPartition(self._topic(), p) for p in added])

    def commit(self, offsets, asynchronous=True):
        with self.lock:
            self.commits.extend((tp.partition, tp.offset) for tp in offsets)

    def committed_offset(self):
        with self.lock:
            return max((o for _, o in self.commits), default=None)

    def assignment(self):
        from confluent_kafka import TopicPartition

        with self.lock:
            return [TopicPartition(self._topic(), p) for p in self.assigned]

    def pause(self, partitions):
        with self.lock:
            self.paused.update((p.topic, p.partition) for p in partitions)

    def resume(self, partitions):
        with self.lock:
            self.paused.difference_update((p.topic, p.partition) for p in partitions)

    def close(self):
        if self.on_revoke is not None and self.assigned:
            self.on_revoke(self, self.assignment())  # as confluent_kafka's close() does
        self.closed = True


class FakeCancelReader:
    """Partitions of a FakeConsumer's log assigned from given offsets, read with poll(0); ``failing``
    (an exception) is raised by every poll while set."""

    def __init__(self, consumer):
        self.consumer = consumer
        self.positions = {}  # partition -> next offset
        self.failing = None
        self.polls = 0
        self.closed = False

    def incremental_assign(self, partitions):
        with self.consumer.lock:
            self.positions.update((tp.partition, tp.offset) for tp in partitions)

    def incremental_unassign(self, partitions):
        with self.consumer.lock:
            for tp in partitions:
                del self.positions[tp.partition]

    def assigned(self):
        with self.consumer.lock:
            return sorted(self.positions)

    def poll(self, timeout):
        assert timeout == 0
        self.polls += 1
        if self.failing is not None:
            raise self.failing
        with self.consumer.lock:
            for message in self.consumer.log:
                if self.positions.get(message.partition(), float("inf")) == message.offset():
                    self.positions[message.partition()] += 1
                    return message
        return None

    def close(self):
        self.closed = True


def too_large():
    """The error librdkafka gives a record larger than message.max.bytes (test_worker checks it does)."""
    from confluent_kafka import KafkaError

    return KafkaError(KafkaError.MSG_SIZE_TOO_LARGE, "Unable to produce message: Broker: Message size too large")


def timed_out():
    """The error librdkafka gives a record it could not deliver within message.timeout.ms."""
    from confluent_kafka import KafkaError

    return KafkaError(KafkaError._MSG_TIMED_OUT, "Local: Message timed out")


class FakeProducer:
    """Acknowledges every report at its next poll; one over ``max_bytes`` is refused as too large,
    at produce (as librdkafka does past message.max.bytes) or with ``refuse_late`` in its delivery
    callback (as when the broker's limit is the lower). ``lose_next`` loses one report of a kind."""

    def __init__(self, max_bytes=None, refuse_late=False):
        self.sent = []
        self.pending = collections.deque()
        self.lock = threading.Lock()
        self.max_bytes = max_bytes
        self.refuse_late = refuse_late
        self.losing = {}  # report kind -> "produce" or "delivery": how the next one of that kind is lost
        self.held = []  # losses told only at release_held(), as a delivery that times out long after

    def lose_next(self, kind, when):
        """The next report of ``kind`` is lost: at ``produce``, which raises BufferError (librdkafka's
        queue is full), at ``delivery``, failed in its delivery callback (if it has one), or ``held``:
        failed in its delivery callback only once ``release_held`` is called."""
        self.losing[kind] = when

    def produce(self, topic, key=None, value=None, on_delivery=None):
        with self.lock:
            kind = REPORTS.decode(value)["outcome"][0].rsplit(".", 1)[-1]
            when = self.losing.pop(kind, None)
            if when == "produce":
                raise BufferError("Local: Queue full")
            if when == "delivery":
                if on_delivery:
                    self.pending.append((on_delivery, timed_out()))
                return
            if when == "held":
                if on_delivery:
                    self.held.append((on_delivery, timed_out()))
                return
            if self.max_bytes is not None and len(value) > self.max_bytes:
                if not self.refuse_late:
                    from confluent_kafka import KafkaException

                    raise KafkaException(too_large())
                if on_delivery:
                    self.pending.append((on_delivery, too_large()))
                return
            self.sent.append((topic, key, REPORTS.decode(value)))
            if on_delivery:
                self.pending.append((on_delivery, None))

    def release_held(self):
        """Tells the held losses at the next poll."""
        with self.lock:
            self.pending.extend(self.held)
            self.held.clear()

    def poll(self, timeout=0):
        while self.pending:
            on_delivery, error = self.pending.popleft()
            on_delivery(error, None)

    def flush(self, timeout=None):
        self.poll()

    def reports(self, kind=None):
        with self.lock:
            return [r for _, _, r in self.sent if kind is None or r["outcome"][0].endswith(kind)]
