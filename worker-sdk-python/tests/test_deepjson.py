"""deepjson.loads and dumps give what json.loads and dumps give, at depths they cannot reach."""
import json
import random
from decimal import Decimal

import pytest

from groundcontrol_worker import deepjson, exactjson

_PIECES = ["a", "é", "\u202e", "\U0001f600", "\\", '"', "\n", "\x00", "\ud800", "${params.x}", ""]
_NUMBER_TEXTS = ["0", "-0", "1", "-12", "3.25", "1e3", "1E-3", "-0.5e+2", "1e400", "-1e400", "123456789012345678901234567890"]
_EDITS = " \t\r\n[]{},:\"\\-+.0123456789eENaIfinytrulsx٣"


def _random_value(rng, depth):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return "".join(rng.choice(_PIECES) for _ in range(rng.randrange(4)))
    if kind == 1:
        return rng.choice([0, -1, 2 ** 63, -(2 ** 70), 1.5, -0.0, 1e300, 5e-324, float("nan"), float("inf")])
    if kind == 2:
        return rng.choice([None, True, False])
    if kind == 3:
        return json.loads(rng.choice(_NUMBER_TEXTS))
    if kind == 4:
        return []
    if kind == 5:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(_PIECES + ["k", "k"]): _random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def _random_text(rng):
    text = json.dumps(_random_value(rng, 0), ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 0, 2, "\t"]),
                      separators=rng.choice([None, (",", ":"), (" , ", " : ")]))
    if rng.random() < 0.2:
        text = rng.choice(["", " ", "\n"]) + text + rng.choice(["", " ", "\r\n"])
    for _ in range(rng.randrange(3) if rng.random() < 0.6 else 0):
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.5:
            text = text[:at] + rng.choice(_EDITS) + text[at:]
        else:
            text = text[:at] + text[at + 1:]
    return text


def _outcome(loads, text):
    """What ``loads`` makes of ``text``, comparable across NaN and int/float: canonical JSON or the error's type."""
    try:
        return json.dumps(loads(text))
    except ValueError:
        return ValueError


def test_it_agrees_with_json_loads_on_valid_and_broken_texts():
    rng = random.Random(7)
    for _ in range(20_000):
        text = _random_text(rng)
        assert _outcome(deepjson.loads, text) == _outcome(json.loads, text), repr(text)


@pytest.mark.parametrize("text", ["1e400", '{"a":1,"a":2,"b":3}', "[1,2,]", '{"a":1,}', "01", "-", "1.", ".5", "NaN",
                                  "-Infinity", "nul", '"\\ud83d\\ude00"', '"a\tb"', "1 2", "[", "{", '{"a"', "١", "\ufeff1"])
def test_it_agrees_with_json_loads_on_edge_cases(text):
    assert _outcome(deepjson.loads, text) == _outcome(json.loads, text)


def test_it_decodes_nesting_far_past_the_recursion_limit():
    depth = 50_000
    value = deepjson.loads('{"a":' * depth + "[1]" + "}" * depth)
    for _ in range(depth):
        value = value["a"]
    assert value == [1]


def test_deep_text_that_breaks_off_is_not_json():
    with pytest.raises(json.JSONDecodeError):
        deepjson.loads("[" * 5_000 + "]" * 4_999)


def test_with_exact_numbers_it_agrees_with_json_loads_given_the_same_hooks():
    rng = random.Random(11)
    hooks = {"parse_float": exactjson.parse_float, "parse_constant": exactjson.refuse_constant}
    for _ in range(5_000):
        text = _random_text(rng)
        assert _exact_outcome(lambda t: deepjson.loads(t, **hooks), text) == \
            _exact_outcome(lambda t: json.loads(t, **hooks), text), repr(text)


def _exact_outcome(loads, text):
    try:
        return repr(loads(text))
    except ValueError:
        return ValueError


def _dumps_outcome(dumps, value):
    try:
        return dumps(value)
    except ValueError:  # deepjson's NotFinite, TooDeep among them
        return ValueError
    except TypeError:
        return TypeError


def test_dumps_writes_what_json_dumps_writes_and_refuses_what_it_refuses():
    rng = random.Random(5)
    for _ in range(20_000):
        value = _random_value(rng, 0)
        if rng.random() < 0.1:
            value = {rng.choice([1, 2.5, True, None, (1,), "k"]): value}
        expected = _dumps_outcome(lambda v: json.dumps(v, allow_nan=False, separators=(",", ":"), ensure_ascii=False),
                                  value)
        assert _dumps_outcome(deepjson.dumps, value) == expected, repr(value)


def test_dumps_writes_a_decimal_with_its_digits_and_refuses_a_non_finite_one():
    assert deepjson.dumps([Decimal("19.90"), Decimal("1e400"), Decimal("-0")]) == "[19.90,1E+400,-0]"
    with pytest.raises(deepjson.NotFinite, match=r"Decimal\('NaN'\) is not JSON at \[0\]\['a'\]"):
        deepjson.dumps([{"a": Decimal("NaN")}])


def test_dumps_refuses_a_container_that_holds_itself_and_takes_one_held_twice():
    looped = [1]
    looped.append({"a": looped})
    with pytest.raises(ValueError, match="Circular reference detected"):
        deepjson.dumps(looped)
    shared = [1]
    assert deepjson.dumps([shared, {"b": shared}]) == '[[1],{"b":[1]}]'


def test_dumps_writes_nesting_far_past_the_recursion_limit_up_to_its_limit():
    depth = 50_000
    value = [1]
    for _ in range(depth - 1):
        value = {"a": value}
    assert deepjson.dumps(value) == '{"a":' * (depth - 1) + "[1]" + "}" * (depth - 1)
    assert deepjson.dumps(value, max_depth=depth).endswith("}")
    with pytest.raises(deepjson.TooDeep):
        deepjson.dumps(value, max_depth=depth - 1)
