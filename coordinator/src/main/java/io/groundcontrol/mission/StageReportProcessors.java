package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.wire.JsonText;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The processors for worker reports, one per outcome. */
final class StageReportProcessors {
  private StageReportProcessors() {}

  static final class Started implements InputProcessor<StageReport, ReportStarted> {
    @Override
    public void process(StageReport report, ReportStarted started, ProcessingContext context) {
      if (!repeatsAppliedStart(context, report)) {
        start(context, report, started.getStartedAt(), started.getHeartbeatIntervalMs());
      }
    }

    /**
     * Whether the attempt's own worker already started it: a worker sends its started report again
     * when the first one's delivery timed out, and that one may have been written after all. The
     * copy changes nothing and is not recorded; a start of the attempt by another worker (an
     * instruction run twice) still is, as a rejection.
     */
    static boolean repeatsAppliedStart(ProcessingContext context, StageReport report) {
      return context.mission()
          .flatMap(mission -> mission.stage(report.getStage()))
          .filter(stage -> stage.attempt() == report.getAttempt() && stage.status() != StageStatus.DISPATCHED)
          .flatMap(StageView::worker)
          .filter(report.getWorker().getId()::equals)
          .isPresent();
    }

    /**
     * Starts the reported attempt, if it is dispatched: records who runs it since when, and bounds
     * it by its timeout and, if its worker heartbeats, by its heartbeats.
     */
    static void start(ProcessingContext context, StageReport report, Instant reportedStartedAt, Long intervalMs) {
      Optional<StageView> stage = reportedStage(context, report, "start", StageStatus.DISPATCHED);
      if (stage.isPresent()) {
        Instant startedAt = startedAt(reportedStartedAt, stage.get().updatedAt(), context.writtenBy());
        Long heartbeatIntervalMs = Timers.heartbeatInterval(intervalMs);
        context.append(new StageStarted(report.getStage(), report.getAttempt(), report.getWorker().getId(),
            heartbeatIntervalMs, startedAt));
        Timers.timeout(context, context.missionPlan(), report.getStage(), report.getAttempt(), startedAt);
        Timers.watchLiveness(context, report.getStage(), report.getAttempt(), heartbeatIntervalMs);
      }
    }

    /**
     * When the attempt started, as the worker says, but never before its dispatch nor after the
     * report was written by (see {@link ProcessingContext#writtenBy}): a worker's clock may be off,
     * and the timeout must not count time that cannot be, nor start later than the coordinator saw
     * the attempt running.
     */
    static Instant startedAt(Instant reported, Instant dispatchedAt, Instant reportAt) {
      Instant claimed = reported == null || reported.isAfter(reportAt) ? reportAt : reported;
      return claimed.isBefore(dispatchedAt) ? dispatchedAt : claimed;
    }
  }

  static final class Finished implements InputProcessor<StageReport, ReportFinished> {
    private final MissionLimits limits;

    Finished(MissionLimits limits) {
      this.limits = limits;
    }

    @Override
    public void process(StageReport report, ReportFinished finished, ProcessingContext context) {
      Optional<StageView> stage = reportedStage(context, report, "finish", StageStatus.DISPATCHED, StageStatus.RUNNING);
      if (stage.isEmpty()) {
        return;
      }
      MissionPlan plan = context.missionPlan();
      String worker = unstartedWorker(stage.get(), report);
      Optional<StageError> badOutput = badOutput(finished);
      if (badOutput.isPresent()) {
        Failures.failAttempt(context, plan, report.getStage(), report.getAttempt(), badOutput.get(), worker);
        return;
      }
      Slots.release(context, plan, stage.get(), "finished");
      context.append(new StageFinished(report.getStage(), report.getAttempt(), finished.getOutputs(), worker));
      Results.produced(context, stage.get(), finished.getOutputs());
      Timers.forgetLiveness(context, report.getStage(), report.getAttempt());
      Progress.dispatchReady(context, plan, plan.downstream(report.getStage()));
      Progress.concludeIfSettled(context, plan);
    }

    /**
     * Outputs must fit the limit and be JSON text: outputs that do not fail the attempt, not
     * retryable, saying which and why.
     */
    private Optional<StageError> badOutput(ReportFinished finished) {
      long size = sizeOf(finished.getOutputs());
      if (size > limits.maxOutputBytes()) {
        return Optional.of(new StageError(
            "Expected outputs of at most " + limits.maxOutputBytes() + " bytes, but the attempt reported " + size
                + " bytes in " + finished.getOutputs().size() + " outputs; pass large results as URIs"
                + " (a table name, s3://..., gs://...)", null, false));
      }
      return jsonProblem(finished);
    }
  }

  /** Outputs must be JSON text: one that is not fails the attempt, not retryable, saying which and why. */
  private static Optional<StageError> jsonProblem(ReportFinished finished) {
    for (Map.Entry<String, String> output : new TreeMap<>(finished.getOutputs()).entrySet()) {
      Optional<String> problem = JsonText.problem(output.getValue());
      if (problem.isPresent()) {
        return Optional.of(new StageError(
            "Expected output '" + output.getKey() + "' to be JSON text, but " + JsonText.excerpt(output.getValue())
                + " is not: " + problem.get() + " (a string is written with its quotes: \"daily\")",
            null, false));
      }
    }
    return Optional.empty();
  }

