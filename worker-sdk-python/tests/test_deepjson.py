"""deepjson.loads gives what json.loads gives, at depths json.loads cannot reach."""
import json
import random

import pytest

from groundcontrol_worker import deepjson

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
