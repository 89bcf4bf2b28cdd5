package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The floor a hand-off is compared with: one record at a time through a bare Kafka Streams
 * processor that forwards it and asks for a commit, so each round trip is a produce, a poll, one
 * transaction and a {@code read_committed} fetch, with nothing else to wait for. Same Kafka Streams
 * settings as the coordinator (guarantee, linger, poll, fetch wait), same partitions, same broker;
 * the pinger's producer and consumer have the worker SDK's settings ({@code acks=all}, idempotent,
 * {@code linger.ms=0}, {@code read_committed}, fetch defaults). Traced like a hand-off, so its
 * breakdown sits beside the coordinator's.
 */
final class PingPongFloor {
  private static final long MAX_MICROS = 60_000_000L;

  private PingPongFloor() {}

  /** Runs the ping-pong for the warm-up, then measures it for the window; returns the row and the breakdown. */
  static Result run(BenchSettings settings, KafkaConnection bootstrap, String name) throws InterruptedException {
    String ping = name + ".ping";
    String pong = name + ".pong";
    String appId = name + "-floor";
    Path stateDir = Scratch.directory("gc-bench-floor-");
    BenchTopics.create(bootstrap, settings.partitions(), ping, pong);
    Properties props = Installation.withTraceProbes(
        settings.coordinatorConfig(bootstrap, stateDir).withTopics(new TopicNames(name), appId)).streamsProperties();
    HandoffTrace trace = new HandoffTrace(ping, pong::equals).start();
    KafkaStreams streams = new KafkaStreams(topology(ping, pong), new StreamsConfig(props), new TracingClientSupplier());
    StreamsProbe probe = new StreamsProbe(streams, appId);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(bootstrap.clientConfig(Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 0,
            ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, TraceInterceptor.class.getName())),
            new StringSerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(bootstrap.clientConfig(Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, TraceInterceptor.class.getName())),
            new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < settings.partitions(); p++) {
        partitions.add(new TopicPartition(pong, p));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      streams.start();
      awaitRunning(streams);
      Pinger pinger = new Pinger(producer, consumer, ping, trace);
      pinger.until(System.nanoTime() + settings.warmup().toNanos());
      pinger.lost = 0;
      trace.reset();
      StreamsProbe.Snapshot first = probe.snapshot();
      Histogram roundTrips = pinger.until(System.nanoTime() + settings.measure().toNanos());
      StreamsProbe.Snapshot last = probe.snapshot();
      double seconds = last.secondsSince(first);
      double processed = last.processed() - first.processed();
      Measurement row = new Measurement(
          "floor",
          "bare Kafka Streams processor, forward and commit per record; 1 in flight, round trip produce -> read_committed poll",
          seconds,
          Double.NaN,
          processed / seconds,
          processed == 0 ? Double.NaN : (last.appCpuNanos() - first.appCpuNanos()) / 1000.0 / processed,
          processed == 0 ? Double.NaN : (last.streamThreadAllocated() - first.streamThreadAllocated()) / processed,
          (last.processCpuNanos() - first.processCpuNanos()) / 1e9 / seconds,
          StreamsProbe.otherCores(first, last),
          roundTrips,
          null,
          pinger.lost,
          "");
      return new Result(row, trace.breakdown("floor"));
    } finally {
      trace.stop();
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
      Scratch.delete(stateDir);
      BenchTopics.delete(bootstrap, List.of(ping, pong, appId + "-"));
    }
  }

  private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
        throw new IllegalStateException("The floor's Kafka Streams application did not reach RUNNING (" + streams.state() + ")");
      }
      Thread.sleep(20);
    }
  }

  /** @param row the round trip as a hand-off row of the table; @param breakdown where its time went */
  record Result(Measurement row, Breakdown breakdown) {}

  /** Sends a ping, waits for its pong, records the round trip, sends the next. */
  private static final class Pinger {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final HandoffTrace trace;
    private long sequence;
    /** Pings whose pong did not come within a second: the row's "failed" column. */
    private long lost;

    Pinger(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> consumer, String topic,
        HandoffTrace trace) {
      this.producer = producer;
      this.consumer = consumer;
      this.topic = topic;
      this.trace = trace;
    }

    Histogram until(long deadlineNanos) throws InterruptedException {
      Histogram roundTrips = new Histogram(MAX_MICROS, 3);
      while (System.nanoTime() < deadlineNanos) {
        String key = "ping-" + (++sequence);
        long sent = System.nanoTime();
        try {
          producer.send(new ProducerRecord<>(topic, key, new byte[8])).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          throw new IllegalStateException("The floor's ping could not be sent: " + e, e);
        }
        long answered = awaitPong(key, sent + TimeUnit.SECONDS.toNanos(1));
        if (answered < 0) {
          lost++;
        } else {
          roundTrips.recordValue(Math.min(MAX_MICROS, (answered - sent) / 1000));
        }
      }
      return roundTrips;
    }

    /** nanoTime when the pong for {@code key} was polled, or -1 if not by {@code deadlineNanos}. */
    private long awaitPong(String key, long deadlineNanos) {
      while (System.nanoTime() < deadlineNanos) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (record.key().equals(key)) {
            long now = System.nanoTime();
            trace.handled(key, now);
            return now;
          }
        }
      }
      return -1;
    }
  }

  private static Topology topology(String in, String out) {
    Topology topology = new Topology();
    topology.addSource("ping", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), in);
    topology.addProcessor("forward", Forward::new, "ping");
    topology.addSink("pong", out, Serdes.String().serializer(), Serdes.ByteArray().serializer(), "forward");
    return topology;
  }

  /** Forwards each record and asks for the commit at once: the least a transactional hop can cost. */
  private static final class Forward implements Processor<String, byte[], String, byte[]> {
    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
      context.forward(record);
      context.commit();
    }
  }
}
