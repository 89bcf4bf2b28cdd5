package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RestartBarrierTest {
  private final RestartBarrier barrier = new RestartBarrier(3, List.of("commands", "reports"));

  @Test
  void aStartWritesOneBarrierPerInputOnItsOwnPartitionOnce() {
    List<RestartBarrier.Marker> markers = List.copyOf(barrier.toWrite());

    assertThat(markers).extracting(RestartBarrier.Marker::topic).containsExactlyInAnyOrder("commands", "reports");
    assertThat(markers).extracting(RestartBarrier.Marker::partition).containsOnly(3);
    assertThat(markers).extracting(RestartBarrier.Marker::id).doesNotContainNull().hasSize(2).containsOnly(markers.get(0).id());
    assertThat(barrier.toWrite()).isEmpty();
  }

  @Test
  void timersWaitUntilTheBarrierIsReadBackOnEveryInput() {
    String id = barrier.toWrite().iterator().next().id();
    assertThat(barrier.holdsTimers()).isTrue();

    assertThat(barrier.read("reports", id)).isFalse();
    assertThat(barrier.holdsTimers()).isTrue();
    assertThat(barrier.read("commands", id)).isTrue();
    assertThat(barrier.holdsTimers()).isFalse();
  }

  @Test
  void aBarrierOfAnotherStartIsIgnored() {
    barrier.toWrite();

    assertThat(barrier.read("reports", "an-earlier-start")).isFalse();
    assertThat(barrier.read("commands", "an-earlier-start")).isFalse();
    assertThat(barrier.holdsTimers()).isTrue();
  }

  @Test
  void aBarrierIsANullValueWithTheHeaderAndNothingElseIs() {
    RestartBarrier.Marker marker = barrier.toWrite().iterator().next();

    assertThat(RestartBarrier.barrierId(null, marker.headers())).hasValue(marker.id());
    assertThat(RestartBarrier.barrierId("a value", marker.headers())).isEmpty();
    assertThat(RestartBarrier.barrierId(null, new RecordHeaders())).isEmpty();
  }
}
