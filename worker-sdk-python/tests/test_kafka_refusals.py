"""A worker Kafka refuses (an ACL revoked mid-run) stops with one line, as the Java SDK and README
"When the cluster refuses" say, instead of running RUNs whose reports can never be written."""
import collections
import logging
import threading
import time

import pytest

from fakes import REPORTS, FakeConsumer, FakeProducer, Message
from groundcontrol_worker import KafkaRefused, Worker


def kafka_error(name, fatal=False):
    from confluent_kafka import KafkaError

    return KafkaError(getattr(KafkaError, name), f"Broker: {name.lower().replace('_', ' ')}", fatal=fatal)


class RefusingProducer(FakeProducer):
    """Write on the stage-reports topic revoked: every report (or each of the kinds ``only``) fails in
    its delivery callback with ``error``."""

    def __init__(self, error="TOPIC_AUTHORIZATION_FAILED", only=None):
        super().__init__()
        self.error = error
        self.only = only
        self.produced = collections.Counter()  # (mission, report kind) -> how many times it was produced

    def produce(self, topic, key=None, value=None, on_delivery=None):
        kind = REPORTS.decode(value)["outcome"][0].rsplit(".", 1)[-1]
        if self.only and kind not in self.only:
            super().produce(topic, key, value, on_delivery)
            return
        with self.lock:
            self.produced[(key.decode(), kind)] += 1
            if on_delivery:
                self.pending.append((on_delivery, kafka_error(self.error)))


class ConsumerError(Message):
    """What librdkafka's poll returns for a consumer error instead of a record."""

    def __init__(self, error):
        super().__init__("groundcontrol.instructions.ml", 0, None, None, None)
        self._error = error

    def error(self):
        return self._error


