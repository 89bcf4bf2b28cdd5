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
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Slots the admission sub-topology leased to this missions partition ({@link SlotGrant#getLease()}),
 * handed from attempt to attempt here: when an attempt holding a leased slot ends, the slot passes
 * to an attempt of the same component that the same decision makes ready, or else waits here, idle,
 * for the next such attempt of any mission of the partition, for at most {@link #IDLE}. An attempt
 * that gets a slot here is dispatched by its mission in its own transaction: one hop, as for an
 * uncapped component, instead of a request and a grant. Once reclaimed
 * ({@link SlotGrant#getReclaim()}), an idle slot goes back at once and a held one when its holder
 * ends; a slot idle for longer than {@link #IDLE} goes back too.
 *
 * <p>The admission knows a slot by the attempt it granted it to, so a slot is released under that
 * first attempt's name, whichever attempt held it last. Keys: {@code held\0<attempt>} names the slot
 * an attempt holds; {@code lease\0<slot>} names the attempt holding a slot still leased, or is empty
 * while it is idle (absent once reclaimed); {@code idle\0<component>\0<slot>} holds when it became
 * idle, by the wall clock (for {@link #expire}) and by the record that freed it. Everything is
 * written in the input's transaction, so a crash loses no slot and hands none on twice.
 *
 * <p>Time: a slot taken from the idle pool, or given back from it, is stamped no earlier than the
 * record that freed it, so in the event log no dispatch on a slot precedes the end that freed it,
 * whatever order the partition read its inputs in.
 */
final class SlotLeases {
  /** How long a leased slot waits idle here for an attempt before it goes back to the admission. */
  static final Duration IDLE = Duration.ofMillis(500);
  private static final char SEP = '\u0000';
  private static final String HELD = "held" + SEP;
  private static final String LEASE = "lease" + SEP;
  private static final String IDLE_SINCE = "idle" + SEP;
  private static final String IDLE_END = "idle" + '\u0001';

  private final SortedTable<String> table;
  private final LongSupplier wallClock;

  /**
   * @param table where leases are kept: a changelogged store of the missions' task
   * @param wallClock the stream thread's wall clock in epoch milliseconds, the one {@link #expire}
   *     is called on by punctuation: how long a slot is idle is measured on it alone
   */
  SlotLeases(SortedTable<String> table, LongSupplier wallClock) {
    this.table = table;
    this.wallClock = wallClock;
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

  /** The attempt a leased grant named holds its slot now, until it ends. */
  void adopt(SlotGrant grant) {
    String attempt = key(grant.getComponent(), grant.getMissionId(), grant.getStage(), grant.getAttempt());
    table.put(HELD + attempt, attempt);
    table.put(LEASE + attempt, attempt);
  }

  /**
   * The admission takes its lease back: the slot goes back now if it is idle (the release
   * returned), or when its holder ends.
   */
  Optional<AdmissionRequest> reclaim(SlotGrant reclaim, Instant at) {
    String slot = key(reclaim.getComponent(), reclaim.getMissionId(), reclaim.getStage(), reclaim.getAttempt());
    String holder = table.get(LEASE + slot);
    if (holder == null) {
      return Optional.empty();
    }
    if (!holder.isEmpty()) {
      table.delete(LEASE + slot);
      return Optional.empty();
    }
    String idleKey = IDLE_SINCE + reclaim.getComponent() + SEP + slot;
    AdmissionRequest release = releaseOf(slot, "reclaimed", later(at, freedAt(table.get(idleKey))));
    table.delete(LEASE + slot);
    table.delete(idleKey);
    return Optional.of(release);
  }

  /**
   * Gives back every slot idle since before {@code now} minus {@link #IDLE}: the releases to send.
   * Every release is made before any key is deleted, so should one fail, no slot is forgotten
   * without its release: the slots stay idle, for the next tick.
   */
  List<AdmissionRequest> expire(Instant now) {
    List<AdmissionRequest> released = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    long before = now.minus(IDLE).toEpochMilli();
    for (Map.Entry<String, String> idle : table.range(IDLE_SINCE, IDLE_END)) {
      if (idleSince(idle.getValue()) <= before) {
        String slot = idle.getKey().substring(idle.getKey().indexOf(SEP, IDLE_SINCE.length()) + 1);
        released.add(releaseOf(slot, "idle", later(now, freedAt(idle.getValue()))));
        keys.add(idle.getKey());
        keys.add(LEASE + slot);
      }
    }
    keys.forEach(table::delete);
    return released;
  }

  /**
   * Settles the slot effects ({@link Effect.RequestSlot}, {@link Effect.ReleaseSlot}) of one decision
   * of mission {@code missionId}: a request takes a leased slot a release of the same decision
   * freed, or else an idle one; a freed slot nobody took waits idle; everything else goes to the
   * admission as it was decided.
   */
  Settled settle(String missionId, List<Effect> slotEffects, Instant at) {
    Map<String, Deque<String>> freed = new HashMap<>();
    Map<Effect, String> releasedSlot = new HashMap<>();
    for (Effect effect : slotEffects) {
      if (effect instanceof Effect.ReleaseSlot release) {
        String attempt = key(release.component(), missionId, release.stage(), release.attempt());
        String slot = table.get(HELD + attempt);
        if (slot != null) {
          table.delete(HELD + attempt);
          releasedSlot.put(effect, slot);
          if (table.get(LEASE + slot) != null) {
            freed.computeIfAbsent(release.component(), c -> new ArrayDeque<>()).add(slot);
          }
        }
      }
    }
    List<AdmissionRequest> toAdmission = new ArrayList<>();
    List<HandedOn> handedOn = new ArrayList<>();
    for (Effect effect : slotEffects) {
      if (effect instanceof Effect.RequestSlot request) {
        Freed slot = takeSlot(freed.get(request.component()), request.component(), at);
        if (slot != null) {
          handedOn.add(new HandedOn(handOn(slot.slot(), missionId, request, later(at, slot.at())), request));
        } else {
          toAdmission.add(requestOf(missionId, request, at));
        }
      } else if (effect instanceof Effect.ReleaseSlot release) {
        String slot = releasedSlot.get(effect);
        if (slot == null) {
          toAdmission.add(new AdmissionRequest(release.component(), missionId, release.stage(), release.attempt(), at,
              new ReleaseSlot(release.why(), release.queued())));
        } else if (table.get(LEASE + slot) == null) {
          toAdmission.add(releaseOf(slot, release.why(), at));
        }
      }
    }
    freed.forEach((component, slots) -> slots.forEach(slot -> {
      table.put(LEASE + slot, "");
      table.put(IDLE_SINCE + component + SEP + slot, wallClock.getAsLong() + " " + at.toEpochMilli());
    }));
    return new Settled(toAdmission, handedOn);
  }

  /** The request for a slot as the admission takes it: it sends the RUN with the grant. */
  static AdmissionRequest requestOf(String missionId, Effect.RequestSlot request, Instant at) {
    return new AdmissionRequest(request.component(), missionId, request.stage(), request.attempt(), at,
        new RequestSlot(request.planName(), request.priority(), true, request.params(), request.timeoutMs()));
  }

  /** A slot freed in this decision, else one idle here; null if neither. */
  private Freed takeSlot(Deque<String> freed, String component, Instant at) {
    if (freed != null && !freed.isEmpty()) {
      return new Freed(freed.poll(), at);
    }
    Map.Entry<String, String> idle = table.first(IDLE_SINCE + component + SEP, IDLE_SINCE + component + '\u0001');
    if (idle == null) {
      return null;
    }
    String slot = idle.getKey().substring(IDLE_SINCE.length() + component.length() + 1);
    Instant freedAt = freedAt(idle.getValue());
    table.delete(idle.getKey());
    return new Freed(slot, freedAt);
  }

  /** A slot free to hand on, and the time of the record that freed it. */
  private record Freed(String slot, Instant at) {}

  private static long idleSince(String idleValue) {
    return Long.parseLong(idleValue.substring(0, idleValue.indexOf(' ')));
  }

  private static Instant freedAt(String idleValue) {
    return idleValue == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(idleValue.substring(idleValue.indexOf(' ') + 1)));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private SlotGrant handOn(String slot, String missionId, Effect.RequestSlot request, Instant at) {
    String attempt = key(request.component(), missionId, request.stage(), request.attempt());
    table.put(HELD + attempt, slot);
    table.put(LEASE + slot, attempt);
    return new SlotGrant(missionId, request.stage(), request.attempt(), request.component(), at, -1, null, false,
        true, false);
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
