package io.groundcontrol.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ChaosRunArgsTest {
  private static final Coordinators TWO = Coordinators.of(2, 1);

  @Test
  void theCoordinatorUnderTestGetsEachOverrideAsASetInOrder() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("enable.transactional.statestores", "true");
    overrides.put("poll.ms", "1");

    assertThat(CoordinatorGroup.args("127.0.0.1:9092", 1, Coordinators.single(), Path.of("/tmp/state"), 8123, overrides))
        .startsWith("coordinator", "--bootstrap-servers", "127.0.0.1:9092")
        .containsSequence("--state-dir", "/tmp/state")
        .endsWith("--set", "enable.transactional.statestores=true", "--set", "poll.ms=1");
  }

  @Test
  void withoutOverridesTheCoordinatorRunsOnItsDefaultsButItsClientId() {
    assertThat(CoordinatorGroup.args("127.0.0.1:9092", 1, Coordinators.single(), Path.of("/tmp/state"), 8123, Map.of()))
        .containsOnlyOnce("--set").endsWith("--set", "client.id=chaos-coordinator-1");
  }

  @Test
  void eachInstanceHasItsOwnPortAndClientIdAndTheRunsPartitionsAndStandbys() {
    assertThat(CoordinatorGroup.args("127.0.0.1:9092", 2, TWO, Path.of("/tmp/state-2"), 8124, Map.of()))
        .containsSequence("--application-id", "chaos-coordinator")
        .containsSequence("--partitions", "4")
        .containsSequence("--standby-replicas", "1")
        .containsSequence("--api-port", "8124")
        .containsSequence("--advertised-host", "127.0.0.1")
        .containsSequence("--set", "client.id=chaos-coordinator-2");
  }

  @Test
  void aStreamThreadsConsumerIsTiedToItsInstanceByItsClientId() {
    assertThat(CoordinatorGroup.instanceOf("chaos-coordinator-2-schemas-dbf27251-StreamThread-1-consumer")).contains(2);
    assertThat(CoordinatorGroup.instanceOf("chaos-coordinator-12-StreamThread-3-consumer")).contains(12);
    assertThat(CoordinatorGroup.instanceOf("chaos-coordinator-1234-5678-schemas-dbf27251-StreamThread-1-consumer"))
        .isEmpty();
    assertThat(CoordinatorGroup.instanceOf("other-1-StreamThread-1-consumer")).isEmpty();
  }

  @Test
  void theFaultStrikesTheInstanceOwningTheMostMissionPartitionsTheFirstAmongEquals() {
    assertThat(new CoordinatorGroup.Assignment(Map.of(1, Set.of(0), 2, Set.of(1, 2), 3, Set.of(3))).busiest())
        .isEqualTo(2);
    assertThat(new CoordinatorGroup.Assignment(Map.of(1, Set.of(0, 3), 2, Set.of(1, 2))).busiest()).isEqualTo(1);
  }

  @Test
  void aMissionsPartitionIsTheOneKafkasPartitionerPicksForItsId() {
    for (String id : new String[] {"chaos-0", "chaos-17", "chaos-999"}) {
      assertThat(ChaosRun.partitionOf(id, 6))
          .isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), 6));
    }
  }

  @Test
  void partitionsDefaultToThreeForOneCoordinatorAndTwoEachForMore() {
    assertThat(Coordinators.single()).isEqualTo(new Coordinators(1, 3, 0));
    assertThat(Coordinators.of(1, 0).partitions()).isEqualTo(3);
    assertThat(Coordinators.of(2, 0).partitions()).isEqualTo(4);
    assertThat(Coordinators.of(3, 2).partitions()).isEqualTo(6);
  }

  @Test
  void coordinatorSettingsThatCannotWorkAreRefusedSayingWhy() {
    assertThatThrownBy(() -> new Coordinators(0, 3, 0)).hasMessage("coordinators must be at least 1, but was 0");
    assertThatThrownBy(() -> new Coordinators(3, 2, 0))
        .hasMessage("partitions must be at least the 3 coordinators, or some get no missions, but was 2");
    assertThatThrownBy(() -> new Coordinators(2, 4, 2)).hasMessage(
        "standby replicas must be 0 to 1 with 2 coordinators (each copy lives on another instance), but was 2");
    assertThatThrownBy(() -> new Coordinators(1, 3, 1)).hasMessageStartingWith("standby replicas must be 0 to 0 with 1 coordinator ");
  }

  @Test
  void losingACoordinatorForGoodNeedsASecondOne() {
    assertThat(Fault.of("Coordinator-Lost")).isEqualTo(Fault.COORDINATOR_LOST);
    assertThatThrownBy(() -> settings(Fault.COORDINATOR_LOST, Coordinators.single()))
        .hasMessage("fault coordinator-lost needs at least 2 coordinators, but the run has 1");
    assertThat(settings(Fault.COORDINATOR_LOST, TWO).coordinators()).isEqualTo(TWO);
  }

  @Test
  void anUnknownFaultIsRefusedNamingEveryKnownOne() {
    assertThatThrownBy(() -> Fault.of("coordinator")).hasMessage("Expected a fault among none, coordinator-same-dir, "
        + "coordinator-fresh-dir, coordinator-lost, worker, broker, but got 'coordinator'");
  }

  @Test
  void theSettingsKeepTheirOwnCopyOfTheOverrides() {
    Map<String, String> overrides = new LinkedHashMap<>(Map.of("poll.ms", "1"));
    ChaosSettings settings = new ChaosSettings(Fault.NONE, Coordinators.single(), 1, 0, 1, 0.3, Duration.ofMinutes(1),
        false, overrides, line -> { });
    overrides.put("poll.ms", "2");

    assertThat(settings.coordinatorOverrides()).containsExactly(Map.entry("poll.ms", "1"));
  }

  private static ChaosSettings settings(Fault fault, Coordinators coordinators) {
    return new ChaosSettings(fault, coordinators, 1, 0, 1, 0.3, Duration.ofMinutes(1), false, Map.of(), line -> { });
  }
}
