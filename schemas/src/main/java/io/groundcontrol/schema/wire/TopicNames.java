package io.groundcontrol.schema.wire;

import java.util.regex.Pattern;

/**
 * The names of Groundcontrol's topics: the part of the contract that is not in the schemas. All
 * names share one prefix ({@code groundcontrol} by default), so several installations, a test, or a
 * replay can live on one cluster apart. Every topic is keyed by mission id (a UTF-8 string), except
 * {@link #plans()}, keyed by plan name, {@link #resultsRequests()}, keyed by result key, and the
 * component topics, keyed by component name.
 *
 * @param prefix the first part of every topic name; letters, digits, '.', '_' and '-'
 */
public record TopicNames(String prefix) {
  private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}");

  /** The names every component uses unless configured otherwise. */
  public static final TopicNames DEFAULT = new TopicNames("groundcontrol");

  /**
   * Component names become topic names, so they are limited to lower-case letters, digits, '.',
   * '_' and '-', start with a letter or digit, and are at most 100 characters.
   */
  public static final Pattern COMPONENT_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

  /** Checks the prefix. */
  public TopicNames {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "Expected a topic prefix matching " + PREFIX.pattern() + ", but got '" + prefix + "'");
    }
  }

  /** Compacted; key plan name (latest) or {@code name@version}; value {@code Plan}. */
  public String plans() {
    return prefix + ".plans";
  }

  /** Key mission id; value {@code MissionCommand}. Co-partitioned with {@link #stageReports()}. */
  public String missionCommands() {
    return prefix + ".mission-commands";
  }

  /** Key mission id; value {@code StageReport}, written by workers. */
  public String stageReports() {
    return prefix + ".stage-reports";
  }

  /** Key mission id; value {@code MissionEvent}: the audit log. */
  public String missionEvents() {
    return prefix + ".mission-events";
  }

  /**
   * Internal: the missions processor's requests to the results index; key result key (a hash of
   * component and resolved params), value {@code ResultRequest}.
   */
  public String resultsRequests() {
    return prefix + ".results-requests";
  }

  /**
   * Internal: the results index's answers; key mission id, value {@code ResultAnswer}.
   * Co-partitioned with {@link #missionCommands()}.
   */
  public String resultsAnswers() {
    return prefix + ".results-answers";
  }

  /** Compacted; key component name; value {@code ComponentSettings}, written by {@code component apply}. */
  public String components() {
    return prefix + ".components";
  }

  /** Compacted; key component name; value {@code ComponentStatus}, published by the coordinator. */
  public String componentStatus() {
    return prefix + ".component-status";
  }

  /**
   * Internal to the coordinator: key component; value {@code AdmissionRequest}, from the missions
   * to the admission sub-topology.
   */
  public String admissionRequests() {
    return prefix + ".admission-requests";
  }

  /**
   * Internal to the coordinator: key mission id; value {@code SlotGrant}, from the admission back to
   * the missions sub-topology. Co-partitioned with {@link #missionCommands()}.
   */
  public String admissionGrants() {
    return prefix + ".admission-grants";
  }

  /**
   * Internal to the coordinator: key plan name; value {@code MissionAdmissionRequest}, from the
   * missions to the mission-limits sub-topology (plans with {@code max_active_missions}).
   */
  public String missionAdmissionRequests() {
    return prefix + ".mission-admission-requests";
  }

  /**
   * Internal to the coordinator: key mission id; value {@code MissionAdmission}, from the
   * mission-limits sub-topology back to the missions. Co-partitioned with {@link #missionCommands()}.
   */
  public String missionAdmissions() {
    return prefix + ".mission-admissions";
  }

  /** Undecodable input records, as they came, with the reason and origin in headers. */
  public String deadLetters() {
    return prefix + ".dead-letters";
  }

  /** Compacted; key API key id; value {@code ApiKey} (a salted hash, never the key itself). */
  public String apiKeys() {
    return prefix + ".api-keys";
  }

  /** Compacted; key schedule name; value {@code Schedule}, a tombstone when removed. */
  public String schedules() {
    return prefix + ".schedules";
  }

  /** Key schedule name; value {@code ScheduleCommand}: pause, resume, fire now. */
  public String scheduleCommands() {
    return prefix + ".schedule-commands";
  }

  /** Key schedule name; value {@code ScheduleEvent}: every fire, skip, catch-up, pause and resume. */
  public String scheduleEvents() {
    return prefix + ".schedule-events";
  }

  /**
   * Internal: the mission events of scheduled missions, keyed by schedule name, so that each
   * schedule learns whether its last mission still runs. Value {@code MissionEvent}.
   */
  public String scheduledMissionEvents() {
    return prefix + ".scheduled-mission-events";
  }

  /** Compacted; key trigger name; value {@code Trigger}, a tombstone when removed. */
  public String triggers() {
    return prefix + ".triggers";
  }

  /**
   * Internal to the coordinator: key trigger name; value {@code TriggerMatch}, matched events of
   * triggers with a dedup window or a batch, on their way to the trigger gate.
   */
  public String triggerMatches() {
    return prefix + ".trigger-matches";
  }

  /** The topic a component's workers consume; key mission id, value {@code StageInstruction}. */
  public String instructions(String component) {
    checkComponent(component);
    return prefix + ".instructions." + component;
  }

  /** Throws {@link IllegalArgumentException} saying what is wrong if {@code component} is not a valid name. */
  public static void checkComponent(String component) {
    if (component == null || !COMPONENT_NAME.matcher(component).matches()) {
      throw new IllegalArgumentException(
          "Expected a component name matching " + COMPONENT_NAME.pattern() + ", but got '" + component + "'");
    }
  }
}
