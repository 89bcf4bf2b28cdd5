package io.groundcontrol.schedule;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.groundcontrol.plan.Durations;
import io.groundcontrol.plan.ExactJson;
import io.groundcontrol.plan.ParseErrors;
import io.groundcontrol.schema.ConditionOp;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatch;
import io.groundcontrol.schema.TriggerCondition;
import io.groundcontrol.trigger.Templates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a schedules file: {@code schedules:} and {@code triggers:} lists, checked field by field.
 * Every problem is reported at once, as {@code FILE: schedules[NAME].FIELD: what is wrong}.
 *
 * @param schedules the schedules, in file order
 * @param triggers the event triggers, in file order
 */
public record ScheduleFile(List<Schedule> schedules, List<Trigger> triggers) {
  /** Schedule and trigger names: they become part of mission ids, which they end at the next '.'. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");
  /** Strict as for plan files: a repeated key or a second document would silently drop entries. */
  private static final ObjectMapper YAML = ExactJson.exact(new ObjectMapper(new YAMLFactory()))
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper JSON = ExactJson.mapper();
  private static final List<String> TOP = List.of("schedules", "triggers");
  private static final List<String> SCHEDULE_FIELDS = List.of("name", "plan", "params", "cron", "time_zone", "every",
      "overlap", "catch_up", "jitter", "start_at", "end_at", "paused", "priority", "description");
  private static final List<String> TRIGGER_FIELDS = List.of("name", "topic", "plan", "when", "params", "key",
      "description", "dedup_window", "batch", "priority");
  private static final List<String> BATCH_FIELDS = List.of("max_events", "window", "keys_param");
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");
  /**
   * The range of {@code start_at} and {@code end_at}: years 1 to 9999. Parsing takes years up to
   * 999,999,999, but the topics hold milliseconds since the epoch in a long, which ends in year
   * 292,278,994; an apply would fail part-way on such a time.
   */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
  /** A Kafka topic name, as a trigger's {@code topic}. */
  public static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /**
   * Reads and checks {@code file}.
   *
   * @throws ScheduleFileException listing every problem
   * @throws IOException if the file cannot be read
   */
  public static ScheduleFile load(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /** Reads and checks the text of a schedules file; {@code source} names it in problems. */
  public static ScheduleFile parse(String content, String source) {
    Reader reader = new Reader(source);
    JsonNode root;
    try {
      root = YAML.readTree(content);
    } catch (JsonProcessingException e) {
      throw new ScheduleFileException(List.of(source + ": " + ParseErrors.message("YAML", e)));
    }
    if (root == null || !root.isObject()) {
      throw new ScheduleFileException(List.of(source + ": expected a mapping with 'schedules' and 'triggers'"));
    }
    reader.unknownFields(root, TOP, "");
    List<Schedule> schedules = new ArrayList<>();
    List<Trigger> triggers = new ArrayList<>();
    reader.list(root, "schedules").forEach(node -> reader.schedule(node, schedules.size()).ifValid(schedules::add));
    reader.list(root, "triggers").forEach(node -> reader.trigger(node, triggers.size()).ifValid(triggers::add));
    if (!reader.problems.isEmpty()) {
      throw new ScheduleFileException(reader.problems);
    }
    return new ScheduleFile(List.copyOf(schedules), List.copyOf(triggers));
  }

  /** A read value, and whether it came through without problems. */
  private record Read<T>(T value, boolean valid) {
    void ifValid(java.util.function.Consumer<T> sink) {
      if (valid) {
        sink.accept(value);
      }
    }
  }

  private static final class Reader {
    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> scheduleNames = new HashSet<>();
    private final Set<String> triggerNames = new HashSet<>();

    Reader(String source) {
      this.source = source;
    }

    void problem(String where, String what) {
      problems.add(source + ": " + where + ": " + what);
    }

    List<JsonNode> list(JsonNode root, String field) {
      JsonNode node = root.get(field);
      List<JsonNode> items = new ArrayList<>();
      if (node == null || node.isNull()) {
        return items;
      }
      if (!node.isArray()) {
        problem(field, "expected a list, but got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        return items;
      }
      node.forEach(items::add);
      return items;
    }

    void unknownFields(JsonNode node, List<String> known, String where) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!known.contains(name)) {
          problem(where.isEmpty() ? name : where + "." + name, "unknown field; expected one of " + String.join(", ", known));
        }
      }
    }

