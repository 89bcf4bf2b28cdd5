package io.groundcontrol.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
   * A value that is valid JSON is kept as it is ({@code 42}, {@code true}, {@code {"a":1}});
   * anything else is taken as a string ({@code 2026-11-22} becomes {@code "2026-11-22"}).
   */
  static Map<String, String> parse(List<String> args, CommandSpec spec) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "Expected --param NAME=VALUE, but got '" + arg + "'");
      }
      params.put(arg.substring(0, eq), toJson(arg.substring(eq + 1)));
    }
    return params;
  }

  static String toJson(String value) {
    try {
      JSON.readTree(value);
      return value.isBlank() ? JSON.writeValueAsString(value) : value;
    } catch (JsonProcessingException notJson) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
