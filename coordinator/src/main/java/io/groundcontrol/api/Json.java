package io.groundcontrol.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.groundcontrol.plan.ExactJson;
import io.javalin.http.Context;
import java.util.List;

/**
 * JSON in and out of the API; numbers pass through exact (a start's params). Request bodies are
 * read strictly: a value of another JSON type than the field's is refused, not converted.
 */
final class Json {
  static final ObjectMapper MAPPER = ExactJson.exact(new ObjectMapper())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /**
   * As {@link #MAPPER}, without Jackson's coercion of scalars, which would take {@code 42} as the
   * reason "42" and {@code {"withDownstream": 42}} or {@code "yes"} as true: a client's mistake
   * would pass for something it did not ask. An integer still reads as a decimal number.
   */
  private static final ObjectMapper BODIES = strict(ExactJson.exact(JsonMapper.builder()
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build()));

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
      value = BODIES.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(BodyErrors.describe(json, e));
    }
    if (value == null) {
      // Jackson reads the JSON literal null as no object at all rather than failing.
      throw ApiException.badRequest("Expected the body to be a JSON object, but got null");
    }
    return value;
  }

  /** {@code mapper}, refusing a string from a number or a boolean too (not a scalar to Jackson). */
  private static ObjectMapper strict(ObjectMapper mapper) {
    for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
        CoercionInputShape.Boolean)) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
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
