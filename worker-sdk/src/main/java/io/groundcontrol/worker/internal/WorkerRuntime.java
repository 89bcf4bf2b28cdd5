package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.WireFormatException;
import io.groundcontrol.worker.api.Worker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open worker: one poll thread that owns the consumer and all bookkeeping, a pool of handler
 * threads that run attempts and send their final reports, and a {@link ProgressReporter} thread that
 * sends their started reports and heartbeats, so that nothing blocking the poll thread delays those.
 * They meet in {@link Attempt} (its locks) and in the mailbox, through which a producer callback
 * hands an acknowledged or refused final report back to the poll thread. Everything not marked
 * otherwise is touched by the poll thread only.
 */
final class WorkerRuntime implements Worker {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);
  private static final AvroCodec<StageInstruction> INSTRUCTIONS = AvroCodec.of(StageInstruction.class);
  /** For a synchronous commit, and for closing each client: short, since both block a rebalance or a close. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

  private final WorkerConfig config;
  private final Consumer<String, byte[]> consumer;
  private final Producer<String, StageReport> producer;
  private final Reports reports;
  private final ReportSender sender;
  private final ProgressReporter progress;
  private final MovedAttemptCancels movedCancels;
  private final ExecutorService handlers;
  private final Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
  private final Thread pollThread;
  private final Duration pollTimeout;

  /** Free handler threads: taken by the poll thread to start an attempt, released by the runner. */
  private final Semaphore slots;
  /** Work for the poll thread from other threads. */
  private final BlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();
  private volatile boolean closeRequested;
  private volatile boolean stopped;

  private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();
  /** RUNs read ahead of capacity, in arrival order. */
  private final ArrayDeque<WaitingRun> waiting = new ArrayDeque<>();
  /** Attempts whose final report is not yet acknowledged. */
  private final Map<AttemptKey, Attempt> open = new LinkedHashMap<>();
  private final RecentAttempts recent;
  private final List<Resend> resends = new ArrayList<>();
  private boolean consumerUsable = true;
  /** Why Kafka refuses this worker's reports (a login or an ACL), once it has. */
  private Exception reportsRefused;

  private record WaitingRun(Taken record, StageInstruction instruction) {}

  /** A final report to send again at {@code dueMillis} on the monotonic clock. */
  private record Resend(Attempt attempt, long dueMillis) {}

  private WorkerRuntime(WorkerConfig config, Consumer<String, byte[]> consumer, Producer<String, StageReport> producer,
      Supplier<Consumer<String, byte[]>> cancelReader) {
    this.config = config;
    this.consumer = consumer;
    this.producer = producer;
    this.movedCancels = new MovedAttemptCancels(cancelReader);
    this.reports = new Reports(
        new Actor(ActorKind.WORKER, config.workerId(), config.host()), config.clock(), config.heartbeatInterval());
    this.sender = new ReportSender(
        producer, config.topicNames().stageReports(), refusal -> mailbox.add(() -> reportsRefused(refusal)));
    this.slots = new Semaphore(config.parallelism());
    this.recent = new RecentAttempts(config.tuning().recentAttempts());
    this.pollTimeout = config.tuning().pollTimeout();
    AtomicInteger threadNumber = new AtomicInteger();
    this.handlers = new ThreadPoolExecutor(
        config.parallelism(), config.parallelism(), 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        runnable -> {
          Thread thread = new Thread(() -> {
            handlerThreads.add(Thread.currentThread());
            runnable.run();
          }, config.handlerThreadName(threadNumber.incrementAndGet()));
          thread.setDaemon(true);
          return thread;
        });
    this.pollThread = new Thread(this::run, config.pollThreadName());
    this.progress = new ProgressReporter(config);
  }

  static WorkerRuntime open(WorkerConfig config, KafkaClients.Factory clients) {
    Producer<String, StageReport> producer = clients.producer(KafkaClients.producerProperties(config));
    Consumer<String, byte[]> consumer;
    try {
      consumer = clients.consumer(KafkaClients.consumerProperties(config));
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
    WorkerRuntime worker = new WorkerRuntime(config, consumer, producer,
        () -> clients.consumer(KafkaClients.cancelReaderProperties(config)));
    worker.pollThread.start();
    LOG.info("Worker {} opened for component '{}' with parallelism {}",
        config.workerId(), config.component(), config.parallelism());
    return worker;
  }

  @Override
  public String component() {
    return config.component();
  }

  @Override
  public String workerId() {
    return config.workerId();
  }

  @Override
  public boolean isOpen() {
    return !closeRequested && !stopped;
  }

  /** How many times the progress reporter has looked for due reports; for tests. */
  long progressTicks() {
    return progress.ticks();
  }

  @Override
  public void close() {
    closeRequested = true;
    Thread current = Thread.currentThread();
    if (current == pollThread || handlerThreads.contains(current)) {
      return;
    }
    try {
      pollThread.join();
    } catch (InterruptedException e) {
      current.interrupt();
    }
  }

  // ---- the poll thread

  private void run() {
    try {
      consumer.subscribe(List.of(config.topicNames().instructions(config.component())), new Rebalances());
      while (!closeRequested) {
        drainMailbox();
        if (reportsRefused != null) {
          return;
        }
        startWaiting();
        resendDue();
        commitAsync();
        pauseIfReadAheadFull();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
          accept(record);
        }
        cancelMoved();
        startWaiting();
      }
    } catch (AuthenticationException | AuthorizationException e) {
      consumerUsable = false;
      logRefused(e);
    } catch (RuntimeException | Error e) {
      consumerUsable = false;
      LOG.error("Worker {} stopped consuming after an unexpected error; closing it", config.workerId(), e);
    } finally {
      stopped = true;
      shutDown();
    }
  }

  /** Not retriable: the credentials or the ACLs must change. One line says which. */
  private void logRefused(Exception e) {
    LOG.error("Worker {} stopped: Kafka refused it ({}: {}); check its credentials and the ACLs of "
        + "`groundcontrol acl print --role worker --component {}`", config.workerId(), e.getClass().getSimpleName(),
        e.getMessage(), config.component());
  }

  /**
   * Kafka refused a report's login or ACL: the poll loop stops, and with it the worker. What was
   * refused is not sent again, and its instruction is left uncommitted for the next owner.
   */
  private void reportsRefused(Exception refusal) {
    if (reportsRefused == null) {
      reportsRefused = refusal;
      logRefused(refusal);
    }
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    Taken taken = Taken.take(partitions.computeIfAbsent(partition, PartitionOffsets::new), record.offset());
    StageInstruction instruction;
    try {
      instruction = record.value() == null ? null : INSTRUCTIONS.decode(record.value());
    } catch (RuntimeException | Error e) {
      // Not only WireFormatException: an Error here (say OutOfMemoryError) would stop this worker,
      // and then each worker of the component that the partition moves to.
      LOG.warn("Skipping instruction at {} offset {}: {}", partition, record.offset(),
          e instanceof WireFormatException ? e.getMessage() : "decoding it failed: " + e);
      taken.done();
      return;
    }
    if (instruction == null) {
      taken.done();
    } else if (instruction.getKind() == InstructionKind.CANCEL) {
      cancel(AttemptKey.of(instruction), taken);
      taken.done();
    } else if (!answeredWithoutRunning(instruction, taken)) {
      waiting.add(new WaitingRun(taken, instruction));
    }
  }

  /** A redelivered RUN: true if it is answered by an attempt running here or recently acknowledged. */
  private boolean answeredWithoutRunning(StageInstruction instruction, Taken record) {
    AttemptKey key = AttemptKey.of(instruction);
    Attempt running = open.get(key);
    if (running != null) {
      LOG.debug("{} is already running here; its report will answer the redelivered RUN", key);
      running.records.add(record);
      return true;
    }
    if (recent.contains(key, instruction.getDispatchedAt())) {
      LOG.debug("{} was already reported by this worker; skipping the redelivered RUN", key);
      record.done();
      return true;
    }
    return false;
  }

  private void startWaiting() {
    while (!waiting.isEmpty()) {
      WaitingRun next = waiting.peek();
      if (answeredWithoutRunning(next.instruction(), next.record())) {
        waiting.poll();
        continue;
      }
      if (closeRequested || !slots.tryAcquire()) {
        return;
      }
      waiting.poll();
      Attempt attempt = new Attempt(next.instruction(), next.record(), reports, sender, config);
      // Its copies waiting further back (a redelivered RUN) are answered by its report. Left waiting,
      // one would be taken for an attempt not yet started by a CANCEL read once this one was
      // reported, and reported a second time, as cancelled.
      attempt.records.addAll(takeWaiting(attempt.key));
      open.put(attempt.key, attempt);
      progress.add(attempt);
      handlers.execute(
          new AttemptRunner(attempt, config, reports, slots, this::sendFinal));
    }
  }

  private void cancel(AttemptKey key, Taken record) {
    Attempt running = open.get(key);
    if (running != null) {
      // Read again after a rebalance, a CANCEL that came before the RUN is still not for it (it was
      // for an earlier mission under the same id, see "Retention"): as when it was first read.
      if (record.precedes(running.records.get(0))) {
        LOG.debug("Ignoring CANCEL for {}: it comes before the RUN running here", key);
      } else if (running.cancel()) {
        LOG.info("Cancelling {}", key);
      }
      return;
    }
    WaitingRun first = waiting.stream()
        .filter(run -> AttemptKey.of(run.instruction()).equals(key)).findFirst().orElse(null);
    if (first == null) {
      LOG.debug("Ignoring CANCEL for {}: not running here", key);
      return;
    }
    // Every waiting copy (a redelivered RUN) goes with it: one report answers them all, as a copy of
    // a running attempt is answered by its report.
    Attempt cancelled = new Attempt(first.instruction(), first.record(), reports, sender, config);
    List<Taken> copies = takeWaiting(key);
    cancelled.records.addAll(copies.subList(1, copies.size()));
    LOG.info("Cancelling {} before it started", key);
    cancelled.cancel();
    open.put(key, cancelled);
    sendFinal(cancelled, cancelled.finish(null));
  }

  /** Cancels the attempts running here whose CANCEL was written to a partition that moved away. */
  private void cancelMoved() {
    for (AttemptKey key : movedCancels.poll()) {
      Attempt running = open.get(key);
      if (running != null && running.cancel()) {
        LOG.info("Cancelling {} (read from its partition, which moved to another worker while it ran here)", key);
      }
    }
  }

  /** Removes the waiting RUNs of attempt {@code key}; returns their records, in the order read. */
  private List<Taken> takeWaiting(AttemptKey key) {
    List<Taken> taken = new ArrayList<>();
    waiting.removeIf(run -> AttemptKey.of(run.instruction()).equals(key) && taken.add(run.record()));
    return taken;
  }

  /** Any thread: sends an attempt's final report; the outcome comes back through the mailbox. */
  private void sendFinal(Attempt attempt, StageReport report) {
    sender.send(report, (metadata, exception) -> mailbox.add(
        exception == null ? () -> acknowledged(attempt) : () -> refused(attempt, exception)));
  }

  private void acknowledged(Attempt attempt) {
    if (open.remove(attempt.key, attempt)) {
      movedCancels.ended(attempt.key);
    }
    recent.add(attempt.key, attempt.instruction.getDispatchedAt());
    attempt.records.forEach(Taken::done);
  }

  private void refused(Attempt attempt, Exception exception) {
    if (ReportSender.refusesAccess(exception)) {
      if (open.remove(attempt.key, attempt)) {
        movedCancels.ended(attempt.key);
      }
      reportsRefused(exception);
      return;
    }
    long due = config.monotonicMillis() + config.tuning().resendBackoff().toMillis();
    if (exception instanceof RecordTooLargeException) {
      attempt.replaceFinalReport(reports.failed(
          attempt.instruction,
          "The report of this attempt is too large for Kafka; reduce its outputs",
          ThrowableText.stackTrace(exception),
          false));
      due = config.monotonicMillis();
    }
    LOG.warn("Kafka refused the final report of {}; sending it again: {}",
        attempt.key, ThrowableText.describe(exception));
    resends.add(new Resend(attempt, due));
  }

  private void resendDue() {
    if (resends.isEmpty()) {
      return;
    }
    long now = config.monotonicMillis();
    List<Resend> due = new ArrayList<>();
    resends.removeIf(resend -> resend.dueMillis() <= now && due.add(resend));
    due.forEach(resend -> sendFinal(resend.attempt(), resend.attempt().finalReport()));
  }

  private void drainMailbox() {
    for (Runnable task = mailbox.poll(); task != null; task = mailbox.poll()) {
      task.run();
    }
  }

  private void pauseIfReadAheadFull() {
    if (waiting.size() >= config.tuning().readAheadLimit()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  /**
   * The offsets to commit for {@code of}: those beyond the last commit, or with {@code again} all of
   * them, in case an asynchronous commit is still on its way.
   */
  private Map<TopicPartition, OffsetAndMetadata> completed(Collection<TopicPartition> of, boolean again) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : of) {
      PartitionOffsets tracked = partitions.get(partition);
      if (tracked != null) {
        (again ? tracked.next() : tracked.toCommit())
            .ifPresent(offset -> offsets.put(partition, new OffsetAndMetadata(offset)));
      }
    }
    return offsets;
  }

  private void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> offsets = completed(partitions.keySet(), false);
    if (offsets.isEmpty()) {
      return;
    }
    markCommitted(offsets);
    consumer.commitAsync(offsets, (committed, exception) -> {
      if (exception != null) {
        // Refused while the group rebalances, as every commit is then: the rebalance's own commit
        // (on revoke) or the next one after it covers these offsets, so it is no news.
        if (exception instanceof RebalanceInProgressException) {
          LOG.debug("Could not commit {} during a rebalance; will commit again: {}", committed, exception.toString());
        } else {
          LOG.warn("Could not commit {}; will commit again: {}", committed, exception.toString());
        }
        offsets.keySet().forEach(partition -> {
          PartitionOffsets tracked = partitions.get(partition);
          if (tracked != null) {
            tracked.commitFailed();
          }
        });
      }
    });
  }

  private void commitSync(Collection<TopicPartition> of) {
    Map<TopicPartition, OffsetAndMetadata> offsets = completed(of, true);
    dropDeletedTopics(offsets);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, CLIENT_TIMEOUT);
      markCommitted(offsets);
    } catch (RuntimeException e) {
      LOG.warn("Could not commit {}; their instructions will be delivered again: {}", offsets, e.toString());
    }
  }

  /**
   * Leaves out the offsets of a topic the cluster no longer has: a partition is revoked because its
   * instruction topic was deleted, and a commit for it would be refused ("does not host this
   * topic-partition") and retried until its timeout, holding up the rebalance; worse, it would be
   * accepted by the topic if the coordinator created it again meanwhile, and the partition's next
   * owner would start the new topic past its first instructions. The consumer knows the topic from
   * its metadata, which showed the topic gone, or else asks the cluster once.
   */
  private void dropDeletedTopics(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Set<String> topics = new HashSet<>();
    offsets.keySet().forEach(partition -> topics.add(partition.topic()));
    for (String topic : topics) {
      boolean gone;
      try {
        gone = consumer.partitionsFor(topic, CLIENT_TIMEOUT).isEmpty();
      } catch (RuntimeException e) {
        continue; // not known to be gone: commit as before
      }
      if (gone) {
        Map<TopicPartition, OffsetAndMetadata> dropped = new HashMap<>(offsets);
        dropped.keySet().removeIf(partition -> !partition.topic().equals(topic));
        offsets.keySet().removeAll(dropped.keySet());
        LOG.warn("Not committing {}: the topic {} was deleted", dropped, topic);
      }
    }
  }

  private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> partitions.get(partition).committed(offset.offset()));
  }

  /**
   * Runs inside {@code poll}, on the poll thread. An attempt running here from a partition that
   * moves keeps running here. Its RUN is committed on revoke, though its final report is not yet
   * written, if the coordinator knows it started ({@link Attempt#startedOnRecord()}): its heartbeats
   * then cover this worker's loss, and the partition's new owner does not run it a second time. Its
   * CANCEL is read by {@link MovedAttemptCancels} from then on.
   */
  private final class Rebalances implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      Map<TopicPartition, List<Attempt>> moving = runningFrom(revoked);
      // Not while closing (the consumer's close revokes too): heartbeats have stopped, and an
      // unacknowledged final report's RUN is better delivered again than found lost.
      if (!closeRequested && !stopped) {
        moving.values().forEach(attempts -> attempts.stream().filter(Attempt::startedOnRecord)
            .forEach(attempt -> attempt.records.forEach(Taken::done)));
      }
      commitSync(revoked);
      watchCancels(moving);
      forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      watchCancels(runningFrom(lost));
      forget(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      movedCancels.assignedBack(assigned);
    }

    /** The open attempts whose RUN was read from one of {@code partitions}, by partition. */
    private Map<TopicPartition, List<Attempt>> runningFrom(Collection<TopicPartition> partitions) {
      Map<TopicPartition, List<Attempt>> running = new HashMap<>();
      for (Attempt attempt : open.values()) {
        TopicPartition from = attempt.records.get(0).partition().partition();
        if (partitions.contains(from)) {
          running.computeIfAbsent(from, p -> new ArrayList<>()).add(attempt);
        }
      }
      return running;
    }

    /** Has the CANCELs of {@code moving} read from the first record of their partition not read here. */
    private void watchCancels(Map<TopicPartition, List<Attempt>> moving) {
      moving.forEach((partition, attempts) -> {
        long from;
        try {
          from = consumer.position(partition, CLIENT_TIMEOUT);
        } catch (RuntimeException e) {
          LOG.warn("A CANCEL for {} will not reach them here: the position of {}, which moved to another worker, "
              + "is unknown: {}", attempts.stream().map(attempt -> attempt.key).toList(), partition, e.toString());
          return;
        }
        movedCancels.watch(partition, from, attempts.stream().map(attempt -> attempt.key).toList());
      });
    }

    private void forget(Collection<TopicPartition> gone) {
      for (TopicPartition partition : gone) {
        PartitionOffsets tracked = partitions.remove(partition);
        if (tracked != null) {
          tracked.retire();
        }
      }
      waiting.removeIf(run -> run.record().partition().retired());
    }
  }

  // ---- closing, still on the poll thread

  private void shutDown() {
    waiting.clear();
    long closeNanos = config.closeTimeout().toNanos();
    try {
      awaitOpenAttempts(System.nanoTime() + closeNanos);
      // Nothing is due once the rest are abandoned; stopping first interrupts a heartbeat blocked in
      // the producer, which abandoning its attempt would wait for.
      progress.close(CLIENT_TIMEOUT);
      for (Attempt attempt : List.copyOf(open.values())) {
        StageReport report = attempt.abandon();
        if (report != null) {
          LOG.warn("{} still running after the close timeout; interrupting it", attempt.key);
          sendFinal(attempt, report);
        }
      }
      long flushDeadline = System.nanoTime() + closeNanos;
      awaitOpenAttempts(flushDeadline);
      if (!open.isEmpty()) {
        LOG.warn("Closing with {} final reports unacknowledged; their instructions will be delivered again",
            open.size());
      }
      if (consumerUsable) {
        commitSync(partitions.keySet());
      }
    } catch (RuntimeException | Error e) {
      LOG.error("Error while closing worker {}", config.workerId(), e);
    } finally {
      handlers.shutdownNow();
      progress.close(CLIENT_TIMEOUT);
      closeQuietly(movedCancels::close);
      closeQuietly(() -> consumer.close(CloseOptions.timeout(CLIENT_TIMEOUT)));
      closeQuietly(() -> producer.close(CLIENT_TIMEOUT));
      LOG.info("Worker {} closed", config.workerId());
    }
  }

  /**
   * Waits until every open attempt's final report is acknowledged or the deadline passes. While
   * waiting, keeps polling with all partitions paused, so that the consumer stays in its group and
   * still takes part in rebalances, and commits what completes.
   */
  private void awaitOpenAttempts(long deadlineNanos) {
    while (true) {
      drainMailbox();
      resendDue();
      if (open.isEmpty() || System.nanoTime() - deadlineNanos >= 0) {
        return;
      }
      Duration wait = remaining(deadlineNanos);
      wait = wait.compareTo(pollTimeout) < 0 ? wait : pollTimeout;
      if (consumerUsable) {
        try {
          commitAsync();
          consumer.pause(consumer.assignment());
          consumer.poll(wait);
        } catch (RuntimeException e) {
          consumerUsable = false;
          LOG.warn("Consumer failed while closing; no more offsets will be committed: {}", e.toString());
        }
      } else {
        try {
          Runnable task = mailbox.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
          if (task != null) {
            task.run();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private static void closeQuietly(Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      LOG.warn("Error closing a Kafka client: {}", e.toString());
    }
  }
}
