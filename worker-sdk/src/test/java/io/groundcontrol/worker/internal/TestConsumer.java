package io.groundcontrol.worker.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link MockConsumer} whose poll waits briefly when it has nothing, like a real consumer, instead
 * of spinning; a record added wakes it at once. It also records the threads that called the methods a
 * worker uses (and a test does not), and keeps
 * the committed offsets readable after it is closed.
 */
final class TestConsumer extends MockConsumer<String, byte[]> {
  final Set<String> workerThreads = ConcurrentHashMap.newKeySet();
  final Map<TopicPartition, Long> committedOffsets = new ConcurrentHashMap<>();
  /** The partitions committed with commitSync, as a worker does those revoked. */
  final Set<TopicPartition> committedSync = ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch commitSyncGate = new CountDownLatch(0);
  private final CountDownLatch commitSyncWaiting = new CountDownLatch(1);
  private final Set<String> deletedTopics = ConcurrentHashMap.newKeySet();
  private RuntimeException commitAsyncRefusal;
  private int commitAsyncRefusals;

  TestConsumer() {
    super("earliest");
  }

  @Override
  public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
    calledBy();
    ConsumerRecords<String, byte[]> records = super.poll(timeout);
    if (records.isEmpty()) {
      try {
        wait(Math.max(1, Math.min(timeout.toMillis(), 20)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return records;
  }

  /** From now on the cluster has no topic {@code topic}, as its metadata says after a deletion. */
  void deleteTopic(String topic) {
    deletedTopics.add(topic);
  }

  /** One partition of any topic but a deleted one (the worker asks only whether a topic is gone). */
  @Override
  public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
    calledBy();
    return deletedTopics.contains(topic) ? List.of() : List.of(new PartitionInfo(topic, 0, null, null, null));
  }

  /** The next {@code times} asynchronous commits fail with {@code refusal}, as the group coordinator's answer. */
  synchronized void refuseCommitsAsync(RuntimeException refusal, int times) {
    commitAsyncRefusal = refusal;
    commitAsyncRefusals = times;
  }

  @Override
  public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
    calledBy();
    if (commitAsyncRefusals > 0) {
      commitAsyncRefusals--;
      callback.onComplete(offsets, commitAsyncRefusal);
      return;
    }
    super.commitAsync(offsets, callback);
    offsets.forEach((partition, offset) -> committedOffsets.put(partition, offset.offset()));
  }

  /**
   * From now on each commitSync waits until {@code gate} opens, like one to a slow group
   * coordinator. Called from a rebalance listener inside poll, it holds this consumer meanwhile.
   */
  void holdCommitSync(CountDownLatch gate) {
    commitSyncGate = gate;
  }

  void awaitCommitSyncHeld() {
    Await.until("a commitSync is held", () -> commitSyncWaiting.getCount() == 0);
  }

  @Override
  public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    calledBy();
    CountDownLatch gate = commitSyncGate;
    if (gate.getCount() > 0) {
      commitSyncWaiting.countDown();
      try {
        gate.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    super.commitSync(offsets, timeout);
    offsets.forEach((partition, offset) -> committedOffsets.put(partition, offset.offset()));
    committedSync.addAll(offsets.keySet());
  }

  @Override
  public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    calledBy();
    super.subscribe(topics, listener);
  }

  @Override
  public synchronized void pause(Collection<TopicPartition> partitions) {
    calledBy();
    super.pause(partitions);
  }

  @Override
  public synchronized void resume(Collection<TopicPartition> partitions) {
    calledBy();
    super.resume(partitions);
  }

  /**
   * The paused partitions still assigned, as KafkaConsumer's (its SubscriptionState forgets a revoked
   * partition); MockConsumer keeps every partition it paused, revoked or not.
   */
  @Override
  public synchronized Set<TopicPartition> paused() {
    Set<TopicPartition> assigned = assignment();
    return super.paused().stream().filter(assigned::contains).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public synchronized void close(CloseOptions options) {
    calledBy();
    super.close(options);
  }

  private void calledBy() {
    workerThreads.add(Thread.currentThread().getName());
  }

  @Override
  public synchronized void addRecord(ConsumerRecord<String, byte[]> record) {
    super.addRecord(record);
    notifyAll();
  }
}
