package io.groundcontrol.bench;

import io.groundcontrol.plan.PlanVersion;
import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plans the benchmark (and the chaos runs' parked missions) run. Built with the Avro builders,
 * so fields added to the plan schema later take their defaults and these plans stay valid.
 */
public final class BenchPlans {
  private BenchPlans() {}

  /** {@code s1 -> s2 -> ... -> sN}, every stage on {@code component}. */
  public static Plan linear(String name, int stages, String component) {
    List<PlanStage> list = new ArrayList<>(stages);
    for (int i = 1; i <= stages; i++) {
      list.add(stage(stageName(i, stages), component, i == 1 ? List.of() : List.of(stageName(i - 1, stages))));
    }
    return plan(name, list);
  }

  /**
   * Whether every stage of {@code plan} has at most one upstream and at most one downstream: then a
   * mission has one stage in flight at a time, which is what {@link HandoffTrace} can follow.
   */
  static boolean isLinear(Plan plan) {
    Set<String> upstreams = new HashSet<>();
    for (PlanStage stage : plan.getStages()) {
      if (stage.getUpstream().size() > 1 || stage.getForeach() != null) {
        return false;
      }
      for (String upstream : stage.getUpstream()) {
        if (!upstreams.add(upstream)) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code root -> w1..wN -> sink}: a fan-out of {@code width} and a fan-in of the same width. */
  static Plan wide(String name, int width, String component) {
    List<PlanStage> list = new ArrayList<>(width + 2);
    list.add(stage("root", component, List.of()));
    List<String> middle = new ArrayList<>(width);
    for (int i = 1; i <= width; i++) {
      String stage = "w" + pad(i, width);
      middle.add(stage);
      list.add(stage(stage, component, List.of("root")));
    }
    list.add(stage("sink", component, middle));
    return plan(name, list);
  }

  /**
   * {@code root -> fan -> sink}: root lists {@code ${params.count}} ids, fan runs one chunk per id,
   * {@code maxParallel} at once, and sink gets the chunks' outputs as one list.
   */
  static Plan fanOut(String name, int maxParallel, String component) {
    PlanStage root = stage("root", component, List.of());
    root.setParams(Map.of("count", "\"${params.count}\""));
    PlanStage fan = stage("fan", component, List.of("root"));
    fan.setParams(Map.of("item", "\"${chunk.items}\""));
    fan.setForeach(new ForeachPolicy("${stages.root.outputs.ids}", 1, maxParallel, null, null));
    PlanStage sink = stage("sink", component, List.of("fan"));
    sink.setParams(Map.of("chunks", "\"${stages.fan.outputs.n}\""));
    Plan plan = Plan.newBuilder().setName(name).setVersion("unset")
        .setParams(List.of(new PlanParam("count", null, "100"))).setStages(List.of(root, fan, sink)).build();
    plan.setVersion(PlanVersion.of(plan));
    return plan;
  }

  /** Zero-padded, so that stage names sort in plan order. */
  private static String stageName(int i, int of) {
    return "s" + pad(i, of);
  }

  private static String pad(int i, int of) {
    return String.format("%0" + Integer.toString(of).length() + "d", i);
  }

  private static PlanStage stage(String name, String component, List<String> upstream) {
    return PlanStage.newBuilder()
        .setName(name)
        .setComponent(component)
        .setUpstream(upstream)
        .setParams(Map.of())
        .build();
  }

  private static Plan plan(String name, List<PlanStage> stages) {
    Plan plan = Plan.newBuilder().setName(name).setVersion("unset").setParams(List.of()).setStages(stages).build();
    plan.setVersion(PlanVersion.of(plan));
    return plan;
  }
}
