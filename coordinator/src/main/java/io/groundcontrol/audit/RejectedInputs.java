package io.groundcontrol.audit;

import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StartMission;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * Rebuilds a rejected input from the description the coordinator recorded with the rejection,
 * so a replay meets the same rejection at the same point and numbers later events alike. A
 * rejection keeps only what decided it (verb, stage, attempt, sender), so the rebuilt input has
 * no outputs, and a rejected failure carries a placeholder error.
 *
 * <p>This reads the fixed description shapes of the mission package ({@code Rejections.describe},
 * the command processors); a description of another shape is not rebuilt.
 */
final class RejectedInputs {
  private static final Pattern REPORT = Pattern.compile("(\\S+) stage '(.*)' \\(attempt (\\d+)\\) from worker .*");
  private static final Pattern STAGE_COMMAND = Pattern.compile("(retry|skip|fail) stage '(.*)' by .*");
  private static final Pattern START = Pattern.compile("start mission on plan '(.*)'");

  /** Report verbs, and the outcome type names used when processing failed, to a fresh outcome. */
  private static final Map<String, Function<String, SpecificRecord>> OUTCOMES = Map.of(
      "start", s -> Records.copyInto(ReportStarted.class, null),
      "finish", s -> Records.copyInto(ReportFinished.class, null),
      "fail", RejectedInputs::failure,
      "heartbeat", s -> Records.copyInto(ReportHeartbeat.class, null),
      "ReportStarted", s -> Records.copyInto(ReportStarted.class, null),
      "ReportFinished", s -> Records.copyInto(ReportFinished.class, null),
      "ReportFailed", RejectedInputs::failure,
      "ReportHeartbeat", s -> Records.copyInto(ReportHeartbeat.class, null));

  private RejectedInputs() {}

  /** The input {@code event} rejected, as a {@code StageReport} or {@code MissionCommand}, if its description allows. */
  static Optional<SpecificRecord> recover(MissionEvent event, InputRejected rejected) {
    String input = rejected.getInput();
    if (event.getCause().getKind() == CauseKind.REPORT) {
      Matcher m = REPORT.matcher(input);
      if (m.matches() && OUTCOMES.containsKey(m.group(1))) {
        SpecificRecord outcome = OUTCOMES.get(m.group(1)).apply(m.group(2));
        return Optional.of(InputsFromLog.report(event, m.group(2), Integer.parseInt(m.group(3)), outcome));
      }
      return Optional.empty();
    }
    if (event.getCause().getKind() == CauseKind.COMMAND) {
      return command(input).map(command -> InputsFromLog.command(event, command));
    }
    return Optional.empty();
  }

  private static Optional<Object> command(String input) {
    if (input.startsWith("cancel mission by ")) {
      return Optional.of(CancelMission.newBuilder().build());
    }
    Matcher start = START.matcher(input);
    if (start.matches()) {
      return Optional.of(StartMission.newBuilder().setPlanName(start.group(1)).build());
    }
    Matcher stage = STAGE_COMMAND.matcher(input);
    if (!stage.matches()) {
      return Optional.empty();
    }
    return Optional.of(switch (stage.group(1)) {
      case "retry" -> RetryStage.newBuilder().setStage(stage.group(2)).build();
      case "skip" -> SkipStage.newBuilder().setStage(stage.group(2)).build();
      default -> FailStage.newBuilder().setStage(stage.group(2)).build();
    });
  }

  private static SpecificRecord failure(String stage) {
    ReportFailed failed = Records.copyInto(ReportFailed.class, null);
    failed.setError(StageError.newBuilder().setMessage("rejected report replayed: its error is not in the log").build());
    return failed;
  }
}
