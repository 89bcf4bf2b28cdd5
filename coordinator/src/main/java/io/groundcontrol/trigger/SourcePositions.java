package io.groundcontrol.trigger;

import io.groundcontrol.admission.SortedTable;
import io.groundcontrol.coordinator.ReadAgain;
import io.groundcontrol.schema.TriggerMatch;

/**
 * How far the gate has read each trigger topic partition, per trigger, kept in the gate's marks
 * store: the offset of the last match it took ({@code TRIGGER \0 o \0 topic \0 partition}) and
 * the newest record timestamp among the matches it took ({@code TRIGGER \0 t \0 topic \0
 * partition}). Under at-least-once a record read again after a crash (or its match read again from
 * trigger-matches) is then known: it sits at or below the offset taken and is no newer than the
 * newest timestamp. The timestamp keeps a recreated topic, whose offsets restart at 0, from
 * making every record look read: its records are newer than any read before.
 */
final class SourcePositions {
  private static final char SEP = '\u0000';
  private static final String OFFSET = "o";
  private static final String NEWEST = "t";

  private final SortedTable<Long> marks;

  SourcePositions(SortedTable<Long> marks) {
    this.marks = marks;
  }

  /** Whether {@code match} comes from a record taken before; never for a match without its source. */
  boolean readBefore(TriggerMatch match) {
    if (match.getSourceOffset() == null) {
      return false;
    }
    Long offset = marks.get(key(OFFSET, match));
    Long newest = marks.get(key(NEWEST, match));
    return offset != null && newest != null
        && ReadAgain.isReadAgain(offset, newest, match.getSourceOffset(), match.getAt().toEpochMilli());
  }

  /** Records {@code match} as the last one taken from its source partition. */
  void take(TriggerMatch match) {
    if (match.getSourceOffset() == null) {
      return;
    }
    marks.put(key(OFFSET, match), match.getSourceOffset());
    String newestKey = key(NEWEST, match);
    Long newest = marks.get(newestKey);
    if (newest == null || match.getAt().toEpochMilli() > newest) {
      marks.put(newestKey, match.getAt().toEpochMilli());
    }
  }

  /** Whether the mark under {@code key}, whose trigger name ends at {@code end}, is a position. */
  static boolean isPosition(String key, int end) {
    return key.startsWith(OFFSET + SEP, end + 1) || key.startsWith(NEWEST + SEP, end + 1);
  }

  private static String key(String kind, TriggerMatch match) {
    return match.getTrigger() + SEP + kind + SEP + match.getSourceTopic() + SEP + match.getSourcePartition();
  }
}
