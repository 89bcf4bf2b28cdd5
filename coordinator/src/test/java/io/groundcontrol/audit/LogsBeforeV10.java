package io.groundcontrol.audit;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageReset;

/** Events as a release before v10 of {@code MissionEvent} wrote them. */
final class LogsBeforeV10 {
  private LogsBeforeV10() {}

  /** The event as such a release wrote it: a reset without {@code retryPolicyAnew}. */
  static MissionEvent asWritten(MissionEvent event) {
    if (!(event.getEvent() instanceof StageReset reset)) {
      return event;
    }
    return MissionEvent.newBuilder(event).setEvent(StageReset.newBuilder(reset).setRetryPolicyAnew(false).build()).build();
  }
}
