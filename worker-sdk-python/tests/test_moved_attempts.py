"""An attempt whose partition moves to another worker while it runs: handed over on revoke, so that the
new owner does not run it again, and cancelled here by a CANCEL its cancel reader reads (README "Adding
or removing a worker while attempts run")."""
import logging
import threading

import pytest
from confluent_kafka import KafkaError

from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import StageCancelled, Worker
from groundcontrol_worker.moved import reader_config
from groundcontrol_worker.worker import _client_configs
from test_kafka_refusals import ConsumerError
from test_worker import eventually, loop_turns, start


class Blocking:
    """A handler that runs until its attempt is cancelled, or its mission is released."""

    def __init__(self):
        self.started = {}
        self.release = {}
        self.cancelled = set()

    def __call__(self, params, ctx):
        self.started.setdefault(ctx.mission_id, threading.Event()).set()
        release = self.release.setdefault(ctx.mission_id, threading.Event())
        try:
            while not release.is_set():
                ctx.sleep(0.01)
        except StageCancelled:
            self.cancelled.add(ctx.mission_id)
            raise
        return {}

    def running(self, mission):
        return self.started.setdefault(mission, threading.Event()).is_set()


def blocking_worker(**options):
    """A worker serving partitions 0 and 1 with a Blocking handler, started: (consumer, producer, worker,
    handler, its thread)."""
    consumer, producer = FakeConsumer(partitions=(0, 1)), FakeProducer()
    worker = Worker("ml", clients=lambda: (consumer, producer, consumer.cancel_reader), worker_id="w-1",
                    parallelism=4, **options)
    handler = Blocking()
    worker.stage()(handler)
    return consumer, producer, worker, handler, start(worker)


@pytest.fixture
def moved():
    """A worker serving partitions 0 and 1, whose handler blocks; stopped at the end."""
    consumer, producer, worker, handler, thread = blocking_worker(heartbeat_interval=10.0)
    yield consumer, producer, worker, handler
    for release in handler.release.values():
        release.set()
    worker.stop()
    thread.join(10)
    assert not thread.is_alive()


def running_and_started(consumer, producer, handler, mission, partition=0):
    """Instructs ``mission`` and returns once its handler runs and its started report was sent."""
    offset = consumer.instruct(mission=mission, partition=partition)
    eventually(lambda: handler.running(mission) and any(r["missionId"] == mission
                                                       for r in producer.reports("ReportStarted")))
    return offset


def commits_of(consumer, partition):
    with consumer.lock:
        return [offset for p, offset in consumer.commits if p == partition]


def test_a_revoke_commits_past_a_running_attempt_whose_started_report_kafka_acknowledged(moved):
    consumer, producer, worker, handler = moved
    running_and_started(consumer, producer, handler, "m-1")
    consumer.rebalance_cooperatively(revoked=[0])
    loop_turns(consumer)

    assert commits_of(consumer, 0)[-1] == 1, "the partition's next owner would run m-1 again"
    assert not producer.reports("ReportFinished") and not producer.reports("ReportFailed"), "it runs on here"
    handler.release["m-1"].set()
    eventually(lambda: producer.reports("ReportFinished"))


def test_a_revoke_does_not_commit_past_a_running_attempt_kafka_has_not_acknowledged_the_start_of(moved):
    consumer, producer, worker, handler = moved
    producer.lose_next("ReportStarted", "held")  # its delivery is still unanswered at the revoke
    consumer.instruct(mission="m-1")
    eventually(lambda: handler.running("m-1") and producer.held)
    consumer.rebalance_cooperatively(revoked=[0])
    loop_turns(consumer)

    assert 1 not in commits_of(consumer, 0), "the coordinator may not know m-1 runs here"


def test_a_lost_partition_is_not_committed(moved):
    consumer, producer, worker, handler = moved
    running_and_started(consumer, producer, handler, "m-1")
    consumer.lose([0])
    loop_turns(consumer)

    assert 1 not in commits_of(consumer, 0)


