"""Params and outputs as the coordinator passes them: JSON values whose numbers keep every digit.

The coordinator hands a decimal on exactly (``1732000000.123456789``, ``1E+400``), and a Java handler
gets its text. Python's ``json`` would make the first ``1732000000.1234567``, the second ``inf`` (and
then refuse it as an output), ``1e-400`` zero. Here a decimal a float holds arrives as a float, as
ever; one a float would change arrives as a :class:`~decimal.Decimal`, the rule the coordinator's
ExactJson applies to what it hashes. A Decimal is written back with its digits, so a param handed on
leaves as it came.
"""
import json
import math
from decimal import Decimal

from . import deepjson

#: How deep the coordinator takes params and outputs (Jackson's nesting limit).
MAX_DEPTH = 1000


def parse_float(text):
    """A JSON decimal as a float if the float has its value (its shortest form equals ``text`` as a
    number: ``0.25``, ``1e3``), else as a Decimal with every digit."""
    value = float(text)
    if math.isfinite(value) and Decimal(repr(value)) == Decimal(text):
        return value
    return Decimal(text)


def refuse_constant(word):
    """``NaN``, ``Infinity`` and ``-Infinity`` are not JSON, though ``json.loads`` takes them."""
    raise ValueError(f"Expected JSON, but found {word}, which JSON has no value for")


def loads(text):
    """The value of the JSON text ``text``, numbers exact, at any depth; ``ValueError`` if not JSON."""
    try:
        return json.loads(text, parse_float=parse_float, parse_constant=refuse_constant)
    except RecursionError:  # nested deeper than json's recursion can go (the contract allows 1,000)
        return deepjson.loads(text, parse_float, refuse_constant)


def dumps(value):
    """``value`` as compact JSON text, a Decimal with its digits, nested up to :data:`MAX_DEPTH`.
    Raises as :func:`deepjson.dumps` does."""
    if _has_key_not_str(value):  # json.dumps would write 1 and "1" as one key twice
        return deepjson.dumps(value, MAX_DEPTH)
    try:
        return json.dumps(value, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):  # a Decimal, a NaN, or nested past json's recursion
        return deepjson.dumps(value, MAX_DEPTH)


def _has_key_not_str(value):
    """Whether a dict in ``value``, at any depth, has a key that is not a str."""
    stack = [value]
    seen = set()
    while stack:
        container = stack.pop()
        if id(container) in seen:
            continue
        seen.add(id(container))
        if isinstance(container, dict):
            for key, inner in container.items():
                if not isinstance(key, str):
                    return True
                if isinstance(inner, (dict, list, tuple)):
                    stack.append(inner)
        elif isinstance(container, (list, tuple)):
            stack.extend(inner for inner in container if isinstance(inner, (dict, list, tuple)))
    return False
