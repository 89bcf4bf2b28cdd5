package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order of a plan's versions: by when each was last applied, as the plans topic's offsets say. */
class PlanApplyTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  /**
   * Applied bbb, then aaa, then ccc, then bbb again: compaction has removed the first records of
   * bbb and of the plan's name, leaving gaps in the offsets, and bbb's last record is its newest.
   */
  @Test
  void versionsAreListedNewestAppliedFirstNotInTheOrderOfTheirHashes() {
    Map<String, PlanApply> applies = Map.of(
        "p@aaa", new PlanApply(2, T.plusSeconds(2)),
        "p@ccc", new PlanApply(4, T.plusSeconds(4)),
        "p@bbb", new PlanApply(6, T.plusSeconds(6)),
        "p", new PlanApply(7, T.plusSeconds(6)),
        "other@zzz", new PlanApply(8, T.plusSeconds(8)));

    List<PlanApply.Version> versions = PlanApply.newestFirst("p", List.of("p", "p@aaa", "p@bbb", "p@ccc", "other@zzz"),
        applies);

    assertThat(versions).extracting(PlanApply.Version::version).containsExactly("bbb", "ccc", "aaa");
    assertThat(versions.get(0).applied().at()).isEqualTo(T.plusSeconds(6));
  }

  /** The plan store of this instance may hold a version before the topic's reader here has read it. */
  @Test
  void aVersionNotReadFromTheTopicYetIsTheNewest() {
    List<PlanApply.Version> versions = PlanApply.newestFirst("p", List.of("p@aaa", "p@bbb"),
        Map.of("p@aaa", new PlanApply(0, T)));

    assertThat(versions).extracting(PlanApply.Version::version).containsExactly("bbb", "aaa");
    assertThat(versions.get(0).applied()).isNull();
  }
}
