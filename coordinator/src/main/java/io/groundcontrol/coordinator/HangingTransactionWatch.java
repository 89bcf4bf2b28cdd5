package io.groundcontrol.coordinator;

import io.groundcontrol.client.HangingTransactionRule;
import io.groundcontrol.client.HangingTransactionRule.Judged;
import io.groundcontrol.client.HangingTransactionRule.Verdict;
import io.groundcontrol.client.HangingTransactions;
import io.groundcontrol.client.OpenTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the instance's streams are not RUNNING, looks for a hanging transaction on the partition of
 * {@code __consumer_offsets} that keeps the coordinator group's offsets. One there keeps the group's
 * committed offsets pending for ever: every task's start asks for them as {@code read_committed}
 * consumers do ({@code require_stable}), the broker answers that they are unstable, and Kafka
 * Streams asks again on every loop of the stream thread ({@link
 * CoordinatorConfig#COMMITTED_OFFSETS_WAIT_MS}), while the instance looks REBALANCING. Kafka leaves its abort to an operator (a live transaction must never
 * be aborted), so this names it and the command, once, and {@code /health/ready} answers 503 with
 * that reason until it is gone.
 */
final class HangingTransactionWatch implements AutoCloseable {
  /** How often it looks while the streams are not RUNNING. */
  static final Duration INTERVAL = Duration.ofSeconds(30);
  /** An open transaction on the group's offsets that old already holds up the tasks' start, if not yet hanging. */
  static final Duration HOLDING_AFTER = Duration.ofMinutes(2);
  /**
   * How long the streams must have been seen not RUNNING before it looks: a start or a rebalance
   * takes less, and a principal without Read on {@code __consumer_offsets} (a secured cluster's
   * coordinator) would otherwise warn at every start.
   */
  static final Duration LOOK_AFTER = Duration.ofSeconds(90);

  private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionWatch.class);

  private final CoordinatorConfig config;
  private final Supplier<KafkaStreams.State> state;
  private final PeriodicCheck check;
  private final Set<String> logged = new HashSet<>();
  private Admin admin;
  private volatile Optional<String> found = Optional.empty();
  private Instant notRunningSince;

  /** @param state the state of the instance's streams now */
  HangingTransactionWatch(CoordinatorConfig config, Supplier<KafkaStreams.State> state) {
    this.config = config;
    this.state = state;
    this.check = new PeriodicCheck("groundcontrol-hanging-transaction-watch", INTERVAL, failure -> {
      if (logged.add("failed")) {
        LOG.warn("Could not look for a hanging transaction on the offsets of group {}: {}; if the tasks do not "
            + "start, run `{}` as a principal allowed to", config.applicationId(), failure.getMessage(),
            command(config, Optional.empty(), false));
      }
    });
  }

  void start() {
    notRunningSince = Instant.now(); // the instance's start counts, so that one that gives up at 2 min says why
    check.start(this::look);
  }

  /**
   * Why the instance's tasks cannot start: a hanging transaction, named with the command that aborts
   * it. Empty once the streams run, without waiting for the next look.
   */
  Optional<String> hanging() {
    return state.get() == KafkaStreams.State.RUNNING ? Optional.empty() : found;
  }

  private void look() {
    if (state.get() == KafkaStreams.State.RUNNING) {
      if (found.isPresent()) {
        LOG.info("Running again: the hanging transaction on the group's offsets is gone");
      }
      found = Optional.empty();
      notRunningSince = null;
      return;
    }
    if (notRunningSince == null) {
      notRunningSince = Instant.now();
    }
    if (Duration.between(notRunningSince, Instant.now()).compareTo(LOOK_AFTER) < 0) {
      return;
    }
    if (admin == null) {
      admin = config.connection().admin();
    }
    HangingTransactions search = new HangingTransactions(admin, Clock.systemUTC(),
        HangingTransactionRule.DEFAULT_MAX_TIMEOUT);
    TopicPartition offsets = search.offsetsPartition(config.applicationId());
    List<Judged> open = search.judge(List.of(offsets));
    Instant now = Instant.now();
    Optional<Judged> hanging = open.stream().filter(Judged::hanging).findFirst();
    found = hanging.map(judged -> reason(config, judged.transaction(), now));
    if (hanging.isPresent() && logged.add("hanging " + key(hanging.get().transaction()))) {
      LOG.error("Tasks cannot start: {}", found.get());
    }
    open.stream().filter(judged -> judged.verdict() == Verdict.YOUNG)
        .filter(judged -> now.toEpochMilli() - judged.transaction().lastTimestamp() >= HOLDING_AFTER.toMillis())
        .filter(judged -> logged.add("young " + key(judged.transaction())))
        .forEach(judged -> LOG.warn("An open transaction holds the committed offsets of group {} pending, and so the "
            + "start of its tasks: {}. If it is still open at {} (its last write and the maximum transaction timeout, "
            + "{} min), it is hanging and this instance says how to abort it", config.applicationId(),
            judged.transaction().describe(now),
            Instant.ofEpochMilli(judged.transaction().lastTimestamp()).plus(HangingTransactionRule.DEFAULT_MAX_TIMEOUT),
            HangingTransactionRule.DEFAULT_MAX_TIMEOUT.toMinutes()));
  }

  private static String key(OpenTransaction transaction) {
    return transaction.partition() + "@" + transaction.startOffset() + "/" + transaction.producerId();
  }

  /** The one line of the ERROR and of {@code /health/ready}. */
  static String reason(CoordinatorConfig config, OpenTransaction transaction, Instant now) {
    return "a hanging transaction on " + transaction.describe(now) + " keeps the committed offsets of group "
        + config.applicationId() + " pending (OffsetFetch answers UNSTABLE_OFFSET_COMMIT), and no Kafka coordinator "
        + "will end it; abort it with `" + command(config, Optional.of(transaction.partition()), true)
        + "` as a principal with ClusterAction on the cluster (README \"Hanging transactions\")";
  }

  /** The {@code groundcontrol hanging-transactions} command line for this installation. */
  static String command(CoordinatorConfig config, Optional<TopicPartition> partition, boolean abort) {
    String prefix = config.topics().prefix();
    StringBuilder line = new StringBuilder("groundcontrol hanging-transactions --bootstrap-servers ")
        .append(config.bootstrapServers()).append(" --topic-prefix ").append(prefix);
    if (!config.applicationId().equals(CoordinatorConfig.defaultApplicationId(config.topics()))) {
      line.append(" --application-id ").append(config.applicationId());
    }
    if (!config.connection().settings().isEmpty()) {
      line.append(" --kafka-config ADMIN.properties");
    }
    partition.ifPresent(p -> line.append(" --partition ").append(p));
    return line.append(abort ? " --abort" : "").toString();
  }

  @Override
  public void close() {
    check.close();
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
