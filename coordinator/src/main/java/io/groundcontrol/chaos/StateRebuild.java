package io.groundcontrol.chaos;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a restarted coordinator rebuilt from its changelogs before it ran again, read from the line
 * it logs when it runs ({@code Running; local state rebuilt from N changelog records in M ms}).
 *
 * @param records changelog records restored; 0 when the coordinator ran without restoring
 * @param took from the first restore to running again
 */
public record StateRebuild(long records, Duration took) {
  private static final Pattern RUNNING =
      Pattern.compile("Coordinator - Running(?:; local state rebuilt from (\\d+) changelog records in (\\d+) ms)?");

  /** The first time the coordinator that printed {@code output} ran, if it did. */
  static Optional<StateRebuild> firstIn(String output) {
    Matcher matcher = RUNNING.matcher(output);
    if (!matcher.find()) {
      return Optional.empty();
    }
    if (matcher.group(1) == null) {
      return Optional.of(new StateRebuild(0, Duration.ZERO));
    }
    return Optional.of(new StateRebuild(Long.parseLong(matcher.group(1)), Duration.ofMillis(Long.parseLong(matcher.group(2)))));
  }
}
