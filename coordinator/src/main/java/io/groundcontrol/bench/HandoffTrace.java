package io.groundcontrol.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Where the time of one hand-off goes: stamps taken by probes in the benchmark's own process at
 * each step from a report being produced to the next instruction reaching a handler, joined by the
 * record key (the mission id). The Kafka clients carry the probes ({@link TraceInterceptor} on the
 * worker's and the coordinator's clients, {@link TracingClientSupplier} around the coordinator's
 * producer), so nothing in the coordinator changes for it. Clients run in this JVM, so one {@code
 * System.nanoTime()} clock serves every stamp.
 *
 * <p>One hand-off per key at a time: true of a linear plan (a mission has one stage running), and of
 * the floor's ping-pong. At most one trace is active, since scenarios never overlap.
 *
 * <p>Under load a trace follows one mission in {@link #sampleEvery()}, chosen by a hash of its id
 * that the probes compute from the key's bytes without decoding it: every record the coordinator
 * writes passes a probe on its stream thread, and following all of them took about 5% of that
 * thread at 256 in flight, a cost a production coordinator does not pay.
 */
final class HandoffTrace {
  /** The steps of a hand-off, in order; each segment of the breakdown is from one step to the next. */
  enum Step {
    REPORT_PRODUCED("report produced"),
    POLLED("polled by the coordinator"),
    DECIDED("decided (its first write)"),
    INSTRUCTION_PRODUCED("instruction produced"),
    COMMIT_BEGUN("commit begins (flush)"),
    COMMITTED("transaction committed"),
    FETCHED("fetched by the worker"),
    HANDLED("handler called");

    final String label;

    Step(String label) {
      this.label = label;
    }
  }

  private static final long MAX_MICROS = 60_000_000L;
  /** A step not (yet) seen: {@code nanoTime} may take any other value, zero and negatives included. */
  private static final long UNSET = Long.MIN_VALUE;
  private static volatile HandoffTrace active;

  private final String inputTopic;
  private final Predicate<String> outputTopic;
  private final int sampleEvery;
  private final Map<String, long[]> open = new HashMap<>();
  private final List<String> awaitingCommit = new ArrayList<>();
  private final Recorder[] segments = new Recorder[Step.values().length - 1];
  private final Recorder total = new Recorder(MAX_MICROS, 3);
  private long commitBegunNanos = UNSET;
  /** Since {@link #reset}: the stream thread's time blocked in its consumer's poll and in commits. */
  private long windowStartNanos = System.nanoTime();
  private long pollNanos;
  private long commitNanos;

  /**
   * @param inputTopic where reports go: what the worker produces and the coordinator polls
   * @param outputTopic whether a topic carries instructions: what the coordinator produces and the worker fetches
   */
  HandoffTrace(String inputTopic, Predicate<String> outputTopic) {
    this(inputTopic, outputTopic, 1);
  }

  /**
   * @param inputTopic where reports go: what the worker produces and the coordinator polls
   * @param outputTopic whether a topic carries instructions: what the coordinator produces and the worker fetches
   * @param sampleEvery follow one key in this many (1: every key)
   */
  HandoffTrace(String inputTopic, Predicate<String> outputTopic, int sampleEvery) {
    if (sampleEvery < 1) {
      throw new IllegalArgumentException("sampleEvery must be at least 1, got " + sampleEvery);
    }
    this.inputTopic = inputTopic;
    this.outputTopic = outputTopic;
    this.sampleEvery = sampleEvery;
    for (int i = 0; i < segments.length; i++) {
      segments[i] = new Recorder(MAX_MICROS, 3);
    }
  }

  /** Makes this the trace the probes report to, until {@link #stop}. */
  HandoffTrace start() {
    active = this;
    return this;
  }

  void stop() {
    if (active == this) {
      active = null;
    }
  }

  static HandoffTrace active() {
    return active;
  }

  /** How many keys there are for each one followed. */
  int sampleEvery() {
    return sampleEvery;
  }

  /**
   * Whether this trace follows the record key {@code key}, a {@code byte[]} or a {@code String}: by
   * its mission id, what comes before a {@code '\0'} (store keys are {@code "<mission>\0<stage>"}).
   */
  boolean follows(Object key) {
    return sampleEvery == 1 || Math.floorMod(missionHash(key), sampleEvery) == 0;
  }

  private static String text(Object key) {
    return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key.toString();
  }

  /** A hash of the UTF-8 bytes of {@code key} up to its first zero byte, the same for its bytes and its text. */
  static int missionHash(Object key) {
    if (key instanceof byte[] bytes) {
      int hash = 1;
      for (byte b : bytes) {
        if (b == 0) {
          break;
        }
        hash = 31 * hash + b;
      }
      return hash;
    }
    String text = key.toString();
    int hash = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        break;
      }
      if (c >= 0x80) {
        return missionHash(text.getBytes(StandardCharsets.UTF_8));
      }
      hash = 31 * hash + c;
    }
    return hash;
  }

  /**
   * A producer sent a record: a report, an instruction, or any other write of the coordinator.
   * {@code key} is the record's key, its bytes or its text; a key this trace does not follow is
   * left out before it is decoded.
   */
  void produced(String topic, Object key, long nanos) {
    if (follows(key)) {
      stampProduced(topic, text(key), nanos);
    }
  }

  private synchronized void stampProduced(String topic, String key, long nanos) {
    if (topic.equals(inputTopic)) {
      long[] stamps = new long[Step.values().length];
      Arrays.fill(stamps, UNSET);
      stamps[Step.REPORT_PRODUCED.ordinal()] = nanos;
      open.put(key, stamps);
      return;
    }
    // Store keys of a mission start with its id: "<mission>" for the header, "<mission>\0<stage>" for a stage.
    int end = key.indexOf('\0');
    long[] stamps = open.get(end < 0 ? key : key.substring(0, end));
    if (stamps == null || stamps[Step.POLLED.ordinal()] == UNSET) {
      return;
    }
    stamp(stamps, Step.DECIDED, nanos);
    if (outputTopic.test(topic) && stamp(stamps, Step.INSTRUCTION_PRODUCED, nanos)) {
      awaitingCommit.add(end < 0 ? key : key.substring(0, end));
    }
  }

  /** A consumer's poll returned a record: a report to the coordinator, or an instruction to a worker; {@code key} as in {@link #produced}. */
  void consumed(String topic, Object key, long nanos) {
    if (follows(key)) {
      stampConsumed(topic, text(key), nanos);
    }
  }

  private synchronized void stampConsumed(String topic, String key, long nanos) {
    long[] stamps = open.get(key);
    if (stamps == null) {
      return;
    }
    if (topic.equals(inputTopic)) {
      stamp(stamps, Step.POLLED, nanos);
    } else if (outputTopic.test(topic)) {
      stamp(stamps, Step.FETCHED, nanos);
    }
  }

  /** The coordinator's producer began a commit: the first flush or offsets of a transaction. */
  synchronized void commitBegun(long nanos) {
    if (commitBegunNanos == UNSET) {
      commitBegunNanos = nanos;
    }
  }

  /** The coordinator's transaction committed: every instruction produced before it is readable now. */
  synchronized void committed(long nanos) {
    for (String key : awaitingCommit) {
      long[] stamps = open.get(key);
      if (stamps != null) {
        stamps[Step.COMMIT_BEGUN.ordinal()] = Math.max(commitBegunNanos, stamps[Step.INSTRUCTION_PRODUCED.ordinal()]);
        stamps[Step.COMMITTED.ordinal()] = nanos;
      }
    }
    awaitingCommit.clear();
    commitBegunNanos = UNSET;
  }

  /**
   * The mission ended: its last report opened a hand-off that no instruction follows. Forgotten, so
   * that what is open stays one entry per mission in flight rather than one per mission ever run
   * (a map of every mission cost the stream thread's probes cache misses and the heap survivors).
   */
  void ended(String key) {
    if (follows(key)) {
      forget(key);
    }
  }

  private synchronized void forget(String key) {
    open.remove(key);
  }

  /** How many hand-offs are open: reports produced and not yet handled nor ended. */
  synchronized int openHandoffs() {
    return open.size();
  }

  /** A handler was called for the instruction: the hand-off is complete and recorded if every step was seen. */
  void handled(String key, long nanos) {
    if (follows(key)) {
      record(key, nanos);
    }
  }

  private synchronized void record(String key, long nanos) {
    long[] stamps = open.remove(key);
    if (stamps == null) {
      return;
    }
    stamps[Step.HANDLED.ordinal()] = nanos;
    // Without transactions (at-least-once) there is no commit: those two steps stay unstamped.
    boolean committed = stamps[Step.COMMITTED.ordinal()] != UNSET;
    for (Step step : Step.values()) {
      boolean commitStep = step == Step.COMMIT_BEGUN || step == Step.COMMITTED;
      if (stamps[step.ordinal()] == UNSET && !(commitStep && !committed)) {
        return;
      }
    }
    long previous = stamps[0];
    for (int i = 1; i < stamps.length; i++) {
      if (stamps[i] == UNSET) {
        continue;
      }
      segments[i - 1].recordValue(micros(stamps[i] - previous));
      previous = stamps[i];
    }
    total.recordValue(micros(stamps[Step.HANDLED.ordinal()] - stamps[0]));
  }

  private static boolean stamp(long[] stamps, Step step, long nanos) {
    if (stamps[step.ordinal()] != UNSET) {
      return false;
    }
    stamps[step.ordinal()] = nanos;
    return true;
  }

  private static long micros(long nanos) {
    return Math.min(MAX_MICROS, Math.max(0, nanos / 1000));
  }

  /** The stream thread's consumer returned from a poll that took {@code nanos}. */
  synchronized void polled(long nanos) {
    pollNanos += nanos;
  }

  /** The stream thread spent {@code nanos} in a call of a commit: a flush, the offsets, or the commit itself. */
  synchronized void inCommit(long nanos) {
    commitNanos += nanos;
  }

  /** Drops what was recorded so far: the measuring window starts now. */
  void reset() {
    reset(System.nanoTime());
  }

  /** Drops what was recorded so far: the measuring window starts at {@code nanos}. */
  synchronized void reset(long nanos) {
    windowStartNanos = nanos;
    pollNanos = 0;
    commitNanos = 0;
    for (Recorder segment : segments) {
      segment.getIntervalHistogram();
    }
    total.getIntervalHistogram();
  }

  /** What was recorded since the last {@link #reset}, for {@code scenario}. */
  Breakdown breakdown(String scenario) {
    return breakdown(scenario, System.nanoTime());
  }

  /** What was recorded since the last {@link #reset}, for {@code scenario}, the window ending at {@code nanos}. */
  synchronized Breakdown breakdown(String scenario, long nanos) {
    Histogram[] parts = new Histogram[segments.length];
    for (int i = 0; i < segments.length; i++) {
      parts[i] = segments[i].getIntervalHistogram();
    }
    double window = Math.max(1, nanos - windowStartNanos);
    return new Breakdown(scenario, parts, total.getIntervalHistogram(), pollNanos / window, commitNanos / window,
        sampleEvery);
  }
}
