package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.StageError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextLimitsTest {
  @Test
  void aTextWithinTheBoundIsKeptAsItIs() {
    String text = "é".repeat(100);
    assertThat(TextLimits.cut(text, 200)).isSameAs(text);
    assertThat(TextLimits.cut(null, 10)).isNull();
  }

  @Test
  void aLongTextIsCutWithinTheBoundNeverSplittingACharacterAndSaysHowMuchWasCut() {
    // 1 + 2 + 3 + 4 bytes a round: a cut anywhere must not split one.
    String text = "a\u00e9\u20ac\ud83d\ude00".repeat(1_000);

    for (int bound = 100; bound < 140; bound++) {
      String cut = TextLimits.cut(text, bound);
      byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
      assertThat(bytes.length).as("bound %d", bound).isLessThanOrEqualTo(bound);
      assertThat(new String(bytes, StandardCharsets.UTF_8)).as("valid UTF-8").isEqualTo(cut);
      String kept = cut.substring(0, cut.indexOf(" ... [cut "));
      assertThat(text).startsWith(kept);
      int keptBytes = kept.getBytes(StandardCharsets.UTF_8).length;
      assertThat(cut).endsWith(" ... [cut " + (10_000 - keptBytes) + " of 10000 bytes]");
    }
  }

  @Test
  void anErrorIsCutToItsBoundsAndKeepsWhetherItIsRetryable() {
    StageError error = new StageError("m".repeat(20_000), "d".repeat(100_000), false);

    StageError capped = TextLimits.capped(error);

    assertThat(capped.getMessage().length()).isLessThanOrEqualTo(TextLimits.MAX_MESSAGE_BYTES);
    assertThat(capped.getDetail().length()).isLessThanOrEqualTo(TextLimits.MAX_DETAIL_BYTES);
    assertThat(capped.getRetryable()).isFalse();
    StageError small = new StageError("boom", null, true);
    assertThat(TextLimits.capped(small)).isSameAs(small);
  }
}
