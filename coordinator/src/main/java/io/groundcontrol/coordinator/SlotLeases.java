package io.groundcontrol.coordinator;

import io.groundcontrol.admission.SortedTable;
import io.groundcontrol.mission.Effect;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ReleaseSlot;
import io.groundcontrol.schema.RequestSlot;
import io.groundcontrol.schema.SlotGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Slots the admission sub-topology leased to this missions partition ({@link SlotGrant#getLease()}),
 * handed from attempt to attempt here: when an attempt holding a leased slot ends, the slot passes
 * to an attempt of the same component that the same decision makes ready, or else waits here, idle,
 * for the next such attempt of any mission of the partition, for at most {@link #IDLE}; always to an
 * attempt of the plan the admission counts the slot under (its fair shares are slots per plan), so
 * an attempt of another plan asks the admission. An attempt that gets a slot here is dispatched by
 * its mission in its own transaction: one hop, as for an uncapped component, instead of a request
 * and a grant. Once reclaimed ({@link SlotGrant#getReclaim()}), an idle slot goes back at once and a
 * held one when its holder ends; a slot idle for longer than {@link #IDLE} goes back too. No slot
 * of a component whose cap is 0 is handed on: the admission, which takes back its leases once it
 * reads such a cap, holds every request, and a stage must not run in the meantime.
 *
 * <p>The admission knows a slot by the attempt it granted it to, so a slot is released under that
 * first attempt's name, whichever attempt held it last. One key per slot, {@code slot\0<slot>},
 * says where it is: {@code H<attempt>} held by that attempt, still leased; {@code R<attempt>} held
 * by it, reclaimed; {@code I<wall clock> <record time>} idle since then, by the wall clock (for
 * {@link #expire}) and by the record that freed it; each followed by {@code \1<plan>}, the plan
 * the slot counts under. A slot kept by an earlier build has no plan: it is never handed on, and
 * goes back when its holder ends or once idle. So a hand-on is one write. Which slot an attempt
 * holds, and which slots of a component and plan are idle, are indexes in memory, read from the
 * table when this is made (the table is read from memory too, see {@code MirroredTable}). Everything
 * is written in the input's transaction, so a crash loses no slot and hands none on twice.
 *
 * <p>Time: a slot taken from the idle pool, or given back from it, is stamped no earlier than the
 * record that freed it, so in the event log no dispatch on a slot precedes the end that freed it,
 * whatever order the partition read its inputs in.
 */
final class SlotLeases {
  /** How long a leased slot waits idle here for an attempt before it goes back to the admission. */
  static final Duration IDLE = Duration.ofMillis(500);
  private static final char SEP = '\u0000';
  private static final String SLOT = "slot" + SEP;
  private static final String SLOT_END = "slot" + '\u0001';
  private static final char HELD = 'H';
  private static final char RECLAIMED = 'R';
  private static final char IDLE_SINCE = 'I';
  /** Before the plan at the end of a value: after the last separator, which ends an attempt's name. */
  private static final char PLAN_MARK = '\u0001';

  private final SortedTable<String> table;
  private final LongSupplier wallClock;
  private final Predicate<String> heldAtZero;
  /** The slot each attempt holds, leased or reclaimed. */
  private final Map<String, String> heldBy = new HashMap<>();
  /** The idle slots of each component and plan ({@link #pool}), by name. */
  private final Map<String, NavigableSet<String>> idle = new HashMap<>();
  private boolean earlierLayoutRead;

  /**
   * @param table where leases are kept: a changelogged store of the missions' task
   * @param wallClock the stream thread's wall clock in epoch milliseconds, the one {@link #expire}
   *     is called on by punctuation: how long a slot is idle is measured on it alone
   * @param heldAtZero whether a component's cap is 0 now
   */
  SlotLeases(SortedTable<String> table, LongSupplier wallClock, Predicate<String> heldAtZero) {
    this.table = table;
    this.wallClock = wallClock;
    this.heldAtZero = heldAtZero;
    for (Map.Entry<String, String> entry : table.range(SLOT, SLOT_END)) {
      index(entry.getKey().substring(SLOT.length()), entry.getValue());
    }
  }

  /**
   * A slot handed to a ready attempt here, with the request it answers; the grant's time, no
   * earlier than the end that freed the slot, is the time to decide it at.
   */
  record HandedOn(SlotGrant grant, Effect.RequestSlot request) {}

  /**
   * What a decision's slot effects come to: the records for the admission, in the decision's order,
   * and the attempts given a slot here, for the mission to decide next.
   */
  record Settled(List<AdmissionRequest> toAdmission, List<HandedOn> handedOn) {}

  /**
   * The attempt a leased grant named holds its slot now, until it ends.
   *
   * @param planName the plan of the attempt's mission: the admission counts the slot under it
   */
  void adopt(SlotGrant grant, String planName) {
    readEarlierLayout();
    String attempt = key(grant.getComponent(), grant.getMissionId(), grant.getStage(), grant.getAttempt());
    write(attempt, HELD + attempt + PLAN_MARK + planName);
  }

  /**
   * The admission takes its lease back: the slot goes back now if it is idle (the release
   * returned), or when its holder ends.
   */
  Optional<AdmissionRequest> reclaim(SlotGrant reclaim, Instant at) {
    readEarlierLayout();
    String slot = key(reclaim.getComponent(), reclaim.getMissionId(), reclaim.getStage(), reclaim.getAttempt());
    String where = table.get(SLOT + slot);
    if (where == null || where.charAt(0) == RECLAIMED) {
      return Optional.empty();
    }
    if (where.charAt(0) == HELD) {
      write(slot, RECLAIMED + where.substring(1));
      return Optional.empty();
    }
    AdmissionRequest release = releaseOf(slot, "reclaimed", later(at, freedAt(where)));
    remove(slot);
    return Optional.of(release);
  }

  /**
   * Gives back every slot idle since before {@code now} minus {@link #IDLE}: the releases to send.
   * Every release is made before any slot is removed, so should one fail, no slot is forgotten
   * without its release: the slots stay idle, for the next tick.
   */
  List<AdmissionRequest> expire(Instant now) {
    readEarlierLayout();
    List<AdmissionRequest> released = new ArrayList<>();
    List<String> slots = new ArrayList<>();
    long before = now.minus(IDLE).toEpochMilli();
    for (NavigableSet<String> ofComponent : idle.values()) {
      for (String slot : ofComponent) {
        String where = table.get(SLOT + slot);
        if (idleSince(where) <= before) {
          released.add(releaseOf(slot, "idle", later(now, freedAt(where))));
          slots.add(slot);
        }
      }
    }
    slots.forEach(this::remove);
    return released;
  }

  /**
   * Settles the slot effects ({@link Effect.RequestSlot}, {@link Effect.ReleaseSlot}) of one decision
   * of mission {@code missionId}: a request takes a leased slot of its plan that a release of the
   * same decision freed, or else an idle one; a freed slot nobody took waits idle; everything else
   * goes to the admission as it was decided.
   */
  Settled settle(String missionId, List<Effect> slotEffects, Instant at) {
    readEarlierLayout();
    Map<String, Deque<String>> freed = new HashMap<>();
    Map<Effect, String> releasedSlot = new HashMap<>();
    for (Effect effect : slotEffects) {
      if (effect instanceof Effect.ReleaseSlot release) {
        // The index changes only as the table does: when the slot is handed on, idle or given back, below.
        String slot = heldBy.get(key(release.component(), missionId, release.stage(), release.attempt()));
        if (slot != null && !releasedSlot.containsValue(slot)) {
          releasedSlot.put(effect, slot);
          String where = table.get(SLOT + slot);
          if (where.charAt(0) == HELD && planOf(where) != null) {
            freed.computeIfAbsent(pool(release.component(), planOf(where)), p -> new ArrayDeque<>()).add(slot);
          }
        }
      }
    }
    List<AdmissionRequest> toAdmission = new ArrayList<>();
    List<HandedOn> handedOn = new ArrayList<>();
    for (Effect effect : slotEffects) {
      if (effect instanceof Effect.RequestSlot request) {
        String pool = pool(request.component(), request.planName());
        Freed slot = takeSlot(freed.get(pool), request.component(), pool, at);
        if (slot != null) {
          handedOn.add(new HandedOn(handOn(slot.slot(), missionId, request, later(at, slot.at())), request));
        } else {
          toAdmission.add(requestOf(missionId, request, at));
        }
      } else if (effect instanceof Effect.ReleaseSlot release) {
        String slot = releasedSlot.get(effect);
        // Equal releases share one entry in releasedSlot: the first gives a reclaimed slot back,
        // the next finds it gone.
        String where = slot == null ? null : table.get(SLOT + slot);
        if (slot == null && !leftHere(missionId, release)) {
          toAdmission.add(new AdmissionRequest(release.component(), missionId, release.stage(), release.attempt(), at,
              new ReleaseSlot(release.why(), release.queued())));
        } else if (where != null && (where.charAt(0) == RECLAIMED || planOf(where) == null)) {
          toAdmission.add(releaseOf(slot, release.why(), at));
          remove(slot);
        }
      }
    }
    String idleValue = IDLE_SINCE + Long.toString(wallClock.getAsLong()) + " " + at.toEpochMilli();
    freed.forEach((pool, slots) -> slots.forEach(slot -> write(slot, idleValue + planSuffix(table.get(SLOT + slot)))));
    return new Settled(toAdmission, handedOn);
  }

  /**
   * Whether the released attempt ended before and left its slot here, handed on or idle: the slot
   * goes back under its name when its last holder ends, not at a repeated release of the first.
   */
  private boolean leftHere(String missionId, Effect.ReleaseSlot release) {
    return table.get(SLOT + key(release.component(), missionId, release.stage(), release.attempt())) != null;
  }

  /** The request for a slot as the admission takes it: it sends the RUN with the grant. */
  static AdmissionRequest requestOf(String missionId, Effect.RequestSlot request, Instant at) {
    return new AdmissionRequest(request.component(), missionId, request.stage(), request.attempt(), at,
        new RequestSlot(request.planName(), request.priority(), true, request.params(), request.timeoutMs()));
  }

  /**
   * A slot of the pool freed in this decision, else one idle here; null if neither, or if the
   * component's cap is 0 (read only when there is a slot to hand on).
   */
  private Freed takeSlot(Deque<String> freed, String component, String pool, Instant at) {
    boolean freedHere = freed != null && !freed.isEmpty();
    NavigableSet<String> ofPool = idle.get(pool);
    if ((!freedHere && (ofPool == null || ofPool.isEmpty())) || heldAtZero.test(component)) {
      return null;
    }
    if (freedHere) {
      return new Freed(freed.poll(), at);
    }
    String slot = ofPool.first();
    return new Freed(slot, freedAt(table.get(SLOT + slot)));
  }

  /** A slot free to hand on, and the time of the record that freed it. */
  private record Freed(String slot, Instant at) {}

  private SlotGrant handOn(String slot, String missionId, Effect.RequestSlot request, Instant at) {
    write(slot, HELD + key(request.component(), missionId, request.stage(), request.attempt())
        + planSuffix(table.get(SLOT + slot)));
    return new SlotGrant(missionId, request.stage(), request.attempt(), request.component(), at, -1, null, false,
        true, false);
  }

  /** Puts {@code slot} where {@code where} says, in the table and the indexes. */
  private void write(String slot, String where) {
    unindex(slot, table.get(SLOT + slot));
    table.put(SLOT + slot, where);
    index(slot, where);
  }

  /** Forgets {@code slot}: it went back to the admission. */
  private void remove(String slot) {
    unindex(slot, table.get(SLOT + slot));
    table.delete(SLOT + slot);
  }

  private void index(String slot, String where) {
    if (where.charAt(0) == IDLE_SINCE) {
      idle.computeIfAbsent(pool(componentOf(slot), planOf(where)), p -> new TreeSet<>()).add(slot);
    } else {
      heldBy.put(withoutPlan(where).substring(1), slot);
    }
  }

  private void unindex(String slot, String where) {
    if (where == null) {
      return;
    }
    if (where.charAt(0) == IDLE_SINCE) {
      NavigableSet<String> ofPool = idle.get(pool(componentOf(slot), planOf(where)));
      if (ofPool != null) {
        ofPool.remove(slot);
      }
    } else {
      heldBy.remove(withoutPlan(where).substring(1), slot);
    }
  }

  /**
   * Rewrites leases kept as an earlier build kept them (three keys: {@code held\0<attempt>},
   * {@code lease\0<slot>}, {@code idle\0<component>\0<slot>}), once, on the first input or tick:
   * writes are not allowed when the processor is made, and a slot left in that layout would be lost
   * to the admission for good.
   */
  private void readEarlierLayout() {
    if (earlierLayoutRead) {
      return;
    }
    earlierLayoutRead = true;
    Map<String, String> idleValues = new HashMap<>();
    for (Map.Entry<String, String> entry : table.range("idle" + SEP, "idle" + '\u0001')) {
      String slotKey = entry.getKey().substring("idle".length() + 1);
      idleValues.put(slotKey.substring(slotKey.indexOf(SEP) + 1), entry.getValue());
      table.delete(entry.getKey());
    }
    Map<String, String> leaseValues = new HashMap<>();
    for (Map.Entry<String, String> entry : table.range("lease" + SEP, "lease" + '\u0001')) {
      leaseValues.put(entry.getKey().substring("lease".length() + 1), entry.getValue());
      table.delete(entry.getKey());
    }
    for (Map.Entry<String, String> entry : table.range("held" + SEP, "held" + '\u0001')) {
      String attempt = entry.getKey().substring("held".length() + 1);
      String slot = entry.getValue();
      table.delete(entry.getKey());
      write(slot, (leaseValues.remove(slot) != null ? HELD : RECLAIMED) + attempt);
    }
    leaseValues.forEach((slot, holder) -> {
      String since = idleValues.get(slot);
      if (holder.isEmpty() && since != null) {
        write(slot, IDLE_SINCE + since);
      }
    });
  }

  private static String componentOf(String slot) {
    return slot.substring(0, slot.indexOf(SEP));
  }

  /**
   * The idle slots a request of {@code planName} may take: those of its component and plan. A slot
   * of no known plan is in a pool of its own, which no request names.
   */
  private static String pool(String component, String planName) {
    return planName == null ? component : component + SEP + planName;
  }

  /** Where the plan begins in {@code where}; -1 if it names none. */
  private static int planMark(String where) {
    int mark = where.lastIndexOf(PLAN_MARK);
    return mark > where.lastIndexOf(SEP) ? mark : -1;
  }

  /** The plan the slot counts under at the admission; null if an earlier build kept it without. */
  private static String planOf(String where) {
    int mark = planMark(where);
    return mark < 0 ? null : where.substring(mark + 1);
  }

  /** The end of {@code where} that names the plan, to keep in the slot's next value; empty if none. */
  private static String planSuffix(String where) {
    int mark = planMark(where);
    return mark < 0 ? "" : where.substring(mark);
  }

  private static String withoutPlan(String where) {
    int mark = planMark(where);
    return mark < 0 ? where : where.substring(0, mark);
  }

  private static long idleSince(String where) {
    return Long.parseLong(where.substring(1, where.indexOf(' ')));
  }

  private static Instant freedAt(String where) {
    if (where == null) {
      return Instant.EPOCH;
    }
    String since = withoutPlan(where);
    return Instant.ofEpochMilli(Long.parseLong(since.substring(since.indexOf(' ') + 1)));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * The release of a slot under the name the admission knows it by: the attempt first granted it.
   * Component and stage names cannot hold the separator (plans are validated); a mission id from the
   * topic contract might, so it is whatever lies between them.
   */
  private static AdmissionRequest releaseOf(String slot, String why, Instant at) {
    int first = slot.indexOf(SEP);
    int last = slot.lastIndexOf(SEP);
    int beforeLast = slot.lastIndexOf(SEP, last - 1);
    return new AdmissionRequest(slot.substring(0, first), slot.substring(first + 1, beforeLast),
        slot.substring(beforeLast + 1, last), Integer.parseInt(slot.substring(last + 1)), at, new ReleaseSlot(why, false));
  }

  private static String key(String component, String missionId, String stage, int attempt) {
    return component + SEP + missionId + SEP + stage + SEP + attempt;
  }
}
