"""Numbers keep their digits through a Python handler, as through a Java one: the coordinator passes
every decimal exactly (`1732000000.123456789`, `1E+400`), and a handler that hands a param on must
not round it to a float, turn it into inf, or fail the stage for it."""
from decimal import Decimal

import pytest

import process_handlers
from groundcontrol_worker.outcome import decode_params
from groundcontrol_worker.testing import run_stage
from test_param_decoding_findings import _final_report

LOSSY = {"ts": "1732000000.123456789", "big": "1E+400", "small": "-1e-400", "deep": "[[{\"x\": -1e400}]]"}


def test_a_decimal_a_float_would_change_arrives_as_a_decimal_with_every_digit():
    params = decode_params(LOSSY)

    assert params == {"ts": Decimal("1732000000.123456789"), "big": Decimal("1E+400"),
                      "small": Decimal("-1e-400"), "deep": [[{"x": Decimal("-1e400")}]]}
    assert type(params["ts"]) is Decimal


def test_a_decimal_a_float_holds_arrives_as_a_float_as_before():
    params = decode_params({"rate": "0.25", "k": "1e3", "z": "-0.0", "tenth": "0.10", "n": "12345678901234567890"})

    assert params == {"rate": 0.25, "k": 1000.0, "z": 0.0, "tenth": 0.1, "n": 12345678901234567890}
    assert [type(v) for v in params.values()] == [float, float, float, float, int]


def test_nesting_past_json_loads_keeps_numbers_exact_too():
    params = decode_params({"x": "[" * 1000 + "1732000000.123456789" + "]" * 1000})

    value = params["x"]
    while isinstance(value, list):
        value = value[0]
    assert value == Decimal("1732000000.123456789")


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "[NaN]"])
def test_nan_and_infinity_are_not_json_so_the_param_is_kept_as_its_text(text):
    assert decode_params({"x": text}) == {"x": text}


def test_params_handed_on_leave_with_the_digits_they_came_with():
    outcome = run_stage(lambda params, ctx: dict(params), params_json=LOSSY)

    assert outcome.finished, outcome.message
    assert outcome.outputs == {"ts": "1732000000.123456789", "big": "1E+400", "small": "-1E-400",
                               "deep": '[[{"x":-1E+400}]]'}


def test_a_decimal_output_is_written_with_its_digits_and_trailing_zeros():
    outcome = run_stage(lambda params, ctx: {"price": Decimal("19.90"), "list": [Decimal("1e2"), 0.5]})

    assert outcome.outputs == {"price": "19.90", "list": "[1E+2,0.5]"}


@pytest.mark.parametrize("value, shown", [(float("inf"), "inf"), (Decimal("-Infinity"), "Decimal('-Infinity')"),
                                          (float("nan"), "nan"), (Decimal("NaN"), "Decimal('NaN')")])
def test_a_non_finite_output_fails_not_retryable_saying_where_and_why(value, shown):
    outcome = run_stage(lambda params, ctx: {"scores": {"auc": [0.5, value]}})

    assert not outcome.finished and not outcome.retryable
    assert outcome.message == (f"Expected output 'scores' to hold finite numbers only (JSON has no NaN or infinity), "
                               f"but it holds {shown} at ['auc'][1]")


def test_run_stage_sends_python_values_as_the_worker_would():
    seen = {}
    outcome = run_stage(lambda params, ctx: seen.update(params), params={"big": Decimal("1e400")})

    assert outcome.finished and seen == {"big": Decimal("1E+400")}
    with pytest.raises(ValueError, match="param 'x'"):
        run_stage(lambda params, ctx: None, params={"x": float("inf")})


@pytest.mark.parametrize("isolation", ["thread", "process"])
def test_through_the_worker_a_handed_on_param_keeps_its_digits(isolation):
    outcome = _final_report({"ts": "1732000000.123456789", "big": "1E+400"}, process_handlers.echo, isolation)

    assert outcome[0].endswith("ReportFinished"), outcome
    assert outcome[1]["outputs"] == {"ts": "1732000000.123456789", "big": "1E+400"}
