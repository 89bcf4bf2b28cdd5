"""The handler contract, without Kafka: what a handler gets and how what it does becomes an outcome."""
import datetime
import threading

import pytest

from groundcontrol_worker import NonRetryableError, StageCancelled, StageContext
from groundcontrol_worker.outcome import cut, decode_params
from groundcontrol_worker.testing import run_stage


def test_params_arrive_as_json_values_and_outputs_leave_as_json_text():
    def handler(params, ctx):
        return {"rows": params["limit"] * 2, "table": f"sales_{params['date']}", "meta": params["hyper"]}

    outcome = run_stage(handler, params={"limit": 21, "date": "2024-05-01", "hyper": {"depth": 6}})

    assert outcome.finished
    assert outcome.outputs == {"rows": "42", "table": '"sales_2024-05-01"', "meta": '{"depth":6}'}
    assert outcome.output("table") == "sales_2024-05-01"


def test_a_param_that_is_not_json_text_is_kept_as_the_raw_string():
    assert decode_params({"a": "42", "b": '"x"', "c": "hello world"}) == {"a": 42, "b": "x", "c": "hello world"}


def test_the_context_names_the_attempt():
    seen = {}

    def handler(params, ctx):
        seen.update(mission=ctx.mission_id, stage=ctx.stage, attempt=ctx.attempt)

    assert run_stage(handler, mission_id="m-7", stage="train", attempt=3).finished
    assert seen == {"mission": "m-7", "stage": "train", "attempt": 3}


def test_none_is_a_finish_without_outputs():
    outcome = run_stage(lambda params, ctx: None)
    assert outcome.finished and outcome.outputs == {}


def test_an_exception_fails_the_attempt_retryably_with_its_traceback():
    def handler(params, ctx):
        raise ValueError("feature store unreachable")

    outcome = run_stage(handler)

    assert not outcome.finished and outcome.retryable
    assert outcome.message == "ValueError: feature store unreachable"
    assert "Traceback (most recent call last)" in outcome.detail and "in handler" in outcome.detail


def test_an_exception_of_several_lines_is_reported_whole_as_the_java_sdk_reports_a_message():
    def handler(params, ctx):
        raise ValueError("cannot reindex on an axis with duplicate labels\n"
                         "  duplicates: ['2026-12-01', '2026-12-02']\n  hint: drop_duplicates() first")

    outcome = run_stage(handler)

    assert outcome.message == ("ValueError: cannot reindex on an axis with duplicate labels\n"
                               "  duplicates: ['2026-12-01', '2026-12-02']\n  hint: drop_duplicates() first")


def test_an_exception_whose_description_raises_still_fails_the_attempt_naming_its_class():
    class Unprintable(Exception):
        def __str__(self):
            raise RuntimeError("no description")

    def handler(params, ctx):
        raise Unprintable()

    outcome = run_stage(handler)

    assert not outcome.finished and outcome.retryable
    assert outcome.message == "The description of a Unprintable could not be read: its str() raised RuntimeError"
    assert "Traceback (most recent call last)" in outcome.detail and "in handler" in outcome.detail


def test_a_non_retryable_error_fails_the_stage_for_good():
    def handler(params, ctx):
        raise NonRetryableError("no such table 'sales'")

    outcome = run_stage(handler)

    assert not outcome.finished and not outcome.retryable
    assert outcome.message == "NonRetryableError: no such table 'sales'"


def test_an_output_that_is_not_json_is_refused_with_the_reason():
    outcome = run_stage(lambda params, ctx: {"when": threading.Event()})

    assert not outcome.finished and not outcome.retryable
    assert outcome.message == ("Expected output 'when' to be JSON-serializable, but it is a threading.Event; convert "
                               "it to a str, number, bool, None, list or dict with str keys first")


def test_a_value_json_cannot_carry_deep_in_an_output_is_named_with_its_type_and_place():
    # An evaluation's metrics with a datetime in a nested list: the message said only "but it is dict".
    outcome = run_stage(lambda params, ctx: {"metrics": {"auc": 0.9, "runs": [1, datetime.datetime(2026, 12, 7)]}})

    assert not outcome.finished and not outcome.retryable
    assert outcome.message.startswith("Expected output 'metrics' to be JSON-serializable, but it holds a "
                                      "datetime.datetime at ['runs'][1]; convert it")


def test_a_look_alike_of_a_json_type_is_named_with_its_module():
    # numpy's bool and float32 print as bool and float32: "Object of type bool is not JSON serializable"
    # read as if a bool could not be an output.
    bool_like = type("bool", (), {"__module__": "numpy"})

    outcome = run_stage(lambda params, ctx: {"flags": {"ok": bool_like()}})

    assert outcome.message.startswith("Expected output 'flags' to be JSON-serializable, but it holds a numpy.bool "
                                      "at ['ok']")


