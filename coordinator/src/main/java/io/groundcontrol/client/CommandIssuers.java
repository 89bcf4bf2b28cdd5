package io.groundcontrol.client;

import io.groundcontrol.schema.Actor;
import java.time.Instant;
import java.util.Objects;

/**
 * How a client knows the coordinator's answer to its own command: the coordinator stamps what a
 * command caused with the command's issuer and its record's timestamp, whole milliseconds.
 */
public final class CommandIssuers {
  private CommandIssuers() {}

  /**
   * Whether something stamped {@code by} at {@code at} answers a command {@code issuer} sent at
   * {@code issuedAt}: same actor id and host, same millisecond.
   */
  public static boolean answers(Actor by, Instant at, Actor issuer, Instant issuedAt) {
    return by != null
        && at.toEpochMilli() == issuedAt.toEpochMilli()
        && by.getId().equals(issuer.getId())
        && Objects.equals(by.getHost(), issuer.getHost());
  }
}
