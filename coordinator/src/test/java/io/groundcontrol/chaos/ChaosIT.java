package io.groundcontrol.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.testing.CliProcess;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quick variant of {@code groundcontrol chaos}: 20 missions of the demo plan (its training
 * stage has a 3 s timeout), the coordinator killed mid-run and restarted on the same state dir,
 * every process in a JVM of its own on a broker of its own; 200 missions no worker serves wait in
 * the store throughout, so the restart has them to bring back. Then the same with two instances,
 * one of them lost for good.
 *
 * <p>The children compile with C1 only, as {@link CliProcess}'s do: they live a minute at most, too
 * short for C2's compiling to pay back.
 */
class ChaosIT {
  private static final int PARKED = 200;

  @Test
  void aCoordinatorKilledAndRestartedOnItsStateDirLosesRepeatsAndWronglyFailsNothing() throws Exception {
    Plan plan = diamond();
    ChaosSettings settings = new ChaosSettings(Fault.COORDINATOR_SAME_DIR, Coordinators.single(), 20, PARKED, 4, 0.3, Duration.ofMinutes(5), false,
        Map.of(), line -> System.out.println("[chaos] " + line));

    ChaosRun.Result result = run(settings, plan);

    assertThat(result.tally().started()).isEqualTo(20);
    assertThat(result.tally().ended("FINISHED")).isEqualTo(20);
    assertThat(result.faultToRecovery()).isPresent();
    // Killed under exactly-once, the coordinator leaves no checkpoint: it rebuilds every store,
    // the parked missions' included.
    assertThat(result.rebuild()).hasValueSatisfying(rebuild -> assertThat(rebuild.records()).isGreaterThan(PARKED));
  }

  /**
   * Two instances with a standby each; the one owning the most mission partitions is killed for
   * good, and the survivor finishes its missions once its session ends.
   */
  @Test
  void oneOfTwoCoordinatorsLostForGoodLeavesItsMissionsToTheOtherLosingAndRepeatingNothing() throws Exception {
    ChaosSettings settings = new ChaosSettings(Fault.COORDINATOR_LOST, Coordinators.of(2, 1), 20, 0, 4, 0.3,
        Duration.ofMinutes(5), false, Map.of(), line -> System.out.println("[chaos] " + line));

    ChaosRun.Result result = run(settings, diamond());

    assertThat(result.tally().ended("FINISHED")).isEqualTo(20);
    assertThat(result.stoppedSurvivors()).isEmpty();
    assertThat(result.strike()).hasValueSatisfying(strike -> {
      assertThat(strike.partitions()).isNotEmpty();
      // The survivor owns every mission partition once the lost instance's session ended.
      assertThat(strike.after()).containsOnlyKeys(3 - strike.instance());
      assertThat(strike.after().get(3 - strike.instance())).containsExactlyInAnyOrder(0, 1, 2, 3);
    });
    assertThat(result.faultToVictimRecovery()).isPresent();
    assertThat(result.othersLongestReportWait()).isPresent();
  }

  private static ChaosRun.Result run(ChaosSettings settings, Plan plan) {
    ChaosRun.Result result;
    try (ChaosRun run = new ChaosRun(settings, CliProcess.JVM_OPTIONS)) {
      result = run.run(plan);
    }
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    ChaosReport.print(List.of(result), new PrintStream(table, true, StandardCharsets.UTF_8));
    System.out.println(table.toString(StandardCharsets.UTF_8));
    assertThat(result.broken()).as(table.toString(StandardCharsets.UTF_8)).isFalse();
    return result;
  }

  private static Plan diamond() throws Exception {
    try (InputStream in = ChaosIT.class.getResourceAsStream("/examples/diamond.yaml")) {
      return PlanFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "diamond.yaml", PlanFiles.Format.YAML);
    }
  }
}
