package io.groundcontrol.api;

import io.groundcontrol.client.LogFeed;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ScheduleEvent;
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
 * Sends an operator's pause, resume or fire-now to a schedule and waits, bounded, for the
 * scheduler's answer in the schedule-events log. The scheduler decides a command at its record
 * timestamp and names the command's issuer in the answer ({@code ScheduleEvent.issuedBy}), so the
 * answer is the event of that schedule with that timestamp and that issuer, actor id and host as
 * {@link CommandGateway} matches them: another instance's command, even with the same key in the
 * same millisecond, is told apart by its host. The gateway's clock never gives one instant twice.
 */
final class ScheduleGateway implements AutoCloseable {
  private record Pending(String schedule, String actorId, String actorHost, long timestamp) {
    static Pending of(String schedule, Actor actor, long timestamp) {
      return new Pending(schedule, actor.getId(), actor.getHost(), timestamp);
    }
  }

  /** Where commands go: the schedule-commands topic. */
  @FunctionalInterface
  interface Commands {
    void send(String schedule, Actor actor, Object command, Instant issuedAt);
  }

  /** A command as sent: when, which names a fire-now's mission. */
  record Sent(Instant issuedAt, Optional<ScheduleEvent> answer) {}

  private final Commands commands;
  private final UniqueClock clock = new UniqueClock();
  private final Map<Pending, CompletableFuture<ScheduleEvent>> waiting = new ConcurrentHashMap<>();
  private final AutoCloseable subscription;

  ScheduleGateway(SchedulePublisher publisher, LogFeed<ScheduleEvent> feed) {
    this(publisher::command, feed::subscribe);
  }

  ScheduleGateway(Commands commands, AnswerFeed<ScheduleEvent> answers) {
    this.commands = commands;
    this.subscription = answers.subscribe(this::onEvent);
  }

  /**
   * Sends {@code command} to {@code schedule} as {@code actor}; the answer is empty if none came
   * within {@code wait} (the command stays queued and will still be decided).
   */
  Sent send(Actor actor, String schedule, Object command, Duration wait) {
    CompletableFuture<ScheduleEvent> answer = new CompletableFuture<>();
    Instant issued = clock.instant();
    Pending pending = Pending.of(schedule, actor, issued.toEpochMilli());
    waiting.put(pending, answer);
    try {
      commands.send(schedule, actor, command, issued);
      return new Sent(issued, Optional.of(answer.get(wait.toMillis(), TimeUnit.MILLISECONDS)));
    } catch (TimeoutException e) {
      return new Sent(issued, Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sent(issued, Optional.empty());
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      waiting.remove(pending);
    }
  }

  private void onEvent(ScheduleEvent event) {
    Actor issuer = event.getIssuedBy();
    if (issuer == null) {
      // No command caused it (a tick, the schedules file), or a scheduler older than the field wrote it.
      return;
    }
    CompletableFuture<ScheduleEvent> answer =
        waiting.remove(Pending.of(event.getSchedule(), issuer, event.getTimestamp().toEpochMilli()));
    if (answer != null) {
      answer.complete(event);
    }
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
