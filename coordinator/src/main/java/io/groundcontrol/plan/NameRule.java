package io.groundcontrol.plan;

import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.regex.Pattern;

/**
 * A rule a name must follow, with the words that explain it to someone who broke it.
 *
 * @param pattern what a valid name matches, in full
 * @param explanation the rule in words, shown after an invalid name
 */
record NameRule(Pattern pattern, String explanation) {
  private static final String LOWER_CASE =
      "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters";

  /** Plan and stage names: they appear in topic keys and in {@code name@version}. */
  static final NameRule PLAN_OR_STAGE = new NameRule(PlanValidator.NAME, LOWER_CASE);

  /** Components name topics, so their rule is the topic contract's. */
  static final NameRule COMPONENT = new NameRule(TopicNames.COMPONENT_NAME, LOWER_CASE);

  static final NameRule PARAM =
      new NameRule(
          PlanValidator.PARAM_NAME,
          "use letters, digits, '_' and '-', starting with a letter or '_', at most 100 characters");

  /**
   * Checks a required name: reports it missing if null or blank, invalid if it breaks the rule.
   *
   * @param what the kind of name, such as "stage name", for the message
   */
  void check(Problems problems, String stage, String field, String what, String name) {
    if (name == null || name.isBlank()) {
      String lastPart = field.substring(field.lastIndexOf('.') + 1);
      problems.add(stage, field, Reason.MISSING_FIELD, "missing required field '" + lastPart + "'");
    } else if (!accepts(name)) {
      problems.add(stage, field, Reason.INVALID_NAME, complaint(what, name));
    }
  }

  boolean accepts(String name) {
    return name != null && pattern.matcher(name).matches();
  }

  /** The message for an invalid name, such as {@code invalid stage name 'Load': use ...}. */
  String complaint(String what, String name) {
    return "invalid " + what + " '" + name + "': " + explanation;
  }
}
