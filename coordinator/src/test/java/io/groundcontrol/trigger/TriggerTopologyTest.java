package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StartDeduplicated;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event triggers in the whole coordinator topology. */
class TriggerTopologyTest {
  private static final Instant T0 = TriggerDriver.T0;
  private static final String FILE = """
      triggers:
        - name: rescore
          topic: exports
          when:
            status: done
            rows: { gt: 0 }
          plan: score
          params:
            customer: ${event.customer_id}
            note: "export ${event.export_id} of ${event.customer_id}"
          key: ${event.export_id}
      """;

  @TempDir Path stateDir;
  private TriggerDriver coordinator;
  private int runs;
  private TestInputTopic<String, String> exports;
  private TestOutputTopic<String, MissionEvent> events;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void setUp() {
    use(FILE);
  }

  /** Replaces the coordinator with one that applies {@code file}'s triggers. */
  private void use(String file) {
    if (coordinator != null) {
      coordinator.close();
    }
    coordinator = new TriggerDriver(stateDir.resolve("run-" + ++runs), file,
        TestPlan.named("score").param("customer", null).param("note", "\"\"").stage("a", "ml").build());
    exports = coordinator.exports;
    events = coordinator.events;
    deadLetters = coordinator.deadLetters;
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private void export(String json) {
    exports.pipeInput(null, json, T0.plusSeconds(1));
  }

  @Test
  void anEventMeetingTheConditionsStartsAMissionWithParamsFromTheEvent() {
    export("{\"status\":\"done\",\"rows\":5,\"customer_id\":42,\"export_id\":\"e-1\"}");

    List<MissionEvent> log = events.readValuesToList();
    assertThat(log).first().satisfies(e -> {
      assertThat(e.getMissionId()).isEqualTo(MissionIds.forTrigger("rescore", "e-1")).isEqualTo("t.rescore.e-1");
      assertThat(((MissionStarted) e.getEvent()).getParams())
          .containsEntry("customer", "42").containsEntry("note", "\"export e-1 of 42\"");
      assertThat(e.getCause().getActor().getId()).isEqualTo("trigger:rescore");
    });
  }

  @Test
  void anEventStartsItsMissionAtTheTriggersPriority() {
    use(FILE + "    priority: 8\n");
    export("{\"status\":\"done\",\"rows\":5,\"customer_id\":42,\"export_id\":\"e-1\"}");

    assertThat(events.readValuesToList()).first().satisfies(e ->
        assertThat(((MissionStarted) e.getEvent()).getPriority()).isEqualTo(8));
  }

  @Test
  void aRepeatedKeyStartsNothingNew() {
    export("{\"status\":\"done\",\"rows\":5,\"customer_id\":42,\"export_id\":\"e-1\"}");
    export("{\"status\":\"done\",\"rows\":7,\"customer_id\":42,\"export_id\":\"e-1\"}");

    List<MissionEvent> log = events.readValuesToList();
    assertThat(log).filteredOn(e -> e.getEvent() instanceof MissionStarted).hasSize(1);
    assertThat(log).filteredOn(e -> e.getEvent() instanceof StartDeduplicated).hasSize(1);
  }

  @Test
  void anEventNotMeetingTheConditionsIsIgnored() {
    export("{\"status\":\"running\",\"rows\":5,\"customer_id\":42,\"export_id\":\"e-1\"}");
    export("{\"status\":\"done\",\"rows\":0,\"customer_id\":42,\"export_id\":\"e-2\"}");

    assertThat(events.readValuesToList()).isEmpty();
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void malformedEventsAreDeadLetteredWithTheReasonAndTheRestKeepsFlowing() {
    export("not json");
    export("{\"status\":\"done\",\"rows\":5,\"customer_id\":42}");
    export("[1,2]");
    export("{\"status\":\"done\",\"rows\":5,\"customer_id\":42,\"export_id\":\"e-3\"}");

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).extracting(r -> new String(r.headers().lastHeader(TriggerProcessor.HEADER_MESSAGE).value(),
        StandardCharsets.UTF_8)).containsExactly(
            "Expected a JSON object, but the value is not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            "trigger 'rescore': Expected field 'export_id' in the event, but it is missing or null",
            "Expected a JSON object, but got array");
    assertThat(dead).allSatisfy(r -> {
      assertThat(new String(r.headers().lastHeader(TriggerProcessor.HEADER_TOPIC).value(), StandardCharsets.UTF_8))
          .isEqualTo("exports");
      assertThat(r.headers().lastHeader(TriggerProcessor.HEADER_OFFSET)).isNotNull();
    });
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json");
    assertThat(events.readValuesToList()).extracting(MissionEvent::getMissionId).contains("t.rescore.e-3");
  }

  @Test
  void anObjectOrListInAKeyOrTextIsItsJsonTextSoDifferentValuesStartDifferentMissions() {
    use("""
        triggers:
          - name: sync
            topic: exports
            plan: score
            params:
              customer: ${event.source}
              note: "from ${event.source} and ${event.tables}"
            key: src-${event.source}
        """);

    export("{\"source\":{\"db\":\"a\"},\"tables\":[\"t1\"]}");
    export("{\"source\":{\"db\":\"b\"},\"tables\":[]}");

    List<MissionEvent> log = events.readValuesToList();
    assertThat(log).filteredOn(e -> e.getEvent() instanceof StartDeduplicated).isEmpty();
    assertThat(log).filteredOn(e -> e.getEvent() instanceof MissionStarted).extracting(MissionEvent::getMissionId)
        .containsExactly(MissionIds.forTrigger("sync", "src-{\"db\":\"a\"}"),
            MissionIds.forTrigger("sync", "src-{\"db\":\"b\"}"));
    assertThat(log).filteredOn(e -> e.getEvent() instanceof MissionStarted)
        .extracting(e -> ((MissionStarted) e.getEvent()).getParams().get("note"))
        .containsExactly("\"from {\\\"db\\\":\\\"a\\\"} and [\\\"t1\\\"]\"",
            "\"from {\\\"db\\\":\\\"b\\\"} and []\"");
  }

  @Test
  void referencesInsideObjectsAndListsAreRenderedAtAnyDepth() {
    use("""
        triggers:
          - name: daily
            topic: exports
            plan: score
            params:
              customer: { cfg: { day: "${event.day}", rows: "${event.rows}" }, tags: [ "day ${event.day}", 1 ] }
            key: ${event.day}
        """);

    export("{\"day\":\"2026-11-22\",\"rows\":5}");

    assertThat(events.readValuesToList()).first().satisfies(e -> assertThat(((MissionStarted) e.getEvent()).getParams())
        .containsEntry("customer", "{\"cfg\":{\"day\":\"2026-11-22\",\"rows\":5},\"tags\":[\"day 2026-11-22\",1]}"));
  }

  @Test
  void numbersFromTheEventKeepEveryDigit() {
    use("""
        triggers:
          - name: ticks
            topic: exports
            plan: score
            params:
              customer: { ts: "${event.ts}", huge: "${event.huge}", one: "${event.one}", rate: 0.12345678901234567890 }
              note: "at ${event.ts}"
            key: ${event.ts}
        """);

    export("{\"ts\":1732000000.123456789,\"huge\":1e400,\"one\":1.0}");
    export("{\"ts\":1732000000.1234567891,\"huge\":1e400,\"one\":1.0}");

    List<MissionEvent> started = events.readValuesToList().stream()
        .filter(e -> e.getEvent() instanceof MissionStarted).toList();
    assertThat(started).extracting(MissionEvent::getMissionId).as("two timestamps, two keys").doesNotHaveDuplicates()
        .hasSize(2);
    assertThat(((MissionStarted) started.get(0).getEvent()).getParams())
        .containsEntry("customer", "{\"ts\":1732000000.123456789,\"huge\":1E+400,\"one\":1.0,"
            + "\"rate\":0.12345678901234567890}")
        .containsEntry("note", "\"at 1732000000.123456789\"");
  }
}
