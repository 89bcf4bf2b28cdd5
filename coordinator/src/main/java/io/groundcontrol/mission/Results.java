package io.groundcontrol.mission;

import io.groundcontrol.schema.LookupResult;
import io.groundcontrol.schema.ResultAbandoned;
import io.groundcontrol.schema.ResultProduced;
import io.groundcontrol.schema.ResultRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What processors tell the results index, as effects: look up a fresh result before a stage with
 * a reuse policy runs; then, once it ends, its result, or that none is coming, so stages waiting
 * for it are answered either way. Each request names the lookup it is about ({@link
 * StageView#resultAsk()}), so the index never takes one read again for a newer lookup of the stage.
 */
final class Results {
  private Results() {}

  /** Asks for a result of {@code key} younger than {@code maxAge}, for {@code stage}'s lookup number {@code ask}. */
  static void lookup(ProcessingContext context, String stage, String key, Duration maxAge, long ask) {
    emit(context, key, stage, new LookupResult(maxAge.toMillis()), ask);
  }

  /**
   * The stage finished: its outputs are the newest result of its key. Nothing for a stage without a
   * key. The result is as old as the finish report says, but no younger than when the coordinator
   * read it ({@link ProcessingContext#writtenBy}): a worker whose clock runs fast must not make it
   * fresh for longer than {@code max_age}.
   */
  static void produced(ProcessingContext context, StageView stage, Map<String, String> outputs) {
    Instant finishedAt = context.writtenBy();
    stage.resultKey().ifPresent(key -> emit(context, key, stage.name(), new ResultProduced(finishedAt, outputs),
        stage.resultAsk()));
  }

  /** The stage will bring no result (failed for good, skipped, cancelled). Nothing for a stage without a key. */
  static void abandoned(ProcessingContext context, StageView stage) {
    stage.resultKey().ifPresent(key -> emit(context, key, stage.name(), new ResultAbandoned(), stage.resultAsk()));
  }

  /**
   * {@code stage} will not run on the claim of {@code key} the index passed it for lookup {@code ask}:
   * the index passes it on, unless the stage holds it for a newer lookup.
   */
  static void declined(ProcessingContext context, String stage, String key, long ask) {
    emit(context, key, stage, new ResultAbandoned(), ask);
  }

  private static void emit(ProcessingContext context, String key, String stage, Object request, long ask) {
    context.emit(new Effect.RequestResult(new ResultRequest(key, context.missionId(), stage, request, ask),
        context.writtenAt()));
  }
}
