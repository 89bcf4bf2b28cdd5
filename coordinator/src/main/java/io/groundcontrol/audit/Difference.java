package io.groundcontrol.audit;

/**
 * One way the state rebuilt from the log and the coordinator's stored state disagree.
 *
 * @param missionId the mission
 * @param field where they differ, e.g. {@code stage 'load' status}; empty when one side has no such mission
 * @param logSays the value rebuilt from the log
 * @param storeSays the value in the store
 */
public record Difference(String missionId, String field, String logSays, String storeSays) {
  /** One line: {@code mission m-1: stage 'load' status: log says FINISHED, store says RUNNING}. */
  public String describe() {
    String where = field.isEmpty() ? "" : field + ": ";
    return "mission " + missionId + ": " + where + "log says " + logSays + ", store says " + storeSays;
  }
}
