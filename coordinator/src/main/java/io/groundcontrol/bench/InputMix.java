package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;

/**
 * What the coordinator's stream threads read over a window, by input topic and kind of record:
 * the committed end of every input partition is marked when the window starts and when it ends,
 * and the records in between are read afterwards (read_committed, as Kafka Streams reads them),
 * so counting costs the measured window nothing. Divided by the completions of the window it says
 * what a stage costs in input records, a figure that does not depend on the machine's load.
 */
final class InputMix implements AutoCloseable {
  private static final AvroCodec<StageReport> REPORTS = AvroCodec.of(StageReport.class);
  private static final AvroCodec<MissionCommand> COMMANDS = AvroCodec.of(MissionCommand.class);
  private static final Duration READ_LIMIT = Duration.ofSeconds(60);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Collection<TopicPartition> partitions;
  private final String reportsTopic;
  private final String commandsTopic;

  /**
   * @param topology the coordinator's topology: its sub-topologies' source topics are what is counted
   * @param reportsTopic the topic whose records are told apart by outcome
   * @param commandsTopic the topic whose records are told apart by command
   */
  InputMix(KafkaConnection kafka, Topology topology, String reportsTopic, String commandsTopic) {
    this.consumer = new KafkaConsumer<>(
        kafka.clientConfig(Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    this.partitions = partitions(CoordinatorTopology.inputTopics(topology));
    this.reportsTopic = reportsTopic;
    this.commandsTopic = commandsTopic;
  }

  /** The committed end of every input partition now. */
  Map<TopicPartition, Long> mark() {
    return consumer.endOffsets(partitions);
  }

  /** Records between two marks by {@code topic} or {@code topic kind}, in topic order. */
  Map<String, Long> count(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
    Map<String, Long> counts = new TreeMap<>();
    List<TopicPartition> ranges = to.keySet().stream()
        .filter(partition -> to.get(partition) > from.getOrDefault(partition, 0L))
        .toList();
    consumer.assign(ranges);
    ranges.forEach(partition -> consumer.seek(partition, from.getOrDefault(partition, 0L)));
    long deadline = System.nanoTime() + READ_LIMIT.toNanos();
    while (ranges.stream().anyMatch(partition -> consumer.position(partition) < to.get(partition))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Could not read the window's input records within " + READ_LIMIT);
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
          counts.merge(kind(record), 1L, Long::sum);
        }
      }
    }
    return counts;
  }

  /** E.g. {@code stage-reports 1.00 (ReportFinished 1.00), mission-commands 0.33 (StartMission 0.33)}. */
  static String perCompletion(Map<String, Long> counts, long completions, String topicPrefix) {
    if (completions == 0) {
      return "no completions";
    }
    Map<String, Map<String, Long>> byTopic = new TreeMap<>();
    counts.forEach((key, n) -> {
      String[] parts = key.split(" ", 2);
      byTopic.computeIfAbsent(parts[0], t -> new TreeMap<>()).put(parts.length > 1 ? parts[1] : "", n);
    });
    double all = counts.values().stream().mapToLong(Long::longValue).sum() / (double) completions;
    String detail = byTopic.entrySet().stream().map(topic -> {
      long total = topic.getValue().values().stream().mapToLong(Long::longValue).sum();
      String kinds = topic.getValue().entrySet().stream()
          .filter(kind -> !kind.getKey().isEmpty())
          .map(kind -> String.format(Locale.ROOT, "%s %.2f", kind.getKey(), kind.getValue() / (double) completions))
          .collect(Collectors.joining(", "));
      String name = topic.getKey().startsWith(topicPrefix + ".") ? topic.getKey().substring(topicPrefix.length() + 1) : topic.getKey();
      return String.format(Locale.ROOT, "%s %.2f%s", name, total / (double) completions, kinds.isEmpty() ? "" : " (" + kinds + ")");
    }).collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "input records per completion %.2f: %s", all, detail.isEmpty() ? "none" : detail);
  }

  private String kind(ConsumerRecord<byte[], byte[]> record) {
    String topic = record.topic();
    if (record.value() == null) {
      return topic + (record.headers().lastHeader("groundcontrol.barrier") != null ? " barrier" : " tombstone");
    }
    String rerouted = record.headers().lastHeader("groundcontrol.rerouted-from") != null ? "rerouted " : "";
    try {
      if (topic.equals(reportsTopic)) {
        return topic + " " + rerouted + REPORTS.decode(record.value()).getOutcome().getClass().getSimpleName();
      }
      if (topic.equals(commandsTopic)) {
        return topic + " " + rerouted + COMMANDS.decode(record.value()).getCommand().getClass().getSimpleName();
      }
    } catch (RuntimeException e) {
      return topic + " undecodable";
    }
    return topic;
  }

  private Collection<TopicPartition> partitions(Set<String> topics) {
    Map<String, List<PartitionInfo>> all = new HashMap<>(consumer.listTopics(Duration.ofSeconds(30)));
    return topics.stream()
        .filter(all::containsKey)
        .flatMap(topic -> all.get(topic).stream())
        .map(info -> new TopicPartition(info.topic(), info.partition()))
        .toList();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
