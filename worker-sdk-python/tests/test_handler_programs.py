"""isolation="process": the programs a handler starts (`spark-submit`, `bash train.sh`) end with its
attempt, however it ends, and with a killed worker; left running, they would run beside the attempt's
retry. Each handler starts three: a plain child, one in a session of its own (setsid), one orphaned
by a double fork (process_handlers.start_programs)."""
import contextlib
import json
import os
import select
import signal
import sys
import threading

import pytest

import process_handlers
from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import Worker
from groundcontrol_worker.context import StageContext
from groundcontrol_worker.executors import ProcessExecution
from test_worker import eventually, script

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux: process ids watched by pidfd")

#: How long a program may outlive what should have ended it.
BOUND = 10


def _ended_within(pid, seconds):
    """Whether process ``pid`` has ended (a zombie not yet reaped counts) or ends within ``seconds``."""
    try:
        watch = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([watch], [], [], seconds)[0])
    finally:
        os.close(watch)


@contextlib.contextmanager
def programs(tmp_path):
    """Gives the pids file a handler writes to, and reads it; kills whatever is left at the end, so that a
    failing test leaves no program behind."""
    path = tmp_path / "pids"
    started = []

    def read():
        eventually(path.exists, timeout=60)
        started.extend(int(pid) for pid in path.read_text().split())
        return list(started)

    try:
        yield str(path), read
    finally:
        for pid in started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _left_running(pids, seconds):
    return [pid for pid in pids if not _ended_within(pid, seconds)]


def run_worker():
    consumer, producer = FakeConsumer(), FakeProducer()
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-g", isolation="process")
    worker.stage()(process_handlers.start_programs)
    thread = threading.Thread(target=worker.run, kwargs={"install_signal_handlers": False}, daemon=True)
    thread.start()
    return worker, thread, consumer, producer


@pytest.mark.parametrize("wait, start_method", [("program", "spawn"), ("gil", "spawn"), ("program", "forkserver")])
def test_the_programs_of_a_killed_worker_end_with_it(tmp_path, wait, start_method):
    # A worker SIGKILLed (the OOM killer, a node drained) took its handler's process with it, but not the
    # programs the handler had started: they ran on beside the retry on another worker. Whatever ends
    # them must not need the handler's process to run Python code, which holding the GIL stops. With
    # process_start_method="forkserver", the handler's process and its programs ran on to their own end
    # (a `sleep 600` lived past 20 s): the fork server, whose end was to tell, lives while its children do.
    with programs(tmp_path) as (pids_file, read), \
            script("killed_worker.py", pids_file, wait, start_method) as worker:
        pids = read()
        worker.kill()
        worker.wait(10)
        assert _left_running(pids, BOUND) == [], f"of {pids}, these outlived their killed worker"


@pytest.mark.parametrize("how", ["cancel", "timeout"])
def test_the_programs_of_a_cancelled_or_timed_out_attempt_have_ended_when_it_is_reported(tmp_path, how):
    # The worker killed the handler's process alone: its programs ran on, the attempt was reported
    # cancelled or timed out, and a timed-out one was retried beside them.
    worker, thread, consumer, producer = run_worker()
    with programs(tmp_path) as (pids_file, read):
        consumer.instruct(params={"pids": json.dumps(pids_file)}, timeout_ms=5000 if how == "timeout" else None)
        pids = read()
        if how == "cancel":
            consumer.instruct(kind="CANCEL")
        eventually(lambda: producer.reports("ReportFailed"), timeout=60)
        left = _left_running(pids, 0)
        error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
        assert error["message"] == ("cancelled" if how == "cancel" else "timed out after 5s (attempt 1)"), error
        assert left == [], f"of {pids}, these ran on after their attempt was reported"
    worker.stop()
    thread.join(30)


def test_the_programs_a_handler_leaves_running_end_when_it_returns(tmp_path):
    with programs(tmp_path) as (pids_file, read):
        outcome = ProcessExecution(process_handlers.start_programs, "spawn").run(
            {"pids": pids_file, "wait": False}, StageContext("m-1", "s", 1, "p", "ml"))
        assert outcome.finished, outcome
        pids = read()
        assert _left_running(pids, 0) == [], f"of {pids}, these outlived their attempt"


def test_the_programs_of_a_handler_process_killed_alone_end_and_its_attempt_fails_retryably(tmp_path):
    # The OOM killer picks the handler's process (the largest): its programs, orphaned, ran on.
    execution = ProcessExecution(process_handlers.start_programs, "spawn")
    outcome = {}
    with programs(tmp_path) as (pids_file, read):
        thread = threading.Thread(target=lambda: outcome.update(o=execution.run(
            {"pids": pids_file}, StageContext("m-1", "s", 1, "p", "ml"))))
        thread.start()
        pids = read()
        with open(f"/proc/{pids[0]}/stat") as stat:  # the plain program's parent runs the handler
            handler_process = int(stat.read().rsplit(")", 1)[1].split()[1])
        os.kill(handler_process, signal.SIGKILL)
        thread.join(60)
        assert outcome["o"].message == "The handler's process ended with exit code -9 before it reported"
        assert outcome["o"].retryable
        assert _left_running(pids, 0) == [], f"of {pids}, these outlived the handler's process"
