"""The Python side of PythonMovedAttempts: a worker whose handler runs until its attempt is cancelled.

Arguments: KAFKA PREFIX MARKS COMPONENT WORKER_ID, where KAFKA is the bootstrap servers or, on a secured
cluster, @ and a librdkafka properties file. Each run leaves a file ``run-<worker>-<mission>`` in the
marks folder; a handler that sees its cancel leaves ``cancelled-<worker>-<mission>`` holding when
(milliseconds since the epoch).
"""
import logging
import pathlib
import sys
import time

from groundcontrol_worker import StageCancelled, Worker
from kafka_properties import read_properties

kafka, prefix, marks, component, worker_id = sys.argv[1:6]
marks = pathlib.Path(marks)
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
kafka_config = read_properties(kafka[1:]) if kafka.startswith("@") else {"bootstrap.servers": kafka}
worker = Worker(component, kafka_config=kafka_config, topic_prefix=prefix, parallelism=4, worker_id=worker_id,
                heartbeat_interval=1.0, close_timeout=1.0)


@worker.stage()
def block(params, ctx):
    (marks / f"run-{worker_id}-{ctx.mission_id}").touch()
    try:
        ctx.sleep(600)
    except StageCancelled:
        written = marks / f".cancelled-{worker_id}-{ctx.mission_id}"
        written.write_text(str(int(time.time() * 1000)))
        written.rename(marks / written.name[1:])  # whole when the test sees it
        raise
    return {}


worker.run()
print("worker exited cleanly", flush=True)
