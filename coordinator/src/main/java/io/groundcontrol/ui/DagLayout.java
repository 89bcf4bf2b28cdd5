package io.groundcontrol.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * Lays out a DAG in layers, computed on the server so the browser needs no layout library: a
 * stage's layer is the longest path to it from a stage without upstreams (so every edge points
 * right), and within a layer stages are ordered by the mean position of their upstreams (one
 * barycentre pass, which removes most crossings of plan-sized graphs), ties in plan order.
 */
final class DagLayout {
  static final int BOX_WIDTH = 170;
  static final int BOX_HEIGHT = 44;
  static final int LAYER_GAP = 60;
  static final int ROW_GAP = 18;
  static final int MARGIN = 10;

  /** One stage to draw: its name, upstreams, and what its box says. */
  record Stage(String name, List<String> upstream, String state, String caption) {}

  private DagLayout() {}

  /**
   * The drawing of {@code stages}, given in plan order; upstreams not among them are ignored.
   *
   * @throws IllegalArgumentException if the stages form a cycle (a validated plan never does)
   */
  static DagView layout(List<Stage> stages) {
    DirectedAcyclicGraph<String, DefaultEdge> graph = new DirectedAcyclicGraph<>(DefaultEdge.class);
    Map<String, Integer> planOrder = new HashMap<>();
    for (Stage stage : stages) {
      graph.addVertex(stage.name());
      planOrder.put(stage.name(), planOrder.size());
    }
    for (Stage stage : stages) {
      for (String upstream : stage.upstream()) {
        if (graph.containsVertex(upstream)) {
          graph.addEdge(upstream, stage.name());
        }
      }
    }
    Map<String, Integer> layerOf = new HashMap<>();
    List<List<String>> layers = new ArrayList<>();
    for (String name : graph) {
      int layer = graph.incomingEdgesOf(name).stream()
          .mapToInt(e -> layerOf.get(graph.getEdgeSource(e)) + 1).max().orElse(0);
      layerOf.put(name, layer);
      while (layers.size() <= layer) {
        layers.add(new ArrayList<>());
      }
      layers.get(layer).add(name);
    }
    Map<String, Integer> rowOf = new HashMap<>();
    for (List<String> layer : layers) {
      Function<String, Double> barycentre = name -> graph.incomingEdgesOf(name).stream()
          .mapToInt(e -> rowOf.get(graph.getEdgeSource(e))).average().orElse(planOrder.get(name));
      layer.sort(Comparator.comparing(barycentre).thenComparing(planOrder::get));
      for (int row = 0; row < layer.size(); row++) {
        rowOf.put(layer.get(row), row);
      }
    }
    int rows = layers.stream().mapToInt(List::size).max().orElse(0);
    Map<String, DagView.Node> nodes = new LinkedHashMap<>();
    for (Stage stage : stages) {
      int x = MARGIN + layerOf.get(stage.name()) * (BOX_WIDTH + LAYER_GAP);
      int y = MARGIN + rowOf.get(stage.name()) * (BOX_HEIGHT + ROW_GAP);
      nodes.put(stage.name(), new DagView.Node(stage.name(), stage.state(), stage.caption(), x, y, BOX_WIDTH, BOX_HEIGHT));
    }
    List<DagView.Edge> edges = new ArrayList<>();
    for (DefaultEdge edge : graph.edgeSet()) {
      DagView.Node from = nodes.get(graph.getEdgeSource(edge));
      DagView.Node to = nodes.get(graph.getEdgeTarget(edge));
      edges.add(new DagView.Edge(from.name(), to.name(), curve(from, to)));
    }
    int width = 2 * MARGIN + Math.max(0, layers.size() * (BOX_WIDTH + LAYER_GAP) - LAYER_GAP);
    int height = 2 * MARGIN + Math.max(0, rows * (BOX_HEIGHT + ROW_GAP) - ROW_GAP);
    return new DagView(width, height, List.copyOf(nodes.values()), edges);
  }

  private static String curve(DagView.Node from, DagView.Node to) {
    int x1 = from.x() + from.width();
    int y1 = from.y() + from.height() / 2;
    int x2 = to.x();
    int y2 = to.y() + to.height() / 2;
    int bend = (x2 - x1) / 2;
    return "M" + x1 + "," + y1 + " C" + (x1 + bend) + "," + y1 + " " + (x2 - bend) + "," + y2 + " " + x2 + "," + y2;
  }
}
