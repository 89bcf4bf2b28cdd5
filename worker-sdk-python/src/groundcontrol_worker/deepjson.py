"""Decoding JSON text nested deeper than :func:`json.loads` can go.

``json.loads`` recurses once per level of nesting and raises ``RecursionError`` near Python's
recursion limit (1,000 frames, fewer in a handler thread), while the coordinator accepts params
nested up to 1,000 deep. :func:`loads` decodes such text with a stack of its own, to the same
values ``json.loads`` would give with room enough: strings, numbers and the constants are read by
the json module's own pieces, so the two differ only in how deep they go. Raising the recursion
limit around ``json.loads`` instead would change a setting that every thread of the process shares.
"""
import json
import re
from json.decoder import scanstring

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# json's C scanner takes ASCII digits only, where \d would also take other scripts' digits.
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = (("null", None), ("true", True), ("false", False), ("NaN", float("nan")),
              ("Infinity", float("inf")), ("-Infinity", float("-inf")))


def loads(text):
    """The value of the JSON text ``text``, at any depth; ``json.JSONDecodeError`` if it is not JSON."""
    open_containers = []  # [container, the key its next value goes under (objects)], outermost first
    at = _skip(text, 0)
    while True:
        value, at, opened = _value(text, at)
        if opened is not None:
            open_containers.append(opened)
            continue
        while True:  # the value is complete: add it to its container, closing those that end here
            at = _skip(text, at)
            if not open_containers:
                if at != len(text):
                    raise json.JSONDecodeError("Extra data", text, at)
                return value
            entry = open_containers[-1]
            container = entry[0]
            if isinstance(container, list):
                container.append(value)
            else:
                container[entry[1]] = value
            if text.startswith(",", at):
                at = _skip(text, at + 1)
                if isinstance(container, dict):
                    entry[1], at = _key(text, at)
                break
            if not text.startswith("]" if isinstance(container, list) else "}", at):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
            open_containers.pop()
            value, at = container, at + 1


def _value(text, at):
    """The value starting at ``at`` and where it ends; or, for a non-empty array or object, the
    entry to push for it and where its first value starts."""
    if text.startswith("[", at):
        inner = _skip(text, at + 1)
        if text.startswith("]", inner):
            return [], inner + 1, None
        return None, inner, [[], None]
    if text.startswith("{", at):
        inner = _skip(text, at + 1)
        if text.startswith("}", inner):
            return {}, inner + 1, None
        key, inner = _key(text, inner)
        return None, inner, [{}, key]
    if text.startswith('"', at):
        value, end = scanstring(text, at + 1)
        return value, end, None
    number = _NUMBER.match(text, at)
    if number:
        integer, fraction, exponent = number.groups()
        if fraction or exponent:
            return float(integer + (fraction or "") + (exponent or "")), number.end(), None
        return int(integer), number.end(), None
    for word, value in _CONSTANTS:
        if text.startswith(word, at):
            return value, at + len(word), None
    raise json.JSONDecodeError("Expecting value", text, at)


def _key(text, at):
    """An object's key starting at ``at`` and where the value after its colon starts."""
    if not text.startswith('"', at):
        raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, at)
    key, at = scanstring(text, at + 1)
    at = _skip(text, at)
    if not text.startswith(":", at):
        raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
    return key, _skip(text, at + 1)


def _skip(text, at):
    return _WHITESPACE.match(text, at).end()
