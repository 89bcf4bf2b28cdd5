"""Run as a script by test_process_isolation: a worker with isolation="process" whose handler runs on
until the worker is killed. Prints the handler's process id once it runs; the test then SIGKILLs this
process and watches that one."""
from fakes import FakeConsumer, FakeProducer
from groundcontrol_worker import Worker

import process_handlers

if __name__ == "__main__":
    consumer, producer = FakeConsumer(), FakeProducer()
    worker = Worker("ml", clients=lambda: (consumer, producer), worker_id="w-k", isolation="process")
    worker.stage()(process_handlers.print_pid_and_wait)
    consumer.instruct()
    worker.run()
