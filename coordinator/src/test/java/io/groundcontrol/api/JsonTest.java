package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.api.CommandRoutes.StartRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the API reads from a body and passes on. */
class JsonTest {
  private record Params(Map<String, JsonNode> params) {}

  @Test
  void aStartsParamsKeepEveryDigitTheyWereGiven() {
    Params read = Json.read(
        "{\"params\": {\"amount\": 0.12345678901234567890, \"ts\": 1732000000.123456789, \"ratio\": 1.0, \"n\": 12}}",
        Params.class);

    assertThat(read.params()).extractingByKeys("amount", "ts", "ratio", "n").map(Json::text)
        .containsExactly("0.12345678901234567890", "1732000000.123456789", "1.0", "12");
  }

  @Test
  void aValueReadBackFromItsTextIsTheSameText() {
    assertThat(Json.text(Json.parse("[0.30000000000000000004, 2.50]"))).isEqualTo("[0.30000000000000000004,2.50]");
  }

  /** A body that does not fit its request type: a 400 naming the field and the JSON types, no Java names. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "reason | {\"reason\": [1]}          | Expected field 'reason' to be a string, but got an array",
      "reason | {\"reason\": {\"a\": 1}}   | Expected field 'reason' to be a string, but got an object",
      "reason | {\"unexpectedField\": 1}   | Expected only the fields reason, but got field 'unexpectedField'",
      "reason | \"x\"                      | Expected the body to be a JSON object, but got a string",
      "reason | []                         | Expected the body to be a JSON object, but got an array",
      "reason | null                       | Expected the body to be a JSON object, but got null",
      "reason | {\"reason\": \"a           | Expected a JSON body, but it is not valid JSON in field 'reason' at line 1, "
          + "column 14: Unexpected end-of-input: was expecting closing quote for a string value",
      "reason | {'reason': 1}              | Expected a JSON body, but it is not valid JSON at line 1, column 2: "
          + "Unexpected character (''' (code 39)): was expecting double-quote to start field name",
      "reason | {                          | Expected a JSON body, but it is not valid JSON at line 1, column 2: "
          + "Unexpected end-of-input: expected close marker for Object (start marker at line 1, column 1)",
      "start  | {\"plan\": \"p\", \"params\": true}           | Expected field 'params' to be a JSON object, but got a boolean",
      "start  | {\"plan\": \"p\", \"exclude\": \"yes\"}       | Expected field 'exclude' to be an array, but got a string",
      "start  | {\"plan\": \"p\", \"startFrom\": [\"a\", []]} | Expected field 'startFrom[1]' to be a string, but got an array",
      "start  | {\"plan\": \"p\", \"extra\": 1}               | Expected only the fields plan, params, exclude, startFrom, "
          + "missionId, idempotencyKey, priority, but got field 'extra'",
      // Jackson would convert these scalars (42 to "42", 42 or "yes" to true): refused instead.
      "reason | {\"reason\": 42}                       | Expected field 'reason' to be a string, but got a number",
      "reason | {\"reason\": true}                     | Expected field 'reason' to be a string, but got a boolean",
      "pause  | {\"reason\": 1.5}                      | Expected field 'reason' to be a string, but got a number",
      "retry  | {\"withDownstream\": 42}               | Expected field 'withDownstream' to be a boolean (true or false), "
          + "but got a number",
      "retry  | {\"withDownstream\": \"true\"}         | Expected field 'withDownstream' to be a boolean (true or false), "
          + "but got a string",
      "retry  | {\"withDownstream\": \"\"}             | Expected field 'withDownstream' to be a boolean (true or false), "
          + "but got a string",
      "start  | {\"plan\": 42}                         | Expected field 'plan' to be a string, but got a number",
      "start  | {\"plan\": \"p\", \"idempotencyKey\": 8} | Expected field 'idempotencyKey' to be a string, but got a number",
      "start  | {\"plan\": \"p\", \"missionId\": false}  | Expected field 'missionId' to be a string, but got a boolean",
      "start  | {\"plan\": \"p\", \"exclude\": [\"a\", 1]} | Expected field 'exclude[1]' to be a string, but got a number"})
  void aBodyThatDoesNotFitSaysWhereAndWhat(String request, String body, String error) {
    Class<?> type = Map.of("reason", CommandRoutes.ReasonRequest.class, "start", CommandRoutes.StartRequest.class,
        "retry", CommandRoutes.RetryRequest.class, "pause", ScheduleRoutes.PauseRequest.class).get(request);

    assertThatThrownBy(() -> Json.read(body, type)).isInstanceOf(ApiException.class).hasMessage(error);
  }

  @Test
  void aBodyBeyondTheReadersLimitsSaysWhichLimit() {
    String body = "{\"params\": {\"n\": 1" + "0".repeat(1200) + "}}";

    assertThatThrownBy(() -> Json.read(body, CommandRoutes.StartRequest.class)).hasMessage(
        "Expected a JSON body within the server's limits, but in field 'params': "
            + "Number value length (1201) exceeds the maximum allowed (1000)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"\"5\"", "1.5", "2147483648", "[1]"})
  void aStartsPriorityIsAWholeNumberMissionStartTakes(String priority) {
    StartRequest request = Json.read("{\"plan\": \"p\", \"priority\": " + priority + "}", StartRequest.class);

    assertThatThrownBy(() -> CommandRoutes.priority(request.priority())).isInstanceOf(ApiException.class).hasMessage(
        "Expected field 'priority' to be a whole number from -2147483648 to 2147483647, as mission start --priority "
            + "takes, but got " + priority);
  }

  @Test
  void aStartsPriorityIsAbsentUnlessGiven() {
    assertThat(CommandRoutes.priority(Json.read("{\"plan\": \"p\"}", StartRequest.class).priority())).isEmpty();
    assertThat(CommandRoutes.priority(Json.read("{\"plan\": \"p\", \"priority\": -7}", StartRequest.class).priority()))
        .hasValue(-7);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"\"5\"", "1.5", "2147483648", "[1]"})
  void aFireNowsPriorityIsAWholeNumberMissionStartTakes(String priority) {
    ScheduleRoutes.TriggerRequest request = Json.read("{\"priority\": " + priority + "}", ScheduleRoutes.TriggerRequest.class);

    assertThatThrownBy(() -> CommandRoutes.priority(request.priority())).isInstanceOf(ApiException.class).hasMessage(
        "Expected field 'priority' to be a whole number from -2147483648 to 2147483647, as mission start --priority "
            + "takes, but got " + priority);
  }

  @Test
  void aFireNowTakesAPriority() {
    ScheduleRoutes.TriggerRequest request = Json.read("{\"priority\": 9}", ScheduleRoutes.TriggerRequest.class);

    assertThat(CommandRoutes.priority(request.priority())).hasValue(9);
  }
}
