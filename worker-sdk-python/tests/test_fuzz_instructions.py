"""Randomised (fixed-seed) sequences of instruction records and rebalances against the worker's loop.

Each seed builds a sequence on two partitions: RUNs with params of every JSON type, duplicates and
redeliveries, CANCELs (before, during and after their RUN, and for attempts never sent), newer
attempts while an older one runs, malformed bytes, a wrong fingerprint, null values and keys,
interleaved with partitions revoked, lost and assigned again. Handlers (chosen by a param) return,
raise, hang until cancelled, return outputs that are not JSON or too large, or run long enough to
report progress. The invariants, from README "A worker in Python" and "What a worker does":

1. the loop never dies on a record: ``run()`` returns only when stopped, without raising;
2. a commit never passes a valid RUN whose attempt has no acknowledged final report, unless the commit
   is made while revoking that partition and the attempt's started report or a heartbeat was
   acknowledged (handed over: it runs on here);
3. every attempt whose RUN was read gets exactly one final report, after at most one started report
   and only heartbeats, and none of these after it;
4. a final report says "cancelled" only for an attempt a CANCEL named; a hanging attempt whose CANCEL
   the worker read before the hanging handlers were released is reported cancelled (the release waits,
   up to 10 s, until each such attempt has ended), whether its consumer read it or, for an attempt
   running on after its partition was revoked or lost, its cancel reader did; and a hanging attempt
   running when its partition was revoked or lost, with a CANCEL after its RUN, is cancelled while the
   partition stays away (its cancel reader reads the CANCEL);
5. otherwise the final report is what the handler's behaviour makes it (finished with its outputs,
   failed retryable or not);
6. once everything is answered and the worker stops, every assigned partition is committed to its end.

A failure names the seed and the steps. Seeds 1-10 by default (a few seconds); FUZZ_SEEDS=a-b runs others
(1-80 passed when written).
"""
import json
import os
import random
import threading
import time

import pytest

from fakes import INSTRUCTIONS, REPORTS, Message
from groundcontrol_worker import NonRetryableError, StageCancelled, Worker
from groundcontrol_worker import worker as worker_module
from groundcontrol_worker.worker import TOO_LARGE

TOPIC = "groundcontrol.instructions.ml"
PARTITIONS = 2
MAX_BYTES = 200_000  # the fake's message.max.bytes


def _kafka_exception(code, text):
    from confluent_kafka import KafkaError, KafkaException

    return KafkaException(KafkaError(code, text))


