package io.groundcontrol.ui;

import java.util.List;

/** What each page and fragment shows: the typed parameters of the templates in {@code src/main/jte}. */
public final class Views {
  private Views() {}

  /**
   * The frame of every page.
   *
   * @param session the signed-in user, or null on the sign-in page
   * @param nav which menu entry is current: missions, plans, components, schedules
   */
  public record Chrome(String title, Session session, String nav) {}

  /** @param next where to go after signing in */
  public record SignInPage(Chrome chrome, String error, String next) {}

  /** The current filters of the mission list, as typed; {@code error} says what is wrong with them. */
  public record MissionFilters(String plan, String status, String after, String before, String error) {
    public PickerTime afterPicker() {
      return PickerTime.of(after);
    }

    public PickerTime beforePicker() {
      return PickerTime.of(before);
    }
  }

  /** @param stages stage counts by status, e.g. {@code 4 FINISHED · 1 RUNNING} */
  public record MissionRow(String id, String plan, String status, String startedAt, String updatedAt, String stages,
      String reason) {
    public String href() {
      return "/ui/missions/" + ApiCalls.segment(id);
    }
  }

  /**
   * @param rowsUrl the rows fragment for these filters and this page, polled for live status
   * @param nextUrl the next page, or null on the last
   * @param firstUrl the first page, or null when on it
   */
  public record MissionsPage(Chrome chrome, MissionFilters filters, Rows rows, String nextUrl, String firstUrl,
      List<String> plans, List<String> statuses) {}

  /** The rows of a mission list page, a fragment that polls itself while the page is open. */
  public record Rows(List<MissionRow> missions, String rowsUrl) {
    public String pollEvery() {
      return "every 3s [document.visibilityState === 'visible']";
    }
  }

  /** An output of a stage, or a param of a mission: name and value as JSON text. */
  public record Output(String name, String value) {
    /** The value, cut if it is long ({@link LongText}). */
    public String shown() {
      return LongText.cut(value);
    }
  }

  /**
   * One stage of a mission as the live view shows it, with what the user may do to it.
   *
   * @param chunks for a stage fanned out in chunks, where they stand, as {@code mission show} says it; else null
   * @param reuse for a REUSED stage, where its result came from, as {@code mission show} says it; else null
   * @param reuseHref for a REUSED stage, the stage whose result it took
   * @param retryConfirmation what the Retry button asks before it sends
   */
  public record StageRow(String name, String component, String status, int attempt, String worker,
      String updatedAt, String error, String errorDetail, List<Output> outputs, String chunks, String note, String reuse,
      String reuseHref, boolean canRetry, String retryConfirmation, boolean canSkip, boolean canFail) {
    public String anchor() {
      return "stage-" + name;
    }
  }

  /**
   * The part of a mission's page that updates itself: header, DAG, stages and buttons.
   *
   * @param active whether the mission has not ended (RUNNING, or WAITING for admission): then it polls
   *     every second and can be cancelled; an ended one polls every ten
   * @param canOperate whether the user's role may operate: without it no buttons are drawn
   */
  public record LiveMission(String id, String plan, String planVersion, String status, String reason,
      String startedAt, String updatedAt, List<Output> params, DagView dag, List<StageRow> stages,
      boolean active, boolean canOperate, boolean stale, long sequence) {
    public String base() {
      return "/ui/missions/" + ApiCalls.segment(id);
    }

    /** The polling trigger; a tab in the background does not poll. */
    public String pollEvery() {
      return (active ? "every 1s" : "every 10s") + " [document.visibilityState === 'visible']";
    }
  }

  /**
   * The live part of a mission's page once the API no longer knows the mission (forgotten since the
   * page opened): in its place, the API's words, and no polling.
   */
  public record GoneMission(String id, String message) {}

  /** @param notice a message after an operation, e.g. why it was refused */
  public record MissionPage(Chrome chrome, LiveMission live, String notice) {}

  /** A plan in the list. */
  public record PlanRow(String name, String description, String version, int stages, int versions) {
    public String href() {
      return "/ui/plans/" + ApiCalls.segment(name);
    }
  }

  public record PlansPage(Chrome chrome, List<PlanRow> plans) {}

