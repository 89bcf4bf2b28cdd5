package io.groundcontrol.coordinator;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's Kafka Streams now, and their replacement when the trigger topics change.
 *
 * <p>New streams are made only once the old ones have stopped: until then the old ones hold the
 * state directory's lock, and making new ones in it throws. A replacement that fails throws, so
 * that the trigger-topic watcher tries it again at its next check (closing an instance still
 * shutting down waits for it again). After {@link #ATTEMPTS} failures in a row the instance is left
 * without streams: it gives up and says why in {@link #stopped()}.
 */
final class StreamsRestarts {
  /** Replacements tried in a row before giving up: with the watcher's 5 s between them, about 3 minutes. */
  static final int ATTEMPTS = 5;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(StreamsRestarts.class);

  private final Function<Set<String>, KafkaStreams> starter;
  private volatile KafkaStreams current;
  private volatile String stopped;
  private int failures;
  private boolean closed;

  /**
   * @param running the streams started for the trigger topics of now
   * @param starter starts streams that read the given trigger topics
   */
  StreamsRestarts(KafkaStreams running, Function<Set<String>, KafkaStreams> starter) {
    this.current = running;
    this.starter = starter;
  }

  /** The streams now: a new instance after each replacement. */
  KafkaStreams current() {
    return current;
  }

  /** Why the streams could not be replaced, once the instance gave up; empty until then. */
  Optional<String> stopped() {
    return Optional.ofNullable(stopped);
  }

  /**
   * Stops the streams after a commit and starts new ones that read {@code triggerTopics}. The old
   * ones leave the group as they stop: a static member that rejoins at once is handed its previous
   * assignment without a rebalance, which has no task for a sub-topology the new topology added.
   *
   * @throws IllegalStateException if the replacement failed and is to be tried again
   */
  synchronized void restartWith(Set<String> triggerTopics) {
    if (closed || stopped != null) {
      return;
    }
    LOG.info("Restarting the coordinator's streams to read trigger topics {}", triggerTopics);
    try {
      stopCurrent();
      current = starter.apply(triggerTopics);
      failures = 0;
    } catch (RuntimeException e) {
      failures++;
      if (failures < ATTEMPTS) {
        throw new IllegalStateException("Could not restart the coordinator's streams to read trigger topics "
            + triggerTopics + " (attempt " + failures + " of " + ATTEMPTS + "): " + e.getMessage(), e);
      }
      stopped = "the coordinator's streams could not be restarted to read trigger topics " + triggerTopics + " ("
          + ATTEMPTS + " attempts, the last: " + e.getMessage() + "); this instance stops";
      LOG.error("Coordinator stopped: {}", stopped);
    }
  }

  private void stopCurrent() {
    boolean stoppedInTime = current.close(CloseOptions.groupMembershipOperation(
        CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
    if (!stoppedInTime) {
      throw new IllegalStateException("the previous streams did not stop within " + CLOSE_TIMEOUT.toSeconds()
          + " s (state " + current.state() + ")");
    }
  }

  /** Stops the streams after committing what was processed, waiting up to {@code timeout}; none start after. */
  synchronized void close(Duration timeout) {
    closed = true;
    current.close(timeout);
  }
}
