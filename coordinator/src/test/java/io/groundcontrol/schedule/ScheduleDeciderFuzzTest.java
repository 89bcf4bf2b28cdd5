package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.FireBuffered;
import io.groundcontrol.schema.FireSkipped;
import io.groundcontrol.schema.FiresMissed;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ReadPosition;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleCommandRejected;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.SchedulePaused;
import io.groundcontrol.schema.ScheduleResumed;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.ScheduledMissionStatus;
import io.groundcontrol.schema.TriggerSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Randomised test of {@link ScheduleDecider} against an oracle written from the README's
 * "Schedules" rules, not from the decider: nominal times are enumerated by brute force over local
 * minutes (Unix cron with day-of-month OR day-of-week, a local time that happens twice fires at
 * its first occurrence, one in a gap shifted forward by the gap), every intervals by arithmetic,
 * and the README's rules for overlap, catch-up, edits, pause/resume and manual fires are applied
 * to the same inputs (clock ticks, big jumps, commands, edits, and mission starts/ends of a
 * simulated mission log fed back to the scheduler).
 *
 * <p>Invariant: at every step the decider's effects (schedule events, start and cancel commands)
 * equal the oracle's, so every nominal time is fired, skipped, buffered, missed or counted by a
 * resume exactly once, never early, with mission id {@code s.NAME.<UTC nominal>}. A start naming a
 * mission that already exists (so it would be deduplicated and not run) is a failure too. Fails
 * naming the seed and the step. Fixed seeds, so a run is repeatable: {@code -Dschedfuzz.seeds=N}
 * (default 25, about 5 s; 400 agreed), {@code -Dschedfuzz.steps=N}, {@code -Dschedfuzz.out=FILE}
 * for every failure.
 */
class ScheduleDeciderFuzzTest {
  private static final int SEEDS = Integer.getInteger("schedfuzz.seeds", 25);
  private static final int STEPS = Integer.getInteger("schedfuzz.steps", 250);
  private static final Duration MISFIRE = Duration.ofMinutes(1);
  private static final String NAME = "fz";
  private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ID_MILLIS =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final List<String> ZONES = List.of("Europe/Copenhagen", "America/New_York", "Australia/Lord_Howe", "UTC");
  /** Instants near DST changes of 2026 in the zones above. */
  private static final List<Instant> STARTS = List.of(
      Instant.parse("2026-03-28T12:00:00Z"), Instant.parse("2026-10-24T12:00:00Z"),
      Instant.parse("2026-03-07T12:00:00Z"), Instant.parse("2026-10-31T12:00:00Z"),
      Instant.parse("2026-04-03T12:00:00Z"), Instant.parse("2026-10-02T12:00:00Z"),
      Instant.parse("2026-06-15T09:17:23.456Z"));

  @Test
  void theDeciderAgreesWithTheReadmeOracle() {
    List<String> failures = new ArrayList<>();
    for (int seed = 1; seed <= SEEDS; seed++) {
      String failure = new Run(seed).run();
      if (failure != null) {
        failures.add(failure);
      }
    }
    String out = System.getProperty("schedfuzz.out");
    if (out != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(out), String.join("\n\n", failures));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    assertThat(failures).as(failures.size() + " of " + SEEDS + " seeds diverged; first ones:\n"
        + String.join("\n\n", failures.subList(0, Math.min(5, failures.size())))).isEmpty();
  }

  // ---------------------------------------------------------------- oracle: nominal times

  /** README: the mission id names the nominal time in UTC, with its milliseconds if it has any. */
  static String missionId(Instant nominal) {
    return "s." + NAME + "." + (nominal.getNano() == 0 ? ID : ID_MILLIS).format(nominal);
  }

  /** A Unix (Vixie) cron: minute hour day-of-month month day-of-week. */
  static final class Cron {
    final BitSet minute;
    final BitSet hour;
    final BitSet dom;
    final BitSet month;
    final BitSet dow;
    final boolean domStar;
    final boolean dowStar;

    Cron(String text) {
      String[] f = text.trim().split("\\s+");
      minute = field(f[0], 0, 59, null);
      hour = field(f[1], 0, 23, null);
      dom = field(f[2], 1, 31, null);
      month = field(f[3], 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"));
      dow = field(f[4], 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));
      if (dow.get(7)) {
        dow.set(0);
      }
      domStar = f[2].startsWith("*");
      dowStar = f[4].startsWith("*");
    }

    private static BitSet field(String text, int min, int max, List<String> names) {
      BitSet bits = new BitSet();
      for (String part : text.split(",")) {
        int step = 1;
        String range = part;
        int slash = part.indexOf('/');
        if (slash >= 0) {
          step = Integer.parseInt(part.substring(slash + 1));
          range = part.substring(0, slash);
        }
        int lo;
        int hi;
        if (range.equals("*")) {
          lo = min;
          hi = names != null && names.size() == 7 ? 6 : max;
        } else if (range.contains("-")) {
          lo = value(range.split("-")[0], names, min);
          hi = value(range.split("-")[1], names, min);
        } else {
          lo = value(range, names, min);
          hi = slash >= 0 ? max : lo;
        }
        for (int v = lo; v <= hi; v += step) {
          bits.set(v);
        }
      }
      return bits;
    }

