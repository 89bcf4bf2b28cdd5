package io.groundcontrol.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.plan.ExactJson;
import io.groundcontrol.schema.ConditionOp;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerCondition;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One applied trigger, ready to judge events: its conditions, and how key and params come from the
 * event. Plain Java; the mission id is derived from trigger and key, so an event repeated, replayed
 * or seen again after a crash names the same mission, and the mission's {@code on_duplicate}
 * answers it instead of a second start.
 */
public final class TriggerRule {
  private static final ObjectMapper JSON = ExactJson.mapper();

  /**
   * A start a trigger calls for.
   *
   * @param missionId derived from trigger and key
   * @param key the dedup key, rendered
   * @param params mission inputs, JSON text
   */
  public record TriggeredStart(String missionId, String plan, String key, Map<String, String> params) {}

  private final Trigger trigger;
  private final Map<TriggerCondition, JsonNode> expected = new LinkedHashMap<>();

  private TriggerRule(Trigger trigger) {
    this.trigger = trigger;
    for (TriggerCondition condition : trigger.getWhen()) {
      expected.put(condition, condition.getValue() == null ? null : parse(condition.getValue()));
    }
  }

  public static TriggerRule of(Trigger trigger) {
    return new TriggerRule(trigger);
  }

  public Trigger trigger() {
    return trigger;
  }

  /**
   * Parses an event's value as a JSON object.
   *
   * @throws MalformedEventException if it is not one
   */
  public static JsonNode parseEvent(byte[] value) {
    if (value == null) {
      throw new MalformedEventException("Expected a JSON object, but the record has no value");
    }
    JsonNode event;
    try {
      event = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("Expected a JSON object, but the value is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedEventException("Expected a JSON object, but the value is not readable: " + e.getMessage());
    }
    if (event == null || !event.isObject()) {
      throw new MalformedEventException("Expected a JSON object, but got "
          + (event == null ? "nothing" : event.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    return event;
  }

  /**
   * The start {@code event} calls for, or empty if it does not meet every condition.
   *
   * @param recordKey the key to use when the trigger names none: the record's origin
   * @throws MalformedEventException if the event lacks a field its key or params need, or a batched
   *     trigger's key is longer than a batch takes
   */
  public Optional<TriggeredStart> evaluate(JsonNode event, String recordKey) {
    for (Map.Entry<TriggerCondition, JsonNode> condition : expected.entrySet()) {
      if (!holds(condition.getKey(), condition.getValue(), event)) {
        return Optional.empty();
      }
    }
    // Rendered from numbers as doubles wrote them, so an event re-delivered after numbers became exact
    // names the mission it named before, and 1.5 and 1.50, equal to a condition, name one mission.
    String key = trigger.getKey() == null ? recordKey : Templates.render(trigger.getKey(), ExactJson.forHashing(event));
    if (key.isEmpty()) {
      throw new MalformedEventException("Expected a dedup key from " + trigger.getKey() + ", but it is empty");
    }
    String tooLong = trigger.getBatch() == null ? null : BatchKeys.problem(key);
    if (tooLong != null) {
      throw new MalformedEventException(tooLong);
    }
    Map<String, String> params = new LinkedHashMap<>();
    trigger.getParams().forEach((name, value) -> params.put(name, param(value, event)));
    return Optional.of(new TriggeredStart(MissionIds.forTrigger(trigger.getName(), key), trigger.getPlan(), key, params));
  }

  /** A param as written (JSON text), with the references in it, at any depth, rendered against the event. */
  private static String param(String jsonText, JsonNode event) {
    if (!Templates.hasReference(jsonText)) {
      return jsonText;
    }
    try {
      return JSON.writeValueAsString(Templates.fill(parse(jsonText), event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a filled JSON tree to always serialize, but it did not", e);
    }
  }

  private static boolean holds(TriggerCondition condition, JsonNode expected, JsonNode event) {
    Optional<JsonNode> actual = Templates.field(event, condition.getField());
    ConditionOp op = condition.getOp();
    return switch (op) {
      case EXISTS -> actual.isPresent() == expected.asBoolean();
      case EQ -> actual.isPresent() && same(actual.get(), expected);
      case NE -> actual.isEmpty() || !same(actual.get(), expected);
      case IN -> actual.isPresent() && containsSame(expected, actual.get());
      default -> actual.isPresent() && ordered(op, actual.get(), expected);
    };
  }

  private static boolean containsSame(JsonNode list, JsonNode value) {
    for (JsonNode item : list) {
      if (same(item, value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static boolean ordered(ConditionOp op, JsonNode actual, JsonNode expected) {
    int order;
    if (actual.isNumber() && expected.isNumber()) {
      order = actual.decimalValue().compareTo(expected.decimalValue());
    } else if (actual.isTextual() && expected.isTextual()) {
      order = actual.textValue().compareTo(expected.textValue());
    } else {
      return false;
    }
    return switch (op) {
      case GT -> order > 0;
      case GTE -> order >= 0;
      case LT -> order < 0;
      default -> order <= 0;
    };
  }

  private static JsonNode parse(String jsonText) {
    try {
      return JSON.readTree(jsonText);
    } catch (IOException e) {
      throw new IllegalArgumentException("Expected JSON text in an applied trigger, but got " + jsonText, e);
    }
  }
}
