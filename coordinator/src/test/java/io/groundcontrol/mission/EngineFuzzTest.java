package io.groundcontrol.mission;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.AwaitResult;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.LookupResult;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.ReusePolicy;
import io.groundcontrol.schema.ReuseResult;
import io.groundcontrol.schema.RunStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageDefaults;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageQueued;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageReused;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartDeduplicated;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.coordinator.CompiledPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Randomised property test of the plain-Java mission engine: random valid plans using every stage
 * feature (retry with backoff and jitter, timeouts, start timeouts, heartbeats, upstream outputs in
 * params, foreach fan-out with max_parallel and tolerance, result reuse, capped components,
 * max_active_missions, on_duplicate), driven by random interleavings of worker reports (fresh,
 * duplicate, stale, unknown), slot grants (late, duplicate, with and without instruction), results
 * index answers, admission answers, manual commands and time (timers, liveness re-armed as the
 * coordinator does). The mission is stored between inputs as the coordinator stores it, whole or as
 * header plus stages read on demand, alternating by seed.
 *
 * <p>After every input it checks:
 * <ol>
 *   <li>decide never throws (a rejection is an event);
 *   <li>replaying the log from scratch gives the stored state;
 *   <li>the mission's stage counts and every fan-out's counters agree with its stages;
 *   <li>a RUN goes only to an attempt the state has DISPATCHED, with its StageDispatched in the same
 *       decision, and never twice for the same attempt;
 *   <li>attempt numbers of a stage instance never go down;
 *   <li>a running mission is never stuck: it has a stage pending, no plan stage ready but WAITING,
 *       no chunk WAITING while its fan-out has a free place, and whatever is pending has what will
 *       move it (a RETRY timer, a slot request, a results lookup, a RUN sent); a WAITING mission has
 *       asked for admission;
 *   <li>a FINISHED or FAILED mission has nothing pending, and a FINISHED one only releasing or
 *       excluded stages; an ended mission takes no report, timer, grant or answer except as a
 *       rejection;
 *   <li>an accepted outcome's outputs are the reported ones of the current attempt, and a RUN's
 *       params carry the outputs of the upstream attempt that finished (or the reused result);
 *   <li>with chaos over, feeding the mission only good news ends it (no hang).
 * </ol>
 * Run more seeds with {@code -Denginefuzz.seeds=5000}, one with {@code -Denginefuzz.seed=N}.
 */
class EngineFuzzTest {
  private static final int SEEDS = Integer.getInteger("enginefuzz.seeds", 250);
  private static final Integer ONE_SEED = Integer.getInteger("enginefuzz.seed");
  private static final int STEPS = 160;
  private static final String MID = "m1";
  private static final Actor USER = new Actor(ActorKind.USER, "ann", "laptop");

