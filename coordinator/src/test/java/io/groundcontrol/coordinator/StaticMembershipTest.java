package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticMembershipTest {
  @TempDir Path stateDir;

  @Test
  void anInstanceKeepsItsIdAcrossRestartsOnItsStateDir() {
    Properties first = new Properties();
    StaticMembership.apply(first, stateDir, "gc");
    Properties restarted = new Properties();
    StaticMembership.apply(restarted, stateDir, "gc");

    assertThat(first.getProperty(StaticMembership.INSTANCE_ID_CONFIG)).startsWith("gc-");
    assertThat(restarted.getProperty(StaticMembership.INSTANCE_ID_CONFIG))
        .isEqualTo(first.getProperty(StaticMembership.INSTANCE_ID_CONFIG));
    assertThat(stateDir.resolve("gc.instance-id")).exists();
  }

  @Test
  void anotherStateDirOrApplicationIsAnotherInstance(@TempDir Path otherDir) {
    String id = StaticMembership.instanceId(stateDir, "gc");

    assertThat(StaticMembership.instanceId(otherDir, "gc")).isNotEqualTo(id);
    assertThat(StaticMembership.instanceId(stateDir, "other-app")).startsWith("other-app-").isNotEqualTo(id);
  }

  @Test
  void aDamagedIdFileIsReplaced() throws Exception {
    Files.createDirectories(stateDir);
    Files.writeString(stateDir.resolve("gc.instance-id"), "not an id: spaces and colons\n");

    String id = StaticMembership.instanceId(stateDir, "gc");

    assertThat(id).startsWith("gc-");
    assertThat(Files.readString(stateDir.resolve("gc.instance-id")).strip()).isEqualTo(id);
  }

  @Test
  void aUsersOwnInstanceIdWins() {
    for (String key : new String[] {"group.instance.id", "consumer.group.instance.id", "main.consumer.group.instance.id"}) {
      Properties props = new Properties();
      props.put(key, "pod-7");

      StaticMembership.apply(props, stateDir, "gc");

      assertThat(props).as(key).containsEntry(key, "pod-7").hasSize(1);
    }
  }

  @Test
  void theStreamsProtocolGetsNoInstanceId() {
    Properties props = new Properties();
    props.put("group.protocol", "STREAMS");

    StaticMembership.apply(props, stateDir, "gc");

    assertThat(props).doesNotContainKey(StaticMembership.INSTANCE_ID_CONFIG);
    assertThat(stateDir.resolve("gc.instance-id")).doesNotExist();
  }

  @Test
  void anInstanceIdWithTheStreamsProtocolIsRefusedUpFront() {
    assertThatThrownBy(() -> CoordinatorConfig.checkOverrides(
        Map.of("main.consumer.group.instance.id", "pod-7", "group.protocol", "streams")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group.protocol=classic");
    StaticMembership.check(Map.of("group.instance.id", "pod-7"));
    StaticMembership.check(Map.of("group.protocol", "streams"));
  }
}
