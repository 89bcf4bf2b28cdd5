package io.groundcontrol.api;

import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.RejectionReason;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The HTTP status of a command the coordinator rejected: 404 when what it names does not exist,
 * 409 when it exists but is in the wrong state, 400 when the command itself is wrong, 500 when
 * processing failed. Decided by the rejection's typed reason; rejections written before reasons
 * existed ({@code UNSPECIFIED}) are read by their fixed "Expected X, but Y" message shapes.
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

  static int of(InputRejected rejected) {
    return of(rejected.getReasonCode(), rejected.getReason());
  }

  /**
   * The status of a rejected start. Its stages to exclude or start from come in the body, not the
   * path: naming a stage the plan does not have is a bad request (400), not a missing resource.
   */
  static int ofStart(InputRejected rejected) {
    return rejected.getReasonCode() == RejectionReason.UNKNOWN_STAGE ? 400 : of(rejected);
  }

  static int of(RejectionReason code, String reason) {
    return switch (code) {
      case UNKNOWN_MISSION, UNKNOWN_PLAN, UNKNOWN_STAGE -> 404;
      case DUPLICATE_MISSION, WRONG_MISSION_STATE, WRONG_STAGE_STATE, STALE_ATTEMPT -> 409;
      case INVALID_INPUT, UNKNOWN_INPUT_KIND -> 400;
      case PROCESSING_FAILED -> 500;
      case UNSPECIFIED -> ofMessage(reason);
    };
  }

  /** 404, 409, or 400 for every other rejection (bad params, unknown stages to exclude, ...). */
  static int ofMessage(String reason) {
    for (Shape shape : SHAPES) {
      if (shape.pattern().matcher(reason).find()) {
        return shape.status();
      }
    }
    return 400;
  }
}
