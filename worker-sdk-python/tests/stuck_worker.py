"""Run as a script by test_worker: a worker whose handler is stuck in a C call when SIGTERM comes.
``stuck_worker.py CLOSE_TIMEOUT`` gives its close_timeout in seconds ("inf": as long as it takes), and
prints the worker's log lines too.

Prints "running" once the handler runs, then, after run() returned, the failed reports and the
committed offset as one JSON line; the process must then exit without waiting for the handler."""
import json
import logging
import sys
import time

from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import Worker

if len(sys.argv) > 1:
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
consumer, producer = FakeConsumer(), FakeProducer()
worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-1", close_timeout=float(sys.argv[1]) if len(sys.argv) > 1 else 0.2)


@worker.stage()
def stuck(params, ctx):
    print("running", flush=True)
    time.sleep(120)  # a C call: the StageCancelled injected at close cannot land until it returns


consumer.instruct()
worker.run()  # until SIGTERM
print(json.dumps({"failed": [r["outcome"][1]["error"] for r in producer.reports("ReportFailed")],
                  "committed": consumer.committed_offset()}), flush=True)
