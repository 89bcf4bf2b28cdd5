package io.groundcontrol.ui;

/**
 * One field of the start form: a param the plan declares.
 *
 * @param value the text in the field: the default at first, then what the user typed
 * @param defaultValue the default as the field shows it, or null if the param is required
 * @param error what is wrong with the value, shown at the field; null if nothing
 */
public record ParamField(String name, String description, String value, String defaultValue, String error) {
  public boolean required() {
    return defaultValue == null;
  }

  /** The id of the field's input element. */
  public String inputId() {
    return "param-" + name;
  }

  ParamField withInput(String typed, String problem) {
    return new ParamField(name, description, typed, defaultValue, problem);
  }
}
