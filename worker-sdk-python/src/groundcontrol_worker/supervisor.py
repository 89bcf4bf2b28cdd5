"""Linux, isolation="process": the attempt's child process supervises the process that runs the
handler, and ends every process the attempt left, however the attempt ends.

A handler's programs (`spark-submit`, `bash train.sh`) are its process's children: killed alone, that
process would leave them running beside the attempt's retry. This one runs no handler code, so a
handler holding the GIL in a C call cannot hold it up, and as a child subreaper it becomes the parent
of every orphaned descendant, so it finds them all, even one that left its process group and session
(setsid, a daemon's double fork). Only work handed to another service escapes (a `docker run`
container, which dockerd runs).

The worker tells it to end the attempt through a pipe only the worker writes to (``control``): a byte
from stop(), or the end of the pipe once the worker process is gone, however it ended; no signal
ends it, so none sent by accident can.
"""
import contextlib
import ctypes
import os
import select
import signal
import sys
import traceback

#: linux/prctl.h: the signal a process gets when the thread that started it ends; and the flag that
#: makes a process the parent of every orphan among its descendants, instead of init.
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

#: The signals of a fault in a process's own code, which the kernel delivers even when blocked.
_FAULTS = {getattr(signal, name) for name in ("SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGTRAP", "SIGSYS", "SIGABRT")
           if hasattr(signal, name)}

#: Blocked in the supervising process for its whole life: every signal another process may send it,
#: by mistake or to a whole process group or service (SIGUSR1 to reopen logs, SIGHUP, systemd's
#: SIGTERM), whose default would end it and leave the handler's programs running; none of them ends
#: the attempt. Not SIGCHLD, which wakes it; SIGKILL and SIGSTOP cannot be blocked.
SHIELDED = frozenset(signal.valid_signals() - _FAULTS - {signal.SIGCHLD})


def _prctl(option, value):
    if ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}, {value}) failed")


def _wake(signum, frame):
    """SIGCHLD's handler: the wakeup fd, written by the interpreter's own C handler, does the work."""


def supervise(attempt, connection, control, parent):
    """Runs ``attempt`` (which ends by sending its outcome on ``connection``) in a process forked from
    this one, and waits; then kills every process the attempt left: once the attempt's process ends,
    or once ``control`` (the read end of the worker's pipe) can be read: a byte from stop(), or its end
    when the worker process is gone. Never returns: exits as the attempt's process did.

    ``parent``, the worker process's id (None when a fork server started this one): if the worker
    ends while a process it forked still holds the pipe's write end, the parent-death signal tells.
    It is SIGCHLD, which also wakes this process when a child ends; each time, it looks whether its
    parent has changed, so a stray SIGCHLD is harmless."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, SHIELDED | {signal.SIGCHLD})
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, _wake)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_PDEATHSIG, signal.SIGCHLD)
    if _parent_gone(parent) or _readable(control, 0):  # the worker ended or stopped the attempt meanwhile
        os._exit(1)
    own_pid = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _run_forked(attempt, own_pid, before, (control, wake_read, wake_write))
    connection.close()  # left to the attempt's process: the worker reads EOF if it ends without reporting
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})  # one that came since the fork wakes the wait
    status = _wait_for_end(pid, control, wake_read, parent)
    _end_descendants()
    _exit_as(status)


def _parent_gone(parent):
    return parent is not None and os.getppid() != parent


def _readable(fd, timeout):
    return bool(select.select([fd], [], [], timeout)[0])


def _run_forked(attempt, supervisor, mask, supervisors_fds):
    """In the attempt's process; never returns. ``mask``: the signals blocked before the supervisor
    blocked its own, as the programs the handler starts must find them (exec keeps the mask)."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in supervisors_fds:
            os.close(fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # its supervisor killed (SIGKILL) takes it along
        if os.getppid() == supervisor:
            attempt()
            code = 0
    except BaseException:  # noqa: B902 - reported by the exit code, as a spawned child's would be
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _wait_for_end(pid, control, wake, parent):
    """The wait status of the attempt's process ``pid`` once it ends, or None once the worker stops the
    attempt or is gone. Reaps the orphans that end meanwhile."""
    while True:
        ready = select.select([control, wake], [], [])[0]
        if control in ready or _parent_gone(parent):
            return None
        with contextlib.suppress(BlockingIOError):
            while os.read(wake, 512):
                pass
        while True:
            try:
                ended, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if ended == 0:
                break
            if ended == pid:
                return status


def _end_descendants():
    """Kills every descendant of this process (SIGKILL) and reaps them. Each one's children come to
    this subreaper when it dies, and are killed in the next round; when this process has no child
    left, it has no descendant left."""
    while True:
        for pid in descendants(os.getpid()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        try:
            os.waitpid(-1, 0)
            while os.waitpid(-1, os.WNOHANG)[0] != 0:
                pass
        except ChildProcessError:
            return


def descendants(root):
    """The processes under ``root``, by the parent ids in /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # ended meanwhile
                continue
            children.setdefault(parent, []).append(int(entry))
    found, unseen = [], [root]
    while unseen:
        for child in children.get(unseen.pop(), ()):
            found.append(child)
            unseen.append(child)
    return found


def _exit_as(status):
    """Exits as a process that ended with wait status ``status`` did (None: killed)."""
    code = -signal.SIGKILL if status is None else os.waitstatus_to_exitcode(status)
    if code >= 0:
        os._exit(code)
    with contextlib.suppress(OSError, ValueError):  # SIGKILL has no handler to reset
        signal.signal(-code, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {-code})
    os.kill(os.getpid(), -code)
    os._exit(1)
