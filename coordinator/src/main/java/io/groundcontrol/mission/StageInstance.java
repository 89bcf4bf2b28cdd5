package io.groundcontrol.mission;

/**
 * The name of a stage instance: a plan stage's name, or {@code name[index]} for chunk {@code index}
 * (0-based, in chunk order) of a stage fanned out with {@code foreach}. The instance name is the
 * {@code stage} string everywhere a stage is named (instructions, reports, events, store keys,
 * timers, liveness, workers' attempt keys), so none of those change shape. Plan stage names cannot
 * contain {@code [}, so a chunk never collides with a plan stage.
 */
public final class StageInstance {
  private StageInstance() {}

  /** The name of chunk {@code index} of plan stage {@code stage}. */
  public static String chunk(String stage, int index) {
    return stage + "[" + index + "]";
  }

  /** Whether {@code name} names a chunk instance rather than a plan stage. */
  public static boolean isChunk(String name) {
    return name != null && name.endsWith("]") && name.indexOf('[') > 0;
  }

  /** The plan stage an instance belongs to: {@code score} for {@code score[17]} and for {@code score}. */
  public static String planStage(String name) {
    return isChunk(name) ? name.substring(0, name.indexOf('[')) : name;
  }

  /** The chunk index of a chunk instance, or -1 for a plan stage or a malformed index. */
  public static int index(String name) {
    if (!isChunk(name)) {
      return -1;
    }
    String digits = name.substring(name.indexOf('[') + 1, name.length() - 1);
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(digits);
  }
}
