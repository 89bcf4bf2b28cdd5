package io.groundcontrol.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Failure texts cut to a report's size, between characters, saying how much was cut. */
class TextCutTest {
  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void keepsTextWithinTheLimitAsItIs() {
    String text = "é".repeat(50);

    assertThat(TextCut.cut(text, 100)).isSameAs(text);
    assertThat(TextCut.cut(null, 100)).isNull();
  }

  @Test
  void keepsHeadAndTailOfLongerTextBetweenCharactersAndCountsTheBytesCut() {
    // 1, 2, 3 and 4 bytes a character: any cut point may fall inside one.
    String text = "a" + "é€😀".repeat(10_000) + "z";
    int limit = 1_000;

    String cut = TextCut.cut(text, limit);

    assertThat(utf8(cut)).isLessThanOrEqualTo(limit).isGreaterThan(limit - 10);
    assertThat(cut).startsWith("aé€😀").endsWith("é€😀z").doesNotContain("\uFFFD");
    String marker = cut.replaceAll("^[^\\[]*|[^\\]]*$", "");
    int kept = utf8(cut) - utf8(marker);
    assertThat(marker).isEqualTo("[... " + (utf8(text) - kept) + " bytes cut ...]");
  }
}
