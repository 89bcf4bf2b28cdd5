package io.groundcontrol.schema.wire;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StoredStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Representative records for codec tests and {@link CodecBench}, built with the generated builders
 * so that fields added later with a default need no change here.
 */
final class SampleRecords {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private SampleRecords() {}

  /** A finished report with a small outputs map, as a worker sends it. */
  static StageReport stageReport() {
    return StageReport.newBuilder()
        .setMissionId("m-1")
        .setStage("load")
        .setAttempt(2)
        .setWorker(new Actor(ActorKind.WORKER, "w-1", "host-a"))
        .setReportedAt(T0)
        .setOutcome(new ReportFinished(Map.of("rows", "42")))
        .build();
  }

  /** A stage's finished event, as the coordinator logs it after a worker's report. */
  static MissionEvent stageFinished() {
    Actor worker = new Actor(ActorKind.WORKER, "w-1", "host-a");
    return new MissionEvent("m-1", 5L, T0, new Cause(CauseKind.REPORT, worker, 2),
        new StageFinished("load", 2, Map.of("rows", "42"), "w-1"));
  }

  /**
   * A running mission with {@code stageCount} stages in a mix of states: finished ones with
   * outputs, a failed one with an error, the rest waiting.
   */
  static MissionState missionState(int stageCount) {
    List<StoredStage> stages = new ArrayList<>(stageCount);
    for (int i = 0; i < stageCount; i++) {
      stages.add(stage(i, stageCount));
    }
    return MissionState.newBuilder()
        .setMissionId("m-42")
        .setPlanName("diamond")
        .setPlanVersion("2026-11-22T09:58:00Z")
        .setStatus(MissionStatus.RUNNING)
        .setParams(Map.of("day", "\"2026-11-22\"", "region", "\"eu-west-1\""))
        .setSequence(3L * stageCount)
        .setStartedAt(T0)
        .setUpdatedAt(T0.plusSeconds(stageCount))
        .setStages(stages)
        .build();
  }

  private static StoredStage stage(int index, int stageCount) {
    StoredStage.Builder stage = StoredStage.newBuilder()
        .setName("stage-" + index)
        .setStatus(StageStatus.WAITING)
        .setAttempt(0)
        .setUpdatedAt(T0.plusMillis(index));
    if (index < stageCount / 2) {
      stage.setStatus(StageStatus.FINISHED).setAttempt(1).setWorker("w-" + index % 8)
          .setOutputs(Map.of("rows", Integer.toString(index * 1000), "table", "\"sales_" + index + "\""));
    } else if (index == stageCount / 2) {
      stage.setStatus(StageStatus.FAILED).setAttempt(3).setWorker("w-0")
          .setError(new StageError("feature store unreachable", "java.lang.IllegalStateException: timeout", true));
    }
    return stage.build();
  }
}
