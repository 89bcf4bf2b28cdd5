package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * Jackson mappers for values that are read and passed on (params, outputs, event fields), which
 * must arrive as they were given. A default mapper reads a decimal as a double: {@code
 * 1732000000.123456789} goes on as {@code 1.7320000001234567E9}, and {@code 1e400} as the string
 * {@code "Infinity"}. These read every decimal as a {@code BigDecimal} and write it back with its
 * digits and trailing zeros ({@code 1.0} stays {@code 1.0}); a number with an exponent keeps its
 * value in BigDecimal's form ({@code 1e400} becomes {@code 1E+400}). Integers of any size are exact
 * in Jackson already.
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
}