class ErrorLines(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def errors():
    handler = ErrorLines()
    logger = logging.getLogger("groundcontrol_worker")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def start(worker):
    """Runs the worker on a thread; what ended ``run()`` is in the returned dict under "by"."""
    ended = {}

    def run():
        try:
            worker.run(install_signal_handlers=False)
        except BaseException as e:
            ended["by"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, ended


def test_a_worker_whose_reports_kafka_refuses_stops(errors):
    consumer, producer = FakeConsumer(), RefusingProducer()
    runs = []
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-1", close_timeout=0.5)
    worker.stage()(lambda params, ctx: runs.append(ctx.mission_id))
    thread, ended = start(worker)
    for i in range(5):
        consumer.instruct(mission=f"m-{i}")
    thread.join(3)
    alive = thread.is_alive()
    worker.stop()
    thread.join(15)
    assert not alive, (f"Kafka refused every report (TOPIC_AUTHORIZATION_FAILED) for 3 s, yet the worker kept "
                       f"running and took RUNs it can never report: ran {runs}, {len(worker._resends)} final "
                       f"reports queued for yet another resend")
    assert isinstance(ended.get("by"), KafkaRefused) and ended["by"].code == 1, ended
    assert errors == [str(ended["by"])]
    assert errors[0].startswith("Worker w-1 stopped: Kafka refused its reports to groundcontrol.stage-reports: "
                                "TOPIC_AUTHORIZATION_FAILED"), errors
    assert "groundcontrol acl print --role worker --component ml" in errors[0]
    assert len(runs) <= 2, f"no RUN is started once the refusal is known, but ran {runs}"
    assert set(producer.produced.values()) == {1}, f"a refused report is not sent again: {producer.produced}"
    assert (consumer.committed_offset() or 0) == 0, "refused attempts are left for the partition's next owner"
    assert consumer.closed


@pytest.mark.parametrize("refused, error", [("ReportStarted", "CLUSTER_AUTHORIZATION_FAILED"),
                                             ("ReportHeartbeat", "_AUTHENTICATION")])
def test_a_worker_whose_progress_reports_kafka_refuses_stops_and_its_handler_with_it(errors, refused, error):
    """A long stage sends a started report and heartbeats for hours before its final report."""
    consumer, producer = FakeConsumer(), RefusingProducer(error, only={refused, "ReportFailed"})
    stopped = threading.Event()
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-1", close_timeout=0.2,
                    heartbeat_interval=0.05)

    @worker.stage()
    def forever(params, ctx):
        try:
            ctx.sleep(60)
        finally:
            stopped.set()

    thread, ended = start(worker)
    consumer.instruct(mission="m-1")
    thread.join(10)
    assert not thread.is_alive(), f"the worker must stop when Kafka refuses a {refused} of a long stage"
    assert isinstance(ended.get("by"), KafkaRefused), ended
    assert len(errors) == 1 and error in errors[0], errors
    assert stopped.wait(10), "the running handler is stopped at the close timeout"
    assert producer.produced[("m-1", refused)] >= 1 and producer.produced[("m-1", "ReportFailed")] == 1
    assert (consumer.committed_offset() or 0) == 0


@pytest.mark.parametrize("error, line", [
    (kafka_error("GROUP_AUTHORIZATION_FAILED"),
     "Worker w-1 stopped: Kafka refused its consumer of groundcontrol.instructions.ml in group 'ml': "
     "GROUP_AUTHORIZATION_FAILED"),
    (kafka_error("_FATAL", fatal=True),
     "Worker w-1 stopped: a fatal Kafka error in its consumer of groundcontrol.instructions.ml in group 'ml': _FATAL"),
])
def test_a_worker_whose_consumer_kafka_refuses_stops_without_committing(errors, error, line):
    consumer, producer = FakeConsumer(), FakeProducer()
    runs = []
    running = threading.Event()
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-1", close_timeout=0.2)

    @worker.stage()
    def handler(params, ctx):
        runs.append(ctx.mission_id)
        if ctx.mission_id == "m-1":
            running.set()
            ctx.sleep(60)

    thread, ended = start(worker)
    consumer.instruct(mission="m-0")
    consumer.instruct(mission="m-1")
    assert running.wait(10)
    with consumer.lock:
        consumer.queue.append(ConsumerError(error))
    consumer.instruct(mission="m-2")
    thread.join(10)
    assert not thread.is_alive(), f"the worker must stop on the consumer error {error}"
    assert isinstance(ended.get("by"), KafkaRefused), ended
    assert len(errors) == 1 and errors[0].startswith(line), errors
    assert runs == ["m-0", "m-1"]
    assert [r["missionId"] for r in producer.reports("ReportFailed")] == ["m-1"], "m-1 is stopped and reported"
    assert (consumer.committed_offset() or 0) <= 1, \
        "after the consumer was refused nothing more is committed: m-1's offset is left to the next owner"


def test_a_missing_instruction_topic_is_logged_as_the_component_the_worker_waits_for(caplog):
    # A component name with a typo ('mltrian'): librdkafka's line named neither the component nor a cause,
    # 'Consumer error: KafkaError{code=UNKNOWN_TOPIC_OR_PART,val=3,str="Subscribed topic not available: ..."}'.
    from confluent_kafka import KafkaError

    consumer, producer = FakeConsumer(), FakeProducer()
    worker = Worker("mltrian", clients=lambda: (consumer, producer), worker_id="w-1")
    worker.stage()(lambda params, ctx: None)
    caplog.set_level(logging.WARNING, logger="groundcontrol_worker")
    with consumer.lock:
        consumer.queue.append(ConsumerError(KafkaError(KafkaError.UNKNOWN_TOPIC_OR_PART, "Subscribed topic not "
                                                       "available: groundcontrol.instructions.mltrian: Broker: Unknown "
                                                       "topic or partition")))
    thread = threading.Thread(target=worker.run, kwargs={"install_signal_handlers": False}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not caplog.records:
            time.sleep(0.01)
    finally:
        worker.stop()
        thread.join(10)
    assert [r.getMessage() for r in caplog.records] == [
        "Waiting for topic groundcontrol.instructions.mltrian, which does not exist: `groundcontrol plan apply` "
        "creates it for a plan with a stage of component 'mltrian', and a running coordinator creates it again, "
        "deleted, when it dispatches to it; check the component name and topic_prefix against the plan's"]


@pytest.mark.parametrize("error, warned", [("REBALANCE_IN_PROGRESS", False), ("REQUEST_TIMED_OUT", True)])
def test_a_commit_refused_during_a_rebalance_is_made_again_without_a_warning(caplog, error, warned):
    """Every commit is refused while the group rebalances (a Java worker's roll logged 15-32 warnings
    a worker): librdkafka's commit callback says so below warning level; other refusals still warn.
    Either way the offsets are committed again."""
    from confluent_kafka import TopicPartition

    worker = Worker("ml", clients=lambda: (FakeConsumer(), FakeProducer()), worker_id="w-1")
    retried = []

    class Offsets:
        def commit_failed(self):
            retried.append(True)

    worker._partitions[("groundcontrol.instructions.ml", 0)] = Offsets()
    caplog.set_level(logging.WARNING, logger="groundcontrol_worker")
    worker._on_commit(kafka_error(error), [TopicPartition("groundcontrol.instructions.ml", 0, 7)])
    assert [r.getMessage().startswith("Could not commit") for r in caplog.records] == ([True] if warned else [])
    assert retried == [True], "committed again at the next chance"
