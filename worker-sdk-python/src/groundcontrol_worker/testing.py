"""Test a handler without Kafka: the same contract the worker applies, in one call.

>>> from groundcontrol_worker.testing import run_stage
>>> outcome = run_stage(train, params={"date": "2024-05-01"})
>>> assert outcome.finished and outcome.output("model") == "model-2024-05-01"
"""
import json

from .context import StageContext
from .outcome import decode_params, run_handler


def run_stage(handler, params=None, *, mission_id="test-mission", stage="test-stage", attempt=1,
              params_json=None, context=None):
    """Runs ``handler`` as the worker would and returns its :class:`~groundcontrol_worker.Outcome`.

    ``params`` are Python values, sent through JSON as on the wire; ``params_json`` gives the JSON
    text directly. Pass a ``context`` to control cancellation (set ``context.cancelled``)."""
    wire = dict(params_json or {})
    for name, value in (params or {}).items():
        wire[name] = json.dumps(value)
    if context is None:
        context = StageContext(mission_id, stage, attempt, params_json=wire)
    return run_handler(handler, decode_params(wire), context)
