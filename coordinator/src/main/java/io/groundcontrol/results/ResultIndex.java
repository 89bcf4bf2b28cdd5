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
import java.util.Optional;

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
 * <p>Every request names the lookup of its stage it is about (its ask, the mission's event sequence
 * of the lookup), and the claim and each waiter keep the ask that put them there; every answer
 * names the ask it answers. A record read again (at-least-once) after its stage asked anew is so
 * never taken for the newer lookup: a lookup older than one the entry holds for the stage is
 * dropped, and an end removes only what its own lookup or an earlier one put there. Ask 0 (records
 * written before lookups were numbered) matches any.
 *
 * <p>Time is the request record's timestamp, never the clock here, so deciding again gives the same
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
    StageRef asker = new StageRef(request.getMissionId(), request.getStage(), request.getAsk());
    List<ResultAnswer> answers = new ArrayList<>();
    if (request.getRequest() instanceof LookupResult lookup) {
      lookup(entry, asker, Duration.ofMillis(lookup.getMaxAgeMs()), request.getResultKey(), at).ifPresent(answers::add);
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

  /** Empty for a lookup older than one the entry holds for its stage: read again, it is dropped. */
  private static Optional<ResultAnswer> lookup(
      ResultEntry entry, StageRef asker, Duration maxAge, String key, Instant at) {
    StageRef claim = entry.getClaim();
    if (isStale(asker, claim) || entry.getWaiters().stream().anyMatch(waiter -> isStale(asker, waiter))) {
      return Optional.empty();
    }
    entry.getWaiters().removeIf(waiter -> sameStage(waiter, asker) && waiter.getAsk() < asker.getAsk());
    if (sameStage(claim, asker)) {
      if (asker.getAsk() > claim.getAsk()) {
        entry.setClaim(asker);
      }
      return Optional.of(answer(asker, key, new RunStage()));
    }
    IndexedResult latest = entry.getLatest();
    if (latest != null && Duration.between(latest.getFinishedAt(), at).compareTo(maxAge) < 0) {
      return Optional.of(answer(asker, key, reuse(latest)));
    }
    if (claim != null) {
      if (entry.getWaiters().stream().noneMatch(waiter -> sameStage(waiter, asker))) {
        entry.getWaiters().add(asker);
      }
      return Optional.of(answer(asker, key, new AwaitResult(claim.getMissionId(), claim.getStage())));
    }
    entry.setClaim(asker);
    return Optional.of(answer(asker, key, new RunStage()));
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
    entry.getWaiters().removeIf(waiter -> endedBy(waiter, producer));
    if (endedBy(entry.getClaim(), producer)) {
      entry.setClaim(null);
      for (StageRef waiter : entry.getWaiters()) {
        answers.add(answer(waiter, key, reuse(entry.getLatest())));
      }
      entry.getWaiters().clear();
    }
  }

  private static void abandoned(ResultEntry entry, StageRef quitter, String key, List<ResultAnswer> answers) {
    entry.getWaiters().removeIf(waiter -> endedBy(waiter, quitter));
    if (endedBy(entry.getClaim(), quitter)) {
      entry.setClaim(null);
      if (!entry.getWaiters().isEmpty()) {
        StageRef next = entry.getWaiters().remove(0);
        entry.setClaim(next);
        answers.add(answer(next, key, new RunStage()));
      }
    }
  }

  private static boolean sameStage(StageRef held, StageRef stage) {
    return held != null && held.getMissionId().equals(stage.getMissionId()) && held.getStage().equals(stage.getStage());
  }

  /** Whether {@code held}, a claim or a wait, came from a newer lookup of {@code asker}'s stage than this one. */
  private static boolean isStale(StageRef asker, StageRef held) {
    return sameStage(held, asker) && asker.getAsk() != 0 && asker.getAsk() < held.getAsk();
  }

  /**
   * Whether an end of {@code ender}'s stage ends {@code held}: the same stage, put there by the lookup
   * the end names or an earlier one. An end read again after its stage asked anew leaves the newer
   * claim or wait in place.
   */
  private static boolean endedBy(StageRef held, StageRef ender) {
    return sameStage(held, ender) && (ender.getAsk() == 0 || held.getAsk() == 0 || held.getAsk() <= ender.getAsk());
  }

  private static ReuseResult reuse(IndexedResult result) {
    return new ReuseResult(result.getMissionId(), result.getStage(), result.getFinishedAt(), result.getOutputs());
  }

  /** An answer to {@code to}'s lookup, naming it. */
  private static ResultAnswer answer(StageRef to, String key, Object answer) {
    return new ResultAnswer(to.getMissionId(), to.getStage(), key, answer, to.getAsk());
  }
}
