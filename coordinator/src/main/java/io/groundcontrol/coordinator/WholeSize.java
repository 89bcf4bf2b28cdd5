package io.groundcontrol.coordinator;

import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.Stage;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StageError;
import java.util.Map;

/**
 * Whether a mission stored whole stays within {@link #MAX_BYTES}, judged cheaply from the length of
 * its text (params, reason, and each stage's outputs, error, items, worker), and measured by encoding
 * only when that text comes near the bound.
 */
final class WholeSize {
  /**
   * The most bytes a mission's whole record may take. Each transition rewrites the whole record, and
   * Kafka refuses a record over 1 MiB by default: one the coordinator cannot write stops its stream
   * thread, and every mission on it, not just this one. In entries, one stage's outputs (64 KiB by
   * default), its error (at most about 72 KiB, see {@code Failures}) or the params (256 KiB) each have
   * a record of their own. A quarter of the limit also keeps the rewrite at each transition cheap.
   */
  static final int MAX_BYTES = 256 * 1024;

  /**
   * Bytes a stage takes beside its text: its name (at most 100 characters, or a chunk's), status,
   * counters and times. Generous, since it only decides when to measure.
   */
  private static final int STAGE_OVERHEAD = 256;

  /** Avro writes a string in UTF-8: at most 3 bytes per Java char (a surrogate pair takes 4 for 2). */
  private static final int MAX_BYTES_PER_CHAR = 3;

  private WholeSize() {}

  /**
   * Whether {@code whole}, the record of {@code mission}, takes at most {@link #MAX_BYTES}: a mission
   * whose text is short enough fits without encoding, one with more characters than that does not,
   * and one in between is encoded to tell.
   */
  static boolean fits(Mission mission, MissionState whole) {
    long chars = textLength(mission);
    if (chars * MAX_BYTES_PER_CHAR + (long) mission.stages().size() * STAGE_OVERHEAD + 1024 <= MAX_BYTES) {
      return true;
    }
    return chars <= MAX_BYTES && MissionStoreSerde.INSTANCE.encode(whole).length <= MAX_BYTES;
  }

  /** Characters of the mission's text that has no bound of its own in the whole record. */
  static long textLength(Mission mission) {
    long chars = length(mission.params()) + mission.reason().map(String::length).orElse(0);
    for (Stage stage : mission.stages()) {
      chars += stage.name().length() + length(stage.outputs()) + stage.items().map(String::length).orElse(0)
          + stage.worker().map(String::length).orElse(0) + stage.error().map(WholeSize::length).orElse(0);
    }
    return chars;
  }

  private static long length(Map<String, String> text) {
    long chars = 0;
    for (Map.Entry<String, String> entry : text.entrySet()) {
      chars += entry.getKey().length() + entry.getValue().length();
    }
    return chars;
  }

  private static int length(StageError error) {
    return error.getMessage().length() + (error.getDetail() == null ? 0 : error.getDetail().length());
  }
}
