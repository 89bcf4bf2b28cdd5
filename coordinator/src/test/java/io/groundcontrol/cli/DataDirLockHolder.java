package io.groundcontrol.cli;

import java.nio.file.Path;

/** A separate process for {@link DataDirLockTest}: holds a data dir's lock until its stdin closes. */
public final class DataDirLockHolder {
  private DataDirLockHolder() {}

  public static void main(String[] args) throws Exception {
    try (DataDirLock lock = DataDirLock.acquire(Path.of(args[0]), "dev")) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() != -1) {
        // Hold the lock until the test lets go.
      }
    }
  }
}
