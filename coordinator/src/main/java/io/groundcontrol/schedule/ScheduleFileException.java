package io.groundcontrol.schedule;

import io.groundcontrol.plan.OneLine;
import java.util.List;

/** A schedules file that cannot be applied, with every problem found, one line each. */
public final class ScheduleFileException extends RuntimeException {
  private final List<String> problems;

  /** {@code problems}, one line each once names and values in them are escaped ({@link OneLine}). */
  public ScheduleFileException(List<String> problems) {
    super(String.join("\n", OneLine.escapeEach(problems)));
    this.problems = OneLine.escapeEach(problems);
  }

  /** Each problem as {@code FILE: schedules[NAME].FIELD: what is wrong}. */
  public List<String> problems() {
    return problems;
  }
}
