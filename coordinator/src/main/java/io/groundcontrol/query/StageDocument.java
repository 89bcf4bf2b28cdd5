package io.groundcontrol.query;

import io.groundcontrol.mission.FanOut;
import io.groundcontrol.mission.ReuseText;
import io.groundcontrol.mission.StageView;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReusedFrom;
import java.time.Instant;
import java.util.Map;

/**
 * One stage of a {@link MissionDocument}.
 *
 * @param outputs outputs of the finished attempt, values as JSON text
 * @param error why the last attempt failed, if it did
 * @param errorDetail the failure's detail, such as a stack trace, if it has one
 * @param retryable whether the failure may be retried; null if the stage has not failed
 * @param reusedFrom for a REUSED stage, the earlier run whose result it took; null otherwise
 * @param chunks for a stage fanned out in chunks: how many are done, running, waiting for a slot of a
 *     capped component, failed, not started (queued) and, in a cancelled mission, cut short
 * @param status the stored status, but {@code CANCELLED} for a stage its mission's cancel cut short
 *     (see {@link StageStatuses})
 * @param note why the stage waits, in words, if it waits on something people should know of: {@code
 *     waiting 40 s; no live worker of 'ml'}, {@code waiting for a slot of 'bq': 15 of 15 running}
 *     (see {@link io.groundcontrol.client.StageNotes}); in a cancelled mission, the status a stage
 *     was cut short in ({@code was RUNNING when the mission was cancelled}) or that it will not run;
 *     null otherwise
 */
public record StageDocument(
    String name,
    String status,
    int attempt,
    String worker,
    Map<String, String> outputs,
    String error,
    String errorDetail,
    Boolean retryable,
    ReuseOrigin reusedFrom,
    String updatedAt,
    ChunkSummary chunks,
    String note) {

  /** The document of {@code stage} in a mission that is {@code mission}: its status as {@link StageStatuses} shows it. */
  static StageDocument of(StageView stage, MissionStatus mission) {
    return new StageDocument(stage.name(), StageStatuses.of(mission, stage.status()), stage.attempt(), stage.worker().orElse(null),
        stage.outputs(), stage.error().map(e -> e.getMessage()).orElse(null),
        stage.error().map(e -> e.getDetail()).orElse(null), stage.error().map(e -> e.getRetryable()).orElse(null),
        stage.reusedFrom().map(from -> ReuseOrigin.of(from, stage.updatedAt())).orElse(null), stage.updatedAt().toString(),
        stage.fanOut().map(counters -> ChunkSummary.of(counters, mission)).orElse(null),
        StageStatuses.note(mission, stage.status()).orElse(null));
  }

  /** The same stage with {@code note}; with null, the note it has. */
  StageDocument withNote(String note) {
    return note == null ? this : new StageDocument(name, status, attempt, worker, outputs, error, errorDetail, retryable,
        reusedFrom, updatedAt, chunks, note);
  }

  /**
   * The earlier run whose result a reused stage took.
   *
   * @param missionId the mission of that run
   * @param stage its stage
   * @param finishedAt when it finished
   * @param description for people: {@code reused from mission m-1, stage extract, 12 min old}, the
   *     age counted up to the reuse, as {@code mission show} prints it
   */
  public record ReuseOrigin(String missionId, String stage, String finishedAt, String description) {
    static ReuseOrigin of(ReusedFrom from, Instant reusedAt) {
      return new ReuseOrigin(from.getMissionId(), from.getStage(), from.getFinishedAt().toString(),
          ReuseText.describe(from.getMissionId(), from.getStage(), from.getFinishedAt(), reusedAt));
    }
  }

  /**
   * The chunks of a stage with foreach, by where they stand. In a cancelled mission the chunks that
   * were out or not started yet count as {@code cancelled}, not as running, waiting or queued: the
   * cancel stopped their workers and nothing more starts, while the stored counters keep what they were.
   *
   * @param running chunks dispatched to a worker, running, awaiting a retry or a result
   * @param waitingForSlot chunks queued for a slot of their capped component (status {@code QUEUED}):
   *     they hold a place under max_parallel, but no worker has them yet
   * @param queued chunks not started yet, waiting for a place under max_parallel
   */
  public record ChunkSummary(int total, int done, int running, int waitingForSlot, int failed, int queued, int cancelled) {
    static ChunkSummary of(FanOut counters, MissionStatus mission) {
      if (mission == MissionStatus.CANCELLED) {
        return new ChunkSummary(counters.chunkCount(), counters.done(), 0, 0, counters.failed(), 0,
            counters.active() + counters.notStarted());
      }
      return new ChunkSummary(counters.chunkCount(), counters.done(), counters.running(), counters.queuedForSlot(),
          counters.failed(), counters.notStarted(), 0);
    }

    /**
     * {@code 412/1000 done, 20 running, 1 failed, 567 queued}, with {@code , 6 waiting for a slot}
     * after the running ones if any wait, and {@code , 587 cancelled} if any were.
     */
    public String describe() {
      String counts = FanOut.describe(total, done, running, waitingForSlot, failed, queued);
      return cancelled == 0 ? counts : counts + ", " + cancelled + " cancelled";
    }
  }
}
