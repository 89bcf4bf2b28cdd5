package io.groundcontrol.chaos;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows the event log on a thread of its own while a chaos run goes on: how many stages
 * finished, which missions ended, and when the first report written after the fault became an
 * event (the system is working again).
 */
final class EventFollower implements AutoCloseable {
  private final MissionLog log;
  private final Thread thread;
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private final AtomicLong stagesFinished = new AtomicLong();
  private final AtomicLong missionsStarted = new AtomicLong();
  private volatile boolean stopping;
  private volatile Instant faultAt;
  private volatile long firstReportAfterFaultNanos;
  private final Map<String, Long> firstReportAfterFaultByMission = new ConcurrentHashMap<>();
  /** By mission: the longest a report written after the fault waited until its event could be read, in ms. */
  private final Map<String, Long> longestReportWaitAfterFault = new ConcurrentHashMap<>();
  private volatile long lastEndNanos;

  EventFollower(KafkaConnection kafka, TopicNames topics) {
    this.log = new MissionLog(kafka, topics);
    this.thread = new Thread(this::follow, "groundcontrol-chaos-follower");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void follow() {
    Map<TopicPartition, Long> from = new HashMap<>();
    for (TopicPartition partition : log.partitions()) {
      from.put(partition, 0L);
    }
    while (!stopping) {
      log.follow(from, this::observe, problem -> {}, Duration.ofMillis(500));
      from = log.positions();
    }
  }

  private boolean observe(MissionEvent event) {
    Object e = event.getEvent();
    if (e instanceof StageFinished) {
      stagesFinished.incrementAndGet();
    } else if (e instanceof MissionStarted) {
      missionsStarted.incrementAndGet();
    }
    boolean ends = e instanceof MissionFinished || e instanceof MissionFailed || e instanceof MissionCancelled
        || (e instanceof InputRejected && event.getSequence() == 0 && event.getCause().getKind() == CauseKind.COMMAND);
    if (ends && ended.add(event.getMissionId())) {
      lastEndNanos = System.nanoTime();
    }
    Instant fault = faultAt;
    if (fault != null && event.getCause().getKind() == CauseKind.REPORT && event.getTimestamp().isAfter(fault)) {
      long now = System.nanoTime();
      if (firstReportAfterFaultNanos == 0) {
        firstReportAfterFaultNanos = now;
      }
      firstReportAfterFaultByMission.putIfAbsent(event.getMissionId(), now);
      long waited = Math.max(0, System.currentTimeMillis() - event.getTimestamp().toEpochMilli());
      longestReportWaitAfterFault.merge(event.getMissionId(), waited, Math::max);
    }
    return !stopping;
  }

  long stagesFinished() {
    return stagesFinished.get();
  }

  /** {@code MissionStarted} events read so far, of any mission. */
  long missionsStarted() {
    return missionsStarted.get();
  }

  /** Marks when the fault was injected: reports written after it count as recovery. */
  void faultInjected(Instant at) {
    faultAt = at;
  }

  /** When the first event caused by a report written after the fault was read; 0 if none yet. */
  long firstReportAfterFaultNanos() {
    return firstReportAfterFaultNanos;
  }

  /** As {@link #firstReportAfterFaultNanos()}, among the events of the missions {@code missions} accepts. */
  long firstReportAfterFaultNanos(Predicate<String> missions) {
    return firstReportAfterFaultByMission.entrySet().stream().filter(e -> missions.test(e.getKey()))
        .mapToLong(Map.Entry::getValue).min().orElse(0);
  }

  /**
   * The longest a report written after the fault, of a mission {@code missions} accepts, waited from
   * its writing until the event it caused could be read (under exactly-once: until the coordinator
   * committed it); empty if there was none. The workers and this reader share the machine's clock.
   */
  Optional<Duration> longestReportWaitAfterFault(Predicate<String> missions) {
    return longestReportWaitAfterFault.entrySet().stream().filter(e -> missions.test(e.getKey()))
        .mapToLong(Map.Entry::getValue).max().stream().mapToObj(Duration::ofMillis).findFirst();
  }

  long lastEndNanos() {
    return lastEndNanos;
  }

  boolean allEnded(Collection<String> missions) {
    return ended.containsAll(missions);
  }

  int endedCount() {
    return ended.size();
  }

  /** Polls {@code condition} until it holds or {@code deadlineNanos} passes; whether it held. */
  static boolean await(BooleanSupplier condition, long deadlineNanos) {
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadlineNanos) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
  }
}
