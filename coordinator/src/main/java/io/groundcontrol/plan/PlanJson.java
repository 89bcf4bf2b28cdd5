package io.groundcontrol.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The Jackson mappers the plan package shares, and conversions between trees and JSON text. */
final class PlanJson {
  /** Strict: duplicate keys and trailing content are errors, not silently dropped; numbers exact. */
  static final ObjectMapper JSON =
      ExactJson.mapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static final ObjectMapper YAML =
      ExactJson.exact(new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                  .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                  .stringQuotingChecker(new YamlQuoting())
                  .build()))
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static final ObjectMapper PRETTY_JSON = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanJson() {}

  /** Compact JSON text, the form param values take on the wire. */
  static String toText(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Expected a tree to always serialize, but it did not", e);
    }
  }

  /** The value of JSON text, or empty if the text is null or not valid JSON. */
  static Optional<JsonNode> parseText(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(text)).filter(node -> !node.isMissingNode());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
