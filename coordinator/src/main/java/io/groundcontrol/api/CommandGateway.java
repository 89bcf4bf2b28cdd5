package io.groundcontrol.api;

import io.groundcontrol.client.EventFeed;
import io.groundcontrol.client.MissionCommands;
import io.groundcontrol.client.WriteNotTakenException;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a command and waits, bounded, for the coordinator's decision on it: the first event the
 * command caused, which is either its effect or an {@code InputRejected} saying why not. A
 * command's events carry its record timestamp and its actor, which is how they are told apart
 * from other commands on the same mission (the gateway's clock never gives one instant twice).
 */
final class CommandGateway implements CommandSender, AutoCloseable {
  private record Pending(String missionId, String actorId, String actorHost, long timestamp) {
    static Pending of(String missionId, Actor actor, long timestamp) {
      return new Pending(missionId, actor.getId(), actor.getHost(), timestamp);
    }
  }

  /** Where commands go: the mission-commands topic ({@link MissionCommands#sendAs}). */
  @FunctionalInterface
  interface Commands {
    void sendAs(Actor actor, Instant issuedAt, String missionId, Object command);
  }

  private final Commands commands;
  private final UniqueClock clock = new UniqueClock();
  private final Map<Pending, CompletableFuture<MissionEvent>> waiting = new ConcurrentHashMap<>();
  private final AutoCloseable subscription;

  CommandGateway(MissionCommands commands, EventFeed feed) {
    this(commands::sendAs, feed::subscribe);
  }

  CommandGateway(Commands commands, AnswerFeed<MissionEvent> answers) {
    this.commands = commands;
    this.subscription = answers.subscribe(this::onEvent);
  }

  /**
   * {@inheritDoc}
   *
   * @throws QueryUnavailableException if Kafka did not take the command (503 with Retry-After)
   */
  @Override
  public Optional<MissionEvent> send(Actor actor, String missionId, Object command, Duration wait) {
    CompletableFuture<MissionEvent> answer = new CompletableFuture<>();
    Instant issued = clock.instant();
    Pending pending = Pending.of(missionId, actor, issued.toEpochMilli());
    waiting.put(pending, answer);
    try {
      commands.sendAs(actor, issued, missionId, command);
      return Optional.of(answer.get(wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (WriteNotTakenException e) {
      throw unwritten(missionId, e);
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      waiting.remove(pending);
    }
  }

  /**
   * The answer when Kafka did not take a command: the cluster is the problem, not the request, and
   * the command may still be written and decided, so the caller is told to send it again, which a
   * start with the same id or idempotency key makes safe.
   */
  private static QueryUnavailableException unwritten(String missionId, WriteNotTakenException e) {
    return new QueryUnavailableException("Kafka did not take the command for mission '" + missionId + "' ("
        + e.reason() + "); is the cluster reachable? It may still be written and decided: follow the "
        + "mission, or send it again (a start with the same missionId or Idempotency-Key starts one mission)",
        ApiErrors.RETRY_NOT_TAKEN);
  }

  private void onEvent(MissionEvent event) {
    if (event.getCause().getKind() != CauseKind.COMMAND) {
      return;
    }
    Pending key = Pending.of(event.getMissionId(), event.getCause().getActor(), event.getTimestamp().toEpochMilli());
    CompletableFuture<MissionEvent> answer = waiting.remove(key);
    if (answer == null && event.getSequence() <= 1) {
      // A start that waited for its plan is decided at the time it was released, not at its
      // own timestamp: the first event of a new mission from this actor answers it.
      answer = waiting.keySet().stream()
          .filter(p -> p.missionId().equals(key.missionId()) && p.actorId().equals(key.actorId())
              && java.util.Objects.equals(p.actorHost(), key.actorHost()))
          .findFirst().map(waiting::remove).orElse(null);
    }
    if (answer != null) {
      answer.complete(event);
    }
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
