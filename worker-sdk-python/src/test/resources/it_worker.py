"""The Python side of PythonWorkerIT: a worker of component 'py' on the test's broker and topics."""
import logging
import pathlib
import sys

from groundcontrol_worker import NonRetryableError, Worker

bootstrap, prefix, marks = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
worker = Worker("py", bootstrap, topic_prefix=prefix, parallelism=4, heartbeat_interval=1.0, worker_id="py-1")


def mark(name):
    with open(marks / name, "a") as out:
        out.write("x\n")


@worker.stage("flaky")
def flaky(params, ctx):
    if ctx.attempt == 1:
        raise ConnectionError("feature store unreachable")
    return {"rows": params["rows"], "attempt": ctx.attempt}


@worker.stage("strict")
def strict(params, ctx):
    raise NonRetryableError(f"no such table '{params['table']}'")


@worker.stage("long")
def long(params, ctx):
    ctx.sleep(params["seconds"])  # several heartbeat intervals: only heartbeats keep the attempt alive
    return {"slept": params["seconds"]}


@worker.stage("wait")
def wait(params, ctx):
    mark("wait-started")
    try:
        while True:  # busy, never looks at ctx.cancelled: the SDK must stop it
            sum(range(10_000))
    finally:
        mark("wait-stopped")


worker.run()
print("worker exited cleanly", flush=True)
