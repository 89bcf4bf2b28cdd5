package io.groundcontrol.worker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageResultTest {

  @Test
  void collectsOutputsInOrderWithoutChangingTheOriginal() {
    StageResult empty = StageResult.finished();

    StageResult result = empty.output("rows", "42").stringOutput("table", "sales \"2024\"");

    assertThat(empty.outputs()).isEmpty();
    assertThat(result.outputs())
        .containsExactly(Map.entry("rows", "42"), Map.entry("table", "\"sales \\\"2024\\\"\""));
  }

  @Test
  void copiesAGivenMap() {
    Map<String, String> outputs = new LinkedHashMap<>(Map.of("a", "1"));

    StageResult result = StageResult.finished(outputs);
    outputs.put("b", "2");

    assertThat(result.outputs()).containsOnly(Map.entry("a", "1"));
    assertThat(result).isEqualTo(StageResult.finished().output("a", "1"));
  }

  @Test
  void rejectsANullOutputValueSayingWhichOutput() {
    assertThatThrownBy(() -> StageResult.finished().output("rows", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("Expected output 'rows' as JSON text, but it is null; use \"null\" for a JSON null");
  }

  @Test
  void refusesAnOutputThatIsNotJsonTextSayingWhy() {
    assertThatThrownBy(() -> StageResult.finished().output("greeting", "hello world"))
        .isInstanceOf(NonRetryableStageException.class)
        .hasMessageStartingWith("Expected output 'greeting' to be JSON text, but 'hello world' is not: Unrecognized token 'hello'")
        .hasMessageEndingWith("(for a string use stringOutput)");
    assertThatThrownBy(() -> StageResult.finished().output("pair", "1 2"))
        .hasMessageContaining("more follows the first JSON value");
  }

  @Test
  void acceptsEveryKindOfJsonValue() {
    assertThat(StageResult.finished().output("a", "42").output("b", "\"x\"").output("c", "{\"a\":[1,null]}")
        .output("d", " true ").outputs()).hasSize(4);
  }
}
