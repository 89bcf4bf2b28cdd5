package io.groundcontrol.api;

import io.groundcontrol.client.EventFeed;
import io.groundcontrol.client.LiveTable;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The metrics behind {@code /metrics}: Kafka Streams' own (Micrometer's Kafka binder), the JVM's,
 * the queues of capped components ({@link QueueGauges}), and Groundcontrol's from the event log:
 * missions started, finished, failed, cancelled and forgotten (their retention over), and stage
 * attempt durations (dispatch to outcome) by component and outcome. Every instance reads
 * the whole log but counts only the missions it owns now, so the sum over instances counts each
 * mission once. Dispatches are noted for every mission, owned here or not, so that an attempt
 * whose mission moved here while it ran (its owner stopped, died or handed it on) is timed by the
 * instance that owns it at its outcome.
 * The mission counters count outcome events, not missions: a FAILED mission that {@code mission
 * retry} resumes and then finishes counts as failed and as finished. They start when the API
 * attaches and follow the log from its end, so events written before are not counted.
 *
 * <p>Kafka Streams' metrics are bound at the first scrape, not at start: binding their ~4,000
 * meters made every instance's start 1.9 s longer, scraped or not. The first scrape pays it instead.
 * When the coordinator replaces its Kafka Streams (its trigger topics changed), the next scrape
 * unbinds the old one's meters and binds the new one's.
 */
final class ApiMetrics implements AutoCloseable {
  private static final int TRACKED_ATTEMPTS = 100_000;

  private record AttemptKey(String missionId, String stage, int attempt) {}

  private record Dispatch(String component, Instant at) {}

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Supplier<KafkaStreams> streams;
  private final HostInfo self;
  private KafkaStreamsMetrics streamsMetrics;
  /** The Kafka Streams whose meters {@link #streamsMetrics} bound. */
  private KafkaStreams bound;
  private final AutoCloseable subscription;
  private final QueueGauges queues;
  private final Counter started;
  private final Counter finished;
  private final Counter failed;
  private final Counter cancelled;
  private final Counter forgotten;
  private final Map<AttemptKey, Dispatch> dispatched = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<AttemptKey, Dispatch> eldest) {
      return size() > TRACKED_ATTEMPTS;
    }
  };

  /** @param streams the coordinator's current Kafka Streams, asked at each scrape and event */
  ApiMetrics(Supplier<KafkaStreams> streams, HostInfo self, EventFeed feed, LiveTable<ComponentStatus> statuses) {
    this.streams = streams;
    this.queues = new QueueGauges(statuses, registry, Clock.systemUTC());
    this.self = self;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    this.started = missions("started");
    this.finished = missions("finished");
    this.failed = missions("failed");
    this.cancelled = missions("cancelled");
    this.forgotten = missions("forgotten");
    this.subscription = feed.subscribe(this::onEvent);
  }

  /** The Prometheus text exposition of every metric. */
  synchronized String scrape() {
    KafkaStreams current = streams.get();
    if (bound != current) {
      if (streamsMetrics != null) {
        streamsMetrics.close();
      }
      streamsMetrics = new KafkaStreamsMetrics(current);
      streamsMetrics.bindTo(registry);
      bound = current;
    }
    queues.registerNew();
    return registry.scrape();
  }

  private Counter missions(String outcome) {
    return Counter.builder("groundcontrol.missions." + outcome)
        .description("Missions " + outcome + ", counted by the instance that owned them").register(registry);
  }

  private void onEvent(MissionEvent event) {
    Object e = event.getEvent();
    if (e instanceof StageDispatched d) {
      // Noted whoever owns the mission now: the instance that owns it when the attempt ends times it.
      dispatched.put(new AttemptKey(event.getMissionId(), d.getStage(), d.getAttempt()),
          new Dispatch(d.getComponent(), event.getTimestamp()));
      return;
    }
    boolean owned = ownedHere(event.getMissionId());
    if (e instanceof StageFinished f) {
      stageEnded(event, f.getStage(), f.getAttempt(), "finished", owned);
    } else if (e instanceof StageFailed f) {
      stageEnded(event, f.getStage(), f.getAttempt(), "failed", owned);
    } else if (owned) {
      countOutcome(e);
    }
  }

  private void countOutcome(Object e) {
    if (e instanceof MissionStarted) {
      started.increment();
    } else if (e instanceof MissionFinished) {
      finished.increment();
    } else if (e instanceof MissionFailed) {
      failed.increment();
    } else if (e instanceof MissionCancelled) {
      cancelled.increment();
    } else if (e instanceof MissionForgotten) {
      forgotten.increment();
    }
  }

  /** Forgets the attempt's dispatch, and times the attempt if its mission is {@code owned} here. */
  private void stageEnded(MissionEvent event, String stage, int attempt, String outcome, boolean owned) {
    Dispatch dispatch = dispatched.remove(new AttemptKey(event.getMissionId(), stage, attempt));
    if (dispatch == null || !owned) {
      return;
    }
    Timer.builder("groundcontrol.stage.duration")
        .description("Stage attempts from dispatch to outcome")
        .tag("component", dispatch.component()).tag("outcome", outcome)
        .register(registry)
        .record(Duration.between(dispatch.at(), event.getTimestamp()));
  }

  private boolean ownedHere(String missionId) {
    try {
      KeyQueryMetadata owner = streams.get().queryMetadataForKey(
          CoordinatorTopology.MISSION_STORE, missionId, Serdes.String().serializer());
      return owner != null && self.equals(owner.activeHost());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() throws Exception {
    subscription.close();
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    registry.close();
  }
}
