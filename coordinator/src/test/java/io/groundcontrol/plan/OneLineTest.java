package io.groundcontrol.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneLineTest {
  @Test
  void lineBreaksControlAndFormatCharactersAreEscaped() {
    assertThat(OneLine.escape("a\nb\r\tc")).isEqualTo("a\\nb\\r\\tc");
    assertThat(OneLine.escape("a\u2028b\u2029c\u0085d")).isEqualTo("a\\u2028b\\u2029c\\u0085d");
    assertThat(OneLine.escape("\u0000\u001b[31m")).isEqualTo("\\u0000\\u001b[31m");
    assertThat(OneLine.escape("\u202Eevil\u200B")).isEqualTo("\\u202eevil\\u200b");
    assertThat(OneLine.escape("tag\uDB40\uDC41")).isEqualTo("tag\\udb40\\udc41");
  }

  @Test
  void printableTextIsKeptAsItIs() {
    assertThat(OneLine.escape("stage 'ünï 日本 😀', a\\nb")).isEqualTo("stage 'ünï 日本 😀', a\\nb");
    assertThat(OneLine.escape(null)).isNull();
  }
}