    private static int value(String text, List<String> names, int min) {
      if (names != null && names.contains(text.toUpperCase())) {
        return names.indexOf(text.toUpperCase()) + (names.size() == 12 ? 1 : 0);
      }
      return Integer.parseInt(text);
    }

    boolean matches(LocalDateTime t) {
      if (!minute.get(t.getMinute()) || !hour.get(t.getHour()) || !month.get(t.getMonthValue())) {
        return false;
      }
      boolean d = dom.get(t.getDayOfMonth());
      boolean w = dow.get(t.getDayOfWeek().getValue() % 7);
      return domStar || dowStar ? d && w : d || w;
    }
  }

  /** Nominal times of a definition, by brute force. */
  static final class Times {
    private final Schedule def;
    private final Cron cron;
    private final ZoneId zone;
    private final Map<LocalDate, List<Instant>> byDay = new HashMap<>();

    Times(Schedule def) {
      this.def = def;
      this.cron = def.getCron() == null ? null : new Cron(def.getCron());
      this.zone = ZoneId.of(def.getTimeZone());
    }

    private List<Instant> day(LocalDate date) {
      return byDay.computeIfAbsent(date, d -> {
        List<Instant> out = new ArrayList<>();
        for (LocalDateTime t = d.atStartOfDay(); t.toLocalDate().equals(d); t = t.plusMinutes(1)) {
          if (cron.matches(t)) {
            // A local time that happens twice: its first occurrence; one in a gap: shifted by the gap.
            out.add(ZonedDateTime.ofLocal(t, zone, null).toInstant());
          }
        }
        return out;
      });
    }

