package io.groundcontrol.plan;

import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * A valid plan compiled for the coordinator: every lookup it makes while driving missions is a map
 * read. Build it once per plan version and share it; it is immutable and safe to use from any
 * thread.
 *
 * <p>Every list of stage names is in topological order, and ties in that order are broken by stage
 * name, so two plans with the same {@link PlanVersion} compile to identical graphs whatever the order
 * of stages in their files.
 */
public final class PlanGraph {

  /**
   * One stage with its neighbours on both sides.
   *
   * @param name the stage's name, unique in the plan
   * @param component the component whose workers run the stage
   * @param description what the stage does, or null
   * @param upstream the stages that must finish before this one starts
   * @param downstream the stages that wait for this one
   * @param params the stage's params as JSON text, possibly with {@code ${params.NAME}} references
   */
  public record Stage(
      String name,
      String component,
      String description,
      List<String> upstream,
      List<String> downstream,
      Map<String, String> params) {

    /** Copies the collections, so a stage cannot be changed through them. */
    public Stage {
      upstream = List.copyOf(upstream);
      downstream = List.copyOf(downstream);
      params = Map.copyOf(params);
    }

    /** Whether the stage can start as soon as the mission does. */
    public boolean isRoot() {
      return upstream.isEmpty();
    }

    /** Whether no stage waits for this one. */
    public boolean isLeaf() {
      return downstream.isEmpty();
    }
  }

  private final String planName;
  private final String version;
  private final Map<String, Stage> stages;
  private final List<String> topologicalOrder;
  private final List<String> roots;
  private final List<String> leaves;
  private final Set<String> components;

  private PlanGraph(String planName, String version, Map<String, Stage> stagesInTopologicalOrder) {
    this.planName = planName;
    this.version = version;
    this.stages = Map.copyOf(new HashMap<>(stagesInTopologicalOrder));
    this.topologicalOrder = List.copyOf(stagesInTopologicalOrder.keySet());
    this.roots = topologicalOrder.stream().filter(name -> stages.get(name).isRoot()).toList();
    this.leaves = topologicalOrder.stream().filter(name -> stages.get(name).isLeaf()).toList();
    Set<String> components = new LinkedHashSet<>();
    topologicalOrder.forEach(name -> components.add(stages.get(name).component()));
    this.components = Collections.unmodifiableSet(components);
  }

  /**
   * Compiles a plan, validating it first: a plan read back from Kafka is checked again here rather
   * than trusted.
   *
   * @throws InvalidPlanException if the plan is not valid, naming it as {@code name@version}
   */
  public static PlanGraph of(Plan plan) {
    PlanValidator.requireRunnable(plan);
    Graph<String, DefaultEdge> dependencies = StageGraphs.dependencies(plan);
    List<String> order = new ArrayList<>();
    new TopologicalOrderIterator<>(dependencies, Comparator.<String>naturalOrder()).forEachRemaining(order::add);
    Map<String, Integer> position = new HashMap<>();
    order.forEach(name -> position.put(name, position.size()));
    Comparator<String> topologically = Comparator.comparing(position::get);

    Map<String, PlanStage> byName = new HashMap<>();
    PlanStages.of(plan).forEach(stage -> byName.put(stage.getName(), stage));
    Map<String, Stage> compiled = new LinkedHashMap<>();
    for (String name : order) {
      PlanStage stage = byName.get(name);
      compiled.put(
          name,
          new Stage(
              name,
              stage.getComponent(),
              stage.getDescription(),
              sorted(Graphs.predecessorListOf(dependencies, name), topologically),
              sorted(Graphs.successorListOf(dependencies, name), topologically),
              PlanStages.params(stage)));
    }
    return new PlanGraph(plan.getName(), plan.getVersion(), compiled);
  }

  /** The plan's name. */
  public String planName() {
    return planName;
  }

  /** The plan's version, as the plan carried it. */
  public String version() {
    return version;
  }

  /** Whether the plan has a stage of this name. */
  public boolean contains(String stageName) {
    return stages.containsKey(stageName);
  }

  /**
   * The stage of this name.
   *
   * @throws IllegalArgumentException if the plan has no such stage
   */
  public Stage stage(String stageName) {
    Stage stage = stages.get(stageName);
    if (stage == null) {
      throw new IllegalArgumentException(
          "Expected a stage of plan '" + planName + "@" + version + "', but got '" + stageName + "'");
    }
    return stage;
  }

  /**
   * The component that runs the stage.
   *
   * @throws IllegalArgumentException if the plan has no such stage
   */
  public String component(String stageName) {
    return stage(stageName).component();
  }

  /**
   * The stages that must finish before this one starts.
   *
   * @throws IllegalArgumentException if the plan has no such stage
   */
  public List<String> upstream(String stageName) {
    return stage(stageName).upstream();
  }

  /**
   * The stages that wait for this one.
   *
   * @throws IllegalArgumentException if the plan has no such stage
   */
  public List<String> downstream(String stageName) {
    return stage(stageName).downstream();
  }

  /** Every stage name, each after all of its upstream stages. */
  public List<String> topologicalOrder() {
    return topologicalOrder;
  }

  /** The stages without upstream: the ones a new mission starts with. */
  public List<String> roots() {
    return roots;
  }

  /** The stages without downstream: when they are all done, so is the mission. */
  public List<String> leaves() {
    return leaves;
  }

  /** The components the stages run on, in topological order of first use; e.g. to create their topics. */
  public Set<String> components() {
    return components;
  }

  /** The number of stages. */
  public int size() {
    return topologicalOrder.size();
  }

  private static List<String> sorted(List<String> names, Comparator<String> order) {
    return names.stream().sorted(order).toList();
  }

  @Override
  public String toString() {
    return "PlanGraph[" + planName + "@" + version + ", " + topologicalOrder + "]";
  }
}
