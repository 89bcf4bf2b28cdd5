package io.groundcontrol.coordinator;

/** The coordinator stopped because the cluster refused it; the message is one line saying what and for whom. */
public final class CoordinatorStoppedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public CoordinatorStoppedException(String message) {
    super(message);
  }
}
