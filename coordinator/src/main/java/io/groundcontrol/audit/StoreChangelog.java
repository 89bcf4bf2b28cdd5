package io.groundcontrol.audit;

import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.wire.WireFormatException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The coordinator's mission store as its changelog topic holds it: Kafka Streams writes every
 * change of the store there, so the latest value per key is the stored mission, and a tombstone
 * removes it. Reading the changelog needs no coordinator and sees every instance's partitions.
 */
public final class StoreChangelog implements AutoCloseable {
  private final TopicSnapshot snapshot;
  private final String topic;

  private StoreChangelog(TopicSnapshot snapshot, String topic) {
    this.snapshot = snapshot;
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
  public static StoreChangelog open(String bootstrapServers, String applicationId) {
    String topic = topic(applicationId);
    return new StoreChangelog(TopicSnapshot.open(bootstrapServers, topic,
        "is the coordinator's --application-id '" + applicationId + "'? (`dev` and `demo` use <topic prefix>-coordinator)"),
        topic);
  }

  /** The changelog's name. */
  public String name() {
    return topic;
  }

  /**
   * The stored missions. A record that cannot be decoded goes to {@code problems} with its
   * topic, partition and offset; if it is a mission's latest value, that mission is
   * {@linkplain Stored#unreadable() unreadable}.
   */
  public Stored read(Consumer<String> problems) {
    Map<String, MissionState> missions = new LinkedHashMap<>();
    Set<String> unreadable = new LinkedHashSet<>();
    snapshot.forEach(record -> {
      String id = record.key();
      if (record.value() == null) {
        missions.remove(id);
        unreadable.remove(id);
        return;
      }
      try {
        missions.put(id, CoordinatorTopics.MISSION_STATE.codec().decode(record.value()));
        unreadable.remove(id);
      } catch (WireFormatException e) {
        problems.accept(where(record) + ": " + e.getMessage());
        missions.remove(id);
        unreadable.add(id);
      }
    });
    return new Stored(Collections.unmodifiableMap(missions), Collections.unmodifiableSet(unreadable));
  }

  private static String where(ConsumerRecord<String, byte[]> record) {
    return record.topic() + "-" + record.partition() + " offset " + record.offset();
  }

  @Override
  public void close() {
    snapshot.close();
  }

  /**
   * What the store holds.
   *
   * @param missions stored missions by id, in the order first seen
   * @param unreadable missions whose latest stored value cannot be decoded
   */
  public record Stored(Map<String, MissionState> missions, Set<String> unreadable) {}
}
