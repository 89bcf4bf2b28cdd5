package io.groundcontrol.plan;

import java.util.List;

/**
 * Thrown when a plan cannot be used. It carries every problem found, not only the first, and its
 * message lists them all, one per line:
 *
 * <pre>{@code
 * Expected a valid plan in plans/bad.yaml, but found 2 problems:
 *   plans/bad.yaml: stage 'clean', field 'upstream': unknown upstream stage 'extrakt' (known: extract, load)
 *   plans/bad.yaml: stage 'load', field 'component': invalid component name 'Big Query': ...
 * }</pre>
 */
public class InvalidPlanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<PlanProblem> problems;

  /**
   * @param problems what is wrong; at least one, all from the same source
   */
  public InvalidPlanException(List<PlanProblem> problems) {
    super(messageFor(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order found. Never empty. */
  public List<PlanProblem> problems() {
    return problems;
  }

  private static String messageFor(List<PlanProblem> problems) {
    if (problems == null || problems.isEmpty()) {
      throw new IllegalArgumentException("Expected at least one problem to report, but got none");
    }
    StringBuilder message =
        new StringBuilder("Expected a valid plan in ")
            .append(problems.get(0).source())
            .append(", but found ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem:" : " problems:");
    for (PlanProblem problem : problems) {
      message.append('\n').append("  ").append(problem.describe());
    }
    return message.toString();
  }
}
