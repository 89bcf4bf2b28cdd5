package io.groundcontrol.cli;

import java.util.Optional;

/** A local data dir that cannot be used: another process runs its broker, or it cannot be created or locked. */
final class DataDirException extends RuntimeException {
  private final transient DataDirLock.Holder holder;

  DataDirException(String message) {
    this(message, (DataDirLock.Holder) null);
  }

  /** The dir is in use by {@code holder}. */
  DataDirException(String message, DataDirLock.Holder holder) {
    super(message);
    this.holder = holder;
  }

  DataDirException(String message, java.io.IOException cause) {
    super(message + ": " + FileProblems.describe(cause), cause);
    this.holder = null;
  }

  /** The process that has the data dir's lock; empty if the dir is unusable for another reason. */
  Optional<DataDirLock.Holder> holder() {
    return Optional.ofNullable(holder);
  }
}
