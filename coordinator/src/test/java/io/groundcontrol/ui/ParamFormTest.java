package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamFormTest {
  private static final JsonNode PLAN = ApiCalls.parse("""
      {"name": "p", "params": {
        "date": {"description": "Day to score", "default": "2026-01-01"},
        "rate": {"default": 0.25},
        "label": {"description": "Required: no default"},
        "code": {"default": "42"},
        "tags": {"default": ["a", "b"]}}}""");

  @Test
  void fieldsShowDefaultsAndMarkParamsWithoutOneRequired() {
    List<ParamField> fields = ParamForm.fields(PLAN);

    assertThat(fields).extracting(ParamField::name).containsExactly("date", "rate", "label", "code", "tags");
    assertThat(fields).extracting(ParamField::value).containsExactly("2026-01-01", "0.25", "", "\"42\"", "[\"a\",\"b\"]");
    assertThat(fields).extracting(ParamField::required).containsExactly(false, false, true, false, false);
    assertThat(fields.get(0).description()).isEqualTo("Day to score");
  }

  @Test
  void valuesAreJsonWhenTheyAreAndStringsOtherwise() {
    ParamForm.Reading reading = ParamForm.read(ParamForm.fields(PLAN),
        Map.of("date", "2026-12-01", "rate", "0.5", "label", "nightly run", "code", "\"42\"", "tags", "[\"x\"]"));

    assertThat(reading.valid()).isTrue();
    assertThat(reading.params().get("date").asText()).isEqualTo("2026-12-01");
    assertThat(reading.params().get("rate").isNumber()).isTrue();
    assertThat(reading.params().get("label").asText()).isEqualTo("nightly run");
    assertThat(reading.params().get("code").isTextual()).as("a quoted number stays a string").isTrue();
    assertThat(reading.params().get("tags").isArray()).isTrue();
  }

  /** A browser drops the line breaks of an input's value: a default that has some is shown as JSON. */
  @Test
  void aDefaultWithLineBreaksIsSentBackAsItWasNotJoinedIntoOneLine() {
    List<ParamField> fields = ParamForm.fields(ApiCalls.parse("""
        {"name": "p", "params": {"query": {"default": "SELECT id\\nFROM t\\r\\nWHERE x"}}}"""));
    String asTheBrowserSubmitsIt = fields.get(0).value().replaceAll("[\r\n]", "");

    ParamForm.Reading reading = ParamForm.read(fields, Map.of("query", asTheBrowserSubmitsIt));

    assertThat(reading.params().get("query").asText()).isEqualTo("SELECT id\nFROM t\r\nWHERE x");
  }

  @Test
  void anEmptyOptionalFieldLeavesTheDefault() {
    ParamForm.Reading reading = ParamForm.read(ParamForm.fields(PLAN), Map.of("label", "x", "rate", " "));

    assertThat(reading.valid()).isTrue();
    assertThat(reading.params()).containsOnlyKeys("label");
  }

  @Test
  void errorsAreShownAtTheirField() {
    ParamForm.Reading reading = ParamForm.read(ParamForm.fields(PLAN), Map.of("tags", "[\"x\",", "label", ""));

    assertThat(reading.valid()).isFalse();
    Map<String, String> errors = new java.util.HashMap<>();
    reading.fields().stream().filter(f -> f.error() != null).forEach(f -> errors.put(f.name(), f.error()));
    assertThat(errors).containsOnlyKeys("tags", "label");
    assertThat(errors.get("label")).isEqualTo("Expected a value for required param 'label', but the field is empty");
    assertThat(errors.get("tags")).startsWith("Expected valid JSON for param 'tags', since it starts with '[', but");
    assertThat(reading.fields().get(4).value()).as("what was typed stays in the field").isEqualTo("[\"x\",");
  }

  @Test
  void trailingTextAfterANumberIsAString() {
    ParamForm.Reading reading = ParamForm.read(ParamForm.fields(PLAN), Map.of("label", "12 monkeys"));

    assertThat(reading.params().get("label").asText()).isEqualTo("12 monkeys");
  }

  @Test
  void aTypedNumberIsSentWithEveryDigit() {
    ParamForm.Reading reading = ParamForm.read(ParamForm.fields(PLAN),
        Map.of("label", "x", "rate", "1732000000.123456789", "date", "1.50"));

    assertThat(ApiCalls.write(reading.params())).isEqualTo("{\"date\":1.50,\"rate\":1732000000.123456789,\"label\":\"x\"}");
  }

  @Test
  void aDefaultIsShownAndSentWithEveryDigit() {
    JsonNode plan = ApiCalls.parse("{\"params\": {\"rate\": {\"default\": 0.12345678901234567890}}}");
    List<ParamField> fields = ParamForm.fields(plan);

    assertThat(fields.get(0).value()).isEqualTo("0.12345678901234567890");
    ParamForm.Reading reading = ParamForm.read(fields, Map.of("rate", fields.get(0).value()));
    assertThat(ApiCalls.write(reading.params())).isEqualTo("{\"rate\":0.12345678901234567890}");
  }
}
