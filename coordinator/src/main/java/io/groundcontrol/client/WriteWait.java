package io.groundcontrol.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RetriableException;

/**
 * How long a writer waits for Kafka to take a write, every wait included: the reads the write
 * needs first (what exists, the topic setup), a producer's wait for metadata ({@code
 * max.block.ms}, a minute by default), an admin call's ({@code default.api.timeout.ms}, a minute)
 * and the acknowledgement. With the cluster unreachable, Kafka's own timeouts would hold the caller
 * 30 s to a minute per call, and an HTTP caller gives up first. A write that runs out of time
 * fails with a {@link WriteNotTakenException}.
 *
 * @param limit the longest a write waits
 */
public record WriteWait(Duration limit) {
  /**
   * How long a command-line tool waits for Kafka, for the whole of one command: long enough to
   * ride out a leader election or a broker's restart (an embedded broker takes about 10 s), short
   * enough that a user in an outage learns it within a quarter of a minute.
   */
  public static final WriteWait TOOLS = new WriteWait(Duration.ofSeconds(15));

  /** Checks the limit. */
  public WriteWait {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("Expected a positive wait for Kafka writes, but got " + limit);
    }
  }

  /** Producer settings ({@link KafkaClients#producer}) whose sends block at most the limit. */
  public Map<String, Object> producer(KafkaConnection kafka) {
    Map<String, Object> settings = KafkaClients.producer(kafka);
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, limit.toMillis());
    return settings;
  }

  /** An admin client whose calls give up after the limit; close it. */
  public Admin admin(KafkaConnection kafka) {
    int millis = (int) Math.min(Integer.MAX_VALUE, limit.toMillis());
    return Admin.create(kafka.clientConfig(Map.of(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 30_000))));
  }

  /**
   * Starts one write, which may take several sends and admin calls, all within the limit.
   *
   * @param what what is written, as a phrase: {@code plan 'etl' version 3}
   * @param afterwards whether it may still land if Kafka did not take it in time, and whether
   *     sending it again is safe, in sentences
   */
  public Write begin(String what, String afterwards) {
    return new Write(System.nanoTime() + limit.toNanos(), limit, what, afterwards);
  }

  /** A limit as a message says it: {@code 15 s}, or {@code 200 ms} for a limit of no whole seconds. */
  static String phrase(Duration limit) {
    return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
  }

  /**
   * One write under way: its deadline, and what to say if Kafka does not take it. The reads it
   * needs first run as its {@link #step steps}, bounded by what is left of the same deadline.
   */
  public static final class Write {
    /** What a write that failed before anything of it was sent may do: nothing. */
    static final String NOTHING_SENT = "None of it was sent, so none of it can land later: sending it again is safe";

    private final long deadline;
    private final Duration limit;
    private final String what;
    private final String afterwards;
    /** Whether a send was handed to the producer: only then may the write land after it failed. */
    private boolean sent;

    private Write(long deadline, Duration limit, String what, String afterwards) {
      this.deadline = deadline;
      this.limit = limit;
      this.what = what;
      this.afterwards = afterwards;
    }

    /**
     * Waits, until the deadline at most, for a send or admin call to complete.
     *
     * @throws WriteNotTakenException if Kafka did not complete it in time, or failed it as it may
     *     while the cluster is away (a retriable error)
     * @throws IllegalStateException if Kafka refused it for good (authorization, a record too large)
     */
    public <T> T await(Future<T> pending) {
      sent = true;
      try {
        return pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while writing the " + what, e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RetriableException) {
          throw notTaken(e.getCause());
        }
        throw new IllegalStateException("Could not write the " + what + ": " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw notTaken(noAnswer(e));
      }
    }

    /**
     * Runs steps that ask Kafka on their own (the reads a write needs first, the topic setup), each
     * call bounded by {@link #remaining()}; one that ran out of time fails as the write not taken,
     * saying Kafka gave no answer within the limit.
     */
    public <T> T step(Supplier<T> steps) {
      try {
        return steps.get();
      } catch (WriteNotTakenException e) {
        throw e;
      } catch (RuntimeException e) {
        if (timedOut(e)) {
          throw notTaken(noAnswer(e));
        }
        throw e;
      }
    }

    /** What is left of the wait: the timeout to give a call to Kafka made in a step; zero once it passed. */
    public Duration remaining() {
      return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** The deadline, for a reader's calls to Kafka. */
    ReadDeadline deadline() {
      return ReadDeadline.at(deadline, limit);
    }

    /** As {@link #step(Supplier)}, for steps without a result. */
    public void step(Runnable steps) {
      step(() -> {
        steps.run();
        return null;
      });
    }

    /**
     * The failure for a write Kafka did not take, failed by {@code cause}: what it may still do,
     * once a send was handed to the producer; else that none of it can land.
     */
    public WriteNotTakenException notTaken(Throwable cause) {
      return new WriteNotTakenException(what, sent ? afterwards : NOTHING_SENT, cause);
    }

    /** The wait ran out: Kafka's own words on what it was doing stay as the cause. */
    private TimeoutException noAnswer(Throwable kafkas) {
      TimeoutException noAnswer = new TimeoutException("no answer within " + phrase(limit));
      noAnswer.initCause(kafkas);
      return noAnswer;
    }

    private static boolean timedOut(Throwable error) {
      for (Throwable t = error; t != null; t = t.getCause()) {
        if (t instanceof org.apache.kafka.common.errors.TimeoutException || t instanceof TimeoutException) {
          return true;
        }
      }
      return false;
    }
  }
}
