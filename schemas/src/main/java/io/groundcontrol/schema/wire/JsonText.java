package io.groundcontrol.schema.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * Checks the contract's JSON text values (params, outputs): exactly one JSON value, such as
 * {@code 42}, {@code "daily"} with its quotes, or {@code {"a":1}}. Used where a value enters the
 * system, so that {@code hello world} is refused with a reason instead of passed on.
 */
public final class JsonText {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonText() {}

  /** Why {@code text} is not one JSON value, or empty if it is. */
  public static Optional<String> problem(String text) {
    if (text == null) {
      return Optional.of("it is null (a JSON null is the text null)");
    }
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() == null) {
        return Optional.of("it is empty");
      }
      parser.skipChildren();
      JsonToken after = parser.nextToken();
      if (after != null) {
        return Optional.of("more follows the first JSON value at column " + parser.currentLocation().getColumnNr());
      }
      return Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.of(e.getOriginalMessage().lines().findFirst().orElse("it does not parse"));
    } catch (IOException e) {
      return Optional.of(e.toString());
    }
  }

  /** The first 60 characters of {@code text}, for a message. */
  public static String excerpt(String text) {
    return text == null ? "null" : text.length() <= 60 ? "'" + text + "'" : "'" + text.substring(0, 60) + "...'";
  }
}
