package io.groundcontrol.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records a measured window with JDK Flight Recorder and says where the coordinator's stream thread
 * spends it: the share of its CPU samples inside each part of the hot path (a sample counts for
 * every part on its stack, so parts nest), its hottest methods, what it allocates, and how the
 * whole JVM's samples spread over broker, coordinator, workers and benchmark.
 */
final class Profiler {
  /** Parts of the hot path, each a frame ({@code class.method}) that a sample's stack may contain. */
  private static final Map<String, Predicate<String>> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put("MissionProcessor.process (all coordinator work per record)",
        exact("io.groundcontrol.coordinator.MissionProcessor.process"));
    PARTS.put("  load: store get, Avro decode, MissionStateCodec.fromStored",
        exact("io.groundcontrol.coordinator.MissionProcessor.load"));
    PARTS.put("  decide: MissionEngine.decide", exact("io.groundcontrol.mission.MissionEngine.decide"));
    PARTS.put("  MissionStateCodec.toStored", exact("io.groundcontrol.coordinator.MissionStateCodec.toStored"));
    PARTS.put("  store put: Avro encode, RocksDB, changelog send",
        exact("org.apache.kafka.streams.state.internals.MeteredKeyValueStore.put"));
    PARTS.put("  write effects: instructions, timers, liveness",
        frame -> frame.startsWith("io.groundcontrol.coordinator.MissionProcessor$EffectWriter."));
    PARTS.put("  forward to sinks: serialize, topic lookup, producer send",
        exact("org.apache.kafka.streams.processor.internals.SinkNode.process"));
    PARTS.put("Avro encode (AvroCodec.encode, anywhere)", exact("io.groundcontrol.schema.wire.AvroCodec.encode"));
    PARTS.put("Avro decode (AvroCodec.decode, anywhere)", exact("io.groundcontrol.schema.wire.AvroCodec.decode"));
    PARTS.put("RocksDB (Java side of JNI calls)", frame -> frame.startsWith("org.rocksdb."));
    PARTS.put("instruction topic lookup (InstructionTopics.extract)",
        exact("io.groundcontrol.coordinator.InstructionTopics.extract"));
    PARTS.put("source: record deserialization",
        exact("org.apache.kafka.streams.processor.internals.RecordDeserializer.deserialize"));
    PARTS.put("commit (offsets, transaction, store flush)",
        exact("org.apache.kafka.streams.processor.internals.TaskManager.commit"));
    PARTS.put("consumer poll", exact("org.apache.kafka.streams.processor.internals.StreamThread.pollRequests"));
    PARTS.put("logging", frame -> frame.startsWith("org.slf4j."));
    PARTS.put("exceptions (Throwable.fillInStackTrace)", exact("java.lang.Throwable.fillInStackTrace"));
  }

  private final Path dir;

  private Profiler(Path dir) {
    this.dir = dir;
  }

  /** A profiler writing recordings to {@code dir}; null for none. */
  static Profiler to(Path dir) {
    if (dir == null) {
      return null;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create " + dir, e);
    }
    startFlightRecorder();
    return new Profiler(dir);
  }

  /**
   * Starts JDK Flight Recorder now, before the warm-up, by opening and closing an empty recording.
   * Its first start retransforms the JDK's file and socket classes for its I/O events, which throws
   * away the compiled code that inlined them, the network paths of the Kafka clients and the broker
   * among it; started at the first measured window, that made the window measure a JVM compiling
   * again (1,289 completions/s at 256 in flight against 6,315 with the recorder started before the
   * warm-up, same settings).
   */
  private static void startFlightRecorder() {
    try (Recording primer = new Recording()) {
      primer.start();
      primer.stop();
    }
  }

  /** Starts recording; stop the result at the end of the window. */
  Session start(String scenario) {
    Recording recording = new Recording();
    recording.setName("bench-" + scenario);
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
    recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
    recording.enable("jdk.ObjectAllocationSample").with("throttle", "2000/s");
    recording.enable("jdk.GarbageCollection");
    recording.start();
    return new Session(recording, dir.resolve("bench-" + scenario + ".jfr"));
  }

  /** One recording in progress. */
  static final class Session {
    private final Recording recording;
    private final Path file;

    private Session(Recording recording, Path file) {
      this.recording = recording;
      this.file = file;
    }

    /** Stops recording, writes the file and prints what the stream threads named by {@code marker} did. */
    void stopAndReport(String marker, PrintStream out) {
      recording.stop();
      try {
        recording.dump(file);
        recording.close();
        report(file, marker, out);
      } catch (IOException e) {
        out.println("  profile: could not write or read " + file + ": " + e);
      }
    }
  }

  static void report(Path file, String marker, PrintStream out) throws IOException {
    Map<String, Long> parts = new LinkedHashMap<>();
    PARTS.keySet().forEach(part -> parts.put(part, 0L));
    Map<String, Long> selfTime = new HashMap<>();
    Map<String, Long> nativeTop = new HashMap<>();
    Map<String, Long> allocated = new HashMap<>();
    Map<String, Long> allocationSites = new HashMap<>();
    Map<String, Long> byThread = new HashMap<>();
    long streamSamples = 0;
    long truncated = 0;
    long allSamples = 0;
    long allocatedTotal = 0;
    long gcPauseNanos = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      String type = event.getEventType().getName();
      switch (type) {
        case "jdk.ExecutionSample" -> {
          RecordedThread thread = event.getThread("sampledThread");
          String name = thread == null ? "?" : thread.getJavaName();
          allSamples++;
          byThread.merge(threadGroup(name, marker), 1L, Long::sum);
          if (!isStreamThread(name, marker) || event.getStackTrace() == null) {
            continue;
          }
          streamSamples++;
          if (event.getStackTrace().isTruncated()) {
            truncated++;
          }
          List<String> frames = frames(event.getStackTrace());
          if (!frames.isEmpty()) {
            selfTime.merge(frames.get(0), 1L, Long::sum);
          }
          for (Map.Entry<String, Predicate<String>> part : PARTS.entrySet()) {
            if (frames.stream().anyMatch(part.getValue())) {
              parts.merge(part.getKey(), 1L, Long::sum);
            }
          }
        }
        case "jdk.NativeMethodSample" -> {
          RecordedThread thread = event.getThread("sampledThread");
          if (thread != null && isStreamThread(thread.getJavaName(), marker) && event.getStackTrace() != null) {
            List<String> frames = frames(event.getStackTrace());
            if (!frames.isEmpty()) {
              nativeTop.merge(frames.get(0), 1L, Long::sum);
            }
          }
        }
        case "jdk.ObjectAllocationSample" -> {
          RecordedThread thread = event.getThread();
          if (thread != null && isStreamThread(thread.getJavaName(), marker)) {
            long weight = event.getLong("weight");
            allocatedTotal += weight;
            allocated.merge(event.getClass("objectClass").getName(), weight, Long::sum);
            if (event.getStackTrace() != null) {
              allocationSites.merge(event.getClass("objectClass").getName() + " <- " + site(frames(event.getStackTrace())),
                  weight, Long::sum);
            }
          }
        }
        case "jdk.GarbageCollection" -> gcPauseNanos += event.getDuration("sumOfPauses").toNanos();
        default -> { }
      }
    }
    long samples = allSamples;
    long onStream = streamSamples;
    out.printf(Locale.ROOT, "  profile %s: %d CPU samples in the JVM, %d on the coordinator's stream thread; GC pauses %d ms%n",
        file, allSamples, streamSamples, gcPauseNanos / 1_000_000);
    out.println("  JVM CPU samples by thread group:");
    top(byThread, 10).forEach((group, n) -> out.printf(Locale.ROOT, "    %5.1f%%  %s%n", pct(n, samples), group));
    if (streamSamples == 0) {
      return;
    }
    if (truncated > 0) {
      out.printf(Locale.ROOT, "  %d stream-thread stacks were truncated, so outer parts are undercounted: run with "
          + "-XX:FlightRecorderOptions:stackdepth=256%n", truncated);
    }
    out.println("  stream thread, share of its CPU samples inside each part of the hot path:");
    parts.forEach((part, n) -> out.printf(Locale.ROOT, "    %5.1f%%  %s%n", pct(n, onStream), part));
    out.println("  stream thread, hottest methods (self time):");
    top(selfTime, 15).forEach((method, n) -> out.printf(Locale.ROOT, "    %5.1f%%  %s%n", pct(n, onStream), method));
    long nativeSamples = nativeTop.values().stream().mapToLong(Long::longValue).sum();
    out.println("  stream thread, native frames (waiting or in RocksDB), " + nativeSamples + " samples:");
    top(nativeTop, 6).forEach((method, n) -> out.printf(Locale.ROOT, "    %5.1f%%  %s%n", pct(n, nativeSamples), method));
    out.println("  stream thread, allocation by class (sampled weight):");
    long total = allocatedTotal;
    top(allocated, 10).forEach((type, bytes) -> out.printf(Locale.ROOT, "    %5.1f%%  %s%n", pct(bytes, total), type));
    out.println("  stream thread, allocation by site (first frame outside java.* and jdk.*):");
    top(allocationSites, 10).forEach((site, bytes) -> out.printf(Locale.ROOT, "    %5.1f%%  %s%n", pct(bytes, total), site));
  }

  private static boolean isStreamThread(String name, String marker) {
    return name.contains(marker) && name.contains("-StreamThread-") && !name.contains("producer")
        && !name.contains("consumer");
  }

  /** Thread names without ids and numbers, so that threads of one kind add up. */
  private static String threadGroup(String name, String marker) {
    if (isStreamThread(name, marker)) {
      return "coordinator stream thread";
    }
    if (name.contains(marker)) {
      return "coordinator Kafka clients and other threads (" + name.replaceAll(".*StreamThread-\\d+-", "") + ")";
    }
    if (name.startsWith("groundcontrol-worker-")) {
      return "worker SDK: " + name.replaceAll("-\\d+$", "-N").replaceAll("groundcontrol-worker-[a-z0-9._-]+?-(poll|handler)", "$1");
    }
    if (name.startsWith("kafka-producer-network-thread")) {
      return "producer I/O threads (workers, benchmark)";
    }
    return name.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "ID").replaceAll("\\d+", "N");
  }

  private static String site(List<String> frames) {
    return frames.stream().filter(f -> !f.startsWith("java.") && !f.startsWith("jdk.")).findFirst().orElse("?");
  }

  private static List<String> frames(RecordedStackTrace stack) {
    return stack.getFrames().stream().map(Profiler::name).toList();
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static Predicate<String> exact(String frame) {
    return frame::equals;
  }

  private static Map<String, Long> top(Map<String, Long> counts, int n) {
    Map<String, Long> top = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
    return top;
  }

  private static double pct(long part, long whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }
}
