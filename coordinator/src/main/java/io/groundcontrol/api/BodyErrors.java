package io.groundcontrol.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What is wrong with a request body Jackson could not read, in the API's words: the field, the
 * JSON type it takes and the one it got; never a Java type, which is Jackson's own wording.
 */
final class BodyErrors {
  private BodyErrors() {}

  /** One line saying what is wrong with {@code body}, which Jackson failed to read with {@code e}. */
  static String describe(String body, JsonProcessingException e) {
    String field = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
    String where = field.isEmpty() ? "the body" : "field '" + field + "'";
    if (e instanceof UnrecognizedPropertyException unknown) {
      String at = field.contains(".") ? " in '" + field.substring(0, field.lastIndexOf('.')) + "'" : "";
      return "Expected only the fields " + known(unknown) + at + ", but got field '" + unknown.getPropertyName() + "'";
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "Expected " + where + " to be " + expected(mismatch.getTargetType()) + ", but got "
          + got(body, mismatch.getPath());
    }
    // Not JSON, or beyond the parser's limits; Jackson wraps such an error inside a field with the field's path.
    JsonProcessingException syntax = e.getCause() instanceof JsonProcessingException cause ? cause : e;
    String in = field.isEmpty() ? "" : " in " + where;
    if (syntax instanceof StreamConstraintsException) {
      return "Expected a JSON body within the server's limits, but" + in + ": " + plain(syntax.getOriginalMessage());
    }
    JsonLocation location = syntax.getLocation();
    String at = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return "Expected a JSON body, but it is not valid JSON" + in + at + ": " + plain(syntax.getOriginalMessage());
  }

  /** The field as a client writes it: {@code exclude[1]}, {@code params.date}. */
  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** The fields the body takes, in the order the request type declares them. */
  private static String known(UnrecognizedPropertyException e) {
    Class<?> type = e.getReferringClass();
    if (type != null && type.isRecord()) {
      return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.joining(", "));
    }
    Collection<Object> ids = e.getKnownPropertyIds();
    return ids == null ? "the documented ones" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static String expected(Class<?> type) {
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean (true or false)";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != char.class)) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return Map.class.isAssignableFrom(type) || type.isRecord() ? "a JSON object" : "another JSON value";
  }

  /** The JSON type of what the body holds at {@code path}. */
  private static String got(String body, List<JsonMappingException.Reference> path) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return "something else";
    }
    for (JsonMappingException.Reference reference : path) {
      node = reference.getFieldName() != null ? node.path(reference.getFieldName()) : node.path(reference.getIndex());
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING, BINARY -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case MISSING -> "something else";
    };
  }

  /** Jackson's message without its Java names: the location as line and column, no "from `Class.method()`". */
  private static String plain(String message) {
    return message.replaceAll("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]", "line $1, column $2")
        .replaceAll(", from `[^`]*`", "")
        .replaceAll("\\s+", " ");
  }
}
