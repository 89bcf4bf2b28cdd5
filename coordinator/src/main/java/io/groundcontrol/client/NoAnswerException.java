package io.groundcontrol.client;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Kafka did not answer a read's first request (a topic's partitions, the first offsets lookup) in
 * time: the cluster is away or unreachable. Only that silence is bounded, by {@link #FIRST_ANSWER}
 * unless a reader is told otherwise; once Kafka answered, a long read of a big log goes on. A Kafka
 * {@code TimeoutException}, so that callers which already take one for "no answer in time" (a
 * write's {@link WriteWait.Write#step steps}, watchers that try again) still do.
 */
public final class NoAnswerException extends org.apache.kafka.common.errors.TimeoutException {
  /** How long a read waits for Kafka's first answer: as long as a tool waits for a write ({@link WriteWait#TOOLS}). */
  public static final Duration FIRST_ANSWER = WriteWait.TOOLS.limit();

  /**
   * @param what what could not be read, as a phrase: {@code topic gc.mission-events}
   * @param waited how long the read waited for an answer
   * @param kafkas Kafka's timeout, or the caller's
   */
  public NoAnswerException(String what, Duration waited, Throwable kafkas) {
    super("Could not read " + what + ": Kafka did not answer within " + WriteWait.phrase(waited), kafkas);
  }

  /**
   * Runs a read's first request to Kafka, which waits at most {@code waited}.
   *
   * @param what what it reads, as a phrase: {@code topic gc.mission-events}
   * @throws NoAnswerException if it timed out, Kafka's own words kept as the cause
   */
  static <T> T firstAnswer(String what, Duration waited, Supplier<T> request) {
    try {
      return request.get();
    } catch (NoAnswerException e) {
      throw e;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new NoAnswerException(what, waited, e);
    }
  }
}
