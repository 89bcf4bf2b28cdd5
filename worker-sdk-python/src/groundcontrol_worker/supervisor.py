"""Linux, isolation="process": the attempt's child process supervises the process that runs the
handler, and ends every process the attempt left, however the attempt ends.

A handler's programs (`spark-submit`, `bash train.sh`) are its process's children: killed alone, that
process would leave them running beside the attempt's retry. This one runs no handler code, so a
handler holding the GIL in a C call cannot hold it up, and as a child subreaper it becomes the parent
of every orphaned descendant, so it finds them all, even one that left its process group and session
(setsid, a daemon's double fork). Only work handed to another service escapes (a `docker run`
container, which dockerd runs).
"""
import contextlib
import ctypes
import os
import signal
import sys
import traceback

#: linux/prctl.h: the signal a process gets when the thread that started it ends; and the flag that
#: makes a process the parent of every orphan among its descendants, instead of init.
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

#: Tells an attempt's process to end the attempt: sent by ProcessExecution.stop(), and by the kernel
#: when the worker ends. Not SIGTERM, which `systemctl stop` sends every process of the service.
END = getattr(signal, "SIGUSR1", None)


def _prctl(option, value):
    if ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}, {value}) failed")


def supervise(attempt, connection, parent):
    """Runs ``attempt`` (which ends by sending its outcome on ``connection``) in a process forked from
    this one, and waits; then kills every process the attempt left: once the attempt's process ends,
    once stop() sends END, or once the worker process ``parent`` ends (the kernel sends END). Never
    returns: exits as the attempt's process did."""
    waited = {END, signal.SIGCHLD}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, waited)  # taken by sigwait below
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_PDEATHSIG, END)
    if parent is not None and os.getppid() != parent:  # the worker ended before the line above
        os._exit(1)
    if END in signal.sigpending():  # stopped while it started
        os._exit(1)
    own_pid = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _run_forked(attempt, own_pid, before)
    connection.close()  # left to the attempt's process: the worker reads EOF if it ends without reporting
    status = _wait_for_end(pid, waited)
    _end_descendants()
    _exit_as(status)


def _run_forked(attempt, supervisor, mask):
    """In the attempt's process; never returns. ``mask``: the signals blocked before the supervisor
    blocked its own, as the programs the handler starts must find them (exec keeps the mask)."""
    code = 1
    try:
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


def _wait_for_end(pid, waited):
    """The wait status of the attempt's process ``pid`` once it ends, or None on END. Reaps the
    orphans that end meanwhile."""
    while True:
        if signal.sigwait(waited) == END:
            return None
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
