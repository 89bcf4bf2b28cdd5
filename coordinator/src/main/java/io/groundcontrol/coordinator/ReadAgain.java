package io.groundcontrol.coordinator;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How a sub-topology that keeps, per key, where it has read its input tells a record read again
 * under {@code --at-least-once} (a crash before the offset commit brings back records whose
 * effects its store already holds) from a new one. The record must sit at or below the last
 * offset taken, and be stamped no later than the newest timestamp taken: the offset alone would
 * take every record of a topic deleted and created again (offsets from 0 again) for old, and a
 * record read again is no newer than what was taken. The newest, not the last, timestamp: senders'
 * clocks differ, so timestamps need not rise with offsets.
 */
public final class ReadAgain {
  private ReadAgain() {}

  /** Whether the application runs at-least-once, so its records may be read again. */
  public static boolean possible(Map<String, Object> appConfigs) {
    return StreamsConfig.AT_LEAST_ONCE.equals(appConfigs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
  }

  /** Whether the record at {@code offset}, stamped {@code timestamp}, was taken before. */
  public static boolean isReadAgain(long lastOffsetTaken, long newestTimestampTaken, long offset, long timestamp) {
    return offset <= lastOffsetTaken && timestamp <= newestTimestampTaken;
  }
}
