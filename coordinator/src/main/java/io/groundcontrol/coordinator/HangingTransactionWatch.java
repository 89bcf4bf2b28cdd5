package io.groundcontrol.coordinator;

import io.groundcontrol.client.HangingTransactionRule;
import io.groundcontrol.client.HangingTransactionRule.Judged;
import io.groundcontrol.client.HangingTransactionRule.Verdict;
import io.groundcontrol.client.HangingTransactions;
import io.groundcontrol.client.OpenTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the instance's streams are not RUNNING, looks for an open transaction that holds up its
 * tasks, on the partitions {@link Held} names: the partition of {@code __consumer_offsets} that keeps
 * the coordinator group's offsets (one there keeps them pending: every task's start asks for them
 * as {@code read_committed} consumers do, {@code require_stable}, and Kafka Streams asks again on
 * every loop of the stream thread, {@link CoordinatorConfig#COMMITTED_OFFSETS_WAIT_MS}), the
 * changelogs it restores (Kafka Streams restores an active task up to the log end reading committed
 * records only, so the task waits for the transaction's end) and its active tasks' inputs (nothing
 * past the transaction's start is read). Meanwhile the instance looks REBALANCING and says nothing.
 *
 * <p>It names, in one line each, one that no coordinator will end (hanging, or not yet old enough
 * to count as hanging by Kafka's rule) or that has held for {@link #HOLDING_AFTER}: which partition,
 * whose producer, since when, whether and when Kafka ends it, and the command that aborts it where
 * Kafka will not. {@code /health/ready} answers 503 with the gravest of them until the streams run.
 * Kafka leaves the abort to an operator (a live transaction must never be aborted), and so does this.
 */
final class HangingTransactionWatch implements AutoCloseable {
  /** How often it looks while the streams are not RUNNING. */
  static final Duration INTERVAL = Duration.ofSeconds(30);
  /** An open transaction last written that long ago holds up the tasks, whether Kafka ends it or not. */
  static final Duration HOLDING_AFTER = Duration.ofMinutes(2);
  /**
   * How long the streams must have been seen not RUNNING before it looks: a start or a rebalance
   * takes less, and a principal without Read on {@code __consumer_offsets} (a secured cluster's
   * coordinator) would otherwise warn at every start.
   */
  static final Duration LOOK_AFTER = Duration.ofSeconds(90);
  /**
   * How long the streams may stay REBALANCING, Kafka answering, with no open transaction holding
   * them up and no store restoring, before a restart of the process is due: as long as an input may
   * stall while they run ({@link InputStall#NOT_LIVE_AFTER}).
   */
  static final Duration STUCK_AFTER = InputStall.NOT_LIVE_AFTER;

  private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionWatch.class);

  /**
   * A partition where an open transaction holds up this instance's tasks.
   *
   * @param how how it holds them up, in words that follow "an open transaction on P from offset N ..."
   */
  record Held(TopicPartition partition, String how) {
    /** The partition of {@code __consumer_offsets} that keeps {@code group}'s offsets. */
    static Held offsets(TopicPartition partition, String group) {
      return new Held(partition, "keeps the committed offsets of group " + group + " pending (OffsetFetch answers "
          + "UNSTABLE_OFFSET_COMMIT), so no task of this instance can start");
    }

    /** A changelog partition this instance restores {@code store} from. */
    static Held changelog(TopicPartition partition, String store) {
      return new Held(partition, "holds up the restore of store " + store + " on this instance (Kafka Streams "
          + "restores up to the changelog's end, reading committed records only), so its task cannot start");
    }

    /** An input partition of this instance's active task {@code task}. */
    static Held input(TopicPartition partition, String task) {
      return new Held(partition, "holds up task " + task + " on this instance, which reads it committed: nothing "
          + "past the transaction's start is read until it ends");
    }
  }

  /** What the watch asks Kafka, as {@link HangingTransactions} does. */
  interface Search extends AutoCloseable {
    /** The partition of {@code __consumer_offsets} that keeps {@code group}'s offsets. */
    TopicPartition offsetsPartition(String group);

    /** The open transactions on {@code partitions}, each judged. */
    List<Judged> judge(Collection<TopicPartition> partitions);

    @Override
    void close();
  }

  private final CoordinatorConfig config;
  private final Supplier<KafkaStreams.State> state;
  private final Supplier<List<Held>> held;
  private final Supplier<Optional<Instant>> lastRestored;
  private final Clock clock;
  private final PeriodicCheck check;
  private final Set<String> logged = new HashSet<>();
  private Search search;
  private volatile Optional<String> found = Optional.empty();
  private volatile Optional<String> stuck = Optional.empty();
  private Instant notRunningSince;

  /**
   * @param state the state of the instance's streams now
   * @param held the changelogs it restores and its active tasks' inputs now; the watch adds the group's offsets
   */
  HangingTransactionWatch(CoordinatorConfig config, Supplier<KafkaStreams.State> state, Supplier<List<Held>> held,
      Supplier<Optional<Instant>> lastRestored) {
    this(config, state, held, lastRestored, Clock.systemUTC(), null);
  }

  /** As the other constructor, with no restore seen, for tests. */
  HangingTransactionWatch(CoordinatorConfig config, Supplier<KafkaStreams.State> state, Supplier<List<Held>> held,
      Clock clock, Search search) {
    this(config, state, held, Optional::empty, clock, search);
  }

  /**
   * As the first constructor, with {@code search} (null: Kafka's, made at the first look) and a clock for tests.
   *
   * @param lastRestored when a store of the instance last restored records, by the wall clock
   */
  HangingTransactionWatch(CoordinatorConfig config, Supplier<KafkaStreams.State> state, Supplier<List<Held>> held,
      Supplier<Optional<Instant>> lastRestored, Clock clock, Search search) {
    this.config = config;
    this.state = state;
    this.held = held;
    this.lastRestored = lastRestored;
    this.clock = clock;
    this.search = search;
    this.check = new PeriodicCheck("groundcontrol-hanging-transaction-watch", INTERVAL, failure -> {
      if (logged.add("failed")) {
        LOG.warn("Could not look for an open transaction holding up the tasks of group {}: {}; if the tasks do not "
            + "start, run `{}` as a principal allowed to", config.applicationId(), failure.getMessage(),
            command(config, Optional.empty(), false));
      }
    });
  }

  void start() {
    notRunningSince = clock.instant(); // the instance's start counts, so that one that gives up at 2 min says why
    check.start(this::look);
  }

  /**
   * Why the instance's tasks cannot start or go on: an open transaction holding them up, named with
   * whether Kafka ends it and the command that aborts it if not. Empty once the streams run, without
   * waiting for the next look.
   */
  Optional<String> hanging() {
    return state.get() == KafkaStreams.State.RUNNING ? Optional.empty() : found;
  }

  /**
   * Why a restart of the process is due: its streams have stayed REBALANCING for {@link
   * #STUCK_AFTER} though Kafka answers, no open transaction holds up their tasks (a restart would not
   * end one) and no store restored records meanwhile (a long restore is progress). A stream thread
   * stuck in the producer (seen after a broker stop: a replaced thread's {@code flush()} for 30 min,
   * the instance REBALANCING for 25) holds it so; a new process does not inherit that. Empty once
   * the streams run, without waiting for the next look.
   */
  Optional<String> restartDue() {
    return state.get() == KafkaStreams.State.RUNNING ? Optional.empty() : stuck;
  }

  /** One look: what {@link #start} does every {@link #INTERVAL}. */
  void look() {
    if (state.get() == KafkaStreams.State.RUNNING) {
      if (found.isPresent()) {
        LOG.info("Running again: the open transaction that held up the tasks is gone");
      }
      if (stuck.isPresent()) {
        LOG.info("Running again, without a restart");
      }
      found = Optional.empty();
      stuck = Optional.empty();
      notRunningSince = null;
      return;
    }
    if (notRunningSince == null) {
      notRunningSince = clock.instant();
    }
    if (Duration.between(notRunningSince, clock.instant()).compareTo(LOOK_AFTER) < 0) {
      return;
    }
    if (search == null) {
      search = new KafkaSearch(config.connection().admin(), clock);
    }
    Map<TopicPartition, String> how = new LinkedHashMap<>();
    Held offsets = Held.offsets(search.offsetsPartition(config.applicationId()), config.applicationId());
    how.put(offsets.partition(), offsets.how());
    held.get().forEach(partition -> how.putIfAbsent(partition.partition(), partition.how()));
    List<Judged> open = search.judge(List.copyOf(how.keySet()));
    Instant now = clock.instant();
    List<Judged> holding = holding(open, now);
    found = holding.stream().findFirst()
        .map(judged -> reason(config, judged, how.get(judged.transaction().partition()), now));
    judgeStuck(holding.isEmpty(), now);
    for (Judged judged : holding) {
      if (logged.add(judged.verdict() + " " + key(judged.transaction()))) {
        String line = reason(config, judged, how.get(judged.transaction().partition()), now);
        if (judged.hanging()) {
          LOG.error("{}", line);
        } else {
          LOG.warn("{}", line);
        }
      }
    }
  }

  /** After a look Kafka answered: whether the streams are stuck ({@link #restartDue}), logged once when they become so. */
  private void judgeStuck(boolean noneHolding, Instant now) {
    Duration notRunning = Duration.between(notRunningSince, now);
    Optional<Instant> restored = lastRestored.get();
    boolean restoring = restored.isPresent() && Duration.between(restored.get(), now).compareTo(STUCK_AFTER) < 0;
    Optional<String> next = noneHolding && !restoring && state.get() == KafkaStreams.State.REBALANCING
        && notRunning.compareTo(STUCK_AFTER) >= 0
        ? Optional.of("the streams have been REBALANCING for " + notRunning.toMinutes() + " min (since "
            + notRunningSince + ") though Kafka answers, no open transaction holds up their tasks, and no store "
            + restored.map(at -> "has restored records since " + at).orElse("restored records")
            + "; a restart of the process is due (a thread dump first shows where a stream thread is stuck)")
        : Optional.empty();
    if (next.isPresent() && stuck.isEmpty()) {
      LOG.error("Not live: {}; /health/live answers 503 for it", next.get());
    }
    stuck = next;
  }

  /**
   * Which of {@code open} to name, gravest first: hanging ones, then those no coordinator will end,
   * then those it ends, each of the last two only once last written {@link #HOLDING_AFTER} ago
   * (before, a live transaction of a busy instance would be named).
   */
  static List<Judged> holding(List<Judged> open, Instant now) {
    return open.stream()
        .filter(judged -> judged.hanging()
            || now.toEpochMilli() - judged.transaction().lastTimestamp() >= HOLDING_AFTER.toMillis())
        .sorted(Comparator.comparing(Judged::verdict))
        .toList();
  }

  private static String key(OpenTransaction transaction) {
    return transaction.partition() + "@" + transaction.startOffset() + "/" + transaction.producerId();
  }

  /**
   * The one line of the log and of {@code /health/ready}: where, whose, since when, how it holds up
   * the tasks ({@code how}), whether and when Kafka ends it, and the command that aborts it if not.
   */
  static String reason(CoordinatorConfig config, Judged judged, String how, Instant now) {
    Duration max = HangingTransactionRule.DEFAULT_MAX_TIMEOUT;
    String line = (judged.hanging() ? "A hanging" : "An open") + " transaction on "
        + judged.transaction().describe(now) + " " + how + "; " + judged.fate(max);
    if (judged.verdict() == Verdict.ONGOING) {
      return line;
    }
    return line + (judged.hanging() ? "; abort it with `" : "; then `")
        + command(config, Optional.of(judged.transaction().partition()), true)
        + (judged.hanging() ? "`" : "` aborts it") + " as a principal with ClusterAction on the cluster "
        + "(README \"Hanging transactions\")";
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
    if (search != null) {
      search.close();
    }
  }

  /** Kafka's answers, through an Admin client of the instance's own. */
  private static final class KafkaSearch implements Search {
    private final Admin admin;
    private final HangingTransactions transactions;

    KafkaSearch(Admin admin, Clock clock) {
      this.admin = admin;
      this.transactions = new HangingTransactions(admin, clock, HangingTransactionRule.DEFAULT_MAX_TIMEOUT);
    }

    @Override
    public TopicPartition offsetsPartition(String group) {
      return transactions.offsetsPartition(group);
    }

    @Override
    public List<Judged> judge(Collection<TopicPartition> partitions) {
      return transactions.judge(partitions);
    }

    @Override
    public void close() {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
