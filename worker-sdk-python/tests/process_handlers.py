"""Handlers for isolation="process": module-level, so a spawned child process can import them."""
import os
import time


def add_one(params, ctx):
    return {"n": params["n"] + 1, "pid": os.getpid()}


def spin_forever(params, ctx):
    while True:  # ignores ctx.cancelled: only terminating the process stops it
        time.monotonic()


def finish_when_told(params, ctx):
    """Says it has started, then ends normally once the test says so (after it sent a signal)."""
    params["started"].set()
    if not params["go_on"].acquire(timeout=30):
        raise TimeoutError("the test never said to go on")
    return {"done": True}


def grandchild_sigint(params, ctx):
    """Starts a program, as a handler may, and returns how it finds SIGINT (ignored or not) and which
    signals it finds blocked."""
    import subprocess
    import sys
    shown = subprocess.run(
        [sys.executable, "-c", "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN, "
                               "sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])))"],
        capture_output=True, text=True, check=True).stdout.strip()
    ignored, blocked = shown.split(" ", 1)
    return {"ignored": ignored, "blocked": blocked}


def nesting_depth(params, ctx):
    """How deep ``params["x"]`` nests lists, counted without recursion."""
    depth, value = 0, params["x"]
    while isinstance(value, list):
        depth, value = depth + 1, value[0] if value else None
    return {"depth": depth}


def echo(params, ctx):
    """Returns its params as its outputs, unchanged."""
    return dict(params)


def nested_list(params, ctx):
    """Outputs a list nested ``params["x"]`` levels deep, built without recursion."""
    tree = []
    for _ in range(params["x"] - 1):
        tree = [tree]
    return {"tree": tree}


def print_pid_and_wait(params, ctx):
    """Prints its process id, then waits in a C call (its attempt is never cancelled)."""
    print(os.getpid(), flush=True)
    time.sleep(120)


def start_programs(params, ctx):
    """Starts three programs that run two minutes, as a handler runs `spark-submit` or `bash train.sh`:
    one as a plain child, one in a session of its own (setsid: out of its process group), one whose
    parent has exited (a daemon's double fork). Writes their process ids to the file ``params["pids"]``,
    then waits for the first, or returns at once if ``params["wait"]`` is false, or holds the GIL in
    one long C call if it is "gil"."""
    import subprocess
    plain = subprocess.Popen(["sleep", "120"])
    own_session = subprocess.Popen(["sleep", "120"], start_new_session=True)
    orphan = subprocess.run(["sh", "-c", "setsid sleep 120 </dev/null >/dev/null 2>&1 & echo $!"],
                            capture_output=True, text=True, check=True).stdout.strip()
    written = params["pids"] + ".part"
    with open(written, "w") as pids:
        pids.write(f"{plain.pid} {own_session.pid} {orphan}")
    os.replace(written, params["pids"])  # whole or not at all, for the test that waits for it
    if params.get("wait", True) == "gil":
        sum(range(10 ** 12))  # one C call: no Python code of this process runs until it returns
    elif params.get("wait", True):
        plain.wait()
    return {}
