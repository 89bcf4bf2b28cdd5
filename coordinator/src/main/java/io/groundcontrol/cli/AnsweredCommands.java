package io.groundcontrol.cli;

import io.groundcontrol.client.MissionCommands;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.client.WriteWait;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends a mission command and waits, bounded, for the coordinator's answer in the mission-events
 * log, so that the exit code says whether it was applied: 0 when applied or still queued, 1 when
 * rejected.
 */
final class AnsweredCommands {
  /** How long a command waits for its answer before it is left queued. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private AnsweredCommands() {}

  /**
   * Sends {@code command} for {@code missionId} as the current user and reports its answer.
   *
   * @param done what happened if it is applied, such as "cancelled m-1"
   */
  static int send(ClusterOptions cluster, String missionId, Object command, String done) {
    try (KafkaTarget target = cluster.connect();
        MissionCommands commands = new MissionCommands(
            target.connection(), cluster.topics(), MissionCommandsCli.currentUser(), Clock.systemUTC())) {
      // One wait for Kafka, where the log ends and the send together.
      WriteWait.Write write = commands.begin(missionId);
      try (MissionLog log = write.step(() ->
          new MissionLog(target.connection(), cluster.topics(), write.remaining()))) {
        Map<TopicPartition, Long> from = write.step(() -> log.endOffsets(write.remaining()));
        Actor issuer = MissionCommandsCli.currentUser();
        Instant issuedAt = Instant.ofEpochMilli(Clock.systemUTC().millis());
        commands.sendAs(write, issuer, issuedAt, missionId, command);
        if (!target.coordinatorMayRun()) {
          System.err.println("No coordinator runs on " + cluster.dataDir + ": the command is queued until `groundcontrol dev` runs.");
          return 0;
        }
        AtomicReference<MissionEvent> answer = new AtomicReference<>();
        log.follow(from, event -> {
          if (MissionCommands.isAnswer(event, missionId, issuer, issuedAt)) {
            answer.set(event);
            return false;
          }
          return true;
        }, MissionCommandsCli::warn, WAIT);
        return report(Optional.ofNullable(answer.get()), done, System.out, System.err);
      }
    }
  }

  /** Prints the answer (or that none came) and returns the exit code. */
  static int report(Optional<MissionEvent> answer, String done, PrintStream out, PrintStream err) {
    if (answer.isEmpty()) {
      err.println("No answer from a coordinator within " + WAIT.toSeconds() + " s; the command is queued.");
      return 0;
    }
    if (answer.get().getEvent() instanceof InputRejected rejected) {
      err.println("Rejected: " + rejected.getReason());
      return 1;
    }
    out.println(done + ": " + EventLines.describe(answer.get()));
    return 0;
  }
}