class FuzzConsumer:
    """Two partitions of one topic; rebalances run inside poll, as librdkafka serves its callbacks."""

    def __init__(self):
        self.lock = threading.RLock()
        self.log = {p: [] for p in range(PARTITIONS)}
        self.committed = {p: 0 for p in range(PARTITIONS)}
        self.assigned = set()
        self.position = {}
        self.paused = set()
        self.events = []
        self.on_assign = self.on_revoke = None
        self.checks = None  # called with (partition, offset) before a commit is accepted
        self.commits = []
        self.closed = False
        self._next = 0
        self.delivered = {}  # (partition, offset) -> when it was first delivered
        self.revoking = set()  # partitions whose revoke callback runs
        self.running_now = frozenset  # -> keys of the attempts whose handler runs
        self.read_by_reader = {}  # (partition, offset) -> (when the cancel reader first read it, running_now())
        self.away = {}  # partition revoked or lost, not assigned since -> running_now() when it went

    def subscribe(self, topics, on_assign=None, on_revoke=None, on_lost=None):
        assert topics == [TOPIC]
        self.on_assign, self.on_revoke = on_assign, on_revoke
        self.lost_callback = on_lost

    def append(self, partition, key, value):
        with self.lock:
            self.log[partition].append((key, value))
            return len(self.log[partition]) - 1

    def schedule(self, event):
        with self.lock:
            self.events.append(event)

    def _tps(self, partitions):
        from confluent_kafka import TopicPartition

        return [TopicPartition(TOPIC, p) for p in sorted(partitions)]

    def _run_events(self):
        while True:
            with self.lock:
                if not self.events:
                    return
                kind, partitions = self.events.pop(0)
            partitions = set(partitions)
            if kind == "assign":
                new = partitions - self.assigned
                with self.lock:
                    for p in partitions:
                        self.away.pop(p, None)
                    for p in new:
                        self.assigned.add(p)
                        self.position[p] = self.committed[p]
                        self.paused.discard(p)
                if new and self.on_assign:
                    self.on_assign(self, self._tps(new))
            elif kind == "revoke":
                gone = partitions & self.assigned
                self.away.update((p, self.running_now()) for p in gone)
                if gone and self.on_revoke:
                    self.revoking = gone
                    try:
                        self.on_revoke(self, self._tps(gone))  # still the owner: may commit
                    finally:
                        self.revoking = set()
                with self.lock:
                    self.assigned -= gone
            elif kind == "lost":
                gone = partitions & self.assigned
                self.away.update((p, self.running_now()) for p in gone)
                with self.lock:
                    self.assigned -= gone  # no longer the owner: a commit is refused
                callback = self.lost_callback or self.on_revoke  # as confluent_kafka without on_lost
                if gone and callback:
                    callback(self, self._tps(gone))

    def poll(self, timeout):
        self._run_events()
        with self.lock:
            order = sorted(self.assigned)
            for i in range(len(order)):
                p = order[(self._next + i) % len(order)]
                if p in self.paused or self.position[p] >= len(self.log[p]):
                    continue
                self._next += 1
                offset = self.position[p]
                self.position[p] += 1
                key, value = self.log[p][offset]
                self.delivered.setdefault((p, offset), time.monotonic())
                return Message(TOPIC, p, offset, key, value)
        time.sleep(min(timeout, 0.002))
        return None

    def commit(self, offsets, asynchronous=True):
        from confluent_kafka import KafkaError

        with self.lock:
            for tp in offsets:
                if tp.partition not in self.assigned:
                    raise _kafka_exception(KafkaError.ILLEGAL_GENERATION, "not the owner (lost)")
            for tp in offsets:
                if self.checks:
                    self.checks(tp.partition, tp.offset)
                self.commits.append((tp.partition, tp.offset))
                self.committed[tp.partition] = tp.offset

    def assignment(self):
        with self.lock:
            return self._tps(self.assigned)

    def pause(self, partitions):
        with self.lock:
            self.paused.update(p.partition for p in partitions)

    def resume(self, partitions):
        with self.lock:
            self.paused.difference_update(p.partition for p in partitions)

    def close(self):
        self.closed = True

    def reader(self):
        return FuzzCancelReader(self)


class FuzzCancelReader:
    """The worker's cancel reader: assigned partitions of the same log, outside the group."""

    def __init__(self, log):
        self.log = log
        self.position = {}
        self.closed = False

    def incremental_assign(self, partitions):
        with self.log.lock:
            for tp in partitions:
                assert tp.partition not in self.position, f"partition {tp.partition} assigned to the reader twice"
                self.position[tp.partition] = tp.offset

    def incremental_unassign(self, partitions):
        with self.log.lock:
            for tp in partitions:
                del self.position[tp.partition]

    def poll(self, timeout):
        assert timeout == 0, "the cancel reader must not hold up the worker's loop"
        assert not self.closed
        with self.log.lock:
            for p, offset in sorted(self.position.items()):
                if offset < len(self.log.log[p]):
                    self.position[p] += 1
                    self.log.read_by_reader.setdefault((p, offset), (time.monotonic(), self.log.running_now()))
                    key, value = self.log.log[p][offset]
                    return Message(TOPIC, p, offset, key, value)
        return None

    def close(self):
        self.closed = True


