package io.groundcontrol.coordinator;

/**
 * Keys of stage entries in the missions store: the mission id, a NUL, the stage name. NUL sorts
 * before every other character, so one mission's stages are one contiguous prefix range, and
 * mission ids that are prefixes of others ({@code m-1}, {@code m-10}) do not share it. Mission ids
 * cannot contain NUL (StartMission refuses them), so no header key looks like a stage key.
 */
public final class StageKeys {
  /** Separates the mission id from the stage name. */
  public static final char SEPARATOR = '\u0000';

  private StageKeys() {}

  /** The key of stage {@code stage} of mission {@code missionId}. */
  public static String of(String missionId, String stage) {
    return missionId + SEPARATOR + stage;
  }

  /** The prefix every stage key of {@code missionId} starts with. */
  public static String prefix(String missionId) {
    return missionId + SEPARATOR;
  }

  /** Whether {@code key} is a stage entry's key rather than a mission header's. */
  public static boolean isStageKey(String key) {
    return key.indexOf(SEPARATOR) >= 0;
  }

  /** The mission id of a stage key. */
  public static String missionIdOf(String stageKey) {
    return stageKey.substring(0, stageKey.indexOf(SEPARATOR));
  }
}
