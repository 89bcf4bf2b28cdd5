package io.groundcontrol.mission;

import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StageStatus;

/** The processors for worker reports, one per outcome. */
final class StageReportProcessors {
  private StageReportProcessors() {}

  static final class Started implements InputProcessor<StageReport, ReportStarted> {
    @Override
    public void process(StageReport report, ReportStarted started, ProcessingContext context) {
      Rejections.reportedStage(context, report, "start", StageStatus.DISPATCHED)
          .ifPresent(stage -> context.append(new StageStarted(
              report.getStage(), report.getAttempt(), report.getWorker().getId(), started.getHeartbeatIntervalMs())));
    }
  }

  static final class Finished implements InputProcessor<StageReport, ReportFinished> {
    @Override
    public void process(StageReport report, ReportFinished finished, ProcessingContext context) {
      if (Rejections.reportedStage(context, report, "finish", StageStatus.DISPATCHED, StageStatus.RUNNING)
          .isEmpty()) {
        return;
      }
      MissionPlan plan = context.missionPlan();
      context.append(new StageFinished(report.getStage(), report.getAttempt(), finished.getOutputs()));
      Progress.dispatchReady(context, plan, plan.downstream(report.getStage()));
      Progress.concludeIfSettled(context, plan);
    }
  }

  static final class Failed implements InputProcessor<StageReport, ReportFailed> {
    @Override
    public void process(StageReport report, ReportFailed failed, ProcessingContext context) {
      if (Rejections.reportedStage(context, report, "fail", StageStatus.DISPATCHED, StageStatus.RUNNING)
          .isEmpty()) {
        return;
      }
      Failures.failAttempt(context, context.missionPlan(), report.getStage(), report.getAttempt(), failed.getError());
    }
  }

  /** Heartbeats change no mission state: liveness is kept beside it, by the coordinator's timers. */
  static final class Heartbeat implements InputProcessor<StageReport, ReportHeartbeat> {
    @Override
    public void process(StageReport report, ReportHeartbeat heartbeat, ProcessingContext context) {}
  }
}
