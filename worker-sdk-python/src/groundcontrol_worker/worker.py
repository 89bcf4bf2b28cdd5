"""The worker: consumes a component's instructions, runs handlers, reports, commits."""
import collections
import inspect
import logging
import pickle
import signal
import socket
import threading
import time
import uuid

from .codec import Codec, WireFormatError, record_name
from .context import StageContext
from .executors import HandlerThreads, ProcessExecution, ThreadExecution
from .moved import CancelReader, reader_config
from .offsets import PartitionOffsets
from .outcome import CANCELLED, MAX_DETAIL_BYTES, MAX_MESSAGE_BYTES, Outcome, cut

LOG = logging.getLogger("groundcontrol_worker")
KAFKA_LOG = logging.getLogger("groundcontrol_worker.kafka")

#: Settings the worker's guarantees rest on; given ones must agree (see README "The topic contract").
FIXED_CONSUMER = {
    "enable.auto.commit": ("false", "the worker commits offsets itself, after reporting"),
    "isolation.level": ("read_committed", "the coordinator writes instructions in transactions"),
}
FIXED_PRODUCER = {
    "acks": ("all", "a report must be durable before its instruction is committed"),
    "enable.idempotence": ("true", "retries must not reorder or duplicate the reports of an attempt"),
    "partitioner": ("murmur2_random",
                    "reports must land on the partition of their mission id, as Kafka's Java clients put them"),
}
# librdkafka rebalances away a deleted topic's partitions only at its periodic metadata refresh (5 min
# by default; a fetch that finds the topic gone does not), and the coordinator waits at most 20 s for
# a component's workers to let go of them before it creates the topic again: a worker that still
# held them would read the new topic from its old positions, past the instructions written below.
DEFAULT_CONSUMER = {"auto.offset.reset": "earliest", "enable.auto.offset.store": "false",
                    "topic.metadata.refresh.interval.ms": "5000"}
CLIENT_TIMEOUT = 5.0
#: The longest a worker waits for its consumer's close (a commit on revoke and leaving the group).
CONSUMER_CLOSE_LIMIT = 2 * CLIENT_TIMEOUT
# How long a dead worker keeps its partitions before the group moves them to a live one: the
# consumer group's session timeout (librdkafka's default is 45 s). 6 s is the broker's default
# minimum (group.min.session.timeout.ms) and the Java SDK's default.
DEFAULT_FAILOVER_TIMEOUT = 6.0
#: The longest heartbeat interval and failover timeout, as in the Java SDK.
DAY = 86_400
#: How long a final or started report Kafka refused waits before it is sent again.
RESEND_BACKOFF = 1.0
#: Longest wait between two looks for due started reports and heartbeats.
PROGRESS_PERIOD = 0.05
#: RUNs that may wait for a free handler before the worker pauses its partitions, as in the Java SDK:
#: reading on while all handlers are busy is what lets a CANCEL queued behind them reach its handler.
DEFAULT_READ_AHEAD = 1000
TOO_LARGE = "The report of this attempt is too large for Kafka; reduce its outputs"


def _within(seconds, low, high):
    """Whether ``seconds`` is a number from ``low`` to ``high`` (never a NaN, None or a bool)."""
    return isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and low <= seconds <= high


def _kafka_error(exception):
    """The KafkaError a KafkaException carries, else the exception itself."""
    from confluent_kafka import KafkaException

    if isinstance(exception, KafkaException) and exception.args:
        return exception.args[0]
    return exception


#: Kafka refusing the worker's credentials or ACLs, as Java's AuthenticationException and
#: AuthorizationException: nothing it sends or reads can succeed until someone changes them.
ACCESS_ERRORS = ("TOPIC_AUTHORIZATION_FAILED", "GROUP_AUTHORIZATION_FAILED", "CLUSTER_AUTHORIZATION_FAILED",
                 "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", "DELEGATION_TOKEN_AUTHORIZATION_FAILED",
                 "SASL_AUTHENTICATION_FAILED", "_AUTHENTICATION")


def _refuses_access(error):
    from confluent_kafka import KafkaError

    return isinstance(error, KafkaError) and error.name() in ACCESS_ERRORS


def _stops_worker(error):
    """Whether ``error`` leaves the worker nothing to retry: Kafka refuses its access, or a client of
    it failed fatally (librdkafka's clients are unusable after a fatal error)."""
    from confluent_kafka import KafkaError

    return _refuses_access(error) or (
        isinstance(error, KafkaError) and (error.fatal() or error.code() == KafkaError._FATAL))


def _is_too_large(error):
    from confluent_kafka import KafkaError

    return isinstance(error, KafkaError) and error.code() == KafkaError.MSG_SIZE_TOO_LARGE


def _is_unknown_topic(error):
    from confluent_kafka import KafkaError

    return isinstance(error, KafkaError) and error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART


