"""The Python side of MixedComponentIT: a worker of a component Java workers also serve.

Each run of a handler leaves a file ``run-<worker>-<mission>-<attempt>-<n>`` in the marks folder;
stage 'gated' then waits, cancellably, until the test creates the file ``release`` there.
"""
import logging
import pathlib
import sys
import uuid

from groundcontrol_worker import Worker

bootstrap, prefix, marks, component, worker_id, parallelism = sys.argv[1:7]
marks = pathlib.Path(marks)
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
worker = Worker(component, bootstrap, topic_prefix=prefix, parallelism=int(parallelism), worker_id=worker_id, close_timeout=1.0)


@worker.stage()
def run(params, ctx):
    (marks / f"run-{worker_id}-{ctx.mission_id}-{ctx.attempt}-{uuid.uuid4().hex}").touch()
    if ctx.stage == "gated":
        while not (marks / "release").exists():
            ctx.sleep(0.02)  # the handler's own wait for the test's go-ahead; raises when cancelled
    return {"by": worker_id}


worker.run()
print("worker exited cleanly", flush=True)
