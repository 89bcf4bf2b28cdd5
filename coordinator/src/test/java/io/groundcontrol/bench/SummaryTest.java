package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The targets the benchmark prints from its measurements, met or missed. */
class SummaryTest {

  @Test
  void aWideJoinCostingNoMoreThanALinearTransitionMeetsTheFanInTarget() {
    String targets = targets(window("linear3-n64", 60.0), window("wide500-n4", 44.0));

    assertThat(targets).contains(
        "MET    cost per transition independent of fan-in: 44.0 us CPU/record at wide500-n4, 60.0 at linear3-n64 (x0.73)");
  }

  @Test
  void aWideJoinCostingSevenTimesALinearTransitionMissesIt() {
    String targets = targets(window("linear3-n64", 55.8), window("wide500-n4", 389.6));

    assertThat(targets).contains("MISSED cost per transition independent of fan-in").contains("(x6.98)");
  }

  @Test
  void withoutBothWindowsTheFanInTargetIsNotJudged() {
    assertThat(targets(window("wide500-n4", 44.0))).doesNotContain("fan-in");
  }

  @Test
  void storedMissionsAreFlatWhileTheLastCostsAtMostAQuarterMoreThanTheFirst() {
    assertThat(targets(window("stored-1k", 56.9), window("stored-1M", 70.0)))
        .contains("MET    cost per transition flat over stored missions");
    assertThat(targets(window("stored-1k", 56.9), window("stored-1M", 76.4)))
        .contains("MISSED cost per transition flat over stored missions").contains("(x1.34)");
  }

  @Test
  void aFanOutOfTenThousandChunksIsJudgedAgainstOneOfAHundred() {
    assertThat(targets(window("fanout-100", 126.1), window("fanout-10k", 87.5))).contains(
        "MET    cost per chunk independent of the chunk count: 126.1 us CPU/record at fanout-100, 87.5 at fanout-10k (x0.69)");
    assertThat(targets(window("fanout-100", 126.1), window("fanout-10k", 1_260.0)))
        .contains("MISSED cost per chunk independent of the chunk count");
  }

  @Test
  void planSizesAreJudgedByTheMedianOfEachRoundsRatioToTheSmallestPlan() {
    String targets = targets(window("plan-10", 40.0), window("plan-1k", 56.0), window("plan-10k", 48.0),
        window("plan-10-r2", 50.0), window("plan-1k-r2", 55.0), window("plan-10k-r2", 55.0),
        window("plan-10-r3", 44.0), window("plan-1k-r3", 48.4), window("plan-10k-r3", 66.0));

    assertThat(targets).contains("MET    cost per transition independent of plan size: median against plan-10 of"
        + " the same round x1.10 at plan-1k, x1.20 at plan-10k (by round: plan-1k x1.40, x1.10, x1.10;"
        + " plan-10k x1.20, x1.10, x1.50;");
  }

  @Test
  void oneRoundOfPlanSizesIsJudgedAlone() {
    assertThat(targets(window("plan-10", 40.0), window("plan-10k", 52.0)))
        .contains("MISSED cost per transition independent of plan size: median against plan-10 of the same round"
            + " x1.30 at plan-10k");
  }

  private static String targets(Measurement... windows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Summary(List.of(windows)).printTargets(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Measurement window(String scenario, double cpuMicrosPerRecord) {
    return new Measurement(scenario, "", 10, 1_000, 1_000, cpuMicrosPerRecord, 20_000, 1.2, 0, null, null, 0, "");
  }
}
