package io.groundcontrol.cli;

import io.groundcontrol.client.HangingTransactionRule;
import io.groundcontrol.client.HangingTransactionRule.Judged;
import io.groundcontrol.client.HangingTransactions;
import io.groundcontrol.client.OpenTransaction;
import io.groundcontrol.coordinator.CoordinatorConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code groundcontrol hanging-transactions}: the transactions no Kafka coordinator will end, which
 * hold up the installation, and with {@code --abort} their end, as {@code kafka-transactions.sh
 * find-hanging} and {@code abort} (KIP-664) decide and do.
 */
@Command(name = "hanging-transactions", mixinStandardHelpOptions = true,
    description = {"Find hanging transactions (open on a partition, older than the maximum transaction timeout, "
        + "and no longer part of their transactional id's transaction, so no Kafka coordinator will write their "
        + "marker) on the partition of __consumer_offsets that keeps the coordinator group's offsets and on every "
        + "partition of the installation's topics; with --abort, abort them. One line per open transaction found.",
        "Exit status: 0 none hanging (or all aborted), 3 hanging ones found and not aborted, 1 an error.",
        "Needs Read on the topics searched (__consumer_offsets included), Describe on the transactional ids, and "
        + "ClusterAction on the cluster to abort (README \"Hanging transactions\")."})
final class HangingTransactionsCommand implements Callable<Integer> {
  /** The exit status when hanging transactions were found and left open. */
  static final int HANGING_LEFT = 3;

  @Mixin ClusterOptions cluster;

  @Option(names = "--application-id",
      description = "The coordinator's application id, its consumer group (default: <topic prefix>-coordinator).")
  String applicationId;

  @Option(names = "--partition", paramLabel = "TOPIC-N", converter = PartitionConverter.class,
      description = "Search only this partition, e.g. __consumer_offsets-0 (repeatable).")
  List<TopicPartition> partitions = new ArrayList<>();

  @Option(names = "--all-topics",
      description = "Search every partition of the cluster, Kafka's internal topics included, not only the installation's.")
  boolean allTopics;

  @Option(names = "--max-transaction-timeout", paramLabel = "DURATION", converter = TimeoutConverter.class,
      defaultValue = "15m", description = "The cluster's transaction.max.timeout.ms: a transaction open longer may "
          + "be hanging, a younger one is never (default: ${DEFAULT-VALUE}, Kafka's default, as kafka-transactions.sh).")
  Duration maxTimeout;

  @Option(names = "--abort", description = "Abort each hanging transaction found (judged again just before).")
  boolean abort;

  @Override
  public Integer call() {
    if (allTopics && !partitions.isEmpty()) {
      System.err.println("error: Expected --all-topics or --partition, but got both");
      return 2;
    }
    String group = applicationId != null ? applicationId : CoordinatorConfig.defaultApplicationId(cluster.topics());
    Clock clock = Clock.systemUTC();
    try (KafkaTarget target = cluster.connect()) {
      Admin admin = target.connection().admin();
      try {
        return search(admin, group, clock);
      } finally {
        // Every call was awaited or given up on: close() would wait for one Kafka never answered, 60 s.
        admin.close(Duration.ZERO);
      }
    } catch (KafkaException e) {
      // Refusals and timeouts are explained in one line by KafkaRefusals; anything else the broker said, here.
      if (KafkaRefusals.explain(e, cluster.kafka.lastConnection()).isPresent()) {
        throw e;
      }
      System.err.println("error: Could not look for hanging transactions: " + e.getMessage());
      return 1;
    }
  }

  private int search(Admin admin, String group, Clock clock) {
    HangingTransactions search = new HangingTransactions(admin, clock, maxTimeout);
    List<TopicPartition> searched = !partitions.isEmpty() ? partitions
        : allTopics ? search.allPartitions() : search.installationPartitions(cluster.topics(), group);
    List<Judged> open = search.judge(searched);
    int left = 0;
    for (Judged judged : open) {
      Instant now = clock.instant();
      OpenTransaction transaction = judged.transaction();
      if (!judged.hanging()) {
        System.out.println("open, not hanging (" + judged.fate(maxTimeout) + "): " + transaction.describe(now));
      } else if (!abort) {
        System.out.println("hanging: " + transaction.describe(now));
        left++;
      } else {
        Optional<String> refused = search.abortIfHanging(transaction);
        System.out.println(refused.map(reason -> "not aborted, " + reason + ": ").orElse("aborted: ")
            + transaction.describe(now));
      }
    }
    long hanging = open.stream().filter(Judged::hanging).count();
    System.out.println(hanging + " hanging of " + open.size() + " open transactions on " + searched.size()
        + " partitions" + (allTopics || !partitions.isEmpty() ? "" : " (" + searched.get(0) + ", the offsets of "
        + "group " + group + ", and the topics of prefix " + cluster.topicPrefix + ")"));
    return left > 0 ? HANGING_LEFT : 0;
  }

  /** Reads {@code TOPIC-N}, as Kafka prints a partition. */
  static final class PartitionConverter implements ITypeConverter<TopicPartition> {
    @Override
    public TopicPartition convert(String value) {
      int dash = value.lastIndexOf('-');
      if (dash > 0 && dash < value.length() - 1 && value.substring(dash + 1).chars().allMatch(Character::isDigit)) {
        try {
          return new TopicPartition(value.substring(0, dash), Integer.parseInt(value.substring(dash + 1)));
        } catch (NumberFormatException tooLong) {
          // said below
        }
      }
      throw new TypeConversionException("Expected a partition as TOPIC-N, e.g. __consumer_offsets-0, but got '"
          + value + "'");
    }
  }
}
