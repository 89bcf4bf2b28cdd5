"""What a handler gets besides its params: which attempt it runs and whether to stop."""
import threading
import time

from .errors import StageCancelled


class StageContext:
    """The attempt a handler runs: mission, stage, attempt number, and its cancellation.

    ``cancelled`` is a :class:`threading.Event` set when the attempt is cancelled (a CANCEL
    instruction, its timeout, or the worker shutting down). Long handlers should look at it between
    steps (:meth:`check_cancelled`) or wait with :meth:`sleep`, which ends early when it is set.
    """

    def __init__(self, mission_id, stage, attempt, plan_name="", component="", timeout=None,
                 params_json=None, cancelled=None):
        self.mission_id = mission_id
        self.stage = stage
        self.attempt = attempt
        self.plan_name = plan_name
        self.component = component
        #: Longest the attempt may run, in seconds, when the plan sets a timeout; else None.
        self.timeout = timeout
        #: The params exactly as received: each value JSON text.
        self.params_json = dict(params_json or {})
        self.cancelled = cancelled if cancelled is not None else threading.Event()

    @property
    def is_cancelled(self):
        return self.cancelled.is_set()

    def check_cancelled(self):
        """Raises :class:`StageCancelled` if the attempt was cancelled."""
        if self.cancelled.is_set():
            raise StageCancelled(f"attempt {self.attempt} of stage '{self.stage}' was cancelled")

    def sleep(self, seconds):
        """Waits ``seconds``, or raises :class:`StageCancelled` as soon as the attempt is cancelled."""
        deadline = time.monotonic() + seconds
        while not self.cancelled.wait(max(0.0, min(0.5, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                return
        self.check_cancelled()

    def __repr__(self):
        return f"StageContext(mission={self.mission_id!r}, stage={self.stage!r}, attempt={self.attempt})"
