package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results index's key: the same work gets the same key, different work a different one. */
class ResultKeysTest {
  @Test
  void theSameTextGetsTheSameKeyWhateverTheOrderOfObjectFields() {
    assertThat(ResultKeys.of("ml", Map.of("p", "{\"a\":1.10,\"b\":[0.12345678901234567890]}", "q", "1e400")))
        .isEqualTo(ResultKeys.of("ml", Map.of("q", "1e400", "p", "{\"b\":[0.12345678901234567890],\"a\":1.10}")));
  }

  @Test
  void numbersADoubleCannotTellApartGetDifferentKeys() {
    assertThat(ResultKeys.of("ml", Map.of("p", "0.12345678901234567890")))
        .isNotEqualTo(ResultKeys.of("ml", Map.of("p", "0.12345678901234568")));
    assertThat(ResultKeys.of("ml", Map.of("p", "1732000000.123456789")))
        .isNotEqualTo(ResultKeys.of("ml", Map.of("p", "1732000000.1234567")));
  }
}
