package io.groundcontrol.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.groundcontrol.admission.SortedTable;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatch;
import io.groundcontrol.schema.TriggerBatchState;
import io.groundcontrol.schema.TriggerMatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The state behind triggers with a {@code dedup_window} or a {@code batch}, keyed by trigger name.
 * Plain Java over two {@link SortedTable}s, so the same code runs over changelogged stores in the
 * coordinator and over maps in tests. Every mission id it derives depends only on what it stores,
 * so a decision redone after a crash names the same mission.
 *
 * <ul>
 *   <li><b>Window</b>: the first event of a key starts {@code t.TRIGGER.KEY.<its time>}; events of
 *       the key within {@code dedup_window} of that start name the same mission (the plan's
 *       {@code on_duplicate} answers them); the first event after it starts a new one.
 *   <li><b>Batch</b>: matched events collect in the trigger's open batch (each key once) until it
 *       holds {@code max_events} keys or its {@code window} has passed since its first event,
 *       whichever comes first, or until its keys would take more than 256 KiB as
 *       JSON (then the batch closes before the key that would not fit, which opens the next one);
 *       then one mission {@code t.TRIGGER.batch.N} starts with the params
 *       of the batch's first event and the keys, as a JSON array, in {@code keys_param}. With a
 *       dedup window too, a key already batched within the window is left out.
 * </ul>
 *
 * <p>A key's mark decides only for events stamped before its window ends, and only while its
 * trigger has a dedup window: {@link #deadMark} tells the gate's sweep which marks can go.
 *
 * <p>Under at-least-once the gate also keeps {@link SourcePositions}: a match of a record it has
 * taken before (read again after a crash) decides nothing, even once its key's mark is swept or its
 * batch has closed. Under exactly-once no record is read again, and no position is kept.
 */
public final class TriggerGate {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char SEP = '\u0000';
  private static final String KEY = "k";
  private static final String NEXT_BATCH = "n";

  /**
   * How long past its window's end, in event time, a key's mark is kept: how far out of order an
   * event may come and still join its window. Events are read in order per partition of the
   * trigger topic, but partitions are read at their own pace (one catches up after a restart, say).
   */
  public static final Duration MARK_GRACE = Duration.ofHours(1);

  /**
   * A mission to start, and when: the time of the event (or tick) that decided it. Plan, params and
   * priority are the trigger's when the event that started it was read (a batch's first event).
   */
  public record Start(String missionId, String trigger, String plan, Map<String, String> params, int priority,
      Instant at) {}

  private final SortedTable<Long> marks;
  private final SortedTable<TriggerBatchState> batches;
  private final SourcePositions positions;

  /** A gate under exactly-once: it takes every match. */
  public TriggerGate(SortedTable<Long> marks, SortedTable<TriggerBatchState> batches) {
    this(marks, batches, false);
  }

  /**
   * @param marks per trigger and key, when its window started; per trigger, the next batch number;
   *     under at-least-once, per trigger and source partition, how far it was read
   * @param batches per trigger, its open batch
   * @param atLeastOnce whether records may be read again, so the gate keeps {@link SourcePositions}
   */
  public TriggerGate(SortedTable<Long> marks, SortedTable<TriggerBatchState> batches, boolean atLeastOnce) {
    this.marks = marks;
    this.batches = batches;
    this.positions = atLeastOnce ? new SourcePositions(marks) : null;
  }

  /** Whether a trigger's events must pass the gate rather than start missions directly. */
  public static boolean gated(Trigger trigger) {
    return trigger.getDedupWindowMs() != null || trigger.getBatch() != null;
  }

  /**
   * Takes one matched event of {@code trigger} (its current definition; null if it was removed,
   * and the event then starts nothing). Under at-least-once a match of a record taken before starts
   * nothing either.
   */
  public List<Start> onMatch(Trigger trigger, TriggerMatch match) {
    List<Start> starts = new ArrayList<>();
    if (trigger == null) {
      return starts;
    }
    if (positions != null) {
      if (positions.readBefore(match)) {
        return starts;
      }
      positions.take(match);
    }
    Instant at = match.getAt();
    String name = match.getTrigger();
    Long window = trigger.getDedupWindowMs();
    String keyMark = name + SEP + KEY + SEP + match.getKey();
    Long windowStart = marks.get(keyMark);
    boolean seen = window != null && windowStart != null && at.toEpochMilli() < windowStart + window;
    if (trigger.getBatch() == null) {
      if (!seen) {
        windowStart = at.toEpochMilli();
        marks.put(keyMark, windowStart);
      }
      String id = MissionIds.forTriggerWindow(name, match.getKey(), Instant.ofEpochMilli(windowStart));
      starts.add(new Start(id, name, match.getPlan(), match.getParams(), match.getPriority(), at));
      return starts;
    }
    if (seen) {
      return starts;
    }
    if (window != null) {
      marks.put(keyMark, at.toEpochMilli());
    }
    TriggerBatch batch = trigger.getBatch();
    TriggerBatchState open = batches.get(name);
    if (open != null && batch.getWindowMs() != null && !at.isBefore(open.getOpenedAt().plusMillis(batch.getWindowMs()))) {
      starts.add(close(open, batch, at));
      open = null;
    }
    if (open != null && open.getKeys().contains(match.getKey())) {
      return starts;
    }
    if (open != null && !BatchKeys.fit(open.getKeys(), match.getKey(), batch.getKeysParam(), open.getParams())) {
      starts.add(close(open, batch, at));
      open = null;
    }
    if (open == null) {
      open = new TriggerBatchState(name, match.getPlan(), nextBatch(name), at, new ArrayList<>(), match.getParams(),
          match.getPriority());
    } else {
      open.setKeys(new ArrayList<>(open.getKeys()));
    }
    open.getKeys().add(match.getKey());
    if (batch.getMaxEvents() != null && open.getKeys().size() >= batch.getMaxEvents()) {
      starts.add(close(open, batch, at));
    } else {
      batches.put(name, open);
    }
    return starts;
  }

  /**
   * Whether the stored mark {@code key -> value} can no longer decide anything: a key's window start
   * whose window ended more than {@link #MARK_GRACE} before {@code newestEvent} (an event stamped
   * after the end starts a new window whatever the mark), or one of a trigger that was removed or has
   * no dedup window now ({@link #onMatch} reads none then), or a {@link SourcePositions read position}
   * of a trigger that was removed. A trigger's next batch number is never
   * dead: numbering again from 1 would name missions that may still be kept, and their batches would
   * be answered as duplicates.
   *
   * @param triggers the current definition of a trigger by name; null if removed
   * @param newestEvent the time of the newest event the gate has read (its stream time)
   */
  public static boolean deadMark(String key, Long value, Function<String, Trigger> triggers, Instant newestEvent) {
    int end = key.indexOf(SEP);
    if (end >= 0 && SourcePositions.isPosition(key, end)) {
      return triggers.apply(key.substring(0, end)) == null;
    }
    if (end < 0 || !key.startsWith(KEY + SEP, end + 1)) {
      return false;
    }
    Trigger trigger = triggers.apply(key.substring(0, end));
    Long window = trigger == null ? null : trigger.getDedupWindowMs();
    return window == null || Instant.ofEpochMilli(value).plusMillis(window).plus(MARK_GRACE).isBefore(newestEvent);
  }

  /**
   * Closes every open batch whose window has passed by {@code now}, so a quiet topic still closes
   * its window; batches of removed triggers are dropped.
   */
  public List<Start> closeDue(Function<String, Trigger> triggers, Instant now) {
    List<Start> starts = new ArrayList<>();
    for (Map.Entry<String, TriggerBatchState> entry : batches.range("", "\uffff")) {
      Trigger trigger = triggers.apply(entry.getKey());
      if (trigger == null || trigger.getBatch() == null) {
        batches.delete(entry.getKey());
        continue;
      }
      Long windowMs = trigger.getBatch().getWindowMs();
      if (windowMs != null && !now.isBefore(entry.getValue().getOpenedAt().plusMillis(windowMs))) {
        starts.add(close(entry.getValue(), trigger.getBatch(), now));
      }
    }
    return starts;
  }

  private Start close(TriggerBatchState open, TriggerBatch batch, Instant at) {
    batches.delete(open.getTrigger());
    ArrayNode keys = JSON.createArrayNode();
    open.getKeys().forEach(keys::add);
    Map<String, String> params = new LinkedHashMap<>(open.getParams());
    params.put(batch.getKeysParam(), keys.toString());
    return new Start(MissionIds.forTriggerBatch(open.getTrigger(), open.getNumber()), open.getTrigger(), open.getPlan(),
        params, open.getPriority(), at);
  }

  private long nextBatch(String trigger) {
    String key = trigger + SEP + NEXT_BATCH;
    Long next = marks.get(key);
    long number = next == null ? 1 : next;
    marks.put(key, number + 1);
    return number;
  }
}
