package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
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

  /** Results stored before numbers were exact must be found again: their keys hashed doubles. */
  @Test
  void decimalsADoubleHoldsGetTheKeysTheyGotAsDoubles() throws Exception {
    Map<String, String> params = Map.of("tiny", "1e-05", "rate", "2.50", "big", "1.0e3",
        "cfg", "{\"z\":[0.1,1.50],\"a\":{\"y\":-3.25,\"x\":\"s\"}}", "n", "7", "s", "not json", "none", "null");

    assertThat(ResultKeys.of("ml", params)).isEqualTo(keyAsDoubles("ml", params));
    assertThat(ResultKeys.of("ml", Map.of("p", "1.50"))).isEqualTo(ResultKeys.of("ml", Map.of("p", "1.5")));
  }

  @Test
  void aDecimalADoubleRoundsIsNotTheDoubleItRoundsTo() {
    assertThat(ResultKeys.of("ml", Map.of("p", "1732000000.123456789")))
        .isNotEqualTo(ResultKeys.of("ml", Map.of("p", Double.toString(1732000000.123456789))));
  }

  /** The key as it was computed before numbers were exact: every decimal read as a double. */
  private static String keyAsDoubles(String component, Map<String, String> params) throws Exception {
    ObjectMapper doubles = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    Map<String, Object> values = new TreeMap<>();
    for (Map.Entry<String, String> param : params.entrySet()) {
      Object value;
      try {
        value = doubles.readValue(param.getValue(), Object.class);
      } catch (JsonProcessingException notJson) {
        value = param.getValue();
      }
      values.put(param.getKey(), value);
    }
    String canonical = "result-v1\n" + component + "\n" + doubles.writeValueAsString(values);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
  }
}
