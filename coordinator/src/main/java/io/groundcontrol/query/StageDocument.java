package io.groundcontrol.query;

import io.groundcontrol.mission.StageView;
import java.util.Map;

/**
 * One stage of a {@link MissionDocument}.
 *
 * @param outputs outputs of the finished attempt, values as JSON text
 * @param error why the last attempt failed, if it did
 * @param errorDetail the failure's detail, such as a stack trace, if it has one
 * @param retryable whether the failure may be retried; null if the stage has not failed
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
    String updatedAt) {

  static StageDocument of(StageView stage) {
    return new StageDocument(stage.name(), stage.status().name(), stage.attempt(), stage.worker().orElse(null),
        stage.outputs(), stage.error().map(e -> e.getMessage()).orElse(null),
        stage.error().map(e -> e.getDetail()).orElse(null), stage.error().map(e -> e.getRetryable()).orElse(null),
        stage.updatedAt().toString());
  }
}
