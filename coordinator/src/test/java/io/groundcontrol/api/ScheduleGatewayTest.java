package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.SchedulePaused;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A schedule command's answer is the event of its schedule, at its timestamp, naming its issuer:
 * two instances (or two keys) pausing one schedule in the same millisecond get each their own.
 * The scheduler here answers while the command is being sent, so every answer has arrived before
 * the gateway starts waiting, and a wait of zero shows what it took.
 */
class ScheduleGatewayTest {
  private static final Actor HERE = new Actor(ActorKind.USER, "ci", "api@here:8080");
  private static final Actor OTHER_INSTANCE = new Actor(ActorKind.USER, "ci", "api@there:8080");
  private static final Actor OTHER_KEY = new Actor(ActorKind.USER, "ann", "api@here:8080");

  private Consumer<ScheduleEvent> log;
  private ScheduleGateway gateway;

  @AfterEach
  void close() throws Exception {
    gateway.close();
  }

  @Test
  void anotherInstancesAnswerAtTheSameMillisecondDoesNotAnswerThisOne() {
    gateway = answering(OTHER_INSTANCE);

    assertThat(gateway.send(HERE, "job", new PauseSchedule(null), Duration.ZERO).answer()).isEmpty();
  }

  @Test
  void anotherKeysAnswerAtTheSameMillisecondDoesNotAnswerThisOne() {
    gateway = answering(OTHER_KEY);

    assertThat(gateway.send(HERE, "job", new PauseSchedule(null), Duration.ZERO).answer()).isEmpty();
  }

  @Test
  void theAnswerIsTheOneNamingThisIssuerWhateverComesFirst() {
    gateway = answering(OTHER_INSTANCE, HERE);

    ScheduleGateway.Sent sent = gateway.send(HERE, "job", new PauseSchedule(null), Duration.ZERO);

    assertThat(sent.answer()).hasValueSatisfying(event -> assertThat(event.getIssuedBy()).isEqualTo(HERE));
  }

  /** A gateway whose scheduler pauses the schedule once for each of {@code issuers}, at the command's timestamp. */
  private ScheduleGateway answering(Actor... issuers) {
    return new ScheduleGateway((schedule, actor, command, issuedAt) -> {
      for (Actor issuer : issuers) {
        log.accept(paused(schedule, issuedAt, issuer));
      }
    }, listener -> {
      log = listener;
      return () -> log = null;
    });
  }

  private static ScheduleEvent paused(String schedule, Instant at, Actor issuer) {
    return new ScheduleEvent(schedule, at, new SchedulePaused(issuer.getId(), null), issuer);
  }
}
