package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StartDeduplicated;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A burst of trigger events into a capped component, on a real broker: what a team firing its day's
 * jobs at once expects. Every distinct key runs one mission to its end, none fails by a timeout
 * that counted its time in the queue (the stages' {@code timeout} and {@code start_timeout} are far
 * shorter than the queue takes to drain), and the workers never see more attempts at once than the
 * cap, though they could take four times as many. One of the two triggered plans also has a
 * {@code max_active_missions}. Size: {@code -Dgc.burst.events} (default 200; the report's
 * 20,000-event runs are a dev instance's, see README "Caps, priorities and fairness").
 */
class TriggerBurstIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final int EVENTS = Integer.getInteger("gc.burst.events", 200);
  private static final int CAP = 4;
  private static final int ACTIVE_LIMIT = 5;
  private static final long WORK_MS = 50;
  private static final long TIMEOUT_MS = 1_500;

  private GroundcontrolFixture groundcontrol;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void aBurstOfEventsIntoACappedComponentFinishesEveryMissionWithinTheCap() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "burst").startCoordinator();
    try (ComponentPublisher publisher = new ComponentPublisher(groundcontrol.connection(), groundcontrol.topics(), 2)) {
      publisher.apply(List.of(new ComponentSettings("bq", CAP, Map.of())));
    }
    groundcontrol.apply(twoCappedStages("load").build());
    groundcontrol.apply(twoCappedStages("limited").maxActiveMissions(ACTIVE_LIMIT).build());
    groundcontrol.worker("bq", 4 * CAP, context -> {
      int now = running.incrementAndGet();
      mostRunning.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(WORK_MS); // the work itself
      } finally {
        running.decrementAndGet();
      }
      return StageResult.finished();
    });
    String topic = groundcontrol.topics().prefix() + "-jobs";
    TriggerEvents.createTopic(groundcontrol, topic);
    String file = """
        triggers:
          - name: load
            topic: %1$s
            when: { plan: load }
            plan: load
            key: ${event.job}
          - name: limited
            topic: %1$s
            when: { plan: limited }
            plan: limited
            key: ${event.job}
        """.formatted(topic);
    TriggerEvents.apply(groundcontrol, file);

    // A tenth of the events repeat a job; a fifth of the jobs are of the limited plan.
    int distinct = EVENTS * 9 / 10;
    List<String> events = new ArrayList<>();
    List<String> missions = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      int job = i < distinct ? i : i % distinct;
      String plan = job % 5 == 0 ? "limited" : "load";
      events.add("{\"plan\":\"" + plan + "\",\"job\":\"j-" + job + "\"}");
      if (i < distinct) {
        missions.add("t." + plan + ".j-" + job);
      }
    }
    Collections.shuffle(events, new Random(7));
    long began = System.nanoTime();
    TriggerEvents.send(groundcontrol, topic, events);

    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofMinutes(4));
    System.out.printf("%d trigger events (%d jobs) through cap %d drained in %.1f s, stage timeouts %d ms, longest queued %s; "
        + "workers saw at most %d at once%n", EVENTS, distinct, CAP, (System.nanoTime() - began) / 1e9, TIMEOUT_MS,
        longestQueued(log), mostRunning.get());

    assertThat(mostRunning.get()).as("most attempts running at once, by the workers' counter").isBetween(1, CAP);
    int deduplicated = 0;
    for (String id : missions) {
      List<Object> seen = log.get(id).stream().<Object>map(MissionEvent::getEvent).toList();
      assertThat(seen).as("events of " + id)
          .hasAtLeastOneElementOfType(MissionFinished.class)
          .noneMatch(StageFailed.class::isInstance)
          .noneMatch(InputRejected.class::isInstance)
          .filteredOn(MissionStarted.class::isInstance).hasSize(1);
      assertThat(seen).filteredOn(StageDispatched.class::isInstance).as("dispatched once: " + id).hasSize(2);
      deduplicated += (int) seen.stream().filter(StartDeduplicated.class::isInstance).count();
    }
    assertThat(deduplicated).as("repeated jobs answered by the running mission").isEqualTo(EVENTS - distinct);
    assertThat(longestQueued(log)).as("the longest a first stage waited in the queue, longer than its timeouts")
        .isGreaterThan(Duration.ofMillis(TIMEOUT_MS));
  }

  /** The longest wait from a mission's start (or admission, under its plan's limit) to its first dispatch. */
  private static Duration longestQueued(Map<String, List<MissionEvent>> log) {
    Duration longest = Duration.ZERO;
    for (List<MissionEvent> events : log.values()) {
      Instant ready = null;
      for (MissionEvent event : events) {
        if (event.getEvent() instanceof MissionStarted || event.getEvent() instanceof MissionAdmitted) {
          ready = event.getTimestamp();
        } else if (event.getEvent() instanceof StageDispatched && ready != null) {
          Duration waited = Duration.between(ready, event.getTimestamp());
          longest = waited.compareTo(longest) > 0 ? waited : longest;
          break;
        }
      }
    }
    return longest;
  }

  /** Two stages of the capped component, each with timeouts far shorter than the queue's drain. */
  private static TestPlan twoCappedStages(String name) {
    return TestPlan.named(name)
        .stage("extract", "bq").timeout(TIMEOUT_MS).startTimeout(TIMEOUT_MS)
        .stage("load", "bq", "extract").timeout(TIMEOUT_MS).startTimeout(TIMEOUT_MS);
  }
}
