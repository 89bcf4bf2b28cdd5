package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.admission.InMemoryTable;
import io.groundcontrol.mission.TextLimits;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatch;
import io.groundcontrol.schema.TriggerBatchState;
import io.groundcontrol.schema.TriggerMatch;
import io.groundcontrol.schema.wire.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A window-only batch (no max_events) stays within one Kafka record, in the store and in its mission's param. */
class TriggerBatchSizeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final InMemoryTable<TriggerBatchState> batches = new InMemoryTable<>();
  private final TriggerGate gate = new TriggerGate(new InMemoryTable<>(), batches);
  // batch: { window: 1h }: a valid schedules-file trigger.
  private final Trigger hourly = Trigger.newBuilder().setName("exports").setTopic("warehouse.exports").setPlan("score")
      .setBatch(new TriggerBatch(null, Duration.ofHours(1).toMillis(), "exports")).build();

  private List<TriggerGate.Start> match(String key, Instant at) {
    return gate.onMatch(hourly, new TriggerMatch("exports", "score", key, Map.of("day", "\"2026-12-01\""), at,
        null, null, null, 0));
  }

  @Test
  void aWindowOnlyBatchClosesBeforeItsKeysOutgrowTheBoundAndLosesNone() throws Exception {
    List<String> sent = new ArrayList<>();
    List<TriggerGate.Start> starts = new ArrayList<>();
    int largestStored = 0;
    // 10 distinct keys of about 1 KB a second, for a minute and a half: the window never passes.
    // A batch holds about 190 of them.
    for (int i = 0; i < 900; i++) {
      String key = UUID.randomUUID() + "-" + "x".repeat(990);
      sent.add(key);
      starts.addAll(match(key, T0.plusMillis(i * 100L)));
      TriggerBatchState open = batches.get("exports");
      if (open != null && i % 50 == 0) {
        largestStored = Math.max(largestStored,
            AvroSerde.of(TriggerBatchState.class).serializer().serialize("t", open).length);
      }
    }

    assertThat(starts).as("closed early, as if max_events were reached").hasSize(4)
        .extracting(TriggerGate.Start::missionId)
        .containsExactly("t.exports.batch.1", "t.exports.batch.2", "t.exports.batch.3", "t.exports.batch.4");
    List<String> batched = new ArrayList<>();
    for (TriggerGate.Start start : starts) {
      assertThat(TextLimits.utf8Length(start.params())).as("the keys with the first event's params")
          .isLessThanOrEqualTo(BatchKeys.MAX_BYTES).isGreaterThan(BatchKeys.MAX_BYTES - 1100);
      JSON.readTree(start.params().get("exports")).forEach(key -> batched.add(key.asText()));
    }
    batched.addAll(batches.get("exports").getKeys());
    assertThat(batched).as("every key once, in order").isEqualTo(sent);
    assertThat(largestStored).isLessThan(BatchKeys.MAX_BYTES + 1024);
  }

  /**
   * A batch closed for size starts a mission whose params, the plan's defaults added, are still
   * within what a start may carry: closed at that bound itself, it would be rejected and its keys lost.
   */
  @Test
  void aBatchClosedForSizeLeavesItsStartRoomForLargeFirstParamsAndThePlansDefaults() {
    Map<String, String> firstParams = Map.of("manifest", "\"" + "m".repeat(100_000) + "\"");
    List<TriggerGate.Start> starts = List.of();
    for (int i = 0; starts.isEmpty() && i < 5_000; i++) {
      starts = gate.onMatch(hourly, new TriggerMatch("exports", "score", UUID.randomUUID().toString(), firstParams, T0,
          null, null, null, 0));
    }
    assertThat(starts).hasSize(1);

    Map<String, String> withDefaults = new HashMap<>(starts.get(0).params());
    withDefaults.put("defaults", "\"" + "d".repeat(60 * 1024) + "\"");
    assertThat(TextLimits.paramsTooLarge(withDefaults, "")).isEmpty();
  }

  @Test
  void keysNeedingEscapesAreMeasuredAsTheParamWritesThem() throws Exception {
    String quoted = "\"\\\u0001é€" + "x".repeat(1000);
    int count = 0;
    List<TriggerGate.Start> starts = List.of();
    while (starts.isEmpty() && count < 1_000) {
      starts = match(quoted + count++, T0);
    }
    assertThat(starts).as("closed within 1,000 keys of 1 KB").hasSize(1);

    long params = TextLimits.utf8Length(starts.get(0).params());
    assertThat(params).isLessThanOrEqualTo(BatchKeys.MAX_BYTES).isGreaterThan(BatchKeys.MAX_BYTES - 2 * 1030);
    assertThat(JSON.readTree(starts.get(0).params().get("exports")).size()).isEqualTo(count - 1);
  }
}
