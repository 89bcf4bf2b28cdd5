"""Decoding and encoding JSON nested deeper than :func:`json.loads` and :func:`json.dumps` can go.

Both recurse once per level of nesting and raise ``RecursionError`` near Python's recursion limit
(1,000 frames, fewer in a handler thread), while the coordinator accepts params and outputs nested
up to 1,000 deep. :func:`loads` and :func:`dumps` work with a stack of their own, to the same values
and text the json module gives with room enough: strings, numbers and the constants are read and
written by the json module's own pieces, so the two differ only in how deep they go, and in that
:func:`dumps` writes a :class:`decimal.Decimal` with its digits. Raising the recursion limit around
the json module instead would change a setting that every thread of the process shares.
"""
import json
import math
import re
from decimal import Decimal
from json.decoder import scanstring
from json.encoder import encode_basestring

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# json's C scanner takes ASCII digits only, where \d would also take other scripts' digits.
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = (("null", None), ("true", True), ("false", False))
_NON_NUMBERS = ("NaN", "Infinity", "-Infinity")
_NON_NUMBER_VALUES = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
_FIRST = object()  # the path entry of a container none of whose values has been written yet
_END = object()


def loads(text, parse_float=float, parse_constant=_NON_NUMBER_VALUES.__getitem__):
    """The value of the JSON text ``text``, at any depth; ``json.JSONDecodeError`` if it is not JSON.
    ``parse_float`` and ``parse_constant`` are as in :func:`json.loads`."""
    numbers = (parse_float, parse_constant)
    open_containers = []  # [container, the key its next value goes under (objects)], outermost first
    at = _skip(text, 0)
    while True:
        value, at, opened = _value(text, at, numbers)
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


def _value(text, at, numbers):
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
            return numbers[0](integer + (fraction or "") + (exponent or "")), number.end(), None
        return int(integer), number.end(), None
    for word, value in _CONSTANTS:
        if text.startswith(word, at):
            return value, at + len(word), None
    for word in _NON_NUMBERS:
        if text.startswith(word, at):
            return numbers[1](word), at + len(word), None
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


class NotFinite(ValueError):
    """A NaN or infinity, which JSON has no text for; ``value`` and ``where`` (``['a'][0]``) say which."""

    def __init__(self, value, where):
        super().__init__(f"{value!r} is not JSON{' at ' + where if where else ''}")
        self.value = value
        self.where = where


class NotSerializable(TypeError):
    """A value (or an object's key) JSON has no form for; ``kind`` names its type with its module
    (``numpy.float32``, ``datetime.datetime``) and ``where`` (``['a'][0]``) says where it is."""

    def __init__(self, kind, where, is_key=False):
        super().__init__(f"{'a key of type ' if is_key else 'Object of type '}{kind} is not JSON serializable"
                         f"{' at ' + where if where else ''}")
        self.kind = kind
        self.where = where
        self.is_key = is_key


class TooDeep(ValueError):
    """A value nested deeper than allowed."""


class DuplicateKey(ValueError):
    """Two keys of one dict that JSON writes as the same text (``1`` and ``"1"``, ``None`` and ``"null"``):
    the object would hold one key twice, and a reader keeps one of its values only."""

    def __init__(self, text, keys, where):
        super().__init__(f"keys {keys[0]!r} and {keys[1]!r} are both written as {text}")
        self.text = text
        self.keys = keys
        self.where = where


def dumps(value, max_depth=None):
    """``value`` as compact JSON text (``,`` and ``:`` without spaces, non-ASCII as it is), as
    ``json.dumps(value, allow_nan=False, separators=(",", ":"), ensure_ascii=False)`` writes it, at
    any depth up to ``max_depth`` levels (None: no limit); a :class:`~decimal.Decimal` is written
    with its digits (``Decimal("19.90")`` as ``19.90``). Raises ``TypeError`` for a value JSON has no
    form for (a :class:`NotSerializable`), :class:`NotFinite` for a NaN or infinity, :class:`TooDeep` past ``max_depth``, and
    ``ValueError`` for a container that holds itself."""
    parts = []
    frames = []  # the open containers, outermost first: [their (key, value) pairs, closing text, id, is object]
    path = []  # per open container: the key or index of the value being written, _FIRST before any
    open_ids = set()
    while True:
        if isinstance(value, (dict, list, tuple)):
            if id(value) in open_ids:
                raise ValueError("Circular reference detected")
            open_ids.add(id(value))
            if max_depth is not None and len(frames) == max_depth:
                raise TooDeep(f"nested deeper than {max_depth} levels")
            is_object = isinstance(value, dict)
            if is_object:
                _check_distinct_keys(value, path)
            parts.append("{" if is_object else "[")
            frames.append([iter(value.items()) if is_object else enumerate(value), "}" if is_object else "]",
                           id(value), is_object])
            path.append(_FIRST)
        else:
            parts.append(_scalar(value, path))
        while frames:  # the next value to write, closing the containers that end here
            pairs, closing, container_id, is_object = frames[-1]
            pair = next(pairs, _END)
            if pair is _END:
                parts.append(closing)
                open_ids.discard(container_id)
                frames.pop()
                path.pop()
                continue
            if path[-1] is not _FIRST:
                parts.append(",")
            path[-1], value = pair
            if is_object:
                parts.append(_key_text(path[-1], path) + ":")
            break
        else:
            return "".join(parts)


def _scalar(value, path):
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotFinite(value, _where(path))
        return float.__repr__(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotFinite(value, _where(path))
        return str(value)
    raise NotSerializable(_type_name(value), _where(path))


def _key_text(key, path):
    """An object's key as JSON text: json.dumps takes a str, int, float, bool or None."""
    if isinstance(key, str):
        return encode_basestring(key)
    if key is None or isinstance(key, (int, float)):
        return encode_basestring(_scalar(key, path))
    raise NotSerializable(_type_name(key), _where(path[:-1]), is_key=True)


def _check_distinct_keys(obj, path):
    """Raises :class:`DuplicateKey` if two keys of ``obj`` are written as one text; only a dict with a
    key that is not a str can have such keys, so one of str keys costs a look at each key."""
    if all(isinstance(key, str) for key in obj):
        return
    written = {}
    for key in obj:
        text = _key_text(key, path + [key])
        if text in written:
            raise DuplicateKey(text, (written[text], key), _where(path))
        written[text] = key


def _type_name(value):
    """The type's name with its module unless built in: a numpy.bool is not a bool, nor a numpy.float32
    a float, though both print as if they were."""
    kind = type(value)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _where(path):
    return "".join(f"[{key!r}]" for key in path)
