package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the API reads from a body and passes on. */
class JsonTest {
  private record Params(Map<String, JsonNode> params) {}

  @Test
  void aStartsParamsKeepEveryDigitTheyWereGiven() throws Exception {
    Params read = Json.MAPPER.readValue(
        "{\"params\": {\"amount\": 0.12345678901234567890, \"ts\": 1732000000.123456789, \"ratio\": 1.0, \"n\": 12}}",
        Params.class);

    assertThat(read.params()).extractingByKeys("amount", "ts", "ratio", "n").map(Json::text)
        .containsExactly("0.12345678901234567890", "1732000000.123456789", "1.0", "12");
  }

  @Test
  void aValueReadBackFromItsTextIsTheSameText() {
    assertThat(Json.text(Json.parse("[0.30000000000000000004, 2.50]"))).isEqualTo("[0.30000000000000000004,2.50]");
  }
}
