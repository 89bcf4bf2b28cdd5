package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.admission.InMemoryTable;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatch;
import io.groundcontrol.schema.TriggerBatchState;
import io.groundcontrol.schema.TriggerMatch;
import io.groundcontrol.schema.wire.AvroCodec;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** The gate's read positions: matches of records read again under at-least-once, without Kafka. */
class TriggerGateReadAgainTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Trigger BATCHED = Trigger.newBuilder().setName("exports").setTopic("warehouse.exports")
      .setPlan("score").setBatch(new TriggerBatch(3, null, "exports")).build();
  private static final Trigger HOURLY = Trigger.newBuilder().setName("hourly").setTopic("warehouse.exports")
      .setPlan("score").setDedupWindowMs(Duration.ofHours(1).toMillis()).build();

  private final InMemoryTable<Long> marks = new InMemoryTable<>();
  private final TriggerGate gate = new TriggerGate(marks, new InMemoryTable<TriggerBatchState>(), true);

  private static TriggerMatch match(Trigger trigger, String key, Instant at, Integer partition, Long offset) {
    return new TriggerMatch(trigger.getName(), "score", key, Map.of(), at,
        offset == null ? null : "warehouse.exports", partition, offset, 0);
  }

  private List<String> take(TriggerGate on, Trigger trigger, String key, Instant at, Integer partition, Long offset) {
    return on.onMatch(trigger, match(trigger, key, at, partition, offset)).stream()
        .map(TriggerGate.Start::missionId).toList();
  }

  private List<String> take(Trigger trigger, String key, Instant at, long offset) {
    return take(gate, trigger, key, at, 0, offset);
  }

  @Test
  void theEventsOfAClosedBatchReadAgainOpenNoSecondBatch() {
    take(BATCHED, "a", T0, 10);
    take(BATCHED, "b", T0, 11);
    assertThat(take(BATCHED, "c", T0, 12)).containsExactly("t.exports.batch.1");

    assertThat(take(BATCHED, "a", T0, 10)).isEmpty();
    assertThat(take(BATCHED, "b", T0, 11)).isEmpty();
    assertThat(take(BATCHED, "c", T0, 12)).isEmpty();
    take(BATCHED, "a", T0, 13);
    take(BATCHED, "b", T0, 14);
    assertThat(take(BATCHED, "c", T0, 15)).as("the same keys in new records").containsExactly("t.exports.batch.2");
  }

  @Test
  void aRecordReadAgainAfterItsMarkWentStartsNothingAndANewerRecordOfTheKeyStillDoes() {
    assertThat(take(HOURLY, "a", T0, 0)).hasSize(1);
    marks.delete("hourly\u0000k\u0000a");

    assertThat(take(HOURLY, "a", T0, 0)).isEmpty();
    assertThat(take(HOURLY, "a", T0.plusSeconds(1), 1)).containsExactly("t.hourly.a.20261201T100001000Z");
  }

  @Test
  void eachSourcePartitionAndEachTriggerKeepsItsOwnPosition() {
    take(HOURLY, "a", T0, 50);

    assertThat(take(gate, HOURLY, "b", T0, 1, 3L)).as("partition 1 read to nothing yet").hasSize(1);
    Trigger other = Trigger.newBuilder(HOURLY).setName("other").build();
    assertThat(take(other, "a", T0, 50)).as("the same record, another trigger").hasSize(1);
  }

  @Test
  void aTopicCreatedAgainIsReadFromOffsetZeroAsNewRecordsSinceTheyAreNewerThanAnyRead() {
    take(BATCHED, "a", T0, 500);
    take(BATCHED, "b", T0.plusSeconds(5), 501);
    take(BATCHED, "c", T0.plusSeconds(1), 502);

    assertThat(take(BATCHED, "a", T0.plusSeconds(6), 0)).isEmpty();
    take(BATCHED, "b", T0.plusSeconds(6), 1);
    assertThat(take(BATCHED, "c", T0.plusSeconds(6), 2)).containsExactly("t.exports.batch.2");
    assertThat(take(BATCHED, "a", T0.plusSeconds(5), 0)).as("offset 0 again, as old as the newest read").isEmpty();
  }

  @Test
  void matchesWrittenWithoutTheirSourceAreTakenAsBeforeAndLeaveNoPosition() {
    for (int round = 1; round <= 2; round++) {
      take(gate, BATCHED, "a", T0, null, null);
      take(gate, BATCHED, "b", T0, null, null);
      assertThat(take(gate, BATCHED, "c", T0, null, null)).containsExactly("t.exports.batch." + round);
    }
    assertThat(marks.range("", "\uffff")).extracting(Map.Entry::getKey).containsExactly("exports\u0000n");
  }

  @Test
  void aMatchThePreviousVersionWroteDecodesWithoutItsSource() throws Exception {
    Schema v1;
    try (InputStream in = getClass().getResourceAsStream("/io/groundcontrol/schema/history/TriggerMatch-v1.avsc")) {
      v1 = new Schema.Parser().parse(in);
    }
    GenericRecord written = new GenericData.Record(v1);
    written.put("trigger", "exports");
    written.put("plan", "score");
    written.put("key", "a");
    written.put("params", Map.of());
    written.put("at", T0.toEpochMilli());

    TriggerMatch read = AvroCodec.of(TriggerMatch.class)
        .decode(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(written).array());

    assertThat(read.getSourceOffset()).isNull();
    assertThat(gate.onMatch(BATCHED, read)).isEmpty();
    assertThat(gate.onMatch(BATCHED, read)).as("the same key in the open batch").isEmpty();
  }

  @Test
  void underExactlyOnceEveryMatchIsTakenAndNoPositionKept() {
    InMemoryTable<Long> exactlyOnceMarks = new InMemoryTable<>();
    TriggerGate exactlyOnce = new TriggerGate(exactlyOnceMarks, new InMemoryTable<>());
    for (int round = 1; round <= 2; round++) {
      take(exactlyOnce, BATCHED, "a", T0, 0, 10L);
      take(exactlyOnce, BATCHED, "b", T0, 0, 11L);
      assertThat(take(exactlyOnce, BATCHED, "c", T0, 0, 12L)).containsExactly("t.exports.batch." + round);
    }
    assertThat(exactlyOnceMarks.range("", "\uffff")).extracting(Map.Entry::getKey).containsExactly("exports\u0000n");
  }

  @Test
  void positionsGoWithTheirTriggerOnly() {
    take(HOURLY, "a", T0, 7);
    List<String> positions = marks.range("", "\uffff").stream().map(Map.Entry::getKey)
        .filter(key -> !key.startsWith("hourly\u0000k")).toList();
    assertThat(positions).containsExactlyInAnyOrder(
        "hourly\u0000o\u0000warehouse.exports\u00000", "hourly\u0000t\u0000warehouse.exports\u00000");

    Instant muchLater = T0.plus(Duration.ofDays(400));
    for (String key : positions) {
      assertThat(TriggerGate.deadMark(key, 7L, name -> HOURLY, muchLater)).as(key).isFalse();
      assertThat(TriggerGate.deadMark(key, 7L, name -> null, T0)).as(key + ", trigger removed").isTrue();
    }
  }
}
