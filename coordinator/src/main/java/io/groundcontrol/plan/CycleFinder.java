package io.groundcontrol.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.alg.interfaces.ShortestPathAlgorithm.SingleSourcePaths;
import org.jgrapht.alg.shortestpath.BFSShortestPath;
import org.jgrapht.graph.AsSubgraph;
import org.jgrapht.graph.DefaultEdge;

/**
 * Finds dependency cycles as paths a person can follow, such as {@code extract -> clean ->
 * extract}. A set of stages that all (indirectly) wait for each other can hold many cycles; naming
 * one of them is enough to show the mistake, and naming one per set shows every mistake.
 */
final class CycleFinder {
  private CycleFinder() {}

  /**
   * One shortest cycle for each group of stages that wait for each other, in the order of {@code
   * stageOrder}. Each cycle starts and ends at the stage of its group that comes first in {@code
   * stageOrder} and follows the direction work flows, upstream to downstream.
   */
  static List<List<String>> cycles(Graph<String, DefaultEdge> dependencies, List<String> stageOrder) {
    Map<String, Integer> position = new HashMap<>();
    for (int i = stageOrder.size() - 1; i >= 0; i--) {
      position.put(stageOrder.get(i), i);
    }
    Comparator<String> planOrder = Comparator.comparingInt(position::get);
    List<List<String>> cycles = new ArrayList<>();
    for (Set<String> group : new KosarajuStrongConnectivityInspector<>(dependencies).stronglyConnectedSets()) {
      if (group.size() > 1) {
        cycles.add(shortestCycleThrough(group.stream().min(planOrder).orElseThrow(), group, dependencies, planOrder));
      }
    }
    cycles.sort(Comparator.comparing(cycle -> cycle.get(0), planOrder));
    return cycles;
  }

  private static List<String> shortestCycleThrough(
      String start, Set<String> group, Graph<String, DefaultEdge> dependencies, Comparator<String> planOrder) {
    Graph<String, DefaultEdge> within = new AsSubgraph<>(dependencies, group);
    SingleSourcePaths<String, DefaultEdge> fromStart = new BFSShortestPath<>(within).getPaths(start);
    GraphPath<String, DefaultEdge> toLastStep =
        within.incomingEdgesOf(start).stream()
            .map(edge -> fromStart.getPath(within.getEdgeSource(edge)))
            .min(
                Comparator.<GraphPath<String, DefaultEdge>>comparingInt(GraphPath::getLength)
                    .thenComparing(GraphPath::getEndVertex, planOrder))
            .orElseThrow();
    List<String> cycle = new ArrayList<>(toLastStep.getVertexList());
    cycle.add(start);
    return cycle;
  }
}
