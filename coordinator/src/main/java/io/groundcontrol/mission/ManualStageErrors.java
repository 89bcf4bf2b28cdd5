package io.groundcontrol.mission;

/**
 * The error of a stage marked failed by hand, as the log keeps it: the audit tells a fail command's
 * own {@code StageFailed} from the failures it causes by it.
 */
public final class ManualStageErrors {
  /** How the error of a stage marked failed by hand starts; the operator's id follows. */
  public static final String MARKED_FAILED_BY = "marked failed by ";

  private ManualStageErrors() {}

  /** The error of a stage marked failed by {@code actor}, with the reason given if any. */
  static String markedFailed(String actor, String reason) {
    return MARKED_FAILED_BY + actor + (reason == null ? "" : ": " + reason);
  }
}
