"""Running one attempt's handler and turning what it did into an outcome: the handler contract."""
import asyncio
import inspect
import traceback
from dataclasses import dataclass, field
from typing import Dict, Optional

from . import deepjson, exactjson
from .errors import MissingParam, NonRetryableError, StageCancelled

CANCELLED = "cancelled"
#: The most UTF-8 bytes of a failure's message a report carries; the Java SDK cuts alike.
MAX_MESSAGE_BYTES = 8 * 1024
#: The most UTF-8 bytes of a failure's detail (a traceback) a report carries.
MAX_DETAIL_BYTES = 64 * 1024


@dataclass(frozen=True)
class Outcome:
    """How an attempt ended. ``outputs`` are JSON text by name, as they go on the wire."""

    finished: bool
    outputs: Dict[str, str] = field(default_factory=dict)
    message: Optional[str] = None
    detail: Optional[str] = None
    retryable: bool = True

    @staticmethod
    def failed(message, detail=None, retryable=True):
        return Outcome(False, {}, message, detail, retryable)

    @property
    def status(self):
        return "FINISHED" if self.finished else "FAILED"

    def output(self, name):
        """An output decoded from its JSON text, as a handler would get it as a param."""
        return exactjson.loads(self.outputs[name])


class Params(dict):
    """The params of one attempt: a dict whose missing key raises :class:`MissingParam`."""

    def __init__(self, values=(), where=""):
        super().__init__(values)
        self.where = where

    def __missing__(self, name):
        raise MissingParam(f"Expected param '{name}'{self.where}, but it is missing")


def decode_params(params_json, context=None):
    """Params as Python values, numbers exact (see :mod:`.exactjson`), as :class:`Params` of
    ``context``'s attempt. A param whose JSON text does not parse is kept as the raw string."""
    params = Params(where="" if context is None else f" for stage '{context.stage}' of mission '{context.mission_id}'")
    for name, text in params_json.items():
        try:
            params[name] = exactjson.loads(text)
        except ValueError:
            params[name] = text
    return params


def encode_outputs(outputs):
    """Outputs as JSON text, or a non-retryable failure saying which output is not JSON and why."""
    if outputs is None:
        return Outcome(True)
    if not isinstance(outputs, dict):
        return Outcome.failed(
            f"Expected the handler to return a dict of outputs (or None), but it returned {type(outputs).__name__}",
            retryable=False)
    encoded = {}
    for name, value in outputs.items():
        if not isinstance(name, str):
            return Outcome.failed(f"Expected output names to be strings, but got {name!r}", retryable=False)
        try:
            encoded[name] = exactjson.dumps(value)
        except deepjson.NotFinite as e:
            return Outcome.failed(
                f"Expected output '{name}' to hold finite numbers only (JSON has no NaN or infinity), but it holds "
                f"{e.value!r}{' at ' + e.where if e.where else ''}", retryable=False)
        except deepjson.TooDeep:
            return Outcome.failed(
                f"Expected output '{name}' to be nested at most {exactjson.MAX_DEPTH:,} levels deep, as the "
                f"coordinator takes it, but it is a {type(value).__name__} nested deeper", retryable=False)
        except deepjson.DuplicateKey as e:
            return Outcome.failed(
                f"Expected output '{name}' to have keys that stay distinct in JSON, but it holds {e.keys[0]!r} and "
                f"{e.keys[1]!r}{' at ' + e.where if e.where else ''}, both written as {e.text}; JSON keys are strings, "
                f"so give it str keys", retryable=False)
        except deepjson.NotSerializable as e:
            what = f"a key of type {e.kind}" if e.is_key else f"a {e.kind}"
            return Outcome.failed(
                f"Expected output '{name}' to be JSON-serializable, but it {'holds' if e.where or e.is_key else 'is'} "
                f"{what}{' at ' + e.where if e.where else ''}; convert it to a str, number, bool, None, list or dict "
                f"with str keys first", retryable=False)
        except (TypeError, ValueError) as e:
            return Outcome.failed(
                f"Expected output '{name}' to be JSON-serializable, but it is {type(value).__name__}: {e}",
                retryable=False)
    return Outcome(True, encoded)


def run_handler(handler, params, context, on_task=None):
    """Calls ``handler(params, context)`` and returns its :class:`Outcome`; never raises. An ``async def``
    handler is awaited on an event loop of its own; ``on_task(loop, task)`` is told its task, to cancel."""
    try:
        result = call_handler(handler, params, context, on_task)
    except StageCancelled:
        return Outcome.failed(CANCELLED, retryable=False)
    except NonRetryableError as e:
        return Outcome.failed(_message(e), traceback.format_exc(), retryable=False)
    except BaseException as e:  # noqa: B902 - a handler's SystemExit must not end the worker
        if context.cancelled.is_set():
            return Outcome.failed(CANCELLED, retryable=False)
        return Outcome.failed(_message(e), traceback.format_exc(), retryable=True)
    if context.cancelled.is_set():
        return Outcome.failed(CANCELLED, retryable=False)
    return encode_outputs(result)


def call_handler(handler, params, context, on_task=None):
    """``handler(params, context)``; an ``async def`` one awaited on a new event loop on this thread, with
    ``on_task(loop, task)`` called first in the loop, so that whoever stops the attempt can cancel the task:
    a cancel then reaches the awaiting handler at once as ``asyncio.CancelledError``, where
    :class:`StageCancelled` raised in the thread would land only once the loop woke (after the awaited
    ``asyncio.sleep`` or socket read) and inside asyncio's own code."""
    if not inspect.iscoroutinefunction(handler):
        return handler(params, context)

    async def attempt():
        if on_task is not None:
            on_task(asyncio.get_running_loop(), asyncio.current_task())
        return await handler(params, context)

    return asyncio.run(attempt())


def _message(error):
    """The exception's type and its whole text, as the Java SDK reports a message: a library's error
    often says what to fix on its later lines (pandas, a SQL driver). The report cuts it to 8 KiB."""
    try:
        text = str(error).strip()
    except BaseException as unreadable:  # noqa: B902 - whatever str() raises, the attempt must end
        return (f"The description of a {type(error).__name__} could not be read: "
                f"its str() raised {type(unreadable).__name__}")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def cut(text, max_bytes):
    """``text`` if it takes at most ``max_bytes`` in UTF-8; else its head and tail around
    ``[... N bytes cut ...]``, all within ``max_bytes``, cut between characters. A report is one Kafka
    record: one too large for the producer is never sent, and the coordinator keeps errors in its own
    records. None stays None."""
    if text is None:
        return None
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= max_bytes:
        return text
    room = max_bytes - len(_marker(len(data)))  # the count has at most as many digits as the whole length
    head_end = _boundary(data, room // 2, -1)
    tail_start = _boundary(data, len(data) - (room - room // 2), 1)
    return (data[:head_end].decode("utf-8", "surrogatepass") + _marker(tail_start - head_end)
            + data[tail_start:].decode("utf-8", "surrogatepass"))


def _marker(cut_bytes):
    return f"[... {cut_bytes} bytes cut ...]"


def _boundary(data, at, step):
    """The nearest index from ``at``, stepping by ``step``, where a character begins."""
    while 0 < at < len(data) and data[at] & 0xC0 == 0x80:
        at += step
    return at
