package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageFailed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFieldsTest {
  private final MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.diamond()));

  private List<MissionEvent> failedMission() {
    harness.start("m-1", "diamond").stage("m-1", "extract").started();
    harness.stage("m-1", "extract").failed("disk full");
    return harness.log("m-1");
  }

  private MissionEvent first(Class<?> kind) {
    return failedMission().stream().filter(e -> kind.isInstance(e.getEvent())).findFirst().orElseThrow();
  }

  @Test
  void aFailureIsOneFlatRecordWithItsCauseAndError() {
    MissionEvent event = first(StageFailed.class);

    Map<String, Object> fields = EventFields.of(event);

    assertThat(fields).containsExactly(
        entry("missionId", "m-1"),
        entry("sequence", event.getSequence()),
        entry("timestamp", event.getTimestamp().toString()),
        entry("cause.kind", "REPORT"),
        entry("cause.actor.kind", "WORKER"),
        entry("cause.actor.id", "w-1"),
        entry("cause.actor.host", "h1"),
        entry("cause.attempt", 1),
        entry("kind", "StageFailed"),
        entry("stage", "extract"),
        entry("attempt", 1),
        entry("error.message", "disk full"),
        entry("error.detail", "stack"),
        entry("error.retryable", true),
        entry("worker", null)); // its StageStarted named it
  }

  @Test
  void aCommandCauseHasNoAttemptAndMapsStayMaps() {
    Map<String, Object> fields = EventFields.of(failedMission().get(0));

    assertThat(fields).contains(entry("cause.kind", "COMMAND"), entry("cause.actor.id", "ann"), entry("cause.attempt", null),
        entry("kind", "MissionStarted"), entry("planName", "diamond"), entry("params", Map.of()),
        entry("stages", List.of("extract", "clean", "features", "train", "publish")));
  }

  @Test
  void theColumnsCoverEveryFieldOfEveryEventKindOnce() {
    List<String> columns = EventFields.columns();

    assertThat(columns).startsWith("missionId", "sequence", "timestamp", "cause.kind", "cause.actor.kind", "cause.actor.id",
        "cause.actor.host", "cause.attempt", "kind");
    assertThat(columns).contains("planName", "stage", "attempt", "worker", "outputs", "error.message", "error.detail",
        "error.retryable", "reason", "input").doesNotHaveDuplicates();
    for (MissionEvent event : failedMission()) {
      assertThat(columns).containsAll(EventFields.of(event).keySet());
    }
  }
}
