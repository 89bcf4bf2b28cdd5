package io.groundcontrol.mission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.results.ResultIndex;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.LookupResult;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultProduced;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageReused;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Randomised runs of data flow x result reuse x manual operations, with fixed seeds. Several
 * missions of one plan (src -> {score (foreach, reuse per chunk), mid (reuse)} -> publish) run
 * against the engine and a results index ({@link ResultIndex#decide}) whose requests and answers
 * travel through queues, with workers that report late, twice, or on stale attempts, timers, and
 * random retry/skip/fail/cancel/duplicate starts. Every output a worker reports carries a tag
 * naming the mission, stage instance and attempt that made it.
 *
 * <p>Invariants, checked after every input (the step and seed are named on failure):
 *
 * <ol>
 *   <li>replaying a mission's log gives its stored state;
 *   <li>no StageFinished for an attempt after that attempt ended (failed, timed out, skipped,
 *       cancelled): a stale attempt's result is never taken;
 *   <li>a ResultProduced carries the outputs of a StageFinished of the same input, same attempt;
 *   <li>a REUSED stage holds outputs that some mission's StageFinished accepted;
 *   <li>a RUN's params equal its StageDispatched's params, and every upstream tag in them names an
 *       accepted finish;
 *   <li>a fan-out stage's counters equal a recount of its chunks' statuses;
 *   <li>no two stages of missions that reuse are out on one result key at once (queued,
 *       dispatched, running or awaiting a retry): the index lets one run, the others wait;
 *   <li>a stage reuses a result that the index found for one of its lookups only if that result was
 *       younger than its max_age at its latest lookup;
 *   <li>once everything is drained (workers answer every current attempt, every timer and answer
 *       delivered), no mission is still RUNNING, and the results index holds no claim or waiter.
 * </ol>
 *
 * <p>Now and then one of the last requests the index read, or one of the last answers a mission
 * read, is read again, as {@code --at-least-once} may after a crash before the commit; and now and
 * then the clock jumps most of an hour, so results come close to their max_age.
 */
class FlowOpsFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Actor USER = new Actor(ActorKind.USER, "ann", "laptop");
  private static final long HOUR = 3_600_000;
  private static final int SEEDS = Integer.getInteger("flowops.seeds", 120);

  private static TestPlan plan() {
    return TestPlan.named("flow")
        .param("day", "\"d1\"")
        .defaults(new RetryPolicy(2, 1000L, 2.0, 60_000L, 0.0), 30_000L)
        .onDuplicate(DuplicateStartPolicy.ALLOW_IF_FAILED)
        .stage("src", "warehouse", Map.of("day", "\"${params.day}\"")).reuse(HOUR)
        .stage("score", "ml", Map.of("ids", "\"${chunk.items}\""), "src")
        .foreach("${stages.src.outputs.ids}", 1, 2).tolerateFailed(1).reuse(HOUR)
        .stage("mid", "sql", Map.of("t", "\"${stages.src.outputs.table}\""), "src").reuse(HOUR)
        .stage("publish", "sql", Map.of("counts", "\"${stages.score.outputs.count}\"",
            "m", "\"${stages.mid.outputs.v}\""), "score", "mid");
  }

  @Test
  void flowReuseAndManualOperationsKeepTheirInvariants() {
    Map<String, List<String>> failures = new TreeMap<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      try {
        new Run(seed).go(250);
      } catch (AssertionError e) {
        String message = e.getMessage();
        String invariant = message.substring(message.indexOf(": expected ") + 11);
        invariant = invariant.substring(0, Math.min(invariant.length(), 60));
        failures.computeIfAbsent(invariant, k -> new ArrayList<>()).add(message);
      }
    }
    if (!failures.isEmpty()) {
      StringBuilder report = new StringBuilder("Invariants broken (kind: how many seeds; first example):");
      failures.forEach((kind, examples) -> report.append("\n\n* ").append(kind).append(": ").append(examples.size())
          .append(" seeds; e.g. ").append(examples.get(0)));
      throw new AssertionError(report.toString());
    }
  }

  private record Attempt(String mission, String stage, int attempt, Map<String, String> params) {}

  private static final class Run {
    private final long seed;
    private final Random random;
    private final InMemoryPlans plans = new InMemoryPlans().apply(plan());
    private final MissionEngine engine = new MissionEngine(plans);
    private final Map<String, MissionState> store = new HashMap<>();
    private final Map<String, List<MissionEvent>> logs = new HashMap<>();
    private final Map<String, ResultEntry> index = new HashMap<>();
    private final Deque<Effect.RequestResult> requests = new ArrayDeque<>();
    private final Map<String, Deque<ResultAnswer>> answers = new TreeMap<>();
    /** The last requests the index read and answers the missions read, to read again. */
    private final Deque<Effect.RequestResult> readRequests = new ArrayDeque<>();
    private final Deque<ResultAnswer> readAnswers = new ArrayDeque<>();
    /** Answers the index gave a lookup directly (not to a waiter, later): their result was fresh then. */
    private final Set<ResultAnswer> directAnswers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<TimerFired> timers = new ArrayList<>();
    private final List<Attempt> inFlight = new ArrayList<>();
    private final List<Attempt> everSent = new ArrayList<>();
    /** Accepted finishes: tag "mission/stage/attempt". */
    private final Set<String> accepted = new HashSet<>();
    /** Attempts that ended other than by a finish: "mission/stage/attempt". */
    private final Set<String> ended = new HashSet<>();
    private final List<String> missions = new ArrayList<>();
    private Instant clock = Instant.parse("2026-11-22T10:00:00Z");
    private int step;
    private String lastInput = "";

    Run(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
    }

    void go(int steps) {
      start("m0");
      for (step = 0; step < steps; step++) {
        randomStep();
      }
      drain();
      check(!store.values().stream().anyMatch(s -> MissionStateCodec.fromStored(s).status() == MissionStatus.RUNNING),
          "after draining, no mission is still RUNNING: " + running());
      for (Map.Entry<String, ResultEntry> entry : index.entrySet()) {
        check(entry.getValue().getClaim() == null && entry.getValue().getWaiters().isEmpty(),
            "after draining, the results index holds no claim or waiter, but key " + entry.getKey().substring(0, 8)
                + " has " + entry.getValue() + "; history of the claimant: " + history(entry.getValue()));
      }
    }

    /** The claimant's mission log, each event with its cause, for the failure message. */
    private String history(ResultEntry entry) {
      if (entry.getClaim() == null) {
        return "none";
      }
      StringBuilder out = new StringBuilder();
      for (MissionEvent record : logs.getOrDefault(entry.getClaim().getMissionId(), List.of())) {
        out.append("\n    ").append(record.getSequence()).append(' ')
            .append(record.getEvent().getClass().getSimpleName()).append(' ').append(record.getEvent())
            .append(" caused by ").append(record.getCause().getKind());
      }
      out.append("\n    now: ").append(MissionStateCodec.fromStored(store.get(entry.getClaim().getMissionId())));
      return out.toString();
    }

    private String running() {
      StringBuilder out = new StringBuilder();
      store.forEach((id, s) -> {
        Mission m = MissionStateCodec.fromStored(s);
        if (m.status() == MissionStatus.RUNNING) {
          out.append(m).append(' ');
        }
      });
      return out.toString();
    }

    private void randomStep() {
      int dice = random.nextInt(100);
      if (dice < 30 && !inFlight.isEmpty()) {
        worker(inFlight.get(random.nextInt(inFlight.size())));
      } else if (dice < 36 && !everSent.isEmpty()) {
        Attempt old = everSent.get(random.nextInt(everSent.size()));
        report(old, random.nextBoolean() ? new ReportFinished(outputs(old)) : new ReportFailed(
            new StageError("late", null, true)));
      } else if (dice < 46) {
        fireNextTimer();
      } else if (dice < 60 && !requests.isEmpty()) {
        processRequest();
      } else if (dice < 72) {
        deliverAnswer();
      } else if (dice < 86) {
        manualOp();
      } else if (dice < 90 && missions.size() < 4) {
        start("m" + missions.size());
      } else if (dice < 92) {
        String id = missions.get(random.nextInt(missions.size()));
        input(new MissionCommand(id, USER, clock, new StartMission("flow", dayOf(id), List.of(), List.of(), false, 0)));
      } else if (dice < 93) {
        input(new MissionCommand(missions.get(random.nextInt(missions.size())), USER, clock,
            new CancelMission("fuzz")));
      } else if (dice < 96) {
        readAgain();
      } else if (dice < 97) {
        clock = clock.plusSeconds(45 * 60 + random.nextInt(15 * 60));
      } else {
        clock = clock.plusSeconds(random.nextInt(20));
      }
    }

    private Map<String, String> dayOf(String id) {
      return Map.of("day", id.hashCode() % 2 == 0 ? "\"d1\"" : "\"d2\"");
    }

    private void start(String id) {
      missions.add(id);
      input(new MissionCommand(id, USER, clock, new StartMission("flow", dayOf(id), List.of(), List.of(),
          random.nextInt(5) == 0, 0)));
    }

    private void manualOp() {
      String id = missions.get(random.nextInt(missions.size()));
      MissionState stored = store.get(id);
      if (stored == null) {
        return;
      }
      List<String> names = new ArrayList<>();
      for (StageView stage : MissionStateCodec.fromStored(stored).stages()) {
        names.add(stage.name());
      }
      String stage = names.get(random.nextInt(names.size()));
      Object payload = switch (random.nextInt(3)) {
        case 0 -> new RetryStage(stage, random.nextBoolean());
        case 1 -> new SkipStage(stage, "fuzz");
        default -> new FailStage(stage, "fuzz");
      };
      input(new MissionCommand(id, USER, clock, payload));
    }

    private void worker(Attempt attempt) {
      int dice = random.nextInt(10);
      if (dice < 2) {
        report(attempt, new ReportStarted(null, null));
      } else if (dice < 3) {
        report(attempt, new ReportHeartbeat(null));
      } else if (dice < 7) {
        inFlight.remove(attempt);
        report(attempt, new ReportFinished(outputs(attempt)));
      } else if (dice < 9) {
        inFlight.remove(attempt);
        report(attempt, new ReportFailed(new StageError("boom", null, dice == 7)));
      } else {
        inFlight.remove(attempt); // the worker goes silent
      }
    }

    /** A worker's outputs: each names the attempt that made it. */
    private static Map<String, String> outputs(Attempt attempt) {
      String tag = "\"" + tag(attempt.mission(), attempt.stage(), attempt.attempt()) + "\"";
      String plan = StageInstance.planStage(attempt.stage());
      return switch (plan) {
        case "src" -> Map.of("table", "\"t-" + attempt.params().get("day").replace("\"", "") + "\"",
            "ids", attempt.attempt() % 2 == 0 ? "[1,2]" : "[1,2,3]", "tag", tag);
        case "mid" -> Map.of("v", tag);
        case "score" -> Map.of("count", tag);
        default -> Map.of("tag", tag);
      };
    }

    private static String tag(String mission, String stage, int attempt) {
      return mission + "/" + stage + "/" + attempt;
    }

    private void report(Attempt attempt, Object outcome) {
      input(new StageReport(attempt.mission(), attempt.stage(), attempt.attempt(),
          new Actor(ActorKind.WORKER, "w-1", "h1"), clock, outcome));
    }

    private void fireNextTimer() {
      if (timers.isEmpty()) {
        return;
      }
      TimerFired next = timers.stream().min((a, b) -> a.dueAt().compareTo(b.dueAt())).orElseThrow();
      timers.remove(next);
      if (next.dueAt().isAfter(clock)) {
        clock = next.dueAt();
      }
      input(next);
    }

    private void processRequest() {
      decide(requests.poll());
    }

    /** One of the last 6 requests the index read, or answers a mission read, read again. */
    private void readAgain() {
      if (random.nextBoolean() && !readRequests.isEmpty()) {
        decide(List.copyOf(readRequests).get(random.nextInt(readRequests.size())));
      } else if (!readAnswers.isEmpty()) {
        input(List.copyOf(readAnswers).get(random.nextInt(readAnswers.size())));
      }
    }

    private static <T> void remember(Deque<T> recent, T record) {
      recent.addLast(record);
      if (recent.size() > 6) {
        recent.removeFirst();
      }
    }

    private void decide(Effect.RequestResult effect) {
      remember(readRequests, effect);
      ResultRequest request = effect.request();
      ResultIndex.Outcome outcome = ResultIndex.decide(index.get(request.getResultKey()), request, effect.at());
      if (outcome.entry() == null) {
        index.remove(request.getResultKey());
      } else {
        index.put(request.getResultKey(), outcome.entry());
      }
      for (ResultAnswer answer : outcome.answers()) {
        if (request.getRequest() instanceof LookupResult) {
          directAnswers.add(answer);
        }
        answers.computeIfAbsent(answer.getMissionId(), k -> new ArrayDeque<>()).add(answer);
      }
    }

    private void deliverAnswer() {
      List<String> withAnswers = answers.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
          .toList();
      if (withAnswers.isEmpty()) {
        return;
      }
      ResultAnswer answer = answers.get(withAnswers.get(random.nextInt(withAnswers.size()))).poll();
      remember(readAnswers, answer);
      input(answer);
    }

    /** Everything settles: answers and requests delivered, timers fired, every current attempt answered. */
    private void drain() {
      for (int round = 0; round < 200; round++) {
        boolean busy = false;
        while (!requests.isEmpty()) {
          processRequest();
          busy = true;
        }
        while (answers.values().stream().anyMatch(q -> !q.isEmpty())) {
          deliverAnswer();
          busy = true;
        }
        // A worker answers each current attempt (again, if it went silent: delivery is at-least-once).
        for (String id : List.copyOf(store.keySet())) {
          Mission mission = MissionStateCodec.fromStored(store.get(id));
          if (mission.status() != MissionStatus.RUNNING) {
            continue;
          }
          for (StageView stage : List.copyOf(mission.stages())) {
            // Not a fan-out stage itself: only its chunks are sent to workers.
            if ((stage.status() == StageStatus.DISPATCHED || stage.status() == StageStatus.RUNNING)
                && stage.fanOut().isEmpty()) {
              Attempt current = everSent.stream().filter(a -> a.mission().equals(id) && a.stage().equals(stage.name())
                  && a.attempt() == stage.attempt()).findFirst().orElse(new Attempt(id, stage.name(), stage.attempt(),
                  Map.of("day", dayOf(id).get("day"))));
              inFlight.remove(current);
              report(current, new ReportFinished(outputs(current)));
              busy = true;
            }
          }
        }
        if (!timers.isEmpty()) {
          fireNextTimer();
          busy = true;
        }
        if (!busy) {
          return;
        }
      }
    }

    private void input(Object input) {
      clock = clock.plusSeconds(1);
      lastInput = String.valueOf(input);
      String id = MissionEngine.missionIdOf(input);
      Decision decision;
      try {
        decision = engine.decide(MissionStateCodec.fromStored(store.get(id)), input, clock);
      } catch (RuntimeException e) {
        throw new AssertionError(where() + ": the engine threw on " + input, e);
      }
      timers.addAll(decision.timers());
      if (decision.changedMission()) {
        store.put(id, MissionStateCodec.toStored(decision.mission().orElseThrow()));
      }
      List<MissionEvent> log = logs.computeIfAbsent(id, k -> new ArrayList<>());
      checkEvents(id, decision);
      checkReuseAge(id, input, decision, log);
      log.addAll(decision.events());
      for (Effect effect : decision.effects()) {
        if (effect instanceof Effect.RequestResult request) {
          requests.add(request);
        }
      }
      for (StageInstruction instruction : decision.instructions()) {
        if (instruction.getKind() == InstructionKind.RUN) {
          Attempt attempt = new Attempt(instruction.getMissionId(), instruction.getStage(), instruction.getAttempt(),
              instruction.getParams());
          inFlight.add(attempt);
          everSent.add(attempt);
          checkRun(id, decision, instruction);
        }
      }
      Mission replayed = new EventAppliers().replay(log);
      check(java.util.Objects.equals(replayed == null ? null : MissionStateCodec.toStored(replayed), store.get(id)),
          "the state rebuilt from the log of " + id + " equals the stored state");
      if (store.get(id) != null) {
        checkMission(MissionStateCodec.fromStored(store.get(id)));
      }
      checkOneOutPerKey();
    }

    /** A result the index found for a lookup was younger than max_age at the stage's latest lookup. */
    private void checkReuseAge(String id, Object input, Decision decision, List<MissionEvent> log) {
      if (!(input instanceof ResultAnswer answer) || !directAnswers.contains(answer)) {
        return;
      }
      for (MissionEvent record : decision.events()) {
        if (record.getEvent() instanceof StageReused reused) {
          long ask = MissionStateCodec.fromStored(store.get(id)).stage(reused.getStage()).orElseThrow().resultAsk();
          Instant lookedUp = log.stream().filter(e -> e.getSequence() == ask).map(MissionEvent::getTimestamp)
              .findFirst().orElseThrow();
          check(Duration.between(reused.getFinishedAt(), lookedUp).toMillis() < HOUR,
              "a reused result is younger than max_age at the stage's latest lookup, but " + id + "/"
                  + reused.getStage() + " (lookup " + ask + " at " + lookedUp + ") reused one finished at "
                  + reused.getFinishedAt() + " (answer to lookup " + answer.getAsk() + ")");
        }
      }
    }

    /** No two stages of missions that reuse are out on one key, unless one of them asked no index. */
    private void checkOneOutPerKey() {
      Map<String, String> outOnKey = new HashMap<>();
      for (MissionState state : store.values()) {
        Mission mission = MissionStateCodec.fromStored(state);
        if (mission.hasEnded() || mission.noReuse()) {
          continue;
        }
        for (StageView stage : mission.stages()) {
          boolean running = stage.isOut() && stage.status() != StageStatus.AWAITING_RESULT;
          if (running && stage.resultKey().isPresent() && stage.resultAsk() != 0) {
            String other = outOnKey.put(stage.resultKey().get(), mission.missionId() + "/" + stage.name());
            check(other == null, "at most one stage is out on a result key, but " + other + " and "
                + mission.missionId() + "/" + stage.name() + " are");
          }
        }
      }
    }

    private void checkEvents(String id, Decision decision) {
      Map<String, Map<String, String>> finishedNow = new HashMap<>();
      for (MissionEvent record : decision.events()) {
        Object event = record.getEvent();
        if (event instanceof StageFinished finished && !isFanOutParent(finished.getStage())) {
          String t = tag(id, finished.getStage(), finished.getAttempt());
          check(!ended.contains(t), "no finish is taken from attempt " + t + ", which had ended");
          accepted.add(t);
          finishedNow.put(finished.getStage(), finished.getOutputs());
        } else if (event instanceof StageFailed failed) {
          ended.add(tag(id, failed.getStage(), failed.getAttempt()));
        } else if (event instanceof StageSkipped skipped) {
          MissionState stored = store.get(id);
          // The attempt the stage is on as the skip is decided (the stored state is after it).
          int attempt = MissionStateCodec.fromStored(stored).stage(skipped.getStage()).map(StageView::attempt).orElse(0);
          ended.add(tag(id, skipped.getStage(), attempt));
        } else if (event instanceof MissionCancelled) {
          for (StageView stage : MissionStateCodec.fromStored(store.get(id)).stages()) {
            ended.add(tag(id, stage.name(), stage.attempt()));
          }
        } else if (event instanceof StageReused reused) {
          String tagged = reused.getOutputs().getOrDefault("tag", reused.getOutputs().getOrDefault("v",
              reused.getOutputs().get("count")));
          check(tagged != null && accepted.contains(unquote(tagged)),
              "a reused result comes from an accepted finish, but stage " + reused.getStage() + " of " + id + " reused "
                  + reused.getOutputs() + " from " + reused.getFromMission() + "/" + reused.getFromStage());
          check(unquote(tagged).startsWith(reused.getFromMission() + "/" + reused.getFromStage() + "/"),
              "a reused result names where it came from: " + tagged + " vs " + reused.getFromMission() + "/"
                  + reused.getFromStage());
        }
      }
      for (Effect effect : decision.effects()) {
        if (effect instanceof Effect.RequestResult request
            && request.request().getRequest() instanceof ResultProduced produced) {
          String stage = request.request().getStage();
          check(produced.getOutputs().equals(finishedNow.get(stage)),
              "a produced result is the outputs of the finish decided with it: " + stage + " " + produced.getOutputs());
        }
      }
    }

    private static boolean isFanOutParent(String stage) {
      return stage.equals("score");
    }

    private void checkRun(String id, Decision decision, StageInstruction run) {
      StageDispatched dispatched = decision.events().stream().map(MissionEvent::getEvent)
          .filter(StageDispatched.class::isInstance).map(StageDispatched.class::cast)
          .filter(d -> d.getStage().equals(run.getStage()) && d.getAttempt() == run.getAttempt())
          .findFirst().orElse(null);
      check(dispatched != null && dispatched.getParams().equals(run.getParams()),
          "the RUN of " + run.getStage() + " has the params its StageDispatched records");
      for (String value : run.getParams().values()) {
        for (String t : tags(value)) {
          check(accepted.contains(t), "every upstream output a RUN of " + id + "/" + run.getStage()
              + " gets comes from an accepted finish, but " + t + " did not finish (params " + run.getParams() + ")");
        }
      }
    }

    private static List<String> tags(String json) {
      List<String> found = new ArrayList<>();
      try {
        collect(JSON.readTree(json), found);
      } catch (Exception e) {
        // not JSON: no tags
      }
      return found;
    }

    private static void collect(JsonNode node, List<String> found) {
      if (node.isTextual() && node.textValue().matches("m\\d+/.+/\\d+")) {
        found.add(node.textValue());
      } else if (node.isArray()) {
        node.forEach(n -> collect(n, found));
      }
    }

    private static String unquote(String json) {
      return json.startsWith("\"") ? json.substring(1, json.length() - 1) : json;
    }

    private void checkMission(Mission mission) {
      StageView parent = mission.stage("score").orElseThrow();
      if (parent.fanOut().isEmpty()) {
        return;
      }
      FanOut counters = parent.fanOut().get();
      int active = 0;
      int done = 0;
      int failed = 0;
      for (int i = 0; i < counters.chunkCount(); i++) {
        StageStatus status = mission.stage(StageInstance.chunk("score", i)).orElseThrow().status();
        switch (status) {
          case QUEUED, DISPATCHED, RUNNING, AWAITING_RETRY, AWAITING_RESULT -> active++;
          case FINISHED, REUSED, SKIPPED -> done++;
          case FAILED -> failed++;
          default -> { }
        }
      }
      check(counters.active() == active && counters.done() == done && counters.failed() == failed,
          "the fan-out counters of " + mission.missionId() + " match its chunks: " + counters + " vs " + done
              + " done, " + active + " out, " + failed + " failed; " + mission);
    }

    private String where() {
      return "seed " + seed + ", step " + step + " (last input: " + lastInput + ")";
    }

    private void check(boolean ok, String invariant) {
      if (!ok) {
        throw new AssertionError(where() + ": expected " + invariant);
      }
    }
  }
}
