package io.groundcontrol.audit;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.CompiledPlan;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.MissionStore;
import io.groundcontrol.coordinator.MissionStoreSerde;
import io.groundcontrol.coordinator.PlanKeys;
import io.groundcontrol.coordinator.StageKeys;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.PlanVersions;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.WireFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The coordinator's mission store as its changelog topic holds it: Kafka Streams writes every
 * change of the store there, so the latest value per key is the stored entry (a mission's header,
 * or one of its stages), and a tombstone removes it. Reading the changelog needs no coordinator and sees every instance's partitions.
 */
public final class StoreChangelog implements AutoCloseable {
  private static final AvroCodec<Plan> PLAN_CODEC = AvroCodec.of(Plan.class);

  private final TopicSnapshot snapshot;
  private final TopicSnapshot plans;
  private final String topic;

  private StoreChangelog(TopicSnapshot snapshot, TopicSnapshot plans, String topic) {
    this.snapshot = snapshot;
    this.plans = plans;
    this.topic = topic;
  }

  /** The changelog topic of the mission store of the coordinators with {@code applicationId}. */
  public static String topic(String applicationId) {
    return applicationId + "-" + CoordinatorTopology.MISSION_STORE + "-changelog";
  }

  /**
   * Fixes the changelog's end now; {@link #read} reads up to it. Open the changelog before reading
   * the log: every store change is committed together with its events, so the log then holds at
   * least what the store does.
   *
   * @throws IllegalStateException if the changelog does not exist
   */
  public static StoreChangelog open(KafkaConnection kafka, String applicationId, String plansTopic) {
    String topic = topic(applicationId);
    TopicSnapshot changelog = TopicSnapshot.open(kafka, topic,
        "is the coordinator's --application-id '" + applicationId + "'? (by default <topic prefix>-coordinator)");
    try {
      return new StoreChangelog(changelog, TopicSnapshot.open(kafka, plansTopic, "is the topic prefix the coordinator's?"),
          topic);
    } catch (RuntimeException e) {
      changelog.close();
      throw e;
    }
  }

  /** The changelog's name. */
  public String name() {
    return topic;
  }

  /**
   * The stored missions, each assembled from its header and stage entries and the stages of its plan
   * version that the store leaves implicit ({@link MissionStore}), stages in key order (by name), as
   * the store itself keeps them. A record that cannot
   * be decoded goes to {@code problems} with its topic, partition and offset; if it is the latest
   * value of a mission's header or of one of its stages, that mission is
   * {@linkplain Stored#unreadable() unreadable}.
   */
  public Stored read(Consumer<String> problems) {
    PlanVersions planVersions = planVersions(problems);
    Map<String, SpecificRecord> heads = new LinkedHashMap<>();
    Map<String, Map<String, StoredStage>> stages = new HashMap<>();
    Set<String> unreadableKeys = new HashSet<>();
    snapshot.forEach(record -> {
      String key = record.key();
      String id = StageKeys.isStageKey(key) ? StageKeys.missionIdOf(key) : key;
      unreadableKeys.remove(key);
      SpecificRecord value = null;
      if (record.value() != null) {
        try {
          value = MissionStoreSerde.INSTANCE.decode(record.value());
        } catch (WireFormatException e) {
          problems.accept(where(record) + ": " + e.getMessage());
          unreadableKeys.add(key);
        }
      }
      if (!StageKeys.isStageKey(key)) {
        if (value == null) {
          heads.remove(id);
          if (record.value() == null) {
            stages.remove(id);
          }
        } else {
          heads.put(id, value);
        }
      } else if (value instanceof StoredStage stage) {
        stages.computeIfAbsent(id, k -> new TreeMap<>()).put(stage.getName(), stage);
      } else if (stages.containsKey(id)) {
        stages.get(id).remove(key.substring(StageKeys.prefix(id).length()));
      }
    });
    Set<String> unreadable = new LinkedHashSet<>();
    unreadableKeys.forEach(key -> unreadable.add(StageKeys.isStageKey(key) ? StageKeys.missionIdOf(key) : key));
    Map<String, MissionState> missions = new LinkedHashMap<>();
    heads.forEach((id, head) -> {
      if (unreadable.contains(id)) {
        return;
      }
      if (head instanceof MissionHeader header) {
        missions.put(id, MissionStore.withImplicitStages(header,
            new ArrayList<>(stages.getOrDefault(id, Map.of()).values()), planVersions));
      } else if (head instanceof MissionState whole) {
        missions.put(id, whole);
      }
    });
    return new Stored(Collections.unmodifiableMap(missions), Collections.unmodifiableSet(unreadable));
  }

  /** Every plan version in the plans topic, compiled when first asked for. */
  private PlanVersions planVersions(Consumer<String> problems) {
    Map<String, Plan> byKey = new HashMap<>();
    plans.forEach(record -> {
      if (record.value() == null) {
        byKey.remove(record.key());
        return;
      }
      try {
        byKey.put(record.key(), PLAN_CODEC.decode(record.value()));
      } catch (WireFormatException e) {
        problems.accept(where(record) + ": " + e.getMessage());
      }
    });
    Map<String, MissionPlan> compiled = new HashMap<>();
    return (name, version) -> Optional.ofNullable(compiled.computeIfAbsent(PlanKeys.versioned(name, version),
        key -> byKey.containsKey(key) ? CompiledPlan.of(byKey.get(key)) : null));
  }

  private static String where(ConsumerRecord<String, byte[]> record) {
    return record.topic() + "-" + record.partition() + " offset " + record.offset();
  }

  @Override
  public void close() {
    snapshot.close();
    plans.close();
  }

  /**
   * What the store holds.
   *
   * @param missions stored missions by id, in the order first seen
   * @param unreadable missions whose latest stored value cannot be decoded
   */
  public record Stored(Map<String, MissionState> missions, Set<String> unreadable) {}
}
