package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RestartBarrierTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final RestartBarrier barrier = new RestartBarrier(3, List.of("commands", "reports"));

  @Test
  void aStartWritesOneBarrierPerInputOnItsOwnPartitionAndNothingMoreWhileItIsOut() {
    List<RestartBarrier.Marker> markers = List.copyOf(barrier.toWrite(T0, false));

    assertThat(markers).extracting(RestartBarrier.Marker::topic).containsExactlyInAnyOrder("commands", "reports");
    assertThat(markers).extracting(RestartBarrier.Marker::partition).containsOnly(3);
    assertThat(markers).extracting(RestartBarrier.Marker::id).doesNotContainNull().containsOnly(markers.get(0).id());
    assertThat(barrier.toWrite(T0.plusSeconds(1), true)).as("one barrier at a time").isEmpty();
  }

  @Test
  void nothingIsReadUpToAnyTimeUntilTheBarrierIsBackOnEveryInput() {
    String id = barrier.toWrite(T0, false).iterator().next().id();
    assertThat(barrier.readUpTo()).isEmpty();

    assertThat(barrier.read("reports", id)).isFalse();
    assertThat(barrier.readUpTo()).isEmpty();
    assertThat(barrier.read("commands", id)).isTrue();
    assertThat(barrier.readUpTo()).hasValue(T0);
  }

  @Test
  void laterBarriersAreWrittenOnlyForTimersDueBeyondWhatWasRead() {
    String first = barrier.toWrite(T0, false).iterator().next().id();
    barrier.read("reports", first);
    barrier.read("commands", first);

    assertThat(barrier.toWrite(T0.plusSeconds(1), false)).isEmpty();
    List<RestartBarrier.Marker> next = List.copyOf(barrier.toWrite(T0.plusSeconds(2), true));
    assertThat(next).hasSize(2).extracting(RestartBarrier.Marker::id).doesNotContain(first);
    next.forEach(marker -> barrier.read(marker.topic(), marker.id()));
    assertThat(barrier.readUpTo()).hasValue(T0.plusSeconds(2));
  }

  @Test
  void aBarrierOfAnotherStartIsIgnored() {
    barrier.toWrite(T0, false);

    assertThat(barrier.read("reports", "an-earlier-start/1")).isFalse();
    assertThat(barrier.read("commands", "an-earlier-start/1")).isFalse();
    assertThat(barrier.readUpTo()).isEmpty();
  }

  @Test
  void aBarrierIsANullValueWithTheHeaderAndNothingElseIs() {
    RestartBarrier.Marker marker = barrier.toWrite(T0, false).iterator().next();

    assertThat(RestartBarrier.barrierId(null, marker.headers())).hasValue(marker.id());
    assertThat(RestartBarrier.barrierId("a value", marker.headers())).isEmpty();
    assertThat(RestartBarrier.barrierId(null, new RecordHeaders())).isEmpty();
  }
}
