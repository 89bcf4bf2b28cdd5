"""Exceptions a handler raises, or sees, to control how an attempt ends."""


class NonRetryableError(Exception):
    """Raise it (or a subclass) when repeating the attempt cannot help: bad input, a syntax error.

    The attempt fails with ``retryable=false`` and the stage fails at once, whatever its retry policy.
    """


class StageCancelled(BaseException):
    """Raised inside a handler when its attempt is cancelled or timed out.

    Raised by :meth:`StageContext.check_cancelled` and :meth:`StageContext.sleep`, and injected into a
    handler thread at its next Python bytecode when the attempt is stopped. Let it propagate. A
    ``BaseException``, as ``KeyboardInterrupt`` and ``asyncio.CancelledError`` are, so that
    ``except Exception`` (a retry loop, a log-and-go-on) does not swallow it.
    """


class MissingParam(NonRetryableError, KeyError):
    """Raised by ``params[name]`` when the stage has no such param, as the Java SDK's ``requireParam``
    throws: params are resolved once per dispatch, so a retry would fail alike, and the stage fails at
    once. A ``KeyError`` too, so ``except KeyError`` and ``params.get(name, default)`` work as on a dict."""

    def __str__(self):  # a KeyError shows its argument quoted
        return str(self.args[0]) if self.args else ""
