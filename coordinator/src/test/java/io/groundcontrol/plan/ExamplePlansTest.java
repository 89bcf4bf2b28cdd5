package io.groundcontrol.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The plans in {@code examples/} are what the README shows: each must be valid, each bad-*.yaml must not. */
class ExamplePlansTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  /** Example files that are not plans; their own tests check them. */
  private static final List<String> NOT_PLANS = List.of("schedules.yaml", "components.yaml");

  @Test
  void everyExamplePlanIsValidExceptTheBadOnes() throws IOException {
    List<Path> plans;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      plans = files.filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !NOT_PLANS.contains(f.getFileName().toString())).sorted().toList();
    }
    assertThat(plans).extracting(p -> p.getFileName().toString()).contains("dataflow.yaml", "diamond.yaml", "nightly-limited.yaml");
    for (Path plan : plans) {
      if (plan.getFileName().toString().startsWith("bad-")) {
        assertThat(catchThrowableOfType(InvalidPlanException.class, () -> PlanFiles.load(plan))).as(plan.toString())
            .isNotNull();
      } else {
        assertThat(PlanFiles.load(plan).getName()).as(plan.toString()).isNotBlank();
      }
    }
  }
}
