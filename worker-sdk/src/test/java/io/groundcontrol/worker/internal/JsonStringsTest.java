package io.groundcontrol.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonStringsTest {

  @Test
  void quotesAndEscapes() {
    assertThat(JsonStrings.quote("abc")).isEqualTo("\"abc\"");
    assertThat(JsonStrings.quote("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
    assertThat(JsonStrings.quote("")).isEqualTo("\"\"");
  }

  @Test
  void decodesAJsonString() {
    assertThat(JsonStrings.unquoteOrSelf("\"abc\"")).isEqualTo("abc");
    assertThat(JsonStrings.unquoteOrSelf(" \"abc\" ")).isEqualTo("abc");
    assertThat(JsonStrings.unquoteOrSelf("\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\""))
        .isEqualTo("a\"b\\c/d\né\uD83D\uDE00");
    assertThat(JsonStrings.unquoteOrSelf("\"\"")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "42", "{\"a\":1}", "\"unterminated", "\"bad \\x escape\"", "\"a\"b\"", "\"",
      "\"\\u12\"", "\"ends with \\\""})
  void returnsTextThatIsNotAJsonStringAsItIs(String text) {
    assertThat(JsonStrings.unquoteOrSelf(text)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "with \"quotes\" and \\ backslash", "line\nbreak", "\u0000\u001f", "é😀"})
  void roundTrips(String value) {
    assertThat(JsonStrings.unquoteOrSelf(JsonStrings.quote(value))).isEqualTo(value);
  }
}
