package io.groundcontrol.plan;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Suggests what a misspelt name was probably meant to be, for "did you mean" hints. */
public final class ClosestMatch {
  private ClosestMatch() {}

  /**
   * The candidate closest to {@code word}: one it starts, or one within a few typing mistakes of it
   * (ignoring case). Empty when nothing is close enough to be a helpful guess.
   */
  public static Optional<String> to(String word, Collection<String> candidates) {
    String typed = word.toLowerCase(Locale.ROOT);
    return candidates.stream()
        .filter(candidate -> isClose(typed, candidate.toLowerCase(Locale.ROOT)))
        .min(Comparator.comparingInt(candidate -> distance(typed, candidate.toLowerCase(Locale.ROOT))));
  }

  /** {@code "; did you mean 'x'?"} for the closest candidate, or {@code ""} if there is none. */
  public static String didYouMean(String word, Collection<String> candidates) {
    return to(word, candidates).map(match -> "; did you mean '" + match + "'?").orElse("");
  }

  private static boolean isClose(String typed, String candidate) {
    if (typed.length() >= 3 && candidate.startsWith(typed)) {
      return true;
    }
    int distance = distance(typed, candidate);
    int allowed = Math.max(1, Math.min(typed.length(), candidate.length()) / 3);
    return distance <= allowed && distance < typed.length();
  }

  /**
   * Optimal string alignment distance: the fewest insertions, deletions, substitutions and swaps of
   * neighbouring letters from a to b. Swaps count as one because "nmae" is one slip, not two.
   */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
