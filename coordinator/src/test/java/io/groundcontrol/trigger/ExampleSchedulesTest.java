package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schedule.PlanParamsCheck;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/schedules.yaml, on the plans of examples/, as a user applies them. */
class ExampleSchedulesTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @TempDir Path stateDir;

  @Test
  void everyStartOfTheExampleFileHasParamsItsExamplePlanAccepts() throws IOException {
    PlanParamsCheck.Result checked = PlanParamsCheck.check(
        ScheduleFile.load(EXAMPLES.resolve("schedules.yaml")), "schedules.yaml", examplePlans(), Instant.now());

    assertThat(checked.problems()).isEmpty();
    assertThat(checked.unchecked()).as("plans the example file starts that no example declares").isEmpty();
  }

  @Test
  void theExampleBatchTriggerStartsMissionsOfTheExamplePlan() throws Exception {
    String file = Files.readString(EXAMPLES.resolve("schedules.yaml")).replace("crm.changes", "exports");
    try (TriggerDriver coordinator = new TriggerDriver(stateDir, file, PlanFiles.load(EXAMPLES.resolve("diamond.yaml")))) {
      for (int i = 0; i < 500; i++) {
        coordinator.exports.pipeInput(null, "{\"customer_id\":\"c-" + i + "\"}", TriggerDriver.T0);
      }
      List<MissionEvent> log = coordinator.events.readValuesToList();

      assertThat(log).as("rejections: %s", log.stream().filter(e -> e.getEvent() instanceof InputRejected)
              .map(e -> ((InputRejected) e.getEvent()).getReason()).toList())
          .filteredOn(e -> e.getEvent() instanceof MissionStarted).hasSize(1);
    }
  }

  private static Map<String, Plan> examplePlans() throws IOException {
    Map<String, Plan> plans = new HashMap<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        String name = file.getFileName().toString();
        if (!name.startsWith("bad-") && !name.equals("schedules.yaml") && !name.equals("components.yaml")) {
          Plan plan = PlanFiles.load(file);
          plans.put(plan.getName(), plan);
        }
      }
    }
    return plans;
  }
}
