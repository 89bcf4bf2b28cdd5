package io.groundcontrol.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * When a version of a plan was last applied: its {@code name@version} record on the plans topic,
 * which every apply writes anew. Compaction keeps the last record of each key at its offset, and
 * the topic has one partition, so offsets order the applies across restarts and compactions; the
 * time is the applier's clock, shown, never used to order. The plan itself keeps no apply time.
 *
 * @param offset the record's offset on the plans topic
 * @param at the record's timestamp
 */
record PlanApply(long offset, Instant at) {
  /** What a {@link io.groundcontrol.client.LiveTable} of the plans topic keeps of a record. */
  static PlanApply of(ConsumerRecord<String, byte[]> record) {
    return new PlanApply(record.offset(), Instant.ofEpochMilli(record.timestamp()));
  }

  /** A version of a plan, with when it was last applied if that is known. */
  record Version(String version, PlanApply applied) {}

  /**
   * The versions of plan {@code name} among the plan store's {@code keys}, newest applied first. A
   * version not yet read from the topic here (applied a moment ago) comes first: it is the newest.
   */
  static List<Version> newestFirst(String name, Collection<String> keys, Map<String, PlanApply> applies) {
    List<Version> versions = new ArrayList<>();
    String prefix = name + "@";
    keys.stream().filter(key -> key.startsWith(prefix)).sorted()
        .forEach(key -> versions.add(new Version(key.substring(prefix.length()), applies.get(key))));
    versions.sort(Comparator.comparing((Version v) -> v.applied() == null ? Long.MAX_VALUE : v.applied().offset())
        .reversed());
    return versions;
  }
}
