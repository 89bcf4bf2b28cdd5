package io.groundcontrol.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestMatchTest {
  private static final List<String> STAGE_FIELDS = List.of("name", "component", "description", "upstream", "params");

  @Test
  void suggestsNamesWithinAFewTypos() {
    assertThat(ClosestMatch.to("upstreams", STAGE_FIELDS)).contains("upstream");
    assertThat(ClosestMatch.to("compnent", STAGE_FIELDS)).contains("component");
    assertThat(ClosestMatch.to("Component", STAGE_FIELDS)).contains("component");
    assertThat(ClosestMatch.to("nmae", STAGE_FIELDS)).contains("name");
  }

  @Test
  void suggestsANameThatWasCutShort() {
    assertThat(ClosestMatch.to("desc", STAGE_FIELDS)).contains("description");
  }

  @Test
  void suggestsNothingForUnrelatedWords() {
    assertThat(ClosestMatch.to("dependencies", STAGE_FIELDS)).isEmpty();
    assertThat(ClosestMatch.to("x", STAGE_FIELDS)).isEmpty();
    assertThat(ClosestMatch.didYouMean("retries", STAGE_FIELDS)).isEmpty();
  }
}
