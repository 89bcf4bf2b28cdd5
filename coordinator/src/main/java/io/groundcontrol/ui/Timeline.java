package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A mission's audit timeline as the UI shows it, and the attempts of each stage derived from it:
 * when each attempt was dispatched, started and ended, on which worker, and how it ended.
 *
 * @param entries the events, oldest first; of a long timeline the first ones ({@link TimelineCut})
 * @param latest of a long timeline, the latest events, which {@code eventsLeftOut} events separate from
 *     {@code entries}; else none
 * @param attempts the attempts of each stage, oldest first: every one, or of a long timeline those
 *     {@link TimelineCut#attempts} keeps, {@code attemptsLeftOut} fewer
 * @param active whether the mission has not ended as far as these events go: then the timeline polls
 */
public record Timeline(String missionId, List<Entry> entries, List<Entry> latest, int eventsLeftOut,
    Map<String, List<Attempt>> attempts, int attemptsLeftOut, List<String> problems, boolean active) {
  private static final Set<String> ENDING = Set.of("MissionFinished", "MissionFailed", "MissionCancelled",
      "MissionForgotten");
  private static final Set<String> GOING_ON = Set.of("MissionStarted", "MissionResumed", "MissionWaiting",
      "MissionAdmitted");

  /** A count as the page shows it, e.g. {@code 19,501}, whatever the JVM's locale. */
  public static String count(int n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  public String base() {
    return "/ui/missions/" + ApiCalls.segment(missionId);
  }

  /**
   * The polling trigger: every 5 s while the mission goes on and the tab is visible. Once it ended,
   * when every poll would read the whole log again for the same events, the log is read again only
   * when the live part finds the mission past the last event shown (retried from the CLI while the
   * page is open): its {@code mission-sequence} is the sequence of the last event the mission applied.
   * Each live poll checks anew, so a read that came before the log had the new events is made up for.
   */
  public String pollEvery() {
    return active ? "every 5s [document.visibilityState === 'visible']"
        : MissionPages.MISSION_SEQUENCE + "[detail.value > " + lastSequence() + "] from:body";
  }

  private long lastSequence() {
    List<Entry> last = latest.isEmpty() ? entries : latest;
    return last.isEmpty() ? 0 : last.get(last.size() - 1).sequence();
  }

  /** One event: when, what, about which stage, who caused it, and its own details in one line. */
  public record Entry(long sequence, String time, String kind, String stage, String actor, String detail) {
    public String shownTime() {
      return Times.shortTime(time);
    }
  }

  /**
   * One attempt of a stage.
   *
   * @param state where it stands: QUEUED (for a slot of a capped component), AWAITING_RETRY (until
   *     {@code dueAt}), DISPATCHED or RUNNING; or how it ended: FINISHED, FAILED, SKIPPED (the stage
   *     was skipped before it ended) or CANCELLED (its mission was)
   * @param duration from start (or dispatch, if no start was reported) to end, e.g. {@code 1.204 s}
   */
  public record Attempt(int attempt, String worker, String dispatchedAt, String startedAt, String endedAt,
      String duration, String state, String dueAt, String error, String errorDetail) {
    public String shownDispatched() {
      return Times.shortTime(dispatchedAt);
    }

    public String shownStarted() {
      return Times.shortTime(startedAt);
    }

    public String shownEnded() {
      return Times.shortTime(endedAt);
    }

    /** The state, and for a retry when it is due. */
    public String shownState() {
      return dueAt == null ? state : state + " until " + Times.shortTime(dueAt);
    }

    boolean open() {
      return endedAt == null;
    }

    Attempt with(String worker, String dispatchedAt, String startedAt, String state, String dueAt) {
      return new Attempt(attempt, worker, dispatchedAt, startedAt, endedAt, duration, state, dueAt, error, errorDetail);
    }

    /** This attempt ended at {@code time} as {@code state}. */
    Attempt ended(String worker, String time, String state, String error, String errorDetail) {
      return new Attempt(attempt, worker, dispatchedAt, startedAt, time, Timeline.duration(this, time), state, null, error,
          errorDetail);
    }
  }

  /** The timeline of the events the API answered for {@code GET /missions/{id}/events}. */
  static Timeline of(JsonNode body) {
    List<Entry> entries = new ArrayList<>();
    Map<String, Map<Integer, Attempt>> attempts = new LinkedHashMap<>();
    // A stage that runs in chunks has no attempts of its own: its chunks do, and its end is theirs.
    Set<String> fannedOut = new HashSet<>();
    boolean active = true;
    for (JsonNode event : body.path("events")) {
      String kind = text(event, "kind");
      active = ENDING.contains(kind) ? false : GOING_ON.contains(kind) || active;
      String stage = text(event, "stage");
      entries.add(new Entry(event.path("sequence").asLong(), text(event, "timestamp"), kind, stage,
          actor(event), detail(kind, event)));
      if ("StageFannedOut".equals(kind)) {
        fannedOut.add(stage);
      }
      if (fannedOut.contains(stage)) {
        continue;
      }
      if ("StageFailed".equals(kind) && endedBefore(attempts.get(stage), event.path("attempt").asInt())) {
        // Failed by hand while awaiting its retry (or queued for it): the event names the attempt
        // that failed before, whose error stays; what ends is the retry.
        endOpen(attempts.get(stage), text(event, "timestamp"), "FAILED", text(event, "error.message"),
            text(event, "error.detail"));
      } else if (stage != null && event.has("attempt")) {
        Map<Integer, Attempt> ofStage = attempts.computeIfAbsent(stage, s -> new LinkedHashMap<>());
        int number = event.path("attempt").asInt();
        ofStage.put(number, next(ofStage.get(number), number, kind, event));
      } else if ("StageSkipped".equals(kind) && attempts.containsKey(stage)) {
        endOpen(attempts.get(stage), text(event, "timestamp"), "SKIPPED", null, null);
      } else if ("MissionCancelled".equals(kind)) {
        attempts.values().forEach(ofStage -> endOpen(ofStage, text(event, "timestamp"), "CANCELLED", null, null));
      }
    }
    Map<String, List<Attempt>> byStage = new LinkedHashMap<>();
    attempts.forEach((stage, ofStage) -> byStage.put(stage, List.copyOf(ofStage.values())));
    List<String> problems = new ArrayList<>();
    body.path("problems").forEach(p -> problems.add(p.asText()));
    List<Entry> first = TimelineCut.first(entries);
    List<Entry> latest = TimelineCut.latest(entries);
    Map<String, List<Attempt>> listed = TimelineCut.attempts(byStage);
    return new Timeline(text(body, "missionId"), first, latest, entries.size() - first.size() - latest.size(),
        listed, TimelineCut.count(byStage) - TimelineCut.count(listed), problems, active);
  }

  private static Attempt next(Attempt before, int number, String kind, JsonNode event) {
    Attempt a = before != null ? before : new Attempt(number, null, null, null, null, null, null, null, null, null);
    String time = text(event, "timestamp");
    String worker = text(event, "worker") != null ? text(event, "worker")
        : "WORKER".equals(text(event, "cause.actor.kind")) ? text(event, "cause.actor.id") : a.worker();
    return switch (kind) {
      case "StageQueued" -> a.with(a.worker(), a.dispatchedAt(), a.startedAt(), "QUEUED", null);
      case "StageRetryScheduled" -> a.with(a.worker(), a.dispatchedAt(), a.startedAt(), "AWAITING_RETRY",
          text(event, "dueAt"));
      case "StageDispatched" -> a.with(a.worker(), time, a.startedAt(), "DISPATCHED", null);
      case "StageStarted" -> a.with(worker, a.dispatchedAt(), time, "RUNNING", null);
      case "StageFinished" -> a.ended(worker, time, "FINISHED", null, null);
      case "StageFailed" -> a.ended(worker, time, "FAILED", text(event, "error.message"), text(event, "error.detail"));
      default -> a;
    };
  }

  private static boolean endedBefore(Map<Integer, Attempt> ofStage, int number) {
    return ofStage != null && ofStage.containsKey(number) && !ofStage.get(number).open();
  }

  /** Ends the attempts of a stage still open, as a skip, a fail by hand or the mission's cancel cut them short. */
  private static void endOpen(Map<Integer, Attempt> ofStage, String time, String state, String error, String detail) {
    ofStage.replaceAll((number, a) -> a.open() ? a.ended(a.worker(), time, state, error, detail) : a);
  }

  private static String duration(Attempt a, String end) {
    String start = a.startedAt() != null ? a.startedAt() : a.dispatchedAt();
    if (start == null || end == null) {
      return null;
    }
    try {
      return Times.duration(Duration.between(Instant.parse(start), Instant.parse(end)));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String actor(JsonNode event) {
    String kind = text(event, "cause.actor.kind");
    String id = text(event, "cause.actor.id");
    return kind == null ? null : id == null ? kind : kind.toLowerCase() + " " + id;
  }

  private static String detail(String kind, JsonNode event) {
    return switch (kind == null ? "" : kind) {
      case "MissionStarted" -> "plan " + text(event, "planName") + " @ " + text(event, "planVersion")
          + params(event.path("params"));
      case "StageDispatched" -> "attempt " + text(event, "attempt") + " to " + text(event, "component");
      case "StageStarted" -> "attempt " + text(event, "attempt") + " on " + text(event, "worker");
      case "StageFinished" -> "attempt " + text(event, "attempt") + on(event) + params(event.path("outputs"));
      case "StageFailed" -> "attempt " + text(event, "attempt") + on(event) + ": " + text(event, "error.message");
      case "StageRetryScheduled" -> "attempt " + text(event, "attempt") + " due " + text(event, "dueAt");
      case "InputRejected" -> text(event, "reason");
      case "StageReused" -> "from mission " + text(event, "fromMission") + ", stage " + text(event, "fromStage")
          + ", finished " + Times.shortTime(text(event, "finishedAt")) + params(event.path("outputs"));
      case "StageAwaitingResult" -> "waits for the result of mission " + text(event, "runningMission") + ", stage "
          + text(event, "runningStage");
      default -> event.hasNonNull("reason") ? text(event, "reason") : "";
    };
  }

  /** " on W" for an outcome that names its worker (one whose start was not reported), else "". */
  private static String on(JsonNode event) {
    String worker = text(event, "worker");
    return worker == null ? "" : " on " + worker;
  }

  private static String params(JsonNode values) {
    if (!values.isObject() || values.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(":");
    values.fields().forEachRemaining(e -> out.append(' ').append(e.getKey()).append('=').append(
        LongText.cut(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString())));
    return out.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
