"""isolation="process": each attempt in a child process, terminated when the attempt is cancelled."""
import os
import threading

import process_handlers
from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import Worker
from test_worker import eventually


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
