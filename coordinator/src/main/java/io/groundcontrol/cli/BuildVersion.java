package io.groundcontrol.cli;

import io.groundcontrol.schema.wire.SchemaSet;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code groundcontrol --version} prints: the release, and the record schemas this build writes,
 * which two builds must share to run side by side in one installation (README, "Upgrading").
 */
final class BuildVersion implements IVersionProvider {
  static final String RELEASE = "groundcontrol 0.1.0";

  @Override
  public String[] getVersion() {
    return new String[] {
      RELEASE,
      "record schemas " + SchemaSet.current().id() + ": " + String.join(", ", SchemaSet.versions())
    };
  }
}
