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
import java.util.function.Supplier;

/**
 * Why the stages of a mission wait, in words, for {@code mission show} and the API's mission
 * document: a dispatched stage whose component has no live worker ({@code waiting 40 s; no live
 * worker of 'ml'}), a stage queued for a slot ({@code waiting for a slot of 'bq': 15 of 15
 * running}). A stage fanned out in chunks says so of its chunks that are out ({@code 20 chunks out;
 * no live worker of 'ml'}, {@code 20 chunks out; slots of 'gpu': 8 of 8 running}): the documents
 * carry no chunk of their own. A stage that waits in silence should say so where people look. The
 * API computes the notes from its own sources, the CLI's event-log fallback from the log: both
 * here, so both say the same.
 */
public final class StageNotes {
  private StageNotes() {}

  /**
   * A note per stage of {@code mission} that is queued, or dispatched and not started while its
   * component has no live worker, or fanned out with chunks out while its component has no live
   * worker or a known cap; stages whose component is unknown get none.
   *
   * @param componentOf the component a stage runs on, by stage name
   * @param liveWorkers the live workers of the components asked for, by component; asked only if a stage is dispatched
   * @param board the components' settings and statuses; read only if a stage is queued
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
          && stage.chunks().running() > 0) {
        fannedOut.put(stage, component.get());
      }
    }
    Map<String, String> notes = new LinkedHashMap<>();
    Map<String, List<String>> live = dispatched.isEmpty() && fannedOut.isEmpty() ? Map.of()
        : liveWorkers.apply(componentsOf(dispatched, fannedOut));
    dispatched.forEach((stage, component) -> {
      if (live.getOrDefault(component, List.of()).isEmpty()) {
        long seconds = Math.max(0, Duration.between(Instant.parse(stage.updatedAt()), now).toSeconds());
        notes.put(stage.name(), "waiting " + seconds + " s; no live worker of '" + component + "'");
      }
    });
    ComponentBoard components = queued.isEmpty() && fannedOut.isEmpty() ? null : board.get();
    queued.forEach((stage, component) -> notes.put(stage,
        components.waitReason(component).orElse("waiting for a slot of '" + component + "'")));
    fannedOut.forEach((stage, component) -> chunksNote(stage.chunks().running(), component,
        live.getOrDefault(component, List.of()).isEmpty(), components).ifPresent(note -> notes.put(stage.name(), note)));
    return notes;
  }

  /**
   * Of the chunks out of a fanned-out stage: no live worker runs them, or how many slots of a capped
   * component are taken (some of the chunks may be queued for one). Nothing if neither applies.
   */
  private static Optional<String> chunksNote(int out, String component, boolean noLiveWorker, ComponentBoard board) {
    String chunks = out + (out == 1 ? " chunk out; " : " chunks out; ");
    if (noLiveWorker) {
      return Optional.of(chunks + "no live worker of '" + component + "'");
    }
    return board.slots(component).map(slots -> chunks + "slots of '" + component + "': " + slots);
  }

  private static Set<String> componentsOf(Map<StageDocument, String> dispatched, Map<StageDocument, String> fannedOut) {
    Set<String> components = new HashSet<>(dispatched.values());
    components.addAll(fannedOut.values());
    return components;
  }
}