    Read<Schedule> schedule(JsonNode node, int index) {
      int before = problems.size();
      String where = label("schedules", node, index);
      if (!node.isObject()) {
        problem(where, "expected a mapping with name, plan and cron or every");
        return new Read<>(null, false);
      }
      unknownFields(node, SCHEDULE_FIELDS, where);
      Schedule.Builder schedule = Schedule.newBuilder();
      schedule.setName(orEmpty(name(node, where, scheduleNames)));
      schedule.setPlan(orEmpty(requiredText(node, "plan", where)));
      schedule.setParams(params(node, where, false));
      String cron = optionalText(node, "cron", where);
      String every = optionalText(node, "every", where);
      if ((cron == null) == (every == null)) {
        problem(where, "expected exactly one of 'cron' and 'every'");
      }
      String zone = optionalText(node, "time_zone", where);
      if (zone != null && cron == null) {
        problem(where + ".time_zone", "only a cron has a time zone; an interval counts real time");
      }
      schedule.setTimeZone(zone == null ? "UTC" : zone);
      if (cron != null) {
        schedule.setCron(cron);
        checkCron(cron, schedule.getTimeZone(), where);
      }
      Long everyMs = every == null ? null : duration(every, where + ".every");
      if (everyMs != null && (everyMs < 1000 || everyMs % 1000 != 0)) {
        problem(where + ".every", "expected whole seconds, at least 1s, but got '" + every + "'");
      }
      schedule.setEveryMs(everyMs);
      schedule.setOverlap(overlap(node, where));
      catchUp(node.get("catch_up"), where + ".catch_up", schedule);
      String jitter = optionalText(node, "jitter", where);
      schedule.setJitterMs(jitter == null ? 0L : nonNull(duration(jitter, where + ".jitter")));
      if (everyMs != null && schedule.getJitterMs() >= everyMs) {
        problem(where + ".jitter", "expected less than the interval (" + every + "), so fires stay in order");
      }
      schedule.setStartAt(instant(node, "start_at", where));
      schedule.setEndAt(instant(node, "end_at", where));
      if (schedule.getStartAt() != null && schedule.getEndAt() != null
          && !schedule.getEndAt().isAfter(schedule.getStartAt())) {
        problem(where + ".end_at", "expected a time after start_at");
      }
      JsonNode paused = node.get("paused");
      if (paused != null && !paused.isBoolean()) {
        problem(where + ".paused", "expected true or false");
      }
      schedule.setPaused(paused != null && paused.asBoolean(false));
      schedule.setPriority(priority(node, where));
      return new Read<>(problems.size() == before ? schedule.build() : null, problems.size() == before);
    }

    Read<Trigger> trigger(JsonNode node, int index) {
      int before = problems.size();
      String where = label("triggers", node, index);
      if (!node.isObject()) {
        problem(where, "expected a mapping with name, topic, plan and key");
        return new Read<>(null, false);
      }
      unknownFields(node, TRIGGER_FIELDS, where);
      Trigger.Builder trigger = Trigger.newBuilder();
      trigger.setName(orEmpty(name(node, where, triggerNames)));
      String topic = requiredText(node, "topic", where);
      if (topic != null && !TOPIC.matcher(topic).matches()) {
        problem(where + ".topic", "invalid topic name '" + topic + "'");
      }
      trigger.setTopic(orEmpty(topic));
      trigger.setPlan(orEmpty(requiredText(node, "plan", where)));
      trigger.setWhen(conditions(node.get("when"), where + ".when"));
      trigger.setParams(params(node, where, true));
      String key = optionalText(node, "key", where);
      if (key != null) {
        Templates.problems(key).forEach(p -> problem(where + ".key", p));
      }
      trigger.setKey(key);
      String window = optionalText(node, "dedup_window", where);
      if (window != null) {
        trigger.setDedupWindowMs(positive(duration(window, where + ".dedup_window"), where + ".dedup_window", window));
      }
      trigger.setBatch(batch(node.get("batch"), where + ".batch"));
      trigger.setPriority(priority(node, where));
      return new Read<>(problems.size() == before ? trigger.build() : null, problems.size() == before);
    }

    private String label(String list, JsonNode node, int index) {
      JsonNode name = node.get("name");
      return list + "[" + (name != null && name.isTextual() ? name.textValue() : String.valueOf(index)) + "]";
    }

