package io.groundcontrol.plan;

import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;

/**
 * Checks that a plan can run: its names follow the rules, its stages form a graph without cycles,
 * and every param reference is declared. It checks a {@link Plan} rather than a file, so the same
 * checks guard plans read from files and plans read back from Kafka, which the coordinator must not
 * trust blindly. It reports every problem it finds, never only the first.
 *
 * <p>The checks:
 *
 * <ul>
 *   <li>the plan has a valid name and at least one stage;
 *   <li>each stage has a valid name, unique in the plan, and a valid component name ({@link
 *       io.groundcontrol.schema.wire.TopicNames#COMPONENT_NAME});
 *   <li>each upstream entry names another stage of the plan, at most once;
 *   <li>no stages wait for each other in a cycle;
 *   <li>mission params have valid, unique names, and defaults that are JSON text;
 *   <li>stage param values are JSON text, and every {@code ${params.NAME}} in their strings names a
 *       declared mission param;
 *   <li>every {@code ${stages.STAGE.outputs.NAME}} names a stage upstream of the stage using it,
 *       directly or through other stages;
 *   <li>every other {@code ${...}} in stage params is {@code ${chunk.items}} or {@code
 *       ${chunk.index}}; {@code $${} is a literal {@code ${} (but see {@link #requireRunnable});
 *   <li>retry policies, on stages and under defaults, and {@code foreach} settings are in range,
 *       every number finite;
 *   <li>no duration (timeout, start timeout, backoff, max_age) is longer than {@link
 *       Durations#MAX}, with the message a plan file gets (but see {@link #requireRunnable}).
 * </ul>
 *
 * <p>It does not check the version: a plan's version is set by {@link PlanFiles} from {@link
 * PlanVersion}, and compare it there if it matters.
 */
