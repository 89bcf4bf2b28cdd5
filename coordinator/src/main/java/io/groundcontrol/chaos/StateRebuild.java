package io.groundcontrol.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a coordinator rebuilt from its changelogs before it ran again, read from the line
 * it logs when it runs ({@code Running; local state rebuilt from N changelog records in M ms}).
 *
 * @param records changelog records restored; 0 when the coordinator ran without restoring
 * @param took from the first restore to running again (the longest, in a {@link #sum})
 */
public record StateRebuild(long records, Duration took) {
  private static final Pattern RUNNING =
      Pattern.compile("Coordinator - Running(?:; local state rebuilt from (\\d+) changelog records in (\\d+) ms"
          + "|; nothing to rebuild from the changelogs \\(stores opened and checked in (\\d+) ms\\))?");

  /** The first time the coordinator that printed {@code output} ran, if it did. */
  static Optional<StateRebuild> firstIn(String output) {
    Matcher matcher = RUNNING.matcher(output);
    if (!matcher.find()) {
      return Optional.empty();
    }
    return Optional.of(of(matcher));
  }

  /** Each time the coordinator that printed {@code output} ran, in order. */
  static List<StateRebuild> allIn(String output) {
    List<StateRebuild> all = new ArrayList<>();
    Matcher matcher = RUNNING.matcher(output);
    while (matcher.find()) {
      all.add(of(matcher));
    }
    return all;
  }

  /** The records of every rebuild, over the longest time one took. */
  static StateRebuild sum(List<StateRebuild> rebuilds) {
    return new StateRebuild(rebuilds.stream().mapToLong(StateRebuild::records).sum(),
        rebuilds.stream().map(StateRebuild::took).max(Duration::compareTo).orElse(Duration.ZERO));
  }

  private static StateRebuild of(Matcher running) {
    if (running.group(1) != null) {
      return new StateRebuild(Long.parseLong(running.group(1)), Duration.ofMillis(Long.parseLong(running.group(2))));
    }
    return new StateRebuild(0, running.group(3) == null ? Duration.ZERO : Duration.ofMillis(Long.parseLong(running.group(3))));
  }
}
