package io.groundcontrol.trigger;

import io.groundcontrol.mission.TextLimits;
import java.util.List;
import java.util.Map;

/**
 * How large a trigger batch's keys may grow. The open batch is one record of the trigger gate's
 * changelogged store, rewritten at every event, and its keys become one param of the batch's
 * mission; a record the coordinator cannot write would stop its stream thread, so the keys stay
 * far below Kafka's default 1 MB record limit, and with the first event's params within what a
 * start may carry.
 */
final class BatchKeys {
  /**
   * The most bytes a batch's mission params take, its keys as a JSON array and its first event's
   * params together; a batch about to exceed it closes first. A start's params may take {@link
   * TextLimits#MAX_PARAMS_BYTES} with the plan's defaults, which this leaves 64 KiB: a batch closed
   * at that bound itself would have its start rejected and its keys lost.
   */
  static final int MAX_BYTES = TextLimits.MAX_PARAMS_BYTES - 64 * 1024;
  /** The most UTF-8 bytes one key of a batched trigger may take. */
  static final int MAX_KEY_BYTES = 4 * 1024;

  private BatchKeys() {}

  /** Why {@code key} cannot join a batch, or null if it can. */
  static String problem(String key) {
    long bytes = TextLimits.utf8Length(key);
    return bytes <= MAX_KEY_BYTES ? null
        : "Expected a batch key of at most " + MAX_KEY_BYTES + " bytes, but it takes " + bytes;
  }

  /**
   * Whether {@code keys} and then {@code key}, as a JSON array under the name {@code keysParam},
   * with the batch's other {@code params}, take at most {@link #MAX_BYTES}.
   */
  static boolean fit(List<String> keys, String key, String keysParam, Map<String, String> params) {
    // Measured from the stored keys each time: the state is read and written whole per event anyway.
    long bytes = 2 + jsonBytes(key) + TextLimits.utf8Length(keysParam) + TextLimits.utf8Length(params);
    for (String each : keys) {
      bytes += 1 + jsonBytes(each);
    }
    return bytes <= MAX_BYTES;
  }

  /**
   * The UTF-8 bytes {@code key} takes as a JSON string, or a little more: quotes, an escape for
   * {@code "} and {@code \}, and six bytes for a control character (the longest escape).
   */
  static long jsonBytes(String key) {
    long bytes = 2;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20) {
        bytes += 6;
      } else if (c == '"' || c == '\\') {
        bytes += 2;
      } else if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800 || Character.isSurrogate(c)) {
        bytes += 2;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
