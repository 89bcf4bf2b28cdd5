package io.groundcontrol.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ReleaseSlot;
import io.groundcontrol.schema.RequestSlot;
import io.groundcontrol.schema.SlotGrant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Leases: granted only far below the cap with nothing waiting, and all reclaimed once that ends. */
class DispatcherLeasesTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String BQ = "bigquery";

  private final InMemoryTable<AdmissionEntry> entries = new InMemoryTable<>();
  private final InMemoryTable<String> queue = new InMemoryTable<>();
  private final InMemoryTable<Long> counts = new InMemoryTable<>();
  private final Dispatcher dispatcher = new Dispatcher(entries, queue, counts, true);
  private ComponentSettings settings = cap(4);
  private Instant clock = T0;

  private static ComponentSettings cap(Integer max) {
    return new ComponentSettings(BQ, max, Map.of());
  }

  private List<SlotGrant> request(String mission) {
    return send(new AdmissionRequest(BQ, mission, "load", 1, clock, new RequestSlot("a", 0, true, Map.of(), null)));
  }

  private List<SlotGrant> release(String mission) {
    return send(new AdmissionRequest(BQ, mission, "load", 1, clock, new ReleaseSlot("finished", false)));
  }

  private List<SlotGrant> send(AdmissionRequest request) {
    clock = clock.plusMillis(1);
    return dispatcher.handle(request, settings, clock).grants();
  }

  private static List<String> described(List<SlotGrant> grants) {
    return grants.stream().map(g -> (g.getReclaim() ? "reclaim " : g.getLease() ? "lease " : "grant ")
        + g.getMissionId()).toList();
  }

  @Test
  void grantsUpToHalfTheCapComeWithALeaseAndTheGrantPastItReclaimsThemAll() {
    assertThat(described(request("m1"))).containsExactly("lease m1");
    assertThat(described(request("m2"))).containsExactly("lease m2");

    assertThat(described(request("m3"))).containsExactly("grant m3", "reclaim m1", "reclaim m2");
    assertThat(described(request("m4"))).as("reclaimed once").containsExactly("grant m4");
    assertThat(dispatcher.running(BQ)).isEqualTo(4);
  }

  @Test
  void aRequestThatQueuesFindsNoLeaseLeftAndTheNextReleaseServesIt() {
    settings = cap(2);
    assertThat(described(request("m1"))).containsExactly("lease m1");
    assertThat(described(request("m2"))).containsExactly("grant m2", "reclaim m1");
    assertThat(request("m3")).isEmpty();

    assertThat(described(release("m1"))).containsExactly("grant m3");
    assertThat(dispatcher.running(BQ)).isEqualTo(2);
  }

  @Test
  void belowHalfTheCapAgainNewGrantsAreLeasedAgain() {
    request("m1");
    request("m2");
    request("m3");
    release("m3");
    release("m2");

    assertThat(described(request("m5"))).containsExactly("lease m5");
  }

  @Test
  void aLoweredCapReclaimsAtTheNextTickAndARaisedOneDoesNot() {
    settings = cap(10);
    request("m1");
    request("m2");
    assertThat(dispatcher.grantWhatFits(BQ, cap(20), clock, 100).grants()).isEmpty();

    assertThat(described(dispatcher.grantWhatFits(BQ, cap(3), clock, 100).grants()))
        .containsExactly("reclaim m1", "reclaim m2");
    assertThat(dispatcher.running(BQ)).as("a reclaim takes no slot away").isEqualTo(2);
  }

  @Test
  void aReleasedLeaseIsNotReclaimedAndRemovingTheCapReclaimsTheRest() {
    request("m1");
    request("m2");
    release("m1");

    assertThat(described(dispatcher.grantWhatFits(BQ, cap(null), clock, 100).grants()))
        .containsExactly("reclaim m2");
  }

  @Test
  void withoutLeasesNoGrantIsLeased() {
    Dispatcher plain = new Dispatcher(new InMemoryTable<>(), new InMemoryTable<>(), new InMemoryTable<>());
    Decided decided = plain.handle(
        new AdmissionRequest(BQ, "m1", "load", 1, clock, new RequestSlot("a", 0, true, Map.of(), null)), cap(100), clock);

    assertThat(described(decided.grants())).containsExactly("grant m1");
  }
}