  static final class Failed implements InputProcessor<StageReport, ReportFailed> {
    @Override
    public void process(StageReport report, ReportFailed failed, ProcessingContext context) {
      Optional<StageView> stage = reportedStage(context, report, "fail", StageStatus.DISPATCHED, StageStatus.RUNNING);
      if (stage.isEmpty()) {
        return;
      }
      Failures.failAttempt(context, context.missionPlan(), report.getStage(), report.getAttempt(), failed.getError(),
          unstartedWorker(stage.get(), report));
    }
  }

  /**
   * The reported stage, if the report applies to it (see {@link Rejections#reportedStage}). A report
   * on the current attempt of a QUEUED stage applies too: the admission sub-topology sent the
   * attempt to its worker with the grant, and the report overtook the grant on its way back. The
   * dispatch is then recorded first, so the report finds the stage DISPATCHED, holding its slot.
   */
  private static Optional<StageView> reportedStage(
      ProcessingContext context, StageReport report, String verb, StageStatus... expected) {
    boolean queued = context.mission().flatMap(m -> m.stage(report.getStage())).filter(StageView::isQueued).isPresent();
    StageStatus[] accepted = expected;
    if (queued) {
      accepted = Arrays.copyOf(expected, expected.length + 1);
      accepted[expected.length] = StageStatus.QUEUED;
    }
    Optional<StageView> stage = Rejections.reportedStage(context, report, verb, accepted);
    if (stage.isEmpty() || !stage.get().isQueued()) {
      return stage;
    }
    if (!Slots.dispatchedByReport(context, context.missionPlan(), stage.get())) {
      return Optional.empty();
    }
    return context.mission().orElseThrow().stage(report.getStage());
  }

  /** The outputs' size as limited: names and values, UTF-8. */
  static long sizeOf(Map<String, String> outputs) {
    return TextLimits.utf8Length(outputs);
  }

  /**
   * The reporting worker, for the outcome's event to name, if the attempt is only dispatched: a
   * worker reports started only for an attempt that outlasts a short delay, so a quick attempt
   * arrives as its outcome alone, and its outcome is the one event to name its worker. Null for a
   * started attempt, whose {@code StageStarted} named it: the log stays as it was before outcomes
   * named workers, so older logs replay to the same events.
   */
  private static String unstartedWorker(StageView stage, StageReport report) {
    return stage.status() == StageStatus.DISPATCHED ? report.getWorker().getId() : null;
  }

  /**
   * A heartbeat on an attempt not watched at the interval it announces; those of an attempt watched
   * at it change no mission state and are kept beside it, by the coordinator's liveness. The first
   * heartbeat of an attempt still only dispatched starts it, as a started report would have: its
   * worker sent none, and the attempt must not escape its timeout and liveness for that. On a
   * running attempt, the announced interval holds from this heartbeat on: a new one restarts the
   * watch with it, none ends the watch. On any other attempt a heartbeat changes and records
   * nothing: one that arrives after its attempt ended is ordinary. A heartbeat naming a stage that
   * runs in chunks, not one of its chunks, is rejected as any report on it is: it would start the
   * stage's liveness watch, whose expiry fails the stage behind its chunks' backs.
   */
  static final class Heartbeat implements InputProcessor<StageReport, ReportHeartbeat> {
    @Override
    public void process(StageReport report, ReportHeartbeat heartbeat, ProcessingContext context) {
      Optional<MissionView> running = context.mission().filter(mission -> mission.status() == MissionStatus.RUNNING)
          .filter(mission -> mission.stage(report.getStage()).isPresent());
      if (running.isPresent()
          && Rejections.fanOutItself(context, running.get(), Rejections.describe(report, "heartbeat"), report.getStage())) {
        return;
      }
      Optional<StageStatus> status = currentAttemptStatus(context, report);
      if (status.isEmpty()) {
        return;
      }
      switch (status.get()) {
        case DISPATCHED, QUEUED -> Started.start(context, report, null, heartbeat.getHeartbeatIntervalMs());
        case RUNNING -> {
          Long intervalMs = Timers.heartbeatInterval(heartbeat.getHeartbeatIntervalMs());
          if (intervalMs == null) {
            Timers.forgetLiveness(context, report.getStage(), report.getAttempt());
          } else {
            Timers.watchLiveness(context, report.getStage(), report.getAttempt(), intervalMs);
          }
        }
        default -> { }
      }
    }

    /** The status of the reported stage, if the report is on its current attempt and the mission runs. */
    private static Optional<StageStatus> currentAttemptStatus(ProcessingContext context, StageReport report) {
      return context.mission().filter(mission -> mission.status() == MissionStatus.RUNNING)
          .flatMap(mission -> mission.stage(report.getStage()))
          .filter(stage -> stage.attempt() == report.getAttempt())
          .map(StageView::status);
    }
  }
}
