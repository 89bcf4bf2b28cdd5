package io.groundcontrol.mission;

import io.groundcontrol.schema.AwaitResult;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ReuseResult;
import io.groundcontrol.schema.RunStage;
import io.groundcontrol.schema.StageAwaitingResult;
import io.groundcontrol.schema.StageReused;
import io.groundcontrol.schema.StageStatus;
import java.util.Optional;

/**
 * Acts on the results index's answer to a stage AWAITING_RESULT: reuse the result it found (the
 * stage ends REUSED and its downstream goes on), wait for the identical stage running elsewhere,
 * or run the stage. An answer for a stage no longer waiting is recorded as rejected: the stage
 * was skipped, failed or cancelled meanwhile, and the index was told so. So is an answer to an
 * earlier lookup of the stage than its latest ({@link StageView#resultAsk()}): one read again
 * (at-least-once) after the stage asked anew, which must not make it reuse a result older than
 * its max age for the new lookup, nor run while the index made it wait. A rejected RunStage the
 * stage does not run on gives the claim back (see {@link #declineClaim}).
 */
final class ResultAnswerProcessor implements InputProcessor<ResultAnswer, ResultAnswer> {
  @Override
  public void process(ResultAnswer answer, ResultAnswer same, ProcessingContext context) {
    Optional<StageView> awaiting = awaitingStage(answer, context);
    if (awaiting.isEmpty()) {
      declineClaim(answer, context);
      return;
    }
    StageView stage = awaiting.get();
    MissionPlan plan = context.missionPlan();
    if (answer.getAnswer() instanceof ReuseResult reuse) {
      context.append(new StageReused(stage.name(), reuse.getFromMission(), reuse.getFromStage(), reuse.getFinishedAt(),
          reuse.getOutputs()));
      Progress.dispatchReady(context, plan, plan.downstream(stage.name()));
    } else if (answer.getAnswer() instanceof AwaitResult await) {
      context.append(new StageAwaitingResult(stage.name(), await.getRunningMission(), await.getRunningStage()));
    } else if (answer.getAnswer() instanceof RunStage) {
      Progress.dispatch(context, plan, stage.name(), stage.attempt() + 1);
    }
    Progress.concludeIfSettled(context, plan);
  }

  /** The answered stage, if its mission runs and it is AWAITING_RESULT for this key; otherwise a rejection. */
  private static Optional<StageView> awaitingStage(ResultAnswer answer, ProcessingContext context) {
    String input = describe(answer);
    if (Rejections.runningMission(context, input, "act on it").isEmpty()) {
      return Optional.empty();
    }
    Optional<StageView> found = context.mission().orElseThrow().stage(answer.getStage());
    if (found.isEmpty()) {
      context.reject(RejectionReason.UNKNOWN_STAGE, input, "Expected mission '" + context.missionId()
          + "' to have stage '" + answer.getStage() + "', but it has none");
      return Optional.empty();
    }
    StageView stage = found.get();
    if (stage.status() != StageStatus.AWAITING_RESULT || !stage.resultKey().orElse("").equals(answer.getResultKey())) {
      context.reject(RejectionReason.WRONG_STAGE_STATE, input, "Expected stage '" + stage.name()
          + "' to be AWAITING_RESULT for this result, but it is " + stage.status());
      return Optional.empty();
    }
    if (!answersLookup(answer, stage)) {
      context.reject(RejectionReason.STALE_ATTEMPT, input, "Expected an answer to lookup " + stage.resultAsk()
          + " of stage '" + stage.name() + "', but it answers an earlier lookup, " + answer.getAsk());
      return Optional.empty();
    }
    return found;
  }

  /**
   * Whether {@code answer} answers the stage's latest lookup. 0 is an answer written before lookups
   * were numbered, and matches any; a stage whose lookup was not numbered (0) takes only those.
   */
  private static boolean answersLookup(ResultAnswer answer, StageView stage) {
    return answer.getAsk() == 0 || answer.getAsk() == stage.resultAsk();
  }

  /**
   * A RunStage that is not taken up passes the key's claim to a stage that will not run on it: unless
   * the stage is out on that key and that lookup (it runs on it, and will end with a result or tell
   * the index it has none), it gives the claim back, under the answer's lookup number, so the index
   * passes it on rather than keeping it for ever. The index keeps a claim or a wait of a newer lookup
   * of the stage, so a stage out on its newer lookup loses nothing. The index may have read a lookup
   * again, or passed the claim to a lookup the stage no longer waits on. A cancelled mission's stages
   * keep their status but are out no more: the cancel told the index, and nothing they report is
   * taken. An answer from before lookups were numbered (0) names no lookup: a stage out on the key
   * keeps it, as it may run on it.
   */
  private static void declineClaim(ResultAnswer answer, ProcessingContext context) {
    if (!(answer.getAnswer() instanceof RunStage)) {
      return;
    }
    boolean runsOnIt = context.mission().filter(mission -> !mission.hasEnded())
        .flatMap(mission -> mission.stage(answer.getStage()))
        .filter(StageView::isOut)
        .filter(stage -> stage.resultKey().orElse("").equals(answer.getResultKey()))
        .filter(stage -> answersLookup(answer, stage))
        .isPresent();
    if (!runsOnIt) {
      Results.declined(context, answer.getStage(), answer.getResultKey(), answer.getAsk());
    }
  }

  static String describe(ResultAnswer answer) {
    return answer.getAnswer().getClass().getSimpleName() + " answer of the results index for stage '"
        + answer.getStage() + "'";
  }
}
