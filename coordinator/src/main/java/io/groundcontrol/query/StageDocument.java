package io.groundcontrol.query;

import io.groundcontrol.mission.FanOut;
import io.groundcontrol.mission.StageView;
import java.util.Map;

/**
 * One stage of a {@link MissionDocument}.
 *
 * @param outputs outputs of the finished attempt, values as JSON text
 * @param error why the last attempt failed, if it did
 * @param errorDetail the failure's detail, such as a stack trace, if it has one
 * @param retryable whether the failure may be retried; null if the stage has not failed
 * @param chunks for a stage fanned out in chunks: how many are done, running, failed and queued
 */
public record StageDocument(
    String name,
    String status,
    int attempt,
    String worker,
    Map<String, String> outputs,
    String error,
    String errorDetail,
    Boolean retryable,
    String updatedAt,
    ChunkSummary chunks) {

  static StageDocument of(StageView stage) {
    return new StageDocument(stage.name(), stage.status().name(), stage.attempt(), stage.worker().orElse(null),
        stage.outputs(), stage.error().map(e -> e.getMessage()).orElse(null),
        stage.error().map(e -> e.getDetail()).orElse(null), stage.error().map(e -> e.getRetryable()).orElse(null),
        stage.updatedAt().toString(), stage.fanOut().map(ChunkSummary::of).orElse(null));
  }

  /** The chunks of a stage with foreach, by where they stand. */
  public record ChunkSummary(int total, int done, int running, int failed, int queued) {
    static ChunkSummary of(FanOut counters) {
      return new ChunkSummary(counters.chunkCount(), counters.done(), counters.active(), counters.failed(),
          counters.notStarted());
    }

    /** {@code 412/1000 done, 20 running, 1 failed, 567 queued}. */
    public String describe() {
      return FanOut.describe(total, done, running, failed, queued);
    }
  }
}
