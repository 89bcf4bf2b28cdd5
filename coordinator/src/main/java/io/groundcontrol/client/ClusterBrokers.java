package io.groundcontrol.client;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/** How many brokers a cluster has: the first thing a coordinator's start asks it. */
public final class ClusterBrokers {
  private ClusterBrokers() {}

  /**
   * The number of brokers of the cluster behind {@code admin}, waiting at most {@code firstAnswer}:
   * Kafka's first answer to a process, so silence means the cluster is away or unreachable.
   *
   * @throws NoAnswerException if Kafka did not answer in time
   * @throws IllegalStateException if Kafka failed the call (a refusal stays among its causes)
   */
  public static int count(Admin admin, Duration firstAnswer) {
    try {
      return admin.describeCluster().nodes().get(firstAnswer.toNanos(), TimeUnit.NANOSECONDS).size();
    } catch (TimeoutException e) {
      throw new NoAnswerException("the cluster's brokers to start this coordinator instance", firstAnswer, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not describe the cluster: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing the cluster", e);
    }
  }
}