    /** Nominal times in (after, until], in order, within start_at and end_at. */
    List<Instant> between(Instant after, Instant until) {
      TreeSet<Instant> out = new TreeSet<>();
      if (!until.isAfter(after)) {
        return List.of();
      }
      if (cron != null) {
        LocalDate from = LocalDateTime.ofInstant(after, zone).toLocalDate().minusDays(1);
        LocalDate to = LocalDateTime.ofInstant(until, zone).toLocalDate().plusDays(1);
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
          for (Instant n : day(d)) {
            if (n.isAfter(after) && !n.isAfter(until)) {
              out.add(n);
            }
          }
        }
      } else {
        long step = def.getEveryMs();
        long anchor = def.getStartAt() == null ? 0 : def.getStartAt().toEpochMilli();
        long k = Math.floorDiv(after.toEpochMilli() - anchor, step) + 1;
        for (long t = anchor + k * step; t <= until.toEpochMilli(); t += step) {
          out.add(Instant.ofEpochMilli(t));
        }
      }
      out.removeIf(n -> def.getStartAt() != null && n.isBefore(def.getStartAt()));
      out.removeIf(n -> def.getEndAt() != null && n.isAfter(def.getEndAt()));
      return new ArrayList<>(out);
    }
  }

  // ---------------------------------------------------------------- oracle: the README's rules

  /** What the README says a schedule does, kept apart from the decider's state. */
  static final class Model {
    Schedule def;
    Times times;
    ScheduleSpec jitterOnly;
    /** Every nominal time of the current timing up to here is decided (or before the timing began). */
    Instant floor;
    final TreeSet<Instant> decided = new TreeSet<>();
    String pausedBy;
    Instant buffered;
    String lastId;
    ScheduledMissionStatus lastStatus;
    long carry;

    Model(Schedule def, Instant at) {
      setDef(def);
      floor = at;
    }

    void setDef(Schedule d) {
      def = d;
      times = new Times(d);
      jitterOnly = ScheduleSpec.of(d);
    }

    boolean paused() {
      return pausedBy != null || def.getPaused();
    }

    boolean running() {
      return lastStatus == ScheduledMissionStatus.STARTING || lastStatus == ScheduledMissionStatus.RUNNING;
    }

    Instant due(Instant nominal) {
      return jitterOnly.dueAt(nominal);
    }

    /** Undecided nominal times whose due time has come by {@code now}; in nominal order, a later one waiting for an earlier. */
    List<Instant> pending(Instant now, boolean all) {
      List<Instant> out = new ArrayList<>();
      for (Instant n : times.between(floor, now)) {
        if (decided.contains(n)) {
          continue;
        }
        if (due(n).isAfter(now)) {
          if (all) {
            continue;
          }
          break;
        }
        out.add(n);
      }
      return out;
    }

    void decide(Instant n) {
      decided.add(n);
    }

    void compact(Instant now) {
      for (Instant n : times.between(floor, now)) {
        if (!decided.remove(n)) {
          return;
        }
        floor = n;
      }
    }

    void fire(Instant n, boolean catchUp, String cancelled, List<String> out) {
      String id = missionId(n);
      out.add("Fired " + n + " " + id + " catchUp=" + catchUp + " manual=null cancelled=" + cancelled);
      out.add("Start " + id + " " + def.getPlan());
      lastId = id;
      lastStatus = ScheduledMissionStatus.STARTING;
      decide(n);
    }

    void overlap(Instant n, boolean catchUp, List<String> out) {
      OverlapPolicy policy = def.getOverlap();
      if (!running() || policy == OverlapPolicy.ALLOW) {
        fire(n, catchUp, null, out);
        return;
      }
      switch (policy) {
        case BUFFER_ONE -> {
          if (buffered == null) {
            out.add("Buffered " + n + " behind " + lastId);
            buffered = n;
          } else {
            out.add("Skipped " + n + " behind " + lastId);
          }
          decide(n);
        }
        case CANCEL_RUNNING -> {
          String previous = lastId;
          out.add("Cancel " + previous);
          fire(n, catchUp, previous, out);
        }
        default -> {
          out.add("Skipped " + n + " behind " + lastId);
          decide(n);
        }
      }
    }

    void tick(Instant now, List<String> out) {
      if (paused()) {
        return;
      }
      if (buffered != null && !running()) {
        Instant b = buffered;
        buffered = null;
        fire(b, false, null, out);
      }
      List<Instant> pending = pending(now, false);
      Instant late = now.minus(MISFIRE);
      List<Instant> missed = pending.stream().filter(n -> due(n).isBefore(late)).toList();
      if (!missed.isEmpty()) {
        Instant windowStart = now.minusMillis(def.getCatchUpWindowMs());
        List<Instant> inWindow = def.getCatchUpWindowMs() == 0 ? List.of()
            : missed.stream().filter(n -> !n.isBefore(windowStart)).toList();
        List<Instant> run = inWindow.subList(Math.max(0, inWindow.size() - def.getCatchUpMax()), inWindow.size());
        List<Instant> dropped = missed.stream().filter(n -> !run.contains(n)).toList();
        if (!dropped.isEmpty()) {
          out.add("Missed " + dropped.get(0) + ".." + dropped.get(dropped.size() - 1) + " x" + dropped.size());
          dropped.forEach(this::decide);
        }
        for (Instant n : run) {
          overlap(n, true, out);
        }
      }
      for (Instant n : pending) {
        if (!missed.contains(n)) {
          overlap(n, false, out);
        }
      }
      compact(now);
    }

    /**
     * Counts (and decides) the fires of a pause up to {@code at}: the undecided nominal times whose
     * due time has come, in nominal order as the jitter rule has them go (one due behind an earlier
     * one not due yet goes with it). Those due after {@code at} are not the pause's: they fire when due.
     */
    long countPaused(Instant at) {
      List<Instant> fell = pending(at, false);
      fell.forEach(this::decide);
      compact(at);
      return fell.size();
    }

    void resume(String by, Instant at, List<String> out) {
      long count = carry + countPaused(at);
      carry = 0;
      out.add("Resumed " + by + " " + count);
      if (!by.equals(ScheduleDecider.FILE)) {
        pausedBy = null;
      }
    }

    void redefine(Schedule next, Instant at, List<String> out) {
      boolean wasPaused = paused();
      Schedule before = def;
      if (ScheduleDecider.timingChanged(before, next)) {
        tick(at, out);
        // README: the old timing's times up to the change are decided under it; in a pause they
        // count, else one its jitter puts after the change runs now.
        List<Instant> left = times.between(floor, at).stream().filter(n -> !decided.contains(n)).toList();
        if (wasPaused) {
          carry += left.size();
        } else {
          left.forEach(n -> overlap(n, false, out));
        }
        decided.clear();
        if (at.isAfter(floor)) {
          floor = at;
        }
        setDef(next);
      } else {
        setDef(next);
      }
      if (!before.getPaused() && next.getPaused()) {
        out.add("Paused " + ScheduleDecider.FILE);
      } else if (wasPaused && !paused()) {
        resume(ScheduleDecider.FILE, at, out);
      }
    }
  }

  // ---------------------------------------------------------------- the simulated mission log

  record Delivery(Instant at, long order, String missionId, ScheduledMissionStatus status) {}

  /** Missions started by the decider's Start commands, answering with start and end events. */
  static final class World {
    final Random random;
    final Map<String, Boolean> ended = new HashMap<>();
    final PriorityQueue<Delivery> queue = new PriorityQueue<>(
        (a, b) -> a.at.equals(b.at) ? Long.compare(a.order, b.order) : a.at.compareTo(b.at));
    long order;

    World(Random random) {
      this.random = random;
    }

    /** False if the id already names a mission: the start would be answered by on_duplicate, not run. */
    boolean start(String id, Instant at) {
      if (ended.containsKey(id)) {
        return false;
      }
      ended.put(id, false);
      Instant started = at.plusMillis(random.nextInt(3000));
      if (random.nextInt(20) == 0) {
        queue.add(new Delivery(started, order++, id, ScheduledMissionStatus.REJECTED));
        return true;
      }
      queue.add(new Delivery(started, order++, id, ScheduledMissionStatus.RUNNING));
      long[] durations = {2_000, 40_000, 120_000, 1_800_000, 3 * 3_600_000L, 26 * 3_600_000L};
      Instant end = started.plusMillis(durations[random.nextInt(durations.length)] + random.nextInt(5000));
      queue.add(new Delivery(end, order++, id,
          random.nextBoolean() ? ScheduledMissionStatus.FINISHED : ScheduledMissionStatus.FAILED));
      return true;
    }

    void cancel(String id, Instant at) {
      if (Boolean.FALSE.equals(ended.get(id))) {
        queue.add(new Delivery(at.plusMillis(500 + random.nextInt(2000)), order++, id, ScheduledMissionStatus.CANCELLED));
      }
    }
  }

  // ---------------------------------------------------------------- one seed

  static final class Run {
    final int seed;
    final Random random;
    final ScheduleDecider decider = new ScheduleDecider();
    final World world;
    final List<Object> log = new ArrayList<>();
    final List<Object> logSinceApply = new ArrayList<>();
    final Map<String, ScheduledMissionStatus> lastDelivered = new HashMap<>();
    final Actor ann = new Actor(ActorKind.USER, "ann", null);
    ScheduleState state;
    Model model;
    Instant now;
    int step;
    final List<String> history = new ArrayList<>();

    Run(int seed) {
      this.seed = seed;
      this.random = new Random(seed);
      this.world = new World(new Random(seed * 31L + 7));
    }

    Schedule randomDefinition() {
      Schedule.Builder b = Schedule.newBuilder().setName(NAME).setPlan("p" + random.nextInt(2));
      long intervalForJitter;
      if (random.nextInt(3) > 0) {
        String[] crons = {
            random.nextInt(60) + " " + (1 + random.nextInt(3)) + " * * *", "*/15 * * * *", "0 * * * *",
            "*/20 1-3 * * *", "30 2 * * *", "0 2 * * *", random.nextInt(60) + " */2 * * *", "*/10 2 * * *",
            "0 0 13 * 5", "45 1 * * sun", "*/30 0-4 * * *", "0,30 * * * *", "5 3 * * 1-5", "* 1-2 * * *", "*/2 * * * *"};
        b.setCron(crons[random.nextInt(crons.length)]).setTimeZone(ZONES.get(random.nextInt(ZONES.size())));
        intervalForJitter = Duration.ofMinutes(10).toMillis();
      } else {
        long[] every = {7_000, 60_000, 90_000, 300_000, 900_000, 3_600_000};
        long e = every[random.nextInt(every.length)];
        b.setEveryMs(e);
        intervalForJitter = e;
      }
      if (random.nextInt(3) == 0) {
        b.setJitterMs(1 + (long) random.nextInt((int) Math.min(intervalForJitter - 1, 180_000)));
      }
      if (random.nextInt(4) == 0) {
        Instant s = now.plusMillis(random.nextInt(6 * 3_600_000) - 3_600_000L);
        b.setStartAt(random.nextBoolean() ? Instant.ofEpochSecond(s.getEpochSecond()) : s);
      }
      if (random.nextInt(4) == 0) {
        Instant from = b.hasStartAt() && b.getStartAt() != null ? b.getStartAt() : now;
        b.setEndAt(from.plusMillis(1000 + random.nextInt(30 * 3_600_000)));
      }
      b.setOverlap(OverlapPolicy.values()[random.nextInt(OverlapPolicy.values().length)]);
      if (random.nextBoolean()) {
        long[] windows = {600_000, 3_600_000, 6 * 3_600_000L, 86_400_000};
        b.setCatchUpWindowMs(windows[random.nextInt(windows.length)]).setCatchUpMax(1 + random.nextInt(3));
      }
      return b.build();
    }

    /** A definition that keeps the timing of {@code d} and changes other fields. */
    Schedule nonTimingEdit(Schedule d) {
      Schedule.Builder b = Schedule.newBuilder(d);
      b.setOverlap(OverlapPolicy.values()[random.nextInt(OverlapPolicy.values().length)]);
      if (random.nextBoolean()) {
        b.setCatchUpWindowMs(random.nextBoolean() ? 0 : 3_600_000).setCatchUpMax(1 + random.nextInt(3));
      }
      b.setPlan("p" + random.nextInt(2));
      return b.build();
    }

    String run() {
      now = STARTS.get(random.nextInt(STARTS.size())).plusMillis(random.nextInt(2 * 86_400_000));
      Schedule def = randomDefinition();
      if (random.nextInt(8) == 0) {
        def = Schedule.newBuilder(def).setPaused(true).build();
      }
      state = ScheduleDecider.newState(def, now);
      model = new Model(def, now);
      history.add("t=" + now + " apply " + describe(def));
      try {
        for (step = 1; step <= STEPS; step++) {
          String failure = step();
          if (failure != null) {
            return failure;
          }
        }
      } catch (RuntimeException e) {
        return header() + "threw " + e;
      }
      return replayCheck();
    }

    String header() {
      List<String> tail = history.subList(Math.max(0, history.size() - 25), history.size());
      return "seed " + seed + " step " + step + " (definition " + describe(state == null ? null : state.getDefinition())
          + "):\n  " + String.join("\n  ", tail) + "\n  ";
    }

    static String describe(Schedule d) {
      if (d == null) {
        return "none";
      }
      return (d.getCron() != null ? "cron '" + d.getCron() + "' " + d.getTimeZone() : "every " + d.getEveryMs() + "ms")
          + " jitter=" + d.getJitterMs() + " start=" + d.getStartAt() + " end=" + d.getEndAt() + " overlap="
          + d.getOverlap() + " catchUp=" + d.getCatchUpWindowMs() + "/" + d.getCatchUpMax() + " paused=" + d.getPaused();
    }

    Instant nextDue() {
      if (model == null || model.paused()) {
        return null;
      }
      for (Instant n : model.times.between(model.floor, model.floor.plus(Duration.ofDays(3)))) {
        if (!model.decided.contains(n)) {
          return model.due(n);
        }
      }
      return null;
    }

    String step() {
      // Advance the scheduler's clock.
      int r = random.nextInt(100);
      Duration advance;
      Instant due = nextDue();
      Instant event = world.queue.isEmpty() ? null : world.queue.peek().at;
      if (r < 35 && (due != null || event != null)) {
        Instant target = due == null ? event : event == null ? due : (due.isBefore(event) ? due : event);
        advance = Duration.between(now, target).plusMillis(random.nextInt(2000));
        if (advance.isNegative() || advance.compareTo(Duration.ofDays(2)) > 0) {
          advance = Duration.ofMillis(200);
        }
      } else if (r < 75) {
        advance = Duration.ofMillis(200 + random.nextInt(random.nextBoolean() ? 5_000 : 50_000));
      } else if (r < 90) {
        advance = Duration.ofMillis(200);
      } else {
        long[] jumps = {61_000, 125_000, 20 * 60_000, 3 * 3_600_000L, 13 * 3_600_000L, 36 * 3_600_000L};
        advance = Duration.ofMillis(jumps[random.nextInt(jumps.length)] + random.nextInt(60_000));
      }
      now = now.plus(advance);
      // The mission log's events read by now.
      while (!world.queue.isEmpty() && !world.queue.peek().at.isAfter(now)) {
        Delivery d = world.queue.poll();
        if (d.status != ScheduledMissionStatus.RUNNING) {
          world.ended.put(d.missionId, true);
        }
        if (Boolean.TRUE.equals(world.ended.get(d.missionId)) && d.status == ScheduledMissionStatus.RUNNING) {
          continue;
        }
        if (lastDelivered.get(d.missionId) != null && lastDelivered.get(d.missionId) != ScheduledMissionStatus.RUNNING) {
          continue; // an ended mission says nothing more
        }
        lastDelivered.put(d.missionId, d.status);
        if (state != null && d.missionId.equals(state.getLastMissionId())) {
          state.setLastMissionStatus(d.status);
        }
        if (model != null && d.missionId.equals(model.lastId)) {
          model.lastStatus = d.status;
        }
      }
      // An input, sometimes.
      int a = random.nextInt(100);
      List<ScheduleEffect> actual = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      String action;
      if (state == null) {
        if (a < 10) {
          Schedule def = randomDefinition();
          state = ScheduleDecider.newState(def, now);
          model = new Model(def, now);
          logSinceApply.clear();
          action = "re-apply " + describe(def);
        } else {
          action = "tick";
        }
      } else if (a < 6) {
        Schedule def = randomDefinition();
        def = Schedule.newBuilder(def).setPaused(state.getDefinition().getPaused()).build();
        action = "edit timing to " + describe(def);
        actual.addAll(decider.redefine(state, def, now));
        model.redefine(def, now, expected);
      } else if (a < 9) {
        Schedule def = nonTimingEdit(state.getDefinition());
        action = "edit non-timing to " + describe(def);
        actual.addAll(decider.redefine(state, def, now));
        model.redefine(def, now, expected);
      } else if (a < 11) {
        Schedule def = Schedule.newBuilder(state.getDefinition()).setPaused(!state.getDefinition().getPaused()).build();
        action = "file paused=" + def.getPaused();
        actual.addAll(decider.redefine(state, def, now));
        model.redefine(def, now, expected);
      } else if (a < 15) {
        action = "pause";
        actual.addAll(decider.command(state, command(new PauseSchedule("r")), now, now));
        expected.add("Paused ann");
        model.pausedBy = "ann";
      } else if (a < 20) {
        action = "resume";
        actual.addAll(decider.command(state, command(new ResumeSchedule()), now, now));
        if (model.pausedBy == null) {
          expected.add("Rejected");
        } else {
          model.resume("ann", now, expected);
        }
      } else if (a < 23) {
        action = "trigger";
        actual.addAll(decider.command(state, command(new TriggerSchedule(Map.of(), null)), now, now));
        String id = "s." + NAME + ".manual-" + ID_MILLIS.format(now);
        expected.add("Fired " + now + " " + id + " catchUp=false manual=ann cancelled=null");
        expected.add("Start " + id + " " + model.def.getPlan());
        model.lastId = id;
        model.lastStatus = ScheduledMissionStatus.STARTING;
      } else if (a < 24) {
        action = "remove";
        decider.forget(NAME);
        state = null;
        model = null;
      } else {
        action = "tick";
      }
      if (state != null) {
        actual.addAll(decider.tick(state, now));
        model.tick(now, expected);
      }
      List<String> got = new ArrayList<>();
      for (ScheduleEffect e : actual) {
        got.add(render(e));
        if (e instanceof ScheduleEffect.Log l) {
          log.add(l.event());
          logSinceApply.add(l.event());
        } else if (e instanceof ScheduleEffect.Start s) {
          if (!world.start(s.missionId(), now)) {
            return header() + "t=" + now + " " + action + ": start of " + s.missionId()
                + ", a mission that already exists (deduplicated, does not run)\n  effects " + got;
          }
        } else if (e instanceof ScheduleEffect.Cancel c) {
          world.cancel(c.missionId(), now);
        }
      }
      String line = "t=" + now + " +" + advance + " " + action + " -> " + got;
      history.add(line);
      if (!expected.equals(got)) {
        return header() + "expected " + expected + "\n  actual   " + got;
      }
      if (model != null && !Objects.equals(model.lastId, state.getLastMissionId())) {
        return header() + "last mission: expected " + model.lastId + ", actual " + state.getLastMissionId();
      }
      return null;
    }

    ScheduleCommand command(Object payload) {
      return new ScheduleCommand(NAME, ann, now, payload);
    }

    private static final Pattern BEHIND = Pattern.compile("previous mission (\\S+) still running.*");

    static String render(ScheduleEffect e) {
      if (e instanceof ScheduleEffect.Start s) {
        return "Start " + s.missionId() + " " + s.plan();
      } else if (e instanceof ScheduleEffect.Cancel c) {
        return "Cancel " + c.missionId();
      }
      Object ev = ((ScheduleEffect.Log) e).event();
      if (ev instanceof ScheduleFired f) {
        return "Fired " + f.getNominalTime() + " " + f.getMissionId() + " catchUp=" + f.getCatchUp() + " manual="
            + f.getManual() + " cancelled=" + f.getCancelled();
      } else if (ev instanceof FireSkipped s) {
        Matcher m = BEHIND.matcher(s.getReason());
        return "Skipped " + s.getNominalTime() + " behind " + (m.matches() ? m.group(1) : "<" + s.getReason() + ">");
      } else if (ev instanceof FireBuffered b) {
        return "Buffered " + b.getNominalTime() + " behind " + b.getBehind();
      } else if (ev instanceof FiresMissed m) {
        return "Missed " + m.getFirst() + ".." + m.getLast() + " x" + m.getCount();
      } else if (ev instanceof SchedulePaused p) {
        return "Paused " + p.getBy();
      } else if (ev instanceof ScheduleResumed r) {
        return "Resumed " + r.getBy() + " " + r.getFiresWhilePaused();
      } else if (ev instanceof ScheduleCommandRejected) {
        return "Rejected";
      }
      return ev.toString();
    }

    /**
     * What {@code schedule list} without the API rebuilds from the schedule log (last mission,
     * who paused it) equals the scheduler's state.
     */
    String replayCheck() {
      if (state == null) {
        return null;
      }
      String last = null;
      String pausedBy = null;
      for (Object e : logSinceApply) {
        if (e instanceof ScheduleFired f) {
          last = f.getMissionId();
        } else if (e instanceof SchedulePaused p && !p.getBy().equals(ScheduleDecider.FILE)) {
          pausedBy = p.getBy();
        } else if (e instanceof ScheduleResumed r && !r.getBy().equals(ScheduleDecider.FILE)) {
          pausedBy = null;
        }
      }
      if (!Objects.equals(last, state.getLastMissionId()) || !Objects.equals(pausedBy, state.getPausedBy())) {
        return "seed " + seed + " replay of the schedule log: last mission " + last + " paused by " + pausedBy
            + ", state: last mission " + state.getLastMissionId() + " paused by " + state.getPausedBy()
            + "\n  " + String.join("\n  ", history.subList(Math.max(0, history.size() - 10), history.size()));
      }
      return null;
    }
  }

  // ---------------------------------------------------------------- long runs of a one-second schedule

  private static Schedule everySecond() {
    return Schedule.newBuilder().setName(NAME).setPlan("p").setEveryMs(1000L).setOverlap(OverlapPolicy.ALLOW).build();
  }

  /**
   * Under {@code --at-least-once}, a pause and resume read again an hour later, after a crash before
   * the offset commit: the hour was no pause, so its fires are caught up, not counted as the pause's.
   */
  @Test
  void aPauseAndResumeReadAgainAfterAnOutageLeaveItsFiresToTheCatchUp() {
    Instant t0 = Instant.parse("2026-06-01T10:00:00Z");
    Schedule tenMinutes = Schedule.newBuilder().setName(NAME).setPlan("p").setEveryMs(600_000L).setOverlap(OverlapPolicy.ALLOW)
        .setCatchUpWindowMs(Duration.ofHours(2).toMillis()).setCatchUpMax(10).build();
    ScheduleDecider decider = new ScheduleDecider(ReadPositions.AT_LEAST_ONCE);
    ScheduleState state = ScheduleDecider.newState(tenMinutes, t0);
    Actor ann = new Actor(ActorKind.USER, "ann", null);
    ScheduleCommand pause = new ScheduleCommand(NAME, ann, t0.plusSeconds(60), new PauseSchedule("r"));
    ScheduleCommand resume = new ScheduleCommand(NAME, ann, t0.plusSeconds(120), new ResumeSchedule());
    ReadPosition pauseAt = ReadPositions.at(0, pause.getIssuedAt());
    ReadPosition resumeAt = ReadPositions.at(1, resume.getIssuedAt());
    decider.command(state, pause, pause.getIssuedAt(), pause.getIssuedAt(), pauseAt);
    decider.command(state, resume, resume.getIssuedAt(), resume.getIssuedAt(), resumeAt);

    Instant back = t0.plus(Duration.ofHours(1));
    assertThat(decider.command(state, pause, pause.getIssuedAt(), back, pauseAt)).isEmpty();
    assertThat(decider.command(state, resume, resume.getIssuedAt(), back, resumeAt)).isEmpty();
    List<ScheduleEffect> effects = decider.tick(state, back);

    assertThat(effects).as("10:10 to 10:50 caught up, 11:00 on time").filteredOn(ScheduleEffect.Start.class::isInstance)
        .hasSize(6);
  }

  /** README: "fires that fell in the pause are not run (the resume event counts them)". */
  @Test
  void aResumeAfterThirtyHoursOfAOneSecondScheduleCountsEveryFireOfThePause() {
    Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
    ScheduleDecider decider = new ScheduleDecider();
    ScheduleState state = ScheduleDecider.newState(everySecond(), t0);
    Actor ann = new Actor(ActorKind.USER, "ann", null);
    decider.command(state, new ScheduleCommand(NAME, ann, t0, new PauseSchedule("r")), t0, t0);
    Instant resume = t0.plus(Duration.ofHours(30));
    List<ScheduleEffect> effects = decider.command(state, new ScheduleCommand(NAME, ann, resume, new ResumeSchedule()),
        resume, resume);
    assertThat(effects).extracting(Run::render).as("30 h of 1 s fires").containsExactly("Resumed ann 108000");
  }

  /** As above for a cron, whose times are found by cron-utils: a year of minutes is counted in one decision. */
  @Test
  void aResumeAfterAYearOfAMinuteCronCountsEveryFireOfThePause() {
    Instant t0 = Instant.parse("2025-12-31T23:00:00Z");
    Schedule minutes = Schedule.newBuilder().setName(NAME).setPlan("p").setCron("* * * * *")
        .setTimeZone("Europe/Copenhagen").setOverlap(OverlapPolicy.ALLOW).build();
    ScheduleDecider decider = new ScheduleDecider();
    ScheduleState state = ScheduleDecider.newState(minutes, t0);
    Actor ann = new Actor(ActorKind.USER, "ann", null);
    decider.command(state, new ScheduleCommand(NAME, ann, t0, new PauseSchedule("r")), t0, t0);
    Instant resume = Instant.parse("2026-12-31T23:00:30Z");
    List<ScheduleEffect> effects = decider.command(state, new ScheduleCommand(NAME, ann, resume, new ResumeSchedule()),
        resume, resume);
    // 2026's minutes in Copenhagen, less the spring gap's 60, shifted onto the next hour's.
    assertThat(effects).extracting(Run::render).containsExactly("Resumed ann " + (365 * 1440 - 60));
  }

  /** README: missed fires beyond catch_up "are recorded as one FiresMissed with their count and range". */
  @Test
  void thirtyHoursWithoutASchedulerAreOneFiresMissed() {
    Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
    ScheduleDecider decider = new ScheduleDecider();
    ScheduleState state = ScheduleDecider.newState(everySecond(), t0);
    Instant back = t0.plus(Duration.ofHours(30)).plusMillis(500);
    List<String> events = new ArrayList<>();
    for (Instant now = back; now.isBefore(back.plusSeconds(2)); now = now.plusMillis(200)) {
      decider.tick(state, now).stream().map(Run::render).filter(e -> e.startsWith("Missed")).forEach(events::add);
    }
    assertThat(events).as("one FiresMissed for all fires more than a minute late").containsExactly(
        "Missed " + t0.plusSeconds(1) + ".." + back.minusSeconds(60).truncatedTo(ChronoUnit.SECONDS)
            + " x" + (108000 - 60));
  }

  /**
   * README: the mission id names the nominal time, with its milliseconds when it has some, so a
   * start_at moved by less than a second does not name the mission of the fire just before (which
   * on_duplicate would answer instead of running the new fire).
   */
  @Test
  void aStartAtMovedWithinASecondDoesNotNameTheMissionOfTheFireBefore() {
    Instant t0 = Instant.parse("2026-06-01T11:59:30Z");
    ScheduleDecider decider = new ScheduleDecider();
    Schedule minute = Schedule.newBuilder().setName(NAME).setPlan("p").setEveryMs(60_000L)
        .setOverlap(OverlapPolicy.ALLOW).build();
    ScheduleState state = ScheduleDecider.newState(minute, t0);
    List<String> starts = new ArrayList<>();
    Instant noon = Instant.parse("2026-06-01T12:00:00Z");
    decider.tick(state, noon.plusMillis(100)).stream().map(Run::render).filter(e -> e.startsWith("Start")).forEach(starts::add);
    Schedule shifted = Schedule.newBuilder(minute).setStartAt(Instant.parse("2026-06-01T00:00:00.500Z")).build();
    decider.redefine(state, shifted, noon.plusMillis(200)).stream().map(Run::render)
        .filter(e -> e.startsWith("Start")).forEach(starts::add);
    decider.tick(state, noon.plusMillis(600)).stream().map(Run::render).filter(e -> e.startsWith("Start")).forEach(starts::add);
    assertThat(starts).as("two fires, at 12:00:00.000 and 12:00:00.500")
        .containsExactly("Start s.fz.20260601T120000Z p", "Start s.fz.20260601T120000500Z p");
  }

  /**
   * README: "fires due in the pause are not run (the resume event counts them)"; a fire whose
   * nominal time is before the resume but whose jittered due time is after it did not fall in the
   * pause: it runs when due.
   */
  @Test
  void aJitteredFireDueAfterTheResumeRunsWhenDue() {
    assertAJitteredFireDueAfterTheResumeRunsWhenDue(false);
  }

  /** As above, paused and unpaused in the schedules file. */
  @Test
  void aJitteredFireDueAfterTheFileUnpausesRunsWhenDue() {
    assertAJitteredFireDueAfterTheResumeRunsWhenDue(true);
  }

  private static void assertAJitteredFireDueAfterTheResumeRunsWhenDue(boolean inFile) {
    Schedule hourly = hourly(Duration.ofMinutes(30), OverlapPolicy.ALLOW);
    ScheduleSpec spec = ScheduleSpec.of(hourly);
    Instant nominal = delayedAtLeast(spec, Instant.parse("2026-06-01T12:00:00Z"), Duration.ofMinutes(10));
    Instant due = spec.dueAt(nominal);
    ScheduleDecider decider = new ScheduleDecider();
    ScheduleState state = ScheduleDecider.newState(hourly, nominal.minus(Duration.ofMinutes(30)));
    Actor ann = new Actor(ActorKind.USER, "ann", null);
    Instant pause = nominal.minus(Duration.ofMinutes(5));
    Instant resume = nominal.plus(Duration.between(nominal, due).dividedBy(2));
    List<String> events = new ArrayList<>();
    if (inFile) {
      decider.redefine(state, Schedule.newBuilder(hourly).setPaused(true).build(), pause);
      decider.redefine(state, hourly, resume).stream().map(Run::render).forEach(events::add);
    } else {
      decider.command(state, new ScheduleCommand(NAME, ann, pause, new PauseSchedule("r")), pause, pause);
      decider.command(state, new ScheduleCommand(NAME, ann, resume, new ResumeSchedule()), resume, resume).stream()
          .map(Run::render).forEach(events::add);
    }
    Instant firstTickWhenDue = null;
    for (Instant now = resume.truncatedTo(ChronoUnit.SECONDS); now.isBefore(due.plusSeconds(5)); now = now.plusSeconds(1)) {
      firstTickWhenDue = firstTickWhenDue == null && !now.isBefore(due) ? now : firstTickWhenDue;
      List<ScheduleEffect> effects = decider.tick(state, now);
      if (!effects.isEmpty()) {
        events.add("tick " + now);
        effects.stream().map(Run::render).forEach(events::add);
      }
    }
    String id = missionId(nominal);
    assertThat(events).as("nominal " + nominal + ", due " + due + ", resumed " + resume).containsExactly(
        "Resumed " + (inFile ? ScheduleDecider.FILE : "ann") + " 0", "tick " + firstTickWhenDue,
        "Fired " + nominal + " " + id + " catchUp=false manual=null cancelled=null", "Start " + id + " p");
  }

  /**
   * README: the old timing decides its times up to an edit of the timing; one its jitter puts
   * after the edit runs when the scheduler reads the edit, as the new timing cannot name it.
   */
  @Test
  void aJitteredFireDueAfterAnEditOfTheTimingRunsAtTheEdit() {
    Schedule hourly = hourly(Duration.ofMinutes(10), OverlapPolicy.SKIP);
    ScheduleSpec spec = ScheduleSpec.of(hourly);
    Instant nominal = delayedAtLeast(spec, Instant.parse("2026-06-01T10:00:00Z"), Duration.ofMinutes(2));
    ScheduleDecider decider = new ScheduleDecider();
    ScheduleState state = ScheduleDecider.newState(hourly, nominal.minus(Duration.ofMinutes(30)));
    Instant edit = nominal.plus(Duration.ofMinutes(1));
    assertThat(decider.tick(state, edit)).as("not due before the edit").isEmpty();

    List<ScheduleEffect> effects = decider.redefine(state,
        Schedule.newBuilder(hourly).setEndAt(Instant.parse("2027-01-01T00:00:00Z")).build(), edit);

    String id = missionId(nominal);
    assertThat(effects).extracting(Run::render).as("nominal " + nominal + ", due " + spec.dueAt(nominal))
        .containsExactly("Fired " + nominal + " " + id + " catchUp=false manual=null cancelled=null", "Start " + id + " p");
    assertThat(decider.tick(state, spec.dueAt(nominal).plusSeconds(1))).as("not again when due").isEmpty();
  }

  private static Schedule hourly(Duration jitter, OverlapPolicy overlap) {
    return Schedule.newBuilder().setName(NAME).setPlan("p").setEveryMs(3_600_000L).setJitterMs(jitter.toMillis())
        .setOverlap(overlap).build();
  }

  /** The first hour from {@code from} whose jitter delays it by {@code delay} or more. */
  private static Instant delayedAtLeast(ScheduleSpec spec, Instant from, Duration delay) {
    Instant nominal = from;
    while (Duration.between(nominal, spec.dueAt(nominal)).compareTo(delay) < 0) {
      nominal = nominal.plus(Duration.ofHours(1));
    }
    return nominal;
  }

  // ---------------------------------------------------------------- the oracle's own checks

  @Test
  void theOraclesCronAgreesWithUnixCronOnKnownDates() {
    Cron orOfDays = new Cron("0 0 13 * 5");
    assertThat(orOfDays.matches(LocalDateTime.parse("2026-01-02T00:00"))).as("a Friday").isTrue();
    assertThat(orOfDays.matches(LocalDateTime.parse("2026-01-13T00:00"))).as("the 13th").isTrue();
    assertThat(orOfDays.matches(LocalDateTime.parse("2026-01-14T00:00"))).isFalse();
    Times gap = new Times(Schedule.newBuilder().setName("x").setPlan("p").setCron("30 2 * * *")
        .setTimeZone("Europe/Copenhagen").build());
    assertThat(gap.between(Instant.parse("2026-03-28T12:00:00Z"), Instant.parse("2026-03-30T12:00:00Z")))
        .containsExactly(Instant.parse("2026-03-29T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"));
    assertThat(gap.between(Instant.parse("2026-10-24T12:00:00Z"), Instant.parse("2026-10-26T12:00:00Z")))
        .containsExactly(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
  }
}
