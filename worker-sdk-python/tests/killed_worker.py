"""Run as a script by test_process_isolation and test_handler_programs: a worker with
isolation="process" whose handler runs on until the worker is killed; the test then SIGKILLs this
process and watches the handler's process, or the programs it started.

``killed_worker.py`` prints the handler's process id once it runs; ``killed_worker.py PIDS_FILE
[WAIT [START_METHOD]]`` runs process_handlers.start_programs, which writes the ids of the programs it
started to PIDS_FILE, then waits as WAIT says ("gil": holding the GIL; "program", the default: for its
first program), in a child process started by START_METHOD (multiprocessing's; "spawn" by default)."""
import json
import sys

from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import Worker

import process_handlers

if __name__ == "__main__":
    consumer, producer = FakeConsumer(), FakeProducer()
    start_method = sys.argv[3] if len(sys.argv) > 3 else "spawn"
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-k", isolation="process",
                    process_start_method=start_method)
    if len(sys.argv) > 1:
        worker.stage()(process_handlers.start_programs)
        params = {"pids": json.dumps(sys.argv[1])}
        if len(sys.argv) > 2 and sys.argv[2] != "program":
            params["wait"] = json.dumps(sys.argv[2])
        consumer.instruct(params=params)
    else:
        worker.stage()(process_handlers.print_pid_and_wait)
        consumer.instruct()
    worker.run()
