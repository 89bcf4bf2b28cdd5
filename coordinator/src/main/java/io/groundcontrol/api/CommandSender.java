package io.groundcontrol.api;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.MissionEvent;
import java.time.Duration;
import java.util.Optional;

/** Sends a mission command and waits, bounded, for the coordinator's decision on it ({@link CommandGateway}). */
interface CommandSender {
  /**
   * Sends {@code command} as {@code actor} and returns the first event it caused, or empty if
   * none came within {@code wait} (the command stays queued and will still be decided).
   * It returns only once Kafka took the command, so a zero wait is that acknowledgement alone.
   */
  Optional<MissionEvent> send(Actor actor, String missionId, Object command, Duration wait);
}