public final class PlanValidator {
  /** Plan and stage names: lower-case letters, digits, '.', '_' and '-', at most 100 characters. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

  /** Mission param names, as used in {@code ${params.NAME}}. */
  public static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,99}");

  /** What a plan read back from Kafka may hold and still run ({@link #requireRunnable}). */
  private static final Set<Reason> TOLERATED_FROM_KAFKA = EnumSet.of(Reason.UNKNOWN_REFERENCE, Reason.DURATION_TOO_LONG,
      Reason.NEGATIVE_DURATION);

  private PlanValidator() {}

  /**
   * Checks a plan read from Kafka or built in code. Problems name their source as {@code
   * name@version}.
   *
   * @return every problem found, in a stable order; empty if the plan is valid
   */
  public static List<PlanProblem> validate(Plan plan) {
    return validate(plan, sourceOf(plan));
  }

  /**
   * Checks a plan, naming {@code source} (a file name, {@code <stdin>}) in every problem.
   *
   * @return every problem found, in a stable order; empty if the plan is valid
   */
  public static List<PlanProblem> validate(Plan plan, String source) {
    Objects.requireNonNull(plan, "plan");
    Problems problems = new Problems(source);
    NameRule.PLAN_OR_STAGE.check(problems, null, "name", "plan name", plan.getName());
    Set<String> declaredParams = checkParams(plan, problems);
    if (plan.getDefaults() != null) {
      if (plan.getDefaults().getRetry() != null) {
        RetryPolicyChecks.check(problems, null, "defaults.retry", plan.getDefaults().getRetry());
      }
      DurationChecks.defaults(problems, plan.getDefaults());
    }
    checkStages(plan, declaredParams, problems);
    if (plan.getMaxActiveMissions() != null && plan.getMaxActiveMissions() < 1) {
      problems.add(null, "max_active_missions", Reason.INVALID_POLICY,
          "expected a whole number of at least 1 (1: never two missions of the plan at once), but got "
              + plan.getMaxActiveMissions() + "; leave it out for no limit");
    }
    return Problems.inPlanOrder(problems.list(), plan);
  }

  /**
   * Throws if the plan has any problem.
   *
   * @throws InvalidPlanException listing every problem
   */
  public static void requireValid(Plan plan, String source) {
    throwIfAny(validate(plan, source));
  }

  /**
   * Throws if a plan read back from Kafka cannot run: as {@link #requireValid}, except that a
   * {@code ${...}} of no known form ({@link PlanProblem.Reason#UNKNOWN_REFERENCE}) and a duration
   * beyond {@link Durations#MAX} ({@link PlanProblem.Reason#DURATION_TOO_LONG}) are let through.
   * Plans applied before such references were refused pass them to workers as written, and their
   * missions must go on; an input whose decision would set a timer past what can be stored is
   * rejected on its own.
   *
   * @throws InvalidPlanException listing every problem, naming the plan as {@code name@version}
   */
  public static void requireRunnable(Plan plan) {
    throwIfAny(validate(plan).stream().filter(problem -> !TOLERATED_FROM_KAFKA.contains(problem.reason())).toList());
  }

  private static void throwIfAny(List<PlanProblem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidPlanException(problems);
    }
  }

  /** How a plan from Kafka is named in problems: {@code name@version}. */
  static String sourceOf(Plan plan) {
    return plan.getName() + "@" + plan.getVersion();
  }

  private static Set<String> checkParams(Plan plan, Problems problems) {
    Set<String> declared = new LinkedHashSet<>();
    for (PlanParam param : PlanStages.params(plan)) {
      String name = param.getName();
      if (name == null) {
        problems.add(null, "params", Reason.MISSING_FIELD, "a param has no name");
        continue;
      }
      String field = "params." + name;
      if (!declared.add(name)) {
        problems.add(null, field, Reason.DUPLICATE_PARAM, "duplicate param name '" + name + "'");
      } else if (!NameRule.PARAM.accepts(name)) {
        problems.add(null, field, Reason.INVALID_NAME, NameRule.PARAM.complaint("param name", name));
      }
      if (param.getDefaultValue() != null && PlanJson.parseText(param.getDefaultValue()).isEmpty()) {
        problems.add(
            null, field, Reason.INVALID_JSON, "default is not valid JSON text: " + param.getDefaultValue());
      }
    }
    return declared;
  }

  private static void checkStages(Plan plan, Set<String> declaredParams, Problems problems) {
    List<PlanStage> stages = PlanStages.of(plan);
    if (stages.isEmpty()) {
      problems.add(null, "stages", Reason.NO_STAGES, "a plan needs at least one stage");
      return;
    }
    List<String> stageNames =
        stages.stream().filter(Objects::nonNull).map(PlanStage::getName).filter(Objects::nonNull).toList();
    StageChecks stageChecks = new StageChecks(problems, stageNames, declaredParams);
    for (int index = 0; index < stages.size(); index++) {
      PlanStage stage = stages.get(index);
      if (stage == null) {
        problems.add(Problems.stageLabel(null, index), null, Reason.MISSING_FIELD, "the stage is null");
      } else {
        stageChecks.check(stage, index);
      }
    }
    checkDuplicateStages(stages, problems);
    Graph<String, DefaultEdge> dependencies = StageGraphs.dependencies(plan);
    new OutputReferenceChecks(problems, dependencies, stageNames).check(plan);
    for (List<String> cycle : CycleFinder.cycles(dependencies, stageNames)) {
      String path = String.join(" -> ", cycle);
      problems.add(cycle.get(0), "upstream", Reason.CYCLE, "stages depend on each other in a cycle: " + path);
    }
  }

  private static void checkDuplicateStages(List<PlanStage> stages, Problems problems) {
    Map<String, List<String>> positionsByName = new LinkedHashMap<>();
    for (int index = 0; index < stages.size(); index++) {
      PlanStage stage = stages.get(index);
      if (stage != null && stage.getName() != null) {
        positionsByName.computeIfAbsent(stage.getName(), name -> new ArrayList<>()).add("#" + (index + 1));
      }
    }
    positionsByName.forEach(
        (name, positions) -> {
          if (positions.size() > 1) {
            problems.add(
                name,
                "name",
                Reason.DUPLICATE_STAGE,
                "duplicate stage name '" + name + "' (stages " + String.join(", ", positions) + ")");
          }
        });
  }
}
