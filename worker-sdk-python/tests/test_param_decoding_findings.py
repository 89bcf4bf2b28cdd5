"""Params and outputs nested about as deep as the contract allows (the coordinator checks JSON text
with Jackson, nesting up to 1,000 deep), past what Python's recursive json and pickle can handle
(found by the sdkfuzz review)."""
import threading

import pytest

import process_handlers
from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import Worker
from test_worker import eventually


def _final_report(params, handler, isolation="thread"):
    consumer, producer = FakeConsumer(), FakeProducer()
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-1", isolation=isolation)
    worker.stage()(handler)
    thread = threading.Thread(target=worker.run, kwargs={"install_signal_handlers": False}, daemon=True)
    thread.start()
    consumer.instruct(params=params)
    try:
        eventually(lambda: producer.reports("ReportFinished") or producer.reports("ReportFailed"), timeout=60)
    finally:
        worker.stop()
        thread.join(30)
    return (producer.reports("ReportFinished") + producer.reports("ReportFailed"))[0]["outcome"]


@pytest.mark.parametrize("isolation", ["thread", "process"])
def test_a_param_nested_1000_deep_which_the_coordinator_accepts_reaches_the_handler(isolation):
    # json.loads gives up near depth 990 in a handler thread, pickle (to a child process) near 500.
    outcome = _final_report({"x": "[" * 1000 + "]" * 1000}, process_handlers.nesting_depth, isolation)
    assert outcome[0].endswith("ReportFinished"), outcome
    assert outcome[1]["outputs"] == {"depth": "1000"}


@pytest.mark.parametrize("isolation", ["thread", "process"])
def test_an_output_nested_1000_deep_which_the_coordinator_accepts_is_reported(isolation):
    # json.dumps gives up near depth 990 in a handler thread; the Java SDK takes the contract's 1,000.
    outcome = _final_report({"x": "1000"}, process_handlers.nested_list, isolation)
    assert outcome[0].endswith("ReportFinished"), outcome
    assert outcome[1]["outputs"] == {"tree": "[" * 1000 + "]" * 1000}


def test_an_output_deeper_than_the_coordinator_takes_fails_not_retryable_naming_the_output():
    outcome = _final_report({"x": "1001"}, process_handlers.nested_list)
    error = outcome[1]["error"]
    assert error["retryable"] is False, error
    assert error["message"] == ("Expected output 'tree' to be nested at most 1,000 levels deep, as the coordinator "
                                "takes it, but it is a list nested deeper")