class FuzzProducer:
    """Acknowledges reports at its next poll; the first delivery of some final reports times out."""

    def __init__(self, fail_first_final):
        self.lock = threading.Lock()
        self.pending = []
        self.produced = []  # decoded reports in the order produce() took them
        self.sent_finals = set()  # (mission, stage, attempt) of final reports produced, acknowledged or not
        self.acked_finals = set()  # (mission, stage, attempt) of final reports acknowledged
        self.acked_progress = set()  # (mission, stage, attempt) of started reports or heartbeats acknowledged
        self.fail_first_final = fail_first_final
        self.failed_once = set()

    def produce(self, topic, key=None, value=None, on_delivery=None):
        from confluent_kafka import KafkaError

        report = REPORTS.decode(value)
        kind = report["outcome"][0].rsplit(".", 1)[-1]
        if len(value) > MAX_BYTES:
            raise _kafka_exception(KafkaError.MSG_SIZE_TOO_LARGE, "Broker: Message size too large")
        with self.lock:
            report_key = (report["missionId"], report["stage"], report["attempt"])
            error = None
            if kind in ("ReportFinished", "ReportFailed"):
                self.sent_finals.add(report_key)
            if kind in ("ReportFinished", "ReportFailed") and self.fail_first_final(report_key) \
                    and report_key not in self.failed_once:
                self.failed_once.add(report_key)
                error = KafkaError(KafkaError._MSG_TIMED_OUT, "Local: Message timed out")
            else:
                self.produced.append(report)
            if on_delivery:
                self.pending.append((on_delivery, error, report_key, kind))

    def poll(self, timeout=0):
        while True:
            with self.lock:
                if not self.pending:
                    return 0
                on_delivery, error, report_key, kind = self.pending.pop(0)
                if error is None and kind in ("ReportFinished", "ReportFailed"):
                    self.acked_finals.add(report_key)
                elif error is None:
                    self.acked_progress.add(report_key)
            on_delivery(error, None)

    def flush(self, timeout=None):
        self.poll()


# ---- the handlers, chosen by the param "do"

class Hangs:
    """What the hanging handlers are doing: released together at the end, or ended by their cancel."""

    def __init__(self):
        self.release = threading.Event()
        self.hanging = set()  # keys of attempts whose handler waits for the release
        self.saw_cancel = set()  # keys of attempts whose handler saw its cancel


def make_handler(hangs):
    def hang(ctx):
        key = (ctx.mission_id, ctx.stage, ctx.attempt)
        hangs.hanging.add(key)
        try:
            while not hangs.release.is_set():
                ctx.sleep(0.005)
        except StageCancelled:
            hangs.saw_cancel.add(key)
            raise
        finally:
            hangs.hanging.discard(key)
        return {"released": True}

    def handler(params, ctx):
        do = params.get("do")
        if do == "ok":
            return {"echo": params.get("x"), "n": ctx.attempt}
        if do == "raise":
            raise RuntimeError("boom \u00e9\u4e2d\U0001F600")
        if do == "nonretry":
            raise NonRetryableError("bad input")
        if do == "hang":
            return hang(ctx)
        if do == "progress":
            ctx.sleep(0.06)
            return {"slow": True}
        if do == "badout":
            return {"x": object()}
        if do == "notdict":
            return [1, 2, 3]
        if do == "huge":
            return {"blob": "x" * (MAX_BYTES * 2)}
        if do == "none":
            return None
        raise AssertionError(f"unknown behaviour {do!r}")

    return handler


def expected_outcome(do, x_text):
    """(kind, retryable or outputs) the contract gives behaviour ``do``; None for "hang" (either)."""
    if do == "ok":
        echo = json.loads(x_text) if x_text is not None else None
        return ("finished", {"echo": echo})
    if do == "raise":
        return ("failed", True)
    if do in ("nonretry", "badout", "notdict"):
        return ("failed", False)
    if do == "huge":
        return ("failed", False, TOO_LARGE)
    if do == "progress":
        return ("finished", {"slow": True})
    if do == "none":
        return ("finished", {})
    return None


# ---- random values

def random_json(rng, depth=0):
    choice = rng.randrange(9 if depth < 3 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, -1, 2 ** 53 + 1, -(2 ** 63), 10 ** 30, rng.randrange(-1000, 1000)])
    if choice == 3:
        return rng.choice([0.5, -1.25e-7, 1e300, 3.141592653589793])
    if choice in (4, 5):
        return random_text(rng)
    if choice == 6:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    if choice == 7:
        return {random_text(rng): random_json(rng, depth + 1) for _ in range(rng.randrange(4))}
    return "y" * rng.choice([1000, 50_000])


