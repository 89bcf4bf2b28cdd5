package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.node.TextNode;
import io.groundcontrol.plan.OutputReferences.Reference;
import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.EdgeReversedGraph;
import org.jgrapht.traverse.BreadthFirstIterator;

/**
 * Checks that every {@code ${stages.STAGE.outputs.NAME}} in a stage's params names a stage that is
 * upstream of it, directly or through other stages: only then has it finished when the stage runs.
 */
final class OutputReferenceChecks {
  private final Problems problems;
  private final Graph<String, DefaultEdge> upstreamOf;
  private final List<String> stageNames;

  /** @param dependencies the plan's dependency graph, edges from upstream to downstream */
  OutputReferenceChecks(Problems problems, Graph<String, DefaultEdge> dependencies, List<String> stageNames) {
    this.problems = problems;
    this.upstreamOf = new EdgeReversedGraph<>(dependencies);
    this.stageNames = stageNames;
  }

  void check(Plan plan) {
    for (PlanStage stage : PlanStages.of(plan)) {
      if (stage != null && stage.getName() != null) {
        check(stage);
      }
    }
  }

  private void check(PlanStage stage) {
    Set<String> ancestors = null;
    Map<String, String> fields = new LinkedHashMap<>();
    PlanStages.params(stage).forEach((key, value) -> fields.put("params." + key, value));
    if (stage.getForeach() != null && stage.getForeach().getSource() != null) {
      fields.put("foreach", TextNode.valueOf(stage.getForeach().getSource()).toString());
    }
    for (Map.Entry<String, String> param : fields.entrySet()) {
      List<Reference> references =
          PlanJson.parseText(param.getValue()).map(OutputReferences::in).orElse(List.of());
      Set<Reference> reported = new HashSet<>();
      for (Reference reference : references) {
        if (!reported.add(reference)) {
          continue;
        }
        if (ancestors == null && reference.wellFormed()) {
          ancestors = ancestors(stage.getName());
        }
        problem(stage.getName(), reference, ancestors).ifPresent(
            problem -> problems.add(stage.getName(), param.getKey(), problem.reason(), problem.message()));
      }
    }
  }

  private record Found(Reason reason, String message) {}

  private Optional<Found> problem(String stage, Reference reference, Set<String> ancestors) {
    if (!reference.wellFormed()) {
      return Optional.of(new Found(Reason.MALFORMED_REFERENCE,
          "expected a reference of the form ${stages.STAGE.outputs.NAME}, but got " + reference.text()));
    }
    String named = reference.stage();
    if (named.equals(stage)) {
      return Optional.of(new Found(Reason.NOT_UPSTREAM,
          "a stage cannot use its own outputs: " + reference.text()));
    }
    if (!stageNames.contains(named)) {
      Set<String> known = new LinkedHashSet<>(ancestors);
      return Optional.of(new Found(Reason.UNKNOWN_STAGE,
          "unknown stage '" + named + "' in " + reference.text() + " (upstream: "
              + (known.isEmpty() ? "none" : String.join(", ", known)) + ")"
              + ClosestMatch.didYouMean(named, stageNames)));
    }
    if (!ancestors.contains(named)) {
      return Optional.of(new Found(Reason.NOT_UPSTREAM,
          "stage '" + named + "' is not upstream of '" + stage + "', so its outputs may not exist when '" + stage
              + "' runs: add '" + named + "' to upstream, directly or through another stage (" + reference.text() + ")"));
    }
    return Optional.empty();
  }

  /** The stages upstream of {@code stage}, directly or not, nearest first. */
  private Set<String> ancestors(String stage) {
    Set<String> found = new LinkedHashSet<>();
    if (!upstreamOf.containsVertex(stage)) {
      return found;
    }
    new BreadthFirstIterator<>(upstreamOf, stage).forEachRemaining(found::add);
    found.remove(stage);
    found.removeIf(Objects::isNull);
    return found;
  }
}
