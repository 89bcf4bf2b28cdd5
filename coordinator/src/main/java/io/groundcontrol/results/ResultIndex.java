package io.groundcontrol.results;

import io.groundcontrol.schema.AwaitResult;
import io.groundcontrol.schema.IndexedResult;
import io.groundcontrol.schema.LookupResult;
import io.groundcontrol.schema.ResultAbandoned;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultProduced;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.ReuseResult;
import io.groundcontrol.schema.RunStage;
import io.groundcontrol.schema.StageRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of the results index for one result key, plain Java: what to answer a lookup, and what
 * a stage's end changes. One entry per key holds the newest result, the stage computing it now
 * (the claim) and the stages waiting for it, so two identical stages never run at once:
 *
 * <ul>
 *   <li>a lookup gets the newest result if it is younger than the asker's max age; else, if a stage
 *       computes the key now, the asker waits for it; else the asker claims the key and runs;
 *   <li>a produced result becomes the newest, and every waiter gets it; its producer waits no more;
 *   <li>an abandoned claim passes to the first waiter, which runs; an abandoned waiter leaves. A
 *       stage passed the claim that will not run gives it back as abandoned.
 * </ul>
 *
 * Time is the request record's timestamp, never the clock here, so deciding again gives the same
 * answers. The missions sub-topology stamps it with its own clock as it decides (never before the
 * input), and a result's finish time no later than when it read the finish report: a result's age
 * is measured on the coordinator's clock, not between a worker's and a client's.
 */
public final class ResultIndex {
  private ResultIndex() {}

  /**
   * What a request does to a key's entry.
   *
   * @param entry the entry after the request; null when nothing is left to keep
   * @param answers the answers to send, each to its mission, in order
   */
  public record Outcome(ResultEntry entry, List<ResultAnswer> answers) {}

  /**
   * Decides one request.
   *
   * @param stored the key's entry as stored, or null; not changed
   * @param request the lookup, result or abandonment
   * @param at the request's timestamp
   */
  public static Outcome decide(ResultEntry stored, ResultRequest request, Instant at) {
    ResultEntry entry = stored == null
        ? new ResultEntry(null, null, new ArrayList<>())
        : ResultEntry.newBuilder(stored).setWaiters(new ArrayList<>(stored.getWaiters())).build();
    StageRef asker = new StageRef(request.getMissionId(), request.getStage());
    List<ResultAnswer> answers = new ArrayList<>();
    if (request.getRequest() instanceof LookupResult lookup) {
      answers.add(lookup(entry, asker, Duration.ofMillis(lookup.getMaxAgeMs()), request.getResultKey(), at));
    } else if (request.getRequest() instanceof ResultProduced produced) {
      produced(entry, asker, produced, request.getResultKey(), answers);
    } else if (request.getRequest() instanceof ResultAbandoned) {
      abandoned(entry, asker, request.getResultKey(), answers);
    } else {
      throw new IllegalArgumentException("Expected a LookupResult, ResultProduced or ResultAbandoned, but got "
          + request.getRequest().getClass().getName());
    }
    boolean empty = entry.getLatest() == null && entry.getClaim() == null && entry.getWaiters().isEmpty();
    return new Outcome(empty ? null : entry, answers);
  }

  /**
   * Whether an entry may be forgotten as of {@code cutoff}: its newest result finished by then, and
   * no stage computes the key now or waits for it (they would never be answered). Forgetting it
   * answers a later lookup as if the key had never run: that stage runs.
   */
  public static boolean forgettable(ResultEntry entry, Instant cutoff) {
    return entry.getClaim() == null && entry.getWaiters().isEmpty() && entry.getLatest() != null
        && !entry.getLatest().getFinishedAt().isAfter(cutoff);
  }

  private static ResultAnswer lookup(ResultEntry entry, StageRef asker, Duration maxAge, String key, Instant at) {
    if (asker.equals(entry.getClaim())) {
      return answer(asker, key, new RunStage());
    }
    IndexedResult latest = entry.getLatest();
    if (latest != null && Duration.between(latest.getFinishedAt(), at).compareTo(maxAge) < 0) {
      return answer(asker, key, reuse(latest));
    }
    if (entry.getClaim() != null) {
      if (!entry.getWaiters().contains(asker)) {
        entry.getWaiters().add(asker);
      }
      return answer(asker, key, new AwaitResult(entry.getClaim().getMissionId(), entry.getClaim().getStage()));
    }
    entry.setClaim(asker);
    return answer(asker, key, new RunStage());
  }

  private static void produced(
      ResultEntry entry, StageRef producer, ResultProduced produced, String key, List<ResultAnswer> answers) {
    IndexedResult latest = entry.getLatest();
    if (latest == null || !produced.getFinishedAt().isBefore(latest.getFinishedAt())) {
      entry.setLatest(new IndexedResult(producer.getMissionId(), producer.getStage(), produced.getFinishedAt(),
          produced.getOutputs()));
    }
    // A stage may have run on an answer to an earlier lookup while its later one made it a waiter:
    // having its result, it waits for nothing, and must not be handed the claim it would never take up.
    entry.getWaiters().remove(producer);
    if (producer.equals(entry.getClaim())) {
      entry.setClaim(null);
      for (StageRef waiter : entry.getWaiters()) {
        answers.add(answer(waiter, key, reuse(entry.getLatest())));
      }
      entry.getWaiters().clear();
    }
  }

  private static void abandoned(ResultEntry entry, StageRef quitter, String key, List<ResultAnswer> answers) {
    entry.getWaiters().remove(quitter);
    if (quitter.equals(entry.getClaim())) {
      entry.setClaim(null);
      if (!entry.getWaiters().isEmpty()) {
        StageRef next = entry.getWaiters().remove(0);
        entry.setClaim(next);
        answers.add(answer(next, key, new RunStage()));
      }
    }
  }

  private static ReuseResult reuse(IndexedResult result) {
    return new ReuseResult(result.getMissionId(), result.getStage(), result.getFinishedAt(), result.getOutputs());
  }

  private static ResultAnswer answer(StageRef to, String key, Object answer) {
    return new ResultAnswer(to.getMissionId(), to.getStage(), key, answer);
  }
}