def random_text(rng):
    alphabet = ["a", "Z", " ", "\"", "\\", "\n", "\t", "\u0000", "\u00e9", "\u4e2d", "\U0001F600", "\u202e",
                "${params.x}", "/", "\u2028"]
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))


def mission_partition(mission):
    return sum(mission.encode()) % PARTITIONS


class Scenario:
    """One seed's sequence, the records it appended and what it expects."""

    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.steps = []
        self.runs = {}  # key -> (do, x_text, partition, offset of its first RUN)
        self.cancels = {}  # key -> list of (partition, offset)
        self.keys = []
        self.dispatch = {}

    def cancels_after(self, key):
        """Offsets of the CANCELs that name ``key`` after its RUN, on the RUN's partition."""
        _, _, p, offset, _ = self.runs[key]
        return [o for (cp, o) in self.cancels.get(key, []) if cp == p and o > offset]

    def instruction(self, kind, key, params=None, dispatched_at=None):
        mission, stage, attempt = key
        return INSTRUCTIONS.encode({
            "kind": kind, "missionId": mission, "planName": "p", "stage": stage, "component": "ml",
            "attempt": attempt, "params": params or {},
            "dispatchedAt": self.dispatch.setdefault(key, 1_700_000_000_000 + len(self.dispatch))
            if dispatched_at is None else dispatched_at,
            "timeoutMs": None})


def eventually(condition, timeout):
    """Polls ``condition`` every few milliseconds: True once it holds, False if ``timeout`` passes first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)
    return True


def cancel_read_at(consumer, key, p, offset):
    """When the worker first read the CANCEL at ``offset`` of partition ``p``, meant for ``key``: by its
    consumer, or by its cancel reader while ``key``'s handler ran (a moved attempt); else infinity."""
    at = consumer.delivered.get((p, offset), float("inf"))
    by_reader, running = consumer.read_by_reader.get((p, offset), (float("inf"), ()))
    return min(at, by_reader) if key in running else at


def cancelled_but_not_ended(sc, consumer, hangs, producer):
    """Under the consumer's lock: hanging attempts whose CANCEL was delivered, and which have not ended
    (their handler did not see the cancel, and no final report was sent for one cancelled waiting)."""
    with producer.lock:
        sent = set(producer.sent_finals)
    found = []
    for key, (do, _, p, _, _) in sc.runs.items():
        read = [o for o in sc.cancels_after(key) if cancel_read_at(consumer, key, p, o) < float("inf")] \
            if do == "hang" else []
        if read and key not in hangs.saw_cancel and key not in sent:
            found.append(f"{key} (its CANCEL at partition {p} offset {read[0]} was read; handler "
                         f"{'still hanging' if key in hangs.hanging else 'not running'})")
    return found


def read_as_far_as_it_can(consumer, hangs, producer, parallelism):
    """Under the consumer's lock: True once the worker cannot read on until a hanging attempt ends. Every
    partition is assigned and read to its end, or paused (a full read-ahead) while hanging attempts hold
    every handler."""
    if consumer.events or consumer.assigned != set(range(PARTITIONS)):
        return False
    behind = [p for p in range(PARTITIONS) if consumer.position[p] < len(consumer.log[p])]
    if any(p not in consumer.paused for p in behind):
        return False
    with producer.lock:
        still_hanging = hangs.hanging - producer.sent_finals  # a cancel may land before the handler's bookkeeping
    return not behind or len(still_hanging) >= parallelism


