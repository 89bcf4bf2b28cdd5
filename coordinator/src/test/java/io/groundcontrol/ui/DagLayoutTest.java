package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DagLayoutTest {
  private static DagLayout.Stage stage(String name, String... upstream) {
    return new DagLayout.Stage(name, List.of(upstream), "WAITING", "");
  }

  private static Map<String, DagView.Node> byName(DagView view) {
    return view.nodes().stream().collect(Collectors.toMap(DagView.Node::name, Function.identity()));
  }

  @Test
  void aStageSitsOneLayerRightOfItsLongestUpstreamPath() {
    // extract -> clean -> train -> publish, extract -> features -> train, extract -> publish
    DagView view = DagLayout.layout(List.of(stage("extract"), stage("clean", "extract"), stage("features", "extract"),
        stage("train", "clean", "features"), stage("publish", "train", "extract")));

    Map<String, DagView.Node> nodes = byName(view);
    int step = DagLayout.BOX_WIDTH + DagLayout.LAYER_GAP;
    assertThat(nodes.get("extract").x()).isEqualTo(DagLayout.MARGIN);
    assertThat(nodes.get("clean").x()).isEqualTo(DagLayout.MARGIN + step);
    assertThat(nodes.get("features").x()).isEqualTo(DagLayout.MARGIN + step);
    assertThat(nodes.get("train").x()).isEqualTo(DagLayout.MARGIN + 2 * step);
    assertThat(nodes.get("publish").x()).as("longest path, not the direct edge from extract")
        .isEqualTo(DagLayout.MARGIN + 3 * step);
    assertThat(view.edges()).hasSize(6).allSatisfy(edge ->
        assertThat(nodes.get(edge.to()).x()).as("every edge points right").isGreaterThan(nodes.get(edge.from()).x()));
    assertThat(view.width()).isEqualTo(2 * DagLayout.MARGIN + 4 * step - DagLayout.LAYER_GAP);
    assertThat(view.height()).isEqualTo(2 * DagLayout.MARGIN + 2 * DagLayout.BOX_HEIGHT + DagLayout.ROW_GAP);
  }

  @Test
  void stagesOfALayerFollowTheirUpstreamsToAvoidCrossings() {
    // a, b in layer 0; y after b, x after a: plan order would put y above x and cross the edges.
    DagView view = DagLayout.layout(List.of(stage("a"), stage("b"), stage("y", "b"), stage("x", "a")));

    Map<String, DagView.Node> nodes = byName(view);
    assertThat(nodes.get("x").y()).isEqualTo(nodes.get("a").y());
    assertThat(nodes.get("y").y()).isEqualTo(nodes.get("b").y());
  }

  @Test
  void edgesRunFromTheRightSideOfABoxToTheLeftSideOfTheNext() {
    DagView view = DagLayout.layout(List.of(stage("a"), stage("b", "a")));

    DagView.Node a = byName(view).get("a");
    DagView.Node b = byName(view).get("b");
    int ay = a.y() + a.height() / 2;
    assertThat(view.edges().get(0).path()).startsWith("M" + (a.x() + a.width()) + "," + ay)
        .endsWith(" " + b.x() + "," + (b.y() + b.height() / 2));
  }

  @Test
  void unknownUpstreamsAreIgnoredAndACycleIsRefused() {
    assertThat(DagLayout.layout(List.of(stage("a", "gone"))).edges()).isEmpty();
    assertThatThrownBy(() -> DagLayout.layout(List.of(stage("a", "b"), stage("b", "a"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyPlanDrawsNothing() {
    DagView view = DagLayout.layout(List.of());
    assertThat(view.nodes()).isEmpty();
    assertThat(view.width()).isEqualTo(2 * DagLayout.MARGIN);
  }
}
