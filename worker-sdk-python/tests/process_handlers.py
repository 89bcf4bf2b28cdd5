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
    """Starts a program, as a handler may, and returns how it finds SIGINT: ignored or not."""
    import subprocess
    import sys
    shown = subprocess.run(
        [sys.executable, "-c", "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"],
        capture_output=True, text=True, check=True).stdout.strip()
    return {"ignored": shown}


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
