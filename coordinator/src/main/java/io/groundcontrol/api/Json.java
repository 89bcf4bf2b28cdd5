package io.groundcontrol.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.plan.ExactJson;
import io.javalin.http.Context;

/** JSON in and out of the API, with one mapper; numbers pass through exact (a start's params). */
final class Json {
  static final ObjectMapper MAPPER = ExactJson.exact(new ObjectMapper())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private Json() {}

  static void send(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(write(body));
  }

  static String write(Object body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write JSON: " + e.getMessage(), e);
    }
  }

  /** The request body as {@code type}; a 400 saying what is wrong if it is not. */
  static <T> T body(Context ctx, Class<T> type) {
    return read(ctx.body(), type);
  }

  /** {@code body} (none or blank: an empty object) as {@code type}; a 400 naming the field that is wrong. */
  static <T> T read(String body, Class<T> type) {
    String json = body == null || body.isBlank() ? "{}" : body;
    T value;
    try {
      value = MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(BodyErrors.describe(json, e));
    }
    if (value == null) {
      // Jackson reads the JSON literal null as no object at all rather than failing.
      throw ApiException.badRequest("Expected the body to be a JSON object, but got null");
    }
    return value;
  }

  /** A JSON value as the JSON text the topics carry. */
  static String text(JsonNode value) {
    return write(value);
  }

  /** JSON text (a param or output value) as a JSON value; a string if it is not JSON. */
  static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(text);
    }
  }
}
