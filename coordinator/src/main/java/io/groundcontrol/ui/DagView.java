package io.groundcontrol.ui;

import java.util.List;

/**
 * A plan's DAG laid out for an SVG drawing: stages as boxes in layers from left to right, edges
 * as curves from a stage to the stages that wait for it.
 */
public record DagView(int width, int height, List<Node> nodes, List<Edge> edges) {
  /**
   * One stage's box.
   *
   * @param state the stage status in a mission (a CSS class), or {@code PLAN} when drawing a plan
   * @param caption the second line: status and attempt, or the component
   */
  public record Node(String name, String state, String caption, int x, int y, int width, int height) {
    public int textX() {
      return x + 10;
    }

    public int nameY() {
      return y + 19;
    }

    public int captionY() {
      return y + 35;
    }
  }

  /** @param path the SVG path of the curve */
  public record Edge(String from, String to, String path) {}
}
