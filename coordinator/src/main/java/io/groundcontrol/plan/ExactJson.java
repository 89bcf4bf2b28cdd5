package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jackson mappers for values that are read and passed on (params, outputs, event fields), which
 * must arrive as they were given. A default mapper reads a decimal as a double: {@code
 * 1732000000.123456789} goes on as {@code 1.7320000001234567E9}, and {@code 1e400} as the string
 * {@code "Infinity"}. These read every decimal as a {@code BigDecimal} and write it back with its
 * digits and trailing zeros ({@code 1.0} stays {@code 1.0}); a number with an exponent keeps its
 * value in BigDecimal's form ({@code 1e400} becomes {@code 1E+400}). Integers of any size are exact
 * in Jackson already.
 *
 * <p>What is hashed or made into a key goes through {@link #forHashing} first, so that keys stay
 * those of data stored before numbers were exact.
 */
public final class ExactJson {
  private ExactJson() {}

  /** A new JSON mapper that keeps numbers exact. */
  public static ObjectMapper mapper() {
    return exact(new ObjectMapper());
  }

  /** {@code mapper} (of any format, such as YAML), set to keep numbers exact. */
  public static <M extends ObjectMapper> M exact(M mapper) {
    mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    return mapper;
  }

  /**
   * A copy of {@code value} for hashing or rendering into a key, never for passing on: every decimal
   * a double holds exactly is a double again, written as a default mapper writes it ({@code 1.50}
   * and {@code 1.5} as {@code 1.5}, {@code 1.0e3} as {@code 1000.0}, {@code 0.00001} as {@code
   * 1.0E-5}); only a decimal a double would change ({@code 1732000000.123456789}, {@code 1e400})
   * keeps its exact form. Plan versions, result keys and trigger keys computed before numbers were
   * exact were computed from doubles; this keeps them, and keeps {@code 1.5} and {@code 1.50} one
   * key, as conditions hold them equal.
   */
  public static JsonNode forHashing(JsonNode value) {
    if (value.isBigDecimal()) {
      BigDecimal exact = value.decimalValue();
      double rounded = exact.doubleValue();
      boolean lossless = Double.isFinite(rounded) && BigDecimal.valueOf(rounded).compareTo(exact) == 0;
      return lossless ? DoubleNode.valueOf(rounded) : value;
    }
    if (value.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      value.properties().forEach(field -> copy.set(field.getKey(), forHashing(field.getValue())));
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(value.size());
      value.forEach(element -> copy.add(forHashing(element)));
      return copy;
    }
    return value;
  }

  /** A copy of {@code node} with the keys of every object, at every level, in sorted order: a canonical form to hash. */
  public static JsonNode sortedKeys(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      Map<String, JsonNode> fields = new TreeMap<>();
      node.properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
      fields.forEach((key, value) -> sorted.set(key, sortedKeys(value)));
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(element -> copy.add(sortedKeys(element)));
      return copy;
    }
    return node;
  }
}