def test_a_key_json_cannot_carry_is_named_with_its_type():
    outcome = run_stage(lambda params, ctx: {"confusion": {"per_class": {(0, 1): 3}}})

    assert outcome.message.startswith("Expected output 'confusion' to be JSON-serializable, but it holds a key of "
                                      "type tuple at ['per_class']")


def test_nan_is_not_json():
    outcome = run_stage(lambda params, ctx: {"score": float("nan")})
    assert not outcome.finished and not outcome.retryable
    assert outcome.message == ("Expected output 'score' to hold finite numbers only (JSON has no NaN or infinity), "
                               "but it holds nan")


def test_a_result_that_is_not_a_dict_is_refused():
    outcome = run_stage(lambda params, ctx: "hello world")
    assert not outcome.finished
    assert outcome.message == "Expected the handler to return a dict of outputs (or None), but it returned str"


def test_a_cancelled_attempt_ends_cancelled_not_retryable():
    context = StageContext("m", "s", 1)

    def handler(params, ctx):
        ctx.cancelled.set()
        ctx.sleep(30)

    outcome = run_stage(handler, context=context)

    assert not outcome.finished and not outcome.retryable and outcome.message == "cancelled"


def test_check_cancelled_raises_once_cancelled():
    context = StageContext("m", "s", 1)
    context.check_cancelled()
    context.cancelled.set()
    with pytest.raises(StageCancelled):
        context.check_cancelled()


def test_text_within_the_limit_is_kept_as_it_is():
    assert cut("\u00e9" * 50, 100) == "\u00e9" * 50
    assert cut(None, 100) is None


def test_longer_text_keeps_head_and_tail_between_characters_and_counts_the_bytes_cut():
    # 1, 2, 3 and 4 bytes a character, as in the Java SDK's test: any cut point may fall inside one.
    text = "a" + "\u00e9\u20ac\U0001F600" * 10_000 + "z"

    kept = cut(text, 1_000)

    size = len(kept.encode("utf-8"))
    assert 990 < size <= 1_000
    assert kept.startswith("a\u00e9\u20ac\U0001F600") and kept.endswith("\u00e9\u20ac\U0001F600z")
    marker = kept[kept.index("["):kept.index("]") + 1]
    assert marker == f"[... {len(text.encode('utf-8')) - (size - len(marker))} bytes cut ...]"


def test_a_param_the_stage_lacks_fails_the_stage_at_once_as_the_java_sdks_require_param():
    # Params are resolved once per dispatch: a retry would get the same params and fail the same way.
    outcome = run_stage(lambda params, ctx: {"rows": params["table"]}, params={"date": "2024-05-01"},
                        mission_id="m-1", stage="load")

    assert not outcome.finished and not outcome.retryable
    assert outcome.message == "MissingParam: Expected param 'table' for stage 'load' of mission 'm-1', but it is missing"


def test_a_missing_param_is_still_a_key_error_to_the_handler_and_get_still_defaults():
    def handler(params, ctx):
        try:
            params["table"]
        except KeyError:
            return {"table": params.get("table", "sales"), "has": "table" in params}

    assert run_stage(handler).outputs == {"table": '"sales"', "has": "false"}


def test_a_key_missing_inside_a_param_stays_an_ordinary_retryable_failure():
    outcome = run_stage(lambda params, ctx: params["cfg"]["depth"], params={"cfg": {}})
    assert not outcome.finished and outcome.retryable and outcome.message == "KeyError: 'depth'"


def test_run_stage_awaits_an_async_handler():
    async def handler(params, ctx):
        return {"auc": params["auc"]}

    assert run_stage(handler, params={"auc": 0.5}).outputs == {"auc": "0.5"}


def test_keys_that_json_writes_as_one_text_fail_the_attempt_naming_them_and_where():
    outcome = run_stage(lambda params, ctx: {"metrics": {"per_class": [{1: 0.9, "1": 0.7}]}})

    assert not outcome.finished and not outcome.retryable
    assert outcome.message == ("Expected output 'metrics' to have keys that stay distinct in JSON, but it holds 1 and "
                               "'1' at ['per_class'][0], both written as \"1\"; JSON keys are strings, so give it str "
                               "keys")


def test_a_none_key_beside_a_null_one_is_refused_too():
    outcome = run_stage(lambda params, ctx: {"counts": {None: 3, "null": 4}})

    assert not outcome.finished
    assert outcome.message.startswith("Expected output 'counts' to have keys that stay distinct in JSON, but it holds "
                                      "None and 'null', both written as \"null\"")


def test_keys_that_are_not_str_but_stay_distinct_are_written_as_json_writes_them():
    outcome = run_stage(lambda params, ctx: {"labels": {1: "cat", 2: "dog", 2.5: "x", None: "y"}})

    assert outcome.finished
    assert outcome.outputs == {"labels": '{"1":"cat","2":"dog","2.5":"x","null":"y"}'}
