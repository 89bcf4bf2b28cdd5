"""The CANCELs of attempts that run on here after their partition moved to another worker.

A CANCEL is written to the partition of its RUN, which only the partition's owner reads. An attempt
whose partition was revoked or lost while it ran goes on running here, so a reader of its own, outside
the component's group, reads the partition on for it until it ends (README "Adding or removing a
worker while attempts run").
"""
import logging

LOG = logging.getLogger("groundcontrol_worker")

#: Settings of the worker's group membership, which the reader does not join.
GROUP_SETTINGS = ("group.instance.id", "session.timeout.ms", "heartbeat.interval.ms",
                  "partition.assignment.strategy", "enable.auto.offset.store", "auto.commit.interval.ms")
#: Records taken from the reader in one turn of the worker's loop at most.
MAX_RECORDS_PER_TURN = 500


def reader_config(consumer_config, component, worker_id):
    """The reader's settings: the worker consumer's (bootstrap, security, tuning) without its group
    membership. confluent_kafka refuses a consumer without a ``group.id`` and librdkafka's assign()
    needs one (an empty one fails it with "Local: Unknown group"), so it gets the component's, the only
    group a worker's ACLs allow: assign() never joins it and the reader never commits."""
    config = {k: v for k, v in consumer_config.items() if k not in GROUP_SETTINGS and k != "on_commit"}
    config.update({"group.id": component, "enable.auto.commit": "false", "isolation.level": "read_committed",
                   "client.id": f"groundcontrol-worker-{worker_id}-cancel-reader"})
    return config


class CancelReader:
    """Reads the partitions that moved away from this worker while attempts taken from them run on
    here, each from the first offset the worker had not read, until none of those attempts runs here or
    the partition is assigned to the worker again. Its consumer is assigned partitions, never
    subscribed: it is no member of the component's group and commits nothing. Made at the first need by
    ``open_consumer``; an error of it is logged once per kind and never stops the worker."""

    def __init__(self, open_consumer):
        self._open_consumer = open_consumer
        self._consumer = None
        self._watched = {}  # (topic, partition) -> keys of the attempts from it that run here
        self._start = {}  # (topic, partition) -> the offset to read it from, until the consumer reads it
        self._reading = set()  # partitions assigned to the consumer
        self._restart = set()  # partitions of it to read again from their start offset
        self._logged = set()  # kinds of error logged already

    def watch(self, place, keys, offset):
        """From now on reads ``place`` from ``offset`` for the attempts ``keys``, which run here."""
        if not keys:
            return
        if place not in self._watched:
            self._start[place] = offset
            if place in self._reading:  # assigned back and taken away again before the reader let it go
                self._restart.add(place)
        self._watched.setdefault(place, set()).update(keys)

    def assigned_again(self, places):
        """The worker owns ``places`` again: its own consumer reads their CANCELs."""
        for place in places:
            self._watched.pop(place, None)
            self._start.pop(place, None)

    def watches(self, place, key):
        """Whether a CANCEL of attempt ``key`` read from ``place`` is one this reader is there for."""
        return key in self._watched.get(place, ())

    def read(self, running):
        """The records read since the last turn, without blocking; first drops the partitions none of
        whose attempts still runs (``running(key)`` says)."""
        for place, keys in list(self._watched.items()):
            self._watched[place] = {key for key in keys if running(key)}
            if not self._watched[place]:
                del self._watched[place]
                self._start.pop(place, None)
        try:
            self._follow_watched()
            return self._take() if self._reading else []
        except Exception as e:  # noqa: BLE001 - the worker goes on; its moved attempts end by their timeouts
            self._failed(e)
            return []

    def _follow_watched(self):
        from confluent_kafka import TopicPartition

        gone = (self._reading - self._watched.keys()) | (self._reading & self._restart)
        if gone:
            self._consumer.incremental_unassign([TopicPartition(t, p) for t, p in sorted(gone)])
            self._reading -= gone
        self._restart.clear()
        new = self._watched.keys() - self._reading
        if not new:
            return
        if self._consumer is None:
            self._consumer = self._open_consumer()
        self._consumer.incremental_assign([TopicPartition(t, p, self._start[(t, p)]) for t, p in sorted(new)])
        self._reading |= new
        LOG.info("Reading the CANCELs of %s, which moved to another worker while attempts from them run here: %s",
                 ", ".join(f"{t}[{p}] from offset {self._start[(t, p)]}" for t, p in sorted(new)),
                 sorted(k for place in new for k in self._watched[place]))

    def _take(self):
        records = []
        while len(records) < MAX_RECORDS_PER_TURN:
            record = self._consumer.poll(0)
            if record is None:
                break
            if record.error():
                self._failed(record.error())
            elif (record.topic(), record.partition()) in self._reading:
                records.append(record)
        return records

    def _failed(self, error):
        from confluent_kafka import KafkaError, KafkaException

        if isinstance(error, KafkaException) and error.args:
            error = error.args[0]
        kind = error.name() if isinstance(error, KafkaError) else type(error).__name__
        if kind in self._logged:
            return
        self._logged.add(kind)
        LOG.warning("Could not read the CANCELs of partitions that moved to another worker (logged once for %s): "
                    "%s; their attempts run on here, ended by their own timeout or the worker's close", kind, error)

    def close(self):
        if self._consumer is not None:
            try:
                self._consumer.close()
            except Exception as e:  # noqa: BLE001 - closing must not hide what ended the loop
                LOG.warning("Error closing the cancel reader: %s", e)
            self._consumer = None
