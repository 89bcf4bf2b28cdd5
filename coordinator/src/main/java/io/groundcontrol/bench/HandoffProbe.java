package io.groundcontrol.bench;

import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A stage handler, no-op unless given work, that measures hand-offs: the time from a stage's finished report being
 * produced to the next stage's instruction reaching a handler. Only edges with one stage on each
 * side are measured (every edge of a linear plan, none of a fan-out or fan-in), so each hand-off
 * has exactly one start and one end.
 *
 * <p>Two clocks, both shared by worker and benchmark because they run in one JVM:
 *
 * <ul>
 *   <li>{@link Handoffs#micros()}: {@code System.nanoTime()} when the upstream handler returns (the SDK
 *       builds and sends the report right after), to when the downstream handler is called; in
 *       microseconds.
 *   <li>{@link Handoffs#stampMillis()}: the wall clock on receipt minus {@code dispatchedAt}, which the
 *       coordinator sets to the timestamp of the report record that caused the dispatch, so this is
 *       measured purely from timestamps carried in the records; whole milliseconds on both sides,
 *       so each value is off by up to 1 ms.
 * </ul>
 */
final class HandoffProbe implements StageHandler {
  private static final long MAX_MICROS = 600_000_000L;

  /** Downstream stage to its only upstream, for edges with one stage on each side. */
  private final Map<String, String> measuredEdges;
  private final Set<String> measuredSources;
  private final Map<String, Long> finishedAtNanos = new ConcurrentHashMap<>();
  private final Recorder precise = new Recorder(MAX_MICROS, 3);
  private final Recorder stamps = new Recorder(MAX_MICROS / 1000, 3);
  private final long workMillis;

  HandoffProbe(Plan... plans) {
    this(Duration.ZERO, plans);
  }

  /** A handler whose every stage takes {@code work} (a sleep standing for the stage's job) before it finishes. */
  HandoffProbe(Duration work, Plan... plans) {
    this.workMillis = work.toMillis();
    Map<String, String> edges = new HashMap<>();
    Map<String, Integer> downstreamCount = new HashMap<>();
    for (Plan plan : plans) {
      for (PlanStage stage : plan.getStages()) {
        for (String upstream : stage.getUpstream()) {
          downstreamCount.merge(plan.getName() + "/" + upstream, 1, Integer::sum);
        }
      }
      for (PlanStage stage : plan.getStages()) {
        if (stage.getUpstream().size() == 1) {
          edges.put(plan.getName() + "/" + stage.getName(), plan.getName() + "/" + stage.getUpstream().get(0));
        }
      }
    }
    edges.values().removeIf(upstream -> downstreamCount.get(upstream) != 1);
    this.measuredEdges = Map.copyOf(edges);
    this.measuredSources = Set.copyOf(new HashSet<>(edges.values()));
  }

  @Override
  public StageResult handle(StageContext context) {
    long receivedNanos = System.nanoTime();
    long receivedMillis = System.currentTimeMillis();
    String stage = context.planName() + "/" + context.stage();
    String upstream = measuredEdges.get(stage);
    HandoffTrace trace = HandoffTrace.active();
    if (trace != null && upstream != null) {
      trace.handled(context.missionId(), receivedNanos);
    }
    if (upstream != null) {
      Long finished = finishedAtNanos.remove(context.missionId() + "|" + upstream);
      if (finished != null) {
        precise.recordValue(Math.min(MAX_MICROS, Math.max(0, (receivedNanos - finished) / 1000)));
        stamps.recordValue(Math.min(MAX_MICROS / 1000, Math.max(0, receivedMillis - context.dispatchedAt().toEpochMilli())));
      }
    }
    if (workMillis > 0) {
      try {
        Thread.sleep(workMillis);
      } catch (InterruptedException e) {
        // Closing the worker interrupts its handlers: the stage ends early, as a cancelled job would.
        Thread.currentThread().interrupt();
      }
    }
    if (measuredSources.contains(stage)) {
      finishedAtNanos.put(context.missionId() + "|" + stage, System.nanoTime());
    }
    return StageResult.finished();
  }

  /** Starts a new measuring interval: what was recorded so far is dropped. */
  void reset() {
    precise.getIntervalHistogram();
    stamps.getIntervalHistogram();
  }

  /** Hand-offs since the last {@link #reset} or {@code interval()}; starts a new interval. */
  Handoffs interval() {
    return new Handoffs(precise.getIntervalHistogram(), stamps.getIntervalHistogram());
  }

  /**
   * Hand-offs of one interval.
   *
   * @param micros by {@code nanoTime}, in microseconds
   * @param stampMillis from record timestamps, in whole milliseconds
   */
  record Handoffs(Histogram micros, Histogram stampMillis) {}
}
