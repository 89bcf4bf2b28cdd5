"""isolation="process": each attempt in a child process, killed when the attempt is cancelled."""
import multiprocessing
import os
import signal
import sys
import threading
import time

import pytest

import process_handlers
from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import Worker
from groundcontrol_worker.context import StageContext
from groundcontrol_worker.executors import ProcessExecution
from groundcontrol_worker.supervisor import descendants
from test_worker import eventually, script


def run_worker(handler):
    consumer, producer = FakeConsumer(), FakeProducer()
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-p", isolation="process")
    worker.stage()(handler)
    thread = threading.Thread(target=worker.run, kwargs={"install_signal_handlers": False}, daemon=True)
    thread.start()
    return worker, thread, consumer, producer


def test_an_attempt_runs_in_another_process_and_reports_its_outputs():
    worker, thread, consumer, producer = run_worker(process_handlers.add_one)
    consumer.instruct(params={"n": "41"})
    eventually(lambda: producer.reports("ReportFinished"), timeout=60)
    outputs = producer.reports("ReportFinished")[0]["outcome"][1]["outputs"]
    assert outputs["n"] == "42" and int(outputs["pid"]) != os.getpid()
    worker.stop()
    thread.join(30)


def test_cancel_terminates_a_handler_that_never_looks_at_cancellation():
    worker, thread, consumer, producer = run_worker(process_handlers.spin_forever)
    consumer.instruct()
    eventually(lambda: producer.reports("ReportStarted"), timeout=60)
    consumer.instruct(kind="CANCEL")
    eventually(lambda: producer.reports("ReportFailed"), timeout=60)
    error = producer.reports("ReportFailed")[0]["outcome"][1]["error"]
    assert error["message"] == "cancelled" and error["retryable"] is False
    worker.stop()
    thread.join(30)
    assert not thread.is_alive()


def _ended(pid):
    """Whether process ``pid`` has ended: gone, or a zombie its new parent has not reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):  # gone before or while it was read
        return True


def test_a_handler_process_ends_when_its_worker_is_killed():
    # A worker killed (SIGKILL, the OOM killer) left its children running their handlers to the end,
    # while the attempts went to another worker: two copies of a stage at once, as a thread never does.
    with script("killed_worker.py") as worker:
        child = int(worker.stdout.readline())
        worker.kill()
        worker.wait(10)
    deadline = time.monotonic() + 10
    while not _ended(child) and time.monotonic() < deadline:
        time.sleep(0.01)
    ended = _ended(child)
    if not ended:
        os.kill(child, signal.SIGKILL)
    assert ended, "the handler's process outlived its killed worker"


def _processes_of(execution):
    """The attempt's process and, on Linux, the one it runs the handler in (see supervisor.supervise)."""
    pid = execution._process.pid
    return [pid, *(descendants(pid) if sys.platform.startswith("linux") else [])]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_whole_process_group_leaves_a_running_handler_to_finish(signum):
    # A terminal's Ctrl-C sends SIGINT to the whole foreground process group, the child included, and
    # systemd's `systemctl stop` (KillMode=control-group, its default) sends SIGTERM to every process
    # of the service; only the worker's stop() may end the attempt, through close_timeout, not the signal.
    spawn = multiprocessing.get_context("spawn")
    # go_on a semaphore, not an Event: Event.set() waits for its waiters to wake, for ever for a killed one.
    started, go_on = spawn.Event(), spawn.Semaphore(0)
    execution = ProcessExecution(process_handlers.finish_when_told, "spawn")
    thread, outcome = _run_until_told(execution, started, go_on)
    for pid in _processes_of(execution):  # as systemd signals every process of the service
        os.kill(pid, signum)
    go_on.release()
    thread.join(60)
    assert outcome["o"].finished, outcome["o"]


def _run_until_told(execution, started, go_on):
    """Runs process_handlers.finish_when_told in ``execution`` on a thread; returns the thread and the
    dict that gets its outcome, once the handler has started."""
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(o=execution.run(
        {"started": started, "go_on": go_on}, StageContext("m-1", "s", 1, "p", "ml"))))
    thread.start()
    assert started.wait(60), "the handler never started in its process"
    return thread, outcome


