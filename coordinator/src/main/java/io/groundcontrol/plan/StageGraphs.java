package io.groundcontrol.plan;

import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

/**
 * The dependencies of a plan as a JGraphT graph: one vertex per stage name, an edge from each
 * upstream stage to the stage that waits for it. Edges that the validator reports on their own
 * (unknown upstream stages, a stage upstream of itself) are left out, so a cycle found here is a
 * real one.
 */
final class StageGraphs {
  private StageGraphs() {}

  static Graph<String, DefaultEdge> dependencies(Plan plan) {
    Graph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
    List<PlanStage> stages = PlanStages.of(plan);
    for (PlanStage stage : stages) {
      if (stage != null && stage.getName() != null) {
        graph.addVertex(stage.getName());
      }
    }
    for (PlanStage stage : stages) {
      for (String upstream : PlanStages.upstream(stage)) {
        if (stage != null
            && stage.getName() != null
            && !upstream.equals(stage.getName())
            && graph.containsVertex(upstream)) {
          graph.addEdge(upstream, stage.getName());
        }
      }
    }
    return graph;
  }
}
