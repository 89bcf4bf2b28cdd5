package io.groundcontrol.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.worker.api.NonRetryableStageException;
import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomised (fixed-seed) sequences of instruction records and rebalances against the worker's poll
 * loop, the twin of worker-sdk-python/tests/test_fuzz_instructions.py. Each seed writes RUNs with
 * params of every JSON type, duplicates and redeliveries, CANCELs before, during and after their RUN
 * and for attempts never sent, newer attempts while an older one runs, malformed bytes, a wrong
 * fingerprint, null values and keys, on two partitions, interleaved with partitions revoked, lost
 * and assigned again (the CANCELs of attempts still running from a partition that moved away read by
 * the worker's cancel reader). Handlers (chosen by a param) return, throw, hang until cancelled, return a
 * non-JSON or too large output, or run long enough to report progress. Invariants (README "Writing
 * a worker in Java" and "What a worker does"):
 *
 * <ol>
 *   <li>the poll loop never dies on a record: the worker stays open until closed;
 *   <li>a commit never passes a valid RUN whose attempt has no acknowledged final report, but while
 *       its partition is revoked, one whose started report or a heartbeat was acknowledged;
 *   <li>every attempt whose RUN was read gets exactly one final report, after at most one started
 *       report and only heartbeats, and nothing after it;
 *   <li>a final report says "cancelled" only for an attempt a CANCEL named, and a hanging attempt
 *       whose CANCEL the worker read before the hanging handlers were released is reported
 *       cancelled (the release waits, up to 10 s, until each such attempt has ended), and one running
 *       when its partition was revoked or lost, with a CANCEL after its RUN, is cancelled while the
 *       partition stays away (the cancel reader reads it);
 *   <li>otherwise the final report is what the handler's behaviour makes it;
 *   <li>once everything is answered, every partition is committed to its end.
 * </ol>
 *
 * A failure names the seed and the steps. Seeds 1-10 by default (a few seconds); {@code -Dfuzz.seeds=a-b}
 * runs others (1-400 pass).
 */
class InstructionFuzzTest {
  private static final AvroCodec<StageInstruction> CODEC = AvroCodec.of(StageInstruction.class);
  private static final String COMPONENT = "ml";
  private static final TopicNames TOPICS = TopicNames.DEFAULT;
  private static final String TOPIC = TOPICS.instructions(COMPONENT);
  private static final int PARTITIONS = 2;
  private static final int MAX_BYTES = 200_000;
  private static final String TOO_LARGE = "The report of this attempt is too large for Kafka; reduce its outputs";

  static IntStream seeds() {
    String[] range = System.getProperty("fuzz.seeds", "1-10").split("-");
    int low = Integer.parseInt(range[0]);
    int high = range.length > 1 ? Integer.parseInt(range[1]) : low;
    return IntStream.rangeClosed(low, high);
  }

  // ---- the clients

  /** Two partitions of one topic kept as logs; rebalances run inside poll, as the real consumer's do. */
  static final class FuzzConsumer extends MockConsumer<String, byte[]> {
    final Map<Integer, List<ConsumerRecord<String, byte[]>>> log = new HashMap<>();
    final Map<Integer, Long> committed = new HashMap<>();
    final Map<Integer, Long> position = new HashMap<>();
    final Map<String, Long> delivered = new HashMap<>(); // "p/offset" -> first delivery, nanoTime
    /** "p/offset" -> the cancel reader's first read of it: when, and the attempts hanging then. */
    final Map<String, ReaderRead> readByReader = new HashMap<>();
    final Set<Integer> assigned = new TreeSet<>();
    final Set<Integer> pausedSet = new HashSet<>();
    final List<Object[]> events = new ArrayList<>();
    final List<String> problems;
    ConsumerRebalanceListener listener;
    java.util.function.BiConsumer<Integer, Long> checks = (p, o) -> { };
    /** The partitions being revoked, while the listener runs. */
    volatile Set<Integer> revoking = Set.of();
    /** The keys of the attempts whose handler runs now. */
    java.util.function.Supplier<Set<String>> runningNow = Set::of;
    /** Each partition revoked or lost and not assigned since, with the attempts running when it went. */
    final Map<Integer, Set<String>> away = new HashMap<>();
    private int next;

    FuzzConsumer(List<String> problems) {
      super("earliest");
      this.problems = problems;
      for (int p = 0; p < PARTITIONS; p++) {
        log.put(p, new ArrayList<>());
        committed.put(p, 0L);
      }
    }

    synchronized long append(int partition, String key, byte[] value) {
      List<ConsumerRecord<String, byte[]>> records = log.get(partition);
      long offset = records.size();
      records.add(new ConsumerRecord<>(TOPIC, partition, offset, key, value));
      return offset;
    }

    synchronized void schedule(String kind, Collection<Integer> partitions) {
      events.add(new Object[] {kind, new TreeSet<>(partitions)});
    }

    private static List<TopicPartition> tps(Collection<Integer> partitions) {
      return partitions.stream().sorted().map(p -> new TopicPartition(TOPIC, p)).collect(Collectors.toList());
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
      this.listener = listener;
    }

    @SuppressWarnings("unchecked")
    private void runEvents() {
      while (true) {
        String kind;
        Set<Integer> partitions;
        synchronized (this) {
          if (events.isEmpty()) {
            return;
          }
          Object[] event = events.remove(0);
          kind = (String) event[0];
          partitions = (Set<Integer>) event[1];
        }
        Set<Integer> affected = new TreeSet<>(partitions);
        switch (kind) {
          case "assign" -> {
            synchronized (this) {
              partitions.forEach(away::remove);
              affected.removeAll(assigned);
              for (int p : affected) {
                assigned.add(p);
                position.put(p, committed.get(p));
                pausedSet.remove(p);
              }
            }
            if (!affected.isEmpty()) {
              listener.onPartitionsAssigned(tps(affected));
            }
          }
          case "revoke" -> {
            synchronized (this) {
              affected.retainAll(assigned);
              affected.forEach(p -> away.put(p, runningNow.get()));
            }
            if (!affected.isEmpty()) {
              revoking = affected;
              try {
                listener.onPartitionsRevoked(tps(affected)); // still the owner: may commit
              } finally {
                revoking = Set.of();
              }
            }
            synchronized (this) {
              assigned.removeAll(affected);
            }
          }
          case "lost" -> {
            synchronized (this) {
              affected.retainAll(assigned);
              affected.forEach(p -> away.put(p, runningNow.get()));
              assigned.removeAll(affected); // no longer the owner: a commit is refused
            }
            if (!affected.isEmpty()) {
              listener.onPartitionsLost(tps(affected));
            }
          }
          default -> throw new AssertionError(kind);
        }
      }
    }

    @Override
    public ConsumerRecords<String, byte[]> poll(Duration timeout) {
      runEvents();
      synchronized (this) {
        List<Integer> order = new ArrayList<>(assigned);
        for (int i = 0; i < order.size(); i++) {
          int p = order.get((next + i) % order.size());
          long at = position.get(p);
          if (pausedSet.contains(p) || at >= log.get(p).size()) {
            continue;
          }
          next++;
          position.put(p, at + 1);
          delivered.putIfAbsent(p + "/" + at, System.nanoTime());
          ConsumerRecord<String, byte[]> record = log.get(p).get((int) at);
          return new ConsumerRecords<>(Map.of(new TopicPartition(TOPIC, p), List.of(record)),
              Map.of(new TopicPartition(TOPIC, p), new OffsetAndMetadata(at + 1)));
        }
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ConsumerRecords.empty();
    }

    private synchronized void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
      for (TopicPartition tp : offsets.keySet()) {
        if (!assigned.contains(tp.partition())) {
          throw new CommitFailedException("not the owner of " + tp + " (lost)");
        }
      }
      offsets.forEach((tp, offset) -> {
        checks.accept(tp.partition(), offset.offset());
        committed.put(tp.partition(), offset.offset());
      });
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      commit(offsets);
    }

    @Override
    public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
      Exception failure = null;
      try {
        commit(offsets);
      } catch (CommitFailedException e) {
        failure = e;
      }
      if (callback != null) {
        callback.onComplete(offsets, failure);
      }
    }

    @Override
    public synchronized Set<TopicPartition> assignment() {
      return new HashSet<>(tps(assigned));
    }

    @Override
    public synchronized long position(TopicPartition partition, Duration timeout) {
      return position.get(partition.partition());
    }

    @Override
    public synchronized Set<TopicPartition> paused() {
      return new HashSet<>(tps(pausedSet));
    }

    @Override
    public synchronized void pause(Collection<TopicPartition> partitions) {
      partitions.forEach(tp -> pausedSet.add(tp.partition()));
    }

    @Override
    public synchronized void resume(Collection<TopicPartition> partitions) {
      partitions.forEach(tp -> pausedSet.remove(tp.partition()));
    }

    @Override
    public void close(CloseOptions options) {}
  }

  /**
   * The worker's cancel reader, of no group: reads the logs of a {@link FuzzConsumer} from where the
   * worker seeks, one record a poll, and notes each first read with the attempts hanging then.
   */
  static final class FuzzCancelReader extends MockConsumer<String, byte[]> {
    private final FuzzConsumer logs;
    private final Map<Integer, Long> at = new TreeMap<>();

    FuzzCancelReader(FuzzConsumer logs) {
      super("earliest");
      this.logs = logs;
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
      synchronized (logs) {
        Set<Integer> kept = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        at.keySet().retainAll(kept);
        kept.forEach(p -> at.putIfAbsent(p, -1L));
      }
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
      synchronized (logs) {
        if (!at.containsKey(partition.partition())) {
          throw new IllegalStateException("seek on " + partition + ", which is not assigned");
        }
        at.put(partition.partition(), offset);
      }
    }

    @Override
    public Set<TopicPartition> assignment() {
      synchronized (logs) {
        return new HashSet<>(FuzzConsumer.tps(at.keySet()));
      }
    }

    @Override
    public ConsumerRecords<String, byte[]> poll(Duration timeout) {
      synchronized (logs) {
        for (Map.Entry<Integer, Long> entry : at.entrySet()) {
          int p = entry.getKey();
          long offset = entry.getValue();
          if (offset < 0) {
            throw new IllegalStateException("partition " + p + " is read with no position");
          }
          if (offset < logs.log.get(p).size()) {
            entry.setValue(offset + 1);
            logs.readByReader.putIfAbsent(p + "/" + offset, new ReaderRead(System.nanoTime(), logs.runningNow.get()));
            TopicPartition tp = new TopicPartition(TOPIC, p);
            return new ConsumerRecords<>(Map.of(tp, List.of(logs.log.get(p).get((int) offset))),
                Map.of(tp, new OffsetAndMetadata(offset + 1)));
          }
        }
      }
      return ConsumerRecords.empty();
    }

    @Override
    public void close(CloseOptions options) {}
  }

  /** Acknowledges at once; the first delivery of some final reports times out; one too large is refused. */
  static final class FuzzProducer extends MockProducer<String, StageReport> {
    final List<StageReport> produced = new ArrayList<>();
    final Set<String> sentFinals = ConcurrentHashMap.newKeySet(); // acknowledged or not
    final Set<String> ackedFinals = ConcurrentHashMap.newKeySet();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final java.util.function.Predicate<String> failFirst;

    FuzzProducer(java.util.function.Predicate<String> failFirst) {
      super(true, null, new StringSerializer(), AvroSerde.of(StageReport.class).serializer());
      this.failFirst = failFirst;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, StageReport> record, Callback callback) {
      StageReport report = record.value();
      String key = key(report);
      boolean isFinal = report.getOutcome() instanceof ReportFinished || report.getOutcome() instanceof ReportFailed;
      byte[] bytes = AvroCodec.of(StageReport.class).encode(report);
      if (isFinal) {
        sentFinals.add(key);
      }
      Exception error = null;
      if (bytes.length > MAX_BYTES) {
        error = new RecordTooLargeException("The message is " + bytes.length + " bytes");
      } else if (isFinal && failFirst.test(report.getMissionId()) && failedOnce.add(key)) {
        error = new TimeoutException("Expiring 1 record(s): delivery timed out");
      }
      if (error != null) {
        callback.onCompletion(null, error);
        return CompletableFuture.failedFuture(error);
      }
      synchronized (this) {
        produced.add(report);
      }
      if (isFinal) {
        ackedFinals.add(key);
      }
      return super.send(record, callback);
    }

    /** Whether a started report or a heartbeat of attempt {@code key} was acknowledged. */
    synchronized boolean startedOnRecord(String key) {
      return produced.stream().anyMatch(report -> key(report).equals(key)
          && (report.getOutcome() instanceof ReportStarted || report.getOutcome() instanceof ReportHeartbeat));
    }

    synchronized List<StageReport> producedCopy() {
      return new ArrayList<>(produced);
    }
  }

  static String key(StageReport report) {
    return report.getMissionId() + "|" + report.getStage() + "|" + report.getAttempt();
  }

  static String key(StageInstruction instruction) {
    return instruction.getMissionId() + "|" + instruction.getStage() + "|" + instruction.getAttempt();
  }

  // ---- the handler, whose behaviour is the param "do"

  static final class Handler implements io.groundcontrol.worker.api.StageHandler {
    final CountDownLatch release = new CountDownLatch(1);
    /** Keys of hanging attempts whose handler is waiting for the release. */
    final Set<String> hanging = ConcurrentHashMap.newKeySet();
    /** Keys of hanging attempts whose handler was interrupted: it saw its cancel. */
    final Set<String> sawCancel = ConcurrentHashMap.newKeySet();

    @Override
    public StageResult handle(StageContext context) throws Exception {
      String x = context.param("x").orElse("null");
      switch (context.requireStringParam("do")) {
        case "ok":
          return StageResult.finished().output("echo", x).output("n", Integer.toString(context.attempt()));
        case "raise":
          throw new IllegalStateException("boom \u00e9\u4e2d\uD83D\uDE00");
        case "nonretry":
          throw new NonRetryableStageException("bad input");
        case "hang":
          return hang(context.missionId() + "|" + context.stage() + "|" + context.attempt());
        case "progress":
          Thread.sleep(60);
          return StageResult.finished().output("slow", "true");
        case "badout":
          return StageResult.finished().output("x", "not json");
        case "notdict":
          return null;
        case "huge":
          return StageResult.finished().stringOutput("blob", "x".repeat(MAX_BYTES * 2));
        case "none":
          return StageResult.finished();
        default:
          throw new AssertionError("unknown behaviour");
      }
    }

    /** Waits for the release; an interrupt (a CANCEL) ends it first. */
    private StageResult hang(String key) throws InterruptedException {
      hanging.add(key);
      try {
        release.await();
      } catch (InterruptedException e) {
        sawCancel.add(key);
        throw e;
      } finally {
        hanging.remove(key);
      }
      return StageResult.finished().output("released", "true");
    }
  }

  /** [kind, retryable or outputs, message]; null for "hang". */
  static Object[] expected(String behaviour, String x, int attempt) {
    String echo = x == null ? "null" : x;
    return switch (behaviour) {
      case "ok" -> new Object[] {"finished", Map.of("echo", echo, "n", Integer.toString(attempt))};
      case "raise" -> new Object[] {"failed", true, null};
      case "nonretry", "badout", "notdict" -> new Object[] {"failed", false, null};
      case "huge" -> new Object[] {"failed", false, TOO_LARGE};
      case "progress" -> new Object[] {"finished", Map.of("slow", "true")};
      case "none" -> new Object[] {"finished", Map.of()};
      default -> null;
    };
  }

  // ---- random values

  static final String[] ALPHABET = {"a", "Z", " ", "\"", "\\", "\n", "\t", "\u0000", "\u00e9", "\u4e2d",
      "\uD83D\uDE00", "\u202e", "${params.x}", "/", "\u2028"};

  static String randomText(Random rng) {
    StringBuilder out = new StringBuilder();
    int n = rng.nextInt(12);
    for (int i = 0; i < n; i++) {
      out.append(ALPHABET[rng.nextInt(ALPHABET.length)]);
    }
    return out.toString();
  }

  static String randomJson(Random rng, int depth) {
    int choice = rng.nextInt(depth < 3 ? 9 : 6);
    switch (choice) {
      case 0: return "null";
      case 1: return rng.nextBoolean() ? "true" : "false";
      case 2: return new String[] {"0", "-1", "9007199254740993", "-9223372036854775808", "1000000000000000000000000000000",
          Integer.toString(rng.nextInt(2000) - 1000)}[rng.nextInt(6)];
      case 3: return new String[] {"0.5", "-1.25e-7", "1e300", "3.141592653589793"}[rng.nextInt(4)];
      case 4: case 5: return JsonStrings.quote(randomText(rng));
      case 6: {
        int n = rng.nextInt(4);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(randomJson(rng, depth + 1));
        }
        return "[" + String.join(",", items) + "]";
      }
      case 7: {
        int n = rng.nextInt(4);
        Map<String, String> items = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          items.put(JsonStrings.quote(randomText(rng)), randomJson(rng, depth + 1));
        }
        return "{" + items.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
            .collect(Collectors.joining(",")) + "}";
      }
      default: return JsonStrings.quote("y".repeat(rng.nextBoolean() ? 1000 : 50_000));
    }
  }

  static int partitionOf(String missionId) {
    int sum = 0;
    for (byte b : missionId.getBytes(StandardCharsets.UTF_8)) {
      sum += b & 0xff;
    }
    return sum % PARTITIONS;
  }

  record Run(String behaviour, String x, int partition, long offset, Map<String, String> params) {}

  // ---- one seed

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void instructionSequencesKeepTheWorkersContract(int seed) throws Exception {
    Random rng = new Random(seed);
    List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> steps = new ArrayList<>();
    FuzzConsumer consumer = new FuzzConsumer(problems);
    FuzzProducer producer = new FuzzProducer(mission -> partitionOf(mission) == 0 && mission.length() % 3 == 0);
    Handler handler = new Handler();
    Map<String, Run> runs = new LinkedHashMap<>();
    Map<String, List<long[]>> cancels = new HashMap<>();
    List<String> keys = new ArrayList<>();
    Map<String, Instant> dispatch = new HashMap<>();

    Set<String> handedOver = new HashSet<>(); // "p/offset" of RUNs committed while revoked and started
    consumer.checks = (partition, offset) -> {
      List<ConsumerRecord<String, byte[]>> records = consumer.log.get(partition);
      for (int at = 0; at < offset; at++) {
        byte[] value = records.get(at).value();
        StageInstruction instruction;
        try {
          instruction = value == null ? null : CODEC.decode(value);
        } catch (RuntimeException e) {
          continue;
        }
        if (instruction != null && instruction.getKind() == InstructionKind.RUN
            && consumer.revoking.contains(partition) && producer.startedOnRecord(key(instruction))) {
          handedOver.add(partition + "/" + at);
        }
        if (instruction != null && instruction.getKind() == InstructionKind.RUN
            && !producer.ackedFinals.contains(key(instruction)) && !handedOver.contains(partition + "/" + at)) {
          problems.add("committed " + offset + " on partition " + partition + " past the RUN of "
              + key(instruction) + " at offset " + at + " with no acknowledged final report");
        }
      }
    };

    int parallelism = new int[] {1, 2, 3}[rng.nextInt(3)];
    int readAhead = new int[] {1, 2, 1000}[rng.nextInt(3)];
    consumer.runningNow = () -> Set.copyOf(handler.hanging);
    consumer.schedule("assign", List.of(0, 1));
    WorkerBuilderImpl builder = new WorkerBuilderImpl(new KafkaClients.Factory() {
      @Override
      public Consumer<String, byte[]> consumer(Map<String, Object> properties) {
        return properties.containsKey("group.id") ? consumer : new FuzzCancelReader(consumer);
      }

      @Override
      public Producer<String, StageReport> producer(Map<String, Object> properties) {
        return producer;
      }
    });
    builder.component(COMPONENT).bootstrapServers("localhost:9092");
    builder.handler(handler).workerId("w-1").topicNames(TOPICS);
    builder.parallelism(parallelism).heartbeatInterval(Duration.ofMillis(20)).closeTimeout(Duration.ofSeconds(2));
    builder.tuning(new WorkerConfig.Tuning(Duration.ofMillis(10), readAhead, 10_000, Duration.ofMillis(50)));
    Worker worker = builder.open();

    java.util.function.BiFunction<Object[], Map<String, String>, byte[]> instruction = (spec, params) -> {
      String k = (String) spec[1];
      String[] parts = k.split("\\|", -1);
      Instant at = (InstructionKind) spec[0] == InstructionKind.CANCEL ? Instant.ofEpochMilli(5)
          : dispatch.computeIfAbsent(k, x -> Instant.ofEpochMilli(1_700_000_000_000L + dispatch.size()));
      return CODEC.encode(StageInstruction.newBuilder().setKind((InstructionKind) spec[0]).setMissionId(parts[0])
          .setPlanName("p").setStage(parts[1]).setComponent(COMPONENT).setAttempt(Integer.parseInt(parts[2]))
          .setDispatchedAt(at).setTimeoutMs(null).setParams(params == null ? Map.of() : params).build());
    };
    String[] actions = {"run", "dup", "cancel", "cancel_unknown", "cancel_first", "newer", "junk", "rebalance"};
    int[] weights = {30, 8, 10, 4, 3, 6, 8, 6};
    String[] behaviours = {"ok", "ok", "raise", "nonretry", "hang", "progress", "badout", "notdict", "huge", "none"};
    long releasedAt = Long.MAX_VALUE;
    try {
      for (int step = 0; step < 60; step++) {
        int pick = rng.nextInt(Arrays.stream(weights).sum());
        String action = actions[0];
        for (int i = 0; i < weights.length; i++) {
          if (pick < weights[i]) {
            action = actions[i];
            break;
          }
          pick -= weights[i];
        }
        steps.add(action);
        if (action.equals("run") || (List.of("dup", "cancel", "newer").contains(action) && keys.isEmpty())) {
          String text = randomText(rng).replace("|", "");
          String mission = "m-" + step + "-" + text.substring(0, text.offsetByCodePoints(0, Math.min(3, text.codePointCount(0, text.length()))));
          String k = mission + "|" + new String[] {"train", "score[3]", "e\u00e9"}[rng.nextInt(3)] + "|1";
          String behaviour = behaviours[rng.nextInt(behaviours.length)];
          Map<String, String> params = new HashMap<>();
          params.put("do", JsonStrings.quote(behaviour));
          String x = null;
          if (rng.nextDouble() < 0.8) {
            x = randomJson(rng, 0);
            params.put("x", x);
          }
          int p = partitionOf(mission);
          long offset = consumer.append(p, mission, instruction.apply(new Object[] {InstructionKind.RUN, k}, params));
          runs.put(k, new Run(behaviour, x, p, offset, params));
          keys.add(k);
        } else if (action.equals("dup")) {
          String k = keys.get(rng.nextInt(keys.size()));
          Run run = runs.get(k);
          consumer.append(run.partition(), k.split("\\|")[0], instruction.apply(new Object[] {InstructionKind.RUN, k}, run.params()));
        } else if (action.equals("cancel")) {
          String k = keys.get(rng.nextInt(keys.size()));
          int p = partitionOf(k.split("\\|")[0]);
          long offset = consumer.append(p, k.split("\\|")[0], instruction.apply(new Object[] {InstructionKind.CANCEL, k}, null));
          cancels.computeIfAbsent(k, x -> new ArrayList<>()).add(new long[] {p, offset});
        } else if (action.equals("cancel_unknown")) {
          String k = "ghost-" + step + "|train|" + (1 + rng.nextInt(3));
          int p = partitionOf("ghost-" + step);
          consumer.append(p, "ghost-" + step, instruction.apply(new Object[] {InstructionKind.CANCEL, k}, null));
        } else if (action.equals("cancel_first")) {
          String mission = "early-" + step;
          String k = mission + "|train|1";
          int p = partitionOf(mission);
          consumer.append(p, mission, instruction.apply(new Object[] {InstructionKind.CANCEL, k}, null));
          Map<String, String> params = Map.of("do", "\"ok\"", "x", "1");
          long offset = consumer.append(p, mission, instruction.apply(new Object[] {InstructionKind.RUN, k}, params));
          runs.put(k, new Run("ok", "1", p, offset, params));
          keys.add(k);
        } else if (action.equals("newer")) {
          String old = keys.get(rng.nextInt(keys.size()));
          String[] parts = old.split("\\|");
          String k = parts[0] + "|" + parts[1] + "|" + (Integer.parseInt(parts[2]) + 1);
          if (runs.containsKey(k)) {
            continue;
          }
          String behaviour = new String[] {"ok", "raise", "hang"}[rng.nextInt(3)];
          Map<String, String> params = Map.of("do", JsonStrings.quote(behaviour), "x", "true");
          int p = partitionOf(parts[0]);
          long offset = consumer.append(p, parts[0], instruction.apply(new Object[] {InstructionKind.RUN, k}, params));
          runs.put(k, new Run(behaviour, "true", p, offset, params));
          keys.add(k);
        } else if (action.equals("junk")) {
          int p = rng.nextInt(PARTITIONS);
          byte[] good = instruction.apply(new Object[] {InstructionKind.RUN, "junk|train|1"}, Map.of("do", "\"ok\""));
          byte[] random = new byte[1 + rng.nextInt(40)];
          rng.nextBytes(random);
          byte[] wrongPrint = good.clone();
          Arrays.fill(wrongPrint, 2, 10, (byte) 0);
          byte[] garbage = Arrays.copyOf(good, 30);
          Arrays.fill(garbage, 10, 30, (byte) 0xff);
          byte[][] values = {null, new byte[0], random, wrongPrint,
              Arrays.copyOf(good, 10 + rng.nextInt(good.length - 10)), garbage};
          String[] keysOfJunk = {null, "junk", "\uFFFD"};
          consumer.append(p, keysOfJunk[rng.nextInt(3)], values[rng.nextInt(values.length)]);
        } else {
          String kind = new String[] {"revoke", "lost", "eager"}[rng.nextInt(3)];
          List<Integer> partitions = new ArrayList<>(List.of(0, 1));
          java.util.Collections.shuffle(partitions, rng);
          partitions = partitions.subList(0, 1 + rng.nextInt(PARTITIONS));
          if (kind.equals("eager")) {
            consumer.schedule("revoke", List.of(0, 1));
            consumer.schedule("assign", List.of(0, 1));
          } else {
            consumer.schedule(kind, partitions);
            if (rng.nextDouble() < 0.7) {
              consumer.schedule("assign", partitions);
            }
          }
        }
        if (rng.nextDouble() < 0.3) {
          Thread.sleep(rng.nextInt(10));
        }
      }
      // A moved attempt's CANCEL reaches it while its partition is away: the cancel reader reads it.
      List<String> movedNotCancelled = new ArrayList<>();
      boolean movedCancelled = eventually(Duration.ofSeconds(10), () -> {
        synchronized (consumer) {
          movedNotCancelled.clear();
          consumer.away.forEach((p, running) -> running.stream()
              .filter(k -> runs.containsKey(k) && runs.get(k).partition() == p)
              .filter(k -> !cancelsAfter(k, runs.get(k), cancels).isEmpty())
              .filter(k -> !handler.sawCancel.contains(k) && !producer.sentFinals.contains(k))
              .forEach(movedNotCancelled::add));
          return movedNotCancelled.isEmpty();
        }
      });
      if (!movedCancelled) {
        problems.add("hanging attempts whose partition moved away while they ran were not cancelled by their "
            + "CANCEL 10 s later: " + movedNotCancelled);
      }
      consumer.schedule("assign", List.of(0, 1));
      // The hanging handlers are released once the worker can read no further without that, and
      // every hanging attempt whose CANCEL it was given has ended; checked under the consumer's lock,
      // so a CANCEL delivered before releasedAt is one the worker acted on before the release.
      long[] readyAt = {System.nanoTime()};
      List<String> notEnded = new ArrayList<>();
      boolean ready = eventually(Duration.ofSeconds(10), () -> {
        synchronized (consumer) {
          readyAt[0] = System.nanoTime();
          notEnded.clear();
          runs.forEach((k, run) -> {
            if (run.behaviour().equals("hang")) {
              cancelsAfter(k, run, cancels).stream()
                  .filter(o -> cancelReadAt(consumer, k, run.partition(), o) < Long.MAX_VALUE).findFirst()
                  .filter(o -> !handler.sawCancel.contains(k) && !producer.sentFinals.contains(k))
                  .ifPresent(o -> notEnded.add(k + " (its CANCEL at partition " + run.partition() + " offset " + o
                      + " was read; handler " + (handler.hanging.contains(k) ? "still hanging" : "not running") + ")"));
            }
          });
          return notEnded.isEmpty() && readAsFarAsItCan(consumer, handler, parallelism);
        }
      });
      if (!notEnded.isEmpty()) {
        problems.add("hanging attempts whose CANCEL the worker read had not ended 10 s later: " + notEnded);
      } else if (!ready) {
        synchronized (consumer) {
          problems.add("the worker neither read every partition to its end nor had every handler hanging 10 s "
              + "after the last step: positions " + consumer.position + ", ends " + IntStream.range(0, PARTITIONS)
              .mapToObj(p -> consumer.log.get(p).size()).toList() + ", paused " + consumer.pausedSet
              + ", hanging " + handler.hanging.size() + " of " + parallelism + " handlers");
        }
      }
      releasedAt = readyAt[0];
      handler.release.countDown();
      eventually(Duration.ofSeconds(20), () -> {
        synchronized (consumer) {
          return !worker.isOpen() || (consumer.assigned.size() == PARTITIONS && IntStream.range(0, PARTITIONS)
              .allMatch(p -> consumer.committed.get(p) == consumer.log.get(p).size()));
        }
      });
      synchronized (consumer) {
        for (int p = 0; p < PARTITIONS; p++) {
          if (consumer.committed.get(p) != consumer.log.get(p).size()) {
            problems.add("partition " + p + " committed at " + consumer.committed.get(p) + ", not at its end "
                + consumer.log.get(p).size() + ", once everything was answered");
          }
        }
      }
      if (!worker.isOpen()) {
        problems.add("the worker closed before it was closed");
      }
    } finally {
      handler.release.countDown();
      worker.close();
    }

    Map<String, List<StageReport>> byKey = new LinkedHashMap<>();
    for (StageReport report : producer.producedCopy()) {
      byKey.computeIfAbsent(key(report), k -> new ArrayList<>()).add(report);
    }
    for (Map.Entry<String, Run> entry : runs.entrySet()) {
      String k = entry.getKey();
      Run run = entry.getValue();
      List<StageReport> reports = byKey.getOrDefault(k, List.of());
      byKey.remove(k);
      List<String> kinds = reports.stream().map(WorkerFixture::kind).collect(Collectors.toList());
      List<StageReport> finals = reports.stream().filter(r -> !(r.getOutcome() instanceof ReportStarted)
          && (r.getOutcome() instanceof ReportFinished || r.getOutcome() instanceof ReportFailed)).toList();
      String where = k + " (behaviour " + run.behaviour() + ", x=" + abbreviate(run.x()) + ", partition "
          + run.partition() + " offset " + run.offset() + ")";
      if (finals.size() != 1) {
        problems.add(where + ": expected exactly one final report, got " + kinds);
        continue;
      }
      String last = kinds.get(kinds.size() - 1);
      if (!last.equals("finished") && !last.equals("failed")) {
        problems.add(where + ": a report after the final one: " + kinds);
      }
      long started = kinds.stream().filter("started"::equals).count();
      if (started > 1 || (started == 1 && !kinds.get(0).equals("started"))) {
        problems.add(where + ": started reports out of place: " + kinds);
      }
      StageReport fin = finals.get(0);
      boolean finished = fin.getOutcome() instanceof ReportFinished;
      boolean cancelled = !finished && "cancelled".equals(WorkerFixture.error(fin).getMessage());
      List<Long> cancelAfter = cancelsAfter(k, run, cancels);
      long released = releasedAt;
      boolean cancelRead;
      synchronized (consumer) {
        cancelRead = cancelAfter.stream().anyMatch(o ->
            cancelReadAt(consumer, k, run.partition(), o) < released);
      }
      if (cancelled) {
        if (cancelAfter.isEmpty()) {
          problems.add(where + ": reported cancelled, but no CANCEL named it after its RUN");
        } else if (WorkerFixture.error(fin).getRetryable()) {
          problems.add(where + ": cancelled but retryable");
        }
        continue;
      }
      Object[] want = expected(run.behaviour(), run.x(), Integer.parseInt(k.split("\\|")[2]));
      if (want == null) {
        if (cancelRead) {
          problems.add(where + ": a hanging attempt that a CANCEL named was reported " + describe(fin));
        } else if (!finished) {
          problems.add(where + ": a released hanging attempt was reported " + describe(fin));
        }
        continue;
      }
      if (finished != want[0].equals("finished")) {
        problems.add(where + ": expected " + want[0] + ", got " + describe(fin));
      } else if (finished) {
        if (!WorkerFixture.outputs(fin).equals(want[1])) {
          problems.add(where + ": outputs " + abbreviate(WorkerFixture.outputs(fin).toString()) + " instead of "
              + abbreviate(want[1].toString()));
        }
      } else {
        if (WorkerFixture.error(fin).getRetryable() != (Boolean) want[1]) {
          problems.add(where + ": retryable " + WorkerFixture.error(fin).getRetryable() + ", expected " + want[1]
              + ": " + abbreviate(WorkerFixture.error(fin).getMessage()));
        }
        if (want[2] != null && !want[2].equals(WorkerFixture.error(fin).getMessage())) {
          problems.add(where + ": message " + abbreviate(WorkerFixture.error(fin).getMessage()) + ", expected " + want[2]);
        }
      }
    }
    byKey.forEach((k, reports) -> problems.add("reports for " + k + ", which no RUN asked for: "
        + reports.stream().map(WorkerFixture::kind).toList()));
    assertThat(problems.stream().map(InstructionFuzzTest::printable).toList())
        .as("seed %d (parallelism %d, read ahead %d), steps %s", seed, parallelism, readAhead, steps)
        .isEmpty();
  }

  /** A first read of a record by the cancel reader: when, and the keys of the attempts hanging then. */
  record ReaderRead(long nanos, Set<String> hanging) {}

  /**
   * Under the consumer's lock: when the worker first read the CANCEL at {@code offset} of {@code
   * partition}, meant for attempt {@code k}: by its group consumer, or by its cancel reader while
   * {@code k}'s handler hung (a moved attempt; read while it was not running here, it is for the
   * partition's new owner); {@code Long.MAX_VALUE} if not yet.
   */
  static long cancelReadAt(FuzzConsumer consumer, String k, int partition, long offset) {
    long byConsumer = consumer.delivered.getOrDefault(partition + "/" + offset, Long.MAX_VALUE);
    ReaderRead byReader = consumer.readByReader.get(partition + "/" + offset);
    return byReader != null && byReader.hanging().contains(k) ? Math.min(byConsumer, byReader.nanos()) : byConsumer;
  }

  /** Offsets of the CANCELs that name attempt {@code k} after its RUN, on the RUN's partition. */
  static List<Long> cancelsAfter(String k, Run run, Map<String, List<long[]>> cancels) {
    return cancels.getOrDefault(k, List.of()).stream()
        .filter(c -> c[0] == run.partition() && c[1] > run.offset()).map(c -> c[1]).toList();
  }

  /**
   * Under the consumer's lock: true once the worker cannot read on until a hanging attempt ends. Every
   * partition is assigned and read to its end, or paused (a full read-ahead) while hanging attempts
   * hold every handler.
   */
  static boolean readAsFarAsItCan(FuzzConsumer consumer, Handler handler, int parallelism) {
    if (!consumer.events.isEmpty() || consumer.assigned.size() < PARTITIONS) {
      return false;
    }
    boolean held = false;
    for (int p = 0; p < PARTITIONS; p++) {
      if (consumer.position.get(p) < consumer.log.get(p).size()) {
        if (!consumer.pausedSet.contains(p)) {
          return false;
        }
        held = true;
      }
    }
    return !held || handler.hanging.size() >= parallelism;
  }

  /** Polls {@code condition} every few milliseconds: true once it holds, false if {@code timeout} passes first. */
  static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  /** Control characters escaped, so that a report (XML) keeps the whole message. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c < 0x20 || c == 0x202e || Character.isSurrogate((char) c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.toString().replace('|', ' ');
  }

  static String describe(StageReport report) {
    return report.getOutcome() instanceof ReportFinished
        ? "finished " + abbreviate(WorkerFixture.outputs(report).toString())
        : "failed " + abbreviate(WorkerFixture.error(report).getMessage()) + " retryable "
            + WorkerFixture.error(report).getRetryable();
  }

  static String abbreviate(String text) {
    return text == null ? "null" : text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
