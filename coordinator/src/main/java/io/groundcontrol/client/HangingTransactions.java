package io.groundcontrol.client;

import io.groundcontrol.client.HangingTransactionRule.Judged;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;

/**
 * Finds open transactions on given partitions and judges them by {@link HangingTransactionRule},
 * through the Admin API (DescribeProducers, ListTransactions, DescribeTransactions), and aborts
 * a hanging one (WriteTxnMarkers), as {@code kafka-transactions.sh find-hanging} and {@code abort} do.
 */
public final class HangingTransactions {
  private static final long WAIT_SECONDS = 30;
  private static final int BATCH = 500;

  private final Admin admin;
  private final Clock clock;
  private final Duration maxTimeout;
  /** How long the first call waits: until Kafka answered one, silence means the cluster is away. */
  private final Duration firstAnswer;
  private boolean answered;

  /**
   * @param maxTimeout the cluster's maximum transaction timeout ({@code transaction.max.timeout.ms}):
   *     a transaction open longer may be hanging
   */
  public HangingTransactions(Admin admin, Clock clock, Duration maxTimeout) {
    this(admin, clock, maxTimeout, NoAnswerException.FIRST_ANSWER);
  }

  /** As the public constructor, waiting at most {@code firstAnswer} for Kafka's answer to the first call. */
  HangingTransactions(Admin admin, Clock clock, Duration maxTimeout, Duration firstAnswer) {
    this.admin = admin;
    this.clock = clock;
    this.maxTimeout = maxTimeout;
    this.firstAnswer = firstAnswer;
  }

  /** The open transactions on {@code partitions}, each judged. */
  public List<Judged> judge(Collection<TopicPartition> partitions) {
    List<OpenTransaction> open = new ArrayList<>();
    List<TopicPartition> all = List.copyOf(partitions);
    for (int from = 0; from < all.size(); from += BATCH) {
      Map<TopicPartition, List<ProducerState>> producers = new HashMap<>();
      await(admin.describeProducers(all.subList(from, Math.min(all.size(), from + BATCH))).all())
          .forEach((partition, state) -> producers.put(partition, state.activeProducers()));
      open.addAll(HangingTransactionRule.open(producers));
    }
    // Young ones too: whether a coordinator will end one is what a coordinator held up by it must say.
    Set<Long> producerIds = new HashSet<>();
    open.forEach(t -> producerIds.add(t.producerId()));
    Map<Long, String> ids = producerIds.isEmpty() ? Map.of() : transactionalIds(producerIds);
    Map<String, Optional<TransactionDescription>> descriptions = describe(Set.copyOf(ids.values()));
    return HangingTransactionRule.judge(open, clock.millis(), maxTimeout, ids, descriptions);
  }

  /**
   * Aborts {@code transaction} if it is still open and hanging by {@link HangingTransactionRule}, judged again now.
   *
   * @return why it was not aborted; empty once aborted
   */
  public Optional<String> abortIfHanging(OpenTransaction transaction) {
    Optional<Judged> now = judge(List.of(transaction.partition())).stream()
        .filter(judged -> judged.transaction().same(transaction)).findFirst();
    if (now.isEmpty()) {
      return Optional.of("it is no longer open");
    }
    if (!now.get().hanging()) {
      return Optional.of("it is " + now.get().verdict().name().toLowerCase() + ", not hanging");
    }
    await(admin.abortTransaction(transaction.abortSpec()).all());
    return Optional.empty();
  }

  /**
   * The partitions where an open transaction holds up this installation: the partition of {@code
   * __consumer_offsets} that keeps the coordinator group's offsets, then every partition of the
   * installation's topics and of the coordinator's internal topics.
   */
  public List<TopicPartition> installationPartitions(TopicNames topics, String applicationId) {
    List<TopicPartition> partitions = new ArrayList<>();
    partitions.add(offsetsPartition(applicationId));
    List<String> names = await(admin.listTopics().names()).stream()
        .filter(name -> name.startsWith(topics.prefix() + ".") || name.startsWith(applicationId + "-"))
        .sorted().toList();
    partitions.addAll(partitionsOf(names));
    return partitions;
  }

  /** Every partition of every topic of the cluster, Kafka's internal ones included. */
  public List<TopicPartition> allPartitions() {
    org.apache.kafka.clients.admin.ListTopicsOptions options =
        new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true);
    return partitionsOf(await(admin.listTopics(options).names()).stream().sorted().toList());
  }

  /** The partition of {@code __consumer_offsets} that keeps {@code groupId}'s offsets, as the group coordinator picks it. */
  public TopicPartition offsetsPartition(String groupId) {
    int count = await(admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME)).allTopicNames())
        .get(Topic.GROUP_METADATA_TOPIC_NAME).partitions().size();
    return new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, Utils.abs(groupId.hashCode()) % count);
  }

  private List<TopicPartition> partitionsOf(List<String> names) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (int from = 0; from < names.size(); from += BATCH) {
      List<String> batch = names.subList(from, Math.min(names.size(), from + BATCH));
      Map<String, org.apache.kafka.clients.admin.TopicDescription> described =
          await(admin.describeTopics(batch).allTopicNames());
      for (String name : batch) {
        described.get(name).partitions().forEach(info -> partitions.add(new TopicPartition(name, info.partition())));
      }
    }
    return partitions;
  }

  private Map<Long, String> transactionalIds(Set<Long> producerIds) {
    Map<Long, String> ids = new HashMap<>();
    for (TransactionListing listing : await(admin.listTransactions(
        new ListTransactionsOptions().filterProducerIds(producerIds)).all())) {
      if (producerIds.contains(listing.producerId())) {
        ids.put(listing.producerId(), listing.transactionalId());
      }
    }
    return ids;
  }

  private Map<String, Optional<TransactionDescription>> describe(Set<String> transactionalIds) {
    Map<String, Optional<TransactionDescription>> descriptions = new HashMap<>();
    if (transactionalIds.isEmpty()) {
      return descriptions;
    }
    DescribeTransactionsResult result = admin.describeTransactions(transactionalIds);
    for (String id : transactionalIds) {
      try {
        descriptions.put(id, Optional.of(result.description(id).get(WAIT_SECONDS, TimeUnit.SECONDS)));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
          throw failed(e);
        }
        descriptions.put(id, Optional.empty());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new org.apache.kafka.common.errors.InterruptException(e);
      } catch (TimeoutException e) {
        throw new org.apache.kafka.common.errors.TimeoutException("No answer describing transactional id " + id, e);
      }
    }
    return descriptions;
  }

  /** The Admin call's failure, its cause kept for the CLI's and the logs' one-line explanations. */
  private static KafkaException failed(ExecutionException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return new KafkaException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
  }

  /**
   * Kafka's answer to one call, waiting {@link #firstAnswer} for the first answer and {@link
   * #WAIT_SECONDS} for each once Kafka answered.
   *
   * @throws NoAnswerException if Kafka never answered
   */
  private <T> T await(KafkaFuture<T> future) {
    try {
      T answer = answered ? future.get(WAIT_SECONDS, TimeUnit.SECONDS)
          : future.get(firstAnswer.toNanos(), TimeUnit.NANOSECONDS);
      answered = true;
      return answer;
    } catch (ExecutionException e) {
      throw failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    } catch (TimeoutException e) {
      if (!answered) {
        throw new NoAnswerException("the cluster's topics and open transactions", firstAnswer, e);
      }
      throw new org.apache.kafka.common.errors.TimeoutException("No answer from Kafka within " + WAIT_SECONDS + " s", e);
    }
  }
}
