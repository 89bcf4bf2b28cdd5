"""The worker's loop with in-memory clients: reports, heartbeats, cancel, dedup, commits, shutdown."""
import asyncio
import contextlib
import json
import logging
import pathlib
import signal
import subprocess
import sys
import threading
import time

import pytest

from fakes import FakeConsumer, FakeProducer, too_large
from groundcontrol_worker import ConfigError, NonRetryableError, Worker
from groundcontrol_worker.executors import ThreadExecution
from groundcontrol_worker.worker import _client_configs


def eventually(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


@pytest.fixture
def clients():
    return FakeConsumer(), FakeProducer()


def start(worker):
    thread = threading.Thread(target=worker.run, kwargs={"install_signal_handlers": False}, daemon=True)
    thread.start()
    return thread


def make_worker(clients, **options):
    return Worker("ml", clients=lambda: clients, worker_id="w-1", **options)


def test_a_finished_attempt_is_reported_then_its_offset_committed(clients):
    consumer, producer = clients
    worker = make_worker(clients)
    worker.stage()(lambda params, ctx: {"rows": params["n"] + 1})
    thread = start(worker)

    consumer.instruct(params={"n": "41"})

    eventually(lambda: producer.reports("ReportFinished"))
    report = producer.reports("ReportFinished")[0]
    assert report["outcome"][1]["outputs"] == {"rows": "42"}
    assert report["worker"]["id"] == "w-1" and report["worker"]["kind"] == "WORKER"
    eventually(lambda: consumer.committed_offset() == 1)
    worker.stop()
    thread.join(10)
    assert consumer.closed


def test_a_failure_carries_message_detail_and_retryable(clients):
    consumer, producer = clients
    worker = make_worker(clients)

    @worker.stage("train")
    def train(params, ctx):
        raise NonRetryableError("bad date")

    thread = start(worker)
    consumer.instruct()
    eventually(lambda: producer.reports("ReportFailed"))
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert error["message"] == "NonRetryableError: bad date" and error["retryable"] is False
    assert "Traceback" in error["detail"]
    worker.stop()
    thread.join(10)


def test_a_long_attempt_reports_started_then_heartbeats(clients):
    consumer, producer = clients
    worker = make_worker(clients, heartbeat_interval=0.05)
    release = threading.Event()
    worker.stage()(lambda params, ctx: release.wait(10) and None)
    thread = start(worker)
    consumer.instruct()

    eventually(lambda: len(producer.reports("ReportHeartbeat")) >= 2)
    started = producer.reports("ReportStarted")
    assert len(started) == 1 and started[0]["outcome"][1]["heartbeatIntervalMs"] == 50
    started_at = started[0]["outcome"][1]["startedAt"]
    assert started_at is not None and started_at <= started[0]["reportedAt"]
    release.set()
    eventually(lambda: producer.reports("ReportFinished"))
    worker.stop()
    thread.join(10)


def test_heartbeats_held_up_by_a_handler_holding_the_gil_are_logged(clients, caplog):
    """One C call that holds the GIL (sum over a range, a json.loads of a large text) stops every
    thread of the worker, the one that heartbeats too: past 3 intervals the coordinator declares the
    attempt lost though its worker lives. The worker cannot heartbeat meanwhile, but says why after."""
    consumer, producer = clients
    worker = make_worker(clients, heartbeat_interval=0.2)

    def hold_the_gil(params, ctx):
        ctx.sleep(0.5)  # started, and heartbeating
        sum(range(10 ** 8))  # about 1.5 s in one C call, the GIL held throughout

    worker.stage()(hold_the_gil)
    thread = start(worker)
    consumer.instruct()
    eventually(lambda: producer.reports("ReportFailed") or producer.reports("ReportFinished"), timeout=30)
    worker.stop()
    thread.join(10)

    held = [r.getMessage() for r in caplog.records if "held up" in r.getMessage()]
    assert held and held[0].startswith("Heartbeats of ('m-1', 'train', 1) were held up "), held
    assert held[0].endswith(" s, past the heartbeat interval of 0.2 s: a handler holding the GIL (one long call "
                            "into C code) stops every thread of the worker, and after 3 intervals the coordinator "
                            "declares its attempts lost; run such a handler with isolation='process'"), held


@pytest.mark.parametrize("lost_at", ["produce", "delivery"])
def test_a_lost_started_report_is_sent_again_before_any_heartbeat(clients, lost_at):
    """Without its started report the coordinator ignores the heartbeats and applies neither the
    stage's timeout nor liveness."""
    consumer, producer = clients
    producer.lose_next("ReportStarted", lost_at)
    worker = make_worker(clients, heartbeat_interval=0.05)
    release = threading.Event()
    worker.stage()(lambda params, ctx: release.wait(10) and None)
    thread = start(worker)
    consumer.instruct()

    eventually(lambda: producer.reports("ReportStarted") and producer.reports("ReportHeartbeat"))
    assert [r["outcome"][0].rsplit(".", 1)[-1] for r in producer.reports()][0] == "ReportStarted"
    assert len(producer.reports("ReportStarted")) == 1
    release.set()
    eventually(lambda: producer.reports("ReportFinished"))
    worker.stop()
    thread.join(10)


def test_a_started_report_lost_after_a_heartbeat_was_delivered_is_not_sent_again(clients):
    """The coordinator started the attempt at the heartbeat; a second started report would be
    recorded as a rejection in the mission's history."""
    consumer, producer = clients
    producer.lose_next("ReportStarted", "held")
    worker = make_worker(clients, heartbeat_interval=0.05)
    release = threading.Event()
    worker.stage()(lambda params, ctx: release.wait(10) and None)
    thread = start(worker)
    consumer.instruct()

    eventually(lambda: len(producer.reports("ReportHeartbeat")) >= 2)
    producer.release_held()
    beats = len(producer.reports("ReportHeartbeat"))
    eventually(lambda: len(producer.reports("ReportHeartbeat")) >= beats + 3)
    assert producer.reports("ReportStarted") == []
    release.set()
    eventually(lambda: producer.reports("ReportFinished"))
    worker.stop()
    thread.join(10)


def test_heartbeats_go_on_while_the_loop_is_held_in_a_poll(clients):
    """A synchronous commit in the revoke callback holds the loop inside poll; with a short heartbeat
    interval the coordinator would declare the worker lost meanwhile."""
    consumer, producer = clients
    worker = make_worker(clients, heartbeat_interval=0.05)
    release, released = threading.Event(), threading.Event()
    worker.stage()(lambda params, ctx: release.wait(10) and None)
    thread = start(worker)
    consumer.instruct()
    eventually(lambda: producer.reports("ReportStarted"))
    consumer.hold_polls(released)
    eventually(consumer.holding.is_set)
    try:
        beats = len(producer.reports("ReportHeartbeat"))
        eventually(lambda: len(producer.reports("ReportHeartbeat")) >= beats + 3, timeout=5)
    finally:
        released.set()
    release.set()
    eventually(lambda: producer.reports("ReportFinished"))
    worker.stop()
    thread.join(10)
    kinds = [r["outcome"][0].rsplit(".", 1)[-1] for r in producer.reports()]
    assert kinds[0] == "ReportStarted" and kinds[-1] == "ReportFinished"
    assert set(kinds[1:-1]) == {"ReportHeartbeat"}


def kinds_of(producer, mission):
    return [r["outcome"][0].rsplit(".", 1)[-1] for r in producer.reports() if r["missionId"] == mission]


class TwoGatedHandlers:
    """m-1 and m-2 each run until released; the worker runs both at once (parallelism 2)."""

    def __init__(self):
        self.called = {"m-1": threading.Event(), "m-2": threading.Event()}
        self.release = {"m-1": threading.Event(), "m-2": threading.Event()}

    def __call__(self, params, ctx):
        self.called[ctx.mission_id].set()
        self.release[ctx.mission_id].wait(10)

    def open(self):
        for event in self.release.values():
            event.set()


@contextlib.contextmanager
def two_running_with_the_loop_held(clients, handlers, started_report_delay=None):
    """Starts m-1 and m-2, then holds the loop in its poll, as a revoke's synchronous commit does;
    at the end releases the loop and both handlers, and stops the worker."""
    consumer, _ = clients
    worker = make_worker(clients, parallelism=2, heartbeat_interval=0.05)
    if started_report_delay is not None:
        worker.started_report_delay = started_report_delay
    worker.stage()(handlers)
    thread = start(worker)
    consumer.instruct(mission="m-1")
    consumer.instruct(mission="m-2")
    eventually(lambda: all(called.is_set() for called in handlers.called.values()))
    released = threading.Event()
    consumer.hold_polls(released)
    try:
        eventually(consumer.holding.is_set)
        yield
    finally:
        released.set()
        handlers.open()
        worker.stop()
        thread.join(10)


def test_a_handler_that_returns_while_the_loop_is_held_is_reported_at_once_and_heartbeated_no_more(clients):
    """As in the Java SDK, the handler's thread sends its final report: a loop held in a poll holds it
    up no more than it holds up heartbeats, and the progress thread sends nothing more for the attempt."""
    _, producer = clients
    handlers = TwoGatedHandlers()
    with two_running_with_the_loop_held(clients, handlers):
        eventually(lambda: kinds_of(producer, "m-2")[:1] == ["ReportStarted"])
        handlers.release["m-1"].set()
        eventually(lambda: "ReportFinished" in kinds_of(producer, "m-1"), timeout=5)
        # m-2's heartbeats show the progress thread going round: three more turns after m-1 ended.
        beats = kinds_of(producer, "m-2").count("ReportHeartbeat")
        eventually(lambda: kinds_of(producer, "m-2").count("ReportHeartbeat") >= beats + 3)
        m1 = kinds_of(producer, "m-1")
    assert m1[0] == "ReportStarted" and m1[-1] == "ReportFinished" and set(m1[1:-1]) <= {"ReportHeartbeat"}
    assert kinds_of(producer, "m-1") == m1


def test_a_handler_that_returns_within_the_started_delay_while_the_loop_is_held_is_not_reported_started(clients):
    """A quick stage costs the coordinator one report, even when the loop cannot take its end at once."""
    _, producer = clients
    handlers = TwoGatedHandlers()
    # Far longer than starting both, holding the loop and ending m-1 take, so m-1 ends within it.
    delay = 1.5
    with two_running_with_the_loop_held(clients, handlers, started_report_delay=delay):
        handlers.release["m-1"].set()
        eventually(lambda: "ReportFinished" in kinds_of(producer, "m-1"), timeout=5)
        # m-2 began after m-1: once it is reported started and heartbeated, m-1's delay is long past.
        eventually(lambda: "ReportHeartbeat" in kinds_of(producer, "m-2"), timeout=delay + 5)
    assert kinds_of(producer, "m-1") == ["ReportFinished"]


def test_heartbeats_can_be_opted_out(clients):
    consumer, producer = clients
    worker = make_worker(clients, heartbeat_interval=None)
    release = threading.Event()
    worker.stage()(lambda params, ctx: release.wait(10) and None)
    thread = start(worker)
    consumer.instruct()
    eventually(lambda: producer.reports("ReportStarted"))
    assert producer.reports("ReportStarted")[0]["outcome"][1]["heartbeatIntervalMs"] is None
    release.set()
    eventually(lambda: producer.reports("ReportFinished"))
    assert producer.reports("ReportHeartbeat") == []
    worker.stop()
    thread.join(10)


def test_cancel_stops_a_busy_handler_and_reports_it_failed_not_retryable(clients):
    consumer, producer = clients
    worker = make_worker(clients)
    running = threading.Event()

    @worker.stage()
    def spin(params, ctx):
        running.set()
        while True:  # ignores ctx.cancelled: the SDK must stop it anyway
            sum(range(1000))

    thread = start(worker)
    consumer.instruct()
    assert running.wait(10)
    consumer.instruct(kind="CANCEL")

    eventually(lambda: producer.reports("ReportFailed"))
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert error["message"] == "cancelled" and error["retryable"] is False
    eventually(lambda: consumer.committed_offset() == 2)
    worker.stop()
    thread.join(10)


def test_an_attempt_past_its_timeout_is_stopped(clients):
    consumer, producer = clients
    worker = make_worker(clients)
    worker.stage()(lambda params, ctx: ctx.sleep(30))
    thread = start(worker)
    consumer.instruct(timeout_ms=100)
    eventually(lambda: producer.reports("ReportFailed"))
    assert producer.reports("ReportFailed")[0]["outcome"][1]["error"]["message"].startswith("timed out after 0.1s")
    worker.stop()
    thread.join(10)


def _run_the_same_attempt_twice(clients, second_dispatched_at):
    """Attempt 1 of m-1/train, reported and committed, then a RUN of it again; the runs made."""
    consumer, producer = clients
    worker = make_worker(clients)
    runs = []
    worker.stage()(lambda params, ctx: runs.append(ctx.attempt))
    thread = start(worker)
    consumer.instruct()
    eventually(lambda: consumer.committed_offset() == 1)
    consumer.instruct(dispatched_at=second_dispatched_at)
    eventually(lambda: consumer.committed_offset() == 2)
    worker.stop()
    thread.join(10)
    return runs, len(producer.reports("ReportFinished"))


def test_a_redelivered_attempt_runs_once(clients):
    assert _run_the_same_attempt_twice(clients, 0) == ([1], 1)


def test_a_later_dispatch_of_the_same_attempt_runs_again(clients):
    # A new mission under an id the coordinator's retention forgot: same mission, stage and attempt.
    assert _run_the_same_attempt_twice(clients, 1_790_000_000_000) == ([1, 1], 2)


def test_a_redelivered_attempt_counts_as_recent_again_so_it_is_forgotten_last(clients):
    # As the Java SDK's RecentAttempts: a RUN read again (behind a long attempt that holds the
    # partition's commit, a rebalance re-reads it each time) must not be the first forgotten and rerun.
    consumer, producer = clients
    worker = make_worker(clients, recent_attempts=2)
    runs = []
    worker.stage()(lambda params, ctx: runs.append(ctx.mission_id))
    thread = start(worker)
    for offset, mission in enumerate(["m-a", "m-b", "m-a", "m-c", "m-a"], start=1):
        consumer.instruct(mission=mission)
        eventually(lambda: consumer.committed_offset() == offset)
    worker.stop()
    thread.join(10)
    assert runs == ["m-a", "m-b", "m-c"]


def test_attempts_run_in_parallel_up_to_the_parallelism(clients):
    consumer, producer = clients
    worker = make_worker(clients, parallelism=3)
    barrier = threading.Barrier(3, timeout=10)

    @worker.stage()
    def meet(params, ctx):
        barrier.wait()  # only returns once 3 attempts run at the same time

    thread = start(worker)
    for n in range(3):
        consumer.instruct(mission=f"m-{n}")
    eventually(lambda: len(producer.reports("ReportFinished")) == 3)
    worker.stop()
    thread.join(10)


def test_cancel_stops_a_handler_that_catches_exception(clients):
    """A retry loop or a log-and-go-on with `except Exception` swallowed the cancel, and the handler
    ran on: StageCancelled is a BaseException, as KeyboardInterrupt and asyncio's CancelledError are,
    and as Java's InterruptedException is no RuntimeException."""
    consumer, producer = clients
    worker = make_worker(clients)
    running = threading.Event()
    swallowed = []

    @worker.stage()
    def retrying(params, ctx):
        running.set()
        while not swallowed:
            try:
                ctx.sleep(0.01)  # stands for a flaky call the handler retries
            except Exception as e:
                swallowed.append(e)

    thread = start(worker)
    consumer.instruct()
    assert running.wait(10)
    consumer.instruct(kind="CANCEL")

    eventually(lambda: producer.reports("ReportFailed"))
    assert producer.reports("ReportFailed")[0]["outcome"][1]["error"]["message"] == "cancelled"
    assert swallowed == []
    worker.stop()
    thread.join(10)


def test_a_cancel_behind_waiting_runs_reaches_its_running_handler(clients):
    consumer, producer = clients
    worker = make_worker(clients, parallelism=1)
    running = threading.Event()
    stopped = threading.Event()

    @worker.stage()
    def long_stage(params, ctx):
        if ctx.mission_id == "m-1":
            running.set()
            try:
                ctx.sleep(30)
            finally:
                stopped.set()
        return {}

    thread = start(worker)
    consumer.instruct(mission="m-1")
    assert running.wait(10)
    for n in range(2, 7):  # RUNs waiting for the one handler thread
        consumer.instruct(mission=f"m-{n}")
    consumer.instruct(mission="m-1", kind="CANCEL")

    assert stopped.wait(10), "m-1's handler still running after its CANCEL was written behind waiting RUNs"
    eventually(lambda: len(producer.reports("ReportFinished")) == 5)
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert error["message"] == "cancelled" and error["retryable"] is False
    worker.stop()
    thread.join(10)


def loop_turns(consumer, turns=2):
    """Returns once the worker's loop has come back to poll ``turns`` times: what it read before
    has been handled, and what the producer acknowledged meanwhile has reached the loop."""
    for _ in range(turns):
        polls = threading.Event()
        consumer.holding.clear()
        consumer.hold_polls(polls)
        assert consumer.holding.wait(10), "the worker's loop did not come back to poll"
        polls.set()


def test_a_run_read_twice_and_cancelled_twice_before_it_starts_is_reported_once(clients):
    consumer, producer = clients
    worker = make_worker(clients, parallelism=1)
    busy = threading.Event()
    release = threading.Event()

    @worker.stage()
    def stage(params, ctx):
        if ctx.mission_id == "m-1":
            busy.set()
            release.wait(30)
        return {}

    thread = start(worker)
    consumer.instruct(mission="m-1")
    assert busy.wait(10)
    consumer.instruct(mission="m-2")
    consumer.instruct(mission="m-3")
    consumer.instruct(mission="m-2")  # redelivered: both copies wait for the one handler thread, behind m-3
    consumer.instruct(mission="m-2", kind="CANCEL")
    eventually(lambda: producer.reports("ReportFailed"))
    loop_turns(consumer)  # the cancelled report's acknowledgement has been handled
    consumer.instruct(mission="m-2", kind="CANCEL")  # read again too
    eventually(lambda: not consumer.queue)
    loop_turns(consumer)
    release.set()
    eventually(lambda: consumer.committed_offset() == 6)

    failed = [r for r in producer.reports("ReportFailed") if r["missionId"] == "m-2"]
    assert len(failed) == 1, f"m-2 was reported {len(failed)} times: {failed}"
    assert failed[0]["outcome"][1]["error"]["message"] == "cancelled"
    worker.stop()
    thread.join(10)


def test_a_cancel_read_after_an_attempt_was_reported_leaves_its_copy_still_waiting_alone(clients):
    # The attempt started from its first copy and was reported; a CANCEL read then must not start and
    # report the copy waiting behind another RUN as a second, cancelled, attempt.
    consumer, producer = clients
    worker = make_worker(clients, parallelism=1)
    started = []
    releases = {"m-1": threading.Event(), "m-3": threading.Event()}

    @worker.stage()
    def stage(params, ctx):
        started.append(ctx.mission_id)
        if ctx.mission_id in releases:
            releases[ctx.mission_id].wait(30)
        return {}

    thread = start(worker)
    consumer.instruct(mission="m-1")
    eventually(lambda: started == ["m-1"])
    consumer.instruct(mission="m-2")
    consumer.instruct(mission="m-3")
    consumer.instruct(mission="m-4")
    consumer.instruct(mission="m-2")  # redelivered: waits behind m-3 and m-4 for the one handler thread
    eventually(lambda: not consumer.queue)
    loop_turns(consumer)
    releases["m-1"].set()
    eventually(lambda: started == ["m-1", "m-2", "m-3"])
    loop_turns(consumer)  # m-2's report has been acknowledged
    consumer.instruct(mission="m-2", kind="CANCEL")
    eventually(lambda: not consumer.queue)
    loop_turns(consumer)
    releases["m-3"].set()
    eventually(lambda: consumer.committed_offset() == 6)

    reports = [r["outcome"][0].rsplit(".", 1)[-1] for r in producer.reports() if r["missionId"] == "m-2"]
    assert reports == ["ReportFinished"], f"m-2 was reported {reports}"
    worker.stop()
    thread.join(10)


def test_a_cancel_read_again_after_a_rebalance_that_came_before_the_run_of_the_running_attempt(clients):
    # Meant for an earlier mission under the same id: ignored when first read, and when read again.
    consumer, producer = clients
    worker = make_worker(clients, parallelism=2)
    running = []
    release = threading.Event()

    @worker.stage()
    def stage(params, ctx):
        running.append(ctx.mission_id)
        release.wait(30)
        return {}

    thread = start(worker)
    consumer.instruct(mission="m-1")  # running: holds the commit at 0
    consumer.instruct(mission="m-2", kind="CANCEL")
    consumer.instruct(mission="m-2")
    eventually(lambda: len(running) == 2)
    consumer.rebalance_and_read_from(0)
    consumer.instruct(mission="m-nobody", kind="CANCEL")
    eventually(lambda: not consumer.queue)
    loop_turns(consumer)
    release.set()
    eventually(lambda: consumer.committed_offset() == 4)

    assert sorted(r["missionId"] for r in producer.reports("ReportFinished")) == ["m-1", "m-2"]
    worker.stop()
    thread.join(10)


def test_the_partition_is_paused_once_read_ahead_runs_wait_and_resumed_as_they_start(clients):
    consumer, producer = clients
    worker = make_worker(clients, parallelism=1, read_ahead=2)
    gate = threading.Event()

    @worker.stage()
    def gated(params, ctx):
        assert gate.wait(10)
        return {}

    thread = start(worker)
    for n in range(1, 5):
        consumer.instruct(mission=f"m-{n}")

    eventually(lambda: consumer.paused)
    assert [r.key() for r in consumer.queue] == [b"m-4"], "read past read_ahead=2 waiting RUNs"
    gate.set()
    eventually(lambda: len(producer.reports("ReportFinished")) == 4)
    eventually(lambda: consumer.committed_offset() == 4)
    worker.stop()
    thread.join(10)


def _gated_worker(clients, **options):
    worker = make_worker(clients, parallelism=1, **options)
    gate = threading.Event()

    @worker.stage()
    def gated(params, ctx):
        assert gate.wait(10)
        return {}

    return worker, gate


def test_a_partition_kept_paused_through_a_cooperative_rebalance_is_resumed_once_runs_no_longer_wait():
    consumer, producer = clients = FakeConsumer(partitions=(0, 1)), FakeProducer()
    worker, gate = _gated_worker(clients, read_ahead=2)
    thread = start(worker)
    consumer.instruct(mission="m-1", partition=0)  # running
    eventually(lambda: not consumer.queue)
    consumer.instruct(mission="m-2", partition=1)
    consumer.instruct(mission="m-3", partition=1)
    consumer.instruct(mission="m-4", partition=0)
    eventually(lambda: len(consumer.paused) == 2)
    # Partition 1 moves to another worker: its waiting RUNs go with it, partition 0 stays here paused.
    consumer.rebalance_cooperatively(revoked=[1])
    loop_turns(consumer)
    gate.set()

    eventually(lambda: sorted(r["missionId"] for r in producer.reports("ReportFinished")) == ["m-1", "m-4"])
    eventually(lambda: consumer.committed_offset() == 2)
    worker.stop()
    thread.join(10)


def test_a_partition_paused_and_given_back_by_an_eager_rebalance_is_resumed(clients):
    consumer, producer = clients
    worker, gate = _gated_worker(clients, read_ahead=1)
    thread = start(worker)
    consumer.instruct(mission="m-1")  # running
    eventually(lambda: not consumer.queue)
    consumer.instruct(mission="m-2")
    consumer.instruct(mission="m-3")
    eventually(lambda: consumer.paused)
    consumer.rebalance_and_read_from(0)
    loop_turns(consumer)
    gate.set()

    eventually(lambda: sorted(r["missionId"] for r in producer.reports("ReportFinished")) == ["m-1", "m-2", "m-3"])
    eventually(lambda: consumer.committed_offset() == 3)
    worker.stop()
    thread.join(10)


def test_read_ahead_must_be_at_least_one():
    with pytest.raises(ConfigError, match="Expected read_ahead of at least 1"):
        Worker("ml", "localhost:9092", read_ahead=0)


def test_stop_lets_a_running_handler_finish_and_commits(clients):
    consumer, producer = clients
    worker = make_worker(clients)
    running = threading.Event()

    @worker.stage()
    def slow(params, ctx):
        running.set()
        time.sleep(0.3)
        return {"done": True}

    thread = start(worker)
    consumer.instruct()
    assert running.wait(10)
    worker.stop()
    thread.join(10)
    assert not thread.is_alive()
    assert producer.reports("ReportFinished")[0]["outcome"][1]["outputs"] == {"done": "true"}
    assert consumer.committed_offset() == 1


def test_stop_stops_a_handler_that_outlasts_the_close_timeout(clients):
    consumer, producer = clients
    worker = make_worker(clients, close_timeout=0.2)
    running = threading.Event()

    @worker.stage()
    def forever(params, ctx):
        running.set()
        ctx.sleep(60)

    thread = start(worker)
    consumer.instruct()
    assert running.wait(10)
    worker.stop()
    thread.join(10)
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert error["message"] == "Worker w-1 closed before the stage finished" and error["retryable"] is True


def test_a_stage_without_a_handler_fails_not_retryable_saying_every_worker_of_the_component_needs_one(clients):
    # A team split one component's stages over two scripts: half its missions failed, each on the stage
    # the worker that got it had no handler for, and the message did not say why.
    consumer, producer = clients
    worker = make_worker(clients)
    worker.stage("other")(lambda params, ctx: None)
    thread = start(worker)
    consumer.instruct(stage="train")
    eventually(lambda: producer.reports("ReportFailed"))
    worker.stop()
    thread.join(10)
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert (error["retryable"], error["message"]) == (False, (
        "Expected a handler for stage 'train' in worker w-1 of component 'ml', but it has none (handlers: "
        "['other']); any worker of a component may get any of its stages, so each needs a handler for all of "
        "them (@worker.stage() for the rest), or give the stage a component of its own"))


def test_a_chunk_of_a_foreach_stage_runs_the_handler_of_its_plan_stage(clients):
    consumer, producer = clients
    worker = make_worker(clients)
    seen = []

    @worker.stage("score")
    def score(params, ctx):
        seen.append((ctx.stage, params["ids"]))
        return {"n": len(params["ids"])}

    worker.stage()(lambda params, ctx: {"n": -1})
    thread = start(worker)
    consumer.instruct(stage="score[17]", params={"ids": "[1700,1701]"})

    eventually(lambda: producer.reports("ReportFinished"))
    report = producer.reports("ReportFinished")[0]
    assert report["stage"] == "score[17]" and report["outcome"][1]["outputs"] == {"n": "2"}
    assert seen == [("score[17]", [1700, 1701])]
    worker.stop()
    thread.join(10)


def test_client_settings_use_murmur2_and_the_contracts_consumer_settings():
    consumer, producer = _client_configs("ml", "localhost:9092", {"security.protocol": "SSL"}, "w-1")
    assert producer["partitioner"] == "murmur2_random"
    assert producer["acks"] == "all" and producer["enable.idempotence"] == "true"
    assert consumer["group.id"] == "ml" and consumer["auto.offset.reset"] == "earliest"
    assert consumer["isolation.level"] == "read_committed" and consumer["enable.auto.commit"] == "false"
    assert consumer["security.protocol"] == producer["security.protocol"] == "SSL"


def test_failover_takes_6_seconds_by_default_and_can_be_set():
    consumer, _ = _client_configs("ml", "localhost:9092", {}, "w-1")
    assert consumer["session.timeout.ms"] == 6000 and consumer["heartbeat.interval.ms"] == 1500
    consumer, _ = _client_configs("ml", "localhost:9092", {}, "w-1", failover_timeout=10)
    assert consumer["session.timeout.ms"] == 10000 and consumer["heartbeat.interval.ms"] == 2500
    consumer, _ = _client_configs("ml", "localhost:9092", {"session.timeout.ms": 45000}, "w-1")
    assert consumer["session.timeout.ms"] == 45000


@pytest.mark.parametrize("interval", [0, -1, 0.0005, 0.000999])
def test_a_heartbeat_interval_under_a_millisecond_is_refused(interval):
    # It would go on the wire as 0 ms: a liveness window of nothing.
    with pytest.raises(ValueError, match="Expected a heartbeat_interval of at least 0.001 seconds"):
        Worker("ml", "localhost:9092", heartbeat_interval=interval)
    assert Worker("ml", "localhost:9092", heartbeat_interval=0.001)._interval_ms() == 1


def test_a_failover_timeout_must_be_positive():
    with pytest.raises(ConfigError, match="Expected a failover_timeout of 1 to 86,400 seconds"):
        Worker("ml", "localhost:9092", failover_timeout=0)


_BOUNDS = {
    "heartbeat_interval": "a heartbeat_interval of at least 0.001 seconds (it is sent in whole milliseconds) and "
                          "at most 86,400 (a day), or None to opt out",
    "failover_timeout": "a failover_timeout of 1 to 86,400 seconds",
    "close_timeout": "a close_timeout of 0 seconds or more (float('inf') to wait as long as it takes)",
}


@pytest.mark.parametrize("setting, value", [
    ("heartbeat_interval", 86_400.001), ("heartbeat_interval", float("inf")), ("heartbeat_interval", float("nan")),
    ("failover_timeout", 0.999), ("failover_timeout", 86_400.001), ("failover_timeout", None),
    ("close_timeout", -1), ("close_timeout", None), ("close_timeout", float("nan")),
])
def test_durations_are_refused_outside_the_bounds_the_java_sdk_takes(setting, value):
    # Unrefused, a heartbeat interval past Avro's long failed every started report, a NaN or infinite
    # one raised a ValueError or OverflowError, and close_timeout=None a TypeError at shutdown.
    with pytest.raises(ConfigError) as refused:
        Worker("ml", "localhost:9092", **{setting: value})
    assert str(refused.value) == f"Expected {_BOUNDS[setting]}, but got {value}"


def test_durations_at_the_bounds_are_taken():
    worker = Worker("ml", "localhost:9092", heartbeat_interval=86_400, failover_timeout=1, close_timeout=float("inf"))
    assert worker._interval_ms() == 86_400_000
    assert Worker("ml", "localhost:9092", failover_timeout=86_400, close_timeout=0).close_timeout == 0


def test_a_setting_the_guarantees_rest_on_cannot_be_changed():
    with pytest.raises(ConfigError, match="'partitioner' must be 'murmur2_random'"):
        _client_configs("ml", "localhost:9092", {"partitioner": "consistent_random"}, "w-1")


def test_bootstrap_servers_are_required():
    with pytest.raises(ConfigError, match="Expected bootstrap servers"):
        Worker("ml")


def test_a_cancel_before_the_handlers_thread_starts_keeps_the_handler_from_running(clients):
    consumer, producer = clients
    worker = make_worker(clients)
    ran = threading.Event()
    worker.stage()(lambda params, ctx: ran.set())
    thread_may_start = threading.Event()
    run_attempt = worker._run_attempt

    def late_thread(attempt):  # what the handler's thread runs first, held back until the CANCEL is handled
        assert thread_may_start.wait(10)
        run_attempt(attempt)

    worker._run_attempt = late_thread
    thread = start(worker)
    consumer.instruct()
    consumer.instruct(kind="CANCEL")
    eventually(lambda: any(a.context.cancelled.is_set() for a in list(worker._open.values())))
    thread_may_start.set()

    eventually(lambda: producer.reports("ReportFailed"))
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert error["message"] == "cancelled" and error["retryable"] is False
    assert not ran.is_set(), "the handler of an attempt cancelled before its thread started ran"
    eventually(lambda: consumer.committed_offset() == 2)
    worker.stop()
    thread.join(10)


def test_a_handler_stuck_in_a_c_call_is_reported_failed_at_close_and_its_offset_committed(clients):
    consumer, producer = clients
    worker = make_worker(clients, close_timeout=0.2)
    running = threading.Event()
    handler_threads = []

    @worker.stage()
    def stuck(params, ctx):
        handler_threads.append(threading.current_thread())
        running.set()
        time.sleep(30)  # a C call: the StageCancelled injected at close cannot land until it returns

    thread = start(worker)
    consumer.instruct()
    assert running.wait(10)
    worker.stop()
    thread.join(10)

    assert not thread.is_alive()
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert error["message"] == "Worker w-1 closed before the stage finished" and error["retryable"] is True
    assert consumer.committed_offset() == 1
    assert handler_threads[0].is_alive() and handler_threads[0].daemon, "a stuck handler would keep the process alive"


def test_run_puts_back_the_signal_handlers_it_replaced(clients):
    worker = make_worker(clients)
    worker.stage()(lambda params, ctx: {})
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    worker.stop()  # run() returns at once

    worker.run()  # on the main thread: installs its handlers

    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


@contextlib.contextmanager
def script(name, *args):
    """Runs ``tests/name`` as a script with ``args``, its output read as text; killed at the end, and
    after 60 s if it hangs (which bounds a read of its output)."""
    path = pathlib.Path(__file__).with_name(name)
    process = subprocess.Popen([sys.executable, str(path), *args], cwd=path.parent, stdout=subprocess.PIPE,
                               text=True)
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    try:
        yield process
    finally:
        watchdog.cancel()
        process.kill()
        process.stdout.close()


def test_sigterm_ends_the_process_while_a_handler_is_stuck_in_a_c_call():
    with script("stuck_worker.py") as process:
        assert process.stdout.readline().strip() == "running"
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            raise AssertionError("the process did not exit while its handler was stuck in time.sleep")
        result = json.loads(process.stdout.readline())
    assert result["failed"] == [{"message": "Worker w-1 closed before the stage finished", "detail": None,
                                 "retryable": True}]
    assert result["committed"] == 1


def test_a_second_ctrl_c_stops_the_running_handlers_without_waiting_for_the_close_timeout():
    # With close_timeout=float("inf") a Ctrl-C waited for the handler whatever came next, silently.
    with script("stuck_worker.py", "inf") as process:
        assert process.stdout.readline().strip().startswith("Worker w-1 serving")
        assert process.stdout.readline().strip() == "running"
        process.send_signal(signal.SIGINT)
        assert process.stdout.readline().startswith(
            "Stopping: waiting up to ever (close_timeout) for the running attempts to end (1), then stopping those "
            "still running and reporting them failed (retryable); a second Ctrl-C or SIGTERM stops them now")
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            raise AssertionError("a second SIGINT did not end the wait for the running handler")
        lines = process.stdout.read().splitlines()
    assert lines[0] == "('m-1', 'train', 1) still running at a second stop signal; stopping it and reporting it failed"
    result = json.loads(lines[-1])
    assert result["failed"] == [{"message": "Worker w-1 closed before the stage finished", "detail": None,
                                 "retryable": True}]


def test_librdkafka_refuses_a_record_over_message_max_bytes_as_the_fake_producer_does():
    from confluent_kafka import KafkaException, Producer

    producer = Producer({"bootstrap.servers": "127.0.0.1:1", "log_level": 0})
    with pytest.raises(KafkaException) as refused:
        producer.produce("groundcontrol.stage-reports", value=b"x" * 1_200_000)
    assert refused.value.args[0].code() == too_large().code()


@pytest.mark.parametrize("refuse_late", [False, True], ids=["at-produce", "at-delivery"])
def test_a_report_too_large_for_kafka_fails_the_attempt_not_the_worker(refuse_late):
    consumer, producer = FakeConsumer(), FakeProducer(max_bytes=1_000_000, refuse_late=refuse_late)
    worker = make_worker((consumer, producer))
    worker.stage("train")(lambda params, ctx: {"blob": "x" * 1_200_000})
    worker.stage("score")(lambda params, ctx: {"n": 1})
    thread = start(worker)
    consumer.instruct(mission="m-1", stage="train")
    consumer.instruct(mission="m-2", stage="score")

    eventually(lambda: producer.reports("ReportFailed") and producer.reports("ReportFinished"))
    failed = producer.reports("ReportFailed")
    assert [r["missionId"] for r in failed] == ["m-1"]
    error = failed[0]["outcome"][1]["error"]
    assert error["message"] == "The report of this attempt is too large for Kafka; reduce its outputs"
    assert error["retryable"] is False and "MSG_SIZE_TOO_LARGE" in error["detail"]
    eventually(lambda: consumer.committed_offset() == 2)
    assert thread.is_alive()
    worker.stop()
    thread.join(10)
    assert not thread.is_alive()


def test_an_exception_with_a_message_of_megabytes_is_cut_to_what_a_report_carries_still_retryable():
    # An HTTP client quoting a whole error page, say: sent whole (the traceback repeats it), the report
    # would be too large for Kafka and replaced by a non-retryable failure blaming the outputs.
    consumer, producer = FakeConsumer(), FakeProducer(max_bytes=1_000_000)
    worker = make_worker((consumer, producer))

    @worker.stage("train")
    def train(params, ctx):
        raise ValueError("upstream said: " + "E" * 3_000_000 + " (end)")

    thread = start(worker)
    consumer.instruct()

    eventually(lambda: producer.reports("ReportFailed"))
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert error["retryable"] is True
    assert len(error["message"].encode("utf-8")) <= 8 * 1024
    # "ValueError: " and 3,000,021 bytes, less 8,192 kept, marker included.
    assert error["message"].startswith("ValueError: upstream said: EEE") and error["message"].endswith("EEE (end)")
    assert "E[... 2991868 bytes cut ...]E" in error["message"]
    assert len(error["detail"].encode("utf-8")) <= 64 * 1024
    assert error["detail"].startswith("Traceback") and "bytes cut ...]" in error["detail"]
    assert error["detail"].endswith("EEE (end)\n")
    eventually(lambda: consumer.committed_offset() == 1)
    worker.stop()
    thread.join(10)


def _fails_on_a_name_from_a_latin_1_file_system(params, ctx):
    raise ValueError("bad file caf\udce9.csv")  # os.listdir's surrogate escape of the byte E9


@pytest.mark.parametrize("handler, reported", [
    (lambda params, ctx: {"file": "caf\udce9.csv"},
     lambda report: report["outcome"][1]["outputs"] == {"file": '"caf\ufffd.csv"'}),
    (_fails_on_a_name_from_a_latin_1_file_system,
     lambda report: report["outcome"][1]["error"]["message"] == "ValueError: bad file caf\ufffd.csv"
     and "caf\ufffd.csv" in report["outcome"][1]["error"]["detail"]),
], ids=["output", "exception"])
def test_text_utf8_cannot_encode_is_reported_with_replacement_characters(clients, handler, reported):
    consumer, producer = clients
    worker = make_worker(clients)
    worker.stage()(handler)
    thread = start(worker)
    consumer.instruct()
    eventually(lambda: consumer.committed_offset() == 1)
    final = [r for r in producer.reports() if r["outcome"][0].endswith(("ReportFinished", "ReportFailed"))]
    assert len(final) == 1 and reported(final[0])
    assert thread.is_alive()
    worker.stop()
    thread.join(10)


def test_a_surrogate_pair_is_reported_as_the_character_it_stands_for(clients):
    consumer, producer = clients
    worker = make_worker(clients)
    worker.stage()(lambda params, ctx: {"icon": "\ud83d\ude80", "half": "\ud83d"})
    thread = start(worker)
    consumer.instruct()
    eventually(lambda: producer.reports("ReportFinished"))
    assert producer.reports("ReportFinished")[0]["outcome"][1]["outputs"] == {"icon": '"\U0001F680"', "half": '"\ufffd"'}
    worker.stop()
    thread.join(10)


def test_an_async_handler_is_awaited_and_its_outputs_reported(clients):
    consumer, producer = clients
    worker = make_worker(clients)

    @worker.stage("train")
    async def train(params, ctx):
        await asyncio.sleep(0.01)
        return {"model": f"m-{ctx.attempt}"}

    thread = start(worker)
    consumer.instruct()
    eventually(lambda: producer.reports("ReportFinished"))
    assert producer.reports("ReportFinished")[0]["outcome"][1]["outputs"] == {"model": '"m-1"'}
    worker.stop()
    thread.join(10)


def test_a_cancel_reaches_an_async_handler_at_once_as_a_cancelled_task(clients):
    # Run with asyncio.run() inside a plain handler, as the README once advised, a cancelled attempt's
    # handler ran on until its awaited asyncio.sleep ended (50 s on a dev), holding its thread: the
    # StageCancelled raised in the thread waits for the event loop to wake.
    consumer, producer = clients
    worker = make_worker(clients)
    awaiting, cleaned_up = threading.Event(), threading.Event()

    @worker.stage("train")
    async def train(params, ctx):
        awaiting.set()
        try:
            await asyncio.sleep(60)
        finally:
            cleaned_up.set()

    thread = start(worker)
    consumer.instruct()
    assert awaiting.wait(10)
    cancelled_at = time.monotonic()
    consumer.instruct(kind="CANCEL")

    eventually(lambda: producer.reports("ReportFailed"), timeout=5)
    took = time.monotonic() - cancelled_at
    worker.stop()
    thread.join(10)
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert (error["message"], error["retryable"], cleaned_up.is_set()) == ("cancelled", False, True) and took < 5


def test_a_cancel_stops_an_async_handler_that_computes_without_awaiting(clients):
    # Its task's cancel lands only at an await; the SDK then stops it as a plain handler, in its thread.
    consumer, producer = clients
    worker = make_worker(clients)
    running = threading.Event()

    @worker.stage("train")
    async def train(params, ctx):
        running.set()
        while True:  # a training loop in Python that never awaits
            sum(range(1000))

    thread = start(worker)
    consumer.instruct()
    assert running.wait(10)
    consumer.instruct(kind="CANCEL")

    eventually(lambda: producer.reports("ReportFailed"), timeout=5)
    worker.stop()
    thread.join(10)
    assert producer.reports("ReportFailed")[0]["outcome"][1]["error"]["message"] == "cancelled"


def test_stopping_an_async_handler_whose_loop_just_closed_does_nothing():
    # A cancel read just as the handler returned: the loop is closed before run() forgets its task.
    execution = ThreadExecution(None)
    loop = asyncio.new_event_loop()
    task = loop.create_task(asyncio.sleep(0))
    loop.run_until_complete(task)
    loop.close()
    execution._task = (loop, task)

    execution.stop()


def test_an_async_handler_past_its_timeout_is_stopped(clients):
    consumer, producer = clients
    worker = make_worker(clients)

    @worker.stage()
    async def train(params, ctx):
        await asyncio.sleep(60)

    thread = start(worker)
    consumer.instruct(timeout_ms=100)
    eventually(lambda: producer.reports("ReportFailed"), timeout=5)
    assert producer.reports("ReportFailed")[0]["outcome"][1]["error"]["message"].startswith("timed out after 0.1s")
    worker.stop()
    thread.join(10)


def test_an_async_generator_is_refused_when_registered(clients):
    worker = make_worker(clients)

    async def train(params, ctx):
        yield {}

    with pytest.raises(ConfigError, match=r"^Expected a function as the handler of stage 'train', but it is an "
                                          r"async generator"):
        worker.stage("train")(train)


def test_librdkafka_lines_go_through_python_logging(caplog, capfd):
    from confluent_kafka import Producer
    _, producer_config = _client_configs("ml", "127.0.0.1:1", {}, "w-1")
    producer = Producer(producer_config)
    caplog.set_level(logging.DEBUG, logger="groundcontrol_worker.kafka")
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(r.name == "groundcontrol_worker.kafka" for r in caplog.records):
            producer.poll(0.2)
    finally:
        producer.flush(0)
    assert any(r.name == "groundcontrol_worker.kafka" and "127.0.0.1:1" in r.getMessage() for r in caplog.records)
    assert "|FAIL|" not in capfd.readouterr().err


def test_a_logger_given_in_kafka_config_is_kept():
    mine = logging.getLogger("mine")
    consumer, producer = _client_configs("ml", "localhost:9092", {"logger": mine}, "w-1")
    assert consumer["logger"] is mine and producer["logger"] is mine


@pytest.mark.parametrize("setting, refused", [
    ({"max.poll.interval": 300000}, r"the consumer's: No such configuration property: \"max.poll.interval\""),
    ({"linger.ms": "soon"}, r"the producer's: Invalid value for configuration property \"queue.buffering.max.ms\""),
])
def test_a_kafka_setting_librdkafka_refuses_is_a_config_error_naming_it(setting, refused):
    # It was librdkafka's KafkaError{code=_INVALID_ARG,val=-186,str="..."} raised from inside the loop.
    worker = Worker("ml", "127.0.0.1:1", kafka_config=setting)
    worker.stage()(lambda params, ctx: None)

    with pytest.raises(ConfigError, match=r"^Expected kafka_config to hold librdkafka settings, but librdkafka "
                                          r"refused " + refused):
        worker.run(install_signal_handlers=False)


def test_a_huge_failure_message_is_logged_cut_as_it_is_reported(clients, caplog):
    # A shape error quoting a whole tensor: the worker's log line took 240,129 characters.
    consumer, producer = clients
    worker = make_worker(clients)

    @worker.stage()
    def train(params, ctx):
        raise RuntimeError("shape mismatch: " + "[1024, 768] " * 20000)

    caplog.set_level(logging.WARNING, logger="groundcontrol_worker")
    thread = start(worker)
    consumer.instruct()
    eventually(lambda: producer.reports("ReportFailed"))
    worker.stop()
    thread.join(10)
    reported = producer.reports("ReportFailed")[0]["outcome"][1]["error"]["message"]
    line = next(r.getMessage() for r in caplog.records if "failed (retryable)" in r.getMessage())
    assert line == "('m-1', 'train', 1) failed (retryable): " + reported and len(reported.encode()) <= 8 * 1024



def test_a_consumer_close_that_never_returns_does_not_keep_the_worker_from_ending(clients, monkeypatch, caplog):
    """librdkafka 2.0.2's close waits for good once given back a topic deleted and created again."""
    import groundcontrol_worker.worker as worker_module

    monkeypatch.setattr(worker_module, "CONSUMER_CLOSE_LIMIT", 0.2)
    consumer, _ = clients
    released = threading.Event()
    monkeypatch.setattr(consumer, "close", lambda: released.wait(30))
    worker = make_worker(clients)
    worker.stage()(lambda params, ctx: {})
    thread = start(worker)
    loop_turns(consumer)

    worker.stop()
    thread.join(10)

    assert not thread.is_alive()
    assert any(r.levelname == "ERROR" and "did not close within 0.2 s" in r.getMessage() for r in caplog.records)
    released.set()
