"""The Python side of ProcessIsolationIT: a worker of component 'iso' with isolation="process".

Arguments: bootstrap servers, topic prefix, marks folder, worker id. Stage 'program' runs a program and
returns its output and the handler's process id. Stage 'long', on worker 'py-1' only, starts
`sleep 600` as a handler starts `spark-submit`, writes its process id to the file ``sleep-pid`` in the
marks folder and waits for it; on any other worker it finishes at once.
"""
import logging
import os
import pathlib
import subprocess
import sys

from groundcontrol_worker import Worker

bootstrap, prefix, marks, worker_id = sys.argv[1:5]


def run(params, ctx):
    if ctx.stage == "program":
        said = subprocess.run(["sh", "-c", "echo from a program"], capture_output=True, text=True, check=True)
        return {"said": said.stdout.strip(), "handler_pid": os.getpid()}
    if worker_id == "py-1":
        program = subprocess.Popen(["sleep", "600"])
        written = pathlib.Path(marks) / "sleep-pid.part"
        written.write_text(str(program.pid))
        os.replace(written, pathlib.Path(marks) / "sleep-pid")  # whole or not at all, for the test that waits
        program.wait()
    return {"by": worker_id}


if __name__ == "__main__":  # not when a spawned child imports this module for its handler
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    worker = Worker("iso", bootstrap, topic_prefix=prefix, worker_id=worker_id, isolation="process",
                    heartbeat_interval=1.0, failover_timeout=1.0, close_timeout=1.0)
    worker.stage()(run)
    worker.run()
    print("worker exited cleanly", flush=True)
