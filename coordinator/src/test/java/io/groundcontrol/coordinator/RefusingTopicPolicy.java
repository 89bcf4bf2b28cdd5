package io.groundcontrol.coordinator;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;

/**
 * A broker's topic creation policy that refuses the topics a test names, for as long as it names
 * them: an embedded broker runs in the test's JVM, so the test and the broker share these fields.
 */
public final class RefusingTopicPolicy implements CreateTopicPolicy {
  /** The topics refused now. */
  static final Set<String> REFUSED = ConcurrentHashMap.newKeySet();
  /** The topics refused now unless created with one partition, as the test's broker creates a topic on use. */
  static final Set<String> ONLY_ON_USE = ConcurrentHashMap.newKeySet();
  /** How many creations were refused so far. */
  static final AtomicInteger REFUSALS = new AtomicInteger();

  @Override
  public void validate(RequestMetadata request) {
    if (REFUSED.contains(request.topic())) {
      REFUSALS.incrementAndGet();
      throw new PolicyViolationException("the test's policy refuses " + request.topic());
    }
    if (ONLY_ON_USE.contains(request.topic()) && !Integer.valueOf(1).equals(request.numPartitions())) {
      REFUSALS.incrementAndGet();
      throw new PolicyViolationException("the test's policy refuses " + request.topic() + " unless created on use, with 1 partition");
    }
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