  /**
   * One stage of a plan, as the plan's page lists it.
   *
   * @param settings the rest of what the stage sets (foreach and its chunks, retry, timeouts, reuse)
   *     as JSON, or null if it sets nothing more
   */
  public record PlanStage(String name, String component, String description, List<String> upstream, String params,
      String settings) {}

  /** A version of a plan and when it was last applied (a table time), null if not known yet. */
  public record PlanVersion(String version, String appliedAt) {}

  /**
   * @param version the version shown; {@code latest} the newest one
   * @param versions every version, newest applied first
   * @param canStart whether the user may start missions
   */
  public record PlanPage(Chrome chrome, String name, String version, String latest, String description,
      List<PlanVersion> versions, DagView dag, List<ParamField> params, List<PlanStage> stages, String defaults,
      boolean canStart) {
    public String href() {
      return "/ui/plans/" + ApiCalls.segment(name);
    }
  }

  /**
   * The start form.
   *
   * @param idempotencyKey made once per render of the form: submitting it twice starts one mission
   * @param error why the API refused the start, when it is about no one field
   */
  /** The start form; {@code priority} as typed (blank for the default, 0). */
  public record StartPage(Chrome chrome, String plan, String version, String description, List<ParamField> fields,
      String priority, String idempotencyKey, String error) {
    public String action() {
      return "/ui/plans/" + ApiCalls.segment(plan) + "/start";
    }
  }

  public record ErrorPage(Chrome chrome, int status, String message) {}

  /**
   * One component as its list shows it.
   *
   * @param cap the cap, or {@code -} without one
   * @param oldestQueued how long the oldest queued attempt has waited, e.g. {@code 42s}; {@code -} if none waits
   */
  public record ComponentRow(String name, String cap, int running, int queued, String oldestQueued, String weights,
      List<String> liveWorkers) {}

  /** The components' rows, a fragment that polls itself while the page is open. */
  public record ComponentRows(List<ComponentRow> components) {
    public String pollEvery() {
      return "every 5s [document.visibilityState === 'visible']";
    }
  }

  public record ComponentsPage(Chrome chrome, ComponentRows rows) {}

  /**
   * One schedule as its list shows it, with what an operator may do to it.
   *
   * @param nextFire when the next fire is due (UTC), or null if none will come
   * @param laterFires the fires after it, for a tooltip
   * @param priority the priority of the missions it starts
   * @param pausedBy who paused it, or null if it runs
   * @param pausedInFile paused by the schedules file: only a new file resumes it
   */
  public record ScheduleRow(String name, String plan, String when, String overlap, int priority, String nextFire,
      String laterFires, String pausedBy, String pauseReason, boolean pausedInFile, String lastMissionId,
      String lastMissionStatus) {
    public String base() {
      return "/ui/schedules/" + ApiCalls.segment(name);
    }

    public String planHref() {
      return "/ui/plans/" + ApiCalls.segment(plan);
    }

    /** The last mission's page; null if there is none, or if its start was rejected (no such mission exists). */
    public String lastMissionHref() {
      return lastMissionId == null || "REJECTED".equals(lastMissionStatus) ? null
          : "/ui/missions/" + ApiCalls.segment(lastMissionId);
    }

    public boolean canPause() {
      return pausedBy == null;
    }

    public boolean canResume() {
      return pausedBy != null && !pausedInFile;
    }
  }

  /**
   * @param canOperate whether the user may pause, resume and fire: without it no buttons are drawn
   * @param notice what came of the last operation
   * @param refusedFire the fire-now whose priority the API refused, shown again as typed; null if none
   */
  public record SchedulesPage(Chrome chrome, List<ScheduleRow> schedules, boolean canOperate, String notice,
      TypedPriority refusedFire) {
    /** What the fire-now of {@code schedule} shows in its priority field: blank, or the refused value as typed. */
    public String firePriority(String schedule) {
      return refusedFire != null && refusedFire.schedule().equals(schedule) ? refusedFire.priority() : "";
    }
  }

  /** A priority as the user typed it into the fire-now of a schedule. */
  public record TypedPriority(String schedule, String priority) {}
}