def _encodable(value):
    """``value`` with every string made encodable as UTF-8: a surrogate pair becomes the character it
    stands for and a lone surrogate U+FFFD, as Java's Avro writer encodes its UTF-16 strings (it writes
    '?' where this writes U+FFFD, which says plainly that a character was lost)."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_encodable(v) for v in value)
    return value


class ConfigError(ValueError):
    """A worker setting that cannot work; the message says which and why."""


class KafkaRefused(SystemExit):
    """Raised by :meth:`Worker.run` after the worker stopped because Kafka refused its credentials or
    ACLs, or one of its clients failed fatally; the message is the line it logged. A ``SystemExit``
    with status 1, so that a script ending in ``worker.run()`` exits 1 without a traceback, as
    ``groundcontrol workers`` does for a Java worker; catch it to go on otherwise."""

    def __init__(self, message):
        super().__init__(message)
        self.code = 1


def _client_configs(component, bootstrap_servers, kafka_config, worker_id, failover_timeout=DEFAULT_FAILOVER_TIMEOUT):
    given = {str(k): v for k, v in (kafka_config or {}).items()}
    if bootstrap_servers:
        given["bootstrap.servers"] = bootstrap_servers
    if not str(given.get("bootstrap.servers", "")).strip():
        raise ConfigError("Expected bootstrap servers (bootstrap_servers= or 'bootstrap.servers' in kafka_config), "
                          "but none were given")
    fixed = dict(FIXED_CONSUMER, **FIXED_PRODUCER, **{"group.id": (component, "the consumer group is the component")})
    for key, (value, why) in fixed.items():
        if key in given and str(given[key]).strip().lower() != value.lower():
            if key == "acks" and str(given[key]).strip() == "-1":
                continue
            raise ConfigError(f"Kafka setting '{key}' must be '{value}' ({why}), but was '{given[key]}'")
    producer_only = {"acks", "enable.idempotence", "partitioner", "linger.ms"}
    consumer_only = {"group.id", "enable.auto.commit", "isolation.level", "auto.offset.reset",
                     "enable.auto.offset.store"}
    common = {k: v for k, v in given.items() if k not in producer_only | consumer_only}
    failover = {"session.timeout.ms": int(failover_timeout * 1000),
                "heartbeat.interval.ms": max(1, int(failover_timeout * 1000) // 4)}
    consumer = {**DEFAULT_CONSUMER, **failover, **common, **{k: v for k, v in given.items() if k in consumer_only}}
    consumer.update({k: v for k, (v, _) in FIXED_CONSUMER.items()})
    consumer.update({"group.id": component, "client.id": f"groundcontrol-worker-{worker_id}-consumer"})
    producer = dict({"linger.ms": 0}, **common, **{k: v for k, v in given.items() if k in producer_only})
    producer.update({k: v for k, (v, _) in FIXED_PRODUCER.items()})
    producer["client.id"] = f"groundcontrol-worker-{worker_id}-producer"
    # librdkafka's own lines (a broker away: "%3|1796658551.644|FAIL|...") went to stderr as they were,
    # outside logging; through a logger they take the application's handlers, format and levels.
    consumer.setdefault("logger", KAFKA_LOG)
    producer.setdefault("logger", KAFKA_LOG)
    return consumer, producer


class _Attempt:
    """One attempt taken by this worker, from its RUN until its final report is acknowledged."""

    def __init__(self, worker, instruction, offsets):
        self.instruction = instruction
        self.key = _key_of(instruction)
        self.offsets = [offsets]  # (partition key, offset) pairs answered by this attempt's report
        timeout_ms = instruction.get("timeoutMs")
        self.context = StageContext(
            instruction["missionId"], instruction["stage"], instruction["attempt"], instruction.get("planName", ""),
            instruction.get("component", ""), None if timeout_ms is None else timeout_ms / 1000.0,
            instruction.get("params") or {})
        self.execution = worker._execution_for(instruction["stage"])
        self.started_at = time.monotonic()
        self.started_at_ms = int(time.time() * 1000)  # sent as startedAt: the timeout counts from here
        self.deadline = None if timeout_ms is None else self.started_at + timeout_ms / 1000.0
        self.last_report_at = None  # when the started report or the last heartbeat was sent
        self.started_due_again = 0.0  # after a started report was lost: not sent again before this
        self.heartbeat_delivered = False  # a heartbeat was written: the coordinator started the attempt at it
        self.started_delivered = False  # the started report was written
        self.final = None  # the final report's value, once the attempt ended; set under the progress lock
        self.too_large = False  # the final report was replaced by one saying it was too large
        self.cancel_reason = None

    def cancel(self, reason):
        if self.final is not None or self.context.cancelled.is_set():
            return False
        self.cancel_reason = reason
        self.context.cancelled.set()
        self.execution.stop()
        return True

    def known_to_coordinator(self):
        """Whether Kafka acknowledged the attempt's started report or one of its heartbeats: the
        coordinator knows it runs on this worker."""
        return self.started_delivered or self.heartbeat_delivered


def _key_of(instruction):
    return instruction["missionId"], instruction["stage"], instruction["attempt"]


def plan_stage(stage):
    """The plan stage a stage instance belongs to: ``score`` for the chunk ``score[17]`` of a foreach
    stage, the name itself otherwise."""
    if stage.endswith("]") and stage.find("[") > 0:
        return stage[:stage.index("[")]
    return stage

class Worker:
    """Runs the stages of one component with plain Python functions.

    >>> worker = Worker("ml", bootstrap_servers="localhost:9092", parallelism=4)
    >>> @worker.stage()
    ... def train(params, ctx):
    ...     return {"model": f"model-{params['date']}"}
    >>> worker.run()  # until SIGINT or SIGTERM

    A handler gets the stage's params (JSON values: a param that is exactly ``${params.X}`` keeps the
    mission input's JSON type; a string with text around the reference is a string) and a
    :class:`StageContext`, and returns a dict of outputs (any JSON-serializable values) or None.
    Raising fails the attempt with the exception's traceback as detail, retried by the stage's
    policy; :class:`NonRetryableError` fails the stage at once.

    ``failover_timeout`` (seconds, default 6) is how long a worker that died keeps its partitions
    before the component's other workers take them over (the consumer group's session timeout;
    ``session.timeout.ms`` in ``kafka_config`` still wins). The started report carries when the handler
    started, so the stage's timeout counts from there, not from when the report was written.

    While all ``parallelism`` handlers are busy the worker reads on, up to ``read_ahead`` waiting RUNs
    (1,000 by default, as the Java SDK), and only then pauses its partitions: a CANCEL queued behind
    waiting RUNs must still reach the handler it is meant to stop. Waiting RUNs are neither started
    nor committed, so if their partition moves to another worker, that worker gets them. A running
    attempt whose partition moves is handed over, if Kafka acknowledged its started report or a
    heartbeat: it runs on here, its RUN committed so that the new owner does not run it again, and a
    cancel reader (a consumer in no group) reads the CANCELs written to its partition for it.

    ``kafka_config`` takes any further librdkafka settings (security, client tuning); settings the
    worker's guarantees rest on (``FIXED_CONSUMER``, ``FIXED_PRODUCER``, ``group.id``) may be repeated
    but not changed.
    """

    def __init__(self, component, bootstrap_servers=None, *, kafka_config=None, parallelism=1,
                 topic_prefix="groundcontrol", worker_id=None, heartbeat_interval=5.0, close_timeout=10.0,
                 isolation="thread", process_start_method="spawn", recent_attempts=10_000, read_ahead=None,
                 failover_timeout=DEFAULT_FAILOVER_TIMEOUT, clients=None):
        if not component or not isinstance(component, str):
            raise ConfigError(f"Expected a component name, but got {component!r}")
        if int(parallelism) < 1:
            raise ConfigError(f"Expected parallelism of at least 1, but got {parallelism}")
        # Sent in whole milliseconds: under one, 0 ms, and the coordinator would declare every attempt
        # lost at once while the progress thread sent a heartbeat at every look. The bounds are the
        # Java SDK's.
        if heartbeat_interval is not None and not _within(heartbeat_interval, 0.001, DAY):
            raise ConfigError(f"Expected a heartbeat_interval of at least 0.001 seconds (it is sent in whole "
                              f"milliseconds) and at most 86,400 (a day), or None to opt out, but got {heartbeat_interval}")
        if not _within(failover_timeout, 1, DAY):
            raise ConfigError(f"Expected a failover_timeout of 1 to 86,400 seconds, but got {failover_timeout}")
        if not _within(close_timeout, 0, float("inf")):
            raise ConfigError(f"Expected a close_timeout of 0 seconds or more (float('inf') to wait as long as it "
                              f"takes), but got {close_timeout}")
        if read_ahead is not None and int(read_ahead) < 1:
            raise ConfigError(f"Expected read_ahead of at least 1 waiting RUN (or None for {DEFAULT_READ_AHEAD}), "
                              f"but got {read_ahead}")
        if isolation not in ("thread", "process"):
            raise ConfigError(f"Expected isolation 'thread' or 'process', but got {isolation!r}")
        self.component = component
        self.worker_id = worker_id or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self.parallelism = int(parallelism)
        self.heartbeat_interval = heartbeat_interval
        self.started_report_delay = 0.1 if heartbeat_interval is None else min(0.1, heartbeat_interval)
        self.close_timeout = close_timeout
        self.isolation = isolation
        self.process_start_method = process_start_method
        self.instructions_topic = f"{topic_prefix}.instructions.{component}"
        self.reports_topic = f"{topic_prefix}.stage-reports"
        self.read_ahead = DEFAULT_READ_AHEAD if read_ahead is None else int(read_ahead)
        self._consumer_config, self._producer_config = (
            (None, None) if clients else _client_configs(component, bootstrap_servers, kafka_config, self.worker_id,
                                          failover_timeout))
        self._clients = clients
        self._handlers = {}
        self._default_handler = None
        self._instructions = Codec("StageInstruction")
        self._reports = Codec("StageReport")
        self._actor = {"kind": "WORKER", "id": self.worker_id, "host": socket.gethostname()}
        self._stop = threading.Event()
        self._stop_now = threading.Event()  # a second SIGINT or SIGTERM: no more waiting for handlers
        self._mailbox = collections.deque()
        self._open = {}
        self._recent = collections.OrderedDict()
        self._recent_limit = recent_attempts
        self._waiting = collections.deque()
        self._partitions = {}
        self._read_to = {}  # (topic, partition) -> the offset after the last record taken from it
        self._moved = CancelReader(self._open_cancel_reader)
        self._closing = False  # the consumer is closing: a revoke then is the worker leaving, not a move
        self._resends = []
        self._pool = None
        # Started reports and heartbeats go out on a thread of their own, so that a loop held up (by a
        # synchronous commit while partitions are revoked, say) does not get its attempts declared lost.
        # The lock keeps them before the final report: an attempt ends under it, and none follows.
        self._progress_lock = threading.Lock()
        self._running = set()  # attempts whose handler was started; under the progress lock
        self._heartbeating = []  # keys of the attempts heartbeating at the progress thread's last look
        self._progress_stop = threading.Event()
        self._free = self.parallelism
        self._paused = False
        self._refusal = None  # the line logged when Kafka refused the worker or failed it fatally
        self._consumer_usable = True
        # librdkafka said the instruction topic does not exist (deleted, or not created yet), and has not
        # given a partition or a record of it since. Asking the cluster in the revoke callback instead
        # (list_topics) crashed librdkafka 2.0.2 when the topic had been created again meanwhile.
        self._topic_deleted = False

    # ---- the public API

    def stage(self, name=None):
        """Decorator: the handler for stage ``name`` of this component, or with no name for every
        stage without a handler of its own. The function is returned unchanged. An ``async def`` handler
        is awaited on an event loop of its own; a cancel or timeout cancels its task."""

        def register(handler):
            if inspect.isasyncgenfunction(handler):
                raise ConfigError(
                    f"Expected a function as the handler of {'every stage' if name is None else f'stage {name!r}'}, "
                    f"but it is an async generator, whose values the worker would never read; return the "
                    f"outputs from a plain or an async def function")
            if name is None:
                self._default_handler = handler
            else:
                self._handlers[name] = handler
            return handler

        if callable(name):  # used bare: @worker.stage
            handler, name = name, None
            return register(handler)
        return register

    def run(self, install_signal_handlers=True):
        """Consumes and runs attempts until :meth:`stop`, SIGINT or SIGTERM; then finishes bounded
        by ``close_timeout``: running handlers may end and report, the rest are stopped and reported
        failed (retryable), offsets of what was reported are committed.

        Kafka refusing the worker's credentials or ACLs (or failing one of its clients fatally) stops
        it the same way, with one logged line, and then raises :class:`KafkaRefused` (exit status 1).
        A report Kafka refused is not sent again: its instruction is left uncommitted for the
        partition's next owner. The SIGINT and SIGTERM handlers it installs are put back as they were
        when it returns."""
        if self._default_handler is None and not self._handlers:
            raise ConfigError(f"Expected at least one handler for component '{self.component}' "
                              f"(@worker.stage()), but none is registered")
        if self.isolation == "process":
            self._check_picklable()
        previous = {}
        if install_signal_handlers and threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                previous[signum] = signal.signal(signum, lambda *_: self._signalled())
        try:
            self._run()
        finally:
            # Left in place, they would stop this finished worker again, and Ctrl-C would no longer
            # interrupt the program that goes on after it.
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if self._refusal is not None:
            raise KafkaRefused(self._refusal)

    def _check_picklable(self):
        """Each attempt pickles its handler to a child process; one that cannot be (a lambda, a nested
        function) would fail every attempt, retryable, to no end. Checked here, not when registered:
        a decorated function is not yet bound to its module's name then."""
        handlers = dict(self._handlers, **({"*": self._default_handler} if self._default_handler else {}))
        for stage, handler in handlers.items():
            try:
                pickle.dumps(handler)
            except Exception as e:  # PicklingError, AttributeError, TypeError, by the kind of object
                which = "every stage" if stage == "*" else f"stage '{stage}'"
                raise ConfigError(f"Expected the handler of {which} to be a module-level function, which "
                                  f"isolation='process' hands to a child process, but it cannot be pickled: "
                                  f"{type(e).__name__}: {e}") from e

    def _run(self):
        """The loop, from opening the clients to closing them."""
        consumer, producer = self._open_clients()
        self._consumer, self._producer = consumer, producer
        self._pool = HandlerThreads(self.parallelism, f"gc-{self.component}")
        progress = threading.Thread(target=self._report_progress, name=f"gc-{self.component}-progress", daemon=True)
        progress.start()
        LOG.info("Worker %s serving component '%s' with parallelism %d", self.worker_id, self.component,
                 self.parallelism)
        try:
            consumer.subscribe([self.instructions_topic], on_assign=self._on_assign, on_revoke=self._on_revoke,
                               on_lost=self._on_lost)
            while not self._stop.is_set():
                self._step()
                record = consumer.poll(0.05)
                if record is not None:
                    self._accept(record)
            self._shut_down()
        finally:
            self._progress_stop.set()
            progress.join(CLIENT_TIMEOUT)
            self._pool.shutdown()
            self._moved.close()
            self._closing = True
            self._close_consumer(consumer)
            LOG.info("Worker %s closed", self.worker_id)

    def _close_consumer(self, consumer):
        """Closes ``consumer``, waiting at most CONSUMER_CLOSE_LIMIT: librdkafka 2.0.2's close waits for
        good once the consumer was given back a topic deleted and created again (librdkafka #4362), and
        a worker that cannot stop is worse than one that leaves its client behind. What the close would
        commit is committed on revoke, before it."""
        closed = threading.Event()

        def close():
            try:
                consumer.close()
            except Exception as e:  # closing must not hide what ended the loop
                LOG.warning("Error closing the consumer: %s", e)
            finally:
                closed.set()

        threading.Thread(target=close, name="groundcontrol-consumer-close", daemon=True).start()
        if not closed.wait(CONSUMER_CLOSE_LIMIT):
            LOG.error("Kafka's consumer did not close within %g s (librdkafka 2.0.2 does not, once given back a topic "
                      "deleted and created again); the worker ends without it, its group sees it leave when its "
                      "session times out", CONSUMER_CLOSE_LIMIT)

    def stop(self):
        """Asks :meth:`run` to finish; returns at once. Safe from signal handlers and other threads."""
        self._stop.set()

    def _signalled(self):
        """SIGINT or SIGTERM: the first stops the worker as :meth:`stop`; the next one, while running
        handlers are given ``close_timeout``, ends the wait (a second Ctrl-C), as if it were over."""
        if self._stop.is_set():
            self._stop_now.set()
        self.stop()

    # ---- the loop

    def _open_clients(self):
        if self._clients:
            return self._clients()[:2]
        from confluent_kafka import Consumer, Producer
        consumer = self._kafka_client(Consumer, dict(self._consumer_config, on_commit=self._on_commit))
        try:
            return consumer, self._kafka_client(Producer, self._producer_config)
        except BaseException:
            consumer.close()
            raise

    def _open_cancel_reader(self):
        if self._clients:
            made = self._clients()
            if len(made) < 3:
                raise RuntimeError("the test's clients make no cancel reader")
            return made[2]()
        from confluent_kafka import Consumer
        return self._kafka_client(Consumer, reader_config(self._consumer_config, self.component, self.worker_id))

    def _kafka_client(self, kind, config):
        """A client of ``config``; a setting librdkafka refuses (an unknown name, a bad value) is a
        :class:`ConfigError` saying which, not a KafkaException with its traceback from inside the loop."""
        from confluent_kafka import KafkaError, KafkaException

        try:
            return kind(config)
        except KafkaException as e:
            if _kafka_error(e).code() != KafkaError._INVALID_ARG:
                raise
            raise ConfigError(f"Expected kafka_config to hold librdkafka settings, but librdkafka refused the "
                              f"{kind.__name__.lower()}'s: {_kafka_error(e).str()} (its settings: "
                              f"https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md)") from None

    def _on_commit(self, error, partitions):
        """librdkafka's commit callback, served inside consumer.poll() on the loop's thread."""
        if error is None:
            return
        if _stops_worker(error):
            self._kafka_stopped("consumer", error)
            return
        from confluent_kafka import KafkaError

        # Refused while the group rebalances, as every commit is then: the rebalance's own commit (on
        # revoke) or the next one after it covers these offsets, so it is no news.
        if isinstance(error, KafkaError) and error.code() == KafkaError.REBALANCE_IN_PROGRESS:
            LOG.debug("Could not commit %s during a rebalance; will commit again: %s", partitions, error)
        else:
            LOG.warning("Could not commit %s; will commit again: %s", partitions, error)
        for partition in partitions:
            offsets = self._partitions.get((partition.topic, partition.partition))
            if offsets is not None:
                offsets.commit_failed()

    def _execution_for(self, stage):
        # A chunk of a foreach stage, "score[17]", runs the handler of its plan stage "score".
        handler = self._handlers.get(stage) or self._handlers.get(plan_stage(stage), self._default_handler)
        if handler is None:
            return None
        if self.isolation == "process":
            return ProcessExecution(handler, self.process_start_method)
        return ThreadExecution(handler)

    def _step(self):
        self._serve_mailbox()
        self._start_waiting()
        self._stop_overdue()
        self._resend_due()
        self._commit()
        self._pause_if_full()
        self._read_moved_cancels()

    def _serve_mailbox(self):
        """Takes the producer's acknowledgements and what the other threads asked of the loop."""
        self._producer.poll(0)
        while self._mailbox:
            self._mailbox.popleft()()

    def _accept(self, record):
        if record.error():
            if _stops_worker(record.error()):
                self._kafka_stopped("consumer", record.error())
            else:
                self._topic_deleted = self._topic_deleted or _is_unknown_topic(record.error())
                LOG.warning("%s", self._consumer_error_line(record.error()))
            return
        self._topic_deleted = False
        place = (record.topic(), record.partition())
        offsets = self._partitions.setdefault(place, PartitionOffsets())
        offsets.take(record.offset())
        self._read_to[place] = max(self._read_to.get(place, 0), record.offset() + 1)
        taken = (place, record.offset())
        try:
            instruction = self._instructions.decode(record.value())
        except WireFormatError as e:
            LOG.warning("Skipping instruction at %s[%d] offset %d: %s", record.topic(), record.partition(),
                        record.offset(), e)
            self._done(taken)
            return
        key = _key_of(instruction)
        if instruction["kind"] == "CANCEL":
            self._cancel(key, taken)
            self._done(taken)
        elif not self._answered_without_running(key, instruction, taken):
            self._waiting.append((instruction, taken))

    def _consumer_error_line(self, error):
        """The line logged for a consumer error the worker goes on after. A missing instruction topic is
        most often a component name or topic prefix that no applied plan uses: librdkafka says only
        "Subscribed topic not available"."""
        from confluent_kafka import KafkaError

        if _is_unknown_topic(error):
            return (f"Waiting for topic {self.instructions_topic}, which does not exist: `groundcontrol plan apply` "
                    f"creates it for a plan with a stage of component '{self.component}', and a running coordinator "
                    f"creates it again, deleted, when it dispatches to it; check the component name and topic_prefix "
                    f"against the plan's")
        if isinstance(error, KafkaError):
            return f"Consumer error: {error.name()}: {error.str()}"
        return f"Consumer error: {error}"

    def _answered_without_running(self, key, instruction, taken):
        attempt = self._open.get(key)
        if attempt is not None:
            LOG.debug("%s is already running here; its report answers the redelivered RUN", key)
            attempt.offsets.append(taken)
            return True
        # The same dispatch only: a mission id forgotten by the coordinator's retention may start a new
        # mission, whose attempt 1 has the same key but a later dispatch.
        if key in self._recent and self._recent[key] == instruction["dispatchedAt"]:
            LOG.debug("%s was already reported by this worker; skipping the redelivered RUN", key)
            # Read again, it is remembered as if just reported (as the Java SDK's RecentAttempts): a RUN
            # re-read at every rebalance, behind an attempt that holds its partition's commit, must
            # not be the first forgotten and then run again.
            self._recent.move_to_end(key)
            self._done(taken)
            return True
        return False

    def _start_waiting(self):
        while self._waiting:
            instruction, taken = self._waiting[0]
            key = _key_of(instruction)
            if self._answered_without_running(key, instruction, taken):
                self._waiting.popleft()
                continue
            if self._stop.is_set() or self._free == 0:
                return
            self._waiting.popleft()
            attempt = _Attempt(self, instruction, taken)
            # Its copies waiting further back (a redelivered RUN) are answered by its report. Left
            # waiting, one would be taken for an attempt not yet started by a CANCEL read once this
            # one was reported, and reported a second time, as cancelled.
            attempt.offsets.extend(self._take_waiting(key))
            self._open[key] = attempt
            if attempt.execution is None:
                self._finish(attempt, Outcome.failed(
                    f"Expected a handler for stage '{instruction['stage']}' in worker {self.worker_id} of component "
                    f"'{self.component}', but it has none (handlers: {sorted(self._handlers)}); any worker of a "
                    f"component may get any of its stages, so each needs a handler for all of them (@worker.stage() "
                    f"for the rest), or give the stage a component of its own", retryable=False))
                continue
            self._free -= 1
            with self._progress_lock:
                self._running.add(attempt)
            self._pool.submit(self._run_attempt, attempt)

    def _run_attempt(self, attempt):
        """On a pool thread: runs the handler, then ends the attempt and sends its final report from
        here, as the Java SDK's handler thread does. Not through the loop, which may be held in a poll
        (by a synchronous commit while partitions are revoked): meanwhile the progress thread would
        heartbeat an attempt whose handler had returned, and the report would wait."""
        try:
            outcome = attempt.execution.run(None, attempt.context)  # params decoded where the handler runs
        except BaseException as e:  # a StageCancelled landing outside the handler, or a bug here
            outcome = Outcome.failed(CANCELLED, retryable=False) if attempt.context.cancelled.is_set() else \
                Outcome.failed(f"{type(e).__name__}: {e}")
        try:
            self._ended(attempt, outcome)
        finally:
            self._mailbox.append(self._handler_freed)

    def _handler_freed(self):
        self._free += 1

    def _ended(self, attempt, outcome):
        if attempt.final is not None:  # the worker's close gave up on it and reported it already
            return
        if attempt.context.cancelled.is_set():
            outcome = self._cancelled_outcome(attempt)
        elif not outcome.finished:
            LOG.warning("%s failed (%s): %s", attempt.key, "retryable" if outcome.retryable else "not retryable",
                        cut(outcome.message, MAX_MESSAGE_BYTES))  # as reported: an exception's text may be huge
        self._finish(attempt, outcome)

    def _cancelled_outcome(self, attempt):
        if attempt.cancel_reason == "closing":
            return Outcome.failed(f"Worker {self.worker_id} closed before the stage finished", retryable=True)
        if attempt.cancel_reason == "timeout":
            return Outcome.failed(f"timed out after {attempt.context.timeout:g}s (attempt {attempt.context.attempt})",
                                  retryable=True)
        return Outcome.failed(CANCELLED, retryable=False)

    def _cancel(self, key, taken):
        attempt = self._open.get(key)
        if attempt is not None:
            place, run_offset = attempt.offsets[0]
            # Read again after a rebalance, a CANCEL that came before the RUN is still not for it (it was
            # for an earlier mission under the same id, see "Retention"): as when it was first read.
            if taken[0] == place and taken[1] < run_offset:
                LOG.debug("Ignoring CANCEL for %s: it comes before the RUN running here", key)
            elif attempt.cancel("cancel"):
                LOG.info("Cancelling %s", key)
            return
        first = next((w for w in self._waiting if _key_of(w[0]) == key), None)
        if first is None:
            LOG.debug("Ignoring CANCEL for %s: not running here", key)
            return
        # Every waiting copy (a redelivered RUN) goes with it: one report answers them all, as a copy
        # of a running attempt is answered by its report.
        cancelled = _Attempt(self, *first)
        cancelled.offsets = self._take_waiting(key)
        LOG.info("Cancelling %s before it started", key)
        self._open[key] = cancelled
        self._finish(cancelled, Outcome.failed(CANCELLED, retryable=False))

    def _take_waiting(self, key):
        """Removes the waiting RUNs of attempt ``key``; returns where they were taken."""
        taken = [t for instruction, t in self._waiting if _key_of(instruction) == key]
        if taken:
            self._waiting = collections.deque(w for w in self._waiting if _key_of(w[0]) != key)
        return taken

    def _finish(self, attempt, outcome):
        """On the loop or the attempt's pool thread: ends the attempt with ``outcome`` and sends its
        final report, unless it has ended already (its handler returned just as the worker's close
        gave up on it). Ended under the progress lock, no started report or heartbeat follows it."""
        final = self._final_report(attempt, outcome)
        with self._progress_lock:
            if attempt.final is not None:
                return
            attempt.final = final
        self._send_final(attempt)

    def _final_report(self, attempt, outcome):
        if outcome.finished:
            body = (record_name("ReportFinished"), {"outputs": outcome.outputs})
        else:
            error = {"message": cut(outcome.message, MAX_MESSAGE_BYTES), "detail": cut(outcome.detail, MAX_DETAIL_BYTES),
                     "retryable": outcome.retryable}
            body = (record_name("ReportFailed"), {"error": error})
        return self._report(attempt, body)

    def _report(self, attempt, outcome):
        report = {"missionId": attempt.key[0], "stage": attempt.key[1], "attempt": attempt.key[2],
                  "worker": self._actor, "reportedAt": int(time.time() * 1000), "outcome": outcome}
        try:
            return self._reports.encode(report)
        except UnicodeEncodeError as e:  # a lone surrogate: a file name from os.listdir, say
            LOG.warning("The report of %s holds text UTF-8 cannot encode (%s); sending it with U+FFFD in its place",
                        attempt.key, e.reason)
            return self._reports.encode(_encodable(report))

    def _send_final(self, attempt):
        def delivered(error, _message):
            self._mailbox.append(lambda: self._acknowledged(attempt, error))

        try:
            self._producer.produce(self.reports_topic, key=attempt.key[0].encode(), value=attempt.final,
                                   on_delivery=delivered)
        except Exception as e:  # KafkaException (too large for message.max.bytes, ...), BufferError (queue full)
            error = _kafka_error(e)
            self._mailbox.append(lambda: self._acknowledged(attempt, error))

    def _acknowledged(self, attempt, error):
        if error is not None:
            self._refused(attempt, error)
            return
        self._open.pop(attempt.key, None)
        self._recent[attempt.key] = attempt.instruction["dispatchedAt"]
        while len(self._recent) > self._recent_limit:
            self._recent.popitem(last=False)
        for taken in attempt.offsets:
            self._done(taken)

    def _refused(self, attempt, error):
        """Kafka refused a final report: sent again after a backoff; one too large for Kafka is never
        accepted, so it is replaced at once by a non-retryable failure saying so, as in the Java SDK.
        One refused for the worker's access is not sent again: the worker stops."""
        if _stops_worker(error):
            self._open.pop(attempt.key, None)
            self._kafka_stopped("reports", error)
            return
        due = time.monotonic() + RESEND_BACKOFF
        if _is_too_large(error) and not attempt.too_large:
            attempt.too_large = True
            attempt.final = self._final_report(attempt, Outcome.failed(TOO_LARGE, str(error), retryable=False))
            due = time.monotonic()
        LOG.warning("Kafka refused the final report of %s; sending it again: %s", attempt.key, error)
        self._resends.append((due, attempt))

    def _kafka_stopped(self, client, error):
        """On the loop: stops the worker because Kafka refused its ``client`` ("reports" or "consumer")
        or failed it fatally, logging one line the first time."""
        if self._refusal is not None:
            return
        if client == "consumer":
            self._consumer_usable = False
            what = f"its consumer of {self.instructions_topic} in group '{self.component}'"
        else:
            what = f"its reports to {self.reports_topic}"
        cause = f"{error.name()} ({error.str()})"
        if _refuses_access(error):
            self._refusal = (f"Worker {self.worker_id} stopped: Kafka refused {what}: {cause}; check its credentials "
                             f"and the ACLs of `groundcontrol acl print --role worker --component {self.component}`")
        else:
            self._refusal = f"Worker {self.worker_id} stopped: a fatal Kafka error in {what}: {cause}"
        LOG.error("%s", self._refusal)
        self._stop.set()

    def _stopped_by(self, error):
        """From any thread: whether ``error``, on a started report or heartbeat, stops the worker;
        if so the loop is told."""
        if not _stops_worker(error):
            return False
        self._mailbox.append(lambda: self._kafka_stopped("reports", error))
        return True

    def _resend_due(self):
        now = time.monotonic()
        due = [attempt for at, attempt in self._resends if at <= now]
        self._resends = [(at, attempt) for at, attempt in self._resends if at > now]
        for attempt in due:
            self._send_final(attempt)

    def _stop_overdue(self):
        now = time.monotonic()
        for attempt in list(self._open.values()):
            if attempt.final is None and attempt.deadline is not None and now >= attempt.deadline \
                    and attempt.cancel("timeout"):
                LOG.info("Stopping %s: past its timeout of %gs", attempt.key, attempt.context.timeout)

    def _report_progress(self):
        """On the progress thread, until the worker closes: sends the started reports and heartbeats due."""
        period = min(PROGRESS_PERIOD, self.started_report_delay, self.heartbeat_interval or PROGRESS_PERIOD)
        last_look = time.monotonic()
        while not self._progress_stop.wait(period):
            try:
                with self._progress_lock:
                    last_look = self._note_held_up(last_look, period)
                    for attempt in list(self._running):
                        if attempt.final is not None:
                            self._running.discard(attempt)
                        else:
                            self._report_progress_of(attempt, time.monotonic())
            except Exception:  # raised out of here, it would end the heartbeats of every attempt
                LOG.exception("Could not report the progress of running attempts; trying again")

    def _note_held_up(self, last_look, period):
        """Logs the heartbeats this thread could not send because it got no turn for longer than the
        heartbeat interval: a handler held the GIL (one long call into C code), which a Java worker's
        handler cannot do to its heartbeats. Returns the time of this look."""
        now = time.monotonic()
        late = now - last_look - period
        # The attempts that were heartbeating when the hold began: the handler that held the GIL may
        # have ended its attempt the moment it let go, before this thread got its turn.
        if self.heartbeat_interval is not None and late > self.heartbeat_interval and self._heartbeating:
            LOG.warning("Heartbeats of %s were held up %.1f s, past the heartbeat interval of %g s: a handler holding "
                        "the GIL (one long call into C code) stops every thread of the worker, and after 3 intervals "
                        "the coordinator declares its attempts lost; run such a handler with isolation='process'",
                        ", ".join(map(str, self._heartbeating)), late, self.heartbeat_interval)
        self._heartbeating = [a.key for a in self._running if a.final is None and a.last_report_at is not None]
        return now

    def _report_progress_of(self, attempt, now):
        if attempt.last_report_at is None:
            if now - attempt.started_at >= self.started_report_delay and now >= attempt.started_due_again:
                self._send_started(attempt, now)
        elif self.heartbeat_interval is not None and now - attempt.last_report_at >= self.heartbeat_interval:
            self._send_progress(attempt, (record_name("ReportHeartbeat"),
                                          {"heartbeatIntervalMs": self._interval_ms()}), now,
                                lambda error, _message: self._heartbeat_delivered(attempt, error))

    def _heartbeat_delivered(self, attempt, error):
        if error is None:
            attempt.heartbeat_delivered = True
        else:
            self._stopped_by(error)

    def _interval_ms(self):
        return None if self.heartbeat_interval is None else int(self.heartbeat_interval * 1000)

    def _send_started(self, attempt, now):
        """Sends the started report, and again after a backoff if it is lost: without it the coordinator
        starts the attempt only at its first heartbeat, so its timeout counts from then, and for a
        worker that does not heartbeat applies neither the timeout nor liveness and may fail the stage
        as never started. Heartbeats wait until it is sent again, so that none goes before it. It is not
        sent again once a heartbeat of the attempt was delivered: the coordinator started the attempt
        at that heartbeat. A delivery that timed out may still have been written, so a duplicate started
        report stays possible: the coordinator ignores a started report of the attempt's own worker for
        an attempt it already started (no event in the mission's history)."""
        def delivered(error, _message):  # served by the producer's poll, on the loop's thread
            if error is None:
                attempt.started_delivered = True
            elif not self._stopped_by(error):
                self._mailbox.append(lambda: self._started_lost(attempt, error))

        body = (record_name("ReportStarted"), {"heartbeatIntervalMs": self._interval_ms(),
                                               "startedAt": attempt.started_at_ms})
        if not self._send_progress(attempt, body, now, delivered):
            attempt.last_report_at = None
            attempt.started_due_again = now + RESEND_BACKOFF

    def _started_lost(self, attempt, error):
        with self._progress_lock:
            if attempt.final is not None or attempt.heartbeat_delivered:
                LOG.warning("Kafka refused the started report of %s; %s: %s", attempt.key,
                            "it has ended since" if attempt.final is not None
                            else "a heartbeat has started it since", error)
            else:
                LOG.warning("Kafka refused the started report of %s; sending it again: %s", attempt.key, error)
                attempt.last_report_at = None
                attempt.started_due_again = time.monotonic() + RESEND_BACKOFF

    def _send_progress(self, attempt, body, now, on_delivery=None):
        """Produces a started report or heartbeat; False if the producer refused it at once."""
        attempt.last_report_at = now
        try:
            self._producer.produce(self.reports_topic, key=attempt.key[0].encode(),
                                   value=self._report(attempt, body), on_delivery=on_delivery)
            return True
        except Exception as e:  # a lost heartbeat costs little: the next one follows
            if self._stopped_by(_kafka_error(e)):
                return False
            LOG.warning("Could not report %s for %s: %s", body[0].rsplit(".", 1)[-1], attempt.key, e)
            return False

    def _done(self, taken):
        place, offset = taken
        offsets = self._partitions.get(place)
        if offsets is not None:
            offsets.done(offset)

    def _commit(self, places=None, asynchronous=True):
        from confluent_kafka import TopicPartition

        if not self._consumer_usable:
            return
        due = [(place, offsets, offsets.to_commit()) for place, offsets in self._partitions.items()
               if places is None or place in places]
        commits = [TopicPartition(place[0], place[1], offset) for place, _, offset in due if offset is not None]
        if commits and self._topic_deleted:
            # Refused while the topic is gone, a commit would be taken by the topic the coordinator creates
            # again, whose next owner would start past its first instructions. Said once, when the
            # partitions are revoked or the worker closes, not at every turn of the loop.
            if not asynchronous:
                LOG.warning("Not committing %s: the topic %s was deleted", ", ".join(
                    f"{c.topic}[{c.partition}]@{c.offset}" for c in commits), self.instructions_topic)
            return
        for _, offsets, offset in due:
            if offset is not None:
                offsets.committed(offset)
        if commits:
            try:
                self._consumer.commit(offsets=commits, asynchronous=asynchronous)
            except Exception as e:
                LOG.warning("Could not commit %s; their instructions may be delivered again: %s", commits, e)

    def _pause_if_full(self):
        """Stops fetching while ``read_ahead`` RUNs wait for a free handler, or once stopping; pausing and
        resuming only on a change (or after a rebalance), since each call restarts librdkafka's fetcher."""
        pause = self._stop.is_set() or len(self._waiting) >= self.read_ahead
        if pause == self._paused:
            return
        try:
            assignment = self._consumer.assignment()
            if pause:
                self._consumer.pause(assignment)
            else:
                self._consumer.resume(assignment)
            self._paused = pause
        except Exception as e:
            LOG.debug("pause/resume: %s", e)

    def _on_assign(self, consumer, partitions):
        # Whether the assignment is paused is unknown now: a cooperative rebalance adds partitions and
        # keeps the others as they were, paused or not, and librdkafka keeps a partition paused by the
        # application through an eager one that gives it back. The next look pauses or resumes it all.
        self._paused = None
        self._topic_deleted = self._topic_deleted and not partitions
        self._moved.assigned_again({(p.topic, p.partition) for p in partitions})
        LOG.info("Worker %s assigned %s", self.worker_id, [p.partition for p in partitions])

    def _on_revoke(self, consumer, partitions):
        """The worker still owns ``partitions`` and may commit them: running attempts the coordinator
        knows of are handed over, so that the partitions' next owner does not run them again."""
        gone = {(p.topic, p.partition) for p in partitions}
        if not self._closing:
            self._serve_mailbox()  # reports Kafka acknowledged meanwhile count
            self._hand_over(gone)
        self._commit(gone, asynchronous=False)
        self._leave(gone)

    def _on_lost(self, consumer, partitions):
        """The worker was dropped from the group (its session timed out, say): ``partitions`` may be
        owned by another worker already and cannot be committed; their next owner runs their running
        attempts again."""
        gone = {(p.topic, p.partition) for p in partitions}
        LOG.warning("Worker %s lost %s (dropped from the group); attempts running from them will run again on "
                    "their next owner", self.worker_id, sorted(p for _, p in gone))
        self._leave(gone)

    def _hand_over(self, gone):
        """Counts the RUNs (and their redelivered copies) of attempts that run here from ``gone`` as
        done for the commit, if the coordinator knows them to run here. They run on here, and report
        as before; should this worker die first, the coordinator's heartbeat watch declares them lost
        and retries them. Without heartbeats nothing would, so they are not handed over then."""
        if self.heartbeat_interval is None:
            return
        for attempt in self._open.values():
            if attempt.known_to_coordinator():
                for taken in attempt.offsets:
                    if taken[0] in gone:
                        self._done(taken)

    def _leave(self, gone):
        """Forgets ``gone``'s offsets and waiting RUNs (their next owner reads them), and has the
        CANCELs of the attempts still running from them read for them."""
        for place in gone:
            self._partitions.pop(place, None)
        self._waiting = collections.deque(w for w in self._waiting if w[1][0] not in gone)
        if self._closing:
            return
        for place in gone:
            keys = {key for key, attempt in self._open.items()
                    if attempt.final is None and attempt.offsets[0][0] == place}
            self._moved.watch(place, keys, self._read_to.get(place, 0))

    def _read_moved_cancels(self):
        for record in self._moved.read(self._still_running):
            place = (record.topic(), record.partition())
            try:
                instruction = self._instructions.decode(record.value())
            except WireFormatError:
                continue  # the partition's owner says so
            key = _key_of(instruction)
            if instruction["kind"] != "CANCEL" or not self._moved.watches(place, key):
                continue
            attempt = self._open.get(key)
            if attempt is not None and record.offset() > attempt.offsets[0][1] and attempt.cancel("cancel"):
                LOG.info("Cancelling %s: its CANCEL was read from %s[%d], which moved to another worker while "
                         "the attempt ran here", key, place[0], place[1])

    def _still_running(self, key):
        attempt = self._open.get(key)
        return attempt is not None and attempt.final is None

    def _shut_down(self):
        """Running attempts get ``close_timeout`` to end; those still running are then reported failed
        at once (retryable, or as their CANCEL or timeout said), without waiting for their handlers,
        which may be stuck in a C call. Then their reports get ``close_timeout`` to be acknowledged,
        and what was acknowledged is committed."""
        self._waiting.clear()
        running = sum(1 for attempt in self._open.values() if attempt.final is None)
        if running:
            # Without it a Ctrl-C showed nothing until the close timeout was over.
            LOG.info("Stopping: waiting up to %s (close_timeout) for the running attempts to end (%d), then stopping "
                     "those still running and reporting them failed (retryable); a second Ctrl-C or SIGTERM stops "
                     "them now", "ever" if self.close_timeout == float("inf") else f"{self.close_timeout:g} s", running)
        self._await_open(time.monotonic() + self.close_timeout, hurry=self._stop_now)
        for attempt in list(self._open.values()):
            if attempt.final is None:
                LOG.warning("%s still running %s; stopping it and reporting it failed", attempt.key,
                            "at a second stop signal" if self._stop_now.is_set() else "after the close timeout")
                self._abandon(attempt)
        self._await_open(time.monotonic() + self.close_timeout)
        self._producer.flush(CLIENT_TIMEOUT)
        self._step()
        if self._open:
            LOG.warning("Closing with %d final reports unacknowledged; their instructions will be delivered again",
                        len(self._open))
        self._commit(asynchronous=False)

    def _await_open(self, deadline, hurry=None):
        while self._open and time.monotonic() < deadline and not (hurry is not None and hurry.is_set()):
            self._step()
            if self._consumer_usable:
                self._consumer.poll(0.05)
            else:
                time.sleep(0.05)  # for the handlers and the producer's acknowledgements, served by _step

    def _abandon(self, attempt):
        """Ends a running attempt because the worker closes, as Java's Attempt.abandon(): stops its
        handler and sends its final report now; the handler's own outcome, if it ever comes, is ignored."""
        attempt.cancel("closing")  # keeps the reason of an earlier CANCEL or timeout
        self._finish(attempt, self._cancelled_outcome(attempt))