  @Test
  void randomRunsKeepTheEngineInvariants() {
    List<String> failures = new ArrayList<>();
    if (ONE_SEED != null) {
      String failure = new Run(ONE_SEED).go();
      if (failure != null) {
        throw new AssertionError(failure);
      }
      return;
    }
    for (int seed = 1; seed <= SEEDS; seed++) {
      String failure = new Run(seed).go();
      if (failure != null) {
        failures.add(failure);
        if (failures.size() >= 5) {
          break;
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(failures.size() + " seed(s) broke an invariant:\n\n" + String.join("\n\n", failures));
    }
  }

  /** One seed: a plan, a mission, a random walk of inputs, checks after each. */
  static final class Run {
    private final int seed;
    private final Random rnd;
    private final boolean onDemand;
    private final Plan plan;
    private final MissionPlan compiled;
    private final boolean capC1;
    private final MissionEngine engine;
    private final List<String> trace = new ArrayList<>();

    // what the coordinator keeps
    private MissionState stored;
    private Map<StageStatus, Integer> storedCounts;
    private final List<MissionEvent> log = new ArrayList<>();
    private final List<TimerFired> timers = new ArrayList<>();
    private final Map<String, long[]> liveness = new HashMap<>();
    // what the rest of the world holds
    private final Map<String, Effect.RequestSlot> slotRequests = new LinkedHashMap<>();
    private final List<Effect.RequestSlot> withdrawn = new ArrayList<>();
    private final Map<String, String> lookups = new LinkedHashMap<>();
    private boolean admissionAsked;
    /** Attempts sent to workers: instance#attempt. */
    private final Set<String> sent = new HashSet<>();
    private final List<String[]> sentList = new ArrayList<>();
    /** Outputs each report on instance#attempt said it finished with. */
    private final Map<String, Map<String, String>> reportedOutputs = new HashMap<>();
    /** Per instance: outputs of the attempt whose StageFinished/StageReused is the latest accepted. */
    private final Map<String, Map<String, String>> acceptedOutputs = new HashMap<>();
    private final Map<String, Integer> highestAttempt = new HashMap<>();
    private StageReport lastReport;
    private Instant clock = Instant.parse("2026-11-22T10:00:00Z");
    private int step;
    private int nonce;
    private String failure;

    Run(int seed) {
      this.seed = seed;
      this.rnd = new Random(seed * 7919L + 17);
      this.onDemand = seed % 2 == 0;
      this.plan = randomPlan();
      this.compiled = CompiledPlan.of(plan);
      PlanLookup plans = new PlanLookup() {
        @Override
        public Optional<MissionPlan> latest(String name) {
          return name.equals("p") ? Optional.of(compiled) : Optional.empty();
        }

        @Override
        public Optional<MissionPlan> version(String name, String version) {
          return name.equals("p") && version.equals("v1") ? Optional.of(compiled) : Optional.empty();
        }
      };
      this.capC1 = rnd.nextInt(3) == 0;
      this.engine = new MissionEngine(plans, MissionLimits.DEFAULTS.withRetention(Duration.ofHours(1)),
          component -> capC1 && component.equals("c1"));
    }

    // ---------------------------------------------------------------- plan

    private Plan randomPlan() {
      int n = 1 + rnd.nextInt(6);
      List<PlanStage> stages = new ArrayList<>();
      Set<String> fanned = new HashSet<>();
      for (int i = 0; i < n; i++) {
        String name = "s" + i;
        List<String> upstream = new ArrayList<>();
        for (int j = 0; j < i; j++) {
          if (rnd.nextInt(3) == 0 || (j == i - 1 && upstream.isEmpty() && rnd.nextBoolean())) {
            upstream.add("s" + j);
          }
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("n", "\"${params.n}\"");
        for (String up : upstream) {
          if (rnd.nextBoolean()) {
            params.put("in_" + up, "\"${stages." + up + ".outputs.o}\"");
          }
        }
        PlanStage stage = new PlanStage(name, rnd.nextBoolean() ? "c0" : "c1", upstream, params, null, null, null, null,
            null, null);
        if (rnd.nextInt(3) == 0) {
          stage.setRetry(new RetryPolicy(1 + rnd.nextInt(3), (long) rnd.nextInt(4000), 2.0, 10_000L,
              rnd.nextBoolean() ? 0.0 : 0.5));
        }
        if (rnd.nextInt(3) == 0) {
          stage.setTimeoutMs(5_000L + rnd.nextInt(30_000));
        }
        if (rnd.nextInt(4) == 0) {
          stage.setStartTimeoutMs(5_000L + rnd.nextInt(20_000));
        }
        if (rnd.nextInt(4) == 0) {
          stage.setReuse(new ReusePolicy(3_600_000L));
        }
        if (rnd.nextInt(3) == 0) {
          String source = "${params.items}";
          if (!upstream.isEmpty() && rnd.nextBoolean()) {
            source = "${stages." + upstream.get(rnd.nextInt(upstream.size())) + ".outputs.list}";
          }
          ForeachPolicy foreach = new ForeachPolicy(source, 1 + rnd.nextInt(2), 1 + rnd.nextInt(3), null, null);
          if (rnd.nextInt(3) == 0) {
            foreach.setTolerateFailedCount(rnd.nextInt(2));
          }
          stage.setForeach(foreach);
          stage.getParams().put("items", "\"${chunk.items}\"");
          stage.getParams().put("index", "\"${chunk.index}\"");
          fanned.add(name);
        }
        stages.add(stage);
      }
      StageDefaults defaults = rnd.nextInt(3) == 0
          ? new StageDefaults(new RetryPolicy(2, 1000L, 2.0, 5000L, 0.0), rnd.nextBoolean() ? 20_000L : null, null)
          : null;
      DuplicateStartPolicy onDuplicate = DuplicateStartPolicy.values()[rnd.nextInt(DuplicateStartPolicy.values().length)];
      Integer maxActive = rnd.nextInt(4) == 0 ? 1 : null;
      Plan built = new Plan("p", "v1", null,
          List.of(new PlanParam("n", null, "1"), new PlanParam("items", null, "[1,2,3,4,5]")),
          stages, defaults, onDuplicate, maxActive);
      return built;
    }

    // ---------------------------------------------------------------- the walk

    String go() {
      try {
        input(new MissionCommand(MID, USER, clock, new StartMission("p", Map.of(), List.of(), List.of(),
            rnd.nextInt(5) == 0, 0)));
        for (step = 1; step <= STEPS && failure == null; step++) {
          clock = clock.plusMillis(rnd.nextInt(1500));
          randomInput();
        }
        if (failure == null) {
          drain();
        }
      } catch (Throwable e) {
        failure = "exception " + e + "\n    at " + where(e);
      }
      if (failure == null) {
        return null;
      }
      return "seed " + seed + " (mode " + (onDemand ? "on-demand" : "whole") + ", capped c1: " + capC1 + ") step "
          + step + ": " + failure + "\n  plan: " + describePlan() + "\n  trace (last 40):\n    "
          + String.join("\n    ", trace.subList(Math.max(0, trace.size() - 40), trace.size()));
    }

    private static String where(Throwable e) {
      StringBuilder out = new StringBuilder();
      for (StackTraceElement frame : e.getStackTrace()) {
        if (frame.getClassName().startsWith("io.groundcontrol.mission") && !frame.getClassName().contains("EngineFuzz")) {
          out.append(frame).append(" <- ");
          if (out.length() > 400) {
            break;
          }
        }
      }
      return out.toString();
    }

    private String describePlan() {
      StringBuilder out = new StringBuilder();
      for (PlanStage s : plan.getStages()) {
        out.append(s.getName()).append("(").append(s.getComponent()).append(" <- ").append(s.getUpstream());
        if (s.getRetry() != null) {
          out.append(" retry=").append(s.getRetry().getMaxAttempts());
        }
        if (s.getTimeoutMs() != null) {
          out.append(" timeout");
        }
        if (s.getStartTimeoutMs() != null) {
          out.append(" startTimeout");
        }
        if (s.getReuse() != null) {
          out.append(" reuse");
        }
        if (s.getForeach() != null) {
          out.append(" foreach ").append(s.getForeach().getSource()).append(" size=").append(s.getForeach().getChunkSize())
              .append(" par=").append(s.getForeach().getMaxParallel()).append(" tol=")
              .append(s.getForeach().getTolerateFailedCount());
        }
        out.append(" params=").append(s.getParams().keySet()).append(") ");
      }
      return out + " defaults=" + (plan.getDefaults() != null) + " onDuplicate=" + plan.getOnDuplicate()
          + " maxActive=" + plan.getMaxActiveMissions();
    }

    private void randomInput() {
      int roll = rnd.nextInt(100);
      if (roll < 38) {
        report(false);
      } else if (roll < 52) {
        fireTimers(rnd.nextInt(4) == 0 ? Duration.ofSeconds(40) : Duration.ofSeconds(3));
      } else if (roll < 62) {
        grant(false);
      } else if (roll < 70) {
        answerLookup(false);
      } else if (roll < 75) {
        admission(rnd.nextInt(3) != 0);
      } else if (roll < 92) {
        command();
      } else if (roll < 95) {
        forget();
      } else {
        junk();
      }
    }

    /** Good news only, until the mission ends, or it is stuck. */
    private void drain() {
      for (int round = 0; round < 400 && failure == null; round++) {
        step++;
        MissionView m = mission();
        if (m == null || m.hasEnded()) {
          return;
        }
        clock = clock.plusMillis(200);
        if (m.status() == MissionStatus.WAITING) {
          if (admissionAsked) {
            admission(true);
            continue;
          }
        }
        if (!slotRequests.isEmpty()) {
          grant(true);
          continue;
        }
        if (!pendingGrants.isEmpty()) {
          input(pendingGrants.remove(0));
          continue;
        }
        if (!lookups.isEmpty()) {
          answerLookup(true);
          continue;
        }
        Optional<StageView> active = activeSent(m);
        if (active.isPresent()) {
          StageView s = active.get();
          Map<String, String> outputs = outputsFor(s.name(), s.attempt());
          send(s.name(), s.attempt(), new ReportFinished(outputs));
          continue;
        }
        if (!timers.isEmpty()) {
          fireTimers(Duration.ofHours(2));
          continue;
        }
        failure = "HANG: mission " + m.status() + " with nothing left to move it: " + stagesOf(m);
        return;
      }
      MissionView m = mission();
      if (failure == null && m != null && !m.hasEnded()) {
        failure = "HANG: mission still " + m.status() + " after draining: " + stagesOf(m);
      }
    }

    private Optional<StageView> activeSent(MissionView m) {
      for (StageView s : m.stages()) {
        if (s.isActive() && sent.contains(s.name() + "#" + s.attempt())) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }

    // ---------------------------------------------------------------- inputs

    private void report(boolean current) {
      if (sentList.isEmpty()) {
        return;
      }
      if (lastReport != null && rnd.nextInt(8) == 0) {
        trace("DUPLICATE of last report");
        input(new StageReport(lastReport.getMissionId(), lastReport.getStage(), lastReport.getAttempt(),
            lastReport.getWorker(), clock, lastReport.getOutcome()));
        return;
      }
      String[] pick = sentList.get(rnd.nextInt(sentList.size()));
      MissionView m = mission();
      // mostly the current attempt of an instance that is out
      if (m != null && rnd.nextInt(4) != 0) {
        List<StageView> out = new ArrayList<>();
        for (StageView s : m.stages()) {
          if ((s.isActive() || s.isQueued()) && sent.contains(s.name() + "#" + s.attempt())) {
            out.add(s);
          }
        }
        if (!out.isEmpty()) {
          StageView s = out.get(rnd.nextInt(out.size()));
          pick = new String[] {s.name(), Integer.toString(s.attempt())};
        }
      }
      String stage = pick[0];
      int attempt = Integer.parseInt(pick[1]);
      int kind = rnd.nextInt(10);
      Object outcome;
      if (kind < 2) {
        outcome = new ReportStarted(rnd.nextBoolean() ? null : 1000L + rnd.nextInt(3) * 1000L,
            rnd.nextBoolean() ? null : clock.minusMillis(rnd.nextInt(5000) - 1000));
      } else if (kind < 4) {
        outcome = new ReportHeartbeat(rnd.nextInt(4) == 0 ? null : 1000L + rnd.nextInt(2) * 1000L);
      } else if (kind < 8) {
        Map<String, String> outputs = outputsFor(stage, attempt);
        if (rnd.nextInt(25) == 0) {
          outputs = new HashMap<>(outputs);
          outputs.put("bad", "not json {");
        }
        outcome = new ReportFinished(outputs);
      } else {
        outcome = new ReportFailed(new StageError("boom " + nonce++, null, rnd.nextInt(3) != 0));
      }
      send(stage, attempt, outcome);
    }

    private Map<String, String> outputsFor(String stage, int attempt) {
      Map<String, String> known = reportedOutputs.get(stage + "#" + attempt);
      if (known != null) {
        return known;
      }
      StringBuilder list = new StringBuilder("[");
      int items = rnd.nextInt(5);
      for (int i = 0; i < items; i++) {
        list.append(i == 0 ? "" : ",").append(rnd.nextInt(100));
      }
      Map<String, String> outputs = new TreeMap<>();
      outputs.put("o", "\"" + stage + "#" + attempt + "#" + nonce++ + "\"");
      outputs.put("list", list.append(']').toString());
      reportedOutputs.put(stage + "#" + attempt, outputs);
      return outputs;
    }

    private void send(String stage, int attempt, Object outcome) {
      StageReport report = new StageReport(MID, stage, attempt, new Actor(ActorKind.WORKER, "w-" + rnd.nextInt(3), "h"),
          clock, outcome);
      lastReport = report;
      if (outcome instanceof ReportHeartbeat hb) {
        // as the coordinator's liveness: a heartbeat at the watched interval is kept there
        long[] watch = liveness.get(stage + "#" + attempt);
        Long interval = Timers.heartbeatInterval(hb.getHeartbeatIntervalMs());
        if (watch != null && interval != null && watch[1] == interval) {
          watch[0] = clock.toEpochMilli();
          trace("heartbeat " + stage + "#" + attempt + " kept by liveness");
          return;
        }
      }
      input(report);
    }

    private void fireTimers(Duration ahead) {
      clock = clock.plus(Duration.ofMillis(rnd.nextLong(Math.max(1, ahead.toMillis()))));
      timers.sort(Comparator.comparing(TimerFired::dueAt));
      int fired = 0;
      while (!timers.isEmpty() && !timers.get(0).dueAt().isAfter(clock) && failure == null && fired++ < 6) {
        TimerFired timer = timers.remove(0);
        if (timer.kind() == TimerFired.Kind.LIVENESS) {
          long[] watch = liveness.get(timer.stage() + "#" + timer.attempt());
          if (watch == null) {
            continue;
          }
          Instant deadline = Instant.ofEpochMilli(watch[0]).plus(Timers.livenessWindow(watch[1]));
          if (deadline.isAfter(clock)) {
            timers.add(new TimerFired(timer.missionId(), timer.stage(), timer.attempt(), timer.kind(), deadline,
                timer.missionStartedAt()));
            timers.sort(Comparator.comparing(TimerFired::dueAt));
            continue;
          }
          liveness.remove(timer.stage() + "#" + timer.attempt());
        }
        input(timer);
      }
    }

    private void grant(boolean good) {
      if (!good && !withdrawn.isEmpty() && rnd.nextInt(5) == 0) {
        Effect.RequestSlot late = withdrawn.get(rnd.nextInt(withdrawn.size()));
        trace("LATE grant");
        grantOf(late, rnd.nextBoolean());
        return;
      }
      if (slotRequests.isEmpty()) {
        return;
      }
      List<Effect.RequestSlot> all = new ArrayList<>(slotRequests.values());
      Effect.RequestSlot request = all.get(good ? 0 : rnd.nextInt(all.size()));
      boolean instructed = good || rnd.nextInt(4) != 0;
      grantOf(request, instructed);
    }

    private void grantOf(Effect.RequestSlot request, boolean instructed) {
      slotRequests.remove(request.stage() + "#" + request.attempt());
      if (instructed) {
        sentTo(request.stage(), request.attempt());
      }
      if (!instructed || rnd.nextInt(6) != 0) {
        input(new SlotGrant(MID, request.stage(), request.attempt(), request.component(), clock, 1, 1, instructed, false,
            false));
      } else {
        trace("grant of " + request.stage() + "#" + request.attempt() + " delayed (RUN already with workers)");
        pendingGrants.add(new SlotGrant(MID, request.stage(), request.attempt(), request.component(), clock, 1, 1, true,
            false, false));
      }
    }

    private final List<SlotGrant> pendingGrants = new ArrayList<>();

    private void answerLookup(boolean good) {
      if (!good && !pendingGrants.isEmpty() && rnd.nextBoolean()) {
        input(pendingGrants.remove(0));
        return;
      }
      if (lookups.isEmpty()) {
        return;
      }
      List<String> stages = new ArrayList<>(lookups.keySet());
      String stage = stages.get(good ? 0 : rnd.nextInt(stages.size()));
      String key = lookups.get(stage);
      if (!good && rnd.nextInt(10) == 0) {
        key = "other-key";
      }
      int kind = good ? rnd.nextInt(2) : rnd.nextInt(3);
      Object answer;
      if (kind == 0) {
        answer = new RunStage();
      } else if (kind == 1) {
        Map<String, String> outputs = new TreeMap<>();
        outputs.put("o", "\"reused-" + stage + "-" + nonce++ + "\"");
        outputs.put("list", "[7,8,9]");
        answer = new ReuseResult("m-0", stage, clock.minusSeconds(60), outputs);
      } else {
        answer = new AwaitResult("m-0", stage);
      }
      MissionView mission = mission();
      long latest = mission == null ? 0 : mission.stage(stage).map(StageView::resultAsk).orElse(0L);
      // Now and then an answer to an earlier lookup, as one read again under at-least-once: the
      // stage does not take it.
      long ask = !good && latest > 1 && rnd.nextInt(5) == 0 ? latest - 1 : latest;
      if (!(answer instanceof AwaitResult) && key.equals(lookups.get(stage)) && ask == latest) {
        lookups.remove(stage);
      }
      input(new ResultAnswer(MID, stage, key, answer, ask));
    }

    private void admission(boolean admitted) {
      if (!admissionAsked && rnd.nextInt(4) != 0) {
        return;
      }
      MissionView mission = mission();
      int latest = mission == null ? 0 : mission.admissionAsk();
      // Now and then an answer to an earlier ask, as one read again under at-least-once: it answers
      // nothing the mission waits on.
      int ask = latest > 1 && rnd.nextInt(5) == 0 ? latest - 1 : latest;
      if (admitted && ask == latest) {
        admissionAsked = false;
      }
      input(new MissionAdmission(MID, "p", admitted, 1, 1, clock, ask));
    }

    private void command() {
      String stage = randomStageName();
      int kind = rnd.nextInt(12);
      Object payload;
      if (kind < 1) {
        payload = new CancelMission(rnd.nextBoolean() ? null : "enough");
      } else if (kind < 5) {
        payload = new RetryStage(stage, rnd.nextBoolean());
      } else if (kind < 8) {
        payload = new SkipStage(stage, "not needed");
      } else if (kind < 10) {
        payload = new FailStage(stage, "bad data");
      } else {
        payload = new StartMission("p", Map.of(), List.of(), List.of(), false, 0);
      }
      input(new MissionCommand(MID, USER, clock, payload));
    }

    private String randomStageName() {
      MissionView m = mission();
      int roll = rnd.nextInt(20);
      if (roll == 0) {
        return "nope";
      }
      if (roll == 1) {
        return "s0[99]";
      }
      if (m != null) {
        List<String> names = new ArrayList<>();
        m.stages().forEach(s -> names.add(s.name()));
        // prefer failed ones, as retry wants them
        List<String> failed = new ArrayList<>();
        m.stages().forEach(s -> {
          if (s.status() == StageStatus.FAILED) {
            failed.add(s.name());
          }
        });
        if (!failed.isEmpty() && rnd.nextBoolean()) {
          return failed.get(rnd.nextInt(failed.size()));
        }
        return names.get(rnd.nextInt(names.size()));
      }
      return "s0";
    }

    private void forget() {
      MissionView m = mission();
      if (m == null) {
        if (rnd.nextBoolean()) {
          trace("start again after forget");
          resetWorld();
          input(new MissionCommand(MID, USER, clock, new StartMission("p", Map.of(), List.of(), List.of(), false, 0)));
        }
        return;
      }
      if (!m.hasEnded()) {
        return;
      }
      clock = clock.plus(Duration.ofHours(2));
      input(new TimerFired(MID, "", 0, TimerFired.Kind.FORGET, clock));
    }

    private void resetWorld() {
      highestAttempt.clear();
      sent.clear();
      sentList.clear();
      acceptedOutputs.clear();
      reportedOutputs.clear();
      slotRequests.clear();
      lookups.clear();
      withdrawn.clear();
      pendingGrants.clear();
      runsSent.clear();
      highestQueued.clear();
      lastReport = null;
      admissionAsked = false;
    }

    private void junk() {
      int kind = rnd.nextInt(5);
      if (kind == 0) {
        send("nope", 1, new ReportFinished(Map.of()));
      } else if (kind == 1) {
        send("s0", 0, new ReportStarted(null, null));
      } else if (kind == 2) {
        send("s0[abc]", 1, new ReportFailed(new StageError("x", null, true)));
      } else if (kind == 3) {
        // a report naming a fan-out stage itself, not one of its chunks: only chunks run on workers
        for (PlanStage st : plan.getStages()) {
          if (st.getForeach() != null) {
            MissionView m = mission();
            int attempt = m == null ? 1 : m.stage(st.getName()).map(StageView::attempt).orElse(1);
            int which = rnd.nextInt(3);
            send(st.getName(), attempt, which == 0 ? new ReportFailed(new StageError("x", null, true))
                : which == 1 ? new ReportStarted(1000L, null) : new ReportFinished(Map.of()));
            return;
          }
        }
      } else {
        // a grant the admission did not owe (a duplicate, or for an attempt long gone)
        int attempt = 1 + rnd.nextInt(3);
        input(new SlotGrant(MID, "s0", attempt, "c1", clock, 1, 1, false, false, false));
      }
    }

    private void sentTo(String stage, int attempt) {
      if (sent.add(stage + "#" + attempt)) {
        sentList.add(new String[] {stage, Integer.toString(attempt)});
      }
    }

    // ---------------------------------------------------------------- deciding, as the coordinator does

    private final Set<String> runsSent = new HashSet<>();

    private MissionView mission() {
      return load();
    }

    private Mission load() {
      if (stored == null) {
        return null;
      }
      if (!onDemand) {
        return MissionStateCodec.fromStored(stored);
      }
      Map<String, StoredStage> byName = new LinkedHashMap<>();
      stored.getStages().forEach(s -> byName.put(s.getName(), s));
      StageSource source = new StageSource() {
        @Override
        public Stage load(String name) {
          StoredStage s = byName.get(name);
          return s == null ? null : MissionStateCodec.fromStored(s);
        }

        @Override
        public List<Stage> loadAll() {
          List<Stage> all = new ArrayList<>();
          byName.values().forEach(s -> all.add(MissionStateCodec.fromStored(s)));
          return all;
        }
      };
      return Mission.load(stored.getMissionId(), stored.getPlanName(), stored.getPlanVersion(), stored.getStatus(),
          stored.getParams(), stored.getSequence(), stored.getStartedAt(), stored.getUpdatedAt(), stored.getReason(),
          new EnumMap<>(storedCounts), source).noReuse(stored.getNoReuse()).restoredPriority(stored.getPriority())
          .restoredAdmissionAsk(stored.getAdmissionAsk());
    }

    private void input(Object in) {
      if (failure != null) {
        return;
      }
      Mission before = load();
      MissionStatus statusBefore = before == null ? null : before.status();
      Map<String, Integer> attemptsBefore = new HashMap<>();
      if (before != null) {
        MissionStateCodec.fromStored(stored).stages().forEach(s -> attemptsBefore.put(s.name(), s.attempt()));
      }
      trace(describe(in) + (before == null ? "" : "   [before: " + statusBefore + " " + stagesOf(MissionStateCodec.fromStored(stored)) + "]"));
      Decision decision;
      try {
        decision = engine.decide(before, in, clock, clock);
      } catch (RuntimeException e) {
        failure = "decide threw " + e + "\n    at " + where(e);
        return;
      }
      List<String> kinds = new ArrayList<>();
      decision.events().forEach(e -> kinds.add(e.getEvent().getClass().getSimpleName()
          + (e.getEvent() instanceof InputRejected r ? "(" + r.getReasonCode() + ")" : "")));
      trace("   -> " + kinds + " effects " + effectsOf(decision));
      // store, as the coordinator does
      boolean forgotten = decision.effects().stream().anyMatch(Effect.ForgetMission.class::isInstance);
      if (decision.changedMission()) {
        Mission after = decision.mission().orElseThrow();
        stored = MissionStateCodec.toStored(after);
        storedCounts = new EnumMap<>(StageStatus.class);
        storedCounts.putAll(after.stageCounts());
      }
      if (forgotten || (decision.mission().isEmpty() && stored != null && !decision.events().isEmpty()
          && decision.events().get(decision.events().size() - 1).getEvent().getClass().getSimpleName()
          .equals("MissionForgotten"))) {
        stored = null;
        storedCounts = null;
        resetWorld();
      }
      log.addAll(decision.events());
      for (Effect effect : decision.effects()) {
        apply(effect);
      }
      check(in, decision, statusBefore, attemptsBefore);
    }

    private void apply(Effect effect) {
      if (effect instanceof Effect.SetTimer set) {
        timers.add(set.timer());
      } else if (effect instanceof Effect.WatchLiveness w) {
        liveness.put(w.stage() + "#" + w.attempt(), new long[] {w.since().toEpochMilli(), w.intervalMs()});
      } else if (effect instanceof Effect.ForgetLiveness f) {
        liveness.remove(f.stage() + "#" + f.attempt());
      } else if (effect instanceof Effect.RequestSlot r) {
        slotRequests.put(r.stage() + "#" + r.attempt(), r);
      } else if (effect instanceof Effect.ReleaseSlot r) {
        Effect.RequestSlot gone = slotRequests.remove(r.stage() + "#" + r.attempt());
        if (gone != null) {
          withdrawn.add(gone);
        }
      } else if (effect instanceof Effect.RequestResult r) {
        if (r.request().getRequest() instanceof LookupResult) {
          lookups.put(r.request().getStage(), r.request().getResultKey());
        } else if (lookups.containsKey(r.request().getStage())) {
          // the stage ended while its lookup was out: the index answers, the answer is rejected
          trace("   (lookup of " + r.request().getStage() + " outstanding while the stage ended)");
        }
      } else if (effect instanceof Effect.AskAdmission) {
        admissionAsked = true;
      } else if (effect instanceof Effect.EndAdmission end && (stored == null || end.ask() == stored.getAdmissionAsk())) {
        // Only an end of the latest ask withdraws it; a hand-back of an earlier one leaves it out.
        admissionAsked = false;
      } else if (effect instanceof Effect.Instruct i && i.instruction().getKind() == InstructionKind.RUN) {
        sentTo(i.instruction().getStage(), i.instruction().getAttempt());
      }
    }

    // ---------------------------------------------------------------- invariants

    private void fail(String message) {
      if (failure == null) {
        failure = message;
      }
    }

    private void check(Object in, Decision decision, MissionStatus statusBefore, Map<String, Integer> attemptsBefore) {
      // 2. replay gives the stored state
      Mission replayed;
      try {
        replayed = new EventAppliers().replay(log);
      } catch (RuntimeException e) {
        fail("replay threw " + e + "\n    at " + where(e));
        return;
      }
      MissionState fromLog = replayed == null ? null : MissionStateCodec.toStored(replayed);
      if (!sameState(fromLog, stored)) {
        fail("REPLAY differs from the stored state:\n  stored:   " + stored + "\n  replayed: " + fromLog);
        return;
      }
      if (stored == null) {
        return;
      }
      Mission m = MissionStateCodec.fromStored(stored);
      // 3. counts agree with the stages
      Map<StageStatus, Integer> counts = new EnumMap<>(StageStatus.class);
      for (StageView s : m.stages()) {
        if (!StageInstance.isChunk(s.name())) {
          counts.merge(s.status(), 1, Integer::sum);
        }
      }
      if (onDemand && !counts.equals(storedCounts)) {
        fail("STAGE COUNTS " + storedCounts + " but the stages hold " + counts);
      }
      for (StageView s : m.stages()) {
        if (s.fanOut().isPresent() && !StageInstance.isChunk(s.name())) {
          checkFanOut(m, s);
        }
      }
      // 5. attempts never go down
      for (StageView s : m.stages()) {
        Integer was = attemptsBefore.get(s.name());
        if (was != null && s.attempt() < was) {
          fail("ATTEMPT of " + s.name() + " went down from " + was + " to " + s.attempt());
        }
        Integer high = highestAttempt.get(s.name());
        if (high != null && s.attempt() < high && s.status() != StageStatus.WAITING) {
          // a stage re-dispatched under an attempt number already used
          fail("ATTEMPT of " + s.name() + " is " + s.attempt() + " (" + s.status() + ") below the " + high
              + " it had reached");
        }
        highestAttempt.merge(s.name(), s.attempt(), Math::max);
      }
      // 8. an accepted outcome carries the reported outputs of the current attempt
      for (MissionEvent e : decision.events()) {
        if (e.getEvent() instanceof StageFinished f && !(f.getOutputs().isEmpty() && isFanOutStage(f.getStage()))) {
          Map<String, String> reported = reportedOutputs.get(f.getStage() + "#" + f.getAttempt());
          if (!(in instanceof StageReport r) || !r.getStage().equals(f.getStage()) || r.getAttempt() != f.getAttempt()) {
            fail("StageFinished of " + f.getStage() + "#" + f.getAttempt() + " not caused by its own report: " + describe(in));
          } else if (reported == null || !reported.equals(f.getOutputs())) {
            fail("StageFinished of " + f.getStage() + "#" + f.getAttempt() + " has outputs " + f.getOutputs()
                + " but the report said " + reported);
          }
          acceptedOutputs.put(f.getStage(), f.getOutputs());
        } else if (e.getEvent() instanceof StageFinished f) {
          acceptedOutputs.put(f.getStage(), Map.of());
        } else if (e.getEvent() instanceof StageReused r) {
          acceptedOutputs.put(r.getStage(), r.getOutputs());
        }
        if (e.getEvent() instanceof StageQueued q) {
          int high = highestQueued.getOrDefault(q.getStage(), 0);
          if (q.getAttempt() <= high) {
            fail("QUEUED " + q.getStage() + " attempt " + q.getAttempt() + " again (highest so far " + high + ")");
          }
          highestQueued.put(q.getStage(), q.getAttempt());
        }
      }
      // 4. RUN only for a dispatched attempt, with its event, once
      for (StageInstruction run : decision.instructions()) {
        if (run.getKind() != InstructionKind.RUN) {
          continue;
        }
        String key = run.getStage() + "#" + run.getAttempt();
        if (!runsSent.add(key)) {
          fail("RUN of " + key + " sent twice");
        }
        boolean event = decision.events().stream().anyMatch(e -> e.getEvent() instanceof StageDispatched d
            && d.getStage().equals(run.getStage()) && d.getAttempt() == run.getAttempt());
        StageView s = m.stage(run.getStage()).orElse(null);
        if (!event || s == null || s.attempt() != run.getAttempt() || s.status() != StageStatus.DISPATCHED) {
          fail("RUN of " + key + " but the state has " + s + " (StageDispatched in decision: " + event + ")");
        }
        checkRunParams(m, run);
      }
      // 7. ended missions
      boolean endedBefore = statusBefore != null && statusBefore != MissionStatus.RUNNING
          && statusBefore != MissionStatus.WAITING;
      if (endedBefore && !(in instanceof MissionCommand)) {
        for (MissionEvent e : decision.events()) {
          String kind = e.getEvent().getClass().getSimpleName();
          if (!(e.getEvent() instanceof InputRejected) && !kind.equals("MissionForgotten")) {
            fail("ENDED mission (" + statusBefore + ") took " + kind + " from " + describe(in));
          }
        }
        if (decision.instructions().stream().anyMatch(i -> i.getKind() == InstructionKind.RUN)) {
          fail("ENDED mission (" + statusBefore + ") sent a RUN on " + describe(in));
        }
      }
      if (statusBefore == MissionStatus.CANCELLED && !decision.events().stream()
          .allMatch(e -> e.getEvent() instanceof InputRejected || e.getEvent() instanceof StartDeduplicated
              || e.getEvent().getClass().getSimpleName().equals("MissionForgotten"))) {
        fail("CANCELLED mission changed on " + describe(in));
      }
      if (m.status() == MissionStatus.FINISHED || m.status() == MissionStatus.FAILED) {
        int pending = 0;
        for (StageView s : m.stages()) {
          if (isPending(s.status())) {
            pending++;
          }
          if (m.status() == MissionStatus.FINISHED && !StageInstance.isChunk(s.name()) && !s.releasesDownstream()
              && s.status() != StageStatus.EXCLUDED) {
            fail("FINISHED mission with stage " + s);
          }
        }
        if (pending > 0) {
          fail(m.status() + " mission with stages pending: " + stagesOf(m));
        }
        if (m.status() == MissionStatus.FAILED && m.countOf(StageStatus.FAILED) == 0) {
          fail("FAILED mission with no failed stage: " + stagesOf(m) + " reason " + m.reason());
        }
      }
      // 6. nothing stuck
      if (m.status() == MissionStatus.RUNNING) {
        checkMoves(m);
      } else if (m.status() == MissionStatus.WAITING && !admissionAsked) {
        fail("WAITING mission with no admission asked");
      }
    }

    private final Map<String, Integer> highestQueued = new HashMap<>();

    private boolean isFanOutStage(String stage) {
      return !StageInstance.isChunk(stage) && compiled.hasStage(stage) && compiled.foreach(stage).isPresent();
    }

    private static boolean isPending(StageStatus s) {
      return s == StageStatus.DISPATCHED || s == StageStatus.RUNNING || s == StageStatus.QUEUED
          || s == StageStatus.AWAITING_RETRY || s == StageStatus.AWAITING_RESULT;
    }

    private void checkMoves(Mission m) {
      int pending = 0;
      for (StageView s : m.stages()) {
        if (!StageInstance.isChunk(s.name()) && isPending(s.status())) {
          pending++;
        }
        String key = s.name() + "#" + s.attempt();
        switch (s.status()) {
          case AWAITING_RETRY -> {
            boolean timer = timers.stream().anyMatch(t -> t.kind() == TimerFired.Kind.RETRY && t.stage().equals(s.name())
                && t.attempt() == s.attempt() + 1);
            if (!timer) {
              fail("STUCK: " + s.name() + " AWAITING_RETRY of attempt " + (s.attempt() + 1) + " with no RETRY timer");
            }
          }
          case QUEUED -> {
            if (!slotRequests.containsKey(key) && pendingGrants.stream()
                .noneMatch(g -> g.getStage().equals(s.name()) && g.getAttempt() == s.attempt())) {
              fail("STUCK: " + key + " QUEUED with no slot request out");
            }
          }
          case AWAITING_RESULT -> {
            if (!s.resultKey().orElse("?").equals(lookups.get(s.name()))) {
              fail("STUCK: " + s.name() + " AWAITING_RESULT with no lookup out for its key");
            }
          }
          case DISPATCHED, RUNNING -> {
            if (s.fanOut().isEmpty() && !sent.contains(key)) {
              fail("STUCK: " + key + " " + s.status() + " but no RUN went to a worker");
            }
          }
          default -> { }
        }
      }
      if (pending == 0) {
        fail("STUCK: RUNNING mission with no stage pending: " + stagesOf(m));
      }
      for (String name : compiled.stageNames()) {
        StageView s = m.stage(name).orElseThrow();
        if (s.status() == StageStatus.WAITING
            && compiled.upstream(name).stream().allMatch(u -> m.stage(u).orElseThrow().releasesDownstream())) {
          fail("STUCK: stage " + name + " ready but WAITING: " + stagesOf(m));
        }
      }
    }

    private void checkFanOut(Mission m, StageView parent) {
      FanOut c = parent.fanOut().orElseThrow();
      int active = 0;
      int done = 0;
      int failed = 0;
      int firstWaiting = -1;
      for (int i = 0; i < c.chunkCount(); i++) {
        StageView chunk = m.stage(StageInstance.chunk(parent.name(), i)).orElse(null);
        if (chunk == null) {
          fail("FANOUT " + parent.name() + " lacks chunk " + i);
          return;
        }
        if (isPending(chunk.status())) {
          active++;
        } else if (chunk.releasesDownstream()) {
          done++;
        } else if (chunk.status() == StageStatus.FAILED) {
          failed++;
        } else if (chunk.status() == StageStatus.WAITING && firstWaiting < 0) {
          firstWaiting = i;
        }
      }
      if (c.active() != active || c.done() != done || c.failed() != failed) {
        fail("FANOUT counters of " + parent.name() + " " + c + " (active " + c.active() + ", done " + c.done()
            + ", failed " + c.failed() + ") but chunks: active " + active + ", done " + done + ", failed " + failed
            + "; " + stagesOf(m));
      }
      // chunks beyond the fan-out's count, left by an earlier fan-out, must not be out
      for (StageView s : m.stages()) {
        if (StageInstance.isChunk(s.name()) && StageInstance.planStage(s.name()).equals(parent.name())
            && StageInstance.index(s.name()) >= c.chunkCount() && isPending(s.status())) {
          fail("FANOUT " + parent.name() + " has " + c.chunkCount() + " chunks but " + s + " of an earlier fan-out is out");
        }
      }
      if (parent.status() == StageStatus.RUNNING && m.status() == MissionStatus.RUNNING) {
        ForeachPolicy policy = compiled.foreach(parent.name()).orElseThrow();
        int tolerated = FanOuts.tolerated(policy, c.chunkCount());
        if (active < policy.getMaxParallel() && firstWaiting >= 0 && failed <= tolerated) {
          fail("STUCK: fan-out " + parent.name() + " has chunk " + firstWaiting + " WAITING and a free place: "
              + stagesOf(m));
        }
        if (active == 0) {
          fail("STUCK: fan-out " + parent.name() + " RUNNING with nothing out: " + stagesOf(m));
        }
      }
    }

    private void checkRunParams(Mission m, StageInstruction run) {
      String planStage = StageInstance.planStage(run.getStage());
      for (Map.Entry<String, String> p : compiled.stageParams(planStage).entrySet()) {
        if (!p.getKey().startsWith("in_")) {
          continue;
        }
        String up = p.getKey().substring(3);
        StageView upstream = m.stage(up).orElseThrow();
        String expected;
        if (upstream.fanOut().isPresent()) {
          StringBuilder list = new StringBuilder("[");
          for (int i = 0; i < upstream.fanOut().get().chunkCount(); i++) {
            String chunk = StageInstance.chunk(up, i);
            StageView cs = m.stage(chunk).orElseThrow();
            Map<String, String> out = acceptedOutputs.get(chunk);
            list.append(i == 0 ? "" : ",").append(cs.hasResult() && out != null ? out.get("o") : "null");
          }
          expected = list.append(']').toString();
        } else {
          Map<String, String> out = acceptedOutputs.get(up);
          expected = out == null ? null : out.get("o");
        }
        String actual = run.getParams().get(p.getKey());
        if (!upstream.hasResult() || expected == null || !expected.equals(actual)) {
          fail("RUN of " + run.getStage() + "#" + run.getAttempt() + " has " + p.getKey() + "=" + actual
              + " but upstream " + up + " (" + upstream + ") finished with " + expected);
        }
      }
    }

    private static boolean sameState(MissionState a, MissionState b) {
      if (a == null || b == null) {
        return a == b;
      }
      MissionState x = MissionState.newBuilder(a).build();
      MissionState y = MissionState.newBuilder(b).build();
      List<StoredStage> xs = new ArrayList<>(x.getStages());
      List<StoredStage> ys = new ArrayList<>(y.getStages());
      xs.sort(Comparator.comparing(StoredStage::getName));
      ys.sort(Comparator.comparing(StoredStage::getName));
      x.setStages(xs);
      y.setStages(ys);
      return x.equals(y);
    }

    // ---------------------------------------------------------------- tracing

    private void trace(String line) {
      trace.add(step + ": " + line);
    }

    private static String stagesOf(MissionView m) {
      List<String> out = new ArrayList<>();
      for (StageView s : m.stages()) {
        out.add(s.toString() + (s.fanOut().isPresent() ? s.fanOut().get().toString() + "@" + s.fanOut().get().next() : ""));
      }
      return out.toString();
    }

    private static String effectsOf(Decision d) {
      List<String> out = new ArrayList<>();
      for (Effect e : d.effects()) {
        if (e instanceof Effect.Instruct i) {
          out.add(i.instruction().getKind() + " " + i.instruction().getStage() + "#" + i.instruction().getAttempt());
        } else if (e instanceof Effect.SetTimer t) {
          out.add(t.timer().kind() + " " + t.timer().stage() + "#" + t.timer().attempt());
        } else if (e instanceof Effect.RequestSlot r) {
          out.add("slot? " + r.stage() + "#" + r.attempt());
        } else if (e instanceof Effect.ReleaseSlot r) {
          out.add("release " + r.stage() + "#" + r.attempt());
        } else if (e instanceof Effect.RequestResult r) {
          out.add(r.request().getRequest().getClass().getSimpleName() + " " + r.request().getStage());
        } else {
          out.add(e.getClass().getSimpleName());
        }
      }
      return out.toString();
    }

    private static String describe(Object in) {
      if (in instanceof StageReport r) {
        return r.getOutcome().getClass().getSimpleName() + " " + r.getStage() + "#" + r.getAttempt()
            + (r.getOutcome() instanceof ReportFailed f ? (f.getError().getRetryable() ? " retryable" : " for good") : "")
            + (r.getOutcome() instanceof ReportStarted s ? " hb=" + s.getHeartbeatIntervalMs() : "")
            + (r.getOutcome() instanceof ReportHeartbeat h ? " hb=" + h.getHeartbeatIntervalMs() : "");
      }
      if (in instanceof TimerFired t) {
        return "timer " + t.kind() + " " + t.stage() + "#" + t.attempt();
      }
      if (in instanceof SlotGrant g) {
        return "grant " + g.getStage() + "#" + g.getAttempt() + (g.getInstructed() ? " instructed" : "");
      }
      if (in instanceof ResultAnswer a) {
        return "answer " + a.getAnswer().getClass().getSimpleName() + " " + a.getStage();
      }
      if (in instanceof MissionAdmission a) {
        return "admission " + a.getAdmitted();
      }
      MissionCommand c = (MissionCommand) in;
      Object p = c.getCommand();
      if (p instanceof RetryStage r) {
        return "RETRY " + r.getStage() + (r.getWithDownstream() ? " with downstream" : "");
      }
      if (p instanceof SkipStage s) {
        return "SKIP " + s.getStage();
      }
      if (p instanceof FailStage f) {
        return "FAIL " + f.getStage();
      }
      return p.getClass().getSimpleName();
    }
  }
}
