package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionTopicsTest {
  private final InstructionTopics topics = new InstructionTopics(new TopicNames("gc"));

  @Test
  void eachComponentHasItsOwnTopicEveryTime() {
    assertThat(topics.extract("m-1", instruction("train"), null)).isEqualTo("gc.instructions.train");
    assertThat(topics.extract("m-2", instruction("score"), null)).isEqualTo("gc.instructions.score");
    assertThat(topics.extract("m-3", instruction("train"), null)).isEqualTo("gc.instructions.train");
  }

  @Test
  void aBadComponentNameIsRefusedEveryTimeNotCached() {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> topics.extract("m-1", instruction("Bad Name"), null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("but got 'Bad Name'");
    }
  }

  @Test
  void theWatchOfTheTopicsHearsOfEachComponentRoutedToOnce() {
    List<String> routed = new ArrayList<>();
    InstructionTopics watched = new InstructionTopics(new TopicNames("gc"), routed::add);

    watched.extract("m-1", instruction("train"), null);
    watched.extract("m-2", instruction("score"), null);
    watched.extract("m-3", instruction("train"), null);

    assertThat(routed).containsExactly("train", "score");
  }

  private static StageInstruction instruction(String component) {
    StageInstruction instruction = new StageInstruction();
    instruction.setComponent(component);
    return instruction;
  }
}