def test_a_partition_of_a_deleted_topic_is_not_committed_when_revoked(moved, caplog):
    """Committed, it would be taken by the topic if the coordinator created it again meanwhile, and
    the partition's next owner would start the new topic past its first instructions."""
    consumer, producer, worker, handler = moved
    running_and_started(consumer, producer, handler, "m-1")
    caplog.set_level(logging.WARNING, logger="groundcontrol_worker")
    with consumer.lock:  # what librdkafka's poll gives before it rebalances the topic away
        consumer.queue.append(ConsumerError(KafkaError(KafkaError.UNKNOWN_TOPIC_OR_PART, "Subscribed topic not "
                                                       "available: groundcontrol.instructions.ml: Broker: Unknown "
                                                       "topic or partition")))
    loop_turns(consumer)
    consumer.rebalance_cooperatively(revoked=[0])
    loop_turns(consumer)

    assert 1 not in commits_of(consumer, 0)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("Not committing")] == [
        "Not committing groundcontrol.instructions.ml[0]@1: the topic groundcontrol.instructions.ml was deleted"]


def test_a_partition_assigned_again_after_the_topic_was_missing_is_committed_when_revoked(moved):
    """The topic is back (created again, or the worker started before it was created)."""
    consumer, producer, worker, handler = moved
    with consumer.lock:
        consumer.queue.append(ConsumerError(KafkaError(KafkaError.UNKNOWN_TOPIC_OR_PART, "Subscribed topic not "
                                                       "available")))
    loop_turns(consumer)
    consumer.rebalance_cooperatively(revoked=[0, 1], added=[0, 1])
    loop_turns(consumer)
    running_and_started(consumer, producer, handler, "m-1")
    consumer.rebalance_cooperatively(revoked=[0])
    loop_turns(consumer)

    assert commits_of(consumer, 0)[-1] == 1


def test_a_deleted_topic_is_let_go_of_at_the_next_metadata_refresh_within_seconds():
    """librdkafka rebalances a deleted topic's partitions away only at its periodic refresh; the
    coordinator creates the topic again after 20 s even if a worker still holds them."""
    consumer_config, producer_config = _client_configs("ml", "localhost:9092", {}, "w-1")
    assert int(consumer_config["topic.metadata.refresh.interval.ms"]) <= 10_000
    assert "topic.metadata.refresh.interval.ms" not in producer_config
    given = {"topic.metadata.refresh.interval.ms": "60000"}
    assert _client_configs("ml", "localhost:9092", given, "w-1")[0]["topic.metadata.refresh.interval.ms"] == "60000"


def test_without_heartbeats_nothing_is_handed_over():
    """Without heartbeats the coordinator could not tell that this worker died after a hand-over."""
    consumer, producer, worker, handler, thread = blocking_worker(heartbeat_interval=None)
    try:
        running_and_started(consumer, producer, handler, "m-1")
        consumer.rebalance_cooperatively(revoked=[0])
        loop_turns(consumer)
        assert 1 not in commits_of(consumer, 0)
    finally:
        handler.release.setdefault("m-1", threading.Event()).set()
        worker.stop()
        thread.join(10)


def test_a_closing_worker_hands_nothing_over():
    """Its consumer's close revokes its partitions too; an attempt whose final report is not acknowledged
    by then is run again by the partition's next owner, as the worker logs, not left to the heartbeat
    watch."""
    consumer, producer, worker, handler, thread = blocking_worker(heartbeat_interval=10.0, close_timeout=0.1)
    running_and_started(consumer, producer, handler, "m-1")
    loop_turns(consumer)  # its started report's acknowledgement reached the loop
    producer.lose_next("ReportFailed", "held")  # the report the close sends is never acknowledged
    worker.stop()
    thread.join(10)

    assert consumer.closed
    assert 1 not in commits_of(consumer, 0)


