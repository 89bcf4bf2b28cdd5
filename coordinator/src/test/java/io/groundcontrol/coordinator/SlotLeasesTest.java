package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.admission.InMemoryTable;
import io.groundcontrol.admission.SortedTable;
import io.groundcontrol.mission.Effect;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ReleaseSlot;
import io.groundcontrol.schema.SlotGrant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Leased slots in a missions partition: handed on within one decision, given back under their first name. */
class SlotLeasesTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String PLAN = "etl";

  private final InMemoryTable<String> table = new InMemoryTable<>();
  private Instant wallClock = T0;
  private final SlotLeases leases = readFromTable();

  /** Leases as a restart, or the partition moving, reads them from what the table keeps; no cap is 0. */
  private SlotLeases readFromTable() {
    return new SlotLeases(table, () -> wallClock.toEpochMilli(), component -> false);
  }

  private static SlotGrant grant(String stage, boolean lease) {
    return new SlotGrant("m1", stage, 1, "bq", T0, 1, 10, true, lease, false);
  }

  private static SlotGrant reclaim(String stage) {
    return new SlotGrant("m1", stage, 1, "bq", T0, 6, 10, false, false, true);
  }

  private static Effect.ReleaseSlot ended(String stage) {
    return new Effect.ReleaseSlot("bq", stage, 1, "finished", false);
  }

  private static Effect.RequestSlot ready(String stage, String component) {
    return ready(stage, component, PLAN);
  }

  private static Effect.RequestSlot ready(String stage, String component, String plan) {
    return new Effect.RequestSlot(component, stage, 1, plan, 0, Map.of(), null);
  }

  private static List<String> described(List<AdmissionRequest> requests) {
    return requests.stream().map(r -> (r.getAction() instanceof ReleaseSlot ? "release " : "request ")
        + r.getComponent() + " " + r.getMissionId() + "/" + r.getStage()).toList();
  }

  private static List<String> stages(List<SlotLeases.HandedOn> handedOn) {
    return handedOn.stream().map(SlotLeases.HandedOn::grant).map(g -> g.getComponent() + " " + g.getMissionId() + "/" + g.getStage()
        + (g.getLease() && !g.getInstructed() ? "" : " (not handed on)")).toList();
  }

  @Test
  void aLeasedSlotPassesToTheNextStageOfItsComponentAndNothingGoesToTheAdmission() {
    leases.adopt(grant("extract", true), PLAN);

    SlotLeases.Settled settled = leases.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);

    assertThat(settled.toAdmission()).isEmpty();
    assertThat(stages(settled.handedOn())).containsExactly("bq m1/transform");
  }

  @Test
  void aFreedSlotWaitsIdleForAnyMissionOfThePartitionThenGoesBackUnderItsFirstName() {
    leases.adopt(grant("extract", true), PLAN);
    leases.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);
    SlotLeases.Settled last = leases.settle("m1", List.of(ended("transform")), T0);
    assertThat(last.toAdmission()).as("idle, kept").isEmpty();

    SlotLeases.Settled other = leases.settle("m2", List.of(ready("extract", "bq")), T0.plusMillis(100));
    assertThat(stages(other.handedOn())).containsExactly("bq m2/extract");
    wallClock = T0.plusMillis(200);
    leases.settle("m2", List.of(ended("extract")), T0.plusMillis(5_000));

    assertThat(leases.expire(T0.plusMillis(200).plus(SlotLeases.IDLE).minusMillis(1))).isEmpty();
    assertThat(described(leases.expire(T0.plusMillis(200).plus(SlotLeases.IDLE))))
        .containsExactly("release bq m1/extract");
    assertThat(table.size()).as("nothing left behind").isZero();
  }

  /**
   * The admission counts a slot under the plan it granted it to, for fair shares: a mission of
   * another plan asks the admission, whatever is idle here, and the slot keeps its plan.
   */
  @Test
  void anIdleSlotServesOnlyMissionsOfThePlanItCountsUnder() {
    leases.adopt(grant("extract", true), PLAN);
    leases.settle("m1", List.of(ended("extract")), T0);

    SlotLeases.Settled otherPlan = leases.settle("m2", List.of(ready("load", "bq", "report")), T0);
    assertThat(described(otherPlan.toAdmission())).containsExactly("request bq m2/load");
    assertThat(otherPlan.handedOn()).isEmpty();

    assertThat(stages(leases.settle("m3", List.of(ready("extract", "bq")), T0).handedOn()))
        .containsExactly("bq m3/extract");
    leases.settle("m3", List.of(ended("extract")), T0);
    assertThat(leases.settle("m4", List.of(ready("load", "bq", "report")), T0).handedOn()).isEmpty();
    assertThat(stages(leases.settle("m5", List.of(ready("extract", "bq")), T0).handedOn()))
        .containsExactly("bq m5/extract");
  }

  /** A cap of 0 holds everything: a stage asks the admission, which holds it, whatever slot is free here. */
  @Test
  void noSlotIsHandedOnWhileItsComponentsCapIsZero() {
    SlotLeases capZero = new SlotLeases(table, () -> wallClock.toEpochMilli(), "bq"::equals);
    capZero.adopt(grant("extract", true), PLAN);

    SlotLeases.Settled freedHere = capZero.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);
    assertThat(described(freedHere.toAdmission())).containsExactly("request bq m1/transform");
    assertThat(freedHere.handedOn()).isEmpty();
    SlotLeases.Settled idleHere = capZero.settle("m2", List.of(ready("extract", "bq")), T0);
    assertThat(described(idleHere.toAdmission())).containsExactly("request bq m2/extract");
    assertThat(idleHere.handedOn()).isEmpty();

    assertThat(described(capZero.expire(T0.plus(SlotLeases.IDLE)))).containsExactly("release bq m1/extract");
  }

  @Test
  void aRequestOfAnotherComponentDoesNotTakeTheSlot() {
    leases.adopt(grant("extract", true), PLAN);

    SlotLeases.Settled settled = leases.settle("m1", List.of(ended("extract"), ready("mail", "smtp")), T0);

    assertThat(described(settled.toAdmission())).containsExactly("request smtp m1/mail");
    assertThat(settled.handedOn()).isEmpty();
  }

  @Test
  void aReclaimedSlotGoesBackWhenItsHolderEndsAndTheNextStageAsksTheAdmission() {
    leases.adopt(grant("extract", true), PLAN);
    leases.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);

    assertThat(leases.reclaim(reclaim("extract"), T0)).as("held: it goes back when its holder ends").isEmpty();
    SlotLeases.Settled settled = leases.settle("m1", List.of(ended("transform"), ready("load", "bq")), T0);

    assertThat(described(settled.toAdmission())).containsExactly("release bq m1/extract", "request bq m1/load");
    assertThat(settled.handedOn()).isEmpty();
    assertThat(table.size()).isZero();
  }

  @Test
  void aReclaimedIdleSlotGoesBackAtOnce() {
    leases.adopt(grant("extract", true), PLAN);
    leases.settle("m1", List.of(ended("extract")), T0);

    assertThat(leases.reclaim(reclaim("extract"), T0).map(r -> described(List.of(r))))
        .contains(List.of("release bq m1/extract"));
    assertThat(leases.settle("m2", List.of(ready("extract", "bq")), T0).handedOn()).isEmpty();
    assertThat(leases.expire(T0.plus(SlotLeases.IDLE))).isEmpty();
  }

  @Test
  void slotsNotLeasedAndQueuedRequestsGoToTheAdmissionAsDecided() {
    SlotLeases.Settled settled = leases.settle("m1", List.of(ended("extract"),
        new Effect.ReleaseSlot("bq", "other", 1, "skipped", true), ready("transform", "bq")), T0);

    assertThat(described(settled.toAdmission()))
        .containsExactly("release bq m1/extract", "release bq m1/other", "request bq m1/transform");
    assertThat(((ReleaseSlot) settled.toAdmission().get(1).getAction()).getQueued()).isTrue();
  }

  /**
   * A grant read again after its attempt ended (at-least-once) has the mission release the attempt
   * again. Its slot, handed on or idle here, goes back when its last holder ends, not then.
   */
  @Test
  void aRepeatedReleaseOfAnAttemptWhoseSlotStayedHereSendsNothing() {
    leases.adopt(grant("extract", true), PLAN);
    leases.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);

    assertThat(leases.settle("m1", List.of(ended("extract")), T0).toAdmission()).as("held by transform").isEmpty();
    leases.settle("m1", List.of(ended("transform")), T0);
    assertThat(leases.settle("m1", List.of(ended("extract")), T0).toAdmission()).as("idle").isEmpty();
    assertThat(described(leases.expire(T0.plus(SlotLeases.IDLE)))).containsExactly("release bq m1/extract");
  }

  @Test
  void anAttemptHandedASlotThatEndsBeforeItRanGivesTheSlotBackWithoutACancel() {
    leases.adopt(grant("extract", true), PLAN);
    leases.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);
    leases.settle("m1", List.of(new Effect.ReleaseSlot("bq", "transform", 1, "failed", true)), T0);

    List<AdmissionRequest> released = leases.expire(T0.plus(SlotLeases.IDLE));

    assertThat(described(released)).containsExactly("release bq m1/extract");
    assertThat(((ReleaseSlot) released.get(0).getAction()).getQueued())
        .as("the mission dispatched it itself: no CANCEL from the admission").isFalse();
  }

  @Test
  void aSlotFromTheIdlePoolIsNeverStampedBeforeTheEndThatFreedIt() {
    leases.adopt(grant("extract", true), PLAN);
    leases.settle("m1", List.of(ended("extract")), T0.plusMillis(50));

    SlotLeases.Settled earlier = leases.settle("m2", List.of(ready("extract", "bq")), T0.plusMillis(10));
    assertThat(earlier.handedOn().get(0).grant().getGrantedAt()).isEqualTo(T0.plusMillis(50));
    leases.settle("m2", List.of(ended("extract")), T0.plusMillis(70));

    assertThat(leases.reclaim(reclaim("extract"), T0.plusMillis(20)).orElseThrow().getAt())
        .as("given back on a reclaim stamped before the slot became idle").isEqualTo(T0.plusMillis(70));
  }

  @Test
  void aMissionIdHoldingTheKeySeparatorIsReleasedUnderItsWholeName() {
    String odd = "m\u00001";
    leases.adopt(new SlotGrant(odd, "extract", 2, "bq", T0, 1, 10, true, true, false), PLAN);
    leases.settle(odd, List.of(new Effect.ReleaseSlot("bq", "extract", 2, "finished", false)), T0);

    AdmissionRequest release = leases.expire(T0.plus(SlotLeases.IDLE)).get(0);

    assertThat(release.getMissionId()).isEqualTo(odd);
    assertThat(release.getStage()).isEqualTo("extract");
    assertThat(release.getAttempt()).isEqualTo(2);
  }

  @Test
  void aReclaimOfASlotNoLongerHereChangesNothing() {
    assertThat(leases.reclaim(reclaim("extract"), T0)).isEmpty();

    assertThat(table.size()).isZero();
  }

  @Test
  void anIdleSlotThatCannotBeReadLeavesEveryOtherAsItWasForTheNextTick() {
    leases.adopt(grant("extract", true), PLAN);
    leases.settle("m1", List.of(ended("extract")), T0);
    table.put("slot\u0000bq\u0000unreadable", "Inot a time");
    int before = table.size();
    SlotLeases restarted = readFromTable();

    assertThatThrownBy(() -> restarted.expire(T0.plus(SlotLeases.IDLE))).isInstanceOf(NumberFormatException.class);

    assertThat(table.size()).as("nothing deleted").isEqualTo(before);
    table.delete("slot\u0000bq\u0000unreadable");
    assertThat(described(readFromTable().expire(T0.plus(SlotLeases.IDLE))))
        .containsExactly("release bq m1/extract");
  }

  @Test
  void aSlotReleasedTwiceInOneDecisionIsHandedOnOnce() {
    leases.adopt(grant("extract", true), PLAN);

    SlotLeases.Settled settled = leases.settle("m1",
        List.of(ended("extract"), ended("extract"), ready("transform", "bq"), ready("load", "bq")), T0);

    assertThat(stages(settled.handedOn())).containsExactly("bq m1/transform");
    assertThat(described(settled.toAdmission())).containsExactly("request bq m1/load");
  }

  @Test
  void aReclaimedSlotReleasedTwiceInOneDecisionGoesBackOnce() {
    leases.adopt(grant("extract", true), PLAN);
    leases.reclaim(reclaim("extract"), T0);

    SlotLeases.Settled settled =
        leases.settle("m1", List.of(ended("extract"), ended("extract"), ready("load", "bq")), T0);

    assertThat(described(settled.toAdmission())).containsExactly("release bq m1/extract", "request bq m1/load");
    assertThat(table.size()).isZero();
  }

  @Test
  void aHandOnIsOneWrite() {
    int[] writes = {0};
    SlotLeases counted = new SlotLeases(new CountingTable(table, writes), () -> wallClock.toEpochMilli(), c -> false);
    counted.adopt(grant("extract", true), PLAN);
    writes[0] = 0;

    counted.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);
    assertThat(writes[0]).as("handed on").isEqualTo(1);
    counted.settle("m1", List.of(ended("transform")), T0);
    assertThat(writes[0]).as("then idle").isEqualTo(2);
    counted.settle("m2", List.of(ready("extract", "bq")), T0);
    assertThat(writes[0]).as("then taken from the idle pool").isEqualTo(3);
  }

  @Test
  void leasesKeptInTheEarlierThreeKeyLayoutAreTakenOverOnTheFirstInput() {
    String held = "bq\u0000m1\u0000extract\u00001";
    String reclaimed = "bq\u0000m2\u0000extract\u00001";
    String idle = "bq\u0000m3\u0000extract\u00001";
    table.put("held\u0000" + held, held);
    table.put("lease\u0000" + held, held);
    table.put("held\u0000" + reclaimed, reclaimed);
    table.put("lease\u0000" + idle, "");
    table.put("idle\u0000bq\u0000" + idle, T0.toEpochMilli() + " " + T0.toEpochMilli());
    SlotLeases restarted = readFromTable();

    assertThat(described(restarted.expire(T0.plus(SlotLeases.IDLE)))).containsExactly("release bq m3/extract");
    assertThat(table.range("held", "lease\u0001")).isEmpty();
    assertThat(described(restarted.settle("m2", List.of(ended("extract")), T0).toAdmission()))
        .containsExactly("release bq m2/extract");
    SlotLeases.Settled notHandedOn = restarted.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);
    assertThat(described(notHandedOn.toAdmission())).as("kept without its plan: it goes back")
        .containsExactly("release bq m1/extract", "request bq m1/transform");
    assertThat(notHandedOn.handedOn()).isEmpty();
    assertThat(table.size()).isZero();
  }

  /**
   * Slots kept before their plan was: the plan the admission counts such a slot under is unknown,
   * so it is never handed on; a held one goes back when its holder ends, an idle one once expired.
   */
  @Test
  void slotsKeptWithoutTheirPlanGoBackInsteadOfBeingHandedOn() {
    String held = "bq\u0000m1\u0000extract\u00001";
    String idle = "bq\u0000m2\u0000extract\u00001";
    table.put("slot\u0000" + held, "H" + held);
    table.put("slot\u0000" + idle, "I" + T0.toEpochMilli() + " " + T0.toEpochMilli());
    SlotLeases restarted = readFromTable();

    SlotLeases.Settled settled = restarted.settle("m1", List.of(ended("extract"), ready("transform", "bq")), T0);

    assertThat(described(settled.toAdmission())).containsExactly("release bq m1/extract", "request bq m1/transform");
    assertThat(settled.handedOn()).isEmpty();
    assertThat(described(restarted.expire(T0.plus(SlotLeases.IDLE)))).containsExactly("release bq m2/extract");
    assertThat(table.size()).isZero();
  }

  /**
   * Random histories of one partition (grants adopted, attempts ending, attempts asking, reclaims,
   * expiry at random times): every leased slot goes back to the admission exactly once in the end,
   * whatever order its keys were written and deleted in.
   */
  @Test
  void everyLeasedSlotGoesBackExactlyOnceWhateverTheHistory() {
    for (long seed = 0; seed < 300; seed++) {
      assertEverySlotGoesBackOnce(new Random(seed));
    }
  }

  private static void assertEverySlotGoesBackOnce(Random random) {
    long[] clock = {T0.toEpochMilli()};
    InMemoryTable<String> stored = new InMemoryTable<>();
    SlotLeases slots = new SlotLeases(stored, () -> clock[0], c -> false);
    List<String> leased = new ArrayList<>();
    List<String> holders = new ArrayList<>();
    List<String> released = new ArrayList<>();
    int missions = 0;
    for (int step = 0; step < 300; step++) {
      clock[0] += random.nextInt(200);
      Instant now = Instant.ofEpochMilli(clock[0]);
      int choice = random.nextInt(6);
      if (choice == 5) {
        // A restart, or the partition moving: what is kept is the table alone.
        slots = new SlotLeases(stored, () -> clock[0], c -> false);
      } else if (choice == 0 || holders.isEmpty()) {
        String mission = "e-" + missions++;
        slots.adopt(new SlotGrant(mission, "extract", 1, "bq", now, 1, 100, true, true, false), plan(random));
        leased.add(mission);
        holders.add(mission);
      } else if (choice == 1) {
        String holder = holders.remove(random.nextInt(holders.size()));
        slots.settle(holder, List.of(ended("extract")), now).toAdmission().forEach(r -> released.add(r.getMissionId()));
      } else if (choice == 2) {
        String mission = "e-" + missions++;
        SlotLeases.Settled settled = slots.settle(mission, List.of(ready("extract", "bq", plan(random))), now);
        if (!settled.handedOn().isEmpty()) {
          holders.add(mission);
        }
      } else if (choice == 3) {
        String slot = leased.get(random.nextInt(leased.size()));
        slots.reclaim(new SlotGrant(slot, "extract", 1, "bq", now, 1, 100, false, false, true), now)
            .ifPresent(r -> released.add(r.getMissionId()));
      } else {
        slots.expire(now).forEach(r -> released.add(r.getMissionId()));
      }
    }
    for (String holder : holders) {
      slots.settle(holder, List.of(ended("extract")), T0).toAdmission().forEach(r -> released.add(r.getMissionId()));
    }
    slots.expire(Instant.ofEpochMilli(clock[0]).plus(SlotLeases.IDLE)).forEach(r -> released.add(r.getMissionId()));

    assertThat(released).as("slots given back").containsExactlyInAnyOrderElementsOf(leased);
  }

  private static String plan(Random random) {
    return random.nextBoolean() ? PLAN : "report";
  }

  /** A table that counts its writes, puts and deletes alike: each is a changelog record. */
  private record CountingTable(InMemoryTable<String> table, int[] writes) implements SortedTable<String> {
    @Override
    public String get(String key) {
      return table.get(key);
    }

    @Override
    public void put(String key, String value) {
      writes[0]++;
      table.put(key, value);
    }

    @Override
    public void delete(String key) {
      writes[0]++;
      table.delete(key);
    }

    @Override
    public Map.Entry<String, String> first(String from, String to) {
      return table.first(from, to);
    }

    @Override
    public List<Map.Entry<String, String>> range(String from, String to) {
      return table.range(from, to);
    }
  }
}
