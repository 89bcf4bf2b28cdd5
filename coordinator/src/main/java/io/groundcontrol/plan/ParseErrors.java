package io.groundcontrol.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One-line messages for files Jackson could not parse. SnakeYAML's messages span several lines
 * (context, a snippet of the file, a caret, the problem); a plan problem is one line, so only the
 * problem and its context are kept, and the location comes from Jackson.
 */
public final class ParseErrors {
  private static final Pattern NESTED_LOCATION =
      Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]");

  private ParseErrors() {}

  /**
   * Such as {@code unreadable YAML at line 4, column 7: mapping values are not allowed here}, or
   * {@code ...: Duplicate field 'cron'} from a mapper with strict duplicate detection.
   */
  public static String message(String formatName, JsonProcessingException error) {
    return "unreadable " + formatName + at(error.getLocation()) + ": " + problem(error);
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr()
        + (location.getColumnNr() < 1 ? "" : ", column " + location.getColumnNr());
  }

  private static String problem(JsonProcessingException error) {
    String original = String.valueOf(error.getOriginalMessage());
    if (original.startsWith("Trailing token")) {
      return "more than one document; the file holds exactly one";
    }
    List<String> statements = new ArrayList<>();
    for (String line : original.split("\\R")) {
      // Indented lines are SnakeYAML's file snippets, carets and "in 'reader', line ..." marks.
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        statements.add(NESTED_LOCATION.matcher(line.strip()).replaceAll("line $1, column $2"));
      }
    }
    if (statements.isEmpty()) {
      return original.strip();
    }
    String problem = statements.get(statements.size() - 1);
    return statements.size() == 1 ? problem : problem + " (" + statements.get(0) + ")";
  }
}
