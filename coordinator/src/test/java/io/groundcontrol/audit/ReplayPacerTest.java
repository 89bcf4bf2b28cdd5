package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayPacerTest {
  /** Before the harness's first input, so no input is stamped in the past. */
  private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

  private final MissionHarness original = new MissionHarness(new InMemoryPlans().apply(TestPlan.diamond()));

  private List<ReplayInput> inputs() {
    original.start("m-1", "diamond").stage("m-1", "extract").runs();
    return InputsFromLog.from(original.log("m-1")).inputs();
  }

  @Test
  void eachInputGoesOutOnlyOnceEveryEventOfTheOneBeforeIsBack() {
    List<ReplayInput> inputs = inputs();
    List<MissionEvent> log = original.log("m-1");
    ReplayPacer pacer = new ReplayPacer(inputs);

    assertThat(pacer.begin(T0)).containsExactly(inputs.get(0));
    assertThat(pacer.onEvent(log.get(0), T0)).isEmpty();
    assertThat(pacer.onEvent(log.get(1), T0)).as("the start's last event").containsExactly(inputs.get(1));
    assertThat(pacer.onEvent(log.get(2), T0)).containsExactly(inputs.get(2));
    for (MissionEvent event : log.subList(3, log.size())) {
      pacer.onEvent(event, T0);
    }

    assertThat(pacer.done()).isTrue();
    assertThat(pacer.divergence()).isEmpty();
    assertThat(pacer.mismatches()).isEmpty();
    assertThat(pacer.reached()).isEqualTo(log.size());
    assertThat(pacer.shift()).as("inputs stamped in the future of " + T0 + " need no shift").isZero();
  }

  @Test
  void inputsStampedInThePastAreShiftedToNowAndTheShiftIsTakenOffTheirEvents() {
    List<ReplayInput> inputs = inputs();
    List<MissionEvent> log = original.log("m-1");
    Instant now = inputs.get(0).timestamp().plus(Duration.ofDays(30));
    ReplayPacer pacer = new ReplayPacer(inputs);

    pacer.begin(now);
    Duration shift = pacer.shift();
    for (MissionEvent event : log) {
      pacer.onEvent(TimeShift.shift(event, shift), now);
    }

    assertThat(shift).isEqualTo(Duration.ofDays(30));
    assertThat(pacer.mismatches()).isEmpty();
    assertThat(pacer.replayed()).isEqualTo(log);
    assertThat(pacer.shift()).as("the later inputs are stamped after now already").isEqualTo(shift);
  }

  @Test
  void anEventOfAnotherKindThanTheOriginalsEndsTheReplay() {
    List<ReplayInput> inputs = inputs();
    List<MissionEvent> log = original.log("m-1");
    ReplayPacer pacer = new ReplayPacer(inputs);
    pacer.begin(T0);
    pacer.onEvent(log.get(0), T0);
    pacer.onEvent(log.get(1), T0);
    MissionEvent rejection = new MissionEvent("m-1", 3L, log.get(2).getTimestamp(), log.get(2).getCause(),
        new InputRejected("start stage 'extract' (attempt 1) from worker w-1", "Expected ..., but ..."));

    assertThat(pacer.onEvent(rejection, T0)).isEmpty();

    assertThat(pacer.done()).isTrue();
    assertThat(pacer.divergence()).hasValue(
        "after start stage 'extract' (attempt 1) from worker w-1 the original has event 3 StageStarted, but the replay "
            + "event 3 InputRejected");
  }

  @Test
  void aStartRejectedForAnUnloadedPlanIsSentAgainWhenTheCoordinatorFallsQuiet() {
    List<ReplayInput> inputs = inputs();
    ReplayPacer pacer = new ReplayPacer(inputs);
    pacer.begin(T0);
    MissionEvent start = original.log("m-1").get(0);

    pacer.onEvent(new MissionEvent("m-1", 0L, start.getTimestamp(), start.getCause(),
        new InputRejected("start mission on plan 'diamond'", "Expected plan 'diamond' to be applied, but it is unknown")), T0);

    assertThat(pacer.done()).isFalse();
    assertThat(pacer.onQuiet()).contains(inputs.get(0));
    assertThat(pacer.onQuiet()).as("once per rejection").isEmpty();
    assertThat(pacer.startResends()).isEqualTo(1);
  }

  @Test
  void sameKindButOtherContentsIsNotedAndTheReplayGoesOn() {
    List<ReplayInput> inputs = inputs();
    List<MissionEvent> log = original.log("m-1");
    ReplayPacer pacer = new ReplayPacer(inputs);
    pacer.begin(T0);
    MissionEvent later = MissionEvent.newBuilder(log.get(0)).setTimestamp(log.get(0).getTimestamp().plusMillis(5)).build();

    pacer.onEvent(later, T0);

    assertThat(pacer.divergence()).isEmpty();
    assertThat(pacer.mismatches()).singleElement().asString().startsWith("event 1 differs: original {");
  }
}