def _has_pending_or_ended(pid, signum):
    """Whether process ``pid`` holds ``signum`` pending (blocked), or has ended."""
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status)
    except (FileNotFoundError, ProcessLookupError):
        return True
    pending = int(fields["ShdPnd"], 16) | int(fields["SigPnd"], 16)
    return bool(pending & 1 << (signum - 1)) or fields["State"].split()[0] in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux: the attempt's process supervises")
@pytest.mark.parametrize("signum", [signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP])
def test_a_stray_signal_to_the_attempts_process_leaves_the_attempt_to_finish(signum):
    # SIGUSR1 was the order to end the attempt (the worker's stop() and the kernel's parent-death
    # signal sent it), so any process could send it: one sent by mistake (`kill -USR1` meant for
    # another process, `systemctl kill -s USR1` to reopen logs) killed a running attempt and its
    # programs, reported failed (exit code -9) and retried from the start. And any other signal whose
    # default ends a process (SIGUSR2, SIGHUP) ended the supervising process, leaving the programs
    # running. The order now comes through a pipe only the worker writes to, and the supervising
    # process holds every such signal blocked.
    spawn = multiprocessing.get_context("spawn")
    started, go_on = spawn.Event(), spawn.Semaphore(0)
    execution = ProcessExecution(process_handlers.finish_when_told, "spawn")
    thread, outcome = _run_until_told(execution, started, go_on)
    os.kill(execution._process.pid, signum)
    eventually(lambda: _has_pending_or_ended(execution._process.pid, signum), timeout=60)
    go_on.release()
    thread.join(60)
    assert outcome["o"].finished, outcome["o"]
    # Not killed after the handler reported, either: a signal pending when it next looks comes first.
    assert execution._process.exitcode == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGUSR1])
def test_a_signal_to_the_whole_process_group_while_a_child_starts_leaves_it_to_run(signum):
    # The signal comes before the child's interpreter has started (it takes tens of milliseconds) and
    # installed its handlers: blocked until then, it finds them. The first child of the worker too,
    # whose start starts multiprocessing's resource tracker.
    execution = ProcessExecution(process_handlers.add_one, "spawn")
    outcome = {}
    thread = threading.Thread(
        target=lambda: outcome.update(o=execution.run({"n": 1}, StageContext("m-1", "s", 1, "p", "ml"))))
    thread.start()
    eventually(lambda: execution._process is not None, timeout=60)
    os.kill(execution._process.pid, signum)
    thread.join(60)
    assert outcome["o"].finished, outcome["o"]


def test_programs_a_handler_starts_get_sigint_as_usual():
    # The child only ignores SIGINT by a handler of its own, which exec resets: a program it starts
    # (a tool the handler stops with SIGINT) must not inherit an ignored SIGINT, nor a signal blocked
    # (exec keeps the mask) where the worker has it unblocked, such as the SIGCHLD that the process
    # supervising the handler's waits for.
    execution = ProcessExecution(process_handlers.grandchild_sigint, "spawn")
    outcome = execution.run({}, StageContext("m-1", "s", 1, "p", "ml"))
    assert outcome.finished, outcome
    worker_blocks = str(sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])))  # SIGQUIT under Maven
    assert (outcome.output("ignored"), outcome.output("blocked")) == ("False", worker_blocks)


def test_a_handler_a_child_process_cannot_load_is_refused_when_the_worker_starts():
    # Found at the first RUN instead, every attempt failed retryable ("PicklingError: ..."), retried
    # by policy though no retry could help.
    worker = Worker("ml", clients=lambda: (FakeConsumer(), FakeProducer()), worker_id="w-p", isolation="process")
    worker.stage("train")(lambda params, ctx: None)
    raised = []

    def run():
        try:
            worker.run(install_signal_handlers=False)
        except Exception as e:
            raised.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    worker.stop()
    thread.join(10)
    assert [type(e).__name__ for e in raised] == ["ConfigError"]
    assert str(raised[0]).startswith(
        "Expected the handler of stage 'train' to be a module-level function, which isolation='process' "
        "hands to a child process, but it cannot be pickled: "), raised[0]
