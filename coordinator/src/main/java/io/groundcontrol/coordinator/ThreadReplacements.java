package io.groundcontrol.coordinator;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the stream threads replaced in a row without progress in between, for {@link ThreadStall}.
 * Progress is a commit: Kafka Streams counts, per stream thread, the commits that committed at
 * least one task ({@code commit-total}), and a thread that fails on every try of the same input
 * never gets to one. The counts are those of the threads alive when asked; a replaced thread's go
 * with it, so a run is judged against the counts of the threads that outlived its last failure.
 */
final class ThreadReplacements {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacements.class);
  private static final String COMMITS = "commit-total";
  private static final String THREAD_GROUP = "stream-thread-metrics";
  private static final String THREAD_TAG = "thread-id";
  private static final int CAUSE_CHARS = 300;

  private int inARow;
  private String lastCause;
  /** Each surviving thread's commits at the last failure: more than this, or any by a newer thread, is progress. */
  private Map<String, Double> atLastFailure = Map.of();

  /**
   * The stream thread {@code thread} failed with {@code cause} and is being replaced.
   *
   * @param commits the commits of each stream thread alive, {@code thread} included (see {@link #commitsByThread})
   */
  synchronized void replaced(String thread, Map<String, Double> commits, Throwable cause) {
    inARow = progressed(commits) ? 1 : inARow + 1;
    lastCause = oneLine(cause);
    atLastFailure = new HashMap<>(commits);
    atLastFailure.remove(thread);
    if (inARow == ThreadStall.NOT_READY_AFTER) {
      LOG.error("Not ready: {}; /health/ready answers 503 until a stream thread commits again",
          new ThreadStall(inARow, lastCause).reason());
    } else if (inARow == ThreadStall.NOT_LIVE_AFTER) {
      LOG.error("Not live: {}; /health/live answers 503 too, for a restart of the process",
          new ThreadStall(inARow, lastCause).reason());
    }
  }

  /** New streams were started (their threads count from zero): any commit of theirs is progress. */
  synchronized void newStreams() {
    atLastFailure = Map.of();
  }

  /**
   * The run of replacements now, given each live thread's {@code commits}: empty while shorter than
   * {@link ThreadStall#NOT_READY_AFTER}, and once a thread committed since the last one, which ends it.
   */
  synchronized Optional<ThreadStall> stall(Map<String, Double> commits) {
    if (inARow > 0 && progressed(commits)) {
      if (inARow >= ThreadStall.NOT_READY_AFTER) {
        LOG.info("Ready again: a stream thread committed after {} replacements in a row", inARow);
      }
      inARow = 0;
    }
    return inARow >= ThreadStall.NOT_READY_AFTER ? Optional.of(new ThreadStall(inARow, lastCause)) : Optional.empty();
  }

  private boolean progressed(Map<String, Double> commits) {
    return commits.entrySet().stream()
        .anyMatch(thread -> thread.getValue() > atLastFailure.getOrDefault(thread.getKey(), 0.0));
  }

  /** The commits of each stream thread of {@code streams}, by thread name, from Kafka Streams' thread metrics. */
  static Map<String, Double> commitsByThread(KafkaStreams streams) {
    Map<String, Double> commits = new HashMap<>();
    streams.metrics().forEach((name, metric) -> {
      if (COMMITS.equals(name.name()) && THREAD_GROUP.equals(name.group())
          && metric.metricValue() instanceof Number count) {
        commits.put(name.tags().get(THREAD_TAG), count.doubleValue());
      }
    });
    return commits;
  }

  /** The failure and its root cause, each as its type and the first line of its message. */
  static String oneLine(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String line = describe(failure) + (root == failure ? "" : ", caused by " + describe(root));
    return line.length() <= CAUSE_CHARS ? line : line.substring(0, CAUSE_CHARS) + "...";
  }

  private static String describe(Throwable error) {
    String message = error.getMessage() == null ? "" : error.getMessage().strip();
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    return error.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
  }
}
