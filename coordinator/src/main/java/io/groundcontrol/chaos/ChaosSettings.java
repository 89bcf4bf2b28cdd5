package io.groundcontrol.chaos;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a chaos run goes.
 *
 * @param fault what to inject
 * @param coordinators the coordinator instances and the topics' partition count
 * @param missions how many missions to start, all at once
 * @param parked how many missions of a plan that no worker serves to start first: they stay in the
 *     coordinator's store for the whole run, as a large installation's waiting missions do, so that
 *     a restart has that much state to bring back
 * @param parallelism handler threads per component in the workers' process
 * @param faultAfter the share of all stages that has finished when the fault is injected, 0 to 1
 * @param deadline longest the run may take from the first start to the last end
 * @param keepScratch keep the scratch directory (data, state, child logs) afterwards
 * @param coordinatorOverrides Kafka Streams properties of the coordinator under test, as its
 *     {@code --set} takes them, in order
 * @param progress where progress lines go
 */
public record ChaosSettings(
    Fault fault,
    Coordinators coordinators,
    int missions,
    int parked,
    int parallelism,
    double faultAfter,
    Duration deadline,
    boolean keepScratch,
    Map<String, String> coordinatorOverrides,
    Consumer<String> progress) {

  public ChaosSettings {
    if (coordinators.count() < fault.minimumCoordinators()) {
      throw new IllegalArgumentException("fault " + fault + " needs at least " + fault.minimumCoordinators()
          + " coordinators, but the run has " + coordinators.count());
    }
    if (missions < 1) {
      throw new IllegalArgumentException("missions must be at least 1, but was " + missions);
    }
    if (parked < 0) {
      throw new IllegalArgumentException("parked missions must be at least 0, but was " + parked);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, but was " + parallelism);
    }
    if (!(faultAfter >= 0 && faultAfter <= 1)) {
      throw new IllegalArgumentException("the fault point must be between 0 and 1, but was " + faultAfter);
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("the deadline must be positive, but was " + deadline);
    }
    coordinatorOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(coordinatorOverrides));
  }
}
