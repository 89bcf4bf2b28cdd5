package io.groundcontrol.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hand-off breakdown's bookkeeping: stamps joined by key, segments from step to step. */
class HandoffTraceTest {
  private static final long MS = 1_000_000L;
  private final HandoffTrace trace = new HandoffTrace("reports", "instructions.noop"::equals);

  @Test
  void splitsAHandoffIntoItsSegments() {
    trace.produced("reports", "m-1", 0);
    trace.consumed("reports", "m-1", 1 * MS);
    trace.produced("missions-changelog", "m-1\u0000b", 2 * MS);
    trace.produced("instructions.noop", "m-1", 3 * MS);
    trace.commitBegun(5 * MS);
    trace.committed(8 * MS);
    trace.consumed("instructions.noop", "m-1", 9 * MS);
    trace.handled("m-1", 11 * MS);

    Breakdown breakdown = trace.breakdown("linear3-n1");

    assertThat(breakdown.count()).isEqualTo(1);
    long[] expectedMillis = {1, 1, 1, 2, 3, 1, 2};
    for (int i = 0; i < expectedMillis.length; i++) {
      assertThat(breakdown.segments()[i].getValueAtPercentile(50) / 1000).as("segment %d", i).isEqualTo(expectedMillis[i]);
    }
    assertThat(breakdown.total().getValueAtPercentile(50) / 1000).isEqualTo(11);
    assertThat(breakdown.cell(7)).startsWith("11.0");
  }

  @Test
  void leavesOutHandoffsWithAStepUnseen() {
    // A mission's first stage has no report before it: nothing opens, nothing is recorded.
    trace.produced("instructions.noop", "m-2", 1 * MS);
    trace.consumed("instructions.noop", "m-2", 2 * MS);
    trace.handled("m-2", 3 * MS);
    // A report the coordinator never polled.
    trace.produced("reports", "m-3", 0);
    trace.handled("m-3", 3 * MS);

    assertThat(trace.breakdown("x").count()).isZero();
  }

  @Test
  void aMissionsEndForgetsTheHandoffItsLastReportOpened() {
    trace.produced("reports", "m-1", 0);
    trace.consumed("reports", "m-1", MS);
    trace.produced("missions-changelog", "m-1", 2 * MS);
    trace.committed(3 * MS);
    trace.produced("reports", "m-2", 0);
    assertThat(trace.openHandoffs()).isEqualTo(2);

    trace.ended("m-1");

    assertThat(trace.openHandoffs()).isEqualTo(1);
    assertThat(trace.breakdown("x").count()).isZero();
  }

  @Test
  void withoutTransactionsTheCommitStepsStayEmpty() {
    trace.produced("reports", "m-1", 0);
    trace.consumed("reports", "m-1", 1 * MS);
    trace.produced("instructions.noop", "m-1", 2 * MS);
    trace.consumed("instructions.noop", "m-1", 4 * MS);
    trace.handled("m-1", 5 * MS);

    Breakdown breakdown = trace.breakdown("alos");

    assertThat(breakdown.count()).isEqualTo(1);
    assertThat(breakdown.cell(3)).isEqualTo("-");
    assertThat(breakdown.cell(4)).isEqualTo("-");
    assertThat(breakdown.segments()[5].getValueAtPercentile(50) / 1000).isEqualTo(2);
  }

  @Test
  void resetDropsWhatCameBeforeTheWindow() {
    trace.produced("reports", "m-1", 0);
    trace.consumed("reports", "m-1", MS);
    trace.produced("instructions.noop", "m-1", 2 * MS);
    trace.committed(3 * MS);
    trace.consumed("instructions.noop", "m-1", 4 * MS);
    trace.handled("m-1", 5 * MS);

    trace.reset();

    assertThat(trace.breakdown("x").count()).isZero();
  }

  @Test
  void theStreamThreadsSharesInPollAndCommitAreOfTheWindow() {
    trace.reset(0);
    trace.polled(3 * MS);
    trace.polled(2 * MS);
    trace.inCommit(MS);
    trace.inCommit(MS);

    Breakdown breakdown = trace.breakdown("x", 20 * MS);

    assertThat(breakdown.pollShare()).isEqualTo(0.25);
    assertThat(breakdown.commitShare()).isEqualTo(0.10);
    assertThat(breakdown.cell(8)).isEqualTo("25.0%");
    assertThat(breakdown.cell(9)).isEqualTo("10.0%");
    trace.reset(20 * MS);
    assertThat(trace.breakdown("y", 30 * MS).pollShare()).isZero();
  }

  @Test
  void aShareNeverTimedIsADashNotZero() {
    trace.reset(0);
    trace.inCommit(MS);

    Breakdown breakdown = trace.breakdown("streams-protocol", 20 * MS);

    assertThat(breakdown.cell(8)).isEqualTo("-");
    assertThat(breakdown.cell(9)).isEqualTo("5.0%");
  }

  @Test
  void aSampledTraceFollowsAMissionByTheSameHashFromItsBytesAndItsText() {
    HandoffTrace sampled = new HandoffTrace("reports", "instructions.noop"::equals, 4);
    int followed = 0;
    for (int i = 0; i < 400; i++) {
      String id = "m-" + i;
      boolean byText = sampled.follows(id);
      assertThat(sampled.follows(id.getBytes(UTF_8))).as(id).isEqualTo(byText);
      assertThat(sampled.follows((id + "\u0000stage").getBytes(UTF_8)))
          .as("a store key of %s", id).isEqualTo(byText);
      followed += byText ? 1 : 0;
    }
    assertThat(followed).as("about one in four of 400").isBetween(60, 140);
    assertThat(sampled.follows("é-1")).isEqualTo(sampled.follows("é-1".getBytes(UTF_8)));
  }

  @Test
  void aSampledTraceRecordsOnlyTheMissionsItFollows() {
    HandoffTrace sampled = new HandoffTrace("reports", "instructions.noop"::equals, 8);
    int handoffs = 0;
    for (int i = 0; handoffs < 3 || i < 64; i++) {
      String id = "m-" + i;
      sampled.produced("reports", id, 0);
      sampled.consumed("reports", id, MS);
      sampled.produced("instructions.noop", id, 2 * MS);
      sampled.committed(3 * MS);
      sampled.consumed("instructions.noop", id, 4 * MS);
      sampled.handled(id, 5 * MS);
      handoffs += sampled.follows(id) ? 1 : 0;
    }
    assertThat(sampled.breakdown("x").count()).isEqualTo(handoffs);
    assertThat(sampled.openHandoffs()).isZero();
  }
}
