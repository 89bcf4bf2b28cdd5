package io.groundcontrol.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.plan.OneLine;
import io.groundcontrol.schema.wire.JsonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

/** Turns `--param key=value` arguments into mission inputs as JSON text. */
final class ParamArgs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParamArgs() {}

  /**
   * A value that is exactly one JSON value is kept as it is ({@code 42}, {@code true}, {@code
   * {"a":1}}); anything else is taken as a string ({@code 2026-11-22} becomes {@code
   * "2026-11-22"}, {@code 2 cats} becomes {@code "2 cats"}).
   */
  static Map<String, String> parse(List<String> args, CommandSpec spec) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "Expected --param NAME=VALUE, but got '" + OneLine.escape(arg) + "'");
      }
      params.put(arg.substring(0, eq), toJson(arg.substring(eq + 1)));
    }
    return params;
  }

  /** {@code value} as JSON text: itself if it is one JSON value and nothing more, else as a string. */
  static String toJson(String value) {
    if (JsonText.problem(value).isEmpty()) {
      return value;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A string always writes as JSON", e);
    }
  }
}
