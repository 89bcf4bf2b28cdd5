package io.groundcontrol.mission;

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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The processors for worker reports, one per outcome. */
final class StageReportProcessors {
  private StageReportProcessors() {}

  static final class Started implements InputProcessor<StageReport, ReportStarted> {
    @Override
    public void process(StageReport report, ReportStarted started, ProcessingContext context) {
      if (Rejections.reportedStage(context, report, "start", StageStatus.DISPATCHED).isPresent()) {
        context.append(new StageStarted(
            report.getStage(), report.getAttempt(), report.getWorker().getId(), started.getHeartbeatIntervalMs()));
        Timers.watchLiveness(context, report.getStage(), report.getAttempt(), started.getHeartbeatIntervalMs());
      }
    }
  }

  static final class Finished implements InputProcessor<StageReport, ReportFinished> {
    @Override
    public void process(StageReport report, ReportFinished finished, ProcessingContext context) {
      Optional<StageView> stage =
          Rejections.reportedStage(context, report, "finish", StageStatus.DISPATCHED, StageStatus.RUNNING);
      if (stage.isEmpty()) {
        return;
      }
      startIfOnlyDispatched(stage.get(), report, context);
      MissionPlan plan = context.missionPlan();
      Optional<StageError> badOutput = badOutput(finished);
      if (badOutput.isPresent()) {
        Failures.failAttempt(context, plan, report.getStage(), report.getAttempt(), badOutput.get());
        return;
      }
      context.append(new StageFinished(report.getStage(), report.getAttempt(), finished.getOutputs()));
      Timers.forgetLiveness(context, report.getStage(), report.getAttempt());
      Progress.dispatchReady(context, plan, plan.downstream(report.getStage()));
      Progress.concludeIfSettled(context, plan);
    }
  }

  /** Outputs must be JSON text: one that is not fails the attempt, not retryable, saying which and why. */
  private static Optional<StageError> badOutput(ReportFinished finished) {
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
      Optional<StageView> stage =
          Rejections.reportedStage(context, report, "fail", StageStatus.DISPATCHED, StageStatus.RUNNING);
      if (stage.isEmpty()) {
        return;
      }
      startIfOnlyDispatched(stage.get(), report, context);
      Failures.failAttempt(context, context.missionPlan(), report.getStage(), report.getAttempt(), failed.getError());
    }
  }

  /**
   * Records the start a worker did not report: it reports started only for an attempt that outlasts
   * a short delay, so a quick attempt arrives as its outcome alone. The log keeps its shape (every
   * attempt started, by a worker, then ended) and the stage its worker. No heartbeat interval: the
   * attempt is over, so there is no worker to watch.
   */
  private static void startIfOnlyDispatched(StageView stage, StageReport report, ProcessingContext context) {
    if (stage.status() == StageStatus.DISPATCHED) {
      context.append(new StageStarted(report.getStage(), report.getAttempt(), report.getWorker().getId(), null));
    }
  }

  /** Heartbeats change no mission state: liveness is kept beside it, by the coordinator's timers. */
  static final class Heartbeat implements InputProcessor<StageReport, ReportHeartbeat> {
    @Override
    public void process(StageReport report, ReportHeartbeat heartbeat, ProcessingContext context) {}
  }
}
