package io.groundcontrol.schedule;

import java.util.List;

/** A schedules file that cannot be applied, with every problem found, one line each. */
public final class ScheduleFileException extends RuntimeException {
  private final List<String> problems;

  public ScheduleFileException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as {@code FILE: schedules[NAME].FIELD: what is wrong}. */
  public List<String> problems() {
    return problems;
  }
}
