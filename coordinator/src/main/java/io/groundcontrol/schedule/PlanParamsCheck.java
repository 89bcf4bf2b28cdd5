package io.groundcontrol.schedule;

import io.groundcontrol.plan.ClosestMatch;
import io.groundcontrol.plan.OneLine;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Checks the params of a schedules file's starts against the plans they start. The coordinator
 * rejects a start whose params its plan does not accept, on every fire and every batch, and says
 * so only in the missions' log; the CLI refuses such a file up front wherever it knows the plan.
 * A schedule with no timed fires (paused in the file, or past its end) fires only by
 * {@code schedule trigger NAME -p k=v}, which may give the required params it leaves out: that is
 * only a warning.
 */
public final class PlanParamsCheck {
  /**
   * What the check found.
   *
   * @param problems one line each, as {@code FILE: triggers[NAME].FIELD: what is wrong}
   * @param warnings one line each, in the same form: starts that are rejected unless given more params
   * @param unchecked the names of plans it did not know, whose starts it could not check
   */
  public record Result(List<String> problems, List<String> warnings, SortedSet<String> unchecked) {}

  private PlanParamsCheck() {}

  /**
   * Checks every schedule's and trigger's params, and a batch trigger's {@code keys_param}, against
   * its plan in {@code plans} (by name): each must be declared, and each param without a default given.
   *
   * @param source names the file in problems
   * @param now what a schedule's {@code end_at} is compared with
   */
  public static Result check(ScheduleFile file, String source, Map<String, Plan> plans, Instant now) {
    Result result = new Result(new ArrayList<>(), new ArrayList<>(), new TreeSet<>());
    for (Schedule schedule : file.schedules()) {
      String where = source + ": schedules[" + schedule.getName() + "]";
      List<String> missing = check(plans.get(schedule.getPlan()), schedule.getPlan(), schedule.getParams().keySet(),
          null, where, result);
      if (byHandOnly(schedule, now)) {
        missing.forEach(line -> result.warnings().add(line + "; it fires only by `schedule trigger "
            + schedule.getName() + " -p NAME=VALUE`, which must give it"));
      } else {
        result.problems().addAll(missing);
      }
    }
    for (Trigger trigger : file.triggers()) {
      result.problems().addAll(check(plans.get(trigger.getPlan()), trigger.getPlan(), trigger.getParams().keySet(),
          trigger.getBatch() == null ? null : trigger.getBatch().getKeysParam(),
          source + ": triggers[" + trigger.getName() + "]", result));
    }
    result.problems().replaceAll(OneLine::escape);
    result.warnings().replaceAll(OneLine::escape);
    return result;
  }

  /** Whether the schedule has no timed fires to come: paused in the file, or past its {@code end_at} and jitter. */
  private static boolean byHandOnly(Schedule schedule, Instant now) {
    return schedule.getPaused()
        || schedule.getEndAt() != null && schedule.getEndAt().plusMillis(schedule.getJitterMs()).isBefore(now);
  }

  /**
   * Adds the params the plan does not declare to {@code result}'s problems.
   *
   * @return the plan's required params the start leaves out, one line each
   */
  private static List<String> check(Plan plan, String planName, Set<String> params, String keysParam, String where,
      Result result) {
    if (plan == null) {
      result.unchecked().add(planName);
      return List.of();
    }
    List<String> problems = result.problems();
    List<String> declared = plan.getParams().stream().map(PlanParam::getName).toList();
    String accepts = " (declared: " + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")";
    for (String name : new TreeSet<>(params)) {
      if (!declared.contains(name)) {
        problems.add(where + ".params." + name + ": plan '" + plan.getName() + "' does not declare param '" + name
            + "'" + accepts + ClosestMatch.didYouMean(name, declared));
      }
    }
    if (keysParam != null && !declared.contains(keysParam)) {
      problems.add(where + ".batch.keys_param: plan '" + plan.getName() + "' does not declare param '" + keysParam
          + "', which would receive the batch's keys" + accepts + "; declare it in the plan's params");
    }
    List<String> missing = new ArrayList<>();
    for (PlanParam param : plan.getParams()) {
      boolean given = params.contains(param.getName()) || param.getName().equals(keysParam);
      if (param.getDefaultValue() == null && !given) {
        missing.add(where + ".params: plan '" + plan.getName() + "' requires param '" + param.getName()
            + "', which has no default");
      }
    }
    return missing;
  }
}
