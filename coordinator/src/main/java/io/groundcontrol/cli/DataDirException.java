package io.groundcontrol.cli;

/** A local data dir that cannot be used: another process runs its broker, or it cannot be created or locked. */
final class DataDirException extends RuntimeException {
  DataDirException(String message) {
    super(message);
  }

  DataDirException(String message, java.io.IOException cause) {
    super(message + ": " + FileProblems.describe(cause), cause);
  }
}
