package io.groundcontrol.coordinator;

import io.groundcontrol.client.CompactedTopic;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components the latest version of each plan on the plans topic names: the instruction topics
 * new missions dispatch to. Read once as a coordinator starts, before its streams: the records a
 * global plan store restored from scratch would read, with only each key's last value decoded. The
 * topic keeps each version too ({@link PlanKeys}: {@code name@version}), and versions are never
 * removed; a component only older versions name was retired by a later apply, and its topic, once
 * an operator deletes it, is not made again (a mission still running on such a version waits for it).
 */
final class StoredPlanComponents {
  /** How long the read may take; past it, the components of the plans read so far are taken. */
  static final Duration READ_WITHIN = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(StoredPlanComponents.class);
  private static final AvroCodec<Plan> PLANS = AvroCodec.of(Plan.class);

  private final Map<String, byte[]> latest = new HashMap<>();

  /**
   * Follows one record of the plans topic: {@code value} stored under {@code key}, or the key removed
   * when null. Keys of single versions ({@code name@version}) are left out.
   */
  void record(String key, byte[] value) {
    if (key == null || key.indexOf(PlanKeys.VERSION_SEPARATOR) >= 0) {
      return;
    }
    if (value == null) {
      latest.remove(key);
    } else {
      latest.put(key, value);
    }
  }

  /** The components of every latest plan recorded; a plan this release cannot read is left out, as the store leaves it. */
  Set<String> components() {
    Set<String> components = new TreeSet<>();
    for (byte[] value : latest.values()) {
      Plan plan;
      try {
        plan = PLANS.decode(value);
      } catch (RuntimeException e) {
        continue;
      }
      for (PlanStage stage : plan.getStages()) {
        components.add(stage.getComponent());
      }
    }
    return components;
  }

  /**
   * The components the latest plans on the plans topic of {@code names} name. A read that fails, or does
   * not end within {@link #READ_WITHIN}, is said in one warning and gives the components read so
   * far: the check this serves is a repair, and must not keep a coordinator from starting.
   */
  static Set<String> read(KafkaConnection kafka, TopicNames names) {
    StoredPlanComponents stored = new StoredPlanComponents();
    try (CompactedTopic plans = new CompactedTopic(kafka, names.plans())) {
      if (!plans.scan(stored::record, READ_WITHIN)) {
        LOG.warn("Read only part of {} within {} s: the instruction topics of the plans not read are not checked",
            names.plans(), READ_WITHIN.toSeconds());
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not read {} to check the instruction topics of its plans: {}", names.plans(), e.getMessage());
    }
    return stored.components();
  }
}
