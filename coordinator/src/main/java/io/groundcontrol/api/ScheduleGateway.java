package io.groundcontrol.api;

import io.groundcontrol.client.LogFeed;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ScheduleCommandRejected;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.SchedulePaused;
import io.groundcontrol.schema.ScheduleResumed;
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
 * timestamp and names its issuer in the answer, so the answer is the event of that schedule with
 * that timestamp that answers a command: a pause or resume by the issuer, a fire by the issuer's
 * hand, or a rejection. The gateway's clock never gives one instant twice.
 */
final class ScheduleGateway implements AutoCloseable {
  private record Pending(String schedule, long timestamp) {}

  /** A command as sent: when, which names a fire-now's mission. */
  record Sent(Instant issuedAt, Optional<ScheduleEvent> answer) {}

  private final SchedulePublisher publisher;
  private final UniqueClock clock = new UniqueClock();
  private final Map<Pending, CompletableFuture<ScheduleEvent>> waiting = new ConcurrentHashMap<>();
  private final AutoCloseable subscription;

  ScheduleGateway(SchedulePublisher publisher, LogFeed<ScheduleEvent> feed) {
    this.publisher = publisher;
    this.subscription = feed.subscribe(this::onEvent);
  }

  /**
   * Sends {@code command} to {@code schedule} as {@code actor}; the answer is empty if none came
   * within {@code wait} (the command stays queued and will still be decided).
   */
  Sent send(Actor actor, String schedule, Object command, Duration wait) {
    CompletableFuture<ScheduleEvent> answer = new CompletableFuture<>();
    Instant issued = clock.instant();
    Pending pending = new Pending(schedule, issued.toEpochMilli());
    waiting.put(pending, answer);
    try {
      publisher.command(schedule, actor, command, issued);
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
    Object e = event.getEvent();
    boolean answersCommand = e instanceof ScheduleCommandRejected
        || (e instanceof ScheduleFired fired && fired.getManual() != null)
        || e instanceof SchedulePaused || e instanceof ScheduleResumed;
    if (!answersCommand) {
      return;
    }
    CompletableFuture<ScheduleEvent> answer =
        waiting.remove(new Pending(event.getSchedule(), event.getTimestamp().toEpochMilli()));
    if (answer != null) {
      answer.complete(event);
    }
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