def run_seed(seed, steps=60):
    sc = Scenario(seed)
    rng = sc.rng
    consumer = FuzzConsumer()
    producer = FuzzProducer(lambda key: sum(key[0].encode()) % 4 == 0)
    hangs = Hangs()
    parallelism = rng.choice([1, 2, 3])
    worker = Worker("ml", clients=lambda: (consumer, producer, consumer.reader), worker_id="w-1",
                    parallelism=parallelism, heartbeat_interval=0.02, close_timeout=2.0,
                    read_ahead=rng.choice([1, 2, 1000]))
    worker.stage()(make_handler(hangs))
    consumer.running_now = lambda: frozenset(hangs.hanging)
    problems = []
    handed_over = set()  # (partition, offset) of RUNs a commit passed while revoking their partition

    def check_commit(partition, offset):
        with consumer.lock:
            records = consumer.log[partition][:offset]
        with producer.lock:
            acked = set(producer.acked_finals)
            known = set(producer.acked_progress)
        for at, (_, value) in enumerate(records):
            try:
                instruction = INSTRUCTIONS.decode(value)
            except Exception:
                continue
            key = (instruction["missionId"], instruction["stage"], instruction["attempt"])
            if instruction["kind"] != "RUN" or key in acked or (partition, at) in handed_over:
                continue
            if partition in consumer.revoking and key in known:
                handed_over.add((partition, at))
            else:
                problems.append(f"committed {offset} on partition {partition} past the RUN of {key} at offset "
                                f"{at} with no acknowledged final report")

    consumer.checks = check_commit
    released_at = float("inf")
    raised = []

    def run():
        try:
            worker.run(install_signal_handlers=False)
        except BaseException as e:  # noqa: B902
            raised.append(e)

    consumer.schedule(("assign", range(PARTITIONS)))
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        for step in range(steps):
            action = rng.choices(
                ["run", "dup", "cancel", "cancel_unknown", "cancel_first", "newer", "junk", "rebalance"],
                [30, 8, 10, 4, 3, 6, 8, 6])[0]
            sc.steps.append(action)
            if action == "run" or (action in ("dup", "cancel", "newer") and not sc.keys):
                key = (f"m-{step}-{random_text(rng)[:3]}", rng.choice(["train", "score[3]", "e\u00e9"]), 1)
                do = rng.choice(["ok", "ok", "raise", "nonretry", "hang", "progress", "badout", "notdict",
                                 "huge", "none"])
                params = {"do": json.dumps(do)}
                x_text = None
                if rng.random() < 0.8:
                    x_text = json.dumps(random_json(rng), ensure_ascii=rng.random() < 0.5)
                    params["x"] = x_text
                p = mission_partition(key[0])
                offset = consumer.append(p, key[0].encode(), sc.instruction("RUN", key, params))
                sc.runs[key] = (do, x_text, p, offset, params)
                sc.keys.append(key)
            elif action == "dup":
                key = rng.choice(sc.keys)
                do, x_text, p, _, params = sc.runs[key]
                consumer.append(p, key[0].encode(), sc.instruction("RUN", key, params))
            elif action == "cancel":
                key = rng.choice(sc.keys)
                p = mission_partition(key[0])
                offset = consumer.append(p, key[0].encode(), sc.instruction("CANCEL", key, dispatched_at=5))
                sc.cancels.setdefault(key, []).append((p, offset))
            elif action == "cancel_unknown":
                key = (f"ghost-{step}", "train", rng.randrange(1, 4))
                p = mission_partition(key[0])
                offset = consumer.append(p, key[0].encode(), sc.instruction("CANCEL", key, dispatched_at=5))
                sc.cancels.setdefault(key, []).append((p, offset))
            elif action == "cancel_first":
                # A CANCEL read before its RUN: ignored; the RUN then runs.
                key = (f"early-{step}", "train", 1)
                p = mission_partition(key[0])
                consumer.append(p, key[0].encode(), sc.instruction("CANCEL", key, dispatched_at=5))
                params = {"do": json.dumps("ok"), "x": "1"}
                offset = consumer.append(p, key[0].encode(), sc.instruction("RUN", key, params))
                sc.runs[key] = ("ok", "1", p, offset, params)
                sc.keys.append(key)
            elif action == "newer":
                old = rng.choice(sc.keys)
                key = (old[0], old[1], old[2] + 1)
                if key in sc.runs:
                    continue
                do = rng.choice(["ok", "raise", "hang"])
                params = {"do": json.dumps(do), "x": "true"}
                p = mission_partition(key[0])
                offset = consumer.append(p, key[0].encode(), sc.instruction("RUN", key, params))
                sc.runs[key] = (do, "true", p, offset, params)
                sc.keys.append(key)
            elif action == "junk":
                p = rng.randrange(PARTITIONS)
                good = sc.instruction("RUN", ("junk", "train", 1), {"do": "\"ok\""})
                value = rng.choice([
                    None,
                    b"",
                    bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))),
                    good[:2] + bytes(8) + good[10:],  # an unknown fingerprint
                    good[:rng.randrange(10, len(good))],  # a truncated body
                    good[:10] + b"\xff" * 20,  # garbage after a good header
                ])
                key = rng.choice([None, b"junk", b"\xff\xfe"])
                consumer.append(p, key, value)
            elif action == "rebalance":
                kind = rng.choice(["revoke", "lost", "eager"])
                partitions = rng.sample(range(PARTITIONS), rng.randrange(1, PARTITIONS + 1))
                if kind == "eager":
                    consumer.schedule(("revoke", range(PARTITIONS)))
                    consumer.schedule(("assign", range(PARTITIONS)))
                else:
                    consumer.schedule((kind, partitions))
                    if rng.random() < 0.7:
                        consumer.schedule(("assign", partitions))
            if rng.random() < 0.3:
                time.sleep(rng.random() * 0.01)
        # A moved attempt's CANCEL reaches it while its partition is away: read by the cancel reader.
        def moved_not_cancelled():
            with consumer.lock, producer.lock:
                return [key for p, running in consumer.away.items() for key in running
                        if sc.runs.get(key, (None,) * 3)[2] == p and sc.cancels_after(key)
                        and key not in hangs.saw_cancel and key not in producer.sent_finals]

        if not eventually(lambda: not moved_not_cancelled(), 10):
            problems.append(f"hanging attempts whose partition moved away while they ran were not cancelled by their "
                            f"CANCEL 10 s later: {moved_not_cancelled()}")
        # Everything is given back, and hanging handlers end, so that every RUN is answered. They are
        # released once the worker can read no further without that, and every hanging attempt whose
        # CANCEL it was given has ended; checked under the consumer's lock, so a CANCEL delivered
        # before released_at is one the worker acted on before the release.
        consumer.schedule(("assign", range(PARTITIONS)))
        ready_at = [time.monotonic()]
        not_ended = []

        def ready():
            with consumer.lock:
                ready_at[0] = time.monotonic()
                not_ended[:] = cancelled_but_not_ended(sc, consumer, hangs, producer)
                return not not_ended and read_as_far_as_it_can(consumer, hangs, producer, parallelism)

        if not eventually(ready, 10):
            if not_ended:
                problems.append(f"hanging attempts whose CANCEL the worker read had not ended 10 s later: {not_ended}")
            else:
                with consumer.lock:
                    problems.append(
                        f"the worker neither read every partition to its end nor had every handler hanging 10 s "
                        f"after the last step: positions {consumer.position}, ends "
                        f"{[len(consumer.log[p]) for p in range(PARTITIONS)]}, paused {consumer.paused}, "
                        f"hanging {len(hangs.hanging)} of {parallelism} handlers")
        released_at = ready_at[0]
        hangs.release.set()

        def answered():
            with consumer.lock:
                return all(consumer.committed[p] == len(consumer.log[p]) for p in range(PARTITIONS)) \
                    and consumer.assigned == set(range(PARTITIONS))

        eventually(lambda: answered() or not thread.is_alive(), 20)
        with consumer.lock:
            stuck = {p: (consumer.committed[p], len(consumer.log[p])) for p in range(PARTITIONS)
                     if consumer.committed[p] != len(consumer.log[p])}
        if stuck:
            problems.append(f"not committed to the end once everything was answered: {stuck} "
                            f"(partition: (committed, end))")
        if not thread.is_alive():
            problems.append("the loop ended before it was stopped")
    finally:
        hangs.release.set()
        worker.stop()
        thread.join(15)
    if thread.is_alive():
        problems.append("run() did not return after stop()")
    if raised:
        problems.append(f"run() raised {raised[0]!r}")

    # ---- the reports
    by_key = {}
    for report in producer.produced:
        key = (report["missionId"], report["stage"], report["attempt"])
        by_key.setdefault(key, []).append(report)
    for key, (do, x_text, p, offset, params) in sc.runs.items():
        reports = by_key.pop(key, [])
        kinds = [r["outcome"][0].rsplit(".", 1)[-1] for r in reports]
        finals = [r for r in reports if r["outcome"][0].endswith(("ReportFinished", "ReportFailed"))]
        # A refused delivery is produced again: count distinct deliveries that were not refused.
        where = f"{key} (behaviour {do!r}, x={x_text!r}, partition {p} offset {offset})"
        if len(finals) != 1:
            problems.append(f"{where}: expected exactly one final report, got {kinds}")
            continue
        last = kinds[-1]
        if last not in ("ReportFinished", "ReportFailed"):
            problems.append(f"{where}: a report after the final one: {kinds}")
        if kinds.count("ReportStarted") > 1 or (kinds.count("ReportStarted") == 1 and kinds[0] != "ReportStarted"):
            problems.append(f"{where}: started reports out of place: {kinds}")
        final = finals[0]
        outcome_kind = "finished" if final["outcome"][0].endswith("ReportFinished") else "failed"
        body = final["outcome"][1]
        cancelled = outcome_kind == "failed" and body["error"]["message"] == "cancelled"
        cancel_after = sc.cancels_after(key)
        cancel_read = [o for o in cancel_after if cancel_read_at(consumer, key, p, o) < released_at]
        if cancelled:
            if not cancel_after:
                problems.append(f"{where}: reported cancelled, but no CANCEL named it after its RUN")
            elif body["error"]["retryable"]:
                problems.append(f"{where}: cancelled but retryable")
            continue
        expected = expected_outcome(do, x_text)
        if expected is None:  # hang: released at the end, or cancelled
            if cancel_read:
                problems.append(f"{where}: a hanging attempt that a CANCEL named was reported {outcome_kind}: {body}")
            elif outcome_kind != "finished":
                problems.append(f"{where}: a released hanging attempt was reported {outcome_kind}: {body}")
            continue
        if outcome_kind != expected[0]:
            problems.append(f"{where}: expected {expected}, got {outcome_kind}: {str(body)[:300]}")
        elif outcome_kind == "finished":
            outputs = {name: json.loads(text) for name, text in body["outputs"].items()}
            want = dict(expected[1])
            if do == "ok":
                want["n"] = key[2]
            if outputs != want:
                problems.append(f"{where}: outputs {str(outputs)[:200]} instead of {str(want)[:200]}")
        else:
            if body["error"]["retryable"] != expected[1]:
                problems.append(f"{where}: retryable {body['error']['retryable']}, expected {expected[1]}: "
                                f"{body['error']['message'][:200]}")
            if len(expected) > 2 and body["error"]["message"] != expected[2]:
                problems.append(f"{where}: message {body['error']['message'][:200]!r}, expected {expected[2]!r}")
    for key, reports in by_key.items():
        problems.append(f"reports for {key}, which no RUN asked for: "
                        f"{[r['outcome'][0].rsplit('.', 1)[-1] for r in reports]}")
    return problems, sc.steps


def _seeds():
    spec = os.environ.get("FUZZ_SEEDS", "1-10")
    low, _, high = spec.partition("-")
    return range(int(low), int(high or low) + 1)


@pytest.mark.parametrize("seed", list(_seeds()))
def test_instruction_sequences_keep_the_workers_contract(seed, monkeypatch):
    # As the Java twin's tuning: a refused final report is sent again after 50 ms, not 1 s.
    monkeypatch.setattr(worker_module, "RESEND_BACKOFF", 0.05)
    problems, steps = run_seed(seed)
    assert not problems, f"seed {seed}, steps {steps}:\n" + "\n".join(problems[:20])
