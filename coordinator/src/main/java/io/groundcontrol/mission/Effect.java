package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.StageInstruction;
import java.time.Instant;
import java.util.Map;

/**
 * Something a decision calls for outside the mission itself: an instruction to workers, a timer, a
 * change to what the coordinator watches. Processors emit effects next to their events, and the
 * coordinator writes them in one place, a {@link Handler}. Replay folds events only and ignores
 * effects: what it cannot rebuild (timers, liveness) is kept in changelogged stores.
 */
public sealed interface Effect {
  /** Hands this effect to the handler method for its kind. */
  void handle(Handler handler);

  /**
   * Carries out effects, one method per kind: a new kind of effect is a new method here, and the
   * compiler points at every handler that must learn it.
   */
  interface Handler {
    void instruct(StageInstruction instruction);

    void setTimer(TimerFired timer);

    void watchLiveness(WatchLiveness watch);

    void forgetLiveness(ForgetLiveness forget);

    void requestResult(RequestResult request);

    void requestSlot(RequestSlot request);

    void releaseSlot(ReleaseSlot release);

    void askAdmission(AskAdmission ask);

    void endAdmission(EndAdmission end);

    void forgetMission(ForgetMission forget);
  }

  /** Tell the workers of the instruction's component to run or to stop an attempt. */
  record Instruct(StageInstruction instruction) implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.instruct(instruction);
    }
  }

  /** Come back with {@code timer} as an input when it is due. */
  record SetTimer(TimerFired timer) implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.setTimer(timer);
    }
  }

  /**
   * Start watching the heartbeats of an attempt whose worker promised one every {@code intervalMs},
   * counting from {@code since}.
   */
  record WatchLiveness(String missionId, String stage, int attempt, Instant since, long intervalMs)
      implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.watchLiveness(this);
    }
  }

  /**
   * Tell the results index, keyed by the request's result key: a lookup, a result, or that none is
   * coming. {@code at}, the coordinator's clock as it decided (never before the input), is the
   * request's time: what the index measures a result's age against.
   */
  record RequestResult(ResultRequest request, Instant at) implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.requestResult(this);
    }
  }

  /** Stop watching an attempt's heartbeats: it ended. */
  record ForgetLiveness(String missionId, String stage, int attempt) implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.forgetLiveness(this);
    }
  }

  /**
   * Ask the admission sub-topology for a slot of a capped component for attempt {@code attempt} of
   * a stage of this mission. When it grants the slot, it also sends the attempt to the component's
   * workers (with {@code params} and {@code timeoutMs}, as an uncapped dispatch would), in the same
   * transaction; the grant comes back as an input, for the mission to record the dispatch. (The
   * coordinator may instead grant it at once from a slot leased to the mission's partition: the
   * grant then asks the mission to send the RUN itself.)
   */
  record RequestSlot(String component, String stage, int attempt, String planName, int priority,
      Map<String, String> params, Long timeoutMs) implements Effect {
    public RequestSlot {
      params = Map.copyOf(params);
    }

    @Override
    public void handle(Handler handler) {
      handler.requestSlot(this);
    }
  }

  /**
   * Give back the slot an attempt holds, or withdraw its request if it is still queued: the attempt
   * ended, or will never run. Releasing what is not held changes nothing.
   *
   * @param queued the mission still saw the attempt queued: if the slot was granted meanwhile, the
   *     attempt's RUN may already be with a worker, and the admission sub-topology tells it to stop
   */
  record ReleaseSlot(String component, String stage, int attempt, String why, boolean queued) implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.releaseSlot(this);
    }
  }

  /**
   * Ask the mission-limits sub-topology, keyed by plan, for one of the plan's active-mission
   * places ({@code max_active_missions}); the answer comes back as an input, naming {@code ask},
   * the number of this ask of the mission.
   */
  record AskAdmission(String planName, Integer limit, int priority, int ask) implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.askAdmission(this);
    }
  }

  /**
   * The mission ended (or will not run): give back the place its ask number {@code ask} holds
   * among the plan's active missions, or withdraw that ask. Ending what was never admitted or asked
   * changes nothing.
   */
  record EndAdmission(String planName, Integer limit, String why, int ask) implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.endAdmission(this);
    }
  }

  /**
   * Remove everything stored of a forgotten mission: its header and stage entries, its place in
   * the mission index under the status it ended with, and its timers still pending (which the
   * coordinator finds by a sweep: their keys begin with due times the mission does not hold).
   * Its events stay in the log.
   */
  record ForgetMission(String missionId, String planName, Instant startedAt, MissionStatus status) implements Effect {
    @Override
    public void handle(Handler handler) {
      handler.forgetMission(this);
    }
  }
}
