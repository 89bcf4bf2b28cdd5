package io.groundcontrol.api;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The HTTP status of a command the coordinator rejected: 404 when what it names does not exist,
 * 409 when it exists but is in the wrong state, 400 when the command itself is wrong. The only
 * place that reads rejection messages: rejections carry no typed reason yet, so this maps their
 * fixed "Expected X, but Y" shapes (see {@code mission.Rejections}); when a reason enum arrives,
 * this class becomes a switch over it.
 */
final class RejectionStatus {
  private record Shape(Pattern pattern, int status) {}

  private static final List<Shape> SHAPES = List.of(
      new Shape(Pattern.compile("^Expected mission '.*' to exist, but it is unknown"), 404),
      new Shape(Pattern.compile("^Expected plan '.*' to be applied, but it is unknown"), 404),
      new Shape(Pattern.compile("^Expected mission '.*' of plan '.*' to have stage '.*', but it has none"), 404),
      new Shape(Pattern.compile("^Expected mission '.*' to be new, but it is"), 409),
      new Shape(Pattern.compile("^Expected mission '.*' to be [A-Z_ or]+ to .*, but it is [A-Z_]+"), 409),
      new Shape(Pattern.compile("^Expected stage '.*' (of mission '.*' )?to be [A-Z_ or]+ .*, but it is [A-Z_]+"), 409),
      new Shape(Pattern.compile("^Expected a report on attempt"), 409));

  private RejectionStatus() {}

  /** 404, 409, or 400 for every other rejection (bad params, unknown stages to exclude, ...). */
  static int of(String reason) {
    for (Shape shape : SHAPES) {
      if (shape.pattern().matcher(reason).find()) {
        return shape.status();
      }
    }
    return 400;
  }
}
