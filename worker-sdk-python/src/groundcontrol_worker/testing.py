"""Test a handler without Kafka: the same contract the worker applies, in one call.

>>> from groundcontrol_worker.testing import run_stage
>>> outcome = run_stage(train, params={"date": "2024-05-01"})
>>> assert outcome.finished and outcome.output("model") == "model-2024-05-01"
"""
from . import exactjson
from .context import StageContext
from .outcome import decode_params, run_handler


def run_stage(handler, params=None, *, mission_id="test-mission", stage="test-stage", attempt=1,
              params_json=None, context=None):
    """Runs ``handler`` as the worker would and returns its :class:`~groundcontrol_worker.Outcome`.

    ``params`` are Python values, sent through JSON as on the wire (a ``Decimal`` with its digits;
    ``ValueError`` naming the param for one JSON cannot carry, such as ``inf``); ``params_json`` gives
    the JSON text directly. Pass a ``context`` to control cancellation (set ``context.cancelled``)."""
    wire = dict(params_json or {})
    for name, value in (params or {}).items():
        try:
            wire[name] = exactjson.dumps(value)
        except (TypeError, ValueError) as e:
            raise ValueError(f"Expected param '{name}' to be a JSON value, as on the wire, but it is not: {e}") from e
    if context is None:
        context = StageContext(mission_id, stage, attempt, params_json=wire)
    return run_handler(handler, decode_params(wire, context), context)
