package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  @Test
  void attemptsAreDerivedFromTheEventsOfEachStage() {
    Timeline timeline = Timeline.of(ApiCalls.parse("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 1, "timestamp": "2026-12-01T10:00:00Z", "kind": "MissionStarted", "cause.actor.kind": "USER",
           "cause.actor.id": "ops", "planName": "p", "planVersion": "v1", "params": {"date": "\\"2026-12-01\\""}},
          {"sequence": 2, "timestamp": "2026-12-01T10:00:00.100Z", "kind": "StageDispatched", "stage": "load",
           "attempt": 1, "component": "warehouse", "cause.actor.kind": "USER", "cause.actor.id": "ops"},
          {"sequence": 3, "timestamp": "2026-12-01T10:00:00.500Z", "kind": "StageStarted", "stage": "load",
           "attempt": 1, "worker": "w-1", "cause.actor.kind": "WORKER", "cause.actor.id": "w-1"},
          {"sequence": 4, "timestamp": "2026-12-01T10:00:02.000Z", "kind": "StageFailed", "stage": "load",
           "attempt": 1, "error.message": "connection reset", "error.detail": "at Db.read(Db.java:42)",
           "cause.actor.kind": "WORKER", "cause.actor.id": "w-1"},
          {"sequence": 5, "timestamp": "2026-12-01T10:00:03.000Z", "kind": "StageDispatched", "stage": "load",
           "attempt": 2, "component": "warehouse", "cause.actor.kind": "USER", "cause.actor.id": "ops"},
          {"sequence": 6, "timestamp": "2026-12-01T10:00:03.250Z", "kind": "StageFinished", "stage": "load",
           "attempt": 2, "outputs": {"rows": "42"}, "worker": "w-2", "cause.actor.kind": "WORKER",
           "cause.actor.id": "w-2"}]}"""));

    assertThat(timeline.entries()).hasSize(6);
    assertThat(timeline.entries().get(0).detail()).isEqualTo("plan p @ v1: date=\"2026-12-01\"");
    assertThat(timeline.entries().get(0).actor()).isEqualTo("user ops");
    List<Timeline.Attempt> attempts = timeline.attempts().get("load");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0)).isEqualTo(new Timeline.Attempt(1, "w-1", "2026-12-01T10:00:00.100Z",
        "2026-12-01T10:00:00.500Z", "2026-12-01T10:00:02.000Z", "1.500 s", "FAILED", null, "connection reset",
        "at Db.read(Db.java:42)"));
    assertThat(attempts.get(1).worker()).isEqualTo("w-2");
    assertThat(attempts.get(1).duration()).as("from dispatch, as no start was reported").isEqualTo("0.250 s");
    assertThat(attempts.get(1).state()).isEqualTo("FINISHED");
    assertThat(attempts.get(1).startedAt()).as("no start was reported").isNull();
    assertThat(timeline.entries().get(5).detail()).isEqualTo("attempt 2 on w-2: rows=42");
    assertThat(timeline.entries().get(3).detail()).as("the StageStarted named the worker")
        .isEqualTo("attempt 1: connection reset");
  }

  @Test
  void anOutcomeNamingItsWorkerGivesTheAttemptThatWorkerWhateverTheCause() {
    Timeline timeline = Timeline.of(ApiCalls.parse("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 2, "timestamp": "2026-12-01T10:00:00.100Z", "kind": "StageDispatched", "stage": "load",
           "attempt": 1, "component": "warehouse", "cause.actor.kind": "USER", "cause.actor.id": "ops"},
          {"sequence": 3, "timestamp": "2026-12-01T10:00:01.100Z", "kind": "StageFailed", "stage": "load",
           "attempt": 1, "error.message": "boom", "worker": "w-3", "cause.actor.kind": "WORKER",
           "cause.actor.id": "w-3"}]}"""));

    Timeline.Attempt attempt = timeline.attempts().get("load").get(0);
    assertThat(attempt.worker()).isEqualTo("w-3");
    assertThat(attempt.duration()).isEqualTo("1.000 s");
    assertThat(timeline.entries().get(1).detail()).isEqualTo("attempt 1 on w-3: boom");
  }

  /** Clocks disagree: a worker's start can be stamped after the outcome the coordinator stamped. */
  @Test
  void anAttemptThatEndedBeforeItsReportedStartTookANegativeTimeShownAsSuch() {
    Timeline timeline = Timeline.of(ApiCalls.parse("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 1, "timestamp": "2026-12-01T10:00:02.000Z", "kind": "StageStarted", "stage": "load",
           "attempt": 1, "worker": "w-1"},
          {"sequence": 2, "timestamp": "2026-12-01T10:00:01.500Z", "kind": "StageFinished", "stage": "load",
           "attempt": 1},
          {"sequence": 3, "timestamp": "2026-12-01T10:00:03.000Z", "kind": "StageStarted", "stage": "score",
           "attempt": 1, "worker": "w-1"},
          {"sequence": 4, "timestamp": "2026-12-01T10:00:01.500Z", "kind": "StageFinished", "stage": "score",
           "attempt": 1}]}"""));

    assertThat(timeline.attempts().get("load").get(0).duration()).isEqualTo("-0.500 s");
    assertThat(timeline.attempts().get("score").get(0).duration()).isEqualTo("-1.500 s");
  }

  /** An attempt not out with a worker yet, or one its mission's cancel or a skip cut short, is not "running". */
  @Test
  void anAttemptThatIsNotOutWithAWorkerOrWasCutShortIsNotShownAsRunning() {
    Timeline timeline = Timeline.of(ApiCalls.parse("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 1, "timestamp": "2026-12-01T10:00:00Z", "kind": "StageQueued", "stage": "train",
           "attempt": 1, "component": "gpu"},
          {"sequence": 2, "timestamp": "2026-12-01T10:00:00Z", "kind": "StageDispatched", "stage": "load",
           "attempt": 1, "component": "warehouse"},
          {"sequence": 3, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageFailed", "stage": "load",
           "attempt": 1, "error.message": "connection reset", "worker": "w-1"},
          {"sequence": 4, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageRetryScheduled", "stage": "load",
           "attempt": 2, "dueAt": "2026-12-01T10:05:01Z"},
          {"sequence": 5, "timestamp": "2026-12-01T10:00:02Z", "kind": "StageDispatched", "stage": "score",
           "attempt": 1, "component": "ml"},
          {"sequence": 6, "timestamp": "2026-12-01T10:00:03Z", "kind": "StageDispatched", "stage": "report",
           "attempt": 1, "component": "sql"},
          {"sequence": 7, "timestamp": "2026-12-01T10:00:04Z", "kind": "StageStarted", "stage": "report",
           "attempt": 1, "worker": "w-2"}]}"""));

    assertThat(timeline.attempts().get("train").get(0).state()).isEqualTo("QUEUED");
    assertThat(timeline.attempts().get("load").get(1).state()).isEqualTo("AWAITING_RETRY");
    assertThat(timeline.attempts().get("load").get(1).shownState()).isEqualTo("AWAITING_RETRY until 2026-12-01 10:05:01");
    assertThat(timeline.attempts().get("score").get(0).state()).isEqualTo("DISPATCHED");
    assertThat(timeline.attempts().get("report").get(0).state()).isEqualTo("RUNNING");

    Timeline ended = Timeline.of(ApiCalls.parse("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 1, "timestamp": "2026-12-01T10:00:00Z", "kind": "StageDispatched", "stage": "load",
           "attempt": 1, "component": "warehouse"},
          {"sequence": 2, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageStarted", "stage": "load",
           "attempt": 1, "worker": "w-1"},
          {"sequence": 3, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageDispatched", "stage": "score",
           "attempt": 1, "component": "ml"},
          {"sequence": 4, "timestamp": "2026-12-01T10:00:02Z", "kind": "StageSkipped", "stage": "score",
           "reason": "skip in the web UI"},
          {"sequence": 5, "timestamp": "2026-12-01T10:00:03Z", "kind": "MissionCancelled",
           "reason": "cancelled in the web UI"}]}"""));

    Timeline.Attempt load = ended.attempts().get("load").get(0);
    assertThat(load.state()).isEqualTo("CANCELLED");
    assertThat(load.endedAt()).isEqualTo("2026-12-01T10:00:03Z");
    assertThat(load.duration()).isEqualTo("2.000 s");
    assertThat(ended.attempts().get("score").get(0).state()).isEqualTo("SKIPPED");
  }

  /** A stage awaiting its retry, failed by hand: the coordinator names the attempt that failed before. */
  @Test
  void aStageFailedByHandWhileItAwaitsItsRetryEndsTheRetryNotTheAttemptThatFailed() {
    Timeline timeline = Timeline.of(ApiCalls.parse("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 1, "timestamp": "2026-12-01T10:00:00Z", "kind": "StageDispatched", "stage": "load",
           "attempt": 1, "component": "warehouse"},
          {"sequence": 2, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageFailed", "stage": "load",
           "attempt": 1, "error.message": "connection reset", "error.detail": "at Db.read", "worker": "w-1"},
          {"sequence": 3, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageRetryScheduled", "stage": "load",
           "attempt": 2, "dueAt": "2026-12-01T10:05:01Z"},
          {"sequence": 4, "timestamp": "2026-12-01T10:01:00Z", "kind": "StageFailed", "stage": "load",
           "attempt": 1, "error.message": "marked failed by ops"}]}"""));

    List<Timeline.Attempt> attempts = timeline.attempts().get("load");
    assertThat(attempts.get(0).error()).isEqualTo("connection reset");
    assertThat(attempts.get(0).errorDetail()).isEqualTo("at Db.read");
    assertThat(attempts.get(0).endedAt()).isEqualTo("2026-12-01T10:00:01Z");
    assertThat(attempts.get(1).state()).isEqualTo("FAILED");
    assertThat(attempts.get(1).error()).isEqualTo("marked failed by ops");
    assertThat(attempts.get(1).endedAt()).isEqualTo("2026-12-01T10:01:00Z");
  }

  @Test
  void theAttemptsTableSaysWhereAnAttemptStands() {
    String html = new Templates().html("timeline.jte", Timeline.of(ApiCalls.parse("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 1, "timestamp": "2026-12-01T10:00:00Z", "kind": "StageQueued", "stage": "train",
           "attempt": 1, "component": "gpu"}]}""")));

    assertThat(html).contains("QUEUED").doesNotContain("running");
  }

  /** A stage fanned out in 10,000 chunks: the page lists what matters and says what it leaves out. */
  @Test
  void aMissionOfTenThousandChunksGivesAPageOfBoundedSize() {
    StringBuilder events = new StringBuilder("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 0, "timestamp": "2026-12-01T10:00:00Z", "kind": "MissionStarted", "planName": "p",
           "planVersion": "v1", "params": {}}""");
    int sequence = 1;
    for (int chunk = 0; chunk < 10_000; chunk++) {
      String stage = "\"stage\": \"score[" + chunk + "]\", \"attempt\": 1";
      events.append(",\n{\"sequence\": ").append(sequence++).append(
          ", \"timestamp\": \"2026-12-01T10:00:01Z\", \"kind\": \"StageDispatched\", \"component\": \"ml\", ")
          .append(stage).append('}');
      boolean fails = chunk == 5_000;
      events.append(",\n{\"sequence\": ").append(sequence++).append(", \"timestamp\": \"2026-12-01T10:00:02Z\", \"kind\": \"")
          .append(fails ? "StageFailed\", \"error.message\": \"bad row\"" : "StageFinished\", \"outputs\": {\"n\": \"1\"}")
          .append(", \"worker\": \"w-1\", ").append(stage).append('}');
    }
    events.append("]}");

    Timeline timeline = Timeline.of(ApiCalls.parse(events.toString()));
    String html = new Templates().html("timeline.jte", timeline);

    assertThat(html.length()).as("characters of the page").isLessThan(400_000);
    assertThat(timeline.attempts().get("score[5000]")).as("the chunk that failed is listed")
        .extracting(Timeline.Attempt::state).containsExactly("FAILED");
    assertThat(html).contains("MissionStarted").contains("data-stage=\"score[5000]\"")
        .contains("<td>" + (sequence - 1) + "</td>").as("the latest event")
        .contains("19,501 events not shown").contains("9,999 attempts not listed")
        .contains("groundcontrol audit mission m1");
  }

  /** No worker runs a stage fanned out in chunks: its end, caused by its last chunk's report, is no attempt. */
  @Test
  void aStageFannedOutInChunksListsOnlyItsChunksAsAttempts() {
    Timeline timeline = Timeline.of(ApiCalls.parse("""
        {"missionId": "m1", "problems": [], "events": [
          {"sequence": 1, "timestamp": "2026-12-01T10:00:00Z", "kind": "StageFannedOut", "stage": "score",
           "itemCount": 2, "chunkSize": 1, "chunkCount": 2, "cause.actor.kind": "WORKER", "cause.actor.id": "w-1"},
          {"sequence": 2, "timestamp": "2026-12-01T10:00:00Z", "kind": "StageDispatched", "stage": "score[0]",
           "attempt": 1, "component": "ml"},
          {"sequence": 3, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageFinished", "stage": "score[0]",
           "attempt": 1, "outputs": {}, "worker": "w-2", "cause.actor.kind": "WORKER", "cause.actor.id": "w-2"},
          {"sequence": 4, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageDispatched", "stage": "score[1]",
           "attempt": 1, "component": "ml"},
          {"sequence": 5, "timestamp": "2026-12-01T10:00:02Z", "kind": "StageFailed", "stage": "score[1]",
           "attempt": 1, "error.message": "bad row", "worker": "w-2", "cause.actor.kind": "WORKER",
           "cause.actor.id": "w-2"},
          {"sequence": 6, "timestamp": "2026-12-01T10:00:02Z", "kind": "StageFailed", "stage": "score",
           "attempt": 1, "error.message": "chunk score[1] failed: bad row", "worker": null,
           "cause.actor.kind": "WORKER", "cause.actor.id": "w-2"},
          {"sequence": 7, "timestamp": "2026-12-01T10:00:03Z", "kind": "StageReset", "stage": "score",
           "cause.actor.kind": "USER", "cause.actor.id": "ops"},
          {"sequence": 8, "timestamp": "2026-12-01T10:00:03Z", "kind": "StageFannedOut", "stage": "score",
           "itemCount": 2, "chunkSize": 1, "chunkCount": 2, "cause.actor.kind": "USER", "cause.actor.id": "ops"},
          {"sequence": 9, "timestamp": "2026-12-01T10:00:04Z", "kind": "StageFinished", "stage": "score",
           "attempt": 2, "outputs": {}, "worker": null, "cause.actor.kind": "WORKER", "cause.actor.id": "w-2"}]}"""));

    assertThat(timeline.attempts()).containsOnlyKeys("score[0]", "score[1]");
    assertThat(timeline.entries()).as("the timeline still has every event").hasSize(9);
  }

  @Test
  void aReusedStageSaysWhoseResultItTook() {
    Timeline timeline = Timeline.of(ApiCalls.parse("""
        {"missionId": "m2", "problems": [], "events": [
          {"sequence": 1, "timestamp": "2026-12-01T10:00:00Z", "kind": "StageAwaitingResult", "stage": "extract",
           "runningMission": "m1", "runningStage": "extract"},
          {"sequence": 2, "timestamp": "2026-12-01T10:00:01Z", "kind": "StageReused", "stage": "extract",
           "fromMission": "m1", "fromStage": "extract", "finishedAt": "2026-12-01T10:00:00.500Z",
           "outputs": {"rows": "42"}}]}"""));

    assertThat(timeline.entries()).extracting(Timeline.Entry::detail).containsExactly(
        "waits for the result of mission m1, stage extract",
        "from mission m1, stage extract, finished 2026-12-01 10:00:00.500: rows=42");
  }
}