@pytest.mark.parametrize("how", ["revoked", "lost"])
def test_a_cancel_written_after_the_partition_moved_stops_the_attempt_here(moved, how, caplog):
    consumer, producer, worker, handler = moved
    caplog.set_level(logging.INFO, logger="groundcontrol_worker")
    running_and_started(consumer, producer, handler, "m-1")
    consumer.instruct(mission="m-other", kind="CANCEL", partition=0)
    if how == "revoked":
        consumer.rebalance_cooperatively(revoked=[0])
    else:
        consumer.lose([0])
    loop_turns(consumer)
    consumer.instruct(mission="m-1", kind="CANCEL", partition=0)  # read by the partition's new owner only

    eventually(lambda: producer.reports("ReportFailed"), timeout=5)
    assert producer.reports("ReportFailed")[0]["outcome"][1]["error"]["message"] == "cancelled"
    assert handler.cancelled == {"m-1"}
    assert "Cancelling ('m-1', 'train', 1): its CANCEL was read from groundcontrol.instructions.ml[0], which moved " \
           "to another worker while the attempt ran here" in caplog.messages
    eventually(lambda: consumer.cancel_reader().assigned() == [])  # m-1 no longer runs here


def test_the_reader_reads_a_partition_only_while_an_attempt_from_it_runs_here(moved):
    consumer, producer, worker, handler = moved
    for mission in ("m-1", "m-2"):
        running_and_started(consumer, producer, handler, mission)
    consumer.rebalance_cooperatively(revoked=[0])
    eventually(lambda: consumer.cancel_reader().assigned() == [0])
    handler.release["m-1"].set()
    eventually(lambda: len(producer.reports("ReportFinished")) == 1)
    loop_turns(consumer)
    assert consumer.cancel_reader().assigned() == [0], "m-2 still runs here"
    handler.release["m-2"].set()
    eventually(lambda: consumer.cancel_reader().assigned() == [])


def test_the_reader_leaves_a_partition_assigned_back_to_the_consumer(moved):
    consumer, producer, worker, handler = moved
    running_and_started(consumer, producer, handler, "m-1")
    consumer.rebalance_cooperatively(revoked=[0])
    eventually(lambda: consumer.cancel_reader().assigned() == [0])
    consumer.rebalance_cooperatively(added=[0])
    eventually(lambda: consumer.cancel_reader().assigned() == [])
    polls = consumer.cancel_reader().polls
    consumer.instruct(mission="m-1", kind="CANCEL", partition=0)  # the consumer reads it

    eventually(lambda: handler.cancelled == {"m-1"})
    assert consumer.cancel_reader().polls == polls, "the reader reads nothing while it has no partition"


def test_a_failing_reader_is_logged_once_and_the_worker_goes_on(moved, caplog):
    from confluent_kafka import KafkaError, KafkaException

    consumer, producer, worker, handler = moved
    running_and_started(consumer, producer, handler, "m-1")
    consumer.cancel_reader().failing = KafkaException(KafkaError(KafkaError._TRANSPORT, "Broker transport failure"))
    consumer.rebalance_cooperatively(revoked=[0])
    eventually(lambda: consumer.cancel_reader().polls >= 3)

    running_and_started(consumer, producer, handler, "m-2", partition=1)
    handler.release["m-2"].set()
    eventually(lambda: producer.reports("ReportFinished"))
    warnings = [m for m in caplog.messages if m.startswith("Could not read the CANCELs")]
    assert warnings == ["Could not read the CANCELs of partitions that moved to another worker (logged once for "
                        "_TRANSPORT): KafkaError{code=_TRANSPORT,val=-195,str=\"Broker transport failure\"}; their "
                        "attempts run on here, ended by their own timeout or the worker's close"]


def test_the_readers_settings_are_the_consumers_without_its_group_membership():
    consumer = {"bootstrap.servers": "b:9092", "security.protocol": "SASL_SSL", "group.id": "ml",
                "group.instance.id": "ml-1", "session.timeout.ms": 6000, "heartbeat.interval.ms": 1500,
                "enable.auto.commit": "false", "enable.auto.offset.store": "false", "auto.offset.reset": "earliest",
                "isolation.level": "read_committed", "client.id": "groundcontrol-worker-w-1-consumer",
                "on_commit": print}
    assert reader_config(consumer, "ml", "w-1") == {
        "bootstrap.servers": "b:9092", "security.protocol": "SASL_SSL", "auto.offset.reset": "earliest",
        "group.id": "ml", "enable.auto.commit": "false", "isolation.level": "read_committed",
        "client.id": "groundcontrol-worker-w-1-cancel-reader"}
