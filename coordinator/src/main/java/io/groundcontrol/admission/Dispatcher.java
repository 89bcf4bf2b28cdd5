package io.groundcontrol.admission;

import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.ReleaseSlot;
import io.groundcontrol.schema.RequestSlot;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageInstruction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The slots of capped components: one queue and one set of leases per component, across all
 * missions. Plain Java over three {@link SortedTable}s, so the same code runs in the coordinator
 * (over changelogged stores) and in pure tests.
 *
 * <p>Order of grants: a higher mission priority first; among equal priorities, the plan furthest
 * below its fair share (slots it holds divided by its weight, from the component's settings,
 * default 1); among plans as far below it, the one whose turn it is by its grants so far (stride
 * scheduling: each grant made while another plan waits too moves the plan's pass on by a stride
 * inversely proportional to its weight, and a plan coming back starts from the pass of the latest
 * such grant, so idling earns it no credit); then the oldest request. A plan that queued 10,000
 * stages therefore does not starve another plan's first stage, even under a cap of one, where
 * every plan holds no slot when the next is granted: the newcomer waits for one grant at most.
 *
 * <p>A request that asks for it ({@code instruct}) carries what its RUN instruction needs: the
 * dispatcher then sends the attempt to its workers with the grant, in the same step, so a capped
 * hand-off costs two transactional hops (request, grant), not three. If the mission withdraws such
 * an attempt while it still saw it queued, and the slot was granted meanwhile, the RUN may already
 * be with a worker: the withdrawal sends a CANCEL after it and frees the slot, as for any attempt
 * cancelled while running.
 *
 * <p>Leases: while a component holds at most half its cap and nothing is queued for it, a grant
 * made with leases on comes with a lease ({@link SlotGrant#getLease()}): when the attempt ends, the
 * missions' partition may hand its slot to the next attempt of the same component that the same
 * decision makes ready, in the mission's one hop, telling the dispatcher nothing; the slot stays
 * held, under the first attempt's entry, until the attempt holding it ends without a successor.
 * As soon as a request has to queue, or the component holds more than half its cap (a cap lowered,
 * or more grants), every lease is reclaimed ({@link SlotGrant#getReclaim()}), so queued requests
 * and their order (priority, fair shares, age) are served by the next slot given back. The count of
 * held slots stays the count of attempts holding one.
 *
 * <p>A slot is held from grant until its release; releasing a queued request withdraws it;
 * releasing what is not known changes nothing, and asking twice for the same attempt counts once
 * while it is known, so a repeated message never frees a slot twice. A request read again after
 * its release (at-least-once) is granted anew, as this keeps nothing of released attempts: its
 * mission, whose attempt has ended, hands that slot straight back, which also sends a CANCEL after
 * the RUN sent with the grant. A leased slot is known by its first attempt whichever attempt holds
 * it now, so a release of that name frees it: the missions partition sends none while it keeps the
 * slot, handed on or idle, and a repeated one of an attempt that ended there goes nowhere. Lowering
 * a cap stops grants until enough slots are released; it never takes a slot back.
 */
public final class Dispatcher {
  private static final char SEP = '\u0000';
  private static final char AFTER_SEP = '\u0001';
  private static final String RUNNING = "running";
  private static final String QUEUED = "queued";
  private static final String SEQUENCE = "sequence";
  private static final String PLAN = "plan";
  private static final String LEASED = "leased";
  private static final String PASS = "pass";
  /** The pass the latest contended grant started from: where a plan that had none, or fell behind, starts. */
  private static final String PASS_FLOOR = "passfloor";
  /** A plan's pass moves on by this over its weight per grant: divisible by every weight up to 16. */
  private static final long STRIDE = 720_720;

  private final SortedTable<AdmissionEntry> entries;
  private final SortedTable<String> queue;
  private final SortedTable<Long> counts;
  private final boolean leases;

  /**
   * @param entries every known attempt, queued or holding a slot, by component, mission, stage, attempt
   * @param queue queued attempts in grant order within a priority: component, inverted priority,
   *     plan, arrival; the value is the entry's key
   * @param counts per component: slots held, requests queued, the arrival counter, slots per plan
   */
  public Dispatcher(SortedTable<AdmissionEntry> entries, SortedTable<String> queue, SortedTable<Long> counts) {
    this(entries, queue, counts, false);
  }

  /**
   * As above; with {@code leases}, grants far below the cap come with a lease (see the class
   * comment), for requesters that hand slots on.
   */
  public Dispatcher(SortedTable<AdmissionEntry> entries, SortedTable<String> queue, SortedTable<Long> counts,
      boolean leases) {
    this.entries = entries;
    this.queue = queue;
    this.counts = counts;
    this.leases = leases;
  }

  /**
   * Takes one request or release for its component and grants what then fits under the cap.
   *
   * @param settings the component's settings; null or without {@code maxRunning}: no cap
   * @return the grants made and the instructions to send, in order
   */
  public Decided handle(AdmissionRequest request, ComponentSettings settings, Instant now) {
    String key = entryKey(request.getComponent(), request.getMissionId(), request.getStage(), request.getAttempt());
    Decided.Builder decided = new Decided.Builder();
    if (request.getAction() instanceof RequestSlot ask) {
      enqueue(key, request, ask);
    } else if (request.getAction() instanceof ReleaseSlot release) {
      release(key, release, now, decided);
    }
    grantWhatFits(request.getComponent(), settings, now, Integer.MAX_VALUE, decided);
    return decided.build();
  }

  /**
   * Grants queued requests while the component has free slots, at most {@code limit}: after a cap
   * was raised or removed, and after every request or release.
   */
  public Decided grantWhatFits(String component, ComponentSettings settings, Instant now, int limit) {
    Decided.Builder decided = new Decided.Builder();
    grantWhatFits(component, settings, now, limit, decided);
    return decided.build();
  }

  private void grantWhatFits(String component, ComponentSettings settings, Instant now, int limit,
      Decided.Builder decided) {
    Integer cap = settings == null ? null : settings.getMaxRunning();
    Map<String, Integer> weights = settings == null ? Map.of() : settings.getPlanWeights();
    int granted = 0;
    while (granted < limit && (cap == null || count(component, RUNNING) < cap)) {
      Pick next = next(component, weights);
      if (next == null) {
        break;
      }
      grant(next, cap, weights, now, decided);
      granted++;
    }
    if (count(component, LEASED) > 0 && !leasable(component, cap)) {
      reclaimLeases(component, cap, now, decided);
    }
  }

  /** Whether the component is far enough below its cap, with nothing waiting, for its slots to be leased. */
  private boolean leasable(String component, Integer cap) {
    return leases && cap != null && count(component, QUEUED) == 0 && count(component, RUNNING) * 2 <= cap;
  }

  /** Takes back every lease of the component: each slot then comes back here when its holder ends. */
  private void reclaimLeases(String component, Integer cap, Instant now, Decided.Builder decided) {
    for (Map.Entry<String, AdmissionEntry> held : entries.range(component + SEP, component + AFTER_SEP)) {
      AdmissionEntry entry = held.getValue();
      if (entry.getLeased()) {
        entry.setLeased(false);
        entries.put(held.getKey(), entry);
        decided.grant(new SlotGrant(entry.getMissionId(), entry.getStage(), entry.getAttempt(), component, now,
            (int) count(component, RUNNING), cap, false, false, true));
      }
    }
    add(component, LEASED, -count(component, LEASED));
  }

  /** How the component's slots stand now. */
  public ComponentStatus status(String component, ComponentSettings settings, Instant now) {
    Long oldestSequence = null;
    Instant oldestAt = null;
    for (Map.Entry<String, String> head : heads(component, null)) {
      AdmissionEntry entry = entries.get(head.getValue());
      if (entry != null && (oldestSequence == null || entry.getSequence() < oldestSequence)) {
        oldestSequence = entry.getSequence();
        oldestAt = entry.getRequestedAt();
      }
    }
    return new ComponentStatus(component, settings == null ? null : settings.getMaxRunning(),
        (int) count(component, RUNNING), (int) count(component, QUEUED), oldestAt, now);
  }

  /** The components this dispatcher holds anything for. */
  public Set<String> components() {
    Set<String> names = new TreeSet<>();
    for (Map.Entry<String, Long> entry : counts.range("", "\uffff")) {
      names.add(entry.getKey().substring(0, entry.getKey().indexOf(SEP)));
    }
    return names;
  }

  /** Slots of {@code component} held now. */
  public long running(String component) {
    return count(component, RUNNING);
  }

  /** Requests for {@code component} queued now. */
  public long queued(String component) {
    return count(component, QUEUED);
  }

  /** Slots of {@code component} that {@code plan} holds now. */
  public long runningOf(String component, String plan) {
    return count(component, PLAN + SEP + plan);
  }

  private void enqueue(String key, AdmissionRequest request, RequestSlot ask) {
    if (entries.get(key) != null) {
      return;
    }
    String component = request.getComponent();
    long sequence = count(component, SEQUENCE);
    add(component, SEQUENCE, 1);
    AdmissionEntry entry = new AdmissionEntry(component, request.getMissionId(), request.getStage(),
        request.getAttempt(), ask.getPlanName(), ask.getPriority(), request.getAt(), sequence, null,
        ask.getInstruct(), ask.getParams(), ask.getTimeoutMs(), false);
    entries.put(key, entry);
    queue.put(queueKey(entry), key);
    add(component, QUEUED, 1);
  }

  private void release(String key, ReleaseSlot release, Instant now, Decided.Builder decided) {
    AdmissionEntry entry = entries.get(key);
    if (entry == null) {
      return;
    }
    String component = entry.getComponent();
    if (entry.getGrantedAt() == null) {
      queue.delete(queueKey(entry));
      add(component, QUEUED, -1);
    } else {
      add(component, RUNNING, -1);
      add(component, PLAN + SEP + entry.getPlanName(), -1);
      if (entry.getLeased()) {
        add(component, LEASED, -1);
      }
      if (entry.getInstruct() && release.getQueued()) {
        // Its mission never saw the grant, so it sent no CANCEL: this one follows the RUN we sent.
        decided.instruct(instruction(InstructionKind.CANCEL, entry, Map.of(), now, null));
      }
    }
    entries.delete(key);
  }

  private void grant(Pick pick, Integer cap, Map<String, Integer> weights, Instant now, Decided.Builder decided) {
    Map.Entry<String, String> queued = pick.head();
    AdmissionEntry entry = entries.get(queued.getValue());
    String component = entry.getComponent();
    if (pick.contended()) {
      // Turns only matter between plans that want a slot at once; a plan alone writes none.
      put(component, PASS + SEP + entry.getPlanName(), pick.pass() + Math.max(1, STRIDE / weight(weights, entry.getPlanName())));
      if (pick.pass() != count(component, PASS_FLOOR)) {
        put(component, PASS_FLOOR, pick.pass());
      }
    }
    queue.delete(queued.getKey());
    add(component, QUEUED, -1);
    add(component, RUNNING, 1);
    add(component, PLAN + SEP + entry.getPlanName(), 1);
    boolean lease = leasable(component, cap);
    if (lease) {
      add(component, LEASED, 1);
    }
    entry.setGrantedAt(now);
    entry.setLeased(lease);
    entries.put(queued.getValue(), entry);
    decided.grant(new SlotGrant(entry.getMissionId(), entry.getStage(), entry.getAttempt(), component, now,
        (int) count(component, RUNNING), cap, entry.getInstruct(), lease, false));
    if (entry.getInstruct()) {
      decided.instruct(instruction(InstructionKind.RUN, entry, entry.getParams(), now, entry.getTimeoutMs()));
    }
  }

  /** The instruction to the workers of the entry's component about its attempt. */
  private static StageInstruction instruction(
      InstructionKind kind, AdmissionEntry entry, Map<String, String> params, Instant at, Long timeoutMs) {
    return new StageInstruction(kind, entry.getMissionId(), entry.getPlanName(), entry.getStage(),
        entry.getComponent(), entry.getAttempt(), params, at, timeoutMs);
  }

  /**
   * The queued request to grant next: among the heads of each plan at the highest priority queued,
   * the plan with the fewest slots for its weight, then the lowest pass, then the oldest.
   */
  private Pick next(String component, Map<String, Integer> weights) {
    Map.Entry<String, String> top = queue.first(component + SEP, component + AFTER_SEP);
    if (top == null) {
      return null;
    }
    String level = top.getKey().substring(0, top.getKey().indexOf(SEP, component.length() + 1) + 1);
    Map.Entry<String, String> best = null;
    long bestHeld = 0;
    long bestWeight = 1;
    long bestPass = 0;
    List<Map.Entry<String, String>> heads = heads(component, level);
    for (Map.Entry<String, String> head : heads) {
      String plan = planOf(head.getKey(), level);
      long held = runningOf(component, plan);
      long weight = weight(weights, plan);
      // held / weight < bestHeld / bestWeight, without division
      long cmp = best == null ? -1 : held * bestWeight - bestHeld * weight;
      long pass = pass(component, plan);
      if (cmp == 0) {
        cmp = Long.compare(pass, bestPass);
      }
      if (cmp < 0 || (cmp == 0 && sequenceOf(head.getKey()) < sequenceOf(best.getKey()))) {
        best = head;
        bestHeld = held;
        bestWeight = weight;
        bestPass = pass;
      }
    }
    return new Pick(best, heads.size() > 1, bestPass);
  }

  /**
   * The queued request to grant, whether another plan had one queued at the same priority, and
   * the pass its plan's grant starts from.
   */
  private record Pick(Map.Entry<String, String> head, boolean contended, long pass) {}

  private static long weight(Map<String, Integer> weights, String plan) {
    return Math.max(1, weights.getOrDefault(plan, 1));
  }

  /** Where the plan's next grant starts: its pass, or the latest grant's if it fell behind. */
  private long pass(String component, String plan) {
    return Math.max(count(component, PASS + SEP + plan), count(component, PASS_FLOOR));
  }

  /**
   * The oldest queued request of each plan at each priority ({@code level} null), or at one
   * priority level (the key prefix up to and including the priority): one seek per plan, however
   * many requests each plan queued.
   */
  private List<Map.Entry<String, String>> heads(String component, String level) {
    List<Map.Entry<String, String>> heads = new ArrayList<>();
    String from = level == null ? component + SEP : level;
    String to = level == null ? component + AFTER_SEP : level.substring(0, level.length() - 1) + AFTER_SEP;
    Map.Entry<String, String> head = queue.first(from, to);
    while (head != null) {
      heads.add(head);
      String key = head.getKey();
      String group = key.substring(0, key.lastIndexOf(SEP));
      head = queue.first(group + AFTER_SEP, to);
    }
    return heads;
  }

  private static String planOf(String queueKey, String level) {
    return queueKey.substring(level.length(), queueKey.lastIndexOf(SEP));
  }

  private static long sequenceOf(String queueKey) {
    return Long.parseLong(queueKey.substring(queueKey.lastIndexOf(SEP) + 1));
  }

  private long count(String component, String name) {
    Long value = counts.get(component + SEP + name);
    return value == null ? 0 : value;
  }

  private void put(String component, String name, long value) {
    counts.put(component + SEP + name, value);
  }

  private void add(String component, String name, long delta) {
    String key = component + SEP + name;
    long next = count(component, name) + delta;
    if (next == 0) {
      counts.delete(key);
    } else {
      counts.put(key, next);
    }
  }

  /** The key of an attempt in the entries table. */
  static String entryKey(String component, String missionId, String stage, int attempt) {
    return component + SEP + missionId + SEP + stage + SEP + attempt;
  }

  /** Higher priorities first: the priority inverted into a fixed-width, non-negative number. */
  static String queueKey(AdmissionEntry entry) {
    long inverted = (long) Integer.MAX_VALUE - entry.getPriority();
    return entry.getComponent() + SEP + pad(inverted, 10) + SEP + entry.getPlanName() + SEP
        + pad(entry.getSequence(), 19);
  }

  private static String pad(long value, int digits) {
    String text = Long.toString(value);
    return "0".repeat(Math.max(0, digits - text.length())) + text;
  }
}
