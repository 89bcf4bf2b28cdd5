package io.groundcontrol.client;

import io.groundcontrol.schema.ApiKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, after a key was written, whether a key of another id took its name first: two creates
 * racing with one name both pass {@link ApiKeyRegistry#requireUnused}, and each reads the keys
 * topic after its write to see which keeps the name.
 *
 * <p>On one partition (as Groundcontrol creates the topic) the offset orders every write, and both
 * racers see the same order: the earlier key keeps the name, exactly one. A topic created with more
 * partitions has no order across them, so a live key of that name on another partition beats ours
 * whatever its position: never two winners, though two racers that each see the other both lose.
 * Losers withdraw their key (a tombstone), so they stop counting and a retry can have the name.
 */
final class ApiKeyNameRace {
  private record Placed(ApiKey key, int partition, long offset) {}

  /** Each live key by id, where it was first read: a key's later records (a revocation) keep its place. */
  private final Map<String, Placed> placed = new LinkedHashMap<>();

  /**
   * Takes the next record of {@code partition}, in the partition's order: {@code key}, or with null
   * a tombstone of {@code recordKey}.
   */
  void read(String recordKey, ApiKey key, int partition, long offset) {
    if (key == null) {
      placed.remove(recordKey);
      return;
    }
    Placed first = placed.get(key.getId());
    placed.put(key.getId(),
        first == null ? new Placed(key, partition, offset) : new Placed(key, first.partition(), first.offset()));
  }

  /** The key that has {@code ours}'s name before it, if any, given where {@code ours} was written. */
  Optional<ApiKey> earlierHolder(ApiKey ours, int partition, long offset) {
    return placed.values().stream()
        .filter(other -> !other.key().getId().equals(ours.getId()))
        .filter(other -> other.partition() != partition || other.offset() < offset)
        .map(Placed::key)
        .filter(other -> ApiKeyRegistry.sameName(other.getName(), ours.getName()))
        .findFirst();
  }
}
