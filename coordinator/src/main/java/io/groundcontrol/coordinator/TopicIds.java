package io.groundcontrol.coordinator;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The id each watched topic had when last seen. A topic deleted and created again has another, which
 * is how {@link InstructionTopicWatch} tells that another client (a broker creating topics on use)
 * created it again; a repair that fails is {@linkplain #again noted again}, so the next check
 * reports the topic once more instead of taking its new id as settled.
 */
final class TopicIds {
  private final Map<String, Uuid> seen = new HashMap<>();

  /** Notes that {@code topic} has {@code id} now; the id it had before, if it had another. */
  Optional<Uuid> note(String topic, Uuid id) {
    Uuid before = seen.put(topic, id);
    return before == null || before.equals(id) ? Optional.empty() : Optional.of(before);
  }

  /** Puts back the id {@code topic} had {@code before}, so that the next {@link #note} reports it created again. */
  void again(String topic, Uuid before) {
    seen.put(topic, before);
  }
}
