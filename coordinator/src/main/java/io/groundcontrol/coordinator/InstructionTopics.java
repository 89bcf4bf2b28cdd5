package io.groundcontrol.coordinator;

import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.wire.TopicNames;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Routes each instruction to its component's topic. */
final class InstructionTopics implements TopicNameExtractor<String, StageInstruction> {
  private final TopicNames names;

  InstructionTopics(TopicNames names) {
    this.names = names;
  }

  @Override
  public String extract(String missionId, StageInstruction instruction, RecordContext context) {
    return names.instructions(instruction.getComponent());
  }

  @Override
  public String toString() {
    return names.prefix() + ".instructions.<component>";
  }
}
