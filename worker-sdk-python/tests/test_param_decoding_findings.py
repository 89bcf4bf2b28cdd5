"""Findings of the sdkfuzz review (fail until fixed): params and outputs the contract accepts (the
coordinator checks JSON text with Jackson, nesting up to 1,000 deep) that the Python SDK cannot
decode or encode for lack of Python stack, where the Java SDK hands the text through."""
import threading
import time

from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import Worker


def _final_report(params, handler):
    consumer, producer = FakeConsumer(), FakeProducer()
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-1")
    worker.stage()(handler)
    thread = threading.Thread(target=worker.run, kwargs={"install_signal_handlers": False}, daemon=True)
    thread.start()
    consumer.instruct(params=params)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (producer.reports("ReportFinished") or producer.reports("ReportFailed")):
        time.sleep(0.01)
    worker.stop()
    thread.join(10)
    return (producer.reports("ReportFinished") + producer.reports("ReportFailed"))[0]["outcome"]


def test_a_param_nested_995_deep_which_the_coordinator_accepts_reaches_the_handler():
    calls = []
    outcome = _final_report({"x": "[" * 995 + "]" * 995}, lambda params, ctx: calls.append(1))
    # Now: the handler never runs; the attempt fails RETRYABLE with "RecursionError: maximum recursion
    # depth exceeded while decoding a JSON array", no detail, and so fails again on every retry.
    assert calls == [1], outcome
    assert outcome[0].endswith("ReportFinished"), outcome


def _nested(depth):
    tree = []
    for _ in range(depth - 1):
        tree = [tree]
    return tree


def test_an_output_too_deep_to_encode_fails_not_retryable_naming_the_output():
    outcome = _final_report({}, lambda params, ctx: {"tree": _nested(990)})
    error = outcome[1]["error"]
    # Now: "RecursionError: maximum recursion depth exceeded while encoding a JSON object", retryable.
    assert error["retryable"] is False and "'tree'" in error["message"], error
