package io.groundcontrol.coordinator;

import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * Routes each instruction to its component's topic, and tells whoever watches those topics (an
 * {@link InstructionTopicWatch}) of each component it routes to.
 */
final class InstructionTopics implements TopicNameExtractor<String, StageInstruction> {
  /** More components than any installation has; past it the names are rebuilt, still correct. */
  private static final int MAX_CACHED = 10_000;

  private final TopicNames names;
  /**
   * Topic by component: checking a name takes a regex match, which was most of the stream thread's
   * sampled allocation at 256 missions in flight. Shared by the stream threads, as the extractor is.
   */
  private final Map<String, String> byComponent = new ConcurrentHashMap<>();

  private final Consumer<String> routedTo;

  InstructionTopics(TopicNames names) {
    this(names, component -> { });
  }

  /** @param routedTo told of a component the first time an instruction goes to it (again after the cache is cleared) */
  InstructionTopics(TopicNames names, Consumer<String> routedTo) {
    this.names = names;
    this.routedTo = routedTo;
  }

  @Override
  public String extract(String missionId, StageInstruction instruction, RecordContext context) {
    String component = instruction.getComponent();
    String topic = component == null ? null : byComponent.get(component);
    if (topic == null) {
      topic = names.instructions(component);
      if (byComponent.size() >= MAX_CACHED) {
        byComponent.clear();
      }
      byComponent.put(component, topic);
      routedTo.accept(component);
    }
    return topic;
  }

  @Override
  public String toString() {
    return names.prefix() + ".instructions.<component>";
  }
}
