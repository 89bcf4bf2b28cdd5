package io.groundcontrol.audit;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.schema.MissionState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of checking the coordinator's store against the log: field differences, missions on
 * one side only, and missions whose history in the log is broken (these cannot be compared, so
 * they count as findings too).
 *
 * @param differences what differs, in the log's mission order
 * @param brokenHistories one line per mission whose log history breaks, e.g. a sequence gap
 * @param compared missions compared
 */
public record Verification(List<Difference> differences, List<String> brokenHistories, int compared) {
  /**
   * Compares {@code fold}'s missions with {@code store}, leaving out missions that cannot be
   * compared: those with a broken history, and those whose stored value is {@code unreadable}.
   */
  public static Verification of(MissionFold fold, Map<String, MissionState> store, Set<String> unreadable) {
    Map<String, MissionState> log = new LinkedHashMap<>();
    fold.missions().forEach((id, mission) -> {
      if (!unreadable.contains(id)) {
        log.put(id, MissionStateCodec.toStored(mission));
      }
    });
    Map<String, MissionState> stored = new LinkedHashMap<>(store);
    stored.keySet().removeAll(fold.broken().keySet());
    List<String> broken = new ArrayList<>();
    fold.broken().forEach((id, problem) -> broken.add("mission " + id + ": " + problem));
    return new Verification(StateVerifier.compare(log, stored), List.copyOf(broken), log.size());
  }

  /** Whether store and log agree everywhere they could be compared, and every history is whole. */
  public boolean clean() {
    return differences.isEmpty() && brokenHistories.isEmpty();
  }

  /**
   * Whether some mission's log is ahead of its stored state: expected while a coordinator runs,
   * since the two topics cannot be read at one instant; a real fault if it persists.
   */
  public boolean logAhead() {
    return differences.stream().anyMatch(d -> d.field().equals("sequence") && isGreater(d.logSays(), d.storeSays()));
  }

  private static boolean isGreater(String a, String b) {
    try {
      return Long.parseLong(a) > Long.parseLong(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