    private String name(JsonNode node, String where, Set<String> seen) {
      String name = requiredText(node, "name", where);
      if (name != null && !NAME.matcher(name).matches()) {
        problem(where + ".name", "invalid name '" + name
            + "': use lower-case letters, digits, '_' and '-', starting with a letter or digit, at most 100 characters");
      } else if (name != null && !seen.add(name)) {
        problem(where + ".name", "the name is used twice");
      }
      return name;
    }

    private String requiredText(JsonNode node, String field, String where) {
      String text = optionalText(node, field, where);
      if (text == null && (node.get(field) == null || node.get(field).isNull())) {
        problem(where, "missing required field '" + field + "'");
      }
      return text;
    }

    private String optionalText(JsonNode node, String field, String where) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isValueNode()) {
        problem(where + "." + field, "expected a string, but got a " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        return null;
      }
      return value.asText();
    }

    private Map<String, String> params(JsonNode node, String where, boolean templates) {
      Map<String, String> params = new LinkedHashMap<>();
      JsonNode value = node.get("params");
      if (value == null || value.isNull()) {
        return params;
      }
      if (!value.isObject()) {
        problem(where + ".params", "expected a mapping from param name to value");
        return params;
      }
      value.properties().forEach(entry -> {
        params.put(entry.getKey(), json(entry.getValue()));
        if (templates) {
          templateProblems(entry.getValue(), where + ".params." + entry.getKey());
        }
      });
      return params;
    }

    /** Checks the references in every string of a param's value, at any depth, as they are all rendered. */
    private void templateProblems(JsonNode value, String where) {
      if (value.isTextual()) {
        Templates.problems(value.textValue()).forEach(p -> problem(where, p));
      } else if (value.isObject()) {
        value.properties().forEach(field -> templateProblems(field.getValue(), where + "." + field.getKey()));
      } else if (value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          templateProblems(value.get(i), where + "[" + i + "]");
        }
      }
    }

    private List<TriggerCondition> conditions(JsonNode when, String where) {
      List<TriggerCondition> conditions = new ArrayList<>();
      if (when == null || when.isNull()) {
        return conditions;
      }
      if (!when.isObject()) {
        problem(where, "expected a mapping from field to value or {op: value}");
        return conditions;
      }
      when.properties().forEach(entry -> {
        JsonNode test = entry.getValue();
        if (test.isObject() && test.size() == 1) {
          String op = test.fieldNames().next();
          JsonNode value = test.get(op);
          try {
            ConditionOp parsed = ConditionOp.valueOf(op.toUpperCase(Locale.ROOT));
            if (parsed == ConditionOp.IN && !value.isArray()) {
              problem(where + "." + entry.getKey(), "expected a list after 'in'");
            } else if (parsed == ConditionOp.EXISTS && !value.isBoolean()) {
              problem(where + "." + entry.getKey(), "expected true or false after 'exists'");
            }
            conditions.add(new TriggerCondition(entry.getKey(), parsed, json(value)));
          } catch (IllegalArgumentException e) {
            problem(where + "." + entry.getKey(), "unknown operator '" + op + "'; expected eq, ne, gt, gte, lt, lte, in or exists");
          }
        } else {
          conditions.add(new TriggerCondition(entry.getKey(), ConditionOp.EQ, json(test)));
        }
      });
      return conditions;
    }

    private OverlapPolicy overlap(JsonNode node, String where) {
      String text = optionalText(node, "overlap", where);
      if (text == null) {
        return OverlapPolicy.SKIP;
      }
      for (OverlapPolicy policy : OverlapPolicy.values()) {
        if (policy.name().toLowerCase(Locale.ROOT).equals(text)) {
          return policy;
        }
      }
      problem(where + ".overlap", "expected skip, buffer_one, allow or cancel_running, but got '" + text + "'");
      return OverlapPolicy.SKIP;
    }

    private void catchUp(JsonNode node, String where, Schedule.Builder schedule) {
      if (node == null || node.isNull()) {
        return;
      }
      if (!node.isObject()) {
        problem(where, "expected {window: DURATION, max: COUNT}");
        return;
      }
      unknownFields(node, List.of("window", "max"), where);
      String window = optionalText(node, "window", where);
      if (window == null) {
        problem(where, "missing required field 'window'");
      } else {
        schedule.setCatchUpWindowMs(nonNull(duration(window, where + ".window")));
      }
      JsonNode max = node.get("max");
      if (max != null && (!max.canConvertToInt() || !max.isIntegralNumber() || max.intValue() < 1)) {
        problem(where + ".max", "expected a whole number of at least 1");
      } else if (max != null) {
        schedule.setCatchUpMax(max.intValue());
      }
    }

    /** {max_events: N, window: DURATION, keys_param: NAME}: at least one of the first two. */
    private TriggerBatch batch(JsonNode node, String where) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isObject()) {
        problem(where, "expected {max_events: COUNT, window: DURATION, keys_param: NAME}");
        return null;
      }
      unknownFields(node, BATCH_FIELDS, where);
      TriggerBatch batch = new TriggerBatch(null, null, "keys");
      JsonNode max = node.get("max_events");
      if (max != null && !max.isNull()) {
        if (!max.canConvertToInt() || !max.isIntegralNumber() || max.intValue() < 1) {
          problem(where + ".max_events", "expected a whole number of at least 1, but got " + max);
        } else {
          batch.setMaxEvents(max.intValue());
        }
      }
      String window = optionalText(node, "window", where);
      if (window != null) {
        batch.setWindowMs(positive(duration(window, where + ".window"), where + ".window", window));
      }
      if ((max == null || max.isNull()) && window == null) {
        problem(where, "expected max_events, window or both: a batch must close some time");
      }
      String keysParam = optionalText(node, "keys_param", where);
      if (keysParam != null && !PARAM_NAME.matcher(keysParam).matches()) {
        problem(where + ".keys_param", "invalid param name '" + keysParam
            + "': use letters, digits and '_', starting with a letter or '_'");
      } else if (keysParam != null) {
        batch.setKeysParam(keysParam);
      }
      return batch;
    }

    /**
     * The priority of the missions an entry starts: any whole number {@code mission start
     * --priority} takes (a Java int); 0 if absent.
     */
    private int priority(JsonNode node, String where) {
      JsonNode value = node.get("priority");
      if (value == null || value.isNull()) {
        return 0;
      }
      if (!value.isIntegralNumber() || !value.canConvertToInt()) {
        problem(where + ".priority", "expected a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
            + ", as mission start --priority takes, but got " + value);
        return 0;
      }
      return value.intValue();
    }

    private Long positive(Long millis, String where, String text) {
      if (millis != null && millis == 0) {
        problem(where, "expected a duration longer than zero, but got '" + text + "'");
      }
      return millis;
    }

    /** Where the check that a cron fires at all looks from: any instant would do, cron has no years. */
    private static final Instant NEVER_CHECKED_FROM = Instant.parse("2000-01-01T00:00:00Z");

    private void checkCron(String cron, String zone, String where) {
      ZoneId zoneId = ZoneOffset.UTC;
      try {
        zoneId = ZoneId.of(zone);
      } catch (DateTimeException e) {
        problem(where + ".time_zone", "unknown time zone '" + zone + "'; expected an IANA name such as Europe/Copenhagen");
      }
      // The cron is checked whatever the zone, so that one run reports both.
      try {
        // No year field: a cron that matches no date from here on never will (February 30th).
        if (FireTimes.cron(cron, zoneId).after(NEVER_CHECKED_FROM).isEmpty()) {
          problem(where + ".cron", "cron '" + cron + "' never fires: no date matches its day-of-month and month");
        }
      } catch (IllegalArgumentException e) {
        problem(where + ".cron", "invalid cron '" + cron + "': " + e.getMessage()
            + " (5 fields: minute hour day-of-month month day-of-week)");
      }
    }

    private Long duration(String text, String where) {
      Long millis = Durations.millis(text);
      if (millis == null || millis < 0) {
        problem(where, "expected a duration such as 30s, 5m, 2h or 1d, but got '" + text + "'");
      }
      return millis;
    }

    private Instant instant(JsonNode node, String field, String where) {
      String text = optionalText(node, field, where);
      if (text == null) {
        return null;
      }
      Instant instant;
      try {
        instant = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeException e) {
        problem(where + "." + field, "expected a time with its offset, such as 2026-12-01T00:00:00Z, but got '" + text + "'");
        return null;
      }
      if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
        problem(where + "." + field, "expected a time from " + EARLIEST + " to " + LATEST + ", but got '" + text + "'");
        return null;
      }
      return instant;
    }

    /** A placeholder for a value already reported missing: the entry is dropped anyway. */
    private static String orEmpty(String value) {
      return value == null ? "" : value;
    }

    private static long nonNull(Long value) {
      return value == null ? 0L : value;
    }

    private static String json(JsonNode value) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("A parsed JSON tree is always writable", e);
      }
    }
  }
}
