"""Where handlers run: threads of this process (default), or a child process per attempt.

A thread cannot be killed. When its attempt is cancelled, the thread's ``cancelled`` event is set
and :class:`StageCancelled` is raised in it at its next Python bytecode; code blocked inside a C
call (a socket read, a long numpy operation) sees it only when that call returns. With
``isolation="process"`` each attempt runs in a child process, which is killed on cancel, so
CPU-bound or blocking code is stopped at once, at the cost of starting a process per attempt; on
Linux with every program the handler started (see supervisor.py), elsewhere with its process group.

Both take ``params=None`` to mean the attempt's params decoded from ``context.params_json`` where the
handler runs: a child process gets their JSON text, as pickle recurses and cannot carry values nested
about 500 deep, which the contract allows.
"""
import contextlib
import ctypes
import inspect
import logging
import multiprocessing
import os
import queue
import select
import signal
import sys
import threading
from multiprocessing import resource_tracker

from . import supervisor
from .errors import StageCancelled
from .outcome import CANCELLED, Outcome, decode_params, run_handler

LOG = logging.getLogger("groundcontrol_worker")


class HandlerThreads:
    """A fixed pool of daemon threads that run the attempts.

    Not concurrent.futures' pool: the interpreter joins its threads at exit, so a handler stuck in a
    C call when the worker closes (its attempt already reported failed) would keep the process alive
    until the call returned. Like the Java SDK's handler threads, these never keep it alive.
    """

    def __init__(self, size, name):
        self._tasks = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._serve, name=f"{name}_{n}", daemon=True) for n in range(size)]
        for thread in self._threads:
            thread.start()

    def submit(self, function, *args):
        self._tasks.put((function, args))

    def shutdown(self):
        """Ends each thread once it is idle; returns at once."""
        for _ in self._threads:
            self._tasks.put(None)

    def _serve(self):
        while True:
            task = self._tasks.get()
            if task is None:
                return
            function, args = task
            try:
                function(*args)
            except BaseException:  # noqa: B902 - the thread must live on for the next attempt
                LOG.exception("Unexpected error on handler thread %s", threading.current_thread().name)


#: How long a cancelled async handler's loop has to run the cancel of its task (the handler awaits)
#: before StageCancelled is raised in its thread instead (the handler computes without awaiting).
ASYNC_CANCEL_GRACE = 0.5


class ThreadExecution:
    """Runs an attempt's handler on the calling (pool) thread; can stop it from another thread: a plain
    handler by raising :class:`StageCancelled` in the thread, an ``async def`` one by cancelling its task."""

    def __init__(self, handler):
        self.handler = handler
        self._lock = threading.Lock()
        self._thread_id = None
        self._awaits = inspect.iscoroutinefunction(handler)
        self._task = None  # (loop, task) of an async handler while it runs
        self._task_cancelled = None  # that task once its loop ran the cancel
        self._context = None

    def run(self, params, context):
        params = _params(params, context)
        with self._lock:
            # Cancelled (a CANCEL, its timeout, the worker closing) before this thread picked the
            # attempt up: stop() found no thread to stop, so the handler must not start at all.
            if context.cancelled.is_set():
                return Outcome.failed(CANCELLED, retryable=False)
            self._thread_id = threading.get_ident()
            self._context = context
        try:
            return run_handler(self.handler, params, context, on_task=self._awaiting)
        finally:
            with self._lock:
                self._thread_id = None
                self._task = None
            _clear_pending_async_exception()

    def _awaiting(self, loop, task):
        with self._lock:
            self._task = (loop, task)
            if self._context.cancelled.is_set():  # stopped before its task was known
                task.cancel()

    def stop(self):
        with self._lock:
            if self._task is not None:
                loop, task = self._task
                try:
                    loop.call_soon_threadsafe(self._cancel_task, task)
                except RuntimeError:  # its loop closed: the handler has returned, its outcome is on its way
                    return
                # A handler computing without awaiting never lets its loop run the cancel: it is then
                # stopped as a plain handler is.
                timer = threading.Timer(ASYNC_CANCEL_GRACE, self._raise_unless_cancelled, (task,))
                timer.daemon = True
                timer.start()
            elif self._thread_id is not None and not self._awaits:
                self._raise_in_thread()

    def _cancel_task(self, task):
        with self._lock:
            self._task_cancelled = task
        task.cancel()

    def _raise_unless_cancelled(self, task):
        with self._lock:
            if self._task is not None and self._task[1] is task and self._task_cancelled is not task:
                self._raise_in_thread()

    def _raise_in_thread(self):
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread_id), ctypes.py_object(StageCancelled))


def _params(params, context):
    return decode_params(context.params_json, context) if params is None else params


def _clear_pending_async_exception():
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)


def _ignore_interrupt(signum, frame):
    pass


_LINUX = sys.platform.startswith("linux")
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
#: Held back while a child starts, until it has its handlers for them (see _stop_signals_blocked); on
#: Linux, until its supervisor blocks them for good and the handler's process takes them back.
_HELD_AT_START = supervisor.SHIELDED if _LINUX else _STOP_SIGNALS


