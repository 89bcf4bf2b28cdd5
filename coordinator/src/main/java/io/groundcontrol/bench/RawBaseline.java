package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The raw limit to compare the coordinator with: a plain Kafka Streams application that, for every
 * record, reads one value from a persistent state store, writes it back changed, and forwards the
 * record. Same serdes (the Avro single-object serde, a stage report in and out and a three-stage
 * mission state in the store), same Kafka Streams settings (guarantee, commit interval, linger,
 * fetch wait), same partitions, on the same broker. Its input is produced before it starts, so
 * nothing waits on a producer or a worker: the rate is what one stream thread can do.
 */
final class RawBaseline {
  private static final String STORE = "state";
  private static final AvroSerde<StageReport> REPORTS = AvroSerde.of(StageReport.class);
  /** Distinct keys: as many missions as the store of the coordinator holds in the throughput scenarios. */
  private static final int KEYS = 10_000;

  private RawBaseline() {}

  static Measurement run(BenchSettings settings, KafkaConnection bootstrap, String name) throws InterruptedException {
    String in = name + ".raw-in";
    String out = name + ".raw-out";
    String appId = name + "-raw";
    Path stateDir = Scratch.directory("gc-bench-raw-");
    BenchTopics.create(bootstrap, settings.partitions(), in, out);
    produce(bootstrap, in, settings.rawRecords());
    Properties props = settings.coordinatorConfig(bootstrap, stateDir).withTopics(new TopicNames(name), appId)
        .streamsProperties();
    KafkaStreams streams = new KafkaStreams(topology(in, out), new StreamsConfig(props));
    StreamsProbe probe = new StreamsProbe(streams, appId);
    try {
      streams.start();
      long records = settings.rawRecords();
      StreamsProbe.Snapshot first = awaitProcessed(probe, records / 10);
      StreamsProbe.Snapshot last = awaitProcessed(probe, records * 9 / 10);
      double seconds = last.secondsSince(first);
      double processed = last.processed() - first.processed();
      return new Measurement(
          "raw-baseline",
          "Kafka Streams passthrough, 1 store read+write per record, " + records + " pre-produced records on "
              + KEYS + " keys",
          seconds,
          Double.NaN,
          processed / seconds,
          (last.appCpuNanos() - first.appCpuNanos()) / 1000.0 / processed,
          (last.streamThreadAllocated() - first.streamThreadAllocated()) / processed,
          (last.processCpuNanos() - first.processCpuNanos()) / 1e9 / seconds,
          StreamsProbe.otherCores(first, last),
          null,
          null,
          0,
          "");
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
      Scratch.delete(stateDir);
      BenchTopics.delete(bootstrap, List.of(in, out, appId + "-" + STORE + "-changelog"));
    }
  }

  private static StreamsProbe.Snapshot awaitProcessed(StreamsProbe probe, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      StreamsProbe.Snapshot snapshot = probe.snapshot();
      if (snapshot.processed() >= count) {
        return snapshot;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("The raw baseline did not process " + count + " records within 10 minutes");
  }

  private static Topology topology(String in, String out) {
    Topology topology = new Topology();
    topology.addSource("in", Serdes.String().deserializer(), REPORTS.deserializer(), in);
    topology.addProcessor("touch", Touch::new, "in");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), CoordinatorTopics.MISSION_STATE),
        "touch");
    topology.addSink("out", out, Serdes.String().serializer(), REPORTS.serializer(), "touch");
    return topology;
  }

  /** Reads the key's state, writes it back one step further, forwards the record. */
  private static final class Touch implements Processor<String, StageReport, String, StageReport> {
    private ProcessorContext<String, StageReport> context;
    private KeyValueStore<String, MissionState> store;

    @Override
    public void init(ProcessorContext<String, StageReport> context) {
      this.context = context;
      this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, StageReport> record) {
      Instant at = Instant.ofEpochMilli(record.timestamp());
      MissionState state = store.get(record.key());
      if (state == null) {
        state = initialState(record.key(), at);
      }
      state.setSequence(state.getSequence() + 1);
      state.setUpdatedAt(at);
      store.put(record.key(), state);
      context.forward(record);
    }
  }

  private static MissionState initialState(String missionId, Instant at) {
    List<StoredStage> stages = new ArrayList<>();
    for (String stage : List.of("s1", "s2", "s3")) {
      stages.add(StoredStage.newBuilder().setName(stage).setStatus(StageStatus.WAITING).setAttempt(0)
          .setUpdatedAt(at).build());
    }
    return MissionState.newBuilder()
        .setMissionId(missionId)
        .setPlanName("linear3")
        .setPlanVersion("0123456789ab")
        .setStatus(MissionStatus.RUNNING)
        .setSequence(0)
        .setStartedAt(at)
        .setUpdatedAt(at)
        .setStages(stages)
        .build();
  }

  private static void produce(KafkaConnection bootstrap, String topic, int records) {
    Actor worker = new Actor(ActorKind.WORKER, "bench-raw-worker", null);
    try (KafkaProducer<String, StageReport> producer = new KafkaProducer<>(
        bootstrap.clientConfig(Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 10,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)),
        new StringSerializer(), REPORTS.serializer())) {
      for (int i = 0; i < records; i++) {
        String key = "m-" + (i % KEYS);
        StageReport report = StageReport.newBuilder()
            .setMissionId(key)
            .setStage("s2")
            .setAttempt(1)
            .setWorker(worker)
            .setReportedAt(Instant.now())
            .setOutcome(ReportFinished.newBuilder().build())
            .build();
        producer.send(new ProducerRecord<>(topic, key, report));
      }
      producer.flush();
    }
  }
}
