"""Handlers for isolation="process": module-level, so a spawned child process can import them."""
import os
import time


def add_one(params, ctx):
    return {"n": params["n"] + 1, "pid": os.getpid()}


def spin_forever(params, ctx):
    while True:  # ignores ctx.cancelled: only terminating the process stops it
        time.monotonic()
