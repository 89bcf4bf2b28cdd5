package io.groundcontrol.schedule;

import io.groundcontrol.plan.ClosestMatch;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.Trigger;
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
 */
public final class PlanParamsCheck {
  /**
   * What the check found.
   *
   * @param problems one line each, as {@code FILE: triggers[NAME].FIELD: what is wrong}
   * @param unchecked the names of plans it did not know, whose starts it could not check
   */
  public record Result(List<String> problems, SortedSet<String> unchecked) {}

  private PlanParamsCheck() {}

  /**
   * Checks every schedule's and trigger's params, and a batch trigger's {@code keys_param}, against
   * its plan in {@code plans} (by name): each must be declared, and each param without a default given.
   *
   * @param source names the file in problems
   */
  public static Result check(ScheduleFile file, String source, Map<String, Plan> plans) {
    Result result = new Result(new ArrayList<>(), new TreeSet<>());
    for (Schedule schedule : file.schedules()) {
      check(plans.get(schedule.getPlan()), schedule.getPlan(), schedule.getParams().keySet(), null,
          source + ": schedules[" + schedule.getName() + "]", result);
    }
    for (Trigger trigger : file.triggers()) {
      check(plans.get(trigger.getPlan()), trigger.getPlan(), trigger.getParams().keySet(),
          trigger.getBatch() == null ? null : trigger.getBatch().getKeysParam(),
          source + ": triggers[" + trigger.getName() + "]", result);
    }
    return result;
  }

  private static void check(Plan plan, String planName, Set<String> params, String keysParam, String where,
      Result result) {
    if (plan == null) {
      result.unchecked().add(planName);
      return;
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
    for (PlanParam param : plan.getParams()) {
      boolean given = params.contains(param.getName()) || param.getName().equals(keysParam);
      if (param.getDefaultValue() == null && !given) {
        problems.add(where + ".params: plan '" + plan.getName() + "' requires param '" + param.getName()
            + "', which has no default");
      }
    }
  }
}