def _end_with(control, parent):
    """Outside Linux: ends this child process, and its process group, once the worker's pipe
    ``control`` can be read (the worker process is gone, whoever holds the write end), or within 0.1 s
    of the worker process ``parent`` ending, as a handler thread ends with it. A thread looks, so a
    handler holding the GIL in a C call delays it until the call returns."""

    def watch():
        while not select.select([control], [], [], 0.1)[0] and (parent is None or os.getppid() == parent):
            pass
        _kill_own_group()
        os._exit(1)

    threading.Thread(target=watch, name="gc-parent-watch", daemon=True).start()


def _kill_own_group():
    if hasattr(os, "killpg") and os.getpgid(0) == os.getpid():
        os.killpg(0, signal.SIGKILL)


@contextlib.contextmanager
def _stop_signals_blocked():
    """Blocks SIGINT and SIGTERM (on Linux, every signal the supervisor shields itself from) in the
    calling thread, and so in a child it starts, until the child has its handlers for them: one sent to
    the process group while the child's interpreter starts (about a second) would otherwise kill it.
    Python's handlers run on the main thread, and the kernel gives a signal to a thread that does not
    block it, so blocking it on a pool thread loses none."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # Started on the first spawn, the resource tracker would unblock both in this thread, by its own
    # block and unblock around its start, before the child is started.
    resource_tracker.ensure_running()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_AT_START)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _child(handler, params, context_fields, connection, control, parent, mask):
    # A terminal's Ctrl-C reaches this process too (its whole process group gets SIGINT), and so does
    # `systemctl stop` (SIGTERM to every process of the service): only the parent's stop() may end
    # the attempt, after close_timeout, as in thread isolation. A handler, not SIG_IGN: exec
    # keeps an ignored signal, so the programs the handler starts would ignore it too, while a handled
    # one is reset to its default there.
    signal.signal(signal.SIGINT, _ignore_interrupt)
    signal.signal(signal.SIGTERM, _ignore_interrupt)

    def attempt():
        if mask is not None:
            # The worker's, for the programs the handler starts: _HELD_AT_START was added at the start.
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        from .context import StageContext

        context = StageContext(**context_fields)
        outcome = run_handler(handler, _params(params, context), context)
        connection.send(outcome)
        connection.close()

    if _LINUX:
        supervisor.supervise(attempt, connection, control.fileno(), parent)
        return
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)  # a process group of its own, which stop() kills with the programs in it
    _end_with(control.fileno(), parent)
    attempt()


def _stop(process, control):
    """Ends an attempt's process and every process it started (Linux: by a byte on its pipe
    ``control``, see supervisor.supervise); elsewhere kills its process group, or only it where there
    are none."""
    if _LINUX:
        with contextlib.suppress(OSError):  # BrokenPipeError: it has ended
            control.send_bytes(b"end")
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)  # SIGKILL: the child ignores SIGTERM
    except (AttributeError, ProcessLookupError, PermissionError):  # no process groups, or not its own yet
        process.kill()


class ProcessExecution:
    """Runs an attempt's handler in a child process, killed when the attempt is stopped."""

    def __init__(self, handler, start_method="spawn"):
        self.handler = handler
        self._mp = multiprocessing.get_context(start_method)
        self._lock = threading.Lock()
        self._process = None
        self._control = None
        self._stopped = False

    def run(self, params, context):
        receive, send = self._mp.Pipe(duplex=False)
        # The child's orders: a byte from stop(), or the pipe's end when this process ends, however.
        # Only this process writes to it, so no other can end the attempt by accident.
        control, self._control = self._mp.Pipe(duplex=False)
        fields = dict(mission_id=context.mission_id, stage=context.stage, attempt=context.attempt,
                      plan_name=context.plan_name, component=context.component, timeout=context.timeout,
                      params_json=context.params_json)
        # A forkserver child's parent is the fork server, which lives as long as any child of it does:
        # its end tells the child nothing, the pipe's end does.
        parent = None if self._mp.get_start_method() == "forkserver" else os.getpid()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, []) if hasattr(signal, "pthread_sigmask") else None
        process = self._mp.Process(
            target=_child, args=(self.handler, params, fields, send, control, parent, mask), daemon=True)
        with self._lock:
            if self._stopped:
                return Outcome.failed(CANCELLED, retryable=False)
            with _stop_signals_blocked():
                process.start()
            self._process = process
        send.close()
        control.close()
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = None
        process.join()
        with self._lock:
            self._control.close()
        if context.cancelled.is_set():
            return Outcome.failed(CANCELLED, retryable=False)
        if outcome is None:
            return Outcome.failed(f"The handler's process ended with exit code {process.exitcode} before it reported")
        return outcome

    def stop(self):
        with self._lock:
            self._stopped = True
            if self._process is not None and self._process.is_alive():
                _stop(self._process, self._control)
