package io.groundcontrol.client;

import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.StageDocument;
import io.groundcontrol.schema.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Why the stages of a mission wait, in words, for {@code mission show} and the API's mission
 * document: a dispatched stage whose component has no live worker ({@code waiting 40 s; no live
 * worker of 'ml'}), a stage queued for a slot ({@code waiting for a slot of 'bq': 15 of 15
 * running}, or {@code no live worker of 'bq'; waiting for a slot: 15 of 15 running} when no worker
 * of its component is live: the slot is not all it waits for). A stage fanned out in chunks says so
 * of its chunks ({@code 20 chunks out; no live worker of 'ml'}, {@code 6 chunks waiting for a slot
 * of 'gpu': 2 of 2 running}): the documents carry no chunk of their own. A stage that waits in
 * silence should say so where people look. The API computes the notes from its own sources, the
 * CLI's event-log fallback from the log: both here, so both say the same.
 */
public final class StageNotes {
  private StageNotes() {}

  /**
   * A note per stage of {@code mission} that is queued, or dispatched and not started while its
   * component has no live worker, or fanned out with chunks out while its component has no live
   * worker or with chunks queued for a slot; stages whose component is unknown get none.
   *
   * @param componentOf the component a stage runs on, by stage name
   * @param liveWorkers the live workers of the components asked for, by component; asked only if a
   *     stage is dispatched, queued or has chunks out
   * @param board the components' settings and statuses; read only if a stage or a chunk is queued
   * @param now the time to count waits to
   */
  public static Map<String, String> of(MissionDocument mission, Function<String, Optional<String>> componentOf,
      Function<Collection<String>, Map<String, List<String>>> liveWorkers, Supplier<ComponentBoard> board, Instant now) {
    Map<StageDocument, String> dispatched = new LinkedHashMap<>();
    Map<String, String> queued = new LinkedHashMap<>();
    Map<StageDocument, String> fannedOut = new LinkedHashMap<>();
    for (StageDocument stage : mission.stages()) {
      Optional<String> component = componentOf.apply(stage.name());
      if (component.isEmpty()) {
        continue;
      }
      if (StageStatus.DISPATCHED.name().equals(stage.status())) {
        dispatched.put(stage, component.get());
      } else if (StageStatus.QUEUED.name().equals(stage.status())) {
        queued.put(stage.name(), component.get());
      } else if (StageStatus.RUNNING.name().equals(stage.status()) && stage.chunks() != null
          && chunksOut(stage.chunks()) > 0) {
        fannedOut.put(stage, component.get());
      }
    }
    Map<String, String> notes = new LinkedHashMap<>();
    Set<String> asked = new HashSet<>(dispatched.values());
    asked.addAll(queued.values());
    asked.addAll(fannedOut.values());
    Map<String, List<String>> live = asked.isEmpty() ? Map.of() : liveWorkers.apply(asked);
    Predicate<String> noLiveWorker = component -> live.getOrDefault(component, List.of()).isEmpty();
    dispatched.forEach((stage, component) -> {
      if (noLiveWorker.test(component)) {
        long seconds = Math.max(0, Duration.between(Instant.parse(stage.updatedAt()), now).toSeconds());
        notes.put(stage.name(), "waiting " + seconds + " s; no live worker of '" + component + "'");
      }
    });
    boolean chunksQueued = fannedOut.keySet().stream().anyMatch(stage -> stage.chunks().waitingForSlot() > 0);
    ComponentBoard components = queued.isEmpty() && !chunksQueued ? null : board.get();
    queued.forEach((stage, component) -> notes.put(stage, noLiveWorker.test(component)
        ? "no live worker of '" + component + "'; waiting for a slot" + components.slots(component).map(s -> ": " + s).orElse("")
        : components.waitReason(component).orElse("waiting for a slot of '" + component + "'")));
    fannedOut.forEach((stage, component) -> chunksNote(stage.chunks(), component, noLiveWorker.test(component),
        components).ifPresent(note -> notes.put(stage.name(), note)));
    return notes;
  }

  /** Chunks dispatched, running, awaiting a retry or a result, or queued for a slot. */
  private static int chunksOut(StageDocument.ChunkSummary chunks) {
    return chunks.running() + chunks.waitingForSlot();
  }

  /**
   * Of the chunks out of a fanned-out stage: no live worker runs them, or how many wait for a slot
   * of their capped component and how many of its slots are taken. Nothing if neither applies.
   */
  private static Optional<String> chunksNote(StageDocument.ChunkSummary chunks, String component, boolean noLiveWorker,
      ComponentBoard board) {
    int out = chunksOut(chunks);
    if (noLiveWorker) {
      return Optional.of(out + (out == 1 ? " chunk out; " : " chunks out; ") + "no live worker of '" + component + "'");
    }
    int waiting = chunks.waitingForSlot();
    if (waiting == 0) {
      return Optional.empty();
    }
    return Optional.of(waiting + (waiting == 1 ? " chunk" : " chunks") + " waiting for a slot of '" + component + "'"
        + board.slots(component).map(slots -> ": " + slots).orElse(""));
  }
}
